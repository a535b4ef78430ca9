"""The demo collaborative: the 2018 cohort with its eight real teams, six sessions, attendance,
deliverables, applications and definitions; loading twice changes nothing."""

import shutil
import tempfile
from io import StringIO
from unittest import mock

from django.test import TestCase, override_settings

from healthywork.accounts import demo as accounts_demo
from healthywork.accounts.models import User
from healthywork.collaborative import demo
from healthywork.collaborative.models import (
    Application,
    ApplicationStatus,
    Attendance,
    Cohort,
    CohortStatus,
    Deliverable,
    DeliverableStatus,
    Membership,
    MembershipRole,
    Session,
    Team,
    TeamPerson,
)
from healthywork.partners import demo as partners_demo

DATA_DIR = tempfile.mkdtemp(prefix="healthywork-collaborative-demo-")


def state() -> dict[str, object]:
    return {
        "cohorts": list(Cohort.objects.values_list("pk", "name", "status", "updated_at")),
        "teams": set(Team.objects.values_list("pk", "name", "definition", "version", "updated_at")),
        "memberships": set(Membership.objects.values_list("pk", "team_id", "organization_id", "role")),
        "people": set(TeamPerson.objects.values_list("pk", "team_id", "person_id", "user_id", "can_edit")),
        "applications": set(Application.objects.values_list("pk", "status", "score", "submitted_at")),
        "sessions": set(Session.objects.values_list("pk", "number", "title", "starts_at", "updated_at")),
        "attendance": set(Attendance.objects.values_list("pk", "session_id", "person_id", "is_present")),
        "deliverables": set(Deliverable.objects.values_list("pk", "status", "updated_at")),
        "conditions": set(Team.definition_conditions.through.objects.values_list("team_id", "condition_id")),
    }


@override_settings(DATA_DIR=DATA_DIR)
class DemoCollaborativeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for module in (accounts_demo, partners_demo):
            module.load(stdout=StringIO())
        output = StringIO()
        demo.load(stdout=output)
        cls.output = output.getvalue()
        cls.cohort = Cohort.objects.get(name=demo.COHORT)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(DATA_DIR, ignore_errors=True)

    def test_loading_again_changes_nothing(self):
        before = state()
        output = StringIO()
        demo.load(stdout=output)
        self.assertEqual(state(), before)
        self.assertIn("(0 new)", output.getvalue())
        self.assertIn("0 new attendance records, 0 new deliverables", output.getvalue())

    def test_it_skips_without_the_demo_organizations(self):
        output = StringIO()
        with mock.patch.object(partners_demo, "team_organizations", return_value=[]):
            demo.load(stdout=output)
        self.assertIn("skipped", output.getvalue())

    def test_the_cohort_is_the_completed_2018_collaborative_facilitated_by_the_demo_facilitator(self):
        self.assertEqual(self.cohort.status, CohortStatus.COMPLETED)
        self.assertEqual((self.cohort.start_date.year, self.cohort.end_date.year), (2018, 2018))
        self.assertEqual(
            list(self.cohort.facilitators.values_list("username", flat=True)), ["demo-facilitator"]
        )

    def test_it_has_the_eight_real_teams_with_their_organizations_lead_first(self):
        teams = {team.name: team for team in self.cohort.teams.all()}
        self.assertEqual(set(teams), {title for title, _names in partners_demo.TEAMS})
        for title, names in partners_demo.TEAMS:
            memberships = teams[title].memberships.select_related("organization")
            self.assertEqual({m.organization.name for m in memberships}, set(names))
            lead = memberships.get(role=MembershipRole.LEAD)
            self.assertEqual(lead.organization.name, names[0])

    def test_every_team_has_people_and_each_person_sits_on_one_team(self):
        for team in self.cohort.teams.all():
            self.assertTrue(team.people.filter(person__isnull=False).exists(), team.name)
        people = list(TeamPerson.objects.filter(person__isnull=False).values_list("person_id", flat=True))
        self.assertEqual(len(people), len(set(people)))

    def test_the_demo_member_may_edit_one_team_only(self):
        member = User.objects.get(username="demo-member")
        team = Team.objects.get(name=demo.MEMBER_TEAM)
        self.assertTrue(team.can_edit(member))
        self.assertEqual(list(Team.objects.visible_to(member)), [team])

    def test_every_team_has_an_accepted_application_and_one_was_declined(self):
        for team in self.cohort.teams.all():
            self.assertEqual(team.application.status, ApplicationStatus.ACCEPTED)
            self.assertEqual(team.application.submitted_at.year, 2018)
        declined = self.cohort.applications.filter(status=ApplicationStatus.DECLINED)
        self.assertEqual(declined.count(), 1)
        self.assertIsNone(getattr(declined.get(), "team", None))

    def test_six_sessions_in_2018_with_most_people_present(self):
        sessions = list(self.cohort.sessions.order_by("number"))
        self.assertEqual([s.number for s in sessions], [1, 2, 3, 4, 5, 6])
        self.assertEqual({s.starts_at.year for s in sessions}, {2018})
        self.assertIn("Power mapping", [s.title for s in sessions])
        self.assertTrue(all(s.objectives and s.agenda for s in sessions))
        people = TeamPerson.objects.filter(team__cohort=self.cohort, person__isnull=False).count()
        records = Attendance.objects.filter(session__cohort=self.cohort)
        self.assertEqual(records.count(), people * 6)
        absent = records.filter(is_present=False).count()
        self.assertGreater(absent, 0)
        self.assertLess(absent, records.count() * 0.2)

    def test_one_deliverable_per_team_per_session_with_mixed_statuses(self):
        deliverables = Deliverable.objects.filter(session__cohort=self.cohort)
        self.assertEqual(deliverables.count(), 8 * 6)
        statuses = set(deliverables.values_list("status", flat=True))
        self.assertLessEqual({DeliverableStatus.ACCEPTED, DeliverableStatus.IN_PROGRESS}, statuses)

    def test_every_team_defines_precarious_work(self):
        for team in self.cohort.teams.all():
            self.assertTrue(team.definition.strip(), team.name)
            self.assertTrue(team.definition_conditions.exists(), team.name)
            self.assertTrue(team.definition_dimensions, team.name)
