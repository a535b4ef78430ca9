"""Real concurrency on PostgreSQL (threads with their own connections, released together): a
training's last seat goes to one person, the others wait in order; one e-mail registers once."""

from django.test import TransactionTestCase

from healthywork.core.tests.concurrency import THREADS, requires_concurrent_writers, run_together
from healthywork.training import registrations
from healthywork.training.models import Registration, RegistrationStatus
from healthywork.training.tests import factories as training_factories


@requires_concurrent_writers
class ConcurrentRegistrationTests(TransactionTestCase):
    def test_the_last_seat_goes_to_one_person_and_the_rest_wait_in_order(self):
        training = training_factories.training("Work as a social determinant of health", capacity=1)

        def register(index: int):
            return registrations.register(
                training, {"name": f"Person {index}", "email": f"p{index}@example.org"}, send=False
            )

        results, errors = run_together(register)
        self.assertEqual(errors, [])
        statuses = sorted(Registration.objects.values_list("status", flat=True))
        self.assertEqual(statuses.count(RegistrationStatus.REGISTERED), 1)
        self.assertEqual(statuses.count(RegistrationStatus.WAITLISTED), THREADS - 1)
        waiting = Registration.objects.filter(status=RegistrationStatus.WAITLISTED).order_by(
            "registered_at", "pk"
        )
        self.assertEqual(
            [registrations.waitlist_position(registration) for registration in waiting],
            list(range(1, THREADS)),
        )

    def test_one_email_registers_once(self):
        training = training_factories.training("Webinar", capacity=50)

        def register(_index: int):
            return registrations.register(training, {"name": "Ana", "email": "ana@example.org"}, send=False)

        results, errors = run_together(register)
        self.assertEqual(len(results), 1)
        self.assertEqual(len(errors), THREADS - 1)
        self.assertTrue(all(isinstance(error, registrations.RegistrationRefused) for error in errors), errors)
        self.assertEqual(Registration.objects.count(), 1)
