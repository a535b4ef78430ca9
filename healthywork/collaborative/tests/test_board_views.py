"""The cohort board: teams by sessions, visible teams only, a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthywork.collaborative.board import board_for
from healthywork.collaborative.models import Attendance, TeamPerson
from healthywork.collaborative.tests import factories
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.partners.tests import factories as partner_factories
from healthywork.planning.tests import factories as planning_factories


class BoardTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first = factories.session(cls.cohort, 1)
        cls.second = factories.session(cls.cohort, 2)
        factories.deliverable(cls.team_a, cls.first, "Power map", status="accepted")
        factories.deliverable(cls.team_a, cls.first, "Issue statement", status="in_progress")
        factories.deliverable(cls.team_b, cls.first, "Power map", status="submitted")
        for name in ("Ana", "Ben", "Cy"):
            person = partner_factories.person(name)
            TeamPerson.objects.create(team=cls.team_a, person=person)
            if name != "Cy":
                Attendance.objects.create(session=cls.first, person=person, team=cls.team_a)
        power_map = planning_factories.power_map(cls.team_a)
        for index in range(4):
            planning_factories.actor(power_map, f"Actor {index}")
        theory = planning_factories.theory(cls.team_a)  # the goal is one outcome
        planning_factories.outcome(theory, "Employers know the law")
        objective = planning_factories.objective(planning_factories.plan(cls.team_a))
        planning_factories.step(objective, status="done")
        planning_factories.step(objective)
        planning_factories.step(objective)
        planning_factories.step(objective, status="done")
        cls.url = reverse("collaborative:board", args=[cls.cohort.public_id])

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url)

    def test_the_board_counts_deliverables_attendance_and_tools(self):
        board = board_for(self.cohort, self.facilitator)
        self.assertEqual([row.team.name for row in board.rows], ["Team A", "Team B"])
        cell = board.rows[0].cells[0]
        self.assertEqual((cell.deliverables, cell.done), (2, 1))
        self.assertEqual((cell.present, cell.people), (2, 3))
        self.assertEqual(board.rows[0].cells[1].deliverables, 0)
        tools = board.rows[0].tools
        self.assertEqual((tools.actors, tools.outcomes, tools.steps, tools.done_share), (4, 2, 4, 50))
        self.assertFalse(board.rows[1].tools.has_power_map)

    def test_the_page_says_the_states_in_words(self):
        self.login(self.facilitator)
        response = self.client.get(self.url)
        self.assertContains(response, "1 of 2 handed in")
        self.assertContains(response, "Present: 2 of 3")
        self.assertContains(response, "4 actors")
        self.assertContains(response, "4 steps, 50% done")
        self.assertContains(
            response,
            f'<th scope="row"><a href="{self.team_b.get_absolute_url()}">Team B</a></th>',
            html=True,
        )

    def test_a_member_sees_only_their_team(self):
        self.login(self.member_b)
        response = self.client.get(self.url)
        self.assertContains(response, "Team B")
        self.assertNotContains(response, "Team A")
        self.assertContains(response, "you see the teams you work with")

    def test_the_export_has_a_line_per_team_and_session(self):
        self.login(self.facilitator)
        response = self.client.get(self.url, {"format": "csv"})
        lines = response.content.decode("utf-8-sig").strip().splitlines()
        self.assertEqual(len(lines), 1 + 2 * 2)
        self.assertTrue(lines[1].startswith("Team A,1,2,"))

    def test_the_number_of_queries_does_not_grow_with_teams(self):
        self.login(self.facilitator)
        self.client.get(self.url)  # warm the session and content types
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        for index in range(6):
            team = factories.health_labor_team(self.cohort, f"Team {index + 10}")
            factories.deliverable(team, self.second, "Theory of change", status="submitted")
            planning_factories.power_map(team)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["board"].rows), 8)
        self.assertEqual(len(many), len(few))
