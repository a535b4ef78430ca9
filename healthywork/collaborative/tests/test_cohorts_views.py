"""Cohorts: the list, a cohort's overview, create, edit and the share-work switch."""

from datetime import date

from django.urls import reverse

from healthywork.collaborative.models import Cohort
from healthywork.collaborative.tests import factories
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.partners.tests import factories as partner_factories


def cohort_data(**overrides) -> dict:
    data = {
        "name": "Healthy Work Collaborative 2020",
        "description": "Second cohort",
        "start_date": "2020-01-15",
        "end_date": "2020-12-15",
        "status": "applications",
        "applications_close": "2019-12-31",
    }
    data.update(overrides)
    return data


class CohortListTests(TeamTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(reverse("collaborative:index"))
        self.assertNeedsLogin(reverse("collaborative:cohort-detail", args=[self.cohort.public_id]))

    def test_every_signed_in_person_reads_the_cohorts(self):
        self.login(self.viewer)
        response = self.client.get(reverse("collaborative:index"))
        self.assertContains(response, "Healthy Work Collaborative 2018")
        self.assertNotContains(response, reverse("collaborative:cohort-create"))

    def test_a_manager_sees_the_add_button(self):
        self.login(self.facilitator)
        response = self.client.get(reverse("collaborative:index"))
        self.assertContains(response, reverse("collaborative:cohort-create"))


class CohortDetailTests(TeamTestCase):
    def test_it_shows_dates_facilitators_and_teams_with_warnings(self):
        lonely = factories.team(
            self.cohort, "Clinic alone", [partner_factories.organization(sector_slug="healthcare")]
        )
        self.login(self.administrator)
        response = self.client.get(self.cohort.get_absolute_url())
        self.assertContains(response, "2018-01-15")
        self.assertContains(response, self.facilitator.display_name())
        self.assertContains(response, "Team A")
        self.assertContains(response, lonely.name)
        self.assertContains(response, "This team has no labor or community organization.")

    def test_a_member_sees_only_their_team_and_the_total(self):
        self.login(self.member_a)
        response = self.client.get(self.cohort.get_absolute_url())
        self.assertContains(response, "Team A")
        self.assertNotContains(response, self.team_b.get_absolute_url())
        self.assertContains(response, "The cohort has 2 teams in all")
        self.assertNotContains(response, reverse("collaborative:cohort-edit", args=[self.cohort.public_id]))

    def test_the_public_link_shows_while_taking_applications(self):
        self.cohort.status = "applications"
        self.cohort.save()
        self.login(self.facilitator)
        response = self.client.get(self.cohort.get_absolute_url())
        self.assertContains(response, reverse("collaborative:apply", args=[self.cohort.application_token]))

    def test_the_public_link_is_hidden_when_closed(self):
        self.login(self.facilitator)
        response = self.client.get(self.cohort.get_absolute_url())
        self.assertNotContains(response, reverse("collaborative:apply", args=[self.cohort.application_token]))
        self.assertContains(response, "closed")


class CohortCreateEditTests(TeamTestCase):
    def test_a_facilitator_adds_a_cohort_and_it_is_audited(self):
        self.login(self.facilitator)
        data = cohort_data(facilitators=[self.facilitator.pk])
        response = self.client.post(reverse("collaborative:cohort-create"), data)
        cohort = Cohort.objects.get(name="Healthy Work Collaborative 2020")
        self.assertRedirects(response, cohort.get_absolute_url())
        self.assertEqual(list(cohort.facilitators.all()), [self.facilitator])
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(cohort.pk)).exists())

    def test_read_only_people_get_403(self):
        for user in (self.viewer, self.member_a):
            self.login(user)
            self.assertEqual(self.client.get(reverse("collaborative:cohort-create")).status_code, 403)
            response = self.client.post(reverse("collaborative:cohort-create"), cohort_data())
            self.assertEqual(response.status_code, 403)
            edit = reverse("collaborative:cohort-edit", args=[self.cohort.public_id])
            self.assertEqual(self.client.post(edit, cohort_data(name="Renamed")).status_code, 403)
        self.assertFalse(
            Cohort.objects.filter(name__in=["Renamed", "Healthy Work Collaborative 2020"]).exists()
        )

    def test_an_end_before_the_start_is_refused_naming_the_field(self):
        self.login(self.administrator)
        response = self.client.post(
            reverse("collaborative:cohort-create"), cohort_data(end_date="2019-01-01")
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.context["form"].errors["end_date"], ["The end date is before the start date."]
        )
        self.assertFalse(Cohort.objects.filter(name="Healthy Work Collaborative 2020").exists())

    def test_a_cohort_facilitator_without_the_role_may_edit_their_cohort(self):
        self.cohort.facilitators.add(self.member_b)
        self.login(self.member_b)
        edit = reverse("collaborative:cohort-edit", args=[self.cohort.public_id])
        data = cohort_data(
            name="HWC 2018",
            start_date="2018-01-15",
            end_date="2018-12-15",
            status="active",
            applications_close="",
        )
        data["facilitators"] = [self.facilitator.pk, self.member_b.pk]
        response = self.client.post(edit, data)
        self.assertRedirects(response, self.cohort.get_absolute_url())
        self.cohort.refresh_from_db()
        self.assertEqual((self.cohort.name, self.cohort.start_date), ("HWC 2018", date(2018, 1, 15)))


class ShareWorkTests(TeamTestCase):
    def test_a_manager_turns_sharing_on_and_off(self):
        url = reverse("collaborative:cohort-share", args=[self.cohort.public_id])
        self.login(self.facilitator)
        self.client.post(url, {"shares_work": "on"})
        self.cohort.refresh_from_db()
        self.assertTrue(self.cohort.shares_work)
        self.client.post(url, {})
        self.cohort.refresh_from_db()
        self.assertFalse(self.cohort.shares_work)
        self.assertEqual(AuditEvent.objects.filter(object_pk=str(self.cohort.pk), action="change").count(), 2)

    def test_a_member_may_not_share(self):
        self.login(self.member_a)
        url = reverse("collaborative:cohort-share", args=[self.cohort.public_id])
        self.assertEqual(self.client.post(url, {"shares_work": "on"}).status_code, 403)
        self.cohort.refresh_from_db()
        self.assertFalse(self.cohort.shares_work)
