"""validate_answers and save_response: ranges, required items, double submissions, personal links."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from healthywork.evaluation import answering
from healthywork.evaluation.models import Answer, Invitation, Item, ItemKind, Response, ResponseStatus
from healthywork.evaluation.tests import factories
from healthywork.partners.models import Person


class ValidateAnswersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.instrument = factories.instrument(dimensions={"all": ["q1", "q2"]})
        cls.q1 = cls.instrument.items.get(code="q1")
        cls.q1.required = True
        cls.q1.save()
        Item.objects.create(
            instrument=cls.instrument,
            code="age",
            text="Age",
            kind=ItemKind.NUMBER,
            min_value=16,
            max_value=99,
        )
        Item.objects.create(
            instrument=cls.instrument,
            code="topics",
            text="Topics",
            kind=ItemKind.MULTIPLE,
            choices=[{"value": 1, "label": "A"}, {"value": 2, "label": "B"}],
        )
        Item.objects.create(instrument=cls.instrument, code="why", text="Why?", kind=ItemKind.TEXT)

    def test_it_accepts_good_answers(self):
        values, errors = answering.validate_answers(
            self.instrument, {"q1": "4", "q2": "", "age": "31", "topics": ["2", "1"], "why": " because "}
        )
        self.assertEqual(errors, {})
        by_code = {Item.objects.get(pk=pk).code: value for pk, value in values.items()}
        self.assertEqual(
            by_code, {"q1": (4.0, ""), "age": (31.0, ""), "topics": (None, "1 2"), "why": (None, "because")}
        )

    def test_it_names_the_item_out_of_range(self):
        _values, errors = answering.validate_answers(
            self.instrument, {"q1": "7", "age": "150", "topics": "3"}
        )
        self.assertIn("q1", errors["q1"])
        self.assertIn("1 to 5", errors["q1"])
        self.assertIn("outside its range", errors["age"])
        self.assertIn("topics", errors["topics"])

    def test_it_needs_required_items_unless_partial(self):
        _values, errors = answering.validate_answers(self.instrument, {"age": "abc"})
        self.assertIn("needs an answer", errors["q1"])
        self.assertIn("not a number", errors["age"])
        _values, errors = answering.validate_answers(self.instrument, {}, partial=True)
        self.assertEqual(errors, {})


class SaveResponseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.instrument = factories.instrument(dimensions={"all": ["q1", "q2"]})
        cls.administration = factories.administration(cls.instrument, public_link_open=True)
        cls.person = Person.objects.create(name="Rosa Díaz", email="rosa@example.org")
        cls.invitation = Invitation.objects.create(
            administration=cls.administration, person=cls.person, name="Rosa Díaz", email="rosa@example.org"
        )

    def values(self, q1="4", q2="5"):
        values, errors = answering.validate_answers(self.instrument, {"q1": q1, "q2": q2})
        self.assertEqual(errors, {})
        return values

    def test_a_repeated_submission_key_writes_nothing(self):
        first = answering.save_response(self.administration, self.values(), submit=True, submission_key="k1")
        again = answering.save_response(
            self.administration, self.values("1"), submit=True, submission_key="k1"
        )
        self.assertFalse(first.was_duplicate)
        self.assertTrue(again.was_duplicate)
        self.assertEqual(again.pk, first.pk)
        self.assertEqual(Response.objects.count(), 1)
        self.assertEqual(Answer.objects.get(item__code="q1").number, 4.0)
        self.assertEqual(first.status, ResponseStatus.COMPLETE)
        self.assertIsNotNone(first.submitted_at)
        self.assertIsNone(first.person_id)
        self.assertIsNone(first.invitation_id)

    def test_save_and_resume_replaces_the_answers(self):
        saved = answering.save_response(self.administration, self.values(), submit=False, submission_key=None)
        self.assertEqual(saved.status, ResponseStatus.IN_PROGRESS)
        done = answering.save_response(
            self.administration, self.values("2", "3"), response=saved, submit=True, submission_key="k2"
        )
        self.assertEqual(done.pk, saved.pk)
        self.assertEqual(sorted(Answer.objects.values_list("number", flat=True)), [2.0, 3.0])
        with self.assertRaises(answering.AlreadyAnswered):
            answering.save_response(
                self.administration, self.values(), response=saved, submit=True, submission_key="k3"
            )

    def test_a_personal_invitation_gets_one_response(self):
        first = answering.save_response(
            self.administration, self.values(), submit=True, submission_key="p1", invitation=self.invitation
        )
        self.assertEqual(first.respondent_key, f"person:{self.person.pk}")
        self.assertEqual(first.person, self.person)
        with self.assertRaises(answering.AlreadyAnswered):
            answering.save_response(
                self.administration,
                self.values(),
                submit=True,
                submission_key="p2",
                invitation=self.invitation,
            )
        self.assertEqual(Response.objects.filter(invitation=self.invitation).count(), 1)

    def test_a_personal_save_then_submit_continues_the_same_response(self):
        saved = answering.save_response(
            self.administration, self.values(), submit=False, submission_key=None, invitation=self.invitation
        )
        done = answering.save_response(
            self.administration, self.values(), submit=True, submission_key="p3", invitation=self.invitation
        )
        self.assertEqual(saved.pk, done.pk)

    def test_a_closed_administration_takes_nothing(self):
        self.administration.closes_at = timezone.now() - timedelta(days=1)
        self.administration.opens_at = timezone.now() - timedelta(days=10)
        self.administration.save()
        with self.assertRaises(answering.AdministrationClosed) as caught:
            answering.save_response(self.administration, self.values(), submit=True, submission_key="c1")
        self.assertIn("closed on", caught.exception.message)
        self.assertEqual(Response.objects.count(), 0)

    def test_match_codes_are_normalised(self):
        self.assertEqual(answering.normalise_match_code(" ab 12-c "), "AB12C")
