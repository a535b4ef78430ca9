"""The network of one wave as plain data: nodes (organizations) and edges (ties), from every place
a tie can come from. Pages, the API, the command line and the benchmarks all build it here, and
`network.analysis` computes on what this returns.

Where edges come from:
- stored `Tie` rows of the wave (entered by hand, imported, interview mentions; planned
  introductions only when asked for);
- the catalog: organizations that are lead or partner (not "target") on one initiative whose dates
  overlap the wave (an initiative without dates counts in every wave) are tied, kind
  "joint programs", provenance "initiative";
- submitted partner-survey answers of the wave: a respondent that says it interacts with a partner gives a
  directed edge respondent → partner at the level it gave, one per kind of tie it ticked
  ("information sharing" when it ticked none), provenance "survey";
- apps above this one (the collaborative's teams): any installed app config with a method
  `network_ties(wave)` returning `Edge`s (provenance "team" for team membership).
Derived edges are rebuilt every time, so they always agree with their records.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models import Q

from healthywork.catalog.models import Initiative, InitiativePartner
from healthywork.network.models import PartnerRating, Provenance, Tie, TieKind, TieStatus, Wave
from healthywork.partners.models import Organization


@dataclass(frozen=True)
class Node:
    id: int
    public_id: str
    name: str
    sector: str  # slug
    sector_name: str
    family: str
    level: str

    def attribute(self, name: str) -> str:
        return getattr(self, name)


@dataclass(frozen=True)
class Edge:
    source: int
    target: int
    kind: str
    level: int | None
    is_directed: bool
    provenance: str
    status: str = TieStatus.ACTIVE
    tie_id: int | None = None  # the stored Tie, or None for a derived edge
    evidence: str = ""  # what the edge comes from, e.g. the initiative's title


@dataclass
class NetworkFilter:
    """Which part of a wave's network to look at; empty lists mean everything."""

    wave: Wave
    kinds: list[str] = field(default_factory=list)
    provenances: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)  # sector slugs
    families: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    include_derived: bool = True
    include_planned: bool = False


@dataclass
class Network:
    nodes: dict[int, Node]
    edges: list[Edge]


def stored_edges(wave: Wave, *, include_planned: bool = False) -> list[Edge]:
    ties = Tie.objects.filter(wave=wave).order_by()  # no sort by organization names: 3x faster
    if not include_planned:
        ties = ties.filter(status=TieStatus.ACTIVE)
    rows = ties.values_list(
        "pk", "source_id", "target_id", "kind", "level", "is_directed", "provenance", "status", "note"
    )
    # The ORM's per-value converters cost more than the query at 100,000 ties: read plain tuples
    # through the same SQL (SQLite gives booleans as 0/1, hence bool()).
    sql, params = rows.query.sql_with_params()
    edges = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(5000):
            edges.extend(
                Edge(
                    source=source,
                    target=target,
                    kind=kind,
                    level=level,
                    is_directed=bool(is_directed),
                    provenance=provenance,
                    status=status,
                    tie_id=pk,
                    evidence=note,
                )
                for pk, source, target, kind, level, is_directed, provenance, status, note in batch
            )
    return edges


def initiative_edges(wave: Wave) -> list[Edge]:
    """Co-partners (lead and partners, not targets) of initiatives whose dates overlap the wave."""
    overlapping = Initiative.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=wave.end_date),
        Q(end_date__isnull=True) | Q(end_date__gte=wave.start_date),
    )
    members: dict[int, tuple[str, set[int]]] = {
        pk: (title, {lead})
        for pk, title, lead in overlapping.values_list("pk", "title", "lead_organization_id")
    }
    partners = InitiativePartner.objects.filter(initiative__in=overlapping).exclude(
        role=InitiativePartner.Role.TARGET
    )
    for initiative_id, organization_id in partners.values_list("initiative_id", "organization_id"):
        members[initiative_id][1].add(organization_id)
    return pair_edges(members.values(), kind=TieKind.JOINT_PROGRAMS, provenance=Provenance.INITIATIVE)


def pair_edges(groups: Iterable[tuple[str, set[int]]], *, kind: str, provenance: str) -> list[Edge]:
    """An undirected edge for every pair of organizations in each (evidence, organizations) group:
    co-partners of an initiative, members of a team."""
    edges = []
    for evidence, organizations in groups:
        ordered = sorted(organizations)
        for index, source in enumerate(ordered):
            for target in ordered[index + 1 :]:
                edges.append(
                    Edge(
                        source=source,
                        target=target,
                        kind=kind,
                        level=None,
                        is_directed=False,
                        provenance=provenance,
                        evidence=evidence,
                    )
                )
    return edges


def survey_edges(wave: Wave) -> list[Edge]:
    """A directed edge for each survey answer that says the respondent interacts with the partner."""
    ratings = PartnerRating.objects.filter(
        respondent__survey__wave=wave, respondent__submitted_at__isnull=False, interacts=True
    )
    edges = []
    rows = ratings.values_list(
        "respondent__organization_id", "partner_id", "level", "kinds", "respondent__survey__title"
    )
    for source, target, level, kinds, title in rows.iterator(chunk_size=5000):
        for kind in kinds or [TieKind.INFORMATION]:
            edges.append(
                Edge(
                    source=source,
                    target=target,
                    kind=kind,
                    level=level,
                    is_directed=True,
                    provenance=Provenance.SURVEY,
                    evidence=title,
                )
            )
    return edges


def hooked_edges(wave: Wave) -> list[Edge]:
    """Edges from apps above this one (teams of the collaborative), found by convention."""
    edges: list[Edge] = []
    for config in apps.get_app_configs():
        method = getattr(config, "network_ties", None)
        if method is not None:
            edges.extend(method(wave))
    return edges


def collect_edges(wave: Wave, *, include_derived: bool = True, include_planned: bool = False) -> list[Edge]:
    edges = stored_edges(wave, include_planned=include_planned)
    if include_derived:
        edges += initiative_edges(wave) + survey_edges(wave) + hooked_edges(wave)
    return edges


def organization_nodes(ids: Iterable[int]) -> dict[int, Node]:
    ids = list(set(ids))
    nodes: dict[int, Node] = {}
    for start in range(0, len(ids), 900):  # SQLite's limit on query parameters
        rows = Organization.objects.filter(pk__in=ids[start : start + 900]).values_list(
            "pk", "public_id", "name", "sector__slug", "sector__name", "sector__family", "level"
        )
        for pk, public_id, name, sector, sector_name, family, level in rows:
            nodes[pk] = Node(pk, str(public_id), name, sector, sector_name, family, level)
    return nodes


def roster_ids(wave: Wave) -> set[int]:
    """Organizations on the roster of the wave's surveys: members even without a tie."""
    from healthywork.network.models import Respondent

    return set(Respondent.objects.filter(survey__wave=wave).values_list("organization_id", flat=True))


def build_network(network_filter: NetworkFilter) -> Network:
    """The nodes and edges the filter selects. Nodes are every organization with an edge in the
    wave (of the chosen kinds and provenances) plus the survey roster, then narrowed by sector,
    family and level; an edge stays when both its ends do."""
    wave = network_filter.wave
    edges = collect_edges(
        wave, include_derived=network_filter.include_derived, include_planned=network_filter.include_planned
    )
    if network_filter.kinds:
        kinds = set(network_filter.kinds)
        edges = [edge for edge in edges if edge.kind in kinds]
    if network_filter.provenances:
        provenances = set(network_filter.provenances)
        edges = [edge for edge in edges if edge.provenance in provenances]
    ids = roster_ids(wave)
    for edge in edges:
        ids.add(edge.source)
        ids.add(edge.target)
    nodes = organization_nodes(ids)
    if network_filter.sectors:
        nodes = {pk: node for pk, node in nodes.items() if node.sector in network_filter.sectors}
    if network_filter.families:
        nodes = {pk: node for pk, node in nodes.items() if node.family in network_filter.families}
    if network_filter.levels:
        nodes = {pk: node for pk, node in nodes.items() if node.level in network_filter.levels}
    edges = [edge for edge in edges if edge.source in nodes and edge.target in nodes]
    return Network(nodes=nodes, edges=edges)
