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
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from itertools import repeat
from operator import attrgetter, ne
from typing import Any

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components, shortest_path
from scipy.sparse.linalg import eigsh

from healthywork.network.graph import Edge, Node

try:  # the C counter behind collections.Counter, on a plain dict (what Counter itself falls back to)
    from _collections import _count_elements
except ImportError:  # pragma: no cover - other Pythons

    def _count_elements(mapping: dict, iterable: Iterable) -> None:
        for element in iterable:
            mapping[element] = mapping.get(element, 0) + 1


HEALTH = "health"
LABOR = "labor"
GROUP_ATTRIBUTES = {"sector": "sector", "sector_family": "family", "family": "family"}
BROKERS_LISTED = 10
BOUND_CONFIDENCE = 0.95  # the probability with which the stated sampling error bound holds
TRUST_ITEMS = ("trust_reliability", "trust_mission", "trust_openness")
VALUE_ITEMS = ("value_power", "value_involvement", "value_resources")
RATING_MAX = 4
BRANDES_CELLS = 640_000  # node × source cells per block of breadth-first searches (≈ 5 MB each)
SPARSE_PRODUCT_ADVANTAGE = 4  # a sparse × sparse product does about this much more work per entry
SAMPLED_SOURCES = 1000  # k above the exactness threshold (never more than the threshold itself)
DENSE_EIGEN = 500  # up to this many nodes the eigenvector comes from a dense solver
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
    pairs: np.ndarray  # undirected ties, rows (i, j) with i < j, sorted
    arcs: np.ndarray  # arcs as sorted unique keys source · n + target
    directed_arcs: np.ndarray  # the arcs given by directed edges, likewise


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The sorted distinct values (np.unique, without its slower hash path in numpy 2.4)."""
    keys = np.sort(keys)
    return keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys


def _views(nodes: Mapping[Hashable, Node], edges: list[Edge]) -> _Views:
    ids = list(nodes)
    n = len(ids)
    index = {node_id: position for position, node_id in enumerate(ids)}
    # one pass in C per field (map and attrgetter), then numpy
    source = np.fromiter(map(index.get, map(attrgetter("source"), edges), repeat(-1)), np.int64, len(edges))
    target = np.fromiter(map(index.get, map(attrgetter("target"), edges), repeat(-1)), np.int64, len(edges))
    is_tie = np.fromiter(map(ne, map(attrgetter("level"), edges), repeat(0)), bool, len(edges))
    # "no interaction" (level 0) on the Levels of Collaboration scale is not a tie
    kept = is_tie & (source >= 0) & (target >= 0) & (source != target)
    is_directed = np.fromiter(map(attrgetter("is_directed"), edges), bool, len(edges))[kept]
    source, target = source[kept], target[kept]
    pair_keys = _distinct(np.minimum(source, target) * n + np.maximum(source, target))
    pairs = np.stack([pair_keys // n, pair_keys % n], axis=1) if n else np.zeros((0, 2), dtype=np.int64)
    forward = source * n + target
    arcs = _distinct(np.concatenate([forward, (target * n + source)[~is_directed]]))
    return _Views(ids, index, pairs, arcs, _distinct(forward[is_directed]))


def _matrix(views: _Views) -> csr_array:
    n = len(views.ids)
    if not len(views.pairs):
        return csr_array((n, n), dtype=np.int8)
    rows, cols = views.pairs.T
    data = np.ones(2 * len(rows), dtype=np.int8)
    matrix = csr_array((data, (np.concatenate([rows, cols]), np.concatenate([cols, rows]))), shape=(n, n))
    matrix.sort_indices()
    return matrix


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


def reciprocity(arcs: np.ndarray, directed_arcs: np.ndarray, n: int) -> float | None:
    """Share of the arcs given by directed edges whose reverse arc exists (from any edge); None
    when no edge is directed (an undirected tie is mutual by definition and is not counted). Arcs
    are keys source · n + target."""
    if not len(directed_arcs):
        return None
    reverse = (directed_arcs % n) * n + directed_arcs // n
    return int(np.isin(reverse, arcs, assume_unique=True).sum()) / len(directed_arcs)


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


def _searches(
    adjacency: csr_array, block: np.ndarray, component_sizes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """The breadth-first searches from a block of sources at once, as sparse-matrix products (the
    algebraic form of Brandes' algorithm): σ, the number of shortest paths from each source (a
    column) to each node (a row), the depth (distance; −1 where unreached) and the deepest level.
    Level 1 is the sources' rows of the matrix; level 2 is a sparse product when the sources'
    neighbourhoods are small (it costs their neighbours' degrees, not the whole matrix); a search
    stops as soon as it has reached the whole of its source's component, so no product is spent
    finding nothing."""
    n, width = adjacency.shape[0], len(block)
    columns = np.arange(width)
    rows = adjacency[block]  # the sources' neighbours: one shortest path to each
    frontier = np.ascontiguousarray(rows.toarray().T)
    sigma = frontier.copy()
    sigma[block, columns] = 1
    depth = np.full((n, width), -1, dtype=np.int32)
    depth[frontier > 0] = 1
    depth[block, columns] = 0
    visited, needed, deepest = width + rows.nnz, int(component_sizes.sum()), 1
    degrees = np.diff(adjacency.indptr)
    sparse_second = degrees[rows.indices].sum() * SPARSE_PRODUCT_ADVANTAGE < adjacency.nnz * width
    while visited < needed:
        if deepest == 1 and sparse_second:
            reached = np.ascontiguousarray((rows @ adjacency).toarray().T)
        else:
            reached = adjacency @ frontier
        reached *= depth < 0
        is_new = reached > 0
        count = int(np.count_nonzero(is_new))
        if not count:  # cannot happen when the component sizes are right; a guard against looping
            break
        deepest += 1
        depth[is_new] = deepest
        sigma += reached
        visited += count
        frontier = reached
    return sigma, depth, deepest


def _dependencies(
    adjacency: csr_array, sigma: np.ndarray, depth: np.ndarray, deepest: int, weight: float | np.ndarray
) -> np.ndarray:
    """Brandes' (2001) dependencies δ_s(v) = Σ_w σ_sv/σ_sw · (t_w + δ_s(w)) over the successors w of
    v, from the deepest level up, for each source (column) of a block searched by `_searches`;
    t_w is `weight` (1 for every target, or a column of 0/1 marking the targets). Level 1 pulls
    nothing (only into the source, whose own dependency is not counted)."""
    inverse = np.zeros_like(sigma)
    np.divide(1, sigma, out=inverse, where=sigma > 0)
    delta = np.zeros_like(sigma)
    at_level = depth == deepest
    for level in range(deepest, 1, -1):
        share = delta + weight
        share *= inverse
        share *= at_level
        pulled = adjacency @ share
        above = depth == level - 1
        pulled *= sigma
        pulled *= above
        delta += pulled
        at_level = above
    return delta


@dataclass
class PathMeasures:
    betweenness: np.ndarray  # normalized
    closeness: np.ndarray
    k: int | None  # sampled sources, None when exact
    brokerage: np.ndarray  # health–labor pairs brokered (unnormalized), of every node


def path_measures(
    matrix: csr_array,
    component: np.ndarray,
    sample_above: int,
    seed: int,
    health: np.ndarray | None = None,
    labor: np.ndarray | None = None,
) -> PathMeasures:
    """Betweenness, closeness and health–labor brokerage of the undirected view, from one set of
    breadth-first searches (`health` and `labor` are boolean arrays over the nodes).

    Betweenness (Freeman 1977; Brandes 2001), as networkx `betweenness_centrality(normalized=True)`:
    Σ_s δ_s(v) / ((n − 1)(n − 2)). Closeness with the Wasserman & Faust (1994) correction, as
    networkx `closeness_centrality()`: (r/(n − 1)) · (r / Σ_u d(v, u)), r the nodes v reaches.
    Brokerage: Σ over health h and labor l of σ_hl(v)/σ_hl, i.e. δ_h(v) with the labor
    organizations as targets, from every health organization (never sampled).

    Above `sample_above` nodes, k = min(sample_above, SAMPLED_SOURCES) sources are drawn as networkx
    draws them (random.Random(seed).sample); betweenness is rescaled as networkx 3.6 does (1/((k − 1)(n − 2))
    for a sampled node, 1/(k(n − 2)) otherwise; Brandes & Pich 2007), and a node's mean distance
    is estimated from the sampled sources in its component (Eppstein & Wang 2004), r being known
    exactly from the components. A node whose component holds no other sampled source gets its
    exact closeness (such components are small). Sampled searches run in single precision
    (relative rounding ≈ 1e-7, nothing beside the sampling error); exact ones in double, as networkx."""
    n = matrix.shape[0]
    brokerage = np.zeros(n)
    with_brokers = health is not None and labor is not None and health.any() and labor.any()
    if n <= 2:
        return PathMeasures(np.zeros(n), closeness(matrix), None, brokerage)
    exact = n <= sample_above
    k = n if exact else min(sample_above, SAMPLED_SOURCES)
    sampled = np.zeros(n, dtype=bool)
    sampled[list(range(n)) if exact else random.Random(seed).sample(range(n), k)] = True
    searched = sampled | health if with_brokers else sampled
    # sources in runs of one kind, so that most blocks need no column selection
    kinds = sampled.astype(np.int8) * 2 + (health if with_brokers else 0)
    sources = np.flatnonzero(searched)
    sources = sources[np.argsort(-kinds[sources], kind="stable")]
    adjacency = matrix.astype(np.float64 if exact else np.float32)
    sizes = np.bincount(component)[component]
    target_weight = labor.astype(adjacency.dtype)[:, None] if with_brokers else None
    raw, distance_sum, reached_by = np.zeros(n), np.zeros(n), np.zeros(n)
    block_size = max(1, BRANDES_CELLS // n)
    for start in range(0, len(sources), block_size):
        block = sources[start : start + block_size]
        sigma, depth, deepest = _searches(adjacency, block, sizes[block])
        for wanted, weight in ((sampled[block], 1), (health[block] if with_brokers else None, target_weight)):
            if wanted is None or not wanted.any():
                continue
            these_sigma, these_depth = (
                (sigma, depth) if wanted.all() else (sigma[:, wanted], depth[:, wanted])
            )
            delta = _dependencies(adjacency, these_sigma, these_depth, deepest, weight)
            if weight is target_weight:
                brokerage += delta.sum(axis=1, dtype=np.float64)
                continue
            raw += delta.sum(axis=1, dtype=np.float64)
            reached = these_depth >= 0
            distance_sum += np.where(reached, these_depth, 0).sum(axis=1)
            reached_by += reached.sum(axis=1)
    if exact:
        between = raw / ((n - 1) * (n - 2))
    else:
        between = raw / np.where(sampled, (k - 1) * (n - 2), k * (n - 2))
    reach = np.bincount(component)[component] - 1  # r: the others in the node's component
    samples = reached_by - sampled  # sources other than the node itself that reach it
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_distance = distance_sum / samples
        close = np.where((reach > 0) & (samples > 0), (reach / (n - 1)) / mean_distance, 0.0)
    missing = np.flatnonzero((reach > 0) & (samples == 0))
    if len(missing):
        close[missing] = closeness(matrix, missing)[missing]
    return PathMeasures(between, close, None if exact else k, brokerage)


def eigenvector(matrix: csr_array, notes: list[str]) -> np.ndarray | None:
    """The leading eigenvector of the adjacency matrix, of unit length and positive sum, as networkx
    `eigenvector_centrality_numpy` gives it: LAPACK's symmetric solver up to DENSE_EIGEN nodes,
    ARPACK's Lanczos (scipy `eigsh`, largest algebraic eigenvalue, to machine precision) above."""
    n = matrix.shape[0]
    if matrix.nnz == 0:
        notes.append("eigenvector centrality is undefined: the network has no ties")
        return None
    adjacency = matrix.astype(np.float64)
    try:
        if n <= DENSE_EIGEN:
            vector = np.linalg.eigh(adjacency.toarray())[1][:, -1]
        else:
            vector = eigsh(adjacency, k=1, which="LA", v0=np.ones(n))[1][:, 0]
    except Exception as error:  # ARPACK convergence
        notes.append(f"eigenvector centrality could not be computed: {error}")
        return None
    labels = connected_components(matrix, directed=False)[1]
    if (np.bincount(labels) > 1).sum() > 1:  # isolates have 0 anyway
        notes.append(
            "the network has several components with ties: eigenvector centrality is (nearly) 0 "
            "outside the component with the largest eigenvalue, so compare it only within one component"
        )
    return vector / (np.sign(vector.sum()) * np.linalg.norm(vector))


# Louvain communities: networkx's algorithm, on plain lists -----------------------------------


def _modularity(adjacency: list[dict[int, float]], degrees: list, communities: list[list[int]]) -> float:
    """Newman's modularity Σ_c L_c/m − (d_c / 2m)², computed as networkx `modularity` does at
    resolution 1 (the same floating-point operations in the same order)."""
    degree_sum = sum(degrees)
    m, norm = degree_sum / 2, 1 / degree_sum**2
    contributions = []
    for members in communities:
        inside, internal = set(members), 0
        for node in members:
            for neighbour, weight in adjacency[node].items():
                if neighbour == node:
                    internal += 2 * weight
                elif neighbour in inside:
                    internal += weight
        degree = sum(degrees[node] for node in members)
        contributions.append(internal / 2 / m - degree * degree * norm)
    return sum(contributions)


def _local_moves(adjacency, degrees, m, rng, unit_neighbours=None) -> tuple[list[int], bool]:
    """Louvain's first phase, exactly as networkx `_one_level` (undirected): nodes in a shuffled
    order, each moved to the neighbouring community of largest modularity gain (the first such in
    the order its neighbours list them), until a pass moves none. `unit_neighbours` (lists of
    neighbours) replaces `adjacency` when every weight is 1, to count in C."""
    size = len(adjacency)
    community = list(range(size))
    totals = list(degrees)
    if unit_neighbours is None:
        weighted = [{v: w for v, w in row.items() if v != u} for u, row in enumerate(adjacency)]
    order = list(range(size))
    rng.shuffle(order)
    two_m_squared = 2 * m**2
    community_of = community.__getitem__
    moves, improvement = 1, False
    while moves:
        moves = 0
        for u in order:
            best_gain, best = 0, community[u]
            here = best
            if unit_neighbours is not None:
                weights: dict[int, float] = {}
                _count_elements(weights, map(community_of, unit_neighbours[u]))
            else:
                weights = {}
                for v, w in weighted[u].items():
                    c = community[v]
                    weights[c] = weights.get(c, 0.0) + w
            if here not in weights:
                weights[here] = 0.0
            degree = degrees[u]
            totals[here] -= degree
            # networkx multiplies by the resolution, 1 here: the same numbers without that product
            remove_cost = -weights[here] / m + (totals[here] * degree) / two_m_squared
            for c, w in weights.items():
                gain = remove_cost + w / m - (totals[c] * degree) / two_m_squared
                if gain > best_gain:
                    best_gain, best = gain, c
            totals[best] += degree
            if best != here:
                community[u] = best
                moves += 1
                improvement = True
    return community, improvement


def _aggregate(adjacency: list[dict[int, float]], labels: list[int]) -> list[dict[int, float]]:
    """Louvain's second phase, as networkx `_gen_graph`: one node per community, the weights of the
    edges between (and within) communities summed, in networkx's order."""
    size = max(labels) + 1
    result: list[dict[int, float]] = [{} for _ in range(size)]
    seen: set[int] = set()
    for u, row in enumerate(adjacency):
        cu = labels[u]
        for v, w in row.items():
            if v in seen:
                continue
            cv = labels[v]
            total = result[cu].get(cv, 0) + w
            result[cu][cv] = total
            result[cv][cu] = total
        seen.add(u)
    return result


def louvain(neighbours: list[list[int]], seed: int, threshold: float = 1e-7) -> list[list[int]]:
    """Louvain communities (Blondel et al. 2008) of an unweighted graph given as sorted neighbour
    lists: the same partition as networkx `louvain_communities(G, seed=seed)` when G's nodes are
    0 … n − 1 and its adjacency lists ascending (the same random order, moves, tie-breaks and
    stopping rule; tests hold it to networkx), several times faster, the first level's neighbour
    weights being counted in C. Levels repeat while modularity rises by more than `threshold`."""
    n = len(neighbours)
    rng = random.Random(seed)
    adjacency: list[dict[int, float]] = [dict.fromkeys(row, 1) for row in neighbours]
    degrees = [len(row) for row in neighbours]
    if not any(degrees):
        return [[node] for node in range(n)]
    m = sum(degrees) / 2
    current = _modularity(adjacency, degrees, [[node] for node in range(n)])
    membership = list(range(n))  # original node -> node of the current level
    community, _improvement = _local_moves(adjacency, degrees, m, rng, neighbours)
    while True:
        renumber = {label: number for number, label in enumerate(sorted(set(community)))}
        labels = [renumber[label] for label in community]
        membership = [labels[node] for node in membership]
        inner: list[list[int]] = [[] for _ in renumber]
        for node, label in enumerate(labels):
            inner[label].append(node)
        new = _modularity(adjacency, degrees, inner)
        if new - current <= threshold:
            break
        current = new
        adjacency = _aggregate(adjacency, labels)
        degrees = [sum(row.values()) + row.get(u, 0) for u, row in enumerate(adjacency)]
        community, improvement = _local_moves(adjacency, degrees, m, rng)
        if not improvement:
            break
    members: dict[int, list[int]] = defaultdict(list)
    for node, label in enumerate(membership):
        members[label].append(node)
    return [members[label] for label in sorted(members)]


def modularity(matrix: csr_array, communities: list[list[int]]) -> float | None:
    """Newman (2006) modularity of a partition of the undirected view: Σ_c L_c/m − (d_c/2m)²."""
    m = matrix.nnz / 2
    if not m:
        return None
    label = np.empty(matrix.shape[0], dtype=np.int64)
    for number, members in enumerate(communities):
        label[members] = number
    coo = matrix.tocoo()
    inside = np.bincount(label[coo.row][label[coo.row] == label[coo.col]], minlength=len(communities)) / 2
    degree = np.bincount(label, weights=np.diff(matrix.indptr), minlength=len(communities))
    return float((inside / m - (degree / (2 * m)) ** 2).sum())


def brokers_of(
    brokerage: np.ndarray, health: np.ndarray, labor: np.ndarray, component: np.ndarray, limit: int
) -> tuple[list[tuple[int, float]], int]:
    """The top `limit` non-zero (node, score) of the health–labor brokerage that `path_measures`
    counts: for each node v, Σ σ_hl(v)/σ_hl over health organizations h and labor organizations l
    (v ≠ h, l), a pair with several shortest paths being shared among them (networkx
    `betweenness_centrality_subset(G, health, labor)` gives half of it on an undirected graph);
    and the number of health–labor pairs joined by some path (the denominator of a share)."""
    if not health.any() or not labor.any():
        return [], 0
    candidates = np.flatnonzero(brokerage > 1e-9)
    ranked = sorted(((int(v), float(brokerage[v])) for v in candidates), key=lambda item: (-item[1], item[0]))
    labor_per_component = np.bincount(component[labor], minlength=component.max() + 1)
    return ranked[:limit], int(labor_per_component[component[health]].sum())


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
    it sets the groups of the E-I index and of the group matrix. Betweenness and closeness are
    exact up to `betweenness_sample_above` nodes and estimated above it from k =
    min(betweenness_sample_above, SAMPLED_SOURCES) random sources, with the error bound
    `betweenness_error_bound(n, k)` (`seed` fixes the sample and the Louvain communities, so a
    result is reproducible). Brokers are always exact.
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

    a, b = views.pairs[:, 0], views.pairs[:, 1]
    degrees = np.bincount(views.pairs.ravel(), minlength=n).tolist()
    degree_out = np.bincount(views.arcs // max(n, 1), minlength=n).tolist()
    degree_in = np.bincount(views.arcs % max(n, 1), minlength=n).tolist()

    # E-I: whole network, per group, per node; and the group matrix
    group_names = sorted(set(groups))
    group_position = {group: position for position, group in enumerate(group_names)}
    code = np.array([group_position[group] for group in groups], dtype=np.int64)
    size = len(group_names)
    ga, gb = code[a], code[b]
    ordered = np.bincount(ga * size + gb, minlength=size * size).reshape(size, size)
    counts = (ordered + ordered.T - np.diag(np.diag(ordered))).tolist()
    across = ga != gb
    group_external = (
        np.bincount(ga[across], minlength=size) + np.bincount(gb[across], minlength=size)
    ).tolist()
    group_internal = np.bincount(ga[~across], minlength=size).tolist()
    node_external = (np.bincount(a[across], minlength=n) + np.bincount(b[across], minlength=n)).tolist()
    node_internal = (np.bincount(a[~across], minlength=n) + np.bincount(b[~across], minlength=n)).tolist()
    health = np.array([family == HEALTH for family in families], dtype=bool)
    labor = np.array([family == LABOR for family in families], dtype=bool)
    health_labor = int(((health[a] & labor[b]) | (labor[a] & health[b])).sum())
    external = int(across.sum())
    internal = len(views.pairs) - external

    matrix = _matrix(views)
    component_count, component_labels = (
        connected_components(matrix, directed=False) if n else (0, np.zeros(0, dtype=int))
    )
    paths = path_measures(matrix, component_labels, betweenness_sample_above, seed, health, labor)
    eigenvector_values = eigenvector(matrix, notes)
    neighbours = np.split(matrix.indices, matrix.indptr[1:-1]) if n else []
    found = louvain([row.tolist() for row in neighbours], seed)
    communities = sorted(found, key=lambda members: (-len(members), members))
    community_of = {node: number for number, members in enumerate(communities) for node in members}
    brokers, health_labor_pairs = brokers_of(paths.brokerage, health, labor, component_labels, BROKERS_LISTED)

    per_node = {
        ids[i]: {
            "name": nodes[ids[i]].name,
            "group": groups[i],
            "family": families[i],
            "degree_in": degree_in[i],
            "degree_out": degree_out[i],
            "degree": degrees[i],
            "betweenness": float(paths.betweenness[i]),
            "closeness": float(paths.closeness[i]),
            "eigenvector": None if eigenvector_values is None else float(eigenvector_values[i]),
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
        reciprocity=reciprocity(views.arcs, views.directed_arcs, n),
        ei_index=ei_index(external, internal),
        external_ties=external,
        internal_ties=internal,
        ei_by_group={
            group: ei_index(group_external[position], group_internal[position])
            for position, group in enumerate(group_names)
        },
        ei_counts={
            group: {"external": group_external[position], "internal": group_internal[position]}
            for position, group in enumerate(group_names)
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
        modularity=modularity(matrix, communities),
        per_node=per_node,
        health_labor_share=_ratio(health_labor, len(views.pairs)),
        health_labor_ties=health_labor,
        collaboration=collaboration(edges, views.index, ids),
        betweenness_sampled=paths.k is not None,
        betweenness_k=paths.k,
        betweenness_error_bound=None if paths.k is None else betweenness_error_bound(n, paths.k),
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
