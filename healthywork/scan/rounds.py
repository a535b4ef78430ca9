"""Blind coding rounds: opening, changing, closing and reopening them, the comparison of the
coders' codings (agreement per code and overall), the disagreements, and reconciliation into
consensus codings.

Which codings are compared
    The codings by the round's coders on the round's documents that belong to this round or to no
    round (codings made on the coding page outside any round count too), never consensus codings
    and never codings that belong to another round.

Units and missing values
    Each document is split once into units (sentences or paragraphs, `analysis.split_units`). For
    each code, coder and unit the value is 1 when one of the coder's spans of that code overlaps the
    unit by at least one character, else 0 (`analysis.unit_presence`). A coder who made no coding at
    all on a document has not coded it yet: their values on its units are missing (None), not 0, so
    unfinished work does not count as disagreement.

The overall figure
    Pooled: each (unit, code) pair is one reliability unit, so the per-code data are laid side by
    side and one percent agreement, Cohen's kappa and Krippendorff's alpha are computed on all of
    them. Beside it, the plain mean of the per-code values (codes whose value is undefined are left
    out of the mean).

Reconciliation
    "Apply" creates a consensus coding over the whole unit (its span with surrounding white space
    trimmed), as the unit is what the coders were compared on. "Reject" removes any consensus
    coding of the code overlapping the unit and records the decision as an audit event on the round
    (note `REJECT_NOTE`, with the code, document and unit in `changes`). A unit is resolved when a
    consensus coding of the code overlaps it ("applied") or a rejection is recorded for it
    ("rejected").
"""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

import numpy as np
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from healthywork.core import audit
from healthywork.core.models import AuditEvent
from healthywork.scan import analysis
from healthywork.scan.models import (
    Code,
    Coding,
    Document,
    Project,
    ProjectMember,
    ProjectRole,
    Round,
    RoundStatus,
    RoundUnit,
)

REJECT_NOTE = "consensus rejected"
CLOSE_NOTE = "round closed"
APPLY, REJECT = "apply", "reject"
CODER_ROLES = (ProjectRole.CODER, ProjectRole.LEAD)
COMPARISON_CACHE_SECONDS = 24 * 60 * 60


# --- opening, changing, closing -------------------------------------------------------------


def _check_manage(project: Project, by: Any) -> None:
    if not project.can_manage(by):
        raise PermissionDenied(_("Only the project's leads and administrators manage coding rounds."))


def _check_documents(project: Project, documents: Iterable[Document]) -> list[Document]:
    documents = list(dict.fromkeys(documents))
    if not documents:
        raise ValidationError({"documents": _("Choose at least one document.")})
    for document in documents:
        if document.project_id != project.pk:
            raise ValidationError(
                {"documents": _("“%(title)s” belongs to another project.") % {"title": document.title}}
            )
    return documents


def _check_coders(project: Project, coders: Iterable[Any]) -> list[Any]:
    coders = list(dict.fromkeys(coders))
    roles = dict(ProjectMember.objects.filter(project=project).values_list("user_id", "role"))
    for coder in coders:
        if roles.get(coder.pk) not in CODER_ROLES:
            raise ValidationError(
                {
                    "coders": _(
                        "%(name)s is not a coder or lead researcher of this project; "
                        "add them as a member with one of those roles first."
                    )
                    % {"name": coder.display_name()}
                }
            )
    if len(coders) < 2:
        raise ValidationError({"coders": _("Choose at least two coders: agreement needs two or more.")})
    return coders


def _snapshot(blind_round: Round) -> dict[str, Any]:
    return audit.snapshot(blind_round)


@transaction.atomic
def open_round(
    project: Project,
    *,
    name: str,
    documents: Iterable[Document],
    coders: Iterable[Any],
    unit: str = RoundUnit.SENTENCE,
    instructions: str = "",
    by: Any,
) -> Round:
    """Open a blind round: each coder sees only their own codings on its documents until it closes.
    Raises PermissionDenied unless `by` manages the project, ValidationError naming the field (and
    the document or user) when a document is not the project's or a coder is not a coder or lead."""
    _check_manage(project, by)
    documents = _check_documents(project, documents)
    coders = _check_coders(project, coders)
    blind_round = Round(project=project, name=name, instructions=instructions, unit=unit, opened_by=by)
    blind_round.full_clean(exclude=["opened_by"])
    blind_round.save()
    blind_round.documents.set(documents)
    blind_round.coders.set(coders)
    audit.record(by, "create", blind_round, audit.diff({}, _snapshot(blind_round)))
    return blind_round


@transaction.atomic
def update_round(
    blind_round: Round,
    *,
    documents: Iterable[Document] | None = None,
    coders: Iterable[Any] | None = None,
    name: str | None = None,
    instructions: str | None = None,
    unit: str | None = None,
    by: Any,
) -> Round:
    """Change an open round: its documents and coders (added or removed), name, instructions, unit."""
    _check_manage(blind_round.project, by)
    if not blind_round.is_open:
        raise ValidationError(_("The round is closed; reopen it to change it."))
    before = _snapshot(blind_round)
    for attribute, value in (("name", name), ("instructions", instructions), ("unit", unit)):
        if value is not None:
            setattr(blind_round, attribute, value)
    blind_round.full_clean(exclude=["opened_by"])
    blind_round.save()
    if documents is not None:
        blind_round.documents.set(_check_documents(blind_round.project, documents))
    if coders is not None:
        blind_round.coders.set(_check_coders(blind_round.project, coders))
    changes = audit.diff(before, _snapshot(blind_round))
    if changes:
        audit.record(by, "change", blind_round, changes)
    return blind_round


@transaction.atomic
def close_round(blind_round: Round, *, by: Any) -> Round:
    """Close the round: codings become visible to all, and the overall agreement at closing is
    kept in the audit event (the list of rounds shows it without recomputing)."""
    _check_manage(blind_round.project, by)
    if not blind_round.is_open:
        raise ValidationError(_("The round is already closed."))
    blind_round.status = RoundStatus.CLOSED
    blind_round.closed_at = timezone.now()
    blind_round.save(update_fields=["status", "closed_at"])
    overall = compare_round(blind_round).overall
    changes = {
        "status": [RoundStatus.OPEN.value, RoundStatus.CLOSED.value],
        "alpha": [None, overall.alpha],
        "kappa": [None, overall.kappa],
        "percent": [None, overall.percent],
    }
    audit.record(by, "change", blind_round, changes, note=CLOSE_NOTE)
    return blind_round


@transaction.atomic
def reopen_round(blind_round: Round, *, by: Any) -> Round:
    """Reopen a closed round: coding is blind again until it closes."""
    _check_manage(blind_round.project, by)
    if blind_round.is_open:
        raise ValidationError(_("The round is already open."))
    blind_round.status = RoundStatus.OPEN
    blind_round.closed_at = None
    blind_round.save(update_fields=["status", "closed_at"])
    audit.record(by, "change", blind_round, {"status": [RoundStatus.CLOSED.value, RoundStatus.OPEN.value]})
    return blind_round


def agreement_at_closing(rounds: Iterable[Round]) -> dict[int, dict[str, float | None]]:
    """{round pk: {"alpha", "kappa", "percent"}} as recorded when each closed round was last closed."""
    closed = [blind_round for blind_round in rounds if not blind_round.is_open]
    if not closed:
        return {}
    events = AuditEvent.objects.filter(
        content_type__app_label="scan",
        content_type__model="round",
        object_pk__in=[str(blind_round.pk) for blind_round in closed],
        note=CLOSE_NOTE,
    ).order_by("created_at", "id")
    figures: dict[int, dict[str, float | None]] = {}
    for object_pk, changes in events.values_list("object_pk", "changes"):
        figures[int(object_pk)] = {
            key: (changes.get(key) or [None, None])[1] for key in ("alpha", "kappa", "percent")
        }
    return figures


def coder_progress(blind_round: Round, user: Any) -> dict[tuple[int, int], int]:
    """{(coder pk, document pk): number of codings} for the round's coders on its documents, as far
    as `user` may see codings (a coder of an open round sees only their own)."""
    rows = (
        _compared_codings(blind_round, Coding.objects.visible_to(user))
        .values("coder_id", "document_id")
        .annotate(total=Count("id"))
        .values_list("coder_id", "document_id", "total")
    )
    return {(coder_id, document_id): total for coder_id, document_id, total in rows}


# --- the comparison ---------------------------------------------------------------------------


def _compared_codings(blind_round: Round, codings=None):
    codings = Coding.objects.all() if codings is None else codings
    return codings.filter(
        Q(round=blind_round) | Q(round__isnull=True),
        document__in=blind_round.documents.all(),
        coder__in=blind_round.coders.all(),
        is_consensus=False,
    )


@dataclass
class _Presence:
    """The round's units and, per code and coder, which of them the coder coded (numpy arrays of
    one boolean per unit of the round, documents in order)."""

    coders: list[Any]
    documents: list[Document]
    units: list[tuple[int, int, int]]  # (document index, start, end), documents in order
    document_ranges: list[range]  # the unit indices of each document
    coded: dict[int, dict[int, np.ndarray]]  # code pk -> coder pk -> coded, per unit
    started: dict[int, np.ndarray]  # coder pk -> whether the coder coded the unit's document at all

    def matrix(self, code_pk: int, coder_pks: list[int], indices: range | None = None) -> np.ndarray:
        """Coders × units (all, or the range `indices`) of int8: 1 coded, 0 not, −1 missing (the
        coder has not coded the unit's document yet)."""
        window = slice(None) if indices is None else slice(indices.start, indices.stop)
        width = len(self.units) if indices is None else len(indices)
        matrix = np.full((len(coder_pks), width), -1, dtype=np.int8)
        by_coder = self.coded.get(code_pk, {})
        for row, coder_pk in enumerate(coder_pks):
            started = self.started.get(coder_pk)
            if started is not None:
                matrix[row, started[window]] = 0
            coded = by_coder.get(coder_pk)
            if coded is not None:
                matrix[row, coded[window]] = 1
        return matrix

    def row(self, code_pk: int, coder_pk: int, indices: range | None = None) -> list[int | None]:
        return [None if value < 0 else int(value) for value in self.matrix(code_pk, [coder_pk], indices)[0]]


def _presence(
    blind_round: Round, unit: str, user: Any = None, documents=None, code_pk: int | None = None
) -> _Presence:
    coders = list(blind_round.coders.order_by("username"))
    document_list = list(
        documents if documents is not None else blind_round.documents.order_by("title", "id")
    )
    codings = Coding.objects.all() if user is None else Coding.objects.visible_to(user)
    rows = _compared_codings(blind_round, codings).filter(document__in=[d.pk for d in document_list])
    # A coder has started a document when they coded it at all, with any code.
    started_pairs = set(rows.values_list("coder_id", "document_id").distinct())
    if code_pk is not None:
        rows = rows.filter(code_id=code_pk)
    spans: dict[tuple[int, int, int], list[tuple[int, int]]] = defaultdict(list)
    for document_id, code_id, coder_id, start, end in rows.values_list(
        "document_id", "code_id", "coder_id", "start_offset", "end_offset"
    ):
        spans[(document_id, code_id, coder_id)].append((start, end))
    by_document: dict[int, list[tuple[int, int, list[tuple[int, int]]]]] = defaultdict(list)
    for (document_id, code_id, coder_id), coder_spans in spans.items():
        by_document[document_id].append((code_id, coder_id, coder_spans))

    units: list[tuple[int, int, int]] = []
    ranges: list[range] = []
    offsets: list[np.ndarray] = []
    for document_index, document in enumerate(document_list):
        document_units = _units_of(document.text, unit)
        first = len(units)
        units.extend((document_index, start, end) for start, end in document_units)
        ranges.append(range(first, len(units)))
        offsets.append(np.array(document_units, dtype=np.int64).reshape(-1, 2))
    total = len(units)
    started = {coder_id: np.zeros(total, dtype=bool) for coder_id, _document_id in started_pairs}
    coded: dict[int, dict[int, np.ndarray]] = defaultdict(dict)
    for document_index, document in enumerate(document_list):
        document_range = ranges[document_index]
        window = slice(document_range.start, document_range.stop)
        for coder_id in started:
            if (coder_id, document.pk) in started_pairs:
                started[coder_id][window] = True
        bounds = offsets[document_index]
        for code_id, coder_id, coder_spans in by_document.get(document.pk, []):
            flags = coded[code_id].get(coder_id)
            if flags is None:
                flags = coded[code_id][coder_id] = np.zeros(total, dtype=bool)
            flags[window] = analysis.unit_presence_array(bounds[:, 0], bounds[:, 1], coder_spans)
    return _Presence(coders, document_list, units, ranges, dict(coded), started)


def _units_of(text: str, unit: str) -> list[tuple[int, int]]:
    """`analysis.split_units`, cached by the text's digest: splitting is most of a comparison's
    cost, and a new coding changes the comparison but not the units."""
    key = f"scan:units:{unit}:{hashlib.sha256(text.encode()).hexdigest()}"
    units = cache.get(key)
    if units is None:
        units = analysis.split_units(text, unit)
        cache.set(key, units, COMPARISON_CACHE_SECONDS)
    return units


def _count_columns(matrix: np.ndarray) -> Counter:
    """{column of values (None = missing): number of units} of a coders × units matrix of −1, 0, 1:
    each column read as a number in base 3, counted with np.unique, then decoded."""
    n_coders, n_units = matrix.shape
    if not n_units:
        return Counter()
    if n_coders > 39:  # 3**40 overflows int64: count the columns themselves
        distinct, counts = np.unique(matrix.T, axis=0, return_counts=True)
    else:
        powers = 3 ** np.arange(n_coders, dtype=np.int64)
        numbers, counts = np.unique(powers @ (matrix.astype(np.int64) + 1), return_counts=True)
        distinct = numbers[:, None] // powers[None, :] % 3 - 1
    return Counter(
        {
            tuple(None if value < 0 else int(value) for value in column): int(count)
            for column, count in zip(distinct.tolist(), counts.tolist(), strict=True)
        }
    )


@dataclass
class CodeAgreement:
    code: Code
    n_units: int
    coded_units: list[int]  # per coder, in the order of Comparison.coders
    percent: float | None
    kappa: float | None
    alpha: float | None


@dataclass
class Overall:
    n_units: int
    percent: float | None
    kappa: float | None
    alpha: float | None
    mean_percent: float | None
    mean_kappa: float | None
    mean_alpha: float | None


@dataclass
class Comparison:
    round: Round
    unit: str
    coders: list[Any]
    n_documents: int
    n_units: int  # units of the round's documents
    codes: list[CodeAgreement] = field(default_factory=list)
    overall: Overall | None = None


def _mean(values: Iterable[float | None]) -> float | None:
    defined = [value for value in values if value is not None]
    return mean(defined) if defined else None


def _fingerprint(blind_round: Round, unit: str, user: Any, code_pk: int | None = None) -> str:
    """What the comparison depends on: the compared codings, the documents' texts, the codes' names
    and colours, the coders and (while the round is open, when coding is blind) who asks."""
    codings = _compared_codings(blind_round).aggregate(
        count=Count("id"), last=Max("updated_at"), top=Max("id")
    )
    documents = blind_round.documents.aggregate(count=Count("id"), last=Max("updated_at"), top=Max("id"))
    codes = Code.objects.filter(project=blind_round.project_id).aggregate(last=Max("updated_at"))
    coders = sorted(blind_round.coders.values_list("pk", flat=True))
    viewer = getattr(user, "pk", None) if blind_round.is_open else None
    parts = [blind_round.pk, unit, viewer, codings, documents, codes, coders, code_pk]
    return "scan:round-comparison:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def compare_round(
    blind_round: Round, *, unit: str | None = None, user: Any = None, code: Code | None = None
) -> Comparison:
    """Agreement of the round's coders per code and overall (see the module's docstring for what
    is compared and how missing values and the overall figure are formed). `user`, when given,
    limits the codings to those the user may see; `code`, when given, compares that code only (the
    overall figure is then that code's).

    Splitting the documents into units takes most of the time (about a second for 100 documents of
    5,000 words); the statistics are computed once per distinct column of values (bench/agreement.py).
    The result is cached until a compared coding, a document or the coders change (a few aggregate
    queries tell)."""
    unit = unit or blind_round.unit
    code_pk = code.pk if code is not None else None
    key = _fingerprint(blind_round, unit, user, code_pk)
    cached = cache.get(key)
    if cached is not None:
        cached.round = blind_round
        return cached
    comparison = _compare(blind_round, unit, user, code_pk)
    cache.set(key, comparison, COMPARISON_CACHE_SECONDS)
    return comparison


def _compare(blind_round: Round, unit: str, user: Any, code_pk: int | None = None) -> Comparison:
    presence = _presence(blind_round, unit, user, code_pk=code_pk)
    coder_pks = [coder.pk for coder in presence.coders]
    codes = Code.objects.filter(pk__in=presence.coded.keys(), project=blind_round.project)
    comparison = Comparison(blind_round, unit, presence.coders, len(presence.documents), len(presence.units))
    pooled: Counter = Counter()
    for code in sorted(codes, key=lambda code: (code.position, code.name.casefold())):
        columns = _count_columns(presence.matrix(code.pk, coder_pks))
        result = analysis.agreement_from_columns(columns, n_coders=len(coder_pks))
        pooled.update(columns)
        coded = presence.coded[code.pk]
        comparison.codes.append(
            CodeAgreement(
                code=code,
                n_units=result.n_units,
                coded_units=[int(np.count_nonzero(coded[pk])) if pk in coded else 0 for pk in coder_pks],
                percent=result.percent,
                kappa=result.kappa,
                alpha=result.alpha,
            )
        )
    result = analysis.agreement_from_columns(pooled, n_coders=len(coder_pks)) if comparison.codes else None
    comparison.overall = Overall(
        n_units=result.n_units if result else 0,
        percent=result.percent if result else None,
        kappa=result.kappa if result else None,
        alpha=result.alpha if result else None,
        mean_percent=_mean(item.percent for item in comparison.codes),
        mean_kappa=_mean(item.kappa for item in comparison.codes),
        mean_alpha=_mean(item.alpha for item in comparison.codes),
    )
    return comparison


# --- disagreements and reconciliation ---------------------------------------------------------


@dataclass
class UnitDecision:
    """One unit of one document for one code: the unit's text, each coder's value (True, False or
    None when the coder has not coded the document) and how it was resolved, if it was."""

    document: Document
    start: int
    end: int
    text: str
    values: list[bool | None]
    resolution: str = ""  # "", "applied" or "rejected"

    @property
    def is_agreement(self) -> bool:
        present = [value for value in self.values if value is not None]
        return len(present) >= 2 and len(set(present)) == 1


def _rejections(blind_round: Round) -> set[tuple[str, str, int, int]]:
    rejected = set()
    events = AuditEvent.objects.for_object(blind_round).filter(note=REJECT_NOTE)
    for changes in events.values_list("changes", flat=True):
        try:
            rejected.add(
                (
                    changes["code"][1],
                    changes["document"][1],
                    int(changes["unit"][1][0]),
                    int(changes["unit"][1][1]),
                )
            )
        except (KeyError, IndexError, TypeError, ValueError):
            continue
    return rejected


def _consensus_spans(blind_round: Round, code: Code) -> dict[int, list[tuple[int, int]]]:
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = Coding.objects.filter(round=blind_round, code=code, is_consensus=True).values_list(
        "document_id", "start_offset", "end_offset"
    )
    for document_id, start, end in rows:
        spans[document_id].append((start, end))
    return spans


def unit_decisions(
    blind_round: Round,
    *,
    code: Code,
    document: Document | None = None,
    unit: str | None = None,
    user: Any = None,
    only_disagreements: bool = True,
) -> list[UnitDecision]:
    """The units of `code` (in one document or all) where the coders differ — or, with
    `only_disagreements=False`, every unit at least one coder coded — with each coder's value in the
    order of the round's coders (by user name) and the resolution."""
    documents = [document] if document is not None else None
    presence = _presence(blind_round, unit or blind_round.unit, user, documents)
    return _decisions(blind_round, presence, code, _rejections(blind_round), only_disagreements)


def _decisions(
    blind_round: Round,
    presence: _Presence,
    code: Code,
    rejected: set[tuple[str, str, int, int]],
    only_disagreements: bool,
) -> list[UnitDecision]:
    coder_pks = [coder.pk for coder in presence.coders]
    consensus = _consensus_spans(blind_round, code)
    by_coder = presence.coded.get(code.pk, {})
    coded_units = np.zeros(len(presence.units), dtype=bool)
    for flags in by_coder.values():
        coded_units |= flags
    decisions = []
    for document_range in presence.document_ranges:
        if not document_range:
            continue
        positions = np.flatnonzero(coded_units[document_range.start : document_range.stop])
        if not positions.size:
            continue
        document_obj = presence.documents[presence.units[document_range.start][0]]
        block = presence.matrix(code.pk, coder_pks, document_range)
        for position in positions.tolist():
            values = [None if value < 0 else bool(value) for value in block[:, position].tolist()]
            present = [value for value in values if value is not None]
            if only_disagreements and len(set(present)) < 2:
                continue
            _document_index, start, end = presence.units[document_range.start + position]
            decision = UnitDecision(document_obj, start, end, document_obj.text[start:end].strip(), values)
            if any(s < end and start < e for s, e in consensus.get(document_obj.pk, [])):
                decision.resolution = "applied"
            elif (str(code.public_id), str(document_obj.public_id), start, end) in rejected:
                decision.resolution = "rejected"
            decisions.append(decision)
    return decisions


def _check_reconcile(blind_round: Round, code: Code, document: Document, by: Any) -> None:
    _check_manage(blind_round.project, by)
    if blind_round.is_open:
        raise ValidationError(_("Close the round before reconciling: coding is still blind."))
    if code.project_id != blind_round.project_id:
        raise ValidationError({"code": _("The code belongs to another project.")})
    if not blind_round.documents.filter(pk=document.pk).exists():
        raise ValidationError(
            {"document": _("“%(title)s” is not in this round.") % {"title": document.title}}
        )


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _apply(
    blind_round: Round, code: Code, document: Document, start: int, end: int, by: Any
) -> Coding | None:
    start, end = _trimmed(document.text, start, end)
    if end <= start:
        return None
    existing = Coding.objects.filter(
        round=blind_round, code=code, document=document, is_consensus=True, start_offset=start, end_offset=end
    ).first()
    if existing:
        return existing
    return Coding.objects.create(
        document=document,
        code=code,
        coder=by,
        round=blind_round,
        is_consensus=True,
        start_offset=start,
        end_offset=end,
        snippet=document.text[start:end],
    )


@transaction.atomic
def reconcile(
    blind_round: Round,
    *,
    code: Code,
    document: Document,
    unit_start: int,
    unit_end: int,
    decision: str,
    by: Any,
) -> Coding | None:
    """Decide one unit: "apply" makes a consensus coding over the unit (returned), "reject" removes
    the code's consensus codings overlapping the unit and records the rejection. One audit event."""
    _check_reconcile(blind_round, code, document, by)
    if decision not in (APPLY, REJECT):
        raise ValidationError({"decision": _("Decide “apply” or “reject”.")})
    if not (0 <= unit_start < unit_end <= len(document.text)):
        raise ValidationError({"unit_start": _("The unit lies outside the document.")})
    if decision == APPLY:
        coding = _apply(blind_round, code, document, unit_start, unit_end, by)
        if coding is None:
            raise ValidationError({"unit_start": _("The unit holds no text to code.")})
        audit.record(by, "create", coding, audit.diff({}, audit.snapshot(coding)), note=_("consensus coding"))
        return coding
    Coding.objects.filter(
        round=blind_round,
        code=code,
        document=document,
        is_consensus=True,
        start_offset__lt=unit_end,
        end_offset__gt=unit_start,
    ).delete()
    changes = {
        "code": [None, str(code.public_id)],
        "document": [None, str(document.public_id)],
        "unit": [None, [unit_start, unit_end]],
        "consensus": [None, f"{code.name} — {document.title} [{unit_start}, {unit_end})"],
    }
    audit.record(by, "change", blind_round, changes, note=REJECT_NOTE)
    return None


@transaction.atomic
def accept_agreements(
    blind_round: Round, *, code: Code | None = None, unit: str | None = None, by: Any
) -> int:
    """Create consensus codings for every unit where all the coders who coded the document agree
    that the code applies (every code, or only `code`); returns how many were created. One audit
    event on the round."""
    _check_manage(blind_round.project, by)
    if blind_round.is_open:
        raise ValidationError(_("Close the round before reconciling: coding is still blind."))
    presence = _presence(blind_round, unit or blind_round.unit)
    codes = [code] if code is not None else list(Code.objects.filter(pk__in=presence.coded.keys()))
    rejected = _rejections(blind_round)
    created = 0
    for each_code in codes:
        for decision in _decisions(blind_round, presence, each_code, rejected, only_disagreements=False):
            is_yes = decision.is_agreement and all(value for value in decision.values if value is not None)
            if is_yes and not decision.resolution:
                if _apply(blind_round, each_code, decision.document, decision.start, decision.end, by):
                    created += 1
    audit.record(
        by,
        "change",
        blind_round,
        {"consensus codings": [None, created]},
        note=_("agreements accepted"),
    )
    return created
