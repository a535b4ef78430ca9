"""Export of initiatives, in the same columns the importer reads (so a file can round-trip).

Classes are written as their stored values (`policy`, `active`), which read the same in every
language; taxonomies, organizations and populations by name. Cells a spreadsheet would run as
a formula are neutralised by `core.tabular`.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet

from healthywork.catalog import facets
from healthywork.catalog.importing import COLUMNS
from healthywork.catalog.models import InitiativePartner
from healthywork.core import tabular


def initiative_rows(initiatives: QuerySet) -> Iterator[list]:
    partners = InitiativePartner.objects.select_related("organization").order_by("pk")
    for initiative in (
        initiatives.select_related("lead_organization", "action_type")
        .prefetch_related(Prefetch("partners", queryset=partners), "populations", "conditions", "tags")
        .iterator(chunk_size=2000)
    ):
        yield [
            str(initiative.public_id),
            initiative.title,
            initiative.summary,
            initiative.lead_organization.name,
            "; ".join(
                f"{partner.organization.name} ({partner.role})" for partner in initiative.partners.all()
            ),
            initiative.action_type.name,
            initiative.pse_class,
            initiative.twh_level,
            initiative.level,
            initiative.geography,
            initiative.status,
            initiative.start_date.isoformat() if initiative.start_date else "",
            initiative.end_date.isoformat() if initiative.end_date else "",
            "; ".join(population.name for population in initiative.populations.all()),
            "; ".join(condition.name for condition in initiative.conditions.all()),
            initiative.evidence_rating,
            "; ".join(initiative.link_list),
            "; ".join(tag.name for tag in initiative.tags.all()),
            initiative.source,
        ]


def export_initiatives(initiatives: QuerySet, fmt: str) -> tuple[bytes, str]:
    """(content, content type) of the initiatives in CSV, XLSX or JSON."""
    return tabular.export_bytes(fmt, COLUMNS, initiative_rows(initiatives))


def filter_initiatives(initiatives: QuerySet, params: Mapping[str, Any]) -> QuerySet:
    """The initiatives the catalog page shows for these parameters (q and the facets)."""
    return facets.apply_filters(initiatives, params)
