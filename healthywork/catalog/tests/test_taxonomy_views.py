"""The action types and healthy-work conditions: listed for everyone, edited by administrators."""

from healthywork.catalog.models import ActionType, Condition
from healthywork.catalog.tests import factories
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase

TAXONOMY = "/catalog/taxonomy/"
NEW_ACTION_TYPE = "/catalog/taxonomy/action-types/new/"
NEW_CONDITION = "/catalog/taxonomy/conditions/new/"


class TaxonomyListTests(PersonaTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(TAXONOMY)

    def test_it_lists_the_seeded_terms_with_counts_and_catalog_links(self):
        factories.initiative("Heat safety ordinance", conditions=["free-from-hazards"])
        self.login(self.viewer)
        response = self.client.get(TAXONOMY)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Coalition and network building")
        self.assertContains(response, "Free from workplace hazards")
        self.assertContains(response, 'href="/catalog/?condition=free-from-hazards"')
        self.assertContains(response, '<th scope="col">Initiatives</th>', html=True, count=2)
        self.assertNotContains(response, NEW_ACTION_TYPE)

    def test_administrators_see_the_add_and_rename_links(self):
        self.login(self.administrator)
        response = self.client.get(TAXONOMY)
        self.assertContains(response, NEW_ACTION_TYPE)
        self.assertContains(response, NEW_CONDITION)
        self.assertContains(response, "/catalog/taxonomy/action-types/training-education/")


class TermFormTests(PersonaTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(NEW_ACTION_TYPE)
        self.assertNeedsLogin(NEW_CONDITION, method="post")

    def test_facilitators_and_read_only_roles_get_403(self):
        for user in [self.facilitator, self.viewer, self.member]:
            self.login(user)
            self.assertEqual(self.client.get(NEW_ACTION_TYPE).status_code, 403, user.role)
            response = self.client.post(NEW_CONDITION, {"name": "Paid leave", "slug": "paid-leave"})
            self.assertEqual(response.status_code, 403, user.role)
        self.assertFalse(Condition.objects.filter(slug="paid-leave").exists())

    def test_an_administrator_adds_an_action_type_with_an_audit_event(self):
        self.login(self.administrator)
        response = self.client.post(
            NEW_ACTION_TYPE, {"name": "Procurement standards", "slug": "procurement", "position": "20"}
        )
        self.assertRedirects(response, TAXONOMY)
        term = ActionType.objects.get(slug="procurement")
        event = AuditEvent.objects.for_object(term).get()
        self.assertEqual((event.action, event.actor), ("create", self.administrator))

    def test_an_administrator_renames_a_condition(self):
        self.login(self.administrator)
        condition = factories.condition("benefits")
        url = "/catalog/taxonomy/conditions/benefits/"
        self.assertContains(self.client.get(url), 'value="Benefits"')
        response = self.client.post(
            url, {"name": "Benefits and paid leave", "slug": "benefits", "position": "3"}
        )
        self.assertRedirects(response, TAXONOMY)
        condition.refresh_from_db()
        self.assertEqual(condition.name, "Benefits and paid leave")
        event = AuditEvent.objects.for_object(condition).get()
        self.assertEqual(event.changes["name"], ["Benefits", "Benefits and paid leave"])

    def test_a_duplicate_name_is_a_400_and_nothing_is_written(self):
        self.login(self.administrator)
        response = self.client.post(
            NEW_ACTION_TYPE, {"name": "Research and data", "slug": "research-2", "position": "0"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.context["form"].errors)
        self.assertContains(response, "Please correct the fields marked below.", status_code=400)
        self.assertFalse(ActionType.objects.filter(slug="research-2").exists())

    def test_an_unknown_term_is_a_404(self):
        self.login(self.administrator)
        self.assertEqual(self.client.get("/catalog/taxonomy/action-types/no-such-type/").status_code, 404)
        self.assertEqual(self.client.get("/catalog/taxonomy/conditions/no-such-condition/").status_code, 404)
