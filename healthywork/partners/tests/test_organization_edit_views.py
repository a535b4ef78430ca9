"""Adding and editing an organization."""

from uuid import uuid4

from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.models import Organization, Population
from healthywork.partners.tests import factories

CREATE = "/partners/organizations/new/"


def edit_url(organization) -> str:
    return f"/partners/organizations/{organization.public_id}/edit/"


class OrganizationFormTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = factories.organization(
            "Warehouse Workers United", "labor", aliases="WWU", city="Joliet", state="IL"
        )
        cls.clinic = factories.organization("Will County Clinic", "healthcare", state="IL")
        cls.merged = factories.organization("Warehouse Workers Union", "labor")
        cls.merged.merged_into = cls.union
        cls.merged.save(update_fields=["merged_into"])
        cls.labor = factories.sector("labor")
        cls.low_wage = Population.objects.get(slug="low-wage")
        cls.domestic = Population.objects.get(slug="domestic")

    def form_data(self, **overrides) -> dict:
        data = {
            "name": "Domestic Workers Alliance",
            "aliases": "DWA; Alianza",
            "sector": self.labor.pk,
            "subsector": "worker center",
            "level": "state",
            "city": "Chicago",
            "county": "Cook",
            "state": "IL",
            "website": "https://dwa.example.org",
            "description": "Nannies, housekeepers and caregivers.",
            "populations": [self.low_wage.pk, self.domestic.pk],
            "languages": "English\nSpanish",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    def assertRefused(self, response, field: str) -> None:  # noqa: N802
        self.assertEqual(response.status_code, 400)
        self.assertIn(field, response.context["form"].errors)
        self.assertContains(response, "Please correct the fields marked below.", status_code=400)


class CreateTests(OrganizationFormTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(CREATE)
        self.assertNeedsLogin(CREATE, method="post")

    def test_it_shows_an_empty_form(self):
        self.login(self.facilitator)
        response = self.client.get(CREATE)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Add an organization</h1>")
        self.assertContains(response, 'name="name"')

    def test_read_only_roles_get_403(self):
        for user in [self.viewer, self.member, self.coder, self.evaluator]:
            self.login(user)
            self.assertEqual(self.client.get(CREATE).status_code, 403, user.role)
            response = self.client.post(CREATE, self.form_data())
            self.assertEqual(response.status_code, 403, user.role)
        self.assertFalse(Organization.objects.filter(name="Domestic Workers Alliance").exists())

    def test_a_facilitator_adds_an_organization(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, self.form_data(), follow=True)
        organization = Organization.objects.get(name="Domestic Workers Alliance")
        self.assertRedirects(response, organization.get_absolute_url())
        self.assertContains(response, "Domestic Workers Alliance is added.")
        self.assertEqual(organization.alias_list, ["DWA", "Alianza"])
        self.assertEqual(organization.languages, "English; Spanish")
        self.assertEqual(organization.level, "state")
        self.assertEqual(set(organization.populations.all()), {self.low_wage, self.domestic})

    def test_adding_records_an_audit_event(self):
        self.login(self.facilitator)
        self.client.post(CREATE, self.form_data())
        organization = Organization.objects.get(name="Domestic Workers Alliance")
        event = AuditEvent.objects.for_object(organization).get()
        self.assertEqual(event.action, "create")
        self.assertEqual(event.actor, self.facilitator)
        self.assertEqual(event.changes["name"], [None, "Domestic Workers Alliance"])
        self.assertEqual(
            event.changes["populations"],
            [None, sorted([str(self.low_wage), str(self.domestic)])],
        )

    def test_the_new_organization_can_be_found(self):
        self.login(self.facilitator)
        self.client.post(CREATE, self.form_data())
        response = self.client.get("/partners/organizations/", {"q": "alianza"})
        self.assertEqual(
            [organization.name for organization in response.context["page"]],
            ["Domestic Workers Alliance"],
        )

    def test_an_empty_name_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, self.form_data(name=""))
        self.assertRefused(response, "name")
        self.assertFalse(AuditEvent.objects.exists())
        self.assertEqual(Organization.objects.count(), 3)

    def test_a_missing_sector_or_a_bad_website_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, self.form_data(sector=None, website="not a url"))
        self.assertRefused(response, "sector")
        self.assertIn("website", response.context["form"].errors)
        self.assertEqual(Organization.objects.count(), 3)

    def test_a_duplicate_name_is_refused_with_a_link_to_the_other(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, self.form_data(name="warehouse workers united "))
        self.assertRefused(response, "name")
        self.assertContains(
            response,
            f'<a href="{self.union.get_absolute_url()}">Warehouse Workers United</a>',
            status_code=400,
        )
        self.assertEqual(Organization.objects.count(), 3)
        self.assertFalse(AuditEvent.objects.exists())

    def test_a_name_that_is_another_organizations_alias_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, self.form_data(name="wwu"))
        self.assertRefused(response, "name")
        self.assertContains(response, self.union.get_absolute_url(), status_code=400)
        self.assertEqual(Organization.objects.count(), 3)

    def test_a_merged_organizations_name_is_free(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, self.form_data(name="Warehouse Workers Union"))
        self.assertEqual(response.status_code, 302)

    def test_a_duplicate_is_allowed_when_the_box_is_ticked(self):
        self.login(self.facilitator)
        response = self.client.post(
            CREATE, self.form_data(name="Warehouse Workers United", allow_duplicate="on")
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Organization.objects.filter(name="Warehouse Workers United").count(), 2)


class EditTests(OrganizationFormTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(edit_url(self.union))
        self.assertNeedsLogin(edit_url(self.union), method="post")

    def test_it_shows_the_filled_form(self):
        self.login(self.facilitator)
        response = self.client.get(edit_url(self.union))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Edit Warehouse Workers United</h1>")
        self.assertContains(response, 'value="Joliet"')

    def test_read_only_roles_get_403(self):
        for user in [self.viewer, self.member, self.coder, self.evaluator]:
            self.login(user)
            self.assertEqual(self.client.get(edit_url(self.union)).status_code, 403, user.role)
            response = self.client.post(edit_url(self.union), self.form_data())
            self.assertEqual(response.status_code, 403, user.role)
        self.union.refresh_from_db()
        self.assertEqual(self.union.name, "Warehouse Workers United")
        self.assertFalse(AuditEvent.objects.exists())

    def test_a_merged_or_unknown_organization_is_404(self):
        self.login(self.facilitator)
        self.assertEqual(self.client.get(edit_url(self.merged)).status_code, 404)
        response = self.client.post(edit_url(self.merged), self.form_data(name="Revived"))
        self.assertEqual(response.status_code, 404)
        response = self.client.get(f"/partners/organizations/{uuid4()}/edit/")
        self.assertEqual(response.status_code, 404)

    def test_a_facilitator_edits_an_organization(self):
        self.login(self.facilitator)
        response = self.client.post(
            edit_url(self.union),
            self.form_data(name="Warehouse Workers United", aliases="WWU", city="Aurora"),
        )
        self.assertRedirects(response, self.union.get_absolute_url())
        self.union.refresh_from_db()
        self.assertEqual(self.union.city, "Aurora")
        self.assertEqual(set(self.union.populations.all()), {self.low_wage, self.domestic})

    def test_editing_records_what_changed(self):
        self.login(self.facilitator)
        self.client.post(
            edit_url(self.union),
            self.form_data(name="Warehouse Workers United", aliases="WWU", city="Aurora"),
        )
        event = AuditEvent.objects.for_object(self.union).get()
        self.assertEqual(event.action, "change")
        self.assertEqual(event.actor, self.facilitator)
        self.assertEqual(event.changes["city"], ["Joliet", "Aurora"])
        self.assertNotIn("name", event.changes)

    def test_keeping_its_own_name_is_not_a_duplicate(self):
        self.login(self.facilitator)
        response = self.client.post(
            edit_url(self.union), self.form_data(name="Warehouse Workers United", aliases="WWU")
        )
        self.assertEqual(response.status_code, 302)

    def test_taking_another_organizations_name_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(edit_url(self.clinic), self.form_data(name="WWU"))
        self.assertRefused(response, "name")
        self.assertContains(response, self.union.get_absolute_url(), status_code=400)
        self.clinic.refresh_from_db()
        self.assertEqual(self.clinic.name, "Will County Clinic")
        self.assertFalse(AuditEvent.objects.exists())

    def test_an_empty_name_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(edit_url(self.union), self.form_data(name=" "))
        self.assertRefused(response, "name")
        self.union.refresh_from_db()
        self.assertEqual(self.union.name, "Warehouse Workers United")
        self.assertFalse(AuditEvent.objects.exists())
