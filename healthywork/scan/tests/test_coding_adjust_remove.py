"""Adjusting and removing a coding: its coder or a lead may; others get 403, strangers 404."""

from healthywork.scan.models import Coding
from healthywork.scan.tests import factories
from healthywork.scan.tests.test_coding_base import CodingTestCase


class AdjustRemoveTests(CodingTestCase):
    def setUp(self):
        self.coding = factories.coding_of(self.document, self.wage_theft, self.coder, "Wage theft")
        self.adjust_url = f"/scan/codings/{self.coding.public_id}/adjust/"
        self.remove_url = f"/scan/codings/{self.coding.public_id}/remove/"

    def test_they_need_login(self):
        self.assertNeedsLogin(self.adjust_url)
        self.assertNeedsLogin(self.remove_url, method="post")

    def test_a_stranger_gets_404(self):
        self.login(self.stranger)
        self.assertEqual(self.client.get(self.adjust_url).status_code, 404)
        self.assertEqual(self.client.post(self.remove_url, {"confirm": "yes"}).status_code, 404)

    def test_in_a_blind_round_another_coders_coding_is_404(self):
        factories.round_of(self.project, [self.document], [self.coder, self.second_coder])
        self.login(self.second_coder)
        self.assertEqual(self.client.get(self.adjust_url).status_code, 404)

    def test_the_coder_adjusts_it_with_a_plain_form(self):
        start, end = self.span("Wage theft is common.")
        self.login(self.coder)
        page = self.client.get(self.adjust_url)
        self.assertContains(page, "Save boundaries")
        response = self.client.post(self.adjust_url, {"start": start, "end": end})
        self.assertRedirects(response, self.page_url())
        self.coding.refresh_from_db()
        self.assertEqual(self.coding.snippet, "Wage theft is common.")

    def test_a_bad_adjustment_names_the_field_and_changes_nothing(self):
        self.login(self.coder)
        response = self.client.post(self.adjust_url, {"start": 30, "end": 10})
        self.assertContains(response, "The end must come after the start.", status_code=400)
        response = self.client.post(self.adjust_url, {"start": "", "end": 10})
        self.assertContains(response, "This field is required.", status_code=400)
        self.coding.refresh_from_db()
        self.assertEqual(self.coding.snippet, "Wage theft")

    def test_a_reader_and_another_coder_get_403_on_writes(self):
        for user in (self.viewer, self.second_coder):
            self.login(user)
            self.assertEqual(self.client.post(self.adjust_url, {"start": 0, "end": 4}).status_code, 403)
            self.assertEqual(self.client.post(self.remove_url, {"confirm": "yes"}).status_code, 403)
            page = self.client.get(self.adjust_url)
            self.assertNotContains(page, "Save boundaries")
        self.assertTrue(Coding.objects.filter(pk=self.coding.pk, start_offset__gt=0).exists())

    def test_removal_asks_for_confirmation_then_removes(self):
        self.login(self.coder)
        response = self.client.post(self.remove_url)
        self.assertContains(response, "Remove this coding?")
        self.assertTrue(Coding.objects.exists())
        response = self.client.post(self.remove_url, {"confirm": "yes"})
        self.assertRedirects(response, self.page_url())
        self.assertFalse(Coding.objects.exists())

    def test_a_lead_removes_a_coders_coding_through_htmx(self):
        self.login(self.lead)
        response = self.client.post(self.remove_url, {"confirm": "yes"}, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="workspace"')
        self.assertContains(response, "0 codings")
        self.assertFalse(Coding.objects.exists())
