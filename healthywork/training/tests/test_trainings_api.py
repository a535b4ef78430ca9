"""The trainings API: public fields, drafts hidden, registrations for those who manage the
training (403 otherwise), a staff registration (seat or waitlist, 409 on a duplicate, 422 naming
fields)."""

import json

from django.core import mail
from django.test import override_settings
from django.urls import include, path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from healthywork import api as project_api
from healthywork.accounts.api import ApiTokenAuth, SessionAuth
from healthywork.accounts.models import ApiToken
from healthywork.core.tests.base import PersonaTestCase
from healthywork.training.api_trainings import router
from healthywork.training.models import RegistrationStatus, TrainingStatus
from healthywork.training.tests import factories

test_api = NinjaAPI(auth=[ApiTokenAuth(), SessionAuth()], urls_namespace="trainings-api-test")
test_api.add_exception_handler(ValidationError, project_api.validation_error)
test_api.add_exception_handler(AuthenticationError, project_api.authentication_error)
test_api.add_router("/", router)
urlpatterns = [
    path("api/trainings-test/", test_api.urls),
    path("train/", include("healthywork.training.urls")),
]

API = "/api/trainings-test"


@override_settings(ROOT_URLCONF=__name__)
class TrainingsApiTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.webinar = factories.training("Webinar", capacity=1, link="https://m.org/secret")
        cls.draft = factories.training("Draft", status=TrainingStatus.DRAFT)
        factories.registration(cls.webinar, email="first@x.org")
        cls.tokens = {
            user.pk: ApiToken.issue(user, "tests")[1]
            for user in [cls.administrator, cls.facilitator, cls.viewer]
        }

    def call(self, user, method, url, data=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[user.pk]}"}
        if data is None:
            return getattr(self.client, method)(API + url, **headers)
        return getattr(self.client, method)(
            API + url, data=json.dumps(data), content_type="application/json", **headers
        )

    def test_it_needs_authentication(self):
        self.assertEqual(self.client.get(f"{API}/training/trainings").status_code, 401)

    def test_the_list_has_public_fields_and_no_strangers_drafts(self):
        body = self.call(self.viewer, "get", "/training/trainings").json()
        self.assertEqual([row["title"] for row in body["results"]], ["Webinar"])
        self.assertNotIn("link", body["results"][0])
        body = self.call(self.administrator, "get", "/training/trainings").json()
        self.assertEqual(body["count"], 2)

    def test_the_detail_counts_seats(self):
        body = self.call(self.viewer, "get", f"/training/trainings/{self.webinar.public_id}").json()
        self.assertEqual((body["registered"], body["seats_left"]), (1, 0))
        self.assertEqual(
            self.call(self.viewer, "get", f"/training/trainings/{self.draft.public_id}").status_code, 404
        )

    def test_registrations_are_for_managers_only(self):
        url = f"/training/trainings/{self.webinar.public_id}/registrations"
        self.assertEqual(self.call(self.viewer, "get", url).status_code, 403)
        body = self.call(self.facilitator, "get", url).json()
        self.assertEqual([row["email"] for row in body], ["first@x.org"])

    def test_staff_register_someone_onto_the_waitlist_and_a_duplicate_is_409(self):
        url = f"/training/trainings/{self.webinar.public_id}/registrations"
        with self.captureOnCommitCallbacks(execute=True):
            response = self.call(self.administrator, "post", url, {"name": "Dos", "email": "dos@x.org"})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status"], RegistrationStatus.WAITLISTED)
        self.assertEqual(response.json()["waitlist_position"], 1)
        self.assertEqual(len(mail.outbox), 1)
        response = self.call(self.administrator, "post", url, {"name": "Dos", "email": "DOS@x.org"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(
            self.call(self.viewer, "post", url, {"name": "X", "email": "x@x.org"}).status_code, 403
        )

    def test_bad_fields_are_named(self):
        url = f"/training/trainings/{self.webinar.public_id}/registrations"
        response = self.call(self.administrator, "post", url, {"name": "", "email": "nope", "language": "fr"})
        self.assertEqual(response.status_code, 422)
        fields = {error["field"] for error in response.json()["detail"]}
        self.assertEqual(fields, {"name", "email", "language"})


class MountedApiTests(PersonaTestCase):
    def test_the_router_is_mounted_under_api_v1(self):
        factories.training("Mounted")
        self.login(self.viewer)
        body = self.client.get("/api/v1/training/trainings").json()
        self.assertEqual([row["title"] for row in body["results"]], ["Mounted"])
