"""Training: the program's trainings, who registered (no account needed), who attended, who
completed (with a certificate), and the evaluation instruments attached to each training.

Trainings are program-wide: every signed-in user reads them; published ones are also on the
public catalog. Registrations carry personal data: staff with `training.manage` and the
training's facilitators see them (`Registration.objects.visible_to`).
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from healthywork.evaluation.models import Administration
from healthywork.partners.models import Organization, Person


def _token() -> str:
    return secrets.token_urlsafe(24)


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online (live)")
    HYBRID = "hybrid", _("Hybrid")
    SELF_PACED = "self_paced", _("Self-paced")


class TrainingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Training(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("address name"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"))
    series = models.CharField(_("series"), max_length=200, blank=True)
    topics = models.CharField(_("topics"), max_length=300, blank=True, help_text=_("Separated by commas."))
    modality = models.CharField(_("modality"), max_length=20, choices=Modality.choices)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("online link"), blank=True, help_text=_("Sent to registrants only."))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators (users)"),
        blank=True,
        related_name="trainings_led",
    )
    facilitator_names = models.CharField(_("facilitators"), max_length=300, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("en", _("English")), ("es", _("Spanish")), ("en es", _("Both"))],
        default="en",
    )
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TrainingStatus.choices, default=TrainingStatus.DRAFT
    )
    completion_rule = models.TextField(
        _("what completion means"), blank=True, help_text=_("Shown on the certificate page.")
    )
    completion_minutes = models.PositiveIntegerField(
        _("minutes needed to complete"),
        null=True,
        blank=True,
        help_text=_("Empty: completing means being present every day."),
    )
    pre_administration = models.ForeignKey(
        Administration,
        verbose_name=_("pre survey"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    post_administration = models.ForeignKey(
        Administration,
        verbose_name=_("post survey"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    feedback_administration = models.ForeignKey(
        Administration,
        verbose_name=_("feedback form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "title"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:detail", args=[self.public_id])

    def clean(self) -> None:
        errors = {}
        if self.modality != Modality.SELF_PACED and not self.starts_at:
            errors["starts_at"] = _("A scheduled training needs its start.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end is not after the start.")
        if self.modality in {Modality.IN_PERSON, Modality.HYBRID} and not self.place:
            errors["place"] = _("An in-person or hybrid training needs its place.")
        if errors:
            raise ValidationError(errors)

    def can_manage(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return user.can("training.manage") or self.facilitators.filter(pk=user.pk).exists()

    @property
    def topic_list(self) -> list[str]:
        return [topic.strip() for topic in self.topics.split(",") if topic.strip()]


class Material(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=250)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="training/materials/", blank=True)
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Off: registrants only."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.url and not self.file:
            raise ValidationError({"url": _("Give a link or a file.")})


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RegistrationQuerySet":
        """The one rule: training managers see all; facilitators their trainings' registrations."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.can("training.manage"):
            return self
        return self.filter(training__facilitators=user)


class Registration(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="training_registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    organization_name = models.CharField(_("organization"), max_length=250, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="training_registrations"
    )
    language = models.CharField(_("preferred language"), max_length=10, default="en")
    accommodation = models.TextField(_("accommodation requests"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    cancel_token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    registered_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["training", "email"],
                condition=~Q(status="cancelled"),
                name="one_live_registration_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.training}"


class Attendance(models.Model):
    """Presence on one day of a training (a one-day training has one row per attendee)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"), default=True)
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="attendance_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.registration.name} {self.day}"


class Certificate(models.Model):
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="certificate")
    number = models.CharField(_("number"), max_length=40, unique=True)
    verify_token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number
