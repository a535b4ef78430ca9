"""REFI-QDA (QDA-XML 1.0) exchange: write `.qdpx` projects and `.qdc` codebooks, and read them back.

The format is the Rotterdam Exchange Format Initiative's (qdasoftware.org); the schemas are in
`scan/schemas/`. Export streams the XML into the zip entry, so a large project never sits in memory
as a tree. Reading treats the file as untrusted: a size limit on the upload and on what the zip
unpacks to (checked from its headers and again while reading), no DTDs or entities (defusedxml),
no entry names that climb out of the archive. `refi_import` writes what `read_refi` parsed.
"""

import hashlib
import io
import itertools
import re
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import XMLGenerator, escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from healthywork.accounts.models import User
from healthywork.scan.models import Code, Coding, Document, Memo, Project

PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
# Namespaces real producers wrote for 1.0 (see /work/shared/refi-qda/README.md).
PROJECT_NAMESPACES = {PROJECT_NAMESPACE, "urn:QDA-XML:project:1:0"}
CODEBOOK_NAMESPACES = {CODEBOOK_NAMESPACE, "urn:QDA-XML:codebook:1:0", "urn:QDA-XML:codebook:0:4"}
ORIGIN = "healthywork"

# The labelled sections of a code's <Description> (the codebook schema has no other place for them).
# They are part of the file format, so they are not translated.
SECTIONS = (("when_to_use", "When to use"), ("when_not_to_use", "When not to use"), ("example", "Example"))
SECTION_PATTERN = re.compile(r"\n\n(When to use|When not to use|Example): ")

# Colours for codes that come without one (the Tableau 10 palette, as matplotlib and Vega use).
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
COLOUR_PATTERN = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
MAX_CODE_DEPTH = 50
MAX_ZIP_ENTRIES = 100_000
CHUNK = 64 * 1024


class RefiError(ValueError):
    """A file that cannot be imported without losing information, or that is unsafe."""


def user_guid(username: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "healthywork:user:" + username))


# ---------------------------------------------------------------------------------------------
# Export


def describe_code(code: Code) -> str:
    """The definition, then "When to use: ...", "When not to use: ...", "Example: ..." sections."""
    parts = [code.definition.strip()]
    for attribute, label in SECTIONS:
        value = getattr(code, attribute).strip()
        if value:
            parts.append(f"{label}: {value}")
    return "\n\n".join(parts).strip("\n") if any(parts) else ""


def parse_description(description: str) -> dict[str, str]:
    """The inverse of `describe_code`: {definition, when_to_use, when_not_to_use, example}."""
    fields = {"definition": "", "when_to_use": "", "when_not_to_use": "", "example": ""}
    by_label = {label: attribute for attribute, label in SECTIONS}
    pieces = SECTION_PATTERN.split("\n\n" + description.strip())
    fields["definition"] = pieces[0].strip()
    for label, text in zip(pieces[1::2], pieces[2::2], strict=True):
        attribute = by_label[label]
        fields[attribute] = "\n\n".join(filter(None, [fields[attribute], text.strip()]))
    return fields


def _codes_by_parent(project: Project) -> dict[int | None, list[Code]]:
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in Code.objects.filter(project=project).order_by("position", "name", "id"):
        children[code.parent_id].append(code)
    return children


def _write_codes(
    xml: XMLGenerator,
    children: dict[int | None, list[Code]],
    parent_id: int | None,
    notes: dict | None = None,
) -> None:
    for code in children.get(parent_id, []):
        attributes = {
            "guid": str(code.public_id),
            "name": code.name,
            "isCodable": "true",
            "color": code.colour,
        }
        xml.startElement("Code", attributes)
        description = describe_code(code)
        if description:
            _text_element(xml, "Description", description)
        _note_refs(xml, (notes or {}).get(code.pk, []))
        _write_codes(xml, children, code.pk, notes)
        xml.endElement("Code")


def _note_refs(xml: XMLGenerator, guids) -> None:
    for guid in guids:
        _empty_element(xml, "NoteRef", {"targetGUID": str(guid)})


def _text_element(xml: XMLGenerator, name: str, text: str, attributes: dict | None = None) -> None:
    xml.startElement(name, attributes or {})
    xml.characters(text)
    xml.endElement(name)


def _empty_element(xml: XMLGenerator, name: str, attributes: dict) -> None:
    xml.startElement(name, attributes)
    xml.endElement(name)


def _timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def export_qdc(project: Project) -> bytes:
    """The project's codebook as a QDA-XML 1.0 codebook (`.qdc`)."""
    buffer = io.BytesIO()
    xml = XMLGenerator(buffer, encoding="utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startElement("CodeBook", {"xmlns": CODEBOOK_NAMESPACE, "origin": ORIGIN})
    children = _codes_by_parent(project)
    xml.startElement("Codes", {})
    _write_codes(xml, children, None)
    xml.endElement("Codes")
    xml.endElement("CodeBook")
    xml.endDocument()
    return buffer.getvalue()


def export_qdpx(project: Project, out: BinaryIO, *, viewer=None) -> None:
    """Write the project as a `.qdpx` zip to `out`: `project.qde` plus `Sources/<guid>.txt`.

    Codings are read through `Coding.objects.visible_to(viewer)` when a viewer is given (blind
    rounds); the command line exports every coding. The XML is built as strings and written to the
    zip entry in large chunks; codings are read a chunk of documents at a time (one query per
    chunk), so memory stays bounded whatever the project's size.
    """
    codings = Coding.objects.filter(document__project=project)
    if viewer is not None:
        codings = Coding.objects.visible_to(viewer).filter(document__project=project)
    documents = Document.objects.filter(project=project).order_by("title", "id")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("project.qde", "w") as entry:
            _write_project_xml(project, _ChunkWriter(entry), documents, codings)
        for guid, text in documents.values_list("public_id", "text").iterator(chunk_size=200):
            with archive.open(f"Sources/{guid}.txt", "w") as entry:
                entry.write(text.encode("utf-8"))


DOCUMENTS_PER_QUERY = 200
WRITE_CHUNK = 1024 * 1024


class _ChunkWriter:
    """Collects XML text and writes it to a binary stream as UTF-8, about WRITE_CHUNK at a time."""

    def __init__(self, out: BinaryIO):
        self.out, self.parts, self.size = out, [], 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= WRITE_CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.out.write("".join(self.parts).encode("utf-8"))
            self.parts, self.size = [], 0


def _start(name: str, attributes: dict[str, str], *, empty: bool = False) -> str:
    """A start tag (or an empty element) written as XMLGenerator writes it."""
    text = "".join(f" {key}={quoteattr(value)}" for key, value in attributes.items())
    return f"<{name}{text}{'/>' if empty else '>'}"


def _note_ref_text(guids) -> str:
    return "".join(f'<NoteRef targetGUID="{guid}"/>' for guid in guids)


def _text_element_text(name: str, text: str) -> str:
    return f"<{name}>{escape(text)}</{name}>" if text else f"<{name}/>"


def _codes_text(
    children: dict[int | None, list[Code]], parent_id: int | None, notes: dict | None = None
) -> Iterator[str]:
    for code in children.get(parent_id, []):
        attributes = {
            "guid": str(code.public_id),
            "name": code.name,
            "isCodable": "true",
            "color": code.colour,
        }
        description = describe_code(code)
        refs = (notes or {}).get(code.pk, [])
        if not description and not refs and not children.get(code.pk):
            yield _start("Code", attributes, empty=True)
            continue
        yield _start("Code", attributes)
        if description:
            yield _text_element_text("Description", description)
        yield _note_ref_text(refs)
        yield from _codes_text(children, code.pk, notes)
        yield "</Code>"


def coding_guid(public_id: uuid.UUID) -> str:
    """`str(uuid.uuid5(public_id, "coding"))`, the GUID of a selection's <Coding>, without the
    overhead of building a UUID object (it runs once per coding of an export)."""
    digest = bytearray(hashlib.sha1(public_id.bytes + b"coding").digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _write_project_xml(project: Project, xml: _ChunkWriter, documents, codings) -> None:
    xml.write('<?xml version="1.0" encoding="utf-8"?>\n')
    attributes = {
        "xmlns": PROJECT_NAMESPACE,
        "name": project.name,
        "origin": ORIGIN,
        "creationDateTime": _timestamp(project.created_at),
    }
    # Memos on codings follow their coding's visibility (blind rounds).
    memos = Memo.objects.filter(project=project).filter(Q(coding__isnull=True) | Q(coding__in=codings))
    coder_ids = codings.order_by().values("coder_id").distinct()
    people = dict(
        User.objects.filter(Q(pk__in=coder_ids) | Q(pk__in=memos.order_by().values("author_id"))).values_list(
            "pk", "username"
        )
    )
    user_guids = {pk: user_guid(username) for pk, username in people.items()}
    general = memos.filter(coding__isnull=True, document__isnull=True, code__isnull=True)
    general_refs = general.order_by("created_at", "id").values_list("public_id", flat=True)
    children = _codes_by_parent(project)
    has_body = bool(people or children or project.description or documents.exists())
    has_body = has_body or memos.exists()
    if not has_body:
        xml.write(_start("Project", attributes, empty=True))
        xml.flush()
        return
    xml.write(_start("Project", attributes))
    if people:
        xml.write("<Users>")
        for username in sorted(people.values()):
            xml.write(_start("User", {"guid": user_guid(username), "name": username}, empty=True))
        xml.write("</Users>")
    if children:
        code_notes: dict[int, list] = defaultdict(list)
        rows = memos.filter(coding__isnull=True, document__isnull=True, code__isnull=False)
        for code_id, memo_guid in rows.order_by("created_at", "id").values_list("code_id", "public_id"):
            code_notes[code_id].append(memo_guid)
        xml.write("<CodeBook><Codes>")
        for text in _codes_text(children, None, code_notes):
            xml.write(text)
        xml.write("</Codes></CodeBook>")
    _write_cases(xml, documents)
    _write_sources(xml, documents, codings, memos, user_guids)
    _write_notes(xml, memos)
    if project.description:
        xml.write(_text_element_text("Description", project.description))
    xml.write(_note_ref_text(general_refs.iterator()))
    xml.write("</Project>")
    xml.flush()


def _write_cases(xml: _ChunkWriter, documents) -> None:
    """One case per interviewed organization, holding its documents."""
    rows = (
        documents.filter(interview__isnull=False)
        .order_by("interview__organization__name", "interview__organization_id", "title")
        .values_list("interview__organization__public_id", "interview__organization__name", "public_id")
    )
    current = None
    for organization_guid, organization_name, document_guid in rows.iterator(chunk_size=2000):
        if current is None:
            xml.write("<Cases>")
        if organization_guid != current:
            if current is not None:
                xml.write("</Case>")
            xml.write(_start("Case", {"guid": str(organization_guid), "name": organization_name}))
            current = organization_guid
        xml.write(f'<SourceRef targetGUID="{document_guid}"/>')
    if current is not None:
        xml.write("</Case></Cases>")


def _write_notes(xml: _ChunkWriter, memos) -> None:
    """Memos as REFI notes (text sources with their text inline)."""
    rows = memos.order_by("created_at", "id").values_list(
        "public_id", "text", "author__username", "created_at"
    )
    started = False
    for public_id, text, username, created_at in rows.iterator(chunk_size=500):
        if not started:
            xml.write("<Notes>")
            started = True
        attributes = {
            "guid": str(public_id),
            "name": " ".join(text.split())[:60],
            "creatingUser": user_guid(username),
            "creationDateTime": _timestamp(created_at),
        }
        xml.write(_start("Note", attributes))
        xml.write(_text_element_text("PlainTextContent", text))
        xml.write("</Note>")
    if started:
        xml.write("</Notes>")


def _write_sources(xml: _ChunkWriter, documents, codings, memos, user_guids: dict[int, str]) -> None:
    """Every document with its codings and memos; one query per DOCUMENTS_PER_QUERY documents for
    each of codings, coding memos and document memos."""
    code_guids = {}
    started = False
    rows = documents.values_list("id", "public_id", "title", "created_at")
    for batch in _batches(rows.iterator(chunk_size=DOCUMENTS_PER_QUERY), DOCUMENTS_PER_QUERY):
        if not started:
            xml.write("<Sources>")
            started = True
        ids = [row[0] for row in batch]
        by_document: dict[int, list] = defaultdict(list)
        selection_rows = (
            codings.filter(document_id__in=ids)
            .order_by("document_id", "start_offset", "end_offset", "id")
            .values_list(
                "document_id", "public_id", "start_offset", "end_offset", "created_at", "coder_id", "code_id"
            )
        )
        for row in selection_rows:
            by_document[row[0]].append(row)
        coding_notes: dict = defaultdict(list)
        for coding_public_id, memo_guid in (
            memos.filter(coding__document_id__in=ids)
            .order_by("created_at", "id")
            .values_list("coding__public_id", "public_id")
        ):
            coding_notes[coding_public_id].append(memo_guid)
        document_notes: dict[int, list] = defaultdict(list)
        for document_id, memo_guid in (
            memos.filter(document_id__in=ids, coding__isnull=True)
            .order_by("created_at", "id")
            .values_list("document_id", "public_id")
        ):
            document_notes[document_id].append(memo_guid)
        missing = {row[6] for rows_ in by_document.values() for row in rows_} - code_guids.keys()
        if missing:
            code_guids.update(Code.objects.filter(pk__in=missing).values_list("pk", "public_id"))
        for document_id, public_id, title, created_at in batch:
            _write_source(
                xml,
                (public_id, title, created_at),
                by_document.get(document_id, []),
                coding_notes,
                document_notes.get(document_id, []),
                user_guids,
                code_guids,
            )
    if started:
        xml.write("</Sources>")


def _batches(rows, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _write_source(
    xml: _ChunkWriter, document, selections, coding_notes, document_refs, users, code_guids
) -> None:
    public_id, title, created_at = document
    guid = str(public_id)
    attributes = {
        "guid": guid,
        "name": title,
        "plainTextPath": f"internal://{guid}.txt",
        "creationDateTime": _timestamp(created_at),
    }
    if not selections and not document_refs:
        xml.write(_start("TextSource", attributes, empty=True))
        return
    parts = [_start("TextSource", attributes)]
    for _document_id, coding_public_id, start, end, coded_at, coder_id, code_id in selections:
        who = f'creatingUser="{users[coder_id]}" creationDateTime="{coded_at.isoformat(timespec="seconds")}"'
        parts.append(
            f'<PlainTextSelection guid="{coding_public_id}" startPosition="{start}" '
            f'endPosition="{end}" {who}>'
            f'<Coding guid="{coding_guid(coding_public_id)}" {who}>'
            f'<CodeRef targetGUID="{code_guids[code_id]}"/></Coding>'
        )
        refs = coding_notes.get(coding_public_id)
        if refs:
            parts.append(_note_ref_text(refs))
        parts.append("</PlainTextSelection>")
    parts.append(_note_ref_text(document_refs))
    parts.append("</TextSource>")
    xml.write("".join(parts))


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class RefiCode:
    guid: str
    name: str
    colour: str
    description: str = ""
    children: list["RefiCode"] = field(default_factory=list)
    is_made_up: bool = False  # a parent that only existed in "Parent::Child" names


@dataclass
class RefiCoding:
    start: int
    end: int
    code_guid: str
    user_guid: str | None


@dataclass
class RefiSource:
    guid: str
    name: str
    text: str
    codings: list[RefiCoding] = field(default_factory=list)


@dataclass
class RefiProject:
    """What a REFI-QDA file holds, as plain data (nothing written yet)."""

    name: str
    filename: str
    is_codebook_only: bool
    codes: list[RefiCode] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)
    sources: list[RefiSource] = field(default_factory=list)
    skipped_codings: int = 0
    skipped_sources: int = 0
    warnings: list[str] = field(default_factory=list)

    def all_codes(self) -> list[RefiCode]:
        found, stack = [], list(reversed(self.codes))
        while stack:
            code = stack.pop()
            found.append(code)
            stack.extend(reversed(code.children))
        return found

    @property
    def coding_count(self) -> int:
        return sum(len(source.codings) for source in self.sources)


def _limits() -> tuple[int, int, int]:
    """(upload, one unpacked entry, everything unpacked) in bytes."""
    upload = settings.HEALTHYWORK_MAX_UPLOAD_BYTES
    return upload, 10 * upload, 20 * upload


def _megabytes(size: int) -> str:
    return f"{size / 1048576:.1f}"


def read_refi(upload: BinaryIO, filename: str) -> RefiProject:
    """Parse a `.qdpx`, `.qde` or `.qdc` file into a RefiProject, or raise RefiError."""
    upload_limit, _entry_limit, _total_limit = _limits()
    upload.seek(0, io.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    if size > upload_limit:
        raise RefiError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _megabytes(size), "limit": _megabytes(upload_limit)}
        )
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK"):
        return _read_qdpx(upload, filename)
    if filename.lower().endswith(".qdpx"):
        raise RefiError(_("This .qdpx file is not a zip archive: it may be damaged."))
    root = _parse_xml(upload.read(), filename)
    return _read_root(root, filename, sources_in_zip=None)


def _parse_xml(data: bytes, name: str) -> Element:
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise RefiError(
            _("%(name)s declares a DTD or entities; this XML file is refused for safety.") % {"name": name}
        ) from None
    except ParseError as error:
        line, column = error.position
        raise RefiError(
            _("%(name)s is not well-formed XML (line %(line)s, column %(column)s).")
            % {"name": name, "line": line, "column": column}
        ) from None


def _read_qdpx(upload: BinaryIO, filename: str) -> RefiProject:
    _upload_limit, entry_limit, total_limit = _limits()
    try:
        archive = zipfile.ZipFile(upload)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise RefiError(
            _("%(name)s is not a readable zip archive: it may be damaged.") % {"name": filename}
        ) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise RefiError(_("The archive holds more than %(count)s files.") % {"count": MAX_ZIP_ENTRIES})
    total = 0
    for info in entries:
        _check_entry_name(info.filename)
        if info.flag_bits & 0x1:
            raise RefiError(
                _("The archive is encrypted (%(entry)s); export it again without a password.")
                % {"entry": info.filename}
            )
        if info.file_size > entry_limit:
            raise RefiError(
                _("%(entry)s would unpack to %(size)s MB, more than the limit of %(limit)s MB; refused.")
                % {
                    "entry": info.filename,
                    "size": _megabytes(info.file_size),
                    "limit": _megabytes(entry_limit),
                }
            )
        total += info.file_size
    if total > total_limit:
        raise RefiError(
            _("The archive would unpack to %(size)s MB, more than the limit of %(limit)s MB; refused.")
            % {"size": _megabytes(total), "limit": _megabytes(total_limit)}
        )
    by_name = {info.filename.lower(): info for info in entries if not info.is_dir()}
    project_entries = [info for name, info in by_name.items() if name.endswith(".qde") and "/" not in name]
    if "project.qde" in by_name:
        project_entries = [by_name["project.qde"]]
    if len(project_entries) != 1:
        raise RefiError(_("The archive holds no project.qde file: it is not a REFI-QDA project."))
    budget = _ReadBudget(entry_limit, total_limit)
    root = _parse_xml(budget.read(archive, project_entries[0]), project_entries[0].filename)

    def source_text(path: str) -> bytes | None:
        info = by_name.get("sources/" + path.lower()) or by_name.get(path.lower())
        return None if info is None else budget.read(archive, info)

    return _read_root(root, filename, sources_in_zip=source_text)


def _check_entry_name(name: str) -> None:
    path = PurePosixPath(name)
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in path.parts:
        raise RefiError(
            _("The archive holds a file named “%(entry)s”, which points outside it; refused for safety.")
            % {"entry": name}
        )


class _ReadBudget:
    """Counts unpacked bytes as they come out, whatever the zip's headers claimed."""

    def __init__(self, entry_limit: int, total_limit: int):
        self.entry_limit, self.total_limit, self.used = entry_limit, total_limit, 0

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        parts, size = [], 0
        try:
            with archive.open(info) as entry:
                while chunk := entry.read(CHUNK):
                    size += len(chunk)
                    self.used += len(chunk)
                    if size > self.entry_limit or self.used > self.total_limit:
                        raise RefiError(
                            _("%(entry)s unpacks to more than the limit; refused.") % {"entry": info.filename}
                        )
                    parts.append(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
            raise RefiError(
                _("%(entry)s cannot be unpacked: the archive may be damaged.") % {"entry": info.filename}
            ) from None
        except RuntimeError:  # zipfile's "encrypted, password required"
            raise RefiError(
                _("The archive is encrypted (%(entry)s); export it again without a password.")
                % {"entry": info.filename}
            ) from None
        return b"".join(parts)


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _namespace(element: Element) -> str:
    return element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child) == name]


def _child(element: Element, name: str) -> Element | None:
    return next((child for child in element if _local(child) == name), None)


def normalise_guid(value: str | None, what: str) -> str:
    """A GUID bare or in braces, any case, as a lowercase bare UUID string."""
    try:
        return str(uuid.UUID((value or "").strip().strip("{}")))
    except ValueError:
        raise RefiError(
            _("“%(value)s” is not a GUID (%(what)s).") % {"value": value or "", "what": what}
        ) from None


def normalise_colour(value: str | None) -> str | None:
    """#RGB or #RRGGBB (with or without #) as lowercase #rrggbb; None when absent or unreadable."""
    match = COLOUR_PATTERN.match((value or "").strip())
    if not match:
        return None
    digits = match[1].lower()
    return "#" + ("".join(digit * 2 for digit in digits) if len(digits) == 3 else digits)


def _read_root(root: Element, filename: str, sources_in_zip) -> RefiProject:
    name, namespace = _local(root), _namespace(root)
    stem = PurePosixPath(filename).stem or filename
    if name == "CodeBook":
        parsed = RefiProject(name=root.get("name") or stem, filename=filename, is_codebook_only=True)
        if namespace not in CODEBOOK_NAMESPACES:
            parsed.warnings.append(
                _("Unknown codebook namespace “%(ns)s”; read as QDA-XML 1.0.") % {"ns": namespace}
            )
        codes_element = _child(root, "Codes")
    elif name == "Project":
        parsed = RefiProject(
            name=(root.get("name") or "").strip() or stem, filename=filename, is_codebook_only=False
        )
        if namespace not in PROJECT_NAMESPACES:
            parsed.warnings.append(
                _("Unknown project namespace “%(ns)s”; read as QDA-XML 1.0.") % {"ns": namespace}
            )
        codebook = _child(root, "CodeBook")
        codes_element = _child(codebook, "Codes") if codebook is not None else None
    else:
        raise RefiError(
            _("%(name)s is XML but not a REFI-QDA project or codebook (its root element is <%(root)s>).")
            % {"name": filename, "root": name}
        )
    palette = itertools.count()
    if codes_element is not None:
        parsed.codes = [
            _read_code(element, parsed, palette, 1) for element in _children(codes_element, "Code")
        ]
    parsed.codes = _split_atlas_names(parsed.codes, parsed)
    _check_unique_names(parsed.codes, [])
    _read_sets(root, parsed)
    if name == "Project":
        users = _child(root, "Users")
        for element in _children(users, "User") if users is not None else []:
            guid = normalise_guid(element.get("guid"), _("a user"))
            parsed.users[guid] = (element.get("name") or "").strip()
        sources = _child(root, "Sources")
        for element in list(sources) if sources is not None else []:
            _read_source(element, parsed, sources_in_zip)
        _check_code_references(parsed)
        notes = _child(root, "Notes")
        if notes is not None and len(notes):
            parsed.warnings.append(
                _("%(count)s note(s) (memos) were not imported.") % {"count": len(_children(notes, "Note"))}
            )
    return parsed


def _read_code(element: Element, parsed: RefiProject, palette, depth: int) -> RefiCode:
    if depth > MAX_CODE_DEPTH:
        raise RefiError(_("Codes are nested more than %(depth)s levels deep.") % {"depth": MAX_CODE_DEPTH})
    name = (element.get("name") or "").strip()
    if not name:
        raise RefiError(_("A code has no name (guid %(guid)s).") % {"guid": element.get("guid") or "—"})
    if len(name) > 200:
        raise RefiError(_("The code name “%(name)s…” is longer than 200 characters.") % {"name": name[:60]})
    guid = normalise_guid(element.get("guid"), _("code “%(name)s”") % {"name": name})
    colour = normalise_colour(element.get("color"))
    if colour is None:
        colour = PALETTE[next(palette) % len(PALETTE)]
    description_element = _child(element, "Description")
    description = (description_element.text or "") if description_element is not None else ""
    children = [_read_code(child, parsed, palette, depth + 1) for child in _children(element, "Code")]
    return RefiCode(guid=guid, name=name, colour=colour, description=description, children=children)


def _split_atlas_names(codes: list[RefiCode], parsed: RefiProject) -> list[RefiCode]:
    """ATLAS.ti writes the tree as "Parent::Child" names on flat codes: rebuild the tree."""
    if not any("::" in code.name for code in codes):
        return codes
    top: list[RefiCode] = []

    def place(siblings: list[RefiCode], path: list[str], code: RefiCode) -> None:
        for depth, part in enumerate(path[:-1]):
            parent = next((sibling for sibling in siblings if sibling.name == part), None)
            if parent is None:
                guid = str(uuid.uuid5(uuid.NAMESPACE_URL, "refi-parent:" + "::".join(path[: depth + 1])))
                parent = RefiCode(guid=guid, name=part, colour=code.colour, is_made_up=True)
                siblings.append(parent)
            siblings = parent.children
        existing = next((sibling for sibling in siblings if sibling.name == path[-1]), None)
        code.name = path[-1]
        if existing is not None and existing.is_made_up:
            # A parent made up for an earlier child: the real code takes its place.
            code.children = existing.children + code.children
            siblings[siblings.index(existing)] = code
        else:
            siblings.append(code)

    for code in codes:
        path = [part.strip() for part in code.name.split("::") if part.strip()] or [code.name]
        place(top, path, code)
    parsed.warnings.append(_("Code names written as “Parent::Child” were read as a tree."))
    return top


def _check_unique_names(codes: list[RefiCode], path: list[str]) -> None:
    seen = set()
    for code in codes:
        if code.name in seen:
            where = " › ".join([*path, code.name])
            raise RefiError(_("Two codes are called “%(path)s” under the same parent.") % {"path": where})
        seen.add(code.name)
        _check_unique_names(code.children, [*path, code.name])


def _read_sets(root: Element, parsed: RefiProject) -> None:
    sets = _child(root, "Sets")
    if sets is not None and len(_children(sets, "Set")):
        parsed.warnings.append(
            _("%(count)s code or document set(s) were not imported (sets have no equivalent here).")
            % {"count": len(_children(sets, "Set"))}
        )


def _read_source(element: Element, parsed: RefiProject, sources_in_zip) -> None:
    kind = _local(element)
    if kind == "TextSource":
        text_element = element
    elif kind == "PDFSource" and _child(element, "Representation") is not None:
        text_element = _child(element, "Representation")
    else:
        parsed.skipped_sources += 1
        return
    name = (element.get("name") or "").strip() or _("Source %(number)s") % {"number": len(parsed.sources) + 1}
    guid = normalise_guid(element.get("guid"), _("source “%(name)s”") % {"name": name})
    text = _source_text(text_element, name, sources_in_zip)
    if text is None:
        parsed.skipped_sources += 1
        parsed.warnings.append(_("The source “%(name)s” has no plain text; it was skipped.") % {"name": name})
        return
    source = RefiSource(guid=guid, name=name[:250], text=text)
    default_user = _user_of(text_element, source)
    for selection in _children(text_element, "PlainTextSelection"):
        _read_selection(selection, source, parsed, default_user)
    for coding in _children(text_element, "Coding"):  # a coding of the whole source
        _add_coding(coding, source, parsed, 0, len(text), default_user)
    parsed.sources.append(source)


def _source_text(element: Element, name: str, sources_in_zip) -> str | None:
    content = _child(element, "PlainTextContent")
    if content is not None:
        return content.text or ""
    path = (element.get("plainTextPath") or "").strip()
    if not path:
        return None
    if sources_in_zip is None:
        raise RefiError(
            _(
                "The source “%(name)s” keeps its text in a separate file (%(path)s), which a .qde file "
                "cannot carry: import the .qdpx project instead."
            )
            % {"name": name, "path": path}
        )
    data = sources_in_zip(path.removeprefix("internal://")) if path.startswith("internal://") else None
    if data is None:
        raise RefiError(
            _("The text of the source “%(name)s” (%(path)s) is not in the archive.")
            % {"name": name, "path": path}
        )
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise RefiError(_("The text of the source “%(name)s” is not UTF-8.") % {"name": name}) from None


def _user_of(element: Element, source: RefiSource) -> str | None:
    value = element.get("creatingUser")
    return normalise_guid(value, _("a user in “%(name)s”") % {"name": source.name}) if value else None


def _read_selection(selection: Element, source: RefiSource, parsed: RefiProject, default_user) -> None:
    try:
        start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
    except ValueError:
        raise RefiError(
            _("A selection in “%(name)s” has no whole-number startPosition and endPosition.")
            % {"name": source.name}
        ) from None
    user = _user_of(selection, source) or default_user
    for coding in _children(selection, "Coding"):
        _add_coding(coding, source, parsed, start, end, user)


def _add_coding(coding: Element, source: RefiSource, parsed: RefiProject, start: int, end: int, user) -> None:
    reference = _child(coding, "CodeRef")
    if reference is None:
        raise RefiError(_("A coding in “%(name)s” names no code.") % {"name": source.name})
    code_guid = normalise_guid(
        reference.get("targetGUID"), _("a code reference in “%(name)s”") % {"name": source.name}
    )
    if not 0 <= start < end <= len(source.text):
        parsed.skipped_codings += 1
        return
    source.codings.append(
        RefiCoding(start=start, end=end, code_guid=code_guid, user_guid=_user_of(coding, source) or user)
    )


def _check_code_references(parsed: RefiProject) -> None:
    known = {code.guid for code in parsed.all_codes()}
    for source in parsed.sources:
        for coding in source.codings:
            if coding.code_guid not in known:
                raise RefiError(
                    _("A coding in “%(source)s” points at the code %(guid)s, which is not in the codebook.")
                    % {"source": source.name, "guid": coding.code_guid}
                )
