"""The action plan page and its objective and step forms."""

from datetime import date
from unittest import mock

from django.urls import reverse

from healthywork.accounts.roles import Role
from healthywork.collaborative.tests import factories as collaborative_factories
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import make_user
from healthywork.partners.tests import factories as partner_factories
from healthywork.planning.models import ActionPlan, ActionStep, Objective
from healthywork.planning.tests import factories

TODAY = date(2018, 6, 1)


class PlanTestCase(TeamTestCase):
    """Team A with a theory of change (one outcome) and a plan: one objective, three steps (one
    overdue, one due in 3 days, one done); `watcher` is on team A but may not edit."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.theory = factories.theory(cls.team_a)
        cls.outcome = factories.outcome(cls.theory, "Employers know the law")
        cls.lead = cls.team_a.memberships.order_by("id").first().organization
        cls.nurse = partner_factories.person("Nora Nurse", may_be_contacted=True)
        partner_factories.affiliation(cls.nurse, cls.lead)
        cls.plan = factories.plan(cls.team_a)
        cls.objective = factories.objective(cls.plan, outcome=cls.outcome, position=0)
        cls.late = factories.step(
            cls.objective,
            "Meet the chamber of commerce",
            who_organization=cls.lead,
            start_date=date(2018, 4, 2),
            due_date=date(2018, 5, 20),
            position=0,
        )
        cls.soon = factories.step(
            cls.objective, "Brief the council", who_person=cls.nurse, due_date=date(2018, 6, 4), position=1
        )
        cls.done = factories.step(
            cls.objective,
            "Draft the flyer",
            who_person=cls.nurse,
            due_date=date(2018, 3, 1),
            status="done",
            position=2,
        )
        cls.watcher = make_user("wally", Role.TEAM_MEMBER)
        collaborative_factories.add_user(cls.team_a, cls.watcher, can_edit=False)

    def setUp(self):
        patcher = mock.patch("healthywork.planning.plan.today", return_value=TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def plan_url(self, team=None) -> str:
        return reverse("planning:plan", args=[(team or self.team_a).public_id])

    def step_data(self, **fields) -> dict:
        data = {
            "version": ActionPlan.objects.get(pk=self.plan.pk).version,
            "what": "Call the mayor's office",
            "who_person": "",
            "who_organization": str(self.lead.pk),
            "start_date": "2018-07-01",
            "due_date": "2018-07-15",
            "status": "not_started",
            "resources_available": "",
            "resources_needed": "",
            "barriers": "",
            "communication": "",
            "outcome": "",
            "intervention": "",
        }
        data.update(fields)
        return data


class PlanPageTests(PlanTestCase):
    def test_it_shows_the_plan_with_due_labels_in_words(self):
        self.login(self.member_a)
        response = self.client.get(self.plan_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Meet the chamber of commerce")
        self.assertContains(response, "Overdue by 12 days")
        self.assertContains(response, "Due in 3 days")
        self.assertContains(response, "Employers know the law")
        self.assertContains(response, 'class="step-row overdue"')
        self.assertNotContains(response, "Overdue by 92 days")  # a done step is never overdue

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.plan_url())

    def test_a_member_of_another_team_gets_404(self):
        self.login(self.member_b)
        self.assertEqual(self.client.get(self.plan_url()).status_code, 404)

    def test_a_facilitator_sees_every_team(self):
        self.login(self.facilitator)
        self.assertEqual(self.client.get(self.plan_url()).status_code, 200)

    def test_it_creates_the_plan_on_first_visit_for_an_editor(self):
        self.login(self.member_b)
        self.assertFalse(ActionPlan.objects.filter(team=self.team_b).exists())
        response = self.client.get(self.plan_url(self.team_b))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(ActionPlan.objects.filter(team=self.team_b).exists())
        self.assertContains(response, "The plan has no objectives yet.")

    def test_a_reader_does_not_create_the_plan(self):
        self.login(self.evaluator)  # reads every team, edits none
        response = self.client.get(self.plan_url(self.team_b))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "no action plan yet")
        self.assertFalse(ActionPlan.objects.filter(team=self.team_b).exists())

    def test_read_only_people_see_no_edit_buttons(self):
        self.login(self.watcher)
        response = self.client.get(self.plan_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, reverse("planning:step-edit", args=[self.late.public_id]))

    def test_filters_are_in_the_url(self):
        self.login(self.member_a)
        response = self.client.get(self.plan_url(), {"overdue": "on"})
        self.assertContains(response, "Meet the chamber of commerce")
        self.assertNotContains(response, "Brief the council")
        response = self.client.get(self.plan_url(), {"upcoming": "on"})
        self.assertContains(response, "Brief the council")
        self.assertNotContains(response, "Meet the chamber of commerce")
        response = self.client.get(self.plan_url(), {"status": "done"})
        self.assertContains(response, "Draft the flyer")
        self.assertNotContains(response, "Brief the council")
        response = self.client.get(self.plan_url(), {"who": f"organization:{self.lead.public_id}"})
        self.assertContains(response, "Meet the chamber of commerce")
        self.assertNotContains(response, "Draft the flyer")
        self.assertContains(response, "1 of 3 steps match the filters.")

    def test_htmx_gets_only_the_results(self):
        self.login(self.member_a)
        response = self.client.get(self.plan_url(), {"status": "done"}, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="results"')
        self.assertNotContains(response, "<html")

    def test_the_timeline_draws_bars_milestones_today_and_a_table(self):
        self.login(self.member_a)
        response = self.client.get(self.plan_url(), {"view": "timeline"})
        content = response.content.decode()
        self.assertIn("<svg", content)
        self.assertEqual(content.count('fill="url(#pattern-'), 3)
        self.assertEqual(content.count("<polygon"), 2)  # the two steps without a start: milestones
        self.assertIn('class="today-line"', content)
        self.assertIn("Not started · Overdue by 12 days", content)
        self.assertIn('<table class="plan-table">', content)

    def test_the_completeness_check_is_shown(self):
        factories.step(self.objective, "Nobody, no date")
        factories.objective(self.plan, "An objective without steps or outcome", position=1)
        self.login(self.member_a)
        response = self.client.get(self.plan_url())
        self.assertContains(response, "Step “Nobody, no date” has no one responsible.")
        self.assertContains(response, "Step “Nobody, no date” has no by-when date.")
        self.assertContains(response, "Objective “An objective without steps or outcome” has no steps.")
        self.assertContains(response, "is not linked to a theory-of-change outcome")


class ObjectiveFormTests(PlanTestCase):
    def test_it_adds_an_objective_linked_to_an_outcome(self):
        self.login(self.member_a)
        url = reverse("planning:objective-create", args=[self.team_a.public_id])
        self.assertContains(self.client.get(url), "Employers know the law")
        response = self.client.post(
            url,
            {"version": self.plan.version, "text": "Pass the ordinance by 2019", "outcome": self.outcome.pk},
        )
        self.assertEqual(response.status_code, 302)
        objective = Objective.objects.get(text="Pass the ordinance by 2019")
        self.assertEqual((objective.outcome, objective.position), (self.outcome, 1))
        self.assertEqual(ActionPlan.objects.get(pk=self.plan.pk).version, self.plan.version + 1)
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(objective.pk)).exists())

    def test_it_refuses_an_outcome_of_another_team(self):
        other = factories.outcome(factories.theory(self.team_b), "Team B's outcome")
        self.login(self.member_a)
        url = reverse("planning:objective-create", args=[self.team_a.public_id])
        response = self.client.post(url, {"version": self.plan.version, "text": "X", "outcome": other.pk})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Outcome it serves", status_code=400)
        self.assertFalse(Objective.objects.filter(text="X").exists())

    def test_an_empty_objective_is_refused_naming_the_field(self):
        self.login(self.member_a)
        url = reverse("planning:objective-create", args=[self.team_a.public_id])
        response = self.client.post(url, {"version": self.plan.version, "text": ""})
        self.assertContains(response, "This field is required.", status_code=400)
        self.assertContains(response, 'id="id_text_error"', status_code=400)
        self.assertEqual(Objective.objects.count(), 1)

    def test_read_only_people_get_403(self):
        url = reverse("planning:objective-create", args=[self.team_a.public_id])
        for user in (self.watcher, self.evaluator):
            self.login(user)
            self.assertEqual(self.client.post(url, {"version": 1, "text": "X"}).status_code, 403)
        self.assertFalse(Objective.objects.filter(text="X").exists())

    def test_another_team_gets_404(self):
        self.login(self.member_b)
        edit = reverse("planning:objective-edit", args=[self.objective.public_id])
        self.assertEqual(self.client.post(edit, {"version": 1, "text": "X"}).status_code, 404)

    def test_a_stale_edit_shows_both_versions_and_saves_nothing(self):
        self.login(self.member_a)
        url = reverse("planning:objective-edit", args=[self.objective.public_id])
        stale = self.plan.version
        self.client.post(url, {"version": stale, "text": "Their wording", "outcome": self.outcome.pk})
        response = self.client.post(url, {"version": stale, "text": "My wording", "outcome": self.outcome.pk})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "saved a newer version", status_code=409)
        self.assertContains(response, "Their wording", status_code=409)
        self.assertContains(response, "My wording", status_code=409)
        same_row = r"(?s)<tr class=\"differs\">(?:(?!</tr>).)*My wording(?:(?!</tr>).)*Their wording"
        self.assertRegex(response.content.decode(), same_row)
        self.assertEqual(Objective.objects.get(pk=self.objective.pk).text, "Their wording")
        self.assertContains(response, f'name="version" value="{stale + 1}"', status_code=409)

    def test_it_deletes_an_objective_with_its_steps(self):
        self.login(self.member_a)
        url = reverse("planning:objective-delete", args=[self.objective.public_id])
        self.assertContains(self.client.get(url), "its 3 steps")
        response = self.client.post(url, {"version": self.plan.version})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(ActionStep.objects.filter(objective__plan=self.plan).exists())

    def test_it_moves_objectives_up_and_down(self):
        second = factories.objective(self.plan, "Second", position=1)
        self.login(self.member_a)
        url = reverse("planning:objective-move", args=[second.public_id])
        self.client.post(url, {"version": self.plan.version, "direction": "up"})
        self.assertEqual(list(self.plan.objectives.values_list("text", flat=True))[0], "Second")
        response = self.client.post(url, {"version": self.plan.version, "direction": "up"}, follow=True)
        self.assertContains(response, "saved a newer version")  # the version of the first move is stale


class StepFormTests(PlanTestCase):
    def test_it_lists_the_team_people_first(self):
        stranger = partner_factories.person("Aaron Outsider", may_be_contacted=True)
        self.login(self.member_a)
        response = self.client.get(reverse("planning:step-create", args=[self.objective.public_id]))
        content = response.content.decode()
        self.assertLess(content.index("Nora Nurse"), content.index(stranger.name))
        self.assertIn("People of the team", content)

    def test_it_adds_a_step_and_warns_about_dates_outside_the_cohort(self):
        self.login(self.member_a)
        url = reverse("planning:step-create", args=[self.objective.public_id])
        data = self.step_data(who_person=str(self.nurse.pk), due_date="2019-02-01")
        response = self.client.post(url, data, follow=True)
        step = ActionStep.objects.get(what="Call the mayor's office")
        self.assertEqual((step.who_person, step.who_organization, step.position), (self.nurse, self.lead, 3))
        self.assertContains(response, "outside the cohort")
        self.assertEqual(ActionPlan.objects.get(pk=self.plan.pk).version, self.plan.version + 1)

    def test_a_due_date_before_the_start_is_refused_naming_the_field(self):
        self.login(self.member_a)
        url = reverse("planning:step-create", args=[self.objective.public_id])
        response = self.client.post(url, self.step_data(start_date="2018-07-15", due_date="2018-07-01"))
        self.assertContains(response, "The by-when date (2018-07-01) is before the start", status_code=400)
        self.assertContains(response, 'id="id_due_date_error"', status_code=400)
        self.assertFalse(ActionStep.objects.filter(what="Call the mayor's office").exists())

    def test_a_bad_date_is_refused(self):
        self.login(self.member_a)
        url = reverse("planning:step-create", args=[self.objective.public_id])
        response = self.client.post(url, self.step_data(due_date="next tuesday"))
        self.assertContains(response, "Enter a valid date.", status_code=400)
        self.assertEqual(ActionStep.objects.count(), 3)

    def test_it_edits_a_step(self):
        self.login(self.member_a)
        url = reverse("planning:step-edit", args=[self.soon.public_id])
        self.assertContains(self.client.get(url), "Brief the council")
        response = self.client.post(url, self.step_data(what="Brief the council twice", status="in_progress"))
        self.assertEqual(response.status_code, 302)
        step = ActionStep.objects.get(pk=self.soon.pk)
        self.assertEqual((step.what, step.status), ("Brief the council twice", "in_progress"))
        self.assertTrue(AuditEvent.objects.filter(action="change", object_pk=str(step.pk)).exists())

    def test_a_stale_step_edit_shows_both_versions(self):
        self.login(self.member_a)
        url = reverse("planning:step-edit", args=[self.soon.public_id])
        stale = self.plan.version
        self.client.post(url, self.step_data(what="First edit", version=stale))
        response = self.client.post(url, self.step_data(what="Second edit", version=stale))
        self.assertContains(response, "First edit", status_code=409)
        self.assertContains(response, "Second edit", status_code=409)
        self.assertEqual(ActionStep.objects.get(pk=self.soon.pk).what, "First edit")

    def test_read_only_people_get_403_and_strangers_404(self):
        edit = reverse("planning:step-edit", args=[self.soon.public_id])
        delete = reverse("planning:step-delete", args=[self.soon.public_id])
        self.login(self.watcher)
        self.assertEqual(self.client.post(edit, self.step_data()).status_code, 403)
        self.assertEqual(self.client.post(delete, {"version": self.plan.version}).status_code, 403)
        self.login(self.member_b)
        self.assertEqual(self.client.post(edit, self.step_data()).status_code, 404)
        self.assertEqual(self.client.post(delete, {"version": self.plan.version}).status_code, 404)
        self.assertEqual(ActionStep.objects.get(pk=self.soon.pk).what, "Brief the council")

    def test_it_needs_login(self):
        self.assertNeedsLogin(reverse("planning:step-edit", args=[self.soon.public_id]))

    def test_it_deletes_and_moves_steps(self):
        self.login(self.member_a)
        move = reverse("planning:step-move", args=[self.done.public_id])
        self.client.post(move, {"version": self.plan.version, "direction": "up"})
        order = list(self.objective.steps.values_list("what", flat=True))
        self.assertEqual(order, ["Meet the chamber of commerce", "Draft the flyer", "Brief the council"])
        version = ActionPlan.objects.get(pk=self.plan.pk).version
        self.client.post(reverse("planning:step-delete", args=[self.late.public_id]), {"version": version})
        self.assertFalse(ActionStep.objects.filter(pk=self.late.pk).exists())
