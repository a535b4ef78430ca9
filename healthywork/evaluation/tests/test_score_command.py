"""`healthywork score FILE --instrument NAME`: scores, alpha, and refusals of bad input."""

import json
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from healthywork.evaluation.models import Dimension, Instrument, Item, ItemKind, TotalMethod
from healthywork.evaluation.tests import factories


class ScoreCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.instrument = factories.instrument(
            "score-test", dimensions={"know": ["k1", "k2"], "conf": ["c1", "c2"]},
            total_method=TotalMethod.MEAN_OF_DIMENSIONS,
        )  # fmt: skip
        Item.objects.filter(instrument=cls.instrument, code="k2").update(reverse_scored=True)

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def run_score(self, text: str, *extra: str, name: str = "score-test", filename: str = "r.csv") -> str:
        path = Path(self.directory.name) / filename
        path.write_text(text, encoding="utf-8")
        out = StringIO()
        call_command("score", str(path), "--instrument", name, *extra, stdout=out)
        return out.getvalue()

    def test_json_scores_and_alpha(self):
        text = "id,k1,k2,c1,c2\nr1,5,1,4,4\nr2,3,3,2,3\nr3,1,5,,2\n"
        result = json.loads(self.run_score(text, "--format", "json"))
        first, second, third = result["respondents"]
        # r1: know = (5 + (6−1))/2 = 5, conf = 4, total = 4.5
        assert first == {"id": "r1", "dimensions": {"know": 5.0, "conf": 4.0}, "total": 4.5, "band": None}
        assert second["dimensions"] == {"know": 3.0, "conf": 2.5}
        assert third["dimensions"] == {"know": 1.0, "conf": 2.0}  # c1 unanswered: mean of c2
        know, conf = result["dimensions"]
        # know after reversal: (5,5), (3,3), (1,1): identical items → alpha 1
        assert know["alpha"] == pytest.approx(1.0) and know["n"] == 3 and know["k"] == 2
        # conf: r3 has a missing item → listwise n = 2; rows (4,4), (2,3): item variances 2 and 0.5,
        # totals 8 and 5 with variance 4.5 → alpha = 2 · (1 − 2.5/4.5) = 0.888889
        assert conf["n"] == 2 and conf["alpha"] == pytest.approx(8 / 9, abs=1e-6)

    def test_table_format_and_first_column_as_id(self):
        out = self.run_score("person,K1,K2,C1,C2\nana,5,1,4,4\nbea,3,3,2,3\n")
        assert "ana" in out and "bea" in out
        assert "4.500" in out
        assert "Cronbach" in out

    def test_no_id_column_numbers_rows(self):
        result = json.loads(self.run_score("k1,k2,c1,c2\n5,1,4,4\n", "--format", "json"))
        assert result["respondents"][0]["id"] == "1"

    def test_bands_shown(self):
        Instrument.objects.filter(pk=self.instrument.pk).update(
            bands=[{"low": 1, "high": 2.99, "label": "low"}, {"low": 3, "high": 5, "label": "high"}]
        )
        result = json.loads(self.run_score("id,k1,k2,c1,c2\nr1,5,1,4,4\n", "--format", "json"))
        assert result["respondents"][0]["band"] == "high"

    def test_xlsx_file(self):
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(["id", "k1", "k2", "c1", "c2"])
        sheet.append(["r1", 5, 1, 4, 4])
        path = Path(self.directory.name) / "r.xlsx"
        book.save(path)
        out = StringIO()
        call_command("score", str(path), "--instrument", "score-test", "--format", "json", stdout=out)
        assert json.loads(out.getvalue())["respondents"][0]["total"] == 4.5

    def assertRefused(self, text: str, *fragments: str, name: str = "score-test") -> None:  # noqa: N802
        out = StringIO()
        path = Path(self.directory.name) / "bad.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(CommandError) as caught:
            call_command("score", str(path), "--instrument", name, stdout=out)
        assert out.getvalue() == ""
        for fragment in fragments:
            assert fragment in str(caught.value), str(caught.value)

    def test_unknown_instrument(self):
        self.assertRefused("k1\n1\n", "nope", "score-test", name="nope")

    def test_value_out_of_range_names_row_and_column(self):
        self.assertRefused("id,k1,k2,c1,c2\nr1,5,1,4,4\nr2,6,1,4,4\n", "Row 3", "k1", "6")

    def test_not_a_number_names_row_and_column(self):
        self.assertRefused("id,k1,k2,c1,c2\nr1,5,1,four,4\n", "Row 2", "c1", "four")

    def test_unknown_and_missing_columns(self):
        self.assertRefused("id,k1,k2,c1,zz\nr1,5,1,4,4\n", "zz", "c2")

    def test_empty_file_and_header_only(self):
        self.assertRefused("", "empty")
        self.assertRefused("id,k1,k2,c1,c2\n", "empty")

    def test_missing_file(self):
        with pytest.raises(CommandError, match="Cannot read"):
            call_command("score", "/nonexistent/x.csv", "--instrument", "score-test")

    def test_instrument_without_items(self):
        empty = Instrument.objects.create(name="empty-epres", title="EPRES without items")
        self.assertRefused("id\nr1\n", "no numeric items", name=empty.name)

    def test_number_item_range(self):
        dimension = Dimension.objects.get(instrument=self.instrument, code="conf")
        Item.objects.create(
            instrument=self.instrument, code="hours", text="Hours", kind=ItemKind.NUMBER,
            min_value=0, max_value=40, dimension=dimension, position=99,
        )  # fmt: skip
        self.assertRefused("id,k1,k2,c1,c2,hours\nr1,5,1,4,4,41\n", "Row 2", "hours", "41")
        result = json.loads(self.run_score("id,k1,k2,c1,c2,hours\nr1,5,1,4,4,40\n", "--format", "json"))
        assert result["respondents"][0]["dimensions"]["conf"] == pytest.approx(16)
