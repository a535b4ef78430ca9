"""Administration pages: overview, list, detail, create, edit, close, invite, send, responses."""

from django.core import mail
from django.urls import reverse

from healthywork.collaborative.models import TeamPerson
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.evaluation import administrations
from healthywork.evaluation.models import Administration, Invitation, TimePoint
from healthywork.evaluation.tests import factories
from healthywork.partners.models import Person
from healthywork.partners.tests import factories as partner_factories


class AdministrationPageTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.instrument = factories.instrument(name="knowledge", title="Knowledge")
        cls.mine = factories.administration(
            cls.instrument,
            title="Team A pre",
            team=cls.team_a,
            time_point=TimePoint.PRE,
            public_link_open=True,
        )
        cls.theirs = factories.administration(cls.instrument, title="Team B pre", team=cls.team_b)
        factories.response(cls.mine, {"q1": 4, "q2": 5}, respondent_key="code:AB12")

    def test_the_overview_lists_instruments_and_open_administrations(self):
        self.login(self.evaluator)
        page = self.client.get(reverse("evaluation:index"))
        self.assertContains(page, "Knowledge")
        self.assertContains(page, "Team A pre")
        self.assertNeedsLogin(reverse("evaluation:index"))

    def test_members_see_only_their_teams_administrations(self):
        self.login(self.member_a)
        page = self.client.get(reverse("evaluation:administration-list"))
        self.assertContains(page, "Team A pre")
        self.assertNotContains(page, "Team B pre")
        self.assertEqual(self.client.get(self.theirs.get_absolute_url()).status_code, 404)
        detail = self.client.get(self.mine.get_absolute_url())
        self.assertContains(detail, "Team A pre")
        self.assertNotContains(detail, "Close now")
        self.assertEqual(
            self.client.post(
                reverse("evaluation:administration-close", args=[self.mine.public_id])
            ).status_code,
            403,
        )

    def test_an_evaluator_creates_a_matched_post_administration(self):
        self.login(self.evaluator)
        data = {
            "instrument": self.instrument.pk,
            "title": "Team A post",
            "context_kind": "team",
            "team": self.team_a.pk,
            "time_point": "post",
            "pre": self.mine.pk,
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2026-02-01T09:00",
            "languages": ["en", "es"],
        }
        page = self.client.post(reverse("evaluation:administration-create"), data)
        self.assertEqual(
            page.status_code, 302, getattr(page, "context", None) and page.context["form"].errors
        )
        created = Administration.objects.get(title="Team A post")
        self.assertEqual(created.pre, self.mine)
        self.assertEqual(created.languages, "en es")
        self.assertEqual(created.created_by, self.evaluator)
        self.assertTrue(AuditEvent.objects.filter(object_pk=str(created.pk), action="create").exists())

    def test_a_context_needs_its_field_and_a_pre_its_instrument(self):
        self.login(self.evaluator)
        other = factories.administration(factories.instrument(), title="Other pre", time_point=TimePoint.PRE)
        data = {
            "instrument": self.instrument.pk,
            "title": "Bad",
            "context_kind": "cohort",
            "time_point": "post",
            "pre": other.pk,
            "opens_at": "2026-01-01T09:00",
            "languages": ["en"],
        }
        page = self.client.post(reverse("evaluation:administration-create"), data)
        self.assertEqual(page.status_code, 400)
        self.assertIn("cohort", page.context["form"].errors)
        self.assertIn("pre", page.context["form"].errors)

    def test_a_viewer_may_not_create(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(reverse("evaluation:administration-create")).status_code, 403)

    def test_close_now(self):
        self.login(self.evaluator)
        self.client.post(reverse("evaluation:administration-close", args=[self.mine.public_id]))
        self.mine.refresh_from_db()
        self.assertFalse(self.mine.is_open())

    def test_invite_pasted_lines_and_send_one_email_each(self):
        self.login(self.evaluator)
        url = reverse("evaluation:administration-invite", args=[self.mine.public_id])
        bad = self.client.post(url, {"pasted": "Ana, ana@example.org\nBob, not-an-email", "language": "en"})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "Line 2", status_code=400)
        self.assertEqual(Invitation.objects.count(), 0)
        self.client.post(url, {"pasted": "Ana, ana@example.org\nBeto <beto@example.org>", "language": "es"})
        self.assertEqual(self.mine.invitations.count(), 2)
        self.client.post(reverse("evaluation:administration-send", args=[self.mine.public_id]))
        self.assertEqual(len(mail.outbox), 2)
        spanish = [m for m in mail.outbox if m.to == ["beto@example.org"]][0]
        self.assertIn("enlace personal", spanish.body)
        token = Invitation.objects.get(email="beto@example.org").token
        self.assertIn(reverse("evaluation:respond-personal", args=[token]), spanish.body)
        self.client.post(reverse("evaluation:administration-send", args=[self.mine.public_id]))
        self.assertEqual(len(mail.outbox), 2)  # already sent: nothing more

    def test_invite_a_teams_people_once(self):
        person = Person.objects.create(name="Lupe", email="lupe@example.org", preferred_language="es")
        TeamPerson.objects.create(team=self.team_a, person=person)
        administrations.add_invitations(self.mine, team=self.team_a, by=self.evaluator)
        administrations.add_invitations(self.mine, people=[person], by=self.evaluator)
        invitation = self.mine.invitations.get()
        self.assertEqual((invitation.team, invitation.language), (self.team_a, "es"))
        counts = administrations.counts(self.mine)
        self.assertEqual((counts["invited"], counts["not_opened"], counts["public_complete"]), (1, 1, 1))

    def test_the_response_list_shows_no_identity_for_anonymous_answers(self):
        self.login(self.evaluator)
        page = self.client.get(reverse("evaluation:administration-responses", args=[self.mine.public_id]))
        self.assertContains(page, "anonymous, code")
        self.assertContains(page, "AB12")

    def test_a_teams_member_sees_its_responses_without_who_gave_them(self):
        person = partner_factories.person(name="Rosa Identifiable")
        factories.response(self.mine, {"q1": 2}, person=person, respondent_key=f"person:{person.pk}")
        url = reverse("evaluation:administration-responses", args=[self.mine.public_id])
        self.login(self.member_a)
        page = self.client.get(url)
        self.assertContains(page, "not shown to you")
        self.assertNotContains(page, "Rosa Identifiable")
        self.assertNotContains(page, "AB12")
        api = self.client.get(f"/api/v1/evaluation/administrations/{self.mine.public_id}/responses").json()
        self.assertEqual({row["person"] for row in api["results"]}, {None})
        self.assertEqual({row["respondent_key"] for row in api["results"]}, {""})
        self.login(self.evaluator)
        self.assertContains(self.client.get(url), "Rosa Identifiable")
        api = self.client.get(f"/api/v1/evaluation/administrations/{self.mine.public_id}/responses").json()
        self.assertIn("Rosa Identifiable", {row["person"] for row in api["results"]})

    def test_edit(self):
        self.login(self.evaluator)
        url = reverse("evaluation:administration-edit", args=[self.mine.public_id])
        self.assertEqual(self.client.get(url).status_code, 200)
        data = {
            "instrument": self.instrument.pk,
            "title": "Team A pre (renamed)",
            "context_kind": "team",
            "team": self.team_a.pk,
            "time_point": "pre",
            "opens_at": "2026-01-01T09:00",
            "languages": ["en"],
            "public_link_open": "on",
        }
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.title, "Team A pre (renamed)")
        self.assertEqual(self.mine.instrument, self.instrument)


class TeamPanelTests(TeamTestCase):
    def test_the_team_panel_lists_the_teams_administrations(self):
        from healthywork.evaluation.panels_administrations import team_panels

        instrument = factories.instrument()
        mine = factories.administration(instrument, title="About A", team=self.team_a)
        factories.administration(instrument, title="About B", team=self.team_b)
        factories.response(mine, {"q1": 3}, team=self.team_a)
        panels = team_panels(self.team_a, self.member_a)
        self.assertEqual([a.title for a in panels[0].context["rows"]], ["About A"])
        self.assertEqual(panels[0].context["rows"][0].team_complete, 1)
        self.assertEqual(team_panels(self.team_b, self.member_a), [])
