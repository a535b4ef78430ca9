"""The power map's pure parts: quadrants, guidance, targets no ally reaches, the SVG and the CSV."""

from decimal import Decimal

from django.test import SimpleTestCase

from healthywork.planning import powermap
from healthywork.planning.powermap import ActorItem, LinkItem, MapData


def item(pk: int, name: str, power: float, stance: float, **fields) -> ActorItem:
    fields.setdefault("kind", "organization")
    return ActorItem(
        id=pk,
        public_id=f"00000000-0000-0000-0000-{pk:012d}",
        name=name,
        kind_label=fields["kind"],
        power=Decimal(str(power)),
        stance=Decimal(str(stance)),
        is_target=fields.pop("is_target", False),
        notes="",
        **fields,
    )


def influences(pk: int, source: ActorItem, target: ActorItem, kind: str = "influences") -> LinkItem:
    return LinkItem(pk, source.id, target.id, kind, kind, 2)


class QuadrantTests(SimpleTestCase):
    def test_it_uses_power_five_and_stance_one_as_thresholds(self):
        self.assertEqual(powermap.quadrant_of(5, 1.1), "high_supporters")
        self.assertEqual(powermap.quadrant_of(5, 1), "high_neutrals")
        self.assertEqual(powermap.quadrant_of(4.9, 1.1), "low_supporters")
        self.assertEqual(powermap.quadrant_of(10, -1), "high_neutrals")
        self.assertEqual(powermap.quadrant_of(10, -1.1), "high_opponents")
        self.assertEqual(powermap.quadrant_of(0, -5), "low_opponents")
        self.assertEqual(powermap.quadrant_of(Decimal("4.9"), Decimal("0")), "low_neutrals")

    def test_each_quadrant_has_its_advice(self):
        advice = {key: str(quadrant.advice) for key, quadrant in powermap.QUADRANTS.items()}
        self.assertIn("allies", advice["high_supporters"])
        self.assertIn("Neutralise", advice["high_opponents"])
        self.assertIn("Persuade", advice["high_neutrals"])
        self.assertIn("build their power", advice["low_supporters"])
        self.assertIn("Monitor", advice["low_opponents"])

    def test_guidance_lists_actors_per_quadrant_most_powerful_first(self):
        council = item(1, "County council", 9, 0)
        chamber = item(2, "Chamber of commerce", 8, -4)
        union = item(3, "Nurses union", 6, 5)
        clinic = item(4, "Free clinic", 2, 4)
        mayor = item(5, "Mayor", 9.5, 0.5)
        groups = {
            quadrant.key: [actor.name for actor in members]
            for quadrant, members in powermap.guidance([council, chamber, union, clinic, mayor])
        }
        self.assertEqual(groups["high_neutrals"], ["Mayor", "County council"])
        self.assertEqual(groups["high_opponents"], ["Chamber of commerce"])
        self.assertEqual(groups["high_supporters"], ["Nurses union"])
        self.assertEqual(groups["low_supporters"], ["Free clinic"])
        self.assertEqual(groups["low_opponents"], [])


class UnreachedTargetTests(SimpleTestCase):
    def test_a_target_reached_through_a_chain_of_influence_from_a_supporter_is_not_flagged(self):
        union = item(1, "Union", 6, 4)
        pastor = item(2, "Pastor", 4, 0)
        council = item(3, "Council member", 9, 0, is_target=True)
        links = [influences(1, union, pastor), influences(2, pastor, council)]
        self.assertEqual(powermap.unreached_targets([union, pastor, council], links), [])

    def test_it_flags_targets_reached_only_by_neutrals_opponents_or_other_kinds_of_link(self):
        union = item(1, "Union", 6, 4)
        chamber = item(2, "Chamber", 8, -4)
        council = item(3, "Council member", 9, 0, is_target=True)
        mayor = item(4, "Mayor", 9, 0, is_target=True)
        links = [
            influences(1, chamber, council),
            influences(2, union, mayor, kind="allied"),
            influences(3, mayor, union),  # wrong direction
        ]
        flagged = powermap.unreached_targets([union, chamber, council, mayor], links)
        self.assertEqual([actor.name for actor in flagged], ["Council member", "Mayor"])

    def test_it_survives_cycles(self):
        first, second = item(1, "A", 6, 4), item(2, "B", 5, 4, is_target=True)
        links = [influences(1, first, second), influences(2, second, first)]
        self.assertEqual(powermap.unreached_targets([first, second], links), [])


class DrawingTests(SimpleTestCase):
    def setUp(self):
        self.union = item(1, "Nurses <union>", 6, 5, kind="person", is_own=True)
        self.council = item(2, "Council", 10, -5, kind="decision_maker", is_target=True)
        self.data = MapData(
            "Pass the ordinance",
            "Team A",
            [self.union, self.council],
            [influences(1, self.union, self.council)],
        )

    def test_the_svg_places_actors_by_stance_and_power_and_marks_targets_and_our_team_in_text(self):
        svg = powermap.map_svg(self.data, {self.union.public_id: "/plan/actors/x/place/"})
        self.assertTrue(svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"'))
        self.assertIn(f"translate({powermap.x_of(5):.1f} {powermap.y_of(6):.1f})", svg)
        self.assertEqual(powermap.x_of(-5), powermap.LEFT)
        self.assertEqual(powermap.y_of(10), powermap.TOP)
        self.assertIn("Nurses &lt;union&gt; (our team)", svg)
        self.assertIn("Council (target)", svg)
        self.assertIn('stroke-dasharray="4 3"', svg)  # the target's ring
        self.assertIn('<circle r="9"/>', svg)  # a person
        self.assertIn('data-place-url="/plan/actors/x/place/"', svg)
        self.assertEqual(svg.count("data-place-url"), 1)
        self.assertIn('class="pm-link" data-source', svg)
        self.assertIn("High-power opponents", svg)

    def test_the_csv_lists_actors_or_relationships(self):
        actors = powermap.export_csv(self.data).decode("utf-8-sig").splitlines()
        self.assertEqual(actors[0].split(",")[:4], ["name", "kind", "power (0–10)", "stance (−5 to +5)"])
        self.assertIn("Council,decision_maker,10,-5,High-power opponents,yes,no", actors[2])
        links = powermap.export_csv(self.data, "links").decode("utf-8-sig").splitlines()
        self.assertEqual(links[1], "Nurses <union>,influences,Council,2")
        self.assertEqual(
            powermap.export_filename(self.data, "csv", "links"), "team-a-power-map-relationships.csv"
        )
