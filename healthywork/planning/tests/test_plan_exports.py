"""The action plan's exports: CSV, XLSX, iCalendar and JSON, on the page and on the command line."""

import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase
from django.urls import reverse
from openpyxl import load_workbook

from healthywork.collaborative.tests import factories as collaborative_factories
from healthywork.core.tabular import read_table
from healthywork.planning import plan as plans
from healthywork.planning.tests import factories
from healthywork.planning.tests.test_plan_views import PlanTestCase


class ExportViewTests(PlanTestCase):
    def export(self, fmt: str):
        url = reverse("planning:plan-export", args=[self.team_a.public_id])
        return self.client.get(url, {"format": fmt})

    def test_csv_has_one_row_per_step(self):
        self.login(self.member_a)
        response = self.export("csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        table = read_table(response.content, "plan.csv")
        self.assertEqual(
            [values["what"] for _number, values in table.rows],
            ["Meet the chamber of commerce", "Brief the council", "Draft the flyer"],
        )
        self.assertEqual(table.rows[0][1]["who_organization"], self.lead.name)
        self.assertEqual(table.rows[0][1]["by_when"], "2018-05-20")
        self.assertEqual(table.rows[0][1]["objective_outcome"], "Employers know the law")

    def test_xlsx_opens_as_a_spreadsheet(self):
        self.login(self.member_a)
        workbook = load_workbook(io.BytesIO(self.export("xlsx").content))
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(
            rows[0][:5], ("objective_number", "objective", "objective_outcome", "step_number", "what")
        )
        self.assertEqual(len(rows), 4)

    def test_json_nests_steps_in_objectives(self):
        self.login(self.member_a)
        data = json.loads(self.export("json").content)
        self.assertEqual(data["team"]["name"], "Team A")
        self.assertEqual(data["objectives"][0]["outcome"]["name"], "Employers know the law")
        self.assertEqual(
            [step["due_date"] for step in data["objectives"][0]["steps"]],
            ["2018-05-20", "2018-06-04", "2018-03-01"],
        )

    def test_icalendar_has_one_all_day_event_per_dated_step(self):
        factories.step(self.objective, "Undated step")
        self.login(self.member_a)
        response = self.export("ics")
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        text = response.content.decode("utf-8")
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        self.assertEqual(text.count("BEGIN:VEVENT"), 3)
        self.assertIn(f"UID:{self.late.public_id}@healthywork\r\n", text)
        self.assertIn("DTSTART;VALUE=DATE:20180520\r\nDTEND;VALUE=DATE:20180521\r\n", text)
        self.assertNotIn("Undated step", text)
        for line in text.split("\r\n"):
            self.assertLessEqual(len(line.encode("utf-8")), 75)

    def test_it_needs_login(self):
        self.assertNeedsLogin(reverse("planning:plan-export", args=[self.team_a.public_id]))

    def test_another_team_gets_404(self):
        self.login(self.member_b)
        self.assertEqual(self.export("csv").status_code, 404)

    def test_a_read_only_member_may_export(self):
        self.login(self.watcher)
        self.assertEqual(self.export("json").status_code, 200)

    def test_an_unknown_format_is_404(self):
        self.login(self.member_a)
        self.assertEqual(self.export("pdf").status_code, 404)


class ICalendarTextTests(SimpleTestCase):
    def test_it_escapes_text_per_rfc_5545(self):
        self.assertEqual(plans.ical_escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne")

    def test_it_folds_lines_at_75_octets_without_splitting_characters(self):
        line = "SUMMARY:" + "é" * 100
        folded = plans.ical_fold(line)
        parts = folded.split("\r\n")
        self.assertTrue(all(len(part.encode("utf-8")) <= 75 for part in parts))
        self.assertTrue(all(part.startswith(" ") for part in parts[1:]))
        self.assertEqual("".join(part[1:] if index else part for index, part in enumerate(parts)), line)

    def test_a_short_line_is_not_folded(self):
        self.assertEqual(plans.ical_fold("SUMMARY:short"), "SUMMARY:short")


class ExportCommandTests(PlanTestCase):
    def run_command(self, *args) -> str:
        stdout = io.StringIO()
        call_command("export", *args, stdout=stdout, stderr=io.StringIO())
        return stdout.getvalue()

    def test_it_exports_json_by_team_name(self):
        data = json.loads(self.run_command("plan", "team a", "--format", "json"))
        self.assertEqual(len(data["objectives"][0]["steps"]), 3)

    def test_it_exports_icalendar_by_public_id(self):
        output = self.run_command("plan", str(self.team_a.public_id), "--format", "ics")
        self.assertIn("BEGIN:VEVENT", output)

    def test_it_writes_xlsx_to_a_file(self):
        with tempfile.TemporaryDirectory() as directory:
            out = Path(directory) / "plan.xlsx"
            output = self.run_command("plan", "Team A", "--format", "xlsx", "--out", str(out))
            self.assertIn("plan.xlsx", output)
            workbook = load_workbook(out)
            self.assertEqual(workbook.worksheets[0].max_row, 4)

    def test_an_unknown_team_lists_close_names(self):
        with self.assertRaises(CommandError) as error:
            self.run_command("plan", "Team C", "--format", "json")
        self.assertIn("Unknown team “Team C”", str(error.exception))
        self.assertIn("Team A", str(error.exception))

    def test_the_team_is_required(self):
        with self.assertRaises(CommandError) as error:
            self.run_command("plan", "--format", "json")
        self.assertIn("plan TEAM", str(error.exception))

    def test_a_format_the_kind_cannot_write_is_refused(self):
        with self.assertRaises(CommandError) as error:
            self.run_command("plan", "Team A", "--format", "pdf")
        self.assertIn("csv, xlsx, ics, json", str(error.exception))
        with self.assertRaises(CommandError):
            self.run_command("organizations", "--format", "ics")

    def test_a_team_without_a_plan_is_said_so(self):
        collaborative_factories.team(self.cohort, "Team Without Plan")
        with self.assertRaises(CommandError) as error:
            self.run_command("plan", "Team Without Plan", "--format", "json")
        self.assertIn("no action plan yet", str(error.exception))
