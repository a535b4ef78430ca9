"""The public catalog and registration: seats, the waitlist, duplicates, closed registration,
the cancellation link, the e-mails, and no login needed."""

from datetime import timedelta

from django.core import mail
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from healthywork.core.models import AuditEvent
from healthywork.partners.models import Organization, Person, Sector
from healthywork.training import registrations, views_public
from healthywork.training.models import Registration, RegistrationStatus, Training, TrainingStatus
from healthywork.training.tests import factories


def form(email: str, name: str = "Ana", **extra) -> dict:
    return {
        "name": name,
        "email": email,
        "organization_name": "",
        "language": "en",
        "accommodation": "",
        "consent": "on",
        **extra,
    }


class PublicPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.training = factories.training("Work as a social determinant of health", capacity=2, slug="sdoh")
        cls.draft = factories.training("Draft", status=TrainingStatus.DRAFT, slug="draft")

    def test_the_catalog_and_detail_need_no_login(self):
        response = self.client.get(reverse("training:public-list"))
        self.assertContains(response, "Work as a social determinant of health")
        self.assertNotContains(response, "Draft")
        response = self.client.get(reverse("training:public-detail", args=["sdoh"]))
        self.assertContains(response, 'name="email"')

    def test_the_catalog_speaks_spanish_when_asked(self):
        response = self.client.get(reverse("training:public-list") + "?lang=es")
        self.assertContains(response, 'lang="es"')

    def test_a_draft_has_no_public_page(self):
        self.assertEqual(self.client.get(reverse("training:public-detail", args=["draft"])).status_code, 404)

    def test_the_online_link_is_not_on_the_public_page(self):
        Training.objects.filter(pk=self.training.pk).update(link="https://meet.example.org/secret")
        response = self.client.get(reverse("training:public-detail", args=["sdoh"]))
        self.assertNotContains(response, "meet.example.org")


class RegistrationTests(TestCase):
    def setUp(self):
        cache.clear()
        self.training = factories.training(
            "Webinar", capacity=2, slug="webinar", link="https://meet.example.org/w"
        )
        self.url = reverse("training:public-detail", args=["webinar"])

    def post(self, data: dict):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, data)

    def test_it_registers_and_emails_the_link_and_the_ics(self):
        response = self.post(form("Ana@Example.org", accommodation="Captions, please"))
        registration = Registration.objects.get()
        self.assertRedirects(
            response,
            reverse("training:registration", args=[registration.cancel_token]) + "?lang=en&new=1",
        )
        self.assertEqual(registration.email, "ana@example.org")
        self.assertEqual(registration.status, RegistrationStatus.REGISTERED)
        self.assertEqual(registration.accommodation, "Captions, please")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["ana@example.org"])
        self.assertIn("Webinar", message.subject)
        self.assertIn("https://meet.example.org/w", message.body)
        self.assertIn(reverse("training:registration-cancel", args=[registration.cancel_token]), message.body)
        self.assertEqual(message.attachments[0][0], "training.ics")
        event = AuditEvent.objects.get(action="create", object_pk=str(registration.pk))
        self.assertIsNone(event.actor)

    def test_when_full_people_are_waitlisted_in_order_and_told_their_position(self):
        for number in range(4):
            self.post(form(f"p{number}@example.org", name=f"P{number}"))
        statuses = list(Registration.objects.order_by("registered_at", "pk").values_list("status", flat=True))
        self.assertEqual(statuses, ["registered", "registered", "waitlisted", "waitlisted"])
        last = Registration.objects.get(email="p3@example.org")
        self.assertEqual(registrations.waitlist_position(last), 2)
        response = self.client.get(reverse("training:registration", args=[last.cancel_token]))
        self.assertContains(response, "position 2")
        self.assertNotContains(response, "meet.example.org")
        waitlist_mail = mail.outbox[-1]
        self.assertIn("waitlist", waitlist_mail.subject)
        self.assertNotIn("meet.example.org", waitlist_mail.body)
        self.assertEqual(waitlist_mail.attachments, [])

    def test_sequential_registrations_never_exceed_the_capacity(self):
        for number in range(10):
            registrations.register(
                self.training, {"name": f"P{number}", "email": f"p{number}@x.org"}, send=False
            )
        counts = registrations.counts(self.training)
        self.assertEqual((counts["registered"], counts["waitlisted"]), (2, 8))

    def test_cancelling_frees_the_seat_for_the_first_on_the_waitlist_who_is_emailed(self):
        for number in range(4):
            self.post(form(f"p{number}@example.org", name=f"P{number}"))
        mail.outbox.clear()
        first = Registration.objects.get(email="p0@example.org")
        cancel_url = reverse("training:registration-cancel", args=[first.cancel_token])
        response = self.client.get(cancel_url)
        self.assertContains(response, "Yes, cancel my registration")
        first.refresh_from_db()
        self.assertEqual(first.status, RegistrationStatus.REGISTERED)  # GET changes nothing
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(cancel_url)
        self.assertEqual(response.status_code, 302)
        first.refresh_from_db()
        self.assertEqual(first.status, RegistrationStatus.CANCELLED)
        promoted = Registration.objects.get(email="p2@example.org")
        self.assertEqual(promoted.status, RegistrationStatus.REGISTERED)
        self.assertIsNotNone(promoted.promoted_at)
        self.assertEqual(
            Registration.objects.get(email="p3@example.org").status, RegistrationStatus.WAITLISTED
        )
        self.assertEqual(registrations.waitlist_position(Registration.objects.get(email="p3@example.org")), 1)
        self.assertEqual([message.to for message in mail.outbox], [["p2@example.org"]])
        self.assertIn("meet.example.org/w", mail.outbox[0].body)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(cancel_url)  # twice: nothing more happens
        self.assertEqual(len(mail.outbox), 1)

    def test_a_wrong_token_is_a_404(self):
        self.assertEqual(
            self.client.get(reverse("training:registration-cancel", args=["nope"])).status_code, 404
        )
        self.assertEqual(
            self.client.post(reverse("training:registration-cancel", args=["nope"])).status_code, 404
        )
        self.assertEqual(self.client.get(reverse("training:registration", args=["nope"])).status_code, 404)

    def test_the_same_email_twice_gets_a_clear_message_and_no_duplicate(self):
        self.post(form("ana@example.org"))
        response = self.post(form("ANA@example.org", name="Ana again"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "already registered", status_code=400)
        self.assertEqual(Registration.objects.count(), 1)

    def test_after_cancelling_the_same_email_may_register_again(self):
        self.post(form("ana@example.org"))
        registrations.cancel(Registration.objects.get())
        self.post(form("ana@example.org"))
        self.assertEqual(Registration.objects.filter(status=RegistrationStatus.REGISTERED).count(), 1)

    def test_closed_past_and_cancelled_trainings_refuse_with_a_message(self):
        cases = [
            (
                {"registration_closes_at": timezone.now() - timedelta(hours=1)},
                "Registration for this training is closed.",
            ),
            (
                {
                    "starts_at": timezone.now() - timedelta(days=2),
                    "ends_at": timezone.now() - timedelta(days=1),
                },
                "already taken place",
            ),
            ({"status": TrainingStatus.CANCELLED}, "cancelled"),
        ]
        for change, message in cases:
            with self.subTest(message):
                factories_fields = {"capacity": 2, "link": "https://x.org", **change}
                training = factories.training("Closed", **factories_fields)
                url = reverse("training:public-detail", args=[training.slug])
                if training.status == TrainingStatus.CANCELLED:
                    self.assertEqual(self.client.get(url).status_code, 404)
                    with self.assertRaises(registrations.RegistrationRefused):
                        registrations.register(training, {"name": "A", "email": "a@x.org"})
                    continue
                self.assertContains(self.client.get(url), message)
                self.client.post(url, form("late@example.org"))
                self.assertFalse(training.registrations.exists())

    def test_consent_is_required_and_named(self):
        data = form("ana@example.org")
        del data["consent"]
        response = self.post(data)
        self.assertContains(response, "Please agree", status_code=400)
        self.assertFalse(Registration.objects.exists())

    def test_it_links_the_registry_person_and_organization_when_unique(self):
        sector = Sector.objects.create(name="Test labor", slug="test-labor", family="labor")
        organization = Organization.objects.create(name="Workers Center", aliases="WC", sector=sector)
        person = Person.objects.create(name="Ana", email="Ana@Example.org")
        self.post(form("ana@example.org", organization_name="wc"))
        registration = Registration.objects.get()
        self.assertEqual(registration.person, person)
        self.assertEqual(registration.organization, organization)

    def test_an_ambiguous_email_links_no_one(self):
        Person.objects.create(name="Ana", email="ana@example.org")
        Person.objects.create(name="Ana B", email="ANA@example.org")
        self.post(form("ana@example.org"))
        self.assertIsNone(Registration.objects.get().person)

    def test_public_posts_are_rate_limited(self):
        limit, _window = views_public.RATE_LIMITS["register"]
        for number in range(limit):
            self.post(form(f"p{number}@example.org"))
        response = self.post(form("one-too-many@example.org"))
        self.assertEqual(response.status_code, 429)
        self.assertFalse(Registration.objects.filter(email="one-too-many@example.org").exists())

    def test_a_bot_filling_the_hidden_field_saves_nothing(self):
        response = self.post(form("bot@example.org", website="http://spam"))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Registration.objects.exists())

    def test_registrants_only_materials_need_a_seat(self):
        material = self.training.materials.create(title="Slides", url="https://x.org/s", is_public=False)
        registered = factories.registration(self.training)
        waiting = factories.registration(self.training, status=RegistrationStatus.WAITLISTED)
        self.assertContains(
            self.client.get(reverse("training:registration", args=[registered.cancel_token])), "Slides"
        )
        self.assertNotContains(
            self.client.get(reverse("training:registration", args=[waiting.cancel_token])), "Slides"
        )
        self.assertNotContains(self.client.get(self.url), "Slides")
        self.assertTrue(material.pk)
