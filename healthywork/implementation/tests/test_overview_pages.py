from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthywork.collaborative.tests import factories as collaborative
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.panels import Panel
from healthywork.implementation import overview, panels_progress
from healthywork.implementation.models import AssistanceKind
from healthywork.implementation.tests import factories
from healthywork.partners.tests import factories as partners


class OverviewTestCase(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant = factories.grant(cls.team_a, "20000")
        factories.disbursement(grant, "15000")
        factories.grant(cls.team_a, "5000", status="withdrawn")
        factories.assistance(cls.team_a, "3", kind=AssistanceKind.CONTENT)
        factories.assistance(cls.team_a, "2.5")
        due = date(2018, 10, 1)
        factories.milestone(cls.team_a, "On time", due_date=due, status="done", completed_on=date(2018, 9, 1))
        factories.milestone(cls.team_a, "Late", due_date=due, status="done", completed_on=date(2018, 10, 9))
        factories.milestone(cls.team_a, "Overdue one", due_date=due, status="on_track")
        factories.milestone(cls.team_a, "Future", due_date=date(2099, 1, 1))
        cls.organization = partners.organization(name="Health Policy Group")
        factories.change(cls.team_a, "Paid internships", workers_reached=9, organization=cls.organization)
        factories.change(cls.team_a, "Referral system", kind="system", workers_reached=40)
        factories.change(cls.team_b, "Team B change", workers_reached=100)


class CohortOverviewTest(OverviewTestCase):
    def test_the_sums_per_team_and_in_total(self):
        result = overview.cohort_overview(self.cohort, self.administrator, today=date(2019, 1, 1))
        row_a = next(row for row in result.rows if row["team"] == self.team_a)
        self.assertEqual((row_a["awarded"], row_a["disbursed"], row_a["balance"]), (20000, 15000, 5000))
        self.assertEqual(row_a["hours"], 5.5)
        self.assertEqual(
            (row_a["milestones"], row_a["done"], row_a["on_time"], row_a["late"], row_a["overdue"]),
            (4, 2, 1, 1, 1),
        )
        self.assertEqual(row_a["changes_by_kind"], {"policy": 1, "system": 1, "environment": 0})
        self.assertEqual(row_a["workers_reached"], 49)
        self.assertEqual(result.totals["workers_reached"], 149)
        self.assertEqual(result.totals["changes_by_kind"]["policy"], 2)

    def test_the_page_shows_the_table_chart_and_totals(self):
        self.login(self.administrator)
        response = self.client.get(reverse("implementation:cohort", args=[self.cohort.public_id]))
        self.assertContains(response, "Team A")
        self.assertContains(response, "1 / 2 / 4")
        self.assertContains(response, 'id="money-spec"')
        self.assertContains(response, "<tfoot>")

    def test_a_member_sees_only_their_team(self):
        self.login(self.member_b)
        response = self.client.get(reverse("implementation:cohort", args=[self.cohort.public_id]))
        self.assertContains(response, "Team B")
        self.assertNotContains(response, "Team A")
        self.assertContains(response, "1 team of this cohort is not shown")

    def test_the_query_count_does_not_grow_with_the_teams(self):
        self.login(self.administrator)
        url = reverse("implementation:cohort", args=[self.cohort.public_id])
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for number in range(6):
            team = collaborative.team(self.cohort, f"Extra {number}")
            factories.grant(team)
            factories.milestone(team)
            factories.change(team)
        with CaptureQueriesContext(connection) as many:
            self.client.get(url)
        self.assertEqual(len(few), len(many))
        self.assertLessEqual(len(many), 15)

    def test_the_export(self):
        self.login(self.administrator)
        url = reverse("implementation:cohort-export", args=[self.cohort.public_id])
        text = self.client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
        self.assertIn("Team A,20000.00,15000.00,5000.00,5.50,4,2,1,1", text)
        self.assertIn("Total", text)
        self.assertEqual(self.client.get(url, {"format": "xlsx"}).content[:2], b"PK")
        self.assertEqual(self.client.get(url, {"format": "doc"}).status_code, 400)

    def test_the_index_lists_the_cohorts(self):
        self.login(self.member_a)
        response = self.client.get(reverse("implementation:index"))
        self.assertContains(response, reverse("implementation:cohort", args=[self.cohort.public_id]))

    def test_it_needs_login(self):
        self.assertNeedsLogin(reverse("implementation:index"))
        self.assertNeedsLogin(reverse("implementation:cohort", args=[self.cohort.public_id]))


class TeamPageTest(OverviewTestCase):
    def url(self, team=None):
        return reverse("implementation:team", args=[(team or self.team_a).public_id])

    def test_it_shows_money_hours_milestones_and_changes(self):
        self.login(self.member_a)
        response = self.client.get(self.url())
        self.assertContains(response, "20,000.00")
        self.assertContains(response, "Healthy Work Fund")
        self.assertContains(response, "Overdue")
        self.assertContains(response, "Done late")
        self.assertContains(response, "Paid internships")
        self.assertContains(
            response, reverse("implementation:milestone-create", args=[self.team_a.public_id])
        )

    def test_the_facilitator_gets_links_to_the_money_pages(self):
        self.login(self.facilitator)
        response = self.client.get(self.url())
        grant = self.team_a.grants.get(status="awarded")
        self.assertContains(response, reverse("implementation:grant-detail", args=[grant.public_id]))
        self.assertContains(response, reverse("implementation:grant-create", args=[self.team_a.public_id]))
        create = reverse("implementation:assistance-create")
        self.assertContains(response, f"{create}?team={self.team_a.public_id}")

    def test_a_reader_sees_no_links_to_write(self):
        self.login(self.evaluator)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(
            response, reverse("implementation:milestone-create", args=[self.team_a.public_id])
        )

    def test_a_stranger_gets_404(self):
        self.login(self.member_b)
        self.assertEqual(self.client.get(self.url()).status_code, 404)


class PanelsTest(OverviewTestCase):
    def test_the_team_panel(self):
        panels = panels_progress.team_panels(self.team_a, self.member_a)
        self.assertEqual(len(panels), 1)
        self.assertIsInstance(panels[0], Panel)
        self.assertEqual(panels[0].context["summary"]["changes"], 2)
        self.assertEqual(panels_progress.team_panels(self.team_a, self.member_b), [])

    def test_the_organization_panels_show_visible_changes_only(self):
        panels = panels_progress.organization_panels(self.organization, self.member_a)
        self.assertEqual([panel.count for panel in panels], [1])
        self.assertEqual(panels_progress.organization_panels(self.organization, self.member_b), [])
        factories.grant(self.team_b, funder=self.organization, funder_name="")
        panels = panels_progress.organization_panels(self.organization, self.administrator)
        self.assertEqual([panel.count for panel in panels], [1, 1])


class PanelTemplatesTest(OverviewTestCase):
    def test_the_panel_templates_render(self):
        from django.template.loader import render_to_string

        factories.grant(self.team_a, funder=self.organization, funder_name="")
        panels = panels_progress.team_panels(self.team_a, self.administrator)
        panels += panels_progress.organization_panels(self.organization, self.administrator)
        html = "".join(render_to_string(panel.template, {"panel": panel}) for panel in panels)
        self.assertIn(reverse("implementation:team", args=[self.team_a.public_id]), html)
        self.assertIn("Paid internships", html)
        self.assertIn("Team A", html)
