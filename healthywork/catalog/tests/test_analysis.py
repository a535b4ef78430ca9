"""The contingency-table statistics, checked against published worked examples."""

import itertools
import json
import math

import numpy as np
from django.test import SimpleTestCase
from scipy import stats

from healthywork.catalog.analysis import (
    adjusted_residuals,
    crosstab,
    monte_carlo_p_value,
    pearson_chi2,
    to_json,
)

# SciPy documentation of scipy.stats.chi2_contingency, first example (also in
# ../shared/reference/README.md, "Contingency tables").
SCIPY_EXAMPLE = [[10, 10, 20], [20, 20, 20]]

# Agresti, An Introduction to Categorical Data Analysis, 2nd ed. (Wiley, 2007), Table 2.5:
# party identification by gender (General Social Survey); the same table is the example
# "From Agresti(2007) p.39" in R's chisq.test documentation.
PARTY_ROWS = ["Females", "Males"]
PARTY_COLS = ["Democrat", "Independent", "Republican"]
PARTY_COUNTS = [[762, 327, 468], [484, 239, 477]]

# R documentation of fisher.test: "A r x c table  Agresti (2002, p. 57) Job Satisfaction",
# rows income (< 15k, 15-25k, 25-40k, > 40k), columns satisfaction (very dissatisfied, a little
# dissatisfied, moderately satisfied, very satisfied); R fills matrices column by column.
JOB_COUNTS = [[1, 3, 10, 6], [2, 3, 10, 7], [1, 6, 14, 12], [0, 1, 9, 11]]


def labels(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{index}" for index in range(1, count + 1)]


def table(counts: list[list[int]], **options):
    return crosstab(labels("r", len(counts)), labels("c", len(counts[0])), counts, **options)


def exact_chi2_p_value_2xc(counts: list[list[int]]) -> float:
    """The exact conditional p-value of Pearson's X² for a 2×c table, by enumerating every table
    with the same margins: with both margins fixed the first row follows the multivariate
    hypergeometric distribution, P(x) = Π_j C(c_j, x_j) / C(N, r_1)."""
    observed = np.array(counts)
    first_row_total, col_totals, total = observed[0].sum(), observed.sum(axis=0), observed.sum()
    observed_chi2 = pearson_chi2(observed)
    p_value = 0.0
    for first_row in itertools.product(*(range(col_total + 1) for col_total in col_totals)):
        if sum(first_row) != first_row_total:
            continue
        candidate = np.array([first_row, col_totals - np.array(first_row)])
        if pearson_chi2(candidate) >= observed_chi2 * (1 - 1e-10):
            p_value += math.prod(
                math.comb(int(col_total), cell) for col_total, cell in zip(col_totals, first_row, strict=True)
            ) / math.comb(int(total), int(first_row_total))
    return p_value


class ChiSquareTests(SimpleTestCase):
    def test_it_reproduces_the_scipy_chi2_contingency_example(self):
        result = table(SCIPY_EXAMPLE)
        self.assertAlmostEqual(result.chi2, 2.7777777777777777, places=10)
        self.assertAlmostEqual(result.p_value, 0.24935220877729622, places=10)
        self.assertEqual(result.dof, 2)
        self.assertEqual(result.expected, [[12.0, 12.0, 16.0], [18.0, 18.0, 24.0]])
        self.assertEqual(result.p_value_method, "asymptotic")
        self.assertIsNone(result.monte_carlo_samples)
        self.assertIsNone(result.warning)

    def test_cramers_v_of_the_scipy_example_is_one_sixth(self):
        # Derived in ../shared/reference/README.md: √(2.7778 / (100 · 1)) = 0.1667.
        self.assertAlmostEqual(table(SCIPY_EXAMPLE).cramers_v, 1 / 6, places=10)

    def test_it_gives_the_totals_and_percentages_of_the_scipy_example(self):
        result = table(SCIPY_EXAMPLE)
        self.assertEqual(result.row_totals, [40, 60])
        self.assertEqual(result.col_totals, [30, 30, 40])
        self.assertEqual(result.total, 100)
        self.assertEqual(result.row_percents[0], [25.0, 25.0, 50.0])
        self.assertAlmostEqual(result.col_percents[1][2], 50.0)

    def test_it_reproduces_agrestis_party_identification_test(self):
        # Agresti (2007), section 2.4.4: X² = 30.1 with df = 2.
        result = crosstab(PARTY_ROWS, PARTY_COLS, PARTY_COUNTS)
        self.assertAlmostEqual(result.chi2, 30.1, places=1)
        self.assertEqual(result.dof, 2)
        self.assertLess(result.p_value, 0.0001)
        self.assertEqual(result.p_value_method, "asymptotic")

    def test_it_reproduces_agrestis_adjusted_residuals(self):
        # Agresti (2007), section 2.4.5 (standardized residuals of Table 2.5): females
        # 4.50, 0.70, −5.32; males the same with the sign changed, as in every 2×c table.
        result = crosstab(PARTY_ROWS, PARTY_COLS, PARTY_COUNTS)
        for computed, published in zip(result.residuals[0], [4.50, 0.70, -5.32], strict=True):
            self.assertAlmostEqual(computed, published, places=2)
        for computed, published in zip(result.residuals[1], [-4.50, -0.70, 5.32], strict=True):
            self.assertAlmostEqual(computed, published, places=2)

    def test_adjusted_residuals_follow_the_formula_cell_by_cell(self):
        # (O − E) / √(E (1 − row/N)(1 − col/N)) for females × Democrat, by hand.
        expected = 1557 * 1246 / 2757
        by_hand = (762 - expected) / math.sqrt(expected * (1 - 1557 / 2757) * (1 - 1246 / 2757))
        self.assertAlmostEqual(adjusted_residuals(np.array(PARTY_COUNTS))[0, 0], by_hand, places=12)

    def test_no_continuity_correction_is_applied_to_a_2x2_table(self):
        # R's chisq.test documentation: x <- matrix(c(12, 5, 7, 7), ncol = 2) has
        # p = 0.4233 with Yates' correction; without it X² is smaller than that p implies.
        result = table([[12, 7], [5, 7]])
        self.assertEqual(result.p_value_method, "asymptotic")
        self.assertAlmostEqual(result.chi2, pearson_chi2(np.array([[12, 7], [5, 7]])))
        self.assertLess(result.p_value, 0.4233)


class SmallExpectedCountTests(SimpleTestCase):
    def test_fisher_exact_test_on_the_lady_tasting_tea(self):
        # Fisher, The Design of Experiments (1935); R's fisher.test documentation gives the
        # one-sided p = 0.2429 for TeaTasting = [[3, 1], [1, 3]]; the margins are symmetric, so the
        # two-sided p is twice that: 0.4857 (Agresti 2007, section 2.6.2: P = 0.486).
        result = table([[3, 1], [1, 3]])
        self.assertEqual(result.p_value_method, "fisher_exact")
        self.assertAlmostEqual(result.p_value, 0.4857, places=4)
        self.assertIn("4 of 4 cells have expected counts below 5", result.warning)
        self.assertIn("exact", result.warning)

    def test_fisher_exact_test_on_the_scipy_documentation_example(self):
        # SciPy documentation of scipy.stats.fisher_exact: [[6, 2], [1, 4]] two-sided p = 0.10256.
        result = table([[6, 2], [1, 4]])
        self.assertEqual(result.p_value_method, "fisher_exact")
        self.assertAlmostEqual(result.p_value, 0.10256410256410257, places=10)

    def test_the_monte_carlo_p_value_of_the_job_satisfaction_table_is_near_the_exact_one(self):
        # R's fisher.test documentation: the exact Fisher–Freeman–Halton p of this table is
        # 0.7827. Our Monte Carlo test orders tables by X², not by their probability as Fisher's
        # test does, so it estimates a close but different exact p: the two agree within 0.03.
        result = table(JOB_COUNTS)
        self.assertEqual(result.p_value_method, "monte_carlo")
        self.assertEqual(result.monte_carlo_samples, 10000)
        self.assertAlmostEqual(result.p_value, 0.7827, delta=0.03)
        self.assertIn("8 of 16 cells have expected counts below 5", result.warning)
        self.assertIn("Monte Carlo", result.warning)

    def test_the_monte_carlo_p_value_matches_rs_simulated_chisq_test(self):
        # R's chisq.test documentation, "Effect of simulating p-values": for
        # matrix(c(12, 5, 7, 7), ncol = 2), simulate.p.value = TRUE, B = 10000 gives "around 0.29".
        # Its exact conditional p equals Fisher's two-sided p here (scipy: 0.28831).
        counts = np.array([[12, 7], [5, 7]])
        p_value = monte_carlo_p_value(counts, samples=10000, seed=2017)
        self.assertAlmostEqual(p_value, 0.29, delta=0.01)
        self.assertAlmostEqual(p_value, stats.fisher_exact(counts).pvalue, delta=4 * 0.5 / 100)

    def test_the_monte_carlo_p_value_matches_a_full_enumeration_of_a_2x3_table(self):
        counts = [[4, 1, 0], [1, 3, 4]]
        exact = exact_chi2_p_value_2xc(counts)
        self.assertAlmostEqual(exact, 0.045843, places=6)  # 59/1287, every table with these margins
        result = table(counts, monte_carlo_samples=20000)
        self.assertEqual(result.p_value_method, "monte_carlo")
        standard_error = math.sqrt(exact * (1 - exact) / 20000)
        self.assertAlmostEqual(result.p_value, exact, delta=4 * standard_error)

    def test_the_monte_carlo_p_value_is_reproducible_with_a_seed(self):
        first = table(JOB_COUNTS, seed=7, monte_carlo_samples=500).p_value
        self.assertEqual(first, table(JOB_COUNTS, seed=7, monte_carlo_samples=500).p_value)

    def test_a_monte_carlo_p_value_is_never_zero(self):
        # (1 + #{X²_sim ≥ X²_obs}) / (1 + B): at least 1 / (B + 1).
        counts = [[9, 0, 0], [0, 9, 0], [0, 0, 1]]
        self.assertGreaterEqual(table(counts, monte_carlo_samples=99).p_value, 1 / 100)


class FindingTests(SimpleTestCase):
    def test_each_cell_beyond_196_is_a_finding_largest_first(self):
        result = crosstab(
            PARTY_ROWS, PARTY_COLS, PARTY_COUNTS, row_name="Gender", col_name="Party identification"
        )
        self.assertEqual(
            [(finding.row, finding.col) for finding in result.findings],
            [
                ("Females", "Republican"),
                ("Males", "Republican"),
                ("Females", "Democrat"),
                ("Males", "Democrat"),
            ],
        )
        first = result.findings[0]
        self.assertEqual((first.observed, first.row_total, first.direction), (468, 1557, "fewer"))

    def test_a_finding_reads_as_a_sentence_built_from_the_data(self):
        result = crosstab(
            PARTY_ROWS, PARTY_COLS, PARTY_COUNTS, row_name="Gender", col_name="Party identification"
        )
        self.assertEqual(
            result.findings[2].sentence,
            "Where Gender is “Females”, Party identification is “Democrat” more often than expected: "
            "762 of 1557 (expected 703.7), adjusted residual +4.5.",  # E = 703.67, rounded
        )
        self.assertIn("less often than expected", result.findings[0].sentence)
        self.assertIn("adjusted residual -5.3", result.findings[0].sentence)

    def test_without_names_a_finding_speaks_of_rows_and_columns(self):
        sentence = crosstab(PARTY_ROWS, PARTY_COLS, PARTY_COUNTS).findings[0].sentence
        self.assertTrue(sentence.startswith("Row “Females” falls in column “Republican” less often"))

    def test_the_threshold_can_be_raised(self):
        result = crosstab(PARTY_ROWS, PARTY_COLS, PARTY_COUNTS, alpha_residual=5)
        self.assertEqual(len(result.findings), 2)

    def test_no_cell_beyond_the_threshold_means_no_finding(self):
        self.assertEqual(table(SCIPY_EXAMPLE).findings, [])


class EdgeCaseTests(SimpleTestCase):
    def test_empty_rows_and_columns_are_left_out_and_named(self):
        result = crosstab(
            ["A", "Empty", "B"],
            ["x", "y", "z", "nothing"],
            [[10, 10, 20, 0], [0, 0, 0, 0], [20, 20, 20, 0]],
        )
        self.assertEqual(result.rows, ["A", "B"])
        self.assertEqual(result.cols, ["x", "y", "z"])
        self.assertAlmostEqual(result.chi2, 2.7777777777777777)
        self.assertIn("Row left out because it has no counts: “Empty”", result.warning)
        self.assertIn("Column left out because it has no counts: “nothing”", result.warning)

    def test_a_table_with_one_row_has_no_test(self):
        result = crosstab(["Only"], ["x", "y", "z"], [[3, 4, 5]])
        self.assertIsNone(result.chi2)
        self.assertIsNone(result.p_value)
        self.assertIsNone(result.cramers_v)
        self.assertEqual(result.dof, 0)
        self.assertEqual(result.findings, [])
        self.assertIn("at least two rows and two columns", result.warning)
        self.assertIn("1 × 3", result.warning)

    def test_a_table_that_shrinks_to_one_column_has_no_test(self):
        result = crosstab(["a", "b"], ["x", "y"], [[3, 0], [4, 0]])
        self.assertEqual(result.cols, ["x"])
        self.assertIsNone(result.p_value)
        self.assertIn("2 × 1", result.warning)

    def test_an_all_zero_table_has_no_test_and_says_so(self):
        result = crosstab(["a", "b"], ["x", "y"], [[0, 0], [0, 0]])
        self.assertEqual((result.rows, result.cols, result.total), ([], [], 0))
        self.assertIsNone(result.chi2)
        self.assertIn("empty", result.warning)

    def test_a_table_without_labels_has_no_test(self):
        result = crosstab([], [], [])
        self.assertIsNone(result.p_value)
        self.assertEqual(result.counts, [])

    def test_a_negative_or_fractional_count_is_refused_with_its_row_and_column(self):
        for bad in (-1, 1.5, "3", None):
            with self.subTest(bad=bad), self.assertRaisesMessage(ValueError, "Row “b”, column “y”"):
                crosstab(["a", "b"], ["x", "y"], [[1, 2], [3, bad]])

    def test_a_ragged_table_is_refused(self):
        with self.assertRaisesMessage(ValueError, "2 rows and 2 columns"):
            crosstab(["a", "b"], ["x", "y"], [[1, 2], [3]])


class JsonTests(SimpleTestCase):
    def test_the_json_carries_the_published_numbers_and_serialises(self):
        data = to_json(table(SCIPY_EXAMPLE))
        for key in [
            "rows",
            "cols",
            "counts",
            "expected",
            "chi2",
            "dof",
            "p_value",
            "p_value_method",
            "cramers_v",
            "residuals",
            "findings",
            "warning",
            "row_percents",
            "col_percents",
        ]:
            self.assertIn(key, data)
        round_trip = json.loads(json.dumps(data, allow_nan=False))
        self.assertAlmostEqual(round_trip["p_value"], 0.24935220877729622)
        self.assertEqual(round_trip["expected"], [[12.0, 12.0, 16.0], [18.0, 18.0, 24.0]])

    def test_findings_are_sentences_in_the_json(self):
        data = to_json(crosstab(PARTY_ROWS, PARTY_COLS, PARTY_COUNTS))
        self.assertEqual(len(data["findings"]), 4)
        self.assertTrue(all(isinstance(sentence, str) for sentence in data["findings"]))
        self.assertEqual(data["finding_cells"][0]["direction"], "fewer")

    def test_a_table_without_a_test_serialises_without_nan(self):
        json.dumps(to_json(crosstab(["Only"], ["x", "y"], [[1, 2]])), allow_nan=False)
