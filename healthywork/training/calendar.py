"""Trainings as iCalendar: the public feed of published trainings (for calendar subscription) and
one training's .ics (the registrant's copy carries the online link, the public one does not)."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from healthywork.core import icalendar
from healthywork.training.models import Modality, Training, TrainingStatus


def when_text(training: Training) -> str:
    """The training's dates in words for a page or an e-mail, in the local time zone."""
    if not training.starts_at:
        return _("Self-paced: start any time.") if training.modality == Modality.SELF_PACED else ""
    start = timezone.localtime(training.starts_at)
    text = date_format(start, "DATETIME_FORMAT")
    if training.ends_at:
        end = timezone.localtime(training.ends_at)
        same_day = end.date() == start.date()
        text += " – " + (date_format(end, "TIME_FORMAT") if same_day else date_format(end, "DATETIME_FORMAT"))
    return f"{text} ({timezone.get_current_timezone_name()})"


def training_event(training: Training, base_url: str, *, for_registrant: bool = False) -> icalendar.Event:
    """One VEVENT: UID from the public id (a re-import updates it), STATUS:CANCELLED when it is."""
    page = base_url.rstrip("/") + reverse("training:public-detail", args=[training.slug])
    location = training.place
    description = training.description
    if for_registrant and training.link:
        location = location or training.link
        description += "\n\n" + _("Online link: %(link)s") % {"link": training.link}
    if training.facilitator_names:
        description += "\n\n" + _("Facilitators: %(names)s") % {"names": training.facilitator_names}
    return icalendar.Event(
        uid=f"training-{training.public_id}@healthywork",
        summary=training.title,
        start=training.starts_at,
        end=training.ends_at,
        description=description,
        location=location,
        url=page,
        status="CANCELLED" if training.status == TrainingStatus.CANCELLED else "",
        categories=training.series,
        stamp=training.updated_at,
    )


def trainings_ics(trainings: Iterable[Training], base_url: str, name: str = "") -> str:
    """Scheduled trainings only (a self-paced training without a date has no event)."""
    events = [training_event(training, base_url) for training in trainings if training.starts_at]
    return icalendar.calendar(events, name=name or _("Trainings"), product="-//healthywork//training//EN")


def training_ics(training: Training, base_url: str, *, for_registrant: bool = False) -> str:
    event = [training_event(training, base_url, for_registrant=for_registrant)] if training.starts_at else []
    return icalendar.calendar(event, name=training.title, product="-//healthywork//training//EN")


def feed_trainings():
    """The public feed: published trainings and cancelled ones (so subscribers see the
    cancellation), both with a date."""
    return Training.objects.filter(
        status__in=[TrainingStatus.PUBLISHED, TrainingStatus.CANCELLED], starts_at__isnull=False
    ).order_by("starts_at")
