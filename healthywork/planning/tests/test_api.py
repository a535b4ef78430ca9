"""The planning JSON API: visibility, the serialised artifacts, snapshots and their difference,
the theory's validation, and the concurrent-safe actor write (409 on a conflict, 422 on ranges).

The router is served here by a test API built like healthywork/api.py (same authentication and
error handlers), so these tests do not depend on where the project mounts it."""

import json

from django.test import override_settings
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from healthywork import api as project_api
from healthywork.accounts.api import ApiTokenAuth, SessionAuth
from healthywork.accounts.models import ApiToken
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.planning import snapshots
from healthywork.planning.api import router
from healthywork.planning.models import Actor
from healthywork.planning.tests import factories
from healthywork.urls import urlpatterns as project_urlpatterns

test_api = NinjaAPI(auth=[ApiTokenAuth(), SessionAuth()], urls_namespace="planning-api-test")
test_api.add_exception_handler(ValidationError, project_api.validation_error)
test_api.add_exception_handler(AuthenticationError, project_api.authentication_error)
test_api.add_router("/", router)
urlpatterns = [path("api/planning-test/", test_api.urls), *project_urlpatterns]

API = "/api/planning-test"


@override_settings(ROOT_URLCONF=__name__)
class PlanningApiTestCase(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.power_map = factories.power_map(cls.team_a)
        cls.council = factories.actor(cls.power_map, "City Council", 6, 1)
        cls.first = snapshots.take_snapshots(None, [cls.team_a], label="First", by=cls.facilitator)[0]
        cls.council.power = 8
        cls.council.save()
        cls.power_map.bump(cls.facilitator)
        cls.second = snapshots.take_snapshots(None, [cls.team_a], label="Second", by=cls.facilitator)[0]
        theory = factories.theory(cls.team_b)
        factories.outcome(theory, "Orphan outcome")
        cls.tokens = {
            user.pk: ApiToken.issue(user, "tests")[1]
            for user in [cls.administrator, cls.facilitator, cls.member_a, cls.member_b, cls.evaluator]
        }

    def call(self, user, method: str, url: str, data=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[user.pk]}"}
        if data is None:
            return getattr(self.client, method)(API + url, **headers)
        return getattr(self.client, method)(
            API + url, data=json.dumps(data), content_type="application/json", **headers
        )


class ReadingTests(PlanningApiTestCase):
    def test_it_needs_authentication(self):
        self.assertEqual(self.client.get(f"{API}/planning/teams").status_code, 401)

    def test_the_openapi_description_lists_the_planning_paths(self):
        schema = self.call(self.member_a, "get", "/openapi.json").json()
        self.assertIn("/api/planning-test/planning/teams/{public_id}/snapshots/diff", schema["paths"])
        self.assertIn("/api/planning-test/planning/teams/{public_id}/powermap/actors", schema["paths"])

    def test_teams_with_their_versions(self):
        rows = self.call(self.member_a, "get", "/planning/teams").json()
        self.assertEqual([row["name"] for row in rows], ["Team A"])
        self.assertEqual(rows[0]["versions"]["power_map"], 2)
        self.assertIsNone(rows[0]["versions"]["theory_of_change"])
        everything = self.call(self.facilitator, "get", "/planning/teams").json()
        self.assertEqual(len(everything), 2)

    def test_the_power_map_as_json(self):
        body = self.call(self.member_a, "get", f"/planning/teams/{self.team_a.public_id}/powermap").json()
        self.assertEqual(body["version"], 2)
        self.assertEqual(body["data"]["actors"][0]["name"], "City Council")
        self.assertEqual(body["data"]["actors"][0]["power"], 8)

    def test_another_teams_work_is_404(self):
        team = self.team_a.public_id
        for url in [
            f"/planning/teams/{team}/powermap",
            f"/planning/teams/{team}/snapshots",
            f"/planning/snapshots/{self.first.public_id}",
            f"/planning/teams/{team}/snapshots/diff?a={self.first.public_id}&b={self.second.public_id}",
        ]:
            self.assertEqual(self.call(self.member_b, "get", url).status_code, 404, url)

    def test_an_artifact_not_started_is_404_with_a_message(self):
        response = self.call(self.member_a, "get", f"/planning/teams/{self.team_a.public_id}/plan")
        self.assertEqual(response.status_code, 404)
        self.assertIn("not started", response.json()["detail"])

    def test_the_theory_validation(self):
        body = self.call(
            self.member_b, "get", f"/planning/teams/{self.team_b.public_id}/toc/validation"
        ).json()
        self.assertGreaterEqual(body["errors"], 1)
        self.assertTrue(any("Orphan outcome" in finding["message"] for finding in body["findings"]))

    def test_snapshots_and_their_difference(self):
        team = self.team_a.public_id
        listed = self.call(self.member_a, "get", f"/planning/teams/{team}/snapshots").json()
        self.assertEqual([row["label"] for row in listed], ["First", "Second"])
        detail = self.call(self.member_a, "get", f"/planning/snapshots/{self.first.public_id}").json()
        self.assertEqual(detail["data"]["actors"][0]["power"], 6)
        url = f"/planning/teams/{team}/snapshots/diff?a={self.first.public_id}&b={self.second.public_id}"
        body = self.call(self.member_a, "get", url).json()
        self.assertEqual([change["message"] for change in body["changes"]], ["Power of City Council: 6 → 8"])
        self.assertEqual(body["changed"], 1)

    def test_a_bad_diff_names_the_field(self):
        team = self.team_a.public_id
        unknown = "5b7a4c6e-0000-4000-8000-000000000000"
        url = f"/planning/teams/{team}/snapshots/diff?a={self.first.public_id}&b={unknown}"
        response = self.call(self.member_a, "get", url)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "b")


class ActorWriteTests(PlanningApiTestCase):
    def url(self, team=None):
        return f"/planning/teams/{(team or self.team_a).public_id}/powermap/actors"

    def payload(self, **changes):
        return {"name": "Mayor", "kind": "decision_maker", "power": 9, "stance": -2, "is_target": True,
                "version": 2, **changes}  # fmt: skip

    def test_it_adds_an_actor_and_bumps_the_version(self):
        response = self.call(self.member_a, "post", self.url(), self.payload())
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["name"], body["power"], body["stance"], body["version"]), ("Mayor", 9, -2, 3))
        self.assertTrue(AuditEvent.objects.filter(action="create", content_type__model="actor").exists())

    def test_an_older_version_is_a_409_with_both_versions(self):
        response = self.call(self.member_a, "post", self.url(), self.payload(version=1))
        self.assertEqual(response.status_code, 409)
        body = response.json()
        self.assertEqual((body["read_version"], body["current_version"]), (1, 2))
        self.assertIn("saved a newer version", body["detail"])
        self.assertEqual(body["yours"]["name"], "Mayor")
        self.assertTrue(body["theirs"])
        self.assertFalse(Actor.objects.filter(name="Mayor").exists())

    def test_out_of_range_power_and_stance_are_422_naming_the_field(self):
        response = self.call(self.member_a, "post", self.url(), self.payload(power=11, stance=-6))
        self.assertEqual(response.status_code, 422)
        fields = sorted(error["field"] for error in response.json()["detail"])
        self.assertEqual(fields, ["power", "stance"])
        self.assertFalse(Actor.objects.filter(name="Mayor").exists())

    def test_a_reader_gets_403_and_a_stranger_404(self):
        self.assertEqual(self.call(self.evaluator, "post", self.url(), self.payload()).status_code, 403)
        self.assertEqual(self.call(self.member_b, "post", self.url(), self.payload()).status_code, 404)
        self.assertFalse(Actor.objects.filter(name="Mayor").exists())

    def test_a_first_actor_starts_the_map(self):
        response = self.call(self.member_b, "post", self.url(self.team_b), self.payload(version=1))
        self.assertEqual(response.status_code, 201, response.content)
