"""Completion by rule and by hand, certificate numbers, the PDF (text read back with pypdf), the
public verification page and the participant's download link."""

import io
from datetime import datetime, timedelta
from unittest import mock

from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.training import records
from healthywork.training.models import Attendance, Certificate, Modality
from healthywork.training.tests import factories


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


class CompletionTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        start = timezone.make_aware(datetime(2030, 3, 5, 9, 0))
        cls.training = factories.training(
            "Trabajo y salud",
            modality=Modality.IN_PERSON,
            place="Pilsen",
            starts_at=start,
            ends_at=start + timedelta(days=1, hours=3),
            facilitator_names="Rosa Díaz, Tom Lee",
        )
        cls.both = factories.registration(
            cls.training, "José Núñez Begoña", email="jose@example.org", language="es"
        )
        cls.one = factories.registration(cls.training, "Ann One", email="ann@example.org")
        for day in ("2030-03-05", "2030-03-06"):
            Attendance.objects.create(registration=cls.both, day=day, minutes=180)
        Attendance.objects.create(registration=cls.one, day="2030-03-05", minutes=200)

    def test_the_all_days_rule_completes_only_those_present_every_day(self):
        self.login(self.facilitator)
        response = self.client.post(
            reverse("training:completion", args=[self.training.public_id]), {"rule": "all_days"}
        )
        self.assertEqual(response.status_code, 302)
        self.both.refresh_from_db()
        self.one.refresh_from_db()
        self.assertIsNotNone(self.both.completed_at)
        self.assertIsNone(self.one.completed_at)
        self.assertTrue(Certificate.objects.filter(registration=self.both).exists())
        self.assertTrue(AuditEvent.objects.filter(object_pk=str(self.training.pk), action="change").exists())

    def test_the_minutes_rule_counts_minutes_in_all(self):
        counts = records.mark_complete(
            self.training, records.CompletionRule(min_minutes=200), by=self.administrator
        )
        self.assertEqual(counts, {"completed": 2, "certificates": 2})
        again = records.mark_complete(
            self.training, records.CompletionRule(min_minutes=200), by=self.administrator
        )
        self.assertEqual(again, {"completed": 0, "certificates": 0})

    def test_the_minutes_rule_needs_its_minimum(self):
        self.login(self.facilitator)
        response = self.client.post(
            reverse("training:completion", args=[self.training.public_id]), {"rule": "minutes"}
        )
        self.assertContains(response, "Give the minimum of minutes", status_code=400)
        self.assertFalse(Certificate.objects.exists())

    def test_the_manual_override_completes_and_withdraws(self):
        self.login(self.facilitator)
        url = reverse("training:registration-completion", args=[self.one.public_id])
        self.client.post(url, {"complete": "1"})
        self.one.refresh_from_db()
        self.assertIsNotNone(self.one.completed_at)
        token = self.one.certificate.verify_token
        self.client.post(url, {"complete": "0"})
        self.one.refresh_from_db()
        self.assertIsNone(self.one.completed_at)
        self.client.logout()
        self.assertEqual(
            self.client.get(reverse("training:certificate-verify", args=[token])).status_code, 404
        )

    def test_a_viewer_may_not_complete_anyone(self):
        self.login(self.viewer)
        url = reverse("training:registration-completion", args=[self.one.public_id])
        self.assertEqual(self.client.post(url, {"complete": "1"}).status_code, 404)
        self.login(self.member)
        self.assertEqual(self.client.post(url, {"complete": "1"}).status_code, 404)
        self.one.refresh_from_db()
        self.assertIsNone(self.one.completed_at)

    def test_certificate_numbers_count_up_per_year_and_are_unique(self):
        year = timezone.localdate().year
        records.mark_complete(self.training, records.CompletionRule(min_minutes=1), by=self.administrator)
        numbers = sorted(Certificate.objects.values_list("number", flat=True))
        self.assertEqual(numbers, [f"HW-{year}-0001", f"HW-{year}-0002"])

    def test_a_number_taken_by_a_racing_issuer_is_skipped(self):
        self.both.completed_at = timezone.now()
        self.both.save()
        year = timezone.localdate().year
        real = records._next_number
        calls = []

        # another process took 0001 between our read of the highest number and our write
        Certificate.objects.create(
            registration=factories.registration(self.training, "Racer"), number=f"HW-{year}-0001"
        )

        def stale(y):
            calls.append(y)
            return f"HW-{year}-0001" if len(calls) == 1 else real(y)

        with mock.patch.object(records, "_next_number", stale):
            certificate = records.issue_certificate(self.both, by=self.administrator)
        self.assertEqual(certificate.number, f"HW-{year}-0002")
        with self.assertRaises(IntegrityError):
            Certificate.objects.create(registration=self.one, number=f"HW-{year}-0002")

    def test_the_pdf_holds_the_accented_name_in_spanish(self):
        self.both.completed_at = timezone.now()
        self.both.save()
        certificate = records.issue_certificate(self.both, by=self.administrator)
        self.login(self.facilitator)
        response = self.client.get(reverse("training:certificate", args=[self.both.public_id]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        self.assertIn("José Núñez Begoña", text)
        self.assertIn("Trabajo y salud", text)
        self.assertIn(certificate.number, text)
        self.assertIn("Rosa Díaz, Tom Lee", text)
        self.assertIn(
            reverse("training:certificate-verify", args=[certificate.verify_token]), text.replace("\n", "")
        )
        self.assertIn("6", text)  # 360 minutes = 6.0 hours

    def test_the_pdf_is_in_english_for_an_english_registration(self):
        self.one.completed_at = timezone.now()
        self.one.save()
        certificate = records.issue_certificate(self.one, by=self.administrator)
        self.client.logout()
        response = self.client.get(reverse("training:certificate-download", args=[certificate.verify_token]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Certificate of completion", pdf_text(response.content))

    def test_the_verify_page_is_public_and_unknown_tokens_are_404(self):
        self.both.completed_at = timezone.now()
        self.both.save()
        certificate = records.issue_certificate(self.both, by=self.administrator)
        self.client.logout()
        response = self.client.get(reverse("training:certificate-verify", args=[certificate.verify_token]))
        self.assertContains(response, "José Núñez Begoña")
        self.assertContains(response, "Trabajo y salud")
        self.assertContains(response, certificate.number)
        self.assertEqual(
            self.client.get(reverse("training:certificate-verify", args=["nope"])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("training:certificate-download", args=["nope"])).status_code, 404
        )

    def test_the_staff_certificate_needs_a_manager_and_an_issued_certificate(self):
        url = reverse("training:certificate", args=[self.one.public_id])
        self.assertNeedsLogin(url)
        self.login(self.facilitator)
        self.assertEqual(self.client.get(url).status_code, 404)  # not issued yet
        self.login(self.evaluator)
        self.assertEqual(self.client.get(url).status_code, 404)  # may not see registrations

    def test_an_unfinished_registration_gets_no_certificate(self):
        with self.assertRaisesMessage(Exception, "has not completed"):
            records.issue_certificate(self.one, by=self.administrator)
