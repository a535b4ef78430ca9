"""Signing in and out, resetting and changing a password, and the login wall."""

import re

from django.conf import settings
from django.core import mail

from healthywork.accounts.models import Invitation
from healthywork.core.tests.base import PersonaTestCase, make_user

LOGIN_URL = "/accounts/login/"


class LoginTests(PersonaTestCase):
    def test_the_login_page_renders(self):
        response = self.client.get(LOGIN_URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="username"')
        self.assertContains(response, 'name="password"')
        self.assertContains(response, 'href="/accounts/password/reset/"')

    def test_good_credentials_log_in_and_set_the_preferred_language(self):
        make_user("sofia", "viewer", preferred_language="es")
        response = self.client.post(LOGIN_URL, {"username": "sofia", "password": "password"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "es")
        self.assertEqual(self.client.get("/").context["user"].username, "sofia")

    def test_it_follows_next_after_login(self):
        response = self.client.post(
            LOGIN_URL,
            {"username": "vic", "password": "password", "next": "/accounts/profile/"},
        )
        self.assertRedirects(response, "/accounts/profile/")

    def test_bad_credentials_show_an_error(self):
        response = self.client.post(LOGIN_URL, {"username": "vic", "password": "wrong"})
        self.assertContains(response, 'role="alert"', status_code=response.status_code)
        self.assertTrue(response.context["form"].non_field_errors())
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_deactivated_user_cannot_log_in(self):
        self.viewer.is_active = False
        self.viewer.save()
        self.client.post(LOGIN_URL, {"username": "vic", "password": "password"})
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_signed_in_user_is_sent_home_from_the_login_page(self):
        self.login(self.viewer)
        self.assertRedirects(self.client.get(LOGIN_URL), "/")


class LogoutTests(PersonaTestCase):
    def test_logout_by_post_signs_out(self):
        self.login(self.viewer)
        response = self.client.post("/accounts/logout/")
        self.assertRedirects(response, LOGIN_URL)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertRedirects(self.client.get("/"), "/accounts/login/?next=/")

    def test_logout_by_get_is_refused(self):
        self.login(self.viewer)
        response = self.client.get("/accounts/logout/")
        self.assertEqual(response.status_code, 405)
        self.assertIn("_auth_user_id", self.client.session)

    def test_every_page_has_a_sign_out_button(self):
        self.login(self.viewer)
        self.assertContains(self.client.get("/"), 'action="/accounts/logout/"')


class PasswordResetTests(PersonaTestCase):
    def request_reset(self, email: str):
        return self.client.post("/accounts/password/reset/", {"email": email})

    def test_the_reset_page_renders(self):
        self.assertEqual(self.client.get("/accounts/password/reset/").status_code, 200)

    def test_it_emails_a_link_that_sets_a_new_password(self):
        response = self.request_reset("vic@example.org")
        self.assertRedirects(response, "/accounts/password/reset/sent/")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["vic@example.org"])
        link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", message.body)
        self.assertIsNotNone(link, message.body)

        # Django swaps the token for a session value and redirects to a "set-password" address.
        response = self.client.get(link.group(1))
        self.assertEqual(response.status_code, 302)
        form_url = response["Location"]
        response = self.client.get(form_url)
        self.assertTrue(response.context["validlink"])
        response = self.client.post(
            form_url,
            {"new_password1": "a fresh long phrase", "new_password2": "a fresh long phrase"},
        )
        self.assertRedirects(response, "/accounts/password/reset/complete/")

        self.viewer.refresh_from_db()
        self.assertTrue(self.viewer.check_password("a fresh long phrase"))
        # The link is spent once the password has changed.
        self.assertFalse(self.client.get(link.group(1), follow=True).context["validlink"])

    def test_an_unknown_address_sends_nothing_but_says_the_same(self):
        response = self.request_reset("nobody@example.org")
        self.assertRedirects(response, "/accounts/password/reset/sent/")
        self.assertEqual(mail.outbox, [])

    def test_a_bad_link_says_it_is_not_valid(self):
        response = self.client.get("/accounts/password/reset/MQ/bad-token/")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["validlink"])
        self.assertContains(response, 'href="/accounts/password/reset/"')


class PasswordChangeTests(PersonaTestCase):
    URL = "/accounts/password/change/"

    def test_it_changes_the_password_and_keeps_the_session(self):
        self.login(self.viewer)
        response = self.client.post(
            self.URL,
            {
                "old_password": "password",
                "new_password1": "another long phrase",
                "new_password2": "another long phrase",
            },
        )
        self.assertRedirects(response, "/accounts/profile/")
        self.viewer.refresh_from_db()
        self.assertTrue(self.viewer.check_password("another long phrase"))
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_a_wrong_old_password_changes_nothing(self):
        self.login(self.viewer)
        response = self.client.post(
            self.URL,
            {
                "old_password": "wrong",
                "new_password1": "another long phrase",
                "new_password2": "another long phrase",
            },
        )
        self.assertIn("old_password", response.context["form"].errors)
        self.viewer.refresh_from_db()
        self.assertTrue(self.viewer.check_password("password"))

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.URL)


class LoginWallTests(PersonaTestCase):
    PRIVATE_URLS = [
        "/",
        "/audit/",
        "/accounts/profile/",
        "/accounts/password/change/",
        "/accounts/users/",
        "/accounts/invitations/",
        "/accounts/tokens/",
        "/partners/organizations/",
    ]
    PUBLIC_URLS = [
        LOGIN_URL,
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        "/accounts/password/reset/complete/",
    ]

    def test_anonymous_home_redirects_to_login_with_next(self):
        self.assertRedirects(self.client.get("/"), "/accounts/login/?next=/")

    def test_every_private_page_needs_login(self):
        for url in self.PRIVATE_URLS:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/accounts/login/?next="))

    def test_the_login_and_password_reset_pages_are_open(self):
        for url in self.PUBLIC_URLS:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_invitation_link_is_open(self):
        _invitation, raw = Invitation.issue("new@example.org", "viewer", self.administrator)
        response = self.client.get(f"/accounts/invitations/accept/{raw}/")
        self.assertEqual(response.status_code, 200)
