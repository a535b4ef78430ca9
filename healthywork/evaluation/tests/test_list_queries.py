"""List pages, panels and APIs read a constant number of queries, however many rows they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.evaluation.models import Invitation, TimePoint
from healthywork.evaluation.tests import factories


class ListQueryTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.instrument = factories.instrument(name="knowledge", title="Knowledge")

    def add_rows(self, count: int) -> None:
        for number in range(count):
            administration = factories.administration(
                self.instrument, team=self.team_a, time_point=TimePoint.PRE, public_link_open=True
            )
            Invitation.objects.create(
                administration=administration, name=f"P{number}", email=f"p{number}@x.org"
            )
            factories.response(administration, {"q1": 4, "q2": 5}, team=self.team_a)

    def queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(captured)

    def assert_constant(self, url_of) -> None:
        self.login(self.evaluator)
        self.add_rows(1)
        one = self.queries(url_of())
        self.add_rows(4)
        self.assertEqual(self.queries(url_of()), one, url_of())

    def test_the_overview(self):
        self.assert_constant(lambda: reverse("evaluation:index"))

    def test_the_administration_list(self):
        self.assert_constant(lambda: reverse("evaluation:administration-list"))

    def test_the_instrument_list(self):
        self.assert_constant(lambda: reverse("evaluation:instrument-list"))

    def test_the_team_page(self):
        self.assert_constant(lambda: self.team_a.get_absolute_url())

    def test_the_response_list(self):
        self.login(self.evaluator)
        administration = factories.administration(self.instrument, team=self.team_a)
        factories.response(administration, {"q1": 4})
        url = reverse("evaluation:administration-responses", args=[administration.public_id])
        one = self.queries(url)
        for _number in range(4):
            factories.response(administration, {"q1": 4}, team=self.team_a)
        self.assertEqual(self.queries(url), one)

    def test_the_administration_detail(self):
        self.login(self.evaluator)
        administration = factories.administration(self.instrument, team=self.team_a)
        url = administration.get_absolute_url()
        Invitation.objects.create(administration=administration, name="P", email="p@x.org")
        factories.administration(self.instrument, team=self.team_a, pre=administration)
        one = self.queries(url)
        for number in range(4):
            Invitation.objects.create(
                administration=administration, name=f"P{number}", email=f"q{number}@x.org"
            )
            factories.administration(self.instrument, team=self.team_a, pre=administration)
        self.assertEqual(self.queries(url), one)


class EmptyPagesTests(TeamTestCase):
    def test_an_instrument_with_no_dimension_or_item_shows_its_page(self):
        self.login(self.evaluator)
        empty = factories.instrument(name="empty", dimensions={})
        self.assertEqual(self.client.get(empty.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(empty.get_absolute_url() + "?preview=es").status_code, 200)

    def test_an_administration_with_no_item_no_invitation_and_no_response_shows_its_pages(self):
        self.login(self.evaluator)
        administration = factories.administration(
            factories.instrument(name="empty", dimensions={}), team=self.team_a, public_link_open=True
        )
        for url in (
            reverse("evaluation:index"),
            administration.get_absolute_url(),
            reverse("evaluation:administration-responses", args=[administration.public_id]),
            reverse("evaluation:respond-public", args=[administration.public_token]),
            reverse("evaluation:indicator-list"),
        ):
            self.assertEqual(self.client.get(url).status_code, 200, url)
