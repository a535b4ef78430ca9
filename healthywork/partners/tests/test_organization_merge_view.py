"""Merging a duplicate organization into another, and undoing the merge."""

from uuid import uuid4

from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.models import Affiliation, OrganizationMerge, Population
from healthywork.partners.tests import factories

LIST = "/partners/organizations/"


def merge_url(organization) -> str:
    return f"/partners/organizations/{organization.public_id}/merge/"


def undo_url(merge) -> str:
    return f"/partners/merges/{merge.pk}/undo/"


class MergeTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.low_wage = Population.objects.get(slug="low-wage")
        cls.domestic = Population.objects.get(slug="domestic")
        cls.survivor = factories.organization(
            "Warehouse Workers United", "labor", aliases="WWU", state="IL", description="Union."
        )
        cls.survivor.populations.set([cls.low_wage])
        cls.duplicate = factories.organization(
            "Warehouse Workers Union",
            "labor",
            aliases="W.W.U. Joliet",
            city="Joliet",
            state="WI",
            website="https://wwu.example.org",
            description="Another description.",
        )
        cls.duplicate.populations.set([cls.low_wage, cls.domestic])
        cls.rosa = factories.person("Rosa Organizer", may_be_contacted=True)
        cls.pat = factories.person("Pat Steward", may_be_contacted=False)
        cls.rosa_at_duplicate = factories.affiliation(cls.rosa, cls.duplicate, title="Organizer")
        cls.pat_at_duplicate = factories.affiliation(cls.pat, cls.duplicate, title="Steward")
        cls.pat_at_survivor = factories.affiliation(cls.pat, cls.survivor, title="Member")
        cls.bystander = factories.organization("Will County Clinic", "healthcare")

    def merge(self, other=None):
        self.login(self.administrator)
        other = other or self.duplicate
        return self.client.post(merge_url(self.survivor), {"other": str(other.public_id)})

    def visible_names(self) -> list[str]:
        response = self.client.get(LIST)
        return [organization.name for organization in response.context["page"]]


class MergeFormTests(MergeTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(merge_url(self.survivor))
        self.assertNeedsLogin(merge_url(self.survivor), method="post")

    def test_only_administrators_may_merge(self):
        for user in [self.facilitator, self.viewer, self.member, self.coder, self.evaluator]:
            self.login(user)
            response = self.client.get(merge_url(self.survivor), {"other": "WWU"})
            self.assertEqual(response.status_code, 403, user.role)
            response = self.client.post(merge_url(self.survivor), {"other": str(self.duplicate.public_id)})
            self.assertEqual(response.status_code, 403, user.role)
        self.assertFalse(OrganizationMerge.objects.exists())
        self.duplicate.refresh_from_db()
        self.assertIsNone(self.duplicate.merged_into)

    def test_it_shows_an_empty_form(self):
        self.login(self.administrator)
        response = self.client.get(merge_url(self.survivor))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Merge a duplicate into Warehouse Workers United")
        self.assertNotContains(response, 'method="post"><input type="hidden" name="other"')

    def test_it_shows_what_would_move(self):
        self.login(self.administrator)
        response = self.client.get(merge_url(self.survivor), {"other": "warehouse workers union"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["other"], self.duplicate)
        self.assertContains(response, "Merge Warehouse Workers Union into Warehouse Workers United")
        self.assertContains(response, "2 × affiliations")
        self.assertContains(response, "2 × worker populations served")
        self.assertContains(
            response, f'<input type="hidden" name="other" value="{self.duplicate.public_id}">'
        )
        self.assertFalse(OrganizationMerge.objects.exists())

    def test_the_duplicate_can_be_named_by_alias(self):
        self.login(self.administrator)
        response = self.client.get(merge_url(self.survivor), {"other": "W.W.U. Joliet"})
        self.assertEqual(response.context["other"], self.duplicate)

    def test_a_duplicate_without_links_says_so(self):
        self.login(self.administrator)
        response = self.client.get(merge_url(self.survivor), {"other": "Will County Clinic"})
        self.assertContains(response, "The duplicate has no links")

    def test_an_unknown_name_is_a_field_error(self):
        self.login(self.administrator)
        response = self.client.get(merge_url(self.survivor), {"other": "Nobody Inc"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("other", response.context["form"].errors)
        self.assertContains(response, "No other organization is called", status_code=400)

    def test_an_unknown_survivor_or_a_merged_one_is_404(self):
        self.login(self.administrator)
        response = self.client.get(f"/partners/organizations/{uuid4()}/merge/")
        self.assertEqual(response.status_code, 404)
        self.merge()
        response = self.client.post(merge_url(self.duplicate), {"other": str(self.bystander.public_id)})
        self.assertEqual(response.status_code, 404)
        self.bystander.refresh_from_db()
        self.assertIsNone(self.bystander.merged_into)


class MergeTests(MergeTestCase):
    def test_merging_into_itself_is_refused(self):
        for other in [str(self.survivor.public_id), "WWU", "Warehouse Workers United"]:
            self.login(self.administrator)
            response = self.client.post(merge_url(self.survivor), {"other": other})
            self.assertEqual(response.status_code, 400, other)
            self.assertIn("other", response.context["form"].errors)
        self.assertFalse(OrganizationMerge.objects.exists())
        self.assertFalse(AuditEvent.objects.exists())
        self.survivor.refresh_from_db()
        self.assertIsNone(self.survivor.merged_into)

    def test_an_already_merged_organization_cannot_be_merged_again(self):
        self.merge()
        other = factories.organization("Second Survivor", "labor")
        response = self.client.post(merge_url(other), {"other": str(self.duplicate.public_id)})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(OrganizationMerge.objects.count(), 1)

    def test_it_merges_and_redirects_to_the_survivor(self):
        response = self.merge()
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], self.survivor.get_absolute_url())
        response = self.client.get(response["Location"])
        self.assertContains(response, "Warehouse Workers Union is merged into Warehouse Workers United")
        self.assertContains(response, "Undo this merge")

    def test_affiliations_move_to_the_survivor(self):
        self.merge()
        self.assertEqual(
            set(self.survivor.affiliations.all()),
            {self.rosa_at_duplicate, self.pat_at_duplicate, self.pat_at_survivor},
        )
        self.assertFalse(Affiliation.objects.filter(organization=self.duplicate).exists())

    def test_populations_are_added_to_the_survivor(self):
        self.merge()
        self.assertEqual(set(self.survivor.populations.all()), {self.low_wage, self.domestic})

    def test_the_merged_names_become_aliases_and_blank_fields_are_filled(self):
        self.merge()
        self.survivor.refresh_from_db()
        self.assertEqual(self.survivor.alias_list, ["WWU", "Warehouse Workers Union", "W.W.U. Joliet"])
        self.assertEqual(self.survivor.city, "Joliet")
        self.assertEqual(self.survivor.website, "https://wwu.example.org")
        # Fields the survivor already has stay as they were.
        self.assertEqual(self.survivor.state, "IL")
        self.assertEqual(self.survivor.description, "Union.")

    def test_the_merged_organization_is_hidden_and_its_url_redirects(self):
        self.merge()
        self.assertEqual(self.visible_names(), ["Warehouse Workers United", "Will County Clinic"])
        response = self.client.get(self.duplicate.get_absolute_url())
        self.assertRedirects(response, self.survivor.get_absolute_url())

    def test_the_survivor_is_found_by_the_merged_name(self):
        self.merge()
        response = self.client.get(LIST, {"q": "union joliet"})
        self.assertEqual(
            [organization.name for organization in response.context["page"]],
            ["Warehouse Workers United"],
        )

    def test_merging_records_an_audit_event_on_both(self):
        self.merge()
        survivor_event = AuditEvent.objects.for_object(self.survivor).get()
        self.assertEqual(survivor_event.action, "merge")
        self.assertEqual(survivor_event.actor, self.administrator)
        self.assertEqual(survivor_event.changes["merged"], [None, "Warehouse Workers Union"])
        self.assertEqual(survivor_event.changes["city"], ["", "Joliet"])
        merged_event = AuditEvent.objects.for_object(self.duplicate).get()
        self.assertEqual(merged_event.action, "merge")
        self.assertEqual(merged_event.changes["merged_into"], [None, "Warehouse Workers United"])
        history = self.client.get(f"{self.survivor.get_absolute_url()}history/")
        self.assertContains(history, "merged Warehouse Workers Union into this organization")


class UndoTests(MergeTestCase):
    def setUp(self):
        self.merge()
        self.record = OrganizationMerge.objects.get()

    def undo(self):
        self.login(self.administrator)
        return self.client.post(undo_url(self.record))

    def test_it_needs_login(self):
        self.assertNeedsLogin(undo_url(self.record), method="post")

    def test_only_administrators_may_undo(self):
        for user in [self.facilitator, self.viewer, self.member]:
            self.login(user)
            self.assertEqual(self.client.post(undo_url(self.record)).status_code, 403, user.role)
        self.record.refresh_from_db()
        self.assertIsNone(self.record.undone_at)

    def test_it_needs_a_post(self):
        self.login(self.administrator)
        self.assertEqual(self.client.get(undo_url(self.record)).status_code, 405)

    def test_undo_redirects_to_the_organization_that_is_back(self):
        response = self.undo()
        self.assertEqual(response["Location"], self.duplicate.get_absolute_url())
        response = self.client.get(response["Location"])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The merge is undone: Warehouse Workers Union is back.")

    def test_undo_gives_the_affiliations_back(self):
        self.undo()
        self.assertEqual(
            set(self.duplicate.affiliations.all()), {self.rosa_at_duplicate, self.pat_at_duplicate}
        )
        self.assertEqual(set(self.survivor.affiliations.all()), {self.pat_at_survivor})

    def test_undo_gives_the_populations_back(self):
        self.undo()
        self.assertEqual(set(self.survivor.populations.all()), {self.low_wage})
        self.assertEqual(set(self.duplicate.populations.all()), {self.low_wage, self.domestic})

    def test_undo_restores_the_survivors_aliases_and_fields(self):
        self.undo()
        self.survivor.refresh_from_db()
        self.assertEqual(self.survivor.alias_list, ["WWU"])
        self.assertEqual(self.survivor.city, "")
        self.assertEqual(self.survivor.website, "")
        self.assertEqual(self.survivor.state, "IL")

    def test_undo_makes_the_merged_organization_visible_again(self):
        self.undo()
        self.assertEqual(
            self.visible_names(),
            ["Warehouse Workers Union", "Warehouse Workers United", "Will County Clinic"],
        )
        response = self.client.get(LIST, {"q": "union joliet"})
        self.assertEqual(
            [organization.name for organization in response.context["page"]],
            ["Warehouse Workers Union"],
        )

    def test_undo_records_an_audit_event_on_both(self):
        self.undo()
        self.assertEqual(
            list(AuditEvent.objects.for_object(self.survivor).values_list("action", flat=True)),
            ["unmerge", "merge"],
        )
        event = AuditEvent.objects.for_object(self.duplicate).first()
        self.assertEqual(event.action, "unmerge")
        self.assertEqual(event.actor, self.administrator)

    def test_undoing_twice_is_404(self):
        self.undo()
        response = self.client.post(undo_url(self.record))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(AuditEvent.objects.filter(action="unmerge").count(), 2)

    def test_an_unknown_merge_is_404(self):
        self.login(self.administrator)
        self.assertEqual(self.client.post("/partners/merges/999999/undo/").status_code, 404)

    def test_the_survivor_page_shows_the_merge_as_undone(self):
        self.undo()
        response = self.client.get(self.survivor.get_absolute_url())
        self.assertContains(response, "undone on")
        self.assertNotContains(response, "Undo this merge")
