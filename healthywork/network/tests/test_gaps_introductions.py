"""Planned introductions: planning one from a suggestion, and marking it made."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from healthywork.catalog.tests import factories as catalog_factories
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.network import gaps
from healthywork.network.models import Provenance, Tie, TieStatus
from healthywork.network.tests import factories
from healthywork.partners.tests import factories as partner_factories


class IntroductionTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.wave = factories.wave("After 2019")
        cls.clinic = partner_factories.organization("Eastside Clinic", "healthcare")
        cls.union = partner_factories.organization("Food Workers Union", "labor")

    def plan_data(self, **changes) -> dict:
        data = {
            "wave": self.wave.public_id,
            "source": self.clinic.public_id,
            "target": self.union.public_id,
            "reason": "Both work on: Benefits",
        }
        data.update(changes)
        return data

    def test_the_service_plans_and_audits_an_introduction(self):
        tie = gaps.plan_introduction(
            self.wave, self.clinic, self.union, reason="Both serve: cooks", by=self.administrator
        )
        self.assertEqual(
            (tie.status, tie.provenance, tie.kind),
            (TieStatus.PLANNED, Provenance.INTRODUCTION, "information"),
        )
        self.assertEqual(tie.reason, "Both serve: cooks")
        self.assertEqual(tie.created_by, self.administrator)
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(tie.pk)).exists())

    def test_a_duplicate_introduction_is_refused(self):
        gaps.plan_introduction(self.wave, self.clinic, self.union, reason="", by=self.administrator)
        with self.assertRaisesMessage(ValidationError, "already planned"):
            gaps.plan_introduction(self.wave, self.union, self.clinic, reason="", by=self.administrator)
        self.assertEqual(Tie.objects.count(), 1)

    def test_a_pair_with_a_tie_is_refused(self):
        factories.tie(self.wave, self.clinic, self.union, kind="referrals")
        with self.assertRaisesMessage(ValidationError, "already have a tie"):
            gaps.plan_introduction(self.wave, self.clinic, self.union, reason="", by=self.administrator)

    def test_an_administrator_plans_from_the_page(self):
        self.login(self.administrator)
        response = self.client.post(reverse("network:introduction-plan"), self.plan_data())
        self.assertRedirects(response, reverse("network:gaps", args=[self.wave.public_id]) + "#introductions")
        tie = Tie.objects.get()
        self.assertEqual((tie.source, tie.target, tie.status), (self.clinic, self.union, TieStatus.PLANNED))
        page = self.client.get(reverse("network:gaps", args=[self.wave.public_id]))
        self.assertContains(page, "Mark as made")
        self.assertContains(page, "Both work on: Benefits")

    def test_the_planned_pair_is_no_longer_suggested(self):
        gaps.plan_introduction(self.wave, self.clinic, self.union, reason="", by=self.administrator)
        day_laborers = catalog_factories.population("day-laborers")
        self.clinic.populations.add(day_laborers)
        self.union.populations.add(day_laborers)
        self.assertEqual(gaps.find_gaps(self.wave), [])

    def test_an_unknown_organization_is_named_and_nothing_is_saved(self):
        self.login(self.administrator)
        missing = "11111111-1111-1111-1111-111111111111"
        response = self.client.post(reverse("network:introduction-plan"), self.plan_data(target=missing))
        self.assertContains(
            response, f"No organization in the registry has the id {missing}", status_code=400
        )
        self.assertContains(response, "Second organization", status_code=400)
        self.assertFalse(Tie.objects.exists())

    def test_an_organization_with_itself_is_refused(self):
        self.login(self.administrator)
        response = self.client.post(
            reverse("network:introduction-plan"), self.plan_data(target=self.clinic.public_id)
        )
        self.assertContains(response, "cannot be introduced to itself", status_code=400)
        self.assertFalse(Tie.objects.exists())

    def test_a_duplicate_from_the_page_is_a_clear_error(self):
        gaps.plan_introduction(self.wave, self.clinic, self.union, reason="", by=self.administrator)
        self.login(self.administrator)
        response = self.client.post(reverse("network:introduction-plan"), self.plan_data())
        self.assertContains(response, "is already planned", status_code=400)
        self.assertEqual(Tie.objects.count(), 1)

    def test_a_facilitator_may_not_plan(self):
        self.login(self.facilitator)
        response = self.client.post(reverse("network:introduction-plan"), self.plan_data())
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Tie.objects.exists())

    def test_planning_needs_login_and_post(self):
        self.client.logout()
        response = self.client.post(reverse("network:introduction-plan"), self.plan_data())
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])
        self.login(self.administrator)
        self.assertEqual(self.client.get(reverse("network:introduction-plan")).status_code, 405)

    def test_an_administrator_marks_an_introduction_made(self):
        tie = gaps.plan_introduction(self.wave, self.clinic, self.union, reason="", by=self.administrator)
        self.login(self.administrator)
        response = self.client.post(reverse("network:introduction-made", args=[tie.public_id]))
        self.assertRedirects(response, reverse("network:gaps", args=[self.wave.public_id]) + "#introductions")
        tie.refresh_from_db()
        self.assertEqual(tie.status, TieStatus.ACTIVE)
        self.assertIsNotNone(tie.made_at)
        self.assertTrue(AuditEvent.objects.filter(action="change", object_pk=str(tie.pk)).exists())

    def test_a_tie_that_is_not_a_planned_introduction_cannot_be_marked(self):
        tie = factories.tie(self.wave, self.clinic, self.union)
        self.login(self.administrator)
        response = self.client.post(reverse("network:introduction-made", args=[tie.public_id]), follow=True)
        self.assertContains(response, "is not a planned introduction")
        tie.refresh_from_db()
        self.assertIsNone(tie.made_at)

    def test_a_viewer_may_not_mark_made(self):
        tie = gaps.plan_introduction(self.wave, self.clinic, self.union, reason="", by=self.administrator)
        self.login(self.viewer)
        response = self.client.post(reverse("network:introduction-made", args=[tie.public_id]))
        self.assertEqual(response.status_code, 403)
        tie.refresh_from_db()
        self.assertEqual(tie.status, TieStatus.PLANNED)

    def test_marking_an_unknown_tie_is_404(self):
        self.login(self.administrator)
        response = self.client.post(
            reverse("network:introduction-made", args=["00000000-0000-0000-0000-000000000000"])
        )
        self.assertEqual(response.status_code, 404)
