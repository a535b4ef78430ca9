"""Attendance: the facilitator's sheet, walk-ins, the tablet sign-in, and the counts."""

from django.urls import reverse

from healthywork.collaborative import sessions
from healthywork.collaborative.models import Attendance, TeamPerson
from healthywork.collaborative.tests import factories
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.partners.models import Person
from healthywork.partners.tests import factories as partner_factories


class AttendanceTestCase(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = factories.session(cls.cohort, 1)
        cls.ana = partner_factories.person("Ana Ortiz")
        cls.ben = partner_factories.person("Ben Hale")
        cls.cy = partner_factories.person("Cy Moreno")
        TeamPerson.objects.create(team=cls.team_a, person=cls.ana)
        TeamPerson.objects.create(team=cls.team_a, person=cls.ben)
        TeamPerson.objects.create(team=cls.team_b, person=cls.cy)
        cls.sheet = reverse("collaborative:session-attendance", args=[cls.session.public_id])
        cls.walk_in = reverse("collaborative:attendance-walk-in", args=[cls.session.public_id])
        cls.sign_in = reverse("collaborative:session-sign-in", args=[cls.session.public_id])


class SheetTests(AttendanceTestCase):
    def test_they_need_login(self):
        self.assertNeedsLogin(self.sheet)
        self.assertNeedsLogin(self.sign_in)

    def test_only_the_cohorts_managers_take_attendance(self):
        for user in (self.viewer, self.member_a):
            self.login(user)
            self.assertEqual(self.client.get(self.sheet).status_code, 403)
            self.assertEqual(self.client.post(self.sheet, {"present": [self.ana.pk]}).status_code, 403)
            self.assertEqual(self.client.post(self.sign_in, {"person": self.ana.pk}).status_code, 403)
            self.assertEqual(self.client.post(self.walk_in, {"name": "X"}).status_code, 403)
        self.assertFalse(Attendance.objects.exists())

    def test_the_sheet_lists_everyone_grouped_by_team(self):
        self.login(self.facilitator)
        response = self.client.get(self.sheet)
        groups = response.context["groups"]
        self.assertEqual([group.team for group in groups], [self.team_a, self.team_b])
        self.assertEqual([entry.person.name for entry in groups[0].entries], ["Ana Ortiz", "Ben Hale"])
        self.assertContains(response, f'<label for="present-{self.ana.pk}">Ana Ortiz</label>', html=True)

    def test_saving_the_sheet_marks_present_and_absent(self):
        self.login(self.facilitator)
        response = self.client.post(self.sheet, {"present": [self.ana.pk, self.cy.pk]})
        self.assertRedirects(response, self.sheet)
        present = set(Attendance.objects.filter(is_present=True).values_list("person__name", flat=True))
        self.assertEqual(present, {"Ana Ortiz", "Cy Moreno"})
        self.assertEqual(Attendance.objects.get(person=self.cy).team, self.team_b)
        self.client.post(self.sheet, {"present": [self.cy.pk]})
        self.assertFalse(Attendance.objects.get(person=self.ana).is_present)
        self.assertEqual(AuditEvent.objects.filter(note="attendance sheet").count(), 2)

    def test_the_counts_per_team_include_walk_ins(self):
        Attendance.objects.create(session=self.session, person=self.ana, team=self.team_a)
        guest = partner_factories.person("Guest")
        Attendance.objects.create(session=self.session, person=guest, team=self.team_a)
        counts = sessions.attendance_counts([self.session.pk], [self.team_a.pk, self.team_b.pk])
        self.assertEqual(counts[(self.team_a.pk, self.session.pk)], (2, 3))
        self.assertEqual(counts[(self.team_b.pk, self.session.pk)], (0, 1))


class WalkInTests(AttendanceTestCase):
    def test_a_new_person_walks_in_with_their_team(self):
        self.login(self.facilitator)
        data = {"name": "Dee Park", "email": "dee@example.org", "team": self.team_b.pk}
        response = self.client.post(self.walk_in, data)
        self.assertRedirects(response, self.sheet)
        mark = Attendance.objects.get(person__name="Dee Park")
        self.assertEqual((mark.team, mark.is_present), (self.team_b, True))
        response = self.client.get(self.sheet)
        self.assertContains(response, "Dee Park")
        self.assertContains(response, "walk-in")

    def test_a_known_email_signs_in_the_registry_person(self):
        known = partner_factories.person("Eva Lind", email="eva@example.org")
        self.login(self.facilitator)
        self.client.post(self.walk_in, {"name": "Eva L.", "email": "EVA@example.org", "team": ""})
        self.assertEqual(Attendance.objects.get().person, known)
        self.assertEqual(Person.objects.filter(name__startswith="Eva").count(), 1)

    def test_a_missing_name_names_the_field_and_changes_nothing(self):
        self.login(self.facilitator)
        response = self.client.post(self.walk_in, {"name": " ", "email": "", "team": self.team_a.pk})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.context["walk_in_form"].errors["name"],
            ["Type the person's name, or choose someone in the registry."],
        )
        self.assertFalse(Attendance.objects.exists())

    def test_a_bad_email_is_a_field_error(self):
        self.login(self.facilitator)
        response = self.client.post(self.walk_in, {"name": "Fay", "email": "not-an-email"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("email", response.context["walk_in_form"].errors)
        self.assertFalse(Person.objects.filter(name="Fay").exists())


class TabletSignInTests(AttendanceTestCase):
    def test_the_tablet_lists_names_and_searches(self):
        self.login(self.facilitator)
        response = self.client.get(self.sign_in)
        self.assertContains(response, "Sign in Ana Ortiz")
        self.assertContains(response, "Sign in Cy Moreno")
        response = self.client.get(self.sign_in, {"q": "ort"})
        self.assertContains(response, "Sign in Ana Ortiz")
        self.assertNotContains(response, "Sign in Cy Moreno")

    def test_the_search_answers_htmx_with_the_list_only(self):
        self.login(self.facilitator)
        response = self.client.get(self.sign_in, {"q": "cy"}, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="sign-in-names"')
        self.assertNotContains(response, "<h1>")

    def test_one_tap_signs_a_person_in(self):
        self.login(self.facilitator)
        response = self.client.post(self.sign_in, {"person": self.ana.pk, "q": "an"}, follow=True)
        self.assertRedirects(response, self.sign_in + "?q=an")
        mark = Attendance.objects.get(person=self.ana)
        self.assertTrue(mark.is_present)
        self.assertIsNotNone(mark.signed_in_at)
        self.assertEqual(mark.team, self.team_a)
        self.assertContains(response, "Signed in")

    def test_htmx_tap_returns_the_signed_in_entry(self):
        self.login(self.facilitator)
        response = self.client.post(self.sign_in, {"person": self.cy.pk}, headers={"HX-Request": "true"})
        self.assertContains(response, f'id="sign-in-{self.cy.pk}"')
        self.assertContains(response, "Signed in")
        self.assertNotContains(response, "<h1>")

    def test_a_person_not_on_the_list_is_refused(self):
        stranger = partner_factories.person("Not Listed")
        self.login(self.facilitator)
        response = self.client.post(self.sign_in, {"person": stranger.pk}, follow=True)
        self.assertContains(response, "That name is not on this session")
        self.assertFalse(Attendance.objects.exists())
