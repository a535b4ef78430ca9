"""The gap finder: cross-sector pairs of organizations with no tie in a wave who share a focus,
and the planned introductions an administrator makes of them.

A pair is suggested when the two organizations are in different sector families (by default one
health and one labor organization), have no tie at all in the wave (stored or derived, of any
kind, active or planned), and share at least one of:

- a healthy-work condition of the catalog initiatives they lead or partner in (not as target);
- a worker population, from the registry (`Organization.populations`) or from those initiatives;
- a code applied in the coded interviews with each of them (scan), counted only from the scan
  projects the person asking may see, so that no code name leaks from a private project.

Score (a weighted sum, higher first):

    2 × shared conditions + 1 × shared populations + 1 × shared interview codes
    + 0.5 when both are in the same state (only as a tie-breaker, never a reason on its own).

Conditions weigh most because they are what an initiative acts on; a worker population or a
theme raised in an interview is a looser common ground.

Focus sets are read in a handful of queries (one per kind of focus); only organizations with some
focus are candidates. Pairs are scored family block by family block as one matrix product of
their feature matrices (numpy), a slice of rows at a time, keeping the best of each slice. Among
pairs of equal score at the cut-off, which ones are kept is arbitrary (but repeatable).
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from healthywork.catalog.models import Condition, Initiative, InitiativePartner
from healthywork.core import audit
from healthywork.network.graph import collect_edges
from healthywork.network.models import Provenance, Tie, TieKind, TieStatus, Wave
from healthywork.partners.models import Family, Organization, Population

WEIGHT_CONDITION = 2.0
WEIGHT_POPULATION = 1.0
WEIGHT_CODE = 1.0
BONUS_SAME_STATE = 0.5
MAX_SUGGESTIONS = 100
BLOCK_ROWS = 512  # rows of one family scored against another at a time
ANY_FAMILY = "any"
DEFAULT_FAMILIES = (Family.HEALTH, Family.LABOR)


@dataclass(frozen=True)
class Candidate:
    id: int
    public_id: str  # filled in for the organizations of the suggestions only
    name: str
    sector_name: str
    family: str
    state: str


@dataclass
class Focus:
    conditions: set[int] = field(default_factory=set)
    populations: set[int] = field(default_factory=set)
    codes: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Suggestion:
    source: Candidate
    target: Candidate
    score: float
    conditions: tuple[str, ...]
    populations: tuple[str, ...]
    codes: tuple[str, ...]
    same_state: str

    @property
    def reason(self) -> str:
        """The reason in words, e.g. "Both work on: paid sick leave; both serve: …"."""
        parts = []
        if self.conditions:
            parts.append(_("both work on: %(items)s") % {"items": ", ".join(self.conditions)})
        if self.populations:
            parts.append(_("both serve: %(items)s") % {"items": ", ".join(self.populations)})
        if self.codes:
            parts.append(_("both interviews mention: %(items)s") % {"items": ", ".join(self.codes)})
        if self.same_state:
            parts.append(_("both are in %(state)s") % {"state": self.same_state})
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]


def _pair_matches(first: str, second: str, family_a: str, family_b: str) -> int:
    """1 when (a, b) fits (first, second), -1 when (b, a) does, 0 when neither or same family."""
    if family_a == family_b:
        return 0
    if first in (ANY_FAMILY, family_a) and second in (ANY_FAMILY, family_b):
        return 1
    if first in (ANY_FAMILY, family_b) and second in (ANY_FAMILY, family_a):
        return -1
    return 0


def _candidates(families: set[str] | None) -> dict[int, Candidate]:
    organizations = Organization.objects.filter(merged_into__isnull=True)
    if families is not None:
        organizations = organizations.filter(sector__family__in=families)
    rows = organizations.values_list("pk", "name", "sector__name", "sector__family", "state")
    return {
        pk: Candidate(pk, "", name, sector_name, family, state.strip())
        for pk, name, sector_name, family, state in rows.iterator(chunk_size=5000)
    }


def _focus(candidates: dict[int, Candidate], families: set[str] | None, user: Any) -> dict[int, Focus]:
    """Conditions, populations and interview codes of each candidate, in five queries."""
    focus: dict[int, Focus] = defaultdict(Focus)
    in_families = (lambda prefix: Q(**{f"{prefix}sector__family__in": families})) if families else None

    def scoped(queryset, prefix: str):
        queryset = queryset.filter(**{f"{prefix}merged_into__isnull": True})
        return queryset.filter(in_families(prefix)) if in_families else queryset

    registry = scoped(Organization.populations.through.objects.all(), "organization__")
    for organization_id, population_id in registry.values_list("organization_id", "population_id"):
        focus[organization_id].populations.add(population_id)

    roles: dict[int, set[int]] = defaultdict(set)  # initiative → its lead and partners
    leads = scoped(Initiative.objects.all(), "lead_organization__")
    for initiative_id, organization_id in leads.values_list("pk", "lead_organization_id"):
        roles[initiative_id].add(organization_id)
    partners = scoped(InitiativePartner.objects.exclude(role=InitiativePartner.Role.TARGET), "organization__")
    for initiative_id, organization_id in partners.values_list("initiative_id", "organization_id"):
        roles[initiative_id].add(organization_id)
    for initiative_id, condition_id in Initiative.conditions.through.objects.values_list(
        "initiative_id", "condition_id"
    ):
        for organization_id in roles.get(initiative_id, ()):
            focus[organization_id].conditions.add(condition_id)
    for initiative_id, population_id in Initiative.populations.through.objects.values_list(
        "initiative_id", "population_id"
    ):
        for organization_id in roles.get(initiative_id, ()):
            focus[organization_id].populations.add(population_id)

    for organization_id, code_id in _interview_codes(families, user):
        focus[organization_id].codes.add(code_id)
    return {pk: item for pk, item in focus.items() if pk in candidates}


def _interview_codes(families: set[str] | None, user: Any) -> list[tuple[int, int]]:
    """(organization, code) for each code applied in a document of an interview with it, from the
    scan projects `user` may see (every project when `user` is None, e.g. on the command line)."""
    from healthywork.scan.models import Coding

    codings = Coding.objects.all() if user is None else Coding.objects.visible_to(user)
    codings = codings.filter(document__interview__isnull=False)
    if families:
        codings = codings.filter(document__interview__organization__sector__family__in=families)
    return list(codings.values_list("document__interview__organization_id", "code_id").distinct())


def _tied_pairs(wave: Wave) -> dict[int, set[int]]:
    """Each organization's partners in the wave, by any tie (stored or derived, active or planned)."""
    partners: dict[int, set[int]] = defaultdict(set)
    for edge in collect_edges(wave, include_derived=True, include_planned=True):
        partners[edge.source].add(edge.target)
        partners[edge.target].add(edge.source)
    return partners


def _tied_with(organization_id: int, tied: dict[int, set[int]]) -> set[int]:
    return tied.get(organization_id, set())


def find_gaps(
    wave: Wave,
    *,
    first: str = DEFAULT_FAMILIES[0],
    second: str = DEFAULT_FAMILIES[1],
    user: Any = None,
    limit: int = MAX_SUGGESTIONS,
) -> list[Suggestion]:
    """Ranked suggestions of introductions between an organization of family `first` and one of
    family `second` (either may be "any": any family other than the partner's) that have no tie
    in `wave` and share a focus. At most `limit`, best score first (see the module's weights)."""
    families = None if ANY_FAMILY in (first, second) else {first, second}
    candidates = _candidates(families)
    focus = _focus(candidates, families, user)
    features: dict[tuple[str, int], int] = {}
    for item in focus.values():
        for kind, values in (("c", item.conditions), ("p", item.populations), ("k", item.codes)):
            for value in values:
                features.setdefault((kind, value), len(features))
    weights = {"c": WEIGHT_CONDITION, "p": WEIGHT_POPULATION, "k": WEIGHT_CODE}
    weight_vector = np.array([weights[kind] for kind, _value in features], dtype=np.float64)
    by_family: dict[str, list[int]] = defaultdict(list)
    for organization_id in sorted(focus, key=lambda pk: candidates[pk].name.casefold()):
        by_family[candidates[organization_id].family].append(organization_id)
    tied = _tied_pairs(wave)
    ranked: list[tuple[float, int, int]] = []
    for family_a, members_a in by_family.items():
        for family_b, members_b in by_family.items():
            if _pair_matches(first, second, family_a, family_b) != 1:
                continue
            if first == second == ANY_FAMILY and family_a > family_b:
                continue  # any with any: each unordered pair of families once
            ranked += _score_block(
                members_a, members_b, focus, features, weight_vector, candidates, tied, limit
            )
    best = sorted(
        ranked,
        key=lambda item: (-item[0], candidates[item[1]].name.casefold(), candidates[item[2]].name.casefold()),
    )[:limit]
    return _describe(best, candidates, focus)


def _feature_matrix(members: list[int], focus: dict[int, Focus], features: dict[tuple[str, int], int]):
    matrix = np.zeros((len(members), len(features)), dtype=np.float64)
    for row, organization_id in enumerate(members):
        item = focus[organization_id]
        for kind, values in (("c", item.conditions), ("p", item.populations), ("k", item.codes)):
            for value in values:
                matrix[row, features[(kind, value)]] = 1.0
    return matrix


def _score_block(
    members_a: list[int],
    members_b: list[int],
    focus: dict[int, Focus],
    features: dict[tuple[str, int], int],
    weight_vector: np.ndarray,
    candidates: dict[int, Candidate],
    tied: dict[int, set[int]],
    limit: int,
) -> list[tuple[float, int, int]]:
    """The best `limit` (score, a, b) of one block of families: the weighted count of shared
    features is one matrix product (A · diag(w) · Bᵀ), taken a slice of rows at a time so that
    memory stays bounded, then tied pairs are zeroed and the same-state bonus added."""
    features_b = _feature_matrix(members_b, focus, features).T
    state_codes: dict[str, int] = {"": 0}  # 0: no state given, never a match

    def states(members: list[int]) -> np.ndarray:
        codes = [state_codes.setdefault(candidates[pk].state.casefold(), len(state_codes)) for pk in members]
        return np.array(codes, dtype=np.int64)

    states_b = states(members_b)
    position_b = {pk: column for column, pk in enumerate(members_b)}
    best: list[tuple[float, int, int]] = []
    for start in range(0, len(members_a), BLOCK_ROWS):
        rows = members_a[start : start + BLOCK_ROWS]
        scores = (_feature_matrix(rows, focus, features) * weight_vector) @ features_b
        states_a = states(rows)[:, None]
        scores += BONUS_SAME_STATE * ((states_a == states_b[None, :]) & (states_a != 0) & (scores > 0))
        for a_index, pk in enumerate(rows):
            for other in _tied_with(pk, tied):
                if other in position_b:
                    scores[a_index, position_b[other]] = 0.0
        flat = scores.ravel()
        positive = np.flatnonzero(flat > 0)
        if len(positive) > limit:
            positive = positive[np.argpartition(-flat[positive], limit - 1)[:limit]]
        width = len(members_b)
        best += [(float(flat[index]), rows[index // width], members_b[index % width]) for index in positive]
    return best


def _describe(
    best: list[tuple[float, int, int]], candidates: dict[int, Candidate], focus: dict[int, Focus]
) -> list[Suggestion]:
    from healthywork.scan.models import Code

    condition_ids, population_ids, code_ids = set(), set(), set()
    for _score, source, target in best:
        condition_ids |= focus[source].conditions & focus[target].conditions
        population_ids |= focus[source].populations & focus[target].populations
        code_ids |= focus[source].codes & focus[target].codes
    condition_names = dict(Condition.objects.filter(pk__in=condition_ids).values_list("pk", "name"))
    population_names = dict(Population.objects.filter(pk__in=population_ids).values_list("pk", "name"))
    code_names = dict(Code.objects.filter(pk__in=code_ids).values_list("pk", "name"))
    chosen = {pk for _score, source, target in best for pk in (source, target)}
    public_ids = {
        pk: str(public_id)
        for pk, public_id in Organization.objects.filter(pk__in=chosen).values_list("pk", "public_id")
    }

    def names(ids: set[int], lookup: dict[int, str]) -> tuple[str, ...]:
        return tuple(sorted((lookup[pk] for pk in ids if pk in lookup), key=str.casefold))

    suggestions = []
    for score, source, target in best:
        a = replace(candidates[source], public_id=public_ids[source])
        b = replace(candidates[target], public_id=public_ids[target])
        same_state = a.state if a.state and a.state.casefold() == b.state.casefold() else ""
        suggestions.append(
            Suggestion(
                source=a,
                target=b,
                score=score,
                conditions=names(focus[source].conditions & focus[target].conditions, condition_names),
                populations=names(focus[source].populations & focus[target].populations, population_names),
                codes=names(focus[source].codes & focus[target].codes, code_names),
                same_state=same_state,
            )
        )
    return suggestions


def planned_introductions(wave: Wave):
    """The wave's introductions, planned first, then those made (latest first)."""
    return (
        Tie.objects.filter(wave=wave, provenance=Provenance.INTRODUCTION)
        .select_related("source__sector", "target__sector", "created_by")
        .order_by("-status", "-made_at", "source__name", "target__name")
    )


@transaction.atomic
def plan_introduction(
    wave: Wave, source: Organization, target: Organization, *, reason: str, by: Any, note: str = ""
) -> Tie:
    """A planned introduction between two organizations: a tie with status "planned",
    provenance "introduction", kind "information sharing", undirected, carrying the reason.
    Refused (ValidationError) for an organization with itself, or when the two already have a
    stored tie of any kind or status in the wave."""
    if source.pk == target.pk:
        raise ValidationError({"target": _("An organization cannot be introduced to itself.")})
    existing = Tie.objects.select_for_update().filter(
        Q(source=source, target=target) | Q(source=target, target=source), wave=wave
    )
    if existing.filter(provenance=Provenance.INTRODUCTION).exists():
        raise ValidationError(
            _("An introduction of %(source)s and %(target)s is already planned in %(wave)s.")
            % {"source": source.name, "target": target.name, "wave": wave.name}
        )
    if existing.exists():
        raise ValidationError(
            _("%(source)s and %(target)s already have a tie in %(wave)s.")
            % {"source": source.name, "target": target.name, "wave": wave.name}
        )
    tie = Tie(
        wave=wave,
        source=source,
        target=target,
        kind=TieKind.INFORMATION,
        is_directed=False,
        provenance=Provenance.INTRODUCTION,
        status=TieStatus.PLANNED,
        reason=reason.strip(),
        note=note.strip(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    tie.full_clean()
    tie.save()
    audit.record(by, "create", tie, audit.diff({}, audit.snapshot(tie)), note="planned introduction")
    return tie


@transaction.atomic
def mark_introduction_made(tie: Tie, *, by: Any) -> Tie:
    """The planned introduction happened: the tie becomes active, `made_at` now."""
    tie = Tie.objects.select_for_update().get(pk=tie.pk)
    if tie.provenance != Provenance.INTRODUCTION or tie.status != TieStatus.PLANNED:
        raise ValidationError(_("This tie is not a planned introduction, so it cannot be marked as made."))
    before = audit.snapshot(tie)
    tie.status = TieStatus.ACTIVE
    tie.made_at = timezone.now()
    tie.save(update_fields=["status", "made_at", "updated_at"])
    audit.record(by, "change", tie, audit.diff(before, audit.snapshot(tie)), note="introduction made")
    return tie
