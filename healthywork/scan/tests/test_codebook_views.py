"""The codebook pages: the tree, one code, and the edits (who may, what they change)."""

from django.urls import reverse

from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.scan.models import Code, Coding, ProjectRole
from healthywork.scan.tests import factories


class CodebookViewTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = factories.project("Chicago scan")
        factories.member(cls.project, cls.facilitator, ProjectRole.LEAD)
        factories.member(cls.project, cls.coder, ProjectRole.CODER)
        factories.member(cls.project, cls.evaluator, ProjectRole.READER)
        cls.document = factories.document(cls.project, title="Interview with a worker center")
        cls.policy = factories.code(cls.project, "Policy proposals", definition="Laws about work.")
        cls.wages = factories.code(cls.project, "Minimum wage", parent=cls.policy, colour="#f0e442")
        cls.theft = factories.code(cls.project, "Wage theft", parent=cls.policy)
        cls.coding = factories.coding_of(cls.document, cls.theft, cls.coder, "Wage theft is common")
        cls.codebook_url = reverse("scan:codebook", args=[cls.project.public_id])

    def url(self, name: str, code: Code | None = None) -> str:
        return reverse(name, args=[(code or self.theft).public_id])

    def test_the_codebook_shows_the_tree_with_counts_and_contrast_safe_swatches(self):
        self.login(self.evaluator)
        response = self.client.get(self.codebook_url)
        self.assertContains(response, "Policy proposals")
        self.assertContains(response, "<details open>", html=False)
        self.assertContains(response, "1 segment")
        self.assertContains(response, "background:#f0e442;color:#000000")
        self.assertNotContains(response, reverse("scan:code-delete", args=[self.theft.public_id]))

    def test_leads_see_the_edit_actions(self):
        self.login(self.facilitator)
        response = self.client.get(self.codebook_url)
        self.assertContains(response, reverse("scan:code-delete", args=[self.theft.public_id]))
        self.assertContains(response, f"?parent={self.policy.public_id}")

    def test_the_search_keeps_matches_and_their_parents(self):
        self.login(self.evaluator)
        response = self.client.get(self.codebook_url, {"q": "theft"})
        self.assertContains(response, "<mark>Wage theft</mark>", html=False)
        self.assertContains(response, "Policy proposals")
        self.assertNotContains(response, "Minimum wage")

    def test_the_search_answers_htmx_with_the_tree_alone(self):
        self.login(self.evaluator)
        response = self.client.get(self.codebook_url, {"q": "wage"}, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="codebook-tree"')
        self.assertNotContains(response, "<html")

    def test_pages_need_login(self):
        for url in (self.codebook_url, self.url("scan:code-detail"), self.url("scan:code-edit")):
            self.assertNeedsLogin(url)

    def test_a_stranger_gets_404(self):
        self.login(self.viewer)
        urls = [self.codebook_url, reverse("scan:code-create", args=[self.project.public_id])]
        urls += [
            self.url(name)
            for name in ("scan:code-detail", "scan:code-edit", "scan:code-move", "scan:code-delete")
        ]
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_readers_and_coders_get_403_on_writes(self):
        for user in (self.evaluator, self.coder):
            self.login(user)
            for name in ("scan:code-edit", "scan:code-move", "scan:code-merge", "scan:code-split"):
                self.assertEqual(self.client.post(self.url(name), {"name": "x"}).status_code, 403)
            response = self.client.post(self.url("scan:code-delete"), {"confirm_codings": "on"})
            self.assertEqual(response.status_code, 403)
            create = reverse("scan:code-create", args=[self.project.public_id])
            self.assertEqual(self.client.post(create, {"name": "New", "colour": "#000000"}).status_code, 403)
        self.assertTrue(Code.objects.filter(pk=self.theft.pk).exists())
        self.assertEqual(Code.objects.count(), 3)

    def test_code_detail_shows_fields_counts_by_coder_and_segments(self):
        self.login(self.evaluator)
        response = self.client.get(self.url("scan:code-detail", self.policy))
        self.assertContains(response, "Laws about work.")
        self.assertContains(response, "Minimum wage")
        response = self.client.get(self.url("scan:code-detail"))
        self.assertContains(response, "Wage theft is common")
        self.assertContains(response, "cody")
        self.assertContains(response, "Policy proposals")  # breadcrumb

    def test_code_detail_hides_other_coders_segments_in_an_open_blind_round(self):
        other = factories.project()
        factories.member(other, self.coder, ProjectRole.CODER)
        document = factories.document(other)
        code = factories.code(other, "Blind")
        factories.coding_of(document, code, self.administrator, "Wage theft is common")
        factories.round_of(other, [document], [self.coder, self.administrator])
        self.login(self.coder)
        response = self.client.get(self.url("scan:code-detail", code))
        self.assertNotContains(response, "Wage theft is common")
        self.assertContains(response, "0 coded segments you can see")

    def test_a_lead_creates_a_child_code(self):
        self.login(self.facilitator)
        url = reverse("scan:code-create", args=[self.project.public_id])
        response = self.client.get(url, {"parent": self.policy.public_id})
        self.assertContains(response, f'value="{self.policy.public_id}" selected')
        response = self.client.post(
            url, {"name": "Fair scheduling", "parent": str(self.policy.public_id), "colour": "#009E73"}
        )
        code = Code.objects.get(name="Fair scheduling")
        self.assertRedirects(response, self.url("scan:code-detail", code), fetch_redirect_response=False)
        self.assertEqual((code.parent, code.colour), (self.policy, "#009e73"))

    def test_a_bad_colour_or_a_taken_name_is_refused_with_the_field(self):
        self.login(self.facilitator)
        url = reverse("scan:code-create", args=[self.project.public_id])
        response = self.client.post(url, {"name": "New", "colour": "#12345"})
        self.assertContains(response, "six hexadecimal digits", status_code=400)
        response = self.client.post(
            url, {"name": "Wage theft", "parent": str(self.policy.public_id), "colour": "#000000"}
        )
        self.assertContains(response, "There is already a code named", status_code=400)
        self.assertEqual(Code.objects.count(), 3)

    def test_a_lead_edits_a_code(self):
        self.login(self.facilitator)
        response = self.client.post(
            self.url("scan:code-edit"),
            {"name": "Wage theft", "colour": "#D55E00", "example": "“They kept our tips.”"},
        )
        self.assertEqual(response.status_code, 302)
        self.theft.refresh_from_db()
        self.assertEqual((self.theft.colour, self.theft.example), ("#d55e00", "“They kept our tips.”"))

    def test_the_move_form_offers_no_cycle_and_moves(self):
        self.login(self.facilitator)
        response = self.client.get(self.url("scan:code-move", self.policy))
        self.assertNotContains(response, f'value="{self.theft.public_id}"')
        response = self.client.post(self.url("scan:code-move"), {"parent": "", "position": "1"})
        self.assertRedirects(response, self.codebook_url, fetch_redirect_response=False)
        self.theft.refresh_from_db()
        self.assertEqual((self.theft.parent, self.theft.position), (None, 0))

    def test_moving_under_a_descendant_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(
            self.url("scan:code-move", self.policy), {"parent": str(self.theft.public_id)}
        )
        self.assertEqual(response.status_code, 400)
        self.policy.refresh_from_db()
        self.assertIsNone(self.policy.parent)

    def test_a_lead_merges_a_code_into_another(self):
        self.login(self.facilitator)
        response = self.client.post(self.url("scan:code-merge"), {"target": str(self.wages.public_id)})
        self.assertRedirects(
            response, self.url("scan:code-detail", self.wages), fetch_redirect_response=False
        )
        self.assertFalse(Code.objects.filter(pk=self.theft.pk).exists())
        self.assertEqual(Coding.objects.get(pk=self.coding.pk).code, self.wages)
        self.assertTrue(AuditEvent.objects.filter(action="merge", actor=self.facilitator).exists())

    def test_a_lead_splits_a_code(self):
        self.login(self.facilitator)
        response = self.client.get(self.url("scan:code-split"))
        self.assertContains(response, "Wage theft is common")
        response = self.client.post(
            self.url("scan:code-split"), {"new_name": "Tip theft", "codings": [str(self.coding.public_id)]}
        )
        new_code = Code.objects.get(name="Tip theft")
        self.assertRedirects(response, self.url("scan:code-detail", new_code), fetch_redirect_response=False)
        self.assertEqual(Coding.objects.get(pk=self.coding.pk).code, new_code)

    def test_a_split_without_codings_is_refused(self):
        self.login(self.facilitator)
        response = self.client.post(self.url("scan:code-split"), {"new_name": "Tip theft"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Code.objects.filter(name="Tip theft").exists())

    def test_delete_shows_the_count_and_needs_the_box_ticked(self):
        self.login(self.facilitator)
        response = self.client.get(self.url("scan:code-delete"))
        self.assertContains(response, "applied to 1 segment")
        response = self.client.post(self.url("scan:code-delete"))
        self.assertContains(response, "Tick the box", status_code=400)
        self.assertTrue(Code.objects.filter(pk=self.theft.pk).exists())
        response = self.client.post(self.url("scan:code-delete"), {"confirm_codings": "on"})
        self.assertRedirects(response, self.codebook_url, fetch_redirect_response=False)
        self.assertFalse(Code.objects.filter(pk=self.theft.pk).exists())
        self.assertFalse(Coding.objects.filter(pk=self.coding.pk).exists())

    def test_a_code_with_children_cannot_be_deleted(self):
        self.login(self.administrator)
        response = self.client.get(self.url("scan:code-delete", self.policy))
        self.assertContains(response, "move, merge or delete them first")
        response = self.client.post(self.url("scan:code-delete", self.policy), {"confirm_codings": "on"})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(Code.objects.filter(pk=self.policy.pk).exists())
