"""The data of the interactive network map: nodes with their metrics and a fixed position, edges,
and the legend (a colour AND a shape per sector family, so colour is never the only signal).

Positions are computed here, not in the browser, so the same graph always gives the same picture:
- up to `SPRING_LAYOUT_MAX_NODES` nodes, a force-directed layout (networkx `spring_layout`,
  Fruchterman-Reingold) with a fixed seed over nodes and edges added in a fixed order;
- above that, sector-clustered discs: the sectors sit on a circle (ordered by family), and each
  sector's organizations fill a sunflower disc around its centre, the best connected in the middle,
  with a small jitter seeded by the organization's public id. It costs milliseconds where a spring
  layout of 2,000 nodes costs seconds, and it keeps the question the map asks (who crosses sectors)
  readable.

Metrics: degree (in, out) is always computed here, as `analysis.analyse` defines it (distinct
tied pairs; a level-0 edge and a loop are no tie). Betweenness and eigenvector come from
`analysis.analyse` only when the map is sized by one of them, or when the network is small enough
(`FULL_METRICS_MAX_NODES`) that they cost little; they are then the metrics page's numbers for the
same filter (same function, same seed).

Caching (Django's cache), without building the graph on a hit:
- `data_stamp(wave)` is a handful of aggregate queries (counts and latest changes) over every
  record the map is built from: the wave's ties; all initiatives and their partners; the wave's
  survey respondents and partner ratings; organizations and sectors (names, sectors); and the
  models of apps that add ties (the collaborative's cohorts, teams and memberships). Any change to
  those records changes the stamp, so the cached map is never stale;
- `request_key(...)` = wave + stamp + normalised filter + size metric + language: under it sit
  the serialized JSON bytes (answered as they are, with an ETag), and under the same key without
  the size metric, the computed positions and metrics;
- under the stamp alone (whatever the filter), the wave's whole graph as numpy columns
  (`mapgraph.wave_graph`, read from plain value tuples, no object per tie), which each filter
  narrows with masks: the data request never builds `graph.Network`'s 40,000 `Edge`s.

The JSON is compact (see `map_data`): nodes as rows under a list of field names, sectors, kinds
and provenances as lookup tables, and one drawn edge per pair of organizations with a bitmask of
its kinds and provenances. Evidence is not sent; the page's ties table shows it.
"""

import hashlib
import json
import math
import random
from dataclasses import dataclass

import networkx as nx
import numpy as np
from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

from healthywork.catalog.models import Initiative, InitiativePartner
from healthywork.network.analysis import analyse, density
from healthywork.network.graph import Network, NetworkFilter, build_network, roster_ids
from healthywork.network.mapgraph import (
    KIND_CODES,
    PROVENANCE_CODES,
    MapGraph,
    as_map_graph,
    distinct,
    filtered,
    wave_graph,
)
from healthywork.network.models import (
    CollaborationLevel,
    PartnerRating,
    Provenance,
    Respondent,
    Tie,
    TieKind,
    TieStatus,
    Wave,
)
from healthywork.partners.models import Family, Level, Organization, Sector

SIZE_METRICS = ("degree", "betweenness", "eigenvector")
PATH_METRICS = ("betweenness", "eigenvector")  # from `analysis.analyse`, computed only when needed
FULL_METRICS_MAX_NODES = 300  # up to here every metric is computed whatever the size metric
SPRING_LAYOUT_MAX_NODES = 300
CACHE_SECONDS = 24 * 60 * 60
CACHE_VERSION = "network-map:3"
SPACING = 40.0  # pixels between neighbouring organizations in a sector disc
EDGE_TABLE_LIMIT = 1000  # rows of the ties table on the page; the tie export has them all
# Bits of a drawn edge's flags: a one-way tie from its source to its target (arrow at the target),
# one from its target to its source (arrow at the source), every tie of the pair is planned.
ARROW_TO_TARGET, ARROW_TO_SOURCE, PLANNED = 1, 2, 4
LEVEL_CODES = [choice.value for choice in Level]


def _polygon(corners: int, *, inner: float | None = None, turn: float = -90.0) -> str:
    """Corner coordinates in [-1, 1] (y down), as Cytoscape's `shape-polygon-points` wants them."""
    points = []
    steps = corners * 2 if inner else corners
    for index in range(steps):
        radius = inner if inner and index % 2 else 1.0
        angle = math.radians(turn + 360.0 * index / steps)
        points.append(f"{radius * math.cos(angle):.3f} {radius * math.sin(angle):.3f}")
    return " ".join(points)


@dataclass(frozen=True)
class FamilyStyle:
    colour: str
    shape: str  # a name for people ("circle", "square", ...)
    points: str  # polygon corners; empty for a circle


# Okabe-Ito palette (distinguishable with the common colour-vision deficiencies), one shape each.
FAMILY_STYLES = {
    Family.HEALTH: FamilyStyle("#0072B2", "circle", ""),
    Family.LABOR: FamilyStyle("#D55E00", "square", "-0.85 -0.85 0.85 -0.85 0.85 0.85 -0.85 0.85"),
    Family.GOVERNMENT: FamilyStyle("#009E73", "triangle", _polygon(3)),
    Family.COMMUNITY: FamilyStyle("#E69F00", "diamond", _polygon(4)),
    Family.LEGAL: FamilyStyle("#CC79A7", "hexagon", _polygon(6, turn=0.0)),
    Family.RESEARCH: FamilyStyle("#56B4E9", "star", _polygon(5, inner=0.45)),
    Family.BUSINESS: FamilyStyle("#F0E442", "pentagon", _polygon(5)),
    Family.PHILANTHROPY: FamilyStyle("#7F7F7F", "octagon", _polygon(8, turn=-67.5)),
}
FAMILY_ORDER = list(FAMILY_STYLES)


def shape_names() -> dict[str, str]:
    return {
        "circle": _("circle"),
        "square": _("square"),
        "triangle": _("triangle"),
        "diamond": _("diamond"),
        "hexagon": _("hexagon"),
        "star": _("star"),
        "pentagon": _("pentagon"),
        "octagon": _("octagon"),
    }


def legend(network: Network) -> list[dict]:
    """One entry per sector family, with how many organizations of the map belong to it."""
    counts: dict[str, int] = {}
    for node in network.nodes.values():
        counts[node.family] = counts.get(node.family, 0) + 1
    names = shape_names()
    return [
        {
            "family": family.value,
            "label": str(family.label),
            "colour": style.colour,
            "shape": style.shape,
            "shape_name": names[style.shape],
            "points": style.points,
            "count": counts.get(family.value, 0),
        }
        for family, style in FAMILY_STYLES.items()
    ]


def graph_key(network: Network | MapGraph) -> str:
    """A hash of the node and edge set: the same graph gives the same key, whatever the filter and
    whatever the order. The edges become rows of integers sorted by numpy (sorting 40,000 Python
    tuples costs ten times as much)."""
    graph = as_map_graph(network)
    rows = np.column_stack(
        [graph.source, graph.target, graph.kind, graph.level, graph.directed, graph.provenance, graph.planned]
    ).astype(np.int64)
    rows = rows[np.lexsort(rows.T[::-1])] if len(rows) else rows
    digest = hashlib.blake2b(digest_size=20)
    digest.update(np.array(sorted(graph.nodes), dtype=np.int64).tobytes())
    digest.update(rows.tobytes())
    return f"{CACHE_VERSION}:{digest.hexdigest()}"


def _spring_positions(network: Network | MapGraph) -> dict[int, tuple[float, float]]:
    columns = as_map_graph(network)
    graph = nx.Graph()
    ordered = sorted(network.nodes, key=lambda pk: network.nodes[pk].public_id)
    graph.add_nodes_from(ordered)
    pairs = zip(
        np.minimum(columns.source, columns.target).tolist(),
        np.maximum(columns.source, columns.target).tolist(),
        strict=True,
    )
    graph.add_edges_from(sorted(set(pairs)))
    count = max(len(ordered), 1)
    # k a little above 1/sqrt(n) spreads the clusters apart; the seed makes the picture repeatable.
    layout = nx.spring_layout(graph, k=1.6 / math.sqrt(count), iterations=80, seed=20170101)
    scale = 90.0 * math.sqrt(count)
    return {pk: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for pk, (x, y) in layout.items()}


def _sector_positions(network: Network, degrees: dict[int, float]) -> dict[int, tuple[float, float]]:
    groups: dict[tuple[int, str], list[int]] = {}
    for pk, node in network.nodes.items():
        family_rank = FAMILY_ORDER.index(node.family) if node.family in FAMILY_ORDER else len(FAMILY_ORDER)
        groups.setdefault((family_rank, node.sector), []).append(pk)
    ordered_groups = sorted(groups)
    radii = {key: SPACING * math.sqrt(len(groups[key]) + 1) for key in ordered_groups}
    circumference = sum(2 * radius + 2 * SPACING for radius in radii.values())
    ring = circumference / (2 * math.pi) if len(ordered_groups) > 1 else 0.0
    golden_angle = math.pi * (3 - math.sqrt(5))
    positions = {}
    walked = 0.0
    for key in ordered_groups:
        radius = radii[key]
        angle = 2 * math.pi * (walked + radius + SPACING) / circumference if ring else 0.0
        walked += 2 * radius + 2 * SPACING
        centre_x, centre_y = ring * math.cos(angle), ring * math.sin(angle)
        members = sorted(groups[key], key=lambda pk: (-degrees.get(pk, 0), network.nodes[pk].public_id))
        for index, pk in enumerate(members):
            jitter = random.Random(network.nodes[pk].public_id)
            distance = SPACING * math.sqrt(index + 0.5) + jitter.uniform(-0.25, 0.25) * SPACING
            theta = index * golden_angle + jitter.uniform(-0.15, 0.15)
            positions[pk] = (
                round(centre_x + distance * math.cos(theta), 1),
                round(centre_y + distance * math.sin(theta), 1),
            )
    return positions


def layout_name(network: Network | MapGraph) -> str:
    return "spring" if len(network.nodes) <= SPRING_LAYOUT_MAX_NODES else "sector-discs"


@dataclass
class _EdgeArrays:
    """The edges as numpy columns, ends as positions in a node order (-1 when not a node)."""

    source: np.ndarray
    target: np.ndarray
    level: np.ndarray  # -1 when unknown
    directed: np.ndarray


def _edge_arrays(graph: MapGraph, position: dict[int, int]) -> _EdgeArrays:
    """The ends as positions in a node order, by a sorted lookup in numpy (no Python per tie)."""
    ids = np.fromiter(position, np.int64, len(position))
    places = np.fromiter(position.values(), np.int64, len(position))
    order = np.argsort(ids)
    ids, places = ids[order], places[order]

    def placed(ends: np.ndarray) -> np.ndarray:
        if not len(ids):
            return np.full(len(ends), -1, np.int64)
        found = np.minimum(np.searchsorted(ids, ends), len(ids) - 1)
        return np.where(ids[found] == ends, places[found], -1)

    return _EdgeArrays(
        source=placed(graph.source),
        target=placed(graph.target),
        level=graph.level.astype(np.int64),
        directed=graph.directed,
    )


def _tied_pairs(network: Network | MapGraph) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Node ids, the distinct undirected tied pairs (i · n + j, i < j) and the distinct arcs
    (source · n + target) as positions in the ids, as `analysis.analyse` counts them."""
    ids = list(network.nodes)
    n = len(ids)
    columns = _edge_arrays(as_map_graph(network), {pk: number for number, pk in enumerate(ids)})
    kept = (
        (columns.level != 0)
        & (columns.source >= 0)
        & (columns.target >= 0)
        & (columns.source != columns.target)
    )
    source, target, directed = columns.source[kept], columns.target[kept], columns.directed[kept]
    pairs = distinct(np.minimum(source, target) * n + np.maximum(source, target))
    arcs = distinct(np.concatenate([source * n + target, (target * n + source)[~directed]]))
    return ids, pairs, arcs


def degree_measures(network: Network | MapGraph) -> tuple[dict[int, dict[str, int]], float | None, int]:
    """Degree, in- and out-degree of every node (as `analysis.analyse` defines them), the density
    and the number of components, with numpy and scipy only."""
    ids, pairs, arcs = _tied_pairs(network)
    n = max(len(ids), 1)
    a, b = pairs // n, pairs % n
    degree = np.bincount(np.concatenate([a, b]), minlength=len(ids)).tolist()
    degree_out = np.bincount(arcs // n, minlength=len(ids)).tolist()
    degree_in = np.bincount(arcs % n, minlength=len(ids)).tolist()
    components = 0
    if ids:
        matrix = csr_array((np.ones(len(a), dtype=np.int8), (a, b)), shape=(len(ids), len(ids)))
        components = int(connected_components(matrix, directed=False)[0])
    per_node = {
        pk: {"degree": degree[i], "degree_in": degree_in[i], "degree_out": degree_out[i]}
        for i, pk in enumerate(ids)
    }
    return per_node, density(len(ids), len(pairs)), components


def needed_metrics(network: Network | MapGraph, size_metric: str = "degree") -> tuple[str, ...]:
    """The metrics beyond degree the map computes: the one it is sized by, or all of them for a
    small network."""
    if len(network.nodes) <= FULL_METRICS_MAX_NODES:
        return PATH_METRICS
    return (size_metric,) if size_metric in PATH_METRICS else ()


def computed(network: Network | MapGraph, size_metric: str = "degree", *, key: str | None = None) -> dict:
    """Degree, positions (and betweenness/eigenvector when `needed_metrics` says so) of the
    network, cached under `key` (by default a hash of the node and edge set)."""
    key = key or graph_key(network)
    found = cache.get(key)
    changed = found is None
    if found is None:
        per_node, network_density, components = degree_measures(network)
        degrees = {pk: values["degree"] for pk, values in per_node.items()}
        if layout_name(network) == "spring":
            positions = _spring_positions(network)
        else:
            positions = _sector_positions(network, degrees)
        found = {
            "per_node": per_node,
            "positions": positions,
            "density": network_density,
            "components": components,
            "layout": layout_name(network),
            "metrics": (),
        }
    if not set(needed_metrics(network, size_metric)) <= set(found["metrics"]):
        # One `analyse` gives both betweenness and eigenvector: keep both.
        edges = network.edges if isinstance(network, Network) else network.edges()
        metrics = analyse(network.nodes, edges)
        for pk, values in found["per_node"].items():
            measured = metrics.per_node.get(pk, {})
            values["betweenness"] = measured.get("betweenness", 0.0)
            values["eigenvector"] = measured.get("eigenvector")
        found["metrics"] = PATH_METRICS
        changed = True
    if changed:
        cache.set(key, found, CACHE_SECONDS)
    return found


def drop_below_level(network: Network, min_level: int | None, roster: set[int]) -> Network:
    """Keep the ties at `min_level` or above (an unknown level counts as below) and the
    organizations that still have a tie or are on a survey roster."""
    if min_level is None:
        return network
    edges = [edge for edge in network.edges if edge.level is not None and edge.level >= min_level]
    kept = roster | {edge.source for edge in edges} | {edge.target for edge in edges}
    return Network(nodes={pk: node for pk, node in network.nodes.items() if pk in kept}, edges=edges)


def _latest(queryset, field: str = "updated_at") -> list:
    found = queryset.order_by().aggregate(count=Count("pk"), latest=Max(field))
    return [found["count"], str(found["latest"])]


def _hooked_models() -> list:
    """The models read by apps that add ties (`network_ties`): the collaborative's cohorts, teams
    and memberships; every model of any other such app."""
    found = []
    for config in apps.get_app_configs():
        if getattr(config, "network_ties", None) is None:
            continue
        models = list(config.get_models())
        if config.label == "collaborative":
            models = [model for model in models if model.__name__ in {"Cohort", "Team", "Membership"}]
        found.extend(models)
    return found


def data_stamp(wave: Wave) -> str:
    """A cheap fingerprint of every record the wave's map is built from (counts and latest
    changes, by aggregate queries): any added, changed or removed tie, initiative, initiative
    partner, survey respondent or rating, organization, sector or team membership changes it."""
    parts = [
        wave.pk,
        str(wave.start_date),
        str(wave.end_date),
        _latest(Tie.objects.filter(wave=wave)),
        _latest(Initiative.objects.all()),
        InitiativePartner.objects.order_by().aggregate(
            count=Count("pk"),
            latest=Max("pk"),
            targets=Count("pk", filter=Q(role=InitiativePartner.Role.TARGET)),
        ),
        Respondent.objects.filter(survey__wave=wave)
        .order_by()
        .aggregate(
            count=Count("pk"),
            latest=Max("submitted_at"),
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        ),
        _latest(PartnerRating.objects.filter(respondent__survey__wave=wave)),
        _latest(Organization.objects.all()),
        list(Sector.objects.order_by("pk").values_list("pk", "slug", "name", "family")),
    ]
    for model in _hooked_models():
        has_updated = any(field.name == "updated_at" for field in model._meta.concrete_fields)
        parts.append(_latest(model.objects.all(), "updated_at" if has_updated else "pk"))
    return hashlib.blake2b(json.dumps(parts, default=str).encode(), digest_size=16).hexdigest()


def request_key(
    wave: Wave,
    network_filter: NetworkFilter,
    min_level: int | None,
    size_metric: str = "",
    *,
    stamp: str = "",
) -> str:
    """The cache key of one map: the wave, the data stamp, the normalised filter, the size metric
    (empty for the computed positions and metrics, which do not depend on it) and the language."""
    chosen = {
        "kinds": sorted(network_filter.kinds),
        "provenances": sorted(network_filter.provenances),
        "sectors": sorted(network_filter.sectors),
        "families": sorted(network_filter.families),
        "levels": sorted(network_filter.levels),
        "derived": network_filter.include_derived,
        "planned": network_filter.include_planned,
        "min_level": min_level,
    }
    filter_hash = hashlib.blake2b(json.dumps(chosen, sort_keys=True).encode(), digest_size=12).hexdigest()
    stamp = stamp or data_stamp(wave)
    if not size_metric:
        return f"{CACHE_VERSION}:computed:{wave.pk}:{stamp}:{filter_hash}"
    return f"{CACHE_VERSION}:json:{wave.pk}:{stamp}:{filter_hash}:{size_metric}:{get_language()}"


def etag_of(key: str) -> str:
    return '"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


def _organization_url_pattern() -> tuple[str, str]:
    # One reverse() with a marker the browser replaces: reversing 2,000 times costs more than a node.
    marker = "00000000-0000-0000-0000-000000000000"
    return reverse("partners:organization-detail", args=[marker]), marker


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def drawn_edges(network: Network | MapGraph, position: dict[int, int]) -> list[list]:
    """One drawn edge per pair of organizations: [source, target, kinds, level, flags,
    provenances], the ends as positions in the node list, kinds and provenances as bitmasks over
    `KIND_CODES` / `PROVENANCE_CODES`, level the highest known (None when none is known), flags
    the ARROW_TO_TARGET / ARROW_TO_SOURCE / PLANNED bits. A pair with one-way ties in one direction
    only is drawn from their source; otherwise from the end first in the node list."""
    graph = as_map_graph(network)
    if not graph.ties:
        return []
    columns = _edge_arrays(graph, position)
    # a code outside the lists (-1) sets no bit
    kinds = np.where(graph.kind >= 0, np.left_shift(1, graph.kind.astype(np.int64)), 0)
    provenances = np.where(graph.provenance >= 0, np.left_shift(1, graph.provenance.astype(np.int64)), 0)
    planned = graph.planned
    low = np.minimum(columns.source, columns.target)
    high = np.maximum(columns.source, columns.target)
    forward = columns.directed & (columns.source == low)
    backward = columns.directed & (columns.source != low)
    keys = low * max(len(position), 1) + high
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))

    def per_pair(reduce, values):
        return reduce.reduceat(values[order], starts)

    pair_forward = per_pair(np.maximum, forward.astype(np.int64)).astype(bool)
    pair_backward = per_pair(np.maximum, backward.astype(np.int64)).astype(bool)
    swap = pair_backward & ~pair_forward
    pair_low, pair_high = low[order][starts], high[order][starts]
    flags = (
        np.where(pair_forward | swap, ARROW_TO_TARGET, 0)
        | np.where(pair_forward & pair_backward, ARROW_TO_SOURCE, 0)
        | np.where(per_pair(np.minimum, planned.astype(np.int64)).astype(bool), PLANNED, 0)
    )
    table = np.column_stack(
        [
            np.where(swap, pair_high, pair_low),
            np.where(swap, pair_low, pair_high),
            per_pair(np.bitwise_or, kinds),
            per_pair(np.maximum, columns.level),
            flags,
            per_pair(np.bitwise_or, provenances),
        ]
    ).tolist()
    for row in table:
        if row[3] < 0:
            row[3] = None
    return table


def map_data(network: Network | MapGraph, size_metric: str = "degree", *, key: str | None = None) -> dict:
    """The JSON the map draws, compact:

    - `nodes`: one row per organization (sorted by name), its cells named by `node_fields`: public
      id, name, sector (a position in `sectors`), level (a position in `levels`), x, y, degree,
      in- and out-degree, then betweenness and eigenvector when computed (`metrics` lists them;
      an eigenvector that does not converge is null, never a made-up 0);
    - `sectors`: [slug, name, family]; `levels`, `kinds`, `provenances`: the codes, in bit order;
    - `edges`: one per pair of organizations, see `drawn_edges`;
    - `organization_url` with `url_marker` to replace by a node's public id;
    - `legend`, `labels` (readable names of the codes) and `summary` (nodes, ties = tie records,
      drawn = drawn edges, density, components, layout)."""
    network = as_map_graph(network)
    found = computed(network, size_metric, key=key)
    metrics = [name for name in PATH_METRICS if name in found["metrics"]]
    ordered = sorted(network.nodes.items(), key=lambda item: (item[1].name.casefold(), item[1].public_id))
    sectors: dict[str, int] = {}
    sector_rows = []
    level_index = {code: number for number, code in enumerate(LEVEL_CODES)}
    nodes = []
    for pk, node in ordered:
        if node.sector not in sectors:
            sectors[node.sector] = len(sector_rows)
            sector_rows.append([node.sector, node.sector_name, node.family])
        values = found["per_node"][pk]
        x, y = found["positions"][pk]
        row = [
            node.public_id,
            node.name,
            sectors[node.sector],
            level_index.get(node.level),
            x,
            y,
            values["degree"],
            values["degree_in"],
            values["degree_out"],
        ]
        row += [_rounded(values[name]) for name in metrics]
        nodes.append(row)
    position = {pk: number for number, (pk, _node) in enumerate(ordered)}
    edges = drawn_edges(network, position)
    url, marker = _organization_url_pattern()
    return {
        "format": 2,
        "node_fields": ["id", "label", "sector", "level", "x", "y", "degree", "degree_in", "degree_out"]
        + metrics,
        "metrics": ["degree", *metrics],
        "size": size_metric,
        "nodes": nodes,
        "sectors": sector_rows,
        "levels": LEVEL_CODES,
        "kinds": KIND_CODES,
        "provenances": PROVENANCE_CODES,
        "edges": edges,
        "edge_fields": ["source", "target", "kinds", "level", "flags", "provenances"],
        "organization_url": url,
        "url_marker": marker,
        "legend": legend(network),
        "labels": {
            "family": {choice.value: str(choice.label) for choice in Family},
            "level": {choice.value: str(choice.label) for choice in Level},
            "kind": {choice.value: str(choice.label) for choice in TieKind},
            "provenance": {choice.value: str(choice.label) for choice in Provenance},
            "collaboration": {str(choice.value): str(choice.label) for choice in CollaborationLevel},
        },
        "summary": {
            "nodes": len(nodes),
            "ties": network.ties,
            "drawn": len(edges),
            "density": found["density"],
            "components": found["components"],
            "layout": found["layout"],
        },
    }


def serialize(data: dict) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def map_network(network_filter: NetworkFilter, *, min_level: int | None = None) -> Network:
    """The network the map shows: `graph.build_network`, then the lowest level of collaboration."""
    network = build_network(network_filter)
    if min_level is None:
        return network
    return drop_below_level(network, min_level, roster_ids(network_filter.wave))


def cached_map_json(
    network_filter: NetworkFilter, *, min_level: int | None, size_metric: str, extra: dict
) -> tuple[bytes, str]:
    """The map's JSON bytes and their ETag. A hit costs the stamp's aggregate queries and one cache
    read; a miss filters the wave's columns (`mapgraph.wave_graph`, read once per data stamp) and
    computes only what the size metric needs."""
    stamp = data_stamp(network_filter.wave)
    key = request_key(network_filter.wave, network_filter, min_level, size_metric, stamp=stamp)
    content = cache.get(key)
    if content is None:
        graph, roster = wave_graph(network_filter.wave, stamp)
        network = filtered(graph, roster, network_filter, min_level)
        computed_key = request_key(network_filter.wave, network_filter, min_level, stamp=stamp)
        content = serialize(map_data(network, size_metric, key=computed_key) | extra)
        cache.set(key, content, CACHE_SECONDS)
    return content, etag_of(key)


def store_map_json(key: str, data: dict, extra: dict) -> None:
    """Keep the JSON of data a page has just built, so the map's own request finds it."""
    cache.set(key, serialize(data | extra), CACHE_SECONDS)


def node_rows(data: dict) -> list[dict]:
    """The compact node rows of `map_data` as dicts (with the sector's name, family and the page)."""
    fields = data["node_fields"]
    url, marker = data["organization_url"], data["url_marker"]
    rows = []
    for cells in data["nodes"]:
        row = dict(zip(fields, cells, strict=True))
        slug, sector_name, family = data["sectors"][row["sector"]]
        level = row["level"]
        row.update(
            sector=slug,
            sector_name=sector_name,
            family=family,
            level=data["levels"][level] if level is not None else "",
            url=url.replace(marker, row["id"]),
        )
        rows.append(row)
    return rows


def table_view(network: Network, data: dict, size_metric: str, *, edge_limit: int = EDGE_TABLE_LIMIT) -> dict:
    """The same data as rows for the page's tables: organizations by the chosen metric (a metric
    not computed is None), then the tie records (with names and evidence) up to `edge_limit`."""
    labels = data["labels"]
    shapes = {entry["family"]: entry["shape_name"] for entry in data["legend"]}
    rows = node_rows(data)
    nodes = [
        {
            "betweenness": None,
            "eigenvector": None,
            **row,
            "size_value": row.get(size_metric),
            "family_name": labels["family"].get(row["family"], row["family"]),
            "shape_name": shapes.get(row["family"], ""),
        }
        for row in sorted(rows, key=lambda row: (-(row.get(size_metric) or 0), row["label"].casefold()))
    ]
    names = {pk: node.name for pk, node in network.nodes.items()}
    edges = [
        {
            "source_name": names[edge.source],
            "target_name": names[edge.target],
            "kind": edge.kind,
            "kind_name": labels["kind"].get(edge.kind, edge.kind),
            "level": edge.level,
            "level_name": labels["collaboration"].get(str(edge.level), ""),
            "directed": edge.is_directed,
            "provenance": edge.provenance,
            "provenance_name": labels["provenance"].get(edge.provenance, edge.provenance),
            "planned": edge.status == TieStatus.PLANNED,
            "evidence": edge.evidence,
        }
        for edge in network.edges[:edge_limit]
    ]
    return {"nodes": nodes, "edges": edges, "edges_left_out": max(len(network.edges) - edge_limit, 0)}
