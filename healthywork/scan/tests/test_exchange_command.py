"""`healthywork qda export|import`."""

import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from healthywork.core.tests.base import make_user
from healthywork.scan.models import Code, Coding, Project, ProjectMember, ProjectRole
from healthywork.scan.tests import factories

FIXTURES = Path(__file__).resolve().parent / "refi"


def run(*args) -> str:
    out = io.StringIO()
    call_command("qda", *args, stdout=out)
    return out.getvalue()


class QdaCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.lead = make_user("lena", "administrator")
        cls.project = factories.project("Scan 2017")
        code = factories.code(cls.project, "Wages")
        document = factories.document(cls.project, title="Transcript")
        factories.coding_of(document, code, cls.lead, "Wage theft is common")

    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())

    def test_export_then_import_as_a_user(self):
        target = self.folder / "scan.qdpx"
        self.assertIn("Wrote", run("export", "--out", str(target)))
        output = run("import", str(target), "--as", "lena")
        self.assertIn("Codings: 1.", output)
        copy = Project.objects.get(name="Scan 2017 (2)")
        self.assertEqual(Coding.objects.get(document__project=copy).coder, self.lead)
        self.assertEqual(ProjectMember.objects.get(project=copy, user=self.lead).role, ProjectRole.LEAD)

    def test_export_names_the_projects_when_there_are_several(self):
        factories.project("Another scan")
        with self.assertRaisesMessage(CommandError, "“Another scan”, “Scan 2017”"):
            run("export", "--out", str(self.folder / "x.qdpx"))
        run("export", "--out", str(self.folder / "x.qdpx"), "--project", "Another scan")
        self.assertTrue((self.folder / "x.qdpx").exists())

    def test_a_dry_run_reports_and_writes_nothing(self):
        output = run("import", str(FIXTURES / "atlas-04-namespace.qdc"), "--dry-run")
        self.assertIn("Codes: 4 new", output)
        self.assertIn("Dry run: nothing was written.", output)
        self.assertEqual(Project.objects.count(), 1)

    def test_a_bad_file_exits_with_the_message(self):
        bad = self.folder / "bad.qdc"
        bad.write_bytes(b'<!DOCTYPE x [<!ENTITY e "x">]><CodeBook>&e;</CodeBook>')
        with self.assertRaisesMessage(CommandError, "refused for safety"):
            run("import", str(bad))
        self.assertEqual(Code.objects.count(), 1)

    def test_an_unknown_user_is_an_error(self):
        with self.assertRaisesMessage(CommandError, "No user is called “nobody”"):
            run("import", str(FIXTURES / "atlas-04-namespace.qdc"), "--as", "nobody")
