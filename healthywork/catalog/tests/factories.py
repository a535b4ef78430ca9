"""Plain factory functions for the catalog, written through the services like a person would."""

from itertools import count
from typing import Any

from healthywork.catalog import services
from healthywork.catalog.models import ActionType, Condition, Initiative, Tag
from healthywork.partners.models import Organization, Population
from healthywork.partners.tests import factories as partner_factories

_numbers = count(1)


def action_type(slug: str = "public-policy-advocacy") -> ActionType:
    """One of the seeded action types (the migration seeds them)."""
    return ActionType.objects.get(slug=slug)


def condition(slug: str = "living-wage") -> Condition:
    """One of the seeded healthy-work conditions."""
    return Condition.objects.get(slug=slug)


def population(slug: str = "low-wage") -> Population:
    """One of the seeded worker populations."""
    return Population.objects.get(slug=slug)


def tag(name: str) -> Tag:
    return Tag.objects.get_or_create(name=name)[0]


def initiative(
    title: str | None = None,
    lead: Organization | None = None,
    *,
    action: str = "public-policy-advocacy",
    partners: list[tuple[Organization, str]] | None = None,
    conditions: list[str] = (),
    populations: list[str] = (),
    tags: list[str] = (),
    by: Any = None,
    **fields: Any,
) -> Initiative:
    """An initiative led by `lead` (a new labor organization if none), with the given classes."""
    data = {
        "title": title or f"Initiative {next(_numbers)}",
        "lead_organization": lead or partner_factories.organization(),
        "action_type": action_type(action),
        "pse_class": "policy",
        "level": "local",
        "status": "active",
        "conditions": [condition(slug) for slug in conditions],
        "populations": [population(slug) for slug in populations],
        "tags": [tag(name) for name in tags],
        **fields,
    }
    return services.create_initiative(data, partners=partners or [], by=by)
