"""An administration's responses as CSV, XLSX (with a codebook) or SPSS `.sav` (pyreadstat).

One row per response (complete and in progress): response id, respondent key (left out when
the identifiers are left out, or when no response has one: an anonymous-only administration),
team, organization (an identifier too), sector, language, status, submitted, then one column per
item code (numbers as given; multiple choice as space-separated choice values; text as typed),
then the dimension scores (`score_<dimension>`), the total and its band.

Reading is bounded: one query for the responses, one for all numeric answers (`load_matrix`),
one for the text answers; rows are produced one at a time (CSV is streamed by the page), XLSX
uses openpyxl's write-only mode.
"""

import csv
import io
import math
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from healthywork.core.tabular import neutralise
from healthywork.evaluation.matrix import load_matrix
from healthywork.evaluation.models import Administration, Answer, Item, ItemKind, Response
from healthywork.evaluation.results import score
from healthywork.evaluation.scoring import ScoringSpec

FORMATS = ("csv", "xlsx", "sav")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}
META_COLUMNS = [
    "response_id",
    "respondent_key",
    "team",
    "organization",
    "sector",
    "language",
    "status",
    "submitted",
]
IDENTIFIERS = {"respondent_key", "organization"}
TEXT_KINDS = {ItemKind.TEXT, ItemKind.MULTIPLE}


@dataclass
class ResponseTable:
    administration: Administration
    items: list[Item]  # every answerable item, in order
    meta_columns: list[str]
    score_columns: list[str]
    dimensions: list  # Dimension objects
    rows_meta: list[tuple]
    numeric: np.ndarray  # (n, numeric items) raw values
    numeric_column: dict[int, int]  # item pk -> column in `numeric`
    texts: dict[tuple[int, int], str]  # (row, item pk) -> text
    scores: np.ndarray  # (n, dimensions + total)
    bands: list[str | None]
    has_bands: bool

    @property
    def headers(self) -> list[str]:
        return [*self.meta_columns, *(item.code for item in self.items), *self.score_columns]

    def rows(self) -> Iterator[list[Any]]:
        """The data rows, every text already neutralised (no spreadsheet formula), None where no
        value. Built column-wise with numpy, so no Python work is done per numeric cell."""
        n = len(self.rows_meta)
        cells = np.empty((n, len(self.items)), dtype=object)
        for position, item in enumerate(self.items):
            column = self.numeric_column.get(item.pk)
            if column is not None:
                cells[:, position] = _formatted(self.numeric[:, column])
            else:
                cells[:, position] = [neutralise(self.texts.get((row, item.pk), "")) for row in range(n)]
        scores = _formatted(np.round(self.scores, 4)) if self.scores.size else np.empty((n, 0), dtype=object)
        bands = [[neutralise(band or "")] for band in self.bands] if self.has_bands else [[]] * n
        for meta, row_cells, row_scores, band in zip(
            self.rows_meta, cells.tolist(), scores.tolist(), bands, strict=True
        ):
            yield [*meta, *row_cells, *row_scores, *band]


def _formatted(values: np.ndarray) -> np.ndarray:
    """An object array of the same shape: None for NaN, int for whole numbers, else float; each
    distinct value converted once."""
    if values.size == 0:
        return np.empty(values.shape, dtype=object)
    distinct, inverse = np.unique(values, return_inverse=True)
    converted = np.array([_number(value) for value in distinct] + [None], dtype=object)
    return converted[inverse.reshape(values.shape)]


def _number(value: float, digits: int | None = None) -> float | int | None:
    if value is None or math.isnan(value):
        return None
    if float(value).is_integer():
        return int(value)
    return round(float(value), digits) if digits is not None else float(value)


def response_table(administration: Administration, include_identifiers: bool = True) -> ResponseTable:
    """The rows of the export, read in three queries (responses, numeric answers, text answers)."""
    instrument = administration.instrument
    items = list(
        instrument.items.exclude(kind=ItemKind.NOTE).select_related("dimension").order_by("position", "pk")
    )
    matrix = load_matrix(administration, complete_only=False)
    spec = ScoringSpec.from_instrument(instrument, items=matrix.items)
    scored = score(spec, matrix)
    dimensions = list(instrument.dimensions.all())
    responses = list(
        Response.objects.filter(administration=administration)
        .order_by("pk")
        .values_list(
            "pk",
            "public_id",
            "respondent_key",
            "team__name",
            "organization__name",
            "organization__sector__name",
            "language",
            "status",
            "submitted_at",
        )
    )
    # Anonymous-only: no response carries a key (anonymous answers keep one only as a matching code).
    anonymous_only = not any(row[2] for row in responses)
    columns = list(META_COLUMNS)
    if not include_identifiers:
        columns = [name for name in columns if name not in IDENTIFIERS]
    elif anonymous_only:
        columns.remove("respondent_key")
    position = {pk: row for row, pk in enumerate(matrix.response_ids)}
    # A response that arrived between the two reads is left for the next export.
    responses = [row for row in responses if row[0] in position]
    order = np.array([position[row[0]] for row in responses], dtype=int)
    numeric = matrix.values[order] if len(order) else matrix.values
    scores = np.column_stack([scored.dimensions, scored.total])[order] if len(order) else np.empty((0, 0))
    bands = [scored.bands[i] for i in order]
    source = {
        "response_id": 1,
        "respondent_key": 2,
        "team": 3,
        "organization": 4,
        "sector": 5,
        "language": 6,
        "status": 7,
        "submitted": 8,
    }
    indexes = [source[name] for name in columns]
    rows_meta = []
    for row in responses:
        meta = []
        for index in indexes:
            value = row[index]
            if index == 1:
                value = str(value)
            elif index == 8:
                value = value.isoformat(timespec="seconds") if value else ""
            meta.append(neutralise(value) if value is not None else "")
        rows_meta.append(tuple(meta))
    text_items = {item.pk for item in items if item.kind in TEXT_KINDS}
    texts: dict[tuple[int, int], str] = {}
    if text_items:
        row_of = {row[0]: index for index, row in enumerate(responses)}
        for response_id, item_id, text in Answer.objects.filter(
            response__administration=administration, item_id__in=text_items
        ).values_list("response_id", "item_id", "text"):
            row = row_of.get(response_id)
            if row is not None:  # None: a response that arrived after the responses were read
                texts[(row, item_id)] = text
    score_columns = [f"score_{dimension.code}" for dimension in dimensions] + ["total"]
    has_bands = bool(instrument.bands)
    if has_bands:
        score_columns.append("band")
    return ResponseTable(
        administration=administration,
        items=items,
        meta_columns=columns,
        score_columns=score_columns,
        dimensions=dimensions,
        rows_meta=rows_meta,
        numeric=numeric,
        numeric_column={item.pk: column for column, item in enumerate(matrix.items)},
        texts=texts,
        scores=scores,
        bands=bands,
        has_bands=has_bands,
    )


# --- CSV ------------------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(table: ResponseTable, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The CSV file in pieces (UTF-8 with a byte-order mark, as core.tabular writes it)."""
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow(table.headers)).encode("utf-8")
    lines: list[str] = []
    for row in table.rows():
        lines.append(writer.writerow(row))
        if len(lines) >= rows_per_chunk:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")


def write_csv(table: ResponseTable) -> bytes:
    return b"".join(csv_chunks(table))


# --- Codebook and XLSX ----------------------------------------------------------------------------


def _choices_text(item: Item) -> str:
    return "; ".join(
        f"{_number(float(choice['value']))}={choice.get('label', '')}" for choice in item.choices
    )


CODEBOOK_HEADERS = ["code", "text_en", "text_es", "kind", "dimension", "reverse", "choices"]
SCORES_HEADERS = ["column", "dimension", "label_en", "label_es", "method", "min_items", "items"]


def codebook_rows(table: ResponseTable) -> list[list[Any]]:
    return [
        [
            item.code,
            item.text,
            item.text_es,
            item.kind,
            item.dimension.code if item.dimension_id else "",
            "yes" if item.reverse_scored else "no",
            _choices_text(item),
        ]
        for item in table.items
    ]


def scores_rows(table: ResponseTable) -> list[list[Any]]:
    instrument = table.administration.instrument
    rows = []
    for dimension in table.dimensions:
        codes = " ".join(item.code for item in table.items if item.dimension_id == dimension.pk)
        rows.append(
            [
                f"score_{dimension.code}",
                dimension.code,
                dimension.label,
                dimension.label_es,
                dimension.method,
                dimension.min_items,
                codes,
            ]
        )
    rows.append(["total", "", "Total score", "Puntuación total", instrument.total_method, "", ""])
    if table.has_bands:
        bands = "; ".join(
            f"{band['low']}–{band['high']}={band.get('label', '')}" for band in instrument.bands
        )
        rows.append(["band", "", "Band of the total", "Banda del total", bands, "", ""])
    return rows


def write_xlsx(table: ResponseTable) -> bytes:
    """Three sheets: responses, codebook, scores. Written as SpreadsheetML by hand, row by row into
    the zip (openpyxl's write-only mode took over 10 s for 20,000 × 55 cells)."""
    return xlsx_bytes(
        [
            ("responses", table.headers, table.rows()),
            ("codebook", CODEBOOK_HEADERS, ([neutralise(v) for v in row] for row in codebook_rows(table))),
            ("scores", SCORES_HEADERS, ([neutralise(v) for v in row] for row in scores_rows(table))),
        ]
    )


_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"<c><v>{value!r}</v></c>"
    text = _XML_ILLEGAL.sub("", str(value)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def xlsx_bytes(sheets: list[tuple[str, list[str], Iterator[list[Any]]]], rows_per_chunk: int = 500) -> bytes:
    """A workbook of inline-string sheets (title, headers, rows), streamed row by row."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for number in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            _DECLARATION + f'<Relationships xmlns="{_PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        names = "".join(
            f'<sheet name="{title[:31]}" sheetId="{number}" r:id="rId{number}"/>'
            for number, (title, _headers, _rows) in enumerate(sheets, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_RELS}"><sheets>{names}</sheets></workbook>',
        )
        relations = "".join(
            f'<Relationship Id="rId{number}" Type="{_RELS}/worksheet" Target="worksheets/sheet{number}.xml"/>'
            for number in range(1, len(sheets) + 1)
        )
        styles_id = len(sheets) + 1
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            _DECLARATION + f'<Relationships xmlns="{_PACKAGE_RELS}">'
            f'{relations}<Relationship Id="rId{styles_id}" Type="{_RELS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        archive.writestr("xl/styles.xml", _STYLES)
        for number, (_title, headers, rows) in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as sheet:
                sheet.write(
                    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
                    "<sheetData>".encode()
                )
                lines = ["<row>" + "".join(_cell(value) for value in headers) + "</row>"]
                for row in rows:
                    lines.append("<row>" + "".join(map(_cell, row)) + "</row>")
                    if len(lines) >= rows_per_chunk:
                        sheet.write("".join(lines).encode("utf-8"))
                        lines = []
                sheet.write(("".join(lines) + "</sheetData></worksheet>").encode("utf-8"))
    return buffer.getvalue()


# --- SPSS .sav ------------------------------------------------------------------------------------

_INVALID = re.compile(r"[^A-Za-z0-9_]")
MEASURES = {
    ItemKind.LIKERT: "ordinal",
    ItemKind.MATRIX: "ordinal",
    ItemKind.SINGLE: "nominal",
    ItemKind.NUMBER: "scale",
    ItemKind.TEXT: "nominal",
    ItemKind.MULTIPLE: "nominal",
}
META_LABELS = {
    "response_id": "Response id",
    "respondent_key": "Respondent key",
    "team": "Team",
    "organization": "Organization",
    "sector": "Sector",
    "language": "Language of the answers",
    "status": "Status",
    "submitted": "Submitted (ISO 8601)",
}


def spss_names(headers: list[str]) -> list[str]:
    """SPSS variable names: letters, digits and _, starting with a letter, at most 64, unique."""
    names: list[str] = []
    taken: set[str] = set()
    for header in headers:
        name = _INVALID.sub("_", header)[:60] or "v"
        if not name[0].isalpha():
            name = "v" + name
        candidate, number = name, 2
        while candidate.lower() in taken:
            candidate, number = f"{name}_{number}", number + 1
        taken.add(candidate.lower())
        names.append(candidate)
    return names


def write_sav(table: ResponseTable) -> bytes:
    """The table as an SPSS system file: variable labels from the item text, value labels from
    the choices, measure levels from the item kind; text and multiple-choice columns as strings."""
    import pandas as pd
    import pyreadstat

    headers = table.headers
    names = spss_names(headers)
    columns: dict[str, Any] = {}
    labels: dict[str, str] = {}
    value_labels: dict[str, dict[float, str]] = {}
    measures: dict[str, str] = {}
    meta_count = len(table.meta_columns)
    rows_meta = table.rows_meta
    for index, header in enumerate(table.meta_columns):
        name = names[index]
        columns[name] = [str(row[index]) for row in rows_meta]
        labels[name] = META_LABELS.get(header, header)
        measures[name] = "nominal"
    for offset, item in enumerate(table.items):
        name = names[meta_count + offset]
        column = table.numeric_column.get(item.pk)
        if column is not None:
            columns[name] = table.numeric[:, column].astype(float)
            if item.choices and item.kind != ItemKind.NUMBER:
                value_labels[name] = {
                    float(choice["value"]): str(choice.get("label", ""))[:120] for choice in item.choices
                }
        else:
            columns[name] = [table.texts.get((row, item.pk), "") for row in range(len(rows_meta))]
        labels[name] = item.text[:250]
        measures[name] = MEASURES.get(item.kind, "nominal")
    score_names = names[meta_count + len(table.items) :]
    score_labels = [f"Score: {dimension.label}" for dimension in table.dimensions] + ["Total score"]
    for position, name in enumerate(score_names[: len(score_labels)]):
        columns[name] = table.scores[:, position].astype(float) if table.scores.size else []
        labels[name] = score_labels[position][:250]
        measures[name] = "scale"
    if table.has_bands:
        name = score_names[-1]
        columns[name] = [value or "" for value in table.bands]
        labels[name] = "Band of the total"
        measures[name] = "ordinal"
    frame = pd.DataFrame(columns, columns=names)
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(
            frame,
            path,
            column_labels=labels,
            variable_value_labels=value_labels,
            variable_measure=measures,
            file_label=str(table.administration.title)[:60],
        )
        with open(path, "rb") as saved:
            return saved.read()
    finally:
        os.unlink(path)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "sav": write_sav}


def export_responses(administration: Administration, fmt: str, include_identifiers: bool = True) -> bytes:
    if fmt not in WRITERS:
        raise ValueError(fmt)
    return WRITERS[fmt](response_table(administration, include_identifiers=include_identifiers))
