"""The demo training program loads, has what the brief promises, and loading twice changes nothing."""

import tempfile
from io import StringIO

from django.test import TestCase, override_settings

from healthywork.accounts import demo as accounts_demo
from healthywork.evaluation.models import Instrument, Response
from healthywork.partners import demo as partners_demo
from healthywork.training import demo
from healthywork.training.models import (
    Attendance,
    Certificate,
    Modality,
    Registration,
    RegistrationStatus,
    Training,
)

DATA_DIR = tempfile.mkdtemp(prefix="healthywork-training-demo-")


def state() -> dict[str, object]:
    return {
        "trainings": set(Training.objects.values_list("pk", "slug", "updated_at")),
        "registrations": set(Registration.objects.values_list("pk", "status", "completed_at")),
        "attendance": set(Attendance.objects.values_list("pk", "day", "minutes")),
        "certificates": set(Certificate.objects.values_list("pk", "number")),
        "responses": Response.objects.count(),
    }


@override_settings(DATA_DIR=DATA_DIR)
class TrainingDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for module in (accounts_demo, partners_demo):
            module.load(stdout=StringIO())
        output = StringIO()
        demo.load(stdout=output)
        cls.output = output.getvalue()

    def test_the_program_has_videos_a_webinar_a_journal_club_and_a_bilingual_training(self):
        trainings = Training.objects.all()
        self.assertEqual(trainings.filter(modality=Modality.SELF_PACED, series=demo.SERIES).count(), 4)
        self.assertTrue(trainings.filter(modality=Modality.ONLINE, title__startswith="Webinar").exists())
        self.assertTrue(trainings.filter(title__startswith="Journal club").exists())
        self.assertTrue(trainings.filter(language="en es", modality=Modality.IN_PERSON).exists())

    def test_registrations_attendance_completions_and_certificates(self):
        registrations = Registration.objects.all()
        self.assertGreaterEqual(registrations.count(), 55)
        self.assertTrue(registrations.filter(status=RegistrationStatus.WAITLISTED).exists())
        self.assertTrue(registrations.filter(status=RegistrationStatus.CANCELLED).exists())
        self.assertTrue(registrations.filter(person__isnull=False).exists())
        self.assertTrue(registrations.filter(language="es").exists())
        self.assertGreater(Attendance.objects.count(), 30)
        completed = registrations.filter(completed_at__isnull=False)
        self.assertGreater(completed.count(), 20)
        self.assertEqual(Certificate.objects.count(), completed.count())

    def test_the_in_person_training_has_feedback_responses(self):
        if not Instrument.objects.filter(name="kirkpatrick-reaction").exists():
            self.skipTest("the shipped reaction instrument is not installed")
        training = Training.objects.get(slug=demo.FEEDBACK_TRAINING)
        administration = training.feedback_administration
        self.assertIsNotNone(administration)
        self.assertGreater(administration.responses.count(), 5)
        self.assertTrue(administration.responses.first().answers.exists())

    def test_loading_twice_changes_nothing(self):
        before = state()
        demo.load(stdout=StringIO())
        self.assertEqual(state(), before)
