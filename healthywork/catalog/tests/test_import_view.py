"""The web import of initiatives (upload, preview, confirm) and the export of the catalog."""

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from healthywork.catalog.models import Initiative
from healthywork.catalog.tests.test_importing import make_initiative
from healthywork.core.models import AuditEvent, StagedUpload
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.models import Organization
from healthywork.partners.tests import factories

IMPORT = reverse("catalog:initiative-import")
EXPORT = reverse("catalog:initiative-export")
GOOD_CSV = (
    b"title,lead_organization,partners,action_type,pse_class\n"
    b"Heat standard,WWU,Joliet Clinic (funder),legislation-regulation,policy\n"
    b"Rest breaks,Joliet Clinic,,training-education,individual\n"
)
MISSING_CSV = (
    b"title,lead_organization,partners,action_type,pse_class\n"
    b"Heat standard,Arise Chicago,Nobody Inc,legislation-regulation,policy\n"
    b"Rest breaks,WWU,arise chicago,training-education,individual\n"
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class ImportViewTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = factories.organization("Warehouse Workers United", "labor", aliases="WWU")
        cls.clinic = factories.organization("Joliet Clinic", "healthcare")


class ImportViewTests(ImportViewTestCase):
    def setUp(self):
        self.login(self.facilitator)

    def stage(self, content: bytes = GOOD_CSV, name: str = "initiatives.csv") -> str:
        response = self.client.post(IMPORT, {"file": upload(name, content)})
        staged = StagedUpload.objects.get(owner=self.facilitator, kind="initiatives")
        preview_url = reverse("catalog:initiative-import-preview", args=[staged.pk])
        self.assertRedirects(response, preview_url, fetch_redirect_response=False)
        return preview_url

    def test_the_upload_page_lists_the_columns(self):
        response = self.client.get(IMPORT)
        self.assertContains(response, "lead_organization")
        self.assertContains(response, "evidence_rating")

    def test_an_upload_is_previewed_then_written_on_confirmation(self):
        preview_url = self.stage()
        response = self.client.get(preview_url)
        self.assertContains(response, "Heat standard")
        self.assertContains(response, "2 to create")
        self.assertFalse(Initiative.objects.exists())

        response = self.client.post(preview_url, {"confirm": "1"})

        self.assertRedirects(response, reverse("catalog:index"))
        heat = Initiative.objects.get(title="Heat standard")
        self.assertEqual(heat.lead_organization, self.union)
        self.assertEqual(
            list(heat.partners.values_list("organization", "role")), [(self.clinic.pk, "funder")]
        )
        self.assertEqual(AuditEvent.objects.filter(actor=self.facilitator, action="create").count(), 2)
        self.assertFalse(StagedUpload.objects.exists())

    def test_a_json_upload_is_previewed(self):
        content = json.dumps(
            [
                {
                    "title": "Heat standard",
                    "lead_organization": "WWU",
                    "action_type": "research-data",
                    "pse_class": "policy",
                }
            ]
        ).encode()
        response = self.client.get(self.stage(content, "initiatives.json"))
        self.assertContains(response, "1 to create")

    def test_refused_rows_name_their_column_and_cannot_be_confirmed(self):
        preview_url = self.stage(
            b"title,lead_organization,action_type,pse_class,start_date,end_date\n"
            b"Good,WWU,research-data,policy,,\n"
            b",WWU,research-data,policy,,\n"
            b"Bad class,WWU,research-data,programme,,\n"
            b"Bad date,WWU,research-data,policy,2023-02-30,\n"
            b"Backwards,WWU,research-data,policy,2024-05-01,2024-01-01\n"
        )
        response = self.client.get(preview_url)
        self.assertContains(response, "4 refused", status_code=400)
        self.assertContains(response, "<strong>title</strong>: The title is missing", status_code=400)
        self.assertContains(response, "<strong>pse_class</strong>", status_code=400)
        self.assertContains(response, "policy, systems, environment, individual", status_code=400)
        self.assertContains(response, "<strong>start_date</strong>", status_code=400)
        self.assertContains(response, "<strong>end_date</strong>", status_code=400)
        self.assertContains(response, "disabled", status_code=400)

        response = self.client.post(preview_url, {"confirm": "1"})

        self.assertEqual(response.status_code, 400)
        self.assertFalse(Initiative.objects.exists())
        self.assertTrue(StagedUpload.objects.exists())

    def test_missing_organizations_are_offered_for_creation_or_mapping(self):
        preview_url = self.stage(MISSING_CSV)
        response = self.client.get(preview_url)
        self.assertContains(response, "Organizations not in the registry", status_code=400)
        self.assertContains(response, "<legend>Arise Chicago</legend>", count=1, status_code=400)
        self.assertContains(response, "<legend>Nobody Inc</legend>", count=1, status_code=400)
        self.assertContains(response, 'name="org-0-sector"', status_code=400)
        self.assertContains(response, 'name="org-1-target"', status_code=400)

        choices = {
            "org-0-name": "Arise Chicago",
            "org-0-action": "create",
            "org-0-sector": "labor",
            "org-1-name": "Nobody Inc",
            "org-1-action": "map",
            "org-1-target": "joliet clinic",
        }
        response = self.client.post(preview_url, {"recheck": "1", **choices})
        self.assertContains(response, "2 to create")
        self.assertFalse(Organization.objects.filter(name="Arise Chicago").exists())

        response = self.client.post(preview_url, {"confirm": "1", **choices})

        self.assertEqual(response.status_code, 302)
        arise = Organization.objects.get(name="Arise Chicago", sector__slug="labor")
        self.assertEqual(Initiative.objects.get(title="Heat standard").lead_organization, arise)
        self.assertEqual(
            list(
                Initiative.objects.get(title="Heat standard").partners.values_list("organization", flat=True)
            ),
            [self.clinic.pk],
        )
        self.assertFalse(Organization.objects.filter(name="Nobody Inc").exists())

    def test_creating_an_organization_without_a_sector_is_refused(self):
        preview_url = self.stage(MISSING_CSV)
        choices = {"org-0-name": "Arise Chicago", "org-0-action": "create", "org-0-sector": ""}
        response = self.client.post(preview_url, {"confirm": "1", **choices})
        self.assertContains(response, "Choose the sector", status_code=400)
        self.assertFalse(Organization.objects.filter(name="Arise Chicago").exists())
        self.assertFalse(Initiative.objects.exists())

    def test_a_duplicate_needs_a_choice_before_confirmation(self):
        existing = make_initiative("Heat standard", self.union, geography="Joliet")
        content = b"title,lead_organization,geography\nHeat standard,WWU,Chicago\n"
        preview_url = self.stage(content)
        response = self.client.get(preview_url)
        self.assertContains(response, 'name="row-2"')

        response = self.client.post(preview_url, {"confirm": "1", "row-2": ""})
        self.assertContains(response, "update or skip", status_code=400)

        response = self.client.post(preview_url, {"confirm": "1", "row-2": "update"})

        self.assertEqual(response.status_code, 302)
        existing.refresh_from_db()
        self.assertEqual(existing.geography, "Chicago")
        self.assertEqual(Initiative.objects.count(), 1)

    def test_a_file_that_is_not_a_table_is_refused_with_a_clear_message(self):
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
        response = self.client.get(self.stage(png, "logo.png"), follow=True)
        self.assertRedirects(response, IMPORT)
        self.assertContains(response, "not a CSV or XLSX file")
        self.assertFalse(StagedUpload.objects.exists())

    def test_malformed_json_is_refused_with_a_clear_message(self):
        response = self.client.get(self.stage(b'[{"title": ', "initiatives.json"), follow=True)
        self.assertContains(response, "The JSON file is malformed")

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=50)
    def test_a_file_over_the_limit_is_a_field_error(self):
        response = self.client.post(IMPORT, {"file": upload("big.csv", GOOD_CSV)})
        self.assertContains(response, "the limit is", status_code=400)
        self.assertFalse(StagedUpload.objects.exists())

    def test_a_new_upload_replaces_the_staged_one(self):
        self.stage()
        self.stage()
        self.assertEqual(StagedUpload.objects.filter(owner=self.facilitator).count(), 1)


class ImportPermissionTests(ImportViewTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(IMPORT)
        self.assertNeedsLogin(reverse("catalog:initiative-import-preview", args=[1]))
        self.assertNeedsLogin(EXPORT)

    def test_a_viewer_may_not_import(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(IMPORT).status_code, 403)
        response = self.client.post(IMPORT, {"file": upload("initiatives.csv", GOOD_CSV)})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(StagedUpload.objects.exists())

    def test_a_viewer_may_not_confirm_a_staged_upload(self):
        staged = StagedUpload.objects.create(
            owner=self.viewer, kind="initiatives", filename="initiatives.csv", data=GOOD_CSV
        )
        self.login(self.viewer)
        url = reverse("catalog:initiative-import-preview", args=[staged.pk])
        self.assertEqual(self.client.post(url, {"confirm": "1"}).status_code, 403)
        self.assertFalse(Initiative.objects.exists())

    def test_another_users_staged_upload_is_not_found(self):
        self.login(self.facilitator)
        self.client.post(IMPORT, {"file": upload("initiatives.csv", GOOD_CSV)})
        staged = StagedUpload.objects.get(owner=self.facilitator)
        url = reverse("catalog:initiative-import-preview", args=[staged.pk])
        self.login(self.administrator)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, {"confirm": "1"}).status_code, 404)
        self.assertFalse(Initiative.objects.exists())

    def test_an_organization_upload_is_not_an_initiative_upload(self):
        staged = StagedUpload.objects.create(
            owner=self.facilitator, kind="organizations", filename="o.csv", data=b"name,sector\nA,labor\n"
        )
        self.login(self.facilitator)
        url = reverse("catalog:initiative-import-preview", args=[staged.pk])
        self.assertEqual(self.client.get(url).status_code, 404)


class ExportViewTests(ImportViewTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.heat = make_initiative("=Heat standard", cls.union, summary="@risk")
        cls.breaks = make_initiative("Rest breaks", cls.clinic)

    def setUp(self):
        self.login(self.viewer)

    def test_it_exports_csv_with_formulas_neutralised(self):
        response = self.client.get(EXPORT, {"format": "csv"})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('filename="initiatives.csv"', response["Content-Disposition"])
        text = response.content.decode("utf-8-sig")
        self.assertIn("'=Heat standard", text)
        self.assertIn("'@risk", text)
        self.assertIn("Rest breaks", text)

    def test_it_exports_xlsx(self):
        response = self.client.get(EXPORT, {"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet["B1"].value, "title")
        self.assertEqual(
            sorted(sheet.cell(row, 2).value for row in (2, 3)), ["'=Heat standard", "Rest breaks"]
        )

    def test_it_exports_json(self):
        response = self.client.get(EXPORT, {"format": "json"})
        records = json.loads(response.content)
        self.assertEqual({record["title"] for record in records}, {"=Heat standard", "Rest breaks"})

    def test_it_exports_only_what_the_text_search_keeps(self):
        response = self.client.get(EXPORT, {"format": "json", "q": "rest"})
        self.assertEqual([record["title"] for record in json.loads(response.content)], ["Rest breaks"])

    def test_it_exports_only_what_the_catalog_facets_keep(self):
        response = self.client.get(EXPORT, {"format": "json", "pse_class": "systems"})
        self.assertEqual(json.loads(response.content), [])
        self.breaks.pse_class = "systems"
        self.breaks.save()
        response = self.client.get(EXPORT, {"format": "json", "pse_class": "systems", "sector": "healthcare"})
        self.assertEqual([record["title"] for record in json.loads(response.content)], ["Rest breaks"])

    def test_an_unknown_format_is_not_found(self):
        self.assertEqual(self.client.get(EXPORT, {"format": "pdf"}).status_code, 404)
