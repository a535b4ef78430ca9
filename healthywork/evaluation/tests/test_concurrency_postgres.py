"""Real concurrency on PostgreSQL: threads with their own connections, released together.

SQLite takes one writer at a time, so these run on PostgreSQL only (CI runs the suite on both).
They check the lock and the unique key the answering service relies on: a personal link gets one
response, a submission key is stored once, distinct submissions are all kept."""

from django.test import TransactionTestCase
from django.utils import timezone

from healthywork.core.tests.concurrency import THREADS, requires_concurrent_writers, run_together
from healthywork.evaluation import answering
from healthywork.evaluation.models import Answer, Invitation, Response
from healthywork.evaluation.tests import factories


@requires_concurrent_writers
class ConcurrentAnsweringTests(TransactionTestCase):
    def setUp(self):
        self.instrument = factories.instrument("concurrency")
        self.administration = factories.administration(self.instrument, public_link_open=True)
        self.item = self.instrument.items.get(code="q1")

    def values(self, number: float) -> dict:
        return {self.item.pk: (number, "")}

    def test_a_personal_link_gets_one_response(self):
        invitation = Invitation.objects.create(administration=self.administration, name="Ana")

        def submit(index: int):
            return answering.save_response(
                self.administration,
                self.values(1 + index % 5),
                submit=True,
                submission_key=f"key-{index}",
                invitation=invitation,
            )

        results, errors = run_together(submit)
        self.assertEqual(Response.objects.filter(invitation=invitation).count(), 1)
        self.assertEqual(len(results), 1)
        self.assertEqual(len(errors), THREADS - 1)
        self.assertTrue(all(isinstance(error, answering.AlreadyAnswered) for error in errors), errors)
        self.assertEqual(Answer.objects.count(), 1)

    def test_one_submission_key_is_stored_once(self):
        def submit(_index: int):
            return answering.save_response(
                self.administration, self.values(4), submit=True, submission_key="the-same-key"
            )

        results, errors = run_together(submit)
        self.assertEqual(errors, [])
        self.assertEqual(Response.objects.count(), 1)
        self.assertEqual(Answer.objects.count(), 1)
        self.assertEqual(sum(not response.was_duplicate for response in results), 1)
        self.assertEqual(
            {response.pk for response in results}, set(Response.objects.values_list("pk", flat=True))
        )

    def test_distinct_submissions_are_all_kept(self):
        def submit(index: int):
            return answering.save_response(
                self.administration, self.values(1 + index % 5), submit=True, submission_key=f"k{index}"
            )

        results, errors = run_together(submit)
        self.assertEqual(errors, [])
        self.assertEqual(Response.objects.filter(submitted_at__lte=timezone.now()).count(), THREADS)
        self.assertEqual(Answer.objects.count(), THREADS)
