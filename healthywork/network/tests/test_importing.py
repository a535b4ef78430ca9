"""Import of ties: the preview (row by row), the web pages, Kumu JSON and `healthywork import ties`."""

import io
import json
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from healthywork.core.models import AuditEvent, StagedUpload
from healthywork.core.tabular import read_table
from healthywork.core.tests.base import PersonaTestCase
from healthywork.network import exporting, importing
from healthywork.network.models import Tie
from healthywork.network.tests import factories
from healthywork.partners.tests import factories as partner_factories

GOOD_CSV = (
    "source,target,kind,level,directed,wave,note\n"
    "WWU,Joliet Clinic,Referrals,2,yes,baseline 2017,Monthly\n"
    "Joliet Clinic,County Health Department,joint programs,,no,Baseline 2017,\n"
)
KUMU = {
    "elements": [
        {"label": "Warehouse Workers United", "type": "Labor", "_id": "e1"},
        {"label": "Joliet Clinic", "type": "Healthcare", "_id": "e2"},
    ],
    "connections": [
        {"from": "e1", "to": "e2", "type": "Referrals", "direction": "directed", "level": 3},
        {"from": "Joliet Clinic", "to": "Warehouse Workers United", "type": "funding", "direction": "mutual"},
    ],
}


def table(text: str):
    return read_table(text.encode(), "ties.csv")


class ImportTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = partner_factories.organization("Warehouse Workers United", "labor", aliases="WWU")
        cls.clinic = partner_factories.organization("Joliet Clinic", "healthcare")
        cls.department = partner_factories.organization("County Health Department", "public-health")
        cls.wave = factories.wave("Baseline 2017")
        cls.later = factories.wave("After 2019")


class PreviewTests(ImportTestCase):
    def errors(self, text: str) -> list:
        preview = importing.preview_ties(table(text))
        return [(row.number, column, message) for row in preview.refused for column, message in row.errors]

    def test_a_good_file_is_all_to_create(self):
        preview = importing.preview_ties(table(GOOD_CSV))
        self.assertEqual(preview.summary(), {"create": 2, "update": 0, "skip": 0, "refuse": 0})
        first = preview.rows[0].data
        self.assertEqual(
            (first["source"], first["kind"], first["level"], first["is_directed"]),
            (self.union, "referrals", 2, True),
        )
        self.assertTrue(preview.can_apply)

    def test_each_bad_row_names_its_row_and_column(self):
        errors = self.errors(
            "source,target,kind,level,directed,wave\n"
            "Joliet Clinc,WWU,referrals,1,no,Baseline 2017\n"
            "WWU,wwu,referrals,1,no,Baseline 2017\n"
            "WWU,Joliet Clinic,referrals,7,no,Baseline 2017\n"
            "WWU,Joliet Clinic,gossip,1,no,Baseline 2017\n"
            "WWU,Joliet Clinic,referrals,1,no,Wave 1999\n"
            "WWU,Joliet Clinic,referrals,1,maybe,Baseline 2017\n"
        )
        by_row = {number: (column, message) for number, column, message in errors}
        self.assertEqual(by_row[2][0], "source")
        self.assertIn("Close names: Joliet Clinic", by_row[2][1])
        self.assertEqual(by_row[3], ("target", "An organization cannot have a tie with itself."))
        self.assertEqual(by_row[4][0], "level")
        self.assertIn("0 to 5", by_row[4][1])
        self.assertEqual(by_row[5][0], "kind")
        self.assertIn("Valid kinds: information, referrals", by_row[5][1])
        self.assertEqual(by_row[6][0], "wave")
        self.assertIn("Valid waves: After 2019; Baseline 2017", by_row[6][1])
        self.assertEqual(by_row[7][0], "directed")

    def test_a_duplicate_within_the_file_is_refused_in_either_order_when_undirected(self):
        errors = self.errors(
            "source,target,kind,wave\n"
            "WWU,Joliet Clinic,referrals,Baseline 2017\n"
            "Joliet Clinic,Warehouse Workers United,Referrals,Baseline 2017\n"
            "Joliet Clinic,WWU,referrals,After 2019\n"
        )
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0][:2], (3, "target"))
        self.assertIn("row 2", errors[0][2])

    def test_a_stored_tie_is_skipped(self):
        factories.tie(self.wave, self.clinic, self.union, "referrals")
        preview = importing.preview_ties(
            table("source,target,kind,wave\nWWU,Joliet Clinic,referrals,Baseline 2017\n")
        )
        self.assertEqual(preview.rows[0].action, "skip")
        self.assertTrue(preview.can_apply)

    def test_derived_rows_of_an_export_are_skipped_and_other_provenances_refused(self):
        preview = importing.preview_ties(
            table(
                "source,target,kind,wave,provenance\n"
                "WWU,Joliet Clinic,referrals,Baseline 2017,initiative\n"
                "WWU,Joliet Clinic,funding,Baseline 2017,gossip\n"
                "WWU,Joliet Clinic,data sharing,Baseline 2017,Interview\n"
            )
        )
        self.assertEqual([row.action for row in preview.rows], ["skip", "refuse", "create"])
        self.assertEqual(preview.rows[2].data["provenance"], "interview")

    def test_a_file_without_the_required_columns_or_a_wave_is_refused(self):
        preview = importing.preview_ties(table("source,kind\nWWU,referrals\n"))
        self.assertIn("no column target", preview.file_errors[0])
        preview = importing.preview_ties(table("source,target,kind\nWWU,Joliet Clinic,referrals\n"))
        self.assertIn("no column wave", preview.file_errors[0])
        preview = importing.preview_ties(
            table("source,target,kind\nWWU,Joliet Clinic,referrals\n"), default_wave=self.wave
        )
        self.assertEqual(preview.rows[0].wave, self.wave)

    def test_kumu_connections_read_by_label_or_id(self):
        data = importing.read_kumu(json.dumps(KUMU).encode())
        preview = importing.preview_ties(data, default_wave=self.later, is_kumu=True)
        self.assertEqual(preview.count("create"), 2)
        first, second = (row.data for row in preview.rows)
        self.assertEqual(
            (first["source"], first["target"], first["level"], first["is_directed"]),
            (self.union, self.clinic, 3, True),
        )
        self.assertEqual((second["kind"], second["is_directed"]), ("funding", False))

    def test_kumu_errors_name_the_connection_and_its_field(self):
        document = {"elements": [], "connections": [{"from": "Nobody", "to": "Joliet Clinic", "type": "x"}]}
        preview = importing.preview_ties(
            importing.read_kumu(json.dumps(document).encode()), default_wave=self.wave, is_kumu=True
        )
        columns = [column for column, _message in preview.rows[0].errors]
        self.assertEqual(columns, ["from", "type"])

    def test_a_malformed_kumu_file_is_one_clear_message(self):
        from healthywork.core.tabular import TableError

        with self.assertRaisesMessage(TableError, "connections"):
            importing.read_kumu(b'{"elements": []}')
        with self.assertRaisesMessage(TableError, "malformed"):
            importing.read_kumu(b'{"connections": [')


class ImportViewTests(ImportTestCase):
    def setUp(self):
        self.login(self.facilitator)

    def stage(self, content: bytes, name: str = "ties.csv", wave=None) -> str:
        data = {"file": SimpleUploadedFile(name, content)}
        if wave is not None:
            data["wave"] = wave.pk
        response = self.client.post(reverse("network:tie-import"), data)
        self.assertEqual(response.status_code, 302)
        return response["Location"]

    def test_an_upload_is_previewed_then_written_on_confirmation(self):
        url = self.stage(GOOD_CSV.encode())
        response = self.client.get(url)
        self.assertContains(response, "2 to create")
        self.assertFalse(Tie.objects.exists())
        response = self.client.post(url, {"confirm": "1"})
        self.assertRedirects(response, reverse("network:index"))
        self.assertEqual(Tie.objects.filter(wave=self.wave).count(), 2)
        self.assertEqual(AuditEvent.objects.filter(actor=self.facilitator, action="create").count(), 2)
        self.assertFalse(StagedUpload.objects.exists())

    def test_a_kumu_upload_goes_to_the_chosen_wave(self):
        url = self.stage(json.dumps(KUMU).encode(), "map.json", wave=self.later)
        response = self.client.post(url, {"confirm": "1"})
        self.assertRedirects(response, reverse("network:tie-list", args=[self.later.public_id]))
        self.assertEqual(Tie.objects.filter(wave=self.later).count(), 2)

    def test_a_refused_row_blocks_everything(self):
        url = self.stage((GOOD_CSV + "WWU,Nobody,referrals,1,no,Baseline 2017,\n").encode())
        response = self.client.post(url, {"confirm": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "No organization is called “Nobody”", status_code=400)
        self.assertFalse(Tie.objects.exists())

    def test_an_unreadable_file_sends_back_to_the_upload_with_a_message(self):
        url = self.stage(b"\x00\x01binary", "ties.csv")
        response = self.client.get(url, follow=True)
        self.assertContains(response, "binary data")
        self.assertFalse(StagedUpload.objects.exists())

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=10)
    def test_a_file_over_the_limit_is_refused(self):
        response = self.client.post(
            reverse("network:tie-import"), {"file": SimpleUploadedFile("t.csv", GOOD_CSV.encode())}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("limit", str(response.context["form"].errors["file"]))

    def test_it_needs_login_and_read_only_roles_get_403(self):
        self.assertNeedsLogin(reverse("network:tie-import"))
        self.login(self.viewer)
        response = self.client.post(
            reverse("network:tie-import"), {"file": SimpleUploadedFile("t.csv", GOOD_CSV.encode())}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(StagedUpload.objects.exists())

    def test_someone_elses_staged_upload_is_404(self):
        url = self.stage(GOOD_CSV.encode())
        self.login(self.administrator)
        self.assertEqual(self.client.get(url).status_code, 404)


class ImportCommandTests(ImportTestCase):
    def run_import(self, content: str, *args: str) -> str:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "ties.csv"
            path.write_text(content, encoding="utf-8")
            stdout = io.StringIO()
            call_command("import", "ties", str(path), *args, stdout=stdout, stderr=io.StringIO())
            return stdout.getvalue()

    def test_it_imports_and_a_dry_run_writes_nothing(self):
        output = self.run_import(GOOD_CSV, "--dry-run")
        self.assertIn("2 to create", output)
        self.assertFalse(Tie.objects.exists())
        output = self.run_import(GOOD_CSV)
        self.assertIn("2 created", output)
        self.assertEqual(Tie.objects.count(), 2)
        output = self.run_import(GOOD_CSV)
        self.assertIn("2 skipped", output)

    def test_a_refused_row_is_printed_and_nothing_written(self):
        with self.assertRaises(CommandError):
            self.run_import(GOOD_CSV + "WWU,Joliet Clinic,gossip,1,no,Baseline 2017,\n")
        self.assertFalse(Tie.objects.exists())
        stdout = io.StringIO()
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "ties.csv"
            path.write_text("source,target,kind,wave\nWWU,WWU,referrals,Baseline 2017\n", encoding="utf-8")
            with self.assertRaises(CommandError):
                call_command("import", "ties", str(path), stdout=stdout)
        output = stdout.getvalue()
        self.assertIn("Row 2, target: An organization cannot have a tie with itself.", output)


class KumuCommandTests(ImportTestCase):
    def run_import(self, document: dict, *args: str, name: str = "map.json") -> str:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / name
            path.write_text(json.dumps(document), encoding="utf-8")
            stdout = io.StringIO()
            try:
                call_command("import", "ties", str(path), *args, stdout=stdout, stderr=io.StringIO())
            except CommandError as error:
                return stdout.getvalue() + f"CommandError: {error}"
            return stdout.getvalue()

    def with_wave(self, name: str) -> dict:
        connections = [{**connection, "wave": name} for connection in KUMU["connections"]]
        return {**KUMU, "connections": connections}

    def test_a_kumu_file_imports_into_the_wave_its_connections_name_and_a_dry_run_writes_nothing(self):
        output = self.run_import(self.with_wave("after 2019"), "--dry-run")
        self.assertIn("2 to create", output)
        self.assertIn("Dry run", output)
        self.assertFalse(Tie.objects.exists())
        output = self.run_import(self.with_wave("after 2019"))
        self.assertIn("2 created", output)
        referral = Tie.objects.get(kind="referrals")
        self.assertEqual((referral.source, referral.target, referral.level), (self.union, self.clinic, 3))
        self.assertTrue(referral.is_directed)
        self.assertEqual(set(Tie.objects.values_list("wave", flat=True)), {self.later.pk})
        self.assertFalse(Tie.objects.get(kind="funding").is_directed)
        self.assertIn("Connection 1 skipped", self.run_import(self.with_wave("after 2019")))

    def test_a_kumu_file_without_waves_needs_one_when_there_are_several(self):
        output = self.run_import(KUMU)
        self.assertIn("Connections 1, 2 of the Kumu file name no wave", output)
        self.assertIn("After 2019; Baseline 2017", output)
        self.assertIn("Nothing was written", output)
        self.assertFalse(Tie.objects.exists())

    def test_with_one_wave_a_kumu_file_may_leave_the_wave_out(self):
        self.later.delete()
        self.assertIn("2 created", self.run_import(KUMU))
        self.assertEqual(set(Tie.objects.values_list("wave", flat=True)), {self.wave.pk})

    def test_one_bad_connection_refuses_the_file_with_its_number_and_field(self):
        document = self.with_wave("Baseline 2017")
        document["connections"].append(
            {"from": "e1", "to": "Nobody Known", "type": "gossip", "level": 9, "wave": "Baseline 2017"}
        )
        output = self.run_import(document)
        self.assertIn("Connection 3, to: No organization is called “Nobody Known”", output)
        self.assertIn("Connection 3, type: Unknown kind “gossip”", output)
        self.assertIn("Connection 3, level:", output)
        self.assertIn("2 to create", output)
        self.assertIn("CommandError: Nothing was written", output)
        self.assertFalse(Tie.objects.exists())

    def test_an_unknown_wave_and_a_self_tie_are_named(self):
        document = {
            "elements": KUMU["elements"],
            "connections": [
                {"from": "e1", "to": "e1", "type": "funding", "wave": "Baseline 2017"},
                {"from": "e1", "to": "e2", "type": "funding", "wave": "2030"},
            ],
        }
        output = self.run_import(document)
        self.assertIn("Connection 1, to: An organization cannot have a tie with itself.", output)
        self.assertIn("Connection 2, wave: Unknown wave “2030”", output)

    def test_a_malformed_file_or_an_element_without_label_is_one_message(self):
        output = self.run_import({"elements": [{"_id": "e7"}], "connections": []})
        self.assertIn("Element 1 (id “e7”) of the Kumu file has no label.", output)
        output = self.run_import({"elements": [], "connections": ["e1"]})
        self.assertIn("Connection 1 of the Kumu file is not an object.", output)

    def test_a_wave_exported_as_kumu_imports_back_and_derived_ties_are_skipped(self):
        factories.tie(self.wave, self.union, self.clinic, kind="referrals", is_directed=True)
        content, _type = exporting.export_ties(self.wave, {}, "kumu")
        document = json.loads(content)
        document["connections"].append({**document["connections"][0], "provenance": "initiative"})
        Tie.objects.all().delete()
        output = self.run_import(document)
        self.assertIn("1 created", output)
        self.assertIn("Connection 2 skipped: Derived ties", output)
        self.assertEqual(Tie.objects.get().wave, self.wave)
