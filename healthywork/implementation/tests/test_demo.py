"""The demo implementation: grants with disbursements (one under-spent, none beyond the award),
assistance logs, milestones on the demo action steps (mostly on time, a few late, one overdue), two
reports per team, the paid-internship policy among the changes; loading twice changes nothing; the
cohort overview shows the numbers."""

import shutil
import tempfile
from decimal import Decimal
from io import StringIO

from django.test import TestCase, override_settings
from django.urls import reverse

from healthywork.accounts import demo as accounts_demo
from healthywork.accounts.models import User
from healthywork.collaborative import demo as collaborative_demo
from healthywork.collaborative.models import Cohort
from healthywork.implementation import demo, money, overview
from healthywork.implementation.models import (
    AssistanceKind,
    AssistanceLog,
    Change,
    Disbursement,
    Grant,
    Milestone,
    MilestoneUpdate,
    ProgressReport,
)
from healthywork.partners import demo as partners_demo
from healthywork.planning import demo as planning_demo

DATA_DIR = tempfile.mkdtemp(prefix="healthywork-implementation-demo-")


def state() -> dict[str, object]:
    return {
        model.__name__: set(model.objects.values_list("pk", flat=True))
        for model in (Grant, Disbursement, AssistanceLog, Milestone, ProgressReport, MilestoneUpdate, Change)
    }


@override_settings(DATA_DIR=DATA_DIR)
class DemoImplementationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for module in (accounts_demo, partners_demo, collaborative_demo, planning_demo):
            module.load(stdout=StringIO())
        output = StringIO()
        demo.load(stdout=output)
        cls.output = output.getvalue()
        cls.cohort = Cohort.objects.get(name=collaborative_demo.COHORT)
        cls.admin = User.objects.get(username=accounts_demo.DEMO_USERS["administrator"][0])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(DATA_DIR, ignore_errors=True)

    def test_loading_again_changes_nothing(self):
        before = state()
        output = StringIO()
        demo.load(stdout=output)
        self.assertEqual(state(), before)
        self.assertIn("0 new teams", output.getvalue())

    def test_it_skips_without_the_demo_collaborative(self):
        Cohort.objects.all().delete()
        output = StringIO()
        demo.load(stdout=output)
        self.assertIn("skipped", output.getvalue())

    def test_money_one_under_spent_none_beyond_the_award(self):
        summaries = money.cohort_summary(self.cohort)
        self.assertEqual(len(summaries), 8)
        self.assertFalse(any(summary["over_disbursed"] for summary in summaries.values()))
        under = [summary for summary in summaries.values() if summary["balance"] > 0]
        self.assertEqual(len(under), 1)
        self.assertLess(under[0]["balance"], under[0]["awarded"] / 10)

    def test_assistance_from_content_experts_and_facilitation(self):
        for team in self.cohort.teams.all():
            entries = AssistanceLog.objects.filter(team=team)
            self.assertTrue(5 <= entries.count() <= 12, team)
            kinds = set(entries.values_list("kind", flat=True))
            self.assertEqual(kinds, {AssistanceKind.CONTENT, AssistanceKind.FACILITATION})

    def test_milestones_on_the_teams_own_steps_mostly_on_time(self):
        result = overview.cohort_overview(self.cohort, self.admin)
        totals = result.totals
        self.assertEqual(totals["overdue"], 1)
        self.assertGreaterEqual(totals["late"], 2)
        self.assertGreater(totals["on_time"], totals["milestones"] * 0.75)
        for milestone in Milestone.objects.select_related("action_step__objective__plan"):
            self.assertEqual(milestone.action_step.objective.plan.team_id, milestone.team_id)
            milestone.full_clean()

    def test_two_reports_per_team_with_milestone_updates(self):
        for team in self.cohort.teams.all():
            self.assertEqual(team.progress_reports.count(), 2)
        self.assertTrue(MilestoneUpdate.objects.exists())

    def test_the_paid_internship_policy(self):
        change = Change.objects.get(title="Paid internship policy adopted")
        self.assertEqual(change.organization.name, "Health & Medicine Policy Research Group")
        self.assertEqual(change.workers_reached, 9)
        self.assertGreaterEqual(Change.objects.count(), 5)

    def test_the_overview_page_shows_the_numbers(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("implementation:cohort", args=[self.cohort.public_id]))
        self.assertEqual(response.status_code, 200)
        totals = response.context["totals"]
        awarded = sum((Decimal(amount) for amount, _entries in demo.FUNDING.values()), Decimal("0"))
        self.assertEqual(totals["awarded"], awarded)
        self.assertEqual(totals["disbursed"], awarded - demo.UNDER_SPENT_BY)
        self.assertContains(response, "Setting New Standards for Internship Equity")
        self.assertContains(response, f"{totals['on_time']} / {totals['done']} / {totals['milestones']}")
