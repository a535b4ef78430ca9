"""The demo scan: 55 interviews and transcripts, two coders in a closed round, the finding."""

import random
import shutil
import tempfile
from io import StringIO

from django.db.models import Count, Q
from django.test import TestCase, override_settings

from healthywork.accounts import demo as accounts_demo
from healthywork.catalog import demo as catalog_demo
from healthywork.core.models import AuditEvent
from healthywork.partners import demo as partners_demo
from healthywork.scan import demo, demo_transcripts
from healthywork.scan.analysis import split_units
from healthywork.scan.models import (
    Code,
    Coding,
    Document,
    Interview,
    InterviewStatus,
    Memo,
    Project,
    ProjectRole,
    QuoteLink,
    RoundStatus,
)
from healthywork.scan.rounds import compare_round

DATA_DIR = tempfile.mkdtemp(prefix="healthywork-scan-demo-")


def counts() -> dict[str, int]:
    return {
        "projects": Project.objects.count(),
        "interviews": Interview.objects.count(),
        "documents": Document.objects.count(),
        "codes": Code.objects.count(),
        "codings": Coding.objects.count(),
        "memos": Memo.objects.count(),
        "links": QuoteLink.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@override_settings(DATA_DIR=DATA_DIR)
class DemoScanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for module in (accounts_demo, partners_demo, catalog_demo):
            module.load(stdout=StringIO())
        output = StringIO()
        demo.load(stdout=output)
        cls.output = output.getvalue()
        cls.project = Project.objects.get(name=demo.PROJECT_NAME)
        cls.round = cls.project.rounds.get(name=demo.ROUND_NAME)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(DATA_DIR, ignore_errors=True)

    def test_loading_again_changes_nothing(self):
        before = counts()
        texts = dict(Document.objects.values_list("pk", "text"))
        spans = set(Coding.objects.values_list("pk", "code_id", "start_offset", "end_offset"))
        output = StringIO()
        demo.load(stdout=output)
        self.assertEqual(counts(), before)
        self.assertEqual(dict(Document.objects.values_list("pk", "text")), texts)
        self.assertEqual(
            set(Coding.objects.values_list("pk", "code_id", "start_offset", "end_offset")), spans
        )
        self.assertIn("(0 new), 0 new codings, 0 new memos, 0 new quote links", output.getvalue())

    def test_every_scan_organization_has_one_coded_interview_and_transcript(self):
        self.assertEqual(self.project.interviews.count(), 55)
        self.assertEqual(self.project.documents.count(), 55)
        self.assertEqual(
            set(self.project.interviews.values_list("organization__name", flat=True)),
            set(partners_demo.SCAN_ORGANIZATIONS),
        )
        for interview in self.project.interviews.all():
            self.assertEqual(interview.status, InterviewStatus.CODED)
            self.assertTrue(interview.consent_recorded)
            self.assertLessEqual(interview.consent_date, interview.scheduled_at.date())
            self.assertEqual(interview.scheduled_at.year, 2017)
            self.assertIn(interview.scheduled_at.month, range(3, 9))
            self.assertIsNotNone(interview.guide)
        self.assertEqual(self.project.guides.count(), 1)
        self.assertEqual(set(self.project.documents.values_list("language", flat=True)), {"en", "es"})
        self.assertEqual(self.project.documents.filter(language="es").count(), len(demo.SPANISH_INTERVIEWS))

    def test_transcripts_read_as_interviews_of_350_to_750_words_and_differ(self):
        texts = list(self.project.documents.values_list("text", "word_count"))
        for text, words in texts:
            self.assertTrue(350 <= words <= 750, words)
            self.assertTrue(text.startswith(("Interviewer: ", "Entrevistadora: ")))
            self.assertIn("\n\nRespondent: ", text.replace("Participante", "Respondent"))
        self.assertEqual(len({text for text, _words in texts}), 55)

    def test_the_names_are_replaced_by_pseudonyms(self):
        documents = self.project.documents.all()
        self.assertTrue(all(document.is_deidentified for document in documents))
        with_names = [document for document in documents if document.original_text]
        self.assertTrue(with_names, "no transcript mentions a name; the pseudonyms replace nothing")
        for document in documents:
            for name in demo_transcripts.FIRST_NAMES:
                self.assertNotIn(name, document.text)
        self.assertIn("[Colleague", " ".join(document.text for document in with_names))

    def test_the_round_is_closed_with_two_coders_over_twenty_documents(self):
        self.assertEqual(self.round.status, RoundStatus.CLOSED)
        self.assertEqual(
            set(self.round.coders.values_list("username", flat=True)), {"demo-coder", demo.SECOND_CODER[0]}
        )
        self.assertEqual(self.round.documents.count(), demo.ROUND_SIZE)
        self.assertEqual(
            set(self.project.members.values_list("user__username", "role")),
            {
                ("demo-admin", ProjectRole.LEAD),
                ("demo-coder", ProjectRole.CODER),
                (demo.SECOND_CODER[0], ProjectRole.CODER),
            },
        )
        round_documents = set(self.round.documents.values_list("pk", flat=True))
        by_coder = dict(
            Coding.objects.values("coder__username")
            .annotate(documents=Count("document", distinct=True))
            .values_list("coder__username", "documents")
        )
        self.assertEqual(by_coder, {"demo-coder": 55, demo.SECOND_CODER[0]: 20})
        second = Coding.objects.filter(coder__username=demo.SECOND_CODER[0])
        self.assertEqual(set(second.values_list("document", flat=True)), round_documents)
        self.assertFalse(Coding.objects.filter(document__in=round_documents, round__isnull=True).exists())
        self.assertFalse(Coding.objects.exclude(document__in=round_documents).exclude(round=None).exists())

    def test_the_coders_mostly_agree(self):
        overall = compare_round(self.round).overall
        self.assertTrue(0.65 <= overall.alpha <= 0.9, overall.alpha)

    def test_every_snippet_is_the_text_at_its_offsets_within_the_document(self):
        codings = Coding.objects.filter(document__project=self.project).select_related("document")
        self.assertGreater(codings.count(), 1000)
        for coding in codings:
            text = coding.document.text
            self.assertTrue(0 <= coding.start_offset < coding.end_offset <= len(text))
            self.assertEqual(coding.snippet, text[coding.start_offset : coding.end_offset])
            self.assertEqual(coding.snippet, coding.snippet.strip())

    def test_codings_cover_whole_sentences(self):
        for document in self.round.documents.all()[:5]:
            units = split_units(document.text, "sentence")
            starts, ends = {start for start, _end in units}, {end for _start, end in units}
            for start, end in document.codings.values_list("start_offset", "end_offset"):
                # A turn's first sentence is coded without its speaker label ("Respondent: ").
                self.assertTrue(start in starts or document.text[:start].endswith(": "), start)
                self.assertIn(end, ends)

    def test_labor_transcripts_carry_more_policy_segments_than_health_transcripts(self):
        policy = Code.objects.get(project=self.project, parent=None, name=demo.POLICY)
        per_family = dict(
            Document.objects.filter(project=self.project)
            .values("interview__organization__sector__family")
            .annotate(
                documents=Count("pk", distinct=True),
                policy=Count(
                    "codings",
                    filter=Q(codings__coder__username="demo-coder")
                    & (Q(codings__code=policy) | Q(codings__code__parent=policy)),
                ),
            )
            .values_list("interview__organization__sector__family", "policy")
        )
        documents = dict(
            Document.objects.filter(project=self.project)
            .values("interview__organization__sector__family")
            .annotate(total=Count("pk"))
            .values_list("interview__organization__sector__family", "total")
        )
        labor_rate = per_family["labor"] / documents["labor"]
        health_rate = per_family["health"] / documents["health"]
        self.assertGreater(labor_rate, 3 * health_rate, (labor_rate, health_rate))

    def test_memos_and_quote_links_join_quotes_to_the_catalog(self):
        self.assertGreaterEqual(Memo.objects.filter(project=self.project).count(), 4)
        links = QuoteLink.objects.filter(coding__document__project=self.project).select_related(
            "coding__document__interview", "initiative"
        )
        self.assertTrue(6 <= links.count() <= 10, links.count())
        for link in links:
            self.assertEqual(
                link.initiative.lead_organization_id, link.coding.document.interview.organization_id
            )

    def test_the_second_coder_can_sign_in_with_the_demo_password(self):
        self.assertTrue(
            self.client.login(username=demo.SECOND_CODER[0], password=accounts_demo.demo_password())
        )
        role, username, password = demo.logins()[0]
        self.assertEqual((username, password), (demo.SECOND_CODER[0], accounts_demo.demo_password()))


class TranscriptGeneratorTests(TestCase):
    def test_the_same_seed_gives_the_same_transcript(self):
        first = demo_transcripts.generate(random.Random(7), "labor")
        second = demo_transcripts.generate(random.Random(7), "labor")
        self.assertEqual(first, second)

    def test_each_segment_is_one_sentence_of_its_bank(self):
        transcript = demo_transcripts.generate(random.Random(3), "health")
        units = split_units(transcript.text, "sentence")
        # A turn's first sentence carries the speaker label, which the segment leaves out.
        sentences = {transcript.text[start:end].split(": ", 1)[-1] for start, end in units}
        self.assertGreater(len(transcript.segments), 15)
        for segment in transcript.segments:
            self.assertIn(transcript.text[segment.start : segment.end], sentences)
            self.assertIn(segment.bank, demo.BANK_CODES)

    def test_every_bank_has_a_code_in_the_scan_codebook(self):
        from healthywork.scan.codebook import SCAN_CODEBOOK

        paths = {(branch["name"],) for branch in SCAN_CODEBOOK} | {
            (branch["name"], child["name"]) for branch in SCAN_CODEBOOK for child in branch["children"]
        }
        banks = {bank for language in demo_transcripts.BANKS.values() for bank in language}
        self.assertEqual(banks, set(demo.BANK_CODES))
        for path in demo.BANK_CODES.values():
            self.assertIn(path, paths)
        self.assertEqual([name for name, _pseudonym in demo.PSEUDONYMS], demo_transcripts.FIRST_NAMES)

    def test_a_long_transcript_reaches_its_word_count(self):
        transcript = demo_transcripts.generate(random.Random(1), "labor", target_words=5000)
        self.assertGreaterEqual(transcript.word_count, 5000)
        self.assertLess(transcript.word_count, 5600)
