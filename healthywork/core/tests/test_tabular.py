"""Reading CSV and XLSX files people upload, and writing exports a spreadsheet cannot run."""

import csv
import io
import json
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from healthywork.core.tabular import (
    TableError,
    export_bytes,
    neutralise,
    read_table,
    write_csv,
    write_json,
    write_xlsx,
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_reads_a_csv_with_a_bom_and_semicolons():
    data = "\ufeffName;Sector;City\nWorker Center;Labor;Chicago\n;;\nClinic;Healthcare;Joliet\n"
    table = read_table(data.encode("utf-8"), "orgs.csv")
    assert table.headers == ["name", "sector", "city"]
    assert table.rows == [
        (2, {"name": "Worker Center", "sector": "Labor", "city": "Chicago"}),
        (4, {"name": "Clinic", "sector": "Healthcare", "city": "Joliet"}),
    ]


def test_it_reads_a_comma_csv_with_quoted_commas_and_short_rows():
    data = b'name,sector,description\n"Union, Local 1",labor\n'
    table = read_table(data, "orgs.csv")
    assert table.rows == [(2, {"name": "Union, Local 1", "sector": "labor", "description": ""})]


def test_it_reads_a_tab_separated_file_with_quoted_semicolons():
    data = b'name\tsector\tlanguages\n"Arise; Chicago"\tlabor\tEnglish; Spanish\n'
    assert read_table(data, "orgs.tsv").rows == [
        (2, {"name": "Arise; Chicago", "sector": "labor", "languages": "English; Spanish"})
    ]


def test_apostrophes_at_the_start_of_cells_are_not_taken_for_quotes():
    data = b"name,sector,note\n'Round Table,labor,'s\nWorkers' Center,'labor,x'\n"
    assert read_table(data, "orgs.csv").rows == [
        (2, {"name": "'Round Table", "sector": "labor", "note": "'s"}),
        (3, {"name": "Workers' Center", "sector": "'labor", "note": "x'"}),
    ]


def test_it_reads_the_first_sheet_of_an_xlsx_file():
    from datetime import date

    data = xlsx_bytes(
        [
            ["Name", "Sector", "Founded", "Members", None],
            ["Worker Center", "Labor", date(2001, 5, 1), 120.0, None],
            [None, None, None, None, None],
            ["Clinic", "Healthcare", None, 3.5, None],
        ]
    )
    table = read_table(data, "Orgs.XLSX")
    assert table.headers == ["name", "sector", "founded", "members"]
    assert table.rows == [
        (2, {"name": "Worker Center", "sector": "Labor", "founded": "2001-05-01", "members": "120"}),
        (4, {"name": "Clinic", "sector": "Healthcare", "founded": "", "members": "3.5"}),
    ]


def test_a_non_utf8_csv_is_refused_naming_the_line():
    data = "name,sector\nOK,labor\nCaf\u00e9 Workers,labor\n".encode("cp1252")
    with pytest.raises(TableError, match="line 3") as error:
        read_table(data, "orgs.csv")
    assert "UTF-8" in str(error.value)


def test_a_png_is_refused():
    with pytest.raises(TableError, match="binary"):
        read_table(PNG, "logo.csv")


def test_a_file_over_the_limit_is_refused():
    with pytest.raises(TableError, match="limit"):
        read_table(b"name,sector\n" + b"x,labor\n" * 100, "big.csv", max_bytes=200)


def test_the_limit_comes_from_the_settings(settings):
    settings.HEALTHYWORK_MAX_UPLOAD_BYTES = 10
    with pytest.raises(TableError, match="limit"):
        read_table(b"name,sector\nx,labor\n", "orgs.csv")


@pytest.mark.parametrize("data", [b"", b"  \n\r\n"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(TableError, match="empty"):
        read_table(data, "orgs.csv")


def test_a_file_of_blank_cells_has_no_header_row():
    with pytest.raises(TableError, match="header"):
        read_table(b",,\n,,\n", "orgs.csv")


def test_csv_content_named_xlsx_is_refused():
    with pytest.raises(TableError, match="not an XLSX"):
        read_table(b"name,sector\nx,labor\n", "orgs.xlsx")


def test_an_old_xls_file_is_refused():
    with pytest.raises(TableError, match=".xls"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "orgs.xls")


def test_a_broken_zip_named_xlsx_is_refused():
    with pytest.raises(TableError, match="damaged"):
        read_table(b"PK\x03\x04" + b"\x00garbage" * 20, "orgs.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(TableError, match="damaged"):
        read_table(buffer.getvalue(), "orgs.xlsx")


def test_a_zip_named_csv_is_refused():
    with pytest.raises(TableError, match="zip"):
        read_table(xlsx_bytes([["name"], ["x"]]), "orgs.csv")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    # A smaller ceiling keeps the test fast; the check reads sizes from the zip directory.
    monkeypatch.setattr("healthywork.core.tabular.XLSX_MAX_UNCOMPRESSED", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (2 * 1024 * 1024))
    assert len(buffer.getvalue()) < 10_000
    with pytest.raises(TableError, match="unpacks"):
        read_table(buffer.getvalue(), "orgs.xlsx")


@pytest.mark.parametrize("value", ["=1+2", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formulas_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Worker Center", "", 3, None, "a=b", "1-2"])
def test_other_values_are_left_alone(value):
    assert neutralise(value) == value


def test_write_csv_neutralises_formulas_and_starts_with_a_bom():
    content = write_csv(["name", "note"], [['=HYPERLINK("http://x")', "+1"], ["@cmd", None]])
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["name", "note"], ['\'=HYPERLINK("http://x")', "'+1"], ["'@cmd", ""]]


def test_write_xlsx_stores_formulas_as_text():
    content = write_xlsx(["name", "count"], [["=1+2", 3], ["-cmd", None]], title="Organizations")
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Organizations"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["name", "count"],
        ["'=1+2", 3],
        ["'-cmd", None],
    ]
    assert sheet["A2"].data_type == "s"


def test_reading_undoes_the_neutralising_quote_so_an_export_round_trips():
    content = write_csv(["name", "note"], [["=1+2", "'quoted"], ["- bullet", "+1 555"]])
    assert read_table(content, "export.csv").rows == [
        (2, {"name": "=1+2", "note": "'quoted"}),
        (3, {"name": "- bullet", "note": "+1 555"}),
    ]


def test_write_json_keeps_values_as_they_are():
    content = write_json(["name", "count"], [["=1+2", 3]])
    assert json.loads(content) == [{"name": "=1+2", "count": 3}]


def test_an_exported_csv_reads_back():
    content, content_type = export_bytes("csv", ["Name", "Sector"], [["Café", "Labor"]])
    assert content_type.startswith("text/csv")
    assert read_table(content, "export.csv").rows == [(2, {"name": "Café", "sector": "Labor"})]


def test_an_exported_xlsx_reads_back():
    content, _content_type = export_bytes("xlsx", ["Name", "Sector"], [["Café", "Labor"]])
    assert read_table(content, "export.xlsx").rows == [(2, {"name": "Café", "sector": "Labor"})]
