"""Export of a wave's ties (stored and derived, as the tie list's filters keep them) as CSV, XLSX,
a JSON list, GEXF 1.3 (Gephi), GraphML and Kumu-style JSON.

The table formats use the importer's columns, so a file of stored ties imports unchanged (derived
ties, marked by their provenance, are skipped on import: they are rebuilt from their records).
Graph formats carry every organization at either end of an exported tie, with its sector, sector
family and level; each tie is an edge with kind, level, provenance, status and note. A wave mixes
directed and undirected ties, which GEXF readers and networkx cannot hold in one graph, so the
graph is written directed when any tie is, and every edge says whether it is directed.
"""

import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

import networkx as nx

from healthywork.core import tabular
from healthywork.network.importing import COLUMNS
from healthywork.network.models import Wave
from healthywork.network.ties import TieRow, tie_rows

GRAPH_FORMATS = {
    "gexf": "application/gexf+xml",
    "graphml": "application/graphml+xml",
    "kumu": "application/json",
}
FORMATS = [*tabular.EXPORT_FORMATS, *GRAPH_FORMATS]
EXTENSIONS = {"kumu": "json"}


def export_ties(wave: Wave, params: Mapping[str, Any], fmt: str) -> tuple[bytes, str]:
    """(content, content type) of the wave's ties kept by `params` (the tie list's filters).
    Planned introductions are left out: they are not ties yet."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    rows = tie_rows(wave, params, include_planned=False)
    if fmt in tabular.EXPORT_FORMATS:
        return tabular.export_bytes(fmt, COLUMNS, table_rows(wave, rows))
    if fmt == "kumu":
        return kumu_bytes(rows, wave_name=wave.name), GRAPH_FORMATS[fmt]
    graph = tie_graph(wave, rows)
    buffer = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(graph, buffer, version="1.3")
    else:
        nx.write_graphml(graph, buffer)
    return buffer.getvalue(), GRAPH_FORMATS[fmt]


def filename(wave: Wave, fmt: str) -> str:
    stem = "".join(char if char.isalnum() else "-" for char in wave.name.lower()).strip("-") or "wave"
    return f"ties-{stem}.{EXTENSIONS.get(fmt, fmt)}"


def table_rows(wave: Wave, rows: list[TieRow]) -> Iterator[list]:
    for row in rows:
        edge = row.edge
        yield [
            row.source.name,
            row.target.name,
            str(edge.kind),
            "" if edge.level is None else edge.level,
            "yes" if edge.is_directed else "no",
            str(edge.provenance),
            wave.name,
            row.evidence,
        ]


def tie_graph(wave: Wave, rows: list[TieRow]) -> nx.MultiGraph:
    """A networkx multigraph (directed when any tie is) keyed by organization public id."""
    is_directed = any(row.edge.is_directed for row in rows)
    graph: nx.MultiGraph = nx.MultiDiGraph() if is_directed else nx.MultiGraph()
    graph.graph["name"] = wave.name
    for row in rows:
        for node in (row.source, row.target):
            if node.public_id not in graph:
                graph.add_node(
                    node.public_id,
                    label=node.name,
                    sector=node.sector,
                    sector_name=node.sector_name,
                    family=node.family,
                    level=node.level,
                )
    for row in rows:
        edge = row.edge
        attributes = {
            "kind": str(edge.kind),
            "provenance": str(edge.provenance),
            "status": str(edge.status),
            "directed": edge.is_directed,
            "note": row.evidence,
        }
        if edge.level is not None:
            attributes["level"] = edge.level
        graph.add_edge(row.source.public_id, row.target.public_id, **attributes)
    return graph


def kumu_bytes(rows: list[TieRow], *, wave_name: str = "") -> bytes:
    """Kumu's JSON import format: elements (label, type = sector, tags) and connections
    (from, to by label; type = kind; direction; wave, a custom field that
    `healthywork import ties` reads back)."""
    elements: dict[str, dict[str, Any]] = {}
    for row in rows:
        for node in (row.source, row.target):
            elements.setdefault(
                node.public_id,
                {
                    "label": node.name,
                    "type": node.sector_name,
                    "tags": [node.family, node.level],
                    "sector": node.sector,
                    "id": node.public_id,
                },
            )
    connections = [
        {
            "from": row.source.name,
            "to": row.target.name,
            "type": str(row.edge.kind),
            "direction": "directed" if row.edge.is_directed else "undirected",
            "level": row.edge.level,
            "provenance": str(row.edge.provenance),
            "note": row.evidence,
            **({"wave": wave_name} if wave_name else {}),
        }
        for row in rows
    ]
    document = {"elements": list(elements.values()), "connections": connections}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
