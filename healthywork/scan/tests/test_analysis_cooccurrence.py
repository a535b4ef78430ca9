"""The code co-occurrence matrix (scan:cooccurrence) and its export."""

import csv
import io

from django.urls import reverse

from healthywork.scan.tests import factories
from healthywork.scan.tests.test_analysis_segments import AnalysisTestCase


class CooccurrenceTests(AnalysisTestCase):
    def cooccurrence_url(self, **params) -> str:
        base = reverse("scan:cooccurrence", args=[self.project.public_id])
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return f"{base}?{query}" if query else base

    def grid(self, response) -> dict[tuple[str, str], int]:
        return {
            (row["code"].name, cell["code"].name): cell["value"]
            for row in response.context["table"]
            for cell in row["cells"]
            if not cell["is_diagonal"]
        }

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.cooccurrence_url())

    def test_a_stranger_gets_404(self):
        self.login(self.member)
        self.assertEqual(self.client.get(self.cooccurrence_url()).status_code, 404)

    def test_by_default_it_counts_overlaps_within_one_coders_coding(self):
        self.login(self.viewer)
        response = self.client.get(self.cooccurrence_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.grid(response), {("Precarity", "Scheduling"): 1, ("Scheduling", "Precarity"): 1}
        )

    def test_between_any_coders_it_counts_every_overlapping_pair(self):
        self.login(self.viewer)
        grid = self.grid(self.client.get(self.cooccurrence_url(coders="any")))
        self.assertEqual(grid[("Precarity", "Scheduling")], 1)
        self.assertEqual(grid[("Precarity", "Policy")], 1)  # the administrator's wage theft, the coder's
        self.assertEqual(grid[("Scheduling", "Policy")], 0)

    def test_segments_that_only_touch_do_not_overlap(self):
        text = "abcdefghij"
        document = factories.document(self.project, text=text)
        factories.coding(document, self.policy, self.coder, 0, 5)
        factories.coding(document, self.scheduling, self.coder, 5, 10)
        self.login(self.viewer)
        grid = self.grid(self.client.get(self.cooccurrence_url()))
        self.assertNotIn(("Policy", "Scheduling"), grid)
        factories.coding(document, self.scheduling, self.coder, 4, 6)
        grid = self.grid(self.client.get(self.cooccurrence_url()))
        self.assertEqual(grid[("Policy", "Scheduling")], 1)

    def test_a_cell_links_to_the_overlapping_segments(self):
        self.login(self.viewer)
        response = self.client.get(self.cooccurrence_url())
        row = next(row for row in response.context["table"] if row["code"] == self.precarity)
        cell = next(cell for cell in row["cells"] if cell["code"] == self.scheduling)
        segments = self.client.get(cell["url"])
        self.assertEqual([s["snippet"] for s in segments.context["segments"]], [self.overlap.snippet])

    def test_the_csv_is_the_symmetric_matrix(self):
        self.login(self.viewer)
        response = self.client.get(self.cooccurrence_url(format="csv", coders="any"))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0], ["Code", "Precarity", "Scheduling", "Policy"])
        self.assertEqual(rows[1], ["Precarity", "0", "1", "1"])
        self.assertEqual(rows[3], ["Policy", "1", "0", "0"])

    def test_a_blind_coder_does_not_count_other_coders_segments(self):
        factories.round_of(self.project, [self.clinic_doc], [self.coder, self.administrator])
        self.login(self.coder)
        grid = self.grid(self.client.get(self.cooccurrence_url(coders="any")))
        self.assertEqual(grid.get(("Precarity", "Policy"), 0), 0)

    def test_a_bad_choice_is_refused_with_a_message_naming_the_field(self):
        self.login(self.viewer)
        response = self.client.get(self.cooccurrence_url(coders="everyone"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Overlaps counted:", status_code=400)
