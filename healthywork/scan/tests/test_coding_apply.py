"""Applying codes: by offsets (mouse or keyboard), by ticked sentences, through htmx or a plain form."""

from healthywork.core.models import AuditEvent
from healthywork.scan.models import Coding
from healthywork.scan.tests import factories
from healthywork.scan.tests.test_coding_base import CodingTestCase


class ApplyCodesTests(CodingTestCase):
    def post(self, data, **kwargs):
        return self.client.post(self.apply_url(), data, **kwargs)

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.apply_url(), method="post")

    def test_a_stranger_gets_404_and_a_reader_403(self):
        start, end = self.span("Wage theft")
        data = {"codes": [str(self.wage_theft.public_id)], "start": start, "end": end}
        self.login(self.stranger)
        self.assertEqual(self.post(data).status_code, 404)
        self.login(self.viewer)
        self.assertEqual(self.post(data).status_code, 403)
        self.assertFalse(Coding.objects.exists())

    def test_a_coder_applies_two_codes_and_returns_to_the_page_with_its_filters(self):
        start, end = self.span("Wage theft is common.")
        self.login(self.coder)
        response = self.client.post(
            self.apply_url() + "?coder=cody",
            {
                "codes": [str(self.wage_theft.public_id), str(self.scheduling.public_id)],
                "start": start,
                "end": end,
            },
        )
        self.assertRedirects(response, self.page_url() + "?coder=cody")
        codings = Coding.objects.order_by("code__name")
        self.assertEqual(
            [(c.code, c.coder, c.snippet) for c in codings],
            [
                (self.scheduling, self.coder, "Wage theft is common."),
                (self.wage_theft, self.coder, "Wage theft is common."),
            ],
        )
        self.assertEqual(AuditEvent.objects.filter(action="create", content_type__model="coding").count(), 2)

    def test_through_htmx_it_returns_the_re_rendered_text_and_side_list(self):
        start, end = self.span("fair workweek ordinance")
        self.login(self.coder)
        response = self.post(
            {"codes": [str(self.scheduling.public_id)], "start": start, "end": end},
            headers={"HX-Request": "true"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="workspace"')
        self.assertContains(
            response,
            f'<span class="run hl b1" style="--a:#2ca02c" data-start="{start}" data-c="0">'
            "fair workweek ordinance<",
        )
        self.assertContains(response, "1 coding")

    def test_offsets_count_code_points(self):
        document = factories.document(self.project, text="Pay 💸 late again.")
        self.login(self.coder)
        self.client.post(
            self.apply_url(document), {"codes": [str(self.wage_theft.public_id)], "start": 6, "end": 10}
        )
        self.assertEqual(Coding.objects.get().snippet, "late")

    def test_bad_input_names_the_field_and_changes_nothing(self):
        length = len(self.document.text)
        self.login(self.coder)
        cases = [
            ({"start": 0, "end": 5}, "Tick at least one code to apply."),
            (
                {"codes": [str(self.wage_theft.public_id)]},
                "Select some text first, or give a start and an end.",
            ),
            (
                {"codes": [str(self.wage_theft.public_id)], "start": 9, "end": 3},
                "The end must come after the start.",
            ),
            (
                {"codes": [str(self.wage_theft.public_id)], "start": 0, "end": length + 5},
                f"The end must be between 0 and {length}.",
            ),
            ({"codes": [str(self.foreign_code.public_id)], "start": 0, "end": 5}, "Select a valid choice."),
        ]
        for data, message in cases:
            response = self.post(data)
            self.assertContains(response, message, status_code=400, msg_prefix=str(data))
        response = self.post({"start": 0, "end": 5}, headers={"HX-Request": "true"})
        self.assertContains(response, "Tick at least one code to apply.", status_code=200)
        self.assertFalse(Coding.objects.exists())

    def test_without_javascript_ticked_sentences_become_one_coding_per_consecutive_run(self):
        self.login(self.coder)
        page = self.client.get(f"/scan/documents/{self.document.public_id}/code/sentences/")
        self.assertContains(page, "They do not know their schedule from one week to the next.")
        response = self.post(
            {"mode": "sentences", "codes": [str(self.scheduling.public_id)], "sentences": ["1", "2", "5"]}
        )
        self.assertEqual(response.status_code, 302)
        snippets = list(Coding.objects.order_by("start_offset").values_list("snippet", flat=True))
        self.assertEqual(
            snippets,
            [
                "Respondent: Many of our members work through staffing agencies. They do not know their "
                "schedule from one week to the next.",
                "Respondent: We are pushing a fair workweek ordinance with the city council.",
            ],
        )

    def test_the_sentences_to_tick_are_the_units_of_the_agreement_so_dr_does_not_end_one(self):
        text = "Respondent: Dr. Ruiz paid us late, e.g. in May. We complained."
        document = factories.document(self.project, text=text)
        self.login(self.coder)
        page = self.client.get(f"/scan/documents/{document.public_id}/code/sentences/")
        self.assertContains(page, "Respondent: Dr. Ruiz paid us late, e.g. in May.</label>")
        response = self.client.post(
            self.apply_url(document),
            {"mode": "sentences", "codes": [str(self.scheduling.public_id)], "sentences": ["0"]},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Coding.objects.get().snippet, "Respondent: Dr. Ruiz paid us late, e.g. in May.")

    def test_without_a_ticked_sentence_the_sentence_page_says_so(self):
        self.login(self.coder)
        response = self.post({"mode": "sentences", "codes": [str(self.scheduling.public_id)]})
        self.assertContains(response, "Tick at least one sentence.", status_code=400)
        self.login(self.viewer)
        self.assertEqual(
            self.client.get(f"/scan/documents/{self.document.public_id}/code/sentences/").status_code, 403
        )
