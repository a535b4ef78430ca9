"""The results page and the statistics behind it, on a small administration computed by hand."""

import math

import numpy as np
from django.urls import reverse

from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.evaluation import analysis, results
from healthywork.evaluation.matrix import load_matrix
from healthywork.evaluation.models import Item, ItemKind, Response, ResponseStatus, TimePoint
from healthywork.evaluation.scoring import score_matrix
from healthywork.evaluation.tests import factories
from healthywork.partners.tests import factories as partner_factories

BANDS = [{"low": 1, "high": 2.99, "label": "low"}, {"low": 3, "high": 5, "label": "high"}]
# Raw answers (q3 is reverse scored on 1–5, so its scored value is 6 − raw; q5 of r4 unanswered).
ANSWERS = {
    "k1": {"q1": 1, "q2": 2, "q3": 5, "q4": 4, "q5": 5, "comment": "=1+1 great", "mc": "1 3"},
    "k2": {"q1": 2, "q2": 3, "q3": 4, "q4": 4, "q5": 4, "comment": "Useful & <clear>"},
    "k3": {"q1": 4, "q2": 4, "q3": 2, "q4": 2, "q5": 3},
    "k4": {"q1": 5, "q2": 5, "q3": 1, "q4": 1},
}


def build_small(cls, time_point: str = TimePoint.ONCE) -> None:
    """cls.instrument, cls.administration (team A) with four complete responses and one in progress;
    k1, k2 from a health organization in team A; k3, k4 from a labor organization in team B."""
    cls.instrument = factories.instrument(
        dimensions={"a": ["q1", "q2", "q3"], "b": ["q4", "q5"]}, bands=BANDS
    )
    Item.objects.filter(instrument=cls.instrument, code="q3").update(reverse_scored=True)
    Item.objects.create(
        instrument=cls.instrument,
        code="comment",
        text="Comment",
        text_es="Comentario",
        kind=ItemKind.TEXT,
        position=10,
    )
    Item.objects.create(
        instrument=cls.instrument,
        code="mc",
        text="Which ones",
        kind=ItemKind.MULTIPLE,
        choices=factories.LIKERT5,
        position=11,
    )
    cls.administration = factories.administration(cls.instrument, team=cls.team_a, time_point=time_point)
    cls.health = partner_factories.organization("Clinic", sector_slug="public-health")
    cls.labor = partner_factories.organization("Worker center", sector_slug="labor")
    for key, answers in ANSWERS.items():
        in_a = key in ("k1", "k2")
        factories.response(
            cls.administration,
            answers,
            respondent_key=key,
            team=cls.team_a if in_a else cls.team_b,
            organization=cls.health if in_a else cls.labor,
        )
    factories.response(cls.administration, {"q1": 3}, status=ResponseStatus.IN_PROGRESS, submitted_at=None)


def hand_alpha(rows: list[list[float]]) -> float:
    data = np.array(rows, dtype=float)
    k = data.shape[1]
    return k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / data.sum(axis=1).var(ddof=1))


class StatisticsTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_small(cls)

    def setUp(self):
        self.scored = results.load_scored(self.administration)
        self.stats = results.results(self.scored)

    def test_load_matrix_reads_every_numeric_answer_in_place(self):
        factories.response(self.administration, {"q1": 2.5, "q2": -1}, respondent_key="k5")
        for complete_only in (True, False):
            matrix = load_matrix(self.administration, complete_only=complete_only)
            responses = Response.objects.filter(administration=self.administration).order_by("pk")
            if complete_only:
                responses = responses.filter(status=ResponseStatus.COMPLETE)
            self.assertEqual(matrix.response_ids, [response.pk for response in responses])
            expected = np.full(matrix.values.shape, np.nan)  # the plain ORM reading, cell by cell
            for row, response in enumerate(responses):
                for answer in response.answers.select_related("item"):
                    if answer.number is not None and answer.item.code in matrix.codes:
                        expected[row, matrix.codes.index(answer.item.code)] = answer.number
            np.testing.assert_array_equal(matrix.values, expected)

    def test_bands_are_those_of_the_scorer(self):
        spec = results.ScoringSpec.from_instrument(self.instrument, items=self.scored.matrix.items)
        expected = score_matrix(spec, self.scored.matrix.codes, self.scored.matrix.values)
        self.assertEqual(self.scored.scores.bands, expected.bands)

    def test_it_counts_complete_responses_only(self):
        self.assertEqual(self.stats["n"], 4)
        counts = results.response_counts(self.administration)
        self.assertEqual((counts["complete"], counts["in_progress"], counts["rate"]), (4, 1, None))

    def test_item_statistics_match_hand_computation(self):
        q1 = self.stats["items"][0]
        self.assertEqual(q1["n"], 4)
        self.assertAlmostEqual(q1["mean"], 3.0)
        self.assertAlmostEqual(q1["sd"], math.sqrt(10 / 3))
        self.assertEqual([c["count"] for c in q1["distribution"]], [1, 1, 0, 1, 1])
        self.assertEqual(q1["distribution"][0]["label"], "Strongly disagree")

    def test_reverse_scored_item_is_shown_scored_and_marked(self):
        q3 = next(row for row in self.stats["items"] if row["code"] == "q3")
        self.assertTrue(q3["reverse"])
        self.assertAlmostEqual(q3["mean"], 3.0)  # scored 1, 2, 4, 5
        self.assertEqual(analysis.describe(np.array([1, 2, 4, 5.0]))["sd"], q3["sd"])
        q5 = next(row for row in self.stats["items"] if row["code"] == "q5")
        self.assertEqual(q5["n"], 3)

    def test_multiple_choice_counts_each_choice(self):
        mc = next(row for row in self.stats["items"] if row["code"] == "mc")
        self.assertEqual(mc["n"], 1)
        self.assertIsNone(mc["mean"])
        self.assertEqual([choice["count"] for choice in mc["distribution"]], [1, 0, 1, 0, 0])

    def test_labels_follow_the_language(self):
        spanish = results.item_statistics(self.scored, "es")
        self.assertEqual(spanish[0]["distribution"][0]["label"], "Totalmente en desacuerdo")

    def test_dimension_statistics_and_alpha_match_hand_computation(self):
        a, b = self.stats["dimensions"]
        self.assertAlmostEqual(a["mean"], 38 / 12)
        self.assertAlmostEqual(b["mean"], 3.0)
        self.assertEqual(b["n"], 4)
        scored_a = [[1, 2, 1], [2, 3, 2], [4, 4, 4], [5, 5, 5]]
        self.assertAlmostEqual(a["alpha"], hand_alpha(scored_a))
        self.assertEqual((a["alpha_k"], a["alpha_n"]), (3, 4))
        self.assertEqual((b["alpha_k"], b["alpha_n"]), (2, 3))  # r4 misses q5: listwise

    def test_total_and_bands(self):
        self.assertAlmostEqual(self.stats["total"]["mean"], (2.6 + 3 + 3.4 + 4) / 4)
        self.assertEqual(
            [(band["label"], band["count"]) for band in self.stats["bands"]], [("low", 1), ("high", 3)]
        )

    def test_filters_by_team_and_by_sector_family(self):
        team_b = results.filter_rows(self.scored, team_id=self.team_b.pk)
        self.assertEqual(team_b.matrix.respondent_keys, ["k3", "k4"])
        health = results.filter_rows(self.scored, family="health")
        self.assertEqual(health.matrix.respondent_keys, ["k1", "k2"])

    def test_comparison_by_family_gives_group_means(self):
        groups = results.compare_groups(self.scored, "family", {"health": "Health", "labor": "Labor"})
        by_label = {group["label"]: group for group in groups}
        self.assertAlmostEqual(by_label["Health"]["dimensions"][0]["mean"], 11 / 6)
        self.assertAlmostEqual(by_label["Labor"]["dimensions"][0]["mean"], 4.5)
        self.assertEqual(by_label["Labor"]["n"], 2)

    def test_comparison_by_team(self):
        groups = results.compare_groups(self.scored, "team", {self.team_a.pk: "A", self.team_b.pk: "B"})
        self.assertEqual([(group["label"], group["n"]) for group in groups], [("A", 2), ("B", 2)])
        self.assertAlmostEqual(groups[1]["dimensions"][1]["mean"], (2.5 + 1) / 2)


class ResultsPageTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_small(cls)
        cls.url = reverse("evaluation:results", args=[cls.administration.public_id])

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url)

    def test_it_shows_items_dimensions_chart_and_table(self):
        self.login(self.evaluator)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Cronbach")
        self.assertContains(response, 'data-chart-spec="item-spec"')
        self.assertContains(response, "(R)")
        self.assertContains(response, "Useful")
        self.assertEqual(response.context["statistics"]["n"], 4)

    def test_team_members_see_their_team_and_strangers_get_404(self):
        self.login(self.member_a)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.login(self.member_b)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_filters_and_comparison(self):
        self.login(self.evaluator)
        response = self.client.get(self.url, {"team": self.team_b.pk, "compare": "family"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["n_shown"], 2)
        self.assertEqual([group["label"] for group in response.context["groups"]], ["Labor"])
        self.assertContains(response, 'data-chart-spec="compare-spec"')
        self.assertNotContains(response, "Useful")  # the text answers follow the filter

    def test_a_bad_filter_is_named(self):
        self.login(self.evaluator)
        response = self.client.get(self.url, {"compare": "planet"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "planet", status_code=400)

    def test_an_administration_without_responses(self):
        empty = factories.administration(self.instrument, team=self.team_a)
        self.login(self.evaluator)
        response = self.client.get(reverse("evaluation:results", args=[empty.public_id]))
        self.assertContains(response, "No complete response")
        self.assertEqual(
            self.client.get(
                reverse("evaluation:results-export", args=[empty.public_id]), {"format": "sav"}
            ).status_code,
            200,
        )

    def test_spanish_labels(self):
        self.login(self.evaluator)
        response = self.client.get(self.url, headers={"accept-language": "es"})
        self.assertContains(response, "Totalmente en desacuerdo")
