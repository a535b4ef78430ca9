"""Coding a document: apply, adjust and remove coded spans, write memos, and cut a text into the
runs, sentences and paragraphs that the coding page renders.

Offsets count Unicode code points (Python string indices), `start` inclusive, `end` exclusive.
Permission to read is the caller's business; the writes here check who may change what.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from healthywork.core import audit
from healthywork.scan.analysis import split_units
from healthywork.scan.models import Code, Coding, Document, Memo, Project, Round, RoundStatus


@dataclass(frozen=True)
class Run:
    """A stretch of text [start, end) covered by the same codings (possibly none)."""

    start: int
    end: int
    text: str
    codings: tuple = ()


@dataclass(frozen=True)
class Sentence:
    """A sentence [start, end) of a paragraph; `content_end` leaves out the trailing whitespace."""

    index: int
    start: int
    end: int
    content_end: int
    paragraph: int


@dataclass
class SentenceBlock:
    sentence: Sentence
    runs: list[Run] = field(default_factory=list)


def highlight_runs(text: str, codings: Iterable[Any]) -> list[Run]:
    """Cut `text` at every coding boundary into runs, each with the codings covering it.

    Each coding needs `start_offset` and `end_offset`; offsets are clamped to the text and empty
    spans are left out. Overlaps are allowed: a run lists every coding that covers it, in the
    order of their starts (longer first). One sort of the boundaries, then one sweep:
    O(n log n) in the number of codings, plus the size of the output.
    """
    length = len(text)
    starts: dict[int, list[Any]] = {}
    ends: dict[int, list[Any]] = {}
    spans = []
    for coding in codings:
        start = max(0, min(coding.start_offset, length))
        end = max(0, min(coding.end_offset, length))
        if end > start:
            spans.append((start, -end, len(spans), coding))
    spans.sort(key=lambda item: item[:3])
    for start, negative_end, _order, coding in spans:
        starts.setdefault(start, []).append(coding)
        ends.setdefault(-negative_end, []).append(coding)
    boundaries = sorted({0, length, *starts, *ends})
    active: dict[int, Any] = {}
    runs: list[Run] = []
    for position, next_position in zip(boundaries, boundaries[1:], strict=False):
        for coding in ends.get(position, ()):
            active.pop(id(coding), None)
        for coding in starts.get(position, ()):
            active[id(coding)] = coding
        runs.append(Run(position, next_position, text[position:next_position], tuple(active.values())))
    return runs


def sentences_of(text: str) -> list[Sentence]:
    """The sentences of `text`, paragraph by paragraph: the units of
    `analysis.split_units(text, "sentence")`, the same units the agreement of a round counts
    ("Dr. Ruiz" and "e.g. rent" do not end a sentence; a speaker label starts a paragraph).

    A sentence runs from its first character to the start of the next sentence of its paragraph
    (so the white space between sentences belongs to the one before); `content_end` leaves that
    white space out. The white space between paragraphs belongs to no sentence.
    """
    paragraphs = split_units(text, "paragraph")
    units = split_units(text, "sentence")
    sentences: list[Sentence] = []
    paragraph = 0
    for index, (start, end) in enumerate(units):
        while paragraphs[paragraph][1] < end:
            paragraph += 1
        following = units[index + 1][0] if index + 1 < len(units) else len(text)
        sentence_end = following if following < paragraphs[paragraph][1] else end
        sentences.append(Sentence(index, start, sentence_end, end, paragraph))
    return sentences


def layout(text: str, codings: Iterable[Any]) -> list[list[SentenceBlock]]:
    """Paragraphs of sentences of runs, ready to render: the runs of `highlight_runs` cut again at
    sentence ends (one linear walk), so each sentence can be an element of its own."""
    runs = highlight_runs(text, codings)
    paragraphs: list[list[SentenceBlock]] = []
    run_index = 0
    for sentence in sentences_of(text):
        if not paragraphs or paragraphs[-1][0].sentence.paragraph != sentence.paragraph:
            paragraphs.append([])
        block = SentenceBlock(sentence)
        while run_index < len(runs) and runs[run_index].end <= sentence.start:
            run_index += 1
        index = run_index
        while index < len(runs) and runs[index].start < sentence.end:
            run = runs[index]
            start, end = max(run.start, sentence.start), min(run.end, sentence.end)
            block.runs.append(Run(start, end, text[start:end], run.codings))
            index += 1
        paragraphs[-1].append(block)
    return paragraphs


def open_round_for(document: Document, user: Any) -> Round | None:
    """The open blind round on `document` in which `user` codes, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Round.objects.filter(documents=document, coders=user, status=RoundStatus.OPEN)
        .order_by("opened_at", "id")
        .first()
    )


def _check_span(document: Document, start: Any, end: Any) -> tuple[int, int]:
    length = len(document.text)
    if not isinstance(start, int) or start < 0 or start > length:
        raise ValidationError(
            {"start": _("The start must be between 0 and %(length)s.") % {"length": length}}
        )
    if not isinstance(end, int) or end < 0 or end > length:
        raise ValidationError({"end": _("The end must be between 0 and %(length)s.") % {"length": length}})
    if end <= start:
        raise ValidationError({"end": _("The end must come after the start.")})
    return start, end


def check_can_change(coding: Coding, user: Any) -> None:
    project = coding.document.project
    if not project.can_code(user):
        raise PermissionDenied("scan.code")
    if coding.coder_id != user.pk and not project.can_manage(user):
        raise PermissionDenied(_("Only the coder or a project lead may change this coding."))


@transaction.atomic
def add_codings(
    document: Document, *, code_ids: Sequence[int], start: int, end: int, by: Any, round: Round | None = None
) -> list[Coding]:
    """Apply each code of `code_ids` to [start, end) of the document, as coder `by`.

    The codes must belong to the document's project. When the document is in an open round in
    which `by` codes, the codings record that round. A span `by` already coded with the same code
    is not duplicated: the existing coding is returned. One audit event per coding created.
    """
    start, end = _check_span(document, start, end)
    wanted = list(dict.fromkeys(code_ids))
    if not wanted:
        raise ValidationError({"codes": _("Tick at least one code to apply.")})
    codes = {code.pk: code for code in Code.objects.filter(project=document.project_id, pk__in=wanted)}
    if len(codes) != len(wanted):
        raise ValidationError({"codes": _("A chosen code does not belong to this project.")})
    if round is None:
        round = open_round_for(document, by)
    existing = {
        coding.code_id: coding
        for coding in Coding.objects.filter(
            document=document, coder=by, start_offset=start, end_offset=end, code_id__in=wanted
        )
    }
    snippet = document.text[start:end]
    result = []
    for code_id in wanted:
        if code_id in existing:
            result.append(existing[code_id])
            continue
        coding = Coding.objects.create(
            document=document,
            code=codes[code_id],
            coder=by,
            round=round,
            start_offset=start,
            end_offset=end,
            snippet=snippet,
        )
        audit.record(by, "create", coding, audit.snapshot(coding))
        result.append(coding)
    return result


@transaction.atomic
def adjust_coding(coding: Coding, *, start: int, end: int, by: Any) -> Coding:
    """Move the boundaries of a coding (the coder themself or a project lead only)."""
    check_can_change(coding, by)
    start, end = _check_span(coding.document, start, end)
    before = audit.snapshot(coding)
    coding.start_offset, coding.end_offset = start, end
    coding.refresh_snippet()
    coding.save(update_fields=["start_offset", "end_offset", "snippet", "updated_at"])
    audit.record(by, "change", coding, audit.diff(before, audit.snapshot(coding)))
    return coding


@transaction.atomic
def remove_coding(coding: Coding, *, by: Any) -> None:
    """Delete a coding (the coder themself or a project lead only), with its memos."""
    check_can_change(coding, by)
    audit.record(by, "delete", coding, audit.snapshot(coding))
    coding.delete()


@transaction.atomic
def add_memo(
    project: Project,
    *,
    text: str,
    by: Any,
    document: Document | None = None,
    coding: Coding | None = None,
    code: Code | None = None,
) -> Memo:
    """A memo on the project, or on one of its documents, codings or codes."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the memo before saving it.")})
    if coding is not None and document is None:
        document = coding.document
    for target in (document, code):
        if target is not None and target.project_id != project.pk:
            raise ValidationError(_("The memo's document or code belongs to another project."))
    if coding is not None and coding.document_id != document.pk:
        raise ValidationError(_("The coding belongs to another document."))
    memo = Memo.objects.create(
        project=project, document=document, coding=coding, code=code, author=by, text=text
    )
    audit.record(by, "create", memo, audit.snapshot(memo))
    return memo


def _check_author(memo: Memo, user: Any) -> None:
    if memo.author_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the author may change this memo."))


@transaction.atomic
def edit_memo(memo: Memo, *, text: str, by: Any) -> Memo:
    """Change a memo's text (its author only)."""
    _check_author(memo, by)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the memo before saving it.")})
    before = audit.snapshot(memo)
    memo.text = text
    memo.save(update_fields=["text", "updated_at"])
    audit.record(by, "change", memo, audit.diff(before, audit.snapshot(memo)))
    return memo


@transaction.atomic
def delete_memo(memo: Memo, *, by: Any) -> None:
    """Delete a memo (its author only)."""
    _check_author(memo, by)
    audit.record(by, "delete", memo, audit.snapshot(memo))
    memo.delete()
