"""An initiative's page and history, and adding, editing and deleting one."""

from datetime import date
from uuid import uuid4

from healthywork.catalog.models import Initiative, InitiativePartner, Tag
from healthywork.catalog.tests import factories
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.tests import factories as partner_factories

CREATE = "/catalog/new/"


def detail_url(initiative) -> str:
    return f"/catalog/{initiative.public_id}/"


def edit_url(initiative) -> str:
    return f"/catalog/{initiative.public_id}/edit/"


def delete_url(initiative) -> str:
    return f"/catalog/{initiative.public_id}/delete/"


class InitiativeTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = partner_factories.organization("Warehouse Workers United", "labor", aliases="WWU")
        cls.clinic = partner_factories.organization("Lakeside Clinic", "healthcare")
        cls.funder = partner_factories.organization("Prairie Health Foundation", "nonprofit")
        cls.initiative = factories.initiative(
            "Heat safety ordinance",
            cls.union,
            summary="Water, rest and shade for outdoor workers.",
            partners=[(cls.clinic, "partner"), (cls.funder, "funder")],
            conditions=["free-from-hazards"],
            populations=["agricultural"],
            tags=["heat", "ordinance"],
            twh_level="eliminate",
            evidence_rating="some_evidence",
            geography="Cook County, IL",
            start_date=date(2021, 5, 1),
            links="https://example.org/heat\njavascript:alert(1)",
            source="Interview with the union, 2017",
            by=cls.administrator,
        )

    def form_data(self, **overrides) -> dict:
        data = {
            "title": "Wage theft hotline",
            "summary": "A phone line for unpaid wages.",
            "lead_organization": "WWU",
            "action_type": factories.action_type("legal-services-rights").pk,
            "pse_class": "systems",
            "twh_level": "",
            "level": "local",
            "geography": "Chicago",
            "status": "active",
            "start_date": "2022-01-01",
            "end_date": "2023-06-30",
            "populations": [factories.population("low-wage").pk],
            "conditions": [factories.condition("living-wage").pk],
            "evidence_rating": "",
            "links": "https://example.org/hotline",
            "tags": "wages, Hotline, wages",
            "source": "",
            "partners-TOTAL_FORMS": "3",
            "partners-INITIAL_FORMS": "0",
            "partners-MIN_NUM_FORMS": "0",
            "partners-MAX_NUM_FORMS": "1000",
            "partners-0-organization": "Lakeside Clinic",
            "partners-0-role": "partner",
            "partners-1-organization": "prairie health foundation",
            "partners-1-role": "funder",
            "partners-2-organization": "",
            "partners-2-role": "partner",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    def assertRefused(self, response, field: str, formset: bool = False) -> None:  # noqa: N802
        self.assertEqual(response.status_code, 400)
        if formset:
            self.assertTrue(any(field in errors for errors in response.context["formset"].errors))
        else:
            self.assertIn(field, response.context["form"].errors)
        self.assertContains(response, "Please correct the fields marked below.", status_code=400)


class DetailTests(InitiativeTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(detail_url(self.initiative))

    def test_it_shows_every_field(self):
        self.login(self.viewer)
        response = self.client.get(detail_url(self.initiative))
        self.assertEqual(response.status_code, 200)
        for text in [
            "<h1>Heat safety ordinance</h1>",
            "Water, rest and shade for outdoor workers.",
            "Public policy and advocacy",
            "Policy",
            "Eliminate",
            "Local",
            "Cook County, IL",
            "Active",
            "2021-05-01",
            "Some evidence",
            "Agricultural workers",
            "Free from workplace hazards",
            "Interview with the union, 2017",
        ]:
            self.assertContains(response, text, html=text.startswith("<"))

    def test_it_lists_the_organizations_with_their_roles_and_links(self):
        self.login(self.viewer)
        response = self.client.get(detail_url(self.initiative))
        self.assertContains(
            response, f'<a href="{self.union.get_absolute_url()}">Warehouse Workers United</a>'
        )
        self.assertContains(response, f'<a href="{self.clinic.get_absolute_url()}">Lakeside Clinic</a>')
        self.assertContains(response, "<td>Funder</td>", html=True)
        self.assertContains(response, '<th scope="col">Role</th>', html=True)

    def test_links_open_safely_and_only_web_addresses_become_links(self):
        self.login(self.viewer)
        response = self.client.get(detail_url(self.initiative))
        self.assertContains(response, '<a href="https://example.org/heat" rel="noopener noreferrer">')
        self.assertNotContains(response, 'href="javascript:')

    def test_tags_link_to_the_filtered_catalog(self):
        self.login(self.viewer)
        response = self.client.get(detail_url(self.initiative))
        self.assertContains(response, 'href="/catalog/?tag=heat"')

    def test_an_unknown_initiative_is_a_404(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(f"/catalog/{uuid4()}/").status_code, 404)
        self.assertEqual(self.client.get(f"/catalog/{uuid4()}/history/").status_code, 404)

    def test_only_editors_see_edit_and_delete(self):
        self.login(self.viewer)
        self.assertNotContains(self.client.get(detail_url(self.initiative)), edit_url(self.initiative))
        self.login(self.facilitator)
        response = self.client.get(detail_url(self.initiative))
        self.assertContains(response, edit_url(self.initiative))
        self.assertContains(response, delete_url(self.initiative))

    def test_the_organization_page_lists_the_initiative(self):
        self.login(self.viewer)
        response = self.client.get(self.clinic.get_absolute_url())
        self.assertContains(response, detail_url(self.initiative))


class HistoryTests(InitiativeTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(f"{detail_url(self.initiative)}history/")

    def test_it_shows_the_audit_events_in_a_tab(self):
        self.login(self.viewer)
        response = self.client.get(f"{detail_url(self.initiative)}history/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'aria-current="page">History</a>', html=False)
        self.assertContains(response, "Alice Admin")
        self.assertContains(response, "<td>created</td>", html=True)


class CreateTests(InitiativeTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(CREATE)
        self.assertNeedsLogin(CREATE, method="post")

    def test_it_shows_an_empty_form_with_organization_suggestions(self):
        self.login(self.facilitator)
        response = self.client.get(CREATE)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Add an initiative</h1>", html=True)
        self.assertContains(response, 'list="organization-suggestions"', count=4)
        self.assertContains(response, '<datalist id="organization-suggestions"')
        self.assertContains(response, 'hx-get="/partners/organizations/suggest/"')
        self.assertContains(response, 'name="partners-2-organization"')
        self.assertContains(response, '<label class="visually-hidden" for="id_partners-0-organization">')

    def test_read_only_roles_get_403(self):
        for user in [self.viewer, self.member, self.coder, self.evaluator]:
            self.login(user)
            self.assertEqual(self.client.get(CREATE).status_code, 403, user.role)
            self.assertEqual(self.client.post(CREATE, self.form_data()).status_code, 403, user.role)
        self.assertFalse(Initiative.objects.filter(title="Wage theft hotline").exists())

    def test_a_facilitator_adds_an_initiative_with_partners_and_new_tags(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, self.form_data(), follow=True)
        initiative = Initiative.objects.get(title="Wage theft hotline")
        self.assertRedirects(response, detail_url(initiative))
        self.assertContains(response, "Wage theft hotline is added.")
        self.assertEqual(initiative.lead_organization, self.union)
        self.assertEqual(initiative.end_date, date(2023, 6, 30))
        self.assertEqual(
            sorted((partner.organization.name, partner.role) for partner in initiative.partners.all()),
            [("Lakeside Clinic", "partner"), ("Prairie Health Foundation", "funder")],
        )
        self.assertEqual(sorted(tag.name for tag in initiative.tags.all()), ["Hotline", "wages"])
        self.assertEqual([c.slug for c in initiative.conditions.all()], ["living-wage"])

    def test_an_existing_tag_is_reused_whatever_its_case(self):
        self.login(self.facilitator)
        self.client.post(CREATE, self.form_data(tags="HEAT"))
        self.assertEqual(Tag.objects.filter(name__iexact="heat").count(), 1)
        initiative = Initiative.objects.get(title="Wage theft hotline")
        self.assertEqual([tag.name for tag in initiative.tags.all()], ["heat"])

    def test_it_writes_audit_events(self):
        self.login(self.facilitator)
        self.client.post(CREATE, self.form_data())
        initiative = Initiative.objects.get(title="Wage theft hotline")
        event = AuditEvent.objects.for_object(initiative).get()
        self.assertEqual((event.action, event.actor), ("create", self.facilitator))
        self.assertIn("Lakeside Clinic (partner)", event.changes["partners"][1])
        tag = Tag.objects.get(name="Hotline")
        self.assertEqual(AuditEvent.objects.for_object(tag).get().action, "create")

    def test_the_search_finds_it_by_a_partner_name(self):
        self.login(self.facilitator)
        self.client.post(CREATE, self.form_data())
        response = self.client.get("/catalog/", {"q": "prairie"})
        titles = [initiative.title for initiative in response.context["page"]]
        self.assertIn("Wage theft hotline", titles)

    def test_an_end_before_the_start_is_refused_and_nothing_is_written(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, self.form_data(start_date="2023-01-01", end_date="2022-01-01"))
        self.assertRefused(response, "end_date")
        self.assertContains(response, "The end date is before the start date.", status_code=400)
        self.assertFalse(Initiative.objects.filter(title="Wage theft hotline").exists())
        self.assertFalse(Tag.objects.filter(name="Hotline").exists())

    def test_an_empty_title_is_refused(self):
        self.login(self.facilitator)
        self.assertRefused(self.client.post(CREATE, self.form_data(title="")), "title")

    def test_an_unknown_lead_organization_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, self.form_data(lead_organization="Nobody Inc"))
        self.assertRefused(response, "lead_organization")
        self.assertContains(response, "No organization is called “Nobody Inc”.", status_code=400)

    def test_an_unknown_partner_is_refused_on_its_row(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, self.form_data(**{"partners-0-organization": "Nobody Inc"}))
        self.assertRefused(response, "organization", formset=True)
        self.assertFalse(Initiative.objects.filter(title="Wage theft hotline").exists())

    def test_a_link_that_is_not_a_web_address_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, self.form_data(links="javascript:alert(1)"))
        self.assertRefused(response, "links")

    def test_an_unknown_class_value_is_refused(self):
        self.login(self.facilitator)
        self.assertRefused(self.client.post(CREATE, self.form_data(pse_class="magic")), "pse_class")


class EditTests(InitiativeTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(edit_url(self.initiative))

    def test_read_only_roles_get_403(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(edit_url(self.initiative)).status_code, 403)
        self.assertEqual(self.client.post(edit_url(self.initiative), self.form_data()).status_code, 403)

    def test_an_unknown_initiative_is_a_404(self):
        self.login(self.facilitator)
        self.assertEqual(self.client.get(f"/catalog/{uuid4()}/edit/").status_code, 404)

    def test_the_form_is_filled_with_the_initiative(self):
        self.login(self.facilitator)
        response = self.client.get(edit_url(self.initiative))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="Warehouse Workers United"')
        self.assertContains(response, 'value="heat, ordinance"')
        self.assertContains(
            response, 'name="partners-0-organization" value="Prairie Health Foundation"', html=False
        )
        self.assertContains(response, 'name="partners-INITIAL_FORMS" value="2"', html=False)
        self.assertContains(response, 'name="partners-TOTAL_FORMS" value="5"', html=False)

    def test_it_saves_changes_and_replaces_the_partners(self):
        self.login(self.administrator)
        data = self.form_data(
            title="Heat safety ordinance, second round",
            **{
                "partners-TOTAL_FORMS": "2",
                "partners-INITIAL_FORMS": "2",
                "partners-0-organization": "Prairie Health Foundation",
                "partners-0-role": "funder",
                "partners-0-DELETE": "on",
                "partners-1-organization": "Lakeside Clinic",
                "partners-1-role": "target",
            },
        )
        data.pop("partners-2-organization")
        data.pop("partners-2-role")
        response = self.client.post(edit_url(self.initiative), data)
        self.assertRedirects(response, detail_url(self.initiative))
        self.initiative.refresh_from_db()
        self.assertEqual(self.initiative.title, "Heat safety ordinance, second round")
        self.assertEqual(
            [(p.organization.name, p.role) for p in self.initiative.partners.all()],
            [("Lakeside Clinic", "target")],
        )
        event = AuditEvent.objects.for_object(self.initiative).filter(action="change").get()
        self.assertEqual(event.changes["title"][1], "Heat safety ordinance, second round")
        self.assertIn("partners", event.changes)

    def test_an_invalid_edit_changes_nothing(self):
        self.login(self.administrator)
        response = self.client.post(edit_url(self.initiative), self.form_data(end_date="2000-01-01"))
        self.assertRefused(response, "end_date")
        self.initiative.refresh_from_db()
        self.assertEqual(self.initiative.title, "Heat safety ordinance")
        self.assertEqual(InitiativePartner.objects.filter(initiative=self.initiative).count(), 2)


class DeleteTests(InitiativeTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(delete_url(self.initiative))
        self.assertNeedsLogin(delete_url(self.initiative), method="post")

    def test_read_only_roles_get_403(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(delete_url(self.initiative)).status_code, 403)
        self.assertEqual(self.client.post(delete_url(self.initiative)).status_code, 403)
        self.assertTrue(Initiative.objects.filter(pk=self.initiative.pk).exists())

    def test_it_asks_first(self):
        self.login(self.facilitator)
        response = self.client.get(delete_url(self.initiative))
        self.assertContains(response, "Delete Heat safety ordinance?")
        self.assertContains(response, 'method="post"')
        self.assertTrue(Initiative.objects.filter(pk=self.initiative.pk).exists())

    def test_a_post_deletes_it_with_an_audit_event(self):
        self.login(self.facilitator)
        pk = self.initiative.pk
        response = self.client.post(delete_url(self.initiative), follow=True)
        self.assertRedirects(response, "/catalog/")
        self.assertContains(response, "Heat safety ordinance is deleted.")
        self.assertFalse(Initiative.objects.filter(pk=pk).exists())
        event = AuditEvent.objects.get(action="delete", object_pk=str(pk))
        self.assertEqual(event.actor, self.facilitator)

    def test_an_unknown_initiative_is_a_404(self):
        self.login(self.facilitator)
        self.assertEqual(self.client.post(f"/catalog/{uuid4()}/delete/").status_code, 404)
