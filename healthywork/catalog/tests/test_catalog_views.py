"""The faceted catalog page: search, facets with live counts, sorts, pagination, the URL state,
the htmx fragment; and the facet functions behind it."""

from datetime import date, timedelta

from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from healthywork.catalog import facets
from healthywork.catalog.models import Initiative
from healthywork.catalog.tests import factories
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.tests import factories as partner_factories

CATALOG = "/catalog/"


class CatalogTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = partner_factories.organization("Warehouse Workers United", "labor", aliases="WWU")
        cls.health_department = partner_factories.organization(
            "Will County Health Department", "public-health"
        )
        cls.clinic = partner_factories.organization("Lakeside Clinic", "healthcare")
        cls.legal_aid = partner_factories.organization("Workers Legal Aid", "legal")
        cls.wage_theft = factories.initiative(
            "Wage theft ordinance",
            cls.union,
            summary="A city ordinance against unpaid wages.",
            conditions=["living-wage"],
            populations=["low-wage"],
            tags=["wages"],
            start_date=date(2020, 1, 1),
        )
        cls.heat = factories.initiative(
            "Heat safety training",
            cls.health_department,
            action="training-education",
            pse_class="individual",
            level="state",
            conditions=["free-from-hazards"],
            populations=["agricultural"],
            tags=["heat"],
            start_date=date(2022, 5, 1),
        )
        cls.sick_leave = factories.initiative(
            "Paid sick leave campaign",
            cls.union,
            level="state",
            status="completed",
            conditions=["benefits", "living-wage"],
            populations=["low-wage", "restaurant-food-service"],
            tags=["wages", "sick leave"],
            start_date=date(2019, 3, 1),
        )
        cls.scheduling = factories.initiative(
            "Fair scheduling policy",
            cls.clinic,
            action="internal-policy",
            pse_class="systems",
            twh_level="redesign",
            evidence_rating="some_evidence",
            conditions=["job-security"],
            partners=[(cls.union, "partner")],
            start_date=date(2021, 7, 1),
        )
        cls.rights = factories.initiative(
            "Know your rights workshops",
            cls.legal_aid,
            action="legal-services-rights",
            pse_class="individual",
            status="proposed",
            populations=["immigrant-undocumented"],
        )

    def setUp(self):
        self.login(self.viewer)

    def titles(self, response) -> list[str]:
        return [initiative.title for initiative in response.context["page"]]

    def get(self, params: dict | None = None, **headers):
        response = self.client.get(CATALOG, params or {}, headers=headers or None)
        self.assertEqual(response.status_code, 200)
        return response

    def counts(self, response, key: str) -> dict[str, int]:
        """{value: count} of one facet as the page shows it (zero counts included)."""
        group = next(group for group in response.context["facet_groups"] if group.key == key)
        return {option.value: option.count for option in group.options}


class PageTests(CatalogTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(CATALOG)

    def test_it_lists_every_initiative_by_title(self):
        response = self.get()
        self.assertEqual(
            self.titles(response),
            [
                "Fair scheduling policy",
                "Heat safety training",
                "Know your rights workshops",
                "Paid sick leave campaign",
                "Wage theft ordinance",
            ],
        )
        self.assertContains(response, "5 initiatives")
        self.assertContains(response, self.heat.get_absolute_url())

    def test_every_signed_in_role_can_read_it(self):
        for user in [self.administrator, self.facilitator, self.member, self.coder, self.evaluator]:
            self.login(user)
            self.assertEqual(self.client.get(CATALOG).status_code, 200, user.role)

    def test_the_list_shows_the_main_classes(self):
        response = self.get({"q": "heat"})
        for text in [
            "Will County Health Department",
            "Training and education",
            "Individual or programmatic",
            "Active",
            "State",
        ]:
            self.assertContains(response, text)

    def test_it_is_accessible_markup(self):
        response = self.get()
        self.assertContains(response, '<th scope="col">Title</th>', html=True)
        self.assertContains(response, '<label for="id_q">Search:</label>', html=True)
        self.assertContains(response, "<legend>Action type</legend>", html=True)
        html = response.content.decode()
        self.assertLess(html.index("<h1>"), html.index('<h2 id="filters-heading">'))
        self.assertLess(html.index('<h2 id="filters-heading">'), html.index('<h2 id="results-heading">'))

    def test_viewers_get_no_edit_controls(self):
        response = self.get()
        self.assertNotContains(response, "/catalog/new/")
        self.assertNotContains(response, 'name="selected"')
        self.assertNotContains(response, "/catalog/bulk/")

    def test_editors_get_the_add_button_and_a_checkbox_per_row(self):
        self.login(self.facilitator)
        response = self.get()
        self.assertContains(response, "/catalog/new/")
        self.assertContains(response, 'action="/catalog/bulk/"')
        self.assertContains(response, 'name="selected"', count=5)
        self.assertContains(response, f'value="{self.heat.public_id}"')
        self.assertContains(response, '<label for="select-all" class="visually-hidden">', html=False)

    def test_an_empty_result_says_so(self):
        self.assertContains(self.get({"q": "zzzz"}), "No initiative matches.")


class SearchTests(CatalogTestCase):
    def search(self, query: str) -> list[str]:
        return self.titles(self.get({"q": query}))

    def test_it_searches_titles_and_summaries(self):
        self.assertEqual(self.search("ordinance"), ["Wage theft ordinance"])
        self.assertEqual(self.search("unpaid"), ["Wage theft ordinance"])

    def test_it_finds_initiatives_by_lead_and_partner_names(self):
        self.assertEqual(
            self.search("warehouse"),
            ["Fair scheduling policy", "Paid sick leave campaign", "Wage theft ordinance"],
        )
        self.assertEqual(self.search("lakeside"), ["Fair scheduling policy"])

    def test_every_word_must_match_as_a_prefix(self):
        self.assertEqual(self.search("heat train"), ["Heat safety training"])
        self.assertEqual(self.search("heat ordinance"), [])

    def test_the_search_combines_with_the_facets(self):
        response = self.get({"q": "warehouse", "status": "active"})
        self.assertEqual(self.titles(response), ["Fair scheduling policy", "Wage theft ordinance"])


class FacetFilterTests(CatalogTestCase):
    def filtered(self, **params) -> list[str]:
        query = QueryDict(mutable=True)
        for key, values in params.items():
            query.setlist(key, values if isinstance(values, list) else [values])
        return self.titles(self.get(query))

    def test_every_facet_filters(self):
        cases = {
            "sector": ("labor", ["Paid sick leave campaign", "Wage theft ordinance"]),
            "sector_family": ("health", ["Fair scheduling policy", "Heat safety training"]),
            "action_type": ("training-education", ["Heat safety training"]),
            "pse_class": ("systems", ["Fair scheduling policy"]),
            "twh_level": ("redesign", ["Fair scheduling policy"]),
            "level": ("state", ["Heat safety training", "Paid sick leave campaign"]),
            "status": ("proposed", ["Know your rights workshops"]),
            "condition": ("living-wage", ["Paid sick leave campaign", "Wage theft ordinance"]),
            "population": ("agricultural", ["Heat safety training"]),
            "evidence_rating": ("some_evidence", ["Fair scheduling policy"]),
            "tag": ("sick leave", ["Paid sick leave campaign"]),
        }
        self.assertEqual(set(cases), set(facets.FACETS_BY_KEY))
        for key, (value, expected) in cases.items():
            with self.subTest(facet=key):
                self.assertEqual(self.filtered(**{key: value}), expected)

    def test_values_of_one_facet_are_alternatives(self):
        self.assertEqual(
            self.filtered(action_type=["training-education", "legal-services-rights"]),
            ["Heat safety training", "Know your rights workshops"],
        )

    def test_a_many_valued_facet_lists_each_initiative_once(self):
        self.assertEqual(
            self.filtered(condition=["living-wage", "benefits"]),
            ["Paid sick leave campaign", "Wage theft ordinance"],
        )

    def test_facets_combine_with_and(self):
        self.assertEqual(
            self.filtered(sector_family="labor", status="completed"), ["Paid sick leave campaign"]
        )
        self.assertEqual(
            self.filtered(sector_family="labor", level="local", tag="wages"), ["Wage theft ordinance"]
        )

    def test_an_unknown_value_matches_nothing(self):
        self.assertEqual(self.filtered(action_type="no-such-type"), [])

    def test_unknown_parameters_are_ignored(self):
        self.assertEqual(len(self.filtered(colour="blue")), 5)


class FacetCountTests(CatalogTestCase):
    def test_counts_cover_the_whole_catalog_when_nothing_is_chosen(self):
        response = self.get()
        self.assertEqual(
            self.counts(response, "status"), {"proposed": 1, "active": 3, "completed": 1, "ended": 0}
        )
        self.assertEqual(self.counts(response, "sector_family")["health"], 2)
        self.assertEqual(self.counts(response, "sector")["labor"], 2)
        self.assertEqual(self.counts(response, "condition")["living-wage"], 2)
        self.assertEqual(self.counts(response, "tag"), {"wages": 2, "heat": 1, "sick leave": 1})

    def test_the_other_facets_count_the_current_result(self):
        response = self.get({"action_type": "public-policy-advocacy"})
        self.assertEqual(self.counts(response, "status")["active"], 1)
        self.assertEqual(self.counts(response, "status")["completed"], 1)
        self.assertEqual(self.counts(response, "sector_family")["labor"], 2)
        self.assertEqual(self.counts(response, "sector_family")["health"], 0)
        self.assertEqual(self.counts(response, "population")["low-wage"], 2)

    def test_a_facet_ignores_its_own_selection(self):
        response = self.get({"action_type": "public-policy-advocacy"})
        self.assertEqual(self.counts(response, "action_type")["public-policy-advocacy"], 2)
        self.assertEqual(self.counts(response, "action_type")["training-education"], 1)
        self.assertEqual(self.counts(response, "action_type")["internal-policy"], 1)

    def test_two_chosen_facets_each_count_with_the_other_applied(self):
        response = self.get({"sector_family": "health", "status": "active"})
        self.assertEqual(self.titles(response), ["Fair scheduling policy", "Heat safety training"])
        # Status counted over the health family: both active, none completed.
        self.assertEqual(self.counts(response, "status")["active"], 2)
        self.assertEqual(self.counts(response, "status")["completed"], 0)
        # Family counted over the active ones: one labor, two health.
        self.assertEqual(self.counts(response, "sector_family")["labor"], 1)
        self.assertEqual(self.counts(response, "sector_family")["health"], 2)
        # The sector facet is not chosen: it counts the result, both facets applied.
        self.assertEqual(self.counts(response, "sector")["healthcare"], 1)
        self.assertEqual(self.counts(response, "sector")["labor"], 0)

    def test_counts_follow_the_text_query(self):
        response = self.get({"q": "warehouse"})
        self.assertEqual(
            self.counts(response, "status"), {"proposed": 0, "active": 2, "completed": 1, "ended": 0}
        )

    def test_zero_counts_are_shown_greyed_with_the_number(self):
        response = self.get({"action_type": "training-education"})
        self.assertContains(response, 'class="facet-option is-empty"')
        self.assertEqual(self.counts(response, "pse_class")["policy"], 0)

    def test_a_chosen_tag_outside_the_most_used_keeps_its_count(self):
        response = self.get({"tag": "heat"})
        self.assertEqual(self.counts(response, "tag")["heat"], 1)

    def test_facet_counts_function_leaves_out_empty_values(self):
        counts = facets.facet_counts(Initiative.objects.all(), QueryDict("status=active"))
        self.assertEqual(counts["status"], {"active": 3, "completed": 1, "proposed": 1})
        self.assertEqual(counts["twh_level"], {"redesign": 1})
        self.assertEqual(counts["evidence_rating"], {"some_evidence": 1})
        self.assertEqual(counts["pse_class"], {"policy": 1, "systems": 1, "individual": 1})

    def test_the_functions_take_a_plain_dict_too(self):
        initiatives = facets.apply_filters(Initiative.objects.all(), {"q": "wage", "level": "local"})
        self.assertEqual([initiative.title for initiative in initiatives], ["Wage theft ordinance"])
        counts = facets.facet_counts(Initiative.objects.all(), {"sector": ["labor"]})
        self.assertEqual(counts["sector"], {"labor": 2, "public-health": 1, "healthcare": 1, "legal": 1})
        self.assertEqual(counts["level"], {"local": 1, "state": 1})

    def test_the_counts_take_one_statement_and_the_small_taxonomies(self):
        with CaptureQueriesContext(connection) as captured:
            facets.facet_counts(
                Initiative.objects.all(), QueryDict("q=wage&status=active&tag=wages&sector=labor")
            )
        counting = [query["sql"] for query in captured.captured_queries if "GROUP BY" in query["sql"]]
        self.assertEqual(len(counting), 1)
        self.assertLessEqual(len(captured.captured_queries), 7)
        self.assertNotIn("DISTINCT", counting[0])

    def test_the_page_costs_a_few_queries_whatever_the_filters(self):
        self.login(self.facilitator)
        with CaptureQueriesContext(connection) as captured:
            self.get({"q": "wage", "status": "active", "condition": "living-wage", "sort": "newest"})
        self.assertLessEqual(len(captured.captured_queries), 14)

    def test_a_page_past_the_end_shows_the_last_page(self):
        response = self.get({"status": "active", "page": "9"})
        self.assertEqual(response.context["page"].number, 1)
        self.assertEqual(len(self.titles(response)), 3)

    def test_nobody_signed_out_gets_counts(self):
        from django.contrib.auth.models import AnonymousUser

        counts = facets.facet_counts(Initiative.objects.visible_to(AnonymousUser()), {})
        self.assertEqual(counts["status"], {})


class SortAndPageTests(CatalogTestCase):
    def test_it_sorts_by_newest_start_date_with_undated_last(self):
        response = self.get({"sort": "newest"})
        self.assertEqual(
            self.titles(response),
            [
                "Heat safety training",
                "Fair scheduling policy",
                "Wage theft ordinance",
                "Paid sick leave campaign",
                "Know your rights workshops",
            ],
        )
        self.assertContains(response, '<option value="newest" selected>')

    def test_it_sorts_by_recent_change(self):
        Initiative.objects.filter(pk=self.rights.pk).update(updated_at=timezone.now() + timedelta(days=1))
        self.assertEqual(self.titles(self.get({"sort": "updated"}))[0], "Know your rights workshops")

    def test_an_unknown_sort_sorts_by_title(self):
        self.assertEqual(self.titles(self.get({"sort": "colour"}))[0], "Fair scheduling policy")

    def test_it_pages_25_at_a_time_keeping_the_filters(self):
        for number in range(30):
            factories.initiative(f"Extra {number:02d}", self.union, status="ended")
        response = self.get({"status": "ended"})
        self.assertEqual(len(response.context["page"]), 25)
        self.assertContains(response, "30 initiatives")
        self.assertContains(response, 'href="?status=ended&amp;page=2"')
        second = self.get({"status": "ended", "page": "2"})
        self.assertEqual(self.titles(second), [f"Extra {number:02d}" for number in range(25, 30)])


class UrlStateTests(CatalogTestCase):
    def test_the_choices_are_kept_in_the_form(self):
        response = self.get({"q": "wage", "status": "active", "sort": "updated"})
        self.assertContains(response, 'value="wage"')
        self.assertContains(response, 'name="status" value="active" id="facet-status-2" checked', html=False)
        self.assertContains(response, '<option value="updated" selected>')

    def test_each_chosen_value_has_a_link_that_removes_it_and_clear_all(self):
        response = self.get({"status": "active", "level": "state"})
        self.assertContains(response, 'href="/catalog/?level=state"')
        self.assertContains(response, 'href="/catalog/?status=active"')
        self.assertContains(response, "Remove Status: Active")
        self.assertContains(response, 'href="/catalog/">Clear all</a>', html=False)

    def test_the_form_is_a_get_form_that_swaps_and_pushes_the_url(self):
        response = self.get()
        self.assertContains(response, 'method="get" action="/catalog/" id="catalog-filters"', html=False)
        self.assertContains(response, 'hx-push-url="true"')
        self.assertContains(response, 'hx-target="#catalog-results"')

    def test_the_crosstab_link_carries_the_filters(self):
        response = self.get({"status": "active"})
        self.assertContains(response, 'href="/catalog/analysis/?status=active"')


class HtmxTests(CatalogTestCase):
    def test_htmx_gets_the_results_and_the_facets_out_of_band(self):
        response = self.get({"q": "heat"}, HX_Request="true")
        content = response.content.decode().strip()
        self.assertTrue(content.startswith('<section id="catalog-results"'), content[:200])
        self.assertNotIn("<html", content)
        self.assertNotIn('id="catalog-filters"', content)
        self.assertIn('id="catalog-facets" class="facets" hx-swap-oob="true"', content)
        self.assertIn("Heat safety training", content)
        self.assertNotIn("Wage theft ordinance", content)

    def test_a_boosted_request_gets_the_whole_page_without_out_of_band_facets(self):
        response = self.get({}, HX_Request="true", HX_Boosted="true")
        self.assertContains(response, "<html")
        self.assertNotContains(response, "hx-swap-oob")
