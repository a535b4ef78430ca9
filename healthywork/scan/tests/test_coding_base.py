"""The project, people and document the coding tests share (no tests of its own)."""

from healthywork.accounts.roles import Role
from healthywork.core.tests.base import PersonaTestCase, make_user
from healthywork.scan.models import ProjectRole
from healthywork.scan.tests import factories


class CodingTestCase(PersonaTestCase):
    """A project with a lead, a coder (cody), a second coder, a reader (vic); eve is a stranger."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = factories.project("Healthy work scan")
        cls.lead = make_user("lena", Role.CODER)
        cls.second_coder = make_user("sam", Role.CODER)
        factories.member(cls.project, cls.lead, ProjectRole.LEAD)
        factories.member(cls.project, cls.coder, ProjectRole.CODER)
        factories.member(cls.project, cls.second_coder, ProjectRole.CODER)
        factories.member(cls.project, cls.viewer, ProjectRole.READER)
        cls.stranger = cls.evaluator
        cls.document = factories.document(cls.project, title="Worker center interview")
        cls.wage_theft = factories.code(cls.project, "Wage theft", colour="#d62728")
        cls.scheduling = factories.code(cls.project, "Scheduling", colour="#2ca02c")
        cls.other_project = factories.project("Another scan")
        cls.foreign_code = factories.code(cls.other_project, "Foreign")

    def page_url(self, document=None) -> str:
        return f"/scan/documents/{(document or self.document).public_id}/code/"

    def apply_url(self, document=None) -> str:
        return f"/scan/documents/{(document or self.document).public_id}/code/apply/"

    def span(self, phrase: str) -> tuple[int, int]:
        start = self.document.text.index(phrase)
        return start, start + len(phrase)
