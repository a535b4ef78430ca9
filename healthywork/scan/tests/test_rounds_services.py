"""Opening, changing, closing and reconciling rounds, and blind visibility while a round is open."""

from django.core.exceptions import PermissionDenied, ValidationError

from healthywork.accounts.roles import Role
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase, make_user
from healthywork.scan import rounds
from healthywork.scan.models import Coding, ProjectRole, Round, RoundStatus
from healthywork.scan.tests import factories
from healthywork.scan.tests.test_rounds_agreement import TEN, unit_span


class RoundServicesTest(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_coder = make_user("cora", Role.CODER, first_name="Cora", last_name="Diaz")
        cls.lead = make_user("lee", Role.TEAM_MEMBER)
        cls.project = factories.project()
        factories.member(cls.project, cls.coder, ProjectRole.CODER)
        factories.member(cls.project, cls.other_coder, ProjectRole.CODER)
        factories.member(cls.project, cls.lead, ProjectRole.LEAD)
        factories.member(cls.project, cls.viewer, ProjectRole.READER)
        cls.document = factories.document(cls.project, text=TEN, title="Ten sentences")
        cls.code = factories.code(cls.project, "X")

    def open(self, **overrides) -> Round:
        fields = {
            "name": "Pilot",
            "documents": [self.document],
            "coders": [self.coder, self.other_coder],
            "unit": "sentence",
            "by": self.lead,
        }
        fields.update(overrides)
        return rounds.open_round(self.project, **fields)

    def test_a_lead_opens_a_round_and_it_is_audited(self):
        blind_round = self.open()
        self.assertEqual(set(blind_round.coders.all()), {self.coder, self.other_coder})
        self.assertEqual(blind_round.opened_by, self.lead)
        self.assertTrue(AuditEvent.objects.for_object(blind_round).filter(action="create").exists())

    def test_a_reader_or_a_coder_cannot_open_a_round(self):
        for user in (self.viewer, self.coder):
            with self.assertRaises(PermissionDenied):
                self.open(by=user)
        self.assertFalse(Round.objects.exists())

    def test_a_coder_who_is_a_reader_is_refused_by_name(self):
        with self.assertRaises(ValidationError) as caught:
            self.open(coders=[self.coder, self.viewer])
        self.assertIn("coders", caught.exception.error_dict)
        self.assertIn("vic", str(caught.exception))
        self.assertFalse(Round.objects.exists())

    def test_one_coder_is_not_enough_and_a_foreign_document_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.open(coders=[self.coder])
        self.assertIn("coders", caught.exception.error_dict)
        foreign = factories.document(factories.project(), title="Elsewhere")
        with self.assertRaises(ValidationError) as caught:
            self.open(documents=[foreign])
        self.assertIn("Elsewhere", str(caught.exception.error_dict["documents"]))

    def test_codings_are_blind_while_the_round_is_open(self):
        blind_round = self.open()
        mine = factories.coding(self.document, self.code, self.coder, 0, 5, round=blind_round)
        theirs = factories.coding(self.document, self.code, self.other_coder, 0, 5, round=blind_round)
        self.assertEqual(list(Coding.objects.visible_to(self.coder)), [mine])
        self.assertEqual(list(Coding.objects.visible_to(self.other_coder)), [theirs])
        self.assertEqual(
            rounds.coder_progress(blind_round, self.coder), {(self.coder.pk, self.document.pk): 1}
        )
        rounds.close_round(blind_round, by=self.lead)
        self.assertEqual(set(Coding.objects.visible_to(self.coder)), {mine, theirs})

    def test_close_and_reopen_need_a_manager_and_are_audited(self):
        blind_round = self.open()
        with self.assertRaises(PermissionDenied):
            rounds.close_round(blind_round, by=self.coder)
        rounds.close_round(blind_round, by=self.lead)
        self.assertEqual(blind_round.status, RoundStatus.CLOSED)
        with self.assertRaises(ValidationError):
            rounds.close_round(blind_round, by=self.lead)
        with self.assertRaises(PermissionDenied):
            rounds.reopen_round(blind_round, by=self.viewer)
        rounds.reopen_round(blind_round, by=self.administrator)
        self.assertTrue(blind_round.is_open)
        self.assertIsNone(blind_round.closed_at)
        self.assertEqual(AuditEvent.objects.for_object(blind_round).filter(action="change").count(), 2)

    def test_update_changes_documents_and_coders_only_while_open(self):
        blind_round = self.open()
        second = factories.document(self.project, title="Second")
        rounds.update_round(blind_round, documents=[self.document, second], by=self.lead)
        self.assertEqual(blind_round.documents.count(), 2)
        rounds.close_round(blind_round, by=self.lead)
        with self.assertRaises(ValidationError):
            rounds.update_round(blind_round, documents=[second], by=self.lead)
        self.assertEqual(blind_round.documents.count(), 2)


class ReconcileTest(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_coder = make_user("cora", Role.CODER)
        cls.project = factories.project()
        factories.member(cls.project, cls.coder, ProjectRole.CODER)
        factories.member(cls.project, cls.other_coder, ProjectRole.CODER)
        cls.document = factories.document(cls.project, text=TEN, title="Ten sentences")
        cls.code = factories.code(cls.project, "X")
        cls.round = factories.round_of(
            cls.project, [cls.document], [cls.coder, cls.other_coder], status=RoundStatus.CLOSED
        )
        factories.coding(cls.document, cls.code, cls.coder, *unit_span(TEN, 0, 4), round=cls.round)
        factories.coding(cls.document, cls.code, cls.other_coder, *unit_span(TEN, 0, 2), round=cls.round)

    def decide(self, unit_index: int, decision: str, by=None):
        start, end = unit_span(TEN, unit_index, unit_index)
        return rounds.reconcile(
            self.round,
            code=self.code,
            document=self.document,
            unit_start=start,
            unit_end=end,
            decision=decision,
            by=by or self.administrator,
        )

    def test_apply_creates_an_audited_consensus_coding_over_the_unit(self):
        coding = self.decide(3, "apply")
        self.assertTrue(coding.is_consensus)
        self.assertEqual((coding.coder, coding.round), (self.administrator, self.round))
        self.assertEqual(coding.snippet, "Delta sentence 3.")
        self.assertTrue(AuditEvent.objects.for_object(coding).filter(action="create").exists())
        resolutions = [d.resolution for d in rounds.unit_decisions(self.round, code=self.code)]
        self.assertEqual(resolutions, ["applied", ""])

    def test_reject_is_recorded_and_removes_a_consensus_coding_of_the_unit(self):
        self.decide(4, "apply")
        self.decide(4, "reject")
        self.assertFalse(Coding.objects.filter(is_consensus=True).exists())
        self.assertTrue(AuditEvent.objects.for_object(self.round).filter(note=rounds.REJECT_NOTE).exists())
        resolutions = [d.resolution for d in rounds.unit_decisions(self.round, code=self.code)]
        self.assertEqual(resolutions, ["", "rejected"])

    def test_consensus_codings_do_not_change_the_agreement(self):
        before = rounds.compare_round(self.round).codes[0].alpha
        self.decide(3, "apply")
        self.assertEqual(rounds.compare_round(self.round).codes[0].alpha, before)

    def test_accept_all_agreements_codes_the_units_where_all_coders_said_yes(self):
        created = rounds.accept_agreements(self.round, by=self.administrator)
        self.assertEqual(created, 3)
        snippets = list(Coding.objects.filter(is_consensus=True).values_list("snippet", flat=True))
        self.assertEqual(snippets, ["Alpha sentence 0.", "Bravo sentence 1.", "Charlie sentence 2."])
        self.assertEqual(rounds.accept_agreements(self.round, by=self.administrator), 0)  # idempotent

    def test_reconciling_needs_a_manager_and_a_closed_round(self):
        with self.assertRaises(PermissionDenied):
            self.decide(3, "apply", by=self.coder)
        self.round.status = RoundStatus.OPEN
        self.round.save()
        with self.assertRaises(ValidationError):
            self.decide(3, "apply")
        with self.assertRaises(ValidationError):
            rounds.accept_agreements(self.round, by=self.administrator)
        self.assertFalse(Coding.objects.filter(is_consensus=True).exists())

    def test_a_unit_outside_the_document_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            rounds.reconcile(
                self.round,
                code=self.code,
                document=self.document,
                unit_start=0,
                unit_end=len(TEN) + 5,
                decision="apply",
                by=self.administrator,
            )
        self.assertIn("unit_start", caught.exception.error_dict)
        self.assertFalse(Coding.objects.filter(is_consensus=True).exists())
