"""Sections other apps add to an initiative's page (the `initiative_panels` hook)."""

from unittest.mock import patch

from healthywork.catalog.tests import factories
from healthywork.core.panels import Panel
from healthywork.core.tests.base import PersonaTestCase


class InitiativePanelHookTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.initiative = factories.initiative("Heat safety ordinance")
        cls.related = factories.initiative("Water and shade campaign")

    def test_the_page_shows_the_panels_the_apps_return_for_this_reader(self):
        panel = Panel(
            title="From elsewhere",
            template="catalog/_organization_panel.html",
            context={"initiatives": [self.related], "organization": self.related.lead_organization},
            count=1,
        )
        self.login(self.viewer)
        with patch("healthywork.catalog.views.collect", return_value=[panel]) as collect:
            response = self.client.get(self.initiative.get_absolute_url())
        collect.assert_called_once_with("initiative_panels", self.initiative, self.viewer)
        self.assertContains(response, "<h2>From elsewhere</h2>", html=True)
        self.assertContains(response, "Water and shade campaign")
