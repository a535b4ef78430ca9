"""Deliverables: one for every team at once, edited by the managers or (status and note) by the team."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from healthywork.collaborative import sessions
from healthywork.collaborative.models import Deliverable
from healthywork.collaborative.tests import factories
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.tests.base import make_user


class DeliverableTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = factories.session(cls.cohort, 1)
        cls.create_url = reverse("collaborative:deliverable-create", args=[cls.session.public_id])

    def _deliverable(self, team=None, **fields) -> Deliverable:
        return factories.deliverable(team or self.team_a, self.session, "Draft power map", **fields)

    def test_a_facilitator_adds_a_deliverable_for_every_team(self):
        self.login(self.facilitator)
        data = {"title": "Draft power map", "due_date": "2018-02-20", "status": "not_started", "note": ""}
        response = self.client.post(self.create_url, data)
        self.assertRedirects(response, self.session.get_absolute_url())
        teams = set(Deliverable.objects.filter(title="Draft power map").values_list("team__name", flat=True))
        self.assertEqual(teams, {"Team A", "Team B"})

    def test_a_missing_title_names_the_field_and_changes_nothing(self):
        self.login(self.facilitator)
        response = self.client.post(self.create_url, {"title": "", "status": "not_started"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("title", response.context["form"].errors)
        self.assertFalse(Deliverable.objects.exists())

    def test_a_member_updates_status_and_note_but_not_the_title(self):
        deliverable = self._deliverable()
        self.login(self.member_a)
        url = reverse("collaborative:deliverable-edit", args=[deliverable.public_id])
        self.assertNotContains(self.client.get(url), 'name="title"')
        data = {"title": "Renamed", "status": "submitted", "note": "Shared in the drive."}
        self.assertRedirects(self.client.post(url, data), self.session.get_absolute_url())
        deliverable.refresh_from_db()
        self.assertEqual(
            (deliverable.title, deliverable.status, deliverable.note),
            ("Draft power map", "submitted", "Shared in the drive."),
        )

    def test_a_member_of_another_team_gets_404(self):
        deliverable = self._deliverable()
        self.login(self.member_b)
        url = reverse("collaborative:deliverable-edit", args=[deliverable.public_id])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, {"status": "accepted"}).status_code, 404)
        response = self.client.get(self.session.get_absolute_url())
        self.assertNotContains(response, url)

    def test_read_only_people_get_403(self):
        deliverable = self._deliverable()
        reader = make_user("rita", "team_member")
        factories.add_user(self.team_a, reader, can_edit=False)
        url = reverse("collaborative:deliverable-edit", args=[deliverable.public_id])
        for user in (reader, self.evaluator):  # the evaluator sees every team, edits none
            self.login(user)
            self.assertEqual(self.client.post(url, {"status": "accepted"}).status_code, 403)
            page = self.client.get(self.session.get_absolute_url())
            self.assertContains(page, "Draft power map")
            self.assertNotContains(page, url)  # no link to a form that would refuse them
        self.login(self.member_a)
        self.assertContains(self.client.get(self.session.get_absolute_url()), url)
        delete = reverse("collaborative:deliverable-delete", args=[deliverable.public_id])
        self.login(self.member_a)
        self.assertEqual(self.client.post(delete).status_code, 403)
        deliverable.refresh_from_db()
        self.assertEqual(deliverable.status, "not_started")

    def test_a_bad_status_names_the_field_and_changes_nothing(self):
        deliverable = self._deliverable()
        self.login(self.facilitator)
        url = reverse("collaborative:deliverable-edit", args=[deliverable.public_id])
        response = self.client.post(url, {"title": "X", "status": "lost"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("status", response.context["form"].errors)
        deliverable.refresh_from_db()
        self.assertEqual(deliverable.title, "Draft power map")

    def test_overdue_is_said_in_words(self):
        yesterday = timezone.localdate() - timedelta(days=1)
        late = self._deliverable(due_date=yesterday)
        handed_in = self._deliverable(self.team_b, due_date=yesterday, status="submitted")
        self.assertTrue(sessions.is_overdue(late))
        self.assertFalse(sessions.is_overdue(handed_in))
        self.login(self.member_a)
        response = self.client.get(self.session.get_absolute_url())
        self.assertContains(response, "Overdue", count=1)

    def test_a_facilitator_deletes_a_deliverable(self):
        deliverable = self._deliverable()
        self.login(self.facilitator)
        response = self.client.post(reverse("collaborative:deliverable-delete", args=[deliverable.public_id]))
        self.assertRedirects(response, self.session.get_absolute_url())
        self.assertFalse(Deliverable.objects.exists())
