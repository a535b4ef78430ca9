import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from healthywork.collaborative.tests import factories as collaborative_factories
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.evaluation import instrument_format, instruments
from healthywork.evaluation.models import Instrument, Item
from healthywork.evaluation.tests import factories
from healthywork.evaluation.tests.test_xlsform import workbook


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


class FileFormatTests(PersonaTestCase):
    def test_an_exported_instrument_imports_as_the_same_instrument(self):
        original = Instrument.objects.get(name="precarious-work-knowledge")
        document = json.loads(instrument_format.export_json(original))
        self.assertEqual(document["format"], "healthywork-instrument")
        preview = instrument_format.preview_definition(document, name="knowledge-again")
        self.assertTrue(preview.can_apply)
        copy = instrument_format.apply_definition(preview, self.evaluator)
        again = instrument_format.definition_of(copy)
        document["instrument"]["name"] = "knowledge-again"
        self.assertEqual(again, document)

    def test_a_name_collision_asks_for_a_new_name(self):
        document = instrument_format.definition_of(Instrument.objects.get(name="epres"))
        preview = instrument_format.preview_definition(document)
        self.assertTrue(preview.name_taken)
        self.assertEqual(preview.suggested_name, "epres-2")
        self.assertFalse(preview.can_apply)
        with self.assertRaises(ValueError):
            instrument_format.apply_definition(preview, None)

    def test_errors_name_the_item_index_and_field(self):
        document = instrument_format.definition_of(Instrument.objects.get(name="kirkpatrick-reaction"))
        document["instrument"]["name"] = "reaction-broken"
        document["items"][1]["choices"] = []
        document["items"][2]["dimension"] = "nowhere"
        document["items"][3]["kind"] = "slider"
        preview = instrument_format.preview_definition(document)
        self.assertFalse(preview.can_apply)
        refused = {row.index: " ".join(row.errors) for row in preview.refused}
        self.assertEqual(sorted(refused), [2, 3, 4])
        self.assertIn("choices", refused[2])
        self.assertIn("dimension", refused[3])
        self.assertIn("kind", refused[4])

    def test_a_file_that_is_not_ours_is_refused(self):
        for data in (b"{", b"[]", json.dumps({"format": "other"}).encode(), b"\xff\xfe"):
            with self.assertRaises(instrument_format.FormatError):
                instrument_format.parse_json(data)
        with self.assertRaisesMessage(instrument_format.FormatError, "version"):
            instrument_format.parse_json(
                json.dumps({"format": "healthywork-instrument", "version": 9}).encode()
            )


class ImportPagesTests(PersonaTestCase):
    def post_file(self, name: str, data: bytes):
        response = self.client.post(reverse("evaluation:instrument-import"), {"file": upload(name, data)})
        self.assertEqual(response.status_code, 302, getattr(response, "content", b"")[:500])
        return response["Location"]

    def test_an_evaluator_imports_a_file_after_a_preview(self):
        self.login(self.evaluator)
        data = instrument_format.export_json(Instrument.objects.get(name="kirkpatrick-reaction"))
        preview_url = self.post_file("reaction.instrument.json", data)
        page = self.client.get(preview_url)
        self.assertContains(page, "already called")
        self.assertContains(page, 'value="kirkpatrick-reaction-2"')
        count = Instrument.objects.count()
        response = self.client.post(preview_url, {"confirm": "1", "name": "kirkpatrick-reaction"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Instrument.objects.count(), count)
        response = self.client.post(preview_url, {"confirm": "1", "name": "reaction-2026"})
        imported = Instrument.objects.get(name="reaction-2026")
        self.assertRedirects(response, imported.get_absolute_url())
        self.assertEqual(imported.items.count(), 8)
        self.assertTrue(AuditEvent.objects.filter(action="import", object_pk=str(imported.pk)).exists())

    def test_an_xlsform_imports_with_its_warnings_shown(self):
        self.login(self.administrator)
        preview_url = self.post_file("checkin.xlsx", workbook())
        page = self.client.get(preview_url)
        self.assertContains(page, "geopoint")
        self.assertContains(page, "relevant")
        self.client.post(preview_url, {"confirm": "1", "name": "kobo_checkin"})
        imported = Instrument.objects.get(name="kobo_checkin")
        self.assertEqual(imported.items.filter(kind="matrix", group="grid").count(), 2)
        self.assertEqual(imported.items.get(code="useful").text_es, "La sesión fue útil.")

    def test_bad_files_change_nothing(self):
        self.login(self.administrator)
        count = Instrument.objects.count()
        response = self.client.get(self.post_file("broken.json", b'{"format": "healthywork-instrument", '))
        self.assertContains(response, "malformed", status_code=400)
        response = self.client.get(self.post_file("broken.xlsx", b"PK\x03\x04 not really"))
        self.assertContains(response, "damaged", status_code=400)
        document = instrument_format.definition_of(Instrument.objects.get(name="epres"))
        document["instrument"]["name"] = "epres-bad"
        document["dimensions"].append({"code": "wages", "label": "Again"})
        response = self.client.get(self.post_file("bad.json", json.dumps(document).encode()))
        self.assertContains(response, "another dimension has the code", status_code=400)
        response = self.client.post(
            reverse("evaluation:instrument-import"), {"file": upload("notes.txt", b"x")}
        )
        self.assertContains(response, "is not a .json or .xlsx file", status_code=400)
        self.assertEqual(Instrument.objects.count(), count)

    def test_a_bad_short_name_asks_for_another(self):
        self.login(self.evaluator)
        document = instrument_format.definition_of(Instrument.objects.get(name="epres"))
        preview_url = self.post_file("epres.json", json.dumps(document).encode())
        response = self.client.post(preview_url, {"confirm": "1", "name": "my epres!"})
        self.assertContains(response, "cannot be used", status_code=400)
        self.assertContains(response, 'value="my-epres"', status_code=400)
        self.assertFalse(
            Instrument.objects.filter(title=document["instrument"]["title"]).exclude(name="epres")
        )
        self.client.post(preview_url, {"confirm": "1", "name": "my-epres"})
        self.assertEqual(Instrument.objects.get(name="my-epres").dimensions.count(), 6)

    def test_a_viewer_cannot_import(self):
        self.login(self.viewer)
        response = self.client.post(
            reverse("evaluation:instrument-import"), {"file": upload("a.json", b"{}")}
        )
        self.assertEqual(response.status_code, 403)

    def test_export_downloads_the_file_format(self):
        self.login(self.viewer)
        epres = Instrument.objects.get(name="epres")
        response = self.client.get(reverse("evaluation:instrument-export", args=[epres.public_id]))
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(json.loads(response.content)["instrument"]["bands"][0]["high"], 0.61)


class ItemsFromATableTests(PersonaTestCase):
    def test_epres_items_are_pasted_after_a_preview(self):
        self.login(self.evaluator)
        epres = Instrument.objects.get(name="epres")
        pasted = (
            "code,dimension,text,text_es,reverse\n"
            "t1,temporariness,My wording,Mi redacción,no\n"
            "w1,wages,Other,Otra,yes\n"
        )
        response = self.client.post(
            reverse("evaluation:instrument-items-import", args=[epres.public_id]), {"pasted": pasted}
        )
        preview_url = response["Location"]
        self.assertContains(self.client.get(preview_url), "Add 2 items")
        self.client.post(preview_url)
        items = list(epres.items.order_by("position"))
        self.assertEqual(
            [(i.code, i.dimension.code, i.reverse_scored) for i in items],
            [("t1", "temporariness", False), ("w1", "wages", True)],
        )
        self.assertEqual(items[0].bounds(), (0, 4))

    def test_bad_rows_are_named_and_nothing_is_added(self):
        self.login(self.evaluator)
        epres = Instrument.objects.get(name="epres")
        pasted = "code,dimension,text\nt1,temporariness,Fine\n2bad,nowhere,\n"
        response = self.client.post(
            reverse("evaluation:instrument-items-import", args=[epres.public_id]), {"pasted": pasted}
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, "Row 3, code", status_code=400)
        self.assertContains(page, "Row 3, dimension: there is no dimension “nowhere”", status_code=400)
        self.client.post(response["Location"])
        self.assertFalse(epres.items.exists())

    def test_an_unreadable_file_sends_the_user_back_with_the_reason(self):
        self.login(self.evaluator)
        epres = Instrument.objects.get(name="epres")
        form_url = reverse("evaluation:instrument-items-import", args=[epres.public_id])
        response = self.client.post(form_url, {"file": upload("items.xlsx", b"not a workbook")})
        page = self.client.get(response["Location"], follow=True)
        self.assertEqual(page.redirect_chain[-1][0], form_url)
        self.assertTrue(list(page.context["messages"]))
        self.assertFalse(epres.items.exists())


class CollaborationForTeamTests(PersonaTestCase):
    def test_a_team_gets_one_row_per_partner_once(self):
        team = collaborative_factories.health_labor_team(collaborative_factories.cohort())
        made = instruments.collaboration_instrument_for_team(team, self.administrator)
        self.assertEqual(made.name, f"levels-of-collaboration-{team.pk}")
        organizations = team.memberships.values_list("organization__pk", "organization__name")
        rows = list(made.items.values_list("code", "text", "group", "kind"))
        self.assertEqual(
            sorted(rows), sorted((f"org_{pk}", name, "partners", "matrix") for pk, name in organizations)
        )
        self.assertEqual(made.items.first().choice_values(), [0, 1, 2, 3, 4, 5])
        self.assertEqual(instruments.collaboration_instrument_for_team(team, self.administrator), made)
        self.assertEqual(Instrument.objects.filter(name=made.name).count(), 1)
        self.assertEqual(Item.objects.filter(instrument=made).count(), 2)


class PreviewBlocksTests(PersonaTestCase):
    def test_matrix_rows_share_one_grid(self):
        instrument = factories.instrument("grid-check", {"all": ["a"]})
        Item.objects.create(
            instrument=instrument,
            code="m1",
            text="Row 1",
            kind="matrix",
            choices=factories.LIKERT5,
            group="g",
            position=5,
        )
        Item.objects.create(
            instrument=instrument,
            code="m2",
            text="Row 2",
            kind="matrix",
            choices=factories.LIKERT5,
            group="g",
            position=6,
        )
        blocks = instruments.preview_blocks(instrument, "es")
        self.assertEqual([block.kind for block in blocks], ["likert", "matrix"])
        self.assertEqual(blocks[1].rows, [("m1", "Row 1"), ("m2", "Row 2")])
        self.assertEqual(blocks[0].choices[0], (1, "Totalmente en desacuerdo"))
