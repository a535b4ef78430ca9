"""The map's columnar graph (`mapgraph`) gives exactly the map of `graph.build_network`, for every
filter, and reads the database once per data stamp."""

from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone

from healthywork.catalog.tests import factories as catalog_factories
from healthywork.network import mapdata, mapgraph
from healthywork.network.graph import NetworkFilter
from healthywork.network.tests import factories
from healthywork.partners.tests import factories as partner_factories


class MapGraphTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.wave = factories.wave("Baseline 2017")
        organization = partner_factories.organization
        cls.clinic = organization("Riverside Clinic", "public-health")
        cls.union = organization("Warehouse Workers United", "labor")
        cls.legal = organization("Justice Legal Aid", "legal")
        cls.county = organization("County Health Department", "public-health")
        cls.alone = organization("Roster Only Center", "nonprofit")
        factories.tie(cls.wave, cls.clinic, cls.union, "information", level=3)
        factories.tie(cls.wave, cls.union, cls.clinic, "information", level=1, is_directed=True)
        factories.tie(cls.wave, cls.union, cls.legal, "referrals", level=1, is_directed=True)
        factories.tie(cls.wave, cls.legal, cls.county, "funding", level=5, is_directed=True)
        factories.tie(
            cls.wave, cls.clinic, cls.legal, "joint_programs", status="planned", provenance="introduction"
        )
        factories.tie(cls.wave, cls.county, cls.union, "data_sharing")  # level unknown
        catalog_factories.initiative("Heat standard", cls.union, partners=[(cls.county, "partner")])
        survey = factories.survey(cls.wave, [cls.clinic, cls.alone])
        answering = survey.respondents.get(organization=cls.clinic)
        answering.submitted_at = timezone.now()
        answering.save()
        factories.rating(answering, cls.county, level=2, kinds=["referrals", "funding"])

    def setUp(self):
        cache.clear()

    def both(self, min_level=None, **choices) -> tuple[dict, dict]:
        network_filter = NetworkFilter(wave=self.wave, **choices)
        cache.clear()
        expected = mapdata.map_data(mapdata.map_network(network_filter, min_level=min_level))
        cache.clear()
        graph, roster = mapgraph.wave_graph(self.wave, "stamp")
        found = mapdata.map_data(mapgraph.filtered(graph, roster, network_filter, min_level))
        return found, expected

    def test_every_filter_gives_the_same_map_as_the_network(self):
        cases = [
            {},
            {"include_planned": True},
            {"include_derived": False},
            {"kinds": ["referrals", "funding"]},
            {"provenances": ["survey", "initiative"]},
            {"sectors": ["public-health"]},
            {"families": ["health", "labor"]},
            {"min_level": 2},
            {"min_level": 0, "include_planned": True},
            {"kinds": ["information"], "families": ["labor", "health"], "min_level": 1},
        ]
        for choices in cases:
            with self.subTest(**choices):
                found, expected = self.both(**choices)
                self.assertEqual(found, expected)
                self.assertGreater(found["summary"]["nodes"], 0)

    def test_the_roster_member_without_ties_is_kept(self):
        found, _expected = self.both(min_level=4)
        self.assertIn("Roster Only Center", [row[1] for row in found["nodes"]])

    def test_the_columns_read_the_database_once_per_stamp(self):
        mapgraph.wave_graph(self.wave, "one")
        with self.assertNumQueries(0):
            graph, roster = mapgraph.wave_graph(self.wave, "one")
        self.assertEqual(roster, {self.clinic.pk, self.alone.pk})
        # six stored ties (one planned), one initiative pair, two survey kinds
        self.assertEqual((graph.ties, int(graph.derived.sum()), int(graph.planned.sum())), (9, 3, 1))

    def test_edges_made_back_from_columns_keep_what_the_metrics_use(self):
        graph, _roster = mapgraph.wave_graph(self.wave, "stamp")
        edges = graph.edges()
        self.assertEqual(len(edges), graph.ties)
        again = mapgraph.from_edges(graph.nodes, edges, derived=False)
        for name in ("source", "target", "kind", "level", "directed", "provenance", "planned"):
            self.assertEqual(getattr(again, name).tolist(), getattr(graph, name).tolist(), name)
