from datetime import date

from django.urls import reverse

from healthywork.collaborative.tests import factories as collaborative
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.implementation.models import Change
from healthywork.implementation.tests import factories
from healthywork.partners.tests import factories as partners


class ChangeViewsTest(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.organization = partners.organization(name="Health & Medicine Policy Research Group")
        cls.change = factories.change(cls.team_a, "Paid internship policy adopted", workers_reached=9)
        cls.change_b = factories.change(
            cls.team_b, "Scheduling standard", kind="system", level="local", date=date(2018, 11, 1)
        )
        cls.milestone_b = factories.milestone(cls.team_b, "Team B milestone")

    def create_url(self):
        return reverse("implementation:change-create", args=[self.team_a.public_id])

    def data(self, **extra):
        values = {
            "kind": "policy",
            "title": "Wage theft ordinance adopted",
            "level": "local",
            "date": "2019-02-01",
            "organization": "Health & Medicine Policy Research Group",
            "evidence": "Village board minutes",
            "evidence_url": "https://example.org/minutes",
            "workers_reached": "1200",
        }
        values.update(extra)
        return values

    def test_a_member_records_a_change_with_the_organization_by_name(self):
        self.login(self.member_a)
        response = self.client.post(self.create_url(), self.data())
        created = Change.objects.get(title="Wage theft ordinance adopted")
        self.assertRedirects(response, created.get_absolute_url())
        self.assertEqual(created.organization, self.organization)
        self.assertEqual(created.created_by, self.member_a)
        self.assertTrue(AuditEvent.objects.for_object(created).filter(action="create").exists())
        page = self.client.get(created.get_absolute_url())
        self.assertContains(page, "Village board minutes")

    def test_an_unknown_organization_or_another_teams_milestone_is_a_form_error(self):
        self.login(self.member_a)
        response = self.client.post(self.create_url(), self.data(organization="Nobody Inc."))
        self.assertEqual(response.status_code, 400)
        self.assertIn("organization", response.context["form"].errors)
        response = self.client.post(self.create_url(), self.data(milestone=self.milestone_b.pk))
        self.assertIn("milestone", response.context["form"].errors)
        self.assertFalse(Change.objects.filter(title="Wage theft ordinance adopted").exists())

    def test_edit_and_delete_are_audited(self):
        self.login(self.member_a)
        edit = reverse("implementation:change-edit", args=[self.change.public_id])
        response = self.client.post(edit, self.data(title="Paid internships", organization=""))
        self.assertEqual(response.status_code, 302)
        self.change.refresh_from_db()
        self.assertEqual(self.change.title, "Paid internships")
        self.assertTrue(AuditEvent.objects.for_object(self.change).filter(action="change").exists())
        self.client.post(reverse("implementation:change-delete", args=[self.change.public_id]))
        self.assertFalse(Change.objects.filter(pk=self.change.pk).exists())

    def test_strangers_get_404_and_readers_403(self):
        self.login(self.member_b)
        self.assertEqual(self.client.get(self.change.get_absolute_url()).status_code, 404)
        self.login(self.evaluator)
        self.assertEqual(self.client.get(self.change.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.post(self.create_url(), self.data()).status_code, 403)
        edit = reverse("implementation:change-edit", args=[self.change.public_id])
        self.assertEqual(self.client.post(edit, self.data()).status_code, 403)

    def test_the_list_shows_visible_teams_only_and_filters(self):
        self.login(self.member_a)
        response = self.client.get(reverse("implementation:change-list"))
        self.assertContains(response, "Paid internship policy adopted")
        self.assertNotContains(response, "Scheduling standard")
        self.login(self.administrator)
        url = reverse("implementation:change-list")
        self.assertContains(self.client.get(url), "Scheduling standard")
        response = self.client.get(url, {"kind": "system"})
        self.assertContains(response, "Scheduling standard")
        self.assertNotContains(response, "Paid internship policy adopted")
        response = self.client.get(url, {"team": str(self.team_a.public_id), "year": "2019"})
        self.assertContains(response, "Paid internship policy adopted")
        self.assertNotContains(response, "Scheduling standard")
        other = collaborative.cohort("Another cohort")
        response = self.client.get(url, {"cohort": str(other.public_id)})
        self.assertNotContains(response, "Scheduling standard")

    def test_the_export_follows_the_filters(self):
        self.login(self.administrator)
        url = reverse("implementation:change-export")
        response = self.client.get(url, {"format": "csv", "level": "local"})
        text = response.content.decode("utf-8-sig")
        self.assertIn("Scheduling standard", text)
        self.assertNotIn("Paid internship policy adopted", text)
        response = self.client.get(url, {"format": "xlsx"})
        self.assertEqual(response.content[:2], b"PK")
        self.assertEqual(self.client.get(url, {"format": "pdf"}).status_code, 400)

    def test_it_needs_login(self):
        self.assertNeedsLogin(reverse("implementation:change-list"))
