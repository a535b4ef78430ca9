"""Serialising each artifact, taking snapshots (audited, one per existing artifact), deleting."""

from datetime import date

from django.test import TestCase

from healthywork.catalog.tests import factories as catalog_factories
from healthywork.collaborative.tests import factories as team_factories
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import make_user
from healthywork.partners.tests import factories as partner_factories
from healthywork.planning import snapshots
from healthywork.planning.models import Assumption, Intervention, Snapshot
from healthywork.planning.tests import factories


class SerialiseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("fran", "facilitator")
        cohort = team_factories.cohort("Cohort 2018")
        cls.team = team_factories.health_labor_team(cohort, "Fair Work Team")
        cls.council_org = partner_factories.organization("Metro Council", sector_slug="government")
        power_map = factories.power_map(cls.team)
        cls.council = factories.actor(power_map, "City Council", 8, 1, kind="institution",
                                      organization=cls.council_org, is_target=True)  # fmt: skip
        cls.chamber = factories.actor(power_map, "Chamber of Commerce", 7, -3.5)
        factories.actor_link(cls.chamber, cls.council, "opposes", strength=3)
        theory = factories.theory(cls.team)
        cls.ordinance = factories.outcome(theory, "Council passes the ordinance")
        factories.link(cls.ordinance, theory.goal, "Law makes schedules enforceable.")
        factories.indicator(cls.ordinance, "Ordinance adopted", target="yes", by_when=date(2019, 6, 1))
        Intervention.objects.create(theory=theory, title="Testimony", outcome=cls.ordinance,
                                    responsible_organization=cls.council_org)  # fmt: skip
        Assumption.objects.create(theory=theory, text="The council listens to clinics", outcome=cls.ordinance)
        plan = factories.plan(cls.team)
        objective = factories.objective(plan, outcome=cls.ordinance)
        cls.person = partner_factories.person("Rosa Diaz")
        factories.step(objective, who_person=cls.person, who_organization=cls.council_org,
                       due_date=date(2018, 5, 1), barriers="Chamber pushback")  # fmt: skip

    def test_the_power_map_uses_names_and_stable_keys(self):
        data = snapshots.serialise(self.team, "power_map")
        self.assertEqual(data["issue"], "Pass a fair workweek ordinance")
        council = next(actor for actor in data["actors"] if actor["name"] == "City Council")
        self.assertEqual(council["id"], str(self.council.public_id))
        self.assertEqual(
            (
                council["organization"],
                council["power"],
                council["stance"],
                council["is_target"],
                council["kind"],
            ),
            ("Metro Council", 8, 1, True, "institution"),
        )
        chamber = next(actor for actor in data["actors"] if actor["name"] == "Chamber of Commerce")
        self.assertEqual(chamber["stance"], -3.5)
        self.assertEqual(data["links"][0]["source"], "Chamber of Commerce")
        self.assertEqual((data["links"][0]["kind"], data["links"][0]["strength"]), ("opposes", 3))

    def test_the_theory_of_change(self):
        data = snapshots.serialise(self.team, "theory_of_change")
        self.assertEqual(data["goal"], "Workers in the county have stable schedules and paid sick leave")
        ordinance = next(
            outcome for outcome in data["outcomes"] if outcome["title"] == "Council passes the ordinance"
        )
        self.assertEqual(ordinance["indicators"][0]["what"], "Ordinance adopted")
        self.assertEqual(ordinance["indicators"][0]["by_when"], "2019-06-01")
        self.assertEqual(data["links"][0]["rationale"], "Law makes schedules enforceable.")
        self.assertEqual(data["interventions"][0]["responsible_organization"], "Metro Council")
        self.assertEqual(data["interventions"][0]["on"], "Council passes the ordinance")
        self.assertEqual(data["assumptions"][0]["text"], "The council listens to clinics")

    def test_the_action_plan_names_who(self):
        data = snapshots.serialise(self.team, "action_plan")
        objective = data["objectives"][0]
        self.assertEqual(objective["outcome"], "Council passes the ordinance")
        step = objective["steps"][0]
        self.assertEqual(step["who"], "Rosa Diaz, Metro Council")
        self.assertEqual(
            (step["due_date"], step["barriers"], step["status"]),
            ("2018-05-01", "Chamber pushback", "not_started"),
        )

    def test_a_definition_counts_once_written(self):
        self.assertIsNone(snapshots.serialise(self.team, "definition"))
        self.team.definition = "Work that makes people sick"
        self.team.definition_dimensions = ["wages", "temporariness"]
        self.team.save()
        self.team.definition_conditions.add(catalog_factories.condition("living-wage"))
        data = snapshots.serialise(self.team, "definition")
        self.assertEqual(data["dimensions"], ["temporariness", "wages"])
        self.assertEqual(len(data["conditions"]), 1)

    def test_the_data_survives_a_rename_in_the_registry(self):
        snapshot = snapshots.take_snapshots(
            None, [self.team], label="Before", by=self.user, kinds=["power_map"]
        )[0]
        self.council_org.name = "Renamed Council"
        self.council_org.save()
        snapshot.refresh_from_db()
        self.assertEqual(snapshot.data["actors"][0]["organization"], "Metro Council")


class TakeSnapshotsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("fran", "facilitator")
        cls.cohort = team_factories.cohort("Cohort 2018")
        cls.session = team_factories.session(cls.cohort, 3, title="Power mapping")
        cls.team_a = team_factories.health_labor_team(cls.cohort, "Team A")
        cls.team_b = team_factories.health_labor_team(cls.cohort, "Team B")
        power_map = factories.power_map(cls.team_a)
        factories.actor(power_map, "Mayor", 9, 0)
        power_map.bump(cls.user)
        factories.theory(cls.team_b)

    def test_one_snapshot_per_team_per_existing_artifact_with_its_version(self):
        taken = snapshots.take_snapshots(
            self.session, [self.team_a, self.team_b], label="End of session 3", by=self.user
        )
        self.assertEqual(
            sorted((snapshot.team.name, snapshot.kind, snapshot.version) for snapshot in taken),
            [("Team A", "power_map", 2), ("Team B", "theory_of_change", 1)],
        )
        self.assertTrue(all(snapshot.session == self.session for snapshot in taken))
        self.assertEqual(
            AuditEvent.objects.filter(action="create", content_type__model="snapshot").count(), 2
        )

    def test_a_team_with_nothing_started_gets_no_snapshot(self):
        empty = team_factories.team(self.cohort, "Team C")
        self.assertEqual(snapshots.take_snapshots(None, [empty], label="x", by=self.user), [])

    def test_delete_is_audited(self):
        snapshot = snapshots.take_snapshots(None, [self.team_a], label="x", by=self.user)[0]
        snapshots.delete_snapshot(snapshot, by=self.user)
        self.assertFalse(Snapshot.objects.filter(pk=snapshot.pk).exists())
        self.assertTrue(AuditEvent.objects.filter(action="delete", content_type__model="snapshot").exists())
