"""Memos on a document or a coding: written by those who code, changed only by their author."""

from healthywork.scan.models import Memo
from healthywork.scan.tests import factories
from healthywork.scan.tests.test_coding_base import CodingTestCase


class MemoViewTests(CodingTestCase):
    def add_url(self) -> str:
        return f"/scan/documents/{self.document.public_id}/memos/add/"

    def test_it_needs_login_and_a_stranger_gets_404_and_a_reader_403(self):
        self.assertNeedsLogin(self.add_url(), method="post")
        self.login(self.stranger)
        self.assertEqual(self.client.post(self.add_url(), {"text": "Note"}).status_code, 404)
        self.login(self.viewer)
        self.assertEqual(self.client.post(self.add_url(), {"text": "Note"}).status_code, 403)
        self.assertFalse(Memo.objects.exists())

    def test_a_coder_writes_a_document_memo_and_a_coding_memo(self):
        coding = factories.coding_of(self.document, self.wage_theft, self.coder, "Wage theft")
        self.login(self.coder)
        response = self.client.post(self.add_url(), {"text": "Strong example of agency work."})
        self.assertRedirects(response, self.page_url())
        response = self.client.post(
            self.add_url(),
            {"text": "Ask about claims.", "coding": str(coding.public_id)},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "1 memo")
        page = self.client.get(self.page_url())
        self.assertContains(page, "Strong example of agency work.")
        self.assertEqual(Memo.objects.get(coding=coding).document, self.document)

    def test_an_empty_memo_is_refused_with_a_message(self):
        self.login(self.coder)
        response = self.client.post(self.add_url(), {"text": "  "}, follow=True)
        self.assertContains(response, "Memo: Write the memo before saving it.")
        self.assertFalse(Memo.objects.exists())

    def test_only_the_author_edits_or_deletes_a_memo(self):
        memo = Memo.objects.create(
            project=self.project, document=self.document, author=self.coder, text="Mine"
        )
        edit_url, delete_url = f"/scan/memos/{memo.public_id}/edit/", f"/scan/memos/{memo.public_id}/delete/"
        self.login(self.lead)
        self.assertEqual(self.client.post(edit_url, {"text": "Theirs"}).status_code, 403)
        self.assertEqual(self.client.post(delete_url).status_code, 403)
        self.login(self.stranger)
        self.assertEqual(self.client.get(edit_url).status_code, 404)
        self.login(self.coder)
        self.assertContains(self.client.post(edit_url, {"text": ""}), "Write the memo", status_code=400)
        self.assertRedirects(self.client.post(edit_url, {"text": "Still mine"}), self.page_url())
        memo.refresh_from_db()
        self.assertEqual(memo.text, "Still mine")
        self.client.post(delete_url)
        self.assertFalse(Memo.objects.exists())
