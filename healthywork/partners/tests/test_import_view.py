"""The web import: upload, preview row by row, confirm."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from healthywork.core.models import AuditEvent, StagedUpload
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.models import Organization
from healthywork.partners.tests import factories

IMPORT = reverse("partners:organization-import")
GOOD_CSV = b"name,sector,city\nArise Chicago,labor,Chicago\nCook County Health,public-health,\n"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class ImportViewTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = factories.organization("Warehouse Workers United", "labor", aliases="WWU")

    def setUp(self):
        self.login(self.facilitator)

    def stage(self, content: bytes = GOOD_CSV, name: str = "organizations.csv") -> str:
        response = self.client.post(IMPORT, {"file": upload(name, content)})
        staged = StagedUpload.objects.get(owner=self.facilitator)
        preview_url = reverse("partners:organization-import-preview", args=[staged.pk])
        self.assertRedirects(response, preview_url, fetch_redirect_response=False)
        return preview_url

    def test_the_upload_page_lists_the_columns(self):
        response = self.client.get(IMPORT)
        self.assertContains(response, "populations")

    def test_an_upload_is_previewed_then_written_on_confirmation(self):
        preview_url = self.stage()
        response = self.client.get(preview_url)
        self.assertContains(response, "Arise Chicago")
        self.assertContains(response, "Cook County Health")
        self.assertContains(response, "2 to create")
        self.assertFalse(Organization.objects.filter(name="Arise Chicago").exists())

        response = self.client.post(preview_url, {"confirm": "1"})

        self.assertRedirects(response, reverse("partners:organization-list"))
        self.assertTrue(Organization.objects.filter(name="Arise Chicago", city="Chicago").exists())
        self.assertTrue(AuditEvent.objects.filter(actor=self.facilitator, action="create").exists())
        self.assertFalse(StagedUpload.objects.exists())

    def test_a_new_upload_replaces_the_staged_one(self):
        self.stage()
        self.stage(b"name,sector\nClinic,healthcare\n")
        self.assertEqual(StagedUpload.objects.filter(owner=self.facilitator).count(), 1)

    def test_refused_rows_are_shown_and_cannot_be_confirmed(self):
        preview_url = self.stage(b"name,sector\nArise Chicago,labor\nClinic,nowhere\n")
        response = self.client.get(preview_url)
        self.assertContains(response, "Unknown sector", status_code=400)
        self.assertContains(response, "disabled", status_code=400)

        response = self.client.post(preview_url, {"confirm": "1"})

        self.assertEqual(response.status_code, 400)
        self.assertEqual(Organization.objects.count(), 1)
        self.assertTrue(StagedUpload.objects.exists())

    def test_a_duplicate_needs_a_choice_before_confirmation(self):
        preview_url = self.stage(b"name,sector,city\nWWU,labor,Joliet\n")
        response = self.client.get(preview_url)
        self.assertContains(response, 'name="row-2"')

        response = self.client.post(preview_url, {"confirm": "1", "row-2": ""})

        self.assertEqual(response.status_code, 400)
        self.union.refresh_from_db()
        self.assertEqual(self.union.city, "")

    def test_a_duplicate_is_updated_when_chosen(self):
        preview_url = self.stage(b"name,sector,city\nWWU,labor,Joliet\n")
        response = self.client.post(preview_url, {"recheck": "1", "row-2": "update"})
        self.assertContains(response, "1 to update")

        response = self.client.post(preview_url, {"confirm": "1", "row-2": "update"})

        self.assertRedirects(response, reverse("partners:organization-list"))
        self.union.refresh_from_db()
        self.assertEqual((self.union.name, self.union.city), ("WWU", "Joliet"))
        self.assertEqual(Organization.objects.count(), 1)

    def test_a_duplicate_is_merged_when_chosen(self):
        preview_url = self.stage(b"name,sector,city\nWWU Local 7,labor,Joliet\nwwu,labor,\n")
        self.client.post(preview_url, {"confirm": "1", "row-3": "merge"})
        self.union.refresh_from_db()
        self.assertEqual(self.union.name, "Warehouse Workers United")
        self.assertTrue(Organization.objects.filter(name="WWU Local 7").exists())

    def test_a_file_that_is_not_a_table_is_refused_with_a_clear_message(self):
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
        preview_url = self.stage(png, "logo.png")
        response = self.client.get(preview_url, follow=True)
        self.assertRedirects(response, IMPORT)
        self.assertContains(response, "not a CSV or XLSX file")
        self.assertFalse(StagedUpload.objects.exists())

    def test_a_file_without_the_required_columns_is_refused(self):
        preview_url = self.stage(b"title,city\nArise Chicago,Chicago\n")
        response = self.client.get(preview_url)
        self.assertContains(response, "The file has no column", status_code=400)

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=50)
    def test_a_file_over_the_limit_is_a_field_error(self):
        response = self.client.post(IMPORT, {"file": upload("big.csv", GOOD_CSV * 5)})
        self.assertContains(response, "the limit is", status_code=400)
        self.assertFalse(StagedUpload.objects.exists())

    def test_a_missing_file_is_a_field_error(self):
        response = self.client.post(IMPORT, {"file": ""})
        self.assertContains(response, "required", status_code=400)

    def test_it_needs_login(self):
        self.assertNeedsLogin(IMPORT)
        self.assertNeedsLogin(reverse("partners:organization-import-preview", args=[1]))

    def test_a_viewer_may_not_import(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(IMPORT).status_code, 403)
        response = self.client.post(IMPORT, {"file": upload("organizations.csv", GOOD_CSV)})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(StagedUpload.objects.exists())

    def test_a_team_member_may_not_import(self):
        self.login(self.member)
        self.assertEqual(self.client.get(IMPORT).status_code, 403)

    def test_another_users_staged_upload_is_not_found(self):
        preview_url = self.stage()
        self.login(self.administrator)
        self.assertEqual(self.client.get(preview_url).status_code, 404)
        self.assertEqual(self.client.post(preview_url, {"confirm": "1"}).status_code, 404)
        self.assertFalse(Organization.objects.filter(name="Arise Chicago").exists())
