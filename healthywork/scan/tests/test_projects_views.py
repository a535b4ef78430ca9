"""The scan's home, a project's overview, creating and editing projects, and their members."""

from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.scan.models import InterviewStatus, Project, ProjectMember, ProjectRole
from healthywork.scan.tests import factories

INDEX = "/scan/"
CREATE = "/scan/projects/new/"


class ScanProjectTestCase(PersonaTestCase):
    """A project with a lead (member), a coder (coder), a reader (viewer); the evaluator is a stranger."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = factories.project("Healthy Work Scan", description="Fifty-five interviews.")
        factories.member(cls.project, cls.member, ProjectRole.LEAD)
        factories.member(cls.project, cls.coder, ProjectRole.CODER)
        factories.member(cls.project, cls.viewer, ProjectRole.READER)
        cls.stranger = cls.evaluator
        cls.other_project = factories.project("Someone else's study")

    def url(self, suffix: str = "", project: Project | None = None) -> str:
        return f"/scan/projects/{(project or self.project).public_id}/{suffix}"


class IndexTests(ScanProjectTestCase):
    def test_it_lists_visible_projects_with_counts(self):
        factories.interview(self.project)
        document = factories.document(self.project)
        code = factories.code(self.project)
        factories.coding_of(document, code, self.coder, "Wage theft")
        self.login(self.coder)
        response = self.client.get(INDEX)
        self.assertContains(response, "Healthy Work Scan")
        self.assertNotContains(response, "Someone else")
        self.assertEqual(response.context["projects"][0].interview_count, 1)
        self.assertEqual(response.context["projects"][0].coding_count, 1)
        self.assertNotContains(response, CREATE)

    def test_administrators_see_every_project_and_the_new_project_button(self):
        self.login(self.administrator)
        response = self.client.get(INDEX)
        self.assertContains(response, "Someone else")
        self.assertContains(response, CREATE)

    def test_it_needs_login(self):
        self.assertNeedsLogin(INDEX)

    def test_the_home_page_counts_scan_projects(self):
        self.login(self.coder)
        response = self.client.get("/")
        self.assertContains(response, "Scan projects")


class DetailTests(ScanProjectTestCase):
    def test_it_shows_counts_by_interview_status(self):
        factories.interview(self.project, status=InterviewStatus.DONE)
        factories.interview(self.project, status=InterviewStatus.DONE)
        self.login(self.viewer)
        response = self.client.get(self.url())
        self.assertContains(response, "Healthy Work Scan")
        self.assertIn(
            ("Done", 2), [(str(label), count) for label, count in response.context["interview_statuses"]]
        )
        self.assertNotContains(response, self.url("edit/"))

    def test_a_stranger_gets_404(self):
        self.login(self.stranger)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url())


class CreateEditTests(ScanProjectTestCase):
    def test_an_administrator_creates_a_project(self):
        self.login(self.administrator)
        response = self.client.post(CREATE, {"name": "Second scan", "description": "", "keep_originals": ""})
        project = Project.objects.get(name="Second scan")
        self.assertRedirects(response, project.get_absolute_url())
        self.assertFalse(project.keep_originals)
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(project.pk)).exists())

    def test_only_scan_managers_create_projects(self):
        self.login(self.member)  # a lead of another project is not an administrator
        self.assertEqual(self.client.post(CREATE, {"name": "Nope"}).status_code, 403)
        self.assertFalse(Project.objects.filter(name="Nope").exists())

    def test_a_duplicate_name_is_refused_with_a_message(self):
        self.login(self.administrator)
        response = self.client.post(CREATE, {"name": "Healthy Work Scan"})
        self.assertEqual(response.status_code, 400)
        self.assertFormError(response.context["form"], "name", "Scan project with this Name already exists.")

    def test_the_lead_edits_the_project(self):
        self.login(self.member)
        response = self.client.post(self.url("edit/"), {"name": "Renamed scan", "keep_originals": "on"})
        self.assertRedirects(response, self.url())
        self.project.refresh_from_db()
        self.assertEqual(self.project.name, "Renamed scan")
        self.assertTrue(AuditEvent.objects.filter(action="change", object_pk=str(self.project.pk)).exists())

    def test_a_reader_gets_403_and_a_stranger_404_on_edit(self):
        self.login(self.viewer)
        self.assertEqual(self.client.post(self.url("edit/"), {"name": "X"}).status_code, 403)
        self.login(self.stranger)
        self.assertEqual(self.client.get(self.url("edit/")).status_code, 404)
        self.project.refresh_from_db()
        self.assertEqual(self.project.name, "Healthy Work Scan")

    def test_edit_needs_login(self):
        self.assertNeedsLogin(self.url("edit/"))


class MemberTests(ScanProjectTestCase):
    def test_members_are_listed_to_readers_without_the_form(self):
        self.login(self.viewer)
        response = self.client.get(self.url("members/"))
        self.assertContains(response, self.coder.display_name())
        self.assertIsNone(response.context["form"])

    def test_the_lead_adds_a_member_and_changes_a_role(self):
        self.login(self.member)
        response = self.client.post(self.url("members/"), {"user": self.facilitator.pk, "role": "coder"})
        self.assertRedirects(response, self.url("members/"))
        self.client.post(self.url("members/"), {"user": self.facilitator.pk, "role": "reader"})
        member = ProjectMember.objects.get(project=self.project, user=self.facilitator)
        self.assertEqual(member.role, "reader")
        self.assertEqual(AuditEvent.objects.filter(content_type__model="projectmember").count(), 2)

    def test_a_bad_role_is_refused_and_changes_nothing(self):
        self.login(self.member)
        response = self.client.post(self.url("members/"), {"user": self.facilitator.pk, "role": "owner"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("role", response.context["form"].errors)
        self.assertFalse(ProjectMember.objects.filter(user=self.facilitator).exists())

    def test_the_lead_removes_a_member(self):
        member = ProjectMember.objects.get(project=self.project, user=self.coder)
        self.login(self.member)
        self.client.post(self.url(f"members/{member.pk}/remove/"))
        self.assertFalse(ProjectMember.objects.filter(pk=member.pk).exists())

    def test_a_coder_gets_403_and_a_stranger_404(self):
        member = ProjectMember.objects.get(project=self.project, user=self.viewer)
        self.login(self.coder)
        self.assertEqual(
            self.client.post(self.url("members/"), {"user": self.coder.pk, "role": "lead"}).status_code, 403
        )
        self.assertEqual(self.client.post(self.url(f"members/{member.pk}/remove/")).status_code, 403)
        self.login(self.stranger)
        self.assertEqual(self.client.get(self.url("members/")).status_code, 404)
        self.assertEqual(ProjectMember.objects.get(project=self.project, user=self.coder).role, "coder")

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url("members/"))
