"""A training's attached surveys: create in one click, attach existing ones, invite the registered."""

from django.urls import reverse

from healthywork.core.tests.base import PersonaTestCase
from healthywork.evaluation.models import Administration, ContextKind, Instrument, Invitation, TimePoint
from healthywork.evaluation.tests import factories as evaluation_factories
from healthywork.training.models import RegistrationStatus
from healthywork.training.tests import factories


class EvaluationPageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.training = factories.training("Power Mapping webinar")
        cls.ana = factories.registration(cls.training, "Ana", email="ana@example.org", language="es")
        factories.registration(cls.training, "Wait", status=RegistrationStatus.WAITLISTED)
        cls.url = reverse("training:evaluation", args=[cls.training.public_id])
        cls.knowledge = Instrument.objects.filter(name="precarious-work-knowledge").first() or (
            evaluation_factories.instrument("precarious-work-knowledge")
        )
        cls.reaction = Instrument.objects.filter(name="kirkpatrick-reaction").first() or (
            evaluation_factories.instrument("kirkpatrick-reaction")
        )

    def test_one_click_creates_pre_post_and_feedback_with_the_defaults(self):
        self.login(self.facilitator)
        for slot in ("pre", "post", "feedback"):
            response = self.client.post(self.url, {"action": "create", "slot": slot})
            self.assertEqual(response.status_code, 302, slot)
        self.training.refresh_from_db()
        pre, post, feedback = (
            self.training.pre_administration,
            self.training.post_administration,
            self.training.feedback_administration,
        )
        self.assertEqual(pre.instrument, self.knowledge)
        self.assertEqual(feedback.instrument, self.reaction)
        self.assertEqual(post.pre, pre)
        self.assertEqual(
            (pre.time_point, post.time_point, feedback.time_point),
            (TimePoint.PRE, TimePoint.POST, TimePoint.ONCE),
        )
        self.assertEqual(pre.context_kind, ContextKind.TRAINING)
        self.assertEqual(pre.context_label, "Power Mapping webinar")
        self.assertEqual(pre.created_by, self.facilitator)

    def test_inviting_creates_one_personal_link_per_registered_person_once(self):
        self.login(self.facilitator)
        self.client.post(self.url, {"action": "create", "slot": "feedback"})
        self.client.post(self.url, {"action": "invite"})
        self.client.post(self.url, {"action": "invite"})
        invitation = Invitation.objects.get()
        self.assertEqual(
            (invitation.name, invitation.email, invitation.language), ("Ana", "ana@example.org", "es")
        )
        response = self.client.get(self.url)
        self.assertContains(response, "ana@example.org")

    def test_an_existing_administration_can_be_attached_and_detached(self):
        existing = evaluation_factories.administration(
            self.knowledge, context_kind=ContextKind.TRAINING, created_by=self.facilitator
        )
        self.login(self.facilitator)
        self.client.post(self.url, {"action": "attach", "slot": "pre", "administration": existing.pk})
        self.training.refresh_from_db()
        self.assertEqual(self.training.pre_administration, existing)
        self.client.post(self.url, {"action": "attach", "slot": "pre", "administration": ""})
        self.training.refresh_from_db()
        self.assertIsNone(self.training.pre_administration)

    def test_another_users_administration_cannot_be_attached(self):
        hidden = evaluation_factories.administration(self.knowledge, context_kind=ContextKind.TRAINING)
        self.login(self.facilitator)
        response = self.client.post(
            self.url, {"action": "attach", "slot": "pre", "administration": hidden.pk}
        )
        self.assertEqual(response.status_code, 400)
        self.training.refresh_from_db()
        self.assertIsNone(self.training.pre_administration)

    def test_it_needs_a_manager(self):
        self.assertNeedsLogin(self.url)
        self.login(self.evaluator)
        self.assertEqual(self.client.post(self.url, {"action": "invite"}).status_code, 403)
        self.assertFalse(Administration.objects.exists())
