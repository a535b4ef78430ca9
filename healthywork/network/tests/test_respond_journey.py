"""The public answering pages of the partner survey: a respondent's whole journey and its guards."""

import hashlib
import re
from datetime import timedelta
from unittest import mock

from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from healthywork.core.tests.base import PersonaTestCase
from healthywork.network.models import PartnerRating, Respondent
from healthywork.network.tests import factories
from healthywork.partners.tests.factories import organization

LINK = re.compile(r"http://testserver/network/respond/([^/\s]+)/")


def partner_answer(prefix: str, partner, **overrides) -> dict:
    data = {
        f"{prefix}-partner": str(partner.public_id),
        f"{prefix}-interacts": "yes",
        f"{prefix}-frequency": "monthly",
        f"{prefix}-level": "3",
        f"{prefix}-kinds": ["referrals", "funding"],
        f"{prefix}-trust_reliability": "4",
        f"{prefix}-trust_mission": "3",
        f"{prefix}-trust_openness": "4",
        f"{prefix}-value_power": "2",
        f"{prefix}-value_involvement": "3",
        f"{prefix}-value_resources": "1",
    }
    data.update({f"{prefix}-{key}": value for key, value in overrides.items()})
    return data


ABOUT = {"contributions": ["funding", "training"], "outcomes": ["policy"], "success": "4", "action": "next"}


class RespondTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = organization("Painters Union", "labor")
        cls.clinic = organization("Harbor Clinic", "public-health")
        cls.center = organization("Worker Center", "nonprofit")
        cls.wave = factories.wave("Baseline")
        cls.survey = factories.survey(cls.wave, [cls.union, cls.clinic, cls.center], title="Partners 2017")

    def setUp(self):
        cache.clear()
        self.respondent = Respondent.objects.get(survey=self.survey, organization=self.union)
        self.token = self.respondent.issue_token()
        self.respondent.save()

    def url(self, token: str | None = None, **query) -> str:
        url = reverse("network:respond", args=[token or self.token])
        if query:
            url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
        return url


class JourneyTests(RespondTestCase):
    def test_invite_answer_save_resume_and_submit(self):
        self.login(self.administrator)
        with self.captureOnCommitCallbacks(execute=True):
            Respondent.objects.filter(survey=self.survey).update(email="contact@example.org", invited_at=None)
            self.client.post(reverse("network:survey-invite", args=[self.survey.public_id]))
        self.assertEqual(len(mail.outbox), 3)
        bodies = {message.body for message in mail.outbox if "Painters Union" in message.body}
        token = LINK.search(bodies.pop()).group(1)
        self.client.logout()

        page = self.client.get(self.url(token))  # no account needed
        self.assertContains(page, "About your organization")
        self.assertContains(page, "0 of 2 partners answered")
        response = self.client.post(self.url(token, step="about"), ABOUT)
        self.assertRedirects(response, self.url(token, step="1", lang="en"))

        page = self.client.get(self.url(token, step="1"))
        self.assertContains(page, "Harbor Clinic")
        self.assertContains(page, "Worker Center")
        data = {**partner_answer("p0", self.clinic), "p1-partner": str(self.center.public_id)}
        data.update({"p1-interacts": "no", "action": "later"})
        response = self.client.post(self.url(token, step="1"), data)
        self.assertRedirects(response, self.url(token, step="saved", lang="en"))
        self.assertContains(self.client.get(self.url(token, step="saved")), "Your answers are saved")

        resumed = self.client.get(self.url(token))  # back later: lands on the review
        self.assertContains(resumed, "Review and submit")
        self.assertContains(resumed, "2 of 2 partners answered")
        self.client.post(self.url(token, step="review"), {"action": "submit"})
        self.assertContains(self.client.get(self.url(token)), "can no longer be changed")

        respondent = Respondent.objects.get(survey=self.survey, organization=self.union)
        self.assertIsNotNone(respondent.submitted_at)
        self.assertEqual(respondent.success, 4)
        self.assertEqual(respondent.contributions, ["funding", "training"])
        clinic = PartnerRating.objects.get(respondent=respondent, partner=self.clinic)
        self.assertEqual((clinic.level, clinic.trust_reliability, clinic.value_resources), (3, 4, 1))
        self.assertEqual(clinic.kinds, ["referrals", "funding"])
        center = PartnerRating.objects.get(respondent=respondent, partner=self.center)
        self.assertFalse(center.interacts)
        self.assertIsNone(center.level)

    def test_a_returning_respondent_sees_saved_answers(self):
        self.client.post(self.url(step="about"), ABOUT)
        page = self.client.get(self.url(step="about"))
        self.assertContains(page, 'value="funding" id="id_contributions_0" checked')

    def test_the_link_is_public(self):
        self.client.logout()
        self.assertEqual(self.client.get(self.url()).status_code, 200)


class TokenTests(RespondTestCase):
    def test_tokens_are_long_and_only_their_hash_is_stored(self):
        self.assertGreaterEqual(len(self.token), 43)  # 32 random bytes, base64
        self.respondent.refresh_from_db()
        self.assertEqual(self.respondent.token_hash, hashlib.sha256(self.token.encode()).hexdigest())
        self.assertFalse(Respondent.objects.filter(token_hash=self.token).exists())

    def test_an_unknown_token_is_a_404_that_says_so(self):
        response = self.client.get(self.url("not-a-real-token"))
        self.assertContains(response, "This link is not valid", status_code=404)

    def test_a_token_only_touches_its_own_respondent(self):
        other = Respondent.objects.get(survey=self.survey, organization=self.clinic)
        factories.rating(other, self.center, level=1)
        data = {**partner_answer("p0", self.clinic), **partner_answer("p1", self.center), "action": "next"}
        self.client.post(self.url(step="1"), data)
        self.assertEqual(PartnerRating.objects.get(respondent=other, partner=self.center).level, 1)
        self.assertEqual(PartnerRating.objects.filter(respondent=self.respondent).count(), 2)

    def test_rating_yourself_or_someone_off_the_roster_is_refused(self):
        stranger = organization("Not On Roster")
        data = {
            **partner_answer("p0", self.union),
            **partner_answer("p1", stranger),
            "action": "next",
        }
        response = self.client.post(self.url(step="1"), data)
        self.assertContains(response, "does not rate itself", status_code=400)
        self.assertContains(response, "not on the survey", status_code=400)
        self.assertFalse(PartnerRating.objects.filter(respondent=self.respondent).exists())


class ClosedTests(RespondTestCase):
    def assertClosedAndNothingSaved(self):  # noqa: N802
        self.assertContains(self.client.get(self.url()), "The survey is closed", status_code=410)
        response = self.client.post(self.url(step="about"), ABOUT)
        self.assertEqual(response.status_code, 410)
        self.respondent.refresh_from_db()
        self.assertIsNone(self.respondent.success)

    def test_a_closed_survey_takes_nothing(self):
        self.survey.status = "closed"
        self.survey.save()
        self.assertClosedAndNothingSaved()

    def test_a_survey_past_its_closing_time_takes_nothing(self):
        self.survey.closes_at = timezone.now() - timedelta(minutes=1)
        self.survey.save()
        self.assertClosedAndNothingSaved()

    def test_an_expired_link_takes_nothing(self):
        self.respondent.expires_at = timezone.now() - timedelta(minutes=1)
        self.respondent.save()
        self.assertClosedAndNothingSaved()


class ValidationTests(RespondTestCase):
    def test_ratings_out_of_range_save_nothing_of_the_page(self):
        data = {
            **partner_answer("p0", self.clinic),
            **partner_answer("p1", self.center, trust_openness="5", level="6"),
            "action": "next",
        }
        response = self.client.post(self.url(step="1"), data)
        self.assertContains(response, "Choose a value from 1 to 4.", status_code=400)
        self.assertContains(response, "Choose a value from 0 to 5.", status_code=400)
        self.assertContains(response, "Nothing on this page was saved", status_code=400)
        self.assertFalse(PartnerRating.objects.filter(respondent=self.respondent).exists())

    def test_saying_yes_needs_how_often_and_a_level(self):
        data = {
            f"p0-{key}": value
            for key, value in {"partner": str(self.clinic.public_id), "interacts": "yes"}.items()
        }
        data.update(partner_answer("p1", self.center, interacts="no"))
        response = self.client.post(self.url(step="1"), data)
        self.assertContains(response, "Say how often", status_code=400)
        self.assertFalse(PartnerRating.objects.exists())

    def test_success_outside_1_to_5_is_refused(self):
        response = self.client.post(self.url(step="about"), {**ABOUT, "success": "9"})
        self.assertContains(response, "Choose a value from 1 to 5.", status_code=400)
        self.respondent.refresh_from_db()
        self.assertIsNone(self.respondent.success)

    def test_submitting_twice_is_refused_and_changes_nothing(self):
        self.client.post(self.url(step="about"), ABOUT)
        self.client.post(self.url(step="review"), {"action": "submit"})
        self.respondent.refresh_from_db()
        first = self.respondent.submitted_at
        response = self.client.post(self.url(step="review"), {"action": "submit"})
        self.assertContains(response, "already submitted", status_code=409)
        response = self.client.post(self.url(step="about"), {**ABOUT, "success": "1"})
        self.assertEqual(response.status_code, 409)
        self.respondent.refresh_from_db()
        self.assertEqual((self.respondent.submitted_at, self.respondent.success), (first, 4))

    def test_submitting_without_the_questions_about_yourself_is_refused(self):
        response = self.client.post(self.url(step="review"), {"action": "submit"})
        self.assertContains(response, "before you submit", status_code=400)
        self.respondent.refresh_from_db()
        self.assertIsNone(self.respondent.submitted_at)


class RateLimitTests(RespondTestCase):
    def test_too_many_requests_get_a_429(self):
        with mock.patch("healthywork.network.views_respond.RATE_LIMIT", 5):
            for _number in range(5):
                self.assertEqual(self.client.get(self.url()).status_code, 200)
            response = self.client.get(self.url())
        self.assertContains(response, "Too many requests", status_code=429)

    def test_guessing_tokens_from_one_address_is_limited_too(self):
        with mock.patch("healthywork.network.views_respond.RATE_LIMIT", 3):
            codes = [self.client.get(self.url(f"guess-{number}")).status_code for number in range(4)]
        self.assertEqual(codes, [404, 404, 404, 429])


class LanguageTests(RespondTestCase):
    def test_lang_switches_the_page_language(self):
        self.assertContains(self.client.get(self.url()), '<html lang="en">')
        self.assertContains(self.client.get(self.url(lang="es")), '<html lang="es">')

    def test_the_respondents_language_is_the_default(self):
        self.respondent.language = "es"
        self.respondent.save()
        self.assertContains(self.client.get(self.url()), '<html lang="es">')
        self.assertContains(self.client.get(self.url(lang="en")), '<html lang="en">')

    def test_the_language_carries_over_to_the_next_page(self):
        response = self.client.post(self.url(step="about", lang="es"), {**ABOUT, "lang": "es"})
        self.assertIn("lang=es", response["Location"])


class PagingTests(RespondTestCase):
    def test_a_long_roster_is_answered_five_partners_a_page(self):
        for number in range(4):
            factories.respondent(self.survey, organization(f"Extra {number}"))
        page = self.client.get(self.url(step="2"))
        self.assertContains(page, "page 2 of 2")
        self.assertContains(page, "0 of 6 partners answered")
        self.assertEqual(len(page.context["pairs"]), 1)
        self.assertEqual(self.client.get(self.url(step="3")).status_code, 302)  # no such page: resume


class PrivacyTests(RespondTestCase):
    def test_the_address_is_kept_only_as_a_keyed_hash_that_expires(self):
        self.client.get(self.url(), REMOTE_ADDR="203.0.113.9")
        keys = list(cache._cache)  # the local-memory cache of the tests
        self.assertTrue(any("network:respond:ip:" in key for key in keys))
        self.assertFalse(any("203.0.113.9" in key or self.token in key for key in keys))
        self.assertFalse(any("203.0.113.9" in str(value) for value in Respondent.objects.values()))

    def test_behind_a_trusted_proxy_each_client_has_its_own_limit(self):
        with (
            self.settings(HEALTHYWORK_TRUSTED_PROXIES=1),
            mock.patch("healthywork.network.views_respond.RATE_LIMIT", 2),
        ):
            for number in range(2):
                self.client.get(self.url(f"guess-{number}"), HTTP_X_FORWARDED_FOR="198.51.100.1")
            other = self.client.get(self.url("guess-x"), HTTP_X_FORWARDED_FOR="198.51.100.2")
            again = self.client.get(self.url("guess-y"), HTTP_X_FORWARDED_FOR="198.51.100.1")
        self.assertEqual((other.status_code, again.status_code), (404, 429))
