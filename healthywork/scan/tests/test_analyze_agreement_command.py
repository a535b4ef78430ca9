"""`healthywork analyze agreement FILE.csv`, and how `analyze` finds its subjects."""

import io
import json
import tempfile
import types
from pathlib import Path
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, override_settings

from healthywork.core.cli import Subject, analyze_subjects

# Wikipedia, "Krippendorff's alpha", computational example (3 coders × 15 units, empty = missing):
# nominal α = 0.691358…, interval α = 0.810845.
WIKIPEDIA_CSV = (
    "coder,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
    "A,,,,,,3,4,1,2,1,1,3,3,,3\n"
    "B,1,,2,1,3,3,4,3,,,,,,,\n"
    "C,,,2,1,3,4,4,,2,1,1,3,3,,4\n"
)
# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: ordinal α = 0.815,
# ratio α = 0.797.
KRIPPENDORFF_2011_CSV = (
    "observer;u1;u2;u3;u4;u5;u6;u7;u8;u9;u10;u11;u12\n"
    "A;1;2;3;3;2;1;4;1;2;;;\n"
    "B;1;2;3;3;2;2;4;1;2;5;;3\n"
    "C;;3;3;3;2;3;4;2;2;5;1;\n"
    "D;1;2;3;3;2;4;4;1;2;5;1;\n"
)
# Wikipedia, "Cohen's kappa": 50 grant proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15: κ = 0.40.
GRANTS = ["yes"] * 25 + ["no"] * 25, ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
GRANTS_CSV = (
    ",".join(["reader"] + [f"p{number}" for number in range(1, 51)])
    + "\n"
    + "\n".join(",".join([name] + values) for name, values in zip(["Ana", "Ben"], GRANTS, strict=True))
    + "\n"
)


class AgreementCommandTestCase(SimpleTestCase):
    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = Path(directory.name)

    def file(self, content: str | bytes, name: str = "codings.csv") -> str:
        path = self.directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)

    def run_command(self, *args) -> str:
        stdout = io.StringIO()
        call_command("analyze", "agreement", *args, stdout=stdout, stderr=io.StringIO())
        return stdout.getvalue()

    def run_json(self, *args) -> dict:
        return json.loads(self.run_command(*args, "--format", "json"))

    def run_failing(self, content: str | bytes, *args) -> str:
        with self.assertRaises(CommandError) as error:
            call_command(
                "analyze", "agreement", self.file(content), *args, stdout=io.StringIO(), stderr=io.StringIO()
            )
        return str(error.exception)


class PublishedExampleTests(AgreementCommandTestCase):
    def test_the_wikipedia_example_gives_the_published_alphas_in_json(self):
        data = self.run_json(self.file(WIKIPEDIA_CSV))
        self.assertEqual(set(data), {"alpha", "kappa", "n_units", "n_coders", "level", "percent_agreement"})
        self.assertAlmostEqual(data["alpha"], 336 / 486, places=12)
        self.assertIsNone(data["kappa"])  # three coders
        self.assertEqual(data["n_units"], 12)
        self.assertEqual(data["n_coders"], 3)
        self.assertEqual(data["level"], "nominal")
        self.assertEqual(data["percent_agreement"], 0.75)
        interval = self.run_json(self.file(WIKIPEDIA_CSV), "--level", "interval")
        self.assertEqual(round(interval["alpha"], 6), 0.810845)
        self.assertEqual(interval["level"], "interval")

    def test_krippendorffs_example_in_a_semicolon_file_at_ordinal_and_ratio_levels(self):
        path = self.file(KRIPPENDORFF_2011_CSV)
        self.assertEqual(round(self.run_json(path, "--level", "ordinal")["alpha"], 3), 0.815)
        self.assertEqual(round(self.run_json(path, "--level", "ratio")["alpha"], 3), 0.797)

    def test_two_coders_get_cohens_kappa_too(self):
        data = self.run_json(self.file(GRANTS_CSV))
        self.assertAlmostEqual(data["kappa"], 0.40, places=12)
        self.assertAlmostEqual(data["percent_agreement"], 0.70, places=12)
        self.assertEqual(data["n_coders"], 2)

    def test_the_text_output_names_each_coefficient(self):
        output = self.run_command(self.file(GRANTS_CSV))
        self.assertIn("Coders: 2 (Ana, Ben)", output)
        self.assertIn("Units with values from two or more coders: 50 of 50", output)
        self.assertIn("Krippendorff's alpha (nominal): 0.400", output)
        self.assertIn("Cohen's kappa: 0.400", output)
        self.assertIn("Percent agreement: 70.0%", output)
        output = self.run_command(self.file(WIKIPEDIA_CSV), "--level", "interval")
        self.assertIn("Krippendorff's alpha (interval): 0.811", output)
        self.assertNotIn("kappa", output)

    def test_a_byte_order_mark_and_labels_are_read(self):
        content = "\ufeffcoder,a,b,c,d\nAna,theme,other,theme,\nBen,theme,other,other,x\n"
        data = self.run_json(self.file(content))
        self.assertEqual(data["n_units"], 3)
        self.assertAlmostEqual(data["percent_agreement"], 2 / 3)

    def test_undefined_coefficients_are_null_and_explained(self):
        content = "coder,u1,u2\nAna,yes,yes\nBen,yes,yes\n"
        data = self.run_json(self.file(content))
        self.assertIsNone(data["alpha"])
        self.assertIsNone(data["kappa"])
        self.assertEqual(data["percent_agreement"], 1.0)
        self.assertIn("alpha (nominal): — (every value is the same", self.run_command(self.file(content)))
        unpaired = "coder,u1,u2\nAna,yes,\nBen,,no\n"
        self.assertIn("no unit has values from two coders", self.run_command(self.file(unpaired)))


class BadFileTests(AgreementCommandTestCase):
    def test_a_word_at_the_interval_level_is_refused_naming_row_coder_and_column(self):
        content = "coder,u1,u7\nA,1,2\nB,3,x\n"
        message = self.run_failing(content, "--level", "interval")
        self.assertEqual(
            message, "Row 3 (coder “B”), column “u7”: “x” is not a number; the interval level needs numbers."
        )

    def test_numbers_are_needed_at_the_ordinal_level_too_but_not_at_the_nominal(self):
        content = "coder,u1,u2\nA,1,low\nB,3,high\n"
        self.assertIn("column “u2”: “low” is not a number", self.run_failing(content, "--level", "ordinal"))
        self.assertEqual(self.run_json(self.file(content))["n_units"], 2)

    def test_a_negative_number_is_refused_at_the_ratio_level(self):
        message = self.run_failing("coder,u1,u2\nA,1,2\nB,-3,2\n", "--level", "ratio")
        self.assertIn("Row 3 (coder “B”), column “u1”: -3 is below 0", message)

    def test_a_file_that_is_not_utf8_is_refused(self):
        message = self.run_failing("coder,u1\nJosé,1\nAna,2\n".encode("latin-1"))
        self.assertIn("not UTF-8", message)
        self.assertIn("row 2", message)

    def test_an_empty_file_is_refused(self):
        self.assertIn("The file is empty", self.run_failing(""))
        self.assertIn("The file is empty", self.run_failing(" \n,,\n"))

    def test_fewer_than_two_coders_are_refused(self):
        message = self.run_failing("coder,u1,u2\nA,1,2\n")
        self.assertIn("at least two coders", message)
        self.assertIn("has 1", message)

    def test_a_repeated_coder_is_refused_naming_both_rows(self):
        message = self.run_failing("coder,u1\nA,1\nB,1\nA,2\n")
        self.assertEqual(message, "Coder “A” appears twice: rows 2 and 4.")

    def test_a_repeated_or_missing_unit_name_is_refused(self):
        self.assertIn("“u1” appears twice", self.run_failing("coder,u1,u1\nA,1,2\nB,1,2\n"))
        self.assertIn("column 3", self.run_failing("coder,u1,,u3\nA,1,2,3\nB,1,2,3\n"))
        self.assertIn("names no units", self.run_failing("coder\nA\nB\n"))

    def test_a_row_without_a_coder_or_with_extra_cells_is_refused(self):
        self.assertIn("Row 3 has no coder name", self.run_failing("coder,u1\nA,1\n,2\n"))
        self.assertIn("Row 2 (coder “A”) has more cells", self.run_failing("coder,u1\nA,1,2\nB,1\n"))

    def test_a_missing_file_and_a_bad_level_are_refused(self):
        with self.assertRaisesMessage(CommandError, "Cannot read"):
            call_command("analyze", "agreement", str(self.directory / "nowhere.csv"), stdout=io.StringIO())
        with self.assertRaises(CommandError):
            call_command("analyze", "agreement", self.file(WIKIPEDIA_CSV), "--level", "circular")

    @override_settings(HEALTHYWORK_MAX_UPLOAD_BYTES=100)
    def test_a_file_over_the_size_limit_is_refused(self):
        self.assertIn("the limit is", self.run_failing(GRANTS_CSV))


class SubjectDiscoveryTests(SimpleTestCase):
    """`analyze` finds subjects in each installed app's `cli` module, without naming the apps."""

    def test_the_catalog_and_scan_subjects_are_found(self):
        subjects = analyze_subjects()
        self.assertIn("crosstab", subjects)
        self.assertIn("agreement", subjects)
        self.assertIsInstance(subjects["agreement"], Subject)

    def test_apps_without_a_cli_module_have_no_subjects(self):
        def absent(name):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

        with mock.patch("healthywork.core.cli.importlib.import_module", side_effect=absent):
            self.assertEqual(analyze_subjects(), {})

    def test_an_import_error_inside_a_cli_module_is_not_hidden(self):
        def broken(name):
            if name == "healthywork.scan.cli":  # the module exists but imports something missing
                raise ModuleNotFoundError("No module named 'missing_dependency'", name="missing_dependency")
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

        with mock.patch("healthywork.core.cli.importlib.import_module", side_effect=broken):
            with self.assertRaisesMessage(ModuleNotFoundError, "missing_dependency"):
                analyze_subjects()

    def test_two_apps_defining_one_subject_are_refused(self):
        subject = Subject(help="", add_arguments=lambda parser: None, handle=lambda command: None)
        module = types.SimpleNamespace(ANALYZE_SUBJECTS={"same": subject})
        with mock.patch("healthywork.core.cli.importlib.import_module", return_value=module):
            with self.assertRaisesMessage(ImproperlyConfigured, "'same'"):
                analyze_subjects()
