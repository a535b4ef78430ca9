"""Inviting people by email, accepting the link, withdrawing an invitation."""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from healthywork.accounts.models import Invitation, User
from healthywork.accounts.roles import Role
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase

LIST_URL = "/accounts/invitations/"


def accept_url(raw: str) -> str:
    return f"/accounts/invitations/accept/{raw}/"


def account_data(**overrides) -> dict:
    data = {
        "username": "newcomer",
        "first_name": "Nia",
        "last_name": "Newcomer",
        "password1": "a long and unusual phrase",
        "password2": "a long and unusual phrase",
    }
    data.update(overrides)
    return data


class InviteTests(PersonaTestCase):
    def invite(self, email: str = "new@example.org", role: str = Role.FACILITATOR):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(LIST_URL, {"email": email, "role": role})

    def test_the_administrator_sees_the_invitation_page(self):
        Invitation.issue("pending@example.org", Role.CODER, self.administrator)
        self.login(self.administrator)
        response = self.client.get(LIST_URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "pending@example.org")
        self.assertContains(response, "Withdraw")

    def test_the_administrator_invites_by_email(self):
        self.login(self.administrator)
        response = self.invite()
        self.assertRedirects(response, LIST_URL)

        invitation = Invitation.objects.get()
        self.assertEqual((invitation.email, invitation.role), ("new@example.org", "facilitator"))
        self.assertEqual(invitation.invited_by, self.administrator)
        self.assertTrue(invitation.is_open)

        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["new@example.org"])
        self.assertIn("Facilitator", message.body)
        link = re.search(r"http://testserver(/accounts/invitations/accept/\S+/)", message.body)
        self.assertIsNotNone(link, message.body)
        self.assertEqual(self.client.get(link.group(1)).status_code, 200)

    def test_inviting_writes_an_audit_event(self):
        self.login(self.administrator)
        self.invite()
        event = AuditEvent.objects.for_object(Invitation.objects.get()).get()
        self.assertEqual((event.action, event.actor), ("create", self.administrator))

    def test_only_the_hash_of_the_link_is_stored(self):
        self.login(self.administrator)
        self.invite()
        raw = re.search(r"/accept/(\S+)/", mail.outbox[0].body).group(1)
        invitation = Invitation.objects.get()
        self.assertNotEqual(invitation.token_hash, raw)
        self.assertEqual(Invitation.find_open(raw), invitation)

    def test_a_bad_email_re_renders_with_400(self):
        self.login(self.administrator)
        response = self.invite(email="not an address")
        self.assertEqual(response.status_code, 400)
        self.assertIn("email", response.context["form"].errors)
        self.assertFalse(Invitation.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_other_roles_get_403(self):
        invitation, _raw = Invitation.issue("pending@example.org", Role.CODER, self.administrator)
        for user in [self.facilitator, self.member, self.coder, self.evaluator, self.viewer]:
            with self.subTest(role=user.role):
                self.login(user)
                self.assertEqual(self.client.get(LIST_URL).status_code, 403)
                self.assertEqual(self.invite().status_code, 403)
                revoke = f"/accounts/invitations/{invitation.pk}/revoke/"
                self.assertEqual(self.client.post(revoke).status_code, 403)
        self.assertEqual(Invitation.objects.count(), 1)
        self.assertEqual(mail.outbox, [])

    def test_it_needs_login(self):
        self.assertNeedsLogin(LIST_URL)
        self.assertNeedsLogin(LIST_URL, "post")


class AcceptTests(PersonaTestCase):
    def setUp(self):
        self.invitation, self.raw = Invitation.issue("new@example.org", Role.EVALUATOR, self.administrator)

    def test_the_link_shows_the_form(self):
        response = self.client.get(accept_url(self.raw))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "new@example.org")
        self.assertContains(response, "Evaluator")

    def test_accepting_creates_the_user_with_the_invited_role_and_logs_in(self):
        response = self.client.post(accept_url(self.raw), account_data())
        self.assertRedirects(response, "/")

        user = User.objects.get(username="newcomer")
        self.assertEqual(user.role, Role.EVALUATOR)
        self.assertEqual(user.email, "new@example.org")
        self.assertEqual(user.get_full_name(), "Nia Newcomer")
        self.assertTrue(user.check_password("a long and unusual phrase"))
        self.assertEqual(self.client.get("/").context["user"], user)

        self.invitation.refresh_from_db()
        self.assertEqual(self.invitation.accepted_by, user)
        self.assertIsNotNone(self.invitation.accepted_at)
        event = AuditEvent.objects.for_object(user).get()
        self.assertEqual((event.action, event.actor), ("create", user))
        self.assertEqual(event.changes, {"role": [None, "evaluator"]})

    def test_the_link_cannot_be_used_twice(self):
        self.client.post(accept_url(self.raw), account_data())
        self.client.logout()
        self.assertEqual(self.client.get(accept_url(self.raw)).status_code, 404)
        response = self.client.post(accept_url(self.raw), account_data(username="second"))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(User.objects.filter(username="second").exists())

    def test_an_expired_invitation_is_404(self):
        Invitation.objects.filter(pk=self.invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        self.assertEqual(self.client.get(accept_url(self.raw)).status_code, 404)
        response = self.client.post(accept_url(self.raw), account_data())
        self.assertEqual(response.status_code, 404)
        self.assertFalse(User.objects.filter(username="newcomer").exists())

    def test_a_bad_token_is_404(self):
        self.assertEqual(self.client.get(accept_url("not-a-token")).status_code, 404)
        self.assertEqual(self.client.post(accept_url("x" + self.raw)).status_code, 404)

    def assertRefused(self, data: dict, field: str) -> None:  # noqa: N802
        response = self.client.post(accept_url(self.raw), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn(field, response.context["form"].errors)
        self.assertContains(response, 'role="alert"', status_code=400)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.invitation.refresh_from_db()
        self.assertTrue(self.invitation.is_open)

    def test_a_taken_username_is_refused(self):
        self.assertRefused(account_data(username="alice"), "username")
        self.assertRefused(account_data(username="ALICE"), "username")

    def test_an_invalid_username_is_refused(self):
        self.assertRefused(account_data(username="no spaces!"), "username")

    def test_passwords_that_differ_are_refused(self):
        self.assertRefused(account_data(password2="a different phrase"), "password2")

    def test_a_weak_password_is_refused(self):
        self.assertRefused(account_data(password1="password", password2="password"), "password1")
        self.assertRefused(account_data(password1="short", password2="short"), "password1")

    def test_a_password_like_the_username_is_refused(self):
        self.assertRefused(
            account_data(
                username="marguerite1984",
                password1="marguerite1984",
                password2="marguerite1984",
            ),
            "password1",
        )


class WithdrawTests(PersonaTestCase):
    def setUp(self):
        self.invitation, self.raw = Invitation.issue("new@example.org", Role.VIEWER, self.administrator)
        self.url = f"/accounts/invitations/{self.invitation.pk}/revoke/"

    def test_the_administrator_withdraws_an_invitation(self):
        self.login(self.administrator)
        response = self.client.post(self.url)
        self.assertRedirects(response, LIST_URL)
        self.assertFalse(Invitation.objects.exists())
        event = AuditEvent.objects.get(action="delete")
        self.assertEqual((event.actor, event.object_repr), (self.administrator, "new@example.org (Viewer)"))
        self.client.logout()
        self.assertEqual(self.client.get(accept_url(self.raw)).status_code, 404)

    def test_an_accepted_invitation_cannot_be_withdrawn(self):
        Invitation.objects.filter(pk=self.invitation.pk).update(accepted_at=timezone.now())
        self.login(self.administrator)
        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertTrue(Invitation.objects.exists())

    def test_withdrawing_needs_post(self):
        self.login(self.administrator)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertTrue(Invitation.objects.exists())

    def test_an_unknown_invitation_is_404(self):
        self.login(self.administrator)
        response = self.client.post(f"/accounts/invitations/{self.invitation.pk + 100}/revoke/")
        self.assertEqual(response.status_code, 404)
