"""An organization's new name finds its initiatives: the catalog's search text carries the lead's
and the partners' names, and follows a rename made in the registry."""

from django.test import TestCase

from healthywork.catalog.models import Initiative
from healthywork.catalog.tests import factories
from healthywork.core.search import text_search
from healthywork.partners import services as partner_services
from healthywork.partners.models import Organization
from healthywork.partners.tests import factories as partner_factories


def found(words: str) -> set[str]:
    return set(text_search(Initiative.objects.all(), words).values_list("title", flat=True))


class OrganizationRenameTests(TestCase):
    def test_a_renamed_lead_and_partner_are_found_by_their_new_names(self):
        lead = partner_factories.organization(name="Workers United Local 9")
        partner = partner_factories.organization(name="Riverside Clinic")
        factories.initiative("Heat safety campaign", lead, partners=[(partner, "partner")])
        factories.initiative("Unrelated", partner_factories.organization(name="Someone Else"))
        self.assertEqual(found("Riverside"), {"Heat safety campaign"})

        partner_services.update_organization(partner, {"name": "Lakeshore Health Center"}, by=None)
        partner_services.update_organization(lead, {"aliases": "WU9"}, by=None)

        self.assertEqual(found("Lakeshore"), {"Heat safety campaign"})
        self.assertEqual(found("WU9"), {"Heat safety campaign"})
        self.assertEqual(found("Riverside"), set())

    def test_saving_other_fields_rewrites_nothing(self):
        lead = partner_factories.organization(name="Workers United Local 9")
        initiative = factories.initiative("Heat safety campaign", lead)
        stamp = Initiative.objects.get(pk=initiative.pk).updated_at
        with self.assertNumQueries(1):  # the organization's own UPDATE, nothing for the catalog
            lead.save(update_fields=["website"])
        self.assertEqual(Initiative.objects.get(pk=initiative.pk).updated_at, stamp)

    def test_a_rename_costs_the_same_queries_for_one_initiative_or_many(self):
        from healthywork.catalog.services import refresh_search_texts_of

        partner = partner_factories.organization(name="Riverside Clinic")
        factories.initiative("First", partners=[(partner, "partner")])
        Organization.objects.filter(pk=partner.pk).update(name="Lakeshore Health Center")
        partner.refresh_from_db()
        with self.assertNumQueries(3):  # the initiatives, their partners' names, one bulk update
            self.assertEqual(refresh_search_texts_of(partner), 1)
        for number in range(5):
            factories.initiative(f"More {number}", partners=[(partner, "partner")])
        Organization.objects.filter(pk=partner.pk).update(name="Northside Health Center")
        partner.refresh_from_db()
        with self.assertNumQueries(3):
            self.assertEqual(refresh_search_texts_of(partner), 6)
        self.assertEqual(len(found("Northside")), 6)
