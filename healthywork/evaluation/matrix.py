"""Answers as a respondents × items matrix of numbers: the one way every result, score, pre/post
comparison and export reads numeric answers (fast: one raw query, numpy arrays).

`load_matrix(administration)` returns a `Matrix` with one row per complete response (in response
order) and one column per numeric item (in item order); an unanswered item is NaN. Raw answer
values are kept: reverse scoring is the scorer's job (`scoring.score_matrix`).
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
    items = numeric_items(administration.instrument_id)
    responses = Response.objects.filter(administration=administration)
    if complete_only:
        responses = responses.filter(status=ResponseStatus.COMPLETE)
    rows = list(responses.order_by("pk").values_list("pk", "respondent_key", "team_id", "organization_id"))
    response_ids = [row[0] for row in rows]
    values = np.full((len(rows), len(items)), np.nan)
    if rows and items:
        row_of = {pk: index for index, pk in enumerate(response_ids)}
        column_of = {item.pk: index for index, item in enumerate(items)}
        answer = Answer._meta.db_table
        response = Response._meta.db_table
        sql = (
            f"SELECT a.response_id, a.item_id, a.number FROM {answer} a "
            f"JOIN {response} r ON r.id = a.response_id "
            "WHERE r.administration_id = %s AND a.number IS NOT NULL"
        )
        params: list = [administration.pk]
        if complete_only:
            sql += " AND r.status = %s"
            params.append(ResponseStatus.COMPLETE)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if fetched:
            triples = np.array(
                [(row_of.get(r, -1), column_of.get(i, -1), n) for r, i, n in fetched],
                dtype=float,
            )
            keep = (triples[:, 0] >= 0) & (triples[:, 1] >= 0)
            triples = triples[keep]
            values[triples[:, 0].astype(int), triples[:, 1].astype(int)] = triples[:, 2]
    return Matrix(
        items=items,
        response_ids=response_ids,
        respondent_keys=[row[1] for row in rows],
        values=values,
        team_ids=[row[2] for row in rows],
        organization_ids=[row[3] for row in rows],
    )
