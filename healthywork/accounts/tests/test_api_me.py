"""GET /api/v1/accounts/me: who the token belongs to and what their role may do."""

from healthywork.accounts.models import ApiToken
from healthywork.core.tests.base import PersonaTestCase

URL = "/api/v1/accounts/me"


class MeTests(PersonaTestCase):
    def get(self, raw: str):
        return self.client.get(URL, headers={"Authorization": f"Bearer {raw}"})

    def test_it_describes_the_token_owner(self):
        _token, raw = ApiToken.issue(self.facilitator, "script")
        response = self.get(raw)
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual((data["username"], data["role"]), ("fran", "facilitator"))
        self.assertIn("registry.edit", data["abilities"])
        self.assertNotIn("users.manage", data["abilities"])

    def test_it_records_when_the_token_was_used(self):
        token, raw = ApiToken.issue(self.viewer, "script")
        self.get(raw)
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)

    def test_a_revoked_token_gives_401(self):
        token, raw = ApiToken.issue(self.viewer, "script")
        token.delete()
        response = self.get(raw)
        self.assertEqual(response.status_code, 401)
        self.assertIn("detail", response.json())

    def test_a_deactivated_user_gives_401(self):
        _token, raw = ApiToken.issue(self.viewer, "script")
        self.viewer.is_active = False
        self.viewer.save()
        self.assertEqual(self.get(raw).status_code, 401)

    def test_anonymous_gets_401(self):
        self.assertEqual(self.client.get(URL).status_code, 401)

    def test_a_session_works_too(self):
        self.login(self.administrator)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertIn("users.manage", response.json()["abilities"])
