"""Sessions of a cohort: writes (one transaction, one audit event each) and what the session pages
show: materials, attendance (the facilitator's sheet, the tablet sign-in, walk-ins), deliverables
per team, and the iCalendar file of a cohort's sessions."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from healthywork.collaborative.models import (
    Attendance,
    Cohort,
    Deliverable,
    DeliverableStatus,
    Material,
    Session,
    Team,
    TeamPerson,
)
from healthywork.core import audit, icalendar
from healthywork.partners.models import Person

SESSION_FIELDS = ["number", "title", "starts_at", "ends_at", "place", "link", "objectives", "agenda"]
DONE_STATUSES = (DeliverableStatus.SUBMITTED, DeliverableStatus.ACCEPTED)


# --- Sessions ---------------------------------------------------------------------------------


def next_number(cohort: Cohort) -> int:
    last = cohort.sessions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def date_warnings(cohort: Cohort, starts_at: datetime | None, ends_at: datetime | None = None) -> list[str]:
    """Warnings (not errors) when a session falls outside the cohort's dates."""
    warnings = []
    for moment in (starts_at, ends_at):
        if moment is None:
            continue
        day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
        if not cohort.start_date <= day <= cohort.end_date:
            warnings.append(
                _("The session's date %(day)s is outside the cohort's dates (%(start)s to %(end)s).")
                % {"day": day.isoformat(), "start": cohort.start_date, "end": cohort.end_date}
            )
            break
    return warnings


def _assign(session: Session, data: dict[str, Any]) -> None:
    for name in SESSION_FIELDS:
        if name in data:
            setattr(session, name, data[name])


@transaction.atomic
def create_session(cohort: Cohort, data: dict[str, Any], *, by: Any) -> Session:
    """A session of the cohort (facilitators as a list of users)."""
    session = Session(cohort=cohort)
    _assign(session, data)
    session.full_clean()
    session.save()
    if data.get("facilitators") is not None:
        session.facilitators.set(data["facilitators"])
    audit.record(by, "create", session, audit.diff({}, audit.snapshot(session)))
    return session


@transaction.atomic
def update_session(session: Session, data: dict[str, Any], *, by: Any) -> Session:
    before = audit.snapshot(Session.objects.get(pk=session.pk))
    _assign(session, data)
    session.full_clean()
    session.save()
    if data.get("facilitators") is not None:
        session.facilitators.set(data["facilitators"])
    changes = audit.diff(before, audit.snapshot(session))
    if changes:
        audit.record(by, "change", session, changes)
    return session


@transaction.atomic
def delete_session(session: Session, *, by: Any) -> None:
    """Delete the session with its materials, attendance and deliverables (and the stored files)."""
    files = [material.file for material in session.materials.exclude(file="")]
    audit.record(by, "delete", session, audit.snapshot(session))
    session.delete()
    for stored in files:
        transaction.on_commit(lambda stored=stored: stored.storage.delete(stored.name))


# --- Materials --------------------------------------------------------------------------------


@transaction.atomic
def add_material(session: Session, *, title: str, upload: Any = None, url: str = "", by: Any) -> Material:
    """A file (already checked for size by the form) or a link for the session."""
    material = Material(session=session, title=title, url=url)
    if upload is not None:
        material.file.save(upload.name, upload, save=False)
    material.save()
    audit.record(by, "change", session, {"materials": [None, material.title]})
    return material


@transaction.atomic
def remove_material(material: Material, *, by: Any) -> None:
    stored = material.file if material.file else None
    audit.record(by, "change", material.session, {"materials": [material.title, None]})
    material.delete()
    if stored is not None:
        name, storage = stored.name, stored.storage
        transaction.on_commit(lambda: storage.delete(name))


# --- Attendance -------------------------------------------------------------------------------


@dataclass
class RosterEntry:
    person: Person
    team: Team | None
    is_present: bool = False
    signed_in_at: datetime | None = None
    is_walk_in: bool = False


@dataclass
class RosterGroup:
    team: Team | None
    entries: list[RosterEntry] = field(default_factory=list)

    @property
    def present(self) -> int:
        return sum(entry.is_present for entry in self.entries)


def roster(session: Session) -> list[RosterGroup]:
    """Every registry person on the cohort's teams, grouped by team (by name), each with their
    attendance at `session`; walk-ins (attendance of someone not on a team list) join their team's
    group, or a group without a team. Three queries, whatever the size."""
    people = (
        TeamPerson.objects.filter(team__cohort=session.cohort_id, person__isnull=False)
        .select_related("person", "team")
        .order_by("team__name", "person__name")
    )
    marks = {
        mark.person_id: mark
        for mark in session.attendance.select_related("person", "team").order_by("person__name")
    }
    groups: dict[int | None, RosterGroup] = {}
    seen: set[int] = set()
    for entry in people:
        if entry.person_id in seen:
            continue  # someone on two teams signs in once
        seen.add(entry.person_id)
        mark = marks.get(entry.person_id)
        group = groups.setdefault(entry.team_id, RosterGroup(entry.team))
        group.entries.append(
            RosterEntry(
                entry.person,
                entry.team,
                is_present=bool(mark and mark.is_present),
                signed_in_at=mark.signed_in_at if mark else None,
            )
        )
    for person_id, mark in marks.items():
        if person_id in seen:
            continue
        group = groups.setdefault(mark.team_id, RosterGroup(mark.team))
        group.entries.append(
            RosterEntry(mark.person, mark.team, mark.is_present, mark.signed_in_at, is_walk_in=True)
        )
    ordered = sorted(groups.values(), key=lambda group: (group.team is None, group.team and group.team.name))
    for group in ordered:
        group.entries.sort(key=lambda entry: entry.person.name.casefold())
    return ordered


def _team_of(session: Session, person: Person) -> Team | None:
    entry = TeamPerson.objects.filter(team__cohort=session.cohort_id, person=person).select_related("team")
    found = entry.order_by("team__name").first()
    return found.team if found else None


@transaction.atomic
def save_sheet(session: Session, present_ids: set[int], *, by: Any) -> list[str]:
    """Save the facilitator's sheet: everyone on the roster in `present_ids` is present, the others
    are not. Returns the names whose mark changed."""
    changed: list[str] = []
    for group in roster(session):
        for entry in group.entries:
            is_present = entry.person.pk in present_ids
            if is_present == entry.is_present:
                continue
            Attendance.objects.update_or_create(
                session=session,
                person=entry.person,
                defaults={"is_present": is_present, "team": entry.team, "recorded_by": by},
            )
            changed.append(f"{entry.person.name}: {'present' if is_present else 'absent'}")
    if changed:
        audit.record(by, "change", session, {"attendance": [None, changed]}, note="attendance sheet")
    return changed


@transaction.atomic
def sign_in(session: Session, person: Person, *, by: Any) -> Attendance:
    """The tablet: one tap marks the person present, with the time they signed in."""
    mark, _created = Attendance.objects.select_for_update().get_or_create(
        session=session, person=person, defaults={"team": _team_of(session, person)}
    )
    if not (mark.is_present and mark.signed_in_at):
        mark.is_present = True
        mark.signed_in_at = mark.signed_in_at or timezone.now()
        mark.recorded_by = by
        mark.save()
        audit.record(
            by, "change", session, {"attendance": [None, f"{person.name}: signed in"]}, note="sign-in"
        )
    return mark


@transaction.atomic
def add_walk_in(
    session: Session,
    *,
    team: Team | None,
    person: Person | None = None,
    name: str = "",
    email: str = "",
    by: Any,
) -> tuple[Attendance, bool]:
    """Someone not on a team's list came: an existing registry person, or a new one (found by
    email first, so the registry does not grow a duplicate). Returns (attendance, person is new)."""
    is_new = False
    if person is None and email:
        person = Person.objects.filter(email__iexact=email).order_by("pk").first()
    if person is None:
        person = Person.objects.create(name=name, email=email)
        is_new = True
        audit.record(by, "create", person, audit.diff({}, audit.snapshot(person)), note="walk-in")
    mark, _created = Attendance.objects.update_or_create(
        session=session,
        person=person,
        defaults={"team": team, "is_present": True, "signed_in_at": timezone.now(), "recorded_by": by},
    )
    label = f"{person.name} ({team.name if team else _('no team')}): walk-in"
    audit.record(by, "change", session, {"attendance": [None, label]}, note="walk-in")
    return mark, is_new


def walk_in_candidates(session: Session) -> QuerySet[Person]:
    """People affiliated with the teams' organizations who are not on a team list of the cohort."""
    on_teams = TeamPerson.objects.filter(team__cohort=session.cohort_id, person__isnull=False)
    return (
        Person.objects.filter(affiliations__organization__team_memberships__team__cohort=session.cohort_id)
        .exclude(pk__in=on_teams.values("person"))
        .distinct()
        .order_by("name")
    )


def attendance_counts(session_ids: list[int], team_ids: list[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """{(team id, session id): (present, total)}: the total is the team's registry people plus the
    walk-ins counted for the team at that session. Two queries, whatever the numbers."""
    roster_sizes = dict(
        TeamPerson.objects.filter(team__in=team_ids, person__isnull=False)
        .values("team")
        .annotate(size=Count("id"))
        .values_list("team", "size")
    )
    on_roster = TeamPerson.objects.filter(team=OuterRef("team"), person=OuterRef("person"))
    rows = (
        Attendance.objects.filter(session__in=session_ids, team__in=team_ids)
        .annotate(on_roster=Exists(on_roster))
        .values("team", "session")
        .annotate(
            present=Count("id", filter=Q(is_present=True)),
            walk_ins=Count("id", filter=Q(on_roster=False)),
        )
        .order_by()
    )
    counts = {
        (team_id, session_id): (0, roster_sizes.get(team_id, 0))
        for team_id in team_ids
        for session_id in session_ids
    }
    for row in rows:
        key = (row["team"], row["session"])
        counts[key] = (row["present"], roster_sizes.get(row["team"], 0) + row["walk_ins"])
    return counts


# --- Deliverables -----------------------------------------------------------------------------


def is_overdue(deliverable: Deliverable, today: date | None = None) -> bool:
    """Past its due date and neither submitted nor accepted."""
    today = today or timezone.localdate()
    return bool(
        deliverable.due_date and deliverable.due_date < today and deliverable.status not in DONE_STATUSES
    )


def overdue_q(today: date | None = None) -> Q:
    """The same rule as `is_overdue`, for a query."""
    return Q(due_date__lt=today or timezone.localdate()) & ~Q(status__in=DONE_STATUSES)


@transaction.atomic
def add_deliverable_for_every_team(session: Session, data: dict[str, Any], *, by: Any) -> list[Deliverable]:
    """The same deliverable (title, due date, status, note) for every team of the session's cohort."""
    created = []
    for team in session.cohort.teams.order_by("name"):
        deliverable = Deliverable(
            team=team,
            session=session,
            title=data["title"],
            due_date=data.get("due_date"),
            status=data.get("status") or DeliverableStatus.NOT_STARTED,
            note=data.get("note", ""),
        )
        deliverable.full_clean()
        deliverable.save()
        created.append(deliverable)
    if created:
        label = _("%(title)s, for %(count)s teams") % {"title": data["title"], "count": len(created)}
        audit.record(by, "change", session, {"deliverables": [None, label]})
    return created


@transaction.atomic
def update_deliverable(deliverable: Deliverable, data: dict[str, Any], *, by: Any) -> Deliverable:
    """Change what `data` holds (a team editor's form holds only status and note)."""
    before = audit.snapshot(Deliverable.objects.get(pk=deliverable.pk))
    for name in ("title", "due_date", "status", "note"):
        if name in data:
            setattr(deliverable, name, data[name])
    deliverable.full_clean()
    deliverable.save()
    changes = audit.diff(before, audit.snapshot(deliverable))
    if changes:
        audit.record(by, "change", deliverable, changes)
    return deliverable


@transaction.atomic
def delete_deliverable(deliverable: Deliverable, *, by: Any) -> None:
    audit.record(by, "delete", deliverable, audit.snapshot(deliverable))
    deliverable.delete()


def deliverables_by_team(session: Session, teams: QuerySet[Team]) -> list[tuple[Team, list[Deliverable]]]:
    """The session's deliverables of the given (visible) teams, each flagged `overdue`."""
    today = timezone.localdate()
    grouped: dict[int, list[Deliverable]] = defaultdict(list)
    listed = (
        session.deliverables.filter(team__in=teams).select_related("team").order_by("team__name", "title")
    )
    names: dict[int, Team] = {}
    for deliverable in listed:
        deliverable.overdue = is_overdue(deliverable, today)
        grouped[deliverable.team_id].append(deliverable)
        names[deliverable.team_id] = deliverable.team
    return [(names[team_id], items) for team_id, items in grouped.items()]


# --- iCalendar --------------------------------------------------------------------------------


def sessions_ics(cohort: Cohort, absolute_url: Any) -> str:
    """The cohort's sessions as an iCalendar file; `absolute_url(path)` makes a full address."""
    events = []
    for session in cohort.sessions.order_by("number"):
        description = "\n\n".join(part for part in (session.objectives, session.agenda, session.link) if part)
        events.append(
            icalendar.Event(
                uid=f"{session.public_id}@healthywork",
                summary=f"{cohort.name}: {session}",
                start=session.starts_at,
                end=session.ends_at,
                location=session.place or session.link,
                description=description,
                url=absolute_url(session.get_absolute_url()),
            )
        )
    return icalendar.calendar(
        events, name=cohort.name, product="-//healthywork//collaborative//EN", method=""
    )
