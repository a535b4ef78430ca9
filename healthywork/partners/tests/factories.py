"""Plain factory functions for the partner registry."""

from itertools import count

from healthywork.partners.models import Affiliation, Organization, Person, Sector

_numbers = count(1)


def sector(slug: str = "labor") -> Sector:
    """One of the seeded sectors (the migration seeds them)."""
    return Sector.objects.get(slug=slug)


def organization(name: str | None = None, sector_slug: str = "labor", **fields) -> Organization:
    fields.setdefault("level", "local")
    return Organization.objects.create(
        name=name or f"Organization {next(_numbers)}", sector=sector(sector_slug), **fields
    )


def person(name: str | None = None, **fields) -> Person:
    return Person.objects.create(name=name or f"Person {next(_numbers)}", **fields)


def affiliation(person_obj: Person, organization_obj: Organization, **fields) -> Affiliation:
    return Affiliation.objects.create(person=person_obj, organization=organization_obj, **fields)
