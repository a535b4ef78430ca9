"""`healthywork send_survey_reminders`: reminds those not submitted, at most once per N days."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from healthywork.network.models import Respondent, hash_token
from healthywork.network.tests import factories
from healthywork.partners.tests.factories import organization


class ReminderCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.union = organization("Painters Union")
        cls.clinic = organization("Harbor Clinic", "public-health")
        cls.center = organization("Worker Center", "nonprofit")
        cls.survey = factories.survey(factories.wave(), [cls.union, cls.clinic, cls.center], title="Partners")
        long_ago = timezone.now() - timedelta(days=4)
        Respondent.objects.filter(survey=cls.survey).update(email="x@example.org", invited_at=long_ago)
        Respondent.objects.filter(organization=cls.clinic).update(submitted_at=timezone.now())

    def run_command(self, *args) -> str:
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):  # emails leave when the transaction commits
            call_command("send_survey_reminders", "--base-url", "https://net.example.org", *args, stdout=out)
        return out.getvalue()

    def test_a_dry_run_sends_nothing(self):
        output = self.run_command("--dry-run")
        self.assertIn("Partners: would remind 2", output)
        self.assertIn("Painters Union <x@example.org>", output)
        self.assertEqual(len(mail.outbox), 0)
        self.assertFalse(Respondent.objects.filter(reminders_sent__gt=0).exists())

    def test_it_reminds_those_not_submitted_once_per_interval(self):
        before = Respondent.objects.get(organization=self.union).token_hash
        output = self.run_command()
        self.assertIn("Sent 2 reminders", output)
        self.assertEqual(len(mail.outbox), 2)
        self.assertNotIn("Harbor Clinic", " ".join(message.body for message in mail.outbox))
        union = Respondent.objects.get(organization=self.union)
        self.assertEqual(union.reminders_sent, 1)
        link = [message.body for message in mail.outbox if "Painters Union" in message.body][0]
        token = link.split("https://net.example.org/network/respond/")[1].split("/")[0]
        self.assertEqual(union.token_hash, hash_token(token))
        self.assertNotEqual(union.token_hash, before)

        self.assertIn("Sent 0 reminders", self.run_command())  # again at once: nobody is due
        self.assertEqual(len(mail.outbox), 2)

    def test_the_interval_is_configurable(self):
        self.assertIn("would remind 0", self.run_command("--dry-run", "--days", "5"))
        self.assertIn("would remind 2", self.run_command("--dry-run", "--days", "4"))

    def test_closed_surveys_are_left_alone(self):
        self.survey.status = "closed"
        self.survey.save()
        self.assertIn("Sent 0 reminders in 0 surveys", self.run_command())
        with self.assertRaisesMessage(CommandError, "not open"):
            self.run_command("--survey", str(self.survey.public_id))

    def test_an_unknown_survey_is_an_error(self):
        with self.assertRaisesMessage(CommandError, "No survey has the id"):
            self.run_command("--survey", "nonsense")
