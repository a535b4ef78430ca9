"""Comments on a team's work: facilitators on every team's, members on their own; resolve and
reopen; the include other pages use."""

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from healthywork.collaborative.tests import factories as team_factories
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.planning import comments
from healthywork.planning.models import Comment
from healthywork.planning.tests import factories


class CommentTestCase(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        power_map = factories.power_map(cls.team_a)
        cls.council = factories.actor(power_map, "City Council", 6, 1)
        cls.other_actor = factories.actor(factories.power_map(cls.team_b), "Mayor", 9, 0)
        cls.comment = comments.add_comment(cls.team_a, "power_map", "Is the council really neutral?",
                                           about=str(cls.council.public_id), by=cls.facilitator)  # fmt: skip
        cls.add_url = reverse("planning:comment-add", args=[cls.team_a.public_id])
        cls.page_url = reverse("planning:comments", args=[cls.team_a.public_id])


class ReadingTests(CommentTestCase):
    def test_a_member_reads_their_teams_comments(self):
        self.login(self.member_a)
        response = self.client.get(self.page_url + "?kind=power_map")
        self.assertContains(response, "Is the council really neutral?")
        self.assertContains(response, "About: City Council")

    def test_the_kind_filter(self):
        self.login(self.member_a)
        self.assertNotContains(self.client.get(self.page_url + "?kind=action_plan"), "really neutral")

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.page_url)
        self.assertNeedsLogin(self.add_url, "post")

    def test_another_team_gets_404(self):
        self.login(self.member_b)
        self.assertEqual(self.client.get(self.page_url).status_code, 404)
        self.assertEqual(self.client.post(self.add_url, {"kind": "power_map", "text": "Hi"}).status_code, 404)
        resolve = reverse("planning:comment-resolve", args=[self.comment.public_id])
        self.assertEqual(self.client.post(resolve).status_code, 404)


class WritingTests(CommentTestCase):
    def test_a_member_comments_on_their_own_work(self):
        self.login(self.member_a)
        response = self.client.post(
            self.add_url, {"kind": "theory_of_change", "text": "  Add an indicator  "}
        )
        self.assertRedirects(response, self.page_url + "?kind=theory_of_change")
        comment = Comment.objects.get(text="Add an indicator")
        self.assertEqual(
            (comment.team, comment.author, comment.kind), (self.team_a, self.member_a, "theory_of_change")
        )
        self.assertTrue(AuditEvent.objects.filter(action="create", content_type__model="comment").exists())

    def test_the_facilitator_comments_on_any_team(self):
        self.login(self.facilitator)
        url = reverse("planning:comment-add", args=[self.team_b.public_id])
        about = str(self.other_actor.public_id)
        data = {"kind": "power_map", "text": "Good start", "about": about, "next": "/plan/"}
        response = self.client.post(url, data)
        self.assertRedirects(response, "/plan/", fetch_redirect_response=False)
        self.assertTrue(
            Comment.objects.filter(team=self.team_b, about=str(self.other_actor.public_id)).exists()
        )

    def test_a_read_only_person_gets_403(self):
        self.login(self.evaluator)  # sees every team, is on none
        self.assertEqual(self.client.post(self.add_url, {"kind": "power_map", "text": "Hi"}).status_code, 403)
        self.assertFalse(Comment.objects.filter(text="Hi").exists())

    def test_a_member_without_edit_rights_still_comments(self):
        reader = team_factories.add_user(self.team_a, self.viewer, can_edit=False).user
        self.login(reader)
        self.client.post(self.add_url, {"kind": "power_map", "text": "A question"})
        self.assertTrue(Comment.objects.filter(text="A question", author=reader).exists())

    def test_bad_input_names_the_field_and_changes_nothing(self):
        self.login(self.member_a)
        count = Comment.objects.count()
        response = self.client.post(self.add_url, {"kind": "power_map", "text": "   "})
        self.assertContains(response, "This field is required", status_code=400)
        response = self.client.post(
            self.add_url, {"kind": "power_map", "text": "Hi", "about": str(self.other_actor.public_id)}
        )
        self.assertContains(response, "No actor, outcome or step of this team has that id.", status_code=400)
        response = self.client.post(self.add_url, {"kind": "budget", "text": "Hi"})
        self.assertContains(response, "Select a valid choice", status_code=400)
        self.assertEqual(Comment.objects.count(), count)

    def test_an_outside_next_address_is_ignored(self):
        self.login(self.member_a)
        response = self.client.post(
            self.add_url, {"kind": "power_map", "text": "Hi", "next": "https://evil.example/"}
        )
        self.assertRedirects(response, self.page_url + "?kind=power_map")


class ResolveTests(CommentTestCase):
    def test_resolve_and_reopen(self):
        url = reverse("planning:comment-resolve", args=[self.comment.public_id])
        self.login(self.member_a)
        self.client.post(url, {"resolved": "1"})
        self.comment.refresh_from_db()
        self.assertTrue(self.comment.is_resolved)
        self.client.post(url, {"resolved": "0"})
        self.comment.refresh_from_db()
        self.assertFalse(self.comment.is_resolved)
        self.assertEqual(AuditEvent.objects.filter(action="change", content_type__model="comment").count(), 2)

    def test_a_read_only_person_may_not_resolve(self):
        self.login(self.evaluator)
        url = reverse("planning:comment-resolve", args=[self.comment.public_id])
        self.assertEqual(self.client.post(url, {"resolved": "1"}).status_code, 403)
        self.comment.refresh_from_db()
        self.assertFalse(self.comment.is_resolved)


class IncludeTests(CommentTestCase):
    def render(self, kind: str, **context) -> str:
        request = RequestFactory().get("/plan/")
        request.user = self.member_a
        return render_to_string(
            "planning/_comments.html", {"team": self.team_a, "kind": kind, **context}, request=request
        )

    def test_it_lists_the_comments_of_one_kind_with_a_form(self):
        html = self.render("power_map", can_edit=True)
        self.assertIn("Is the council really neutral?", html)
        self.assertIn(self.add_url, html)
        self.assertIn('value="power_map"', html)

    def test_other_kinds_and_no_form_for_readers(self):
        html = self.render("action_plan")
        self.assertNotIn("really neutral", html)
        self.assertNotIn(self.add_url, html)
