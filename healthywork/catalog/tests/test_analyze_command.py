"""`healthywork analyze crosstab`, over the catalog and over a table of counts in a file."""

import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from healthywork.catalog.models import ActionType
from healthywork.catalog.services import create_initiative
from healthywork.partners.tests import factories

# SciPy documentation of scipy.stats.chi2_contingency: [[10, 10, 20], [20, 20, 20]] gives
# X² = 2.7777…, p = 0.24935…, df = 2, expected [[12, 12, 16], [18, 18, 24]].
SCIPY_CSV = ",A,B,C\nFirst,10,10,20\nSecond,20,20,20\n"
# Agresti, An Introduction to Categorical Data Analysis, 2nd ed. (2007), Table 2.5: X² = 30.1,
# adjusted residuals of females 4.50, 0.70, −5.32.
PARTY_CSV = "gender,Democrat,Independent,Republican\nFemales,762,327,468\nMales,484,239,477\n"


class AnalyzeCommandTestCase(TestCase):
    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = Path(directory.name)

    def file(self, content: str, name: str = "table.csv") -> str:
        path = self.directory / name
        path.write_text(content, encoding="utf-8")
        return str(path)

    def run_command(self, *args) -> str:
        stdout = io.StringIO()
        call_command("analyze", *args, stdout=stdout, stderr=io.StringIO())
        return stdout.getvalue()

    def run_json(self, *args) -> dict:
        return json.loads(self.run_command(*args, "--format", "json"))

    def run_failing(self, *args) -> str:
        with self.assertRaises(CommandError) as error:
            call_command("analyze", *args, stdout=io.StringIO(), stderr=io.StringIO())
        return str(error.exception)


class TableFileTests(AnalyzeCommandTestCase):
    def test_the_scipy_example_gives_the_published_numbers_in_json(self):
        data = self.run_json("crosstab", "--table", self.file(SCIPY_CSV))
        self.assertEqual(data["rows"], ["First", "Second"])
        self.assertEqual(data["cols"], ["A", "B", "C"])
        self.assertEqual(data["counts"], [[10, 10, 20], [20, 20, 20]])
        self.assertEqual(data["expected"], [[12.0, 12.0, 16.0], [18.0, 18.0, 24.0]])
        self.assertAlmostEqual(data["chi2"], 2.7777777777777777, places=10)
        self.assertEqual(data["dof"], 2)
        self.assertAlmostEqual(data["p_value"], 0.24935220877729622, places=10)
        self.assertEqual(data["p_value_method"], "asymptotic")
        self.assertAlmostEqual(data["cramers_v"], 1 / 6, places=10)
        self.assertEqual(len(data["residuals"]), 2)
        self.assertEqual(data["findings"], [])
        self.assertIsNone(data["warning"])

    def test_the_text_table_marks_agrestis_large_residuals(self):
        output = self.run_command("crosstab", "--table", self.file(PARTY_CSV))
        self.assertIn("Counts", output)
        self.assertIn("48.9%", output)  # 762 of 1557 females
        self.assertIn("+4.50*", output)
        self.assertIn("+0.70 ", output)  # within ±1.96: not marked
        self.assertIn("-5.32*", output)
        self.assertIn("X² = 30.070, df = 2, p < 0.0001", output)
        self.assertIn("Cramér's V = 0.104", output)
        self.assertIn("Row “Females” falls in column “Republican” less often than expected", output)

    def test_a_semicolon_separated_file_with_a_byte_order_mark_is_read(self):
        content = "\ufeff;A;B;C\nFirst;10;10;20\nSecond;20;20;20\n"
        data = self.run_json("crosstab", "--table", self.file(content))
        self.assertAlmostEqual(data["chi2"], 2.7777777777777777, places=10)

    def test_small_expected_counts_switch_to_an_exact_p_value(self):
        # The lady tasting tea (Fisher 1935; R's fisher.test documentation): two-sided p = 0.4857.
        data = self.run_json("crosstab", "--table", self.file(",Milk,Tea\nMilk,3,1\nTea,1,3\n"))
        self.assertEqual(data["p_value_method"], "fisher_exact")
        self.assertAlmostEqual(data["p_value"], 0.4857, places=4)
        self.assertIn("4 of 4 cells have expected counts below 5", data["warning"])

    def test_the_number_of_monte_carlo_samples_can_be_chosen(self):
        content = ",a,b,c\nx,4,1,0\ny,1,3,4\n"
        data = self.run_json("crosstab", "--table", self.file(content), "--samples", "500")
        self.assertEqual(data["p_value_method"], "monte_carlo")
        self.assertEqual(data["monte_carlo_samples"], 500)

    def test_a_bad_number_of_samples_is_refused(self):
        message = self.run_failing("crosstab", "--table", self.file(SCIPY_CSV), "--samples", "0")
        self.assertIn("--samples", message)

    def test_a_bad_cell_is_refused_naming_its_row_and_column(self):
        for bad in ["1.5", "-2", "many", ""]:
            with self.subTest(bad=bad):
                content = f",A,B,C\nFirst,10,10,20\nSecond,20,{bad},20\n"
                message = self.run_failing("crosstab", "--table", self.file(content))
                self.assertIn("Row “Second” (line 3), column “B”", message)

    def test_a_row_longer_than_the_header_is_refused(self):
        message = self.run_failing("crosstab", "--table", self.file(",A,B\nFirst,1,2,3\nSecond,4,5\n"))
        self.assertIn("Row “First” (line 2) has more cells", message)

    def test_a_header_without_column_labels_is_refused(self):
        message = self.run_failing("crosstab", "--table", self.file("only\nFirst\n"))
        self.assertIn("no column labels", message)

    def test_a_repeated_row_label_is_refused(self):
        message = self.run_failing("crosstab", "--table", self.file(",A,B\nFirst,1,2\nFirst,3,4\n"))
        self.assertIn("“First” appears twice", message)

    def test_a_missing_file_is_refused(self):
        message = self.run_failing("crosstab", "--table", str(self.directory / "nowhere.csv"))
        self.assertIn("Cannot read", message)

    def test_a_table_cannot_be_combined_with_catalog_fields(self):
        message = self.run_failing("crosstab", "--table", self.file(SCIPY_CSV), "--rows", "level")
        self.assertIn("--table cannot be combined", message)

    def test_a_table_of_one_row_gives_no_test_and_says_why(self):
        data = self.run_json("crosstab", "--table", self.file(",A,B\nOnly,3,4\n"))
        self.assertIsNone(data["chi2"])
        self.assertIsNone(data["p_value"])
        self.assertIn("at least two rows and two columns", data["warning"])


class CatalogCrosstabTests(AnalyzeCommandTestCase):
    """The catalog, built so that its local initiatives reproduce the SciPy example:
    sector family (health, labor) by PSE class (policy, systems, environment) is
    [[10, 10, 20], [20, 20, 20]]. Ten national initiatives add the scan's pattern: labor does
    public policy, health does training."""

    @classmethod
    def setUpTestData(cls):
        clinic = factories.organization("County Health Department", "public-health")
        union = factories.organization("Warehouse Workers United", "labor")
        research = ActionType.objects.get(slug="research-data")
        policy = ActionType.objects.get(slug="public-policy-advocacy")
        training = ActionType.objects.get(slug="training-education")
        plan = [
            (clinic, research, "policy", "local", 10),
            (clinic, research, "systems", "local", 10),
            (clinic, research, "environment", "local", 20),
            (union, research, "policy", "local", 20),
            (union, research, "systems", "local", 20),
            (union, research, "environment", "local", 20),
            (union, policy, "policy", "national", 5),
            (clinic, training, "individual", "national", 5),
        ]
        for lead, action_type, pse_class, level, count in plan:
            for number in range(count):
                create_initiative(
                    {
                        "title": f"{lead.name} {pse_class} {level} {number}",
                        "lead_organization": lead,
                        "action_type": action_type,
                        "pse_class": pse_class,
                        "level": level,
                    },
                    by=None,
                )

    def test_a_filtered_catalog_crosstab_gives_the_published_numbers(self):
        data = self.run_json(
            "crosstab", "--rows", "sector_family", "--cols", "pse_class", "--filter", "level=local"
        )
        self.assertEqual(data["rows"], ["Health", "Labor"])
        self.assertEqual(data["cols"], ["Policy", "Systems", "Environment"])
        self.assertEqual(data["counts"], [[10, 10, 20], [20, 20, 20]])
        self.assertAlmostEqual(data["chi2"], 2.7777777777777777, places=10)
        self.assertAlmostEqual(data["p_value"], 0.24935220877729622, places=10)
        self.assertEqual(data["dof"], 2)

    def test_a_filter_matches_the_label_in_any_case(self):
        data = self.run_json(
            "crosstab", "--rows", "sector_family", "--cols", "pse_class", "--filter", "level=LOCAL"
        )
        self.assertEqual(data["counts"], [[10, 10, 20], [20, 20, 20]])

    def test_without_a_filter_every_initiative_counts(self):
        data = self.run_json("crosstab", "--rows", "sector_family", "--cols", "pse_class")
        self.assertEqual(sum(map(sum, data["counts"])), 110)

    def test_it_finds_that_labor_does_public_policy_from_the_data(self):
        data = self.run_json(
            "crosstab", "--rows", "sector_family", "--cols", "action_type", "--filter", "level=National"
        )
        self.assertEqual(data["cols"], ["Public policy and advocacy", "Training and education"])
        self.assertEqual(data["counts"], [[0, 5], [5, 0]])
        self.assertEqual(data["p_value_method"], "fisher_exact")
        self.assertAlmostEqual(data["p_value"], 2 / 252)  # the two most extreme of C(10, 5) tables
        self.assertIn(
            "Where Sector family of the lead organization is “Labor”, Action type is "
            "“Public policy and advocacy” more often than expected: 5 of 5 (expected 2.5), "
            "adjusted residual +3.2.",
            data["findings"],
        )

    def test_values_of_one_field_are_alternatives_and_slugs_work(self):
        data = self.run_json(
            "crosstab",
            "--rows",
            "sector_family",
            "--cols",
            "action_type",
            "--filter",
            "action_type=public-policy-advocacy",
            "--filter",
            "action_type=training and education",
        )
        self.assertEqual(data["counts"], [[0, 5], [5, 0]])

    def test_the_text_table_names_the_classes_and_the_filter(self):
        output = self.run_command(
            "crosstab", "--rows", "sector_family", "--cols", "pse_class", "--filter", "level=local"
        )
        self.assertIn("Rows: Sector family of the lead organization. Columns: PSE class.", output)
        self.assertIn("Filter: level=local.", output)
        self.assertIn("X² = 2.778, df = 2, p = 0.2494 (chi-square distribution)", output)

    def test_an_unknown_field_is_refused_listing_the_valid_ones(self):
        message = self.run_failing("crosstab", "--rows", "colour", "--cols", "level")
        self.assertIn("Unknown field “colour”", message)
        self.assertIn("sector_family, action_type, pse_class", message)

    def test_an_unknown_filter_field_is_refused(self):
        message = self.run_failing(
            "crosstab", "--rows", "level", "--cols", "status", "--filter", "colour=blue"
        )
        self.assertIn("Unknown field “colour”", message)

    def test_an_unknown_choice_is_refused_listing_the_valid_ones(self):
        message = self.run_failing(
            "crosstab", "--rows", "sector_family", "--cols", "status", "--filter", "level=global"
        )
        self.assertIn("Unknown value “global” for level", message)
        self.assertIn("national (National)", message)

    def test_an_unused_taxonomy_value_is_refused_listing_the_values_in_use(self):
        message = self.run_failing(
            "crosstab", "--rows", "sector_family", "--cols", "level", "--filter", "action_type=juggling"
        )
        self.assertIn("No initiative has action_type “juggling”", message)
        self.assertIn("Research and data", message)

    def test_a_filter_without_a_value_is_refused(self):
        message = self.run_failing("crosstab", "--rows", "level", "--cols", "status", "--filter", "level")
        self.assertIn("FIELD=VALUE", message)

    def test_the_same_field_twice_is_refused(self):
        message = self.run_failing("crosstab", "--rows", "level", "--cols", "level")
        self.assertIn("two different fields", message)

    def test_both_fields_are_needed(self):
        self.assertIn("--cols", self.run_failing("crosstab", "--rows", "level"))

    def test_a_subject_is_needed(self):
        self.run_failing()
