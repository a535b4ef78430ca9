"""The network's subject of `healthywork analyze`: `network`, every metric of one wave's network
(or of a graph given as CSV files), found by `core.cli.analyze_subjects`. The formulas are in
docs/network-metrics.md; the computing is `network.analysis`.

    healthywork analyze network [--wave NAME] [--group-by sector|sector_family] [--kind K ...]
    healthywork analyze network --edges EDGES.csv [--nodes NODES.csv] --group-by ATTRIBUTE [--directed]
"""

import argparse
import json
import math
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from healthywork.core.cli import Subject
from healthywork.core.tabular import TableError, read_table
from healthywork.network.analysis import GROUP_ATTRIBUTES, NetworkMetrics, analyse
from healthywork.network.graph import Edge, NetworkFilter, Node
from healthywork.network.models import Provenance, TieKind, Wave

UNKNOWN_GROUP = "unknown"
LISTED_IDS = 5  # ids named in a warning before "and N more"


def add_network_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wave", metavar="NAME", help="The wave (optional when only one exists).")
    parser.add_argument(
        "--group-by",
        dest="group_by",
        metavar="ATTRIBUTE",
        help="Groups of the E-I index and the group matrix: sector (the default) or sector_family for "
        "a wave; a column of NODES.csv for files.",
    )
    parser.add_argument(
        "--kind",
        dest="kinds",
        action="append",
        default=[],
        metavar="K",
        help=f"Count only ties of this kind (repeatable): {', '.join(TieKind.values)}.",
    )
    parser.add_argument(
        "--edges",
        metavar="EDGES.csv",
        help="Analyse this file instead of a wave: columns source, target and optionally weight "
        "(read and checked; the metrics are binary).",
    )
    parser.add_argument(
        "--nodes",
        metavar="NODES.csv",
        help="With --edges: column id plus attribute columns (a column family with health/labor "
        "gives the health-labor measures; a column name names the node).",
    )
    parser.add_argument("--directed", action="store_true", help="With --edges: the edges are directed.")
    parser.add_argument("--seed", type=int, default=0, help="Seed of sampling and communities (default 0).")
    parser.add_argument(
        "--format", dest="output_format", choices=["table", "json"], default="table", help="Output."
    )


def handle_network(
    command: BaseCommand,
    *,
    wave: str | None = None,
    group_by: str | None = None,
    kinds: list[str] | None = None,
    edges: str | None = None,
    nodes: str | None = None,
    directed: bool = False,
    seed: int = 0,
    output_format: str = "table",
    **options,
) -> None:
    kinds = kinds or []
    if edges:
        if wave or kinds:
            raise CommandError(_("--edges cannot be combined with --wave or --kind."))
        if not group_by:
            raise CommandError(_("With --edges, give --group-by ATTRIBUTE (a column of NODES.csv)."))
        graph_nodes, graph_edges = read_graph_files(command, edges, nodes, group_by, directed)
        metrics = analyse(graph_nodes, graph_edges, group_by="sector", seed=seed)
        title = Path(edges).name
    else:
        if nodes or directed:
            raise CommandError(_("--nodes and --directed go with --edges."))
        group_by = group_by or "sector"
        if group_by not in GROUP_ATTRIBUTES:
            raise CommandError(
                _("--group-by for a wave is sector or sector_family, not “%(value)s”.") % {"value": group_by}
            )
        unknown = [kind for kind in kinds if kind not in TieKind.values]
        if unknown:
            raise CommandError(
                _("Unknown tie kind “%(kind)s”; the kinds are: %(kinds)s.")
                % {"kind": unknown[0], "kinds": ", ".join(TieKind.values)}
            )
        chosen = find_wave(wave)
        metrics = analyse_wave(chosen, group_by=group_by, kinds=kinds, seed=seed)
        title = chosen.name
    if output_format == "json":
        data = {"wave" if not edges else "file": title, **metrics.to_json()}
        command.stdout.write(json.dumps(_finite(data), ensure_ascii=False, indent=2, allow_nan=False))
        return
    command.stdout.write(format_metrics(title, metrics))


def find_wave(name: str | None) -> Wave:
    waves = list(Wave.objects.order_by("start_date", "name"))
    if name:
        for wave in waves:
            if wave.name == name:
                return wave
    elif len(waves) == 1:
        return waves[0]
    if not waves:
        raise CommandError(_("There is no wave yet: create one first."))
    names = ", ".join(f"“{wave.name}”" for wave in waves)
    if name:
        raise CommandError(
            _("No wave is named “%(name)s”. The waves: %(names)s.") % {"name": name, "names": names}
        )
    raise CommandError(_("Choose a wave with --wave NAME. The waves: %(names)s.") % {"names": names})


def analyse_wave(wave: Wave, *, group_by: str = "sector", kinds: list[str] | None = None, seed: int = 0):
    """The metrics of one wave's network (active ties, derived ones included), with trust and value
    from the submitted survey answers of the wave, as the metrics page shows them."""
    from healthywork.network.metrics import wave_metrics

    return wave_metrics(NetworkFilter(wave=wave, kinds=list(kinds or [])), group_by=group_by, seed=seed)[1]


# files -----------------------------------------------------------------------------------------


def _read(path: str, option: str):
    try:
        size = Path(path).stat().st_size
        limit = settings.HEALTHYWORK_MAX_UPLOAD_BYTES
        if size > limit:
            raise CommandError(
                _("%(path)s is %(size)s MB; the limit is %(limit)s MB.")
                % {"path": path, "size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)}
            )
        data = Path(path).read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from None
    try:
        return read_table(data, path)
    except TableError as error:
        raise CommandError(f"{option} {path}: {error}") from None


def _column(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def _require(table, columns: list[str], option: str, path: str) -> None:
    missing = [column for column in columns if column not in table.headers]
    if missing:
        raise CommandError(
            _("%(option)s %(path)s has no column “%(column)s”; its columns: %(columns)s.")
            % {"option": option, "path": path, "column": missing[0], "columns": ", ".join(table.headers)}
        )


def _listed(ids: list[str]) -> str:
    shown = ", ".join(ids[:LISTED_IDS])
    if len(ids) > LISTED_IDS:
        shown += " " + _("and %(count)s more") % {"count": len(ids) - LISTED_IDS}
    return shown


def read_graph_files(
    command: BaseCommand, edges_path: str, nodes_path: str | None, group_by: str, directed: bool
) -> tuple[dict[str, Node], list[Edge]]:
    """Nodes and edges of an EDGES.csv (source, target[, weight]) and an optional NODES.csv (id plus
    attribute columns). A bad row stops everything with the row and column named; duplicate edges
    and nodes missing from NODES.csv are warned about on stderr."""
    attribute = _column(group_by)
    table = _read(edges_path, "--edges")
    _require(table, ["source", "target"], "--edges", edges_path)
    edges: list[Edge] = []
    seen: set[tuple[str, str]] = set()
    duplicates = 0
    for row, cells in table.rows:
        source, target = (cells.get("source") or "").strip(), (cells.get("target") or "").strip()
        for column, value in (("source", source), ("target", target)):
            if not value:
                raise CommandError(
                    _("--edges %(path)s, row %(row)s, column %(column)s: the id is empty.")
                    % {"path": edges_path, "row": row, "column": column}
                )
        if source == target:
            raise CommandError(
                _("--edges %(path)s, row %(row)s: “%(id)s” is tied to itself (a self-loop).")
                % {"path": edges_path, "row": row, "id": source}
            )
        weight = (cells.get("weight") or "").strip()
        if weight:
            try:
                number = float(weight)
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                raise CommandError(
                    _("--edges %(path)s, row %(row)s, column weight: “%(value)s” is not a number.")
                    % {"path": edges_path, "row": row, "value": weight}
                )
        key = (source, target) if directed or source < target else (target, source)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        edges.append(Edge(source, target, "", None, directed, Provenance.MANUAL))
    if duplicates:
        command.stderr.write(
            _("Warning: %(count)s duplicate edge(s) in %(path)s counted once.")
            % {"count": duplicates, "path": edges_path}
        )

    attributes: dict[str, dict[str, str]] = {}
    if nodes_path:
        node_table = _read(nodes_path, "--nodes")
        _require(node_table, ["id", attribute], "--nodes", nodes_path)
        first_row: dict[str, int] = {}
        for row, cells in node_table.rows:
            node_id = (cells.get("id") or "").strip()
            if not node_id:
                raise CommandError(
                    _("--nodes %(path)s, row %(row)s, column id: the id is empty.")
                    % {"path": nodes_path, "row": row}
                )
            if node_id in first_row:
                raise CommandError(
                    _("--nodes %(path)s: the id “%(id)s” appears twice, rows %(first)s and %(row)s.")
                    % {"path": nodes_path, "id": node_id, "first": first_row[node_id], "row": row}
                )
            first_row[node_id] = row
            attributes[node_id] = {key: (value or "").strip() for key, value in cells.items()}

    ids = list(attributes)
    listed = set(ids)
    missing = []
    for edge in edges:
        for node_id in (edge.source, edge.target):
            if node_id not in listed:
                listed.add(node_id)
                ids.append(node_id)
                missing.append(node_id)
    if missing:
        where = nodes_path or _("(no --nodes file)")
        command.stderr.write(
            _("Warning: %(count)s node(s) not in %(path)s are in the group “unknown”: %(ids)s.")
            % {"count": len(missing), "path": where, "ids": _listed(missing)}
        )
    nodes: dict[str, Node] = {}
    for node_id in ids:
        row = attributes.get(node_id, {})
        group = row.get(attribute) or UNKNOWN_GROUP
        family = row.get("family", "").lower()
        nodes[node_id] = Node(node_id, node_id, row.get("name") or node_id, group, group, family, "")
    return nodes, edges


# output ----------------------------------------------------------------------------------------


def _finite(value: Any) -> Any:
    """NaN and infinity have no JSON spelling: they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def _number(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def format_metrics(title: str, metrics: NetworkMetrics) -> str:
    """The whole-network measures, E-I by group, the group matrix, brokers and trust/value as text."""
    lines = [
        _("Network: %(title)s") % {"title": title},
        _("Nodes: %(nodes)s   Ties: %(ties)s   Components: %(components)s (largest %(largest)s)")
        % {
            "nodes": metrics.nodes,
            "ties": metrics.ties,
            "components": metrics.components,
            "largest": metrics.largest_component,
        },
        _("Density: %(value)s") % {"value": _number(metrics.density)},
        _("Degree centralization (Freeman): %(value)s") % {"value": _number(metrics.degree_centralization)},
        _("Reciprocity: %(value)s") % {"value": _number(metrics.reciprocity)},
        _("E-I index (by %(group)s): %(value)s   external %(external)s, internal %(internal)s")
        % {
            "group": metrics.group_by,
            "value": _number(metrics.ei_index),
            "external": metrics.external_ties,
            "internal": metrics.internal_ties,
        },
        _("Health-labor ties: %(count)s (share %(share)s)")
        % {"count": metrics.health_labor_ties, "share": _number(metrics.health_labor_share)},
        _("Communities (Louvain): %(count)s, modularity %(value)s")
        % {"count": len(metrics.communities), "value": _number(metrics.modularity)},
    ]
    if metrics.betweenness_sampled:
        lines.append(
            _("Betweenness estimated from %(k)s sampled sources (error at most %(bound)s, 95%%).")
            % {"k": metrics.betweenness_k, "bound": _number(metrics.betweenness_error_bound)}
        )
    lines += ["", _("E-I index by group:")]
    for group, value in metrics.ei_by_group.items():
        counts = metrics.ei_counts[group]
        label = metrics.group_matrix["labels"].get(group, group)
        lines.append(
            f"  {label}: {_number(value)}  " + _("(external %(external)s, internal %(internal)s)") % counts
        )
    groups = metrics.group_matrix["groups"]
    if groups:
        width = max(len(group) for group in groups)
        lines += [
            "",
            _("Ties between groups:"),
            " " * (width + 2) + " ".join(f"{g:>{width}}" for g in groups),
        ]
        for group, row in zip(groups, metrics.group_matrix["counts"], strict=True):
            lines.append(f"  {group:<{width}}" + " ".join(f"{count:>{width}}" for count in row))
    if metrics.brokers:
        lines += ["", _("Brokers between health and labor (pairs brokered):")]
        lines += [f"  {broker['name']}: {_number(broker['score'], 2)}" for broker in metrics.brokers]
    collaboration = metrics.collaboration
    if collaboration["ratings"]:
        lines += [
            "",
            _("Levels of Collaboration: mean %(mean)s over %(count)s ratings; %(pairs)s pairs disagree.")
            % {
                "mean": _number(collaboration["mean"], 2),
                "count": collaboration["ratings"],
                "pairs": len(collaboration["disagreements"]),
            },
        ]
    for name, label in (("trust", _("Trust")), ("value", _("Value"))):
        scores = getattr(metrics, name)
        if scores and scores["network"] is not None:
            lines.append(
                _("%(label)s: %(score)s of 4 (%(percent)s%%) over %(count)s relationships")
                % {
                    "label": label,
                    "score": _number(scores["network"], 2),
                    "percent": _number(scores["network_percent"], 1),
                    "count": scores["relationships"],
                }
            )
    for note in metrics.notes:
        lines.append(_("Note: %(note)s") % {"note": note})
    return "\n".join(lines)


ANALYZE_SUBJECTS = {
    "network": Subject(
        help="Network metrics of a wave (density, centralization, reciprocity, E-I index, group matrix, "
        "brokers, communities, trust and value) or of a graph in CSV files (--edges, --nodes).",
        add_arguments=add_network_arguments,
        handle=handle_network,
    ),
}
