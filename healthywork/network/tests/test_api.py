"""The network's JSON API under /api/v1/network/."""

import json

from django.utils import timezone

from healthywork.accounts.models import ApiToken
from healthywork.catalog.tests import factories as catalog_factories
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.network.models import Tie
from healthywork.network.tests import factories
from healthywork.partners.tests import factories as partner_factories

API = "/api/v1"


class NetworkApiTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.wave = factories.wave("Baseline 2017")
        cls.clinic = partner_factories.organization("Clinic", "public-health")
        cls.union = partner_factories.organization("Union", "labor")
        cls.lawyers = partner_factories.organization("Lawyers", "legal")
        cls.stored = factories.tie(cls.wave, cls.clinic, cls.lawyers, kind="referrals", level=2)
        catalog_factories.initiative("Heat standard", cls.union, partners=[(cls.lawyers, "partner")])
        cls.tokens = {
            user.pk: ApiToken.issue(user, "tests")[1]
            for user in [cls.administrator, cls.facilitator, cls.viewer]
        }

    def call(self, user, method: str, path: str, data=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[user.pk]}"}
        if data is None:
            return getattr(self.client, method)(API + path, **headers)
        return getattr(self.client, method)(
            API + path, data=json.dumps(data), content_type="application/json", **headers
        )


class ReadingTests(NetworkApiTestCase):
    def test_it_needs_authentication(self):
        self.assertEqual(self.client.get(f"{API}/network/waves").status_code, 401)

    def test_ties_include_the_derived_ones_with_their_evidence(self):
        body = self.call(self.viewer, "get", f"/network/waves/{self.wave.public_id}/ties").json()
        self.assertEqual(body["count"], 2)
        derived = [row for row in body["results"] if row["is_derived"]]
        self.assertEqual(derived[0]["provenance"], "initiative")
        self.assertEqual(derived[0]["evidence"], "Heat standard")
        self.assertIsNone(derived[0]["id"])
        body = self.call(
            self.viewer, "get", f"/network/waves/{self.wave.public_id}/ties?derived=false"
        ).json()
        self.assertEqual([row["id"] for row in body["results"]], [str(self.stored.public_id)])

    def test_metrics_carry_the_analyze_network_keys(self):
        body = self.call(self.viewer, "get", f"/network/waves/{self.wave.public_id}/metrics").json()
        for key in ("nodes", "ties", "density", "degree_centralization", "reciprocity", "ei_index"):
            self.assertIn(key, body)
        self.assertEqual((body["nodes"], body["ties"]), (3, 2))
        self.assertAlmostEqual(body["density"], 2 / 3)
        self.assertEqual(body["ei_index"], 1.0)  # three sectors: both ties cross

    def test_a_bad_grouping_is_named(self):
        response = self.call(self.viewer, "get", f"/network/waves/{self.wave.public_id}/metrics?group_by=x")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "group_by")


class WritingTests(NetworkApiTestCase):
    def test_a_facilitator_stores_a_tie_and_it_is_audited(self):
        response = self.call(
            self.facilitator,
            "post",
            f"/network/waves/{self.wave.public_id}/ties",
            {"source": str(self.clinic.public_id), "target": str(self.union.public_id), "level": 3},
        )
        self.assertEqual(response.status_code, 201, response.content)
        tie = Tie.objects.get(public_id=response.json()["id"])
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(tie.pk)).exists())

    def test_a_self_tie_and_a_level_out_of_range_are_named(self):
        before = Tie.objects.count()
        response = self.call(
            self.facilitator,
            "post",
            f"/network/waves/{self.wave.public_id}/ties",
            {"source": str(self.clinic.public_id), "target": str(self.clinic.public_id), "level": 7},
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual({row["field"] for row in response.json()["detail"]}, {"level"})
        response = self.call(
            self.facilitator,
            "post",
            f"/network/waves/{self.wave.public_id}/ties",
            {"source": str(self.clinic.public_id), "target": str(self.clinic.public_id)},
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "target")
        self.assertEqual(Tie.objects.count(), before)

    def test_a_viewer_may_not_store_or_remove_ties(self):
        response = self.call(
            self.viewer,
            "post",
            f"/network/waves/{self.wave.public_id}/ties",
            {"source": str(self.clinic.public_id), "target": str(self.union.public_id)},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            self.call(self.viewer, "delete", f"/network/ties/{self.stored.public_id}").status_code, 403
        )
        self.assertEqual(
            self.call(self.facilitator, "delete", f"/network/ties/{self.stored.public_id}").status_code, 204
        )


class SurveyTests(NetworkApiTestCase):
    def test_response_rates_for_administrators_only(self):
        survey = factories.survey(self.wave, [self.clinic, self.union], title="PARTNER 2017")
        respondent = survey.respondents.get(organization=self.clinic)
        respondent.submitted_at = timezone.now()
        respondent.save()
        self.assertEqual(self.call(self.facilitator, "get", "/network/surveys").status_code, 403)
        body = self.call(self.administrator, "get", "/network/surveys").json()
        self.assertEqual((body[0]["roster"], body[0]["submitted"], body[0]["response_rate"]), (2, 1, 50))
