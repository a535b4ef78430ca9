"""Writes to waves (one transaction, one audit event each) and what a wave holds, counted."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count

from healthywork.core import audit
from healthywork.network import graph
from healthywork.network.models import Provenance, Tie, TieKind, TieStatus, Wave

WAVE_FIELDS = ["name", "start_date", "end_date", "description"]
DERIVED_PROVENANCES = (Provenance.INITIATIVE, Provenance.SURVEY, Provenance.TEAM)


@transaction.atomic
def create_wave(data: dict[str, Any], *, by: Any) -> Wave:
    """Create a wave from cleaned data (name, start and end dates, description)."""
    wave = Wave(**{name: data[name] for name in WAVE_FIELDS if name in data})
    wave.full_clean()
    wave.save()
    audit.record(by, "create", wave, audit.diff({}, audit.snapshot(wave)))
    return wave


@transaction.atomic
def update_wave(wave: Wave, data: dict[str, Any], *, by: Any) -> Wave:
    before = audit.snapshot(Wave.objects.get(pk=wave.pk))
    for name in WAVE_FIELDS:
        if name in data:
            setattr(wave, name, data[name])
    wave.full_clean()
    wave.save()
    changes = audit.diff(before, audit.snapshot(wave))
    if changes:
        audit.record(by, "change", wave, changes)
    return wave


@dataclass
class DerivedCount:
    provenance: str
    label: str
    ties: int
    sources: int  # how many initiatives, surveys or teams the ties come from


@dataclass
class WaveCounts:
    """What a wave's network holds: its organizations, its stored ties by kind, provenance and
    status, and the ties derived from other records (counted, never stored)."""

    nodes: int
    stored: int
    planned: int
    derived: int
    by_kind: list[tuple[str, int, int]] = field(default_factory=list)  # (label, stored, derived)
    by_provenance: list[tuple[str, int]] = field(default_factory=list)  # stored ties only
    derived_sources: list[DerivedCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.stored + self.derived


def wave_counts(wave: Wave) -> WaveCounts:
    """Counts of one wave; derived ties are rebuilt from their records (graph.collect_edges)."""
    stored = Tie.objects.filter(wave=wave)
    planned = stored.filter(status=TieStatus.PLANNED).count()
    active = stored.filter(status=TieStatus.ACTIVE)
    stored_by_kind = dict(active.values_list("kind").annotate(count=Count("id")).order_by())
    stored_by_provenance = dict(active.values_list("provenance").annotate(count=Count("id")).order_by())
    edges = graph.collect_edges(wave)
    derived_edges = [edge for edge in edges if edge.tie_id is None]
    derived_by_kind = Counter(edge.kind for edge in derived_edges)
    ids = graph.roster_ids(wave)
    for edge in edges:
        ids.update((edge.source, edge.target))
    sources: list[DerivedCount] = []
    for provenance in DERIVED_PROVENANCES:
        mine = [edge for edge in derived_edges if edge.provenance == provenance]
        if mine:
            sources.append(
                DerivedCount(
                    provenance=provenance,
                    label=str(Provenance(provenance).label),
                    ties=len(mine),
                    sources=len({edge.evidence for edge in mine}),
                )
            )
    return WaveCounts(
        nodes=len(ids),
        stored=sum(stored_by_kind.values()),
        planned=planned,
        derived=len(derived_edges),
        by_kind=[
            (str(label), stored_by_kind.get(value, 0), derived_by_kind.get(value, 0))
            for value, label in TieKind.choices
            if stored_by_kind.get(value) or derived_by_kind.get(value)
        ],
        by_provenance=[
            (str(label), stored_by_provenance[value])
            for value, label in Provenance.choices
            if stored_by_provenance.get(value)
        ],
        derived_sources=sources,
    )
