"""The public application form: no account, open only while the cohort takes applications,
English or Spanish, rate-limited, a honeypot against bots, an acknowledgement by email."""

from datetime import date, timedelta

from django.core import mail
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from healthywork.collaborative.models import Application
from healthywork.collaborative.tests import factories
from healthywork.core.models import AuditEvent


def application_data(**overrides) -> dict:
    data = {
        "lead_organization_name": "Warehouse Workers for Justice",
        "partner_organizations": "Will County Health Department\n\n  Joliet Clinic  \n",
        "contact_name": "Rosa Díaz",
        "contact_email": "rosa@example.org",
        "contact_phone": "555-0100",
        "other_contacts": "",
        "proposed_focus": "Heat in warehouses",
        "why_now": "A state heat standard is under discussion.",
        "website": "",
    }
    data.update(overrides)
    return data


class ApplyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cohort = factories.cohort(
            "HWC 2018", status="applications", applications_close=timezone.localdate() + timedelta(days=10)
        )

    def setUp(self):
        cache.clear()
        self.url = reverse("collaborative:apply", args=[self.cohort.application_token])

    def test_anyone_can_open_the_form_without_an_account(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Apply to HWC 2018")
        self.assertContains(response, 'name="partner_organizations"')

    def test_an_application_is_saved_acknowledged_and_audited(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url, application_data())
        self.assertRedirects(
            response, reverse("collaborative:apply-thanks", args=[self.cohort.application_token]) + "?lang=en"
        )
        application = Application.objects.get()
        self.assertEqual(application.partner_names, ["Will County Health Department", "Joliet Clinic"])
        self.assertEqual((application.status, application.language), ("submitted", "en"))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["rosa@example.org"])
        self.assertIn("We received your application", mail.outbox[0].subject)
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(application.pk)).exists())
        thanks = self.client.get(response["Location"])
        self.assertContains(thanks, "Thank you for applying")

    def test_in_spanish_the_acknowledgement_is_in_spanish(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url + "?lang=es", application_data(lang="es"))
        self.assertEqual(Application.objects.get().language, "es")
        self.assertIn("Recibimos su solicitud", mail.outbox[0].subject)
        self.assertContains(self.client.get(self.url + "?lang=es"), 'lang="es"')

    def test_missing_fields_are_named_and_nothing_is_saved(self):
        response = self.client.post(
            self.url, application_data(partner_organizations=" \n ", contact_email="nope")
        )
        self.assertEqual(response.status_code, 400)
        errors = response.context["form"].errors
        self.assertIn("partner_organizations", errors)
        self.assertIn("contact_email", errors)
        self.assertContains(response, "Enter a valid email address.", status_code=400)
        self.assertFalse(Application.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_too_many_partners_are_refused_with_the_limit(self):
        names = "\n".join(f"Organization {index}" for index in range(41))
        response = self.client.post(self.url, application_data(partner_organizations=names))
        self.assertContains(response, "Name at most 40 partner organizations.", status_code=400)
        self.assertFalse(Application.objects.exists())

    def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_saved(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url, application_data(website="http://spam.example"))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Application.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_after_the_closing_day_the_form_is_gone(self):
        self.cohort.applications_close = date(2000, 1, 1)
        self.cohort.save()
        response = self.client.get(self.url)
        self.assertContains(response, "Applications are closed", status_code=410)
        self.assertEqual(self.client.post(self.url, application_data()).status_code, 410)
        self.assertFalse(Application.objects.exists())

    def test_a_cohort_not_taking_applications_is_closed(self):
        self.cohort.status = "active"
        self.cohort.save()
        self.assertEqual(self.client.get(self.url).status_code, 410)

    def test_an_unknown_link_is_404(self):
        response = self.client.get(reverse("collaborative:apply", args=["no-such-token"]))
        self.assertContains(response, "This link is not valid", status_code=404)

    def test_submissions_from_one_address_are_limited(self):
        codes = []
        for _index in range(6):
            response = self.client.post(self.url, application_data(website="x"))
            codes.append(response.status_code)
        self.assertEqual(codes, [302] * 5 + [429])
        self.assertTrue(all(key.count(":") >= 3 and "127.0.0.1" not in key for key in cache._cache))

    def test_looking_at_the_form_too_often_is_limited(self):
        codes = {self.client.get(self.url).status_code for _index in range(61)}
        self.assertEqual(codes, {200, 429})
