"""The organization list: search, filters, pagination, the htmx fragment and the exports."""

import csv
import io
import json

from openpyxl import load_workbook

from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.tests import factories

LIST = "/partners/organizations/"
EXPORT = "/partners/organizations/export/"


class OrganizationListTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = factories.organization(
            "Warehouse Workers United", "labor", state="IL", city="Joliet", aliases="WWU"
        )
        cls.health_department = factories.organization(
            "Will County Health Department", "public-health", state="IL", level="local"
        )
        cls.federation = factories.organization("State Labor Federation", "labor", state="WI", level="state")
        cls.fundacion = factories.organization(
            "Fundación Trabajadores Unidos", "nonprofit", state="TX", city="El Paso"
        )
        cls.merged = factories.organization("Warehouse Workers Union", "labor", state="IL")
        cls.merged.merged_into = cls.union
        cls.merged.save(update_fields=["merged_into"])

    def setUp(self):
        self.login(self.viewer)

    def names(self, response) -> list[str]:
        return [organization.name for organization in response.context["page"]]


class ListTests(OrganizationListTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(LIST)

    def test_it_lists_visible_organizations_by_name(self):
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.names(response),
            [
                "Fundación Trabajadores Unidos",
                "State Labor Federation",
                "Warehouse Workers United",
                "Will County Health Department",
            ],
        )
        self.assertContains(response, "<html", html=False)
        self.assertContains(response, self.union.get_absolute_url())
        self.assertContains(response, "4 organizations")

    def test_it_hides_merged_organizations(self):
        response = self.client.get(LIST)
        self.assertNotContains(response, "Warehouse Workers Union")

    def test_every_signed_in_role_can_read_it(self):
        for user in [self.administrator, self.facilitator, self.member, self.coder, self.evaluator]:
            self.login(user)
            self.assertEqual(self.client.get(LIST).status_code, 200, user.role)

    def test_only_editors_see_the_add_button(self):
        add_url = "/partners/organizations/new/"
        self.assertNotContains(self.client.get(LIST), add_url)
        self.login(self.facilitator)
        self.assertContains(self.client.get(LIST), add_url)


class SearchTests(OrganizationListTestCase):
    def search(self, query: str) -> list[str]:
        response = self.client.get(LIST, {"q": query})
        self.assertEqual(response.status_code, 200)
        return self.names(response)

    def test_it_searches_the_full_text(self):
        self.assertEqual(self.search("joliet"), ["Warehouse Workers United"])
        self.assertEqual(self.search("county health"), ["Will County Health Department"])

    def test_every_word_must_match(self):
        self.assertEqual(self.search("health federation"), [])

    def test_words_match_as_prefixes(self):
        self.assertEqual(self.search("wareh unit"), ["Warehouse Workers United"])

    def test_it_finds_an_organization_by_alias(self):
        self.assertEqual(self.search("WWU"), ["Warehouse Workers United"])

    def test_it_finds_an_organization_by_sector_name(self):
        self.assertEqual(self.search("public health"), ["Will County Health Department"])

    def test_it_never_finds_a_merged_organization(self):
        self.assertEqual(self.search("union"), [])

    def test_punctuation_alone_lists_everything(self):
        self.assertEqual(len(self.search('"*()')), 4)

    def test_the_search_is_kept_in_the_form(self):
        response = self.client.get(LIST, {"q": "joliet"})
        self.assertContains(response, 'value="joliet"')

    def test_accents_do_not_matter(self):
        self.assertEqual(self.search("fundacion"), ["Fundación Trabajadores Unidos"])
        self.assertEqual(self.search("Fundación"), ["Fundación Trabajadores Unidos"])


class FilterTests(OrganizationListTestCase):
    def filtered(self, **params) -> list[str]:
        response = self.client.get(LIST, params)
        self.assertEqual(response.status_code, 200)
        return self.names(response)

    def test_it_filters_by_sector(self):
        self.assertEqual(
            self.filtered(sector="labor"), ["State Labor Federation", "Warehouse Workers United"]
        )

    def test_it_filters_by_sector_family(self):
        self.assertEqual(self.filtered(family="health"), ["Will County Health Department"])

    def test_it_filters_by_level(self):
        self.assertEqual(self.filtered(level="state"), ["State Labor Federation"])

    def test_it_filters_by_state_ignoring_case(self):
        self.assertEqual(
            self.filtered(state="il"), ["Warehouse Workers United", "Will County Health Department"]
        )

    def test_filters_combine_with_the_search(self):
        self.assertEqual(self.filtered(state="IL", sector="labor", q="ware"), ["Warehouse Workers United"])

    def test_an_unknown_filter_value_lists_nothing(self):
        self.assertEqual(self.filtered(sector="no-such-sector"), [])

    def test_the_filters_are_kept_in_the_form_and_the_export_links(self):
        response = self.client.get(LIST, {"sector": "labor", "state": "IL"})
        self.assertContains(response, '<option value="labor" selected>')
        self.assertContains(response, 'value="IL"')
        self.assertContains(response, f"{EXPORT}?sector=labor&amp;state=IL&amp;format=csv")


class PaginationTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for number in range(30):
            factories.organization(f"Clinic {number:02d}", "healthcare", state="IL")
        factories.organization("Other State Clinic", "healthcare", state="WI")

    def test_it_shows_25_organizations_a_page(self):
        self.login(self.viewer)
        response = self.client.get(LIST, {"state": "IL"})
        self.assertEqual(len(response.context["page"]), 25)
        self.assertContains(response, "30 organizations")
        self.assertContains(response, "Page 1 of 2")

    def test_the_second_page_keeps_the_filters(self):
        self.login(self.viewer)
        response = self.client.get(LIST, {"state": "IL", "page": "2"})
        self.assertEqual(
            [organization.name for organization in response.context["page"]],
            [f"Clinic {number:02d}" for number in range(25, 30)],
        )

    def test_the_next_page_link_keeps_the_filters(self):
        self.login(self.viewer)
        response = self.client.get(LIST, {"state": "IL"})
        self.assertContains(response, 'href="?state=IL&amp;page=2"')

    def test_a_page_out_of_range_gives_the_last_page(self):
        self.login(self.viewer)
        response = self.client.get(LIST, {"state": "IL", "page": "99"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["page"].number, 2)


class HtmxTests(OrganizationListTestCase):
    def test_an_htmx_request_gets_only_the_results_fragment(self):
        response = self.client.get(LIST, {"q": "joliet"}, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertTrue(content.strip().startswith('<section id="results"'), content[:200])
        self.assertNotIn("<html", content)
        self.assertNotIn('role="search"', content)
        self.assertIn("Warehouse Workers United", content)
        self.assertNotIn("Will County Health Department", content)

    def test_a_boosted_request_gets_the_whole_page(self):
        response = self.client.get(LIST, headers={"HX-Request": "true", "HX-Boosted": "true"})
        self.assertContains(response, "<html")


class ExportTests(OrganizationListTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.formula = factories.organization(
            '=HYPERLINK("http://evil.example")', "labor", state="IL", description="+1 kit"
        )

    def export(self, fmt: str, **params):
        response = self.client.get(EXPORT, {"format": fmt, **params})
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'filename="organizations.{fmt}"', response["Content-Disposition"])
        return response

    def test_it_needs_login(self):
        self.assertNeedsLogin(EXPORT + "?format=csv")

    def test_csv_exports_the_filtered_list(self):
        response = self.export("csv", sector="labor", state="IL")
        self.assertTrue(response["Content-Type"].startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:3], ["id", "name", "aliases"])
        by_name = {row[1]: row for row in rows[1:]}
        self.assertEqual(set(by_name), {"Warehouse Workers United", '\'=HYPERLINK("http://evil.example")'})
        union = by_name["Warehouse Workers United"]
        self.assertEqual(union[0], str(self.union.public_id))
        self.assertEqual(union[2], "WWU")
        self.assertEqual(union[3], "Labor")

    def test_csv_neutralises_formulas(self):
        rows = list(csv.reader(io.StringIO(self.export("csv", q="evil").content.decode("utf-8-sig"))))
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][1], '\'=HYPERLINK("http://evil.example")')
        self.assertEqual(rows[1][10], "'+1 kit")

    def test_xlsx_exports_the_filtered_list_and_neutralises_formulas(self):
        response = self.export("xlsx", sector="labor", state="IL")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        self.assertEqual(rows[0][1], "name")
        names = sorted(row[1] for row in rows[1:])
        self.assertEqual(names, ['\'=HYPERLINK("http://evil.example")', "Warehouse Workers United"])
        cell_types = {cell.data_type for row in sheet.iter_rows(min_row=2) for cell in row}
        self.assertNotIn("f", cell_types)

    def test_json_exports_the_filtered_list(self):
        response = self.export("json", q="joliet")
        self.assertEqual(response["Content-Type"], "application/json")
        records = json.loads(response.content)
        self.assertEqual(len(records), 1)
        self.assertEqual(records[0]["name"], "Warehouse Workers United")
        self.assertEqual(records[0]["state"], "IL")
        self.assertEqual(records[0]["id"], str(self.union.public_id))

    def test_it_never_exports_merged_organizations(self):
        records = json.loads(self.export("json").content)
        names = {record["name"] for record in records}
        self.assertNotIn("Warehouse Workers Union", names)
        self.assertEqual(len(names), 5)

    def test_an_unknown_format_is_404(self):
        response = self.client.get(EXPORT, {"format": "pdf"})
        self.assertEqual(response.status_code, 404)
