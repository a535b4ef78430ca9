"""Interview guides: the seeded scan guide, versions, and editing topics and questions."""

from healthywork.core.models import AuditEvent
from healthywork.scan import guides
from healthywork.scan.models import InterviewGuide, Question, Topic
from healthywork.scan.tests.test_projects_views import ScanProjectTestCase


class GuideServiceTests(ScanProjectTestCase):
    def test_the_scan_guide_has_five_topics_of_three_to_five_questions(self):
        guide = guides.seed_scan_guide(self.project, by=self.administrator)
        self.assertEqual((guide.title, guide.version), ("Environmental scan interview guide", 1))
        topics = list(guide.topics.all())
        self.assertEqual(len(topics), 5)
        self.assertEqual(topics[1].title, "Business and employment networks")
        for topic in topics:
            self.assertTrue(3 <= topic.questions.count() <= 5, topic.title)
        self.assertTrue(all(question.probes for question in Question.objects.filter(topic__guide=guide)))
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(guide.pk)).exists())

    def test_a_new_version_copies_topics_and_questions(self):
        guide = guides.seed_scan_guide(self.project)
        copy = guides.new_guide_version(guide, by=self.administrator)
        self.assertEqual(copy.version, 2)
        self.assertEqual(
            list(copy.topics.values_list("title", flat=True)),
            list(guide.topics.values_list("title", flat=True)),
        )
        self.assertEqual(
            Question.objects.filter(topic__guide=copy).count(),
            Question.objects.filter(topic__guide=guide).count(),
        )
        # Seeding again makes the next version rather than breaking the unique title and version.
        self.assertEqual(guides.seed_scan_guide(self.project).version, 3)


class GuidePageTests(ScanProjectTestCase):
    def setUp(self):
        self.guide = guides.seed_scan_guide(self.project)
        self.topic = self.guide.topics.first()

    def guide_url(self, suffix: str = "") -> str:
        return f"/scan/guides/{self.guide.public_id}/{suffix}"

    def test_the_list_and_the_printable_guide_are_readable_by_readers(self):
        self.login(self.viewer)
        self.assertContains(self.client.get(self.url("guides/")), "Environmental scan interview guide")
        response = self.client.get(self.guide_url())
        self.assertContains(response, "Which employers, industries or staffing agencies")
        self.assertNotContains(response, "New version")
        printable = self.client.get(self.guide_url() + "?print=1")
        self.assertNotContains(printable, 'class="tabs"')

    def test_the_lead_starts_from_the_scan_guide_and_makes_a_new_version(self):
        self.login(self.member)
        response = self.client.post(self.url("guides/seed/"))
        seeded = InterviewGuide.objects.get(project=self.project, version=2)
        self.assertRedirects(response, seeded.get_absolute_url())
        self.client.post(self.guide_url("new-version/"))
        self.assertTrue(InterviewGuide.objects.filter(project=self.project, version=3).exists())

    def test_the_lead_creates_a_guide_and_adds_a_topic_and_a_question(self):
        self.login(self.member)
        response = self.client.post(self.url("guides/new/"), {"title": "Follow-up guide", "introduction": ""})
        guide = InterviewGuide.objects.get(title="Follow-up guide")
        self.assertRedirects(response, guide.get_absolute_url())
        self.client.post(f"/scan/guides/{guide.public_id}/topics/new/", {"title": "Since we last met"})
        topic = guide.topics.get()
        self.client.post(
            f"/scan/guides/{guide.public_id}/topics/{topic.pk}/questions/new/",
            {"text": "What changed?", "probes": "Staff\nFunding"},
        )
        self.assertEqual(topic.questions.get().text, "What changed?")

    def test_a_duplicate_guide_title_is_refused(self):
        self.login(self.member)
        response = self.client.post(self.url("guides/new/"), {"title": self.guide.title})
        self.assertEqual(response.status_code, 400)
        self.assertIn("exists already", response.context["form"].errors["title"][0])

    def test_an_empty_question_is_refused(self):
        self.login(self.member)
        response = self.client.post(self.guide_url(f"topics/{self.topic.pk}/questions/new/"), {"text": ""})
        self.assertEqual(response.status_code, 400)
        self.assertIn("text", response.context["form"].errors)

    def test_topics_and_questions_move_and_are_removed(self):
        first, second = list(self.guide.topics.all())[:2]
        self.login(self.member)
        self.client.post(self.guide_url(f"topic/{second.pk}/move/"), {"direction": "up"})
        self.assertEqual(list(self.guide.topics.all())[:2], [second, first])
        question = first.questions.first()
        self.client.post(self.guide_url(f"question/{question.pk}/move/"), {"direction": "down"})
        self.assertEqual(list(first.questions.all())[1], question)
        self.client.post(self.guide_url(f"topic/{first.pk}/delete/"))
        self.assertFalse(Topic.objects.filter(pk=first.pk).exists())
        self.assertEqual(self.client.post(self.guide_url(f"memo/{first.pk}/delete/")).status_code, 404)

    def test_a_reader_gets_403_and_a_stranger_404(self):
        self.login(self.viewer)
        self.assertEqual(self.client.post(self.url("guides/seed/")).status_code, 403)
        self.assertEqual(self.client.post(self.guide_url("new-version/")).status_code, 403)
        self.assertEqual(self.client.post(self.guide_url(f"topic/{self.topic.pk}/delete/")).status_code, 403)
        self.login(self.stranger)
        self.assertEqual(self.client.get(self.guide_url()).status_code, 404)
        self.assertEqual(self.client.get(self.url("guides/")).status_code, 404)
        self.assertEqual(InterviewGuide.objects.count(), 1)
        self.assertTrue(Topic.objects.filter(pk=self.topic.pk).exists())

    def test_it_needs_login(self):
        self.assertNeedsLogin(self.guide_url())
        self.assertNeedsLogin(self.url("guides/"))
