"""The demo planning tools: every team has a power map, a theory of change and an action plan that
pass validation (one theory deliberately incomplete: warnings, no errors), two snapshots per team
and kind that differ; loading twice changes nothing."""

import shutil
import tempfile
from datetime import date
from io import StringIO

from django.test import TestCase, override_settings

from healthywork.accounts import demo as accounts_demo
from healthywork.collaborative import demo as collaborative_demo
from healthywork.collaborative.models import Cohort, Team
from healthywork.partners import demo as partners_demo
from healthywork.planning import demo, snapshots, toc
from healthywork.planning.models import (
    ActionPlan,
    ActionStep,
    Actor,
    ArtifactKind,
    OutcomeLink,
    PowerMap,
    Snapshot,
    StepStatus,
    TheoryOfChange,
)

DATA_DIR = tempfile.mkdtemp(prefix="healthywork-planning-demo-")


def state() -> dict[str, object]:
    return {
        "maps": set(PowerMap.objects.values_list("pk", "version", "issue")),
        "actors": set(Actor.objects.values_list("pk", "power", "stance")),
        "theories": set(TheoryOfChange.objects.values_list("pk", "version", "narrative")),
        "links": OutcomeLink.objects.count(),
        "plans": set(ActionPlan.objects.values_list("pk", "version")),
        "steps": set(ActionStep.objects.values_list("pk", "status")),
        "snapshots": set(Snapshot.objects.values_list("pk", "version", "taken_at")),
    }


@override_settings(DATA_DIR=DATA_DIR)
class DemoPlanningTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for module in (accounts_demo, partners_demo, collaborative_demo):
            module.load(stdout=StringIO())
        output = StringIO()
        demo.load(stdout=output)
        cls.output = output.getvalue()
        cls.teams = list(Cohort.objects.get(name=collaborative_demo.COHORT).teams.all())

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(DATA_DIR, ignore_errors=True)

    def test_loading_again_changes_nothing(self):
        before = state()
        output = StringIO()
        demo.load(stdout=output)
        self.assertEqual(state(), before)
        self.assertIn("(0 new), 0 new snapshots", output.getvalue())

    def test_it_leaves_a_team_that_has_started_its_own_work_alone(self):
        Snapshot.objects.all().delete()
        PowerMap.objects.exclude(team__name=demo.INCOMPLETE_TEAM).delete()
        demo.load(stdout=StringIO())
        self.assertEqual(Snapshot.objects.exclude(team__name=demo.INCOMPLETE_TEAM).count(), 0)

    def test_it_skips_without_the_demo_collaborative(self):
        Cohort.objects.all().delete()
        output = StringIO()
        demo.load(stdout=output)
        self.assertIn("skipped", output.getvalue())

    def test_every_team_has_the_three_artifacts_within_the_asked_sizes(self):
        self.assertEqual(len(self.teams), 8)
        for team in self.teams:
            actors = Actor.objects.filter(power_map__team=team)
            self.assertTrue(8 <= actors.count() <= 15, team.name)
            self.assertTrue(actors.filter(is_target=True).exists(), team.name)
            own = set(team.memberships.values_list("organization_id", flat=True))
            self.assertEqual(
                set(actors.filter(organization__in=own).values_list("organization_id", flat=True)), own
            )
            self.assertTrue(PowerMap.objects.get(team=team).links.exists(), team.name)
            theory = TheoryOfChange.objects.get(team=team)
            self.assertTrue(6 <= theory.outcomes.count() <= 12, team.name)
            self.assertIsNotNone(theory.goal)
            objectives = ActionPlan.objects.get(team=team).objectives.all()
            self.assertTrue(2 <= objectives.count() <= 4, team.name)
            for objective in objectives:
                self.assertIsNotNone(objective.outcome_id)
                self.assertTrue(3 <= objective.steps.count() <= 6, objective)

    def test_no_theory_has_a_cycle_or_an_error_and_one_is_deliberately_incomplete(self):
        for team in self.teams:
            findings = toc.validate(toc.load_theory_data(team.theoryofchange))
            self.assertEqual([f.message for f in findings if f.is_error], [], team.name)
            data = toc.load_theory_data(team.theoryofchange)
            self.assertEqual(toc.find_cycles([o.id for o in data.outcomes], data.edges), [], team.name)
            if team.name == demo.INCOMPLETE_TEAM:
                self.assertGreaterEqual(len(findings), 3)
            else:
                self.assertEqual(findings, [], team.name)

    def test_plans_have_done_and_overdue_steps(self):
        steps = ActionStep.objects.filter(objective__plan__team__in=self.teams)
        self.assertTrue(steps.filter(status=StepStatus.DONE).exists())
        overdue = steps.exclude(status=StepStatus.DONE).filter(due_date__lt=date(2019, 1, 1))
        self.assertTrue(overdue.exists())
        self.assertFalse(steps.filter(who_person__isnull=True, who_organization__isnull=True).exists())
        self.assertFalse(steps.filter(due_date__isnull=True).exists())

    def test_two_snapshots_per_team_and_kind_after_sessions_4_and_6_that_differ(self):
        for team in self.teams:
            for kind in ArtifactKind.values:
                pair = list(Snapshot.objects.filter(team=team, kind=kind).order_by("taken_at"))
                self.assertEqual([s.session.number for s in pair], [4, 6], (team.name, kind))
                self.assertLess(pair[0].version, pair[1].version)
                self.assertTrue(snapshots.diff(pair[0].data, pair[1].data, kind), (team.name, kind))

    def test_a_stance_moved_between_the_snapshots(self):
        team = Team.objects.get(name="Advancing Labor Rights in Immigrant Communities")
        older, newer = Snapshot.objects.filter(team=team, kind=ArtifactKind.POWER_MAP).order_by("taken_at")
        messages = [
            change.message for change in snapshots.diff(older.data, newer.data, ArtifactKind.POWER_MAP)
        ]
        self.assertIn("Stance of Village board of trustees: −2 → −1", messages)

    def test_the_live_plan_moved_on_after_the_last_snapshot(self):
        for team in self.teams:
            latest = Snapshot.objects.filter(team=team, kind=ArtifactKind.ACTION_PLAN).latest("taken_at")
            live = snapshots.serialise(team, ArtifactKind.ACTION_PLAN)
            self.assertTrue(snapshots.diff(latest.data, live, ArtifactKind.ACTION_PLAN), team.name)
