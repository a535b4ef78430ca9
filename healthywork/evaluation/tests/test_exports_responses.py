"""Exports of an administration's responses: CSV, XLSX with codebook, SPSS .sav, the command line."""

import csv
import io
import os
import tempfile
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.evaluation import exporting
from healthywork.evaluation.tests import factories
from healthywork.evaluation.tests.test_results_page import build_small


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


class ExportTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_small(cls)

    def test_csv_has_one_row_per_response_with_items_and_scores(self):
        rows = read_csv(exporting.export_responses(self.administration, "csv"))
        self.assertEqual(len(rows), 5)  # four complete, one in progress
        first = rows[0]
        self.assertEqual(
            list(first)[:8],
            [
                "response_id",
                "respondent_key",
                "team",
                "organization",
                "sector",
                "language",
                "status",
                "submitted",
            ],
        )
        self.assertEqual(
            list(first)[8:],
            ["q1", "q2", "q3", "q4", "q5", "comment", "mc", "score_a", "score_b", "total", "band"],
        )
        self.assertEqual(
            (first["respondent_key"], first["team"], first["organization"]), ("k1", "Team A", "Clinic")
        )
        self.assertEqual(first["q3"], "5")  # raw answer; the scores use the reversed value
        self.assertEqual(first["mc"], "1 3")
        self.assertEqual(first["comment"], "'=1+1 great")  # a formula is neutralised
        self.assertEqual(first["score_a"], "1.3333")
        self.assertEqual((first["total"], first["band"]), ("2.6", "low"))
        self.assertEqual(rows[3]["q5"], "")
        self.assertEqual(rows[4]["status"], "in_progress")

    def test_identifiers_can_be_left_out(self):
        rows = read_csv(exporting.export_responses(self.administration, "csv", include_identifiers=False))
        self.assertNotIn("respondent_key", rows[0])
        self.assertNotIn("organization", rows[0])
        self.assertIn("team", rows[0])

    def test_a_response_that_arrives_during_the_export_waits_for_the_next_one(self):
        matrix = exporting.load_matrix(self.administration, complete_only=False)
        factories.response(self.administration, {"q1": 2, "comment": "late"}, respondent_key="k9")
        with mock.patch.object(exporting, "load_matrix", return_value=matrix):
            rows = read_csv(exporting.export_responses(self.administration, "csv"))
        self.assertEqual(len(rows), 5)
        self.assertNotIn("k9", [row["respondent_key"] for row in rows])

    def test_xlsx_has_codebook_and_scores_sheets(self):
        workbook = load_workbook(io.BytesIO(exporting.export_responses(self.administration, "xlsx")))
        self.assertEqual(workbook.sheetnames, ["responses", "codebook", "scores"])
        responses = list(workbook["responses"].values)
        self.assertEqual(len(responses), 6)
        self.assertEqual(responses[2][responses[0].index("comment")], "Useful & <clear>")
        self.assertEqual(responses[1][responses[0].index("q3")], 5)
        self.assertIsNone(responses[4][responses[0].index("q5")])
        codebook = list(workbook["codebook"].values)
        self.assertEqual(
            codebook[0], ("code", "text_en", "text_es", "kind", "dimension", "reverse", "choices")
        )
        q3 = next(row for row in codebook if row[0] == "q3")
        self.assertEqual(q3[4:6], ("a", "yes"))
        self.assertIn("1=Strongly disagree", q3[6])
        self.assertEqual(next(row for row in codebook if row[0] == "comment")[2], "Comentario")
        scores = list(workbook["scores"].values)
        self.assertEqual(scores[1][:2], ("score_a", "a"))
        self.assertEqual(scores[1][6], "q1 q2 q3")

    def test_sav_reads_back_with_labels(self):
        import pyreadstat

        content = exporting.export_responses(self.administration, "sav")
        handle, path = tempfile.mkstemp(suffix=".sav")
        os.close(handle)
        try:
            Path(path).write_bytes(content)
            frame, meta = pyreadstat.read_sav(path)
        finally:
            os.unlink(path)
        self.assertEqual(len(frame), 5)
        self.assertEqual(frame["q1"].tolist()[:4], [1.0, 2.0, 4.0, 5.0])
        self.assertEqual(meta.column_names_to_labels["q1"], "Statement q1")
        self.assertEqual(meta.variable_value_labels["q1"][1.0], "Strongly disagree")
        self.assertEqual(meta.variable_measure["q1"], "ordinal")
        self.assertEqual(meta.variable_measure["score_a"], "scale")
        self.assertEqual(meta.readstat_variable_types["comment"], "string")
        self.assertEqual(frame["comment"].tolist()[1], "Useful & <clear>")
        self.assertAlmostEqual(frame["total"].tolist()[0], 2.6)

    def test_spss_names_are_valid_and_unique(self):
        self.assertEqual(exporting.spss_names(["1st", "a-b", "A_B", "ok"]), ["v1st", "a_b", "A_B_2", "ok"])


class ExportCommandTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_small(cls)

    def test_it_exports_csv_by_public_id_or_number(self):
        for name in (str(self.administration.public_id), str(self.administration.pk)):
            out = io.StringIO()
            call_command("export", "responses", name, "--format", "csv", stdout=out)
            self.assertEqual(len(read_csv(out.getvalue().encode("utf-8"))), 5)

    def test_it_writes_xlsx_and_sav_files(self):
        with tempfile.TemporaryDirectory() as folder:
            for fmt in ("xlsx", "sav"):
                path = Path(folder) / f"out.{fmt}"
                call_command(
                    "export",
                    "responses",
                    str(self.administration.pk),
                    "--format",
                    fmt,
                    "--out",
                    str(path),
                    stdout=io.StringIO(),
                )
                self.assertGreater(path.stat().st_size, 100)

    def test_identifiers_filter(self):
        out = io.StringIO()
        call_command(
            "export", "responses", str(self.administration.pk), "--filter", "identifiers=no", stdout=out
        )
        self.assertNotIn("respondent_key", out.getvalue().splitlines()[0])

    def test_an_unknown_administration_is_named(self):
        with self.assertRaisesMessage(CommandError, "No administration “nope”"):
            call_command("export", "responses", "nope", stdout=io.StringIO())
        with self.assertRaisesMessage(CommandError, "Usage: healthywork export responses ADMINISTRATION"):
            call_command("export", "responses", stdout=io.StringIO())


class ExportViewTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_small(cls)
        cls.url = reverse("evaluation:results-export", args=[cls.administration.public_id])

    def test_it_needs_login_and_hides_from_strangers(self):
        self.assertNeedsLogin(self.url)
        self.login(self.member_b)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_evaluator_downloads_csv_with_identifiers(self):
        self.login(self.evaluator)
        response = self.client.get(self.url, {"format": "csv"})
        self.assertEqual(response.status_code, 200)
        rows = read_csv(b"".join(response.streaming_content))
        self.assertEqual(rows[0]["respondent_key"], "k1")

    def test_a_team_member_gets_no_identifiers(self):
        self.login(self.member_a)
        response = self.client.get(self.url, {"format": "csv"})
        rows = read_csv(b"".join(response.streaming_content))
        self.assertNotIn("respondent_key", rows[0])

    def test_xlsx_sav_and_a_bad_format(self):
        self.login(self.evaluator)
        for fmt in ("xlsx", "sav"):
            response = self.client.get(self.url, {"format": fmt})
            self.assertEqual(response.status_code, 200)
            self.assertIn(f".{fmt}", response["Content-Disposition"])
        response = self.client.get(self.url, {"format": "pdf"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "pdf", status_code=400)
