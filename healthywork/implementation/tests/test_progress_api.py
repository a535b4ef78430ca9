"""The milestones, reports and changes API (served by a test API built like healthywork/api.py, so
these tests do not depend on where the project mounts the router)."""

import json
from datetime import date
from decimal import Decimal

from django.test import override_settings
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from healthywork import api as project_api
from healthywork.accounts.api import ApiTokenAuth, SessionAuth
from healthywork.accounts.models import ApiToken
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.implementation.api_overview import router as overview_router
from healthywork.implementation.api_progress import router
from healthywork.implementation.models import Change, MilestoneUpdate
from healthywork.implementation.tests import factories
from healthywork.partners.tests import factories as partners

test_api = NinjaAPI(auth=[ApiTokenAuth(), SessionAuth()], urls_namespace="implementation-progress-api-test")
test_api.add_exception_handler(ValidationError, project_api.validation_error)
test_api.add_exception_handler(AuthenticationError, project_api.authentication_error)
test_api.add_router("/", router)
test_api.add_router("/", overview_router)
urlpatterns = [path("api/test/", test_api.urls)]

API = "/api/test"


@override_settings(ROOT_URLCONF=__name__)
class ProgressApiTest(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.organization = partners.organization(name="Village of Example")
        cls.milestone = factories.milestone(
            cls.team_a, "Draft the ordinance", status="done", completed_on=date(2018, 9, 1)
        )
        cls.report = factories.report(cls.team_a)
        MilestoneUpdate.objects.create(report=cls.report, milestone=cls.milestone, status="done")
        cls.change = factories.change(cls.team_a, workers_reached=9)
        cls.tokens = {
            user.pk: ApiToken.issue(user, "tests")[1]
            for user in [cls.administrator, cls.member_a, cls.member_b, cls.evaluator]
        }

    def call(self, user, method: str, url: str, data=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[user.pk]}"}
        if data is None:
            return getattr(self.client, method)(API + url, **headers)
        return getattr(self.client, method)(
            API + url, data=json.dumps(data), content_type="application/json", **headers
        )

    def team_url(self, what: str, team=None) -> str:
        return f"/implementation/teams/{(team or self.team_a).public_id}/{what}"

    def payload(self, **extra):
        data = {
            "kind": "policy",
            "title": "Wage theft ordinance",
            "level": "local",
            "date": "2019-02-01",
            "organization": str(self.organization.public_id),
            "evidence": "Board minutes",
            "workers_reached": 1200,
        }
        data.update(extra)
        return data

    def test_it_needs_authentication(self):
        self.assertEqual(self.client.get(API + self.team_url("milestones")).status_code, 401)

    def test_the_lists_of_a_visible_team(self):
        milestones = self.call(self.member_a, "get", self.team_url("milestones")).json()
        self.assertEqual(milestones[0]["title"], "Draft the ordinance")
        self.assertEqual(milestones[0]["state"], "on_time")
        reports = self.call(self.member_a, "get", self.team_url("reports")).json()
        self.assertEqual(reports[0]["milestone_updates"][0]["status"], "done")
        changes = self.call(self.evaluator, "get", self.team_url("changes")).json()
        self.assertEqual(changes[0]["workers_reached"], 9)

    def test_another_teams_lists_are_404(self):
        for what in ["milestones", "reports", "changes"]:
            self.assertEqual(self.call(self.member_b, "get", self.team_url(what)).status_code, 404)

    def test_an_editor_records_a_change(self):
        response = self.call(self.member_a, "post", self.team_url("changes"), self.payload())
        self.assertEqual(response.status_code, 201, response.content)
        change = Change.objects.get(public_id=response.json()["id"])
        self.assertEqual(change.organization, self.organization)
        self.assertTrue(AuditEvent.objects.for_object(change).filter(action="create").exists())

    def test_a_bad_change_is_422_naming_the_field(self):
        other = factories.milestone(self.team_b, "B")
        response = self.call(
            self.member_a, "post", self.team_url("changes"), self.payload(milestone=str(other.public_id))
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "milestone")
        response = self.call(self.member_a, "post", self.team_url("changes"), self.payload(kind="wish"))
        self.assertEqual(response.status_code, 422)
        self.assertFalse(Change.objects.filter(title="Wage theft ordinance").exists())

    def test_a_reader_gets_403_and_a_stranger_404(self):
        self.assertEqual(
            self.call(self.evaluator, "post", self.team_url("changes"), self.payload()).status_code, 403
        )
        self.assertEqual(
            self.call(self.member_b, "post", self.team_url("changes"), self.payload()).status_code, 404
        )

    def test_the_cohort_overview(self):
        factories.grant(self.team_a, "10000")
        url = f"/implementation/cohorts/{self.cohort.public_id}/overview"
        data = self.call(self.administrator, "get", url).json()
        self.assertEqual(len(data["teams"]), 2)
        self.assertEqual(data["totals"]["on_time"], 1)
        self.assertEqual(data["totals"]["workers_reached"], 9)
        self.assertEqual(Decimal(data["totals"]["awarded"]), Decimal("10000"))
        data = self.call(self.member_b, "get", url).json()
        self.assertEqual([row["name"] for row in data["teams"]], ["Team B"])
        self.assertEqual(data["teams_in_cohort"], 2)
