"""What happens at and after a training: attendance (the sheet and a Zoom/Teams participants
file), completion by the training's rule with a manual override, certificates (numbered
HW-<year>-<sequence>), and the evaluation instruments attached to the training (pre, post,
feedback) with personal invitations for the registered people.

Every write here is one transaction with one audit event.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from healthywork.core import audit
from healthywork.core.previews import ImportPreview
from healthywork.core.tabular import Table
from healthywork.evaluation.models import (
    Administration,
    ContextKind,
    Instrument,
    Invitation,
    ResponseStatus,
    TimePoint,
)
from healthywork.training.models import (
    Attendance,
    Certificate,
    Modality,
    Registration,
    RegistrationStatus,
    Training,
)

#: The key of the one column of a self-paced training ("completed the material").
MATERIAL = "material"
MAX_MINUTES_A_DAY = 24 * 60
MAX_DAYS = 31  # a sheet wider than a month is a data-entry mistake, not a training


# --- Days and the sheet -----------------------------------------------------------------------


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def training_days(training: Training) -> list[date]:
    """The calendar days from the start to the end (local time); empty for a self-paced training."""
    if training.modality == Modality.SELF_PACED or not training.starts_at:
        return []
    first = _local_date(training.starts_at)
    last = _local_date(training.ends_at) if training.ends_at else first
    count = min((last - first).days + 1, MAX_DAYS)
    return [first + timedelta(days=offset) for offset in range(max(count, 1))]


def column_keys(training: Training) -> list[str]:
    """The sheet's columns: ISO dates, or the one "material" column of a self-paced training."""
    days = training_days(training)
    return [day.isoformat() for day in days] if days else [MATERIAL]


def attendees(training: Training) -> QuerySet[Registration]:
    """The people on the sheet: registered (not cancelled, not on the waitlist)."""
    return (
        training.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("certificate")
        .order_by("name", "pk")
    )


@dataclass
class SheetRow:
    registration: Registration
    cells: list[tuple[str, bool, int | None]]  # (column key, present, minutes)

    @property
    def present_count(self) -> int:
        return sum(1 for _key, present, _minutes in self.cells if present)

    @property
    def minutes(self) -> int:
        return sum(minutes or 0 for _key, present, minutes in self.cells if present)


def _cell_key(training: Training, mark: Attendance) -> str:
    return MATERIAL if not training_days(training) else mark.day.isoformat()


def sheet(training: Training) -> list[SheetRow]:
    """One row per attendee with a (present, minutes) cell per column; two queries."""
    keys = column_keys(training)
    registrations = list(attendees(training))
    marks: dict[tuple[int, str], Attendance] = {}
    for mark in Attendance.objects.filter(registration__in=registrations):
        marks[(mark.registration_id, _cell_key(training, mark))] = mark
    rows = []
    for registration in registrations:
        cells = []
        for key in keys:
            mark = marks.get((registration.pk, key))
            cells.append((key, bool(mark and mark.present), mark.minutes if mark else None))
        rows.append(SheetRow(registration, cells))
    return rows


def parse_sheet(training: Training, data: Any) -> tuple[dict[tuple[int, str], tuple[bool, int | None]], list]:
    """Read the posted sheet (`present-<registration>-<column>`, `minutes-<registration>-<column>`)
    into {(registration pk, column): (present, minutes)}; errors name the person and the column."""
    keys = column_keys(training)
    marks: dict[tuple[int, str], tuple[bool, int | None]] = {}
    errors: list[str] = []
    for registration in attendees(training):
        for key in keys:
            present = bool(data.get(f"present-{registration.pk}-{key}"))
            raw = str(data.get(f"minutes-{registration.pk}-{key}", "") or "").strip()
            minutes = None
            if raw:
                if not raw.isdigit() or int(raw) > MAX_MINUTES_A_DAY:
                    errors.append(
                        _("%(name)s, %(day)s: minutes must be a whole number from 0 to %(max)s.")
                        % {"name": registration.name, "day": column_label(key), "max": MAX_MINUTES_A_DAY}
                    )
                    continue
                minutes = int(raw)
            marks[(registration.pk, key)] = (present, minutes)
    return marks, errors


def column_label(key: str) -> str:
    return _("completed the material") if key == MATERIAL else key


def _day_of(key: str, existing: Attendance | None) -> date:
    if key != MATERIAL:
        return date.fromisoformat(key)
    return existing.day if existing else timezone.localdate()


@transaction.atomic
def save_attendance(
    training: Training, marks: dict[tuple[int, str], tuple[bool, int | None]], *, by: Any
) -> int:
    """Write the sheet: a present cell is an Attendance row (with its minutes), an absent cell has
    none. Returns how many cells changed; one audit event on the training."""
    registrations = {registration.pk: registration for registration in attendees(training)}
    existing: dict[tuple[int, str], Attendance] = {
        (mark.registration_id, _cell_key(training, mark)): mark
        for mark in Attendance.objects.select_for_update().filter(registration__in=registrations.keys())
    }
    changed = 0
    for (registration_pk, key), (present, minutes) in marks.items():
        if registration_pk not in registrations:
            continue
        mark = existing.get((registration_pk, key))
        if present:
            if mark is None:
                Attendance.objects.create(
                    registration_id=registration_pk,
                    day=_day_of(key, None),
                    present=True,
                    minutes=minutes,
                    recorded_by=by if getattr(by, "is_authenticated", False) else None,
                )
                changed += 1
            elif not mark.present or mark.minutes != minutes:
                mark.present, mark.minutes = True, minutes
                mark.save(update_fields=["present", "minutes"])
                changed += 1
        elif mark is not None:
            mark.delete()
            changed += 1
    if changed:
        audit.record(by, "change", training, {"attendance": [None, changed]}, note="attendance sheet")
    return changed


# --- Import of a participants file (Zoom, Teams, Meet) ----------------------------------------

#: Accepted headers (compared without case, spaces or punctuation), first match wins.
HEADER_VARIANTS: dict[str, list[str]] = {
    "email": [
        "user email",
        "email",
        "email address",
        "e-mail",
        "attendee email",
        "participant email",
        "correo",
        "correo electronico",
    ],
    "name": [
        "name (original name)",
        "name",
        "full name",
        "participant",
        "participant name",
        "display name",
        "attendee",
        "nombre",
    ],
    "minutes": [
        "duration (minutes)",
        "duration (mins)",
        "total duration (minutes)",
        "time in session (minutes)",
        "minutes",
        "in-meeting duration",
        "attendance duration",
        "duration",
        "minutos",
    ],
    "joined": ["join time", "first join", "first join time", "joined", "join date", "joined at", "date"],
}


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def find_columns(headers: list[str]) -> dict[str, str]:
    """{email|name|minutes|joined: the file's header} for the columns found."""
    squashed = {_squash(header.replace("_", " ")): header for header in headers}
    found = {}
    for role, variants in HEADER_VARIANTS.items():
        for variant in variants:
            if _squash(variant) in squashed:
                found[role] = squashed[_squash(variant)]
                break
    return found


_DURATION = re.compile(
    r"^(?:(\d+)\s*h(?:r|rs|ours?)?)?\s*(?:(\d+)\s*m(?:in|ins|inutes?)?)?\s*(?:(\d+)\s*s\w*)?$"
)


def parse_minutes(text: str) -> int | None:
    """Minutes from "75", "75.5", "1h 15m", "1h 15m 30s" or "01:15:30"; ValueError if unreadable."""
    text = text.strip().casefold()
    if not text:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return round(float(text))
    if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", text):
        parts = [int(part) for part in text.split(":")]
        hours, minutes, seconds = (parts + [0])[:3]
        return hours * 60 + minutes + (seconds + 30) // 60
    match = _DURATION.match(text)
    if match and any(match.groups()):
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        return hours * 60 + minutes + (seconds + 30) // 60
    raise ValueError(text)


_DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%Y",
]


def parse_day(text: str) -> date:
    """The day of a join time as Zoom (03/05/2030 03:00:12 PM), Teams (3/5/30, 3:00:12 PM) or ISO
    write it; US month-first; ValueError if unreadable."""
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class ImportRow:
    number: int
    name: str
    email: str
    column: str = ""  # the sheet column (ISO day or "material")
    minutes: int | None = None
    action: str = "update"  # update (matched) | create (walk-in) | skip (unmatched) | refuse
    registration: Registration | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


@dataclass
class AttendancePreview(ImportPreview):
    ACTIONS = ("update", "create", "skip", "refuse")


def preview_participants(
    training: Training, table: Table, walk_ins: set[str] | None = None
) -> AttendancePreview:
    """What importing a participants file would do, without writing. Rows of the same e-mail and
    day are added together (Zoom lists a rejoin as a new row). Matched by e-mail to the training's
    registrations; an unmatched e-mail is skipped unless it is in `walk_ins` (then it becomes a
    walk-in registration). A row without a valid e-mail, with unreadable minutes or a day outside
    the training is refused, and then nothing is imported."""
    walk_ins = {email.casefold() for email in (walk_ins or set())}
    preview = AttendancePreview(rows=[])
    columns = find_columns(table.headers)
    if "email" not in columns:
        preview.file_errors.append(
            _("The file has no e-mail column (expected one of: %(names)s).")
            % {"names": ", ".join(f"“{name}”" for name in HEADER_VARIANTS["email"][:4])}
        )
        return preview
    keys = column_keys(training)
    days = training_days(training)
    if len(keys) > 1 and "joined" not in columns:
        preview.file_errors.append(
            _("The training lasts several days: the file needs a join time column (such as “Join Time”).")
        )
        return preview
    registrations = {
        registration.email.casefold(): registration
        for registration in training.registrations.exclude(status=RegistrationStatus.CANCELLED)
    }
    merged: dict[tuple[str, str], ImportRow] = {}
    for number, values in table.rows:
        email = values.get(columns["email"], "").strip()
        name = values.get(columns.get("name", ""), "").strip() if "name" in columns else ""
        name = re.sub(r"\s*\(.*\)$", "", name).strip() or name  # Zoom's "Name (Original Name)"
        row = ImportRow(number=number, name=name, email=email)
        try:
            validate_email(email)
        except ValidationError:
            row.errors.append(
                (columns["email"], _("“%(value)s” is not an e-mail address.") % {"value": email})
            )
        if "minutes" in columns:
            try:
                row.minutes = parse_minutes(values.get(columns["minutes"], ""))
            except ValueError:
                row.errors.append(
                    (
                        columns["minutes"],
                        _("“%(value)s” is not a duration.") % {"value": values[columns["minutes"]]},
                    )
                )
        if days and "joined" in columns:
            raw = values.get(columns["joined"], "")
            try:
                day = parse_day(raw)
            except ValueError:
                row.errors.append(
                    (columns["joined"], _("“%(value)s” is not a date and time.") % {"value": raw})
                )
            else:
                if day not in days:
                    row.errors.append(
                        (
                            columns["joined"],
                            _("%(day)s is not a day of this training.") % {"day": day.isoformat()},
                        )
                    )
                row.column = day.isoformat()
        else:
            row.column = keys[0]
        if row.errors:
            row.action = "refuse"
            preview.rows.append(row)
            continue
        previous = merged.get((email.casefold(), row.column))
        if previous is not None:
            if row.minutes is not None:
                previous.minutes = (previous.minutes or 0) + row.minutes
            continue
        registration = registrations.get(email.casefold())
        if registration is not None:
            row.registration = registration
            row.name = registration.name
            if registration.status == RegistrationStatus.WAITLISTED:
                row.note = _("On the waitlist: importing moves them to registered.")
        elif email.casefold() in walk_ins:
            row.action = "create"
            row.note = _("Added as a walk-in registration.")
        else:
            row.action = "skip"
            row.note = _("No registration with this e-mail.")
        merged[(email.casefold(), row.column)] = row
        preview.rows.append(row)
    if not preview.rows:
        preview.file_errors.append(_("The file has no participant rows."))
    for row in preview.rows:
        if row.minutes is not None and row.minutes > MAX_MINUTES_A_DAY:
            row.action = "refuse"
            row.errors.append((columns.get("minutes", ""), _("More minutes than a day has.")))
    return preview


@transaction.atomic
def apply_participants(
    training: Training, preview: AttendancePreview, *, by: Any, filename: str = ""
) -> dict:
    """Write a preview with no refused row: attendance for matched rows and walk-ins (who get a
    registration), all of it or nothing. Presence already recorded is kept; minutes are replaced."""
    if not preview.can_apply:
        raise ValidationError(_("The file has refused rows; nothing is imported."))
    user = by if getattr(by, "is_authenticated", False) else None
    walk_ins: dict[str, Registration] = {}
    counts = {"update": 0, "create": 0, "skip": 0}
    for row in preview.rows:
        if row.action == "skip":
            counts["skip"] += 1
            continue
        registration = row.registration
        if row.action == "create":
            registration = walk_ins.get(row.email.casefold())
            if registration is None:
                registration = Registration.objects.create(
                    training=training,
                    name=row.name or row.email,
                    email=row.email,
                    language=training.language[:2],
                )
                walk_ins[row.email.casefold()] = registration
        elif registration.status == RegistrationStatus.WAITLISTED:
            registration.status = RegistrationStatus.REGISTERED
            registration.promoted_at = timezone.now()
            registration.save(update_fields=["status", "promoted_at"])
        if row.column == MATERIAL:
            mark = registration.attendance.first()
            if mark is None:
                Attendance.objects.create(
                    registration=registration, day=timezone.localdate(), minutes=row.minutes, recorded_by=user
                )
            else:
                mark.present, mark.minutes = True, row.minutes if row.minutes is not None else mark.minutes
                mark.save(update_fields=["present", "minutes"])
        else:
            Attendance.objects.update_or_create(
                registration=registration,
                day=date.fromisoformat(row.column),
                defaults={"present": True, "minutes": row.minutes, "recorded_by": user},
            )
        counts[row.action] += 1
    audit.record(
        by,
        "change",
        training,
        {"attendance_import": [None, counts]},
        note=f"participants file {filename}"[:300],
    )
    return counts


# --- Completion -------------------------------------------------------------------------------


@dataclass
class CompletionRule:
    """All days present (`min_minutes` None), or at least `min_minutes` minutes in all."""

    min_minutes: int | None = None

    def describe(self) -> str:
        if self.min_minutes is None:
            return _("present on every day of the training")
        return _("at least %(minutes)s minutes in all") % {"minutes": self.min_minutes}

    def is_met(self, row: SheetRow) -> bool:
        if self.min_minutes is None:
            return bool(row.cells) and row.present_count == len(row.cells)
        return row.minutes >= self.min_minutes


def default_rule(training: Training) -> CompletionRule:
    """The training's rule: its minimum of minutes when it has one, else every day."""
    return CompletionRule(min_minutes=training.completion_minutes)


@transaction.atomic
def mark_complete(training: Training, rule: CompletionRule, *, by: Any) -> dict[str, int]:
    """Apply `rule` to everyone on the sheet: those who meet it are completed (keeping an earlier
    completion date) and get a certificate; nobody is un-completed here (that is the manual
    override's job). One audit event."""
    now = timezone.now()
    completed = issued = 0
    for row in sheet(training):
        if not rule.is_met(row):
            continue
        registration = row.registration
        if registration.completed_at is None:
            registration.completed_at = now
            registration.save(update_fields=["completed_at"])
            completed += 1
        if _issue(registration, by) is not None:
            issued += 1
    audit.record(
        by,
        "change",
        training,
        {"completed": [None, completed], "certificates": [None, issued]},
        note=f"completion rule: {rule.describe()}"[:300],
    )
    return {"completed": completed, "certificates": issued}


@transaction.atomic
def set_completion(registration: Registration, is_complete: bool, *, by: Any) -> Registration:
    """The manual override: complete (with a certificate) or not complete (the certificate, if
    any, is withdrawn, so its verification link stops working)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    before = registration.completed_at
    if is_complete:
        registration.completed_at = registration.completed_at or timezone.now()
        registration.save(update_fields=["completed_at"])
        _issue(registration, by)
    else:
        registration.completed_at = None
        registration.save(update_fields=["completed_at"])
        Certificate.objects.filter(registration=registration).delete()
    after = registration.completed_at
    changes = {"completed_at": [before and before.isoformat(), after and after.isoformat()]}
    audit.record(by, "change", registration, changes, note="completion override")
    return registration


def _next_number(year: int) -> str:
    prefix = f"HW-{year}-"
    used = Certificate.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max(
        (int(number[len(prefix) :]) for number in used if number[len(prefix) :].isdigit()), default=0
    )
    return f"{prefix}{highest + 1:04d}"


def _issue(registration: Registration, by: Any) -> Certificate | None:
    """A certificate for a completed registration (None if it has one already). The number is the
    year's highest plus one; two issuers racing for one number meet the unique constraint, and
    the loser takes the next one (inside a savepoint, so the outer transaction survives)."""
    if Certificate.objects.filter(registration=registration).exists():
        return None
    year = timezone.localdate().year
    user = by if getattr(by, "is_authenticated", False) else None
    for _attempt in range(20):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    registration=registration, number=_next_number(year), issued_by=user
                )
        except IntegrityError:
            if Certificate.objects.filter(registration=registration).exists():
                return None
    raise IntegrityError("could not allocate a certificate number")


@transaction.atomic
def issue_certificate(registration: Registration, *, by: Any) -> Certificate:
    """The certificate of a completed registration (issued now if it has none)."""
    if registration.completed_at is None:
        raise ValidationError(_("%(name)s has not completed the training.") % {"name": registration.name})
    certificate = _issue(registration, by)
    if certificate is not None:
        audit.record(by, "create", certificate, audit.diff({}, audit.snapshot(certificate)))
        return certificate
    return registration.certificate


def hours_for(registration: Registration) -> float | None:
    """Hours for the certificate: recorded minutes if any, else the scheduled time of the days
    attended (the training's daily start to end), else None."""
    marks = [mark for mark in registration.attendance.all() if mark.present]
    minutes = sum(mark.minutes or 0 for mark in marks)
    if minutes:
        return round(minutes / 60, 1)
    training = registration.training
    if training.starts_at and training.ends_at:
        span = training.ends_at - training.starts_at
        if span <= timedelta(hours=24):
            return round(span.total_seconds() / 3600, 1)
        start, end = timezone.localtime(training.starts_at), timezone.localtime(training.ends_at)
        daily = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        if daily > 0 and marks:
            return round(daily * len(marks) / 60, 1)
    return None


# --- Attached instruments ---------------------------------------------------------------------

SLOTS = ("pre", "post", "feedback")
DEFAULT_INSTRUMENTS = {
    "pre": "precarious-work-knowledge",
    "post": "precarious-work-knowledge",
    "feedback": "kirkpatrick-reaction",
}
SLOT_TIME_POINTS = {"pre": TimePoint.PRE, "post": TimePoint.POST, "feedback": TimePoint.ONCE}


def slot_label(slot: str) -> str:
    return {"pre": _("Pre survey"), "post": _("Post survey"), "feedback": _("Feedback form")}[slot]


@transaction.atomic
def attach_administration(
    training: Training, slot: str, administration: Administration | None, *, by: Any
) -> None:
    """Attach (or with None, detach) an administration as the training's pre, post or feedback;
    a post gets the attached pre as its matching administration when the instruments agree."""
    field_name = f"{slot}_administration"
    before = getattr(training, field_name)
    setattr(training, field_name, administration)
    training.save(update_fields=[field_name, "updated_at"])
    _link_pre_post(training)
    audit.record(
        by, "change", training, {field_name: [str(before or "") or None, str(administration or "") or None]}
    )


def _link_pre_post(training: Training) -> None:
    pre, post = training.pre_administration, training.post_administration
    if pre and post and post.pre_id != pre.pk and post.instrument_id == pre.instrument_id:
        post.pre = pre
        post.save(update_fields=["pre"])


@transaction.atomic
def create_administration(
    training: Training, slot: str, instrument: Instrument, *, by: Any
) -> Administration:
    """An administration of `instrument` for the training (context "training", its title, the
    slot's time point), attached in the slot; a post matches the training's pre."""
    title = f"{training.title} – {slot_label(slot)}"
    administration = Administration(
        instrument=instrument,
        title=title[:250],
        context_kind=ContextKind.TRAINING,
        context_label=training.title[:250],
        time_point=SLOT_TIME_POINTS[slot],
        opens_at=min(timezone.now(), training.starts_at or timezone.now()),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if (
        slot == "post"
        and training.pre_administration
        and training.pre_administration.instrument_id == instrument.pk
    ):
        administration.pre = training.pre_administration
    administration.full_clean()
    administration.save()
    audit.record(by, "create", administration, audit.diff({}, audit.snapshot(administration)))
    field_name = f"{slot}_administration"
    setattr(training, field_name, administration)
    training.save(update_fields=[field_name, "updated_at"])
    _link_pre_post(training)
    audit.record(by, "change", training, {field_name: [None, str(administration)]})
    return administration


def attached(training: Training) -> list[tuple[str, Administration | None]]:
    return [(slot, getattr(training, f"{slot}_administration")) for slot in SLOTS]


@transaction.atomic
def invite_registered(training: Training, *, by: Any) -> int:
    """A personal invitation on every attached administration for every registered person who
    has none yet there (matched by e-mail). Returns how many were created."""
    created = 0
    people = list(attendees(training))
    for _slot, administration in attached(training):
        if administration is None:
            continue
        invited = {email.casefold() for email in administration.invitations.values_list("email", flat=True)}
        invited_people = set(
            administration.invitations.exclude(person=None).values_list("person_id", flat=True)
        )
        for registration in people:
            if registration.email.casefold() in invited or (
                registration.person_id and registration.person_id in invited_people
            ):
                continue
            Invitation.objects.create(
                administration=administration,
                person=registration.person,
                name=registration.name,
                email=registration.email,
                organization=registration.organization,
                language=registration.language[:2] or "en",
            )
            invited.add(registration.email.casefold())
            created += 1
    if created:
        audit.record(
            by, "change", training, {"invitations": [None, created]}, note="invited the registered people"
        )
    return created


def response_counts(administrations: list[Administration]) -> dict[int, dict[str, int]]:
    """{administration pk: {invited, complete, in_progress}} in two queries."""
    ids = [administration.pk for administration in administrations if administration]
    counts = {pk: {"invited": 0, "complete": 0, "in_progress": 0} for pk in ids}
    for row in (
        Administration.objects.filter(pk__in=ids)
        .annotate(
            invited=Count("invitations", distinct=True),
            complete=Count("responses", filter=Q(responses__status=ResponseStatus.COMPLETE), distinct=True),
            in_progress=Count(
                "responses", filter=Q(responses__status=ResponseStatus.IN_PROGRESS), distinct=True
            ),
        )
        .values("pk", "invited", "complete", "in_progress")
    ):
        counts[row["pk"]] = {key: row[key] for key in ("invited", "complete", "in_progress")}
    return counts
