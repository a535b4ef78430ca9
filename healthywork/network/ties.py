"""Writes to stored ties (one transaction, one audit event each) and the tie list of a wave:
stored ties and the ties derived from initiatives, surveys and teams, filtered alike."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from healthywork.core import audit
from healthywork.network import graph
from healthywork.network.graph import Edge, Node
from healthywork.network.models import CollaborationLevel, Provenance, Tie, TieKind, TieStatus, Wave

TIE_FIELDS = ["source", "target", "kind", "level", "is_directed", "provenance", "note"]
ENTERABLE_PROVENANCES = (Provenance.MANUAL, Provenance.INTERVIEW)
FILTER_NAMES = ("kind", "provenance", "level", "sector", "family", "q", "derived")


def _apply(tie: Tie, data: dict[str, Any]) -> None:
    for name in TIE_FIELDS:
        if name in data:
            setattr(tie, name, data[name])
    # The model's rules (no self-tie, level 0-5, once per kind and pair) guard form, API and import.
    tie.full_clean(validate_constraints=False)
    tie.save()


@transaction.atomic
def create_tie(wave: Wave, data: dict[str, Any], *, by: Any) -> Tie:
    """Store a tie of `wave` from cleaned data (source, target, kind, level, is_directed,
    provenance, note); raises ValidationError for a self-tie, a duplicate or a bad level."""
    tie = Tie(wave=wave, created_by=by if getattr(by, "is_authenticated", False) else None)
    _apply(tie, data)
    audit.record(by, "create", tie, audit.diff({}, audit.snapshot(tie)))
    return tie


@transaction.atomic
def update_tie(tie: Tie, data: dict[str, Any], *, by: Any) -> Tie:
    before = audit.snapshot(Tie.objects.get(pk=tie.pk))
    _apply(tie, data)
    changes = audit.diff(before, audit.snapshot(tie))
    if changes:
        audit.record(by, "change", tie, changes)
    return tie


@transaction.atomic
def delete_tie(tie: Tie, *, by: Any) -> None:
    audit.record(by, "delete", tie, audit.diff(audit.snapshot(tie), {}))
    tie.delete()


@dataclass
class TieRow:
    """One line of the tie list: a stored tie (with its public id) or a derived one."""

    edge: Edge
    source: Node
    target: Node
    public_id: str = ""

    @property
    def is_derived(self) -> bool:
        return self.edge.tie_id is None

    @property
    def kind_label(self) -> str:
        return _label(TieKind, self.edge.kind)

    @property
    def provenance_label(self) -> str:
        return _label(Provenance, self.edge.provenance)

    @property
    def level_label(self) -> str:
        if self.edge.level is None:
            return ""
        return f"{self.edge.level} · {_label(CollaborationLevel, self.edge.level)}"

    @property
    def is_planned(self) -> bool:
        return self.edge.status == TieStatus.PLANNED

    @property
    def evidence(self) -> str:
        """Where a derived tie comes from, e.g. "Initiative: Heat standard"; a stored tie's note."""
        if not self.is_derived:
            return self.edge.evidence
        prefixes = {
            Provenance.INITIATIVE: _("Initiative"),
            Provenance.SURVEY: _("Survey"),
            Provenance.TEAM: _("Team"),
        }
        prefix = prefixes.get(self.edge.provenance, self.provenance_label)
        return f"{prefix}: {self.edge.evidence}" if self.edge.evidence else prefix


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(params, "getlist", None)
    raw = getlist(name) if getlist else params.get(name, [])
    if isinstance(raw, str):
        raw = raw.split(",")
    return [str(value).strip() for value in raw if str(value).strip()]


def includes_derived(params: Mapping[str, Any]) -> bool:
    return str(params.get("derived", "1")).strip().lower() not in ("0", "no", "false", "off")


def tie_rows(wave: Wave, params: Mapping[str, Any], *, include_planned: bool = True) -> list[TieRow]:
    """The wave's ties that the list's filters keep, ordered by source and target name.

    Filters (each repeatable or comma-separated): kind, provenance, level (of collaboration,
    0-5), sector and family (slugs; either end matches), q (part of either end's name) and
    derived (0 leaves out the ties derived from initiatives, surveys and teams)."""
    edges = graph.collect_edges(
        wave, include_derived=includes_derived(params), include_planned=include_planned
    )
    kinds, provenances = set(_values(params, "kind")), set(_values(params, "provenance"))
    levels = {int(value) for value in _values(params, "level") if value.isdigit()}
    if kinds:
        edges = [edge for edge in edges if edge.kind in kinds]
    if provenances:
        edges = [edge for edge in edges if edge.provenance in provenances]
    if levels:
        edges = [edge for edge in edges if edge.level in levels]
    nodes = graph.organization_nodes([end for edge in edges for end in (edge.source, edge.target)])
    sectors, families = set(_values(params, "sector")), set(_values(params, "family"))
    query = str(params.get("q", "")).strip().casefold()

    def keeps(edge: Edge) -> bool:
        ends = (nodes.get(edge.source), nodes.get(edge.target))
        if None in ends:
            return False
        if sectors and not any(node.sector in sectors for node in ends):
            return False
        if families and not any(node.family in families for node in ends):
            return False
        return not query or any(query in node.name.casefold() for node in ends)

    rows = [TieRow(edge, nodes[edge.source], nodes[edge.target]) for edge in edges if keeps(edge)]
    rows.sort(key=lambda row: (row.source.name.casefold(), row.target.name.casefold(), row.edge.kind))
    return rows


def attach_public_ids(rows: list[TieRow]) -> list[TieRow]:
    """Fill in the public id of the stored ties among `rows` (one query, for a page of rows)."""
    ids = [row.edge.tie_id for row in rows if row.edge.tie_id is not None]
    public_ids = dict(Tie.objects.filter(pk__in=ids).values_list("pk", "public_id"))
    for row in rows:
        if row.edge.tie_id is not None:
            row.public_id = str(public_ids.get(row.edge.tie_id, ""))
    return rows
