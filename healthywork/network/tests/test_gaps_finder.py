"""The gap finder: the service's ranking and reasons, and the page."""

from django.urls import reverse

from healthywork.catalog.tests import factories as catalog_factories
from healthywork.core.tests.base import PersonaTestCase
from healthywork.network import gaps
from healthywork.network.tests import factories
from healthywork.partners.tests import factories as partner_factories
from healthywork.scan.tests import factories as scan_factories


class GapFinderTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.wave = factories.wave("Baseline 2017")
        org = partner_factories.organization
        cls.clinic = org("Eastside Clinic", "healthcare", state="CA")
        cls.health_dept = org("County Health Department", "public-health", state="NY")
        cls.lonely_health = org("Lonely Hospital", "healthcare")
        cls.union = org("Food Workers Union", "labor", state="CA")
        cls.center = org("Worker Center", "labor", state="CA")
        cls.legal_aid = org("Legal Aid", "legal")
        # Shared condition (paid sick leave ~ benefits) and population through initiatives.
        catalog_factories.initiative(
            "Sick leave for cooks",
            cls.clinic,
            conditions=["benefits"],
            populations=["restaurant-food-service"],
        )
        catalog_factories.initiative(
            "Restaurant benefits campaign", cls.union, conditions=["benefits"], populations=["low-wage"]
        )
        # The union also serves restaurant workers in the registry.
        cls.union.populations.add(catalog_factories.population("restaurant-food-service"))
        # The health department and the worker center share only a registry population...
        cls.health_dept.populations.add(catalog_factories.population("day-laborers"))
        cls.center.populations.add(catalog_factories.population("day-laborers"))
        # ... and the clinic shares benefits with the legal aid, which is neither health nor labor.
        catalog_factories.initiative("Know your benefits", cls.legal_aid, conditions=["benefits"])
        # Interview codes: the health department and the union both mention fair scheduling.
        project = scan_factories.project("Scan 2017")
        fair = scan_factories.code(project, "Fair scheduling")
        for organization in (cls.health_dept, cls.union):
            interview = scan_factories.interview(project, organization)
            document = scan_factories.document(project, interview=interview)
            scan_factories.coding_of(document, fair, cls.administrator, "fair workweek ordinance")

    def test_it_ranks_untied_health_labor_pairs_with_reasons(self):
        suggestions = gaps.find_gaps(self.wave)
        pairs = [(s.source.name, s.target.name, s.score) for s in suggestions]
        # clinic–union: benefits (2) + restaurant workers (1) + same state (0.5)
        self.assertEqual(pairs[0], ("Eastside Clinic", "Food Workers Union", 3.5))
        self.assertIn(("County Health Department", "Food Workers Union", 1.0), pairs)
        self.assertIn(("County Health Department", "Worker Center", 1.0), pairs)
        self.assertEqual(len(pairs), 3)
        self.assertEqual(
            suggestions[0].reason,
            "Both work on: Benefits; both serve: Restaurant and food service workers; both are in CA",
        )
        coded = next(s for s in suggestions if s.codes)
        self.assertEqual(
            (coded.source.name, coded.target.name), ("County Health Department", "Food Workers Union")
        )
        self.assertEqual(coded.reason, "Both interviews mention: Fair scheduling")

    def test_a_tie_of_any_kind_removes_the_pair(self):
        factories.tie(self.wave, self.union, self.clinic, kind="funding")
        names = {(s.source.name, s.target.name) for s in gaps.find_gaps(self.wave)}
        self.assertNotIn(("Eastside Clinic", "Food Workers Union"), names)
        self.assertEqual(len(names), 2)

    def test_a_derived_catalog_tie_removes_the_pair(self):
        catalog_factories.initiative("Joint clinic", self.health_dept, partners=[(self.center, "partner")])
        names = {(s.source.name, s.target.name) for s in gaps.find_gaps(self.wave)}
        self.assertNotIn(("County Health Department", "Worker Center"), names)

    def test_any_other_family_pairs_health_with_legal(self):
        names = {
            (s.source.name, s.target.name) for s in gaps.find_gaps(self.wave, first="health", second="any")
        }
        self.assertIn(("Eastside Clinic", "Legal Aid"), names)
        self.assertNotIn(("Legal Aid", "Food Workers Union"), names)

    def test_any_with_any_lists_each_pair_once(self):
        suggestions = gaps.find_gaps(self.wave, first="any", second="any")
        pairs = [frozenset((s.source.id, s.target.id)) for s in suggestions]
        self.assertEqual(len(pairs), len(set(pairs)))
        self.assertIn(frozenset((self.clinic.id, self.legal_aid.id)), pairs)
        self.assertEqual(len(pairs), 5)  # the three health–labor pairs, clinic–legal, union–legal

    def test_the_limit_keeps_the_best(self):
        suggestions = gaps.find_gaps(self.wave, limit=1)
        self.assertEqual(
            [(s.source.name, s.target.name) for s in suggestions], [("Eastside Clinic", "Food Workers Union")]
        )

    def test_codes_of_a_project_the_person_cannot_see_are_not_used(self):
        suggestions = gaps.find_gaps(self.wave, user=self.viewer)
        self.assertFalse(any(s.codes for s in suggestions))
        self.assertTrue(any(s.codes for s in gaps.find_gaps(self.wave, user=self.administrator)))

    def test_the_page_lists_suggestions_with_links(self):
        self.login(self.viewer)
        response = self.client.get(reverse("network:gaps", args=[self.wave.public_id]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Both work on: Benefits")
        self.assertContains(response, self.clinic.get_absolute_url())
        self.assertNotContains(response, reverse("network:introduction-plan"))  # a viewer cannot plan

    def test_an_administrator_sees_the_plan_buttons(self):
        self.login(self.administrator)
        response = self.client.get(reverse("network:gaps", args=[self.wave.public_id]))
        self.assertContains(response, reverse("network:introduction-plan"))

    def test_the_page_offers_other_families(self):
        self.login(self.facilitator)
        url = reverse("network:gaps", args=[self.wave.public_id])
        response = self.client.get(url, {"first": "health", "second": "legal"})
        self.assertContains(response, "Legal Aid")
        self.assertNotContains(response, "Worker Center</a>")

    def test_the_same_family_twice_is_a_clear_error(self):
        self.login(self.viewer)
        url = reverse("network:gaps", args=[self.wave.public_id])
        response = self.client.get(url, {"first": "labor", "second": "labor"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choose a family other than the first one", status_code=400)

    def test_an_htmx_request_gets_the_results_fragment(self):
        self.login(self.viewer)
        url = reverse("network:gaps", args=[self.wave.public_id])
        response = self.client.get(url, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="results"')
        self.assertNotContains(response, "<html")

    def test_the_page_needs_login(self):
        self.assertNeedsLogin(reverse("network:gaps", args=[self.wave.public_id]))

    def test_an_unknown_wave_is_404(self):
        self.login(self.viewer)
        response = self.client.get(reverse("network:gaps", args=["00000000-0000-0000-0000-000000000000"]))
        self.assertEqual(response.status_code, 404)
