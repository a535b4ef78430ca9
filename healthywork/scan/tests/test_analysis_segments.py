"""Retrieval of coded segments (scan:segments) and its CSV, XLSX and DOCX exports."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.tests import factories as partner_factories
from healthywork.scan.models import ProjectRole
from healthywork.scan.tests import factories


class AnalysisTestCase(PersonaTestCase):
    """A project with two interviewed organizations, a small codebook tree and codings by two
    coders. `member` (a team member) is the stranger: not in the project."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = partner_factories.organization("Warehouse Workers United", "labor", level="local")
        cls.clinic = partner_factories.organization("Lakeside Clinic", "healthcare", level="state")
        cls.project = factories.project("Healthy work scan")
        factories.member(cls.project, cls.coder, ProjectRole.CODER)
        factories.member(cls.project, cls.viewer, ProjectRole.READER)
        factories.member(cls.project, cls.facilitator, ProjectRole.READER)
        cls.precarity = factories.code(cls.project, "Precarity", position=1)
        cls.scheduling = factories.code(cls.project, "Scheduling", parent=cls.precarity)
        cls.policy = factories.code(cls.project, "Policy", position=2)
        union_interview = factories.interview(cls.project, cls.union)
        clinic_interview = factories.interview(cls.project, cls.clinic)
        cls.union_doc = factories.document(cls.project, title="Union transcript", interview=union_interview)
        cls.clinic_doc = factories.document(
            cls.project, title="Clinic transcript", interview=clinic_interview
        )
        coding_of = factories.coding_of
        cls.agencies = coding_of(
            cls.union_doc, cls.precarity, cls.coder, "Many of our members work through staffing agencies."
        )
        cls.schedule = coding_of(
            cls.union_doc, cls.scheduling, cls.coder, "They do not know their schedule from one week"
        )
        cls.ordinance = coding_of(
            cls.union_doc, cls.policy, cls.coder, "We are pushing a fair workweek ordinance"
        )
        cls.overlap = coding_of(
            cls.union_doc, cls.precarity, cls.coder, "staffing agencies. They do not know"
        )
        cls.wage_theft = coding_of(cls.clinic_doc, cls.precarity, cls.administrator, "Wage theft is common.")
        cls.consensus = coding_of(
            cls.clinic_doc, cls.scheduling, cls.administrator, "do not know their schedule", is_consensus=True
        )
        cls.wage_policy = coding_of(cls.clinic_doc, cls.policy, cls.coder, "Wage theft")

    def url(self, **params) -> str:
        base = reverse("scan:segments", args=[self.project.public_id])
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return f"{base}?{query}" if query else base


class SegmentsPageTests(AnalysisTestCase):
    def quotes(self, response) -> list[str]:
        return [segment["snippet"] for segment in response.context["segments"]]

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url(code=self.precarity.public_id))

    def test_a_stranger_gets_404(self):
        self.login(self.member)
        self.assertEqual(self.client.get(self.url(code=self.precarity.public_id)).status_code, 404)

    def test_it_asks_for_a_code_before_listing_anything(self):
        self.login(self.viewer)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose a code")
        self.assertNotIn("segments", response.context)

    def test_it_lists_the_segments_of_a_code_sorted_by_organization(self):
        self.login(self.viewer)
        response = self.client.get(self.url(code=self.precarity.public_id))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.quotes(response),
            [self.wage_theft.snippet, self.agencies.snippet, self.overlap.snippet],
        )
        self.assertContains(response, "Lakeside Clinic")
        self.assertContains(response, "Healthcare")
        self.assertContains(response, "2017-06-01")

    def test_an_htmx_request_gets_only_the_results(self):
        self.login(self.viewer)
        response = self.client.get(self.url(code=self.precarity.public_id), headers={"HX-Request": "true"})
        self.assertContains(response, 'id="results"')
        self.assertNotContains(response, "<h1>")

    def test_sub_codes_are_included_on_request(self):
        self.login(self.viewer)
        response = self.client.get(self.url(code=self.precarity.public_id, children="on"))
        self.assertEqual(len(self.quotes(response)), 5)
        self.assertIn(self.schedule.snippet, self.quotes(response))

    def test_it_filters_by_sector_family_level_coder_consensus_and_words(self):
        self.login(self.viewer)
        code = {"code": self.precarity.public_id, "children": "on"}
        cases = [
            ({"sector": "labor"}, {self.agencies, self.schedule, self.overlap}),
            ({"family": "health"}, {self.wage_theft, self.consensus}),
            ({"level": "state"}, {self.wage_theft, self.consensus}),
            ({"coder": self.administrator.username}, {self.wage_theft, self.consensus}),
            ({"consensus": "on"}, {self.consensus}),
            ({"q": "WAGE"}, {self.wage_theft}),
        ]
        for extra, expected in cases:
            with self.subTest(extra):
                response = self.client.get(self.url(**code, **extra))
                self.assertEqual(set(self.quotes(response)), {coding.snippet for coding in expected})

    def test_it_shows_the_coder_or_consensus(self):
        self.login(self.viewer)
        response = self.client.get(self.url(code=self.scheduling.public_id))
        labels = {segment["snippet"]: segment["coder_label"] for segment in response.context["segments"]}
        self.assertEqual(labels[self.consensus.snippet], "consensus")
        self.assertEqual(labels[self.schedule.snippet], "cody")

    def test_each_segment_links_to_its_place_in_the_document(self):
        self.login(self.viewer)
        response = self.client.get(self.url(code=self.policy.public_id))
        page = reverse("scan:document-code", args=[self.union_doc.public_id])
        anchor = f"{page}?coding={self.ordinance.public_id}#coding-{self.ordinance.public_id}"
        self.assertContains(response, anchor)

    def test_catalog_actions_are_offered_only_to_catalog_editors(self):
        quote_url = reverse("scan:quote-to-initiative", args=[self.ordinance.public_id])
        self.login(self.viewer)
        self.assertNotContains(self.client.get(self.url(code=self.policy.public_id)), quote_url)
        self.login(self.facilitator)
        response = self.client.get(self.url(code=self.policy.public_id))
        self.assertContains(response, f"{quote_url}#create")
        self.assertContains(response, f"{quote_url}#link")

    def test_a_coder_in_an_open_blind_round_sees_only_their_own_segments(self):
        factories.round_of(self.project, [self.clinic_doc], [self.coder, self.administrator])
        self.login(self.coder)
        response = self.client.get(self.url(code=self.precarity.public_id, children="on"))
        self.assertNotIn(self.wage_theft.snippet, self.quotes(response))
        self.assertNotIn(self.consensus.snippet, self.quotes(response))
        self.assertIn(self.agencies.snippet, self.quotes(response))

    def test_an_unknown_code_is_refused_with_a_message_naming_the_field(self):
        self.login(self.viewer)
        other_project_code = factories.code(factories.project())
        for value in ("not-a-code", other_project_code.public_id):
            with self.subTest(value):
                response = self.client.get(self.url(code=value))
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "Code:", status_code=400)

    def test_the_number_of_queries_does_not_grow_with_the_segments(self):
        self.login(self.viewer)
        self.client.get(self.url(code=self.precarity.public_id))  # warm the session
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url(code=self.precarity.public_id))
        for _number in range(20):
            factories.coding_of(self.clinic_doc, self.precarity, self.coder, "Wage theft is common.")
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url(code=self.precarity.public_id))
        self.assertEqual(len(response.context["segments"]), 23)
        self.assertEqual(len(many), len(few))


class SegmentExportTests(AnalysisTestCase):
    def test_the_csv_holds_every_segment_of_the_filter(self):
        self.login(self.viewer)
        response = self.client.get(self.url(code=self.precarity.public_id, children="on", format="csv"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:4], ["Code", "Quote", "Document", "Organization"])
        self.assertEqual(len(rows), 6)
        self.assertIn(
            ["Precarity", "Wage theft is common.", "Clinic transcript", "Lakeside Clinic"],
            [r[:4] for r in rows],
        )

    def test_the_csv_neutralises_formulas(self):
        document = factories.document(self.project, text="=HYPERLINK(evil) said the respondent")
        factories.coding_of(document, self.policy, self.coder, "=HYPERLINK(evil)")
        self.login(self.viewer)
        response = self.client.get(self.url(code=self.policy.public_id, format="csv"))
        self.assertIn("'=HYPERLINK(evil)", response.content.decode("utf-8-sig"))

    def test_the_xlsx_opens_with_the_same_rows(self):
        from openpyxl import load_workbook

        self.login(self.viewer)
        response = self.client.get(self.url(code=self.policy.public_id, format="xlsx"))
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        self.assertEqual(len(values), 3)
        self.assertEqual({row[1] for row in values[1:]}, {self.ordinance.snippet, self.wage_policy.snippet})

    def test_the_docx_has_a_heading_per_code_and_each_quote_with_its_attribution(self):
        from docx import Document as WordDocument

        self.login(self.viewer)
        response = self.client.get(self.url(code=self.precarity.public_id, children="on", format="docx"))
        self.assertEqual(response.status_code, 200)
        paragraphs = WordDocument(io.BytesIO(response.content)).paragraphs
        headings = [p.text for p in paragraphs if p.style.name == "Heading 2"]
        self.assertEqual(headings, ["Precarity", "Scheduling"])
        quotes = [p.text for p in paragraphs if p.style.name == "Quote"]
        self.assertEqual(len(quotes), 5)
        index = [p.text for p in paragraphs].index("Wage theft is common.")
        attribution = paragraphs[index + 1].text
        for part in ("Lakeside Clinic", "Healthcare", "2017-06-01", "Clinic transcript", "Alice Admin"):
            self.assertIn(part, attribution)

    def test_an_unknown_format_is_refused(self):
        self.login(self.viewer)
        response = self.client.get(self.url(code=self.precarity.public_id, format="pdf"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("pdf", response.content.decode())

    def test_a_stranger_gets_404_for_an_export(self):
        self.login(self.member)
        response = self.client.get(self.url(code=self.precarity.public_id, format="csv"))
        self.assertEqual(response.status_code, 404)
