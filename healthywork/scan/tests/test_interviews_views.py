"""Interviews: the filtered list, the schedule and its .ics, the page, and adding and editing one."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from healthywork.core.models import AuditEvent
from healthywork.partners.tests import factories as partner_factories
from healthywork.scan.models import Interview, InterviewStatus
from healthywork.scan.tests import factories
from healthywork.scan.tests.test_projects_views import ScanProjectTestCase


class InterviewTestCase(ScanProjectTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union = partner_factories.organization("Warehouse Workers United", "labor")
        cls.clinic = partner_factories.organization("Lakeside Clinic", "healthcare")
        cls.organizer = partner_factories.person("Rosa Diaz", may_be_contacted=True)
        partner_factories.affiliation(cls.organizer, cls.union)
        cls.outsider = partner_factories.person("Someone Else", may_be_contacted=True)
        cls.union_interview = factories.interview(
            cls.project, cls.union, status=InterviewStatus.DONE, interviewer=cls.coder
        )
        cls.clinic_interview = factories.interview(
            cls.project, cls.clinic, scheduled_at=datetime(2017, 7, 3, 15, 0, tzinfo=UTC)
        )

    def form_data(self, **overrides) -> dict:
        data = {
            "organization": "warehouse workers united",
            "interviewees": [self.organizer.pk],
            "interviewee_note": "A shop steward",
            "interviewer": self.coder.pk,
            "scheduled_at": "2017-06-20T10:30",
            "duration_minutes": "60",
            "mode": "video",
            "guide": "",
            "status": "planned",
            "consent_recorded": "on",
            "consent_date": "2017-06-20",
            "notes": "",
        }
        data.update(overrides)
        return data


class ListTests(InterviewTestCase):
    def test_it_lists_and_filters_by_status_sector_interviewer_and_month(self):
        self.login(self.viewer)
        response = self.client.get(self.url("interviews/"))
        self.assertContains(response, "Warehouse Workers United")
        self.assertContains(response, "Lakeside Clinic")
        for query in ("status=done", "sector=labor", f"interviewer={self.coder.pk}", "month=2017-06"):
            response = self.client.get(self.url(f"interviews/?{query}"))
            self.assertEqual([i.organization for i in response.context["page"]], [self.union], query)

    def test_htmx_gets_only_the_results(self):
        self.login(self.viewer)
        response = self.client.get(self.url("interviews/?status=done"), headers={"HX-Request": "true"})
        self.assertContains(response, 'id="results"')
        self.assertNotContains(response, "<html")

    def test_a_bad_month_says_how_to_write_it(self):
        self.login(self.viewer)
        response = self.client.get(self.url("interviews/?month=June"))
        self.assertContains(response, "Give a month as year-month, like 2017-06.")
        self.assertEqual(len(response.context["page"]), 0)

    def test_a_stranger_gets_404_and_it_needs_login(self):
        self.login(self.stranger)
        self.assertEqual(self.client.get(self.url("interviews/")).status_code, 404)
        self.assertNeedsLogin(self.url("interviews/"))


class ScheduleTests(InterviewTestCase):
    def test_a_month_is_shown_by_week(self):
        self.login(self.viewer)
        response = self.client.get(self.url("interviews/schedule/?month=2017-07"))
        self.assertEqual(len(response.context["weeks"]), 1)
        self.assertEqual(response.context["weeks"][0][1], [self.clinic_interview])
        self.assertContains(response, "July 2017")

    def test_the_current_month_is_the_default_and_upcoming_interviews_are_listed(self):
        soon = factories.interview(self.project, scheduled_at=timezone.now() + timedelta(days=2))
        self.login(self.viewer)
        response = self.client.get(self.url("interviews/schedule/?month=nonsense"))
        self.assertEqual(response.context["month"], timezone.localdate().replace(day=1))
        self.assertEqual(list(response.context["upcoming"]), [soon])

    def test_planned_interviews_download_as_icalendar(self):
        self.login(self.viewer)
        response = self.client.get(self.url("interviews/schedule.ics"))
        body = response.content.decode()
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertIn("BEGIN:VCALENDAR\r\n", body)
        self.assertIn("DTSTART:20170703T150000Z\r\n", body)
        self.assertIn("DTEND:20170703T160000Z\r\n", body)
        self.assertIn("SUMMARY:Interview: Lakeside Clinic", body)
        self.assertNotIn("Warehouse Workers United", body)  # done, not planned
        self.assertTrue(all(len(line.encode()) <= 75 for line in body.split("\r\n")))

    def test_a_stranger_gets_404_and_it_needs_login(self):
        self.login(self.stranger)
        self.assertEqual(self.client.get(self.url("interviews/schedule/")).status_code, 404)
        self.assertEqual(self.client.get(self.url("interviews/schedule.ics")).status_code, 404)
        self.assertNeedsLogin(self.url("interviews/schedule/"))


class DetailTests(InterviewTestCase):
    def test_it_lists_the_documents_of_the_interview(self):
        factories.document(self.project, title="Union transcript", interview=self.union_interview)
        self.login(self.viewer)
        response = self.client.get(self.union_interview.get_absolute_url())
        self.assertContains(response, "Interview with Warehouse Workers United")
        self.assertContains(response, "Union transcript")

    def test_the_organization_page_shows_the_interviews(self):
        self.login(self.viewer)
        response = self.client.get(self.union.get_absolute_url())
        self.assertContains(response, "Scan interviews")
        self.assertContains(response, self.union_interview.get_absolute_url())
        self.login(self.stranger)
        self.assertNotContains(
            self.client.get(self.union.get_absolute_url()), self.union_interview.get_absolute_url()
        )

    def test_a_stranger_gets_404_and_it_needs_login(self):
        self.login(self.stranger)
        self.assertEqual(self.client.get(self.union_interview.get_absolute_url()).status_code, 404)
        self.assertNeedsLogin(self.union_interview.get_absolute_url())


class CreateEditTests(InterviewTestCase):
    def test_the_lead_adds_an_interview(self):
        self.login(self.member)
        response = self.client.post(self.url("interviews/new/"), self.form_data())
        interview = Interview.objects.get(interviewee_note="A shop steward")
        self.assertRedirects(response, interview.get_absolute_url())
        self.assertEqual(interview.organization, self.union)
        self.assertEqual(list(interview.interviewees.all()), [self.organizer])
        self.assertEqual(interview.interviewer, self.coder)
        self.assertEqual(timezone.localtime(interview.scheduled_at).hour, 10)
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(interview.pk)).exists())

    def test_the_edit_form_offers_the_organization_s_people(self):
        self.login(self.member)
        response = self.client.get(f"/scan/interviews/{self.union_interview.public_id}/edit/")
        people = list(response.context["form"].fields["interviewees"].queryset)
        self.assertEqual(people, [self.organizer])

    def test_consent_and_its_date_go_together(self):
        self.login(self.member)
        response = self.client.post(self.url("interviews/new/"), self.form_data(consent_date=""))
        self.assertEqual(response.status_code, 400)
        self.assertFormError(response.context["form"], "consent_date", "Give the date consent was recorded.")
        response = self.client.post(self.url("interviews/new/"), self.form_data(consent_recorded=""))
        self.assertFormError(
            response.context["form"], "consent_recorded", "A consent date is given: tick consent recorded."
        )
        self.assertEqual(Interview.objects.count(), 2)

    def test_an_unknown_organization_is_named_in_the_error(self):
        self.login(self.member)
        response = self.client.post(self.url("interviews/new/"), self.form_data(organization="Nobody Inc"))
        self.assertFormError(
            response.context["form"], "organization", "No organization is called “Nobody Inc”."
        )

    def test_the_lead_edits_and_deletes_an_interview(self):
        self.login(self.member)
        url = f"/scan/interviews/{self.clinic_interview.public_id}/"
        response = self.client.post(
            url + "edit/", self.form_data(organization="Lakeside Clinic", status="done")
        )
        self.assertRedirects(response, url)
        self.clinic_interview.refresh_from_db()
        self.assertEqual(self.clinic_interview.status, "done")
        document = factories.document(self.project, interview=self.clinic_interview)
        self.assertRedirects(self.client.post(url + "delete/"), self.url("interviews/"))
        document.refresh_from_db()
        self.assertIsNone(document.interview)

    def test_a_coder_gets_403_and_a_stranger_404(self):
        self.login(self.coder)
        self.assertEqual(self.client.post(self.url("interviews/new/"), self.form_data()).status_code, 403)
        url = f"/scan/interviews/{self.clinic_interview.public_id}/"
        self.assertEqual(self.client.post(url + "edit/", self.form_data()).status_code, 403)
        self.assertEqual(self.client.post(url + "delete/").status_code, 403)
        self.login(self.stranger)
        self.assertEqual(self.client.get(url + "edit/").status_code, 404)
        self.assertEqual(Interview.objects.count(), 2)

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.url("interviews/new/"))
