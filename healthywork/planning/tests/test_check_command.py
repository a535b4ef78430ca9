"""`healthywork check`: Django's system check still works; `check toc TEAM` reports on a theory."""

import io
from unittest import mock

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from healthywork.collaborative.tests import factories as team_factories
from healthywork.planning.management.commands.check import Command
from healthywork.planning.tests import factories


class CheckCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cohort = team_factories.cohort("Collaborative 2018")
        cls.team = team_factories.team(cls.cohort, "Fair Schedules Team")
        cls.theory = factories.theory(cls.team)
        goal = cls.theory.outcomes.get(is_goal=True)
        cls.policy = factories.outcome(cls.theory, "Council passes the ordinance", is_below_ceiling=False)
        factories.link(cls.policy, goal, rationale="")
        cls.clean_team = team_factories.team(cls.cohort, "Clean Team")
        factories.theory(cls.clean_team)

    def run_check(self, *args):
        out = io.StringIO()
        call_command("check", *args, stdout=out)
        return out.getvalue()

    def test_without_arguments_it_is_djangos_system_check(self):
        self.assertIn("System check identified no issues", self.run_check())
        self.assertIn("System check identified", self.run_check("planning"))

    def test_djangos_options_still_work(self):
        out = self.run_check("--list-tags")
        self.assertIn("models", out)

    def test_it_prints_the_report_and_exits_1_on_an_error(self):
        factories.outcome(self.theory, "Media coverage")
        out = io.StringIO()
        with self.assertRaises(CommandError) as raised:
            call_command("check", "toc", "fair schedules team", stdout=out)
        self.assertEqual(raised.exception.returncode, 1)
        report = out.getvalue()
        self.assertIn("ERROR: “Media coverage” has no path to the goal.", report)
        self.assertIn("WARNING: The link Council passes the ordinance → ", report)
        self.assertIn("1 errors, 2 warnings.", report)

    def test_warnings_alone_exit_0(self):
        report = self.run_check("toc", str(self.team.public_id))
        self.assertIn("0 errors, 1 warnings.", report)
        self.assertIn("0 errors, 0 warnings.", self.run_check("toc", "Clean Team"))

    def test_the_exit_status_comes_through_the_command_line(self):
        factories.outcome(self.theory, "Media coverage")
        command = Command(stdout=io.StringIO(), stderr=io.StringIO())
        # run_from_argv closes the connections when done; the test database must stay open.
        with mock.patch("django.core.management.base.connections"), self.assertRaises(SystemExit) as raised:
            command.run_from_argv(["healthywork", "check", "toc", "Fair Schedules Team"])
        self.assertEqual(raised.exception.code, 1)

    def test_unknown_ambiguous_and_missing_teams_are_clear_errors(self):
        with self.assertRaisesMessage(CommandError, "No team is named or numbered 'Nobody'"):
            self.run_check("toc", "Nobody")
        team_factories.team(team_factories.cohort("Collaborative 2019"), "Clean Team")
        with self.assertRaisesMessage(CommandError, "2 teams are named 'Clean Team'"):
            self.run_check("toc", "Clean Team")
        self.assertIn("0 errors", self.run_check("toc", "Clean Team", "--cohort", "Collaborative 2018"))
        team_factories.team(self.cohort, "No Theory")
        with self.assertRaisesMessage(CommandError, "No Theory has no theory of change yet."):
            self.run_check("toc", "No Theory")
        with self.assertRaisesMessage(CommandError, "Usage: healthywork check toc TEAM"):
            self.run_check("toc")
