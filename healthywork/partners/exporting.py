"""Export of organizations, in the same columns the importer reads (so a file can round-trip)."""

from collections.abc import Iterator

from django.db.models import QuerySet

from healthywork.core import tabular
from healthywork.partners.importing import COLUMNS


def organization_rows(organizations: QuerySet) -> Iterator[list]:
    for organization in (
        organizations.select_related("sector").prefetch_related("populations").iterator(chunk_size=2000)
    ):
        yield [
            str(organization.public_id),
            organization.name,
            "; ".join(organization.alias_list),
            organization.sector.name,
            organization.subsector,
            organization.level,
            organization.city,
            organization.county,
            organization.state,
            organization.website,
            organization.description,
            "; ".join(population.name for population in organization.populations.all()),
            organization.languages,
        ]


def export_organizations(organizations: QuerySet, fmt: str) -> tuple[bytes, str]:
    """(content, content type) of the organizations in CSV, XLSX or JSON."""
    return tabular.export_bytes(fmt, COLUMNS, organization_rows(organizations))
