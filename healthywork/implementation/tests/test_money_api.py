"""The money API: visibility, grant detail with balance, the 409 beyond the balance unless
confirmed, 403 without permission, 422 naming fields, the assistance list and create."""

import json

from django.test import override_settings
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from healthywork import api as project_api
from healthywork.accounts.api import ApiTokenAuth, SessionAuth
from healthywork.accounts.models import ApiToken
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.implementation.api_money import router
from healthywork.implementation.models import AssistanceLog
from healthywork.implementation.tests import factories

test_api = NinjaAPI(auth=[ApiTokenAuth(), SessionAuth()], urls_namespace="money-api-test")
test_api.add_exception_handler(ValidationError, project_api.validation_error)
test_api.add_exception_handler(AuthenticationError, project_api.authentication_error)
test_api.add_router("/", router)
urlpatterns = [path("api/money-test/", test_api.urls)]

API = "/api/money-test"


@override_settings(ROOT_URLCONF=__name__)
class MoneyApiTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.grant = factories.grant(cls.team_a, "1000")
        factories.disbursement(cls.grant, "400")
        factories.grant(cls.team_b, "50", funder_name="B fund")
        factories.assistance(cls.team_a, "2", topic="Power mapping")
        factories.assistance(cls.team_b, "3", topic="Budgets")
        cls.tokens = {
            user.pk: ApiToken.issue(user, "tests")[1]
            for user in [cls.administrator, cls.facilitator, cls.member_a, cls.member_b]
        }

    def call(self, user, method, url, data=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[user.pk]}"}
        if data is None:
            return getattr(self.client, method)(API + url, **headers)
        return getattr(self.client, method)(
            API + url, data=json.dumps(data), content_type="application/json", **headers
        )

    def test_it_needs_authentication(self):
        self.assertEqual(self.client.get(f"{API}/implementation/grants").status_code, 401)

    def test_grants_are_filtered_by_visibility_and_team(self):
        body = self.call(self.member_a, "get", "/implementation/grants").json()
        self.assertEqual([row["funder"] for row in body["results"]], ["Healthy Work Fund"])
        body = self.call(
            self.administrator, "get", f"/implementation/grants?team={self.team_b.public_id}"
        ).json()
        self.assertEqual([row["funder"] for row in body["results"]], ["B fund"])
        self.assertEqual(
            self.call(
                self.member_a, "get", f"/implementation/grants?team={self.team_b.public_id}"
            ).status_code,
            404,
        )

    def test_grant_detail_with_balance(self):
        body = self.call(self.member_a, "get", f"/implementation/grants/{self.grant.public_id}").json()
        self.assertEqual((body["disbursed"], body["balance"]), ("400.00", "600.00"))
        self.assertEqual(len(body["disbursements"]), 1)
        self.assertEqual(
            self.call(self.member_b, "get", f"/implementation/grants/{self.grant.public_id}").status_code, 404
        )

    def test_disbursement_beyond_the_balance_needs_confirm(self):
        url = f"/implementation/grants/{self.grant.public_id}/disbursements"
        response = self.call(self.facilitator, "post", url, {"amount": "700", "date": "2018-10-01"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["excess"], "100.00")
        self.assertEqual(self.grant.disbursements.count(), 1)
        response = self.call(
            self.facilitator, "post", url, {"amount": "700", "date": "2018-10-01", "confirm": True}
        )
        self.assertEqual(response.status_code, 201)
        self.assertTrue(response.json()["over_award_confirmed"])

    def test_disbursement_permissions_and_validation(self):
        url = f"/implementation/grants/{self.grant.public_id}/disbursements"
        self.assertEqual(
            self.call(self.member_a, "post", url, {"amount": "1", "date": "2018-10-01"}).status_code, 403
        )
        self.assertEqual(
            self.call(self.member_b, "post", url, {"amount": "1", "date": "2018-10-01"}).status_code, 404
        )
        response = self.call(self.administrator, "post", url, {"amount": "-1", "date": "1800-01-01"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual({error["field"] for error in response.json()["detail"]}, {"amount", "date"})

    def test_assistance_list_and_create(self):
        body = self.call(self.member_a, "get", "/implementation/assistance").json()
        self.assertEqual([row["topic"] for row in body["results"]], ["Power mapping"])
        body = self.call(self.administrator, "get", "/implementation/assistance?topic=budg").json()
        self.assertEqual(body["count"], 1)
        data = {
            "team": str(self.team_a.public_id),
            "provider": "Ana",
            "date": "2018-09-01",
            "hours": "1.5",
            "mode": "video",
            "topic": "Messaging",
            "kind": "content",
        }
        self.assertEqual(
            self.call(self.member_a, "post", "/implementation/assistance", data).status_code, 403
        )
        response = self.call(self.facilitator, "post", "/implementation/assistance", data)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertTrue(AssistanceLog.objects.filter(topic="Messaging").exists())
        response = self.call(
            self.facilitator, "post", "/implementation/assistance", {**data, "hours": "0", "mode": "fax"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual({error["field"] for error in response.json()["detail"]}, {"hours", "mode"})
