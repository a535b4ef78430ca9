"""The evaluation demo loads, twice, with the counts the program reported."""

import io

from django.test import TestCase

from healthywork.evaluation import demo
from healthywork.evaluation.models import Administration, Answer, Response, ResponseStatus, TimePoint


class EvaluationDemoTests(TestCase):
    def test_it_loads_the_survey_the_follow_up_and_an_open_link_once(self):
        demo.load(io.StringIO())
        counts = {
            a.title: a.responses.filter(status=ResponseStatus.COMPLETE).count()
            for a in Administration.objects.all()
        }
        self.assertEqual(counts[demo.PRE_TITLE], 21)
        self.assertEqual(counts[demo.POST_TITLE], 21)
        self.assertEqual(counts[demo.FOLLOW_UP_TITLE], 13)
        post = Administration.objects.get(title=demo.POST_TITLE)
        follow = Administration.objects.get(title=demo.FOLLOW_UP_TITLE)
        self.assertEqual(post.pre.title, demo.PRE_TITLE)
        self.assertEqual(follow.time_point, TimePoint.FOLLOW_UP)
        self.assertIn("interview", follow.description)
        pre_keys = set(post.pre.responses.values_list("respondent_key", flat=True))
        self.assertEqual(set(post.responses.values_list("respondent_key", flat=True)), pre_keys)
        self.assertTrue(set(follow.responses.values_list("respondent_key", flat=True)) <= pre_keys)
        pre_mean = _mean(post.pre)
        self.assertGreater(_mean(post), pre_mean + 0.3)  # plausible improvement (reverse items included)
        items = post.instrument.items.exclude(kind="text").count()
        self.assertLess(
            Answer.objects.filter(response__administration=post).count(), 21 * items
        )  # a few skipped
        open_link = Administration.objects.get(title=demo.OPEN_TITLE)
        self.assertTrue(open_link.is_open() and open_link.public_link_open)
        before = (Administration.objects.count(), Response.objects.count(), Answer.objects.count())
        demo.load(io.StringIO())
        self.assertEqual(
            before, (Administration.objects.count(), Response.objects.count(), Answer.objects.count())
        )


def _mean(administration) -> float:
    numbers = [
        (6 - a.number) if a.item.reverse_scored else a.number
        for a in Answer.objects.filter(
            response__administration=administration, number__isnull=False
        ).select_related("item")
    ]
    return sum(numbers) / len(numbers)
