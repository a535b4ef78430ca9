"""The exchange pages: exports, the project import and the codebook merge (upload, preview, confirm)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from healthywork.core.models import StagedUpload
from healthywork.core.tests.base import PersonaTestCase
from healthywork.scan.models import Code, Coding, Project, ProjectRole
from healthywork.scan.tests import factories

CODEBOOK = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="11111111-2222-4333-8444-555555555555" name="Conditions" isCodable="true" color="#abc">
<Description>Working conditions.</Description>
<Code guid="11111111-2222-4333-8444-555555555556" name="Hours" isCodable="true"/></Code>
</Codes></CodeBook>"""
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CodeBook>&e;</CodeBook>'


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


class ExchangeViewTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = factories.project("Scan 2017")
        factories.member(cls.project, cls.coder, ProjectRole.CODER)
        factories.member(cls.project, cls.viewer, ProjectRole.READER)
        factories.member(cls.project, cls.facilitator, ProjectRole.LEAD)
        code = factories.code(cls.project, "Wages", definition="Money owed.")
        document = factories.document(cls.project, title="Transcript A")
        factories.coding_of(document, code, cls.coder, "Wage theft is common")


class ExportViewTests(ExchangeViewTestCase):
    def test_a_member_downloads_the_project(self):
        self.login(self.viewer)
        response = self.client.get(reverse("scan:project-export-qdpx", args=[self.project.public_id]))
        self.assertEqual(response.status_code, 200)
        self.assertIn('filename="scan-2017.qdpx"', response["Content-Disposition"])
        with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
            self.assertIn(
                b"Wage theft is common",
                archive.read("project.qde")
                + b"".join(archive.read(name) for name in archive.namelist() if name.startswith("Sources/")),
            )

    def test_a_member_downloads_the_codebook(self):
        self.login(self.viewer)
        response = self.client.get(reverse("scan:codebook-export-qdc", args=[self.project.public_id]))
        self.assertEqual(response.status_code, 200)
        self.assertIn(b'name="Wages"', response.content)
        self.assertIn(b"<Description>Money owed.</Description>", response.content)

    def test_the_exchange_page_lists_exports_and_hides_imports_from_readers(self):
        self.login(self.viewer)
        response = self.client.get(reverse("scan:project-exchange", args=[self.project.public_id]))
        self.assertContains(response, reverse("scan:project-export-qdpx", args=[self.project.public_id]))
        self.assertNotContains(response, reverse("scan:codebook-import-qdc", args=[self.project.public_id]))

    def test_exports_need_login(self):
        for name in ("scan:project-export-qdpx", "scan:codebook-export-qdc", "scan:project-exchange"):
            self.assertNeedsLogin(reverse(name, args=[self.project.public_id]))

    def test_a_stranger_gets_404(self):
        self.login(self.evaluator)
        for name in ("scan:project-export-qdpx", "scan:codebook-export-qdc", "scan:project-exchange"):
            response = self.client.get(reverse(name, args=[self.project.public_id]))
            self.assertEqual(response.status_code, 404, name)


class ProjectImportViewTests(ExchangeViewTestCase):
    url = reverse("scan:project-import")

    def test_an_administrator_previews_then_confirms(self):
        self.login(self.administrator)
        response = self.client.post(self.url, {"file": upload(CODEBOOK, "codes.qdc")})
        staged = StagedUpload.objects.get(owner=self.administrator)
        self.assertRedirects(response, reverse("scan:project-import-preview", args=[staged.pk]))
        response = self.client.get(response["Location"])
        self.assertContains(response, "codes")
        self.assertEqual(response.context["report"].codes, 2)
        self.assertFalse(Project.objects.filter(name="codes").exists())
        response = self.client.post(
            reverse("scan:project-import-preview", args=[staged.pk]), {"confirm": "1", "name": "From NVivo"}
        )
        imported = Project.objects.get(name="From NVivo")
        self.assertRedirects(response, imported.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(Code.objects.filter(project=imported).count(), 2)
        self.assertFalse(StagedUpload.objects.filter(pk=staged.pk).exists())

    def test_an_unsafe_file_gets_a_clear_message_and_nothing_is_written(self):
        self.login(self.administrator)
        response = self.client.post(self.url, {"file": upload(XXE, "evil.qdc")}, follow=True)
        self.assertContains(response, "refused for safety", status_code=400)
        self.assertEqual(Project.objects.count(), 1)

    def test_a_wrong_kind_of_file_is_refused_by_the_form(self):
        self.login(self.administrator)
        response = self.client.post(self.url, {"file": upload(b"a,b", "codes.csv")})
        self.assertContains(response, "is not a .qdpx, .qde, .qdc file", status_code=400)

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=100)
    def test_a_file_over_the_limit_is_refused_by_the_form(self):
        self.login(self.administrator)
        response = self.client.post(self.url, {"file": upload(CODEBOOK, "codes.qdc")})
        self.assertContains(response, "the limit is", status_code=400)
        self.assertFalse(StagedUpload.objects.exists())

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url)

    def test_a_lead_without_the_ability_gets_403(self):
        self.login(self.facilitator)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, {"file": upload(CODEBOOK, "codes.qdc")}).status_code, 403)

    def test_someone_elses_staged_upload_is_404(self):
        staged = StagedUpload.objects.create(
            owner=self.facilitator, kind="refi-project", filename="x.qdc", data=CODEBOOK
        )
        self.login(self.administrator)
        response = self.client.get(reverse("scan:project-import-preview", args=[staged.pk]))
        self.assertEqual(response.status_code, 404)


class CodebookImportViewTests(ExchangeViewTestCase):
    def url(self, project=None):
        return reverse("scan:codebook-import-qdc", args=[(project or self.project).public_id])

    def test_a_lead_previews_then_merges(self):
        self.login(self.facilitator)
        response = self.client.post(self.url(), {"file": upload(CODEBOOK, "codes.qdc")})
        self.assertEqual(response.status_code, 302)
        response = self.client.get(response["Location"])
        self.assertEqual(response.context["report"].codes, 2)
        self.assertEqual(Code.objects.filter(project=self.project).count(), 1)
        response = self.client.post(response.request["PATH_INFO"], {"confirm": "1"})
        self.assertRedirects(
            response, reverse("scan:codebook", args=[self.project.public_id]), fetch_redirect_response=False
        )
        self.assertEqual(
            set(Code.objects.filter(project=self.project).values_list("name", flat=True)),
            {"Wages", "Conditions", "Hours"},
        )

    def test_a_bad_file_names_the_problem_and_changes_nothing(self):
        self.login(self.facilitator)
        broken = CODEBOOK.replace(b"</Codes>", b"")
        response = self.client.post(self.url(), {"file": upload(broken, "codes.qdc")}, follow=True)
        self.assertContains(response, "not well-formed XML (line", status_code=400)
        self.assertEqual(Code.objects.filter(project=self.project).count(), 1)

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url())

    def test_a_stranger_gets_404(self):
        self.login(self.evaluator)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_readers_and_coders_get_403(self):
        for user in (self.viewer, self.coder):
            self.login(user)
            self.assertEqual(self.client.get(self.url()).status_code, 403)
            response = self.client.post(self.url(), {"file": upload(CODEBOOK, "codes.qdc")})
            self.assertEqual(response.status_code, 403)
        self.assertEqual(Coding.objects.count(), 1)
        self.assertFalse(StagedUpload.objects.exists())
