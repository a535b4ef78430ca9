"""The training records API: the attendance sheet (read, write) and the certificate PDF."""

from django.utils import timezone

from healthywork.core.tests.base import PersonaTestCase
from healthywork.training import records
from healthywork.training.models import Attendance
from healthywork.training.tests import factories


class RecordsApiTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.training = factories.training("Webinar")
        cls.ana = factories.registration(cls.training, "Ana Núñez", email="ana@example.org")
        cls.url = f"/api/v1/training/trainings/{cls.training.public_id}/attendance"

    def test_a_manager_reads_and_writes_the_sheet(self):
        self.login(self.facilitator)
        body = {
            "marks": [
                {"registration": str(self.ana.public_id), "day": "2030-03-05", "minutes": 80, "present": True}
            ]
        }
        response = self.client.post(self.url, body, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json(), {"changed": 1})
        sheet = self.client.get(self.url).json()
        self.assertEqual(sheet["days"], ["2030-03-05"])
        self.assertEqual(sheet["rows"][0]["cells"], [{"day": "2030-03-05", "present": True, "minutes": 80}])

    def test_a_bad_cell_is_a_422_naming_it_and_nothing_changes(self):
        self.login(self.facilitator)
        body = {
            "marks": [
                {"registration": str(self.ana.public_id), "day": "2030-03-05", "present": True},
                {"registration": str(self.ana.public_id), "day": "2031-01-01", "present": True},
            ]
        }
        response = self.client.post(self.url, body, content_type="application/json")
        self.assertEqual(response.status_code, 422)
        self.assertIn("marks.1.day", response.content.decode())
        self.assertFalse(Attendance.objects.exists())

    def test_others_get_403_and_unknown_trainings_404(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.login(self.administrator)
        self.assertEqual(
            self.client.get(
                "/api/v1/training/trainings/00000000-0000-0000-0000-000000000000/attendance"
            ).status_code,
            404,
        )

    def test_the_certificate_pdf(self):
        self.ana.completed_at = timezone.now()
        self.ana.save()
        records.issue_certificate(self.ana, by=self.administrator)
        url = f"/api/v1/training/registrations/{self.ana.public_id}/certificate"
        self.login(self.facilitator)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.login(self.viewer)
        self.assertEqual(self.client.get(url).status_code, 404)
