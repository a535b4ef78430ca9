"""Staff pages: list, detail, create, edit, cancel, delete, materials, registrations."""

import io
import tempfile

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.training.models import Registration, RegistrationStatus, Training, TrainingStatus
from healthywork.training.tests import factories


def training_data(**extra) -> dict:
    return {
        "title": "Journal club: precarious work",
        "slug": "",
        "description": "We read one paper.",
        "series": "Journal club",
        "topics": "precarious work, health",
        "modality": "online",
        "starts_at": "2030-05-01T12:00",
        "ends_at": "2030-05-01T13:00",
        "place": "",
        "link": "https://meet.example.org/jc",
        "capacity": "20",
        "facilitator_names": "Dr. Rivera",
        "language": "en",
        "registration_closes_at": "",
        "status": "published",
        "completion_rule": "",
        **extra,
    }


class TrainingPagesTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.webinar = factories.training(
            "Webinar on PSE change", series="Webinars", capacity=1, link="https://m.org/x"
        )
        cls.draft = factories.training("Draft workshop", status=TrainingStatus.DRAFT)
        cls.led_draft = factories.training("Led draft", status=TrainingStatus.DRAFT)
        cls.led_draft.facilitators.add(cls.member)

    def test_pages_need_login(self):
        self.assertNeedsLogin(reverse("training:index"))
        self.assertNeedsLogin(reverse("training:detail", args=[self.webinar.public_id]))

    def test_the_list_shows_trainings_with_filters_and_hides_others_drafts(self):
        self.login(self.viewer)
        response = self.client.get(reverse("training:index") + "?when=all")
        self.assertContains(response, "Webinar on PSE change")
        self.assertNotContains(response, "Draft workshop")
        response = self.client.get(reverse("training:index") + "?when=all&series=Nope")
        self.assertNotContains(response, "Webinar on PSE change")
        response = self.client.get(reverse("training:index") + "?when=past")
        self.assertNotContains(response, "Webinar on PSE change")
        self.login(self.administrator)
        self.assertContains(self.client.get(reverse("training:index") + "?when=all"), "Draft workshop")

    def test_a_strangers_draft_is_a_404_and_its_facilitator_sees_it(self):
        self.login(self.viewer)
        self.assertEqual(
            self.client.get(reverse("training:detail", args=[self.draft.public_id])).status_code, 404
        )
        self.login(self.member)
        self.assertEqual(
            self.client.get(reverse("training:detail", args=[self.led_draft.public_id])).status_code, 200
        )

    def test_registrations_show_only_to_those_who_manage_the_training(self):
        factories.registration(self.webinar, name="Rosa Registrant")
        url = reverse("training:detail", args=[self.webinar.public_id])
        self.login(self.viewer)
        response = self.client.get(url)
        self.assertNotContains(response, "Rosa Registrant")
        self.assertNotContains(response, "m.org/x")
        self.login(self.facilitator)
        response = self.client.get(url)
        self.assertContains(response, "Rosa Registrant")
        self.assertContains(response, "1 registered, 0 on the waitlist, 0 cancelled")

    def test_a_manager_creates_a_training_with_an_audit_event(self):
        self.login(self.administrator)
        response = self.client.post(reverse("training:create"), training_data())
        training = Training.objects.get(title="Journal club: precarious work")
        self.assertRedirects(response, training.get_absolute_url())
        self.assertEqual(training.slug, "journal-club-precarious-work")
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(training.pk)).exists())

    def test_the_minutes_needed_to_complete_are_set_on_the_form_and_preset_the_completion_rule(self):
        self.login(self.administrator)
        self.client.post(reverse("training:create"), training_data(completion_minutes="45"))
        training = Training.objects.get(title="Journal club: precarious work")
        self.assertEqual(training.completion_minutes, 45)
        response = self.client.get(reverse("training:attendance", args=[training.public_id]))
        self.assertEqual(response.context["rule_form"].initial, {"rule": "minutes", "min_minutes": 45})

    def test_bad_input_names_the_field_and_saves_nothing(self):
        self.login(self.administrator)
        response = self.client.post(
            reverse("training:create"), training_data(ends_at="2030-05-01T11:00", slug=self.webinar.slug)
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "The end is not after the start.", status_code=400)
        self.assertContains(response, "already has the address", status_code=400)
        self.assertFalse(Training.objects.filter(title="Journal club: precarious work").exists())

    def test_read_only_roles_get_403_on_writes(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(reverse("training:create")).status_code, 403)
        self.assertEqual(
            self.client.get(reverse("training:edit", args=[self.webinar.public_id])).status_code, 403
        )
        self.assertEqual(
            self.client.post(reverse("training:delete", args=[self.webinar.public_id])).status_code, 403
        )
        registration = factories.registration(self.webinar)
        url = reverse("training:registration-cancel-staff", args=[registration.public_id])
        self.assertEqual(self.client.post(url).status_code, 404)

    def test_raising_the_capacity_promotes_the_waitlist(self):
        factories.registration(self.webinar, email="a@x.org")
        waiting = factories.registration(self.webinar, email="b@x.org", status=RegistrationStatus.WAITLISTED)
        self.login(self.administrator)
        data = training_data(title=self.webinar.title, slug=self.webinar.slug, capacity="2")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("training:edit", args=[self.webinar.public_id]), data)
        self.assertEqual(response.status_code, 302)
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, RegistrationStatus.REGISTERED)
        self.assertEqual([message.to for message in mail.outbox], [["b@x.org"]])

    def test_staff_add_cancel_and_promote_registrations(self):
        self.login(self.facilitator)
        add = reverse("training:registration-add", args=[self.webinar.public_id])
        base = {"language": "es", "send_email": "on"}
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(add, {"name": "Uno", "email": "uno@x.org", **base})
            self.client.post(add, {"name": "Dos", "email": "dos@x.org", **base})
            response = self.client.post(add, {"name": "Uno bis", "email": "UNO@x.org", **base}, follow=True)
        self.assertContains(response, "already registered")
        dos = Registration.objects.get(email="dos@x.org")
        self.assertEqual(dos.status, RegistrationStatus.WAITLISTED)
        self.assertEqual(len(mail.outbox), 2)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("training:registration-promote", args=[dos.public_id]))
        dos.refresh_from_db()
        self.assertEqual(dos.status, RegistrationStatus.REGISTERED)  # past the capacity: staff's decision
        uno = Registration.objects.get(email="uno@x.org")
        self.client.post(reverse("training:registration-cancel-staff", args=[uno.public_id]))
        uno.refresh_from_db()
        self.assertEqual(uno.status, RegistrationStatus.CANCELLED)
        self.assertEqual(AuditEvent.objects.filter(actor=self.facilitator).count(), 4)

    def test_registrations_export_as_csv_and_xlsx(self):
        factories.registration(self.webinar, name="Rosa", email="rosa@x.org", accommodation="=1+1")
        self.login(self.facilitator)
        response = self.client.get(
            reverse("training:registrations-export", args=[self.webinar.public_id, "csv"])
        )
        text = response.content.decode("utf-8-sig")
        self.assertIn("rosa@x.org", text)
        self.assertIn("'=1+1", text)
        response = self.client.get(
            reverse("training:registrations-export", args=[self.webinar.public_id, "xlsx"])
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet.cell(2, 1).value, "Rosa")
        self.login(self.viewer)
        url = reverse("training:registrations-export", args=[self.webinar.public_id, "csv"])
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_export_command_writes_registrations(self):
        factories.registration(self.webinar, name="Rosa", email="rosa@x.org")
        out = io.StringIO()
        call_command("export", "registrations", self.webinar.slug, stdout=out)
        self.assertIn("rosa@x.org", out.getvalue())

    def test_cancelling_a_training_emails_live_registrants(self):
        factories.registration(self.webinar, email="a@x.org")
        factories.registration(self.webinar, email="b@x.org", status=RegistrationStatus.CANCELLED)
        self.login(self.administrator)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("training:cancel", args=[self.webinar.public_id]), {"notify": "on"})
        self.webinar.refresh_from_db()
        self.assertEqual(self.webinar.status, TrainingStatus.CANCELLED)
        self.assertEqual([message.to for message in mail.outbox], [["a@x.org"]])

    def test_a_manager_deletes_a_training(self):
        self.login(self.administrator)
        response = self.client.post(reverse("training:delete", args=[self.draft.public_id]))
        self.assertRedirects(response, reverse("training:index"))
        self.assertFalse(Training.objects.filter(pk=self.draft.pk).exists())

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=100)
    def test_uploads_are_bounded_and_limited_to_document_types(self):
        self.login(self.facilitator)
        url = reverse("training:material-add", args=[self.webinar.public_id])
        response = self.client.post(url, {"file": SimpleUploadedFile("run.exe", b"MZ")})
        self.assertContains(response, "not accepted", status_code=400)
        response = self.client.post(url, {"file": SimpleUploadedFile("big.pdf", b"x" * 200)})
        self.assertContains(response, "the limit is", status_code=400)
        self.assertFalse(self.webinar.materials.exists())
        response = self.client.post(
            url, {"url": "https://example.org/slides", "title": "Slides", "is_public": "on"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.webinar.materials.filter(title="Slides", is_public=True).exists())


class MaterialFileTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.training = factories.training("Tools video series", slug="tools")

    def setUp(self):
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        settings_override = override_settings(MEDIA_ROOT=media.name)
        settings_override.enable()
        self.addCleanup(settings_override.disable)

    def upload(self, name: str, is_public: bool):
        self.login(self.facilitator)
        data = {"file": SimpleUploadedFile(name, b"%PDF-1.4 test"), "title": name}
        if is_public:
            data["is_public"] = "on"
        self.client.post(reverse("training:material-add", args=[self.training.public_id]), data)
        self.client.logout()
        return self.training.materials.get(title=name)

    def test_files_download_as_attachments_to_whom_they_are_for(self):
        public = self.upload("handout.pdf", is_public=True)
        private = self.upload("answers.pdf", is_public=False)
        response = self.client.get(reverse("training:public-material", args=["tools", public.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(
            self.client.get(reverse("training:public-material", args=["tools", private.pk])).status_code, 404
        )
        registered = factories.registration(self.training)
        waiting = factories.registration(self.training, status=RegistrationStatus.WAITLISTED)
        url = reverse("training:registration-material", args=[registered.cancel_token, private.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        url = reverse("training:registration-material", args=[waiting.cancel_token, private.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.viewer)
        url = reverse("training:material-file", args=[self.training.public_id, private.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
