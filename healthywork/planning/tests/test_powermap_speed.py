"""The power map page reads each table once, whatever the number of actors, and a map of 200
actors is ready (data, guidance, SVG) within 300 ms."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.planning import powermap
from healthywork.planning.models import Actor, ActorLink
from healthywork.planning.tests import factories


def fill(map_obj, count: int) -> None:
    actors = Actor.objects.bulk_create(
        Actor(
            power_map=map_obj,
            name=f"Actor {number:03d}",
            kind=["person", "organization", "institution", "decision_maker"][number % 4],
            power=number % 101 / 10,
            stance=(number % 101 - 50) / 10,
            is_target=number % 17 == 0,
        )
        for number in range(count)
    )
    ActorLink.objects.bulk_create(
        ActorLink(
            power_map=map_obj, source=actors[number], target=actors[(number * 7 + 1) % count], kind=kind
        )
        for number in range(count)
        for kind in ("influences", "allied")
        if actors[number] != actors[(number * 7 + 1) % count]
    )


class SpeedTests(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.small = factories.power_map(cls.team_a)
        fill(cls.small, 5)
        cls.large = factories.power_map(cls.team_b)
        fill(cls.large, 200)

    def page_queries(self, team, user) -> int:
        self.login(user)
        url = reverse("planning:powermap", args=[team.public_id])
        self.client.get(url)  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_page_makes_no_query_per_actor(self):
        self.facilitator.refresh_from_db()
        small = self.page_queries(self.team_a, self.facilitator)
        large = self.page_queries(self.team_b, self.facilitator)
        self.assertEqual(small, large)
        self.assertLessEqual(large, 14)

    def test_the_data_of_a_map_of_200_actors_is_ready_within_300_ms(self):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            data = powermap.load_map_data(self.large, self.team_b)
            powermap.guidance(data.actors)
            powermap.unreached_targets(data.actors, data.links)
            svg = powermap.map_svg(
                data, {actor.public_id: f"/plan/actors/{actor.public_id}/place/" for actor in data.actors}
            )
        elapsed = time.perf_counter() - started
        self.assertEqual(len(data.actors), 200)
        self.assertGreater(len(data.links), 300)
        self.assertEqual(svg.count('class="pm-actor"'), 200)
        self.assertEqual(len(queries), 3)  # the team's organizations, the actors, the links
        self.assertLess(elapsed, 0.3)
