"""De-identification: the pure name replacement with its offset map, and the project-wide service."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import SimpleTestCase, TestCase, override_settings

from healthywork.accounts.roles import Role
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import make_user
from healthywork.scan import deidentify
from healthywork.scan.deidentify import replace_names
from healthywork.scan.models import Coding, Pseudonym
from healthywork.scan.tests import factories


class ReplaceNamesTests(SimpleTestCase):
    def test_it_replaces_whole_words_whatever_the_case_and_maps_offsets(self):
        text = "Ana met ANA and Anatole."
        new, offsets = replace_names(text, {"Ana": "P1"})
        self.assertEqual(new, "P1 met P1 and Anatole.")
        self.assertEqual(len(offsets), 2)
        # "met" moves from 4 to 3; "Anatole" from 16 to 14.
        self.assertEqual((offsets.start(4), offsets.end(7)), (3, 6))
        self.assertEqual(new[offsets.start(16) : offsets.end(24)], "Anatole.")

    def test_longest_names_win_and_a_name_may_span_a_line_break(self):
        new, _ = replace_names("Maria Lopez and Maria\nLopez and Maria.", {"Maria": "A", "Maria Lopez": "B"})
        self.assertEqual(new, "B and B and A.")

    def test_a_span_inside_a_name_snaps_to_the_pseudonym_edges(self):
        text = "I am Jo Smith, a cook."
        new, offsets = replace_names(text, {"Jo Smith": "Worker 7"})
        self.assertEqual(new, "I am Worker 7, a cook.")
        start, end = offsets.start(text.index("Smith")), offsets.end(text.index("Smith") + 3)
        self.assertEqual(new[start:end], "Worker 7")
        # A span ending right where a name starts does not swallow it; one starting after it shifts.
        self.assertEqual(offsets.end(5), 5)
        self.assertEqual(new[offsets.start(15) : offsets.end(22)], "a cook.")

    def test_a_pseudonym_is_never_replaced_again(self):
        new, offsets = replace_names("Lee and Lee-Anne", {"Lee": "Lee-Anne"})
        self.assertEqual(new, "Lee-Anne and Lee-Anne")
        self.assertEqual(len(offsets), 1)
        again, more = replace_names(new, {"Lee": "Lee-Anne"})
        self.assertEqual((again, len(more)), (new, 0))

    def test_no_names_changes_nothing(self):
        self.assertEqual(replace_names("text", {})[0], "text")


class ApplyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.administrator = make_user("alice", Role.ADMINISTRATOR)

    def setUp(self):
        self.project = factories.project()
        self.text = "Maria Lopez said: Maria trains workers. Call Maria Lopez."
        self.document = factories.document(self.project, text=self.text)
        Pseudonym.objects.create(project=self.project, name="Maria Lopez", pseudonym="Participant 1")
        code = factories.code(self.project)
        self.trains = factories.coding_of(self.document, code, self.administrator, "trains workers")
        self.inside = factories.coding(self.document, code, self.administrator, 6, 11)  # "Lopez"

    def test_preview_counts_and_writes_nothing(self):
        report = deidentify.preview(self.project)
        self.assertEqual(report.replacements, 2)
        self.document.refresh_from_db()
        self.assertEqual(self.document.text, self.text)

    def test_it_replaces_names_moves_codings_and_keeps_the_original(self):
        report = deidentify.apply(self.project, by=self.administrator)
        self.assertEqual(report.replacements, 2)
        self.document.refresh_from_db()
        self.assertEqual(self.document.text, "Participant 1 said: Maria trains workers. Call Participant 1.")
        self.assertEqual(self.document.original_text, self.text)
        self.assertTrue(self.document.is_deidentified)
        self.trains.refresh_from_db()
        self.assertEqual(self.trains.snippet, "trains workers")
        self.assertEqual(
            self.document.text[self.trains.start_offset : self.trains.end_offset], "trains workers"
        )
        self.inside.refresh_from_db()
        self.assertEqual(
            (self.inside.start_offset, self.inside.end_offset, self.inside.snippet), (0, 13, "Participant 1")
        )
        event = AuditEvent.objects.get(object_pk=str(self.project.pk), action="change")
        self.assertEqual(event.actor, self.administrator)

    def test_running_again_works_on_the_current_text_and_keeps_the_first_original(self):
        deidentify.apply(self.project, by=self.administrator)
        Pseudonym.objects.create(project=self.project, name="Maria", pseudonym="Participant 2")
        deidentify.apply(self.project, by=self.administrator)
        self.document.refresh_from_db()
        self.assertEqual(
            self.document.text, "Participant 1 said: Participant 2 trains workers. Call Participant 1."
        )
        self.assertEqual(self.document.original_text, self.text)
        self.trains.refresh_from_db()
        self.assertEqual(self.trains.snippet, "trains workers")

    @override_settings(STORAGES={"default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}})
    def test_without_keep_originals_the_original_text_and_file_are_discarded(self):
        self.project.keep_originals = False
        self.project.save()
        self.document.original_file.save("t.txt", ContentFile(self.text.encode()))
        name = self.document.original_file.name
        self.assertTrue(default_storage.exists(name))
        with self.captureOnCommitCallbacks(execute=True):
            deidentify.apply(self.project, by=self.administrator)
        self.document.refresh_from_db()
        self.assertEqual(self.document.original_text, "")
        self.assertFalse(self.document.original_file)
        self.assertFalse(default_storage.exists(name))
        self.assertNotIn("Maria Lopez", self.document.text)
        self.assertEqual(Coding.objects.filter(document=self.document).count(), 2)
