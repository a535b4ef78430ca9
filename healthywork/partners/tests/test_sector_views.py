"""Sectors and worker populations: the list with counts, and their forms (administrators only)."""

from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.models import Population, Sector
from healthywork.partners.tests import factories

LIST = "/partners/sectors/"
SECTOR_CREATE = "/partners/sectors/new/"
POPULATION_CREATE = "/partners/populations/new/"


def sector_edit_url(sector) -> str:
    return f"/partners/sectors/{sector.slug}/"


def population_edit_url(population) -> str:
    return f"/partners/populations/{population.slug}/"


class SectorTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.labor = factories.sector("labor")
        cls.low_wage = Population.objects.get(slug="low-wage")
        cls.union = factories.organization("Warehouse Workers United", "labor")
        cls.center = factories.organization("Arise Chicago", "labor")
        cls.clinic = factories.organization("Will County Clinic", "healthcare")
        cls.union.populations.set([cls.low_wage])
        cls.center.populations.set([cls.low_wage])
        cls.merged = factories.organization("Arise", "labor")
        cls.merged.populations.set([cls.low_wage])
        cls.merged.merged_into = cls.center
        cls.merged.save(update_fields=["merged_into"])
        cls.read_only = [cls.facilitator, cls.viewer, cls.member, cls.coder, cls.evaluator]

    def search(self, query: str) -> list[str]:
        response = self.client.get("/partners/organizations/", {"q": query})
        return [organization.name for organization in response.context["page"]]


class ListTests(SectorTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(LIST)

    def test_it_lists_sectors_and_populations_with_counts_of_visible_organizations(self):
        self.login(self.viewer)
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 200)
        sectors = {sector.slug: sector.organization_count for sector in response.context["sectors"]}
        self.assertEqual(sectors["labor"], 2)
        self.assertEqual(sectors["healthcare"], 1)
        self.assertEqual(sectors["legal"], 0)
        populations = {
            population.slug: population.organization_count for population in response.context["populations"]
        }
        self.assertEqual(populations["low-wage"], 2)
        self.assertEqual(populations["domestic"], 0)
        self.assertContains(response, "/partners/organizations/?sector=labor")
        self.assertContains(response, "Low-wage workers")

    def test_only_administrators_see_the_edit_links(self):
        for user in self.read_only:
            self.login(user)
            response = self.client.get(LIST)
            self.assertNotContains(response, SECTOR_CREATE)
            self.assertNotContains(response, sector_edit_url(self.labor))
            self.assertNotContains(response, population_edit_url(self.low_wage))
        self.login(self.administrator)
        response = self.client.get(LIST)
        self.assertContains(response, SECTOR_CREATE)
        self.assertContains(response, POPULATION_CREATE)
        self.assertContains(response, sector_edit_url(self.labor))
        self.assertContains(response, population_edit_url(self.low_wage))


class SectorFormTests(SectorTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(SECTOR_CREATE)
        self.assertNeedsLogin(sector_edit_url(self.labor), method="post")

    def test_only_administrators_may_create_or_rename(self):
        for user in self.read_only:
            self.login(user)
            self.assertEqual(self.client.get(SECTOR_CREATE).status_code, 403, user.role)
            response = self.client.post(
                SECTOR_CREATE, {"name": "Faith", "slug": "faith", "family": "community"}
            )
            self.assertEqual(response.status_code, 403, user.role)
            response = self.client.post(
                sector_edit_url(self.labor),
                {"name": "Unions", "slug": "labor", "family": "labor"},
            )
            self.assertEqual(response.status_code, 403, user.role)
        self.assertFalse(Sector.objects.filter(slug="faith").exists())
        self.labor.refresh_from_db()
        self.assertEqual(self.labor.name, "Labor")

    def test_an_administrator_adds_a_sector(self):
        self.login(self.administrator)
        self.assertContains(self.client.get(SECTOR_CREATE), "<h1>Add a sector</h1>")
        response = self.client.post(
            SECTOR_CREATE,
            {"name": "Faith", "slug": "faith", "family": "community", "description": "Churches."},
            follow=True,
        )
        self.assertRedirects(response, LIST)
        self.assertContains(response, "The sector is saved.")
        sector = Sector.objects.get(slug="faith")
        self.assertEqual(sector.family, "community")
        event = AuditEvent.objects.for_object(sector).get()
        self.assertEqual(event.action, "create")
        self.assertEqual(event.actor, self.administrator)

    def test_an_administrator_renames_a_sector(self):
        self.login(self.administrator)
        response = self.client.get(sector_edit_url(self.labor))
        self.assertContains(response, "<h1>Edit Labor</h1>")
        response = self.client.post(
            sector_edit_url(self.labor),
            {"name": "Organized labor", "slug": "labor", "family": "labor"},
        )
        self.assertRedirects(response, LIST)
        self.labor.refresh_from_db()
        self.assertEqual(self.labor.name, "Organized labor")
        event = AuditEvent.objects.for_object(self.labor).get()
        self.assertEqual(event.action, "change")
        self.assertEqual(event.changes["name"], ["Labor", "Organized labor"])

    def test_renaming_a_sector_updates_the_organizations_search(self):
        self.login(self.administrator)
        self.assertEqual(self.search("organized"), [])
        self.client.post(
            sector_edit_url(self.labor),
            {"name": "Organized labor", "slug": "labor", "family": "labor"},
        )
        self.assertEqual(self.search("organized"), ["Arise Chicago", "Warehouse Workers United"])

    def test_a_taken_name_or_slug_is_refused(self):
        self.login(self.administrator)
        response = self.client.post(SECTOR_CREATE, {"name": "Labor", "slug": "labor", "family": "labor"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.context["form"].errors), {"name", "slug"})
        self.assertFalse(AuditEvent.objects.exists())

    def test_an_empty_name_or_unknown_family_is_refused(self):
        self.login(self.administrator)
        response = self.client.post(
            sector_edit_url(self.labor), {"name": "", "slug": "labor", "family": "astrology"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.context["form"].errors), {"name", "family"})
        self.labor.refresh_from_db()
        self.assertEqual(self.labor.name, "Labor")
        self.assertFalse(AuditEvent.objects.exists())

    def test_an_unknown_sector_is_404(self):
        self.login(self.administrator)
        self.assertEqual(self.client.get("/partners/sectors/no-such-sector/").status_code, 404)


class PopulationFormTests(SectorTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(POPULATION_CREATE)
        self.assertNeedsLogin(population_edit_url(self.low_wage), method="post")

    def test_only_administrators_may_add_or_edit(self):
        for user in self.read_only:
            self.login(user)
            self.assertEqual(self.client.get(POPULATION_CREATE).status_code, 403, user.role)
            response = self.client.post(POPULATION_CREATE, {"name": "Miners", "slug": "miners"})
            self.assertEqual(response.status_code, 403, user.role)
            response = self.client.post(
                population_edit_url(self.low_wage), {"name": "Poor", "slug": "low-wage"}
            )
            self.assertEqual(response.status_code, 403, user.role)
        self.assertFalse(Population.objects.filter(slug="miners").exists())
        self.low_wage.refresh_from_db()
        self.assertEqual(self.low_wage.name, "Low-wage workers")

    def test_an_administrator_adds_a_population(self):
        self.login(self.administrator)
        self.assertContains(self.client.get(POPULATION_CREATE), "<h1>Add a worker population</h1>")
        response = self.client.post(POPULATION_CREATE, {"name": "Miners", "slug": "miners"})
        self.assertRedirects(response, LIST)
        population = Population.objects.get(slug="miners")
        event = AuditEvent.objects.for_object(population).get()
        self.assertEqual(event.action, "create")
        self.assertEqual(event.actor, self.administrator)

    def test_an_administrator_edits_a_population(self):
        self.login(self.administrator)
        response = self.client.get(population_edit_url(self.low_wage))
        self.assertContains(response, "<h1>Edit Low-wage workers</h1>")
        response = self.client.post(
            population_edit_url(self.low_wage),
            {"name": "Low-wage workers", "slug": "low-wage", "description": "Under $15 an hour."},
        )
        self.assertRedirects(response, LIST)
        self.low_wage.refresh_from_db()
        self.assertEqual(self.low_wage.description, "Under $15 an hour.")
        event = AuditEvent.objects.for_object(self.low_wage).get()
        self.assertEqual(event.changes, {"description": ["", "Under $15 an hour."]})

    def test_an_invalid_population_is_refused(self):
        self.login(self.administrator)
        response = self.client.post(POPULATION_CREATE, {"name": "", "slug": "not a slug!"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.context["form"].errors), {"name", "slug"})
        self.assertFalse(AuditEvent.objects.exists())

    def test_an_unknown_population_is_404(self):
        self.login(self.administrator)
        self.assertEqual(self.client.get("/partners/populations/nobody/").status_code, 404)
