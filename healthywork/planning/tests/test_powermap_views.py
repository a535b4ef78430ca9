"""The power map page, its forms (issue, actors, places, relationships, our organizations), the
exports and the planning index."""

import json
from decimal import Decimal

from django.urls import reverse

from healthywork.accounts.roles import Role
from healthywork.collaborative.tests import factories as collaborative_factories
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import make_user
from healthywork.partners.tests import factories as partner_factories
from healthywork.planning.models import Actor, ActorLink, PowerMap
from healthywork.planning.tests import factories


class PowerMapTestCase(TeamTestCase):
    """Team A's map: its lead organization on it, a target council member and an opposed chamber;
    `watcher` is on team A but may not edit."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.map = factories.power_map(cls.team_a)
        cls.lead = cls.team_a.memberships.order_by("id").first().organization
        cls.ours = factories.actor(cls.map, cls.lead.name, power=4, stance=5, organization=cls.lead)
        cls.council = factories.actor(
            cls.map, "Council member Ortiz", power=9, stance=0, kind="decision_maker", is_target=True
        )
        cls.chamber = factories.actor(cls.map, "Chamber of commerce", power=8, stance=-4)
        cls.link = factories.actor_link(cls.chamber, cls.council, "influences", strength=3)
        cls.watcher = make_user("wally", Role.TEAM_MEMBER)
        collaborative_factories.add_user(cls.team_a, cls.watcher, can_edit=False)

    def page_url(self, team=None) -> str:
        return reverse("planning:powermap", args=[(team or self.team_a).public_id])

    def version(self) -> int:
        return PowerMap.objects.get(pk=self.map.pk).version

    def actor_data(self, **fields) -> dict:
        data = {
            "version": self.version(),
            "name": "Mayor Chen",
            "kind": "decision_maker",
            "organization": "",
            "power": "9.5",
            "stance": "-1.5",
            "is_target": "on",
            "notes": "",
        }
        data.update(fields)
        return data


class PageTests(PowerMapTestCase):
    def test_it_shows_the_grid_the_guidance_and_the_list(self):
        self.login(self.member_a)
        response = self.client.get(self.page_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<svg xmlns="http://www.w3.org/2000/svg" id="pm-svg"')
        self.assertContains(response, "Council member Ortiz (target)")
        self.assertContains(response, f"{self.lead.name} (our team)")
        self.assertContains(response, "High-power opponents")
        self.assertContains(response, "no ally influences this target yet")
        self.assertContains(response, f'id="power-{self.council.public_id}"')
        self.assertContains(response, "Add our organizations as actors")  # the team's second organization
        self.assertContains(response, reverse("planning:actor-place", args=[self.council.public_id]))

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.page_url())
        self.assertNeedsLogin(reverse("planning:index"))

    def test_a_member_of_another_team_gets_404(self):
        self.login(self.member_b)
        self.assertEqual(self.client.get(self.page_url()).status_code, 404)
        export = reverse("planning:powermap-export", args=[self.team_a.public_id, "csv"])
        self.assertEqual(self.client.get(export).status_code, 404)
        place = reverse("planning:actor-place", args=[self.council.public_id])
        self.assertEqual(
            self.client.post(place, {"power": 1, "stance": 1, "version": self.version()}).status_code, 404
        )
        edit = reverse("planning:powermap-link-edit", args=[self.team_a.public_id, self.link.pk])
        self.assertEqual(self.client.get(edit).status_code, 404)

    def test_a_link_of_another_map_is_404_inside_this_team(self):
        other_map = factories.power_map(self.team_b)
        first, second = factories.actor(other_map, "X"), factories.actor(other_map, "Y")
        other = factories.actor_link(first, second)
        self.login(self.member_a)
        edit = reverse("planning:powermap-link-edit", args=[self.team_a.public_id, other.pk])
        self.assertEqual(self.client.get(edit).status_code, 404)

    def test_readers_see_the_map_without_forms(self):
        for user in (self.watcher, self.evaluator):
            self.login(user)
            response = self.client.get(self.page_url())
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "Council member Ortiz")
            self.assertNotContains(response, "data-place-url")
            self.assertNotContains(response, "Add an actor")

    def test_the_first_visit_of_an_editor_creates_the_map_and_a_reader_sees_an_empty_state(self):
        self.login(self.evaluator)
        response = self.client.get(self.page_url(self.team_b))
        self.assertContains(response, "This team has no power map yet")
        self.assertFalse(PowerMap.objects.filter(team=self.team_b).exists())
        self.login(self.member_b)
        response = self.client.get(self.page_url(self.team_b))
        self.assertContains(response, "Add an actor")
        self.assertTrue(PowerMap.objects.filter(team=self.team_b).exists())

    def test_an_htmx_request_gets_only_the_guidance(self):
        self.login(self.member_a)
        response = self.client.get(self.page_url(), headers={"HX-Request": "true"})
        self.assertContains(response, 'id="pm-guidance"')
        self.assertNotContains(response, "<svg")


class ActorTests(PowerMapTestCase):
    def test_a_member_adds_an_actor(self):
        self.login(self.member_a)
        before = self.version()
        response = self.client.post(
            reverse("planning:powermap-actor-create", args=[self.team_a.public_id]), self.actor_data()
        )
        actor = Actor.objects.get(name="Mayor Chen")
        self.assertRedirects(
            response, self.page_url() + f"#actor-{actor.public_id}", fetch_redirect_response=False
        )
        self.assertEqual(
            (actor.power, actor.stance, actor.is_target), (Decimal("9.5"), Decimal("-1.5"), True)
        )
        self.assertEqual(self.version(), before + 1)
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(actor.pk)).exists())

    def test_an_actor_can_name_a_registry_organization(self):
        clinic = partner_factories.organization("Eastside Free Clinic", sector_slug="public-health")
        self.login(self.member_a)
        self.client.post(
            reverse("planning:powermap-actor-create", args=[self.team_a.public_id]),
            self.actor_data(name="", organization="eastside free clinic", kind="organization"),
        )
        actor = Actor.objects.get(organization=clinic)
        self.assertEqual(actor.name, "Eastside Free Clinic")

    def test_power_or_stance_out_of_range_is_a_field_error_and_changes_nothing(self):
        self.login(self.member_a)
        url = reverse("planning:powermap-actor-create", args=[self.team_a.public_id])
        for field, value, message in [
            ("power", "11", "Power must be between 0 and 10."),
            ("power", "-0.5", "Power must be between 0 and 10."),
            ("stance", "−6", "Stance must be between −5 and +5."),
            ("stance", "5.5", "Stance must be between −5 and +5."),
            ("power", "many", "Power must be a number from 0 to 10."),
        ]:
            before = self.version()
            response = self.client.post(url, self.actor_data(**{field: value}))
            self.assertEqual(response.status_code, 400, (field, value))
            self.assertContains(response, message, status_code=400)
            self.assertEqual(response.context["form"].errors[field], [message])
            self.assertEqual(self.version(), before)
        self.assertFalse(Actor.objects.filter(name="Mayor Chen").exists())

    def test_a_typographic_minus_is_read(self):
        self.login(self.member_a)
        self.client.post(
            reverse("planning:powermap-actor-create", args=[self.team_a.public_id]),
            self.actor_data(stance="−2.5"),
        )
        self.assertEqual(Actor.objects.get(name="Mayor Chen").stance, Decimal("-2.5"))

    def test_an_edit_at_an_old_version_shows_both_versions_and_changes_nothing(self):
        self.login(self.member_a)
        url = reverse("planning:actor-edit", args=[self.chamber.public_id])
        stale = self.version()
        self.client.post(
            url,
            self.actor_data(
                name="Chamber of commerce", kind="organization", power="8", stance="-5", version=stale
            ),
        )
        response = self.client.post(
            url,
            self.actor_data(
                name="Chamber (renamed)", kind="organization", power="8", stance="-2", version=stale
            ),
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "saved a newer version", status_code=409)
        self.assertContains(response, "Chamber (renamed)", status_code=409)
        both = {label: (yours, theirs) for label, yours, theirs in response.context["both"]}
        self.assertEqual(both["Stance (−5 strongly opposed to +5 strongly supportive)"], ("-2.0", "-5.0"))
        self.assertEqual(both["Name"], ("Chamber (renamed)", "Chamber of commerce"))
        self.assertEqual(len(both), 7)  # the same fields on both sides
        self.assertEqual(Actor.objects.get(pk=self.chamber.pk).name, "Chamber of commerce")
        self.assertEqual(Actor.objects.get(pk=self.chamber.pk).stance, Decimal("-5"))

    def test_readers_get_403_on_writes(self):
        urls = [
            reverse("planning:powermap-actor-create", args=[self.team_a.public_id]),
            reverse("planning:actor-edit", args=[self.chamber.public_id]),
            reverse("planning:actor-place", args=[self.chamber.public_id]),
            reverse("planning:actor-delete", args=[self.chamber.public_id]),
            reverse("planning:powermap-issue", args=[self.team_a.public_id]),
            reverse("planning:powermap-own", args=[self.team_a.public_id]),
            reverse("planning:powermap-link-create", args=[self.team_a.public_id]),
            reverse("planning:powermap-link-delete", args=[self.team_a.public_id, self.link.pk]),
        ]
        for user in (self.watcher, self.evaluator):
            self.login(user)
            for url in urls:
                self.assertEqual(self.client.post(url, self.actor_data()).status_code, 403, (user, url))
        self.assertEqual(Actor.objects.filter(power_map=self.map).count(), 3)

    def test_a_viewer_outside_the_team_gets_404(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.page_url()).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("planning:actor-delete", args=[self.chamber.public_id])).status_code, 404
        )

    def test_deleting_an_actor_takes_its_relationships(self):
        self.login(self.member_a)
        url = reverse("planning:actor-delete", args=[self.chamber.public_id])
        self.assertContains(self.client.get(url), "Delete Chamber of commerce?")
        response = self.client.post(url, {"version": self.version()})
        self.assertRedirects(response, self.page_url(), fetch_redirect_response=False)
        self.assertFalse(Actor.objects.filter(pk=self.chamber.pk).exists())
        self.assertFalse(ActorLink.objects.filter(pk=self.link.pk).exists())

    def test_a_delete_at_an_old_version_is_refused(self):
        self.login(self.member_a)
        response = self.client.post(
            reverse("planning:actor-delete", args=[self.chamber.public_id]), {"version": 0}
        )
        self.assertEqual(response.status_code, 409)
        self.assertTrue(Actor.objects.filter(pk=self.chamber.pk).exists())


class PlaceTests(PowerMapTestCase):
    def place(self, actor, headers=None, **data):
        url = reverse("planning:actor-place", args=[actor.public_id])
        return self.client.post(url, data, headers=headers or {})

    def test_a_drag_saves_the_place_and_answers_json(self):
        self.login(self.member_a)
        before = self.version()
        response = self.place(
            self.council, {"Accept": "application/json"}, power="7.3", stance="2.4", version=before
        )
        self.assertEqual(response.status_code, 200)
        answer = json.loads(response.content)
        self.assertEqual((answer["power"], answer["stance"], answer["version"]), ("7.3", "2.4", before + 1))
        self.assertEqual(answer["quadrant"], "High-power supporters")
        council = Actor.objects.get(pk=self.council.pk)
        self.assertEqual((council.power, council.stance), (Decimal("7.3"), Decimal("2.4")))

    def test_the_list_saves_the_place_and_returns_to_the_row(self):
        self.login(self.member_a)
        response = self.place(self.council, power="3", stance="-3", version=self.version())
        self.assertRedirects(
            response, self.page_url() + f"#actor-{self.council.public_id}", fetch_redirect_response=False
        )
        self.assertEqual(Actor.objects.get(pk=self.council.pk).power, Decimal("3"))

    def test_a_drag_at_an_old_version_is_a_conflict(self):
        self.login(self.member_a)
        stale = self.version()
        self.place(self.chamber, power="1", stance="1", version=stale)
        response = self.place(
            self.council, {"Accept": "application/json"}, power="2", stance="2", version=stale
        )
        self.assertEqual(response.status_code, 409)
        self.assertIn("saved a newer version", json.loads(response.content)["error"])
        self.assertEqual(Actor.objects.get(pk=self.council.pk).power, Decimal("9"))

    def test_the_list_at_an_old_version_shows_both_versions(self):
        self.login(self.member_a)
        stale = self.version()
        self.place(self.council, power="1", stance="1", version=stale)
        response = self.place(self.council, power="2", stance="2", version=stale)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Both versions", status_code=409)

    def test_a_place_out_of_range_names_the_field(self):
        self.login(self.member_a)
        response = self.place(
            self.council, {"Accept": "application/json"}, power="12", stance="0", version=self.version()
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(json.loads(response.content)["errors"], {"power": "Power must be between 0 and 10."})
        response = self.place(self.council, power="5", stance="9", version=self.version())
        self.assertContains(response, "Stance must be between −5 and +5.", status_code=400)
        self.assertEqual(Actor.objects.get(pk=self.council.pk).power, Decimal("9"))


class RelationshipTests(PowerMapTestCase):
    def link_data(self, source, target, **fields) -> dict:
        data = {
            "version": self.version(),
            "source": str(source.public_id),
            "target": str(target.public_id),
            "kind": "influences",
            "strength": "2",
        }
        data.update(fields)
        return data

    def test_a_member_adds_a_relationship_and_the_target_is_no_longer_flagged(self):
        self.login(self.member_a)
        url = reverse("planning:powermap-link-create", args=[self.team_a.public_id])
        response = self.client.post(url, self.link_data(self.ours, self.council, strength="3"))
        self.assertRedirects(response, self.page_url() + "#relationships", fetch_redirect_response=False)
        self.assertTrue(ActorLink.objects.filter(source=self.ours, target=self.council, strength=3).exists())
        self.assertNotContains(self.client.get(self.page_url()), "no ally influences this target yet")

    def test_a_link_to_itself_or_a_duplicate_is_a_field_error(self):
        self.login(self.member_a)
        url = reverse("planning:powermap-link-create", args=[self.team_a.public_id])
        response = self.client.post(url, self.link_data(self.council, self.council))
        self.assertEqual(response.status_code, 400)
        self.assertIn("cannot have a relationship with itself", response.context["form"].errors["target"][0])
        response = self.client.post(url, self.link_data(self.chamber, self.council))
        self.assertEqual(response.status_code, 400)
        self.assertIn("This relationship already exists", response.context["form"].errors["target"][0])
        self.assertEqual(ActorLink.objects.filter(power_map=self.map).count(), 1)

    def test_an_actor_of_another_map_is_not_a_choice(self):
        stranger = factories.actor(factories.power_map(self.team_b), "Someone else's")
        self.login(self.member_a)
        url = reverse("planning:powermap-link-create", args=[self.team_a.public_id])
        response = self.client.post(url, self.link_data(self.chamber, stranger))
        self.assertIn("target", response.context["form"].errors)
        self.assertEqual(ActorLink.objects.count(), 1)

    def test_a_member_edits_and_deletes_a_relationship(self):
        self.login(self.member_a)
        edit = reverse("planning:powermap-link-edit", args=[self.team_a.public_id, self.link.pk])
        self.assertContains(self.client.get(edit), "Edit the relationship")
        self.client.post(edit, self.link_data(self.chamber, self.council, kind="opposes", strength="1"))
        link = ActorLink.objects.get(pk=self.link.pk)
        self.assertEqual((link.kind, link.strength), ("opposes", 1))
        delete = reverse("planning:powermap-link-delete", args=[self.team_a.public_id, self.link.pk])
        self.client.post(delete, {"version": self.version()})
        self.assertFalse(ActorLink.objects.filter(pk=self.link.pk).exists())


class MapTests(PowerMapTestCase):
    def test_our_organizations_are_added_once(self):
        self.login(self.member_a)
        url = reverse("planning:powermap-own", args=[self.team_a.public_id])
        self.client.post(url, {"version": self.version()})
        organizations = set(self.team_a.memberships.values_list("organization", flat=True))
        on_map = set(
            Actor.objects.filter(power_map=self.map)
            .exclude(organization=None)
            .values_list("organization", flat=True)
        )
        self.assertEqual(on_map, organizations)
        self.assertEqual(Actor.objects.filter(power_map=self.map).count(), 4)
        self.client.post(url, {"version": self.version()})
        self.assertEqual(Actor.objects.filter(power_map=self.map).count(), 4)
        self.assertContains(self.client.get(self.page_url()), "All of them are on the map")

    def test_a_member_changes_the_issue_and_an_old_version_is_refused(self):
        self.login(self.member_a)
        url = reverse("planning:powermap-issue", args=[self.team_a.public_id])
        stale = self.version()
        self.client.post(url, {"issue": "Paid sick days for home-care workers", "version": stale})
        self.assertEqual(PowerMap.objects.get(pk=self.map.pk).issue, "Paid sick days for home-care workers")
        response = self.client.post(url, {"issue": "Something else", "version": stale})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Paid sick days for home-care workers", status_code=409)
        self.assertEqual(PowerMap.objects.get(pk=self.map.pk).issue, "Paid sick days for home-care workers")

    def test_exports(self):
        self.login(self.watcher)
        csv = self.client.get(reverse("planning:powermap-export", args=[self.team_a.public_id, "csv"]))
        self.assertEqual(csv["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", csv["Content-Disposition"])
        self.assertIn(
            "Council member Ortiz,Decision-maker,9.0,0.0,High-power neutrals,yes,no",
            csv.content.decode("utf-8-sig"),
        )
        links = self.client.get(
            reverse("planning:powermap-export", args=[self.team_a.public_id, "csv"]) + "?what=links"
        )
        self.assertIn(
            "Chamber of commerce,Influences,Council member Ortiz,3", links.content.decode("utf-8-sig")
        )
        svg = self.client.get(reverse("planning:powermap-export", args=[self.team_a.public_id, "svg"]))
        self.assertEqual(svg["Content-Type"], "image/svg+xml")
        self.assertTrue(svg.content.startswith(b"<svg"))
        self.assertNotIn(b"data-place-url", svg.content)
        self.assertEqual(
            self.client.get(
                reverse("planning:powermap-export", args=[self.team_a.public_id, "pdf"])
            ).status_code,
            404,
        )

    def test_the_index_lists_the_teams_a_person_can_see(self):
        self.login(self.member_a)
        response = self.client.get(reverse("planning:index"))
        self.assertContains(response, "Team A")
        self.assertContains(response, "Power map (3 actors)")
        self.assertNotContains(response, "Team B")
        self.login(self.facilitator)
        response = self.client.get(reverse("planning:index"))
        self.assertContains(response, "Team A")
        self.assertContains(response, "Team B")


class PageMarkupTests(PowerMapTestCase):
    """The actor, relationship and guidance rows are built in Python: escaped, labelled, and the
    actor choices of the relationship form written once."""

    def test_rows_are_escaped_and_the_place_inputs_are_labelled(self):
        risky = factories.actor(self.map, "<em>Boss</em> & co", power=7, stance=2, notes="<b>loud</b>")
        factories.actor_link(risky, self.council, "allied")
        self.login(self.member_a)
        response = self.client.get(self.page_url())
        content = response.content.decode()
        self.assertNotIn("<em>Boss</em>", content)
        self.assertIn("&lt;em&gt;Boss&lt;/em&gt; &amp; co", content)
        self.assertIn('<div class="hint">&lt;b&gt;loud&lt;/b&gt;</div>', content)
        self.assertContains(
            response,
            f'<label class="visually-hidden" for="power-{risky.public_id}">'
            "Power of &lt;em&gt;Boss&lt;/em&gt; &amp; co</label>",
        )
        self.assertContains(
            response, f'id="stance-{risky.public_id}" name="stance" form="place-{risky.public_id}"'
        )
        self.assertContains(response, f'<form method="post" id="place-{risky.public_id}"')
        self.assertContains(response, 'name="csrfmiddlewaretoken"')
        self.assertContains(response, reverse("planning:actor-edit", args=[risky.public_id]))
        self.assertContains(response, f'<a href="#actor-{risky.public_id}">&lt;em&gt;Boss')
        # Each actor is offered once in each of the two lists of the relationship form.
        self.assertContains(response, f'<option value="{risky.public_id}">', count=2)
        edit = reverse("planning:powermap-link-edit", args=[self.team_a.public_id, self.link.pk])
        self.assertContains(response, f'href="{edit}"')

    def test_a_reader_sees_power_and_stance_as_text_without_forms(self):
        self.login(self.watcher)
        response = self.client.get(self.page_url())
        self.assertContains(response, f'<tr id="actor-{self.chamber.public_id}"')
        self.assertContains(response, "<td>8.0</td><td>-4.0</td>")
        self.assertNotContains(response, 'class="pm-place-form')
        self.assertNotContains(response, 'name="source"')
        self.assertNotContains(
            response, reverse("planning:powermap-link-edit", args=[self.team_a.public_id, self.link.pk])
        )
        self.assertContains(response, '<th scope="row">Chamber of commerce</th><td>Influences</td>')
