"""`healthywork import initiatives` and `healthywork export initiatives` on the command line."""

import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from openpyxl import load_workbook

from healthywork.catalog.interchange import export_initiatives, import_initiatives
from healthywork.catalog.models import Initiative
from healthywork.catalog.tests.test_importing import make_initiative
from healthywork.core.models import AuditEvent
from healthywork.core.tabular import read_table
from healthywork.core.tests.base import make_user
from healthywork.partners.models import Organization
from healthywork.partners.tests import factories

HEADER = "title,lead_organization,partners,action_type,pse_class"
GOOD = f"{HEADER}\nHeat standard,WWU,Joliet Clinic (funder),legislation-regulation,policy\n"
MISSING = f"{HEADER}\nHeat standard,Arise Chicago,Nobody Inc,legislation-regulation,policy\n"


class CommandTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.facilitator = make_user("fran", "facilitator")
        cls.union = factories.organization("Warehouse Workers United", "labor", aliases="WWU")
        cls.clinic = factories.organization("Joliet Clinic", "healthcare")

    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = Path(directory.name)

    def file(self, content: bytes | str, name: str = "initiatives.csv") -> str:
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
        output = self.run_command("import", "initiatives", self.file(GOOD), "--as", "fran")
        self.assertIn("1 created", output)
        initiative = Initiative.objects.get(title="Heat standard")
        self.assertEqual(initiative.lead_organization, self.union)
        self.assertEqual(list(initiative.partners.values_list("role", flat=True)), ["funder"])
        self.assertTrue(AuditEvent.objects.filter(action="create", actor=self.facilitator).exists())

    def test_refused_rows_exit_non_zero_with_every_reason_and_write_nothing(self):
        path = self.file(
            f"{HEADER},start_date,end_date\n"
            "Good,WWU,,research-data,policy,,\n"
            ",WWU,,research-data,policy,,\n"
            "Bad class,WWU,,research-data,programme,,\n"
            "Bad date,WWU,,research-data,policy,2023-02-30,\n"
            "Backwards,WWU,,research-data,policy,2024-05-01,2024-01-01\n"
        )
        output, error = self.run_failing("import", "initiatives", path)
        self.assertIn("Row 3, title: The title is missing.", output)
        self.assertIn("Row 4, pse_class: Unknown value “programme”. Valid values: policy, systems", output)
        self.assertIn("Row 5, start_date: “2023-02-30” is not a real date.", output)
        self.assertIn("Row 6, end_date: The end date 2024-01-01 is before the start date 2024-05-01.", output)
        self.assertIn("1 to create", output)
        self.assertIn("4 refused", output)
        self.assertIn("Nothing was written", error)
        self.assertFalse(Initiative.objects.exists())

    def test_a_dry_run_writes_nothing(self):
        output = self.run_command("import", "initiatives", self.file(GOOD), "--dry-run")
        self.assertIn("1 to create", output)
        self.assertIn("Dry run", output)
        self.assertFalse(Initiative.objects.exists())

    def test_a_dry_run_with_refused_rows_fails(self):
        _output, error = self.run_failing("import", "initiatives", self.file(MISSING), "--dry-run")
        self.assertIn("Nothing was written", error)

    def test_an_unknown_organization_refuses_its_rows_naming_it(self):
        output, _error = self.run_failing("import", "initiatives", self.file(MISSING))
        self.assertIn("Row 2, lead_organization: No organization is called “Arise Chicago”", output)
        self.assertIn("Row 2, partners: No organization is called “Nobody Inc”", output)
        self.assertIn("--create-missing", output)
        self.assertFalse(Organization.objects.filter(name="Arise Chicago").exists())

    def test_a_duplicate_is_refused_without_on_duplicate(self):
        make_initiative("Heat standard", self.union)
        output, _error = self.run_failing("import", "initiatives", self.file(GOOD))
        self.assertIn("Row 2, title:", output)
        self.assertIn("--on-duplicate update or skip", output)

    def test_on_duplicate_update(self):
        existing = make_initiative("Heat standard", self.union, pse_class="systems")
        self.run_command("import", "initiatives", self.file(GOOD), "--on-duplicate", "update")
        existing.refresh_from_db()
        self.assertEqual(existing.pse_class, "policy")
        self.assertEqual(Initiative.objects.count(), 1)

    def test_on_duplicate_skip(self):
        existing = make_initiative("Heat standard", self.union, pse_class="systems")
        output = self.run_command("import", "initiatives", self.file(GOOD), "--on-duplicate", "skip")
        self.assertIn("1 skipped", output)
        existing.refresh_from_db()
        self.assertEqual(existing.pse_class, "systems")

    def test_on_duplicate_merge_is_refused_for_initiatives(self):
        make_initiative("Heat standard", self.union)
        output, _error = self.run_failing("import", "initiatives", self.file(GOOD), "--on-duplicate", "merge")
        self.assertIn("updated or skipped", output)

    def test_an_export_imports_back_as_updates(self):
        make_initiative("Heat standard", self.union, partners=[(self.clinic, "target")])
        out = self.directory / "initiatives.xlsx"
        self.run_command("export", "initiatives", "--format", "xlsx", "--out", str(out))
        output = self.run_command("import", "initiatives", str(out))
        self.assertIn("1 updated", output)
        self.assertEqual(Initiative.objects.count(), 1)
        self.assertEqual(list(Initiative.objects.get().partners.values_list("role", flat=True)), ["target"])


class CreateMissingTests(CommandTestCase):
    """`--create-missing SECTOR`: every organization the registry lacks is created in that sector."""

    def table(self, text: str = MISSING):
        return read_table(text.encode(), "initiatives.csv")

    def test_missing_organizations_are_created_in_the_sector(self):
        report = import_initiatives(self.table(), create_missing="nonprofit")
        self.assertTrue(report.is_written, report.problems)
        self.assertEqual(
            set(Organization.objects.filter(sector__slug="nonprofit").values_list("name", flat=True)),
            {"Arise Chicago", "Nobody Inc"},
        )
        self.assertEqual(Initiative.objects.get().lead_organization.name, "Arise Chicago")

    def test_a_dry_run_creates_nothing(self):
        report = import_initiatives(self.table(), create_missing="nonprofit", dry_run=True)
        self.assertEqual(report.summary["create"], 1)
        self.assertFalse(report.is_written)
        self.assertFalse(Organization.objects.filter(name="Arise Chicago").exists())

    def test_an_unknown_sector_is_refused_listing_the_valid_ones(self):
        report = import_initiatives(self.table(), create_missing="unions")
        self.assertIn("Valid sectors: business, education", report.problems[0][2])
        self.assertFalse(report.is_written)
        self.assertFalse(Initiative.objects.exists())

    def test_the_command_takes_create_missing(self):
        output = self.run_command(
            "import", "initiatives", self.file(MISSING), "--create-missing", "nonprofit"
        )
        self.assertIn("1 created", output)
        self.assertTrue(Organization.objects.filter(name="Nobody Inc", sector__slug="nonprofit").exists())


class ExportCommandTests(CommandTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_initiative("=Heat standard", cls.union, geography="+Illinois")
        make_initiative("Rest breaks", cls.clinic)

    def test_it_exports_csv_to_standard_output(self):
        output = self.run_command("export", "initiatives")
        self.assertTrue(output.lstrip("\ufeff").startswith("id,title,summary,lead_organization,partners"))
        self.assertIn("'=Heat standard", output)
        self.assertIn("'+Illinois", output)

    def test_it_exports_xlsx_to_a_file(self):
        out = self.directory / "initiatives.xlsx"
        output = self.run_command("export", "initiatives", "--format", "xlsx", "--out", str(out))
        self.assertIn(str(out), output)
        sheet = load_workbook(out).active
        self.assertEqual(sheet.max_row, 3)
        self.assertIn("'=Heat standard", [sheet.cell(row, 2).value for row in (2, 3)])

    def test_it_exports_json(self):
        records = json.loads(self.run_command("export", "initiatives", "--format", "json"))
        self.assertEqual(sorted(record["title"] for record in records), ["=Heat standard", "Rest breaks"])

    def test_a_text_filter_keeps_the_matching_initiatives(self):
        content = export_initiatives("json", {"q": "rest"})
        self.assertEqual([record["title"] for record in json.loads(content)], ["Rest breaks"])

    def test_a_facet_filter_keeps_the_matching_initiatives(self):
        output = self.run_command(
            "export", "initiatives", "--format", "json", "--filter", "sector=healthcare"
        )
        self.assertEqual([record["title"] for record in json.loads(output)], ["Rest breaks"])

    def test_an_unknown_filter_is_refused_listing_the_valid_ones(self):
        _output, error = self.run_failing("export", "initiatives", "--filter", "colour=red")
        self.assertIn("Unknown filter colour", error)
        self.assertIn("q, sector", error)
