"""The pseudonym table (add, edit, delete, CSV import) and the de-identification page."""

from django.core.files.uploadedfile import SimpleUploadedFile

from healthywork.core.models import AuditEvent
from healthywork.scan.models import Pseudonym
from healthywork.scan.tests import factories
from healthywork.scan.tests.test_projects_views import ScanProjectTestCase


def csv_file(text: str, name: str = "names.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


class PseudonymTests(ScanProjectTestCase):
    def test_the_lead_adds_edits_and_removes_a_name(self):
        self.login(self.member)
        response = self.client.post(self.url("pseudonyms/"), {"name": " Maria  Lopez ", "pseudonym": "P1"})
        self.assertRedirects(response, self.url("pseudonyms/"))
        item = Pseudonym.objects.get(project=self.project)
        self.assertEqual(item.name, "Maria Lopez")
        self.client.post(
            self.url(f"pseudonyms/{item.pk}/"), {"name": "Maria Lopez", "pseudonym": "Participant 1"}
        )
        item.refresh_from_db()
        self.assertEqual(item.pseudonym, "Participant 1")
        self.client.post(self.url(f"pseudonyms/{item.pk}/delete/"))
        self.assertFalse(Pseudonym.objects.exists())
        self.assertEqual(AuditEvent.objects.filter(content_type__model="pseudonym").count(), 3)

    def test_a_name_already_in_the_table_is_refused(self):
        Pseudonym.objects.create(project=self.project, name="Maria", pseudonym="P1")
        self.login(self.member)
        response = self.client.post(self.url("pseudonyms/"), {"name": "maria", "pseudonym": "P2"})
        self.assertEqual(response.status_code, 400)
        self.assertFormError(response.context["form"], "name", "maria already has a pseudonym.")

    def test_import_adds_and_updates_rows(self):
        Pseudonym.objects.create(project=self.project, name="Maria", pseudonym="P1")
        self.login(self.member)
        response = self.client.post(
            self.url("pseudonyms/import/"), {"file": csv_file("name,pseudonym\nmaria,P9\nJo Smith,P2\n")}
        )
        self.assertRedirects(response, self.url("pseudonyms/"))
        self.assertEqual(
            dict(self.project.pseudonyms.values_list("name", "pseudonym")), {"Maria": "P9", "Jo Smith": "P2"}
        )

    def test_import_with_a_bad_row_names_it_and_changes_nothing(self):
        self.login(self.member)
        response = self.client.post(
            self.url("pseudonyms/import/"), {"file": csv_file("name,pseudonym\nAna,P1\nJo,\nAna,P3\n")}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Row 3: the pseudonym is empty.", status_code=400)
        self.assertContains(response, "Row 4: Ana is already given on row 2.", status_code=400)
        self.assertFalse(Pseudonym.objects.exists())

    def test_import_without_the_columns_says_so(self):
        self.login(self.member)
        response = self.client.post(self.url("pseudonyms/import/"), {"file": csv_file("who,alias\nAna,P1\n")})
        self.assertContains(response, "no column named name, pseudonym", status_code=400)
        self.assertFalse(Pseudonym.objects.exists())

    def test_readers_and_coders_get_403_strangers_404(self):
        item = Pseudonym.objects.create(project=self.project, name="Maria", pseudonym="P1")
        for user in (self.viewer, self.coder):
            self.login(user)
            self.assertEqual(self.client.get(self.url("pseudonyms/")).status_code, 403)
            self.assertEqual(self.client.post(self.url(f"pseudonyms/{item.pk}/delete/")).status_code, 403)
            self.assertEqual(
                self.client.post(
                    self.url("pseudonyms/import/"), {"file": csv_file("name,pseudonym\nA,B\n")}
                ).status_code,
                403,
            )
        self.login(self.stranger)
        self.assertEqual(self.client.get(self.url("pseudonyms/")).status_code, 404)
        self.assertEqual(list(Pseudonym.objects.values_list("name", flat=True)), ["Maria"])

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url("pseudonyms/"))


class DeidentifyViewTests(ScanProjectTestCase):
    def setUp(self):
        self.document = factories.document(self.project, text="Maria said hello. Maria left.")
        Pseudonym.objects.create(project=self.project, name="Maria", pseudonym="Participant 1")

    def test_the_preview_counts_replacements_per_document_and_changes_nothing(self):
        self.login(self.member)
        response = self.client.get(self.url("deidentify/"))
        self.assertEqual(response.context["report"].documents[0].replacements, 2)
        self.document.refresh_from_db()
        self.assertFalse(self.document.is_deidentified)

    def test_applying_replaces_the_names(self):
        self.login(self.member)
        response = self.client.post(self.url("deidentify/"))
        self.assertRedirects(response, self.url("documents/"))
        self.document.refresh_from_db()
        self.assertEqual(self.document.text, "Participant 1 said hello. Participant 1 left.")
        self.assertTrue(self.document.is_deidentified)

    def test_a_reader_gets_403_a_stranger_404(self):
        self.login(self.viewer)
        self.assertEqual(self.client.post(self.url("deidentify/")).status_code, 403)
        self.login(self.stranger)
        self.assertEqual(self.client.post(self.url("deidentify/")).status_code, 404)
        self.document.refresh_from_db()
        self.assertIn("Maria", self.document.text)

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url("deidentify/"))
