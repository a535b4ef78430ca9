"""Trainings: who sees which, the list filters, and the writes (create, edit, cancel, delete,
materials), each one transaction with one audit event."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from healthywork.core import audit
from healthywork.training import registrations
from healthywork.training.models import Material, Registration, RegistrationStatus, Training, TrainingStatus

FILTER_NAMES = ("q", "series", "modality", "language", "when", "status")
WHEN_CHOICES = ("upcoming", "past", "all")


def visible_trainings(user: Any) -> QuerySet[Training]:
    """Every signed-in user reads published and cancelled trainings; drafts are for training
    managers and the draft's facilitators."""
    if not getattr(user, "is_authenticated", False):
        return Training.objects.none()
    if user.can("training.manage"):
        return Training.objects.all()
    return Training.objects.filter(~Q(status=TrainingStatus.DRAFT) | Q(facilitators=user)).distinct()


def public_trainings() -> QuerySet[Training]:
    return Training.objects.filter(status=TrainingStatus.PUBLISHED)


def filter_trainings(trainings: QuerySet[Training], filters: dict[str, str], *, now=None) -> QuerySet:
    """The list's filters. `when`: upcoming (default; includes self-paced, soonest first), past
    (latest first) or all. Unknown values are ignored, as on every list page."""
    now = now or timezone.now()
    query = (filters.get("q") or "").strip()
    if query:
        trainings = trainings.filter(
            Q(title__icontains=query) | Q(description__icontains=query) | Q(topics__icontains=query)
        )
    if filters.get("series"):
        trainings = trainings.filter(series=filters["series"])
    if filters.get("modality"):
        trainings = trainings.filter(modality=filters["modality"])
    if filters.get("language"):
        trainings = trainings.filter(language__contains=filters["language"])
    if filters.get("status") in TrainingStatus.values:
        trainings = trainings.filter(status=filters["status"])
    when = filters.get("when") or "upcoming"
    finished = Q(ends_at__lt=now) | Q(ends_at__isnull=True, starts_at__lt=now)
    if when == "upcoming":
        trainings = trainings.exclude(finished).order_by("starts_at", "title")
    elif when == "past":
        trainings = trainings.filter(finished).order_by("-starts_at", "title")
    else:
        trainings = trainings.order_by("-starts_at", "title")
    return trainings


def series_names(trainings: QuerySet[Training]) -> list[str]:
    return sorted(set(trainings.exclude(series="").values_list("series", flat=True)))


def unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:100] or "training"
    slug, number = base, 2
    while Training.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


TRAINING_FIELDS = (
    "title",
    "slug",
    "description",
    "series",
    "topics",
    "modality",
    "starts_at",
    "ends_at",
    "place",
    "link",
    "capacity",
    "facilitator_names",
    "language",
    "registration_closes_at",
    "status",
    "completion_rule",
    "completion_minutes",
)


def _assign(training: Training, data: dict[str, Any]) -> None:
    for name in TRAINING_FIELDS:
        if name in data:
            setattr(training, name, data[name])
    if not training.slug:
        training.slug = unique_slug(training.title, training.pk)


@transaction.atomic
def create_training(data: dict[str, Any], *, by: Any) -> Training:
    training = Training(created_by=by if getattr(by, "is_authenticated", False) else None)
    _assign(training, data)
    training.full_clean()
    training.save()
    if "facilitators" in data:
        training.facilitators.set(data["facilitators"] or [])
    audit.record(by, "create", training, audit.diff({}, audit.snapshot(training)))
    return training


def update_training(training: Training, data: dict[str, Any], *, by: Any, base_url: str = "") -> list:
    """Save the changes; a larger capacity moves people from the waitlist into the new seats
    (they are e-mailed). Returns those promoted."""
    with transaction.atomic():
        locked = Training.objects.select_for_update().get(pk=training.pk)
        before = audit.snapshot(locked)
        _assign(training, data)
        training.full_clean()
        training.save()
        if "facilitators" in data:
            training.facilitators.set(data["facilitators"] or [])
        audit.record(by, "change", training, audit.diff(before, audit.snapshot(training)))
        return registrations.fill_seats(training, by=by, base_url=base_url)


def cancel_training(training: Training, *, by: Any, notify: bool = True, base_url: str = "") -> int:
    """Mark the training cancelled (its registrations stay, for the record) and, with `notify`,
    e-mail every live registrant. Returns the number e-mailed."""
    with transaction.atomic():
        locked = Training.objects.select_for_update().get(pk=training.pk)
        before = audit.snapshot(locked)
        locked.status = TrainingStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        audit.record(by, "change", locked, audit.diff(before, audit.snapshot(locked)), note=_("Cancelled."))
        live = list(locked.registrations.filter(status__in=registrations.LIVE).select_related("training"))
        if notify:
            registrations.notify_later("cancelled", live, base_url)
    training.status = locked.status
    return len(live) if notify else 0


@transaction.atomic
def delete_training(training: Training, *, by: Any) -> None:
    audit.record(
        by,
        "delete",
        training,
        audit.snapshot(training),
        note=_("With %(count)s registrations.") % {"count": training.registrations.count()},
    )
    for material in training.materials.all():
        if material.file:
            material.file.delete(save=False)
    training.delete()


@transaction.atomic
def add_material(
    training: Training, *, title: str, url: str, upload: UploadedFile | None, is_public: bool, by: Any
) -> Material:
    position = training.materials.count()
    material = Material(training=training, title=title, url=url or "", is_public=is_public, position=position)
    if upload is not None:
        material.file.save(upload.name, upload, save=False)
    material.save()
    audit.record(by, "create", material, audit.diff({}, audit.snapshot(material)))
    return material


@transaction.atomic
def remove_material(material: Material, *, by: Any) -> None:
    audit.record(by, "delete", material, audit.snapshot(material))
    if material.file:
        material.file.delete(save=False)
    material.delete()


#: The order of a training's registrations on its page: seats, then the waitlist, then cancelled.
STATUS_ORDER = Case(
    When(status=RegistrationStatus.REGISTERED, then=Value(0)),
    When(status=RegistrationStatus.WAITLISTED, then=Value(1)),
    default=Value(2),
)


def registration_rows(training: Training) -> QuerySet[Registration]:
    return training.registrations.select_related("organization", "person").order_by(
        STATUS_ORDER, "registered_at", "pk"
    )
