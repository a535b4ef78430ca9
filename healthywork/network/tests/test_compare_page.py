"""Comparing two waves: measures side by side and the health–labor ties that changed."""

from datetime import date

from django.urls import reverse

from healthywork.core.tests.base import PersonaTestCase
from healthywork.network.tests import factories
from healthywork.partners.tests import factories as partner_factories


class ComparePageTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.before = factories.wave("Baseline 2017")
        cls.after = factories.wave("After 2019", start=date(2019, 1, 1), end=date(2019, 12, 31))
        org = partner_factories.organization
        cls.clinic = org("Eastside Clinic", "healthcare")
        cls.dept = org("County Health Department", "public-health")
        cls.union = org("Food Workers Union", "labor")
        cls.center = org("Worker Center", "labor")
        # 2017: clinic–union (level 1), dept–center (level 2), clinic–dept
        factories.tie(cls.before, cls.clinic, cls.union, level=1)
        factories.tie(cls.before, cls.dept, cls.center, level=2)
        factories.tie(cls.before, cls.clinic, cls.dept)
        # 2019: clinic–union strengthened to 4, dept–center lost, clinic–center new, clinic–dept kept
        factories.tie(cls.after, cls.clinic, cls.union, level=4)
        factories.tie(cls.after, cls.center, cls.clinic, level=3)
        factories.tie(cls.after, cls.clinic, cls.dept)
        cls.url = reverse("network:compare")

    def get(self, **params):
        return self.client.get(self.url, params)

    def test_it_lists_new_lost_and_strengthened_health_labor_ties(self):
        self.login(self.viewer)
        response = self.get(**{"from": self.before.public_id, "to": self.after.public_id})
        self.assertEqual(response.status_code, 200)
        health_labor = response.context["health_labor"]
        pairs = {
            name: [(p["health_name"], p["labor_name"]) for p in rows] for name, rows in health_labor.items()
        }
        self.assertEqual(pairs["new"], [("Eastside Clinic", "Worker Center")])
        self.assertEqual(pairs["lost"], [("County Health Department", "Worker Center")])
        self.assertEqual(pairs["strengthened"], [("Eastside Clinic", "Food Workers Union")])
        self.assertContains(response, self.center.get_absolute_url())

    def test_every_measure_has_its_change_in_text(self):
        self.login(self.viewer)
        response = self.get(**{"from": self.before.public_id, "to": self.after.public_id})
        measures = {str(row["label"]): row for row in response.context["measures"]}
        # Both waves: 4 organizations and 3 ties → density 0.5, no change.
        self.assertEqual(measures["Density"]["before"], "0.500")
        self.assertEqual(measures["Density"]["change"]["arrow"], "=")
        # Components: 2017 is one piece (clinic–dept–center and clinic–union), 2019 too.
        mean = measures["Mean level of collaboration"]
        self.assertEqual((mean["before"], mean["after"]), ("1.50", "3.50"))
        self.assertEqual(mean["change"]["arrow"], "▲")
        self.assertEqual(mean["change"]["text"], "+2.00")
        self.assertContains(response, "(up)")

    def test_per_group_ei_changes_are_listed(self):
        self.login(self.viewer)
        response = self.get(**{"from": self.before.public_id, "to": self.after.public_id})
        rows = {row["label"]: row for row in response.context["ei_rows"]}
        self.assertIn("Labor", rows)
        # Labor, 2017: union–clinic and center–dept cross, nothing inside → +1; 2019 the same.
        self.assertEqual(rows["Labor"]["before"], "+1.000")
        self.assertEqual(rows["Labor"]["change"]["text"], "0.000")

    def test_without_a_choice_it_shows_the_form(self):
        self.login(self.viewer)
        response = self.get(to=self.after.public_id)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="from"')
        self.assertContains(response, "Choose the wave before and the wave after")

    def test_the_same_wave_twice_is_a_clear_error(self):
        self.login(self.viewer)
        response = self.get(**{"from": self.before.public_id, "to": self.before.public_id})
        self.assertContains(response, "Choose two different waves to compare.", status_code=400)

    def test_an_unknown_wave_is_named(self):
        self.login(self.viewer)
        unknown = "00000000-0000-0000-0000-000000000000"
        response = self.get(**{"from": unknown, "to": self.after.public_id})
        self.assertContains(response, "Before (from): There is no such wave.", status_code=400)
        response = self.get(**{"from": self.before.public_id, "to": "not-a-wave"})
        self.assertContains(response, "After (to): “not-a-wave” is not a valid UUID.", status_code=400)

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url)
