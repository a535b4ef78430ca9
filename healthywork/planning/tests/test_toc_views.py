"""The theory of change page and its forms."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthywork.collaborative.tests import factories as team_factories
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import make_user
from healthywork.planning.models import Outcome, OutcomeLink, TheoryOfChange
from healthywork.planning.tests import factories


class TocTestCase(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.theory = factories.theory(cls.team_a)
        cls.goal = cls.theory.outcomes.get(is_goal=True)
        cls.policy = factories.outcome(cls.theory, "Council passes the ordinance", is_below_ceiling=False)
        cls.coalition = factories.outcome(cls.theory, "Coalition testifies")
        cls.trust = factories.outcome(cls.theory, "Workers trust the clinic")
        factories.link(cls.policy, cls.goal)
        factories.link(cls.coalition, cls.policy)
        factories.link(cls.trust, cls.coalition, rationale="")
        cls.reader = make_user("rita", "team_member")
        team_factories.add_user(cls.team_a, cls.reader, can_edit=False)

    def page(self, team=None):
        return reverse("planning:toc", args=[(team or self.team_a).public_id])

    def add_url(self, kind, team=None):
        return reverse("planning:toc-item-add", args=[(team or self.team_a).public_id, kind])

    def edit_url(self, kind, item, team=None):
        item_id = item.pk if kind == "assumption" else item.public_id
        return reverse("planning:toc-item-edit", args=[(team or self.team_a).public_id, kind, item_id])

    def version(self):
        return TheoryOfChange.objects.get(pk=self.theory.pk).version


class PageTests(TocTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(self.page())

    def test_it_shows_the_goal_diagram_list_and_report(self):
        self.login(self.member_a)
        response = self.client.get(self.page())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Workers in the county have stable schedules")
        self.assertContains(response, "<svg", count=1)
        self.assertContains(response, 'class="toc-ceiling"')
        self.assertContains(response, "leads to “Coalition testifies”")
        self.assertContains(response, "Warning:")
        self.assertContains(
            response, "The link Workers trust the clinic → Coalition testifies has no rationale."
        )
        # Outcomes in the diagram open their edit form.
        self.assertContains(response, f'href="{self.edit_url("outcome", self.trust)}"')

    def test_a_member_of_another_team_gets_404(self):
        self.login(self.member_b)
        self.assertEqual(self.client.get(self.page()).status_code, 404)
        self.assertEqual(self.client.get(self.add_url("outcome")).status_code, 404)
        self.assertEqual(self.client.post(self.add_url("outcome"), {"outcome-title": "x"}).status_code, 404)

    def test_readers_see_the_page_without_forms_and_get_403_on_writes(self):
        for user in (self.reader, self.evaluator):
            self.login(user)
            response = self.client.get(self.page())
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, 'name="outcome-title"')
            self.assertNotContains(response, '<a class="toc-node"')
            data = {"outcome-title": "Mine", "outcome-version": self.version()}
            self.assertEqual(self.client.post(self.add_url("outcome"), data).status_code, 403)
            self.assertEqual(self.client.get(self.edit_url("outcome", self.trust)).status_code, 403)
        self.assertFalse(Outcome.objects.filter(title="Mine").exists())

    def test_the_first_visit_of_an_editor_creates_the_theory_with_a_goal(self):
        self.login(self.member_b)
        response = self.client.get(self.page(self.team_b))
        self.assertEqual(response.status_code, 200)
        theory = TheoryOfChange.objects.get(team=self.team_b)
        self.assertEqual(theory.outcomes.filter(is_goal=True).count(), 1)

    def test_a_reader_of_a_team_without_theory_creates_nothing(self):
        self.login(self.evaluator)
        response = self.client.get(self.page(self.team_b))
        self.assertContains(response, "has not started its theory of change")
        self.assertFalse(TheoryOfChange.objects.filter(team=self.team_b).exists())

    def test_the_page_costs_the_same_queries_for_a_small_and_a_large_theory(self):
        self.login(self.member_a)
        self.client.get(self.page())
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.page())
        previous = self.trust
        for number in range(60):
            created = factories.outcome(self.theory, f"Outcome {number}")
            factories.link(created, previous)
            factories.indicator(created)
            previous = created
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(self.page())
        self.assertContains(response, "Outcome 59")
        self.assertEqual(len(large), len(small))
        self.assertLessEqual(len(large), 20)


class PageMarkupTests(TocTestCase):
    """The repeated rows are built in Python: escaped, one edit link per item, one add form."""

    def test_rows_are_escaped_and_carry_their_edit_and_delete_links(self):
        risky = factories.outcome(self.theory, "<script>alert(1)</script> & more")
        factories.link(risky, self.trust, rationale="Because <b>why</b>")
        self.login(self.member_a)
        response = self.client.get(self.page())
        content = response.content.decode()
        self.assertNotIn("<script>alert(1)</script>", content)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", content)
        self.assertIn("Because &lt;b&gt;why&lt;/b&gt;", content)
        self.assertContains(response, f'<tr id="outcome-{risky.public_id}"><th scope="row">')
        delete = reverse("planning:toc-item-delete", args=[self.team_a.public_id, "outcome", risky.public_id])
        self.assertContains(response, f'href="{delete}"')
        goal_delete = reverse(
            "planning:toc-item-delete", args=[self.team_a.public_id, "outcome", self.goal.public_id]
        )
        self.assertNotContains(response, goal_delete)  # the goal cannot be deleted
        self.assertContains(response, '<span class="toc-layer">Layer 1</span>')
        self.assertContains(response, "(no rationale)")

    def test_the_page_has_one_add_form_and_links_to_the_other_forms(self):
        self.login(self.member_a)
        response = self.client.get(self.page())
        self.assertContains(response, 'name="outcome-title"', count=1)
        self.assertContains(response, 'action="/plan/', count=1)  # the outcome form only
        for name in (
            "link-precondition",
            "intervention-title",
            "assumption-text",
            "indicator-what",
            "narrative-goal",
        ):
            self.assertNotContains(response, f'name="{name}"')
        for kind in ("link", "intervention", "assumption", "indicator"):
            self.assertContains(response, f'href="{self.add_url(kind)}"')
        self.assertContains(response, f'data-link-url="{self.add_url("link")}"')
        self.assertContains(response, reverse("planning:toc-narrative", args=[self.team_a.public_id]))

    def test_link_mode_opens_the_link_form_with_both_outcomes_chosen(self):
        self.login(self.member_a)
        url = self.add_url("link") + f"?precondition={self.trust.public_id}&outcome={self.policy.public_id}"
        response = self.client.get(url, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, f'<option value="{self.trust.public_id}" selected>')
        self.assertContains(response, f'<option value="{self.policy.public_id}" selected>')

    def test_readers_get_rows_without_actions(self):
        self.login(self.reader)
        response = self.client.get(self.page())
        self.assertContains(response, f'<tr id="outcome-{self.trust.public_id}">')
        self.assertNotContains(response, 'class="toc-row-actions"')
        self.assertNotContains(response, "/delete/")
        self.assertNotContains(response, self.add_url("link"))


class WriteTests(TocTestCase):
    def setUp(self):
        self.login(self.member_a)

    def test_it_adds_an_outcome_with_an_audit_event_and_a_new_version(self):
        before = self.version()
        response = self.client.post(
            self.add_url("outcome"), {"outcome-title": "Employers adopt schedules", "outcome-version": before}
        )
        self.assertRedirects(response, self.page() + "#outcomes", fetch_redirect_response=False)
        created = Outcome.objects.get(title="Employers adopt schedules")
        self.assertFalse(created.is_below_ceiling)  # an unticked box
        self.assertEqual(self.version(), before + 1)
        self.assertTrue(
            AuditEvent.objects.filter(action="create", object_repr="Employers adopt schedules").exists()
        )

    def test_a_link_that_would_close_a_cycle_is_refused_with_the_cycle_named(self):
        data = {
            "link-precondition": str(self.goal.public_id),
            "link-outcome": str(self.trust.public_id),
            "link-rationale": "Loop",
            "link-version": self.version(),
        }
        response = self.client.post(self.add_url("link"), data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response,
            "This link would close a cycle: Workers in the county have stable schedules and paid sick "
            "leave → "
            "Workers trust the clinic → Coalition testifies → Council passes the ordinance → Workers in the "
            "county have stable schedules and paid sick leave",
            status_code=400,
        )
        self.assertEqual(OutcomeLink.objects.filter(theory=self.theory).count(), 3)

    def test_a_missing_field_is_named_and_nothing_changes(self):
        before = self.version()
        response = self.client.post(
            self.add_url("indicator"), {"indicator-what": "", "indicator-version": before}
        )
        self.assertEqual(response.status_code, 400)
        form = response.context["form"]
        self.assertIn("what", form.errors)
        self.assertIn("outcome", form.errors)
        self.assertContains(response, "Please correct the fields marked below.", status_code=400)
        self.assertEqual(self.version(), before)

    def test_an_intervention_needs_one_place(self):
        data = {"intervention-title": "Train", "intervention-version": self.version()}
        response = self.client.post(self.add_url("intervention"), data)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.context["form"].errors["outcome"], ["Choose the outcome or the link this works on."]
        )
        link = OutcomeLink.objects.filter(theory=self.theory).first()
        data |= {"intervention-outcome": str(self.trust.public_id), "intervention-link": str(link.public_id)}
        response = self.client.post(self.add_url("intervention"), data)
        self.assertEqual(response.context["form"].errors["link"], ["Choose an outcome or a link, not both."])

    def test_a_stale_edit_is_refused_with_both_versions(self):
        stale = self.version()
        self.client.post(
            self.edit_url("outcome", self.trust),
            {"outcome-title": "Workers trust the clinic and the union", "outcome-is_below_ceiling": "on",
             "outcome-version": stale},
        )  # fmt: skip
        response = self.client.post(
            self.edit_url("outcome", self.trust),
            {"outcome-title": "Workers know their rights", "outcome-version": stale},
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "saved a newer version", status_code=409)
        self.assertContains(response, "Workers know their rights", status_code=409)
        self.assertContains(response, "Workers trust the clinic and the union", status_code=409)
        self.assertEqual(
            Outcome.objects.get(pk=self.trust.pk).title, "Workers trust the clinic and the union"
        )
        # The form now carries the current version, so saving again goes through.
        self.assertEqual(response.context["form"]["version"].value(), str(self.version()))

    def test_it_edits_a_link_and_an_assumption(self):
        link = OutcomeLink.objects.get(precondition=self.trust)
        response = self.client.post(
            self.edit_url("link", link),
            {"link-precondition": str(self.trust.public_id), "link-outcome": str(self.coalition.public_id),
             "link-rationale": "Trust brings workers to testify.", "link-version": self.version()},
        )  # fmt: skip
        self.assertEqual(response.status_code, 302)
        self.assertEqual(OutcomeLink.objects.get(pk=link.pk).rationale, "Trust brings workers to testify.")
        self.client.post(
            self.add_url("assumption"),
            {"assumption-text": "The council meets", "assumption-version": self.version()},
        )
        assumption = self.theory.assumptions.get()
        self.assertEqual(self.client.get(self.edit_url("assumption", assumption)).status_code, 200)

    def test_it_deletes_an_outcome_but_never_the_goal(self):
        delete = reverse(
            "planning:toc-item-delete", args=[self.team_a.public_id, "outcome", self.trust.public_id]
        )
        self.assertEqual(self.client.get(delete).status_code, 200)
        response = self.client.post(delete, {"version": self.version()})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Outcome.objects.filter(pk=self.trust.pk).exists())
        goal_delete = reverse(
            "planning:toc-item-delete", args=[self.team_a.public_id, "outcome", self.goal.public_id]
        )
        response = self.client.post(goal_delete, {"version": self.version()})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "cannot be deleted", status_code=400)
        self.assertTrue(Outcome.objects.filter(pk=self.goal.pk).exists())

    def test_it_edits_the_goal_and_narrative(self):
        url = reverse("planning:toc-narrative", args=[self.team_a.public_id])
        response = self.client.post(
            url, {"narrative-goal": "Healthy work for all", "narrative-narrative": "First, trust.",
                  "narrative-version": self.version()},
        )  # fmt: skip
        self.assertEqual(response.status_code, 302)
        self.assertEqual(TheoryOfChange.objects.get(pk=self.theory.pk).narrative, "First, trust.")
        self.assertEqual(Outcome.objects.get(pk=self.goal.pk).title, "Healthy work for all")
        response = self.client.post(url, {"narrative-goal": "", "narrative-version": self.version()})
        self.assertEqual(response.context["form"].errors["goal"], ["This field is required."])

    def test_an_item_of_another_theory_is_404(self):
        other = factories.theory(self.team_b)
        stranger = factories.outcome(other, "Their outcome")
        self.assertEqual(self.client.get(self.edit_url("outcome", stranger)).status_code, 404)
        self.assertEqual(self.client.get(self.page().replace("toc/", "toc/nonsense/add/")).status_code, 404)

    def test_htmx_gets_the_form_fragment_for_the_side_panel(self):
        response = self.client.get(self.edit_url("outcome", self.trust), headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, 'value="Workers trust the clinic"')
