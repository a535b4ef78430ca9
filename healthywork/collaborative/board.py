"""The cohort board: every visible team's progress across the sessions, in a fixed number of queries.

Rows are teams, columns sessions. A cell holds the team's deliverables of that session counted by
status (and how many are overdue) and its attendance (present of the team's people, walk-ins
included). Beside each row, the state of the team's three tools. The collaborative app sits below
planning and does not import it: the tools are counted through the reverse one-to-one relations
from Team (`powermap`, `theoryofchange`, `actionplan`), one aggregate query per tool, so a team's
actors are never multiplied by its outcomes or steps in one join.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from healthywork.collaborative.models import Cohort, Deliverable, DeliverableStatus, Session, Team
from healthywork.collaborative.sessions import attendance_counts, overdue_q

STATUS_ORDER = list(DeliverableStatus.values)
LINKS = {
    "team": "collaborative:team-detail",
    "powermap": "planning:powermap",
    "toc": "planning:toc",
    "plan": "planning:plan",
}


STATUS_ICONS = {"not_started": "○", "in_progress": "◐", "submitted": "●", "accepted": "✓"}


@dataclass
class Cell:
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    present: int = 0
    people: int = 0

    @property
    def deliverables(self) -> int:
        return sum(self.by_status.values())

    @property
    def done(self) -> int:
        return self.by_status.get(DeliverableStatus.SUBMITTED, 0) + self.by_status.get(
            DeliverableStatus.ACCEPTED, 0
        )

    # The words of a cell are filled in by `_add_words` rather than written by the template: 300
    # cells of translated, localized template tags cost more than all the board's queries.
    statuses: list[tuple[str, str]] = field(default_factory=list)  # (icon, "Label: count")
    handed_in_text: str = ""
    overdue_text: str = ""
    present_text: str = ""


@dataclass
class Tools:
    has_power_map: bool = False
    actors: int = 0
    has_theory: bool = False
    outcomes: int = 0
    has_plan: bool = False
    steps: int = 0
    steps_done: int = 0

    @property
    def done_share(self) -> int | None:
        """Percent of the plan's steps that are done (None without steps)."""
        return round(100 * self.steps_done / self.steps) if self.steps else None


@dataclass
class Row:
    team: Team
    cells: list[Cell]
    tools: Tools
    links: dict[str, str | None] = field(default_factory=dict)  # team, powermap, toc, plan

    @property
    def overdue(self) -> int:
        return sum(cell.overdue for cell in self.cells)


@dataclass
class Board:
    cohort: Cohort
    sessions: list[Session]
    rows: list[Row]
    team_total: int

    @property
    def session_totals(self) -> list[Cell]:
        """Per session, the sum over the visible teams."""
        totals = []
        for index in range(len(self.sessions)):
            total = Cell()
            for row in self.rows:
                cell = row.cells[index]
                for status, count in cell.by_status.items():
                    total.by_status[status] = total.by_status.get(status, 0) + count
                total.overdue += cell.overdue
                total.present += cell.present
                total.people += cell.people
            totals.append(total)
        _add_words(totals)
        return totals


def _add_words(cells: list[Cell]) -> None:
    """Each cell's status lines and sentences, translating each sentence once for the whole board."""
    labels = {value: str(label) for value, label in DeliverableStatus.choices}
    handed_in, present = _("%(done)s of %(total)s handed in"), _("Present: %(present)s of %(people)s")
    for cell in cells:
        cell.statuses = [
            (STATUS_ICONS[value], f"{labels[value]}: {cell.by_status[value]}")
            for value in STATUS_ORDER
            if cell.by_status.get(value)
        ]
        cell.handed_in_text = handed_in % {"done": cell.done, "total": cell.deliverables}
        cell.present_text = present % {"present": cell.present, "people": cell.people}
        if cell.overdue:
            cell.overdue_text = ngettext("%(count)s overdue", "%(count)s overdue", cell.overdue) % {
                "count": cell.overdue
            }


def _team_url(name: str):
    """A function of a team's public id giving the URL named `name` (None when the URL does not
    exist yet): one reverse() for the board instead of one per team."""
    sentinel = "00000000-0000-0000-0000-000000000000"
    try:
        pattern = reverse(name, args=[sentinel])
    except NoReverseMatch:
        return lambda public_id: None
    return lambda public_id: pattern.replace(sentinel, str(public_id))


def _tool_counts(team_ids: list[int]) -> dict[int, Tools]:
    """Three aggregate queries, one per tool (planning's tables, reached by name)."""
    tools = {team_id: Tools() for team_id in team_ids}
    teams = Team.objects.filter(pk__in=team_ids).order_by()
    for row in teams.values("pk").annotate(
        maps=Count("powermap", distinct=True), actors=Count("powermap__actors")
    ):
        tools[row["pk"]].has_power_map, tools[row["pk"]].actors = bool(row["maps"]), row["actors"]
    for row in teams.values("pk").annotate(
        theories=Count("theoryofchange", distinct=True), outcomes=Count("theoryofchange__outcomes")
    ):
        tools[row["pk"]].has_theory, tools[row["pk"]].outcomes = bool(row["theories"]), row["outcomes"]
    steps = "actionplan__objectives__steps"
    for row in teams.values("pk").annotate(
        plans=Count("actionplan", distinct=True),
        steps=Count(steps, distinct=True),
        done=Count(steps, filter=Q(**{f"{steps}__status": "done"}), distinct=True),
    ):
        found = tools[row["pk"]]
        found.has_plan, found.steps, found.steps_done = bool(row["plans"]), row["steps"], row["done"]
    return tools


def board_for(cohort: Cohort, user: Any) -> Board:
    """The board of `cohort` as `user` may see it: only the teams `Team.objects.visible_to(user)`
    lets them read. About eight queries, whatever the number of teams and sessions."""
    visible = Team.objects.visible_to(user).values("pk")
    teams = list(Team.objects.filter(cohort=cohort, pk__in=visible).order_by("name"))
    session_list = list(cohort.sessions.order_by("number"))
    team_ids = [team.pk for team in teams]
    session_ids = [session.pk for session in session_list]
    cells = {(team_id, session_id): Cell() for team_id in team_ids for session_id in session_ids}

    today = timezone.localdate()
    by_status = {value: Count("id", filter=Q(status=value)) for value in STATUS_ORDER}
    status_rows = (
        Deliverable.objects.filter(session__in=session_ids, team__in=team_ids)
        .values_list("team", "session")
        .annotate(**by_status, overdue=Count("id", filter=overdue_q(today)))
        .order_by()
    )
    for team_id, session_id, *counts, overdue in status_rows:
        cell = cells[(team_id, session_id)]
        cell.by_status = {value: count for value, count in zip(STATUS_ORDER, counts, strict=True) if count}
        cell.overdue = overdue
    for key, (present, people) in attendance_counts(session_ids, team_ids).items():
        cells[key].present, cells[key].people = present, people

    _add_words(list(cells.values()))
    tools = _tool_counts(team_ids)
    makers = {key: _team_url(name) for key, name in LINKS.items()}
    rows = [
        Row(
            team,
            [cells[(team.pk, session_id)] for session_id in session_ids],
            tools[team.pk],
            {key: make(team.public_id) for key, make in makers.items()},
        )
        for team in teams
    ]
    return Board(cohort, session_list, rows, team_total=cohort.teams.count())


def board_rows(board: Board) -> tuple[list[str], list[list[Any]]]:
    """The board as a table for CSV or XLSX: one line per team and session."""
    headers = [
        _("Team"),
        _("Session"),
        _("Deliverables"),
        *[str(label) for label in DeliverableStatus.labels],
        _("Overdue"),
        _("Present"),
        _("People"),
        _("Power map actors"),
        _("Theory of change outcomes"),
        _("Action plan steps"),
        _("Steps done (%)"),
    ]
    lines = []
    for row in board.rows:
        for session, cell in zip(board.sessions, row.cells, strict=True):
            lines.append(
                [
                    row.team.name,
                    session.number,
                    cell.deliverables,
                    *[cell.by_status.get(value, 0) for value in STATUS_ORDER],
                    cell.overdue,
                    cell.present,
                    cell.people,
                    row.tools.actors if row.tools.has_power_map else "",
                    row.tools.outcomes if row.tools.has_theory else "",
                    row.tools.steps if row.tools.has_plan else "",
                    "" if row.tools.done_share is None else row.tools.done_share,
                ]
            )
    return headers, lines
