"""The home page: the program cycle and what exists so far."""

from healthywork.core.cycle import STAGES
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.models import Sector
from healthywork.partners.tests import factories


class HomeTests(PersonaTestCase):
    def test_it_shows_the_nine_cycle_stages_in_order(self):
        self.login(self.viewer)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(STAGES), 9)
        labels = [str(stage.label) for stage in STAGES]
        self.assertEqual(
            labels,
            [
                "Scan",
                "Catalog",
                "Network",
                "Collaborative",
                "Plan",
                "Implement",
                "Evaluate",
                "Share",
                "Train",
            ],
        )
        html = response.content.decode()
        main = html[html.index('<main id="main"') :]
        positions = [main.index(str(stage.description)) for stage in STAGES]
        self.assertEqual(positions, sorted(positions))
        for label in labels:
            self.assertIn(label, main)

    def test_built_sections_are_links_and_unbuilt_ones_say_so(self):
        self.login(self.viewer)
        response = self.client.get("/")
        unbuilt = [stage for stage in STAGES if stage.url is None]
        for stage in STAGES:
            if stage.url:
                self.assertContains(response, f'href="{stage.url}"')
        self.assertContains(response, "Not available yet in this version.", count=len(unbuilt))
        self.assertContains(response, 'href="/partners/organizations/"')

    def test_it_shows_counts_from_the_partners_summary(self):
        factories.organization("Worker Center North")
        factories.organization("Worker Center South")
        factories.person("Reachable Rosa", may_be_contacted=True)
        factories.person("Private Pat", may_be_contacted=False)
        sectors = Sector.objects.count()

        self.login(self.viewer)
        response = self.client.get("/")
        self.assertContains(response, ">Partners</h3>")
        self.assertContains(
            response,
            '<a href="/partners/organizations/"><strong>2</strong> Organizations</a>',
            html=True,
        )
        # A viewer counts only the people who may be contacted.
        self.assertContains(response, '<a href="/partners/people/"><strong>1</strong> People</a>', html=True)
        self.assertContains(
            response,
            f'<a href="/partners/sectors/"><strong>{sectors}</strong> Sectors</a>',
            html=True,
        )

    def test_counts_follow_what_the_role_may_see(self):
        factories.person("Reachable Rosa", may_be_contacted=True)
        factories.person("Private Pat", may_be_contacted=False)
        self.login(self.coder)
        response = self.client.get("/")
        self.assertContains(response, '<a href="/partners/people/"><strong>2</strong> People</a>', html=True)

    def test_it_greets_the_user(self):
        self.login(self.administrator)
        self.assertContains(self.client.get("/"), "Welcome, Alice Admin")

    def test_it_needs_login(self):
        self.assertNeedsLogin("/")
        self.assertRedirects(self.client.get("/"), "/accounts/login/?next=/")
