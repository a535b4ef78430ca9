"""The rounds pages: list, open, change, detail, close and reopen, compare, reconcile."""

from django.urls import reverse

from healthywork.accounts.roles import Role
from healthywork.core.tests.base import PersonaTestCase, make_user
from healthywork.scan import rounds
from healthywork.scan.models import Coding, ProjectRole, Round, RoundStatus
from healthywork.scan.tests import factories
from healthywork.scan.tests.test_rounds_agreement import TEN, unit_span


class RoundViewsTest(PersonaTestCase):
    """`evaluator` is the stranger (no membership), `viewer` a reader, `member` the lead."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_coder = make_user("cora", Role.CODER)
        cls.project = factories.project("Scan 2017")
        factories.member(cls.project, cls.coder, ProjectRole.CODER)
        factories.member(cls.project, cls.other_coder, ProjectRole.CODER)
        factories.member(cls.project, cls.member, ProjectRole.LEAD)
        factories.member(cls.project, cls.viewer, ProjectRole.READER)
        cls.document = factories.document(cls.project, text=TEN, title="Ten sentences")
        cls.code = factories.code(cls.project, "Wage theft", colour="#aa3300")
        cls.round = factories.round_of(
            cls.project, [cls.document], [cls.coder, cls.other_coder], name="Pilot"
        )
        factories.coding(cls.document, cls.code, cls.coder, *unit_span(TEN, 0, 4), round=cls.round)
        factories.coding(cls.document, cls.code, cls.other_coder, *unit_span(TEN, 0, 2), round=cls.round)

    def url(self, name: str, obj=None) -> str:
        return reverse(f"scan:{name}", args=[(obj or self.round).public_id])

    def close(self) -> None:
        self.round.status = RoundStatus.CLOSED
        self.round.save()

    # reading

    def test_the_list_shows_rounds_with_status_and_agreement_at_closing(self):
        rounds.close_round(self.round, by=self.member)
        self.login(self.viewer)
        response = self.client.get(self.url("round-list", self.project))
        self.assertContains(response, "Pilot")
        self.assertContains(response, "Closed")
        alpha = rounds.compare_round(self.round).overall.alpha
        self.assertContains(response, f"{alpha:.3f}")
        self.assertNotContains(response, self.url("round-create", self.project))

    def test_the_detail_shows_progress_per_coder_to_a_lead(self):
        self.login(self.member)
        response = self.client.get(self.url("round-detail"))
        self.assertContains(response, "cody")
        self.assertContains(response, "cora")
        self.assertContains(response, self.url("round-close"))
        self.assertEqual(response.context["totals"], [1, 1])

    def test_a_coder_sees_only_their_own_progress(self):
        self.login(self.coder)
        response = self.client.get(self.url("round-detail"))
        self.assertEqual([coder.username for coder in response.context["coders"]], ["cody"])
        self.assertNotContains(response, self.url("round-close"))

    def test_pages_need_login(self):
        for url in (
            self.url("round-list", self.project),
            self.url("round-create", self.project),
            self.url("round-detail"),
            self.url("round-compare"),
        ):
            self.assertNeedsLogin(url)
        self.assertNeedsLogin(self.url("round-close"), "post")

    def test_a_stranger_gets_404(self):
        self.login(self.evaluator)
        for url in (
            self.url("round-list", self.project),
            self.url("round-create", self.project),
            self.url("round-detail"),
            self.url("round-compare"),
            self.url("round-close"),
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertEqual(self.client.post(self.url("round-reconcile")).status_code, 404)

    def test_a_reader_gets_403_on_writes_and_on_the_comparison(self):
        self.close()
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.url("round-create", self.project)).status_code, 403)
        self.assertEqual(self.client.post(self.url("round-reopen")).status_code, 403)
        self.assertEqual(self.client.post(self.url("round-accept-agreements")).status_code, 403)
        self.assertEqual(self.client.post(self.url("round-reconcile")).status_code, 403)
        self.assertEqual(self.client.get(self.url("round-compare")).status_code, 403)
        self.round.refresh_from_db()
        self.assertEqual(self.round.status, RoundStatus.CLOSED)

    # opening and changing

    def test_a_lead_opens_a_round(self):
        self.login(self.member)
        data = {
            "name": "Second",
            "unit": "paragraph",
            "documents": [self.document.pk],
            "coders": [self.coder.pk, self.other_coder.pk],
        }
        response = self.client.post(self.url("round-create", self.project), data)
        created = Round.objects.get(name="Second")
        self.assertRedirects(response, created.get_absolute_url())
        self.assertEqual(created.unit, "paragraph")

    def test_a_reader_as_coder_is_refused_by_name_and_nothing_is_created(self):
        self.login(self.member)
        data = {"name": "Bad", "unit": "sentence", "documents": [self.document.pk]}
        response = self.client.post(
            self.url("round-create", self.project), {**data, "coders": [self.viewer.pk]}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "vic is not a coder or lead researcher", status_code=400)
        response = self.client.post(self.url("round-create", self.project), data)
        self.assertContains(response, "Choose at least two coders", status_code=400)
        self.assertFalse(Round.objects.filter(name="Bad").exists())

    def test_a_lead_changes_an_open_round(self):
        self.login(self.member)
        second = factories.document(self.project, title="Second")
        data = {
            "name": "Pilot",
            "unit": "sentence",
            "documents": [self.document.pk, second.pk],
            "coders": [self.coder.pk, self.other_coder.pk],
        }
        response = self.client.post(self.url("round-edit"), data)
        self.assertRedirects(response, self.round.get_absolute_url())
        self.assertEqual(self.round.documents.count(), 2)

    # closing and reopening

    def test_close_asks_for_confirmation_then_closes_and_reopen_opens(self):
        self.login(self.member)
        self.assertContains(self.client.get(self.url("round-close")), "Close the round")
        self.round.refresh_from_db()
        self.assertTrue(self.round.is_open)
        self.assertRedirects(self.client.post(self.url("round-close")), self.round.get_absolute_url())
        self.round.refresh_from_db()
        self.assertFalse(self.round.is_open)
        detail = self.client.get(self.url("round-detail"))
        self.assertContains(detail, "Reopen round")
        self.assertContains(detail, self.url("round-compare"))
        self.client.post(self.url("round-reopen"))
        self.round.refresh_from_db()
        self.assertTrue(self.round.is_open)

    def test_a_coder_cannot_close_the_round(self):
        self.login(self.coder)
        self.assertEqual(self.client.post(self.url("round-close")).status_code, 403)
        self.round.refresh_from_db()
        self.assertTrue(self.round.is_open)

    # comparing

    def test_the_comparison_is_withheld_while_the_round_is_open(self):
        for user in (self.member, self.coder):
            self.login(user)
            response = self.client.get(self.url("round-compare"))
            self.assertContains(response, "The round is still open")
            self.assertNotIn("comparison", response.context)
            self.assertNotContains(response, "Percent agreement")

    def test_the_comparison_shows_each_code_with_its_statistics_and_a_reading(self):
        self.close()
        self.login(self.coder)
        response = self.client.get(self.url("round-compare"))
        # cody 1 1 1 1 1 0 0 0 0 0, cora 1 1 1 0 0 0 0 0 0 0: p_o = .8, p_e = .5·.3 + .5·.7 = .5,
        # κ = .6; α = 1 − 19·4 / (2·12·8) = 1 − 76/192 = .604
        self.assertContains(response, "Wage theft")
        self.assertContains(response, "#aa3300")
        self.assertContains(response, "0.800")
        self.assertContains(response, "0.600")
        self.assertContains(response, "0.604")
        self.assertContains(response, "unreliable (α &lt; .667)")
        self.assertContains(response, 'id="agreement-spec"')
        self.assertNotContains(response, "Accept all agreements")  # a coder does not reconcile

    def test_the_unit_switch_and_an_unknown_unit(self):
        self.close()
        self.login(self.member)
        response = self.client.get(self.url("round-compare") + "?unit=paragraph")
        self.assertEqual(response.context["comparison"].n_units, 1)
        response = self.client.get(self.url("round-compare") + "?unit=word")
        self.assertEqual(response.context["unit"], "sentence")

    def test_the_disagreements_of_a_code_side_by_side(self):
        self.close()
        self.login(self.member)
        response = self.client.get(self.url("round-compare") + f"?code={self.code.public_id}")
        self.assertContains(response, "Delta sentence 3.")
        self.assertContains(response, "Echo sentence 4.")
        self.assertNotContains(response, "Alpha sentence 0.")
        self.assertContains(response, "Apply consensus")
        response = self.client.get(self.url("round-compare") + "?code=not-a-uuid")
        self.assertEqual(response.status_code, 404)

    # reconciling

    def test_a_lead_applies_consensus_and_accepts_agreements(self):
        self.close()
        self.login(self.member)
        start, end = unit_span(TEN, 3, 3)
        data = {
            "code": self.code.public_id,
            "document": self.document.public_id,
            "unit_start": start,
            "unit_end": end,
            "decision": "apply",
        }
        response = self.client.post(self.url("round-reconcile"), data)
        self.assertEqual(response.status_code, 302)
        consensus = Coding.objects.get(is_consensus=True)
        self.assertEqual((consensus.snippet, consensus.coder), ("Delta sentence 3.", self.member))
        response = self.client.post(self.url("round-accept-agreements"), follow=True)
        self.assertContains(response, "3 consensus codings are created")
        self.assertEqual(Coding.objects.filter(is_consensus=True).count(), 4)

    def test_an_incomplete_decision_names_the_field_and_changes_nothing(self):
        self.close()
        self.login(self.member)
        data = {"code": self.code.public_id, "document": self.document.public_id, "decision": "apply"}
        response = self.client.post(self.url("round-reconcile"), data)
        self.assertContains(response, "unit_start", status_code=400)
        self.assertFalse(Coding.objects.filter(is_consensus=True).exists())

    def test_reconciling_an_open_round_is_refused_with_a_message(self):
        self.login(self.member)
        start, end = unit_span(TEN, 3, 3)
        data = {
            "code": self.code.public_id,
            "document": self.document.public_id,
            "unit_start": start,
            "unit_end": end,
            "decision": "apply",
        }
        response = self.client.post(self.url("round-reconcile"), data, follow=True)
        self.assertContains(response, "Close the round before reconciling")
        self.assertFalse(Coding.objects.filter(is_consensus=True).exists())
