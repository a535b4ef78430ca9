"""The code-by-sector matrix (scan:code-sector-matrix) and its export."""

import csv
import io

from django.urls import reverse

from healthywork.scan.tests import factories
from healthywork.scan.tests.test_analysis_segments import AnalysisTestCase


class CodeSectorMatrixTests(AnalysisTestCase):
    def matrix_url(self, **params) -> str:
        base = reverse("scan:code-sector-matrix", args=[self.project.public_id])
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return f"{base}?{query}" if query else base

    def grid(self, response) -> dict[tuple[str, str], int]:
        return {
            (row["code"].name, cell["label"]): cell["value"]
            for row in response.context["table"]
            for cell in row["cells"]
        }

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.matrix_url())

    def test_a_stranger_gets_404(self):
        self.login(self.member)
        self.assertEqual(self.client.get(self.matrix_url()).status_code, 404)

    def test_it_counts_organizations_per_top_level_code_and_sector(self):
        self.login(self.viewer)
        response = self.client.get(self.matrix_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.grid(response),
            {
                ("Precarity", "Healthcare"): 1,
                ("Precarity", "Labor"): 1,
                ("Policy", "Healthcare"): 1,
                ("Policy", "Labor"): 1,
            },
        )
        self.assertEqual(response.context["grand_total"], 2)
        self.assertEqual([column["total"] for column in response.context["columns"]], [1, 1])
        self.assertIn("matrix-spec", response.content.decode())

    def test_top_level_codes_count_the_segments_of_their_sub_codes(self):
        self.login(self.viewer)
        response = self.client.get(self.matrix_url(measure="segments"))
        grid = self.grid(response)
        self.assertEqual(grid[("Precarity", "Labor")], 3)  # agencies, overlap and the sub-code's schedule
        self.assertEqual(grid[("Precarity", "Healthcare")], 2)
        self.assertEqual(response.context["grand_total"], 7)
        rows = {row["code"].name: row["total"] for row in response.context["table"]}
        self.assertEqual(rows, {"Precarity": 5, "Policy": 2})

    def test_every_code_counts_its_own_segments_with_the_toggle(self):
        self.login(self.viewer)
        response = self.client.get(self.matrix_url(measure="segments", codes="all"))
        grid = self.grid(response)
        self.assertEqual(grid[("Precarity", "Labor")], 2)
        self.assertEqual(grid[("Scheduling", "Labor")], 1)
        self.assertEqual(grid[("Scheduling", "Healthcare")], 1)

    def test_columns_can_be_sector_families(self):
        self.login(self.viewer)
        response = self.client.get(self.matrix_url(by="family", measure="segments"))
        self.assertEqual([column["label"] for column in response.context["columns"]], ["Health", "Labor"])
        self.assertEqual(self.grid(response)[("Precarity", "Health")], 2)

    def test_filters_by_consensus_coder_and_level(self):
        self.login(self.viewer)
        consensus = self.grid(self.client.get(self.matrix_url(measure="segments", consensus="on")))
        self.assertEqual(
            {key: value for key, value in consensus.items() if value}, {("Precarity", "Healthcare"): 1}
        )
        by_admin = self.grid(self.client.get(self.matrix_url(measure="segments", coder="alice")))
        self.assertEqual(
            {key: value for key, value in by_admin.items() if value}, {("Precarity", "Healthcare"): 2}
        )
        local = self.client.get(self.matrix_url(level="local"))
        self.assertEqual([column["label"] for column in local.context["columns"]], ["Labor"])

    def test_a_cell_links_to_its_segments(self):
        self.login(self.viewer)
        response = self.client.get(self.matrix_url())
        cell = next(c for row in response.context["table"] for c in row["cells"] if c["label"] == "Labor")
        self.assertIn(f"code={self.precarity.public_id}", cell["url"])
        self.assertIn("sector=labor", cell["url"])
        segments = self.client.get(cell["url"])
        self.assertEqual(len(segments.context["segments"]), 3)

    def test_segments_without_an_interview_are_reported_not_counted(self):
        loose = factories.document(self.project, title="Field notes")
        factories.coding_of(loose, self.policy, self.coder, "Wage theft")
        self.login(self.viewer)
        response = self.client.get(self.matrix_url(measure="segments"))
        self.assertEqual(response.context["grand_total"], 7)
        self.assertContains(response, "1 segment is in a document without an interview")

    def test_the_export_holds_both_measures_per_cell(self):
        self.login(self.viewer)
        response = self.client.get(self.matrix_url(format="csv"))
        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0], ["Code", "Sector", "Organizations", "Segments"])
        self.assertIn(["Precarity", "Labor", "1", "3"], rows)
        self.assertIn(["Total", "Healthcare", "1", "3"], rows)
        self.assertIn(["Total", "Labor", "1", "4"], rows)

    def test_the_xlsx_export_opens(self):
        from openpyxl import load_workbook

        self.login(self.viewer)
        response = self.client.get(self.matrix_url(format="xlsx", by="family"))
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        self.assertEqual(next(sheet.iter_rows(values_only=True))[1], "Sector family")

    def test_bad_choices_are_refused_with_a_message_naming_the_field(self):
        self.login(self.viewer)
        response = self.client.get(self.matrix_url(by="colour"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Columns:", status_code=400)
        self.assertEqual(self.client.get(self.matrix_url(format="pdf")).status_code, 400)

    def test_it_counts_only_what_a_blind_coder_may_see(self):
        factories.round_of(self.project, [self.clinic_doc], [self.coder, self.administrator])
        self.login(self.coder)
        response = self.client.get(self.matrix_url(measure="segments"))
        grid = self.grid(response)
        self.assertEqual(grid[("Precarity", "Healthcare")], 0)
        self.assertEqual(grid[("Policy", "Healthcare")], 1)
