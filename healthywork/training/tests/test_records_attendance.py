"""The attendance sheet and the participants-file import of a training."""

from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.training import records
from healthywork.training.models import Attendance, Modality, Registration, RegistrationStatus, TrainingStatus
from healthywork.training.tests import factories


def two_day_training(**fields):
    start = timezone.make_aware(datetime(2030, 3, 5, 9, 0))
    return factories.training(
        "Work as a social determinant of health",
        modality=Modality.IN_PERSON,
        place="School of public health",
        starts_at=start,
        ends_at=start + timedelta(days=1, hours=7),
        **fields,
    )


class AttendanceSheetTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.training = two_day_training()
        cls.ana = factories.registration(cls.training, "Ana Núñez", email="ana@example.org")
        cls.ben = factories.registration(cls.training, "Ben Ortiz", email="ben@example.org")
        cls.waiting = factories.registration(cls.training, "Wai Ting", status=RegistrationStatus.WAITLISTED)
        cls.gone = factories.registration(cls.training, "Gone Away", status=RegistrationStatus.CANCELLED)
        cls.url = reverse("training:attendance", args=[cls.training.public_id])

    def test_the_sheet_lists_registered_people_with_a_column_per_day(self):
        self.login(self.facilitator)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ana Núñez")
        self.assertNotContains(response, "Wai Ting")
        self.assertNotContains(response, "Gone Away")
        self.assertContains(response, "2030-03-05")
        self.assertContains(response, "2030-03-06")

    def test_saving_the_sheet_writes_presence_and_minutes_in_one_audit_event(self):
        self.login(self.facilitator)
        data = {
            f"present-{self.ana.pk}-2030-03-05": "1",
            f"minutes-{self.ana.pk}-2030-03-05": "400",
            f"present-{self.ana.pk}-2030-03-06": "1",
            f"present-{self.ben.pk}-2030-03-05": "1",
        }
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Attendance.objects.filter(registration=self.ana).count(), 2)
        self.assertEqual(Attendance.objects.get(registration=self.ana, day="2030-03-05").minutes, 400)
        self.assertEqual(AuditEvent.objects.filter(object_pk=str(self.training.pk)).count(), 1)
        # unticking removes the day
        del data[f"present-{self.ana.pk}-2030-03-06"]
        self.client.post(self.url, data)
        self.assertEqual(Attendance.objects.filter(registration=self.ana).count(), 1)

    def test_bad_minutes_name_the_person_and_change_nothing(self):
        self.login(self.facilitator)
        data = {
            f"present-{self.ana.pk}-2030-03-05": "1",
            f"present-{self.ben.pk}-2030-03-05": "1",
            f"minutes-{self.ben.pk}-2030-03-05": "lots",
        }
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Ben Ortiz, 2030-03-05", status_code=400)
        self.assertFalse(Attendance.objects.exists())

    def test_a_self_paced_training_has_one_material_column(self):
        training = factories.training(modality=Modality.SELF_PACED)
        training.starts_at = training.ends_at = None
        training.save()
        person = factories.registration(training, "Sol")
        self.assertEqual(records.column_keys(training), [records.MATERIAL])
        self.login(self.administrator)
        url = reverse("training:attendance", args=[training.public_id])
        self.assertContains(self.client.get(url), "completed the material")
        self.client.post(url, {f"present-{person.pk}-material": "1"})
        self.assertEqual(Attendance.objects.filter(registration=person).count(), 1)
        self.client.post(url, {f"present-{person.pk}-material": "1", f"minutes-{person.pk}-material": "30"})
        self.assertEqual(Attendance.objects.get(registration=person).minutes, 30)

    def test_it_needs_login_and_a_manager(self):
        self.assertNeedsLogin(self.url)
        for user in (self.member, self.viewer, self.evaluator):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.client.post(self.url, {}).status_code, 403)

    def test_a_team_member_who_facilitates_the_training_may_manage_it(self):
        self.training.facilitators.add(self.member)
        self.login(self.member)
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_an_unknown_training_is_404(self):
        self.login(self.administrator)
        url = reverse("training:attendance", args=["00000000-0000-0000-0000-000000000000"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_draft_the_person_may_not_see_is_a_404(self):
        draft = two_day_training(status=TrainingStatus.DRAFT)
        self.login(self.member)
        for name in ("training:attendance", "training:evaluation"):
            self.assertEqual(self.client.get(reverse(name, args=[draft.public_id])).status_code, 404)
        api = f"/api/v1/training/trainings/{draft.public_id}/attendance"
        self.assertEqual(self.client.get(api).status_code, 404)


ZOOM = (
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
    "Ana Núñez (Ana),ana@example.org,03/05/2030 09:01:00 AM,03/05/2030 12:00:00 PM,179,No\n"
    "Ana Núñez (Ana),ana@example.org,03/05/2030 01:00:00 PM,03/05/2030 04:00:00 PM,180,No\n"
    "Ben Ortiz,ben@example.org,03/06/2030 09:00:00 AM,03/06/2030 10:00:00 AM,60,No\n"
    "Walk In,walkin@example.org,03/06/2030 09:00:00 AM,03/06/2030 10:00:00 AM,45,Yes\n"
)


class ParticipantsImportTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.training = two_day_training()
        cls.ana = factories.registration(cls.training, "Ana Núñez", email="ana@example.org")
        cls.ben = factories.registration(cls.training, "Ben Ortiz", email="ben@example.org")

    def upload(self, text: str, name: str = "participants.csv"):
        self.login(self.facilitator)
        url = reverse("training:attendance-import", args=[self.training.public_id])
        response = self.client.post(url, {"file": SimpleUploadedFile(name, text.encode())})
        self.assertEqual(response.status_code, 302)
        return response["Location"]

    def test_a_zoom_file_is_previewed_then_imported_with_a_walk_in(self):
        preview_url = self.upload(ZOOM)
        response = self.client.get(preview_url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "walkin@example.org")
        self.assertFalse(Attendance.objects.exists())
        response = self.client.post(preview_url, {"confirm": "1", "walk_in": ["walkin@example.org"]})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Attendance.objects.get(registration=self.ana, day="2030-03-05").minutes, 359)
        self.assertTrue(Attendance.objects.filter(registration=self.ben, day="2030-03-06").exists())
        walk_in = Registration.objects.get(training=self.training, email="walkin@example.org")
        self.assertEqual(walk_in.attendance.get().minutes, 45)

    def test_unmatched_rows_are_skipped_unless_chosen(self):
        preview_url = self.upload(ZOOM)
        self.client.post(preview_url, {"confirm": "1"})
        self.assertFalse(Registration.objects.filter(email="walkin@example.org").exists())
        self.assertEqual(Attendance.objects.count(), 2)

    def test_a_bad_row_refuses_the_whole_file(self):
        bad = ZOOM + "Nobody,not-an-email,03/05/2030 09:00:00 AM,,30,No\n"
        bad += "Late,late@example.org,03/09/2030 09:00:00 AM,,30,No\n"
        preview_url = self.upload(bad)
        response = self.client.post(preview_url, {"confirm": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "is not an e-mail address", status_code=400)
        self.assertContains(response, "2030-03-09 is not a day of this training", status_code=400)
        self.assertFalse(Attendance.objects.exists())
        self.assertEqual(Registration.objects.count(), 2)

    def test_teams_style_headers_and_durations_are_understood(self):
        teams = (
            "Full Name,Email,First Join,In-Meeting Duration\n"
            'Ana Núñez,ANA@example.org,"3/5/30, 9:00:00 AM",1h 5m 30s\n'
        )
        preview_url = self.upload(teams)
        self.client.post(preview_url, {"confirm": "1"})
        self.assertEqual(Attendance.objects.get(registration=self.ana).minutes, 66)

    def test_a_file_without_an_email_column_is_refused(self):
        preview_url = self.upload("Name,Minutes\nAna,30\n")
        response = self.client.get(preview_url)
        self.assertContains(response, "no e-mail column", status_code=400)

    def test_header_variants_and_durations(self):
        columns = records.find_columns(
            ["name_(original_name)", "user_email", "duration_(minutes)", "join_time"]
        )
        self.assertEqual(set(columns), {"name", "email", "minutes", "joined"})
        self.assertEqual(records.parse_minutes("01:30:00"), 90)
        self.assertEqual(records.parse_minutes("45 mins"), 45)
        with self.assertRaises(ValueError):
            records.parse_minutes("soon")
