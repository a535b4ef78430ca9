"""Counting initiatives by two of their classes, for the crosstab analysis.

A dimension is a class an initiative has: the lead organization's sector or sector family, the
action type, PSE class, level, status, Total Worker Health level, or (several per initiative)
the healthy-work conditions and worker populations it addresses. With a many-valued dimension
an initiative counts once under each of its values.
"""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from healthywork.catalog.models import PSEClass, Status, TWHLevel
from healthywork.partners.models import Family, Level


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Promise
    path: str
    choices: dict[str, Promise] | None = None
    is_multiple: bool = False


DIMENSIONS = {
    dimension.key: dimension
    for dimension in [
        Dimension("sector", _("Sector of the lead organization"), "lead_organization__sector__name"),
        Dimension(
            "sector_family",
            _("Sector family of the lead organization"),
            "lead_organization__sector__family",
            dict(Family.choices),
        ),
        Dimension("action_type", _("Action type"), "action_type__name"),
        Dimension("pse_class", _("PSE class"), "pse_class", dict(PSEClass.choices)),
        Dimension("level", _("Level"), "level", dict(Level.choices)),
        Dimension("status", _("Status"), "status", dict(Status.choices)),
        Dimension("twh_level", _("Total Worker Health level"), "twh_level", dict(TWHLevel.choices)),
        Dimension("condition", _("Healthy-work condition"), "conditions__name", is_multiple=True),
        Dimension("population", _("Worker population"), "populations__name", is_multiple=True),
    ]
}


def count_table(initiatives: QuerySet, rows: str, cols: str) -> tuple[list[str], list[str], list[list[int]]]:
    """(row labels, column labels, counts) of `initiatives` by two dimensions.

    Empty values (for example no Total Worker Health level) are left out; labels keep the order
    of their choices where there are choices, else alphabetical order.
    """
    row_dimension, col_dimension = DIMENSIONS[rows], DIMENSIONS[cols]
    cells = (
        initiatives.order_by()
        .values(row_dimension.path, col_dimension.path)
        .annotate(count=Count("id", distinct=True))
    )
    counts: dict[tuple[str, str], int] = {}
    for cell in cells:
        row_value, col_value = cell[row_dimension.path], cell[col_dimension.path]
        if row_value in (None, "") or col_value in (None, ""):
            continue
        counts[(row_value, col_value)] = counts.get((row_value, col_value), 0) + cell["count"]
    row_values = _ordered({row for row, _col in counts}, row_dimension)
    col_values = _ordered({col for _row, col in counts}, col_dimension)
    matrix = [[counts.get((row, col), 0) for col in col_values] for row in row_values]
    return (
        [_label(value, row_dimension) for value in row_values],
        [_label(value, col_dimension) for value in col_values],
        matrix,
    )


def _ordered(values: set[str], dimension: Dimension) -> list[str]:
    if dimension.choices:
        order = list(dimension.choices)
        return sorted(values, key=lambda value: order.index(value) if value in order else len(order))
    return sorted(values)


def _label(value: str, dimension: Dimension) -> str:
    if dimension.choices and value in dimension.choices:
        return str(dimension.choices[value])
    return str(value)
