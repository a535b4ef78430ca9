"""The one rule for team-scoped work: Team.objects.visible_to."""

from healthywork.collaborative.models import Team
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.planning.tests import factories as planning_factories


class TeamVisibilityTests(TeamTestCase):
    def visible(self, user) -> set[str]:
        return set(Team.objects.visible_to(user).values_list("name", flat=True))

    def test_a_member_sees_only_their_team(self):
        self.assertEqual(self.visible(self.member_a), {"Team A"})
        self.assertEqual(self.visible(self.member_b), {"Team B"})

    def test_a_cohort_that_shares_its_work_shows_every_team_to_its_members(self):
        self.cohort.shares_work = True
        self.cohort.save()
        self.assertEqual(self.visible(self.member_a), {"Team A", "Team B"})

    def test_program_staff_and_facilitators_see_every_team(self):
        for user in (self.administrator, self.facilitator, self.evaluator):
            self.assertEqual(self.visible(user), {"Team A", "Team B"}, user)

    def test_people_outside_any_team_see_none(self):
        self.assertEqual(self.visible(self.viewer), set())
        self.assertEqual(self.visible(self.coder), set())

    def test_members_may_edit_their_own_team_only(self):
        self.assertTrue(self.team_a.can_edit(self.member_a))
        self.assertFalse(self.team_b.can_edit(self.member_a))
        self.assertTrue(self.team_b.can_edit(self.facilitator))
        self.assertFalse(self.team_a.can_edit(self.viewer))

    def test_a_health_and_labor_team_has_no_composition_warning(self):
        self.assertEqual(self.team_a.composition_warnings(), [])

    def test_artifacts_follow_their_team(self):
        planning_factories.power_map(self.team_a)
        from healthywork.planning.models import PowerMap

        self.assertEqual(PowerMap.objects.visible_to(self.member_a).count(), 1)
        self.assertEqual(PowerMap.objects.visible_to(self.member_b).count(), 0)

    def test_bump_raises_the_version_in_the_database(self):
        map_obj = planning_factories.power_map(self.team_a)
        self.assertEqual(map_obj.bump(self.member_a), 2)
        self.assertEqual(map_obj.updated_by, self.member_a)


class ConcurrencyTests(TeamTestCase):
    def test_a_write_at_an_older_version_is_a_conflict_naming_who_saved(self):
        from django.db import transaction

        from healthywork.planning.concurrency import EditConflict, check_version

        map_obj = planning_factories.power_map(self.team_a)
        with transaction.atomic():
            check_version(map_obj, "1")
        map_obj.bump(self.member_a)
        with self.assertRaises(EditConflict) as raised, transaction.atomic():
            check_version(map_obj, "1")
        self.assertEqual(raised.exception.current_version, 2)
        self.assertIn("mo", raised.exception.message)
        with self.assertRaises(EditConflict), transaction.atomic():
            check_version(map_obj, "not a number")
