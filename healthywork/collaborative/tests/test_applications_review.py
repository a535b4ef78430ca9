"""Reviewing applications: the list, the detail with registry matches, score and notes, accept
into a team (in one transaction) or decline, with the contact notified."""

from django.core import mail
from django.urls import reverse

from healthywork.collaborative import applications
from healthywork.collaborative.models import Application, Team
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.partners.models import Organization, Sector
from healthywork.partners.tests import factories as partner_factories


class ReviewTestCase(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = partner_factories.organization("Warehouse Workers for Justice", "labor", aliases="WWJ")
        cls.department = partner_factories.organization("Will County Health Department", "public-health")
        cls.application = Application.objects.create(
            cohort=cls.cohort,
            lead_organization_name="WWJ",
            partner_organizations="Will County Health Department\nJoliet Day Laborers",
            contact_name="Rosa",
            contact_email="rosa@example.org",
            proposed_focus="Heat in warehouses",
            why_now="A heat standard",
            language="es",
        )

    def accept_url(self) -> str:
        return reverse("collaborative:application-accept", args=[self.application.public_id])

    def accept_data(self, **overrides) -> dict:
        data = {
            "lead_choice": str(self.union.public_id),
            "partner1_choice": str(self.department.public_id),
            "partner2_choice": "new",
            "partner2_name": "Joliet Day Laborers",
            "partner2_sector": Sector.objects.get(slug="labor").pk,
        }
        data.update(overrides)
        return data


class ApplicationListTests(ReviewTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(reverse("collaborative:application-list", args=[self.cohort.public_id]))
        self.assertNeedsLogin(self.application.get_absolute_url())

    def test_managers_see_applications_with_status_and_score(self):
        self.application.score = 87
        self.application.save()
        self.login(self.facilitator)
        response = self.client.get(reverse("collaborative:application-list", args=[self.cohort.public_id]))
        self.assertContains(response, "WWJ")
        self.assertContains(response, "87")

    def test_others_may_not_see_applications(self):
        self.login(self.member_a)
        response = self.client.get(reverse("collaborative:application-list", args=[self.cohort.public_id]))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.get(self.application.get_absolute_url()).status_code, 404)


class ApplicationDetailTests(ReviewTestCase):
    def test_it_shows_registry_matches_by_alias_and_name(self):
        self.login(self.administrator)
        response = self.client.get(self.application.get_absolute_url())
        form = response.context["accept_form"]
        self.assertEqual(form["lead_choice"].initial, str(self.union.public_id))
        self.assertEqual(form["partner1_choice"].initial, str(self.department.public_id))
        self.assertEqual(form["partner2_choice"].initial, "new")
        self.assertContains(response, "Warehouse Workers for Justice")

    def test_a_score_and_notes_are_saved(self):
        self.login(self.facilitator)
        self.client.post(
            self.application.get_absolute_url(), {"score": "72", "review_notes": "Strong labor lead"}
        )
        self.application.refresh_from_db()
        self.assertEqual((self.application.score, self.application.reviewed_by), (72, self.facilitator))

    def test_a_score_out_of_range_is_refused_naming_the_field(self):
        self.login(self.facilitator)
        response = self.client.post(self.application.get_absolute_url(), {"score": "140", "review_notes": ""})
        self.assertEqual(response.status_code, 400)
        self.assertIn("score", response.context["review_form"].errors)
        self.application.refresh_from_db()
        self.assertIsNone(self.application.score)

    def test_a_viewer_may_not_review(self):
        self.login(self.viewer)
        response = self.client.post(self.application.get_absolute_url(), {"score": "10"})
        self.assertEqual(response.status_code, 404)
        self.application.refresh_from_db()
        self.assertIsNone(self.application.score)


class AcceptTests(ReviewTestCase):
    def test_accepting_creates_the_team_with_its_organizations_and_notifies_in_spanish(self):
        self.login(self.facilitator)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.accept_url(), self.accept_data())
        team = Team.objects.get(application=self.application)
        self.assertRedirects(response, team.get_absolute_url())
        self.assertEqual((team.name, team.focus), ("Warehouse Workers for Justice", "Heat in warehouses"))
        roles = dict(team.memberships.values_list("organization__name", "role"))
        self.assertEqual(
            roles,
            {
                "Warehouse Workers for Justice": "lead",
                "Will County Health Department": "member",
                "Joliet Day Laborers": "member",
            },
        )
        self.assertEqual(Organization.objects.get(name="Joliet Day Laborers").sector.slug, "labor")
        self.application.refresh_from_db()
        self.assertEqual(
            (self.application.status, self.application.lead_organization), ("accepted", self.union)
        )
        self.assertIsNotNone(self.application.notified_at)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("aceptada", mail.outbox[0].subject)
        self.assertTrue(
            AuditEvent.objects.filter(object_pk=str(self.application.pk), note="accepted").exists()
        )

    def test_a_new_organization_without_a_sector_is_refused_and_nothing_changes(self):
        self.login(self.facilitator)
        response = self.client.post(self.accept_url(), self.accept_data(partner2_sector=""))
        self.assertEqual(response.status_code, 400)
        self.assertIn("partner2_sector", response.context["accept_form"].errors)
        self.assertContains(
            response, "Choose a sector for the new organization Joliet Day Laborers", status_code=400
        )
        self.assertFalse(Team.objects.filter(application=self.application).exists())
        self.assertFalse(Organization.objects.filter(name="Joliet Day Laborers").exists())

    def test_a_name_clash_rolls_everything_back(self):
        Team.objects.create(cohort=self.cohort, name="Warehouse Workers for Justice")
        self.login(self.facilitator)
        response = self.client.post(self.accept_url(), self.accept_data())
        self.assertContains(response, "already has a team called", status_code=400)
        self.assertFalse(Organization.objects.filter(name="Joliet Day Laborers").exists())
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, "submitted")

    def test_a_partner_can_be_left_off(self):
        team = applications.accept_application(
            self.application, lead=self.union, partners=[self.department], by=self.administrator
        )
        self.assertEqual(team.memberships.count(), 2)

    def test_a_read_only_person_cannot_accept(self):
        self.login(self.member_a)
        self.assertEqual(self.client.post(self.accept_url(), self.accept_data()).status_code, 404)
        self.assertFalse(Team.objects.filter(application=self.application).exists())

    def test_an_application_is_decided_once(self):
        applications.decline_application(self.application, by=self.facilitator)
        with self.assertRaises(applications.ApplicationDecided):
            applications.accept_application(
                self.application, lead=self.union, partners=[], by=self.facilitator
            )


class DeclineTests(ReviewTestCase):
    def test_declining_records_and_notifies(self):
        self.login(self.facilitator)
        url = reverse("collaborative:application-decline", args=[self.application.public_id])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url)
        self.assertRedirects(response, self.application.get_absolute_url())
        self.application.refresh_from_db()
        self.assertEqual(
            (self.application.status, self.application.reviewed_by), ("declined", self.facilitator)
        )
        self.assertIn("Sobre su solicitud", mail.outbox[0].subject)
        again = self.client.post(url, follow=True)
        self.assertContains(again, "already decided")
