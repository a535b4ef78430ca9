"""E-mail reminders before a training starts, once per registration (Registration.reminded_at),
in the registrant's language. Run `healthywork remind` from cron (see docs/training.md)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from healthywork.training import registrations
from healthywork.training.models import Registration, RegistrationStatus, TrainingStatus


@dataclass
class ReminderReport:
    sent: list[Registration] = field(default_factory=list)
    failed: list[tuple[Registration, str]] = field(default_factory=list)
    due: list[Registration] = field(default_factory=list)  # filled on a dry run


def due_reminders(hours: float, now: datetime | None = None):
    """Registered people of published trainings that start within `hours`, not reminded yet."""
    now = now or timezone.now()
    return (
        Registration.objects.filter(
            status=RegistrationStatus.REGISTERED,
            reminded_at__isnull=True,
            training__status=TrainingStatus.PUBLISHED,
            training__starts_at__gt=now,
            training__starts_at__lte=now + timedelta(hours=hours),
        )
        .select_related("training")
        .order_by("training__starts_at", "pk")
    )


def send_reminders(
    hours: float = 24, *, dry_run: bool = False, base_url: str = "", now: datetime | None = None
) -> ReminderReport:
    """Claim each registration first (an UPDATE that only one run can win), then send; a send
    that fails releases the claim so that the next run tries again."""
    now = now or timezone.now()
    report = ReminderReport()
    for registration in due_reminders(hours, now):
        if dry_run:
            report.due.append(registration)
            continue
        claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if not claimed:
            continue
        registration.reminded_at = now
        try:
            registrations.build_email("reminder", registration, base_url).send()
        except Exception as error:  # noqa: BLE001 - an SMTP failure must not stop the others
            Registration.objects.filter(pk=registration.pk).update(reminded_at=None)
            report.failed.append((registration, str(error)))
        else:
            report.sent.append(registration)
    return report
