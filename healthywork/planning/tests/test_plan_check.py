"""The action plan's pure parts: the completeness check, the timeline geometry, due labels."""

from datetime import date

from django.test import SimpleTestCase

from healthywork.planning import plan as plans
from healthywork.planning.models import ActionStep
from healthywork.planning.plan import ObjectiveOutline, StepOutline

TODAY = date(2018, 6, 1)


def step(
    public_id: str, *, who: bool = True, start: date | None = None, due: date | None = date(2018, 6, 10)
):
    return StepOutline(public_id, f"Step {public_id}", who, start, due, "not_started", "Not started")


class CompletenessTests(SimpleTestCase):
    def test_a_complete_plan_has_no_findings(self):
        objectives = [ObjectiveOutline("o1", "Objective", True, [step("s1")])]
        self.assertEqual(plans.check_completeness(objectives, date(2018, 1, 1), date(2018, 12, 31)), [])

    def test_it_names_what_is_missing(self):
        objectives = [
            ObjectiveOutline("o1", "No steps, no outcome", False, []),
            ObjectiveOutline("o2", "Linked", True, [step("s1", who=False), step("s2", due=None)]),
        ]
        findings = plans.check_completeness(objectives)
        self.assertEqual(
            [(finding.level, finding.anchor) for finding in findings],
            [
                ("problem", "objective-o1"),
                ("problem", "objective-o1"),
                ("problem", "step-s1"),
                ("problem", "step-s2"),
            ],
        )
        self.assertIn("has no steps", findings[0].message)
        self.assertIn("not linked to a theory-of-change outcome", findings[1].message)
        self.assertIn("no one responsible", findings[2].message)
        self.assertIn("no by-when date", findings[3].message)

    def test_an_empty_plan_is_a_problem(self):
        self.assertEqual([finding.level for finding in plans.check_completeness([])], ["problem"])

    def test_dates_outside_the_cohort_are_warnings(self):
        objectives = [
            ObjectiveOutline("o1", "O", True, [step("s1", start=date(2017, 12, 1), due=date(2019, 2, 1))])
        ]
        findings = plans.check_completeness(objectives, date(2018, 1, 1), date(2018, 12, 31))
        self.assertEqual([(finding.level, finding.about) for finding in findings], [("warning", "s1")])
        self.assertIn("2017-12-01", findings[0].message)


class DueLabelTests(SimpleTestCase):
    def test_labels_say_overdue_and_due_soon_in_words(self):
        cases = [
            (date(2018, 5, 31), "not_started", ("overdue", "Overdue by 1 day")),
            (date(2018, 5, 1), "in_progress", ("overdue", "Overdue by 31 days")),
            (date(2018, 5, 1), "done", ("", "")),
            (date(2018, 6, 1), "blocked", ("upcoming", "Due today")),
            (date(2018, 6, 4), "not_started", ("upcoming", "Due in 3 days")),
            (date(2018, 6, 15), "not_started", ("upcoming", "Due in 14 days")),
            (date(2018, 6, 16), "not_started", ("", "")),
            (None, "not_started", ("", "")),
        ]
        for due, status, expected in cases:
            with self.subTest(due=due, status=status):
                self.assertEqual(plans.due_label(ActionStep(due_date=due, status=status), TODAY), expected)


class TimelineTests(SimpleTestCase):
    def test_it_spans_whole_months_and_places_bars_by_date(self):
        objectives = [
            ObjectiveOutline(
                "o1",
                "Objective",
                True,
                [
                    step("bar", start=date(2018, 4, 1), due=date(2018, 4, 30)),
                    step("milestone", due=date(2018, 7, 1)),
                ],
            )
        ]
        chart = plans.timeline(objectives, TODAY, {"milestone": "Due in 30 days"})
        self.assertEqual((chart.start, chart.end), (date(2018, 4, 1), date(2018, 8, 1)))
        self.assertEqual(
            [month["label"] for month in chart.months], ["April 2018", "May 2018", "June 2018", "July 2018"]
        )
        days = (chart.end - chart.start).days
        objective_row, bar, milestone = chart.rows
        self.assertEqual(objective_row.kind, "objective")
        self.assertAlmostEqual(bar.x_start, plans.LABEL_WIDTH)
        self.assertAlmostEqual(bar.x_end, plans.LABEL_WIDTH + plans.CHART_WIDTH * 30 / days)  # April included
        self.assertTrue(milestone.is_milestone)
        self.assertAlmostEqual(milestone.x_end, plans.LABEL_WIDTH + plans.CHART_WIDTH * 91 / days)
        self.assertEqual(milestone.note, "Due in 30 days")
        self.assertAlmostEqual(chart.today_x, plans.LABEL_WIDTH + plans.CHART_WIDTH * 61 / days)

    def test_steps_without_dates_are_listed_without_a_bar(self):
        chart = plans.timeline([ObjectiveOutline("o1", "O", True, [step("s", due=None)])], TODAY)
        self.assertIsNone(chart.start)
        self.assertTrue(chart.rows[1].is_undated)


class DateWarningTests(SimpleTestCase):
    def test_only_dates_outside_the_cohort_warn(self):
        from healthywork.collaborative.models import Cohort

        cohort = Cohort(start_date=date(2018, 1, 15), end_date=date(2018, 12, 15))
        self.assertEqual(plans.date_warnings(date(2018, 2, 1), date(2018, 12, 15), cohort), [])
        warnings = plans.date_warnings(date(2018, 1, 14), date(2018, 12, 16), cohort)
        self.assertEqual(len(warnings), 2)
        self.assertIn("2018-01-14", warnings[0])
