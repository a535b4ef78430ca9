"""A team's power map: loading it as plain data (one query per table), the quadrant guidance, the
grid drawn as SVG on the server, the writes (optimistic concurrency, one audit event each) and the
CSV export.

Power runs 0–10 and stance −5 (strongly opposed) to +5 (strongly supportive). The quadrants follow
the usual power-mapping worksheet: power 5 or more is high; a stance above +1 is supportive, below
−1 opposed, anything between neutral. Every write takes the map's `version` as the form read it:
`check_version` refuses a write at an older version (EditConflict, with the stored values for the
"both versions" message) and `power_map.bump` raises it after the write.
"""

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.collaborative.models import Membership, Team
from healthywork.core import audit, tabular
from healthywork.planning.concurrency import check_version
from healthywork.planning.models import Actor, ActorKind, ActorLink, ActorLinkKind, PowerMap

HIGH_POWER = Decimal(5)
SUPPORTIVE_ABOVE = Decimal(1)
OPPOSED_BELOW = Decimal(-1)
ACTOR_FIELDS = ("name", "kind", "organization", "power", "stance", "is_target", "notes")
LINK_FIELDS = ("source", "target", "kind", "strength")
EXPORT_FORMATS = ("csv", "svg")
# The forms' labels, shared so that both sides of a conflict message line up field by field.
FIELD_LABELS = {
    "issue": gettext_lazy("Issue or decision to change"),
    "name": gettext_lazy("Name"),
    "kind": gettext_lazy("Kind"),
    "organization": gettext_lazy("Organization in the registry (optional)"),
    "power": gettext_lazy("Power or influence (0–10)"),
    "stance": gettext_lazy("Stance (−5 strongly opposed to +5 strongly supportive)"),
    "is_target": gettext_lazy("Target (a decision-maker to move)"),
    "notes": gettext_lazy("Notes"),
    "source": gettext_lazy("From"),
    "target": gettext_lazy("To"),
    "strength": gettext_lazy("Strength"),
}
LINK_KIND_LABEL = gettext_lazy("Relationship")


# --- Plain data -------------------------------------------------------------------------------


@dataclass
class ActorItem:
    id: int
    public_id: str
    name: str
    kind: str
    kind_label: str
    power: Decimal
    stance: Decimal
    is_target: bool
    notes: str
    organization_id: int | None = None
    organization_name: str = ""
    is_own: bool = False
    urls: dict[str, str] = field(default_factory=dict)  # the page's addresses for this actor
    labels: dict[str, str] = field(default_factory=dict)  # the page's input labels for this actor

    @property
    def quadrant(self) -> str:
        return quadrant_of(self.power, self.stance)

    @property
    def quadrant_title(self) -> str:
        return str(QUADRANTS[self.quadrant].title)


@dataclass
class LinkItem:
    id: int
    source_id: int
    target_id: int
    kind: str
    kind_label: str
    strength: int
    urls: dict[str, str] = field(default_factory=dict)


@dataclass
class MapData:
    issue: str
    team_name: str
    actors: list[ActorItem]
    links: list[LinkItem]
    own_organizations: list[tuple[int, str]] = field(default_factory=list)  # (id, name) of the team's

    @property
    def actor_by_id(self) -> dict[int, ActorItem]:
        return {actor.id: actor for actor in self.actors}

    def link_rows(self) -> list[tuple[LinkItem, ActorItem, ActorItem]]:
        by_id = self.actor_by_id
        return [(link, by_id[link.source_id], by_id[link.target_id]) for link in self.links]

    def missing_own(self) -> list[tuple[int, str]]:
        """The team's organizations not yet on the map."""
        placed = {actor.organization_id for actor in self.actors}
        return [(pk, name) for pk, name in self.own_organizations if pk not in placed]


def map_of(team: Team) -> PowerMap | None:
    return PowerMap.objects.filter(team=team).first()


def load_map_data(power_map: PowerMap, team: Team | None = None) -> MapData:
    """The map as plain data: one query for the actors (with their organization), one for the
    links, one for the team's organizations; never one query per actor."""
    team = team or power_map.team
    own = list(
        Membership.objects.filter(team=team)
        .order_by("organization__name")
        .values_list("organization_id", "organization__name")
    )
    own_ids = {pk for pk, _name in own}
    kinds = dict(ActorKind.choices)
    actors = [
        ActorItem(
            id=row.pk,
            public_id=str(row.public_id),
            name=row.name,
            kind=row.kind,
            kind_label=str(kinds.get(row.kind, row.kind)),
            power=row.power,
            stance=row.stance,
            is_target=row.is_target,
            notes=row.notes,
            organization_id=row.organization_id,
            organization_name=row.organization.name if row.organization_id else "",
            is_own=row.organization_id in own_ids,
        )
        for row in power_map.actors.select_related("organization").order_by("-power", "name", "id")
    ]
    link_kinds = dict(ActorLinkKind.choices)
    links = [
        LinkItem(
            row.pk,
            row.source_id,
            row.target_id,
            row.kind,
            str(link_kinds.get(row.kind, row.kind)),
            row.strength,
        )
        for row in ActorLink.objects.filter(power_map=power_map).order_by("id")
    ]
    return MapData(power_map.issue, team.name, actors, links, own)


# --- Quadrant guidance (pure) -----------------------------------------------------------------


@dataclass(frozen=True)
class Quadrant:
    key: str
    title: Promise
    advice: Promise


QUADRANTS = {
    quadrant.key: quadrant
    for quadrant in [
        Quadrant(
            "high_supporters",
            gettext_lazy("High-power supporters"),
            gettext_lazy("Engage them as allies and champions: ask them to speak, sign on and bring others."),
        ),
        Quadrant(
            "high_neutrals",
            gettext_lazy("High-power neutrals"),
            gettext_lazy("Persuade them: these are the actors to move towards support."),
        ),
        Quadrant(
            "high_opponents",
            gettext_lazy("High-power opponents"),
            gettext_lazy("Neutralise and monitor them: limit their influence, prepare for their arguments."),
        ),
        Quadrant(
            "low_supporters",
            gettext_lazy("Low-power supporters"),
            gettext_lazy(
                "Mobilise them and build their power: train, organise, connect them to decision-makers."
            ),
        ),
        Quadrant(
            "low_neutrals",
            gettext_lazy("Low-power neutrals"),
            gettext_lazy("Inform them when it is cheap to do so; they are not a priority."),
        ),
        Quadrant(
            "low_opponents",
            gettext_lazy("Low-power opponents"),
            gettext_lazy("Monitor them: watch that they do not gain power or allies."),
        ),
    ]
}


def stance_side(stance: Decimal | float) -> str:
    """ "supporters" above +1, "opponents" below −1, else "neutrals"."""
    value = Decimal(str(stance))
    if value > SUPPORTIVE_ABOVE:
        return "supporters"
    if value < OPPOSED_BELOW:
        return "opponents"
    return "neutrals"


def quadrant_of(power: Decimal | float, stance: Decimal | float) -> str:
    """The key of the quadrant (see QUADRANTS) for an actor at `power` (0–10) and `stance` (−5..+5)."""
    level = "high" if Decimal(str(power)) >= HIGH_POWER else "low"
    return f"{level}_{stance_side(stance)}"


def guidance(actors: Sequence[ActorItem]) -> list[tuple[Quadrant, list[ActorItem]]]:
    """Every quadrant, in the order of QUADRANTS, with its actors (most powerful first)."""
    groups: dict[str, list[ActorItem]] = {key: [] for key in QUADRANTS}
    for actor in actors:
        groups[actor.quadrant].append(actor)
    for members in groups.values():
        members.sort(key=lambda actor: (-actor.power, actor.name))
    return [(QUADRANTS[key], members) for key, members in groups.items()]


def unreached_targets(actors: Sequence[ActorItem], links: Iterable[LinkItem]) -> list[ActorItem]:
    """Targets no supporter reaches through a chain of "influences" links (breadth-first search from
    every supporter along influences links, in their direction)."""
    successors: dict[int, list[int]] = {}
    for link in links:
        if link.kind == ActorLinkKind.INFLUENCES:
            successors.setdefault(link.source_id, []).append(link.target_id)
    starts = [actor.id for actor in actors if stance_side(actor.stance) == "supporters"]
    reached: set[int] = set()
    queue = deque(starts)
    while queue:
        current = queue.popleft()
        for following in successors.get(current, ()):
            if following not in reached:
                reached.add(following)
                queue.append(following)
    return [actor for actor in actors if actor.is_target and actor.id not in reached]


# --- The grid as SVG --------------------------------------------------------------------------

WIDTH, HEIGHT = 860, 720
LEFT, RIGHT, TOP, BOTTOM = 70, 830, 30, 560  # the plot area; the legend sits below it
PLOT_WIDTH, PLOT_HEIGHT = RIGHT - LEFT, BOTTOM - TOP
STANCE_COLOURS = {"supporters": "#1b7f5a", "neutrals": "#5f6b7a", "opponents": "#a8322d"}
LINK_STYLES = {  # dash pattern, colour, arrowhead
    "influences": ("", "#1f2937", "pm-arrow"),
    "allied": ("8 4", "#1b7f5a", ""),
    "opposes": ("2 4", "#a8322d", ""),
    "member_of": ("10 4 2 4", "#6b4fa0", "pm-arrow-open"),
}


def x_of(stance: Decimal | float) -> float:
    return LEFT + (float(stance) + 5) / 10 * PLOT_WIDTH


def y_of(power: Decimal | float) -> float:
    return BOTTOM - float(power) / 10 * PLOT_HEIGHT


def _shape(kind: str) -> str:
    """The marker of each kind, centred on 0,0 (filled by the group's colour)."""
    if kind == ActorKind.PERSON:
        return '<circle r="9"/>'
    if kind == ActorKind.INSTITUTION:
        return '<path d="M0,-11 L11,0 L0,11 L-11,0 Z"/>'
    if kind == ActorKind.DECISION_MAKER:
        return '<path d="M0,-12 L11,8 L-11,8 Z"/>'
    return '<rect x="-8" y="-8" width="16" height="16"/>'


def actor_label(actor: ActorItem) -> str:
    marks = []
    if actor.is_target:
        marks.append(_("target"))
    if actor.is_own:
        marks.append(_("our team"))
    return f"{actor.name} ({', '.join(marks)})" if marks else actor.name


def _actor_svg(actor: ActorItem, place_url: str | None) -> str:
    x, y = x_of(actor.stance), y_of(actor.power)
    colour = STANCE_COLOURS[stance_side(actor.stance)]
    title = _("%(name)s — %(kind)s, power %(power)s, stance %(stance)s") % {
        "name": actor_label(actor),
        "kind": actor.kind_label,
        "power": actor.power,
        "stance": f"{actor.stance:+}",
    }
    data = (
        f' data-id="{actor.public_id}" data-power="{actor.power}" data-stance="{actor.stance}"'
        f' data-name="{escape(actor.name)}"'
    )
    if place_url:
        data += f' data-place-url="{escape(place_url)}"'
    parts = [
        f'<g class="pm-actor" transform="translate({x:.1f} {y:.1f})"{data}><title>{escape(title)}</title>'
    ]
    if actor.is_target:  # a dashed ring around the marker, and "(target)" in the label
        parts.append('<circle r="17" fill="none" stroke="#111827" stroke-width="2" stroke-dasharray="4 3"/>')
    stroke = (
        ' stroke="#111827" stroke-width="3.5"' if actor.is_own else ' stroke="#ffffff" stroke-width="1.5"'
    )
    parts.append(f'<g class="pm-shape" fill="{colour}"{stroke}>{_shape(actor.kind)}</g>')
    if actor.is_own:  # a white dot inside: our own organizations read apart from others in grey print
        parts.append('<circle r="3" fill="#ffffff"/>')
    # Near the right edge the label goes on the left of the marker, so it is not cut off.
    side = 'x="-20" text-anchor="end"' if actor.stance > 2 else 'x="20"'
    parts.append(
        f'<text {side} y="4" font-size="12" fill="#111827" stroke="#ffffff" stroke-width="3" '
        f'paint-order="stroke">{escape(actor_label(actor))}</text></g>'
    )
    return "".join(parts)


def _link_svg(link: LinkItem, source: ActorItem, target: ActorItem) -> str:
    dashes, colour, arrow = LINK_STYLES.get(link.kind, LINK_STYLES["influences"])
    attributes = f' stroke="{colour}" stroke-width="{0.6 + link.strength * 0.9:.1f}"'
    if dashes:
        attributes += f' stroke-dasharray="{dashes}"'
    if arrow:
        attributes += f' marker-end="url(#{arrow})"'
    title = f"{source.name} — {link.kind_label.lower()} — {target.name}"
    return (
        f'<line class="pm-link" data-source="{source.public_id}" data-target="{target.public_id}" '
        f'x1="{x_of(source.stance):.1f}" y1="{y_of(source.power):.1f}" x2="{x_of(target.stance):.1f}" '
        f'y2="{y_of(target.power):.1f}"{attributes}><title>{escape(title)}</title></line>'
    )


def _grid_svg() -> list[str]:
    """The quadrant bands, the axes with their ticks and titles, the quadrant labels."""
    high, low = y_of(10), y_of(HIGH_POWER)
    left_band, right_band = x_of(OPPOSED_BELOW), x_of(SUPPORTIVE_ABOVE)
    parts = [
        f'<rect x="{LEFT}" y="{TOP}" width="{PLOT_WIDTH}" height="{PLOT_HEIGHT}" fill="#fafafa" '
        'stroke="#9ca3af"/>',
        f'<rect x="{LEFT}" y="{high}" width="{left_band - LEFT:.1f}" height="{low - high:.1f}" '
        'fill="#fbeaea"/>',
        f'<rect x="{right_band:.1f}" y="{high}" width="{RIGHT - right_band:.1f}" height="{low - high:.1f}" '
        f'fill="#e6f4ee"/>',
        f'<rect x="{left_band:.1f}" y="{TOP}" width="{right_band - left_band:.1f}" height="{PLOT_HEIGHT}" '
        f'fill="#eef0f3" fill-opacity="0.7"/>',
    ]
    for stance in range(-5, 6):
        x, tick = x_of(stance), f"{stance:+d}" if stance else "0"
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{BOTTOM}" stroke="#e5e7eb"/>'
            f'<text x="{x:.1f}" y="{BOTTOM + 18}" text-anchor="middle" font-size="12" fill="#374151">'
            f"{tick}</text>"
        )
    for power in range(0, 11):
        y = y_of(power)
        parts.append(
            f'<line x1="{LEFT}" x2="{RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#374151">'
            f"{power}</text>"
        )
    parts.append(
        f'<line x1="{LEFT}" x2="{RIGHT}" y1="{low:.1f}" y2="{low:.1f}" stroke="#374151" stroke-width="1.5"/>'
        f'<line x1="{x_of(0):.1f}" x2="{x_of(0):.1f}" y1="{TOP}" y2="{BOTTOM}" stroke="#374151" '
        'stroke-width="1.5"/>'
    )
    corners = [
        ("high_opponents", LEFT + 6, TOP + 16, "start"),
        ("high_neutrals", x_of(0), TOP + 16, "middle"),
        ("high_supporters", RIGHT - 6, TOP + 16, "end"),
        ("low_opponents", LEFT + 6, BOTTOM - 8, "start"),
        ("low_neutrals", x_of(0), BOTTOM - 8, "middle"),
        ("low_supporters", RIGHT - 6, BOTTOM - 8, "end"),
    ]
    for key, x, y, anchor in corners:
        parts.append(
            f'<text x="{x:.1f}" y="{y}" text-anchor="{anchor}" font-size="13" font-weight="bold" '
            f'fill="#374151">{escape(str(QUADRANTS[key].title))}</text>'
        )
    parts.append(
        f'<text x="{(LEFT + RIGHT) / 2}" y="{BOTTOM + 40}" text-anchor="middle" font-size="13" '
        'fill="#111827">'
        f"{escape(_('Stance on the issue: −5 strongly opposed … +5 strongly supportive'))}</text>"
        f'<text transform="translate(20 {(TOP + BOTTOM) / 2}) rotate(-90)" text-anchor="middle" '
        f'font-size="13" fill="#111827">{escape(_("Power or influence (0–10)"))}</text>'
    )
    return parts


def _legend_svg() -> list[str]:
    y = BOTTOM + 70
    parts = [
        f'<text x="{LEFT}" y="{y}" font-size="12" font-weight="bold" fill="#111827">{escape(_("Key"))}</text>'
    ]
    x = LEFT + 40
    for kind, label in ActorKind.choices:
        parts.append(
            f'<g transform="translate({x} {y - 4})" fill="#5f6b7a">{_shape(kind)}</g>'
            f'<text x="{x + 16}" y="{y}" font-size="12" fill="#111827">{escape(str(label))}</text>'
        )
        x += 28 + 6.5 * len(str(label))
    parts.append(
        f'<circle cx="{x}" cy="{y - 4}" r="12" fill="none" stroke="#111827" stroke-width="2" '
        'stroke-dasharray="4 3"/>'
        f'<text x="{x + 18}" y="{y}" font-size="12" fill="#111827">{escape(_("target (dashed ring)"))}</text>'
    )
    x += 160
    parts.append(
        f'<rect x="{x - 8}" y="{y - 12}" width="16" height="16" fill="#5f6b7a" stroke="#111827" '
        'stroke-width="3.5"/>'
        f'<circle cx="{x}" cy="{y - 4}" r="3" fill="#ffffff"/>'
        f'<text x="{x + 16}" y="{y}" font-size="12" fill="#111827">'
        f"{escape(_('our team (thick outline)'))}</text>"
    )
    y += 30
    x = LEFT + 40
    for kind, label in ActorLinkKind.choices:
        dashes, colour, arrow = LINK_STYLES[kind]
        extra = (f' stroke-dasharray="{dashes}"' if dashes else "") + (
            f' marker-end="url(#{arrow}-legend)"' if arrow else ""
        )
        parts.append(
            f'<line x1="{x}" x2="{x + 44}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="2.4"{extra}/>'
            f'<text x="{x + 52}" y="{y}" font-size="12" fill="#111827">{escape(str(label))}</text>'
        )
        x += 70 + 7 * len(str(label))
    notes = [
        _("A thicker line is a stronger relationship (1–3)."),
        _("Colours: green supportive, grey neutral, red opposed (the position on the grid says the same)."),
    ]
    for number, note in enumerate(notes, start=1):
        parts.append(
            f'<text x="{LEFT + 40}" y="{y + 22 * number}" font-size="12" fill="#374151">{escape(note)}</text>'
        )
    return parts


def map_svg(data: MapData, place_urls: dict[str, str] | None = None) -> str:
    """The grid as a standalone SVG document (inline attributes only, so the download looks like the
    page). With `place_urls` ({actor public id: address}) each actor carries the address the page's
    script posts a dragged position to."""
    title = _("Power map: %(team)s") % {"team": data.team_name}
    markers = "".join(
        f'<marker id="{name}" viewBox="0 0 10 10" refX="{ref}" refY="5" markerWidth="{size}" '
        f'markerHeight="{size}" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 {"z" if solid else ""}" fill="{"#1f2937" if solid else "none"}" '
        f'stroke="{colour}" stroke-width="1.5"/></marker>'
        for name, ref, size, solid, colour in [
            ("pm-arrow", 26, 10, True, "#1f2937"),
            ("pm-arrow-open", 26, 10, False, "#6b4fa0"),
            ("pm-arrow-legend", 10, 10, True, "#1f2937"),
            ("pm-arrow-open-legend", 10, 10, False, "#6b4fa0"),
        ]
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="pm-svg" class="pm-grid" width="{WIDTH}" '
        f'height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="system-ui, sans-serif" role="group" '
        f'aria-labelledby="pm-svg-title" data-left="{LEFT}" data-top="{TOP}" data-plot-width="{PLOT_WIDTH}" '
        f'data-plot-height="{PLOT_HEIGHT}">',
        f'<title id="pm-svg-title">{escape(title)}</title><defs>{markers}</defs>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        *_grid_svg(),
        '<g class="pm-links">',
        *[_link_svg(link, source, target) for link, source, target in data.link_rows()],
        '</g><g class="pm-actors">',
        *[_actor_svg(actor, (place_urls or {}).get(actor.public_id)) for actor in data.actors],
        "</g>",
        *_legend_svg(),
        "</svg>",
    ]
    return "".join(parts)


# --- Exports ----------------------------------------------------------------------------------


def export_filename(data: MapData, fmt: str, what: str = "actors") -> str:
    base = slugify(data.team_name) or "team"
    suffix = "-relationships" if fmt == "csv" and what == "links" else ""
    return f"{base}-power-map{suffix}.{fmt}"


def export_csv(data: MapData, what: str = "actors") -> bytes:
    """The actors (one row each), or with `what="links"` the relationships."""
    if what == "links":
        headers = [_("from"), _("relationship"), _("to"), _("strength (1–3)")]
        rows = [
            (source.name, link.kind_label, target.name, link.strength)
            for link, source, target in data.link_rows()
        ]
        return tabular.write_csv(headers, rows)
    headers = [
        _("name"),
        _("kind"),
        _("power (0–10)"),
        _("stance (−5 to +5)"),
        _("quadrant"),
        _("target"),
        _("our team"),
        _("organization in the registry"),
        _("notes"),
    ]
    rows = [
        (
            actor.name,
            actor.kind_label,
            actor.power,  # numbers, not text: a negative stance is no formula to neutralise
            actor.stance,
            actor.quadrant_title,
            _("yes") if actor.is_target else _("no"),
            _("yes") if actor.is_own else _("no"),
            actor.organization_name,
            actor.notes,
        )
        for actor in data.actors
    ]
    return tabular.write_csv(headers, rows)


# --- Writes -----------------------------------------------------------------------------------


def _values(obj: Any, names: Sequence[str]) -> dict[str, str]:
    """{field label: readable value} of a stored row, for the conflict message's "their" side."""
    shown: dict[str, str] = {}
    for name in names:
        model_field = obj._meta.get_field(name)
        value = getattr(obj, name)
        if model_field.choices:
            value = getattr(obj, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, Decimal):
            value = f"{value:.1f}"
        label = LINK_KIND_LABEL if (name == "kind" and isinstance(obj, ActorLink)) else FIELD_LABELS.get(name)
        shown[str(label or model_field.verbose_name)] = "" if value is None else str(value)
    return shown


def map_summary(power_map: PowerMap) -> dict[str, str]:
    """The map as stored now, in a few readable entries (the other side of a conflict)."""
    names = [
        f"{name} ({power}, {stance:+})"
        for name, power, stance in power_map.actors.values_list("name", "power", "stance")
    ]
    return {
        str(FIELD_LABELS["issue"]): power_map.issue,
        _("Actors (power, stance)"): "\n".join(names) or _("No actors yet."),
    }


@transaction.atomic
def ensure_power_map(team: Team, *, by: Any) -> PowerMap:
    """The team's power map, created (with its audit event) the first time it is needed."""
    power_map, created = PowerMap.objects.get_or_create(team=team)
    if created:
        audit.record(by, "create", power_map)
    return power_map


@transaction.atomic
def update_issue(power_map: PowerMap, issue: str, *, version: Any, by: Any) -> PowerMap:
    """Change the issue or decision the map is about."""
    stored = PowerMap.objects.get(pk=power_map.pk)
    check_version(power_map, version, _values(stored, ["issue"]))
    if stored.issue != issue:
        power_map.issue = issue
        power_map.save(update_fields=["issue", "updated_at"])
        audit.record(by, "change", power_map, {"issue": [stored.issue, issue]})
        power_map.bump(by)
    return power_map


def _apply(obj: Any, data: dict[str, Any], names: Sequence[str]) -> None:
    for name in names:
        if name in data:
            setattr(obj, name, data[name])
    obj.full_clean(exclude=["power_map"], validate_constraints=False)
    obj.save()


@transaction.atomic
def save_actor(
    power_map: PowerMap, actor: Actor | None, data: dict[str, Any], *, version: Any, by: Any
) -> Actor:
    """Add an actor (`actor` None) or change one: name, kind, organization, power, stance, target, notes."""
    if actor is None:
        check_version(power_map, version, map_summary(power_map))
        actor = Actor(power_map=power_map)
        _apply(actor, data, ACTOR_FIELDS)
        audit.record(by, "create", actor, audit.diff({}, audit.snapshot(actor)))
        power_map.bump(by)
        return actor
    stored = Actor.objects.get(pk=actor.pk)
    check_version(power_map, version, _values(stored, ACTOR_FIELDS))
    before = audit.snapshot(stored)
    _apply(actor, data, ACTOR_FIELDS)
    changes = audit.diff(before, audit.snapshot(actor))
    if changes:
        audit.record(by, "change", actor, changes)
        power_map.bump(by)
    return actor


def place_actor(actor: Actor, power: Decimal, stance: Decimal, *, version: Any, by: Any) -> Actor:
    """Move an actor on the grid (a drag, or the two numbers typed in the list)."""
    return save_actor(actor.power_map, actor, {"power": power, "stance": stance}, version=version, by=by)


@transaction.atomic
def delete_actor(actor: Actor, *, version: Any, by: Any) -> None:
    """Delete an actor with its relationships."""
    power_map = actor.power_map
    check_version(power_map, version, _values(actor, ACTOR_FIELDS))
    snapshot = audit.snapshot(actor)
    snapshot["relationships"] = [
        str(link) for link in ActorLink.objects.filter(power_map=power_map, source=actor)
    ]
    snapshot["relationships"] += [
        str(link) for link in ActorLink.objects.filter(power_map=power_map, target=actor)
    ]
    audit.record(by, "delete", actor, audit.diff(snapshot, {}))
    actor.delete()
    power_map.bump(by)


@transaction.atomic
def add_own_organizations(power_map: PowerMap, *, version: Any, by: Any) -> list[Actor]:
    """Put the team's organizations not yet on the map on it, as strong supporters of middle power
    (the team adjusts their power afterwards). Returns the actors added."""
    check_version(power_map, version, map_summary(power_map))
    placed = set(power_map.actors.exclude(organization=None).values_list("organization_id", flat=True))
    memberships = Membership.objects.filter(team=power_map.team).select_related("organization")
    added = [
        Actor.objects.create(
            power_map=power_map,
            name=membership.organization.name,
            kind=ActorKind.ORGANIZATION,
            organization=membership.organization,
            power=Decimal(5),
            stance=Decimal(5),
        )
        for membership in memberships.order_by("organization__name")
        if membership.organization_id not in placed
    ]
    if added:
        audit.record(by, "change", power_map, {"actors": [[], [actor.name for actor in added]]})
        power_map.bump(by)
    return added


@transaction.atomic
def save_link(
    power_map: PowerMap, link: ActorLink | None, data: dict[str, Any], *, version: Any, by: Any
) -> ActorLink:
    """Add a relationship (`link` None) or change one: from, to, kind, strength."""
    if link is None:
        check_version(power_map, version, map_summary(power_map))
        link = ActorLink(power_map=power_map)
        _apply(link, data, LINK_FIELDS)
        audit.record(by, "create", link, audit.diff({}, audit.snapshot(link)))
        power_map.bump(by)
        return link
    stored = ActorLink.objects.select_related("source", "target").get(pk=link.pk)
    check_version(power_map, version, _values(stored, LINK_FIELDS))
    before = audit.snapshot(stored)
    _apply(link, data, LINK_FIELDS)
    changes = audit.diff(before, audit.snapshot(link))
    if changes:
        audit.record(by, "change", link, changes)
        power_map.bump(by)
    return link


@transaction.atomic
def delete_link(link: ActorLink, *, version: Any, by: Any) -> None:
    power_map = link.power_map
    check_version(power_map, version, _values(link, LINK_FIELDS))
    audit.record(by, "delete", link, audit.diff(audit.snapshot(link), {}))
    link.delete()
    power_map.bump(by)
