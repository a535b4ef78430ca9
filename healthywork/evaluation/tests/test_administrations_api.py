"""The administrations API and the public answering endpoint."""

import json

from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.evaluation.models import Invitation, Response, ResponseStatus, TimePoint
from healthywork.evaluation.tests import factories
from healthywork.partners.models import Person


class AdministrationApiTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.instrument = factories.instrument(name="knowledge")
        cls.mine = factories.administration(
            cls.instrument,
            title="Team A pre",
            team=cls.team_a,
            time_point=TimePoint.PRE,
            public_link_open=True,
        )
        cls.theirs = factories.administration(cls.instrument, title="Team B pre", team=cls.team_b)
        person = Person.objects.create(name="Secret Name", email="s@example.org")
        cls.invitation = Invitation.objects.create(administration=cls.mine, person=person, name="Secret Name")
        factories.response(cls.mine, {"q1": 4})

    def post(self, token, body):
        return self.client.post(
            f"/api/v1/evaluation/respond/{token}", json.dumps(body), content_type="application/json"
        )

    def test_reads_respect_visibility_and_anonymity(self):
        self.login(self.member_a)
        listing = self.client.get("/api/v1/evaluation/administrations").json()
        self.assertEqual([row["title"] for row in listing["results"]], ["Team A pre"])
        self.assertEqual(
            self.client.get(f"/api/v1/evaluation/administrations/{self.theirs.public_id}").status_code, 404
        )
        detail = self.client.get(f"/api/v1/evaluation/administrations/{self.mine.public_id}").json()
        self.assertEqual(detail["counts"]["invited"], 1)
        self.assertEqual(detail["counts"]["public_complete"], 1)
        responses = self.client.get(
            f"/api/v1/evaluation/administrations/{self.mine.public_id}/responses"
        ).json()
        self.assertEqual(responses["results"][0]["anonymous"], True)
        self.assertIsNone(responses["results"][0]["person"])
        self.assertEqual(responses["results"][0]["answers"], {"q1": 4.0})

    def test_reads_need_a_login(self):
        self.assertEqual(self.client.get("/api/v1/evaluation/administrations").status_code, 401)

    def test_public_answers_are_saved_once_and_checked(self):
        token = self.mine.public_token
        bad = self.post(token, {"answers": {"q1": 9, "zz": 1}, "submission_key": "a1"})
        self.assertEqual(bad.status_code, 422)
        fields = {error["field"] for error in bad.json()["detail"]}
        self.assertEqual(fields, {"answers.q1", "answers.zz"})
        first = self.post(token, {"answers": {"q1": 3, "q2": "4"}, "submission_key": "a1"})
        self.assertEqual(first.json(), {"status": "complete", "duplicate": False, "resume_token": None})
        again = self.post(token, {"answers": {"q1": 3, "q2": "4"}, "submission_key": "a1"})
        self.assertTrue(again.json()["duplicate"])
        self.assertEqual(Response.objects.filter(administration=self.mine).count(), 2)

    def test_a_personal_link_twice_is_a_conflict(self):
        token = self.invitation.token
        saved = self.post(token, {"answers": {"q1": 2}, "submit": False})
        self.assertEqual(saved.json()["status"], ResponseStatus.IN_PROGRESS)
        self.assertEqual(self.post(token, {"answers": {"q1": 2}, "submission_key": "p1"}).status_code, 200)
        self.assertEqual(self.post(token, {"answers": {"q1": 2}, "submission_key": "p2"}).status_code, 409)
        self.assertEqual(Response.objects.filter(invitation=self.invitation).count(), 1)

    def test_an_unknown_token_is_a_404(self):
        self.assertEqual(self.post("nope", {"answers": {}}).status_code, 404)
