"""The signed-in person's own profile."""

from django.conf import settings

from healthywork.core.tests.base import PersonaTestCase

URL = "/accounts/profile/"


def profile_data(**overrides) -> dict:
    data = {
        "first_name": "Victoria",
        "last_name": "Viewer",
        "email": "victoria@example.org",
        "preferred_language": "es",
    }
    data.update(overrides)
    return data


class ProfileTests(PersonaTestCase):
    def test_it_shows_the_form_with_the_current_values(self):
        self.login(self.viewer)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="vic@example.org"')
        self.assertContains(response, 'name="preferred_language"')
        self.assertContains(response, 'href="/accounts/password/change/"')

    def test_it_saves_name_email_and_language(self):
        self.login(self.viewer)
        response = self.client.post(URL, profile_data())
        self.assertRedirects(response, URL, fetch_redirect_response=False)
        self.viewer.refresh_from_db()
        self.assertEqual(
            (
                self.viewer.first_name,
                self.viewer.last_name,
                self.viewer.email,
                self.viewer.preferred_language,
            ),
            ("Victoria", "Viewer", "victoria@example.org", "es"),
        )
        # The page switches to the chosen language at once.
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "es")

    def test_it_cannot_change_the_role(self):
        self.login(self.viewer)
        self.client.post(URL, profile_data(role="administrator", username="boss"))
        self.viewer.refresh_from_db()
        self.assertEqual((self.viewer.role, self.viewer.username), ("viewer", "vic"))

    def test_an_invalid_email_gives_400_with_a_field_error(self):
        self.login(self.viewer)
        response = self.client.post(URL, profile_data(email="not an address"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("email", response.context["form"].errors)
        self.assertContains(response, "has-error", status_code=400)
        self.viewer.refresh_from_db()
        self.assertEqual(self.viewer.email, "vic@example.org")

    def test_an_unknown_language_gives_400(self):
        self.login(self.viewer)
        response = self.client.post(URL, profile_data(preferred_language="xx"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("preferred_language", response.context["form"].errors)

    def test_it_needs_login(self):
        self.assertNeedsLogin(URL)
        self.assertNeedsLogin(URL, "post")
