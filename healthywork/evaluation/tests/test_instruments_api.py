import json

from healthywork.accounts.models import ApiToken
from healthywork.core.tests.base import PersonaTestCase
from healthywork.evaluation import instrument_format
from healthywork.evaluation.models import Instrument

API = "/api/v1"


class InstrumentApiTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tokens = {user.pk: ApiToken.issue(user, "tests")[1] for user in [cls.evaluator, cls.viewer]}

    def call(self, user, method: str, path: str, data=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[user.pk]}"}
        if data is None:
            return getattr(self.client, method)(API + path, **headers)
        return getattr(self.client, method)(
            API + path, data=json.dumps(data), content_type="application/json", **headers
        )

    def test_it_needs_authentication(self):
        self.assertEqual(self.client.get(f"{API}/evaluation/instruments").status_code, 401)

    def test_it_lists_and_returns_a_definition(self):
        body = self.call(self.viewer, "get", "/evaluation/instruments?page_size=50").json()
        names = {row["name"]: row for row in body["results"]}
        self.assertEqual(names["epres"]["items"], 0)
        self.assertEqual(names["kirkpatrick-reaction"]["items"], 8)
        definition = self.call(self.viewer, "get", "/evaluation/instruments/levels-of-collaboration").json()
        self.assertEqual(definition["format"], "healthywork-instrument")
        self.assertEqual(len(definition["items"][0]["choices"]), 6)
        self.assertEqual(self.call(self.viewer, "get", "/evaluation/instruments/nothing").status_code, 404)

    def test_an_evaluator_imports_a_definition(self):
        document = instrument_format.definition_of(Instrument.objects.get(name="kirkpatrick-reaction"))
        response = self.call(self.evaluator, "post", "/evaluation/instruments/import", document)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["suggested_name"], "kirkpatrick-reaction-2")
        response = self.call(
            self.evaluator, "post", "/evaluation/instruments/import?name=reaction-b", document
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["items"], 8)
        self.assertTrue(Instrument.objects.filter(name="reaction-b").exists())

    def test_a_bad_definition_is_a_422_naming_the_item(self):
        document = instrument_format.definition_of(Instrument.objects.get(name="kirkpatrick-reaction"))
        document["items"][0]["kind"] = "slider"
        response = self.call(
            self.evaluator, "post", "/evaluation/instruments/import?name=reaction-c", document
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "items[1]", response.json())
        self.assertFalse(Instrument.objects.filter(name="reaction-c").exists())

    def test_a_viewer_cannot_import(self):
        document = instrument_format.definition_of(Instrument.objects.get(name="epres"))
        response = self.call(self.viewer, "post", "/evaluation/instruments/import?name=x", document)
        self.assertEqual(response.status_code, 403)
