from datetime import date

from django.urls import reverse

from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.implementation import milestones
from healthywork.implementation.models import Milestone, MilestoneStatus
from healthywork.implementation.tests import factories
from healthywork.planning.tests import factories as planning


class MilestoneViewsTest(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.step_a = planning.step(planning.objective(planning.plan(cls.team_a)), "Meet the village board")
        cls.step_b = planning.step(planning.objective(planning.plan(cls.team_b)), "Team B's step")
        cls.milestone = factories.milestone(cls.team_a, "Draft the ordinance")

    def create_url(self, team=None):
        return reverse("implementation:milestone-create", args=[(team or self.team_a).public_id])

    def data(self, **extra):
        values = {"title": "Hold a hearing", "due_date": "2018-11-01", "status": "planned"}
        values.update(extra)
        return values

    def test_a_member_adds_a_milestone_linked_to_their_step(self):
        self.login(self.member_a)
        response = self.client.post(self.create_url(), self.data(action_step=self.step_a.pk))
        self.assertRedirects(response, reverse("implementation:team", args=[self.team_a.public_id]))
        created = Milestone.objects.get(title="Hold a hearing")
        self.assertEqual(created.action_step, self.step_a)
        self.assertTrue(AuditEvent.objects.for_object(created).filter(action="create").exists())

    def test_another_teams_step_is_a_form_error(self):
        self.login(self.member_a)
        response = self.client.post(self.create_url(), self.data(action_step=self.step_b.pk))
        self.assertEqual(response.status_code, 400)
        self.assertIn("action_step", response.context["form"].errors)
        self.assertFalse(Milestone.objects.filter(title="Hold a hearing").exists())

    def test_the_form_offers_only_the_teams_own_steps(self):
        self.login(self.member_a)
        response = self.client.get(self.create_url())
        self.assertContains(response, "Meet the village board")
        self.assertNotContains(response, "Team B&#x27;s step")

    def test_done_needs_a_completion_date(self):
        self.login(self.member_a)
        response = self.client.post(self.create_url(), self.data(status="done"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("completed_on", response.context["form"].errors)

    def test_a_stranger_gets_404_and_a_reader_403(self):
        self.login(self.member_b)
        self.assertEqual(self.client.get(self.create_url()).status_code, 404)
        edit = reverse("implementation:milestone-edit", args=[self.milestone.public_id])
        self.assertEqual(self.client.get(edit).status_code, 404)
        self.login(self.evaluator)  # sees every team, edits none
        self.assertEqual(self.client.post(self.create_url(), self.data()).status_code, 403)
        self.assertEqual(self.client.post(edit, self.data()).status_code, 403)

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.create_url())

    def test_the_facilitator_edits_and_deletes(self):
        self.login(self.facilitator)
        edit = reverse("implementation:milestone-edit", args=[self.milestone.public_id])
        response = self.client.post(
            edit, self.data(title="Draft it", status="done", completed_on="2018-09-01")
        )
        self.assertEqual(response.status_code, 302)
        self.milestone.refresh_from_db()
        self.assertEqual((self.milestone.title, self.milestone.status), ("Draft it", MilestoneStatus.DONE))
        delete = reverse("implementation:milestone-delete", args=[self.milestone.public_id])
        self.client.post(delete)
        self.assertFalse(Milestone.objects.filter(pk=self.milestone.pk).exists())
        self.assertTrue(AuditEvent.objects.filter(action="delete", object_pk=str(self.milestone.pk)).exists())


class MilestoneStateTest(TeamTestCase):
    def test_on_time_late_overdue_and_open(self):
        today = date(2018, 12, 1)
        due = date(2018, 10, 1)
        cases = [
            (MilestoneStatus.DONE, date(2018, 10, 1), due, "on_time"),
            (MilestoneStatus.DONE, date(2018, 10, 2), due, "late"),
            (MilestoneStatus.ON_TRACK, None, due, "overdue"),
            (MilestoneStatus.PLANNED, None, date(2019, 1, 1), "open"),
            (MilestoneStatus.DROPPED, None, due, "dropped"),
        ]
        for status, completed_on, due_date, expected in cases:
            milestone = Milestone(
                team=self.team_a, status=status, completed_on=completed_on, due_date=due_date
            )
            self.assertEqual(milestones.state(milestone, today), expected)
