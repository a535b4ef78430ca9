"""An organization's page and its history tab."""

from datetime import date
from uuid import uuid4

from healthywork.core import audit
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners import services
from healthywork.partners.models import Population
from healthywork.partners.tests import factories


def detail_url(organization) -> str:
    return f"/partners/organizations/{organization.public_id}/"


def history_url(organization) -> str:
    return f"/partners/organizations/{organization.public_id}/history/"


class OrganizationDetailTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = factories.organization(
            "Warehouse Workers United",
            "labor",
            aliases="WWU\nWarehouse United",
            subsector="worker center",
            city="Joliet",
            county="Will",
            state="IL",
            website="https://wwu.example.org",
            description="Organizes warehouse workers.",
            languages="English; Spanish",
        )
        cls.union.populations.set(Population.objects.filter(slug="manufacturing-warehouse"))
        cls.contactable = factories.person("Rosa Contactable", may_be_contacted=True)
        cls.private = factories.person("Pat Private", may_be_contacted=False)
        factories.affiliation(cls.contactable, cls.union, title="Organizer", start_date=date(2020, 1, 1))
        factories.affiliation(cls.private, cls.union, title="Steward")
        cls.duplicate = factories.organization("Warehouse Workers Union", "labor")
        cls.duplicate.merged_into = cls.union
        cls.duplicate.save(update_fields=["merged_into"])


class DetailTests(OrganizationDetailTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(detail_url(self.union))

    def test_it_shows_the_facts(self):
        self.login(self.viewer)
        response = self.client.get(detail_url(self.union))
        self.assertEqual(response.status_code, 200)
        for text in [
            "<h1>Warehouse Workers United</h1>",
            "worker center",
            "WWU; Warehouse United",
            "Joliet, Will County, IL",
            'href="https://wwu.example.org"',
            "Manufacturing and warehouse workers",
            "English, Spanish",
            "Organizes warehouse workers.",
        ]:
            self.assertContains(response, text)

    def test_roles_that_see_everyone_see_every_affiliation(self):
        for user in [self.administrator, self.facilitator, self.coder, self.evaluator]:
            self.login(user)
            response = self.client.get(detail_url(self.union))
            self.assertContains(response, "Rosa Contactable")
            self.assertContains(response, "Organizer")
            self.assertContains(response, "2020-01-01")
            self.assertContains(response, "Pat Private", msg_prefix=user.role)
            self.assertContains(response, "Steward")

    def test_people_who_may_not_be_contacted_are_hidden_from_viewers_and_team_members(self):
        for user in [self.viewer, self.member]:
            self.login(user)
            response = self.client.get(detail_url(self.union))
            self.assertContains(response, "Rosa Contactable")
            self.assertNotContains(response, "Pat Private", msg_prefix=user.role)
            self.assertNotContains(response, "Steward")
            self.assertNotContains(response, str(self.private.public_id))

    def test_only_editors_see_the_edit_link_and_only_administrators_the_merge_link(self):
        edit = f"{detail_url(self.union)}edit/"
        merge = f"{detail_url(self.union)}merge/"
        self.login(self.viewer)
        response = self.client.get(detail_url(self.union))
        self.assertNotContains(response, edit)
        self.assertNotContains(response, merge)
        self.login(self.facilitator)
        response = self.client.get(detail_url(self.union))
        self.assertContains(response, edit)
        self.assertNotContains(response, merge)
        self.login(self.administrator)
        self.assertContains(self.client.get(detail_url(self.union)), merge)

    def test_an_unknown_organization_is_404(self):
        self.login(self.administrator)
        response = self.client.get(f"/partners/organizations/{uuid4()}/")
        self.assertEqual(response.status_code, 404)

    def test_a_merged_organization_redirects_to_the_survivor(self):
        self.login(self.viewer)
        response = self.client.get(detail_url(self.duplicate))
        self.assertRedirects(response, detail_url(self.union))
        response = self.client.get(detail_url(self.duplicate), follow=True)
        self.assertContains(response, "That organization was merged into this one.")

    def test_a_chain_of_merges_redirects_to_the_last_survivor(self):
        older = factories.organization("WWU Chicago", "labor")
        older.merged_into = self.duplicate
        older.save(update_fields=["merged_into"])
        self.login(self.viewer)
        self.assertRedirects(self.client.get(detail_url(older)), detail_url(self.union))

    def test_a_merged_organization_page_needs_login_before_it_redirects(self):
        self.assertNeedsLogin(detail_url(self.duplicate))


class HistoryTests(OrganizationDetailTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        services.update_organization(cls.union, {"city": "Aurora"}, by=cls.facilitator)
        audit.record(None, "import", cls.union, note="from the 2024 scan")

    def test_it_needs_login(self):
        self.assertNeedsLogin(history_url(self.union))

    def test_it_lists_the_audit_events_newest_first(self):
        self.login(self.viewer)
        response = self.client.get(history_url(self.union))
        self.assertEqual(response.status_code, 200)
        events = list(response.context["page"])
        self.assertEqual([event.action for event in events], ["import", "change"])
        self.assertContains(response, "fran")
        self.assertContains(response, "Joliet")
        self.assertContains(response, "Aurora")
        self.assertContains(response, "from the 2024 scan")
        self.assertContains(response, 'aria-current="page">History')

    def test_it_lists_only_this_organizations_events(self):
        other = factories.organization("Someone Else")
        services.update_organization(other, {"city": "Peoria"}, by=self.facilitator)
        self.login(self.viewer)
        response = self.client.get(history_url(self.union))
        self.assertNotContains(response, "Peoria")
        self.assertEqual(AuditEvent.objects.for_object(self.union).count(), len(response.context["page"]))

    def test_an_organization_without_events_says_so(self):
        quiet = factories.organization("Quiet Clinic", "healthcare")
        self.login(self.viewer)
        self.assertContains(self.client.get(history_url(quiet)), "No recorded changes yet.")

    def test_a_merged_or_unknown_organization_is_404(self):
        self.login(self.administrator)
        self.assertEqual(self.client.get(history_url(self.duplicate)).status_code, 404)
        response = self.client.get(f"/partners/organizations/{uuid4()}/history/")
        self.assertEqual(response.status_code, 404)
