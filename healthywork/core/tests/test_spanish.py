"""The Spanish translation: pages in Spanish, and a catalog with every message translated.

The compiled catalog (django.mo) is committed, so a fresh clone needs no gettext tools; these
tests read both files with the standard library only.
"""

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from healthywork.catalog.tests import factories as catalog_factories
from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.tests import factories as partner_factories

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_FILE = LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE_DIR / "es" / "LC_MESSAGES" / "django.mo"


class SpanishPagesTests(PersonaTestCase):
    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    def test_home_page(self):
        self.login(self.administrator)
        response = self.client.get("/")
        self.assertContains(response, '<html lang="es">')
        self.assertContains(response, "Le damos la bienvenida, Alice Admin")
        self.assertContains(response, "El ciclo del programa")
        self.assertContains(response, "Registro de auditoría")
        self.assertContains(response, "Cerrar sesión")
        self.assertNotContains(response, "The program cycle")

    def test_organization_list(self):
        self.login(self.administrator)
        response = self.client.get("/partners/organizations/")
        self.assertContains(response, "<h1>Organizaciones</h1>", html=True)
        self.assertContains(response, "Agregar una organización")
        self.assertContains(response, "Todos los niveles")
        self.assertContains(response, "Ninguna organización coincide.")
        self.assertNotContains(response, "Add an organization")

    def test_organization_form_labels(self):
        self.login(self.administrator)
        response = self.client.get("/partners/organizations/new/")
        self.assertContains(response, "<h1>Agregar una organización</h1>", html=True)
        for label in ["Nombre", "Alias", "Nivel", "Ciudad", "Condado", "Estado", "Sitio web", "Idiomas"]:
            with self.subTest(label=label):
                self.assertContains(response, f">{label}:</label>")
        self.assertContains(response, "<legend>Poblaciones trabajadoras atendidas:</legend>", html=True)
        self.assertContains(response, "Otros nombres, uno por línea.")
        self.assertContains(response, "Estatal")  # the level "State", not the US state
        self.assertContains(response, "Guardar")
        self.assertContains(response, "Cancelar")

    def test_login_page(self):
        response = self.client.get("/accounts/login/")
        self.assertContains(response, "<h1>Iniciar sesión</h1>", html=True)
        self.assertContains(response, "¿Olvidó su contraseña?")
        self.assertContains(response, "Saltar al contenido principal")
        self.assertNotContains(response, "Forgot your password?")


class SpanishCatalogPagesTests(PersonaTestCase):
    """The initiative catalog and its crosstab, for a reader who chose Spanish."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        union = partner_factories.organization("Warehouse Workers United", "labor")
        clinic = partner_factories.organization("Riverside Community Clinic", "public-health")
        for lead in (union, clinic):
            for pse_class in ("policy", "systems"):
                catalog_factories.initiative(lead=lead, pse_class=pse_class, conditions=["living-wage"])

    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        self.login(self.administrator)

    def test_catalog_page(self):
        response = self.client.get("/catalog/")
        self.assertContains(response, "<h1>Catálogo de iniciativas</h1>", html=True)
        self.assertContains(response, '<h2 id="filters-heading">Buscar y filtrar</h2>', html=True)
        self.assertContains(response, '<h2 id="results-heading">4 iniciativas</h2>', html=True)
        legends = [
            "Tipo de acción",
            "Clase PSE",
            "Nivel de Total Worker Health",
            "Condición de trabajo saludable",
        ]
        for legend in legends:
            with self.subTest(legend=legend):
                self.assertContains(response, f"<legend>{legend}</legend>", html=True)
        self.assertContains(response, '<th scope="col">Organización líder</th>', html=True)
        self.assertContains(response, "Agregar una iniciativa")
        self.assertContains(response, "Analizar: tabla cruzada")
        self.assertContains(response, "Activa")  # the initiative status, not a user's "Activo"
        self.assertContains(response, "Con respaldo científico")
        self.assertNotContains(response, "Catalog of initiatives")

    def test_crosstab_page(self):
        response = self.client.get("/catalog/analysis/", {"rows": "sector_family", "cols": "pse_class"})
        self.assertContains(response, "<h1>Quién hace qué: una tabla cruzada de iniciativas</h1>", html=True)
        self.assertContains(
            response,
            '<h2 id="results-heading">Tipo de sector de la organización líder por Clase PSE</h2>',
            html=True,
        )
        self.assertContains(response, '<h3 id="findings-heading">Hallazgos</h3>', html=True)
        self.assertContains(response, "<h3>Prueba de independencia</h3>", html=True)
        for text in ["Grados de libertad", "V de Cramér", "Ji cuadrado (X²)", "Volver al catálogo"]:
            with self.subTest(text=text):
                self.assertContains(response, text)
        self.assertContains(response, '<th scope="row">Trabajo</th>', html=True)  # the sector family
        self.assertContains(response, '<th scope="col">Política</th>', html=True)  # the PSE class
        self.assertNotContains(response, "Who does what")


def _unquote(line: str) -> str:
    """The text of one quoted PO string ("..."), with its C-style escapes undone."""
    return ast.literal_eval(line)


def po_messages(path: Path) -> list[dict]:
    """Every entry of a .po file as {"msgctxt", "msgid", "msgid_plural", "msgstr": [...], "flags"},
    the header left out. Enough of the PO format for the files makemessages writes."""
    entries: list[dict] = []
    entry: dict = {}
    field = None

    def finish():
        if "msgid" in entry:
            entries.append(entry.copy())
        entry.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#,"):
            if "msgid" in entry:
                finish()
            entry.setdefault("flags", set()).update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            if "msgid" in entry and field is not None and field.startswith("msgstr"):
                finish()
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            text = _unquote(line)
            if field.startswith("msgstr"):
                entry["msgstr"][-1] += text
            else:
                entry[field] += text
            continue
        if keyword in ("msgctxt", "msgid") and "msgid" in entry and field.startswith("msgstr"):
            finish()
        field = keyword
        if keyword.startswith("msgstr"):
            entry.setdefault("msgstr", []).append(_unquote(rest))
        else:
            entry[keyword] = _unquote(rest)
    finish()
    return [entry for entry in entries if entry["msgid"]]


class _Missing(gettext.NullTranslations):
    """A fallback that marks a message absent from the compiled catalog."""

    MARK = "\x00missing\x00"

    def gettext(self, message):
        return self.MARK

    def ngettext(self, msgid1, msgid2, n):
        return self.MARK

    def pgettext(self, context, message):
        return self.MARK

    def npgettext(self, context, msgid1, msgid2, n):
        return self.MARK


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\}")


class SpanishCatalogTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.entries = po_messages(PO_FILE)
        with MO_FILE.open("rb") as handle:
            cls.catalog = gettext.GNUTranslations(handle)
        cls.catalog.add_fallback(_Missing())

    def test_the_po_file_has_messages(self):
        self.assertGreater(len(self.entries), 300)
        self.assertIn("Sign in", {entry["msgid"] for entry in self.entries})

    def test_the_header_names_spanish_and_its_plurals(self):
        info = self.catalog.info()
        self.assertEqual(info["language"], "es")
        self.assertEqual(info["plural-forms"], "nplurals=2; plural=(n != 1);")
        self.assertEqual(info["content-type"], "text/plain; charset=UTF-8")

    def test_every_message_is_translated_and_none_is_fuzzy(self):
        for entry in self.entries:
            with self.subTest(msgid=entry["msgid"]):
                self.assertNotIn("fuzzy", entry.get("flags", set()))
                expected = 2 if "msgid_plural" in entry else 1
                self.assertEqual(len(entry["msgstr"]), expected)
                self.assertTrue(all(text.strip() for text in entry["msgstr"]))

    def test_every_message_of_the_po_file_is_in_the_compiled_catalog(self):
        """A .po edited without running compilemessages leaves the .mo behind."""
        for entry in self.entries:
            msgid, context = entry["msgid"], entry.get("msgctxt")
            with self.subTest(msgid=msgid):
                if "msgid_plural" in entry and context is not None:
                    plural = entry["msgid_plural"]
                    forms = [self.catalog.npgettext(context, msgid, plural, n) for n in (1, 2)]
                    self.assertEqual(forms, entry["msgstr"])
                elif "msgid_plural" in entry:
                    forms = [self.catalog.ngettext(msgid, entry["msgid_plural"], n) for n in (1, 2)]
                    self.assertEqual(forms, entry["msgstr"])
                elif context is not None:
                    self.assertEqual(self.catalog.pgettext(context, msgid), entry["msgstr"][0])
                else:
                    self.assertEqual(self.catalog.gettext(msgid), entry["msgstr"][0])

    def test_placeholders_are_kept(self):
        for entry in self.entries:
            with self.subTest(msgid=entry["msgid"]):
                expected = sorted(PLACEHOLDER.findall(entry.get("msgid_plural", entry["msgid"])))
                for text in entry["msgstr"]:
                    self.assertEqual(sorted(PLACEHOLDER.findall(text)), expected)
