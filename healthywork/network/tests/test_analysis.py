"""The network metrics, checked against published or hand-checkable examples
(../shared/reference/README.md, "Networks")."""

import json
import math
import random
from unittest import mock

import networkx as nx
from django.test import SimpleTestCase

from healthywork.network import analysis
from healthywork.network.analysis import analyse, betweenness_error_bound, compare, trust_value
from healthywork.network.graph import Edge, Node


def node(node_id, sector="s", family="community", name=None) -> Node:
    return Node(node_id, str(node_id), name or f"Org {node_id}", sector, sector.title(), family, "local")


def edge(source, target, *, directed=False, level=None, kind="information") -> Edge:
    return Edge(source, target, kind, level, directed, "manual")


def from_graph(graph: nx.Graph, group=None) -> tuple[dict, list]:
    nodes = {v: node(v, sector=str(graph.nodes[v][group]) if group else "s") for v in graph}
    return nodes, [edge(a, b) for a, b in graph.edges]


class WholeNetworkTests(SimpleTestCase):
    def test_a_star_is_fully_centralized(self):
        metrics = analyse(*from_graph(nx.star_graph(5)))
        self.assertEqual((metrics.nodes, metrics.ties), (6, 5))
        self.assertAlmostEqual(metrics.degree_centralization, 1.0)
        self.assertAlmostEqual(metrics.density, 2 * 5 / (6 * 5))

    def test_a_cycle_has_no_centralization(self):
        metrics = analyse(*from_graph(nx.cycle_graph(7)))
        self.assertAlmostEqual(metrics.degree_centralization, 0.0)
        self.assertEqual(metrics.components, 1)

    def test_a_five_node_path_has_centralization_two_twelfths(self):
        metrics = analyse(*from_graph(nx.path_graph(5)))
        self.assertAlmostEqual(metrics.degree_centralization, 2 / 12)
        self.assertAlmostEqual(metrics.density, 0.4)

    def test_krackhardts_kite(self):
        metrics = analyse(*from_graph(nx.krackhardt_kite_graph()))
        self.assertEqual((metrics.nodes, metrics.ties), (10, 18))
        self.assertAlmostEqual(metrics.density, 0.4)
        self.assertAlmostEqual(metrics.degree_centralization, 24 / 72)

    def test_kite_betweenness_matches_the_networkx_documented_values(self):
        # Krackhardt (1990): Heather (7) is the broker; normalized values as networkx documents
        # them in its gallery "Krackhardt Centrality" (0.389, 0.231, 0.231, 0.222, 0.102, 0.023).
        per_node = analyse(*from_graph(nx.krackhardt_kite_graph())).per_node
        expected = {7: 0.389, 5: 0.231, 6: 0.231, 8: 0.222, 3: 0.102, 0: 0.023, 1: 0.023, 2: 0, 4: 0, 9: 0}
        for node_id, value in expected.items():
            self.assertAlmostEqual(per_node[node_id]["betweenness"], value, places=3)
        # exact value for Heather: 14 of the 36 pairs of the other nine
        self.assertAlmostEqual(per_node[7]["betweenness"], 14 / 36)
        self.assertEqual(per_node[3]["degree"], 6)

    def test_isolates_count_as_components_and_density_uses_every_node(self):
        nodes = {i: node(i) for i in range(4)}
        metrics = analyse(nodes, [edge(0, 1)])
        self.assertEqual(metrics.components, 3)
        self.assertAlmostEqual(metrics.density, 2 / 12)
        self.assertEqual(metrics.largest_component, 2)

    def test_duplicates_self_loops_level_zero_and_unknown_ends_make_no_tie(self):
        nodes = {i: node(i) for i in range(3)}
        edges = [
            edge(0, 1),
            edge(1, 0, kind="funding"),
            edge(0, 1, directed=True),
            edge(2, 2),
            edge(1, 2, level=0),
            edge(0, 99),
        ]
        metrics = analyse(nodes, edges)
        self.assertEqual(metrics.ties, 1)
        self.assertEqual(metrics.per_node[2]["degree"], 0)

    def test_closeness_uses_the_wasserman_faust_correction(self):
        graph = nx.Graph([(0, 1), (1, 2), (3, 4)])
        per_node = analyse(*from_graph(graph)).per_node
        # node 1 reaches 2 of 4 others at distance 1 each: (2/4) * (2/2)
        self.assertAlmostEqual(per_node[1]["closeness"], 0.5)
        expected = nx.closeness_centrality(graph)
        for node_id in graph:
            self.assertAlmostEqual(per_node[node_id]["closeness"], expected[node_id])

    def test_eigenvector_on_a_star_puts_the_hub_first(self):
        per_node = analyse(*from_graph(nx.star_graph(4))).per_node
        # leading eigenvector of a star K1,4: hub 1/√2, leaves 1/(2√2) (eigenvalue 2)
        self.assertAlmostEqual(per_node[0]["eigenvector"], 1 / math.sqrt(2), places=6)
        self.assertAlmostEqual(per_node[1]["eigenvector"], 1 / (2 * math.sqrt(2)), places=6)

    def test_a_network_without_ties_has_undefined_measures_and_says_why(self):
        metrics = analyse({1: node(1), 2: node(2)}, [])
        self.assertEqual(metrics.ties, 0)
        self.assertIsNone(metrics.ei_index)
        self.assertIsNone(metrics.reciprocity)
        self.assertIsNone(metrics.degree_centralization)
        self.assertIsNone(metrics.per_node[1]["eigenvector"])
        self.assertTrue(metrics.notes)
        json.dumps(metrics.to_json(), allow_nan=False)

    def test_bad_group_by_is_refused(self):
        with self.assertRaises(ValueError):
            analyse({1: node(1)}, [], group_by="colour")


class DirectionTests(SimpleTestCase):
    def test_reciprocity_of_a_hand_made_digraph(self):
        # arcs from directed edges: 0→1, 1→0, 1→2, 2→3; plus an undirected 3—0 (arcs both ways).
        # mutual: 0→1 and 1→0 (each other's reverse); 1→2 no; 2→3 no → 2 of 4 = 0.5
        nodes = {i: node(i) for i in range(4)}
        edges = [
            edge(0, 1, directed=True),
            edge(1, 0, directed=True),
            edge(1, 2, directed=True),
            edge(2, 3, directed=True),
            edge(3, 0),
        ]
        metrics = analyse(nodes, edges)
        self.assertAlmostEqual(metrics.reciprocity, 0.5)
        self.assertEqual(metrics.ties, 4)
        self.assertEqual(metrics.arcs, 6)
        self.assertEqual((metrics.per_node[0]["degree_out"], metrics.per_node[0]["degree_in"]), (2, 2))
        self.assertEqual((metrics.per_node[2]["degree_out"], metrics.per_node[2]["degree_in"]), (1, 1))

    def test_a_directed_arc_answered_by_an_undirected_edge_is_mutual(self):
        metrics = analyse({1: node(1), 2: node(2)}, [edge(1, 2, directed=True), edge(2, 1)])
        self.assertEqual(metrics.reciprocity, 1.0)

    def test_no_directed_edge_means_reciprocity_is_undefined(self):
        self.assertIsNone(analyse(*from_graph(nx.path_graph(3))).reciprocity)


class GroupTests(SimpleTestCase):
    def test_ei_index_of_zacharys_karate_club_by_club(self):
        metrics = analyse(*from_graph(nx.karate_club_graph(), group="club"))
        self.assertEqual((metrics.external_ties, metrics.internal_ties), (11, 67))
        self.assertAlmostEqual(metrics.ei_index, -56 / 78)
        self.assertAlmostEqual(metrics.ei_index, -0.7179, places=4)
        # Mr. Hi's club: 16 members; the 11 external ties all touch both clubs
        counts = metrics.ei_counts
        self.assertEqual(counts["Mr. Hi"]["external"], 11)
        self.assertEqual(counts["Mr. Hi"]["internal"] + counts["Officer"]["internal"], 67)
        matrix = metrics.group_matrix
        self.assertEqual(matrix["groups"], ["Mr. Hi", "Officer"])
        self.assertEqual(matrix["counts"][0][1], 11)
        self.assertEqual(matrix["counts"][1][0], 11)
        self.assertEqual(matrix["counts"][0][0] + matrix["counts"][1][1], 67)

    def test_ei_per_group_and_per_node_by_hand(self):
        # a (health) — b (health) — c (labor) — d (community)
        nodes = {
            "a": node("a", "clinic", "health"),
            "b": node("b", "hospital", "health"),
            "c": node("c", "union", "labor"),
            "d": node("d", "church", "community"),
        }
        edges = [edge("a", "b"), edge("b", "c"), edge("c", "d")]
        by_family = analyse(nodes, edges, group_by="sector_family")
        self.assertAlmostEqual(by_family.ei_index, (2 - 1) / 3)
        self.assertAlmostEqual(by_family.ei_by_group["health"], (1 - 1) / 2)
        self.assertAlmostEqual(by_family.ei_by_group["labor"], 1.0)
        self.assertAlmostEqual(by_family.per_node["a"]["ei"], -1.0)
        self.assertAlmostEqual(by_family.per_node["b"]["ei"], 0.0)
        by_sector = analyse(nodes, edges, group_by="sector")
        self.assertAlmostEqual(by_sector.ei_index, 1.0)
        self.assertEqual(by_sector.group_matrix["labels"]["clinic"], "Clinic")

    def test_health_labor_share_counts_only_pairs_of_one_health_and_one_labor(self):
        nodes = {
            1: node(1, family="health"),
            2: node(2, family="labor"),
            3: node(3, family="labor"),
            4: node(4, family="legal"),
        }
        edges = [edge(1, 2), edge(2, 1, directed=True), edge(2, 3), edge(1, 4), edge(3, 1, directed=True)]
        metrics = analyse(nodes, edges)
        self.assertEqual(metrics.ties, 4)
        self.assertEqual(metrics.health_labor_ties, 2)
        self.assertAlmostEqual(metrics.health_labor_share, 0.5)

    def test_brokers_count_the_health_labor_pairs_they_sit_between(self):
        # h1 — x — l1, h2 — x; and h2 — y — l1 gives a second shortest path h2→l1 through y.
        nodes = {
            "h1": node("h1", family="health"),
            "h2": node("h2", family="health"),
            "l1": node("l1", family="labor"),
            "x": node("x", family="legal"),
            "y": node("y", family="community"),
        }
        edges = [edge("h1", "x"), edge("x", "l1"), edge("h2", "x"), edge("h2", "y"), edge("y", "l1")]
        metrics = analyse(nodes, edges)
        brokers = {broker["id"]: broker["score"] for broker in metrics.brokers}
        # pairs: (h1, l1) only through x → 1; (h2, l1) two paths, via x and via y → ½ each
        self.assertAlmostEqual(brokers["x"], 1.5)
        self.assertAlmostEqual(brokers["y"], 0.5)
        self.assertEqual(metrics.health_labor_pairs, 2)
        self.assertEqual(metrics.brokers[0]["id"], "x")
        self.assertAlmostEqual(metrics.brokers[0]["share"], 0.75)

    def test_no_brokers_without_both_families(self):
        self.assertEqual(analyse(*from_graph(nx.path_graph(4))).brokers, [])


class CommunityTests(SimpleTestCase):
    def test_louvain_separates_two_cliques_joined_by_one_tie(self):
        graph = nx.barbell_graph(5, 0)
        metrics = analyse(*from_graph(graph))
        self.assertEqual(sorted(map(sorted, metrics.communities)), [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]])
        self.assertAlmostEqual(metrics.modularity, nx.community.modularity(graph, metrics.communities))
        self.assertEqual(metrics.per_node[0]["community"], metrics.per_node[4]["community"])
        self.assertNotEqual(metrics.per_node[0]["community"], metrics.per_node[9]["community"])

    def test_the_same_seed_gives_the_same_communities(self):
        data = from_graph(nx.karate_club_graph())
        self.assertEqual(analyse(*data, seed=3).communities, analyse(*data, seed=3).communities)


class SamplingTests(SimpleTestCase):
    def test_betweenness_is_exact_at_or_below_the_threshold(self):
        metrics = analyse(*from_graph(nx.krackhardt_kite_graph()), betweenness_sample_above=10)
        self.assertFalse(metrics.betweenness_sampled)
        self.assertIsNone(metrics.betweenness_k)
        self.assertIsNone(metrics.betweenness_error_bound)

    def test_betweenness_is_sampled_above_the_threshold_and_says_so(self):
        graph = nx.karate_club_graph()
        metrics = analyse(*from_graph(graph), betweenness_sample_above=20, seed=7)
        self.assertTrue(metrics.betweenness_sampled)
        self.assertEqual(metrics.betweenness_k, 20)
        self.assertAlmostEqual(metrics.betweenness_error_bound, betweenness_error_bound(34, 20))
        estimate = nx.betweenness_centrality(graph, k=20, seed=7)
        exact = nx.betweenness_centrality(graph)
        for node_id in graph:
            self.assertAlmostEqual(metrics.per_node[node_id]["betweenness"], estimate[node_id])
            self.assertLessEqual(
                abs(metrics.per_node[node_id]["betweenness"] - exact[node_id]),
                metrics.betweenness_error_bound,
            )

    def test_the_error_bound_is_hoeffdings_with_a_union_bound(self):
        # n = 5000, k = 2000, 95 %: 5000/4999 · √(ln(2·5000/0.05) / 4000)
        self.assertAlmostEqual(
            betweenness_error_bound(5000, 2000), 5000 / 4999 * math.sqrt(math.log(200000) / 4000)
        )
        self.assertAlmostEqual(betweenness_error_bound(5000, 2000), 0.0553, places=4)


class CollaborationTests(SimpleTestCase):
    def test_levels_mean_distribution_and_disagreeing_pairs(self):
        nodes = {i: node(i) for i in range(1, 4)}
        edges = [
            edge(1, 2, directed=True, level=3),
            edge(1, 2, directed=True, level=3, kind="funding"),  # same rating, another kind
            edge(2, 1, directed=True, level=5),
            edge(1, 3, directed=True, level=2),
            edge(3, 1, directed=True, level=2),
            edge(2, 3, level=4),
            edge(2, 3, kind="referrals"),  # no level: not a rating
        ]
        result = analyse(nodes, edges).collaboration
        self.assertEqual(result["ratings"], 5)
        self.assertAlmostEqual(result["mean"], (3 + 5 + 2 + 2 + 4) / 5)
        self.assertAlmostEqual(result["distribution"][2], 0.4)
        self.assertAlmostEqual(result["distribution"][0], 0.0)
        self.assertEqual(result["disagreements"], [{"a": 1, "b": 2, "a_to_b": 3, "b_to_a": 5}])

    def test_no_levels_gives_no_mean(self):
        result = analyse(*from_graph(nx.path_graph(3))).collaboration
        self.assertIsNone(result["mean"])
        self.assertEqual(result["ratings"], 0)


class TrustValueTests(SimpleTestCase):
    RATINGS = [
        # respondent 1 rates 2: trust 4, 3, 2 (mean 3); value 4, 4, 4
        {"respondent": 1, "partner": 2, "trust_reliability": 4, "trust_mission": 3, "trust_openness": 2}
        | {"value_power": 4, "value_involvement": 4, "value_resources": 4},
        # respondent 3 rates 2: trust 1 only (mean 1); no value
        {"respondent": 3, "partner": 2, "trust_reliability": 1, "trust_mission": None, "trust_openness": None}
        | {"value_power": None, "value_involvement": None, "value_resources": None},
        # respondent 2 rates 1: trust 4, 4, 4; value 2, 2, None
        {"respondent": 2, "partner": 1, "trust_reliability": 4, "trust_mission": 4, "trust_openness": 4}
        | {"value_power": 2, "value_involvement": 2, "value_resources": None},
        # respondent 2 rates 3: nothing at all
        {"respondent": 2, "partner": 3},
    ]

    def test_trust_and_value_by_hand(self):
        result = trust_value(self.RATINGS)
        trust = result["trust"]
        # organization 2 received 4, 3, 2, 1 → 10/4 = 2.5 from 2 raters
        self.assertEqual(trust["per_organization"][2], {"score": 2.5, "percent": 62.5, "raters": 2})
        self.assertEqual(trust["per_organization"][1]["score"], 4.0)
        self.assertNotIn(3, trust["per_organization"])
        # relationships: 1→2 mean 3, 3→2 mean 1, 2→1 mean 4 → 8/3
        self.assertEqual(trust["relationships"], 3)
        self.assertAlmostEqual(trust["network"], 8 / 3)
        self.assertAlmostEqual(trust["network_percent"], 8 / 3 / 4 * 100)
        value = result["value"]
        self.assertEqual(value["relationships"], 2)
        self.assertAlmostEqual(value["network"], (4 + 2) / 2)
        self.assertEqual(value["per_organization"][1]["score"], 2.0)
        self.assertEqual(value["per_organization"][2]["percent"], 100.0)

    def test_no_ratings_give_no_scores(self):
        self.assertIsNone(trust_value([])["trust"]["network"])

    def test_a_rating_outside_one_to_four_is_refused(self):
        with self.assertRaises(ValueError):
            trust_value([{"respondent": 1, "partner": 2, "trust_reliability": 5}])


class CompareTests(SimpleTestCase):
    def test_changes_and_health_labor_ties_new_lost_and_strengthened(self):
        nodes = {
            "h1": node("h1", family="health", name="Clinic"),
            "h2": node("h2", family="health", name="Hospital"),
            "l1": node("l1", family="labor", name="Union"),
            "l2": node("l2", family="labor", name="Workers' centre"),
        }
        before_edges = [edge("h1", "l1", level=2), edge("h2", "l2", level=3), edge("h1", "h2")]
        after_edges = [
            edge("l1", "h1", directed=True, level=4),
            edge("h2", "l1", level=1),
            edge("h1", "h2"),
            edge("l1", "l2"),
        ]
        before, after = analyse(nodes, before_edges), analyse(nodes, after_edges)
        result = compare(before, after, before_edges, after_edges, nodes)
        rows = {row["key"]: row for row in result["measures"]}
        self.assertEqual(rows["ties"], {"key": "ties", "before": 3, "after": 4, "change": 1})
        self.assertAlmostEqual(rows["density"]["change"], 4 / 6 - 3 / 6)
        self.assertIsNone(rows["reciprocity"]["change"])
        pairs = result["health_labor"]
        self.assertEqual([(p["health"], p["labor"]) for p in pairs["new"]], [("h2", "l1")])
        self.assertEqual([(p["health"], p["labor"]) for p in pairs["lost"]], [("h2", "l2")])
        self.assertEqual(
            pairs["strengthened"],
            [
                {
                    "health": "h1",
                    "health_name": "Clinic",
                    "labor": "l1",
                    "labor_name": "Union",
                    "level_before": 2,
                    "level_after": 4,
                }
            ],
        )
        self.assertEqual(rows["health_labor_ties"]["change"], 0)


class SampledClosenessTests(SimpleTestCase):
    def test_sampled_closeness_is_exact_in_small_components_and_close_elsewhere(self):
        graph = nx.disjoint_union(nx.karate_club_graph(), nx.path_graph(2))
        metrics = analyse(*from_graph(graph), betweenness_sample_above=20, seed=1)
        exact = nx.closeness_centrality(graph)
        for node_id in (34, 35):
            self.assertAlmostEqual(metrics.per_node[node_id]["closeness"], exact[node_id])
        for node_id in range(34):
            estimate = metrics.per_node[node_id]["closeness"]
            self.assertLess(abs(estimate - exact[node_id]) / exact[node_id], 0.25)


def ascending(graph: nx.Graph) -> nx.Graph:
    """The graph with nodes 0 … n − 1 and ascending adjacency, as `analyse` lays it out."""
    graph = nx.convert_node_labels_to_integers(graph)
    plain = nx.Graph()
    plain.add_nodes_from(range(len(graph)))
    plain.add_edges_from(sorted((min(a, b), max(a, b)) for a, b in graph.edges if a != b))
    return plain


def random_families(graph: nx.Graph, seed: int) -> tuple[dict, list]:
    rng = random.Random(seed)
    families = ["health", "labor", "legal", "community"]
    nodes = {v: node(v, family=rng.choice(families)) for v in graph}
    return nodes, [edge(a, b) for a, b in graph.edges]


class SameAsNetworkxTests(SimpleTestCase):
    """The fast paths (matrix searches, Louvain on lists, ARPACK) give networkx's numbers."""

    def test_louvain_gives_the_networkx_partition_for_the_same_seed(self):
        graphs = [(nx.karate_club_graph(), seed) for seed in range(4)] + [
            (nx.disjoint_union(nx.gnm_random_graph(400, 2000, seed=2), nx.empty_graph(5)), 2),
            (nx.powerlaw_cluster_graph(300, 4, 0.3, seed=1), 7),
        ]
        for graph, seed in graphs:
            graph = ascending(graph)
            metrics = analyse(*from_graph(graph), seed=seed)
            expected = nx.community.louvain_communities(graph, seed=seed)
            self.assertEqual(sorted(map(sorted, metrics.communities)), sorted(map(sorted, expected)))
            self.assertAlmostEqual(metrics.modularity, nx.community.modularity(graph, expected))

    def test_exact_betweenness_and_closeness_on_a_disconnected_graph(self):
        graph = ascending(
            nx.union_all(
                [nx.gnm_random_graph(150, 400, seed=5), nx.path_graph(5), nx.empty_graph(3)],
                rename=("a", "b", "c"),
            )
        )
        per_node = analyse(*from_graph(graph)).per_node
        betweenness, closeness = nx.betweenness_centrality(graph), nx.closeness_centrality(graph)
        for v in graph:
            self.assertAlmostEqual(per_node[v]["betweenness"], betweenness[v], places=12)
            self.assertAlmostEqual(per_node[v]["closeness"], closeness[v], places=12)

    def test_sampled_betweenness_is_networkx_estimate_from_the_same_sources(self):
        graph = ascending(nx.gnm_random_graph(300, 1500, seed=4))
        metrics = analyse(*from_graph(graph), betweenness_sample_above=60, seed=11)
        self.assertEqual(metrics.betweenness_k, 60)
        estimate = nx.betweenness_centrality(graph, k=60, seed=11)
        for v in graph:  # single precision above the threshold
            self.assertAlmostEqual(metrics.per_node[v]["betweenness"], estimate[v], places=6)

    def test_the_sample_never_exceeds_sampled_sources(self):
        graph = ascending(nx.gnm_random_graph(100, 300, seed=1))
        with mock.patch.object(analysis, "SAMPLED_SOURCES", 30):
            metrics = analyse(*from_graph(graph), betweenness_sample_above=50, seed=3)
        self.assertEqual(metrics.betweenness_k, 30)
        self.assertAlmostEqual(metrics.betweenness_error_bound, betweenness_error_bound(100, 30))
        estimate = nx.betweenness_centrality(graph, k=30, seed=3)
        self.assertAlmostEqual(metrics.per_node[5]["betweenness"], estimate[5], places=6)

    def test_brokers_are_exact_below_and_above_the_sampling_threshold(self):
        graph = ascending(nx.gnm_random_graph(120, 300, seed=8))
        nodes, edges = random_families(graph, 8)
        health = [v for v in graph if nodes[v].family == "health"]
        labor = [v for v in graph if nodes[v].family == "labor"]
        subset = nx.betweenness_centrality_subset(graph, health, labor, normalized=False)
        expected = sorted(
            ((v, 2 * score) for v, score in subset.items() if score > 1e-9), key=lambda i: (-i[1], i[0])
        )
        for sample_above in (2000, 20):
            brokers = analyse(nodes, edges, betweenness_sample_above=sample_above).brokers
            self.assertEqual([b["id"] for b in brokers], [v for v, _score in expected[:10]])
            for broker, (_v, score) in zip(brokers, expected, strict=False):
                self.assertAlmostEqual(broker["score"], score, places=5)

    def test_eigenvector_matches_networkx_with_the_dense_and_the_sparse_solver(self):
        for n in (80, analysis.DENSE_EIGEN + 100):
            random_graph = nx.gnm_random_graph(n, 4 * n, seed=n)
            graph = ascending(random_graph.subgraph(max(nx.connected_components(random_graph), key=len)))
            per_node = analyse(*from_graph(graph)).per_node
            expected = nx.eigenvector_centrality_numpy(graph)  # networkx refuses disconnected graphs
            for v in graph:
                self.assertAlmostEqual(per_node[v]["eigenvector"], expected[v], places=8)

    def test_a_disconnected_network_gets_eigenvector_values_and_a_caveat(self):
        metrics = analyse(*from_graph(nx.disjoint_union(nx.complete_graph(4), nx.path_graph(3))))
        self.assertAlmostEqual(metrics.per_node[0]["eigenvector"], 0.5)  # K4: 1/√4 each
        self.assertAlmostEqual(metrics.per_node[5]["eigenvector"], 0.0)
        self.assertTrue(any("component" in note for note in metrics.notes))
