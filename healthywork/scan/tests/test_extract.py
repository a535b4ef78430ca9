"""Text out of uploaded files: plain text, DOCX, ODT, PDF, and the clear refusals."""

import io
import zipfile

import docx
from django.test import SimpleTestCase, override_settings
from pypdf import PdfWriter

from healthywork.scan.extract import ExtractionError, extract_text


def make_docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:text>
<text:h text:outline-level="1">Interview with the union</text:h>
<text:p>Respondent:<text:s text:c="2"/>we <text:span>organize</text:span> warehouse workers.</text:p>
<text:p>Second<text:line-break/>line</text:p>
</office:text></office:body></office:document-content>"""


def make_zip(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def make_pdf(text: str | None) -> bytes:
    """A one-page PDF built by hand; with `text`, a Tj operator shows it in Helvetica."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


class PlainTextTests(SimpleTestCase):
    def test_it_decodes_utf8_with_a_bom_and_normalises_line_ends_nul_and_nfc(self):
        data = "\ufeffMari\u0301a said:\r\nwe\x00 work\rnights".encode()
        self.assertEqual(extract_text(data, "t.txt"), "Mar\u00eda said:\nwe work\nnights")

    def test_markdown_is_read_as_text(self):
        self.assertEqual(extract_text(b"# Notes\n\nText", "notes.MD"), "# Notes\n\nText")

    def test_it_names_the_byte_that_is_not_utf8(self):
        with self.assertRaisesMessage(ExtractionError, "position 3"):
            extract_text(b"abc\xe9def", "latin.txt")

    def test_it_reads_a_file_object(self):
        self.assertEqual(extract_text(io.BytesIO(b"hello"), "a.txt"), "hello")

    def test_it_refuses_an_unsupported_type_naming_the_file(self):
        with self.assertRaisesMessage(ExtractionError, "notes.rtf"):
            extract_text(b"{\\rtf1}", "notes.rtf")

    def test_it_refuses_an_empty_file(self):
        with self.assertRaisesMessage(ExtractionError, "empty.txt is empty"):
            extract_text(b"  \n", "empty.txt")

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=10)
    def test_it_refuses_a_file_over_the_limit(self):
        with self.assertRaisesMessage(ExtractionError, "big.txt is larger than the limit"):
            extract_text(b"x" * 11, "big.txt")


class DocxTests(SimpleTestCase):
    def test_paragraphs_become_blank_line_separated(self):
        data = make_docx("Interviewer: What do you do?", "", "Respondent: We train workers.")
        self.assertEqual(
            extract_text(data, "t.docx"), "Interviewer: What do you do?\n\nRespondent: We train workers."
        )

    def test_a_corrupt_docx_gets_a_clear_message(self):
        with self.assertRaisesMessage(ExtractionError, "broken.docx is damaged"):
            extract_text(b"PK\x03\x04 not really a zip", "broken.docx")

    def test_a_zip_without_the_document_part_is_refused(self):
        with self.assertRaisesMessage(ExtractionError, "other.docx is damaged"):
            extract_text(make_zip({"hello.txt": "hi"}), "other.docx")

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=5000)
    def test_a_zip_bomb_is_refused_before_it_is_inflated(self):
        bomb = make_zip({"word/document.xml": "<a>" + "0" * 200_000 + "</a>"})
        self.assertLess(len(bomb), 5000)
        with self.assertRaisesMessage(ExtractionError, "once unpacked"):
            extract_text(bomb, "bomb.docx")

    def test_xml_entities_are_refused(self):
        evil = (
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "boom">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&e;</w:document>'
        )
        with self.assertRaisesMessage(ExtractionError, "cannot be read safely"):
            extract_text(make_zip({"word/document.xml": evil}), "evil.docx")


class OdtTests(SimpleTestCase):
    def test_headings_and_paragraphs_with_spaces_and_line_breaks(self):
        data = make_zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": ODT_CONTENT})
        self.assertEqual(
            extract_text(data, "t.odt"),
            "Interview with the union\n\nRespondent:  we organize warehouse workers.\n\nSecond\nline",
        )


class PdfTests(SimpleTestCase):
    def test_it_extracts_the_text_of_a_pdf(self):
        self.assertIn("Wage theft is common", extract_text(make_pdf("Wage theft is common"), "t.pdf"))

    def test_a_pdf_without_text_gets_a_clear_message(self):
        with self.assertRaisesMessage(ExtractionError, "scan.pdf has no text that can be extracted"):
            extract_text(make_pdf(None), "scan.pdf")

    def test_an_encrypted_pdf_gets_a_clear_message(self):
        writer = PdfWriter()
        writer.add_blank_page(width=200, height=200)
        writer.encrypt("secret")
        buffer = io.BytesIO()
        writer.write(buffer)
        with self.assertRaisesMessage(ExtractionError, "this PDF is encrypted; remove the password"):
            extract_text(buffer.getvalue(), "locked.pdf")

    def test_a_corrupt_pdf_gets_a_clear_message(self):
        with self.assertRaisesMessage(ExtractionError, "bad.pdf is damaged"):
            extract_text(b"%PDF-1.4 garbage", "bad.pdf")
