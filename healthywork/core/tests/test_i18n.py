"""The language switcher: Django's set_language view and the lang attribute of every page."""

from django.conf import settings

from healthywork.core.tests.base import PersonaTestCase

SET_LANGUAGE_URL = "/i18n/setlang/"


class LanguageSwitchTests(PersonaTestCase):
    def switch_to(self, language: str, next_url: str = "/"):
        return self.client.post(SET_LANGUAGE_URL, {"language": language, "next": next_url})

    def test_pages_start_in_english(self):
        self.login(self.viewer)
        self.assertContains(self.client.get("/"), '<html lang="en">')

    def test_switching_to_spanish_sets_the_cookie_and_the_page_language(self):
        self.login(self.viewer)
        response = self.switch_to("es", "/accounts/profile/")
        self.assertRedirects(response, "/accounts/profile/")
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "es")
        self.assertContains(self.client.get("/accounts/profile/"), '<html lang="es">')

    def test_switching_back_to_english(self):
        self.login(self.viewer)
        self.switch_to("es")
        self.switch_to("en")
        self.assertContains(self.client.get("/"), '<html lang="en">')

    def test_anonymous_visitors_can_switch_on_the_login_page(self):
        response = self.switch_to("es", "/accounts/login/")
        self.assertRedirects(response, "/accounts/login/")
        self.assertContains(self.client.get("/accounts/login/"), '<html lang="es">')

    def test_an_unknown_language_is_ignored(self):
        self.login(self.viewer)
        response = self.switch_to("xx")
        self.assertNotIn(settings.LANGUAGE_COOKIE_NAME, response.cookies)
        self.assertContains(self.client.get("/"), '<html lang="en">')

    def test_a_browser_asking_for_spanish_gets_spanish(self):
        response = self.client.get("/accounts/login/", headers={"Accept-Language": "es-MX,es;q=0.9"})
        self.assertContains(response, '<html lang="es">')

    def test_the_switcher_is_on_every_page_with_a_label(self):
        for user, url in [(None, "/accounts/login/"), (self.viewer, "/")]:
            with self.subTest(url=url):
                if user:
                    self.login(user)
                response = self.client.get(url)
                self.assertContains(response, f'action="{SET_LANGUAGE_URL}"')
                self.assertContains(response, '<label for="language-select">')
                self.assertContains(response, 'id="language-select"')
                self.assertContains(response, '<option value="es" lang="es"', html=False)
                self.assertContains(response, "Español")
                self.assertContains(response, "English")
                self.assertContains(response, f'name="next" type="hidden" value="{url}"')

    def test_the_current_language_is_selected(self):
        self.switch_to("es")
        response = self.client.get("/accounts/login/")
        self.assertContains(response, '<option value="es" lang="es" selected>')
