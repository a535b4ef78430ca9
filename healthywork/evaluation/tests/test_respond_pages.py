"""The answering pages: public, personal and resume links; errors, double submissions, closing."""

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from healthywork.core.models import AuditEvent
from healthywork.evaluation.models import Answer, Invitation, Item, ItemKind, Response, ResponseStatus
from healthywork.evaluation.tests import factories
from healthywork.partners.models import Person


class RespondPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.instrument = factories.instrument(dimensions={"all": ["q1", "q2"]})
        item = cls.instrument.items.get(code="q1")
        item.text_es = "Enunciado uno"
        item.required = True
        item.save()
        for code in ("m1", "m2"):
            Item.objects.create(
                instrument=cls.instrument,
                code=code,
                text=f"Row {code}",
                kind=ItemKind.MATRIX,
                group="grid",
                choices=factories.LIKERT5,
                position=10,
            )
        cls.administration = factories.administration(cls.instrument, public_link_open=True)
        cls.person = Person.objects.create(name="Ana Ruiz", email="ana@example.org")
        cls.invitation = Invitation.objects.create(
            administration=cls.administration, person=cls.person, name="Ana Ruiz", language="es"
        )

    def public_url(self, **query):
        url = reverse("evaluation:respond-public", args=[self.administration.public_token])
        return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def post(self, url, key="key-1", action="submit", **answers):
        data = {"submission_key": key, "action": action, "lang": "en"}
        data.update({f"q-{code}": value for code, value in answers.items()})
        return self.client.post(url, data)

    def test_the_public_page_needs_no_login_and_is_not_cached(self):
        page = self.client.get(self.public_url())
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "<fieldset", html=False)
        self.assertContains(page, 'scope="row"', html=False)
        self.assertContains(page, 'name="submission_key"', html=False)
        self.assertIn("no-cache", page["Cache-Control"])

    def test_it_shows_spanish_text(self):
        page = self.client.get(self.public_url(lang="es"))
        self.assertContains(page, "Enunciado uno")
        self.assertContains(page, "Totalmente de acuerdo")

    def test_the_introduction_is_shown_in_the_respondents_language(self):
        self.administration.introduction = "Five minutes; answers reported in summary only."
        self.administration.introduction_es = "Cinco minutos; respuestas solo en resumen."
        self.administration.save()
        self.assertContains(self.client.get(self.public_url()), "Five minutes; answers reported")
        spanish = self.client.get(self.public_url(lang="es"))
        self.assertContains(spanish, "Cinco minutos; respuestas solo en resumen.")
        self.assertNotContains(spanish, "Five minutes")

    def test_an_out_of_range_answer_reshows_the_form_naming_the_item(self):
        page = self.post(self.public_url(), q1="9", q2="3")
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "q1", status_code=400)
        self.assertContains(page, "is not one of its choices", status_code=400)
        self.assertEqual(Response.objects.count(), 0)

    def test_a_double_submission_is_saved_once(self):
        first = self.post(self.public_url(), q1="4", q2="3", m1="2")
        self.assertContains(first, "Thank you")
        again = self.post(self.public_url(), q1="4", q2="3", m1="2")
        self.assertContains(again, "We already have your answers")
        self.assertEqual(Response.objects.count(), 1)
        response = Response.objects.get()
        self.assertEqual(response.respondent_key, "")
        self.assertIsNone(response.person_id)
        self.assertEqual(Answer.objects.count(), 3)
        event = AuditEvent.objects.filter(object_pk=str(response.pk)).get()
        self.assertIsNone(event.actor_id)
        self.assertNotIn("127.0.0.1", str(event.changes) + event.object_repr + event.note)

    def test_save_and_resume(self):
        saved = self.post(self.public_url(), key="", action="save", q2="2")
        self.assertContains(saved, "Your answers are saved")
        response = Response.objects.get()
        self.assertEqual(response.status, ResponseStatus.IN_PROGRESS)
        resume = reverse("evaluation:respond-resume", args=[response.resume_token])
        self.assertContains(saved, resume)
        page = self.client.get(resume)
        self.assertContains(page, 'value="2" checked', html=False)
        done = self.post(resume, key="key-2", q1="5", q2="2")
        self.assertContains(done, "Thank you")
        response.refresh_from_db()
        self.assertEqual(response.status, ResponseStatus.COMPLETE)
        self.assertContains(self.client.get(resume), "You have already answered")

    def test_a_closed_link_says_when_it_closed(self):
        self.administration.opens_at = timezone.now() - timedelta(days=5)
        self.administration.closes_at = timezone.now() - timedelta(days=1)
        self.administration.save()
        page = self.client.get(self.public_url())
        self.assertEqual(page.status_code, 410)
        self.assertContains(page, "closed on", status_code=410)
        self.assertEqual(self.post(self.public_url(), q1="3").status_code, 410)
        self.assertEqual(Response.objects.count(), 0)

    def test_a_personal_link_is_answered_once(self):
        url = reverse("evaluation:respond-personal", args=[self.invitation.token])
        page = self.client.get(url)
        self.assertContains(page, "Enunciado uno")  # the invitation's language
        self.assertContains(self.post(url, q1="3"), "Thank you")
        response = Response.objects.get()
        self.assertEqual(response.respondent_key, f"person:{self.person.pk}")
        with translation.override("es"):  # the invitation's language
            already = gettext("You have already answered")
        self.assertContains(self.client.get(url), already)
        self.post(url, key="key-other", q1="1")
        self.assertEqual(Response.objects.count(), 1)

    def test_the_match_code_is_stored_in_upper_case(self):
        self.administration.ask_match_code = True
        self.administration.save()
        page = self.post(self.public_url(), q1="3")
        self.assertContains(page, "matching code", status_code=400)
        self.client.post(
            self.public_url(),
            {"submission_key": "k9", "action": "submit", "q-q1": "3", "match_code": "ab-03"},
        )
        self.assertEqual(Response.objects.get().respondent_key, "code:AB03")

    def test_a_wrong_token_is_a_404(self):
        page = self.client.get(reverse("evaluation:respond-public", args=["nope"]))
        self.assertEqual(page.status_code, 404)
        self.administration.public_link_open = False
        self.administration.save()
        self.assertEqual(self.client.get(self.public_url()).status_code, 404)
