"""De-identification: every name of the project's pseudonym table replaced in every document.

`replace_names` is pure: it returns the new text and an `OffsetMap` that carries any offset of the
old text to the new one, so codings keep covering the same words. A coding that starts or ends
inside a replaced name snaps to the edges of its replacement.
"""

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from healthywork.core import audit
from healthywork.core.previews import ImportPreview
from healthywork.scan.models import Coding, Document, Project, Pseudonym


@dataclass(frozen=True)
class Replacement:
    old_start: int
    old_end: int
    new_start: int
    new_end: int


@dataclass
class OffsetMap:
    """The replacements made, in text order; maps offsets of the old text to the new text."""

    replacements: list[Replacement] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [item.old_start for item in self.replacements]

    def __len__(self) -> int:
        return len(self.replacements)

    def _shift_after(self, item: Replacement) -> int:
        return item.new_end - item.old_end

    def start(self, offset: int) -> int:
        """Where a span starting at `offset` starts now (inside a name: where its pseudonym starts)."""
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return offset
        item = self.replacements[index]
        if offset < item.old_end:
            return item.new_start
        return offset + self._shift_after(item)

    def end(self, offset: int) -> int:
        """Where a span ending (exclusive) at `offset` ends now (inside a name: its pseudonym's end)."""
        index = bisect.bisect_left(self._starts, offset) - 1
        if index < 0:
            return offset
        item = self.replacements[index]
        if offset <= item.old_end:
            return item.new_end
        return offset + self._shift_after(item)


def _pattern(names: Iterable[str]) -> str:
    # Longest first, so "Maria Lopez" wins over "Maria"; any run of spaces or a line break
    # between the words of a name still matches it.
    ordered = sorted(set(names), key=lambda name: (-len(name), name))
    alternatives = [r"\s+".join(re.escape(word) for word in name.split()) for name in ordered]
    return r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"


def replace_names(text: str, table: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[str, OffsetMap]:
    """Replace each name of `table` (name -> pseudonym) by its pseudonym: whole words, whatever the
    case, longest names first, in one pass (a pseudonym written in is never replaced again, and a
    pseudonym already in the text is left as it is)."""
    pairs = list(table.items()) if isinstance(table, Mapping) else list(table)
    lookup: dict[str, str | None] = {}
    for _name, pseudonym in pairs:
        if pseudonym.split():
            lookup[" ".join(pseudonym.split()).casefold()] = None  # protected: matched and kept
    for name, pseudonym in pairs:
        if name.split():
            lookup[" ".join(name.split()).casefold()] = pseudonym
    if not lookup:
        return text, OffsetMap()
    regex = re.compile(_pattern(lookup), re.IGNORECASE)
    pieces: list[str] = []
    replacements: list[Replacement] = []
    position = 0
    new_length = 0
    for match in regex.finditer(text):
        pseudonym = lookup.get(" ".join(match.group().split()).casefold())
        if pseudonym is None or pseudonym == match.group():
            continue
        before = text[position : match.start()]
        pieces.append(before)
        new_length += len(before)
        pieces.append(pseudonym)
        replacements.append(Replacement(match.start(), match.end(), new_length, new_length + len(pseudonym)))
        new_length += len(pseudonym)
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces), OffsetMap(replacements)


def pseudonym_table(project: Project) -> dict[str, str]:
    return dict(project.pseudonyms.values_list("name", "pseudonym"))


@dataclass
class DocumentResult:
    document: Document
    replacements: int


@dataclass
class Report:
    documents: list[DocumentResult]
    codings_moved: int = 0

    @property
    def replacements(self) -> int:
        return sum(result.replacements for result in self.documents)


def preview(project: Project) -> Report:
    """How many replacements each document of the project would get; nothing is written."""
    table = pseudonym_table(project)
    return Report(
        [
            DocumentResult(document, len(replace_names(document.text, table)[1]))
            for document in project.documents.order_by("title", "id")
        ]
    )


@transaction.atomic
def apply(project: Project, by: Any) -> Report:
    """Replace the names in every document of the project and move every coding with its words.

    The text before the first de-identification is kept in `original_text` when the project keeps
    originals (administrators only may read it); otherwise it and the uploaded file are discarded.
    One transaction, one audit event on the project."""
    table = pseudonym_table(project)
    report = Report([])
    files_to_delete = []
    for document in project.documents.select_for_update().order_by("title", "id"):
        new_text, offsets = replace_names(document.text, table)
        if offsets:
            if project.keep_originals and not document.original_text:
                document.original_text = document.text
            document.text = new_text
            report.codings_moved += _move_codings(document, offsets)
        if not project.keep_originals:
            document.original_text = ""
            if document.original_file:
                files_to_delete.append((document.original_file.storage, document.original_file.name))
                document.original_file = ""
        document.is_deidentified = True
        document.save()
        report.documents.append(DocumentResult(document, len(offsets)))
    for storage, name in files_to_delete:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    audit.record(
        by,
        "change",
        project,
        {"de-identified": {result.document.title: result.replacements for result in report.documents}},
        note=_("de-identification: %(replacements)s replacements in %(documents)s documents")
        % {"replacements": report.replacements, "documents": len(report.documents)},
    )
    return report


def _move_codings(document: Document, offsets: OffsetMap) -> int:
    codings = list(Coding.objects.filter(document=document))
    for coding in codings:
        coding.start_offset = offsets.start(coding.start_offset)
        coding.end_offset = max(offsets.end(coding.end_offset), coding.start_offset + 1)
        coding.snippet = document.text[coding.start_offset : coding.end_offset]
    Coding.objects.bulk_update(codings, ["start_offset", "end_offset", "snippet"])
    return len(codings)


# The pseudonym table: one row at a time, or a CSV of name,pseudonym.


@transaction.atomic
def save_pseudonym(pseudonym: Pseudonym, *, by: Any) -> Pseudonym:
    """Add or change one name -> pseudonym pair of a project's table."""
    is_new = pseudonym.pk is None
    before = {} if is_new else audit.snapshot(Pseudonym.objects.get(pk=pseudonym.pk))
    pseudonym.save()
    audit.record(
        by, "create" if is_new else "change", pseudonym, audit.diff(before, audit.snapshot(pseudonym))
    )
    return pseudonym


@transaction.atomic
def delete_pseudonym(pseudonym: Pseudonym, *, by: Any) -> None:
    audit.record(by, "delete", pseudonym, audit.diff(audit.snapshot(pseudonym), {}))
    pseudonym.delete()


@dataclass
class PseudonymRow:
    number: int
    name: str
    pseudonym: str
    action: str
    message: str = ""


def preview_pseudonyms(project: Project, table: Any) -> ImportPreview:
    """Each row of a `core.tabular.Table` with columns name and pseudonym: create, update, skip or
    refuse (with the reason)."""
    file_errors = []
    missing = [column for column in ("name", "pseudonym") if column not in table.headers]
    if missing:
        file_errors.append(
            _("The file has no column named %(columns)s; the first row must name the columns name,pseudonym.")
            % {"columns": ", ".join(missing)}
        )
        return ImportPreview(rows=[], file_errors=file_errors)
    existing = {name.casefold(): (name, value) for name, value in pseudonym_table(project).items()}
    seen: dict[str, int] = {}
    rows = []
    for number, values in table.rows:
        name, pseudonym = " ".join(values["name"].split()), " ".join(values["pseudonym"].split())
        row = PseudonymRow(number, name, pseudonym, "create")
        if not name:
            row.action, row.message = "refuse", _("Row %(row)s: the name is empty.") % {"row": number}
        elif not pseudonym:
            row.action, row.message = "refuse", _("Row %(row)s: the pseudonym is empty.") % {"row": number}
        elif len(name) > 200 or len(pseudonym) > 200:
            row.action = "refuse"
            row.message = _("Row %(row)s: a name or pseudonym has at most 200 characters.") % {"row": number}
        elif name.casefold() in seen:
            row.action = "refuse"
            row.message = _("Row %(row)s: %(name)s is already given on row %(other)s.") % {
                "row": number,
                "name": name,
                "other": seen[name.casefold()],
            }
        elif name.casefold() in existing:
            row.action = "skip" if existing[name.casefold()][1] == pseudonym else "update"
        if name:
            seen.setdefault(name.casefold(), number)
        rows.append(row)
    if not rows:
        file_errors.append(_("The file has no rows under its header."))
    return ImportPreview(rows=rows, file_errors=file_errors)


@transaction.atomic
def apply_pseudonyms(
    project: Project, preview_obj: ImportPreview, *, by: Any, filename: str
) -> dict[str, int]:
    """Write an import preview that may be applied (no refused row): all of it or nothing."""
    if not preview_obj.can_apply:
        raise ValueError("This preview has refused rows; it cannot be applied.")
    existing = {item.name.casefold(): item for item in project.pseudonyms.all()}
    for row in preview_obj.rows:
        if row.action == "create":
            Pseudonym.objects.create(project=project, name=row.name, pseudonym=row.pseudonym)
        elif row.action == "update":
            item = existing[row.name.casefold()]
            item.pseudonym = row.pseudonym
            item.save(update_fields=["pseudonym"])
    summary = preview_obj.summary()
    audit.record(by, "import", project, {"pseudonyms": summary}, note=filename[:200])
    return summary
