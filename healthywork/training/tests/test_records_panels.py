"""The trainings on a person's page (managers and people.view_all only) and an organization's counts."""

from django.utils import timezone

from healthywork.core.tests.base import PersonaTestCase
from healthywork.partners.tests import factories as partner_factories
from healthywork.training import panels_records
from healthywork.training.models import Attendance, RegistrationStatus
from healthywork.training.tests import factories


class PanelTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.organization = partner_factories.organization("Centro de Trabajadores Unidos")
        cls.person = partner_factories.person("Lucía Peña", email="lucia@example.org")
        partner_factories.affiliation(cls.person, cls.organization)
        cls.webinar = factories.training("Webinar")
        cls.club = factories.training("Journal club")
        cls.video = factories.training("Power Mapping video")
        linked = factories.registration(
            cls.webinar, "Lucía Peña", email="other@example.org", person=cls.person
        )
        Attendance.objects.create(registration=linked, day="2030-03-05")
        by_email = factories.registration(
            cls.club, "L. Peña", email="LUCIA@example.org", completed_at=timezone.now()
        )
        Attendance.objects.create(registration=by_email, day="2030-03-05")
        factories.registration(cls.video, "Someone else", email="else@example.org")
        factories.registration(cls.video, "Co Worker", email="co@example.org", organization=cls.organization)
        factories.registration(
            cls.video, "Lucía", email="lucia@example.org", status=RegistrationStatus.CANCELLED
        )

    def test_managers_and_people_viewers_see_the_persons_trainings(self):
        for user in (self.administrator, self.facilitator, self.evaluator, self.coder):
            (panel,) = panels_records.person_panels(self.person, user)
            titles = {registration.training.title for registration in panel.context["registrations"]}
            self.assertEqual(titles, {"Webinar", "Journal club", "Power Mapping video"}, user)
            self.assertEqual(panel.context["attended"], 2)
            self.assertEqual(panel.context["completed"], 1)

    def test_others_see_no_trainings_panel(self):
        for user in (self.member, self.viewer):
            self.assertEqual(panels_records.person_panels(self.person, user), [])

    def test_the_organization_counts_its_people_trained(self):
        (panel,) = panels_records.organization_panels(self.organization, self.viewer)
        self.assertEqual(
            panel.context["counts"], {"registered": 2, "attended": 1, "completed": 1, "trainings": 3}
        )

    def test_the_panel_template_renders(self):
        from django.template.loader import render_to_string

        (panel,) = panels_records.person_panels(self.person, self.administrator)
        html = render_to_string(panel.template, {"panel": panel})
        self.assertIn("Journal club", html)
