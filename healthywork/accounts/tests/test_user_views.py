"""The administrator's list of users: roles and deactivation."""

from healthywork.accounts.roles import Role
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase

LIST_URL = "/accounts/users/"


def change_url(username: str) -> str:
    return f"/accounts/users/{username}/change/"


class UserListTests(PersonaTestCase):
    def test_the_administrator_lists_users_and_roles(self):
        self.login(self.administrator)
        response = self.client.get(LIST_URL)
        self.assertEqual(response.status_code, 200)
        for username in ["alice", "fran", "mo", "cody", "eve", "vic"]:
            self.assertContains(response, f'action="{change_url(username)}"')
        self.assertContains(response, "fran@example.org")
        # Each role is described for the administrator choosing one.
        self.assertContains(response, "Reads what is shared, changes nothing.")

    def test_other_roles_get_403(self):
        for user in [self.facilitator, self.member, self.coder, self.evaluator, self.viewer]:
            with self.subTest(role=user.role):
                self.login(user)
                self.assertEqual(self.client.get(LIST_URL).status_code, 403)

    def test_it_needs_login(self):
        self.assertNeedsLogin(LIST_URL)


class UserChangeTests(PersonaTestCase):
    def change(self, username: str, role: str, is_active: bool = True):
        data = {"role": role}
        if is_active:
            data["is_active"] = "on"
        return self.client.post(change_url(username), data)

    def test_the_administrator_changes_a_role(self):
        self.login(self.administrator)
        response = self.change("fran", Role.VIEWER)
        self.assertRedirects(response, LIST_URL)
        self.facilitator.refresh_from_db()
        self.assertEqual(self.facilitator.role, Role.VIEWER)
        event = AuditEvent.objects.for_object(self.facilitator).get()
        self.assertEqual((event.action, event.actor), ("change", self.administrator))
        self.assertEqual(event.changes, {"role": ["facilitator", "viewer"]})

    def test_the_administrator_deactivates_a_user(self):
        self.login(self.administrator)
        self.change("vic", Role.VIEWER, is_active=False)
        self.viewer.refresh_from_db()
        self.assertFalse(self.viewer.is_active)
        self.assertFalse(self.viewer.can("registry.edit"))
        event = AuditEvent.objects.for_object(self.viewer).get()
        self.assertEqual(event.changes, {"is_active": [True, False]})

    def test_a_deactivated_user_is_signed_out(self):
        viewer_client = self.client_class()
        viewer_client.force_login(self.viewer)
        self.login(self.administrator)
        self.change("vic", Role.VIEWER, is_active=False)
        self.assertRedirects(viewer_client.get("/"), "/accounts/login/?next=/")

    def test_saving_without_a_change_writes_no_event(self):
        self.login(self.administrator)
        self.change("vic", Role.VIEWER)
        self.assertFalse(AuditEvent.objects.exists())

    def test_an_unknown_role_changes_nothing(self):
        self.login(self.administrator)
        response = self.change("vic", "emperor")
        self.assertRedirects(response, LIST_URL)
        self.viewer.refresh_from_db()
        self.assertEqual(self.viewer.role, Role.VIEWER)
        self.assertFalse(AuditEvent.objects.exists())

    def test_the_administrator_cannot_demote_themselves(self):
        self.login(self.administrator)
        response = self.client.post(
            change_url("alice"), {"role": Role.FACILITATOR, "is_active": "on"}, follow=True
        )
        self.assertContains(response, "You cannot remove your own administrator role")
        self.administrator.refresh_from_db()
        self.assertEqual(self.administrator.role, Role.ADMINISTRATOR)
        self.assertFalse(AuditEvent.objects.exists())

    def test_the_administrator_cannot_deactivate_themselves(self):
        self.login(self.administrator)
        self.change("alice", Role.ADMINISTRATOR, is_active=False)
        self.administrator.refresh_from_db()
        self.assertTrue(self.administrator.is_active)
        self.assertFalse(AuditEvent.objects.exists())

    def test_an_unknown_user_is_404(self):
        self.login(self.administrator)
        self.assertEqual(self.change("nobody", Role.VIEWER).status_code, 404)

    def test_changing_needs_post(self):
        self.login(self.administrator)
        self.assertEqual(self.client.get(change_url("vic")).status_code, 405)

    def test_other_roles_get_403(self):
        for user in [self.facilitator, self.member, self.coder, self.evaluator, self.viewer]:
            with self.subTest(role=user.role):
                self.login(user)
                self.assertEqual(self.change("vic", Role.ADMINISTRATOR).status_code, 403)
                self.assertEqual(self.change(user.username, Role.ADMINISTRATOR).status_code, 403)
        self.viewer.refresh_from_db()
        self.assertEqual(self.viewer.role, Role.VIEWER)
        self.assertFalse(AuditEvent.objects.exists())

    def test_it_needs_login(self):
        self.assertNeedsLogin(change_url("vic"), "post")
