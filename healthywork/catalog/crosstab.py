"""Counting initiatives by two of their classes, for the crosstab analysis.

A dimension is a class an initiative has: the lead organization's sector or sector family, the
action type, PSE class, level, status, Total Worker Health level, or (several per initiative)
the healthy-work conditions and worker populations it addresses. With a many-valued dimension
an initiative counts once under each of its values.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from healthywork.catalog.models import ActionType, Condition, PSEClass, Status, TWHLevel
from healthywork.partners.models import Family, Level, Population, Sector


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Promise
    path: str
    choices: dict[str, Promise] | None = None
    is_multiple: bool = False
    # Counting groups by a narrow id column (`group_path`) and names the ids afterwards
    # (`values_of`: id -> value): far cheaper than grouping by joined text on 200,000 rows.
    group_path: str | None = None
    values_of: Callable[[], dict] | None = None


DIMENSIONS = {
    dimension.key: dimension
    for dimension in [
        Dimension(
            "sector",
            _("Sector of the lead organization"),
            "lead_organization__sector__name",
            group_path="lead_organization__sector",
            values_of=lambda: dict(Sector.objects.values_list("id", "name")),
        ),
        Dimension(
            "sector_family",
            _("Sector family of the lead organization"),
            "lead_organization__sector__family",
            dict(Family.choices),
            group_path="lead_organization__sector",
            values_of=lambda: dict(Sector.objects.values_list("id", "family")),
        ),
        Dimension(
            "action_type",
            _("Action type"),
            "action_type__name",
            group_path="action_type",
            values_of=lambda: dict(ActionType.objects.values_list("id", "name")),
        ),
        Dimension("pse_class", _("PSE class"), "pse_class", dict(PSEClass.choices)),
        Dimension("level", _("Level"), "level", dict(Level.choices)),
        Dimension("status", _("Status"), "status", dict(Status.choices)),
        Dimension("twh_level", _("Total Worker Health level"), "twh_level", dict(TWHLevel.choices)),
        Dimension(
            "condition",
            _("Healthy-work condition"),
            "conditions__name",
            is_multiple=True,
            group_path="conditions",
            values_of=lambda: dict(Condition.objects.values_list("id", "name")),
        ),
        Dimension(
            "population",
            _("Worker population"),
            "populations__name",
            is_multiple=True,
            group_path="populations",
            values_of=lambda: dict(Population.objects.values_list("id", "name")),
        ),
    ]
}


def count_table(initiatives: QuerySet, rows: str, cols: str) -> tuple[list[str], list[str], list[list[int]]]:
    """(row labels, column labels, counts) of `initiatives` by two dimensions.

    Empty values (for example no Total Worker Health level) are left out; labels keep the order
    of their choices where there are choices, else alphabetical order.
    """
    row_dimension, col_dimension = DIMENSIONS[rows], DIMENSIONS[cols]
    row_group = row_dimension.group_path or row_dimension.path
    col_group = col_dimension.group_path or col_dimension.path
    cells = _index_cells(initiatives, rows, cols) if row_group != col_group else None
    if cells is None:
        # No DISTINCT: each (initiative, row value, column value) is one joined row, and the
        # catalog's filters are subqueries that never multiply rows.
        grouped = initiatives.order_by().values(row_group, col_group).annotate(count=Count("id"))
        cells = [(cell[row_group], cell[col_group], cell["count"]) for cell in grouped]
    row_names = row_dimension.values_of() if row_dimension.values_of else None
    col_names = col_dimension.values_of() if col_dimension.values_of else None
    counts: dict[tuple[str, str], int] = {}
    for row_value, col_value, count in cells:
        if row_names is not None:
            row_value = row_names.get(row_value)
        if col_names is not None:
            col_value = col_names.get(col_value)
        if row_value in (None, "") or col_value in (None, ""):
            continue
        counts[(row_value, col_value)] = counts.get((row_value, col_value), 0) + count
    row_values = _ordered({row for row, _col in counts}, row_dimension)
    col_values = _ordered({col for _row, col in counts}, col_dimension)
    matrix = [[counts.get((row, col), 0) for col in col_values] for row in row_values]
    return (
        [_label(value, row_dimension) for value in row_values],
        [_label(value, col_dimension) for value in col_values],
        matrix,
    )


def _index_cells(initiatives: QuerySet, rows: str, cols: str) -> list[tuple] | None:
    """The cells counted by the catalog's in-memory facet index (`facet_index`) when the catalog
    is large enough for it; None: count them in SQL."""
    from django.db import connection

    from healthywork.catalog import facet_index
    from healthywork.catalog.models import Initiative

    if initiatives.model is not Initiative or connection.vendor not in ("sqlite", "postgresql"):
        return None
    if initiatives.query.is_empty():
        return []
    stamp = facet_index.read_stamp()
    if int(stamp[0]) < facet_index.minimum_size():
        return None
    index = facet_index.current(stamp)
    if facet_index.is_everything(initiatives):
        mask = np.ones(len(index), dtype=bool)
    else:
        mask = index.rows_of(np.fromiter(initiatives.order_by().values_list("pk", flat=True), np.int64))
    return facet_index.crosstab_cells(index, mask, rows, cols)


def _ordered(values: set[str], dimension: Dimension) -> list[str]:
    if dimension.choices:
        order = list(dimension.choices)
        return sorted(values, key=lambda value: order.index(value) if value in order else len(order))
    return sorted(values)


def _label(value: str, dimension: Dimension) -> str:
    if dimension.choices and value in dimension.choices:
        return str(dimension.choices[value])
    return str(value)
