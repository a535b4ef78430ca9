"""The coding services: apply, adjust, remove codings, and memos, with their rules and audit."""

from django.core.exceptions import PermissionDenied, ValidationError

from healthywork.core.models import AuditEvent
from healthywork.scan import coding as services
from healthywork.scan.models import Coding, Memo
from healthywork.scan.tests import factories
from healthywork.scan.tests.test_coding_base import CodingTestCase


class AddCodingsTests(CodingTestCase):
    def test_it_applies_several_codes_to_a_span_with_its_snippet_and_coder(self):
        start, end = self.span("Wage theft is common.")
        codings = services.add_codings(
            self.document,
            code_ids=[self.wage_theft.pk, self.scheduling.pk],
            start=start,
            end=end,
            by=self.coder,
        )
        self.assertEqual([c.code for c in codings], [self.wage_theft, self.scheduling])
        self.assertTrue(all(c.snippet == "Wage theft is common." and c.coder == self.coder for c in codings))
        self.assertIsNone(codings[0].round)
        self.assertEqual(
            AuditEvent.objects.filter(action="create", object_repr__startswith="Wage").count(), 1
        )

    def test_it_records_the_open_round_in_which_the_coder_codes(self):
        blind = factories.round_of(self.project, [self.document], [self.coder])
        [coding] = services.add_codings(
            self.document, code_ids=[self.wage_theft.pk], start=0, end=5, by=self.coder
        )
        self.assertEqual(coding.round, blind)
        [other] = services.add_codings(
            self.document, code_ids=[self.wage_theft.pk], start=0, end=5, by=self.lead
        )
        self.assertIsNone(other.round)

    def test_it_does_not_duplicate_the_same_coding(self):
        first = services.add_codings(
            self.document, code_ids=[self.wage_theft.pk], start=0, end=5, by=self.coder
        )
        again = services.add_codings(
            self.document, code_ids=[self.wage_theft.pk], start=0, end=5, by=self.coder
        )
        self.assertEqual(first, again)
        self.assertEqual(Coding.objects.count(), 1)

    def test_bad_offsets_name_the_field_and_change_nothing(self):
        length = len(self.document.text)
        for start, end, field in [(-1, 4, "start"), (0, length + 1, "end"), (8, 8, "end"), (9, 3, "end")]:
            with self.assertRaises(ValidationError) as caught:
                services.add_codings(
                    self.document, code_ids=[self.wage_theft.pk], start=start, end=end, by=self.coder
                )
            self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(Coding.objects.exists())

    def test_a_code_of_another_project_or_no_code_is_refused(self):
        for code_ids in ([self.wage_theft.pk, self.foreign_code.pk], []):
            with self.assertRaises(ValidationError) as caught:
                services.add_codings(self.document, code_ids=code_ids, start=0, end=4, by=self.coder)
            self.assertIn("codes", caught.exception.message_dict)
        self.assertFalse(Coding.objects.exists())


class AdjustAndRemoveTests(CodingTestCase):
    def setUp(self):
        self.coding = factories.coding_of(self.document, self.wage_theft, self.coder, "Wage theft")

    def test_the_coder_adjusts_the_span_and_the_snippet_follows(self):
        start, end = self.span("Wage theft is common.")
        services.adjust_coding(self.coding, start=start, end=end, by=self.coder)
        self.coding.refresh_from_db()
        self.assertEqual(self.coding.snippet, "Wage theft is common.")
        event = AuditEvent.objects.get(action="change")
        self.assertEqual(event.changes["end_offset"], [start + 10, end])

    def test_another_coder_may_not_change_or_remove_it_but_a_lead_may(self):
        with self.assertRaises(PermissionDenied):
            services.adjust_coding(self.coding, start=0, end=4, by=self.second_coder)
        with self.assertRaises(PermissionDenied):
            services.remove_coding(self.coding, by=self.viewer)
        services.adjust_coding(self.coding, start=0, end=4, by=self.lead)
        services.remove_coding(self.coding, by=self.administrator)
        self.assertFalse(Coding.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(action="delete").exists())

    def test_a_bad_adjustment_changes_nothing(self):
        with self.assertRaises(ValidationError):
            services.adjust_coding(self.coding, start=10, end=2, by=self.coder)
        self.coding.refresh_from_db()
        self.assertEqual(self.coding.snippet, "Wage theft")


class MemoTests(CodingTestCase):
    def test_a_memo_on_a_coding_belongs_to_its_document_and_only_its_author_edits_it(self):
        coding = factories.coding_of(self.document, self.wage_theft, self.coder, "Wage theft")
        memo = services.add_memo(self.project, text=" Ask about remedies. ", by=self.coder, coding=coding)
        self.assertEqual((memo.document, memo.text), (self.document, "Ask about remedies."))
        with self.assertRaises(PermissionDenied):
            services.edit_memo(memo, text="Changed", by=self.lead)
        with self.assertRaises(PermissionDenied):
            services.delete_memo(memo, by=self.lead)
        services.edit_memo(memo, text="Ask about wage claims.", by=self.coder)
        memo.refresh_from_db()
        self.assertEqual(memo.text, "Ask about wage claims.")
        services.delete_memo(memo, by=self.coder)
        self.assertFalse(Memo.objects.exists())
        self.assertEqual(AuditEvent.objects.filter(content_type__model="memo").count(), 3)

    def test_an_empty_memo_or_one_on_another_projects_code_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            services.add_memo(self.project, text="   ", by=self.coder, document=self.document)
        self.assertIn("text", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            services.add_memo(self.project, text="Note", by=self.coder, code=self.foreign_code)
        self.assertFalse(Memo.objects.exists())
