"""Team pages: detail, create by hand, edit, organizations and people."""

from django.urls import reverse

from healthywork.collaborative.models import Membership, Team, TeamPerson
from healthywork.collaborative.tests import factories
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.partners.tests import factories as partner_factories


class TeamDetailTests(TeamTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(self.team_a.get_absolute_url())
        self.assertNeedsLogin(reverse("collaborative:team-list", args=[self.cohort.public_id]))

    def test_a_member_reads_their_team(self):
        self.login(self.member_a)
        response = self.client.get(self.team_a.get_absolute_url())
        self.assertContains(response, "Team A")
        self.assertContains(response, reverse("collaborative:team-definition", args=[self.team_a.public_id]))
        self.assertNotContains(response, reverse("collaborative:team-edit", args=[self.team_a.public_id]))

    def test_a_member_of_another_team_gets_404(self):
        self.login(self.member_b)
        for name in ("team-detail", "team-edit", "team-organizations", "team-people", "team-definition"):
            response = self.client.get(reverse(f"collaborative:{name}", args=[self.team_a.public_id]))
            self.assertEqual(response.status_code, 404, name)

    def test_the_composition_warnings_show(self):
        team = factories.team(
            self.cohort, "Clinics", [partner_factories.organization(sector_slug="healthcare")]
        )
        self.login(self.facilitator)
        response = self.client.get(team.get_absolute_url())
        self.assertContains(response, "This team has no labor or community organization.")
        self.assertNotContains(response, "This team has no health-sector organization.")


class TeamCreateEditTests(TeamTestCase):
    def test_a_facilitator_adds_a_team_by_hand(self):
        provider = partner_factories.organization("Labor Education Center", "research")
        self.login(self.facilitator)
        data = {"name": "Team C", "focus": "Wage theft", "facilitator": self.facilitator.pk}
        data["assistance_providers"] = [provider.pk]
        response = self.client.post(reverse("collaborative:team-create", args=[self.cohort.public_id]), data)
        team = Team.objects.get(name="Team C")
        self.assertRedirects(response, team.get_absolute_url())
        self.assertEqual(list(team.assistance_providers.all()), [provider])
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(team.pk)).exists())

    def test_a_duplicate_name_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(
            reverse("collaborative:team-create", args=[self.cohort.public_id]), {"name": "Team A"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.context["form"].errors["name"], ["The cohort already has a team called Team A."]
        )
        self.assertEqual(Team.objects.filter(name="Team A").count(), 1)

    def test_members_and_viewers_may_not_edit_the_team(self):
        self.login(self.member_a)
        edit = reverse("collaborative:team-edit", args=[self.team_a.public_id])
        self.assertEqual(self.client.post(edit, {"name": "Renamed"}).status_code, 403)
        create = reverse("collaborative:team-create", args=[self.cohort.public_id])
        self.assertEqual(self.client.post(create, {"name": "Team X"}).status_code, 403)
        self.login(self.viewer)
        self.assertEqual(self.client.post(create, {"name": "Team X"}).status_code, 403)
        self.assertFalse(Team.objects.filter(name__in=["Renamed", "Team X"]).exists())

    def test_the_facilitator_edits_name_focus_and_facilitator(self):
        self.login(self.administrator)
        edit = reverse("collaborative:team-edit", args=[self.team_a.public_id])
        response = self.client.post(
            edit, {"name": "Team A+", "focus": "Heat", "facilitator": self.facilitator.pk}
        )
        self.assertRedirects(response, self.team_a.get_absolute_url())
        self.team_a.refresh_from_db()
        self.assertEqual((self.team_a.name, self.team_a.facilitator), ("Team A+", self.facilitator))


class TeamOrganizationsTests(TeamTestCase):
    def url(self) -> str:
        return reverse("collaborative:team-organizations", args=[self.team_a.public_id])

    def test_a_facilitator_adds_changes_and_removes_an_organization(self):
        clinic = partner_factories.organization("Joliet Clinic", "healthcare")
        self.login(self.facilitator)
        self.client.post(self.url(), {"organization": clinic.pk, "role": "member"})
        membership = Membership.objects.get(team=self.team_a, organization=clinic)
        self.client.post(self.url(), {"organization": clinic.pk, "role": "lead"})
        membership.refresh_from_db()
        self.assertEqual(membership.role, "lead")
        remove = reverse(
            "collaborative:team-organization-remove", args=[self.team_a.public_id, membership.pk]
        )
        self.assertRedirects(self.client.post(remove), self.url())
        self.assertFalse(Membership.objects.filter(pk=membership.pk).exists())

    def test_a_missing_organization_is_named_and_nothing_changes(self):
        self.login(self.facilitator)
        response = self.client.post(self.url(), {"organization": "", "role": "member"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("organization", response.context["form"].errors)
        self.assertEqual(self.team_a.memberships.count(), 2)

    def test_a_member_reads_but_may_not_change(self):
        self.login(self.member_a)
        self.assertEqual(self.client.get(self.url()).status_code, 200)
        clinic = partner_factories.organization(sector_slug="healthcare")
        self.assertEqual(
            self.client.post(self.url(), {"organization": clinic.pk, "role": "member"}).status_code, 403
        )
        membership = self.team_a.memberships.first()
        remove = reverse(
            "collaborative:team-organization-remove", args=[self.team_a.public_id, membership.pk]
        )
        self.assertEqual(self.client.post(remove).status_code, 403)
        self.assertEqual(self.team_a.memberships.count(), 2)


class TeamPeopleTests(TeamTestCase):
    def url(self) -> str:
        return reverse("collaborative:team-people", args=[self.team_a.public_id])

    def test_a_facilitator_adds_a_person_with_an_account_then_makes_them_read_only(self):
        person = partner_factories.person("Rosa Díaz")
        organization = self.team_a.memberships.first().organization
        self.login(self.facilitator)
        data = {"person": person.pk, "user": self.coder.pk, "organization": organization.pk, "can_edit": "on"}
        self.assertRedirects(self.client.post(self.url(), data), self.url())
        entry = TeamPerson.objects.get(team=self.team_a, person=person)
        self.assertEqual((entry.user, entry.can_edit), (self.coder, True))
        self.client.post(self.url(), {"person": person.pk, "user": self.coder.pk})
        entry.refresh_from_db()
        self.assertFalse(entry.can_edit)
        self.assertFalse(self.team_a.can_edit(self.coder))
        self.assertTrue(self.team_a.is_member(self.coder))

    def test_no_one_chosen_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(self.url(), {"can_edit": "on"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("person", response.context["form"].errors)
        self.assertEqual(self.team_a.people.count(), 1)

    def test_a_facilitator_removes_a_person(self):
        entry = self.team_a.people.get(user=self.member_a)
        self.login(self.facilitator)
        self.client.post(reverse("collaborative:team-person-remove", args=[self.team_a.public_id, entry.pk]))
        self.assertFalse(self.team_a.people.exists())

    def test_a_member_may_not_add_people(self):
        self.login(self.member_a)
        self.assertEqual(self.client.post(self.url(), {"user": self.viewer.pk}).status_code, 403)
        self.assertEqual(self.team_a.people.count(), 1)
