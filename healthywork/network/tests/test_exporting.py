"""Export of a wave's ties as CSV, GEXF, GraphML and Kumu JSON, parsed back; and `export ties`."""

import io
import json
import tempfile
from datetime import date
from pathlib import Path

import networkx as nx
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from healthywork.catalog.tests import factories as catalog_factories
from healthywork.core.tabular import read_table
from healthywork.core.tests.base import PersonaTestCase
from healthywork.network import exporting, importing
from healthywork.network.models import Tie
from healthywork.network.tests import factories
from healthywork.partners.tests import factories as partner_factories


class ExportTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = partner_factories.organization("Warehouse Workers United", "labor", level="state")
        cls.clinic = partner_factories.organization("=Joliet Clinic", "healthcare")
        cls.department = partner_factories.organization("County Health Department", "public-health")
        cls.wave = factories.wave("Baseline 2017")
        factories.tie(cls.wave, cls.union, cls.clinic, "referrals", level=2, is_directed=True, note="Monthly")
        factories.tie(cls.wave, cls.union, cls.clinic, "funding", provenance="interview")
        factories.tie(cls.wave, cls.clinic, cls.department, "information", status="planned")
        catalog_factories.initiative(
            "Heat standard", cls.union, partners=[(cls.department, "partner")], start_date=date(2017, 3, 1)
        )

    def export(self, fmt: str, query: str = "") -> bytes:
        url = reverse("network:tie-export", args=[self.wave.public_id])
        response = self.client.get(f"{url}?format={fmt}{query}")
        self.assertEqual(response.status_code, 200)
        return response.content


class ExportTests(ExportTestCase):
    def setUp(self):
        self.login(self.viewer)

    def test_csv_has_the_importers_columns_neutralised_and_derived_ties_marked(self):
        content = self.export("csv")
        self.assertIn(b"'=Joliet Clinic", content)  # a spreadsheet would run it as a formula
        table = read_table(content, "ties.csv")
        self.assertEqual(table.headers, importing.COLUMNS)
        self.assertEqual(len(table.rows), 3)  # the planned introduction is not a tie yet
        rows = {(values["kind"], values["provenance"]): values for _number, values in table.rows}
        referral = rows[("referrals", "manual")]
        self.assertEqual(referral["target"], "=Joliet Clinic")  # the reader restores the name
        self.assertEqual(
            (referral["level"], referral["directed"], referral["wave"]), ("2", "yes", "Baseline 2017")
        )
        self.assertEqual(rows[("joint_programs", "initiative")]["note"], "Initiative: Heat standard")

    def test_the_csv_imports_back_with_derived_rows_skipped(self):
        Tie.objects.filter(status="active").delete()
        content = exporting.export_ties(self.wave, {}, "csv")[0]
        factories.tie(self.wave, self.union, self.clinic, "referrals", level=2, is_directed=True)
        preview = importing.preview_ties(read_table(content, "ties.csv"))
        self.assertEqual(preview.summary()["refuse"], 0)

    def test_the_current_filter_applies(self):
        table = read_table(self.export("csv", "&derived=0&kind=referrals"), "ties.csv")
        self.assertEqual([values["kind"] for _number, values in table.rows], ["referrals"])

    def test_gexf_reads_back_with_node_and_edge_attributes(self):
        graph = nx.read_gexf(io.BytesIO(self.export("gexf")))
        self.assertIn(b'version="1.3"', self.export("gexf"))
        self.assertEqual((graph.number_of_nodes(), graph.number_of_edges()), (3, 3))
        union = graph.nodes[str(self.union.public_id)]
        self.assertEqual(
            (union["label"], union["sector"], union["family"], union["level"]),
            ("Warehouse Workers United", "labor", "labor", "state"),
        )
        edges = {data["kind"]: data for _source, _target, data in graph.edges(data=True)}
        self.assertEqual((edges["referrals"]["level"], edges["referrals"]["provenance"]), (2, "manual"))
        self.assertEqual(edges["joint_programs"]["provenance"], "initiative")
        self.assertFalse(edges["funding"]["directed"])

    def test_graphml_reads_back_with_attributes(self):
        graph = nx.read_graphml(io.BytesIO(self.export("graphml")))
        self.assertEqual((graph.number_of_nodes(), graph.number_of_edges()), (3, 3))
        self.assertTrue(graph.is_directed())
        kinds = sorted(data["kind"] for _source, _target, data in graph.edges(data=True))
        self.assertEqual(kinds, ["funding", "joint_programs", "referrals"])
        self.assertEqual(graph.nodes[str(self.clinic.public_id)]["sector"], "healthcare")

    def test_kumu_json_has_elements_and_connections_and_imports_back(self):
        document = json.loads(self.export("kumu"))
        self.assertEqual(len(document["elements"]), 3)
        self.assertEqual(len(document["connections"]), 3)
        union = next(e for e in document["elements"] if e["label"] == "Warehouse Workers United")
        self.assertEqual(union["type"], "Labor")
        referral = next(c for c in document["connections"] if c["type"] == "referrals")
        self.assertEqual((referral["from"], referral["direction"]), ("Warehouse Workers United", "directed"))
        table = importing.read_kumu(json.dumps(document).encode())
        self.assertEqual(len(table.rows), 3)

    def test_an_unknown_format_is_404_and_login_is_needed(self):
        url = reverse("network:tie-export", args=[self.wave.public_id])
        self.assertEqual(self.client.get(url + "?format=pdf").status_code, 404)
        self.assertNeedsLogin(url + "?format=csv")


class ExportCommandTests(ExportTestCase):
    def run_export(self, *args: str) -> str:
        stdout = io.StringIO()
        call_command("export", "ties", *args, stdout=stdout)
        return stdout.getvalue()

    def test_it_exports_a_wave_as_a_table_or_a_graph(self):
        output = self.run_export("--filter", "wave=baseline 2017")
        self.assertIn("source,target,kind", output)
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "ties.graphml"
            self.run_export(
                "--filter", "wave=Baseline 2017", "--filter", "format=graphml", "--out", str(path)
            )
            self.assertEqual(nx.read_graphml(path).number_of_edges(), 3)

    def test_an_unknown_wave_or_filter_is_a_clear_error(self):
        factories.wave("After 2019", start=date(2019, 1, 1), end=date(2019, 12, 31))
        with self.assertRaisesMessage(CommandError, "Unknown wave “1999”"):
            self.run_export("--filter", "wave=1999")
        with self.assertRaisesMessage(CommandError, "Choose the wave"):
            self.run_export()
        with self.assertRaisesMessage(CommandError, "Unknown filter colour"):
            self.run_export("--filter", "colour=red")
