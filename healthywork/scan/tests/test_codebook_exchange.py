"""The codebook's CSV/XLSX export and import (service and pages)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from healthywork.core import tabular
from healthywork.core.models import AuditEvent, StagedUpload
from healthywork.core.tests.base import PersonaTestCase
from healthywork.scan import codebook
from healthywork.scan.models import Code, ProjectRole
from healthywork.scan.tests import factories

HEADER = "path,name,parent_path,definition,when_to_use,when_not_to_use,example,colour,codings\n"


def table(text: str) -> tabular.Table:
    return tabular.read_table(text.encode(), "codebook.csv")


class ExportTests(PersonaTestCase):
    def test_the_export_lists_paths_parents_fields_and_visible_counts(self):
        project = factories.project()
        policy = factories.code(project, "Policy", definition="=Laws")
        wages = factories.code(project, "Minimum wage", parent=policy, colour="#009e73")
        document = factories.document(project)
        factories.coding_of(document, wages, self.coder, "Wage theft")
        rows = codebook.export_codebook_csv(project)
        self.assertEqual([row["path"] for row in rows], ["Policy", "Policy > Minimum wage"])
        self.assertEqual(rows[1]["parent_path"], "Policy")
        self.assertEqual((rows[1]["codings"], rows[1]["colour"]), (1, "#009e73"))

        content, _type = codebook.export_codebook_bytes(project, "csv")
        self.assertIn("'=Laws", content.decode("utf-8-sig"))  # neutralised for spreadsheets

    def test_an_export_imports_back_unchanged(self):
        project = factories.project()
        codebook.seed_scan_codebook(project)
        content, _type = codebook.export_codebook_bytes(project, "xlsx")
        copy = factories.project()
        preview = codebook.import_codebook_csv(
            copy, tabular.read_table(content, "codebook.xlsx"), by=self.administrator, dry_run=False
        )
        self.assertTrue(preview.applied)
        self.assertEqual(codebook.export_codebook_csv(copy), codebook.export_codebook_csv(project))


class ImportServiceTests(PersonaTestCase):
    def setUp(self):
        self.project = factories.project()
        self.policy = factories.code(self.project, "Policy")

    def test_rows_create_codes_under_existing_or_earlier_parents_and_update_existing_paths(self):
        preview = codebook.import_codebook_csv(
            self.project,
            table(
                HEADER + "Policy,Policy,,Laws about work.,,,,#009E73,4\n"
                ",Wages,Policy,,,,,,\n"
                ",Minimum wage,Policy > Wages,,,,,#0072b2,\n"
            ),
            by=self.administrator,
            dry_run=False,
        )
        self.assertEqual([row.action for row in preview.rows], ["update", "create", "create"])
        self.assertTrue(preview.applied)
        self.policy.refresh_from_db()
        self.assertEqual((self.policy.definition, self.policy.colour), ("Laws about work.", "#009e73"))
        wage = Code.objects.get(name="Minimum wage")
        self.assertEqual(wage.parent.parent, self.policy)
        self.assertEqual(AuditEvent.objects.filter(action="create").count(), 2)

    def test_a_dry_run_writes_nothing(self):
        preview = codebook.import_codebook_csv(
            self.project, table("name\nWages\n"), by=self.administrator, dry_run=True
        )
        self.assertEqual(preview.summary()["create"], 1)
        self.assertFalse(preview.applied)
        self.assertEqual(Code.objects.count(), 1)

    def test_bad_rows_are_refused_naming_row_and_column_and_nothing_is_written(self):
        preview = codebook.import_codebook_csv(
            self.project,
            table(
                "name,parent_path,colour\n"
                "Good,Policy,\n"
                ",Policy,\n"
                "Bad colour,,#12345\n"
                "Orphan,Nowhere > Else,\n"
                "Good,Policy,\n"
            ),
            by=self.administrator,
            dry_run=False,
        )
        self.assertFalse(preview.applied)
        refused = {row.number: row.errors for row in preview.refused}
        self.assertEqual(sorted(refused), [3, 4, 5, 6])
        self.assertEqual(refused[3][0][0], "name")
        self.assertEqual(refused[4][0][0], "colour")
        self.assertIn("#12345", refused[4][0][1])
        self.assertEqual(refused[5][0][0], "parent_path")
        self.assertEqual(refused[6][0], ("path", "The path is the same as row 2's."))
        self.assertEqual(Code.objects.count(), 1)

    def test_a_file_without_a_name_column_is_refused(self):
        preview = codebook.import_codebook_csv(self.project, table("title\nX\n"), by=None, dry_run=False)
        self.assertIn("no column name", preview.file_errors[0])
        self.assertFalse(preview.can_apply)


class ImportViewTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = factories.project()
        factories.member(cls.project, cls.facilitator, ProjectRole.LEAD)
        factories.member(cls.project, cls.evaluator, ProjectRole.READER)
        cls.import_url = reverse("scan:codebook-import-csv", args=[cls.project.public_id])
        cls.export_url = reverse("scan:codebook-export-csv", args=[cls.project.public_id])

    def stage(self, content: bytes, name: str = "codebook.csv") -> str:
        response = self.client.post(self.import_url, {"file": SimpleUploadedFile(name, content)})
        staged = StagedUpload.objects.get(owner=self.facilitator)
        url = reverse("scan:codebook-import-preview", args=[self.project.public_id, staged.pk])
        self.assertRedirects(response, url, fetch_redirect_response=False)
        return url

    def test_an_upload_is_previewed_then_written_on_confirmation(self):
        self.login(self.facilitator)
        self.assertContains(self.client.get(self.import_url), "parent_path")
        url = self.stage(b"name,parent_path\nPolicy,\nWages,Policy\n")
        response = self.client.get(url)
        self.assertContains(response, "2 to create")
        self.assertFalse(Code.objects.exists())
        response = self.client.post(url, {"confirm": "1"})
        self.assertRedirects(
            response, reverse("scan:codebook", args=[self.project.public_id]), fetch_redirect_response=False
        )
        self.assertEqual(Code.objects.get(name="Wages").parent.name, "Policy")
        self.assertFalse(StagedUpload.objects.exists())

    def test_refused_rows_are_shown_and_cannot_be_confirmed(self):
        self.login(self.facilitator)
        url = self.stage(b"name,colour\nPolicy,#12345\n")
        response = self.client.post(url, {"confirm": "1"})
        self.assertContains(response, "is not a colour", status_code=400)
        self.assertContains(response, "<strong>colour</strong>", status_code=400)
        self.assertFalse(Code.objects.exists())

    def test_an_unreadable_file_is_refused_with_a_message(self):
        self.login(self.facilitator)
        url = self.stage(b"\xff\xfe\x00bad", "codebook.xlsx")
        response = self.client.get(url, follow=True)
        self.assertContains(response, "not an XLSX file")
        self.assertFalse(StagedUpload.objects.exists())

    def test_the_export_downloads_csv_and_xlsx(self):
        factories.code(self.project, "Policy")
        self.login(self.evaluator)
        response = self.client.get(self.export_url)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("Policy", response.content.decode("utf-8-sig"))
        response = self.client.get(self.export_url, {"format": "xlsx"})
        self.assertEqual(response.content[:2], b"PK")
        self.assertEqual(self.client.get(self.export_url, {"format": "exe"}).status_code, 404)

    def test_login_stranger_and_reader_rules(self):
        self.assertNeedsLogin(self.import_url)
        self.assertNeedsLogin(self.export_url)
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.import_url).status_code, 404)
        self.assertEqual(self.client.get(self.export_url).status_code, 404)
        self.login(self.evaluator)
        upload = SimpleUploadedFile("codebook.csv", b"name\nX\n")
        self.assertEqual(self.client.post(self.import_url, {"file": upload}).status_code, 403)
        self.assertFalse(StagedUpload.objects.exists())

    def test_an_oversized_upload_is_refused(self):
        self.login(self.facilitator)
        with self.settings(HEALTHYWORK_MAX_UPLOAD_BYTES=10):
            response = self.client.post(
                self.import_url, {"file": SimpleUploadedFile("codebook.csv", io.BytesIO(b"x" * 50).read())}
            )
        self.assertContains(response, "the limit is", status_code=400)
        self.assertFalse(StagedUpload.objects.exists())
