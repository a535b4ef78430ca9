"""The one iCalendar (RFC 5545) writer every app uses for its .ics files and feeds.

Text values are escaped (backslash, semicolon, comma, newlines: §3.3.11), content lines are
folded at 75 octets without splitting a UTF-8 character (§3.1), lines end in CRLF, DTSTAMP and
timed events are written in UTC, and events without a time of day are all-day DATE events.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass
class Event:
    """One VEVENT. `start`/`end` are datetimes (written in UTC) or dates (all-day events; an
    all-day event without `end` lasts its day). `status` is empty or CONFIRMED/TENTATIVE/CANCELLED."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = ""
    categories: str = ""
    is_transparent: bool = False
    stamp: datetime | None = None


def escape(text: str) -> str:
    """A TEXT value escaped per RFC 5545 §3.3.11."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character;
    continuation lines start with one space (which counts in their 75 octets)."""
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74
        current += character
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def utc_text(moment: datetime) -> str:
    """20300305T210000Z (a naive datetime is taken in the current time zone)."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: datetime | date) -> str:
    if isinstance(value, datetime):
        return f"{name}:{utc_text(value)}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def _uri(value: str) -> str:
    # A URI value is not TEXT: no escaping, but it may not carry line breaks.
    return value.replace("\r", "").replace("\n", "")


def event_lines(event: Event, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        "UID:" + _uri(event.uid),
        "DTSTAMP:" + utc_text(event.stamp or stamp),
        _when("DTSTART", event.start),
    ]
    end = event.end
    if end is None and not isinstance(event.start, datetime):
        end = event.start + timedelta(days=1)
    if end is not None:
        lines.append(_when("DTEND", end))
    lines.append("SUMMARY:" + escape(event.summary))
    if event.description:
        lines.append("DESCRIPTION:" + escape(event.description))
    if event.location:
        lines.append("LOCATION:" + escape(event.location))
    if event.url:
        lines.append("URL:" + _uri(event.url))
    if event.categories:
        lines.append("CATEGORIES:" + escape(event.categories))
    if event.status:
        lines.append("STATUS:" + event.status.upper())
    if event.is_transparent:
        lines.append("TRANSP:TRANSPARENT")
    lines.append("END:VEVENT")
    return lines


def calendar(
    events: Iterable[Event],
    *,
    name: str = "",
    product: str = "-//healthywork//EN",
    method: str = "PUBLISH",
    stamp: datetime | None = None,
) -> str:
    """The whole VCALENDAR as text (CRLF line ends, folded); `name` becomes X-WR-CALNAME."""
    stamp = stamp or timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + _uri(product), "CALSCALE:GREGORIAN"]
    if method:
        lines.append("METHOD:" + method)
    if name:
        lines.append("X-WR-CALNAME:" + escape(name))
    for event in events:
        lines += event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def calendar_bytes(events: Iterable[Event], **options) -> bytes:
    return calendar(events, **options).encode("utf-8")
