"""The network's home and the waves pages: list, detail with counts, create and edit."""

from datetime import date

from django.urls import reverse

from healthywork.catalog.tests import factories as catalog_factories
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.network.models import Wave
from healthywork.network.tests import factories
from healthywork.partners.tests import factories as partner_factories


class WaveViewTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = partner_factories.organization("Warehouse Workers United", "labor")
        cls.clinic = partner_factories.organization("Joliet Clinic", "healthcare")
        cls.department = partner_factories.organization("County Health Department", "public-health")
        cls.baseline = factories.wave("Baseline 2017")
        factories.tie(cls.baseline, cls.union, cls.clinic, "referrals", level=2)
        factories.tie(cls.baseline, cls.clinic, cls.department, "funding", provenance="interview")
        factories.tie(cls.baseline, cls.union, cls.department, "information", status="planned")
        catalog_factories.initiative(
            "Heat standard", cls.union, partners=[(cls.department, "partner")], start_date=date(2017, 3, 1)
        )


class WaveIndexTests(WaveViewTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(reverse("network:index"))
        self.assertNeedsLogin(reverse("network:wave-detail", args=[self.baseline.public_id]))

    def test_the_home_lists_waves_with_their_counts(self):
        self.login(self.viewer)
        response = self.client.get(reverse("network:index"))
        self.assertContains(response, "Baseline 2017")
        counts = dict(response.context["summaries"])[self.baseline]
        self.assertEqual((counts.nodes, counts.stored, counts.derived, counts.planned), (3, 2, 1, 1))
        self.assertNotContains(response, reverse("network:wave-create"))

    def test_the_list_shows_the_add_button_to_an_administrator(self):
        self.login(self.administrator)
        response = self.client.get(reverse("network:wave-list"))
        self.assertContains(response, reverse("network:wave-create"))

    def test_the_detail_says_plainly_what_is_derived(self):
        self.login(self.viewer)
        response = self.client.get(reverse("network:wave-detail", args=[self.baseline.public_id]))
        self.assertContains(response, "Derived from 1 initiative; not stored. Ties: 1.")
        self.assertContains(response, "Referrals")
        self.assertContains(response, "Interview mention")
        self.assertContains(response, reverse("network:tie-list", args=[self.baseline.public_id]))

    def test_an_unknown_wave_is_404(self):
        self.login(self.viewer)
        response = self.client.get(
            reverse("network:wave-detail", args=["6f1c2d1e-0000-4000-8000-000000000000"])
        )
        self.assertEqual(response.status_code, 404)


class WaveWriteTests(WaveViewTestCase):
    def test_an_administrator_adds_a_wave_with_an_audit_event(self):
        self.login(self.administrator)
        response = self.client.post(
            reverse("network:wave-create"),
            {"name": "After 2019", "start_date": "2019-01-01", "end_date": "2019-12-31"},
        )
        wave = Wave.objects.get(name="After 2019")
        self.assertRedirects(response, wave.get_absolute_url())
        self.assertTrue(AuditEvent.objects.for_object(wave).filter(action="create", actor=self.administrator))

    def test_an_administrator_edits_a_wave(self):
        self.login(self.administrator)
        url = reverse("network:wave-edit", args=[self.baseline.public_id])
        response = self.client.post(
            url,
            {"name": "Baseline", "start_date": "2017-01-01", "end_date": "2017-12-31", "description": "x"},
        )
        self.assertRedirects(response, self.baseline.get_absolute_url())
        self.baseline.refresh_from_db()
        self.assertEqual(self.baseline.name, "Baseline")
        event = AuditEvent.objects.for_object(self.baseline).get(action="change")
        self.assertEqual(event.changes["name"], ["Baseline 2017", "Baseline"])

    def test_an_end_before_the_start_is_a_field_error_and_saves_nothing(self):
        self.login(self.administrator)
        response = self.client.post(
            reverse("network:wave-create"),
            {"name": "Bad", "start_date": "2019-01-01", "end_date": "2018-01-01"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("end_date", response.context["form"].errors)
        self.assertFalse(Wave.objects.filter(name="Bad").exists())

    def test_a_duplicate_name_is_refused(self):
        self.login(self.administrator)
        response = self.client.post(
            reverse("network:wave-create"),
            {"name": "Baseline 2017", "start_date": "2017-01-01", "end_date": "2017-12-31"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.context["form"].errors)

    def test_a_facilitator_and_a_viewer_get_403(self):
        for user in (self.facilitator, self.viewer):
            self.login(user)
            self.assertEqual(self.client.get(reverse("network:wave-create")).status_code, 403)
            response = self.client.post(
                reverse("network:wave-edit", args=[self.baseline.public_id]),
                {"name": "Changed", "start_date": "2017-01-01", "end_date": "2017-12-31"},
            )
            self.assertEqual(response.status_code, 403)
        self.baseline.refresh_from_db()
        self.assertEqual(self.baseline.name, "Baseline 2017")
