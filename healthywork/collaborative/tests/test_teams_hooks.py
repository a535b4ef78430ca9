"""What the collaborative gives other apps: home summary, the organization's teams panel, and
team-membership ties for the network."""

from datetime import date

from django.apps import apps
from django.urls import reverse

from healthywork.collaborative.tests import factories
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.network.graph import hooked_edges
from healthywork.network.models import Wave
from healthywork.partners.tests import factories as partner_factories


class NetworkTiesTests(TeamTestCase):
    def test_every_pair_on_a_team_of_an_overlapping_cohort_is_tied(self):
        third = partner_factories.organization("Third", "nonprofit")
        factories.team(self.cohort, "Trio", [*[m.organization for m in self.team_a.memberships.all()], third])
        wave = Wave.objects.create(name="2018", start_date=date(2018, 6, 1), end_date=date(2019, 5, 31))
        edges = apps.get_app_config("collaborative").network_ties(wave)
        self.assertEqual(len(edges), 1 + 1 + 3)  # team A, team B, and the trio's three pairs
        self.assertTrue(all(e.kind == "team_membership" and e.provenance == "team" for e in edges))
        self.assertTrue(all(not e.is_directed and e.source < e.target for e in edges))
        self.assertEqual({e.evidence for e in edges}, {"Team A", "Team B", "Trio"})
        self.assertEqual(len([e for e in hooked_edges(wave) if e.provenance == "team"]), 5)

    def test_a_wave_outside_the_cohort_has_no_team_ties(self):
        wave = Wave.objects.create(name="2017", start_date=date(2017, 1, 1), end_date=date(2017, 12, 31))
        self.assertEqual(apps.get_app_config("collaborative").network_ties(wave), [])


class PanelAndSummaryTests(TeamTestCase):
    def test_the_organization_page_lists_its_teams(self):
        organization = self.team_a.memberships.get(role="lead").organization
        self.login(self.member_b)
        response = self.client.get(organization.get_absolute_url())
        self.assertContains(response, "Collaborative teams")
        self.assertContains(response, "Team A")
        self.assertNotContains(response, self.team_a.get_absolute_url())  # named, not opened
        self.login(self.member_a)
        self.assertContains(self.client.get(organization.get_absolute_url()), self.team_a.get_absolute_url())

    def test_the_home_summary_counts_what_the_person_sees(self):
        summary = dict(
            (str(label), count)
            for label, count, _url in apps.get_app_config("collaborative").home_summary(self.member_a)
        )
        self.assertEqual(summary, {"Cohorts": 1, "Teams you can see": 1})
        self.login(self.member_a)
        self.assertEqual(self.client.get(reverse("core:home")).status_code, 200)
