"""Session pages: list, detail, create, edit, delete, the calendar file, and materials."""

import shutil
import tempfile
from datetime import UTC

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from healthywork.collaborative.models import Material, Session
from healthywork.collaborative.tests import factories
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent


def session_data(**overrides) -> dict:
    data = {
        "number": 3,
        "title": "Theory of Change",
        "starts_at": "2018-04-12T09:00",
        "ends_at": "2018-04-12T15:00",
        "place": "Labor Education Center, room 2",
        "link": "",
        "objectives": "Draft each team's pathway of outcomes.",
        "agenda": "Welcome\nBackwards mapping\nReport back",
    }
    data.update(overrides)
    return data


class SessionPagesTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = factories.session(cls.cohort, 1, title="Power Mapping", agenda="Welcome\nMapping")

    def test_they_need_login(self):
        self.assertNeedsLogin(reverse("collaborative:session-list", args=[self.cohort.public_id]))
        self.assertNeedsLogin(self.session.get_absolute_url())
        self.assertNeedsLogin(reverse("collaborative:sessions-ics", args=[self.cohort.public_id]))
        self.assertNeedsLogin(reverse("collaborative:session-create", args=[self.cohort.public_id]))

    def test_signed_in_people_read_the_sessions(self):
        self.login(self.viewer)
        response = self.client.get(reverse("collaborative:session-list", args=[self.cohort.public_id]))
        self.assertContains(response, "Power Mapping")
        response = self.client.get(self.session.get_absolute_url())
        self.assertContains(response, "<li>Mapping</li>", html=True)
        self.assertNotContains(response, reverse("collaborative:session-edit", args=[self.session.public_id]))

    def test_read_only_people_get_403_on_writes(self):
        for user in (self.viewer, self.member_a):
            self.login(user)
            urls = [
                reverse("collaborative:session-create", args=[self.cohort.public_id]),
                reverse("collaborative:session-edit", args=[self.session.public_id]),
                reverse("collaborative:session-delete", args=[self.session.public_id]),
                reverse("collaborative:material-add", args=[self.session.public_id]),
                reverse("collaborative:deliverable-create", args=[self.session.public_id]),
            ]
            for url in urls:
                self.assertEqual(self.client.post(url, session_data()).status_code, 403, url)
        self.assertEqual(Session.objects.count(), 1)

    def test_a_facilitator_adds_a_session(self):
        self.login(self.facilitator)
        url = reverse("collaborative:session-create", args=[self.cohort.public_id])
        self.assertContains(self.client.get(url), 'name="number" value="2"')  # the next number
        response = self.client.post(url, session_data(facilitators=[self.facilitator.pk]), follow=True)
        session = Session.objects.get(number=3)
        self.assertRedirects(response, session.get_absolute_url())
        self.assertEqual(list(session.facilitators.all()), [self.facilitator])
        self.assertNotContains(response, "outside the cohort")
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(session.pk)).exists())

    def test_a_date_outside_the_cohort_is_saved_with_a_warning(self):
        self.login(self.facilitator)
        url = reverse("collaborative:session-create", args=[self.cohort.public_id])
        data = session_data(starts_at="2019-03-01T09:00", ends_at="")
        response = self.client.post(url, data, follow=True)
        self.assertTrue(Session.objects.filter(number=3).exists())
        self.assertContains(response, "The session&#x27;s date 2019-03-01 is outside the cohort&#x27;s dates")

    def test_an_end_before_the_start_is_refused_and_changes_nothing(self):
        self.login(self.facilitator)
        url = reverse("collaborative:session-create", args=[self.cohort.public_id])
        response = self.client.post(url, session_data(ends_at="2018-04-12T08:00"))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.context["form"].errors["ends_at"], ["The session ends before it starts."])
        self.assertFalse(Session.objects.filter(number=3).exists())

    def test_a_taken_number_is_refused(self):
        self.login(self.facilitator)
        url = reverse("collaborative:session-create", args=[self.cohort.public_id])
        response = self.client.post(url, session_data(number=1))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.context["form"].errors["number"], ["The cohort already has a session number 1."]
        )

    def test_a_facilitator_edits_and_deletes_a_session(self):
        self.login(self.facilitator)
        edit = reverse("collaborative:session-edit", args=[self.session.public_id])
        response = self.client.post(edit, session_data(number=1, title="Power Mapping I"))
        self.assertRedirects(response, self.session.get_absolute_url())
        self.session.refresh_from_db()
        self.assertEqual(self.session.title, "Power Mapping I")
        delete = reverse("collaborative:session-delete", args=[self.session.public_id])
        self.assertContains(self.client.get(delete), "Delete the session")
        response = self.client.post(delete)
        self.assertRedirects(response, reverse("collaborative:session-list", args=[self.cohort.public_id]))
        self.assertFalse(Session.objects.filter(pk=self.session.pk).exists())
        self.assertTrue(AuditEvent.objects.filter(action="delete", object_pk=str(self.session.pk)).exists())

    def test_the_calendar_file_lists_the_sessions(self):
        factories.session(self.cohort, 2, title="Theory of Change; outcomes", place="Hall, room 2")
        self.login(self.member_b)
        response = self.client.get(reverse("collaborative:sessions-ics", args=[self.cohort.public_id]))
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        text = response.content.decode()
        self.assertTrue(all(len(line.encode()) <= 75 for line in text.split("\r\n")))
        text = text.replace("\r\n ", "")  # unfolded, as a calendar reads it
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\n"))
        self.assertEqual(text.count("BEGIN:VEVENT"), 2)
        starts = self.session.starts_at.astimezone(UTC)
        self.assertIn(f"DTSTART:{starts:%Y%m%dT%H%M%SZ}", text)
        self.assertIn("Session 2: Theory of Change\\; outcomes", text)
        self.assertIn("LOCATION:Hall\\, room 2", text)
        self.assertIn(f"UID:{self.session.public_id}@healthywork", text)


class MaterialTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = factories.session(cls.cohort, 1)

    def setUp(self):
        self.media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        self.enterContext(override_settings(MEDIA_ROOT=self.media))
        self.url = reverse("collaborative:material-add", args=[self.session.public_id])

    def test_a_facilitator_uploads_a_file_that_signed_in_people_download(self):
        self.login(self.facilitator)
        upload = SimpleUploadedFile("worksheet.pdf", b"%PDF-1.4 power map worksheet")
        response = self.client.post(self.url, {"title": "", "file": upload, "url": ""})
        self.assertRedirects(response, self.session.get_absolute_url())
        material = Material.objects.get()
        self.assertEqual(material.title, "worksheet.pdf")
        self.login(self.viewer)
        response = self.client.get(self.session.get_absolute_url())
        download = reverse("collaborative:material-file", args=[self.session.public_id, material.pk])
        self.assertContains(response, download)
        response = self.client.get(download)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 power map worksheet")
        self.assertIn("attachment", response["Content-Disposition"])

    def test_a_link_is_a_material_too_and_can_be_removed(self):
        self.login(self.facilitator)
        self.client.post(self.url, {"title": "Kumu", "url": "https://kumu.io/"})
        material = Material.objects.get()
        self.assertEqual(material.url, "https://kumu.io/")
        remove = reverse("collaborative:material-remove", args=[self.session.public_id, material.pk])
        self.login(self.viewer)
        self.assertEqual(self.client.post(remove).status_code, 403)
        self.login(self.facilitator)
        self.assertRedirects(self.client.post(remove), self.session.get_absolute_url())
        self.assertFalse(Material.objects.exists())

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=10)
    def test_a_file_over_the_limit_is_refused_and_changes_nothing(self):
        self.login(self.facilitator)
        upload = SimpleUploadedFile("big.pdf", b"x" * 2000)
        response = self.client.post(self.url, {"title": "Big", "file": upload})
        self.assertEqual(response.status_code, 400)
        self.assertIn("the limit is", response.context["form"].errors["file"][0])
        self.assertFalse(Material.objects.exists())

    def test_neither_file_nor_link_names_the_field(self):
        self.login(self.facilitator)
        response = self.client.post(self.url, {"title": "Nothing"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.context["form"].errors["file"], ["Upload a file or give a link."])
        self.assertFalse(Material.objects.exists())
