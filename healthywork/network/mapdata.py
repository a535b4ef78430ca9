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
Positions and metrics depend only on the node and edge set, so they are cached under a hash of that
set (Django's cache): a second visit to the same wave and filter reads them back.
"""

import hashlib
import json
import math
import random
from dataclasses import dataclass

import networkx as nx
import numpy as np
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from healthywork.network.analysis import analyse
from healthywork.network.graph import Edge, Network, NetworkFilter, build_network, roster_ids
from healthywork.network.models import CollaborationLevel, Provenance, TieKind, TieStatus
from healthywork.partners.models import Family, Level

SIZE_METRICS = ("degree", "betweenness", "eigenvector")
SPRING_LAYOUT_MAX_NODES = 300
CACHE_SECONDS = 24 * 60 * 60
CACHE_VERSION = "network-map:1"
SPACING = 40.0  # pixels between neighbouring organizations in a sector disc
EDGE_TABLE_LIMIT = 1000  # rows of the ties table on the page; the tie export has them all


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


def graph_key(network: Network) -> str:
    """A hash of the node and edge set: the same graph gives the same key, whatever the filter and
    whatever the order. The edges become rows of integers sorted by numpy (sorting 40,000 Python
    tuples costs ten times as much)."""
    codes: dict[str, int] = {}
    rows = np.array(
        [
            (
                edge.source,
                edge.target,
                codes.setdefault(edge.kind, len(codes)),
                -1 if edge.level is None else edge.level,
                edge.is_directed,
                codes.setdefault(edge.provenance, len(codes)),
                codes.setdefault(edge.status, len(codes)),
            )
            for edge in network.edges
        ],
        dtype=np.int64,
    ).reshape(-1, 7)
    # The codes are numbered in order of appearance; rename them in sorted order so that the
    # order of the edges does not change the key.
    renumber = np.array([rank for _name, rank in sorted(codes.items())], dtype=np.int64)
    lookup = np.empty(len(codes), dtype=np.int64)
    lookup[renumber] = np.arange(len(codes))
    for column in (2, 5, 6):
        if len(rows):
            rows[:, column] = lookup[rows[:, column]]
    rows = rows[np.lexsort(rows.T[::-1])] if len(rows) else rows
    digest = hashlib.blake2b(digest_size=20)
    digest.update(np.array(sorted(network.nodes), dtype=np.int64).tobytes())
    digest.update(repr(sorted(codes)).encode())
    digest.update(rows.tobytes())
    return f"{CACHE_VERSION}:{digest.hexdigest()}"


def _spring_positions(network: Network) -> dict[int, tuple[float, float]]:
    graph = nx.Graph()
    ordered = sorted(network.nodes, key=lambda pk: network.nodes[pk].public_id)
    graph.add_nodes_from(ordered)
    graph.add_edges_from(sorted({tuple(sorted((edge.source, edge.target))) for edge in network.edges}))
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


def layout_name(network: Network) -> str:
    return "spring" if len(network.nodes) <= SPRING_LAYOUT_MAX_NODES else "sector-discs"


def computed(network: Network) -> dict:
    """Metrics (from `network.analysis`) and positions of the network, cached by its graph key."""
    key = graph_key(network)
    found = cache.get(key)
    if found is not None:
        return found
    metrics = analyse(network.nodes, network.edges)
    per_node = {pk: metrics.per_node.get(pk, {}) for pk in network.nodes}
    degrees = {pk: values.get("degree", 0) for pk, values in per_node.items()}
    if layout_name(network) == "spring":
        positions = _spring_positions(network)
    else:
        positions = _sector_positions(network, degrees)
    result = {
        "per_node": per_node,
        "positions": positions,
        "density": metrics.density,
        "components": metrics.components,
        "layout": layout_name(network),
    }
    cache.set(key, result, CACHE_SECONDS)
    return result


def drop_below_level(network: Network, min_level: int | None, roster: set[int]) -> Network:
    """Keep the ties at `min_level` or above (an unknown level counts as below) and the
    organizations that still have a tie or are on a survey roster."""
    if min_level is None:
        return network
    edges = [edge for edge in network.edges if edge.level is not None and edge.level >= min_level]
    kept = roster | {edge.source for edge in edges} | {edge.target for edge in edges}
    return Network(nodes={pk: node for pk, node in network.nodes.items() if pk in kept}, edges=edges)


def _organization_url_maker():
    # One reverse() and a string replace: reversing 2,000 times costs more than the rest of a node.
    marker = "00000000-0000-0000-0000-000000000000"
    pattern = reverse("partners:organization-detail", args=[marker])
    return lambda public_id: pattern.replace(marker, public_id)


def _edge_row(index: int, edge: Edge, public_ids: dict[int, str]) -> dict:
    return {
        "id": f"e{index}",
        "source": public_ids[edge.source],
        "target": public_ids[edge.target],
        "kind": edge.kind,
        "level": edge.level,
        "directed": edge.is_directed,
        "provenance": edge.provenance,
        "planned": edge.status == TieStatus.PLANNED,
        "evidence": edge.evidence,
    }


def map_data(network: Network) -> dict:
    """The JSON the map draws: nodes (with metrics, position and organization page), edges,
    legend, labels of the codes, and a summary."""
    found = computed(network)
    url_of = _organization_url_maker()
    nodes = []
    for pk, node in sorted(network.nodes.items(), key=lambda item: item[1].name.casefold()):
        values = found["per_node"].get(pk, {})
        x, y = found["positions"][pk]
        nodes.append(
            {
                "id": node.public_id,
                "label": node.name,
                "sector": node.sector,
                "sector_name": node.sector_name,
                "family": node.family,
                "level": node.level,
                "degree": values.get("degree", 0),
                "degree_in": values.get("degree_in", 0),
                "degree_out": values.get("degree_out", 0),
                "betweenness": round(values.get("betweenness", 0.0), 4),
                # None where the eigenvector does not converge (analysis notes it); never a made-up 0.
                "eigenvector": None if values.get("eigenvector") is None else round(values["eigenvector"], 4),
                "x": x,
                "y": y,
                "url": url_of(node.public_id),
            }
        )
    public_ids = {pk: node.public_id for pk, node in network.nodes.items()}
    edges = [_edge_row(index, edge, public_ids) for index, edge in enumerate(network.edges)]
    return {
        "nodes": nodes,
        "edges": edges,
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
            "ties": len(edges),
            "density": found["density"],
            "components": found["components"],
            "layout": found["layout"],
        },
    }


def content_key(network: Network, extra: dict) -> str:
    """The graph key plus everything else the JSON shows (names, evidence, language, `extra`)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(graph_key(network).encode())
    digest.update(get_language().encode())
    digest.update(json.dumps(extra, sort_keys=True).encode())
    for item in sorted(network.nodes.values(), key=lambda item: item.id):
        digest.update(f"{item.public_id}\x1f{item.name}\x1f{item.sector}\x1f{item.sector_name}\x1e".encode())
    digest.update("\x1e".join(edge.evidence for edge in network.edges).encode())
    return f"{CACHE_VERSION}:json:{digest.hexdigest()}"


def map_json(network: Network, extra: dict) -> bytes:
    """`map_data` with `extra` keys added, serialized; the bytes are cached, since for a network of
    40,000 ties building and serializing them costs as much as reading the ties."""
    key = content_key(network, extra)
    found = cache.get(key)
    if found is None:
        found = json.dumps(map_data(network) | extra, separators=(",", ":"), ensure_ascii=False).encode()
        cache.set(key, found, CACHE_SECONDS)
    return found


def map_network(network_filter: NetworkFilter, *, min_level: int | None = None) -> Network:
    """The network the map shows: `graph.build_network`, then the lowest level of collaboration."""
    network = build_network(network_filter)
    if min_level is None:
        return network
    return drop_below_level(network, min_level, roster_ids(network_filter.wave))


def table_view(data: dict, size_metric: str, *, edge_limit: int = EDGE_TABLE_LIMIT) -> dict:
    """The same data as rows for the page's tables: organizations by the chosen metric, then the
    ties (with names instead of ids) up to `edge_limit`."""
    names = {node["id"]: node["label"] for node in data["nodes"]}
    labels = data["labels"]
    shapes = {entry["family"]: entry["shape_name"] for entry in data["legend"]}
    nodes = [
        {
            **node,
            "size_value": node[size_metric],
            "family_name": labels["family"].get(node["family"], node["family"]),
            "shape_name": shapes.get(node["family"], ""),
        }
        for node in sorted(
            data["nodes"], key=lambda node: (-(node[size_metric] or 0), node["label"].casefold())
        )
    ]
    edges = [
        {
            **edge,
            "source_name": names[edge["source"]],
            "target_name": names[edge["target"]],
            "kind_name": labels["kind"].get(edge["kind"], edge["kind"]),
            "provenance_name": labels["provenance"].get(edge["provenance"], edge["provenance"]),
            "level_name": labels["collaboration"].get(str(edge["level"]), ""),
        }
        for edge in data["edges"][:edge_limit]
    ]
    return {"nodes": nodes, "edges": edges, "edges_left_out": max(len(data["edges"]) - edge_limit, 0)}
