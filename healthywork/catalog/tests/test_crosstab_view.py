"""The crosstab page and its table export.

The statistics are checked against the worked example of SciPy's `chi2_contingency`
documentation: observed [[10, 10, 20], [20, 20, 20]] gives X² = 2.7778, df = 2, p = 0.24935,
expected [[12, 12, 16], [18, 18, 24]], and Cramér's V = √(2.7778 / 100) = 0.1667 (derived).
"""

import csv
import io
import json
import re
from unittest import mock

from openpyxl import load_workbook

from healthywork.catalog import services
from healthywork.catalog.models import ActionType
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.tests import factories

PAGE = "/catalog/analysis/"
EXPORT = "/catalog/analysis/export/"
SCIPY_EXAMPLE = {"rows": "sector_family", "cols": "pse_class"}


class CrosstabTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        clinic = factories.organization("Riverside Community Clinic", "public-health")
        union = factories.organization("Warehouse Workers United", "labor")
        policy = ActionType.objects.get(slug="public-policy-advocacy")
        # sector family × PSE class = [[10, 10, 20], [20, 20, 20]], SciPy's worked example.
        table = {clinic: {"policy": 10, "systems": 10, "environment": 20}}
        table[union] = {"policy": 20, "systems": 20, "environment": 20}
        for organization, cells in table.items():
            for pse_class, count in cells.items():
                for number in range(count):
                    services.create_initiative(
                        {
                            "title": f"{organization.name} {pse_class} {number}",
                            "lead_organization": organization,
                            "action_type": policy,
                            "pse_class": pse_class,
                        },
                        by=cls.administrator,
                    )

    def setUp(self):
        self.login(self.viewer)


class PageTests(CrosstabTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(PAGE)
        self.assertNeedsLogin(EXPORT)

    def test_it_shows_the_scipy_worked_example(self):
        response = self.client.get(PAGE, SCIPY_EXAMPLE)
        self.assertEqual(response.status_code, 200)
        result = response.context["result"]
        self.assertEqual(result.rows, ["Health", "Labor"])
        self.assertEqual(result.cols, ["Policy", "Systems", "Environment"])
        self.assertEqual(result.counts, [[10, 10, 20], [20, 20, 20]])
        self.assertEqual(result.expected, [[12, 12, 16], [18, 18, 24]])
        self.assertAlmostEqual(result.chi2, 2.7777778, places=6)
        self.assertAlmostEqual(result.p_value, 0.24935, places=5)
        self.assertAlmostEqual(result.cramers_v, 0.1667, places=4)
        text = _text(response)
        self.assertIn("Chi-square (X²) 2.778", text)
        self.assertIn("Degrees of freedom 2", text)
        self.assertIn("p-value 0.249 (chi-square distribution)", text)
        self.assertIn("Cramér's V 0.167", text)
        self.assertIn("Counted (n) 100", text)
        self.assertIn("exp. 12.0", text)
        self.assertIn("No cell differs from independence", text)

    def test_every_signed_in_role_can_read_it(self):
        for user in [self.administrator, self.facilitator, self.member, self.coder, self.evaluator]:
            self.login(user)
            self.assertEqual(self.client.get(PAGE).status_code, 200, user.role)

    def test_it_defaults_to_sector_family_by_action_type(self):
        response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["rows"], "sector_family")
        self.assertEqual(response.context["cols"], "action_type")
        self.assertContains(response, '<option value="sector_family" selected>', html=False)
        self.assertContains(response, '<label for="id_rows">', html=False)

    def test_it_shows_row_or_column_percentages(self):
        row_view = _text(self.client.get(PAGE, SCIPY_EXAMPLE))
        self.assertIn("10 25.0 %", row_view)  # Health × Policy: 10 of the 40 health initiatives
        col_view = _text(self.client.get(PAGE, {**SCIPY_EXAMPLE, "show": "col"}))
        self.assertIn("10 33.3 %", col_view)  # 10 of the 30 policy initiatives

    def test_an_unknown_class_is_a_400_naming_the_valid_ones(self):
        response = self.client.get(PAGE, {"rows": "colour", "cols": "pse_class"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "“colour” is not a class to count by", status_code=400)
        self.assertContains(response, "sector_family", status_code=400)

    def test_the_same_class_twice_is_refused(self):
        response = self.client.get(PAGE, {"rows": "pse_class", "cols": "pse_class"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "other than the one for the rows", status_code=400)

    def test_a_table_with_one_row_shows_the_warning_not_a_crash(self):
        response = self.client.get(PAGE, {**SCIPY_EXAMPLE, "q": "Riverside"})
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["chi2"])
        self.assertContains(response, "needs at least two rows and two columns")
        self.assertContains(response, "not defined for this table")
        self.assertContains(response, "Riverside")  # the filter is named on the page

    def test_the_filters_of_the_url_are_kept_in_the_form(self):
        response = self.client.get(PAGE, {**SCIPY_EXAMPLE, "q": "Riverside", "status": "active"})
        self.assertContains(response, '<input type="hidden" name="status" value="active">', html=False)
        self.assertContains(response, 'value="Riverside"')

    def test_a_catalog_facet_in_the_url_filters_the_counts(self):
        response = self.client.get(PAGE, {**SCIPY_EXAMPLE, "pse_class": ["policy", "systems"]})
        self.assertEqual(response.context["result"].counts, [[10, 10], [20, 20]])
        self.assertContains(response, '<input type="hidden" name="pse_class" value="systems">', html=False)
        self.assertContains(response, "pse_class: policy, systems")

    def test_an_empty_text_query_is_no_filter(self):
        response = self.client.get(PAGE, {**SCIPY_EXAMPLE, "q": ""})
        self.assertEqual(response.context["result"].total, 100)
        self.assertNotContains(response, "Only the initiatives that match")

    def test_no_matching_initiative_says_so(self):
        response = self.client.get(PAGE, {**SCIPY_EXAMPLE, "q": "nothingmatchesthis"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "there is nothing to count")
        self.assertNotContains(response, 'id="crosstab-spec"')

    def test_significant_cells_are_marked_with_a_symbol_and_words(self):
        table = (["Health", "Labor"], ["Policy", "Training"], [[5, 30], [30, 5]])
        with mock.patch("healthywork.catalog.views_analysis.count_table", return_value=table):
            response = self.client.get(PAGE, SCIPY_EXAMPLE)
        text = _text(response)
        self.assertIn("▲ more +5.98", text)
        self.assertIn("▼ fewer −5.98", text)
        findings = response.context["result"].findings
        self.assertEqual(len(findings), 4)
        self.assertContains(response, findings[0].sentence)

    def test_low_expected_counts_bring_a_warning_and_another_p_value(self):
        table = (["Health", "Labor"], ["Policy", "Training", "Research"], [[1, 2, 3], [4, 0, 2]])
        with mock.patch("healthywork.catalog.views_analysis.count_table", return_value=table):
            response = self.client.get(PAGE, SCIPY_EXAMPLE)
        self.assertContains(response, "expected counts below 5")
        self.assertContains(response, "Monte Carlo estimate from 10000 random tables")


class ChartTests(CrosstabTestCase):
    def test_the_page_carries_the_vega_lite_spec_as_json(self):
        response = self.client.get(PAGE, SCIPY_EXAMPLE)
        match = re.search(
            r'<script id="crosstab-spec" type="application/json">(.*?)</script>', response.text, re.S
        )
        self.assertIsNotNone(match)
        spec = json.loads(match.group(1))
        self.assertEqual(spec["$schema"], "https://vega.github.io/schema/vega-lite/v6.json")
        self.assertEqual([layer["mark"]["type"] for layer in spec["layer"]], ["rect", "text"])
        self.assertEqual(len(spec["data"]["values"]), 6)
        first = spec["data"]["values"][0]
        self.assertEqual(
            (first["row"], first["col"], first["count"], first["expected"]), ("Health", "Policy", 10, 12)
        )
        self.assertAlmostEqual(first["residual"], (10 - 12) / (12 * 0.6 * 0.7) ** 0.5)
        self.assertIn('id="crosstab-options"', response.text)
        self.assertIn("vendor/vega/vega-embed.min.js", response.text)
        self.assertIn("catalog/crosstab.js", response.text)

    def test_the_chart_has_a_text_alternative_and_exports_only(self):
        response = self.client.get(PAGE, SCIPY_EXAMPLE)
        self.assertContains(response, '<figcaption id="chart-caption">', html=False)
        options = response.context["chart_options"]
        self.assertEqual(
            options["actions"], {"export": True, "source": False, "compiled": False, "editor": False}
        )

    def test_the_spec_never_holds_nan_for_a_degenerate_table(self):
        response = self.client.get(PAGE, {**SCIPY_EXAMPLE, "q": "Riverside"})
        match = re.search(
            r'<script id="crosstab-spec" type="application/json">(.*?)</script>', response.text, re.S
        )
        self.assertNotIn("NaN", match.group(1))
        json.loads(match.group(1))


class HtmxTests(CrosstabTestCase):
    def test_htmx_gets_only_the_results_fragment(self):
        response = self.client.get(PAGE, SCIPY_EXAMPLE, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertNotContains(response, '<form method="get"')
        self.assertContains(response, '<section id="results"', html=False)
        self.assertContains(response, 'id="crosstab-spec"')

    def test_the_form_swaps_the_results_and_pushes_the_url(self):
        response = self.client.get(PAGE)
        self.assertContains(response, 'hx-target="#results"')
        self.assertContains(response, 'hx-push-url="true"')

    def test_an_unknown_class_in_an_htmx_swap_shows_the_message(self):
        response = self.client.get(PAGE, {"rows": "colour"}, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is not a class to count by")


class ExportTests(CrosstabTestCase):
    def test_it_exports_the_table_as_csv(self):
        response = self.client.get(EXPORT, {**SCIPY_EXAMPLE, "format": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertIn('filename="crosstab-sector_family-by-pse_class.csv"', response["Content-Disposition"])
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(
            lines[0],
            [
                "Sector family of the lead organization",
                "PSE class",
                "Count",
                "Expected",
                "Adjusted residual",
                "Row %",
                "Column %",
                "Row total",
                "Column total",
            ],
        )
        self.assertEqual(len(lines), 7)
        self.assertEqual(lines[1][:4], ["Health", "Policy", "10", "12.0"])
        self.assertEqual(lines[1][5:], ["25.0", "33.33", "40", "30"])
        self.assertAlmostEqual(float(lines[3][4]), (20 - 16) / (16 * 0.6 * 0.6) ** 0.5, places=4)

    def test_it_exports_the_table_as_xlsx(self):
        response = self.client.get(EXPORT, {**SCIPY_EXAMPLE, "format": "xlsx"})
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(values), 7)
        self.assertEqual(values[6][:4], ("Labor", "Environment", 20, 24))

    def test_it_refuses_an_unknown_format_or_class(self):
        response = self.client.get(EXPORT, {**SCIPY_EXAMPLE, "format": "pdf"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("pdf", response.content.decode())
        response = self.client.get(EXPORT, {"rows": "colour", "format": "csv"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not a class to count by", response.content.decode())


def _text(response) -> str:
    """The page's words with tags and runs of white space collapsed, for reading like a person."""
    text = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text).replace("&#x27;", "'").replace("&lt;", "<")
    return re.sub(r"\s+", " ", text)
