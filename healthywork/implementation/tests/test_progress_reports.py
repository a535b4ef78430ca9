from datetime import date

from django.urls import reverse

from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.implementation.models import MilestoneStatus, MilestoneUpdate, ProgressReport
from healthywork.implementation.tests import factories


class ReportViewsTest(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first = factories.milestone(cls.team_a, "Draft the ordinance", due_date=date(2018, 10, 1))
        cls.second = factories.milestone(cls.team_a, "Hold a hearing", due_date=date(2018, 12, 1))
        cls.finished = factories.milestone(
            cls.team_a, "Train outreach workers", status="done", completed_on=date(2018, 8, 1)
        )
        cls.other = factories.milestone(cls.team_b, "Team B milestone")

    def url(self):
        return reverse("implementation:report-create", args=[self.team_a.public_id])

    def data(self, **extra):
        values = {
            "period_start": "2018-07-01",
            "period_end": "2018-09-30",
            "done": "Met the trustees.",
            "challenges": "Summer recess.",
            "next_steps": "Hearing in November.",
            f"m{self.first.pk}_status": "done",
            f"m{self.first.pk}_completed_on": "2018-09-28",
            f"m{self.second.pk}_status": "at_risk",
            f"m{self.second.pk}_note": "The clerk has not scheduled it.",
        }
        values.update(extra)
        return values

    def test_the_form_lists_only_open_milestones_of_the_team(self):
        self.login(self.member_a)
        response = self.client.get(self.url())
        self.assertContains(response, "Draft the ordinance")
        self.assertNotContains(response, "Train outreach workers")
        self.assertNotContains(response, "Team B milestone")

    def test_saving_a_report_updates_the_milestones(self):
        self.login(self.member_a)
        response = self.client.post(self.url(), self.data())
        report = ProgressReport.objects.get(team=self.team_a)
        self.assertRedirects(response, reverse("implementation:report-detail", args=[report.public_id]))
        self.first.refresh_from_db()
        self.second.refresh_from_db()
        self.assertEqual((self.first.status, self.first.completed_on), ("done", date(2018, 9, 28)))
        self.assertEqual(self.second.status, MilestoneStatus.AT_RISK)
        self.assertEqual(MilestoneUpdate.objects.filter(report=report).count(), 2)
        self.assertTrue(AuditEvent.objects.for_object(report).filter(action="create").exists())
        self.assertTrue(AuditEvent.objects.for_object(self.first).filter(action="change").exists())
        detail = self.client.get(report.get_absolute_url())
        self.assertContains(detail, "The clerk has not scheduled it.")
        self.assertContains(detail, "Met the trustees.")

    def test_a_done_update_needs_a_date_and_nothing_changes(self):
        self.login(self.member_a)
        response = self.client.post(self.url(), self.data(**{f"m{self.first.pk}_completed_on": ""}))
        self.assertEqual(response.status_code, 400)
        self.assertIn(f"m{self.first.pk}_completed_on", response.context["form"].errors)
        self.assertContains(response, "give the date it was done", status_code=400)
        self.assertFalse(ProgressReport.objects.exists())
        self.first.refresh_from_db()
        self.assertEqual(self.first.status, MilestoneStatus.PLANNED)

    def test_a_period_ending_before_it_starts_is_refused(self):
        self.login(self.member_a)
        response = self.client.post(self.url(), self.data(period_end="2018-06-01"))
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ProgressReport.objects.exists())

    def test_editing_keeps_the_covered_milestones(self):
        self.login(self.member_a)
        self.client.post(self.url(), self.data())
        report = ProgressReport.objects.get()
        edit = reverse("implementation:report-edit", args=[report.public_id])
        response = self.client.get(edit)
        self.assertContains(response, "Draft the ordinance")  # done now, but this report covers it
        response = self.client.post(edit, self.data(done="Met the trustees twice."))
        self.assertEqual(response.status_code, 302)
        report.refresh_from_db()
        self.assertEqual(report.done, "Met the trustees twice.")

    def test_strangers_get_404_readers_403(self):
        report = factories.report(self.team_a)
        self.login(self.member_b)
        self.assertEqual(self.client.get(report.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.login(self.evaluator)
        self.assertEqual(self.client.get(report.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.post(self.url(), self.data()).status_code, 403)
        delete = reverse("implementation:report-delete", args=[report.public_id])
        self.assertEqual(self.client.post(delete).status_code, 403)
        self.login(self.member_a)
        self.assertEqual(self.client.post(delete).status_code, 302)
        self.assertFalse(ProgressReport.objects.filter(pk=report.pk).exists())
