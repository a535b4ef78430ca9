"""The shared form pieces: a bounded upload, and a material given as a file or a link."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings

from healthywork.core.forms import BoundedFileField, FileOrLinkForm, upload_limit_mb


class BoundedFileFieldTests(SimpleTestCase):
    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=1048576)
    def test_it_refuses_a_file_over_the_limit_with_both_sizes(self):
        upload = SimpleUploadedFile("big.csv", b"x" * (1048576 + 1))
        with self.assertRaisesMessage(ValidationError, "The file is 1.0 MB; the limit is 1.0 MB."):
            BoundedFileField().clean(upload)

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=1048576)
    def test_it_accepts_a_file_at_the_limit_and_an_empty_optional_field(self):
        upload = SimpleUploadedFile("ok.csv", b"x" * 1048576)
        self.assertIs(BoundedFileField().clean(upload), upload)
        self.assertIsNone(BoundedFileField(required=False).clean(None))

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=5 * 1048576)
    def test_it_states_the_limit_in_megabytes(self):
        self.assertEqual(upload_limit_mb(), 5.0)


class FileOrLinkFormTests(SimpleTestCase):
    def test_it_needs_a_file_or_a_link(self):
        form = FileOrLinkForm(data={"title": "Slides"})
        self.assertFalse(form.is_valid())
        self.assertIn("file", form.errors)

    def test_it_refuses_both_a_file_and_a_link(self):
        upload = SimpleUploadedFile("slides.pdf", b"%PDF")
        form = FileOrLinkForm(data={"url": "https://example.org"}, files={"file": upload})
        self.assertFalse(form.is_valid())
        self.assertIn("url", form.errors)

    def test_it_takes_the_title_from_the_file_or_the_link(self):
        form = FileOrLinkForm(data={}, files={"file": SimpleUploadedFile("slides.pdf", b"%PDF")})
        self.assertTrue(form.is_valid())
        self.assertEqual(form.cleaned_data["title"], "slides.pdf")
        form = FileOrLinkForm(data={"url": "example.org/guide"})
        self.assertTrue(form.is_valid())
        self.assertEqual(form.cleaned_data["title"], "https://example.org/guide")
