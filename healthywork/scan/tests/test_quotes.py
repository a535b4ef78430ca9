"""From quote to catalog: the page (scan:quote-to-initiative), its services and the initiative's
“From the scan” panel."""

from django.urls import reverse

from healthywork.accounts.roles import Role
from healthywork.catalog.models import Initiative
from healthywork.catalog.tests import factories as catalog_factories
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import make_user
from healthywork.scan import quotes
from healthywork.scan.models import QuoteLink
from healthywork.scan.tests import factories
from healthywork.scan.tests.test_analysis_segments import AnalysisTestCase


class QuoteTestCase(AnalysisTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union_campaign = catalog_factories.initiative("Fair workweek campaign", cls.union)
        cls.other = catalog_factories.initiative("Heat safety ordinance", cls.clinic, source="A newsletter")
        # A facilitator may edit the catalog but is not in the project: a stranger to its quotes.
        cls.outsider = make_user("olga", Role.FACILITATOR)

    def quote_url(self, coding=None) -> str:
        return reverse("scan:quote-to-initiative", args=[(coding or self.ordinance).public_id])

    def create_data(self, **overrides) -> dict:
        data = {
            "action": "create",
            "title": "Fair workweek ordinance",
            "summary": self.ordinance.snippet,
            "lead_organization": "Warehouse Workers United",
            "action_type": catalog_factories.action_type().pk,
            "pse_class": "policy",
            "level": "local",
            "status": "active",
        }
        return {**data, **overrides}


class QuotePageTests(QuoteTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(self.quote_url())
        self.assertNeedsLogin(self.quote_url(), method="post")

    def test_a_stranger_gets_404_even_with_catalog_rights(self):
        for user in (self.member, self.outsider):
            self.login(user)
            with self.subTest(user.username):
                self.assertEqual(self.client.get(self.quote_url()).status_code, 404)
                self.assertEqual(self.client.post(self.quote_url(), self.create_data()).status_code, 404)
        self.assertFalse(Initiative.objects.filter(title="Fair workweek ordinance").exists())

    def test_a_reader_without_catalog_rights_gets_403(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.quote_url()).status_code, 403)
        self.assertEqual(self.client.post(self.quote_url(), self.create_data()).status_code, 403)
        self.assertFalse(QuoteLink.objects.exists())

    def test_a_blind_coders_hidden_quote_is_404(self):
        factories.round_of(self.project, [self.clinic_doc], [self.coder, self.administrator])
        self.login(self.coder)
        # The coder has no catalog rights, but the quote's existence must not show either.
        self.assertEqual(self.client.get(self.quote_url(self.wage_theft)).status_code, 404)

    def test_it_shows_the_quote_prefilled_form_and_the_organizations_initiatives_first(self):
        self.login(self.facilitator)
        response = self.client.get(self.quote_url(), {"q": "heat"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.ordinance.snippet)
        form = response.context["create_form"]
        self.assertEqual(form.initial["summary"], self.ordinance.snippet)
        self.assertEqual(form.initial["lead_organization"], self.union)
        self.assertContains(response, 'value="Warehouse Workers United"')
        self.assertEqual(response.context["candidates"], [self.union_campaign, self.other])

    def test_creating_an_initiative_links_the_quote_and_sets_the_source(self):
        self.login(self.facilitator)
        response = self.client.post(self.quote_url(), self.create_data())
        initiative = Initiative.objects.get(title="Fair workweek ordinance")
        self.assertRedirects(response, initiative.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(initiative.lead_organization, self.union)
        self.assertEqual(initiative.summary, self.ordinance.snippet)
        self.assertEqual(
            initiative.source,
            "Interview with Warehouse Workers United, 2017-06-01: “We are pushing a fair workweek ordinance”",
        )
        self.assertTrue(QuoteLink.objects.filter(coding=self.ordinance, initiative=initiative).exists())
        self.assertIn("warehouse workers united", initiative.search_text.lower())
        actions = set(
            AuditEvent.objects.filter(actor=self.facilitator).values_list("content_type__model", "action")
        )
        self.assertEqual(actions, {("initiative", "create"), ("quotelink", "create")})

    def test_a_bad_create_form_names_the_field_and_changes_nothing(self):
        self.login(self.facilitator)
        response = self.client.post(
            self.quote_url(), self.create_data(title="", lead_organization="Nobody Inc")
        )
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["create_form"].has_error("title"))
        self.assertContains(response, "No organization is called “Nobody Inc”.", status_code=400)
        self.assertFalse(QuoteLink.objects.exists())
        self.assertEqual(Initiative.objects.count(), 2)

    def test_linking_sets_an_empty_source(self):
        self.login(self.facilitator)
        response = self.client.post(
            self.quote_url(), {"action": "link", "initiative": self.union_campaign.public_id}
        )
        self.assertRedirects(response, self.union_campaign.get_absolute_url(), fetch_redirect_response=False)
        self.union_campaign.refresh_from_db()
        self.assertTrue(
            self.union_campaign.source.startswith("Interview with Warehouse Workers United, 2017-06-01")
        )
        self.assertTrue(
            QuoteLink.objects.filter(coding=self.ordinance, initiative=self.union_campaign).exists()
        )
        self.assertTrue(AuditEvent.objects.filter(action="create", content_type__model="quotelink").exists())
        self.assertTrue(
            AuditEvent.objects.filter(action="change", object_pk=str(self.union_campaign.pk)).exists()
        )

    def test_linking_keeps_a_source_already_written(self):
        self.login(self.facilitator)
        self.client.post(self.quote_url(), {"action": "link", "initiative": self.other.public_id})
        self.other.refresh_from_db()
        self.assertEqual(self.other.source, "A newsletter")
        self.assertEqual(QuoteLink.objects.filter(initiative=self.other).count(), 1)

    def test_a_duplicate_link_is_refused_with_a_message(self):
        quotes.link_quote(self.ordinance, self.other, by=self.administrator)
        events = AuditEvent.objects.count()
        self.login(self.facilitator)
        response = self.client.post(self.quote_url(), {"action": "link", "initiative": self.other.public_id})
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "This quote is already linked to “Heat safety ordinance”.", status_code=400
        )
        self.assertEqual(QuoteLink.objects.count(), 1)
        self.assertEqual(AuditEvent.objects.count(), events)

    def test_an_unknown_initiative_is_refused_with_a_message(self):
        self.login(self.facilitator)
        response = self.client.post(self.quote_url(), {"action": "link", "initiative": "not-an-id"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Initiative:", status_code=400)
        self.assertFalse(QuoteLink.objects.exists())


class SourceTextTests(QuoteTestCase):
    def test_the_quote_is_cut_at_150_characters(self):
        long_text = "Respondent: " + "word " * 80
        document = factories.document(self.project, text=long_text, interview=self.union_doc.interview)
        coding = factories.coding(document, self.policy, self.coder, 12, len(long_text))
        text = quotes.source_text(coding)
        quoted = text.split("“", 1)[1].rstrip("”")
        self.assertTrue(quoted.endswith("…"))
        self.assertLessEqual(len(quoted), 151)

    def test_a_document_without_interview_is_named_by_its_title(self):
        document = factories.document(self.project, title="Field notes")
        coding = factories.coding_of(document, self.policy, self.coder, "Wage theft")
        self.assertEqual(quotes.source_text(coding), "Document “Field notes”: “Wage theft”")


class InitiativePanelTests(QuoteTestCase):
    def test_the_panel_lists_the_linked_quotes_to_people_who_see_the_project(self):
        quotes.link_quote(self.ordinance, self.union_campaign, by=self.administrator)
        self.login(self.viewer)
        response = self.client.get(self.union_campaign.get_absolute_url())
        self.assertContains(response, "From the scan")
        self.assertContains(response, self.ordinance.snippet)
        page = reverse("scan:document-code", args=[self.union_doc.public_id])
        self.assertContains(
            response, f"{page}?coding={self.ordinance.public_id}#coding-{self.ordinance.public_id}"
        )

    def test_the_panel_is_hidden_from_people_outside_the_project(self):
        quotes.link_quote(self.ordinance, self.union_campaign, by=self.administrator)
        self.login(self.member)
        response = self.client.get(self.union_campaign.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "From the scan")
        # The source line names the quote (that is its purpose); the coded segment is not linked.
        self.assertNotContains(response, str(self.ordinance.public_id))

    def test_the_panel_hides_quotes_of_a_blind_round(self):
        quotes.link_quote(self.wage_theft, self.other, by=self.administrator)
        factories.round_of(self.project, [self.clinic_doc], [self.coder, self.administrator])
        self.assertEqual(quotes.initiative_panels(self.other, self.coder)[0].count, 0)
        self.assertEqual(quotes.initiative_panels(self.other, self.viewer)[0].count, 1)
