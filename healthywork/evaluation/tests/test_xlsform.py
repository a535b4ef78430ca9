import io

from django.test import TestCase
from openpyxl import Workbook

from healthywork.evaluation import instrument_format, xlsform
from healthywork.evaluation.instrument_format import FormatError
from healthywork.evaluation.models import Instrument

SURVEY = [
    [
        "type",
        "name",
        "label::English (en)",
        "label::Spanish (es)",
        "required",
        "constraint",
        "relevant",
        "appearance",
    ],
    ["start", "start", "", "", "", "", "", ""],
    ["note", "intro", "Thank you for taking part.", "Gracias por participar.", "", "", "", ""],
    ["select_one agree", "useful", "The session was useful.", "La sesión fue útil.", "yes", "", "", ""],
    ["select_one sector", "sector", "Your sector", "Su sector", "", "", "", ""],
    [
        "select_multiple sector",
        "sectors_worked",
        "Sectors you work with",
        "Sectores con los que trabaja",
        "",
        "",
        "",
        "",
    ],
    ["integer", "years", "Years in your job", "Años en su trabajo", "true", ". >= 0 and . <= 60", "", ""],
    ["decimal", "hours", "Hours a week", "Horas por semana", "", ". > 0", "", ""],
    ["begin_group", "grid", "How much do you agree?", "¿Cuánto está de acuerdo?", "", "", "", "table-list"],
    ["select_one agree", "g_one", "Partners trust each other", "Los socios confían entre sí", "", "", "", ""],
    [
        "select_one agree",
        "g_two",
        "Partners share resources",
        "Los socios comparten recursos",
        "",
        "",
        "",
        "",
    ],
    ["end_group", "", "", "", "", "", "", ""],
    ["text", "comments", "Comments", "Comentarios", "", "", "${useful} < 3", ""],
    ["geopoint", "where", "Where are you?", "¿Dónde está?", "", "", "", ""],
    ["calculate", "score", "", "", "", "", "", ""],
]
CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Spanish (es)"],
    *[["agree", str(v), f"Agree {v}", f"Acuerdo {v}"] for v in range(1, 6)],
    ["sector", "health", "Health", "Salud"],
    ["sector", "labor", "Labor", "Trabajo"],
]


def workbook(
    survey=SURVEY, choices=CHOICES, settings=(("form_title", "form_id"), ("Kobo check-in", "kobo_checkin"))
):
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices is not None:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(row)
    sheet = book.create_sheet("settings")
    for row in settings:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class XlsformReadingTests(TestCase):
    def setUp(self):
        self.document, self.warnings = xlsform.read_xlsform(workbook())
        self.items = {item["code"]: item for item in self.document["items"]}

    def test_it_reads_settings_and_both_languages(self):
        self.assertEqual(self.document["instrument"]["name"], "kobo_checkin")
        self.assertEqual(self.document["instrument"]["title"], "Kobo check-in")
        self.assertEqual(self.items["useful"]["text_es"], "La sesión fue útil.")
        self.assertEqual(self.items["useful"]["choices"][0]["label_es"], "Acuerdo 1")

    def test_it_maps_types(self):
        kinds = {code: item["kind"] for code, item in self.items.items()}
        self.assertEqual(
            kinds,
            {
                "intro": "note",
                "useful": "likert",
                "sector": "single",
                "sectors_worked": "multiple",
                "years": "number",
                "hours": "number",
                "g_one": "matrix",
                "g_two": "matrix",
                "comments": "text",
            },
        )
        self.assertTrue(self.items["useful"]["required"])
        self.assertTrue(self.items["years"]["required"])
        self.assertEqual((self.items["years"]["min_value"], self.items["years"]["max_value"]), (0, 60))
        self.assertEqual(self.items["g_one"]["group"], "grid")

    def test_names_become_values_in_order_and_are_kept(self):
        self.assertEqual(
            self.items["sector"]["choices"],
            [
                {"name": "health", "label": "Health", "label_es": "Salud", "value": 1},
                {"name": "labor", "label": "Labor", "label_es": "Trabajo", "value": 2},
            ],
        )
        self.assertEqual([c["value"] for c in self.items["useful"]["choices"]], [1, 2, 3, 4, 5])

    def test_it_warns_about_what_it_does_not_import(self):
        text = "\n".join(self.warnings)
        for expected in ("geopoint", "calculate", "start", "${useful} < 3", ". > 0"):
            self.assertIn(expected, text)

    def test_the_preview_imports_it(self):
        preview = instrument_format.preview_definition(self.document, warnings=self.warnings)
        self.assertTrue(preview.can_apply, preview.file_errors + [r.errors for r in preview.refused])
        instrument = instrument_format.apply_definition(preview, None)
        self.assertEqual(instrument.items.count(), 9)

    def test_a_missing_survey_sheet_is_refused(self):
        book = Workbook()
        book.active.title = "other"
        out = io.BytesIO()
        book.save(out)
        with self.assertRaisesMessage(FormatError, "survey"):
            xlsform.read_xlsform(out.getvalue())

    def test_a_file_that_is_not_a_workbook_is_refused(self):
        with self.assertRaises(FormatError):
            xlsform.read_xlsform(b"type,name\ntext,a\n")
        with self.assertRaises(FormatError):
            xlsform.read_xlsform(b"PK\x03\x04garbage")
        self.assertFalse(Instrument.objects.filter(name="kobo_checkin").exists())

    def test_a_select_without_its_list_is_warned(self):
        document, warnings = xlsform.read_xlsform(workbook(choices=None))
        self.assertNotIn("useful", [item["code"] for item in document["items"]])
        self.assertTrue(any("agree" in warning for warning in warnings))
