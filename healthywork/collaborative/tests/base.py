"""Personas for team-scoped work: the foundation's six, plus a member of team A (the `member`
persona) and a member of team B, in one cohort whose teams do not share their work."""

from healthywork.accounts.roles import Role
from healthywork.collaborative.tests import factories
from healthywork.core.tests.base import PersonaTestCase, make_user


class TeamTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.cohort = factories.cohort("Healthy Work Collaborative 2018")
        cls.cohort.facilitators.add(cls.facilitator)
        cls.team_a = factories.health_labor_team(cls.cohort, "Team A")
        cls.team_b = factories.health_labor_team(cls.cohort, "Team B")
        cls.member_a = cls.member
        cls.member_b = make_user("bea", Role.TEAM_MEMBER)
        factories.add_user(cls.team_a, cls.member_a)
        factories.add_user(cls.team_b, cls.member_b)
