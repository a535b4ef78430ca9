"""Answers as a respondents × items matrix of numbers: the one way every result, score, pre/post
comparison and export reads numeric answers (fast: one raw query, numpy arrays).

`load_matrix(administration)` (one query for all answers) returns a `Matrix` with one row per
complete response (in response order) and one column per numeric item (in item order); an
unanswered item is NaN. Raw answer values are kept: reverse scoring is the scorer's job
(`scoring.score_matrix`).
"""

from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from healthywork.evaluation.models import (
    NUMERIC_KINDS,
    Administration,
    Answer,
    Item,
    Response,
    ResponseStatus,
)


@dataclass
class Matrix:
    items: list[Item]
    response_ids: list[int]
    respondent_keys: list[str]
    values: np.ndarray  # float64, shape (len(response_ids), len(items)), NaN where unanswered
    team_ids: list[int | None] = field(default_factory=list)
    organization_ids: list[int | None] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [item.code for item in self.items]

    def column(self, code: str) -> np.ndarray:
        return self.values[:, self.codes.index(code)]


def numeric_items(instrument_id: int) -> list[Item]:
    return list(
        Item.objects.filter(instrument_id=instrument_id, kind__in=list(NUMERIC_KINDS))
        .select_related("dimension")
        .order_by("position", "pk")
    )


def load_matrix(administration: Administration, complete_only: bool = True) -> Matrix:
    """The database joins each response's answers into one "item,number,item,number" string
    (group_concat / string_agg), so Python receives one row per response instead of one per
    answer, and numpy parses the numbers."""
    items = numeric_items(administration.instrument_id)
    responses = Response.objects.filter(administration=administration)
    if complete_only:
        responses = responses.filter(status=ResponseStatus.COMPLETE)
    rows = list(responses.order_by("pk").values_list("pk", "respondent_key", "team_id", "organization_id"))
    response_ids = [row[0] for row in rows]
    values = np.full((len(rows), len(items)), np.nan)
    if rows and items:
        # Whole numbers travel as integers: SQLite formats floats as text far more slowly.
        if connection.vendor == "postgresql":
            joined = "string_agg(a.item_id::text || ',' || a.number::text, ',')"
        else:
            integer = "CAST(a.number AS INTEGER)"
            number = f"CASE WHEN a.number = {integer} THEN {integer} ELSE a.number END"
            joined = f"group_concat(a.item_id || ',' || {number}, ',')"
        chosen = f"SELECT id FROM {Response._meta.db_table} WHERE administration_id = %s"
        params: list = [administration.pk]
        if complete_only:
            chosen += " AND status = %s"
            params.append(ResponseStatus.COMPLETE)
        # IN (subquery) rather than a join: the answers are then read in response order through
        # their index, and the grouping needs no temporary B-tree.
        sql = (
            f"SELECT a.response_id, COUNT(*), {joined} FROM {Answer._meta.db_table} a "
            f"WHERE a.response_id IN ({chosen}) AND a.number IS NOT NULL"
        )
        sql += " GROUP BY a.response_id"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if fetched:
            row_of = {pk: index for index, pk in enumerate(response_ids)}
            rows_of_groups = np.array([row_of.get(group[0], -1) for group in fetched], dtype=int)
            counts = np.array([group[1] for group in fetched], dtype=int)
            flat = np.fromstring(",".join(group[2] for group in fetched), sep=",")  # noqa: NPY201
            pairs = flat.reshape(-1, 2)
            row_index = np.repeat(rows_of_groups, counts)
            item_ids = np.array([item.pk for item in items], dtype=float)
            order = np.argsort(item_ids)
            found = np.searchsorted(item_ids[order], pairs[:, 0])
            found = np.minimum(found, len(items) - 1)
            known = item_ids[order][found] == pairs[:, 0]
            keep = known & (row_index >= 0)
            values[row_index[keep], order[found[keep]]] = pairs[keep, 1]
    return Matrix(
        items=items,
        response_ids=response_ids,
        respondent_keys=[row[1] for row in rows],
        values=values,
        team_ids=[row[2] for row in rows],
        organization_ids=[row[3] for row in rows],
    )
