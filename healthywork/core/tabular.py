"""Reading and writing the tables people keep: CSV and XLSX in, CSV, XLSX and JSON out.

Readers refuse a file they cannot read with one clear message (TableError) and never guess
silently; writers neutralise cells that a spreadsheet would run as a formula.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024  # refuses zip bombs dressed as spreadsheets


class TableError(ValueError):
    """A file that cannot be read as a table; the message says why, for a person."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number as the user sees it, {header: value})


def _normalise_header(header: Any) -> str:
    return str(header or "").strip().lower().replace(" ", "_")


def refuse_oversized(data: bytes, max_bytes: int | None = None) -> None:
    """TableError when `data` is larger than `max_bytes` (by default HEALTHYWORK_MAX_UPLOAD_BYTES)."""
    limit = max_bytes if max_bytes is not None else settings.HEALTHYWORK_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise TableError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(len(data) / 1048576, 1), "limit": round(limit / 1048576, 1)}
        )


def read_table(data: bytes, filename: str, max_bytes: int | None = None) -> Table:
    """Parse an uploaded CSV or XLSX file. Row numbers count the header as row 1."""
    refuse_oversized(data, max_bytes)
    if not data.strip():
        raise TableError(_("The file is empty."))
    name = filename.lower()
    if name.endswith(".json") or (
        not name.endswith((".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls"))
        and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")
    ):
        return _read_json(data)
    if data[:4] == b"PK\x03\x04":
        if not name.endswith((".xlsx", ".xlsm")):
            raise TableError(_("The file is a zip archive, not a CSV or XLSX spreadsheet."))
        return _read_xlsx(data)
    if name.endswith((".xlsx", ".xlsm", ".xls")):
        raise TableError(
            _(
                "The file is named like a spreadsheet but is not an XLSX file (old .xls files are "
                "not supported: save as .xlsx or CSV)."
            )
        )
    if b"\x00" in data[:8192]:
        raise TableError(_("The file is not a CSV or XLSX file (it holds binary data)."))
    return _read_csv(data)


def load_json(data: bytes) -> Any:
    """A UTF-8 JSON document, or TableError naming what is wrong with it (line and column)."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise TableError(_("The JSON file is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise TableError(
            _("The JSON file is malformed (line %(line)s, column %(column)s): %(error)s")
            % {"line": error.lineno, "column": error.colno, "error": error.msg}
        ) from None
    except RecursionError:
        raise TableError(_("The JSON file is nested too deeply.")) from None


def _read_json(data: bytes) -> Table:
    """A JSON list of objects with the same keys, as a table; items are numbered from 1."""
    records = load_json(data)
    if not isinstance(records, list):
        raise TableError(_("The JSON file must hold a list of objects, one per record."))
    if not records:
        raise TableError(_("The JSON file holds an empty list."))
    headers: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise TableError(
                _("Item %(number)s of the JSON list is not an object with named fields.") % {"number": number}
            )
        keys = [str(key).strip().lower().replace(" ", "_") for key in record]
        if number == 1:
            headers = keys
        elif set(keys) != set(headers):
            raise TableError(
                _("Item %(number)s of the JSON list does not have the same keys as the first one.")
                % {"number": number}
            )
        values = {}
        for key, value in zip(keys, record.values(), strict=True):
            text = _json_text(value)
            if text is None:
                raise TableError(
                    _("Item %(number)s, %(column)s: a nested object cannot be imported.")
                    % {"number": number, "column": key}
                )
            values[key] = text.strip()
        rows.append((number, values))
    return Table(headers=headers, rows=rows)


def _json_text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, (int, float, str)) for item in value):
        return "; ".join(str(item) for item in value)
    return None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TableError(
            _(
                "The file is not UTF-8 text (first unreadable byte on line %(line)s). Save it as "
                "'CSV UTF-8' and upload it again."
            )
            % {"line": line}
        ) from None


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    sample = text[:4096]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is guessed: the sniffer takes cells that start with an apostrophe
    # (as neutralised exports do) for quoted ones, and spreadsheets always quote with ".
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    try:
        all_rows = list(reader)
    except csv.Error as error:
        raise TableError(_("The CSV file is malformed: %(error)s") % {"error": error}) from None
    return _to_table(all_rows)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise TableError(_("The XLSX file is damaged and cannot be opened.")) from None
    if total > XLSX_MAX_UNCOMPRESSED:
        raise TableError(_("The XLSX file unpacks to more than 200 MB; it is refused."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a bad file; all mean the same here
        raise TableError(_("The XLSX file is damaged or encrypted and cannot be read.")) from None
    sheet = workbook.worksheets[0]
    all_rows = [
        ["" if cell is None else _cell_text(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return _to_table(all_rows)


def _cell_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_table(all_rows: list[list[str]]) -> Table:
    while all_rows and not any(str(cell).strip() for cell in all_rows[0]):
        all_rows.pop(0)
    if not all_rows:
        raise TableError(_("The file has no header row."))
    headers = [_normalise_header(cell) for cell in all_rows[0]]
    rows = []
    for number, cells in enumerate(all_rows[1:], start=2):
        if not any(str(cell).strip() for cell in cells):
            continue
        values = {
            header: _restore(str(cells[index]).strip()) if index < len(cells) else ""
            for index, header in enumerate(headers)
            if header
        }
        rows.append((number, values))
    return Table(headers=[header for header in headers if header], rows=rows)


def _restore(text: str) -> str:
    """Undo `neutralise`, so that a file exported here imports unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def missing_columns(table: Table, required: Sequence[str], expected: Sequence[str]) -> str | None:
    """The message naming the `required` columns `table` lacks (and every `expected` one), or None."""
    absent = [column for column in required if column not in table.headers]
    if not absent:
        return None
    return _("The file has no column %(columns)s. Expected columns: %(expected)s.") % {
        "columns": ", ".join(absent),
        "expected": ", ".join(expected),
    }


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else neutralise(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Sheet") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_json(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    records = [dict(zip(headers, row, strict=True)) for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2, default=str).encode("utf-8")


EXPORT_FORMATS = {
    "csv": (write_csv, "text/csv; charset=utf-8"),
    "xlsx": (write_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": (write_json, "application/json"),
}


def export_bytes(fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[bytes, str]:
    """(content, content type) of the rows in one of EXPORT_FORMATS."""
    writer, content_type = EXPORT_FORMATS[fmt]
    return writer(headers, rows), content_type
