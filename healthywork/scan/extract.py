"""Text out of uploaded transcripts: plain text, Markdown, DOCX, ODT and PDF.

Every reader refuses a file it cannot read with one clear message (ExtractionError) naming the
file; nothing is guessed silently. Office files are zip archives: their declared uncompressed size
is bounded before anything is inflated (zip bombs), and their XML goes through defusedxml.
"""

import io
import unicodedata
import zipfile
from typing import IO, Any

from defusedxml import ElementTree
from django.conf import settings
from django.utils.translation import gettext as _

SUPPORTED_EXTENSIONS = (".txt", ".md", ".docx", ".odt", ".pdf")
# An office file's parts may inflate to this many times the upload limit, and never past 200 MB.
UNCOMPRESSED_FACTOR = 20
UNCOMPRESSED_CEILING = 200 * 1024 * 1024

WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


class ExtractionError(ValueError):
    """A file whose text cannot be read; the message says why, for a person."""


def normalise(text: str) -> str:
    """Line ends as \\n, no NUL characters, Unicode NFC (so offsets count the same everywhere)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def _read_bounded(upload: Any, filename: str) -> bytes:
    limit = settings.HEALTHYWORK_MAX_UPLOAD_BYTES
    if isinstance(upload, (bytes, bytearray)):
        data = bytes(upload)
    else:
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(limit + 1)
    if len(data) > limit:
        raise ExtractionError(
            _("%(name)s is larger than the limit of %(limit)s MB.")
            % {"name": filename, "limit": round(limit / 1048576, 1)}
        )
    return data


def extract_text(upload: IO[bytes] | bytes, filename: str) -> str:
    """The normalised text of an uploaded file (a file object or bytes), chosen by its extension."""
    name = filename.lower()
    if not name.endswith(SUPPORTED_EXTENSIONS):
        raise ExtractionError(
            _("%(name)s is not a supported file: upload a .txt, .md, .docx, .odt or .pdf file.")
            % {"name": filename}
        )
    data = _read_bounded(upload, filename)
    if not data.strip():
        raise ExtractionError(_("%(name)s is empty.") % {"name": filename})
    if name.endswith((".txt", ".md")):
        text = _plain_text(data, filename)
    elif name.endswith(".docx"):
        text = _docx_text(data, filename)
    elif name.endswith(".odt"):
        text = _odt_text(data, filename)
    else:
        text = _pdf_text(data, filename)
    text = normalise(text).strip("\n")
    if not text.strip():
        raise ExtractionError(_("%(name)s holds no text.") % {"name": filename})
    return text


def _plain_text(data: bytes, filename: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExtractionError(
            _(
                "%(name)s is not UTF-8 text (the byte at position %(position)s cannot be read). "
                "Save it as UTF-8 and upload it again."
            )
            % {"name": filename, "position": error.start}
        ) from None


def _zip_part(data: bytes, filename: str, part: str) -> bytes:
    """One part of an office file's zip archive, after checking the archive's inflated size."""
    limit = min(settings.HEALTHYWORK_MAX_UPLOAD_BYTES * UNCOMPRESSED_FACTOR, UNCOMPRESSED_CEILING)
    corrupt = _("%(name)s is damaged or is not the kind of file its name says.") % {"name": filename}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > limit:
                raise ExtractionError(
                    _("%(name)s would take more than %(limit)s MB once unpacked; it is refused.")
                    % {"name": filename, "limit": round(limit / 1048576)}
                )
            try:
                info = archive.getinfo(part)
            except KeyError:
                raise ExtractionError(corrupt) from None
            with archive.open(info) as member:
                content = member.read(limit + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError):
        raise ExtractionError(corrupt) from None
    if len(content) > limit:  # the declared size lied
        raise ExtractionError(corrupt)
    return content


def _parse_xml(content: bytes, filename: str):
    try:
        return ElementTree.fromstring(content)
    except Exception:  # defusedxml raises ParseError and its own refusals (entities, DTDs)
        raise ExtractionError(
            _("%(name)s is damaged: its XML cannot be read safely.") % {"name": filename}
        ) from None


def _docx_text(data: bytes, filename: str) -> str:
    root = _parse_xml(_zip_part(data, filename, "word/document.xml"), filename)
    paragraphs = []
    for paragraph in root.iter(f"{WORD}p"):
        pieces = []
        for node in paragraph.iter():
            if node.tag == f"{WORD}t":
                pieces.append(node.text or "")
            elif node.tag == f"{WORD}tab":
                pieces.append("\t")
            elif node.tag in (f"{WORD}br", f"{WORD}cr"):
                pieces.append("\n")
        paragraphs.append("".join(pieces))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph.strip())


def _odf_inline(node) -> str:
    """The text of an ODF paragraph, with its spaces, tabs and line breaks, without its notes."""
    pieces = [node.text or ""]
    for child in node:
        if child.tag == f"{ODF_TEXT}s":
            pieces.append(" " * int(child.get(f"{ODF_TEXT}c", "1") or 1))
        elif child.tag == f"{ODF_TEXT}tab":
            pieces.append("\t")
        elif child.tag == f"{ODF_TEXT}line-break":
            pieces.append("\n")
        elif child.tag != f"{ODF_TEXT}note":
            pieces.append(_odf_inline(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _odt_text(data: bytes, filename: str) -> str:
    root = _parse_xml(_zip_part(data, filename, "content.xml"), filename)
    paragraphs = [_odf_inline(node) for node in root.iter() if node.tag in (f"{ODF_TEXT}p", f"{ODF_TEXT}h")]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph.strip())


def _pdf_text(data: bytes, filename: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionError(
                _("%(name)s: this PDF is encrypted; remove the password and upload it again.")
                % {"name": filename}
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractionError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        raise ExtractionError(_("%(name)s is damaged or is not a PDF file.") % {"name": filename}) from None
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text.strip():
        raise ExtractionError(
            _(
                "%(name)s has no text that can be extracted (it may be a scan of paper pages): "
                "run it through text recognition (OCR) first, or paste the text."
            )
            % {"name": filename}
        )
    return text
