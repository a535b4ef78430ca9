"""`healthywork remind`: registered people of trainings starting within the window, once each."""

import io
from datetime import timedelta
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.utils import timezone

from healthywork.training import reminders
from healthywork.training.models import RegistrationStatus, TrainingStatus
from healthywork.training.tests import factories


class ReminderTests(TestCase):
    def setUp(self):
        now = timezone.now()
        self.soon = factories.training(
            "Tomorrow", starts_at=now + timedelta(hours=20), link="https://m.org/t"
        )
        self.later = factories.training("Next week", starts_at=now + timedelta(days=7))
        self.gone = factories.training(
            "Cancelled", starts_at=now + timedelta(hours=5), status=TrainingStatus.CANCELLED
        )
        self.ana = factories.registration(self.soon, email="ana@x.org", language="es")
        factories.registration(self.soon, email="wait@x.org", status=RegistrationStatus.WAITLISTED)
        factories.registration(self.soon, email="off@x.org", status=RegistrationStatus.CANCELLED)
        factories.registration(self.later, email="later@x.org")
        factories.registration(self.gone, email="gone@x.org")

    def run_command(self, *args) -> str:
        out = io.StringIO()
        call_command(
            "remind", *args, "--base-url", "https://hw.example.org", stdout=out, stderr=io.StringIO()
        )
        return out.getvalue()

    def test_it_reminds_registered_people_once(self):
        output = self.run_command()
        self.assertIn("1 reminders sent", output)
        self.assertEqual([message.to for message in mail.outbox], [["ana@x.org"]])
        self.assertIn("https://m.org/t", mail.outbox[0].body)
        self.assertIn("https://hw.example.org/train/r/", mail.outbox[0].body)
        self.ana.refresh_from_db()
        self.assertIsNotNone(self.ana.reminded_at)
        self.run_command()
        self.assertEqual(len(mail.outbox), 1)

    def test_a_dry_run_sends_nothing_and_marks_nothing(self):
        output = self.run_command("--dry-run")
        self.assertIn("ana@x.org", output)
        self.assertEqual(mail.outbox, [])
        self.ana.refresh_from_db()
        self.assertIsNone(self.ana.reminded_at)

    def test_a_wider_window_reaches_later_trainings(self):
        self.run_command("--hours", str(24 * 8))
        self.assertEqual(sorted(message.to[0] for message in mail.outbox), ["ana@x.org", "later@x.org"])

    def test_a_failed_send_is_tried_again_next_run(self):
        with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("no SMTP")):
            report = reminders.send_reminders(24, base_url="https://hw.example.org")
        self.assertEqual(len(report.failed), 1)
        self.ana.refresh_from_db()
        self.assertIsNone(self.ana.reminded_at)
        self.assertEqual(len(reminders.send_reminders(24, base_url="https://hw.example.org").sent), 1)

    def test_it_needs_the_sites_address(self):
        with self.settings(HEALTHYWORK_BASE_URL=""):
            with self.assertRaises(CommandError):
                call_command("remind", "--base-url", "", stdout=io.StringIO())
