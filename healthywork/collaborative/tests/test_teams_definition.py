"""The team's definition of precarious work, with the optimistic check on Team.version."""

from django.urls import reverse

from healthywork.catalog.tests import factories as catalog_factories
from healthywork.collaborative import teams
from healthywork.collaborative.tests import factories
from healthywork.collaborative.tests.base import TeamTestCase


class DefinitionTests(TeamTestCase):
    def url(self, team=None) -> str:
        return reverse("collaborative:team-definition", args=[(team or self.team_a).public_id])

    def data(self, **overrides) -> dict:
        data = {
            "definition": "Work without a living wage or a voice.",
            "conditions": [catalog_factories.condition("living-wage").pk],
            "dimensions": ["wages", "disempowerment"],
            "version": "1",
        }
        data.update(overrides)
        return data

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url())

    def test_a_member_writes_the_definition_and_the_version_goes_up(self):
        self.login(self.member_a)
        self.assertRedirects(self.client.post(self.url(), self.data()), self.url())
        self.team_a.refresh_from_db()
        self.assertEqual(self.team_a.definition, "Work without a living wage or a voice.")
        self.assertEqual(self.team_a.definition_dimensions, ["disempowerment", "wages"])
        self.assertEqual([c.slug for c in self.team_a.definition_conditions.all()], ["living-wage"])
        self.assertEqual(self.team_a.version, 2)
        response = self.client.get(self.url())
        self.assertContains(response, 'name="version" value="2"')

    def test_a_stale_version_is_a_conflict_showing_both_versions(self):
        self.login(self.member_a)
        self.client.post(self.url(), self.data())
        response = self.client.post(self.url(), self.data(definition="My older draft", version="1"))
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "saved a newer version (version 2)", status_code=409)
        self.assertContains(response, "My older draft", status_code=409)
        self.assertContains(response, "Work without a living wage or a voice.", status_code=409)
        self.team_a.refresh_from_db()
        self.assertEqual(
            (self.team_a.definition, self.team_a.version), ("Work without a living wage or a voice.", 2)
        )

    def test_an_unknown_dimension_is_refused_naming_the_field(self):
        self.login(self.member_a)
        response = self.client.post(self.url(), self.data(dimensions=["happiness"]))
        self.assertEqual(response.status_code, 400)
        self.assertIn("dimensions", response.context["form"].errors)
        self.team_a.refresh_from_db()
        self.assertEqual((self.team_a.definition, self.team_a.version), ("", 1))

    def test_a_read_only_member_and_a_viewer_may_not_write(self):
        reader = factories.add_user(self.team_a, self.coder, can_edit=False)
        self.login(self.coder)
        self.assertEqual(self.client.get(self.url()).status_code, 200)
        self.assertEqual(self.client.post(self.url(), self.data()).status_code, 403)
        self.login(self.viewer)
        self.assertEqual(self.client.post(self.url(), self.data()).status_code, 404)
        self.team_a.refresh_from_db()
        self.assertEqual(self.team_a.version, 1)
        self.assertFalse(reader.can_edit)

    def test_a_member_of_another_team_gets_404(self):
        self.login(self.member_b)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(self.client.post(self.url(), self.data()).status_code, 404)

    def test_the_service_refuses_a_write_at_an_old_version(self):
        teams.save_definition(
            self.team_a, text="one", conditions=[], dimensions=[], read_version=1, by=self.member_a
        )
        with self.assertRaises(teams.DefinitionConflict) as raised:
            teams.save_definition(
                self.team_a, text="two", conditions=[], dimensions=[], read_version=1, by=self.member_a
            )
        self.assertEqual((raised.exception.current_version, raised.exception.theirs.text), (2, "one"))
        self.assertIn("mo", raised.exception.message)
