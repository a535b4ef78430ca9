"""The theory of change: its data as plain lists, graph checks, the validation report, the
layered diagram (server-side SVG), the exports (XLSX, DOCX) and the writes (one transaction, one
audit event and one version bump each).

The graph: an outcome link runs from a precondition to the outcome it leads to, so arrows point
up towards the long-term goal. Every algorithm here is O(V + E) on plain ids, so a theory of 300
outcomes is loaded in a fixed number of queries and checked in a few milliseconds.
"""

import io
import textwrap
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.core import audit
from healthywork.core.tabular import neutralise
from healthywork.planning.concurrency import check_version
from healthywork.planning.models import (
    Assumption,
    Indicator,
    Intervention,
    Outcome,
    OutcomeLink,
    TheoryOfChange,
)

ERROR = "error"
WARNING = "warning"
ARROW = " → "

# --- Plain data -------------------------------------------------------------------------------


@dataclass
class OutcomeItem:
    id: int
    public_id: str
    title: str
    description: str = ""
    is_goal: bool = False
    is_below_ceiling: bool = True


@dataclass
class LinkItem:
    id: int
    public_id: str
    precondition_id: int
    outcome_id: int
    rationale: str = ""


@dataclass
class InterventionItem:
    id: int
    public_id: str
    title: str
    description: str = ""
    outcome_id: int | None = None
    link_id: int | None = None
    organization_id: int | None = None
    organization_name: str = ""


@dataclass
class AssumptionItem:
    id: int
    text: str
    outcome_id: int | None = None
    link_id: int | None = None


@dataclass
class IndicatorItem:
    id: int
    public_id: str
    outcome_id: int
    what: str
    population: str = ""
    target: str = ""
    threshold: str = ""
    by_when: date | None = None
    data_source: str = ""


@dataclass
class TheoryData:
    """A theory of change as plain lists (what validation, layout and exports work on)."""

    title: str = ""
    narrative: str = ""
    outcomes: list[OutcomeItem] = field(default_factory=list)
    links: list[LinkItem] = field(default_factory=list)
    interventions: list[InterventionItem] = field(default_factory=list)
    assumptions: list[AssumptionItem] = field(default_factory=list)
    indicators: list[IndicatorItem] = field(default_factory=list)

    @cached_property
    def outcome_by_id(self) -> dict[int, OutcomeItem]:
        return {outcome.id: outcome for outcome in self.outcomes}

    @cached_property
    def outcome_by_public_id(self) -> dict[str, OutcomeItem]:
        return {outcome.public_id: outcome for outcome in self.outcomes}

    @cached_property
    def link_by_id(self) -> dict[int, LinkItem]:
        return {link.id: link for link in self.links}

    @cached_property
    def link_by_public_id(self) -> dict[str, LinkItem]:
        return {link.public_id: link for link in self.links}

    @property
    def goal(self) -> OutcomeItem | None:
        return next((outcome for outcome in self.outcomes if outcome.is_goal), None)

    @property
    def edges(self) -> list[tuple[int, int]]:
        return [(link.precondition_id, link.outcome_id) for link in self.links]

    def outcome_title(self, outcome_id: int | None) -> str:
        outcome = self.outcome_by_id.get(outcome_id) if outcome_id is not None else None
        return outcome.title if outcome else ""

    def link_title(self, link_id: int | None) -> str:
        link = self.link_by_id.get(link_id) if link_id is not None else None
        if link is None:
            return ""
        return self.outcome_title(link.precondition_id) + ARROW + self.outcome_title(link.outcome_id)

    def indicators_by_outcome(self) -> dict[int, list[IndicatorItem]]:
        grouped: dict[int, list[IndicatorItem]] = defaultdict(list)
        for indicator in self.indicators:
            grouped[indicator.outcome_id].append(indicator)
        return grouped

    def interventions_by_outcome(self) -> dict[int, list[InterventionItem]]:
        grouped: dict[int, list[InterventionItem]] = defaultdict(list)
        for intervention in self.interventions:
            if intervention.outcome_id is not None:
                grouped[intervention.outcome_id].append(intervention)
        return grouped


def load_theory_data(theory: TheoryOfChange) -> TheoryData:
    """The theory's parts in five queries, whatever its size."""
    outcomes = [
        OutcomeItem(row["id"], str(row["public_id"]), row["title"], row["description"], row["is_goal"],
                    row["is_below_ceiling"])
        for row in theory.outcomes.order_by("-is_goal", "id").values(
            "id", "public_id", "title", "description", "is_goal", "is_below_ceiling"
        )
    ]  # fmt: skip
    links = [
        LinkItem(
            row["id"], str(row["public_id"]), row["precondition_id"], row["outcome_id"], row["rationale"]
        )
        for row in theory.links.order_by("id").values(
            "id", "public_id", "precondition_id", "outcome_id", "rationale"
        )
    ]
    interventions = [
        InterventionItem(
            row["id"], str(row["public_id"]), row["title"], row["description"], row["outcome_id"],
            row["link_id"], row["responsible_organization_id"], row["responsible_organization__name"] or "",
        )
        for row in theory.interventions.order_by("id").values(
            "id", "public_id", "title", "description", "outcome_id", "link_id",
            "responsible_organization_id", "responsible_organization__name",
        )
    ]  # fmt: skip
    assumptions = [
        AssumptionItem(row["id"], row["text"], row["outcome_id"], row["link_id"])
        for row in theory.assumptions.order_by("id").values("id", "text", "outcome_id", "link_id")
    ]
    indicators = [
        IndicatorItem(
            row["id"], str(row["public_id"]), row["outcome_id"], row["what"], row["population"],
            row["target"], row["threshold"], row["by_when"], row["data_source"],
        )
        for row in Indicator.objects.filter(outcome__theory=theory).order_by("outcome_id", "id").values(
            "id", "public_id", "outcome_id", "what", "population", "target", "threshold", "by_when",
            "data_source",
        )
    ]  # fmt: skip
    return TheoryData(
        title=str(theory.team),
        narrative=theory.narrative,
        outcomes=outcomes,
        links=links,
        interventions=interventions,
        assumptions=assumptions,
        indicators=indicators,
    )


# --- Graph algorithms (pure, O(V + E)) --------------------------------------------------------


def _successors(edges: Iterable[tuple[Hashable, Hashable]]) -> dict[Hashable, list[Hashable]]:
    following: dict[Hashable, list[Hashable]] = defaultdict(list)
    for source, target in edges:
        following[source].append(target)
    return following


def _path(parents: dict[Hashable, Hashable], start: Hashable, end: Hashable) -> list[Hashable]:
    path = [end]
    while path[-1] != start:
        path.append(parents[path[-1]])
    return path[::-1]


def find_cycle(
    edges: Iterable[tuple[Hashable, Hashable]], new_edge: tuple[Hashable, Hashable]
) -> list[Hashable] | None:
    """The cycle that adding `new_edge` (source, target) would close, as the list of its nodes
    from the source back to the source ([a, b, c, a]); None when the graph stays acyclic.

    A cycle closes exactly when the target already leads to the source: a breadth-first search
    from the target finds the shortest such path."""
    source, target = new_edge
    if source == target:
        return [source, source]
    following = _successors(edges)
    parents: dict[Hashable, Hashable] = {}
    seen = {target}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        if node == source:
            return [source, *_path(parents, target, source)]
        for nxt in following.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                parents[nxt] = node
                queue.append(nxt)
    return None


def find_cycles(
    nodes: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]]
) -> list[list[Hashable]]:
    """One cycle (as [a, b, ..., a]) for each strongly connected component that holds one
    (Tarjan's algorithm, iterative; then a search inside the component for a way back)."""
    edges = list(edges)
    following = _successors(edges)
    index: dict[Hashable, int] = {}
    lowlink: dict[Hashable, int] = {}
    on_stack: set[Hashable] = set()
    stack: list[Hashable] = []
    components: list[list[Hashable]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(following.get(root, ())))]
        index[root] = lowlink[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = lowlink[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(following.get(child, ()))))
                    break
                if child in on_stack:
                    lowlink[node] = min(lowlink[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    lowlink[parent] = min(lowlink[parent], lowlink[node])
                if lowlink[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in following.get(node, ()):
                        components.append(component)
    cycles = []
    for component in components:
        members = set(component)
        start = min(component, key=lambda member: index[member])
        inside = [(a, b) for a in component for b in following.get(a, ()) if b in members]
        # A way back from one of start's successors inside the component closes the cycle.
        for nxt in following.get(start, ()):
            if nxt in members:
                cycle = find_cycle([edge for edge in inside if edge != (start, nxt)], (start, nxt))
                if cycle:
                    cycles.append(cycle)
                    break
    return cycles


def reaching(goal: Hashable, edges: Iterable[tuple[Hashable, Hashable]]) -> set[Hashable]:
    """Every node with a path to `goal` (the goal included)."""
    preceding: dict[Hashable, list[Hashable]] = defaultdict(list)
    for source, target in edges:
        preceding[target].append(source)
    seen = {goal}
    queue = deque([goal])
    while queue:
        for previous in preceding.get(queue.popleft(), ()):
            if previous not in seen:
                seen.add(previous)
                queue.append(previous)
    return seen


def goal_distances(
    nodes: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]], goal: Hashable
) -> dict[Hashable, int]:
    """Longest path (in links) from each node to the goal, for the nodes that reach it.

    Depth-first, memoised; an edge back onto the current path (a cycle) is left out, so the
    answer stays defined when validation has a cycle to report."""
    edges = list(edges)
    following = _successors(edges)
    reach = reaching(goal, edges)
    depth: dict[Hashable, int] = {}
    state: dict[Hashable, int] = {}  # 1 on the current path, 2 finished
    for root in nodes:
        if root in state or root not in reach:
            continue
        state[root] = 1
        work = [(root, iter(() if root == goal else following.get(root, ())))]
        while work:
            node, children = work[-1]
            for child in children:
                if child in reach and child not in state:
                    state[child] = 1
                    work.append((child, iter(() if child == goal else following.get(child, ()))))
                    break
            else:
                work.pop()
                state[node] = 2
                if node == goal:
                    depth[node] = 0
                else:
                    below = [depth[child] for child in following.get(node, ()) if child in depth]
                    depth[node] = 1 + max(below, default=0)
    return depth


# --- Validation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    severity: str  # ERROR or WARNING
    message: str
    kind: str = ""  # outcome, link, intervention, indicator: the item it names
    item_id: str = ""  # its public id, when it has one

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def _quoted(text: str) -> str:
    return "“" + text + "”"


def validate(data: TheoryData) -> list[Finding]:
    """The validation report: errors first (no goal, cycles, outcomes with no path to the goal),
    then warnings (outcomes below the ceiling without an indicator, links without a rationale,
    interventions without a responsible organization, indicators without a target or a date)."""
    errors: list[Finding] = []
    warnings: list[Finding] = []
    # Each message is translated once, not once per item: a large theory has hundreds of findings.
    no_path, no_indicator = (
        _("%(outcome)s has no path to the goal."),
        _("%(outcome)s is below the ceiling of accountability but has no indicator."),
    )
    no_rationale = _("The link %(link)s has no rationale.")
    no_owner = _("The intervention %(intervention)s has no responsible organization.")
    incomplete = _("The indicator %(indicator)s (on %(outcome)s) is missing: %(missing)s.")
    target_label, date_label = _("target"), _("by-when date")
    goal = data.goal
    ids = [outcome.id for outcome in data.outcomes]
    edges = data.edges
    if goal is None:
        errors.append(Finding(ERROR, _("The theory has no long-term goal.")))
    for cycle in find_cycles(ids, edges):
        names = ARROW.join(data.outcome_title(node) for node in cycle)
        first = data.outcome_by_id[cycle[0]]
        errors.append(
            Finding(ERROR, _("These outcomes form a cycle: %(cycle)s") % {"cycle": names}, "outcome",
                    first.public_id)
        )  # fmt: skip
    if goal is not None:
        reach = reaching(goal.id, edges)
        for outcome in data.outcomes:
            if outcome.id not in reach:
                errors.append(
                    Finding(ERROR, no_path % {"outcome": _quoted(outcome.title)},
                            "outcome", outcome.public_id)
                )  # fmt: skip
    measured = {indicator.outcome_id for indicator in data.indicators}
    for outcome in data.outcomes:
        if outcome.is_below_ceiling and not outcome.is_goal and outcome.id not in measured:
            message = no_indicator % {"outcome": _quoted(outcome.title)}
            warnings.append(Finding(WARNING, message, "outcome", outcome.public_id))
    for link in data.links:
        if not link.rationale.strip():
            warnings.append(
                Finding(WARNING, no_rationale % {"link": data.link_title(link.id)},
                        "link", link.public_id)
            )  # fmt: skip
    for intervention in data.interventions:
        if intervention.organization_id is None:
            warnings.append(
                Finding(WARNING, no_owner % {"intervention": _quoted(intervention.title)}, "intervention",
                        intervention.public_id)
            )  # fmt: skip
    for indicator in data.indicators:
        checks = ((target_label, indicator.target), (date_label, indicator.by_when))
        missing = [label for label, value in checks if not value]
        if missing:
            message = incomplete % {
                "indicator": _quoted(indicator.what),
                "outcome": _quoted(data.outcome_title(indicator.outcome_id)),
                "missing": ", ".join(missing),
            }
            warnings.append(Finding(WARNING, message, "indicator", indicator.public_id))
    return errors + warnings


# --- Layered layout and SVG -------------------------------------------------------------------

NODE_WIDTH = 190
NODE_HEIGHT = 66
SUB_HEIGHT = 22  # an intervention's box under its outcome
H_GAP = 34
V_GAP = 74
MARGIN = 24
LINE_CHARS = 26
UNLINKED_PER_ROW = 6


@dataclass
class Placed:
    outcome: OutcomeItem
    row: int
    x: float
    y: float
    height: float


@dataclass
class Layout:
    """Where each outcome sits. Rows run from the goal (row 0) down; `depth` is the longest path
    to the goal; the outcomes with no path to it sit in the last rows, apart."""

    rows: list[list[int]]
    placed: dict[int, Placed]
    depth: dict[int, int]
    width: float
    height: float
    ceiling_y: float | None = None
    unlinked_y: float | None = None
    unlinked_rows: int = 0


def layered_rows(data: TheoryData) -> tuple[list[list[int]], dict[int, int], int]:
    """(rows of outcome ids, depth of each linked outcome, number of trailing rows of unlinked
    outcomes). Outcomes above the ceiling of accountability (and the goal) keep their depth;
    those below it are pushed down, as a block, under the lowest of them, so one horizontal line
    separates the two; empty rows are then closed up."""
    goal = data.goal
    ids = [outcome.id for outcome in data.outcomes]
    depth = goal_distances(ids, data.edges, goal.id) if goal else {}
    above = [i for i in depth if data.outcome_by_id[i].is_goal or not data.outcome_by_id[i].is_below_ceiling]
    below = [i for i in depth if i not in set(above)]
    offset = 0
    if above and below:
        offset = max(0, max(depth[i] for i in above) + 1 - min(depth[i] for i in below))
    raw = {i: depth[i] for i in above} | {i: depth[i] + offset for i in below}
    order = {value: rank for rank, value in enumerate(sorted(set(raw.values())))}
    rows: list[list[int]] = [[] for _row in order]
    for outcome_id in ids:
        if outcome_id in raw:
            rows[order[raw[outcome_id]]].append(outcome_id)
    unlinked = [i for i in ids if i not in raw]
    chunks = [
        unlinked[start : start + UNLINKED_PER_ROW] for start in range(0, len(unlinked), UNLINKED_PER_ROW)
    ]
    return rows + chunks, depth, len(chunks)


def layout(data: TheoryData) -> Layout:
    """Rows from `layered_rows`, each ordered by the mean position of what its outcomes lead to
    (the barycentre heuristic, one sweep down), boxes centred in a canvas as wide as the widest row."""
    rows, depth, unlinked_rows = layered_rows(data)
    following = _successors(data.edges)
    interventions = data.interventions_by_outcome()
    widest = max((len(row) for row in rows), default=1)
    # Wide enough for the ceiling line's label, however few outcomes a row holds.
    width = max(2 * MARGIN + widest * NODE_WIDTH + (widest - 1) * H_GAP, 660)
    linked_count = len(rows) - unlinked_rows
    placed: dict[int, Placed] = {}
    y = MARGIN
    ceiling_y = unlinked_y = None
    was_below = False
    centre_of: dict[int, float] = {}
    for number, row in enumerate(rows):
        if number < linked_count:
            row.sort(key=lambda outcome_id: _barycentre(outcome_id, following, centre_of))
            is_below = any(
                data.outcome_by_id[i].is_below_ceiling and not data.outcome_by_id[i].is_goal for i in row
            )
            if is_below and not was_below and number > 0:
                ceiling_y = y - V_GAP / 2
            was_below = was_below or is_below
        elif unlinked_y is None:
            y += 18  # room for the label of the unlinked part
            unlinked_y = y - V_GAP / 2
        row_width = len(row) * NODE_WIDTH + (len(row) - 1) * H_GAP
        x = (width - row_width) / 2
        tallest = 0.0
        for outcome_id in row:
            height = NODE_HEIGHT + SUB_HEIGHT * len(interventions.get(outcome_id, ()))
            placed[outcome_id] = Placed(data.outcome_by_id[outcome_id], number, x, y, height)
            centre_of[outcome_id] = x + NODE_WIDTH / 2
            tallest = max(tallest, height)
            x += NODE_WIDTH + H_GAP
        y += tallest + V_GAP
    height = y - V_GAP + MARGIN if rows else 2 * MARGIN + NODE_HEIGHT
    return Layout(rows, placed, depth, width, height, ceiling_y, unlinked_y, unlinked_rows)


def _barycentre(outcome_id: int, following: dict, centre_of: dict[int, float]) -> tuple[float, int]:
    """The mean centre of what the outcome leads to (placed rows only); unplaced ones go last."""
    targets = [centre_of[t] for t in following.get(outcome_id, ()) if t in centre_of]
    return (sum(targets) / len(targets) if targets else float("inf"), outcome_id)


def _lines(text: str, width: int = LINE_CHARS, count: int = 3) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > count:
        lines = lines[:count]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def diagram_svg(
    data: TheoryData, shape: Layout | None = None, edit_urls: dict[str, str] | None = None
) -> str:
    """The diagram as a standalone SVG document (inline attributes only, so the export looks the
    same as the page). With `edit_urls` ({outcome public id: address}) each outcome is a link to
    its edit form, which is what a click on the page does without JavaScript."""
    shape = shape or layout(data)
    interventions = data.interventions_by_outcome()
    title = _("Theory of change: %(team)s") % {"team": data.title}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="toc-diagram" width="{shape.width:.0f}" '
        f'height="{shape.height:.0f}" viewBox="0 0 {shape.width:.0f} {shape.height:.0f}" '
        f'font-family="system-ui, sans-serif" font-size="13" aria-labelledby="toc-svg-title" role="group">',
        f'<title id="toc-svg-title">{escape(title)}</title>',
        '<defs><marker id="toc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#3d4b5c"/></marker></defs>',
        f'<rect width="{shape.width:.0f}" height="{shape.height:.0f}" fill="#ffffff"/>',
    ]
    if shape.ceiling_y is not None:
        ceiling_label = _("Ceiling of accountability: the team answers for the outcomes below this line")
        parts.append(
            f'<line class="toc-ceiling" x1="{MARGIN / 2}" x2="{shape.width - MARGIN / 2}" '
            f'y1="{shape.ceiling_y:.1f}" y2="{shape.ceiling_y:.1f}" stroke="#8a4b00" stroke-width="2" '
            'stroke-dasharray="10 6"/>'
            f'<text x="{MARGIN / 2}" y="{shape.ceiling_y - 6:.1f}" fill="#8a4b00" font-size="12" '
            f'stroke="#ffffff" stroke-width="4" paint-order="stroke">'
            f"{escape(ceiling_label)}</text>"
        )
    if shape.unlinked_y is not None:
        parts.append(
            f'<line x1="{MARGIN / 2}" x2="{shape.width - MARGIN / 2}" y1="{shape.unlinked_y:.1f}" '
            f'y2="{shape.unlinked_y:.1f}" stroke="#9b1c1c" stroke-width="1"/>'
            f'<text x="{MARGIN / 2}" y="{shape.unlinked_y + 16:.1f}" fill="#9b1c1c" font-size="12">'
            f"{escape(_('Not linked to the goal yet'))}</text>"
        )
    for link in data.links:
        source, target = shape.placed.get(link.precondition_id), shape.placed.get(link.outcome_id)
        if source is None or target is None:
            continue
        x1, y1 = source.x + NODE_WIDTH / 2, source.y
        x2, y2 = target.x + NODE_WIDTH / 2, target.y + target.height
        if y1 < y2:  # an edge pointing down (a cycle, or above-ceiling before below): leave from the bottom
            y1 = source.y + source.height
            y2 = target.y
        bend = (y2 - y1) / 2
        dashes = "" if link.rationale.strip() else ' stroke-dasharray="4 3"'
        parts.append(
            f'<path class="toc-link" d="M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 + bend:.1f} '
            f'{x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}" fill="none" stroke="#3d4b5c" stroke-width="1.5" '
            'marker-end="url(#toc-arrow)"'
            f"{dashes}>"
            f"<title>{escape(data.link_title(link.id))}</title></path>"
        )
    link_boxes = defaultdict(list)
    for intervention in data.interventions:
        if intervention.link_id is not None:
            link_boxes[intervention.link_id].append(intervention)
    for link_id, items in link_boxes.items():
        link = data.link_by_id.get(link_id)
        source = shape.placed.get(link.precondition_id) if link else None
        target = shape.placed.get(link.outcome_id) if link else None
        if source is None or target is None:
            continue
        mx = (source.x + target.x + NODE_WIDTH) / 2 - 70
        my = (source.y + target.y + target.height) / 2 - SUB_HEIGHT * len(items) / 2
        for offset, intervention in enumerate(items):
            parts.append(_intervention_box(intervention, mx, my + offset * SUB_HEIGHT, 140))
    for placed in shape.placed.values():
        parts.append(_outcome_box(placed, interventions.get(placed.outcome.id, ()), edit_urls))
    parts.append("</svg>")
    return "".join(parts)


def _intervention_box(intervention: InterventionItem, x: float, y: float, width: float) -> str:
    limit = int(width / 6.5)
    label = intervention.title if len(intervention.title) <= limit else intervention.title[: limit - 1] + "…"
    owner = intervention.organization_name or _("no responsible organization")
    return (
        f'<g class="toc-intervention"><title>{escape(_("Intervention"))}: {escape(intervention.title)} '
        f"({escape(owner)})</title>"
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.0f}" height="{SUB_HEIGHT - 2}" rx="3" fill="#eef6ee" '
        f'stroke="#2f6b3a"/><text x="{x + 6:.1f}" y="{y + 14:.1f}" font-size="11" fill="#1d3d24">'
        f"▸ {escape(label)}</text></g>"
    )


def _outcome_box(placed: Placed, interventions: Iterable[InterventionItem], edit_urls: dict | None) -> str:
    outcome = placed.outcome
    is_goal = outcome.is_goal
    fill = "#e7eefb" if is_goal else ("#fff7e6" if outcome.is_below_ceiling else "#f2f4f7")
    caption = _("Long-term goal") if is_goal else ""
    lines = _lines(outcome.title, LINE_CHARS, 2 if caption else 3)
    body = [
        f"<title>{escape(outcome.title)}</title>",
        f'<rect class="toc-box" x="{placed.x:.1f}" y="{placed.y:.1f}" width="{NODE_WIDTH}" '
        f'height="{NODE_HEIGHT}" rx="6" fill="{fill}" stroke="#1c2430" '
        f'stroke-width="{3 if is_goal else 1.2}"/>',
    ]
    text_y = placed.y + 20
    if caption:
        body.append(
            f'<text x="{placed.x + 8:.1f}" y="{text_y:.1f}" font-size="11" font-weight="700" fill="#1f3f7a">'
            f"{escape(caption.upper())}</text>"
        )
        text_y += 16
    body.append(f'<text x="{placed.x + 8:.1f}" y="{text_y:.1f}" fill="#1c2430">')
    for number, line in enumerate(lines):
        body.append(f'<tspan x="{placed.x + 8:.1f}" dy="{0 if number == 0 else 16}">{escape(line)}</tspan>')
    body.append("</text>")
    for number, intervention in enumerate(interventions):
        body.append(
            _intervention_box(intervention, placed.x + 10, placed.y + NODE_HEIGHT + number * SUB_HEIGHT + 1,
                              NODE_WIDTH - 20)
        )  # fmt: skip
    inner = "".join(body)
    url = (edit_urls or {}).get(outcome.public_id)
    if url:
        return (
            f'<a class="toc-node" href="{escape(url)}" data-id="{outcome.public_id}" '
            f'data-title="{escape(outcome.title)}">{inner}</a>'
        )
    return f'<g class="toc-node" data-id="{outcome.public_id}">{inner}</g>'


@dataclass
class ListEntry:
    """One outcome in the structured list beside the diagram: what it leads to, and why."""

    outcome: OutcomeItem
    leads_to: list[tuple[OutcomeItem, str]]
    interventions: list[InterventionItem]
    indicators: list[IndicatorItem]


def structured_list(data: TheoryData, shape: Layout) -> list[tuple[int, bool, list[ListEntry]]]:
    """(row number from the goal, is the part not linked to the goal, entries) for each row."""
    leads: dict[int, list[tuple[OutcomeItem, str]]] = defaultdict(list)
    for link in data.links:
        leads[link.precondition_id].append((data.outcome_by_id[link.outcome_id], link.rationale))
    interventions = data.interventions_by_outcome()
    indicators = data.indicators_by_outcome()
    linked = len(shape.rows) - shape.unlinked_rows
    result = []
    for number, row in enumerate(shape.rows):
        entries = [
            ListEntry(
                data.outcome_by_id[i], leads.get(i, []), interventions.get(i, []), indicators.get(i, [])
            )
            for i in row
        ]
        if number >= linked and result and result[-1][1]:
            result[-1][2].extend(entries)
        else:
            result.append((number, number >= linked, entries))
    return result


# --- Exports ----------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _ceiling(outcome: OutcomeItem) -> str:
    if outcome.is_goal:
        return _("long-term goal")
    return _("below the ceiling") if outcome.is_below_ceiling else _("above the ceiling")


def table_sheets(data: TheoryData) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(sheet title, headers, rows) for outcomes, links, interventions, assumptions, indicators."""
    depth = goal_distances([o.id for o in data.outcomes], data.edges, data.goal.id) if data.goal else {}

    def where(outcome_id: int | None, link_id: int | None) -> str:
        if outcome_id is not None:
            return data.outcome_title(outcome_id)
        if link_id is not None:
            return data.link_title(link_id)
        return _("the whole theory")

    return [
        (_("Outcomes"), [_("Outcome"), _("Description"), _("Place"), _("Links to the goal")],
         [[o.title, o.description, _ceiling(o), depth.get(o.id, "")] for o in data.outcomes]),
        (_("Links"), [_("Precondition"), _("Leads to"), _("Rationale")],
         [[data.outcome_title(k.precondition_id), data.outcome_title(k.outcome_id), k.rationale]
          for k in data.links]),
        (_("Interventions"), [_("Intervention"), _("Description"), _("On"), _("Responsible organization")],
         [[i.title, i.description, where(i.outcome_id, i.link_id), i.organization_name]
          for i in data.interventions]),
        (_("Assumptions"), [_("Assumption"), _("About")],
         [[a.text, where(a.outcome_id, a.link_id)] for a in data.assumptions]),
        (_("Indicators"), [_("Outcome"), _("What is measured"), _("Population"), _("Target"), _("Threshold"),
                           _("By when"), _("Data source")],
         [[data.outcome_title(i.outcome_id), i.what, i.population, i.target, i.threshold, i.by_when,
           i.data_source] for i in data.indicators]),
    ]  # fmt: skip


def export_xlsx(data: TheoryData) -> bytes:
    """One workbook, one sheet per part; text a spreadsheet would run as a formula is neutralised."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, headers, rows in table_sheets(data):
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_docx(data: TheoryData) -> bytes:
    """The narrative document: title, goal, narrative, outcomes by layer with their indicators,
    assumptions, and interventions with the organizations responsible."""
    from docx import Document

    word = Document()
    style_ids = {name: word.styles[name].style_id for name in ("List Bullet", "List Bullet 2")}

    def bullet(text: str = "", level: str = "List Bullet") -> Any:
        # The style is set by id: python-docx looks a style name up by a scan of every style, each
        # time, which takes seconds over the thousand paragraphs of a large theory.
        paragraph = word.add_paragraph(text)
        paragraph._p.style = style_ids[level]
        return paragraph

    word.add_heading(_("Theory of change: %(team)s") % {"team": data.title}, level=0)
    goal = data.goal
    word.add_heading(_("Long-term goal"), level=1)
    word.add_paragraph(goal.title if goal else _("The theory has no long-term goal."))
    if goal and goal.description:
        word.add_paragraph(goal.description)
    word.add_heading(_("Narrative"), level=1)
    for paragraph in [p for p in data.narrative.split("\n\n") if p.strip()] or [_("No narrative yet.")]:
        word.add_paragraph(paragraph.strip())
    word.add_heading(_("Outcomes by layer"), level=1)
    shape = layout(data)
    for number, is_unlinked, entries in structured_list(data, shape):
        heading = (
            _("Not linked to the goal")
            if is_unlinked
            else (_("The goal") if number == 0 else _("Layer %(number)s") % {"number": number})
        )
        word.add_heading(heading, level=2)
        for entry in entries:
            item = bullet()
            item.add_run(entry.outcome.title).bold = True
            item.add_run(f" ({_ceiling(entry.outcome)})")
            for target, rationale in entry.leads_to:
                text = _("Leads to %(outcome)s") % {"outcome": _quoted(target.title)}
                bullet(text + (f": {rationale}" if rationale else ""), "List Bullet 2")
            for indicator in entry.indicators:
                details = ", ".join(
                    f"{label}: {value}"
                    for label, value in (
                        (_("population"), indicator.population),
                        (_("target"), indicator.target),
                        (_("threshold"), indicator.threshold),
                        (_("by"), indicator.by_when.isoformat() if indicator.by_when else ""),
                        (_("source"), indicator.data_source),
                    )
                    if value
                )
                text = _("Indicator: %(what)s") % {"what": indicator.what}
                bullet(text + (f" ({details})" if details else ""), "List Bullet 2")
    word.add_heading(_("Assumptions"), level=1)
    for assumption in data.assumptions:
        about = data.outcome_title(assumption.outcome_id) or data.link_title(assumption.link_id)
        bullet(assumption.text + (f" ({about})" if about else ""))
    if not data.assumptions:
        word.add_paragraph(_("No assumptions recorded."))
    word.add_heading(_("Interventions"), level=1)
    for intervention in data.interventions:
        on = data.outcome_title(intervention.outcome_id) or data.link_title(intervention.link_id)
        owner = intervention.organization_name or _("no responsible organization yet")
        item = bullet()
        item.add_run(intervention.title).bold = True
        item.add_run(" — " + _("on %(on)s; responsible: %(owner)s") % {"on": on, "owner": owner})
    if not data.interventions:
        word.add_paragraph(_("No interventions recorded."))
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# --- Writes -----------------------------------------------------------------------------------

KIND_MODELS: dict[str, type] = {
    "outcome": Outcome,
    "link": OutcomeLink,
    "intervention": Intervention,
    "assumption": Assumption,
    "indicator": Indicator,
}


def items_of(theory: TheoryOfChange, kind: str):
    """The queryset of one kind of part of the theory."""
    if kind == "indicator":
        return Indicator.objects.filter(outcome__theory=theory)
    return KIND_MODELS[kind].objects.filter(theory=theory)


def item_lookup(kind: str, item_id: str) -> dict[str, Any] | None:
    """The lookup for an item's id in an address: a public id, or (assumptions have none) the
    row number, always within the theory's own items. None when the id cannot be one."""
    if kind == "assumption":
        return {"pk": int(item_id)} if item_id.isdigit() else None
    import uuid

    try:
        return {"public_id": uuid.UUID(item_id)}
    except ValueError:
        return None


def item_id_of(kind: str, item: Any) -> str:
    return str(item.pk) if kind == "assumption" else str(item.public_id)


@transaction.atomic
def ensure_theory(team: Team, *, by: Any) -> TheoryOfChange:
    """The team's theory of change, created with a long-term goal when it has none."""
    theory, created = TheoryOfChange.objects.get_or_create(team=team, defaults={"updated_by": None})
    if created:
        focus = (team.focus or "").strip().splitlines()
        title = focus[0][:300] if focus else _("The long-term goal of %(team)s") % {"team": team.name}
        Outcome.objects.create(theory=theory, title=title, is_goal=True, is_below_ceiling=False)
        audit.record(by, "create", theory, audit.diff({}, audit.snapshot(theory)), note=title)
    return theory


@transaction.atomic
def update_narrative(theory: TheoryOfChange, values: dict[str, Any], read_version: Any, *, by: Any) -> None:
    """Change the long-term goal (title, description) and the narrative."""
    check_version(theory, read_version)
    goal = theory.outcomes.filter(is_goal=True).first()
    before = {"narrative": theory.narrative, "goal": goal.title if goal else "",
              "goal_description": goal.description if goal else ""}  # fmt: skip
    theory.narrative = values["narrative"]
    theory.save(update_fields=["narrative", "updated_at"])
    if goal is None:
        goal = Outcome(theory=theory, is_goal=True, is_below_ceiling=False)
    goal.title, goal.description = values["goal"], values.get("goal_description", "")
    goal.save()
    after = {"narrative": theory.narrative, "goal": goal.title, "goal_description": goal.description}
    audit.record(by, "change", theory, audit.diff(before, after))
    theory.bump(by)


@transaction.atomic
def save_item(theory: TheoryOfChange, kind: str, item: Any, values: dict[str, Any], read_version: Any,
              *, by: Any) -> Any:  # fmt: skip
    """Add (item None) or change one part of the theory from model field values. Raises
    EditConflict when someone saved since `read_version`, ValidationError for a broken rule."""
    check_version(theory, read_version)
    model = KIND_MODELS[kind]
    is_new = item is None
    if is_new:
        item = model(**({} if kind == "indicator" else {"theory": theory}))
        before: dict[str, Any] = {}
    else:
        before = audit.snapshot(item)
    for name, value in values.items():
        setattr(item, name, value)
    if kind == "link" and find_cycle(
        theory.links.exclude(pk=item.pk).values_list("precondition_id", "outcome_id"),
        (item.precondition_id, item.outcome_id),
    ):
        raise ValidationError({"outcome": _("This link would close a cycle.")})
    item.full_clean()
    item.save()
    audit.record(by, "create" if is_new else "change", item, audit.diff(before, audit.snapshot(item)))
    theory.bump(by)
    return item


@transaction.atomic
def delete_item(theory: TheoryOfChange, kind: str, item: Any, read_version: Any, *, by: Any) -> None:
    """Delete one part (its links, interventions, assumptions and indicators go with an outcome)."""
    check_version(theory, read_version)
    if kind == "outcome" and item.is_goal:
        raise ValidationError(_("The long-term goal cannot be deleted; change its wording instead."))
    audit.record(by, "delete", item, audit.diff(audit.snapshot(item), {}))
    item.delete()
    theory.bump(by)
