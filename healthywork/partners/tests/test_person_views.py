"""People: the list, a person's page and history, adding and editing, and affiliations."""

from datetime import date
from uuid import uuid4

from healthywork.core import audit
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.models import Affiliation, Person
from healthywork.partners.tests import factories

LIST = "/partners/people/"
CREATE = "/partners/people/new/"


def detail_url(person) -> str:
    return f"/partners/people/{person.public_id}/"


def edit_url(person) -> str:
    return f"/partners/people/{person.public_id}/edit/"


def history_url(person) -> str:
    return f"/partners/people/{person.public_id}/history/"


def affiliation_create_url(person) -> str:
    return f"/partners/people/{person.public_id}/affiliations/new/"


def affiliation_edit_url(affiliation) -> str:
    return f"/partners/people/{affiliation.person.public_id}/affiliations/{affiliation.pk}/"


def affiliation_delete_url(affiliation) -> str:
    return f"{affiliation_edit_url(affiliation)}delete/"


class PersonTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = factories.organization("Warehouse Workers United", "labor", aliases="WWU")
        cls.clinic = factories.organization("Will County Clinic", "healthcare")
        cls.rosa = factories.person(
            "Rosa Martínez",
            email="rosa@union.example.org",
            phone="555-0100",
            preferred_language="es",
            may_be_contacted=True,
            notes="Met at the 2024 convening.",
        )
        cls.pat = factories.person("Pat Private", email="pat@example.org", may_be_contacted=False)
        cls.rosa_at_union = factories.affiliation(
            cls.rosa, cls.union, title="Organizer", start_date=date(2020, 3, 1)
        )
        cls.pat_at_clinic = factories.affiliation(cls.pat, cls.clinic, title="Nurse")

    def names(self, response) -> list[str]:
        return [person.name for person in response.context["page"]]


class ListTests(PersonTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(LIST)

    def test_it_lists_everyone_for_roles_that_see_everyone(self):
        for user in [self.administrator, self.facilitator, self.coder, self.evaluator]:
            self.login(user)
            response = self.client.get(LIST)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(self.names(response), ["Pat Private", "Rosa Martínez"], user.role)
        self.assertContains(response, "Warehouse Workers United (Organizer)")
        self.assertContains(response, "Spanish")

    def test_it_hides_people_who_may_not_be_contacted_from_viewers_and_team_members(self):
        for user in [self.viewer, self.member]:
            self.login(user)
            response = self.client.get(LIST)
            self.assertEqual(self.names(response), ["Rosa Martínez"], user.role)
            self.assertNotContains(response, "Pat Private")

    def test_it_searches_names_and_emails(self):
        self.login(self.administrator)
        self.assertEqual(self.names(self.client.get(LIST, {"q": "rosa"})), ["Rosa Martínez"])
        self.assertEqual(self.names(self.client.get(LIST, {"q": "mart"})), ["Rosa Martínez"])
        self.assertEqual(self.names(self.client.get(LIST, {"q": "union.example"})), ["Rosa Martínez"])
        self.assertEqual(self.names(self.client.get(LIST, {"q": "nobody"})), [])

    def test_a_search_never_finds_a_hidden_person(self):
        self.login(self.viewer)
        self.assertEqual(self.names(self.client.get(LIST, {"q": "pat"})), [])

    def test_an_htmx_request_gets_only_the_results_fragment(self):
        self.login(self.administrator)
        response = self.client.get(LIST, {"q": "rosa"}, headers={"HX-Request": "true"})
        content = response.content.decode()
        self.assertTrue(content.strip().startswith('<section id="results"'), content[:200])
        self.assertNotIn("<html", content)
        self.assertIn("Rosa Martínez", content)


class DetailTests(PersonTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(detail_url(self.rosa))

    def test_it_shows_the_facts_and_affiliations(self):
        self.login(self.viewer)
        response = self.client.get(detail_url(self.rosa))
        self.assertEqual(response.status_code, 200)
        for text in [
            "<h1>Rosa Martínez</h1>",
            'href="mailto:rosa@union.example.org"',
            "555-0100",
            "Spanish",
            "Met at the 2024 convening.",
            self.union.get_absolute_url(),
            "Organizer",
            "2020-03-01",
        ]:
            self.assertContains(response, text)

    def test_only_editors_see_the_edit_links(self):
        self.login(self.viewer)
        response = self.client.get(detail_url(self.rosa))
        self.assertNotContains(response, edit_url(self.rosa))
        self.assertNotContains(response, affiliation_delete_url(self.rosa_at_union))
        self.login(self.facilitator)
        response = self.client.get(detail_url(self.rosa))
        self.assertContains(response, edit_url(self.rosa))
        self.assertContains(response, affiliation_delete_url(self.rosa_at_union))

    def test_a_person_who_may_not_be_contacted_is_404_for_viewers_and_team_members(self):
        for user in [self.viewer, self.member]:
            self.login(user)
            self.assertEqual(self.client.get(detail_url(self.pat)).status_code, 404, user.role)
            self.assertEqual(self.client.get(history_url(self.pat)).status_code, 404, user.role)

    def test_research_roles_see_a_person_who_may_not_be_contacted(self):
        for user in [self.coder, self.evaluator, self.facilitator]:
            self.login(user)
            self.assertContains(self.client.get(detail_url(self.pat)), "Pat Private")

    def test_an_unknown_person_is_404(self):
        self.login(self.administrator)
        self.assertEqual(self.client.get(f"/partners/people/{uuid4()}/").status_code, 404)
        self.assertEqual(self.client.get(f"/partners/people/{uuid4()}/history/").status_code, 404)


class HistoryTests(PersonTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(history_url(self.rosa))

    def test_it_lists_the_audit_events(self):
        audit.record(self.facilitator, "change", self.rosa, {"phone": ["", "555-0100"]})
        audit.record(self.facilitator, "change", self.pat, {"phone": ["", "555-0199"]})
        self.login(self.viewer)
        response = self.client.get(history_url(self.rosa))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["page"]), 1)
        self.assertContains(response, "555-0100")
        self.assertNotContains(response, "555-0199")
        self.assertContains(response, 'aria-current="page">History')


class CreateTests(PersonTestCase):
    data = {
        "name": "Ana Lopez",
        "email": "ana@example.org",
        "phone": "",
        "preferred_language": "es",
        "may_be_contacted": "on",
        "consent_recorded_on": "2024-05-01",
        "notes": "",
    }

    def test_it_needs_login(self):
        self.assertNeedsLogin(CREATE)
        self.assertNeedsLogin(CREATE, method="post")

    def test_it_shows_an_empty_form(self):
        self.login(self.facilitator)
        response = self.client.get(CREATE)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Add a person</h1>")

    def test_read_only_roles_get_403(self):
        for user in [self.viewer, self.member, self.coder, self.evaluator]:
            self.login(user)
            self.assertEqual(self.client.get(CREATE).status_code, 403, user.role)
            self.assertEqual(self.client.post(CREATE, self.data).status_code, 403, user.role)
        self.assertFalse(Person.objects.filter(name="Ana Lopez").exists())

    def test_a_facilitator_adds_a_person(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, self.data, follow=True)
        person = Person.objects.get(name="Ana Lopez")
        self.assertRedirects(response, detail_url(person))
        self.assertContains(response, "Ana Lopez is added.")
        self.assertTrue(person.may_be_contacted)
        self.assertFalse(person.may_be_named)
        self.assertEqual(person.consent_recorded_on, date(2024, 5, 1))
        event = AuditEvent.objects.for_object(person).get()
        self.assertEqual(event.action, "create")
        self.assertEqual(event.actor, self.facilitator)
        self.assertEqual(event.changes["email"], [None, "ana@example.org"])

    def test_an_empty_name_or_a_bad_email_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(CREATE, {**self.data, "name": "", "email": "not-an-email"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.context["form"].errors), {"name", "email"})
        self.assertEqual(Person.objects.count(), 2)
        self.assertFalse(AuditEvent.objects.exists())


class EditTests(PersonTestCase):
    def data(self, **overrides) -> dict:
        return {
            "name": "Rosa Martínez",
            "email": "rosa@union.example.org",
            "phone": "555-0111",
            "preferred_language": "es",
            "may_be_contacted": "on",
            "notes": "Met at the 2024 convening.",
            **overrides,
        }

    def test_it_needs_login(self):
        self.assertNeedsLogin(edit_url(self.rosa))
        self.assertNeedsLogin(edit_url(self.rosa), method="post")

    def test_it_shows_the_filled_form(self):
        self.login(self.facilitator)
        response = self.client.get(edit_url(self.rosa))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Edit Rosa Martínez</h1>")
        self.assertContains(response, 'value="555-0100"')

    def test_read_only_roles_get_403(self):
        for user in [self.viewer, self.member, self.coder]:
            self.login(user)
            self.assertEqual(self.client.get(edit_url(self.rosa)).status_code, 403, user.role)
            self.assertEqual(self.client.post(edit_url(self.rosa), self.data()).status_code, 403, user.role)
        self.rosa.refresh_from_db()
        self.assertEqual(self.rosa.phone, "555-0100")

    def test_an_unknown_person_is_404(self):
        self.login(self.facilitator)
        response = self.client.post(f"/partners/people/{uuid4()}/edit/", self.data())
        self.assertEqual(response.status_code, 404)

    def test_a_facilitator_edits_a_person_and_the_change_is_recorded(self):
        self.login(self.facilitator)
        response = self.client.post(edit_url(self.rosa), self.data())
        self.assertRedirects(response, detail_url(self.rosa))
        self.rosa.refresh_from_db()
        self.assertEqual(self.rosa.phone, "555-0111")
        event = AuditEvent.objects.for_object(self.rosa).get()
        self.assertEqual(event.action, "change")
        self.assertEqual(event.changes["phone"], ["555-0100", "555-0111"])
        self.assertNotIn("name", event.changes)
        history = self.client.get(history_url(self.rosa))
        self.assertContains(history, "555-0111")

    def test_an_empty_name_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(edit_url(self.rosa), self.data(name=""))
        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.context["form"].errors)
        self.rosa.refresh_from_db()
        self.assertEqual(self.rosa.name, "Rosa Martínez")
        self.assertFalse(AuditEvent.objects.exists())


class AffiliationTests(PersonTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(affiliation_create_url(self.rosa))
        self.assertNeedsLogin(affiliation_create_url(self.rosa), method="post")
        self.assertNeedsLogin(affiliation_edit_url(self.rosa_at_union))
        self.assertNeedsLogin(affiliation_delete_url(self.rosa_at_union), method="post")

    def test_read_only_roles_get_403(self):
        for user in [self.viewer, self.member, self.coder, self.evaluator]:
            self.login(user)
            for url in [affiliation_create_url(self.rosa), affiliation_edit_url(self.rosa_at_union)]:
                self.assertEqual(self.client.get(url).status_code, 403, user.role)
                response = self.client.post(url, {"organization": "Will County Clinic"})
                self.assertEqual(response.status_code, 403, user.role)
            response = self.client.post(affiliation_delete_url(self.rosa_at_union))
            self.assertEqual(response.status_code, 403, user.role)
        self.assertEqual(Affiliation.objects.count(), 2)
        self.assertFalse(AuditEvent.objects.exists())

    def test_it_shows_the_forms(self):
        self.login(self.facilitator)
        response = self.client.get(affiliation_create_url(self.rosa))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Add an affiliation</h1>")
        response = self.client.get(affiliation_edit_url(self.rosa_at_union))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Edit the affiliation</h1>")
        self.assertContains(response, 'value="Warehouse Workers United"')

    def test_a_facilitator_adds_an_affiliation(self):
        self.login(self.facilitator)
        response = self.client.post(
            affiliation_create_url(self.rosa),
            {"organization": "will county clinic", "title": "Volunteer", "start_date": "2023-01-01"},
        )
        self.assertRedirects(response, detail_url(self.rosa))
        affiliation = self.rosa.affiliations.get(organization=self.clinic)
        self.assertEqual(affiliation.title, "Volunteer")
        self.assertEqual(affiliation.start_date, date(2023, 1, 1))
        event = AuditEvent.objects.for_object(affiliation).get()
        self.assertEqual(event.action, "create")
        self.assertEqual(event.changes["organization"], [None, "Will County Clinic"])

    def test_an_organization_typed_by_alias_works(self):
        self.login(self.facilitator)
        response = self.client.post(affiliation_create_url(self.pat), {"organization": "wwu"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.pat.affiliations.filter(organization=self.union).exists())

    def test_an_unknown_organization_is_a_field_error(self):
        self.login(self.facilitator)
        response = self.client.post(affiliation_create_url(self.rosa), {"organization": "Nobody Inc"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("organization", response.context["form"].errors)
        self.assertContains(response, "No organization is called", status_code=400)
        self.assertEqual(self.rosa.affiliations.count(), 1)
        self.assertFalse(AuditEvent.objects.exists())

    def test_a_merged_organizations_name_is_a_field_error(self):
        merged = factories.organization("Old Clinic Name", "healthcare")
        merged.merged_into = self.clinic
        merged.save(update_fields=["merged_into"])
        self.login(self.facilitator)
        response = self.client.post(affiliation_create_url(self.rosa), {"organization": "Old Clinic Name"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("organization", response.context["form"].errors)

    def test_an_ambiguous_organization_name_is_a_field_error(self):
        factories.organization("Will County Clinic", "healthcare")
        self.login(self.facilitator)
        response = self.client.post(affiliation_create_url(self.rosa), {"organization": "Will County Clinic"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Several organizations are called", status_code=400)

    def test_an_end_before_the_start_is_an_error_on_the_end_date(self):
        self.login(self.facilitator)
        response = self.client.post(
            affiliation_create_url(self.rosa),
            {"organization": "Will County Clinic", "start_date": "2023-06-01", "end_date": "2023-01-01"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.context["form"].errors["end_date"], ["The end date is before the start date."]
        )
        self.assertEqual(self.rosa.affiliations.count(), 1)
        self.assertFalse(AuditEvent.objects.exists())

    def test_a_facilitator_edits_an_affiliation(self):
        self.login(self.facilitator)
        response = self.client.post(
            affiliation_edit_url(self.rosa_at_union),
            {
                "organization": "Warehouse Workers United",
                "title": "Lead organizer",
                "start_date": "2020-03-01",
                "end_date": "2024-12-31",
            },
        )
        self.assertRedirects(response, detail_url(self.rosa))
        self.rosa_at_union.refresh_from_db()
        self.assertEqual(self.rosa_at_union.title, "Lead organizer")
        self.assertEqual(self.rosa_at_union.end_date, date(2024, 12, 31))
        event = AuditEvent.objects.for_object(self.rosa_at_union).get()
        self.assertEqual(event.action, "change")
        self.assertEqual(
            event.changes,
            {"title": ["Organizer", "Lead organizer"], "end_date": [None, "2024-12-31"]},
        )

    def test_an_invalid_edit_changes_nothing(self):
        self.login(self.facilitator)
        response = self.client.post(
            affiliation_edit_url(self.rosa_at_union),
            {
                "organization": "Warehouse Workers United",
                "title": "X",
                "end_date": "2019-01-01",
                "start_date": "2020-03-01",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("end_date", response.context["form"].errors)
        self.rosa_at_union.refresh_from_db()
        self.assertEqual(self.rosa_at_union.title, "Organizer")
        self.assertFalse(AuditEvent.objects.exists())

    def test_a_facilitator_removes_an_affiliation(self):
        self.login(self.facilitator)
        pk = self.rosa_at_union.pk
        response = self.client.post(affiliation_delete_url(self.rosa_at_union), follow=True)
        self.assertRedirects(response, detail_url(self.rosa))
        self.assertContains(response, "The affiliation is removed.")
        self.assertFalse(Affiliation.objects.filter(pk=pk).exists())
        event = AuditEvent.objects.get(action="delete")
        self.assertEqual(event.object_pk, str(pk))
        self.assertEqual(event.actor, self.facilitator)
        self.assertEqual(event.changes["title"], ["Organizer", None])

    def test_removing_needs_a_post(self):
        self.login(self.facilitator)
        response = self.client.get(affiliation_delete_url(self.rosa_at_union))
        self.assertEqual(response.status_code, 405)
        self.assertTrue(Affiliation.objects.filter(pk=self.rosa_at_union.pk).exists())

    def test_another_persons_affiliation_is_404(self):
        self.login(self.facilitator)
        wrong_person = f"/partners/people/{self.rosa.public_id}/affiliations/{self.pat_at_clinic.pk}/"
        self.assertEqual(self.client.get(wrong_person).status_code, 404)
        response = self.client.post(wrong_person, {"organization": "WWU", "title": "Hijacked"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.post(wrong_person + "delete/").status_code, 404)
        self.pat_at_clinic.refresh_from_db()
        self.assertEqual(self.pat_at_clinic.title, "Nurse")
        self.assertEqual(self.pat_at_clinic.organization, self.clinic)

    def test_an_unknown_person_or_affiliation_is_404(self):
        self.login(self.facilitator)
        response = self.client.get(f"/partners/people/{uuid4()}/affiliations/new/")
        self.assertEqual(response.status_code, 404)
        response = self.client.get(f"/partners/people/{self.rosa.public_id}/affiliations/999999/")
        self.assertEqual(response.status_code, 404)


class PersonFilterTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        labor = factories.organization("Arise Chicago", sector_slug="labor", state="IL")
        health = factories.organization(
            "Prairie Health District", sector_slug="public-health", state="WI", level="state"
        )
        cls.organizer = factories.person("Lucía Organizer", may_be_contacted=True)
        cls.nurse = factories.person("Nora Nurse", may_be_contacted=True)
        factories.affiliation(cls.organizer, labor)
        factories.affiliation(cls.nurse, health)
        factories.affiliation(cls.nurse, labor)

    def names(self, **params) -> list[str]:
        response = self.client.get(LIST, params)
        self.assertEqual(response.status_code, 200)
        return [person.name for person in response.context["page"]]

    def test_it_filters_people_by_their_organizations_sector_family_level_and_state(self):
        self.login(self.viewer)
        self.assertEqual(self.names(family="health"), ["Nora Nurse"])
        self.assertEqual(self.names(sector="labor"), ["Lucía Organizer", "Nora Nurse"])
        self.assertEqual(self.names(level="state"), ["Nora Nurse"])
        self.assertEqual(self.names(state="il"), ["Lucía Organizer", "Nora Nurse"])
        self.assertEqual(self.names(state="IL", q="lucia"), ["Lucía Organizer"])

    def test_an_unknown_filter_value_lists_no_one(self):
        self.login(self.viewer)
        self.assertEqual(self.names(family="astrology"), [])
