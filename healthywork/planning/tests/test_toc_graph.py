"""The theory of change's pure parts: cycles, paths to the goal, layers, the validation report."""

import random
from datetime import date

from django.test import SimpleTestCase

from healthywork.planning import toc

O = toc.OutcomeItem  # noqa: E741 (short, as the tables of outcomes below are long)


def theory(outcomes, links, **parts) -> toc.TheoryData:
    return toc.TheoryData(
        title="Team A",
        outcomes=outcomes,
        links=[
            toc.LinkItem(n, f"l{n}", a, b, rationale) for n, (a, b, rationale) in enumerate(links, start=1)
        ],
        **parts,
    )


def small() -> toc.TheoryData:
    """goal <- policy <- coalition <- trust; an unlinked outcome; a link without rationale."""
    return theory(
        [
            O(1, "g", "Stable schedules", is_goal=True, is_below_ceiling=False),
            O(2, "p", "Council passes the ordinance", is_below_ceiling=False),
            O(3, "c", "Coalition testifies"),
            O(4, "t", "Workers trust the clinic"),
            O(5, "u", "Media coverage"),
        ],
        [(2, 1, "Law binds employers."), (3, 2, "Testimony moves votes."), (4, 3, "")],
        indicators=[
            toc.IndicatorItem(1, "i1", 3, "Testimonies given", target="20", by_when=date(2019, 6, 1))
        ],
    )


class FindCycleTests(SimpleTestCase):
    def test_a_link_that_closes_a_cycle_names_it_from_the_new_link(self):
        self.assertEqual(toc.find_cycle([("A", "B"), ("B", "C")], ("C", "A")), ["C", "A", "B", "C"])

    def test_a_link_that_keeps_the_graph_acyclic_gives_none(self):
        self.assertIsNone(toc.find_cycle([("A", "B"), ("B", "C")], ("A", "C")))
        self.assertIsNone(toc.find_cycle([], ("A", "B")))

    def test_a_link_to_itself_is_a_cycle(self):
        self.assertEqual(toc.find_cycle([], ("A", "A")), ["A", "A"])

    def test_the_shortest_way_back_is_named(self):
        edges = [("B", "X"), ("X", "Y"), ("Y", "A"), ("B", "A")]
        self.assertEqual(toc.find_cycle(edges, ("A", "B")), ["A", "B", "A"])


class GraphTests(SimpleTestCase):
    def test_find_cycles_gives_one_cycle_per_tangle(self):
        edges = [(1, 2), (2, 3), (3, 1), (3, 4), (5, 6), (6, 5), (7, 1)]
        cycles = toc.find_cycles(range(1, 8), edges)
        self.assertEqual(len(cycles), 2)
        for cycle in cycles:
            self.assertEqual(cycle[0], cycle[-1])
            for a, b in zip(cycle, cycle[1:], strict=False):
                self.assertIn((a, b), edges)
        self.assertEqual(toc.find_cycles(range(1, 5), [(1, 2), (2, 3), (1, 3)]), [])

    def test_depth_is_the_longest_path_to_the_goal(self):
        edges = [(2, 1), (3, 2), (3, 1), (4, 3), (5, 9)]
        self.assertEqual(toc.goal_distances([1, 2, 3, 4, 5], edges, 1), {1: 0, 2: 1, 3: 2, 4: 3})

    def test_depth_stays_defined_with_a_cycle(self):
        depth = toc.goal_distances([1, 2, 3], [(2, 1), (3, 2), (2, 3)], 1)
        self.assertEqual(set(depth), {1, 2, 3})
        self.assertEqual(depth[1], 0)


class ValidateTests(SimpleTestCase):
    def test_it_reports_each_problem_naming_the_item(self):
        messages = [(f.severity, f.message) for f in toc.validate(small())]
        self.assertIn((toc.ERROR, "“Media coverage” has no path to the goal."), messages)
        self.assertIn(
            (
                toc.WARNING,
                "“Workers trust the clinic” is below the ceiling of accountability but has no indicator.",
            ),
            messages,
        )
        self.assertIn(
            (toc.WARNING, "The link Workers trust the clinic → Coalition testifies has no rationale."),
            messages,
        )
        # Measured, above the ceiling or the goal: no indicator warning.
        self.assertFalse([m for s, m in messages if "Coalition testifies” is below" in m])
        self.assertFalse([m for s, m in messages if "Council passes" in m])

    def test_errors_come_first(self):
        severities = [finding.severity for finding in toc.validate(small())]
        self.assertEqual(severities, sorted(severities))  # "error" < "warning"

    def test_no_goal_and_cycles_are_errors(self):
        data = theory([O(1, "a", "A"), O(2, "b", "B")], [(1, 2, "x"), (2, 1, "y")])
        messages = [f.message for f in toc.validate(data) if f.is_error]
        self.assertIn("The theory has no long-term goal.", messages)
        self.assertIn("These outcomes form a cycle: A → B → A", messages)

    def test_interventions_without_owner_and_indicators_without_target_or_date_are_warnings(self):
        data = small()
        data.interventions = [toc.InterventionItem(1, "v1", "Train promotoras", outcome_id=4)]
        data.indicators.append(toc.IndicatorItem(2, "i2", 4, "Visits"))
        messages = [f.message for f in toc.validate(data) if not f.is_error]
        self.assertIn("The intervention “Train promotoras” has no responsible organization.", messages)
        self.assertIn(
            "The indicator “Visits” (on “Workers trust the clinic”) is missing: target, by-when date.",
            messages,
        )

    def test_a_complete_theory_has_no_finding(self):
        data = small()
        data.outcomes.pop()  # the unlinked one
        data.links[2].rationale = "Trust brings workers to speak."
        data.indicators.append(
            toc.IndicatorItem(2, "i2", 4, "Visits", target="100", by_when=date(2019, 1, 1))
        )
        self.assertEqual(toc.validate(data), [])


def generated(size: int, seed: int = 7) -> toc.TheoryData:
    """A random layered theory of `size` outcomes: each outcome leads to one to three outcomes of
    lower numbers (so it is acyclic and everything reaches outcome 1, the goal)."""
    chance = random.Random(seed)
    outcomes = [O(1, "o1", "Goal", is_goal=True, is_below_ceiling=False)]
    links = []
    for number in range(2, size + 1):
        outcomes.append(O(number, f"o{number}", f"Outcome {number}", is_below_ceiling=number > size // 5))
        for target in chance.sample(range(1, number), min(number - 1, chance.randint(1, 3))):
            links.append((number, target, "because"))
    return theory(outcomes, links)


class LargeTheoryTests(SimpleTestCase):
    def test_a_300_outcome_theory_validates_and_lays_out_correctly(self):
        data = generated(300)
        findings = toc.validate(data)
        self.assertFalse([f for f in findings if f.is_error])
        # Every outcome below the ceiling lacks an indicator, and only those.
        self.assertEqual(len(findings), sum(1 for o in data.outcomes if o.is_below_ceiling))
        shape = toc.layout(data)
        self.assertEqual(len(shape.placed), 300)
        self.assertEqual(shape.unlinked_rows, 0)
        for a, b, _rationale in [(k.precondition_id, k.outcome_id, k.rationale) for k in data.links]:
            if data.outcome_by_id[a].is_below_ceiling == data.outcome_by_id[b].is_below_ceiling:
                self.assertGreater(shape.placed[a].row, shape.placed[b].row)  # arrows point up
        # The ceiling line separates the two groups.
        for placed in shape.placed.values():
            is_below = placed.outcome.is_below_ceiling and not placed.outcome.is_goal
            self.assertEqual(placed.y > shape.ceiling_y, is_below)

    def test_closing_a_cycle_in_a_300_outcome_theory_is_found(self):
        data = generated(300)
        edges = data.edges
        self.assertEqual(toc.find_cycle(edges, (1, 300))[0], 1)
        self.assertEqual(toc.find_cycle(edges, (1, 300))[-1], 1)
        data.links.append(toc.LinkItem(9999, "back", 1, 300, "loop"))
        self.assertTrue([f for f in toc.validate(data) if "cycle" in f.message])


class LayoutTests(SimpleTestCase):
    def test_the_goal_is_on_top_and_unlinked_outcomes_sit_apart_at_the_bottom(self):
        shape = toc.layout(small())
        self.assertEqual(shape.rows[0], [1])
        self.assertEqual(shape.rows[-1], [5])
        self.assertEqual(shape.unlinked_rows, 1)
        self.assertLess(shape.ceiling_y, shape.placed[3].y)
        self.assertGreater(shape.ceiling_y, shape.placed[2].y)

    def test_below_ceiling_outcomes_go_under_every_outcome_above_it(self):
        data = theory(
            [O(1, "g", "Goal", is_goal=True, is_below_ceiling=False), O(2, "a", "Short path, below"),
             O(3, "b", "Above", is_below_ceiling=False),
             O(4, "c", "Long path, above", is_below_ceiling=False)],
            [(2, 1, "x"), (3, 1, "x"), (4, 3, "x")],
        )  # fmt: skip
        rows, depth, _unlinked = toc.layered_rows(data)
        self.assertEqual(depth[2], 1)
        self.assertEqual(rows, [[1], [3], [4], [2]])

    def test_the_svg_escapes_text_and_links_outcomes_only_when_asked(self):
        data = small()
        data.outcomes[1].title = "<script>alert(1)</script> & co"
        svg = toc.diagram_svg(data)
        self.assertNotIn("<script>", svg)
        self.assertIn("&lt;script&gt;", svg)
        self.assertNotIn("<a ", svg)
        self.assertIn('stroke-dasharray="10 6"', svg)  # the ceiling line
        linked = toc.diagram_svg(data, edit_urls={"p": "/edit/p/"})
        self.assertIn('<a class="toc-node" href="/edit/p/" data-id="p"', linked)
