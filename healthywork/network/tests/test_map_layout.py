"""Positions, caching and the legend of the map's data (`network.mapdata`), on plain data."""

import random
from unittest import mock

from django.core.cache import cache
from django.test import SimpleTestCase

from healthywork.network import mapdata
from healthywork.network.graph import Edge, Network, Node


def node(pk: int, sector: str = "labor", family: str = "labor") -> Node:
    return Node(
        pk,
        f"00000000-0000-0000-0000-{pk:012d}",
        f"Organization {pk}",
        sector,
        sector.title(),
        family,
        "local",
    )


def edge(source: int, target: int, kind: str = "information") -> Edge:
    return Edge(source=source, target=target, kind=kind, level=2, is_directed=False, provenance="manual")


def two_sector_network(size: int) -> Network:
    nodes = {pk: node(pk) if pk % 2 else node(pk, "public-health", "health") for pk in range(1, size + 1)}
    edges = [edge(pk, pk + 1) for pk in range(1, size)]
    return Network(nodes=nodes, edges=edges)


class LayoutTests(SimpleTestCase):
    def setUp(self):
        cache.clear()

    def test_a_small_network_gets_a_seeded_spring_layout_that_repeats(self):
        network = two_sector_network(12)
        first = mapdata.computed(network)
        cache.clear()
        again = mapdata.computed(
            Network(nodes=dict(reversed(network.nodes.items())), edges=network.edges[::-1])
        )
        self.assertEqual(first["layout"], "spring")
        self.assertEqual(first["positions"], again["positions"])
        self.assertEqual(len(set(first["positions"].values())), 12)

    def test_a_large_network_gets_sector_discs_that_repeat(self):
        network = two_sector_network(mapdata.SPRING_LAYOUT_MAX_NODES + 20)
        first = mapdata.computed(network)
        cache.clear()
        again = mapdata.computed(network)
        self.assertEqual(first["layout"], "sector-discs")
        self.assertEqual(first["positions"], again["positions"])
        self.assertEqual(len(set(first["positions"].values())), len(network.nodes))
        # Each sector sits around its own centre, so the two sectors' mean positions are far apart.
        health = [first["positions"][pk] for pk, item in network.nodes.items() if item.family == "health"]
        labor = [first["positions"][pk] for pk, item in network.nodes.items() if item.family == "labor"]
        centres = [
            (sum(x for x, _ in group) / len(group), sum(y for _, y in group) / len(group))
            for group in (health, labor)
        ]
        distance = ((centres[0][0] - centres[1][0]) ** 2 + (centres[0][1] - centres[1][1]) ** 2) ** 0.5
        self.assertGreater(distance, 4 * mapdata.SPACING)

    def test_the_key_depends_on_the_graph_not_on_the_order(self):
        network = two_sector_network(6)
        shuffled = Network(nodes=dict(reversed(network.nodes.items())), edges=network.edges[::-1])
        self.assertEqual(mapdata.graph_key(network), mapdata.graph_key(shuffled))
        fewer = Network(nodes=network.nodes, edges=network.edges[:-1])
        self.assertNotEqual(mapdata.graph_key(network), mapdata.graph_key(fewer))

    def test_a_second_look_at_the_same_graph_reads_the_cache(self):
        network = two_sector_network(6)
        self.assertIn("betweenness", mapdata.computed(network)["per_node"][1])  # small: every metric
        with mock.patch.object(mapdata, "analyse", side_effect=AssertionError("analysed again")):
            self.assertEqual(mapdata.computed(network)["layout"], "spring")

    def test_dropping_low_levels_keeps_roster_members(self):
        network = Network(
            nodes={pk: node(pk) for pk in (1, 2, 3, 4)},
            edges=[edge(1, 2), Edge(3, 4, "funding", None, False, "manual")],
        )
        kept = mapdata.drop_below_level(network, 2, roster={4})
        self.assertEqual(set(kept.nodes), {1, 2, 4})
        self.assertEqual(len(kept.edges), 1)


class LegendTests(SimpleTestCase):
    def test_every_family_has_its_own_colour_and_shape(self):
        styles = list(mapdata.FAMILY_STYLES.values())
        self.assertEqual(len({style.colour for style in styles}), len(styles))
        self.assertEqual(len({style.shape for style in styles}), len(styles))
        for style in styles:
            numbers = [float(value) for value in style.points.split()]
            self.assertEqual(len(numbers) % 2, 0)
            self.assertTrue(all(-1.0 <= value <= 1.0 for value in numbers))

    def test_the_table_view_names_the_ends_and_caps_the_ties(self):
        network = two_sector_network(5)
        cache.clear()
        data = mapdata.map_data(network)
        table = mapdata.table_view(network, data, "degree", edge_limit=2)
        self.assertEqual(len(table["edges"]), 2)
        self.assertEqual(table["edges_left_out"], 2)
        self.assertEqual(table["edges"][0]["source_name"], "Organization 1")
        self.assertEqual(table["edges"][0]["kind_name"], "Information sharing")
        self.assertEqual([row["degree"] for row in table["nodes"]][:3], [2, 2, 2])


class DegreeTests(SimpleTestCase):
    def test_degree_density_and_components_equal_the_analysis(self):
        from healthywork.network.analysis import analyse

        rng = random.Random(7)
        nodes = {pk: node(pk) for pk in range(1, 41)}
        edges = [
            Edge(
                source=rng.randint(1, 40),
                target=rng.randint(1, 40),
                kind=rng.choice(["information", "referrals"]),
                level=rng.choice([None, 0, 1, 3, 5]),
                is_directed=rng.random() < 0.4,
                provenance="manual",
            )
            for _ in range(90)
        ]
        per_node, density, components = mapdata.degree_measures(Network(nodes=nodes, edges=edges))
        metrics = analyse(nodes, edges)
        for pk, values in per_node.items():
            for name in ("degree", "degree_in", "degree_out"):
                self.assertEqual(values[name], metrics.per_node[pk][name], (pk, name))
        self.assertEqual(density, metrics.density)
        self.assertEqual(components, metrics.components)

    def test_a_large_network_sized_by_degree_is_not_analysed(self):
        network = two_sector_network(mapdata.FULL_METRICS_MAX_NODES + 1)
        cache.clear()
        with mock.patch.object(mapdata, "analyse", side_effect=AssertionError("analysed")):
            data = mapdata.map_data(network, "degree")
        self.assertEqual(data["metrics"], ["degree"])
        self.assertEqual(data["summary"]["layout"], "sector-discs")
