"""Personal API tokens: made, listed and revoked by their owner."""

import hashlib
import re

from healthywork.accounts.models import ApiToken
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase

LIST_URL = "/accounts/tokens/"


def revoke_url(token: ApiToken) -> str:
    return f"/accounts/tokens/{token.pk}/revoke/"


class TokenListTests(PersonaTestCase):
    def make_token(self, name: str = "my script"):
        return self.client.post(LIST_URL, {"name": name})

    def test_it_makes_a_token_and_shows_it_once(self):
        self.login(self.viewer)
        response = self.make_token()
        self.assertEqual(response.status_code, 200)
        raw = re.search(r'<code class="token">(hw_[^<]+)</code>', response.content.decode())
        self.assertIsNotNone(raw)
        raw = raw.group(1)

        token = ApiToken.objects.get()
        self.assertEqual((token.user, token.name), (self.viewer, "my script"))
        self.assertEqual(token.token_hash, hashlib.sha256(raw.encode()).hexdigest())
        self.assertEqual(token.hint, raw[:7])
        self.assertEqual(ApiToken.authenticate(raw), self.viewer)

        self.assertNotContains(self.client.get(LIST_URL), raw)

    def test_making_a_token_writes_an_audit_event(self):
        self.login(self.viewer)
        self.make_token()
        event = AuditEvent.objects.for_object(ApiToken.objects.get()).get()
        self.assertEqual((event.action, event.actor), ("create", self.viewer))

    def test_the_raw_token_is_never_stored(self):
        self.login(self.viewer)
        raw = re.search(r"hw_[\w-]+", self.make_token().content.decode()).group(0)
        token = ApiToken.objects.get()
        self.assertNotIn(raw, [token.token_hash, token.hint, token.name])
        self.assertNotIn(raw, str(AuditEvent.objects.get().changes))

    def test_a_token_needs_a_name(self):
        self.login(self.viewer)
        response = self.make_token(name="")
        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.context["form"].errors)
        self.assertFalse(ApiToken.objects.exists())

    def test_the_list_shows_only_your_own_tokens(self):
        ApiToken.issue(self.viewer, "viewer's script")
        ApiToken.issue(self.facilitator, "facilitator's script")
        self.login(self.viewer)
        response = self.client.get(LIST_URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual([token.name for token in response.context["tokens"]], ["viewer's script"])
        self.assertNotContains(response, "facilitator&#x27;s script")

    def test_it_needs_login(self):
        self.assertNeedsLogin(LIST_URL)
        self.assertNeedsLogin(LIST_URL, "post")


class TokenRevokeTests(PersonaTestCase):
    def setUp(self):
        self.token, self.raw = ApiToken.issue(self.viewer, "my script")

    def test_the_owner_revokes_a_token(self):
        self.login(self.viewer)
        response = self.client.post(revoke_url(self.token))
        self.assertRedirects(response, LIST_URL)
        self.assertFalse(ApiToken.objects.exists())
        self.assertIsNone(ApiToken.authenticate(self.raw))
        event = AuditEvent.objects.get()
        self.assertEqual((event.action, event.actor), ("delete", self.viewer))
        self.assertEqual(event.object_pk, str(self.token.pk))

    def test_revoking_another_users_token_is_404(self):
        for user in [self.administrator, self.facilitator]:
            with self.subTest(role=user.role):
                self.login(user)
                self.assertEqual(self.client.post(revoke_url(self.token)).status_code, 404)
        self.assertEqual(ApiToken.authenticate(self.raw), self.viewer)
        self.assertFalse(AuditEvent.objects.exists())

    def test_revoking_needs_post(self):
        self.login(self.viewer)
        self.assertEqual(self.client.get(revoke_url(self.token)).status_code, 405)
        self.assertTrue(ApiToken.objects.exists())

    def test_it_needs_login(self):
        self.assertNeedsLogin(revoke_url(self.token), "post")
        self.assertTrue(ApiToken.objects.exists())
