"""Documents: the list, upload (file or pasted text), the metadata page, edit, delete, originals."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from healthywork.core.models import AuditEvent
from healthywork.scan.models import Coding, Document
from healthywork.scan.tests import factories
from healthywork.scan.tests.test_extract import make_docx
from healthywork.scan.tests.test_projects_views import ScanProjectTestCase

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@override_settings(STORAGES=IN_MEMORY)
class UploadTests(ScanProjectTestCase):
    def upload(self, **data):
        data.setdefault("language", "en")
        return self.client.post(self.url("documents/new/"), data)

    def test_a_docx_is_uploaded_titled_by_its_file_name_and_kept_as_original(self):
        interview = factories.interview(self.project)
        self.login(self.member)
        upload = SimpleUploadedFile("Union interview.docx", make_docx("Q: Hello?", "A: We organize."))
        response = self.upload(file=upload, interview=str(interview.public_id))
        document = Document.objects.get(project=self.project)
        self.assertRedirects(response, f"/scan/documents/{document.public_id}/")
        self.assertEqual(document.title, "Union interview")
        self.assertEqual(document.text, "Q: Hello?\n\nA: We organize.")
        self.assertEqual(document.word_count, 5)
        self.assertEqual(document.interview, interview)
        self.assertEqual(document.original_name, "Union interview.docx")
        self.assertTrue(document.original_file)
        self.assertEqual(document.created_by, self.member)
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(document.pk)).exists())

    def test_pasted_text_is_normalised(self):
        self.login(self.member)
        self.upload(pasted_text="Line one\r\nLine two", title="Field notes", language="es")
        document = Document.objects.get(project=self.project)
        self.assertEqual(
            (document.text, document.language, document.original_name), ("Line one\nLine two", "es", "")
        )

    def test_a_file_that_is_not_utf8_is_refused_with_its_name_and_position(self):
        self.login(self.member)
        response = self.upload(file=SimpleUploadedFile("notes.txt", b"caf\xe9"))
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            "notes.txt is not UTF-8 text (the byte at position 3", response.context["form"].errors["file"][0]
        )
        self.assertFalse(Document.objects.exists())

    def test_nothing_given_or_both_given_is_refused(self):
        self.login(self.member)
        response = self.upload(title="Empty")
        self.assertFormError(
            response.context["form"], "file", "Upload a file or paste the text of the document."
        )
        response = self.upload(file=SimpleUploadedFile("a.txt", b"text"), pasted_text="more")
        self.assertFormError(
            response.context["form"], "pasted_text", "Upload a file or paste text, not both."
        )
        self.assertFalse(Document.objects.exists())

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=10)
    def test_a_file_over_the_limit_is_refused(self):
        self.login(self.member)
        response = self.upload(file=SimpleUploadedFile("big.txt", b"x" * 20))
        self.assertEqual(response.status_code, 400)
        self.assertIn("the limit is", response.context["form"].errors["file"][0])
        self.assertFalse(Document.objects.exists())

    def test_a_coder_gets_403_a_stranger_404(self):
        self.login(self.coder)
        self.assertEqual(self.upload(pasted_text="x", title="x").status_code, 403)
        self.login(self.stranger)
        self.assertEqual(self.client.get(self.url("documents/new/")).status_code, 404)
        self.assertFalse(Document.objects.exists())

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url("documents/new/"))


class ListDetailTests(ScanProjectTestCase):
    def setUp(self):
        self.document = factories.document(
            self.project,
            title="Union transcript",
            text="Participant 1 trains workers.",
            original_text="Maria Lopez trains workers.",
            is_deidentified=True,
        )
        factories.coding_of(self.document, factories.code(self.project), self.coder, "trains")

    def test_the_list_shows_documents_with_words_and_codings(self):
        self.login(self.viewer)
        response = self.client.get(self.url("documents/"))
        self.assertContains(response, "Union transcript")
        self.assertEqual(response.context["page"][0].coding_count, 1)
        self.assertEqual(response.context["page"][0].word_count, 4)

    def test_the_list_and_detail_need_login_and_hide_from_strangers(self):
        self.assertNeedsLogin(self.url("documents/"))
        self.assertNeedsLogin(f"/scan/documents/{self.document.public_id}/")
        self.login(self.stranger)
        self.assertEqual(self.client.get(self.url("documents/")).status_code, 404)
        self.assertEqual(self.client.get(f"/scan/documents/{self.document.public_id}/").status_code, 404)

    def test_only_administrators_read_the_original_text(self):
        url = f"/scan/documents/{self.document.public_id}/"
        for user in (self.member, self.coder, self.viewer):
            self.login(user)
            response = self.client.get(url)
            self.assertContains(response, "Participant 1 trains")
            self.assertNotContains(response, "Maria Lopez")
        self.login(self.administrator)
        self.assertContains(self.client.get(url), "Maria Lopez trains workers.")

    def test_only_administrators_download_the_original_file(self):
        url = f"/scan/documents/{self.document.public_id}/original/"
        self.login(self.member)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.administrator)
        self.assertEqual(self.client.get(url).status_code, 404)  # pasted: there is no file


class EditDeleteTests(ScanProjectTestCase):
    def setUp(self):
        self.document = factories.document(self.project, title="Old title")
        factories.coding_of(self.document, factories.code(self.project), self.coder, "Wage theft")

    def test_the_lead_edits_the_metadata(self):
        self.login(self.member)
        response = self.client.post(
            f"/scan/documents/{self.document.public_id}/edit/", {"title": "New title", "language": "es"}
        )
        self.assertRedirects(response, f"/scan/documents/{self.document.public_id}/")
        self.document.refresh_from_db()
        self.assertEqual((self.document.title, self.document.language), ("New title", "es"))

    def test_an_empty_title_is_refused(self):
        self.login(self.member)
        response = self.client.post(
            f"/scan/documents/{self.document.public_id}/edit/", {"title": "", "language": "en"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("title", response.context["form"].errors)

    def test_delete_asks_first_then_removes_the_document_and_its_codings(self):
        url = f"/scan/documents/{self.document.public_id}/delete/"
        self.login(self.member)
        self.assertContains(self.client.get(url), "its 1 coding are removed")
        self.assertTrue(Document.objects.filter(pk=self.document.pk).exists())
        self.assertRedirects(self.client.post(url), self.url("documents/"))
        self.assertFalse(Document.objects.filter(pk=self.document.pk).exists())
        self.assertFalse(Coding.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(action="delete", object_pk=str(self.document.pk)).exists())

    def test_a_coder_gets_403_and_a_stranger_404(self):
        self.login(self.coder)
        self.assertEqual(
            self.client.post(f"/scan/documents/{self.document.public_id}/delete/").status_code, 403
        )
        self.assertEqual(
            self.client.post(f"/scan/documents/{self.document.public_id}/edit/", {"title": "X"}).status_code,
            403,
        )
        self.login(self.stranger)
        self.assertEqual(
            self.client.post(f"/scan/documents/{self.document.public_id}/delete/").status_code, 404
        )
        self.assertTrue(Document.objects.filter(pk=self.document.pk, title="Old title").exists())
