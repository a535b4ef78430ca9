"""The coding page: the text with its highlights, the side list, filters and blind rounds."""

import random
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from healthywork.scan.models import Coding
from healthywork.scan.tests import factories
from healthywork.scan.tests.test_coding_base import CodingTestCase


class CodingPageTests(CodingTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(self.page_url())

    def test_a_stranger_gets_404(self):
        self.login(self.stranger)
        self.assertEqual(self.client.get(self.page_url()).status_code, 404)

    def test_it_shows_the_text_with_highlights_labels_and_the_side_list(self):
        factories.coding_of(self.document, self.wage_theft, self.coder, "Wage theft is common.")
        factories.coding_of(self.document, self.scheduling, self.lead, "theft is common")
        self.login(self.coder)
        response = self.client.get(self.page_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Worker center interview</h1>", html=True)
        start = self.document.text.index("theft is common")
        # Two bands, one colour each; the run names its codings by index into one JSON list of labels.
        overlap = (
            f'<span class="run hl b2" style="--a:#d62728;--b:#2ca02c" data-start="{start}" data-c="0 1">'
            "theft is common</span>"
        )
        self.assertContains(response, overlap)
        self.assertContains(
            response,
            '<script id="coding-labels" type="application/json">["Wage theft (cody)", "Scheduling (lena)"]'
            "</script>",
        )
        self.assertContains(response, "2 codings")
        self.assertContains(response, 'id="apply-start"')
        self.assertContains(response, "Apply codes")
        # Paragraphs stay paragraphs: four in the transcript.
        self.assertEqual(response.content.decode().count('<p><span class="sentence"'), 4)

    def test_names_and_text_are_escaped_in_the_text_the_labels_and_the_side_list(self):
        code = factories.code(self.project, '<b>"Bold" & co</b>', colour="#123456")
        factories.coding_of(self.document, code, self.coder, "Wage theft")
        self.login(self.coder)
        response = self.client.get(self.page_url())
        self.assertNotContains(response, "<b>")
        self.assertContains(response, "<strong>&lt;b&gt;&quot;Bold&quot; &amp; co&lt;/b&gt;</strong>")
        self.assertContains(response, '["\\u003Cb\\u003E\\"Bold\\" \\u0026 co\\u003C/b\\u003E (cody)"]')
        self.assertContains(response, 'style="--a:#123456"')

    def test_a_reader_reads_without_the_tools_to_code(self):
        factories.coding_of(self.document, self.wage_theft, self.coder, "Wage theft")
        self.login(self.viewer)
        response = self.client.get(self.page_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Wage theft (cody)")
        self.assertNotContains(response, "Apply codes")
        self.assertNotContains(response, ">Remove<")

    def test_it_filters_by_code_and_by_coder(self):
        factories.coding_of(self.document, self.wage_theft, self.coder, "Wage theft")
        factories.coding_of(self.document, self.scheduling, self.lead, "schedule")
        self.login(self.lead)
        response = self.client.get(self.page_url(), {"code": str(self.scheduling.public_id)})
        self.assertEqual([c.code for c in response.context["codings"]], [self.scheduling])
        response = self.client.get(self.page_url(), {"coder": "cody"})
        self.assertEqual([c.coder for c in response.context["codings"]], [self.coder])
        self.assertNotContains(response, "(lena)")

    def test_in_an_open_blind_round_a_coder_sees_only_their_own_codings(self):
        factories.round_of(self.project, [self.document], [self.coder, self.second_coder], name="Pilot")
        factories.coding_of(self.document, self.wage_theft, self.coder, "Wage theft")
        factories.coding_of(self.document, self.scheduling, self.second_coder, "schedule")
        self.login(self.coder)
        response = self.client.get(self.page_url())
        self.assertContains(response, "Blind round “Pilot” is open: you see only your own codings.")
        self.assertEqual([c.coder for c in response.context["codings"]], [self.coder])
        self.assertNotContains(response, "(sam)")
        self.login(self.lead)
        response = self.client.get(self.page_url())
        self.assertNotContains(response, "Blind round")
        self.assertEqual(len(response.context["codings"]), 2)

    def test_an_htmx_request_gets_the_workspace_fragment(self):
        self.login(self.coder)
        response = self.client.get(self.page_url(), headers={"HX-Request": "true"})
        self.assertContains(response, 'id="workspace"')
        self.assertNotContains(response, "<h1>")


class LargeDocumentTests(CodingTestCase):
    """20,000 words and 1,000 overlapping codings: a constant, small number of queries."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        generator = random.Random(7)
        words = ["work", "wage", "shift", "union", "health", "schedule", "agency", "pay", "safety", "rest"]
        paragraphs = []
        for _paragraph in range(200):
            sentences = [
                " ".join(generator.choice(words) for _word in range(10)).capitalize() + "."
                for _s in range(10)
            ]
            paragraphs.append(" ".join(sentences))
        cls.big = factories.document(cls.project, text="\n\n".join(paragraphs), title="Long transcript")
        codes = [cls.wage_theft, cls.scheduling] + [factories.code(cls.project) for _code in range(8)]
        coders = [cls.coder, cls.second_coder, cls.lead]
        length = len(cls.big.text)
        codings = []
        for number in range(1000):
            start = generator.randrange(0, length - 400)
            codings.append(
                Coding(
                    document=cls.big,
                    code=codes[number % len(codes)],
                    coder=coders[number % len(coders)],
                    start_offset=start,
                    end_offset=start + generator.randrange(20, 400),
                    snippet="",
                )
            )
        Coding.objects.bulk_create(codings)

    def count_queries(self) -> tuple[int, object]:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(self.page_url(self.big))
        return len(captured), response

    def test_the_page_of_a_long_document_takes_few_queries_whatever_the_number_of_codings(self):
        self.assertEqual(self.big.word_count, 20_000)
        self.login(self.coder)
        queries, response = self.count_queries()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["codings"]), 1000)
        self.assertLessEqual(queries, 15)
        Coding.objects.filter(document=self.big, pk__in=Coding.objects.values("pk")[:500]).delete()
        fewer, _response = self.count_queries()
        self.assertEqual(fewer, queries)

    def listed(self, response) -> list[str]:
        return re.findall(r'<li id="coding-([0-9a-f-]{36})"', response.content.decode())

    def in_text_order(self, **filters) -> list[str]:
        codings = Coding.objects.filter(document=self.big, **filters).order_by(
            "start_offset", "end_offset", "id"
        )
        return [str(public_id) for public_id in codings.values_list("public_id", flat=True)]

    def test_the_side_list_shows_the_first_hundred_in_text_order_then_more_without_javascript(self):
        self.login(self.coder)
        response = self.client.get(self.page_url(self.big))
        self.assertContains(response, "1000 codings")
        order = self.in_text_order()
        self.assertEqual(self.listed(response), order[:100])
        more = f"{self.page_url(self.big)}?shown=200"
        self.assertContains(response, f'<a href="{more}#coding-{order[100]}" hx-get="{more}"')
        self.assertContains(response, "Show 100 more (100 of 1000 listed)")
        response = self.client.get(more)
        self.assertEqual(self.listed(response), order[:200])
        response = self.client.get(self.page_url(self.big), {"shown": "1000"})
        self.assertEqual(self.listed(response), order)
        self.assertNotContains(response, 'id="coding-more"')
        response = self.client.get(self.page_url(self.big), {"shown": "many"})
        self.assertEqual(self.listed(response), order[:100])

    def test_show_more_through_htmx_sends_only_the_next_codings_of_the_filtered_list(self):
        self.login(self.lead)
        headers = {"HX-Request": "true", "HX-Target": "coding-more"}
        response = self.client.get(
            self.page_url(self.big), {"coder": "cody", "shown": "200"}, headers=headers
        )
        self.assertEqual(response.status_code, 200)
        order = self.in_text_order(coder=self.coder)
        self.assertEqual(len(order), 334)
        self.assertEqual(self.listed(response), order[100:200])
        self.assertNotContains(response, 'id="coding-text"')
        self.assertContains(response, "?coder=cody&amp;shown=300")
        response = self.client.get(
            self.page_url(self.big), {"coder": "cody", "shown": "400"}, headers=headers
        )
        self.assertEqual(self.listed(response), order[300:])
        self.assertNotContains(response, 'id="coding-more"')
