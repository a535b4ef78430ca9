"""The partner survey's administration pages: roster, links, invitations, reminders, results."""

import csv
import io
import re
from datetime import timedelta

from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.network.models import PartnerSurvey, Respondent, hash_token
from healthywork.network.tests import factories
from healthywork.partners.tests.factories import affiliation, organization, person

LINK = re.compile(r"http://testserver/network/respond/([^/\s\"]+)/")


class SurveyAdminTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = organization("Painters Union", "labor", aliases="PU Local 6")
        cls.clinic = organization("Harbor Clinic", "public-health")
        cls.center = organization("Worker Center", "nonprofit")
        cls.wave = factories.wave("Baseline")
        cls.survey = factories.survey(cls.wave, [cls.union, cls.clinic, cls.center], title="Partners 2017")
        Respondent.objects.filter(survey=cls.survey).update(email="someone@example.org")
        Respondent.objects.filter(survey=cls.survey, organization=cls.clinic).update(language="es")

    def setUp(self):
        cache.clear()

    def detail_url(self, name: str = "survey-detail") -> str:
        return reverse(f"network:{name}", args=[self.survey.public_id])


class PermissionTests(SurveyAdminTestCase):
    def test_pages_need_login(self):
        self.assertNeedsLogin(reverse("network:survey-list"))
        self.assertNeedsLogin(self.detail_url())

    def test_other_roles_get_403_on_the_list_and_create(self):
        for user in (self.facilitator, self.evaluator, self.viewer):
            self.login(user)
            self.assertEqual(self.client.get(reverse("network:survey-list")).status_code, 403)
            self.assertEqual(self.client.post(reverse("network:survey-create"), {}).status_code, 403)

    def test_a_survey_does_not_exist_for_non_managers(self):
        for user in (self.facilitator, self.evaluator, self.viewer):
            self.login(user)
            for name in ("survey-detail", "survey-edit", "survey-results", "survey-export"):
                self.assertEqual(self.client.get(self.detail_url(name)).status_code, 404, name)
            self.assertEqual(self.client.post(self.detail_url("survey-close")).status_code, 404)
        self.survey.refresh_from_db()
        self.assertEqual(self.survey.status, "open")

    def test_the_administrator_sees_the_list_and_the_detail(self):
        self.login(self.administrator)
        self.assertContains(self.client.get(reverse("network:survey-list")), "Partners 2017")
        page = self.client.get(self.detail_url())
        self.assertContains(page, "0 of 3 submitted (0%)")
        self.assertContains(page, "Not invited")


class CreateTests(SurveyAdminTestCase):
    def form(self, **extra) -> dict:
        return {"wave": self.wave.pk, "title": "Partners 2019", "introduction": "Hello", **extra}

    def test_a_roster_from_ticks_and_pasted_names(self):
        contact = person(
            "Rosa Diaz", email="rosa@example.org", may_be_contacted=True, preferred_language="es"
        )
        affiliation(contact, self.union)
        self.login(self.administrator)
        data = self.form(roster=[str(self.clinic.public_id)], roster_names="pu local 6\nWorker Center")
        response = self.client.post(reverse("network:survey-create"), data)
        survey = PartnerSurvey.objects.get(title="Partners 2019")
        self.assertRedirects(response, survey.get_absolute_url())
        self.assertEqual(survey.status, "draft")
        roster = {r.organization.name: r for r in survey.respondents.select_related("organization")}
        self.assertEqual(set(roster), {"Painters Union", "Harbor Clinic", "Worker Center"})
        self.assertEqual(
            (roster["Painters Union"].email, roster["Painters Union"].language), ("rosa@example.org", "es")
        )
        self.assertTrue(AuditEvent.objects.filter(object_pk=str(survey.pk), action="create").exists())

    def test_an_unknown_name_is_an_error_naming_its_line_and_nothing_is_created(self):
        self.login(self.administrator)
        data = self.form(roster_names="Harbor Clinic\nNo Such Group")
        response = self.client.post(reverse("network:survey-create"), data)
        self.assertContains(response, "Line 2: no organization is called “No Such Group”.", status_code=400)
        self.assertFalse(PartnerSurvey.objects.filter(title="Partners 2019").exists())

    def test_a_roster_of_one_is_refused(self):
        self.login(self.administrator)
        response = self.client.post(
            reverse("network:survey-create"), self.form(roster=[str(self.clinic.public_id)])
        )
        self.assertContains(response, "at least two organizations", status_code=400)

    def test_an_organization_that_started_answering_stays_on_the_roster(self):
        Respondent.objects.filter(organization=self.center).update(started_at=timezone.now())
        self.login(self.administrator)
        data = self.form(roster=[str(self.union.public_id), str(self.clinic.public_id)])
        response = self.client.post(self.detail_url("survey-edit"), data)
        self.assertContains(response, "Worker Center has started answering", status_code=400)
        self.assertEqual(self.survey.respondents.count(), 3)

    def test_editing_changes_the_roster(self):
        self.login(self.administrator)
        newcomer = organization("Legal Aid")
        data = self.form(
            roster=[str(org.public_id) for org in (self.union, self.clinic, newcomer)], title="Partners 2017"
        )
        self.client.post(self.detail_url("survey-edit"), data)
        names = set(self.survey.respondents.values_list("organization__name", flat=True))
        self.assertEqual(names, {"Painters Union", "Harbor Clinic", "Legal Aid"})


class LinkTests(SurveyAdminTestCase):
    def test_invitations_email_fresh_links_in_each_language_and_show_them_once(self):
        Respondent.objects.filter(organization=self.center).update(email="")
        self.login(self.administrator)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.detail_url("survey-invite"))
        self.assertRedirects(response, self.detail_url(), fetch_redirect_response=False)
        self.assertEqual(len(mail.outbox), 2)
        spanish = [message for message in mail.outbox if "Harbor Clinic" in message.body][0]
        self.assertTrue(spanish.subject.startswith("Su invitación"))
        english = [message for message in mail.outbox if "Painters Union" in message.body][0]
        self.assertTrue(english.subject.startswith("Your invitation"))
        token = LINK.search(english.body).group(1)
        union = Respondent.objects.get(survey=self.survey, organization=self.union)
        self.assertEqual(union.token_hash, hash_token(token))
        self.assertIsNotNone(union.invited_at)

        page = self.client.get(self.detail_url())
        self.assertContains(page, "copy them now")
        self.assertEqual(len(LINK.findall(page.content.decode())), 3)  # the one without email too
        self.assertNotContains(self.client.get(self.detail_url()), "copy them now")

    def test_invitations_need_an_open_survey(self):
        self.survey.status = "draft"
        self.survey.save()
        self.login(self.administrator)
        response = self.client.post(self.detail_url("survey-invite"), follow=True)
        self.assertContains(response, "Open the survey first")
        self.assertFalse(self.survey.respondents.filter(invited_at__isnull=False).exists())

    def test_reissuing_a_link_retires_the_old_one(self):
        old = Respondent.objects.get(survey=self.survey, organization=self.union)
        self.login(self.administrator)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("network:survey-reissue", args=[self.survey.public_id, self.union.public_id])
            )
        new = Respondent.objects.get(pk=old.pk)
        self.assertNotEqual(new.token_hash, old.token_hash)
        token = LINK.search(mail.outbox[0].body).group(1)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("network:respond", args=[token])).status_code, 200)

    def test_reminders_go_only_to_those_due(self):
        long_ago = timezone.now() - timedelta(days=5)
        Respondent.objects.filter(survey=self.survey).update(invited_at=long_ago)
        Respondent.objects.filter(organization=self.clinic).update(submitted_at=timezone.now())
        Respondent.objects.filter(organization=self.center).update(reminded_at=timezone.now())
        self.login(self.administrator)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.detail_url("survey-remind"))
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Painters Union", mail.outbox[0].body)
        self.assertTrue(mail.outbox[0].subject.startswith("Reminder"))
        union = Respondent.objects.get(survey=self.survey, organization=self.union)
        self.assertEqual(union.reminders_sent, 1)

    def test_closing_stops_the_links(self):
        respondent = factories.respondent(factories.survey(self.wave, []), self.union)
        self.login(self.administrator)
        self.client.post(reverse("network:survey-close", args=[respondent.survey.public_id]))
        self.client.logout()
        self.assertEqual(
            self.client.get(reverse("network:respond", args=[respondent.token])).status_code, 410
        )


class ContactTests(SurveyAdminTestCase):
    def formset(self, **changes) -> dict:
        respondents = list(self.survey.respondents.order_by("organization__name"))
        data = {"contacts-TOTAL_FORMS": len(respondents), "contacts-INITIAL_FORMS": len(respondents)}
        for index, respondent in enumerate(respondents):
            data[f"contacts-{index}-id"] = respondent.pk
            data[f"contacts-{index}-contact_name"] = respondent.contact_name
            data[f"contacts-{index}-email"] = changes.get(respondent.organization.name, respondent.email)
            data[f"contacts-{index}-language"] = respondent.language
        return data

    def test_contacts_are_saved(self):
        self.login(self.administrator)
        self.client.post(
            self.detail_url("survey-contacts"), self.formset(**{"Worker Center": "wc@example.org"})
        )
        self.assertEqual(Respondent.objects.get(organization=self.center).email, "wc@example.org")

    def test_a_bad_email_saves_nothing(self):
        self.login(self.administrator)
        data = self.formset(**{"Worker Center": "not-an-email", "Harbor Clinic": "new@example.org"})
        response = self.client.post(self.detail_url("survey-contacts"), data)
        self.assertContains(response, "Enter a valid email address.", status_code=400)
        self.assertEqual(Respondent.objects.get(organization=self.clinic).email, "someone@example.org")


class ResultTests(SurveyAdminTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        union = Respondent.objects.get(survey=cls.survey, organization=cls.union)
        clinic = Respondent.objects.get(survey=cls.survey, organization=cls.clinic)
        Respondent.objects.filter(pk__in=[union.pk, clinic.pk]).update(
            submitted_at=timezone.now(), success=4, contributions=["funding", "data"], outcomes=["policy"]
        )
        factories.rating(union, cls.clinic, level=3, trust_reliability=4, trust_mission=2, value_power=3)
        factories.rating(clinic, cls.union, level=2, trust_reliability=3)
        factories.rating(clinic, cls.center, interacts=False)

    def test_results_count_submitted_answers(self):
        self.login(self.administrator)
        page = self.client.get(self.detail_url("survey-results"))
        self.assertContains(page, "2 of 3 organizations on the roster have submitted")
        self.assertContains(page, '<th scope="row">Funding</th><td>2</td>', html=False)
        self.assertContains(page, "Mean: 4.00")
        results = page.context["results"]
        clinic = [row for row in results["partners"] if row["organization"] == self.clinic][0]
        self.assertEqual((clinic["raters"], clinic["mean_level"], clinic["trust"]), (1, 3, 3.0))
        center = [row for row in results["partners"] if row["organization"] == self.center][0]
        self.assertEqual((center["answered"], center["raters"]), (1, 0))

    def test_the_download_holds_every_answer_with_names(self):
        self.login(self.administrator)
        response = self.client.get(self.detail_url("survey-export") + "?format=csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(len(rows), 4)  # three ratings and the center, which answered nothing
        first = [row for row in rows if row["respondent"] == "Painters Union"][0]
        self.assertEqual(
            (first["partner"], first["level"], first["trust_reliability"]), ("Harbor Clinic", "3", "4")
        )
        xlsx = self.client.get(self.detail_url("survey-export") + "?format=xlsx")
        self.assertEqual(xlsx.status_code, 200)
        self.assertEqual(self.client.get(self.detail_url("survey-export") + "?format=exe").status_code, 404)
