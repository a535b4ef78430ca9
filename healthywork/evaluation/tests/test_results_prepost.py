"""Pre/post change: matching by respondent key, the paired tests per measure, the page, the API."""

import csv
import io

from django.test import TransactionTestCase
from django.urls import reverse

from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.evaluation import analysis, results
from healthywork.evaluation.models import TimePoint
from healthywork.evaluation.tests import factories
from healthywork.evaluation.tests.test_results_page import build_small

POST = [
    ("k1", {"q1": 3, "q2": 3, "q3": 3, "q4": 5, "q5": 5}),
    ("k2", {"q1": 3, "q2": 3, "q3": 3, "q4": 5, "q5": 5}),
    ("k2", {"q1": 4, "q2": 4, "q3": 3, "q4": 5, "q5": 5}),  # the key twice: k2 is not matched
    ("k3", {"q1": 5, "q2": 5, "q3": 1, "q4": 3, "q5": 4}),
    ("k4", {"q1": 5, "q2": 5, "q3": 1, "q4": 2, "q5": 2}),
    ("k9", {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1}),  # no pre
    ("", {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1}),  # no key
]


class PrePostTestCase(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_small(cls, time_point=TimePoint.PRE)
        cls.pre = cls.administration
        cls.post = factories.administration(
            cls.instrument, team=cls.team_a, time_point=TimePoint.POST, pre=cls.pre
        )
        for key, answers in POST:
            factories.response(cls.post, answers, respondent_key=key)


class MatchingTests(PrePostTestCase):
    def setUp(self):
        self.result = results.prepost(results.load_scored(self.pre), results.load_scored(self.post))

    def test_it_matches_by_key_and_counts_the_unmatched(self):
        matching = self.result["matching"]
        self.assertEqual(matching.n_pairs, 3)
        self.assertEqual((matching.n_pre, matching.n_post), (4, 7))
        self.assertEqual((matching.unmatched_pre, matching.unmatched_post), (1, 4))
        self.assertEqual((matching.no_key_pre, matching.no_key_post), (0, 1))
        self.assertEqual(matching.duplicate_keys, ["k2"])

    def test_dimension_change_equals_the_paired_tests_on_hand_scores(self):
        row = next(r for r in self.result["rows"] if r["kind"] == "dimension" and r["code"] == "a")
        before, after = [4 / 3, 4, 5], [3, 5, 5]  # k1, k3, k4 (q3 reversed)
        expected = analysis.paired_t(before, after)
        self.assertEqual(row["n"], 3)
        self.assertAlmostEqual(row["mean_pre"], sum(before) / 3)
        self.assertAlmostEqual(row["difference"], (3 - 4 / 3 + 1 + 0) / 3)
        self.assertAlmostEqual(row["t"], expected["t"])
        self.assertEqual(row["df"], 2)
        self.assertAlmostEqual(row["p_t"], expected["p_value"])
        self.assertAlmostEqual(row["cohens_dz"], expected["cohens_dz"])
        wilcoxon = analysis.wilcoxon_signed_rank(before, after)
        self.assertEqual((row["w"], row["method_w"]), (wilcoxon["statistic"], wilcoxon["method"]))

    def test_rows_cover_total_dimensions_and_items(self):
        kinds = [row["kind"] for row in self.result["rows"]]
        self.assertEqual(kinds, ["total", "dimension", "dimension"] + ["item"] * 5)
        q3 = next(row for row in self.result["rows"] if row["code"] == "q3")
        self.assertTrue(q3["reverse"])
        self.assertAlmostEqual(q3["mean_pre"], (1 + 4 + 5) / 3)  # scored values

    def test_a_sentence_for_a_significant_change_only(self):
        rows = [
            {
                "kind": "dimension",
                "label": "Knowledge",
                "mean_pre": 2.0,
                "mean_post": 3.5,
                "difference": 1.5,
                "n": 21,
                "p_t": 0.0004,
                "cohens_dz": 1.1,
            },
            {
                "kind": "dimension",
                "label": "Efficacy",
                "mean_pre": 2.0,
                "mean_post": 2.1,
                "difference": 0.1,
                "n": 21,
                "p_t": 0.4,
                "cohens_dz": 0.1,
            },
        ]
        said = results.sentences(rows)
        self.assertEqual(len(said), 1)
        self.assertIn("Knowledge rose from 2.00 to 3.50", said[0])
        self.assertIn("large", said[0])


class ParallelReadTests(TransactionTestCase):
    """Outside a transaction, on PostgreSQL, the two administrations are read on two connections at
    once (on SQLite in turn): the same result either way."""

    def test_it_reads_both_administrations_in_parallel_with_the_same_result(self):

        instrument = factories.instrument()
        pre = factories.administration(instrument, time_point=TimePoint.PRE)
        post = factories.administration(instrument, time_point=TimePoint.POST, pre=pre)
        for number in range(4):
            factories.response(pre, {"q1": 1 + number, "q2": 2, "q3": 3}, respondent_key=f"p{number}")
            factories.response(post, {"q1": 2 + number, "q2": 3, "q3": 3}, respondent_key=f"p{number}")
        first, second = results.load_pair(pre, post)
        self.assertEqual(first.matrix.respondent_keys, ["p0", "p1", "p2", "p3"])
        self.assertEqual(second.matrix.values[:, 0].tolist(), [2, 3, 4, 5])


class PrePostPageTests(PrePostTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.url = reverse("evaluation:prepost")

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url)

    def test_the_post_administrations_pre_is_the_default_baseline(self):
        self.login(self.evaluator)
        response = self.client.get(self.url, {"post": self.post.public_id})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["pre"], self.pre)
        self.assertEqual(response.context["matching"].n_pairs, 3)
        self.assertContains(response, 'data-chart-spec="prepost-spec"')
        self.assertContains(response, "k2")  # the duplicated key is reported

    def test_a_post_administration_with_no_responses_shows_no_pairs(self):
        empty = factories.administration(self.instrument, team=self.team_a, time_point=TimePoint.POST)
        self.login(self.evaluator)
        response = self.client.get(self.url, {"post": empty.public_id, "pre": self.pre.public_id})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["matching"].n_pairs, 0)
        self.assertEqual(response.context["result"]["sentences"], [])

    def test_the_table_downloads_as_csv_and_xlsx(self):
        self.login(self.evaluator)
        response = self.client.get(self.url, {"post": self.post.public_id, "format": "csv"})
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0]["kind"], "total")
        self.assertEqual(rows[1]["n"], "3")
        response = self.client.get(self.url, {"post": self.post.public_id, "format": "xlsx"})
        self.assertEqual(response.status_code, 200)

    def test_two_administrations_of_other_instruments_are_refused(self):
        other = factories.administration(factories.instrument(), team=self.team_a)
        self.login(self.evaluator)
        response = self.client.get(self.url, {"post": self.post.public_id, "pre": other.public_id})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "another instrument", status_code=400)

    def test_no_baseline_is_named(self):
        self.login(self.evaluator)
        response = self.client.get(self.url, {"post": self.pre.public_id})
        self.assertContains(response, "choose the baseline", status_code=400)

    def test_a_stranger_cannot_choose_the_administration(self):
        self.login(self.member_b)
        response = self.client.get(self.url, {"post": self.post.public_id})
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("result", response.context)


class ResultsApiTests(PrePostTestCase):
    def test_results_json(self):
        self.login(self.evaluator)
        response = self.client.get(f"/api/v1/evaluation/administrations/{self.pre.public_id}/results")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["n"], 4)
        self.assertEqual(body["dimensions"][0]["alpha_k"], 3)
        self.assertEqual(body["items"][0]["distribution"][0]["count"], 1)
        filtered = self.client.get(
            f"/api/v1/evaluation/administrations/{self.pre.public_id}/results", {"team": self.team_b.pk}
        )
        self.assertEqual(filtered.json()["n"], 2)

    def test_results_of_a_strangers_administration_is_404(self):
        self.login(self.member_b)
        response = self.client.get(f"/api/v1/evaluation/administrations/{self.pre.public_id}/results")
        self.assertEqual(response.status_code, 404)

    def test_prepost_json(self):
        self.login(self.evaluator)
        response = self.client.get("/api/v1/evaluation/prepost", {"post": self.post.public_id})
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["matching"]["pairs"], 3)
        self.assertEqual(body["matching"]["duplicate_keys"], ["k2"])
        self.assertEqual(body["rows"][0]["kind"], "total")

    def test_prepost_without_a_baseline_names_pre(self):
        self.login(self.evaluator)
        response = self.client.get("/api/v1/evaluation/prepost", {"post": self.pre.public_id})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "pre")
