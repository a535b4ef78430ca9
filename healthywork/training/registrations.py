"""Registrations: the public form's service (seat or waitlist, decided with the training row
locked), cancellation by the registrant's link or by staff, promotion from the waitlist, and the
e-mails that go with them.

Every write is one transaction with one audit event; a public registration or a cancellation by
link is recorded with no actor. No IP address is stored anywhere.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from healthywork.core import audit
from healthywork.partners.models import Organization, Person
from healthywork.training import calendar
from healthywork.training.models import Registration, RegistrationStatus, Training, TrainingStatus

LIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
FORM_FIELDS = ("name", "email", "organization_name", "language", "accommodation")


class RegistrationRefused(Exception):
    """Why a registration cannot be taken, in words for the person (and a `kind` for code)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def closed_reason(training: Training, now: datetime | None = None) -> str:
    """Empty when the public may register; else why not, in words."""
    now = now or timezone.now()
    if training.status == TrainingStatus.CANCELLED:
        return _("This training is cancelled.")
    if training.status != TrainingStatus.PUBLISHED:
        return _("This training is not open for registration.")
    if training.registration_closes_at and training.registration_closes_at <= now:
        return _("Registration for this training is closed.")
    finished = training.ends_at or training.starts_at
    if finished and finished <= now:
        return _("This training has already taken place.")
    return ""


def counts(training: Training) -> dict[str, Any]:
    """{registered, waitlisted, cancelled, capacity, seats_left} (seats_left None: no limit)."""
    grouped = training.registrations.order_by().values("status").annotate(n=Count("pk"))
    rows = {row["status"]: row["n"] for row in grouped}
    registered = rows.get(RegistrationStatus.REGISTERED, 0)
    capacity = training.capacity
    return {
        "registered": registered,
        "waitlisted": rows.get(RegistrationStatus.WAITLISTED, 0),
        "cancelled": rows.get(RegistrationStatus.CANCELLED, 0),
        "capacity": capacity,
        "seats_left": None if capacity is None else max(capacity - registered, 0),
    }


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person on the waitlist; None when not waitlisted."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        training_id=registration.training_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(registered_at__lt=registration.registered_at)
        | Q(registered_at=registration.registered_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def match_person(email: str) -> Person | None:
    """The registry's person with this e-mail (case-insensitive), when exactly one has it."""
    found = list(Person.objects.filter(email__iexact=email.strip())[:2]) if email.strip() else []
    return found[0] if len(found) == 1 else None


def match_organization(name: str) -> Organization | None:
    """The registry's organization with this name or alias, when exactly one has it."""
    if not name.strip():
        return None
    live = Organization.objects.filter(merged_into__isnull=True)
    found = list(live.matching_name(name)[:2])
    return found[0] if len(found) == 1 else None


def _seat_is_free(training: Training) -> bool:
    if training.capacity is None:
        return True
    taken = training.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    return taken < training.capacity


def register(
    training: Training,
    data: dict[str, Any],
    *,
    by: Any = None,
    base_url: str = "",
    check_open: bool = True,
    send: bool = True,
) -> Registration:
    """Take a registration: a seat when one is free, else the waitlist. The training row is locked
    (select_for_update) so that two people never take the last seat. Raises RegistrationRefused
    when registration is closed (`check_open`, the public form) or the e-mail already has a live
    registration. Sends the confirmation e-mail after the commit."""
    with transaction.atomic():
        locked = Training.objects.select_for_update().get(pk=training.pk)
        if locked.status == TrainingStatus.CANCELLED:
            raise RegistrationRefused("closed", _("This training is cancelled."))
        if check_open:
            reason = closed_reason(locked)
            if reason:
                raise RegistrationRefused("closed", reason)
        email = data["email"].strip().lower()
        if locked.registrations.filter(email__iexact=email, status__in=LIVE).exists():
            raise _duplicate(email)
        registration = Registration(training=locked, email=email)
        for name in FORM_FIELDS:
            if name != "email" and name in data:
                setattr(registration, name, (data[name] or "").strip())
        registration.status = (
            RegistrationStatus.REGISTERED if _seat_is_free(locked) else RegistrationStatus.WAITLISTED
        )
        registration.person = match_person(email)
        registration.organization = match_organization(registration.organization_name)
        try:
            with transaction.atomic():  # the constraint guards a race the check above missed
                registration.save()
        except IntegrityError:
            raise _duplicate(email) from None
        note = "" if by else _("Registered through the public page.")
        audit.record(by, "create", registration, audit.diff({}, audit.snapshot(registration)), note=note)
        if send:
            _send_later("confirmation", registration, base_url)
    return registration


def _duplicate(email: str) -> RegistrationRefused:
    return RegistrationRefused(
        "duplicate",
        _(
            "%(email)s is already registered for this training (or on its waitlist). "
            "The confirmation e-mail has the link to your registration."
        )
        % {"email": email},
    )


def cancel(registration: Registration, *, by: Any = None, base_url: str = "") -> list[Registration]:
    """Cancel the registration; a freed seat goes to the first people on the waitlist, who are
    e-mailed. Returns those promoted. Cancelling twice changes nothing."""
    with transaction.atomic():
        training = Training.objects.select_for_update().get(pk=registration.training_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            return []
        before = audit.snapshot(current)
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        note = "" if by else _("Cancelled through the registrant's link.")
        audit.record(by, "change", current, audit.diff(before, audit.snapshot(current)), note=note)
        promoted = fill_seats(training, by=by, base_url=base_url)
    registration.status, registration.cancelled_at = current.status, current.cancelled_at
    return promoted


def fill_seats(training: Training, *, by: Any = None, base_url: str = "") -> list[Registration]:
    """Move people from the waitlist, first come first served, into the free seats (call inside a
    transaction holding the training's lock). Each is e-mailed after the commit."""
    promoted: list[Registration] = []
    if training.status == TrainingStatus.CANCELLED:
        return promoted
    waiting = training.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "registered_at", "pk"
    )
    if training.capacity is not None:
        taken = training.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        waiting = waiting[: max(training.capacity - taken, 0)]
    for candidate in waiting:
        _promote(candidate, by=by, base_url=base_url, note=_("A seat was freed."))
        promoted.append(candidate)
    return promoted


def promote(registration: Registration, *, by: Any, base_url: str = "") -> Registration:
    """Staff move a waitlisted person into a seat, even past the capacity (their decision)."""
    with transaction.atomic():
        Training.objects.select_for_update().get(pk=registration.training_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != RegistrationStatus.WAITLISTED:
            raise RegistrationRefused("state", _("Only someone on the waitlist can be promoted."))
        _promote(current, by=by, base_url=base_url, note=_("Promoted by staff."))
    return current


def _promote(registration: Registration, *, by: Any, base_url: str, note: str) -> None:
    before = audit.snapshot(registration)
    registration.status = RegistrationStatus.REGISTERED
    registration.promoted_at = timezone.now()
    registration.save(update_fields=["status", "promoted_at"])
    audit.record(by, "change", registration, audit.diff(before, audit.snapshot(registration)), note=note)
    _send_later("promoted", registration, base_url)


# --- E-mail -----------------------------------------------------------------------------------


def language_of(registration: Registration) -> str:
    codes = dict(settings.LANGUAGES)
    return registration.language if registration.language in codes else "en"


def site_url(base_url: str, path: str) -> str:
    base = base_url or getattr(settings, "HEALTHYWORK_BASE_URL", "") or ""
    return base.rstrip("/") + path


def links(registration: Registration, base_url: str) -> dict[str, str]:
    token = registration.cancel_token
    return {
        "page": site_url(base_url, reverse("training:registration", args=[token])),
        "cancel": site_url(base_url, reverse("training:registration-cancel", args=[token])),
        "training": site_url(base_url, reverse("training:public-detail", args=[registration.training.slug])),
        "catalog": site_url(base_url, reverse("training:public-list")),
    }


def build_email(kind: str, registration: Registration, base_url: str = "") -> EmailMessage:
    """The e-mail `kind` (confirmation, promoted, reminder, cancelled) in the registrant's
    language; the template's first line is the subject. A registered person gets the training's
    .ics attached (and the online link in the text)."""
    training = registration.training
    language = language_of(registration)
    is_registered = registration.status == RegistrationStatus.REGISTERED
    with translation.override(language):
        context = {
            "registration": registration,
            "training": training,
            "is_registered": is_registered,
            "position": waitlist_position(registration),
            "links": links(registration, base_url),
            "when": calendar.when_text(training),
        }
        text = render_to_string(f"training/email_{kind}.txt", context).strip()
    subject, _newline, body = text.partition("\n")
    message = EmailMessage(
        subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [registration.email]
    )
    if is_registered and kind != "cancelled" and training.starts_at:
        content = calendar.training_ics(training, site_url(base_url, ""), for_registrant=True)
        message.attach("training.ics", content, "text/calendar")
    return message


def _send_later(kind: str, registration: Registration, base_url: str) -> None:
    transaction.on_commit(lambda: build_email(kind, registration, base_url).send())


def notify_later(kind: str, registrations: list[Registration], base_url: str = "") -> None:
    for registration in registrations:
        _send_later(kind, registration, base_url)
