"""Reading an XLSForm (the spreadsheet Kobo and ODK users write) into our instrument definition.

Sheets: `survey` (type, name, label..., required, constraint, relevant, appearance), `choices`
(list_name, name, label...) and `settings` (form_title, form_id). Labels come from
`label::English (en)` and `label::Spanish (es)` (any column naming English/en or Spanish/es), or a
plain `label`. The rules (docs/instruments.md):

- `select_one L` is a Likert item when every choice name of L is a whole number and, in order,
  they run up by one (1 2 3 4 5, 0..4), with at least three of them; otherwise a single choice.
- `select_multiple L` is a multiple choice; `integer`/`decimal` a number (a simple `constraint`
  such as `. >= 0 and . <= 10` becomes its lowest and highest value); `text` a text; `note` a note.
- Choice names that are not numbers get the values 1..n by order; the name is kept as "name".
- Inside `begin_group` ... `end_group` with appearance `table-list` or `field-list`, select_one
  questions become matrix rows of one grid (the group's name), their choices from the first row.
- Everything else (calculate, geopoint, image, begin_repeat, metadata such as start and end),
  `relevant` logic, other constraints and hints are listed as warnings, never silently dropped.
"""

import io
import re
import zipfile
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from healthywork.evaluation.instrument_format import FORMAT, VERSION, FormatError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ROWS = 5000
TRUE_WORDS = {"yes", "true", "true()", "1", "sí", "si"}
FALSE_WORDS = {"", "no", "false", "false()", "0"}
GRID_APPEARANCES = ("table-list", "field-list")
NUMBER = r"(-?\d+(?:\.\d+)?)"
BOUND = re.compile(rf"^\.\s*(>=|<=|=<|=>)\s*{NUMBER}$")


def read_xlsform(data: bytes) -> tuple[dict[str, Any], list[str]]:
    """(definition in our file format, warnings), or FormatError naming what is wrong."""
    sheets = _read_sheets(data)
    if "survey" not in sheets:
        raise FormatError(_("The workbook has no “survey” sheet, so it is not an XLSForm."))
    warnings: list[str] = []
    choice_lists = _choice_lists(sheets.get("choices", []), warnings)
    settings = sheets.get("settings", [])
    settings_row = settings[1][1] if len(settings) > 1 else {}
    items = _items(sheets["survey"], choice_lists, warnings)
    title = str(settings_row.get("form_title") or "").strip() or _("Imported XLSForm")
    name = slugify(str(settings_row.get("form_id") or "").strip() or title)[:80] or "xlsform"
    document = {
        "format": FORMAT,
        "version": VERSION,
        "instrument": {
            "name": name,
            "title": title,
            "title_es": "",
            "description": "",
            "kind": "custom",
            "total_method": "none",
            "bands": [],
            "source": _("Imported from an XLSForm."),
        },
        "dimensions": [],
        "items": items,
    }
    return document, warnings


def _read_sheets(data: bytes) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """{sheet name (lowercase): [(row number, {header: text}), ...]} with the header row at [0]."""
    from openpyxl import load_workbook

    if len(data) > MAX_FILE_BYTES:
        raise FormatError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(len(data) / 1048576, 1), "limit": MAX_FILE_BYTES // 1048576}
        )
    if data[:4] != b"PK\x03\x04":
        raise FormatError(_("The file is not an XLSX workbook (old .xls files are not read: save as .xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise FormatError(_("The workbook unpacks to more than 50 MB; it is refused."))
    except zipfile.BadZipFile:
        raise FormatError(_("The XLSX file is damaged and cannot be opened.")) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a bad file; all mean the same here
        raise FormatError(_("The XLSX file is damaged or encrypted and cannot be read.")) from None
    sheets = {}
    try:
        for sheet in workbook.worksheets:
            rows: list[tuple[int, dict[str, str]]] = []
            headers: list[str] = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = ["" if value is None else _cell(value) for value in values]
                if not headers:
                    if any(cells):
                        headers = [cell.strip() for cell in cells]
                        rows.append((number, {}))
                    continue
                if not any(cells):
                    continue
                if len(rows) > MAX_ROWS:
                    raise FormatError(
                        _("The sheet “%(sheet)s” has more than %(limit)s rows.")
                        % {"sheet": sheet.title, "limit": MAX_ROWS}
                    )
                rows.append(
                    (number, {header: cell for header, cell in zip(headers, cells, strict=False) if header})
                )
            sheets[sheet.title.strip().lower()] = rows
    finally:
        workbook.close()
    return sheets


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _language(column: str) -> str | None:
    """'en', 'es', '' (plain) or None for a column that is not a label of ours."""
    base, _sep, language = column.partition("::")
    if base.strip().lower() != "label":
        return None
    if not language:
        return ""
    lowered = language.lower()
    if "(en)" in lowered or lowered.strip() in {"en", "english"} or lowered.startswith("english"):
        return "en"
    if (
        "(es)" in lowered
        or lowered.strip() in {"es", "spanish", "español", "espanol"}
        or lowered.startswith(("spanish", "español"))
    ):
        return "es"
    return "other"


def _labels(values: dict[str, str]) -> tuple[str, str]:
    found: dict[str, str] = {}
    for column, value in values.items():
        language = _language(column)
        if language is not None and value and language not in found:
            found[language] = value
    english = found.get("en") or found.get("") or found.get("other") or found.get("es", "")
    return english, found.get("es", "")


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _choice_lists(rows: list, warnings: list[str]) -> dict[str, list[dict]]:
    lists: dict[str, list[dict]] = {}
    for number, values in rows[1:]:
        list_name = values.get("list_name") or values.get("list name") or ""
        name = values.get("name", "")
        if not list_name or not name:
            warnings.append(_("choices, row %(number)s: no list_name or name; skipped.") % {"number": number})
            continue
        label, label_es = _labels(values)
        lists.setdefault(list_name, []).append({"name": name, "label": label or name, "label_es": label_es})
    for choices in lists.values():
        numbers = [_number(choice["name"]) for choice in choices]
        numeric = all(value is not None for value in numbers) and len(set(numbers)) == len(numbers)
        for position, choice in enumerate(choices, start=1):
            if numeric:
                value = numbers[position - 1]
                choice["value"] = int(value) if value.is_integer() else value
                del choice["name"]
            else:
                choice["value"] = position
    return lists


def _is_ordinal(choices: list[dict]) -> bool:
    if len(choices) < 3 or any("name" in choice for choice in choices):
        return False
    values = [choice["value"] for choice in choices]
    return all(float(value).is_integer() for value in values) and all(
        later - earlier == 1 for earlier, later in zip(values, values[1:], strict=False)
    )


def _bounds(constraint: str) -> tuple[float | None, float | None] | None:
    """(min, max) of a simple constraint, or None when it is not one we read."""
    low = high = None
    for part in re.split(r"\s+and\s+", constraint.strip()):
        match = BOUND.match(part.strip())
        if not match:
            return None
        operator, value = match.group(1), float(match.group(2))
        if operator in (">=", "=>"):
            low = value
        else:
            high = value
    return low, high


def _items(rows: list, choice_lists: dict[str, list[dict]], warnings: list[str]) -> list[dict]:
    items: list[dict] = []
    groups: list[tuple[str, bool]] = []  # (name, is a grid) of the open groups
    for number, values in rows[1:]:
        where = _("survey, row %(number)s") % {"number": number}
        kind_text = " ".join(values.get("type", "").split())
        kind, _sep, argument = kind_text.partition(" ")
        kind = kind.lower().replace("begin group", "begin_group")
        name = values.get("name", "")
        if kind_text.lower() in {"begin group", "begin_group"} or kind == "begin_group":
            appearance = values.get("appearance", "").lower()
            groups.append((name, any(word in appearance for word in GRID_APPEARANCES)))
            continue
        if kind_text.lower() in {"end group", "end_group"}:
            if groups:
                groups.pop()
            continue
        if not kind:
            continue
        code = re.sub(r"[^A-Za-z0-9_]", "_", name)
        if code != name:
            warnings.append(
                _("%(where)s: the name “%(name)s” became “%(code)s”.")
                % {"where": where, "name": name, "code": code}
            )
        text, text_es = _labels(values)
        item: dict[str, Any] = {"code": code, "text": text or name, "text_es": text_es, "dimension": None}
        if kind in {"select_one", "select_multiple"}:
            choices = choice_lists.get(argument.strip())
            if not choices:
                warnings.append(
                    _("%(where)s (%(name)s): no choices list “%(list)s”; the question was not imported.")
                    % {"where": where, "name": name, "list": argument}
                )
                continue
            item["choices"] = [dict(choice) for choice in choices]
            if kind == "select_multiple":
                item["kind"] = "multiple"
            elif groups and groups[-1][1]:
                item["kind"] = "matrix"
                item["group"] = groups[-1][0]
            else:
                item["kind"] = "likert" if _is_ordinal(choices) else "single"
        elif kind in {"integer", "decimal"}:
            item["kind"] = "number"
            constraint = values.get("constraint", "")
            if constraint:
                bounds = _bounds(constraint)
                if bounds is None:
                    warnings.append(
                        _("%(where)s (%(name)s): the constraint “%(constraint)s” was not imported.")
                        % {"where": where, "name": name, "constraint": constraint}
                    )
                else:
                    item["min_value"], item["max_value"] = bounds
        elif kind == "text":
            item["kind"] = "text"
        elif kind == "note":
            item["kind"] = "note"
        else:
            warnings.append(
                _("%(where)s (%(name)s): the type “%(type)s” is not supported; it was not imported.")
                % {"where": where, "name": name or "—", "type": kind_text}
            )
            continue
        if item["kind"] != "number" and values.get("constraint"):
            warnings.append(
                _("%(where)s (%(name)s): the constraint “%(constraint)s” was not imported.")
                % {"where": where, "name": name, "constraint": values["constraint"]}
            )
        required = values.get("required", "").strip().lower()
        item["required"] = required in TRUE_WORDS
        if required not in TRUE_WORDS | FALSE_WORDS:
            warnings.append(
                _("%(where)s (%(name)s): the condition “%(required)s” on required was not imported.")
                % {"where": where, "name": name, "required": values["required"]}
            )
        if values.get("relevant"):
            warnings.append(
                _("%(where)s (%(name)s): its display logic (relevant) “%(relevant)s” was not imported.")
                % {"where": where, "name": name, "relevant": values["relevant"]}
            )
        if any(column.lower().startswith("hint") and value for column, value in values.items()):
            warnings.append(
                _("%(where)s (%(name)s): its hint was not imported.") % {"where": where, "name": name}
            )
        items.append(item)
    return items
