"""The demo network: two waves, more health-labor ties after the collaborative, a closed survey."""

import shutil
import tempfile
from io import StringIO
from unittest import mock

from django.db.models import F
from django.test import TestCase, override_settings

from healthywork.accounts import demo as accounts_demo
from healthywork.catalog import demo as catalog_demo
from healthywork.network import demo
from healthywork.network.analysis import analyse, trust_value
from healthywork.network.graph import NetworkFilter, build_network
from healthywork.network.models import (
    PartnerRating,
    PartnerSurvey,
    Provenance,
    Respondent,
    SurveyStatus,
    Tie,
    TieStatus,
    Wave,
)
from healthywork.network.respond import CONTRIBUTIONS, OUTCOMES
from healthywork.partners import demo as partners_demo

DATA_DIR = tempfile.mkdtemp(prefix="healthywork-network-demo-")


def snapshot() -> dict[str, object]:
    return {
        "waves": list(Wave.objects.values_list("pk", "name", "start_date", "end_date", "description")),
        "ties": set(
            Tie.objects.values_list("pk", "wave_id", "source_id", "target_id", "kind", "level", "status")
        ),
        "surveys": PartnerSurvey.objects.count(),
        "respondents": set(Respondent.objects.values_list("pk", "token_hash", "submitted_at")),
        "ratings": PartnerRating.objects.count(),
    }


def share(wave: Wave, *, include_derived: bool = True) -> float:
    network = build_network(NetworkFilter(wave=wave, include_derived=include_derived))
    return analyse(network.nodes, network.edges).health_labor_share


@override_settings(DATA_DIR=DATA_DIR)
class DemoNetworkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for module in (accounts_demo, partners_demo, catalog_demo):
            module.load(stdout=StringIO())
        output = StringIO()
        demo.load(stdout=output)
        cls.output = output.getvalue()
        cls.baseline = Wave.objects.get(name=demo.BASELINE)
        cls.after = Wave.objects.get(name=demo.AFTER)
        cls.survey = PartnerSurvey.objects.get(title=demo.SURVEY_TITLE)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(DATA_DIR, ignore_errors=True)

    def test_loading_again_changes_nothing(self):
        before = snapshot()
        output = StringIO()
        demo.load(stdout=output)
        self.assertEqual(snapshot(), before)
        self.assertIn("(0 new)", output.getvalue())
        self.assertIn("0 new introductions", output.getvalue())

    def test_it_skips_without_the_demo_organizations(self):
        before = snapshot()
        output = StringIO()
        with mock.patch.object(partners_demo, "ORGANIZATIONS", []):
            demo.load(stdout=output)
        self.assertIn("skipped", output.getvalue())
        self.assertEqual(snapshot(), before)

    def test_there_are_two_waves_of_2017_and_2019(self):
        self.assertEqual(
            list(Wave.objects.values_list("name", "start_date__year", "end_date__year")),
            [(demo.BASELINE, 2017, 2017), (demo.AFTER, 2019, 2019)],
        )
        self.assertTrue(all(Wave.objects.values_list("description", flat=True)))

    def test_the_share_of_health_labor_ties_grows_after_the_collaborative(self):
        self.assertLess(share(self.baseline), share(self.after))
        self.assertLess(share(self.baseline, include_derived=False), share(self.after, include_derived=False))
        self.assertLess(share(self.baseline, include_derived=False), 0.05)

    def test_the_ties_vary_in_kind_level_direction_and_provenance(self):
        ties = Tie.objects.filter(provenance__in=[Provenance.MANUAL, Provenance.INTERVIEW])
        self.assertGreaterEqual(len(set(ties.values_list("kind", flat=True))), 5)
        self.assertEqual(set(ties.values_list("level", flat=True)), {1, 2, 3, 4, 5})
        self.assertTrue(ties.filter(is_directed=True).exists())
        self.assertTrue(ties.filter(wave=self.baseline, provenance=Provenance.INTERVIEW).exists())

    def test_some_2017_ties_are_lost_and_some_strengthened_in_2019(self):
        def levels(wave):
            return {
                (frozenset({source, target}), kind): level
                for source, target, kind, level in Tie.objects.filter(wave=wave).values_list(
                    "source_id", "target_id", "kind", "level"
                )
            }

        before, after = levels(self.baseline), levels(self.after)
        self.assertTrue(set(before) - set(after), "no tie is lost")
        self.assertTrue(any(after[key] > level for key, level in before.items() if key in after))

    def test_team_mates_work_together_in_2019(self):
        pairs = {
            frozenset({source, target})
            for source, target in Tie.objects.filter(wave=self.after).values_list("source_id", "target_id")
        }
        for _title, members in partners_demo.team_organizations():
            for index, first in enumerate(members):
                for second in members[index + 1 :]:
                    self.assertIn(frozenset({first.pk, second.pk}), pairs)

    def test_the_survey_is_closed_with_most_of_the_collaborative_submitted(self):
        self.assertEqual(self.survey.status, SurveyStatus.CLOSED)
        self.assertEqual(self.survey.wave, self.after)
        roster = set(self.survey.respondents.values_list("organization__name", flat=True))
        team_names = {name for _title, names in partners_demo.TEAMS for name in names}
        self.assertEqual(roster, team_names | {partners_demo.CENTER})
        submitted = self.survey.respondents.filter(submitted_at__isnull=False).count()
        self.assertTrue(0.7 <= submitted / len(roster) < 1, submitted)
        self.assertFalse(PartnerRating.objects.filter(respondent__submitted_at__isnull=True).exists())

    def test_answers_about_itself_are_from_the_questions_lists(self):
        contributions = {value for value, _label in CONTRIBUTIONS}
        outcomes = {value for value, _label in OUTCOMES}
        for respondent in self.survey.respondents.filter(submitted_at__isnull=False):
            self.assertTrue(respondent.contributions)
            self.assertLessEqual(set(respondent.contributions), contributions)
            self.assertTrue(respondent.outcomes)
            self.assertLessEqual(set(respondent.outcomes), outcomes)
            self.assertIn(respondent.success, range(1, 6))
            self.assertGreater(respondent.submitted_at, respondent.started_at)

    def test_each_submitted_respondent_rates_every_other_member_within_the_ranges(self):
        roster = self.survey.respondents.count()
        for respondent in self.survey.respondents.filter(submitted_at__isnull=False):
            partners = list(respondent.ratings.values_list("partner_id", flat=True))
            self.assertEqual(len(partners), roster - 1)
            self.assertNotIn(respondent.organization_id, partners)
        ratings = PartnerRating.objects.filter(respondent__survey=self.survey)
        items = PartnerRating.TRUST_FIELDS + PartnerRating.VALUE_FIELDS
        for rating in ratings:
            self.assertIn(rating.level, range(0, 6))
            for item in items:
                value = getattr(rating, item)
                if rating.interacts:
                    self.assertIn(value, range(1, 5))
                else:
                    self.assertIsNone(value)
        self.assertTrue(ratings.filter(interacts=False).exists())

    def test_some_pairs_disagree_on_their_level_of_collaboration(self):
        levels = {
            (source, target): level
            for source, target, level in PartnerRating.objects.filter(
                respondent__survey=self.survey, interacts=True
            ).values_list("respondent__organization_id", "partner_id", "level")
        }
        disagreeing = [
            pair for pair, level in levels.items() if abs(levels.get(pair[::-1], level) - level) >= 2
        ]
        self.assertTrue(disagreeing)

    def test_trust_and_value_can_be_computed(self):
        ratings = list(
            PartnerRating.objects.filter(respondent__survey=self.survey)
            .annotate(respondent_organization=F("respondent__organization_id"))
            .values(
                "respondent_organization",
                "partner_id",
                *PartnerRating.TRUST_FIELDS,
                *PartnerRating.VALUE_FIELDS,
            )
        )
        rows = [
            {**row, "respondent": row.pop("respondent_organization"), "partner": row.pop("partner_id")}
            for row in ratings
        ]
        scores = trust_value(rows)
        for measure in ("trust", "value"):
            self.assertTrue(2 <= scores[measure]["network"] <= 4, scores[measure]["network"])
            self.assertEqual(len(scores[measure]["per_organization"]), self.survey.respondents.count())

    def test_one_introduction_is_planned_and_one_made(self):
        introductions = Tie.objects.filter(wave=self.after, provenance=Provenance.INTRODUCTION)
        self.assertEqual(introductions.count(), 2)
        planned = introductions.get(status=TieStatus.PLANNED)
        made = introductions.get(status=TieStatus.ACTIVE)
        self.assertIsNone(planned.made_at)
        self.assertEqual(made.made_at.year, 2019)
        for tie in (planned, made):
            self.assertTrue(tie.reason)
            self.assertEqual({tie.source.sector.family, tie.target.sector.family}, {"health", "labor"})
