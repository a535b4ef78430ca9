"""The network map page and its JSON data endpoint."""

import json
from unittest import mock

from django.core.cache import cache
from django.urls import reverse

from healthywork.core.tests.base import PersonaTestCase
from healthywork.network import mapdata
from healthywork.network.tests import factories
from healthywork.partners.tests import factories as partner_factories


class MapTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.wave = factories.wave("Baseline 2017")
        cls.later = factories.wave("After 2019")
        cls.clinic = partner_factories.organization("Riverside Clinic", "public-health")
        cls.union = partner_factories.organization("Warehouse Workers United", "labor")
        cls.legal = partner_factories.organization("Justice Legal Aid", "legal")
        factories.tie(cls.wave, cls.clinic, cls.union, "information", level=3)
        factories.tie(cls.wave, cls.union, cls.legal, "referrals", level=1, is_directed=True)
        factories.tie(
            cls.wave, cls.clinic, cls.legal, "joint_programs", status="planned", provenance="introduction"
        )
        factories.tie(cls.later, cls.clinic, cls.legal, "funding", level=5)

    def setUp(self):
        cache.clear()
        self.login(self.viewer)

    def page_url(self, wave=None):
        return reverse("network:map", args=[(wave or self.wave).public_id])

    def data_url(self, wave=None):
        return reverse("network:map-data", args=[(wave or self.wave).public_id])

    def get_data(self, query=None, wave=None) -> dict:
        """The compact JSON, with `rows` (nodes as dicts) and `pairs` (drawn edges as dicts, ends
        as public ids, kinds and provenances as lists)."""
        data = self.client.get(self.data_url(wave), query or {}).json()
        data["rows"] = mapdata.node_rows(data)
        data["pairs"] = [
            {
                "source": data["rows"][source]["id"],
                "target": data["rows"][target]["id"],
                "kinds": [code for bit, code in enumerate(data["kinds"]) if kinds & (1 << bit)],
                "level": level,
                "directed": bool(flags & mapdata.ARROW_TO_TARGET),
                "back": bool(flags & mapdata.ARROW_TO_SOURCE),
                "planned": bool(flags & mapdata.PLANNED),
                "provenances": [
                    code for bit, code in enumerate(data["provenances"]) if provenances & (1 << bit)
                ],
            }
            for source, target, kinds, level, flags, provenances in data["edges"]
        ]
        return data


class DataTests(MapTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(self.data_url())

    def test_it_gives_nodes_with_metrics_positions_and_organization_pages(self):
        response = self.client.get(self.data_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(b"\n", response.content)  # no indentation
        data = self.get_data()
        nodes = {node["label"]: node for node in data["rows"]}
        self.assertEqual(set(nodes), {"Riverside Clinic", "Warehouse Workers United", "Justice Legal Aid"})
        union = nodes["Warehouse Workers United"]
        self.assertEqual(union["id"], str(self.union.public_id))
        self.assertEqual(union["sector"], "labor")
        self.assertEqual(union["family"], "labor")
        self.assertEqual(union["degree"], 2)
        self.assertEqual(union["betweenness"], 1.0)  # the only path between the other two
        self.assertEqual(nodes["Riverside Clinic"]["betweenness"], 0.0)
        self.assertEqual(union["url"], self.union.get_absolute_url())
        self.assertIsInstance(union["x"], float)
        self.assertEqual(data["summary"]["nodes"], 3)
        self.assertEqual(data["summary"]["ties"], 2)  # the planned introduction is left out
        self.assertAlmostEqual(data["summary"]["density"], 2 / 3)
        self.assertEqual(data["wave"]["name"], "Baseline 2017")

    def test_edges_say_kind_direction_level_and_provenance(self):
        data = self.get_data()
        referral = next(edge for edge in data["pairs"] if edge["kinds"] == ["referrals"])
        self.assertEqual(referral["source"], str(self.union.public_id))  # drawn from its source
        self.assertEqual(referral["target"], str(self.legal.public_id))
        self.assertTrue(referral["directed"])
        self.assertFalse(referral["back"])
        self.assertEqual(referral["level"], 1)
        self.assertEqual(referral["provenances"], ["manual"])
        self.assertFalse(referral["planned"])
        self.assertNotIn("evidence", data)

    def test_ties_of_one_pair_are_drawn_as_one_edge_with_their_kinds(self):
        factories.tie(self.wave, self.clinic, self.union, "referrals", level=5, is_directed=True)
        factories.tie(self.wave, self.union, self.clinic, "funding", level=2, is_directed=True)
        data = self.get_data()
        self.assertEqual(data["summary"]["ties"], 4)
        self.assertEqual(data["summary"]["drawn"], 2)
        pair = next(edge for edge in data["pairs"] if "information" in edge["kinds"])
        self.assertEqual(pair["kinds"], ["information", "referrals", "funding"])
        self.assertEqual(pair["level"], 5)  # the highest
        self.assertTrue(pair["directed"] and pair["back"])  # one-way ties both ways

    def test_planned_introductions_come_when_asked_for(self):
        data = self.get_data({"planned": "on"})
        planned = [edge for edge in data["pairs"] if edge["planned"]]
        self.assertEqual(len(planned), 1)
        self.assertEqual(planned[0]["provenances"], ["introduction"])

    def test_it_filters_by_kind_family_and_lowest_level(self):
        data = self.get_data({"kind": "referrals"})
        self.assertEqual([edge["kinds"] for edge in data["pairs"]], [["referrals"]])
        self.assertEqual(
            {node["label"] for node in data["rows"]}, {"Warehouse Workers United", "Justice Legal Aid"}
        )
        data = self.get_data({"family": ["health", "labor"]})
        self.assertEqual(
            {node["label"] for node in data["rows"]}, {"Riverside Clinic", "Warehouse Workers United"}
        )
        self.assertEqual(len(data["edges"]), 1)
        data = self.get_data({"min_level": "2"})
        self.assertEqual([edge["level"] for edge in data["pairs"]], [3])
        self.assertEqual(len(data["nodes"]), 2)

    def test_the_same_graph_gives_the_same_positions(self):
        first = {node["id"]: (node["x"], node["y"]) for node in self.get_data()["rows"]}
        cache.clear()
        second = {node["id"]: (node["x"], node["y"]) for node in self.get_data()["rows"]}
        self.assertEqual(first, second)
        self.assertEqual(len(set(first.values())), 3)

    def test_the_legend_gives_each_family_a_colour_and_a_distinct_shape(self):
        legend = self.client.get(self.data_url()).json()["legend"]
        self.assertEqual(len({entry["shape"] for entry in legend}), len(legend))
        self.assertEqual(len({entry["colour"] for entry in legend}), len(legend))
        counts = {entry["family"]: entry["count"] for entry in legend}
        self.assertEqual(counts["health"], 1)
        self.assertEqual(counts["business"], 0)

    def test_bad_filters_are_named_and_refused(self):
        response = self.client.get(self.data_url(), {"kind": "gossip", "min_level": "9"})
        self.assertEqual(response.status_code, 400)
        errors = response.json()["errors"]
        self.assertTrue(any(error.startswith("Kinds of tie:") and "gossip" in error for error in errors))
        self.assertTrue(any(error.startswith("Lowest level of collaboration:") for error in errors))

    def test_an_unknown_wave_is_a_404(self):
        url = reverse("network:map-data", args=["00000000-0000-0000-0000-000000000000"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_reads_no_more_queries_for_a_bigger_network(self):
        # Per-node queries would grow with the network; these do not.
        with self.assertNumQueries(self._queries()):
            self.client.get(self.data_url())
        for number in range(10):
            extra = partner_factories.organization(f"Extra {number}", "nonprofit")
            factories.tie(self.wave, extra, self.clinic)
        cache.clear()
        with self.assertNumQueries(self._queries()):
            self.client.get(self.data_url())

    def _queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            self.client.get(self.data_url())
        cache.clear()
        return len(captured)


class CachingTests(MapTestCase):
    def test_a_warm_request_answers_the_cached_bytes_without_building_the_network(self):
        first = self.client.get(self.data_url())
        with (
            mock.patch.object(mapdata, "build_network", side_effect=AssertionError("built again")),
            self.assertNumQueries(self._stamp_queries()),
        ):
            again = self.client.get(self.data_url())
        self.assertEqual(again.content, first.content)
        self.assertEqual(again["ETag"], first["ETag"])

    def _stamp_queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            mapdata.data_stamp(self.wave)
        # + the session, the user, the wave, and the filter form's sectors and wave
        return len(captured) + 5

    def test_the_same_etag_gets_a_304(self):
        etag = self.client.get(self.data_url())["ETag"]
        response = self.client.get(self.data_url(), headers={"If-None-Match": etag})
        self.assertEqual(response.status_code, 304)
        self.assertEqual(response.content, b"")
        other = self.client.get(self.data_url(), {"kind": "referrals"}, headers={"If-None-Match": etag})
        self.assertEqual(other.status_code, 200)

    def test_a_change_to_the_records_shows_at_once(self):
        self.assertEqual(self.get_data()["summary"]["ties"], 2)
        tie = factories.tie(self.wave, self.clinic, self.union, "funding", level=4)
        self.assertEqual(self.get_data()["summary"]["ties"], 3)
        tie.delete()
        self.assertEqual(self.get_data()["summary"]["ties"], 2)
        self.union.name = "Warehouse Workers United Local 1"
        self.union.save()
        self.assertIn("Warehouse Workers United Local 1", {row["label"] for row in self.get_data()["rows"]})

    def test_a_large_network_computes_betweenness_only_when_sized_by_it(self):
        from healthywork.network.graph import NetworkFilter
        from healthywork.network.metrics import wave_metrics

        with (
            mock.patch.object(mapdata, "FULL_METRICS_MAX_NODES", 1),
            mock.patch.object(mapdata, "analyse", wraps=mapdata.analyse) as analysed,
        ):
            data = self.get_data()
            self.assertEqual(analysed.call_count, 0)
            self.assertEqual(data["metrics"], ["degree"])
            self.assertNotIn("betweenness", data["rows"][0])
            data = self.get_data({"size": "betweenness"})
            self.assertEqual(analysed.call_count, 1)
        self.assertEqual(data["metrics"], ["degree", "betweenness", "eigenvector"])
        _network, metrics = wave_metrics(NetworkFilter(wave=self.wave))
        for row in data["rows"]:
            measured = metrics.per_node[self._pk(row["id"])]
            self.assertEqual(row["degree"], measured["degree"])
            self.assertEqual(row["betweenness"], round(measured["betweenness"], 4))
            self.assertEqual(row["eigenvector"], round(measured["eigenvector"], 4))

    def _pk(self, public_id: str) -> int:
        return next(
            org.pk for org in (self.clinic, self.union, self.legal) if str(org.public_id) == public_id
        )


class PageTests(MapTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(self.page_url())

    def test_it_shows_the_summary_the_canvas_and_the_tables(self):
        response = self.client.get(self.page_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "3 organizations, 2 ties, density 0.667.")
        self.assertContains(response, 'id="map-canvas" class="map-canvas" role="img"')
        self.assertContains(response, "Map of the network of Baseline 2017: 3 organizations and 2 ties.")
        self.assertContains(response, self.data_url())
        nodes = response.context["table"]["nodes"]
        self.assertEqual(nodes[0]["label"], "Warehouse Workers United")  # highest degree first
        self.assertContains(
            response, f'<a href="{self.union.get_absolute_url()}">Warehouse Workers United</a>', html=True
        )
        self.assertContains(response, "Referrals")
        self.assertContains(response, '<th scope="col" class="number">Betweenness</th>', html=True)
        self.assertContains(response, 'Labor <span class="hint">(square, 1)</span>', html=False)

    def test_the_size_metric_orders_the_table_and_reaches_the_script(self):
        response = self.client.get(self.page_url(), {"size": "betweenness"})
        self.assertEqual(response.context["table"]["nodes"][0]["label"], "Warehouse Workers United")
        self.assertContains(response, 'data-size="betweenness"')
        self.assertContains(response, "Organizations, the highest betweenness first")

    def test_filters_reach_the_data_address(self):
        response = self.client.get(self.page_url(), {"kind": "referrals", "planned": "on"})
        self.assertIn("kind=referrals", response.context["data_url"])
        self.assertIn("planned=on", response.context["data_url"])
        self.assertEqual(len(response.context["table"]["edges"]), 1)

    def test_choosing_another_wave_opens_its_map_with_the_same_filters(self):
        response = self.client.get(self.page_url(), {"wave": str(self.later.public_id), "kind": "funding"})
        self.assertRedirects(
            response, f"{self.page_url(self.later)}?kind=funding", fetch_redirect_response=False
        )
        response = self.client.get(f"{self.page_url(self.later)}?kind=funding")
        self.assertEqual(response.context["data"]["summary"]["ties"], 1)

    def test_bad_filters_show_a_message_naming_the_field(self):
        response = self.client.get(self.page_url(), {"level": "galactic"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Organization levels:", status_code=400)
        self.assertContains(response, "galactic", status_code=400)
        self.assertNotContains(response, 'id="map-canvas"', status_code=400)

    def test_an_unknown_wave_is_a_404(self):
        url = reverse("network:map", args=["00000000-0000-0000-0000-000000000000"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_every_signed_in_role_may_read_it(self):
        for user in (self.administrator, self.facilitator, self.member, self.coder, self.evaluator):
            self.login(user)
            self.assertEqual(self.client.get(self.page_url()).status_code, 200, user.username)

    def test_an_empty_network_says_so(self):
        empty = factories.wave("Empty 2020", start=self.wave.start_date, end=self.wave.end_date)
        response = self.client.get(self.page_url(empty))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "No organization matches these filters.")
        self.assertEqual(json.loads(self.client.get(self.data_url(empty)).content)["nodes"], [])

    def test_the_page_keeps_the_data_the_script_asks_for(self):
        self.client.get(self.page_url(), {"kind": "referrals"})
        with mock.patch.object(mapdata, "build_network", side_effect=AssertionError("built again")):
            response = self.client.get(self.data_url(), {"kind": "referrals"})
        self.assertEqual(len(response.json()["edges"]), 1)
