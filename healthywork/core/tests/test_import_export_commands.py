"""`healthywork import` and `healthywork export` on the command line."""

import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from openpyxl import load_workbook

from healthywork.core.models import AuditEvent
from healthywork.core.tabular import export_bytes, read_table
from healthywork.core.tests.base import make_user
from healthywork.partners.models import Organization
from healthywork.partners.tests import factories


class CommandTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.facilitator = make_user("fran", "facilitator")
        cls.union = factories.organization("Warehouse Workers United", "labor", aliases="WWU", state="IL")
        cls.clinic = factories.organization("Joliet Clinic", "healthcare", state="IL", level="regional")
        cls.federation = factories.organization("State Labor Federation", "labor", state="WI")

    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = Path(directory.name)

    def file(self, content: bytes | str, name: str = "organizations.csv") -> str:
        path = self.directory / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return str(path)

    def run_command(self, *args, **options) -> str:
        stdout = io.StringIO()
        call_command(*args, stdout=stdout, stderr=io.StringIO(), **options)
        return stdout.getvalue()

    def run_failing(self, *args, **options) -> tuple[str, str]:
        stdout = io.StringIO()
        with self.assertRaises(CommandError) as error:
            call_command(*args, stdout=stdout, stderr=io.StringIO(), **options)
        return stdout.getvalue(), str(error.exception)


class ImportCommandTests(CommandTestCase):
    def test_it_imports_a_good_file(self):
        path = self.file("name,sector,city\nArise Chicago,labor,Chicago\nLegal Aid,Legal,\n")
        output = self.run_command("import", "organizations", path)
        self.assertIn("2 created", output)
        self.assertTrue(Organization.objects.filter(name="Arise Chicago", city="Chicago").exists())
        self.assertTrue(Organization.objects.filter(name="Legal Aid", sector__slug="legal").exists())
        self.assertEqual(AuditEvent.objects.filter(action="create", actor=None).count(), 2)

    def test_it_imports_an_xlsx_file(self):
        content, _content_type = export_bytes("xlsx", ["name", "sector"], [["Arise Chicago", "Labor"]])
        self.run_command("import", "organizations", self.file(content, "organizations.xlsx"))
        self.assertTrue(Organization.objects.filter(name="Arise Chicago").exists())

    def test_the_audit_trail_names_the_user_given_with_as(self):
        path = self.file("name,sector\nArise Chicago,labor\n")
        self.run_command("import", "organizations", path, "--as", "fran")
        event = AuditEvent.objects.get(action="create")
        self.assertEqual(event.actor, self.facilitator)

    def test_an_unknown_user_is_refused_before_anything_is_read(self):
        path = self.file("name,sector\nArise Chicago,labor\n")
        _output, message = self.run_failing("import", "organizations", path, "--as", "nobody")
        self.assertIn("nobody", message)
        self.assertFalse(Organization.objects.filter(name="Arise Chicago").exists())

    def test_a_bad_file_prints_every_reason_and_writes_nothing(self):
        path = self.file(
            "name,sector,level\nArise Chicago,labor,local\nClinic,nowhere,local\n,labor,global\n"
        )
        output, message = self.run_failing("import", "organizations", path)
        self.assertIn("Row 3, sector: Unknown sector “nowhere”", output)
        self.assertIn("Valid sectors:", output)
        self.assertIn("Row 4, name: The name is missing.", output)
        self.assertIn("Row 4, level: Unknown level “global”", output)
        self.assertIn("2 refused", output)
        self.assertIn("Nothing was written", message)
        self.assertFalse(Organization.objects.filter(name="Arise Chicago").exists())
        self.assertFalse(AuditEvent.objects.exists())

    def test_a_file_that_cannot_be_read_exits_with_its_reason(self):
        path = self.file("name,sector\nCafé Workers,labor\n".encode("cp1252"))
        _output, message = self.run_failing("import", "organizations", path)
        self.assertIn("not UTF-8", message)
        self.assertIn("line 2", message)

    def test_a_missing_file_exits_with_its_reason(self):
        _output, message = self.run_failing("import", "organizations", str(self.directory / "nothing.csv"))
        self.assertIn("nothing.csv", message)

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=20)
    def test_a_file_over_the_limit_is_refused(self):
        path = self.file("name,sector\nArise Chicago,labor\n")
        _output, message = self.run_failing("import", "organizations", path)
        self.assertIn("limit", message)

    def test_a_file_without_the_required_columns_is_refused(self):
        _output, message = self.run_failing("import", "organizations", self.file("title\nArise Chicago\n"))
        self.assertIn("Nothing was written", message)

    def test_a_dry_run_writes_nothing(self):
        path = self.file("name,sector\nArise Chicago,labor\n")
        output = self.run_command("import", "organizations", path, "--dry-run")
        self.assertIn("1 to create", output)
        self.assertIn("Dry run", output)
        self.assertFalse(Organization.objects.filter(name="Arise Chicago").exists())

    def test_a_dry_run_with_refused_rows_fails(self):
        path = self.file("name,sector\nArise Chicago,nowhere\n")
        output, _message = self.run_failing("import", "organizations", path, "--dry-run")
        self.assertIn("Row 2, sector", output)

    def test_a_duplicate_is_refused_without_on_duplicate(self):
        path = self.file("name,sector,city\nwwu,labor,Joliet\n")
        output, _message = self.run_failing("import", "organizations", path)
        self.assertIn("Row 2, name:", output)
        self.assertIn("--on-duplicate", output)
        self.union.refresh_from_db()
        self.assertEqual(self.union.city, "")

    def test_on_duplicate_update(self):
        path = self.file("name,sector,city\nWarehouse Workers United,labor,Joliet\n")
        output = self.run_command("import", "organizations", path, "--on-duplicate", "update")
        self.assertIn("1 updated", output)
        self.union.refresh_from_db()
        self.assertEqual(self.union.city, "Joliet")

    def test_on_duplicate_merge(self):
        # A new name that is a duplicate through its alias.
        path = self.file("name,aliases,sector,city,state\nWWU Local 7,WWU,labor,Joliet,WI\n")
        output = self.run_command("import", "organizations", path, "--on-duplicate", "merge")
        self.assertIn("1 merged", output)
        self.union.refresh_from_db()
        self.assertEqual((self.union.city, self.union.state), ("Joliet", "IL"))
        self.assertIn("WWU Local 7", self.union.alias_list)

    def test_on_duplicate_skip(self):
        path = self.file("name,sector,city\nwwu,labor,Joliet\nArise Chicago,labor,\n")
        output = self.run_command("import", "organizations", path, "--on-duplicate", "skip")
        self.assertIn("1 created", output)
        self.assertIn("1 skipped", output)
        self.union.refresh_from_db()
        self.assertEqual(self.union.city, "")

    def test_an_unknown_on_duplicate_is_refused(self):
        path = self.file("name,sector\nwwu,labor\n")
        with self.assertRaises(CommandError):
            call_command("import", "organizations", path, "--on-duplicate", "replace")

    def test_an_unknown_kind_lists_the_valid_ones(self):
        path = self.file("name,sector\nArise Chicago,labor\n")
        _output, message = self.run_failing("import", "widgets", path)
        self.assertIn("widgets", message)
        self.assertIn("organizations", message)


class ExportCommandTests(CommandTestCase):
    def export(self, *args: str, fmt: str = "csv") -> Path:
        out = self.directory / f"export.{fmt}"
        self.run_command("export", "organizations", "--format", fmt, "--out", str(out), *args)
        return out

    def names_in(self, path: Path) -> list[str]:
        return [values["name"] for _number, values in read_table(path.read_bytes(), path.name).rows]

    def test_it_exports_csv(self):
        path = self.export()
        self.assertEqual(
            self.names_in(path),
            ["Joliet Clinic", "State Labor Federation", "Warehouse Workers United"],
        )
        self.assertTrue(path.read_bytes().startswith("\ufeffid,name,aliases".encode()))

    def test_it_exports_xlsx(self):
        path = self.export(fmt="xlsx")
        sheet = load_workbook(path).worksheets[0]
        self.assertEqual(sheet["B1"].value, "name")
        self.assertEqual(sheet.max_row, 4)

    def test_it_exports_json(self):
        records = json.loads(self.export(fmt="json").read_text())
        self.assertEqual(len(records), 3)
        union = next(record for record in records if record["name"] == "Warehouse Workers United")
        self.assertEqual(
            (union["id"], union["aliases"], union["sector"]), (str(self.union.public_id), "WWU", "Labor")
        )

    def test_it_leaves_out_merged_organizations(self):
        factories.organization("Old Union", "labor", merged_into=self.union)
        self.assertNotIn("Old Union", self.names_in(self.export()))

    def test_filters_keep_the_matching_organizations(self):
        path = self.export("--filter", "sector=labor", "--filter", "state=IL")
        self.assertEqual(self.names_in(path), ["Warehouse Workers United"])
        path = self.export("--filter", "family=health")
        self.assertEqual(self.names_in(path), ["Joliet Clinic"])
        path = self.export("--filter", "level=regional")
        self.assertEqual(self.names_in(path), ["Joliet Clinic"])
        path = self.export("--filter", "q=federation")
        self.assertEqual(self.names_in(path), ["State Labor Federation"])

    def test_an_unknown_filter_is_refused_listing_the_valid_ones(self):
        _output, message = self.run_failing("export", "organizations", "--filter", "colour=red")
        self.assertIn("colour", message)
        self.assertIn("sector", message)

    def test_a_filter_value_that_is_not_a_choice_is_refused(self):
        _output, message = self.run_failing("export", "organizations", "--filter", "sector=unions")
        self.assertIn("sector", message)
        self.assertIn("unions", message)

    def test_a_filter_without_a_value_is_refused(self):
        _output, message = self.run_failing("export", "organizations", "--filter", "labor")
        self.assertIn("NAME=VALUE", message)

    def test_csv_goes_to_standard_output_without_out(self):
        output = self.run_command("export", "organizations", "--filter", "state=WI")
        self.assertIn("State Labor Federation", output)
        self.assertNotIn("Joliet Clinic", output)

    def test_xlsx_needs_a_file(self):
        _output, message = self.run_failing("export", "organizations", "--format", "xlsx")
        self.assertIn("--out", message)

    def test_an_unknown_kind_lists_the_valid_ones(self):
        _output, message = self.run_failing("export", "widgets")
        self.assertIn("organizations", message)

    def test_an_export_imports_back_as_updates(self):
        path = self.export(fmt="xlsx")
        output = self.run_command("import", "organizations", str(path))
        self.assertIn("0 created, 3 updated", output)
        self.assertEqual(Organization.objects.count(), 3)
