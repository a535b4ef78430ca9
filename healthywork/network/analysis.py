"""Network metrics on plain data: the nodes and edges `network.graph` builds (or any file gives).

Pure functions, no ORM: `analyse(nodes, edges)` for one network, `trust_value(ratings)` for the
PARTNER-style trust and value scores of survey answers, `compare(...)` for two waves. Every
formula, its source and our choices are in docs/network-metrics.md; the short version:

- The binary undirected view: a pair of organizations is tied when any edge joins them (either
  direction, any kind; an edge rated level 0, "no interaction", does not make a tie). `ties` counts
  these pairs; density, centralization, components, betweenness, closeness, eigenvector, E-I,
  communities and brokers are computed on it.
- Arcs: a directed edge gives one arc, an undirected edge gives arcs both ways; in- and
  out-degree and reciprocity use the arcs.
"""

import math
import random
import warnings
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components, shortest_path

from healthywork.network.graph import Edge, Node

HEALTH = "health"
LABOR = "labor"
GROUP_ATTRIBUTES = {"sector": "sector", "sector_family": "family", "family": "family"}
BROKERS_LISTED = 10
BOUND_CONFIDENCE = 0.95  # the probability with which the stated sampling error bound holds
TRUST_ITEMS = ("trust_reliability", "trust_mission", "trust_openness")
VALUE_ITEMS = ("value_power", "value_involvement", "value_resources")
RATING_MAX = 4
BRANDES_CELLS = 1_500_000  # node × source cells per block of breadth-first searches (≈ 12 MB each)
CLOSENESS_CHUNK = 256  # BFS sources per scipy call: bounds memory at chunk × n distances


@dataclass
class NetworkMetrics:
    """Everything `analyse` measures. Node ids are the keys of the `nodes` given (organization pks
    for a wave). A measure that is undefined for this network (density of one node, reciprocity
    without directed edges, E-I without ties) is None."""

    nodes: int
    ties: int
    arcs: int
    density: float | None
    degree_centralization: float | None
    reciprocity: float | None
    ei_index: float | None
    external_ties: int
    internal_ties: int
    ei_by_group: dict[str, float | None]
    ei_counts: dict[str, dict[str, int]]
    components: int
    largest_component: int
    group_by: str
    group_matrix: dict[str, list]
    brokers: list[dict[str, Any]]
    health_labor_pairs: int
    communities: list[list[Hashable]]
    modularity: float | None
    per_node: dict[Hashable, dict[str, Any]]
    health_labor_share: float | None
    health_labor_ties: int
    collaboration: dict[str, Any]
    betweenness_sampled: bool
    betweenness_k: int | None
    betweenness_error_bound: float | None
    trust: dict[str, Any] | None = None
    value: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready data (node ids as given; json.dumps turns int keys into strings)."""
        return asdict(self)


# the two views of the network ---------------------------------------------------------------


@dataclass
class _Views:
    ids: list[Hashable]  # position -> node id
    index: dict[Hashable, int]
    pairs: set[tuple[int, int]]  # undirected ties, (i, j) with i < j
    arcs: set[tuple[int, int]]
    directed_arcs: set[tuple[int, int]]  # arcs given by directed edges
    neighbours: list[set[int]]


def _views(nodes: Mapping[Hashable, Node], edges: Iterable[Edge]) -> _Views:
    ids = list(nodes)
    index = {node_id: position for position, node_id in enumerate(ids)}
    pairs: set[tuple[int, int]] = set()
    arcs: set[tuple[int, int]] = set()
    directed_arcs: set[tuple[int, int]] = set()
    for edge in edges:
        if edge.level == 0:  # "no interaction" on the Levels of Collaboration scale is not a tie
            continue
        source, target = index.get(edge.source), index.get(edge.target)
        if source is None or target is None or source == target:
            continue
        pairs.add((source, target) if source < target else (target, source))
        arcs.add((source, target))
        if edge.is_directed:
            directed_arcs.add((source, target))
        else:
            arcs.add((target, source))
    neighbours: list[set[int]] = [set() for _ in ids]
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    return _Views(ids, index, pairs, arcs, directed_arcs, neighbours)


def _graph(views: _Views) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(range(len(views.ids)))
    graph.add_edges_from(views.pairs)
    return graph


def _matrix(views: _Views) -> csr_array:
    n = len(views.ids)
    if not views.pairs:
        return csr_array((n, n), dtype=np.int8)
    rows, cols = np.array(sorted(views.pairs), dtype=np.int64).T
    data = np.ones(2 * len(rows), dtype=np.int8)
    return csr_array((data, (np.concatenate([rows, cols]), np.concatenate([cols, rows]))), shape=(n, n))


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


# whole-network measures ----------------------------------------------------------------------


def density(n: int, ties: int) -> float | None:
    """Undirected density 2m / (n(n − 1)); None below two nodes."""
    return _ratio(2 * ties, n * (n - 1)) if n >= 2 else None


def degree_centralization(degrees: list[int]) -> float | None:
    """Freeman's degree centralization of an undirected binary graph (Freeman 1979):
    Σ (d_max − d_i) / ((n − 1)(n − 2)); 1 for a star, 0 for a regular graph; None below 3 nodes."""
    n = len(degrees)
    if n < 3:
        return None
    top = max(degrees)
    return sum(top - degree for degree in degrees) / ((n - 1) * (n - 2))


def reciprocity(arcs: set[tuple[int, int]], directed_arcs: set[tuple[int, int]]) -> float | None:
    """Share of the arcs given by directed edges whose reverse arc exists (from any edge); None
    when no edge is directed (an undirected tie is mutual by definition and is not counted)."""
    if not directed_arcs:
        return None
    mutual = sum(1 for source, target in directed_arcs if (target, source) in arcs)
    return mutual / len(directed_arcs)


def ei_index(external: int, internal: int) -> float | None:
    """Krackhardt & Stern (1988): (EL − IL) / (EL + IL); None without ties."""
    return _ratio(external - internal, external + internal)


def betweenness_error_bound(n: int, k: int, confidence: float = BOUND_CONFIDENCE) -> float:
    """Additive error of k-source (pivot) sampled normalized betweenness that holds for every node
    at once with the given probability: ε = n/(n − 1) · √(ln(2n/δ) / (2k)), δ = 1 − confidence.
    Hoeffding's inequality on the per-source dependencies δ_s(v)/(n − 2) ∈ [0, 1] (Brandes & Pich
    2007, Hoeffding 1963 §6 for sampling without replacement), union bound over the n nodes."""
    delta = 1 - confidence
    return n / (n - 1) * math.sqrt(math.log(2 * n / delta) / (2 * k))


def closeness(matrix: csr_array, nodes: np.ndarray | None = None) -> np.ndarray:
    """Closeness with the Wasserman & Faust (1994) correction for disconnected graphs, as networkx
    `closeness_centrality(wf_improved=True)`: (r/(N − 1)) · (r / Σ d) with r the nodes a node
    reaches; 0 for an isolate. Of every node, or of `nodes` only (the others stay 0). Searches in
    scipy (C), a chunk of sources at a time; the matrix is symmetric, so "directed" is the same."""
    n = matrix.shape[0]
    result = np.zeros(n)
    if n < 2:
        return result
    wanted = np.arange(n) if nodes is None else np.asarray(nodes)
    for start in range(0, len(wanted), CLOSENESS_CHUNK):
        sources = wanted[start : start + CLOSENESS_CHUNK]
        distances = shortest_path(matrix, directed=True, unweighted=True, indices=sources)
        reachable = np.isfinite(distances)
        count = reachable.sum(axis=1) - 1
        total = np.where(reachable, distances, 0).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(total > 0, (count / total) * (count / (n - 1)), 0.0)
        result[sources] = values
    return result


def shortest_path_dependencies(
    matrix: csr_array, sources: Iterable[int], targets: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Σ over `sources` s of Brandes' (2001) dependency δ_s(v) = Σ_t σ_st(v)/σ_st, over targets t
    (every node, or those where the boolean array `targets` is true), for an unweighted undirected
    graph given as a symmetric adjacency matrix. The breadth-first searches of a block of sources
    run together as sparse-matrix products (the algebraic form of Brandes' algorithm), which is
    some fifty times faster than networkx's per-source Python loop; tests hold it to networkx.
    Also returns, per node, the sum of its distances from the sources that reach it and the number
    of those sources (itself included when it is one), from which closeness follows."""
    n = matrix.shape[0]
    sources = np.asarray(list(sources), dtype=np.int64)
    total, distance_sum, reached_by = np.zeros(n), np.zeros(n), np.zeros(n)
    if n == 0 or len(sources) == 0:
        return total, distance_sum, reached_by
    adjacency = matrix.astype(np.float64)
    weight = np.ones((n, 1)) if targets is None else targets.astype(np.float64)[:, None]
    block_size = max(1, BRANDES_CELLS // n)
    for start in range(0, len(sources), block_size):
        block = sources[start : start + block_size]
        columns = np.arange(len(block))
        sigma = np.zeros((n, len(block)))  # number of shortest paths from each source
        sigma[block, columns] = 1
        depth = np.full((n, len(block)), -1, dtype=np.int32)
        depth[block, columns] = 0
        frontier, deepest = sigma.copy(), 0
        while True:
            reached = adjacency @ frontier
            reached[depth >= 0] = 0
            is_new = reached > 0
            if not is_new.any():
                break
            deepest += 1
            depth[is_new] = deepest
            sigma += reached
            frontier = reached
        delta = np.zeros_like(sigma)
        for level in range(deepest, 0, -1):
            at_level = depth == level
            share = np.zeros_like(sigma)
            share[at_level] = ((weight + delta) / np.where(at_level, sigma, 1))[at_level]
            pulled = adjacency @ share
            above = depth == level - 1
            delta[above] += (sigma * pulled)[above]
        delta[block, columns] = 0
        total += delta.sum(axis=1)
        reached = depth >= 0
        distance_sum += np.where(reached, depth, 0).sum(axis=1)
        reached_by += reached.sum(axis=1)
    return total, distance_sum, reached_by


def path_centralities(
    matrix: csr_array, component: np.ndarray, sample_above: int, seed: int
) -> tuple[np.ndarray, np.ndarray, int | None]:
    """Normalized betweenness and closeness of the undirected view, from one set of breadth-first
    searches; returns (betweenness, closeness, k), k None when exact.

    Betweenness (Freeman 1977; Brandes 2001), as networkx `betweenness_centrality(normalized=True)`:
    Σ_s δ_s(v) / ((n − 1)(n − 2)). Closeness with the Wasserman & Faust (1994) correction, as
    networkx `closeness_centrality()`: (r/(n − 1)) · (r / Σ_u d(v, u)), r the nodes v reaches.

    Above `sample_above` nodes, k = sample_above sources are drawn as networkx draws them
    (random.Random(seed).sample); betweenness is rescaled as networkx 3.6 does (1/((k − 1)(n − 2))
    for a sampled node, 1/(k(n − 2)) otherwise; Brandes & Pich 2007), and a node's mean distance
    is estimated from the sampled sources in its component (Eppstein & Wang 2004), r being known
    exactly from the components. A node whose component holds no other sampled source gets its
    exact closeness (such components are small)."""
    n = matrix.shape[0]
    if n <= 2:
        return np.zeros(n), closeness(matrix), None
    exact = n <= sample_above
    k = n if exact else sample_above
    sources = list(range(n)) if exact else random.Random(seed).sample(range(n), k)
    raw, distance_sum, reached_by = shortest_path_dependencies(matrix, sources)
    if exact:
        between = raw / ((n - 1) * (n - 2))
    else:
        scale = np.full(n, 1 / (k * (n - 2)))
        scale[sources] = 1 / ((k - 1) * (n - 2))
        between = raw * scale
    is_source = np.zeros(n, dtype=bool)
    is_source[sources] = True
    reach = np.bincount(component)[component] - 1  # r: the others in the node's component
    samples = reached_by - is_source  # sources other than the node itself that reach it
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_distance = distance_sum / samples
        close = np.where((reach > 0) & (samples > 0), (reach / (n - 1)) / mean_distance, 0.0)
    missing = np.flatnonzero((reach > 0) & (samples == 0))
    if len(missing):
        close[missing] = closeness(matrix, missing)[missing]
    return between, close, None if exact else k


def _eigenvector(graph: nx.Graph, notes: list[str]) -> dict[int, float] | None:
    if graph.number_of_edges() == 0:
        notes.append("eigenvector centrality is undefined: the network has no ties")
        return None
    try:
        with warnings.catch_warnings():  # scipy falls back to a dense solver on tiny graphs, and says so
            warnings.simplefilter("ignore", RuntimeWarning)
            return nx.eigenvector_centrality_numpy(graph)
    except Exception as error:  # ARPACK convergence and tiny graphs
        notes.append(f"eigenvector centrality could not be computed: {error}")
        return None


def _communities(graph: nx.Graph, seed: int) -> tuple[list[list[int]], float | None]:
    if graph.number_of_edges() == 0:
        return [[node] for node in graph.nodes], None
    found = nx.community.louvain_communities(graph, seed=seed)
    ordered = sorted((sorted(members) for members in found), key=lambda members: (-len(members), members))
    return ordered, nx.community.modularity(graph, found)


def health_labor_brokers(
    matrix: csr_array, families: list[str], component: np.ndarray, limit: int = BROKERS_LISTED
) -> tuple[list[tuple[int, float]], int]:
    """For each node v, the number of health–labor pairs it brokers: Σ σ_hl(v) / σ_hl over health
    organizations h and labor organizations l (v ≠ h, l), σ counting shortest paths; a pair with
    several shortest paths is shared among them. This is betweenness restricted to health–labor
    pairs, unnormalized (networkx `betweenness_centrality_subset(G, health, labor)` gives half of
    it on an undirected graph). Returns the top `limit` non-zero (node, score) and the number of
    health–labor pairs joined by some path (the denominator of a broker's share)."""
    health = [node for node, family in enumerate(families) if family == HEALTH]
    labor = np.array([family == LABOR for family in families], dtype=bool)
    if not health or not labor.any() or matrix.nnz == 0:
        return [], 0
    scores, _distances, _reached = shortest_path_dependencies(matrix, health, targets=labor)
    ranked = sorted(
        ((node, float(score)) for node, score in enumerate(scores) if score > 1e-9),
        key=lambda item: (-item[1], item[0]),
    )
    labor_per_component = Counter(component[labor].tolist())
    connected_pairs = sum(labor_per_component[component[node]] for node in health)
    return ranked[:limit], connected_pairs


def collaboration(edges: Iterable[Edge], index: Mapping[Hashable, int], ids: list[Hashable]) -> dict:
    """Levels of Collaboration (Frey et al. 2006) from edges that carry a level 0–5. A rating is
    one organization's level for one partner: a directed edge A→B is A's rating of B; an undirected
    edge is one rating of the pair. Several edges for the same rating (one per kind) count once, at
    their highest level. Mean and distribution are over ratings; `disagreements` lists the pairs
    whose two directed ratings (A→B, B→A) differ."""
    directed: dict[tuple[int, int], int] = {}
    undirected: dict[tuple[int, int], int] = {}
    for edge in edges:
        if edge.level is None:
            continue
        source, target = index.get(edge.source), index.get(edge.target)
        if source is None or target is None or source == target:
            continue
        if edge.is_directed:
            key = (source, target)
            directed[key] = max(directed.get(key, 0), edge.level)
        else:
            key = (source, target) if source < target else (target, source)
            undirected[key] = max(undirected.get(key, 0), edge.level)
    levels = list(directed.values()) + list(undirected.values())
    counts = Counter(levels)
    disagreements = []
    for (source, target), level in sorted(directed.items()):
        reverse = directed.get((target, source))
        if source < target and reverse is not None and reverse != level:
            disagreements.append({"a": ids[source], "b": ids[target], "a_to_b": level, "b_to_a": reverse})
    return {
        "ratings": len(levels),
        "mean": sum(levels) / len(levels) if levels else None,
        "distribution": {level: (counts[level] / len(levels) if levels else None) for level in range(6)},
        "counts": {level: counts[level] for level in range(6)},
        "disagreements": disagreements,
    }


# the entry point ----------------------------------------------------------------------------


def analyse(
    nodes: Mapping[Hashable, Node],
    edges: list[Edge],
    *,
    group_by: str = "sector",
    betweenness_sample_above: int = 2000,
    seed: int = 0,
) -> NetworkMetrics:
    """Every metric of one network (see the module docstring and docs/network-metrics.md).

    `group_by` is "sector" (the sector slug) or "sector_family" / "family" (the sector's family);
    it sets the groups of the E-I index and of the group matrix. Betweenness is exact up to
    `betweenness_sample_above` nodes and estimated from that many random sources above it
    (`seed` fixes the sample and the Louvain communities, so a result is reproducible).
    """
    if betweenness_sample_above < 2:
        raise ValueError("betweenness_sample_above must be 2 or more")
    if group_by not in GROUP_ATTRIBUTES:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_ATTRIBUTES)}, not {group_by!r}")
    attribute = GROUP_ATTRIBUTES[group_by]
    views = _views(nodes, edges)
    ids, n = views.ids, len(views.ids)
    groups = [getattr(nodes[node_id], attribute) or "" for node_id in ids]
    families = [nodes[node_id].family or "" for node_id in ids]
    notes: list[str] = []

    degrees = [len(neighbours) for neighbours in views.neighbours]
    degree_in, degree_out = [0] * n, [0] * n
    for source, target in views.arcs:
        degree_out[source] += 1
        degree_in[target] += 1

    # E-I: whole network, per group, per node; and the group matrix
    group_names = sorted(set(groups))
    group_position = {group: position for position, group in enumerate(group_names)}
    counts = [[0] * len(group_names) for _ in group_names]
    group_external: Counter = Counter()
    group_internal: Counter = Counter()
    node_external, node_internal = [0] * n, [0] * n
    health_labor = 0
    for a, b in views.pairs:
        ga, gb = groups[a], groups[b]
        row, col = group_position[ga], group_position[gb]
        counts[row][col] += 1
        if row != col:
            counts[col][row] += 1
            group_external[ga] += 1
            group_external[gb] += 1
            node_external[a] += 1
            node_external[b] += 1
        else:
            group_internal[ga] += 1
            node_internal[a] += 1
            node_internal[b] += 1
        if {families[a], families[b]} == {HEALTH, LABOR}:
            health_labor += 1
    external = sum(node_external) // 2
    internal = len(views.pairs) - external

    graph = _graph(views)
    matrix = _matrix(views)
    component_count, component_labels = (
        connected_components(matrix, directed=False) if n else (0, np.zeros(0, dtype=int))
    )
    betweenness_values, closeness_values, sample_k = path_centralities(
        matrix, component_labels, betweenness_sample_above, seed
    )
    eigenvector = _eigenvector(graph, notes)
    communities, modularity = _communities(graph, seed)
    community_of = {node: number for number, members in enumerate(communities) for node in members}
    brokers, health_labor_pairs = health_labor_brokers(matrix, families, component_labels)

    per_node = {
        ids[i]: {
            "name": nodes[ids[i]].name,
            "group": groups[i],
            "family": families[i],
            "degree_in": degree_in[i],
            "degree_out": degree_out[i],
            "degree": degrees[i],
            "betweenness": float(betweenness_values[i]),
            "closeness": float(closeness_values[i]),
            "eigenvector": None if eigenvector is None else float(eigenvector[i]),
            "ei": ei_index(node_external[i], node_internal[i]),
            "community": community_of[i],
        }
        for i in range(n)
    }
    return NetworkMetrics(
        nodes=n,
        ties=len(views.pairs),
        arcs=len(views.arcs),
        density=density(n, len(views.pairs)),
        degree_centralization=degree_centralization(degrees),
        reciprocity=reciprocity(views.arcs, views.directed_arcs),
        ei_index=ei_index(external, internal),
        external_ties=external,
        internal_ties=internal,
        ei_by_group={group: ei_index(group_external[group], group_internal[group]) for group in group_names},
        ei_counts={
            group: {"external": group_external[group], "internal": group_internal[group]}
            for group in group_names
        },
        components=int(component_count),
        largest_component=int(np.bincount(component_labels).max()) if n else 0,
        group_by=group_by,
        group_matrix={"groups": group_names, "labels": _group_labels(nodes, ids, groups), "counts": counts},
        brokers=[
            {
                "id": ids[node],
                "name": nodes[ids[node]].name,
                "family": families[node],
                "score": score,
                "share": _ratio(score, health_labor_pairs),
            }
            for node, score in brokers
        ],
        health_labor_pairs=health_labor_pairs,
        communities=[[ids[node] for node in members] for members in communities],
        modularity=modularity,
        per_node=per_node,
        health_labor_share=_ratio(health_labor, len(views.pairs)),
        health_labor_ties=health_labor,
        collaboration=collaboration(edges, views.index, ids),
        betweenness_sampled=sample_k is not None,
        betweenness_k=sample_k,
        betweenness_error_bound=None if sample_k is None else betweenness_error_bound(n, sample_k),
        notes=notes,
    )


def _group_labels(nodes: Mapping[Hashable, Node], ids: list[Hashable], groups: list[str]) -> dict[str, str]:
    """A readable name per group: the sector's name when grouping by sector, else the key."""
    labels: dict[str, str] = {}
    for node_id, group in zip(ids, groups, strict=True):
        node = nodes[node_id]
        labels.setdefault(group, node.sector_name if group == node.sector and node.sector_name else group)
    return labels


# trust and value ----------------------------------------------------------------------------


def _scores(ratings: list[Mapping[str, Any]], items: tuple[str, ...]) -> dict[str, Any]:
    received: dict[Hashable, list[int]] = defaultdict(list)
    raters: dict[Hashable, set] = defaultdict(set)
    relationship_means = []
    for rating in ratings:
        values = [rating.get(item) for item in items]
        values = [value for value in values if value is not None]
        if not values:
            continue
        for value in values:
            if not 1 <= value <= RATING_MAX:
                raise ValueError(f"a rating must be 1–{RATING_MAX}, not {value}")
        received[rating["partner"]].extend(values)
        raters[rating["partner"]].add(rating["respondent"])
        relationship_means.append(sum(values) / len(values))
    network = sum(relationship_means) / len(relationship_means) if relationship_means else None
    return {
        "network": network,
        "network_percent": None if network is None else network / RATING_MAX * 100,
        "relationships": len(relationship_means),
        "per_organization": {
            partner: {
                "score": sum(values) / len(values),
                "percent": sum(values) / len(values) / RATING_MAX * 100,
                "raters": len(raters[partner]),
            }
            for partner, values in received.items()
        },
    }


def trust_value(ratings: list[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """PARTNER-style trust and value (Varda et al.; the vendor publishes no exact formula, ours is in
    docs/network-metrics.md). Each rating is a dict with `respondent` and `partner` (organization
    ids) and the six items `trust_reliability`, `trust_mission`, `trust_openness`, `value_power`,
    `value_involvement`, `value_resources`, each 1–4 or None.

    An organization's trust (value) is the mean of every trust (value) item it received, pooled
    over its raters. The network's is the mean over rated relationships (respondent → partner
    with at least one item) of that relationship's item mean. Percent = score / 4 × 100.
    """
    return {"trust": _scores(ratings, TRUST_ITEMS), "value": _scores(ratings, VALUE_ITEMS)}


# two waves ----------------------------------------------------------------------------------

COMPARED = (
    "nodes",
    "ties",
    "density",
    "degree_centralization",
    "reciprocity",
    "ei_index",
    "components",
    "largest_component",
    "modularity",
    "health_labor_ties",
    "health_labor_share",
)


def _pair_levels(edges: Iterable[Edge], nodes: Mapping[Hashable, Node]) -> dict[frozenset, int | None]:
    """Health–labor pairs with a tie, and the highest level any of their edges carries."""
    levels: dict[frozenset, int | None] = {}
    for edge in edges:
        if edge.level == 0 or edge.source == edge.target:
            continue
        source, target = nodes.get(edge.source), nodes.get(edge.target)
        if source is None or target is None or {source.family, target.family} != {HEALTH, LABOR}:
            continue
        pair = frozenset((edge.source, edge.target))
        known = levels.get(pair)
        levels[pair] = edge.level if known is None else max(known, edge.level or 0)
    return levels


def compare(
    before: NetworkMetrics,
    after: NetworkMetrics,
    before_edges: list[Edge],
    after_edges: list[Edge],
    nodes: Mapping[Hashable, Node],
) -> dict[str, Any]:
    """Every whole-network measure of two waves side by side with its change (after − before; None
    when either is undefined), the E-I index of each group likewise, the collaboration and trust and
    value means when present, and the health–labor ties that are new, lost and strengthened (level
    increased) between them. `nodes` must hold the organizations of both waves."""

    def row(key: str, old: float | None, new: float | None) -> dict[str, Any]:
        change = None if old is None or new is None else new - old
        return {"key": key, "before": old, "after": new, "change": change}

    measures = [row(key, getattr(before, key), getattr(after, key)) for key in COMPARED]
    measures.append(row("collaboration_mean", before.collaboration["mean"], after.collaboration["mean"]))
    for name in ("trust", "value"):
        old, new = getattr(before, name), getattr(after, name)
        measures.append(row(f"{name}_network", old and old["network"], new and new["network"]))
    groups = sorted(set(before.ei_by_group) | set(after.ei_by_group))
    ei_rows = [row(group, before.ei_by_group.get(group), after.ei_by_group.get(group)) for group in groups]

    old_pairs, new_pairs = _pair_levels(before_edges, nodes), _pair_levels(after_edges, nodes)

    def describe(pair: frozenset) -> dict[str, Any]:
        health, labor = sorted(pair, key=lambda node_id: nodes[node_id].family != HEALTH)
        return {
            "health": health,
            "health_name": nodes[health].name,
            "labor": labor,
            "labor_name": nodes[labor].name,
            "level_before": old_pairs.get(pair),
            "level_after": new_pairs.get(pair),
        }

    def ordered(pairs: Iterable[frozenset]) -> list[dict[str, Any]]:
        rows = [describe(pair) for pair in pairs]
        return sorted(rows, key=lambda item: (item["health_name"], item["labor_name"]))

    strengthened = [
        pair
        for pair in old_pairs.keys() & new_pairs.keys()
        if old_pairs[pair] is not None and new_pairs[pair] is not None and new_pairs[pair] > old_pairs[pair]
    ]
    return {
        "measures": measures,
        "ei_by_group": ei_rows,
        "health_labor": {
            "new": ordered(new_pairs.keys() - old_pairs.keys()),
            "lost": ordered(old_pairs.keys() - new_pairs.keys()),
            "strengthened": ordered(strengthened),
        },
    }
