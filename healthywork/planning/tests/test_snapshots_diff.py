"""The difference between two snapshots: a pure function on snapshot data."""

from django.test import SimpleTestCase

from healthywork.planning.snapshots import diff, display_value, summary, word_diff

CITY, CHAMBER, MAYOR = "a1", "a2", "a3"


def power_map(**changes):
    actors = {
        CITY: {"id": CITY, "name": "City Council", "kind": "institution", "organization": None, "power": 6,
               "stance": 1, "is_target": True, "notes": ""},
        CHAMBER: {"id": CHAMBER, "name": "Chamber of Commerce", "kind": "organization", "organization": None,
                  "power": 7, "stance": -3, "is_target": False, "notes": "Opposed the 2017 bill"},
    }  # fmt: skip
    for key, values in changes.items():
        actors[key] = {**actors.get(key, {"id": key}), **values} if values is not None else None
    return {
        "issue": "Pass a fair workweek ordinance",
        "actors": [actor for actor in actors.values() if actor is not None],
        "links": [],
    }


class PowerMapDiffTests(SimpleTestCase):
    def test_identical_snapshots_have_no_changes(self):
        self.assertEqual(diff(power_map(), power_map(), "power_map"), [])

    def test_it_names_the_field_the_item_and_both_values(self):
        changes = diff(power_map(), power_map(a1={"power": 8}, a2={"stance": -1.0}), "power_map")
        self.assertEqual(
            [change.message for change in changes],
            ["Power of City Council: 6 → 8", "Stance of Chamber of Commerce: −3 → −1"],
        )

    def test_added_and_removed_actors(self):
        newer = power_map(a2=None, a3={"name": "Mayor", "kind": "decision_maker", "power": 9, "stance": 0})
        changes = diff(power_map(), newer, "power_map")
        self.assertEqual(
            [change.message for change in changes],
            ["Actor “Mayor” added", "Actor “Chamber of Commerce” removed"],
        )
        self.assertEqual(summary(changes), {"added": 1, "removed": 1, "changed": 0})

    def test_a_renamed_actor_is_a_change_not_a_new_actor(self):
        changes = diff(power_map(), power_map(a1={"name": "Metro Council"}), "power_map")
        self.assertEqual(
            [change.message for change in changes], ["Name of Metro Council: City Council → Metro Council"]
        )

    def test_choices_and_booleans_read_as_words(self):
        changes = diff(power_map(), power_map(a1={"kind": "decision_maker", "is_target": False}), "power_map")
        self.assertEqual(
            [change.message for change in changes],
            ["Kind of City Council: Institution → Decision-maker", "Target of City Council: yes → no"],
        )

    def test_a_relationship_strength_change(self):
        link = {"id": "a1:influences:a2", "source": "City Council", "target": "Chamber of Commerce",
                "kind": "influences", "strength": 1}  # fmt: skip
        older, newer = {**power_map(), "links": [link]}, {**power_map(), "links": [{**link, "strength": 3}]}
        changes = diff(older, newer, "power_map")
        self.assertEqual(
            [change.message for change in changes],
            ["Strength of City Council — influences → Chamber of Commerce: 1 → 3"],
        )

    def test_a_text_field_is_compared_word_by_word(self):
        changes = diff(power_map(), power_map(a2={"notes": "Opposed the 2019 bill strongly"}), "power_map")
        self.assertEqual(len(changes), 1)
        self.assertEqual(changes[0].message, "Notes of Chamber of Commerce changed")
        self.assertEqual(
            [(segment.op, segment.text) for segment in changes[0].segments],
            [("equal", "Opposed the"), ("delete", "2017"), ("insert", "2019"), ("equal", "bill"),
             ("insert", "strongly")],
        )  # fmt: skip


def theory(outcomes, narrative="We believe..."):
    return {"goal": "Stable schedules", "narrative": narrative, "outcomes": outcomes, "links": [],
            "interventions": [], "assumptions": []}  # fmt: skip


def outcome(key, title, indicators=(), **fields):
    return {"id": key, "title": title, "description": "", "is_goal": False, "is_below_ceiling": True,
            "indicators": list(indicators), **fields}  # fmt: skip


class TheoryDiffTests(SimpleTestCase):
    def test_an_added_outcome_and_its_indicator(self):
        employers = outcome(
            "o2", "Employers adopt predictable schedules",
            [{"id": "i1", "what": "Employers with posted schedules", "population": "", "target": "10",
              "threshold": "", "by_when": "2019-06-30", "data_source": "Survey"}],
        )  # fmt: skip
        council = outcome("o1", "Council passes the ordinance")
        changes = diff(theory([council]), theory([council, employers]), "theory_of_change")
        self.assertEqual(
            [change.message for change in changes],
            [
                "Outcome “Employers adopt predictable schedules” added",
                "Indicator “Employers with posted schedules (Employers adopt predictable schedules)” added",
            ],
        )

    def test_ceiling_and_narrative_changes(self):
        older = theory([outcome("o1", "Council passes the ordinance")], narrative="Workers organise first.")
        newer = theory(
            [outcome("o1", "Council passes the ordinance", is_below_ceiling=False)],
            narrative="Workers and clinics organise first.",
        )
        changes = diff(older, newer, "theory_of_change")
        self.assertEqual(
            [change.message for change in changes],
            [
                "Narrative changed",
                "Below the ceiling of accountability of Council passes the ordinance: yes → no",
            ],
        )
        self.assertIn(("insert", "and clinics"), [(s.op, s.text) for s in changes[0].segments])


class PlanAndDefinitionDiffTests(SimpleTestCase):
    def test_a_step_change_names_the_step(self):
        step = {"id": "s1", "what": "Meet the chamber", "who": "Worker Center", "start_date": None,
                "due_date": "2018-05-01", "status": "not_started"}  # fmt: skip
        older = {"objectives": [{"id": "b1", "text": "Ten employers adopt schedules", "outcome": None,
                                 "steps": [step]}]}  # fmt: skip
        newer = {"objectives": [{**older["objectives"][0], "steps": [{**step, "status": "done", "who": ""}]}]}
        changes = diff(older, newer, "action_plan")
        self.assertEqual(
            [change.message for change in changes],
            [
                "Who of Meet the chamber: Worker Center → (empty)",
                "Status of Meet the chamber: Not started → Done",
            ],
        )

    def test_definition_conditions_and_dimensions(self):
        older = {"text": "Work without security", "conditions": ["Living wage"], "dimensions": ["wages"]}
        newer = {
            "text": "Work without security",
            "conditions": ["Paid leave"],
            "dimensions": ["wages", "rights"],
        }
        messages = [change.message for change in diff(older, newer, "definition")]
        self.assertEqual(
            messages,
            [
                "Healthy-work condition “Paid leave” added",
                "Healthy-work condition “Living wage” removed",
                "EPRES dimension “Rights” added",
            ],
        )

    def test_an_unknown_kind_is_refused(self):
        with self.assertRaises(ValueError):
            diff({}, {}, "budget")


class HelperTests(SimpleTestCase):
    def test_display_value(self):
        self.assertEqual(display_value("stance", -2.5), "−2.5")
        self.assertEqual(display_value("power", 10.0), "10")
        self.assertEqual(display_value("notes", ""), "(empty)")

    def test_word_diff_of_empty_text(self):
        self.assertEqual([(s.op, s.text) for s in word_diff("", "New text")], [("insert", "New text")])
