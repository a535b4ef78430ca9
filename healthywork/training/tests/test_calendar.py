"""The shared iCalendar writer (core.icalendar) and the training feed and .ics downloads."""

from datetime import UTC, date, datetime

from django.test import TestCase
from django.urls import reverse

from healthywork.core import icalendar
from healthywork.core.tests.base import PersonaTestCase
from healthywork.training.models import Training, TrainingStatus
from healthywork.training.tests import factories

STAMP = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def unfold(text: str) -> list[str]:
    """Content lines as RFC 5545 §3.1 unfolds them."""
    return text.replace("\r\n ", "").split("\r\n")


def assert_valid(test: TestCase, text: str) -> None:
    test.assertTrue(text.endswith("\r\n"))
    for line in text.split("\r\n")[:-1]:
        test.assertLessEqual(len(line.encode("utf-8")), 75, line)
        test.assertNotIn("\n", line)
    lines = unfold(text)
    test.assertEqual(lines[0], "BEGIN:VCALENDAR")
    test.assertEqual(lines[-2], "END:VCALENDAR")
    test.assertEqual(lines.count("BEGIN:VEVENT"), lines.count("END:VEVENT"))
    for line in lines:
        if line.startswith("DTSTAMP:"):
            test.assertRegex(line, r"^DTSTAMP:\d{8}T\d{6}Z$")


class WriterTests(TestCase):
    def test_it_escapes_commas_semicolons_backslashes_and_newlines(self):
        self.assertEqual(icalendar.escape("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf")

    def test_it_folds_long_lines_at_75_octets_without_splitting_a_character(self):
        line = "SUMMARY:" + "ñ" * 100
        folded = icalendar.fold(line)
        for part in folded.split("\r\n"):
            self.assertLessEqual(len(part.encode("utf-8")), 75)
        self.assertEqual(folded.replace("\r\n ", ""), line)
        self.assertEqual(icalendar.fold("SUMMARY:short"), "SUMMARY:short")

    def test_a_timed_event_is_in_utc_and_an_all_day_event_is_a_date(self):
        timed = icalendar.Event(
            uid="a@x",
            summary="Webinar, part 1; with Q&A",
            start=datetime(2030, 3, 5, 15, 0, tzinfo=UTC),
            end=datetime(2030, 3, 5, 16, 30, tzinfo=UTC),
            location="Room 1, Building 2",
            url="https://example.org/t/1",
            status="CANCELLED",
            description="Line one\nline two " + "long " * 30,
        )
        all_day = icalendar.Event(uid="b@x", summary="Due", start=date(2030, 4, 1))
        text = icalendar.calendar([timed, all_day], name="Trainings, 2030", stamp=STAMP)
        assert_valid(self, text)
        lines = unfold(text)
        self.assertIn("X-WR-CALNAME:Trainings\\, 2030", lines)
        self.assertIn("DTSTART:20300305T150000Z", lines)
        self.assertIn("DTEND:20300305T163000Z", lines)
        self.assertIn("SUMMARY:Webinar\\, part 1\\; with Q&A", lines)
        self.assertIn("LOCATION:Room 1\\, Building 2", lines)
        self.assertIn("STATUS:CANCELLED", lines)
        self.assertIn("URL:https://example.org/t/1", lines)
        self.assertIn("DTSTAMP:20300102T030405Z", lines)
        self.assertIn("DTSTART;VALUE=DATE:20300401", lines)
        self.assertIn("DTEND;VALUE=DATE:20300402", lines)


class TrainingCalendarTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.published = factories.training(
            "Work, health; and justice", link="https://meet.example.org/secret", place=""
        )
        cls.cancelled = factories.training("Called off", status=TrainingStatus.CANCELLED)
        cls.draft = factories.training("Not yet", status=TrainingStatus.DRAFT)
        cls.self_paced = factories.training("Videos", modality="self_paced")
        Training.objects.filter(pk=cls.self_paced.pk).update(starts_at=None, ends_at=None)

    def test_the_feed_is_public_and_lists_published_and_cancelled_trainings(self):
        response = self.client.get(reverse("training:calendar"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        text = response.content.decode()
        assert_valid(self, text)
        lines = unfold(text)
        self.assertIn("SUMMARY:Work\\, health\\; and justice", lines)
        self.assertIn(f"UID:training-{self.published.public_id}@healthywork", lines)
        self.assertIn("SUMMARY:Called off", lines)
        self.assertIn("STATUS:CANCELLED", lines)
        self.assertNotIn("Not yet", text)
        self.assertNotIn("Videos", text)
        self.assertNotIn("meet.example.org", text)

    def test_the_public_ics_has_no_online_link_and_a_draft_has_none(self):
        response = self.client.get(reverse("training:public-ics", args=[self.published.slug]))
        self.assertEqual(response.status_code, 200)
        assert_valid(self, response.content.decode())
        self.assertNotIn("meet.example.org", response.content.decode())
        self.assertEqual(
            self.client.get(reverse("training:public-ics", args=[self.draft.slug])).status_code, 404
        )

    def test_the_registrants_ics_carries_the_online_link(self):
        registration = factories.registration(self.published)
        response = self.client.get(reverse("training:registration-ics", args=[registration.cancel_token]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("meet.example.org/secret", "".join(unfold(response.content.decode())))

    def test_the_staff_ics_needs_login(self):
        url = reverse("training:training-ics", args=[self.published.public_id])
        self.assertNeedsLogin(url)
        self.login(self.viewer)
        self.assertEqual(self.client.get(url).status_code, 200)
