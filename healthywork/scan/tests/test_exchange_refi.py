"""REFI-QDA export (validated against the official schemas), import, round trip and file safety."""

import io
import zipfile
from pathlib import Path

from django.test import TestCase, override_settings
from lxml import etree

from healthywork.accounts.models import User
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import make_user
from healthywork.scan import refi
from healthywork.scan.models import Code, Coding, Document, Memo, Project, ProjectMember, ProjectRole
from healthywork.scan.refi_import import import_codebook, import_refi
from healthywork.scan.tests import factories

SCAN = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "refi"
SCHEMAS = SCAN / "schemas"
TEXT_ONE = "José’s shift changed twice 🙂 this week. Wage theft is common here."
TEXT_TWO = "Second transcript: we train members on their rights. ¡Sí, se puede!"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def qdpx_of(project: Project) -> bytes:
    out = io.BytesIO()
    refi.export_qdpx(project, out)
    return out.getvalue()


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def read(data: bytes, filename: str) -> refi.RefiProject:
    return refi.read_refi(io.BytesIO(data), filename)


def project_xml(sources: str, codes: str = "", users: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="Small">'
        f"<Users>{users}</Users><CodeBook><Codes>{codes}</Codes></CodeBook><Sources>{sources}</Sources></Project>"
    ).encode()


CODE_GUID = "0d2c9d3e-7a1b-4c2d-9e3f-111111111111"
SOURCE_GUID = "0d2c9d3e-7a1b-4c2d-9e3f-222222222222"
CODE = f'<Code guid="{{{CODE_GUID.upper()}}}" name="Wages" isCodable="true" color="#F00"/>'


def selection(start: int, end: int, code_guid: str = CODE_GUID) -> str:
    return (
        f'<PlainTextSelection guid="{refi.user_guid(f"{start}-{end}")}" startPosition="{start}" '
        f'endPosition="{end}"><Coding guid="{refi.user_guid(f"c{start}")}">'
        f'<CodeRef targetGUID="{code_guid}"/>'
        "</Coding></PlainTextSelection>"
    )


def inline_source(text: str, selections: str = "") -> str:
    return (
        f'<TextSource guid="{SOURCE_GUID}" name="Inline"><PlainTextContent>{text}</PlainTextContent>'
        f"{selections}</TextSource>"
    )


class Built(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.lead = make_user("lena", "coder")
        cls.second = make_user("sam", "coder")
        cls.project = factories.project("Precarious work scan", description="The 2017 scan.")
        factories.member(cls.project, cls.lead, ProjectRole.LEAD)
        factories.member(cls.project, cls.second)
        conditions = factories.code(
            cls.project, "Conditions", colour="#2ca02c", definition="Working conditions.", position=0
        )
        cls.wages = factories.code(
            cls.project,
            "Wage theft",
            parent=conditions,
            definition="Unpaid wages.",
            when_to_use="Any unpaid hour.",
            when_not_to_use="Low pay alone.",
            example="They kept our tips.",
        )
        cls.schedules = factories.code(cls.project, "Schedules", parent=conditions, colour="#d62728")
        cls.policy = factories.code(cls.project, "Policy", position=1, when_to_use="Laws and ordinances.")
        organization = factories.interview(cls.project).organization
        interview = cls.project.interviews.first()
        cls.one = factories.document(cls.project, TEXT_ONE, title="Interview with José", interview=interview)
        cls.two = factories.document(cls.project, TEXT_TWO, title="Second")
        factories.coding_of(cls.one, cls.schedules, cls.lead, "shift changed twice 🙂")
        factories.coding_of(cls.one, cls.schedules, cls.second, "changed twice")
        factories.coding_of(cls.one, cls.wages, cls.lead, "Wage theft is common")
        factories.coding_of(cls.one, cls.wages, cls.second, "Wage theft")
        factories.coding_of(cls.two, cls.policy, cls.second, "train members on their rights")
        cls.organization = organization
        first = Coding.objects.filter(document=cls.one).first()
        Memo.objects.create(project=cls.project, code=cls.wages, author=cls.lead, text="About wages.")
        Memo.objects.create(project=cls.project, document=cls.one, author=cls.second, text="Long interview.")
        Memo.objects.create(project=cls.project, document=cls.one, coding=first, author=cls.lead, text="Key.")
        Memo.objects.create(project=cls.project, author=cls.lead, text="Overall impressions.")


class ExportTests(Built):
    def test_the_qdpx_validates_against_the_project_schema(self):
        with zipfile.ZipFile(io.BytesIO(qdpx_of(self.project))) as archive:
            xml = etree.fromstring(archive.read("project.qde"))
            names = set(archive.namelist())
        schema("Project.xsd").assertValid(xml)
        self.assertIn(f"Sources/{self.one.public_id}.txt", names)
        users = xml.findall("{urn:QDA-XML:project:1.0}Users/{urn:QDA-XML:project:1.0}User")
        self.assertEqual({user.get("name") for user in users}, {"lena", "sam"})
        notes = xml.findall("{urn:QDA-XML:project:1.0}Notes/{urn:QDA-XML:project:1.0}Note")
        self.assertEqual(len(notes), 4)
        self.assertEqual(len(xml.findall(".//{urn:QDA-XML:project:1.0}NoteRef")), 4)
        case = xml.find("{urn:QDA-XML:project:1.0}Cases/{urn:QDA-XML:project:1.0}Case")
        self.assertEqual(case.get("name"), self.organization.name)

    def test_the_texts_are_utf8_and_identical(self):
        with zipfile.ZipFile(io.BytesIO(qdpx_of(self.project))) as archive:
            self.assertEqual(archive.read(f"Sources/{self.one.public_id}.txt").decode("utf-8"), TEXT_ONE)

    def test_the_qdc_validates_against_the_codebook_schema(self):
        xml = etree.fromstring(refi.export_qdc(self.project))
        schema("Codebook.xsd").assertValid(xml)
        top = xml.findall("{urn:QDA-XML:codebook:1.0}Codes/{urn:QDA-XML:codebook:1.0}Code")
        self.assertEqual([code.get("name") for code in top], ["Conditions", "Policy"])
        self.assertEqual(len(top[0].findall("{urn:QDA-XML:codebook:1.0}Code")), 2)

    def test_a_viewer_in_a_blind_round_exports_only_their_own_codings_there(self):
        factories.round_of(self.project, [self.one], [self.lead, self.second])
        out = io.BytesIO()
        refi.export_qdpx(self.project, out, viewer=self.lead)
        parsed = read(out.getvalue(), "blind.qdpx")
        first = next(source for source in parsed.sources if source.guid == str(self.one.public_id))
        self.assertEqual({coding.user_guid for coding in first.codings}, {refi.user_guid("lena")})


class RoundTripTests(Built):
    def test_export_then_import_gives_the_same_codes_documents_and_codings(self):
        parsed = read(qdpx_of(self.project), "scan.qdpx")
        report = import_refi(parsed, by=self.lead)
        copy = report.project
        self.assertEqual(copy.name, "Precarious work scan (2)")

        def codes_of(project):
            return {
                (
                    code.path,
                    code.colour.lower(),
                    code.definition,
                    code.when_to_use,
                    code.when_not_to_use,
                    code.example,
                )
                for code in Code.objects.filter(project=project)
            }

        def documents_of(project):
            return {(document.title, document.text) for document in Document.objects.filter(project=project)}

        def codings_of(project):
            return {
                (
                    coding.document.title,
                    coding.code.path,
                    coding.coder.username,
                    coding.start_offset,
                    coding.end_offset,
                )
                for coding in Coding.objects.filter(document__project=project)
            }

        self.assertEqual(codes_of(copy), codes_of(self.project))
        self.assertEqual(documents_of(copy), documents_of(self.project))
        self.assertEqual(codings_of(copy), codings_of(self.project))
        self.assertEqual(len(codings_of(copy)), 5)
        self.assertEqual(sorted(report.users_matched), ["lena", "sam"])
        self.assertEqual(ProjectMember.objects.get(project=copy, user=self.lead).role, ProjectRole.LEAD)
        self.assertEqual(AuditEvent.objects.filter(action="import", object_pk=str(copy.pk)).count(), 1)

    def test_a_dry_run_reports_and_writes_nothing(self):
        before = (
            Project.objects.count(),
            Code.objects.count(),
            Coding.objects.count(),
            AuditEvent.objects.count(),
        )
        report = import_refi(read(qdpx_of(self.project), "scan.qdpx"), by=self.lead, dry_run=True)
        self.assertEqual((report.codes, report.documents, report.codings), (4, 2, 5))
        self.assertIsNone(report.project)
        after = (
            Project.objects.count(),
            Code.objects.count(),
            Coding.objects.count(),
            AuditEvent.objects.count(),
        )
        self.assertEqual(before, after)

    def test_unknown_coders_become_inactive_users_without_a_password(self):
        users = f'<User guid="{refi.user_guid("x")}" name="Dr. Ana Ruiz"/>'
        xml = project_xml(
            inline_source(
                "Wage theft is common.",
                selection(0, 10).replace("<Coding ", f'<Coding creatingUser="{refi.user_guid("x")}" '),
            ),
            CODE,
            users,
        )
        report = import_refi(read(xml, "small.qde"), by=self.lead)
        created = User.objects.get(username="dr-ana-ruiz")
        self.assertFalse(created.is_active)
        self.assertFalse(created.has_usable_password())
        self.assertEqual(report.users_created, ["dr-ana-ruiz"])
        self.assertEqual(Coding.objects.get(document__project=report.project).coder, created)


class ImportRulesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.lead = make_user("lena", "coder")

    def test_guids_in_braces_and_short_colours_are_accepted(self):
        parsed = read(project_xml(inline_source("Wage theft is common.", selection(0, 10)), CODE), "x.qde")
        self.assertEqual(parsed.codes[0].guid, CODE_GUID)
        self.assertEqual(parsed.codes[0].colour, "#ff0000")
        self.assertEqual(len(parsed.sources[0].codings), 1)

    def test_out_of_range_codings_are_skipped_and_counted(self):
        xml = project_xml(inline_source("Short text.", selection(0, 5) + selection(3, 500)), CODE)
        report = import_refi(read(xml, "x.qde"), by=self.lead)
        self.assertEqual((report.codings, report.skipped_codings), (1, 1))

    def test_a_coding_of_an_unknown_code_is_refused_naming_the_guid(self):
        unknown = "99999999-9999-4999-8999-999999999999"
        xml = project_xml(inline_source("Some text here.", selection(0, 4, unknown)), CODE)
        with self.assertRaisesMessage(refi.RefiError, unknown):
            read(xml, "x.qde")

    def test_a_qde_without_inline_text_is_refused_clearly(self):
        source = (
            f'<TextSource guid="{SOURCE_GUID}" name="Outside" plainTextPath="internal://{SOURCE_GUID}.txt"/>'
        )
        with self.assertRaisesMessage(refi.RefiError, "import the .qdpx project instead"):
            read(project_xml(source, CODE), "x.qde")

    def test_sources_that_are_not_text_are_skipped_and_counted(self):
        picture = f'<PictureSource guid="{SOURCE_GUID}" name="Photo" path="internal://a.png"/>'
        report = import_refi(read(project_xml(picture, CODE), "x.qde"), by=self.lead)
        self.assertEqual((report.documents, report.skipped_sources), (0, 1))

    def test_the_atlas_ti_codebook_imports_and_its_code_group_is_reported(self):
        data = (Path(__file__).resolve().parent / "atlasti-23.4-codebook.qdc").read_bytes()
        report = import_refi(read(data, "atlasti-23.4-codebook.qdc"), by=self.lead)
        code = Code.objects.get(project=report.project)
        self.assertEqual((code.name, code.colour, code.definition), ("code1", "#46aa00", "description"))
        self.assertTrue(any("set" in warning for warning in report.warnings))

    def test_atlas_ti_names_with_double_colons_become_a_tree(self):
        data = (FIXTURES / "atlas-04-namespace.qdc").read_bytes()
        report = import_refi(read(data, "atlas.qdc"), by=self.lead)
        paths = {code.path for code in Code.objects.filter(project=report.project)}
        self.assertEqual(paths, {"Conditions", "Conditions › Wages", "Conditions › Hours", "Policy"})
        wages = Code.objects.get(project=report.project, name="Wages")
        self.assertEqual(wages.colour, "#1f77b4")  # no colour in the file: the palette's first

    def test_taguette_empty_sets_are_accepted(self):
        data = (FIXTURES / "taguette.qdpx.xml").read_bytes()
        report = import_refi(read(zipped({"project.qde": data}), "taguette.qdpx"), by=self.lead)
        self.assertEqual((report.codes, report.documents, report.codings), (1, 1, 1))

    def test_a_codebook_merges_by_path_and_fills_only_empty_fields(self):
        project = factories.project("Merge target")
        conditions = factories.code(project, "Conditions", definition="Ours, kept.")
        factories.code(project, "Wages", parent=conditions)
        parsed = read((FIXTURES / "atlas-04-namespace.qdc").read_bytes(), "atlas.qdc")
        parsed.codes[0].description = "Theirs."
        parsed.codes[0].children[0].description = "Money owed."
        report = import_codebook(project, parsed, by=self.lead)
        self.assertEqual((report.codes, report.codes_matched, report.codes_filled), (2, 2, 1))
        self.assertEqual(Code.objects.get(project=project, name="Conditions").definition, "Ours, kept.")
        self.assertEqual(Code.objects.get(project=project, name="Wages").definition, "Money owed.")
        self.assertEqual(Code.objects.filter(project=project).count(), 4)

    def test_an_error_while_writing_leaves_nothing_behind(self):
        xml = project_xml(inline_source("Wage theft is common.", selection(0, 10)), CODE)
        before = (Project.objects.count(), Code.objects.count(), AuditEvent.objects.count())
        with self.assertRaisesMessage(refi.RefiError, "--as"):
            import_refi(read(xml, "x.qde"), by=None)  # a coding with no coder and nobody to own it
        self.assertEqual(before, (Project.objects.count(), Code.objects.count(), AuditEvent.objects.count()))


class SafetyTests(TestCase):
    def test_external_entities_are_refused(self):
        xml = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<Project name="&e;"/>'
        )
        with self.assertRaisesMessage(refi.RefiError, "refused for safety"):
            read(xml, "evil.qde")

    def test_billion_laughs_is_refused(self):
        entities = '<!ENTITY a0 "lol">' + "".join(
            f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
        )
        xml = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><CodeBook name="&a9;"/>'.encode()
        with self.assertRaisesMessage(refi.RefiError, "refused for safety"):
            read(zipped({"project.qde": xml}), "lol.qdpx")

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=100_000)
    def test_a_zip_bomb_is_refused_from_its_headers(self):
        bomb = zipped({"project.qde": b"<Project/>", "Sources/a.txt": b"\0" * 5_000_000})
        self.assertLess(len(bomb), 100_000)
        with self.assertRaisesMessage(refi.RefiError, "more than the limit"):
            read(bomb, "bomb.qdpx")

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=100_000)
    def test_a_zip_that_lies_about_its_sizes_is_stopped_while_reading(self):
        data = bytearray(zipped({"project.qde": b"<Project/>" + b" " * 3_000_000}))
        central = data.rindex(b"PK\x01\x02")
        data[central + 24 : central + 28] = (100).to_bytes(4, "little")  # claims 100 bytes unpacked
        with self.assertRaises(refi.RefiError):
            read(bytes(data), "liar.qdpx")

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=1000)
    def test_a_file_over_the_upload_limit_is_refused(self):
        with self.assertRaisesMessage(refi.RefiError, "the limit is"):
            read(b"<CodeBook>" + b" " * 2000 + b"</CodeBook>", "big.qdc")

    def test_entry_names_that_climb_out_are_refused(self):
        for name in ("../evil.txt", "/etc/evil.txt", "Sources\\evil.txt"):
            with self.subTest(name=name), self.assertRaisesMessage(refi.RefiError, "points outside"):
                read(zipped({"project.qde": b"<Project/>", name: b"x"}), "trip.qdpx")

    def test_a_corrupt_zip_is_refused(self):
        data = zipped({"project.qde": b"<Project/>"})
        with self.assertRaisesMessage(refi.RefiError, "damaged"):
            read(data[:30] + b"garbage" * 10, "broken.qdpx")

    def test_an_encrypted_zip_is_refused(self):
        data = bytearray(zipped({"project.qde": b"<Project/>"}))
        data[6] |= 0x1  # local header flag
        central = data.rindex(b"PK\x01\x02")
        data[central + 8] |= 0x1
        with self.assertRaisesMessage(refi.RefiError, "encrypted"):
            read(bytes(data), "locked.qdpx")

    def test_text_that_is_not_xml_is_refused(self):
        with self.assertRaisesMessage(refi.RefiError, "not well-formed XML"):
            read(b"name,colour\nWages,red\n", "codes.qdc")

    def test_xml_of_another_kind_is_refused(self):
        with self.assertRaisesMessage(refi.RefiError, "not a REFI-QDA project or codebook"):
            read(b"<html/>", "page.qdc")


class DescriptionTests(TestCase):
    def test_sections_round_trip(self):
        code = Code(definition="A.\n\nMore.", when_to_use="B", when_not_to_use="", example="C")
        self.assertEqual(
            refi.parse_description(refi.describe_code(code)),
            {"definition": "A.\n\nMore.", "when_to_use": "B", "when_not_to_use": "", "example": "C"},
        )

    def test_a_plain_description_is_the_definition(self):
        self.assertEqual(refi.parse_description("Just words.")["definition"], "Just words.")
