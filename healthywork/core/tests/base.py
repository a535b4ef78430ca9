"""The personas every view test uses."""

from django.test import TestCase

from healthywork.accounts.models import User
from healthywork.accounts.roles import Role


def make_user(username: str, role: str, **extra) -> User:
    user = User(username=username, email=f"{username}@example.org", role=role, **extra)
    user.set_password("password")
    user.save()
    return user


class PersonaTestCase(TestCase):
    """administrator, facilitator, member (team member), coder, evaluator, viewer; anonymous is
    the client before `login`. Later issues add members of team A and team B."""

    @classmethod
    def setUpTestData(cls):
        cls.administrator = make_user("alice", Role.ADMINISTRATOR, first_name="Alice", last_name="Admin")
        cls.facilitator = make_user("fran", Role.FACILITATOR)
        cls.member = make_user("mo", Role.TEAM_MEMBER)
        cls.coder = make_user("cody", Role.CODER)
        cls.evaluator = make_user("eve", Role.EVALUATOR)
        cls.viewer = make_user("vic", Role.VIEWER)

    def login(self, user: User) -> None:
        self.client.force_login(user)

    def assertNeedsLogin(self, url: str, method: str = "get") -> None:  # noqa: N802
        self.client.logout()
        response = getattr(self.client, method)(url)
        self.assertEqual(response.status_code, 302, url)
        self.assertIn("/accounts/login/", response["Location"])
