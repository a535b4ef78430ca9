"""The map's graph as numpy columns: what the map draws (ends, kinds, levels, directions,
provenances, planned or not), without a Python object per tie.

`graph.build_network` gives one frozen `Edge` per tie, with its evidence, which the metrics and
the tie tables need; at 40,000 ties making those objects costs more than the query. The map needs
none of that, so `wave_graph` reads the wave's stored ties as plain value tuples in one query,
adds the derived edges (`graph.initiative_edges`, `survey_edges`, `hooked_edges`, usually far
fewer) and keeps it all as columns, cached under the wave's data stamp (`mapdata.data_stamp`), so
that another filter of the same data reads nothing from the database. `filtered` then applies a
`NetworkFilter` and a lowest level exactly as `build_network` and `mapdata.drop_below_level` do,
with numpy masks.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import repeat
from operator import attrgetter

import numpy as np
from django.core.cache import cache
from django.db import connection

from healthywork.network.graph import (
    Edge,
    Network,
    NetworkFilter,
    Node,
    hooked_edges,
    initiative_edges,
    organization_nodes,
    roster_ids,
    survey_edges,
)
from healthywork.network.models import Provenance, Tie, TieKind, TieStatus, Wave

KIND_CODES = [choice.value for choice in TieKind]
PROVENANCE_CODES = [choice.value for choice in Provenance]
CACHE_SECONDS = 24 * 60 * 60
CACHE_VERSION = "network-map-graph:1"


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values: np.unique without its hash path, 50 times slower in numpy 2.4."""
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values


def _ends(graph: "MapGraph", keep: np.ndarray | None = None) -> set[int]:
    source, target = (
        (graph.source, graph.target) if keep is None else (graph.source[keep], graph.target[keep])
    )
    return set(distinct(np.concatenate([source, target])).tolist())


@dataclass
class MapGraph:
    """Nodes as in `Network`; edges as parallel columns, one row per tie."""

    nodes: dict[int, Node]
    source: np.ndarray  # organization ids
    target: np.ndarray
    kind: np.ndarray  # position in KIND_CODES, -1 for a kind not listed there
    level: np.ndarray  # Levels of Collaboration, -1 when unknown
    directed: np.ndarray
    provenance: np.ndarray  # position in PROVENANCE_CODES, -1 for one not listed there
    planned: np.ndarray  # a planned introduction, not a tie yet
    derived: np.ndarray  # from an initiative, a survey answer or a team, not stored

    @property
    def ties(self) -> int:
        return len(self.source)

    def select(self, mask: np.ndarray, nodes: dict[int, Node]) -> "MapGraph":
        return MapGraph(
            nodes=nodes,
            source=self.source[mask],
            target=self.target[mask],
            kind=self.kind[mask],
            level=self.level[mask],
            directed=self.directed[mask],
            provenance=self.provenance[mask],
            planned=self.planned[mask],
            derived=self.derived[mask],
        )

    def edges(self) -> list[Edge]:
        """The ties as `Edge`s (without evidence), for `analysis.analyse`."""
        kinds = [*KIND_CODES, ""]  # -1 reads the last
        provenances = [*PROVENANCE_CODES, ""]
        return [
            Edge(
                source=source,
                target=target,
                kind=kinds[kind],
                level=None if level < 0 else level,
                is_directed=directed,
                provenance=provenances[provenance],
                status=TieStatus.PLANNED if planned else TieStatus.ACTIVE,
            )
            for source, target, kind, level, directed, provenance, planned in zip(
                self.source.tolist(),
                self.target.tolist(),
                self.kind.tolist(),
                self.level.tolist(),
                self.directed.tolist(),
                self.provenance.tolist(),
                self.planned.tolist(),
                strict=True,
            )
        ]


def _codes(values: Iterable[str], codes: list[str], count: int) -> np.ndarray:
    index = {code: number for number, code in enumerate(codes)}
    return np.fromiter(map(index.get, values, repeat(-1)), np.int8, count)


def from_edges(nodes: dict[int, Node], edges: list[Edge], *, derived: bool | None = None) -> MapGraph:
    """Columns of `Edge`s; `derived` None tells stored from derived ties by `tie_id`."""
    count = len(edges)
    return MapGraph(
        nodes=nodes,
        source=np.fromiter(map(attrgetter("source"), edges), np.int64, count),
        target=np.fromiter(map(attrgetter("target"), edges), np.int64, count),
        kind=_codes(map(attrgetter("kind"), edges), KIND_CODES, count),
        level=np.fromiter((-1 if edge.level is None else edge.level for edge in edges), np.int8, count),
        directed=np.fromiter(map(attrgetter("is_directed"), edges), bool, count),
        provenance=_codes(map(attrgetter("provenance"), edges), PROVENANCE_CODES, count),
        planned=np.fromiter((edge.status == TieStatus.PLANNED for edge in edges), bool, count),
        derived=np.fromiter((edge.tie_id is None for edge in edges), bool, count)
        if derived is None
        else np.full(count, derived),
    )


def as_map_graph(network: "Network | MapGraph") -> MapGraph:
    return network if isinstance(network, MapGraph) else from_edges(network.nodes, network.edges)


def _stored(wave: Wave) -> MapGraph:
    """Every stored tie of the wave (planned ones too) from plain value tuples: one query, no
    `Edge`, no ORM converters."""
    rows = (
        Tie.objects.filter(wave=wave)
        .order_by()
        .values_list("source_id", "target_id", "kind", "level", "is_directed", "provenance", "status")
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    count = len(found)
    source, target, kind, level, directed, provenance, status = (
        zip(*found, strict=True) if found else ((),) * 7
    )
    return MapGraph(
        nodes={},
        source=np.fromiter(source, np.int64, count),
        target=np.fromiter(target, np.int64, count),
        kind=_codes(kind, KIND_CODES, count),
        level=np.fromiter((-1 if value is None else value for value in level), np.int8, count),
        directed=np.fromiter(directed, bool, count),  # SQLite gives 0/1
        provenance=_codes(provenance, PROVENANCE_CODES, count),
        planned=np.fromiter(map(str.__ne__, status, repeat(TieStatus.ACTIVE)), bool, count),
        derived=np.zeros(count, bool),
    )


def _joined(first: MapGraph, second: MapGraph) -> MapGraph:
    columns = ("source", "target", "kind", "level", "directed", "provenance", "planned", "derived")
    return replace(
        first, **{name: np.concatenate([getattr(first, name), getattr(second, name)]) for name in columns}
    )


def wave_graph(wave: Wave, stamp: str) -> tuple[MapGraph, set[int]]:
    """Every tie of the wave, stored (planned too) and derived, with every organization at an
    end or on a survey roster, and the roster; cached under the data stamp."""
    key = f"{CACHE_VERSION}:{wave.pk}:{stamp}"
    found = cache.get(key)
    if found is not None:
        return found
    derived = from_edges({}, initiative_edges(wave) + survey_edges(wave) + hooked_edges(wave), derived=True)
    graph = _joined(_stored(wave), derived)
    roster = roster_ids(wave)
    ids = roster | _ends(graph)
    graph.nodes = organization_nodes(ids)
    cache.set(key, (graph, roster), CACHE_SECONDS)
    return graph, roster


def filtered(
    graph: MapGraph, roster: set[int], network_filter: NetworkFilter, min_level: int | None = None
) -> MapGraph:
    """What `graph.build_network(network_filter)` and then `mapdata.drop_below_level` keep."""
    keep = np.ones(graph.ties, bool)
    if not network_filter.include_derived:
        keep &= ~graph.derived
    if not network_filter.include_planned:
        keep &= ~graph.planned
    if network_filter.kinds:
        keep &= np.isin(
            graph.kind, [KIND_CODES.index(kind) for kind in network_filter.kinds if kind in KIND_CODES]
        )
    if network_filter.provenances:
        chosen = [
            PROVENANCE_CODES.index(code) for code in network_filter.provenances if code in PROVENANCE_CODES
        ]
        keep &= np.isin(graph.provenance, chosen)
    ends = roster | _ends(graph, keep)
    sectors, families, levels = (
        set(network_filter.sectors),
        set(network_filter.families),
        set(network_filter.levels),
    )
    nodes = {
        pk: node
        for pk, node in graph.nodes.items()
        if pk in ends
        and (not sectors or node.sector in sectors)
        and (not families or node.family in families)
        and (not levels or node.level in levels)
    }
    ids = np.fromiter(nodes, np.int64, len(nodes))
    keep &= np.isin(graph.source, ids) & np.isin(graph.target, ids)
    if min_level is not None:
        keep &= graph.level >= min_level  # an unknown level (-1) counts as below
        kept = roster | _ends(graph, keep)
        nodes = {pk: node for pk, node in nodes.items() if pk in kept}
    return graph.select(keep, nodes)
