"""Plain factory functions for the collaborative."""

from datetime import date, datetime, timedelta
from itertools import count

from django.utils import timezone

from healthywork.collaborative.models import (
    Cohort,
    Deliverable,
    Membership,
    MembershipRole,
    Session,
    Team,
    TeamPerson,
)
from healthywork.partners.models import Organization
from healthywork.partners.tests import factories as partner_factories

_numbers = count(1)


def cohort(name: str | None = None, **fields) -> Cohort:
    fields.setdefault("start_date", date(2018, 1, 15))
    fields.setdefault("end_date", date(2018, 12, 15))
    fields.setdefault("status", "active")
    return Cohort.objects.create(name=name or f"Cohort {next(_numbers)}", **fields)


def team(
    cohort_obj: Cohort, name: str | None = None, organizations: list[Organization] | None = None, **fields
) -> Team:
    created = Team.objects.create(cohort=cohort_obj, name=name or f"Team {next(_numbers)}", **fields)
    for index, organization in enumerate(organizations or []):
        Membership.objects.create(
            team=created,
            organization=organization,
            role=MembershipRole.LEAD if index == 0 else MembershipRole.MEMBER,
        )
    return created


def health_labor_team(cohort_obj: Cohort, name: str | None = None, **fields) -> Team:
    """A team with a health department (lead) and a worker center."""
    return team(
        cohort_obj,
        name,
        [
            partner_factories.organization(sector_slug="public-health"),
            partner_factories.organization(sector_slug="labor"),
        ],
        **fields,
    )


def add_user(team_obj: Team, user, can_edit: bool = True) -> TeamPerson:
    return TeamPerson.objects.create(team=team_obj, user=user, can_edit=can_edit)


def session(cohort_obj: Cohort, number: int = 1, **fields) -> Session:
    fields.setdefault("title", f"Session {number}")
    fields.setdefault(
        "starts_at", timezone.make_aware(datetime(2018, 2, 1, 9, 0)) + timedelta(days=30 * (number - 1))
    )
    return Session.objects.create(cohort=cohort_obj, number=number, **fields)


def deliverable(
    team_obj: Team, session_obj: Session, title: str = "Draft power map", **fields
) -> Deliverable:
    return Deliverable.objects.create(team=team_obj, session=session_obj, title=title, **fields)
