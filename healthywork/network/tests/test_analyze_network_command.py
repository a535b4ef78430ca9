"""`healthywork analyze network`: a wave's network from the database, or a graph from CSV files."""

import io
import json
import tempfile
from pathlib import Path

import networkx as nx
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.utils import timezone

from healthywork.network.tests import factories
from healthywork.partners.tests.factories import organization


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("analyze", "network", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class WaveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.wave = factories.wave("Baseline 2017")
        cls.clinic = organization("Clinic", "public-health")
        cls.hospital = organization("Hospital", "healthcare")
        cls.union = organization("Union", "labor")
        cls.lawyers = organization("Lawyers", "legal")
        factories.tie(cls.wave, cls.clinic, cls.union)
        factories.tie(cls.wave, cls.union, cls.lawyers, kind="funding")
        factories.tie(cls.wave, cls.lawyers, cls.hospital)
        factories.tie(cls.wave, cls.clinic, cls.hospital, status="planned", provenance="introduction")

    def test_json_carries_the_measures_of_the_only_wave(self):
        out, _err = run("--format", "json")
        data = json.loads(out)
        self.assertEqual(data["wave"], "Baseline 2017")
        self.assertEqual((data["nodes"], data["ties"]), (4, 3))  # the planned introduction is no tie
        self.assertAlmostEqual(data["density"], 0.5)
        self.assertAlmostEqual(data["degree_centralization"], (1 + 0 + 0 + 1) / 6)
        self.assertIsNone(data["reciprocity"])
        self.assertEqual(data["components"], 1)
        self.assertAlmostEqual(data["ei_index"], 1.0)  # four sectors, every tie crosses
        self.assertEqual(data["health_labor_ties"], 1)
        self.assertEqual(data["group_matrix"]["groups"], ["healthcare", "labor", "legal", "public-health"])
        # path clinic — union — lawyers — hospital: union and lawyers broker the two health-labor pairs
        brokers = {broker["name"]: broker["score"] for broker in data["brokers"]}
        self.assertEqual(brokers, {"Lawyers": 1.0})
        self.assertIsNone(data["trust"])
        for key in ("ei_by_group", "per_node", "communities", "collaboration"):
            self.assertIn(key, data)

    def test_group_by_sector_family_and_kind_filter(self):
        out, _err = run("--wave", "Baseline 2017", "--group-by", "sector_family", "--kind", "information")
        self.assertIn("Ties: 2", out)
        self.assertIn("health", out)
        data = json.loads(run("--group-by", "sector_family", "--format", "json")[0])
        self.assertAlmostEqual(data["ei_by_group"]["health"], 1.0)

    def test_trust_and_value_come_from_the_waves_survey_answers(self):
        survey = factories.survey(self.wave, [])
        respondent = factories.respondent(survey, self.clinic)
        factories.rating(respondent, self.union, trust_reliability=4, trust_mission=2, value_power=3, level=3)
        # Only submitted answers count, as on the metrics page.
        self.assertIsNone(json.loads(run("--format", "json")[0])["trust"])
        respondent.submitted_at = timezone.now()
        respondent.save()
        data = json.loads(run("--format", "json")[0])
        self.assertAlmostEqual(data["trust"]["network"], 3.0)
        self.assertAlmostEqual(data["trust"]["network_percent"], 75.0)
        self.assertAlmostEqual(data["value"]["network"], 3.0)
        self.assertEqual(data["collaboration"]["ratings"], 1)
        self.assertIn("Trust: 3.00 of 4 (75.0%)", run()[0])

    def test_a_second_wave_makes_wave_required_and_names_them(self):
        factories.wave(
            "After 2019",
            start=self.wave.end_date.replace(year=2019),
            end=self.wave.end_date.replace(year=2019),
        )
        with self.assertRaisesMessage(CommandError, "“Baseline 2017”, “After 2019”"):
            run()
        with self.assertRaisesMessage(CommandError, "No wave is named “2018”"):
            run("--wave", "2018")

    def test_bad_group_by_and_kind_are_refused(self):
        with self.assertRaisesMessage(CommandError, "sector or sector_family"):
            run("--group-by", "colour")
        with self.assertRaisesMessage(CommandError, "Unknown tie kind “gossip”"):
            run("--kind", "gossip")


class NoWaveTests(TestCase):
    def test_it_says_there_is_no_wave(self):
        with self.assertRaisesMessage(CommandError, "There is no wave yet"):
            run()


class FileTests(TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def write(self, name: str, text: str) -> str:
        path = Path(self.folder.name) / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    def test_zacharys_karate_club_from_csv_files(self):
        graph = nx.karate_club_graph()
        edges = self.write(
            "edges.csv", "source,target,weight\n" + "".join(f"{a},{b},1\n" for a, b in graph.edges)
        )
        nodes = self.write(
            "nodes.csv", "id,club\n" + "".join(f"{v},{graph.nodes[v]['club']}\n" for v in graph)
        )
        out, err = run("--edges", edges, "--nodes", nodes, "--group-by", "club", "--format", "json")
        data = json.loads(out)
        self.assertEqual((data["nodes"], data["ties"]), (34, 78))
        self.assertEqual((data["external_ties"], data["internal_ties"]), (11, 67))
        self.assertAlmostEqual(data["ei_index"], -0.7179, places=4)
        self.assertEqual(data["group_matrix"]["groups"], ["Mr. Hi", "Officer"])
        self.assertEqual(err, "")
        text, _err = run("--edges", edges, "--nodes", nodes, "--group-by", "club")
        self.assertIn("E-I index (by sector): -0.718", text)

    def test_missing_nodes_are_unknown_and_duplicates_count_once_with_warnings(self):
        edges = self.write("edges.csv", "source,target\na,b\nb,a\nb,c\n")
        nodes = self.write("nodes.csv", "id,team,family\na,red,health\nb,blue,labor\n")
        out, err = run("--edges", edges, "--nodes", nodes, "--group-by", "team", "--format", "json")
        data = json.loads(out)
        self.assertEqual(data["ties"], 2)
        self.assertEqual(data["per_node"]["c"]["group"], "unknown")
        self.assertEqual(data["health_labor_ties"], 1)
        self.assertIn("1 duplicate edge(s)", err)
        self.assertIn("1 node(s) not in", err)

    def test_directed_edges_give_reciprocity(self):
        edges = self.write("edges.csv", "source,target\na,b\nb,a\nb,c\n")
        data = json.loads(run("--edges", edges, "--group-by", "x", "--directed", "--format", "json")[0])
        self.assertAlmostEqual(data["reciprocity"], 2 / 3)

    def test_bad_rows_name_the_row_and_column(self):
        cases = [
            ("source,target\na,b\nc,c\n", "row 3: “c” is tied to itself"),
            ("source,target\na,b\n,b\n", "row 3, column source: the id is empty"),
            ("source,target,weight\na,b,1\nb,c,heavy\n", "row 3, column weight: “heavy” is not a number"),
            ("from,to\na,b\n", "has no column “source”"),
        ]
        for text, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(CommandError, message):
                run("--edges", self.write("edges.csv", text), "--group-by", "x")

    def test_bad_nodes_files_are_refused(self):
        edges = self.write("edges.csv", "source,target\na,b\n")
        twice = self.write("nodes.csv", "id,team\na,red\na,blue\n")
        with self.assertRaisesMessage(CommandError, "“a” appears twice, rows 2 and 3"):
            run("--edges", edges, "--nodes", twice, "--group-by", "team")
        with self.assertRaisesMessage(CommandError, "has no column “colour”"):
            run("--edges", edges, "--nodes", twice, "--group-by", "colour")

    def test_files_need_group_by_and_do_not_mix_with_a_wave(self):
        edges = self.write("edges.csv", "source,target\na,b\n")
        with self.assertRaisesMessage(CommandError, "give --group-by"):
            run("--edges", edges)
        with self.assertRaisesMessage(CommandError, "cannot be combined"):
            run("--edges", edges, "--group-by", "x", "--wave", "W")

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=10)
    def test_a_file_over_the_limit_is_refused(self):
        with self.assertRaisesMessage(CommandError, "the limit is"):
            run("--edges", self.write("edges.csv", "source,target\na,b\nb,c\n"), "--group-by", "x")

    def test_an_unreadable_file_is_named(self):
        with self.assertRaisesMessage(CommandError, "Cannot read"):
            run("--edges", str(Path(self.folder.name) / "absent.csv"), "--group-by", "x")
