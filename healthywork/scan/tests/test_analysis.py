"""The scan's statistics against published worked examples, and units and overlaps checked by hand."""

import random
from collections import Counter
from unittest import TestCase

import numpy as np

from healthywork.scan.analysis import (
    LEVELS,
    agreement,
    agreement_from_columns,
    cohen_kappa,
    cooccurrence,
    krippendorff_alpha,
    percent_agreement,
    split_units,
    to_json,
    unit_presence,
    unit_presence_array,
)

N = None
# Wikipedia, "Krippendorff's alpha", computational example: 3 coders × 15 units. Nominal
# α = 0.691 (336/486 = 0.691358…); interval α = 0.810845 (documentation and tests of the
# `krippendorff` Python package, which use the same data).
WIKIPEDIA = [
    [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
    [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
    [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
]
# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: 4 observers ×
# 12 units with missing values; published α: nominal 0.743, ordinal 0.815, interval 0.849,
# ratio 0.797. (Also in Krippendorff, Content Analysis, 4th ed., 2019, chapter 12.)
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def two_coders(table: list[list[int]], labels: list[str]) -> tuple[list[str], list[str]]:
    """The two coders' values behind a square table of counts (rows coder a, columns coder b)."""
    a, b = [], []
    for row_label, row in zip(labels, table, strict=True):
        for col_label, count in zip(labels, row, strict=True):
            a += [row_label] * count
            b += [col_label] * count
    return a, b


class CohenKappaTests(TestCase):
    def test_the_grant_proposals_table_gives_0_40(self):
        # Wikipedia, "Cohen's kappa", simple example: yes/yes 20, yes/no 5, no/yes 10, no/no 15;
        # p_o = 0.70, p_e = 0.50, κ = 0.40.
        a, b = two_coders([[20, 5], [10, 15]], ["yes", "no"])
        self.assertAlmostEqual(cohen_kappa(a, b), 0.40, places=12)

    def test_same_percent_agreement_gives_different_kappas(self):
        # Wikipedia, "Cohen's kappa", "Same percentages but different numbers": both tables have
        # p_o = 0.60; the first κ = 0.1304 (p_e = 0.54), the second κ = 0.2593 (p_e = 0.46).
        a, b = two_coders([[45, 15], [25, 15]], ["yes", "no"])
        self.assertAlmostEqual(cohen_kappa(a, b), 0.06 / 0.46, places=12)
        self.assertEqual(round(cohen_kappa(a, b), 4), 0.1304)
        a, b = two_coders([[25, 35], [5, 35]], ["yes", "no"])
        self.assertEqual(round(cohen_kappa(a, b), 4), 0.2593)

    def test_the_r_delta_package_example_gives_0_5(self):
        # R package Delta, documentation of GetKappa: GetKappa(matrix(c(50,10,10,20),2,2)) prints
        # "Kappa ± S.E. = 0.5".
        a, b = two_coders([[50, 10], [10, 20]], ["1", "2"])
        self.assertAlmostEqual(cohen_kappa(a, b), 0.5, places=12)

    def test_chance_agreement_adds_products_of_shares_rather_than_multiplying_sums(self):
        # Three categories, worked by hand: p_o = 7/10; shares a = (.4, .4, .2), b = (.3, .5, .2);
        # p_e = .12 + .20 + .04 = .36; κ = (.7 − .36) / .64 = 0.53125.
        a = list("xxxxyyyyzz")
        b = list("xxxyyyyzyz")
        self.assertAlmostEqual(cohen_kappa(a, b), 0.53125, places=12)

    def test_units_missing_for_either_coder_are_left_out(self):
        a, b = two_coders([[20, 5], [10, 15]], ["yes", "no"])
        self.assertAlmostEqual(cohen_kappa(a + [N, "yes", N], b + ["no", N, N]), 0.40, places=12)

    def test_it_is_undefined_when_both_coders_give_one_and_the_same_value(self):
        self.assertIsNone(cohen_kappa(["a"] * 5, ["a"] * 5))
        self.assertIsNone(cohen_kappa([N, N], ["a", "b"]))
        self.assertEqual(cohen_kappa(["a", "b"], ["a", "b"]), 1.0)

    def test_coders_of_different_lengths_are_refused(self):
        with self.assertRaises(ValueError):
            cohen_kappa(["a"], ["a", "b"])


class KrippendorffAlphaTests(TestCase):
    def test_the_wikipedia_example_at_nominal_and_interval_levels(self):
        self.assertAlmostEqual(krippendorff_alpha(WIKIPEDIA), 336 / 486, places=12)
        self.assertEqual(round(krippendorff_alpha(WIKIPEDIA, "nominal"), 6), 0.691358)
        self.assertEqual(round(krippendorff_alpha(WIKIPEDIA, "interval"), 6), 0.810845)

    def test_krippendorffs_2011_example_at_all_four_levels(self):
        published = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}
        for level, value in published.items():
            with self.subTest(level=level):
                self.assertEqual(round(krippendorff_alpha(KRIPPENDORFF_2011, level), 3), value)

    def test_labels_work_at_the_nominal_level(self):
        labels = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
        data = [[labels.get(value) for value in row] for row in KRIPPENDORFF_2011]
        self.assertEqual(round(krippendorff_alpha(data), 3), 0.743)

    def test_two_coders_nominal_alpha_matches_its_closed_form(self):
        # Krippendorff (2011), section A, binary data of 2 coders × 10 units: α = 0.095.
        coder_a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
        coder_b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
        self.assertEqual(round(krippendorff_alpha([coder_a, coder_b]), 3), 0.095)

    def test_perfect_agreement_is_one_and_a_single_value_is_undefined(self):
        self.assertEqual(krippendorff_alpha([[1, 2, 3], [1, 2, 3]], "interval"), 1.0)
        self.assertIsNone(krippendorff_alpha([[1, 1, 1], [1, 1, N]]))
        self.assertIsNone(krippendorff_alpha([[1, N], [N, 2]]))
        self.assertIsNone(krippendorff_alpha([]))

    def test_ratio_treats_two_zeros_as_no_difference(self):
        self.assertEqual(krippendorff_alpha([[0, 1, 2], [0, 1, 2]], "ratio"), 1.0)

    def test_levels_other_than_nominal_need_numbers(self):
        with self.assertRaisesRegex(ValueError, "interval level needs numbers"):
            krippendorff_alpha([["a", "b"], ["a", "c"]], "interval")
        with self.assertRaisesRegex(ValueError, "0 or more"):
            krippendorff_alpha([[-1, 2], [1, 2]], "ratio")
        with self.assertRaises(ValueError):
            krippendorff_alpha([[1, 2], [1, 2]], "circular")
        with self.assertRaises(ValueError):
            krippendorff_alpha([[1, 2], [1]])


class PercentAgreementTests(TestCase):
    def test_two_coders_share_of_units_where_they_agree(self):
        self.assertEqual(percent_agreement([["a", "b", "c", "d"], ["a", "b", "x", "d"]]), 0.75)

    def test_pairs_are_pooled_over_units_with_two_values_or_more(self):
        # Wikipedia example, by hand: 16 pairs of coders in the 12 pairable units, 12 agree.
        self.assertEqual(percent_agreement(WIKIPEDIA), 12 / 16)

    def test_it_is_undefined_without_a_pairable_unit(self):
        self.assertIsNone(percent_agreement([[1, N], [N, 2]]))


class AgreementTests(TestCase):
    def test_it_gathers_alpha_kappa_and_percent_for_two_coders(self):
        a, b = two_coders([[20, 5], [10, 15]], ["yes", "no"])
        result = agreement([a, b])
        self.assertAlmostEqual(result.kappa, 0.40, places=12)
        self.assertAlmostEqual(result.percent, 0.70, places=12)
        self.assertEqual((result.n_units, result.n_coders, result.level), (50, 2, "nominal"))
        # Nominal alpha by hand (formula of Krippendorff 2011, section A): n = 100 values,
        # o_yes,yes = 40, o_no,no = 30, n_yes = 55, n_no = 45;
        # α = (99 · 70 − 55 · 54 − 45 · 44) / (100 · 99 − 55 · 54 − 45 · 44) = 1980 / 4950.
        self.assertAlmostEqual(result.alpha, 1980 / 4950, places=12)

    def test_kappa_is_only_given_for_exactly_two_coders(self):
        result = agreement(WIKIPEDIA, "interval")
        self.assertIsNone(result.kappa)
        self.assertEqual(round(result.alpha, 6), 0.810845)
        self.assertEqual(
            to_json(result),
            {
                "alpha": result.alpha,
                "kappa": None,
                "percent_agreement": 0.75,
                "n_units": 12,
                "n_coders": 3,
                "level": "interval",
            },
        )
        self.assertIsInstance(to_json(result)["alpha"], float)


def coincidence_alpha(data: list[list], level: str) -> float | None:
    """Krippendorff (2011) step by step: the V × V coincidence matrix built unit by unit, then
    α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck with the level's δ², all as plain matrices."""
    units = [[row[i] for row in data if row[i] is not None] for i in range(len(data[0]) if data else 0)]
    units = [values for values in units if len(values) >= 2]
    values = sorted({value for unit in units for value in unit})
    if not values:
        return None
    index = {value: i for i, value in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for unit in units:
        for i, x in enumerate(unit):
            for j, y in enumerate(unit):
                if i != j:
                    o[index[x], index[y]] += 1 / (len(unit) - 1)
    n_c = o.sum(axis=1)
    x = np.array(values, dtype=float) if level != "nominal" else None
    if level == "nominal":
        delta = 1.0 - np.eye(len(values))
    elif level == "ordinal":
        cumulative = np.cumsum(n_c)
        low = np.minimum.outer(np.arange(len(values)), np.arange(len(values)))
        high = np.maximum.outer(np.arange(len(values)), np.arange(len(values)))
        between = cumulative[high] - cumulative[low] + n_c[low]  # Σ_{g=c..k} n_g
        delta = (between - (n_c[:, None] + n_c[None, :]) / 2) ** 2
    elif level == "interval":
        delta = (x[:, None] - x[None, :]) ** 2
    else:
        sums = x[:, None] + x[None, :]
        delta = np.divide((x[:, None] - x[None, :]) ** 2, sums**2, out=np.zeros_like(sums), where=sums > 0)
    expected = n_c @ delta @ n_c
    if expected <= 0:
        return None
    return float(1 - (n_c.sum() - 1) * (o * delta).sum() / expected)


def random_table(rng: random.Random, level: str) -> list[list]:
    coders, units = rng.randint(1, 4), rng.randint(0, 40)
    values = ["a", "b", "c"] if level == "nominal" else rng.sample([0, 1, 2, 3, 5, 8, 13], rng.randint(1, 5))
    missing = rng.choice([0.0, 0.2, 0.6])
    return [
        [None if rng.random() < missing else rng.choice(values) for _ in range(units)] for _ in range(coders)
    ]


class AgreementFromColumnsTests(TestCase):
    def assert_same(self, actual, expected, places: float = 1e-12):
        self.assertEqual(actual is None, expected is None, (actual, expected))
        if expected is not None:
            self.assertLess(abs(actual - expected), places, (actual, expected))

    def test_it_equals_the_unit_by_unit_statistics_on_random_tables(self):
        rng = random.Random(2024)
        for level in LEVELS:
            for _trial in range(400):
                data = random_table(rng, level)
                with self.subTest(level=level, data=data):
                    result = agreement_from_columns(
                        Counter(zip(*data, strict=True)), level, n_coders=len(data)
                    )
                    self.assert_same(result.alpha, krippendorff_alpha(data, level))
                    self.assert_same(result.alpha, coincidence_alpha(data, level), 1e-9)
                    self.assert_same(result.percent, percent_agreement(data))
                    kappa = cohen_kappa(data[0], data[1]) if len(data) == 2 else None
                    self.assert_same(result.kappa, kappa)
                    self.assertEqual(result, agreement(data, level))
                    pairable = sum(
                        1 for column in zip(*data, strict=True) if len(column) - column.count(None) >= 2
                    )
                    self.assertEqual((result.n_units, result.n_coders), (pairable, len(data)))

    def test_the_published_examples_compressed_and_expanded(self):
        for data, level, published, places in [
            (WIKIPEDIA, "nominal", 0.691358, 6),
            (WIKIPEDIA, "interval", 0.810845, 6),
            (KRIPPENDORFF_2011, "nominal", 0.743, 3),
            (KRIPPENDORFF_2011, "ordinal", 0.815, 3),
            (KRIPPENDORFF_2011, "interval", 0.849, 3),
            (KRIPPENDORFF_2011, "ratio", 0.797, 3),
        ]:
            with self.subTest(level=level, coders=len(data)):
                columns = Counter(zip(*data, strict=True))
                self.assertEqual(round(agreement_from_columns(columns, level).alpha, places), published)
                # The same units a thousand times over: the same alpha, as each value's share is kept.
                many = Counter({column: count * 1000 for column, count in columns.items()})
                expanded = [list(row) * 1000 for row in data]
                self.assertAlmostEqual(
                    agreement_from_columns(many, level).alpha, krippendorff_alpha(expanded, level), 12
                )
        # Cohen's grant proposals table as four columns: κ = 0.40, percent 0.70.
        table = {("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}
        result = agreement_from_columns(table)
        self.assertAlmostEqual(result.kappa, 0.40, places=12)
        self.assertAlmostEqual(result.percent, 0.70, places=12)
        self.assertAlmostEqual(result.alpha, 1980 / 4950, places=12)
        self.assertEqual(result.n_units, 50)

    def test_empty_and_bad_columns(self):
        self.assertEqual(agreement_from_columns({}, n_coders=2).n_coders, 2)
        self.assertIsNone(agreement_from_columns({(1, None): 5}).alpha)
        self.assertEqual(agreement_from_columns({(1, 2): 0, (1, 1): 3}).n_units, 3)
        with self.assertRaisesRegex(ValueError, "one value or None per coder"):
            agreement_from_columns({(1, 2): 1, (1,): 1})
        with self.assertRaisesRegex(ValueError, "counted"):
            agreement_from_columns({(1, 2): -1})
        with self.assertRaisesRegex(ValueError, "interval level needs numbers"):
            agreement_from_columns({("a", "b"): 1}, "interval")
        with self.assertRaisesRegex(ValueError, "interval level needs numbers"):
            agreement([[True, 1], [1, 2]], "interval")  # True == 1 must not slip through the counting
        with self.assertRaises(ValueError):
            agreement_from_columns({(1, 2): 1}, "circular")


class SplitUnitsTests(TestCase):
    def units(self, text: str, unit: str) -> list[str]:
        return [text[start:end] for start, end in split_units(text, unit)]

    def test_paragraphs_are_split_on_blank_lines_and_trimmed(self):
        text = "  First line\nstill first.\n\n \t\nSecond.  \n"
        self.assertEqual(split_units(text, "paragraph"), [(2, 25), (30, 37)])
        self.assertEqual(self.units(text, "paragraph"), ["First line\nstill first.", "Second."])

    def test_a_speaker_turn_starts_a_new_paragraph(self):
        text = (
            "Interviewer: How did it start?\nP3: At the warehouse.\nIt was 10:30 at night.\n"
            "[Facilitator]: Go on."
        )
        self.assertEqual(
            self.units(text, "paragraph"),
            [
                "Interviewer: How did it start?",
                "P3: At the warehouse.\nIt was 10:30 at night.",
                "[Facilitator]: Go on.",
            ],
        )

    def test_sentences_end_at_terminal_punctuation_followed_by_space(self):
        text = 'It began in 2019. Were you there? "Yes!" We left… Then 3.5 hours later…'
        self.assertEqual(
            self.units(text, "sentence"),
            ["It began in 2019.", "Were you there?", '"Yes!"', "We left…", "Then 3.5 hours later…"],
        )

    def test_abbreviations_and_initials_do_not_end_a_sentence(self):
        text = "Dr. Ruiz and J. Smith came from the U.S. Department, e.g. rent rules. No. It was approx. ten."
        self.assertEqual(
            self.units(text, "sentence"),
            [
                "Dr. Ruiz and J. Smith came from the U.S. Department, e.g. rent rules.",
                "No.",
                "It was approx. ten.",
            ],
        )

    def test_sentences_never_cross_paragraphs(self):
        text = "One without a stop\n\nTwo. Three"
        self.assertEqual(self.units(text, "sentence"), ["One without a stop", "Two.", "Three"])

    def test_units_cover_all_text_that_is_not_white_space(self):
        text = "Interviewer: Hi. How are you?\r\nRespondent: Fine… thanks.\r\n\r\n  Dr. No. Yes!\n"
        for unit in ("sentence", "paragraph"):
            with self.subTest(unit=unit):
                units = split_units(text, unit)
                covered = set()
                for start, end in units:
                    self.assertEqual(text[start:end], text[start:end].strip())
                    covered.update(range(start, end))
                self.assertEqual(units, sorted(units))
                self.assertEqual(
                    {position for position, char in enumerate(text) if not char.isspace()} - covered, set()
                )

    def test_blank_text_has_no_units_and_an_unknown_unit_is_refused(self):
        self.assertEqual(split_units(" \n\n ", "sentence"), [])
        with self.assertRaises(ValueError):
            split_units("Text.", "word")


class UnitPresenceTests(TestCase):
    def test_a_span_counts_where_it_shares_at_least_one_character(self):
        units = [(0, 5), (5, 10), (10, 15), (15, 20)]
        spans = [(4, 6), (12, 12), (15, 16)]
        self.assertEqual(unit_presence(units, spans), [True, True, False, True])

    def test_touching_ends_do_not_overlap(self):
        self.assertEqual(unit_presence([(0, 5), (10, 15)], [(5, 10)]), [False, False])

    def test_a_long_span_reaches_units_after_shorter_later_ones(self):
        units = [(0, 2), (20, 25), (40, 45)]
        self.assertEqual(unit_presence(units, [(1, 50), (3, 4)]), [True, True, True])
        self.assertEqual(unit_presence(units, []), [False, False, False])

    def test_it_agrees_with_the_plain_definition_on_random_data(self):
        rng = random.Random(7)
        for _trial in range(200):
            units = [tuple(sorted(rng.sample(range(60), 2))) for _ in range(rng.randint(0, 8))]
            spans = [tuple(sorted(rng.sample(range(60), 2))) for _ in range(rng.randint(0, 8))]
            expected = [any(s < ue and e > us for s, e in spans) for us, ue in units]
            self.assertEqual(unit_presence(units, spans), expected)


class UnitPresenceArrayTests(TestCase):
    def test_it_agrees_with_unit_presence_on_random_data(self):
        rng = random.Random(13)
        for _trial in range(300):
            units = [tuple(sorted(rng.sample(range(60), 2))) for _ in range(rng.randint(0, 8))]
            units += [(5, 5)] * rng.randint(0, 1)
            spans = [tuple(sorted(rng.sample(range(60), 2))) for _ in range(rng.randint(0, 8))]
            spans += [(7, 7)] * rng.randint(0, 1)
            starts = np.array([start for start, _end in units], dtype=np.int64)
            ends = np.array([end for _start, end in units], dtype=np.int64)
            self.assertEqual(unit_presence_array(starts, ends, spans).tolist(), unit_presence(units, spans))


class CooccurrenceTests(TestCase):
    def test_pairs_of_overlapping_spans_of_different_codes_are_counted(self):
        spans = [
            ("doc1", "a", 0, 10),
            ("doc1", "b", 5, 15),
            ("doc1", "c", 10, 20),  # touches a at 10: no overlap
            ("doc1", "a", 12, 13),
            ("doc1", "b", 12, 14),  # same code as an open span: only other codes count
            ("doc2", "a", 0, 5),
            ("doc2", "b", 5, 9),
            ("doc3", "b", 0, 9),
            ("doc4", "a", 0, 9),  # same offsets as doc3, another document
        ]
        self.assertEqual(cooccurrence(spans), {("a", "b"): 3, ("b", "c"): 2, ("a", "c"): 1})

    def test_keys_are_sorted_pairs_and_empty_spans_count_for_nothing(self):
        self.assertEqual(cooccurrence([(1, 9, 0, 5), (1, 2, 3, 4), (1, 5, 2, 2)]), {(2, 9): 1})
        self.assertEqual(cooccurrence([]), {})

    def test_it_agrees_with_the_plain_definition_on_random_data(self):
        rng = random.Random(11)
        spans = []
        for _ in range(300):
            start = rng.randrange(200)
            spans.append((rng.randrange(3), rng.randrange(5), start, start + rng.randrange(1, 30)))
        expected: dict = {}
        for index, (doc, code, start, end) in enumerate(spans):
            for other_doc, other_code, other_start, other_end in spans[index + 1 :]:
                if doc == other_doc and code != other_code and start < other_end and other_start < end:
                    key = tuple(sorted((code, other_code)))
                    expected[key] = expected.get(key, 0) + 1
        self.assertEqual(cooccurrence(spans), expected)
