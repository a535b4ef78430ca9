"""The theory of change exports: SVG (the diagram), XLSX (the tables), DOCX (the narrative)."""

import io
from datetime import date

from django.urls import reverse

from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.partners.tests import factories as partner_factories
from healthywork.planning.models import Assumption, Intervention
from healthywork.planning.tests import factories


class ExportTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.theory = factories.theory(cls.team_a)
        cls.theory.narrative = "Trust comes first.\n\nThen the council listens."
        cls.theory.save()
        goal = cls.theory.outcomes.get(is_goal=True)
        cls.policy = factories.outcome(cls.theory, "Council passes the ordinance", is_below_ceiling=False)
        cls.coalition = factories.outcome(cls.theory, "Coalition testifies")
        factories.link(cls.policy, goal, rationale="The law binds employers.")
        link = factories.link(cls.coalition, cls.policy, rationale='=HYPERLINK("http://x")')
        factories.indicator(cls.coalition, "Testimonies given", target="20", by_when=date(2019, 6, 1))
        union = partner_factories.organization("Warehouse Workers United", "labor")
        Intervention.objects.create(
            theory=cls.theory,
            title="Testimony training",
            outcome=cls.coalition,
            responsible_organization=union,
        )
        Intervention.objects.create(theory=cls.theory, title="Briefing council staff", link=link)
        Assumption.objects.create(theory=cls.theory, text="The council meets monthly")

    def url(self, fmt, team=None):
        return reverse("planning:toc-export", args=[(team or self.team_a).public_id, fmt])

    def test_it_needs_login_and_hides_other_teams(self):
        self.assertNeedsLogin(self.url("svg"))
        self.login(self.member_b)
        self.assertEqual(self.client.get(self.url("svg")).status_code, 404)

    def test_svg_is_the_diagram_without_edit_links(self):
        self.login(self.member_a)
        response = self.client.get(self.url("svg"))
        self.assertEqual(response["Content-Type"], "image/svg+xml")
        svg = response.content.decode()
        self.assertTrue(svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"'))
        self.assertIn("Council passes the ordinance", svg)
        self.assertIn("Testimony training", svg)
        self.assertIn("Briefing council staff", svg)  # on the link
        self.assertNotIn("<a ", svg)

    def test_xlsx_has_a_sheet_per_part_with_formulas_neutralised(self):
        from openpyxl import load_workbook

        self.login(self.member_a)
        response = self.client.get(self.url("xlsx"))
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["Outcomes", "Links", "Interventions", "Assumptions", "Indicators"])
        outcomes = list(book["Outcomes"].values)
        self.assertEqual(outcomes[0], ("Outcome", "Description", "Place", "Links to the goal"))
        self.assertIn(("Coalition testifies", None, "below the ceiling", 2), outcomes)
        links = list(book["Links"].values)
        self.assertEqual(links[2][2], '\'=HYPERLINK("http://x")')
        interventions = list(book["Interventions"].values)
        self.assertEqual(interventions[1][3], "Warehouse Workers United")
        self.assertEqual(interventions[2][2], "Coalition testifies → Council passes the ordinance")
        self.assertEqual(
            list(book["Assumptions"].values)[1], ("The council meets monthly", "the whole theory")
        )
        self.assertEqual(
            list(book["Indicators"].values)[1][:4], ("Coalition testifies", "Testimonies given", None, "20")
        )

    def test_docx_tells_the_goal_narrative_layers_indicators_and_owners(self):
        from docx import Document

        self.login(self.member_a)
        response = self.client.get(self.url("docx"))
        text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(response.content)).paragraphs)
        self.assertIn("Theory of change: Team A", text)
        self.assertIn("Workers in the county have stable schedules", text)
        self.assertIn("Then the council listens.", text)
        self.assertIn("Layer 2", text)
        self.assertIn("Indicator: Testimonies given (target: 20, by: 2019-06-01)", text)
        self.assertIn(
            "Testimony training — on Coalition testifies; responsible: Warehouse Workers United", text
        )
        self.assertIn("responsible: no responsible organization yet", text)

    def test_an_unknown_format_is_a_clear_400(self):
        self.login(self.member_a)
        response = self.client.get(self.url("pdf"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("Unknown format “pdf”", response.content.decode())
