"""Indicators and their measurements as JSON.

GET /evaluation/indicators (optional `team`, a team's public id): the indicators of the teams the
caller may see, with target and latest value. GET /evaluation/indicators/{id}/measurements: an
indicator's measurements, oldest first. POST to the same address adds a typed measurement (date,
value, note); it needs `team.can_edit` of the indicator's team or `evaluation.manage` (403
otherwise) and writes one audit event. A stranger's indicator is a 404.
"""

import math
from datetime import date
from typing import Annotated
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from healthywork.core.apitools import READ_ERRORS, WRITE_ERRORS, PageQuery, api_user, invalid, paginate
from healthywork.evaluation import indicators
from healthywork.evaluation.models import Measurement
from healthywork.planning.models import Indicator

router = Router(tags=["evaluation"])


class MeasurementOut(Schema):
    id: UUID
    date: date
    value: float
    note: str
    source: str
    administration: UUID | None
    computed_from: str

    @staticmethod
    def resolve_id(obj: Measurement) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_administration(obj: Measurement) -> UUID | None:
        return obj.administration.public_id if obj.administration_id else None


class IndicatorOut(Schema):
    id: UUID
    team: UUID
    team_name: str
    outcome: str
    what: str
    population: str
    target: str
    target_number: float | None
    by_when: date | None
    latest: MeasurementOut | None = None


class IndicatorPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[IndicatorOut]


class IndicatorQuery(PageQuery):
    team: UUID | None = None


class MeasurementIn(Schema):
    date: date
    value: float
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""


def _out(indicator: Indicator, latest: Measurement | None) -> dict:
    team = indicators.team_of(indicator)
    return {
        "id": indicator.public_id,
        "team": team.public_id,
        "team_name": team.name,
        "outcome": indicator.outcome.title,
        "what": indicator.what,
        "population": indicator.population,
        "target": indicator.target,
        "target_number": indicators.parse_target(indicator.target),
        "by_when": indicator.by_when,
        "latest": latest,
    }


@router.get(
    "/evaluation/indicators", response={200: IndicatorPage, **READ_ERRORS}, url_name="evaluation-indicators"
)
def list_indicators(request: HttpRequest, query: Query[IndicatorQuery]):
    rows = indicators.visible_indicators(api_user(request)).order_by("outcome__theory__team__name", "pk")
    if query.team:
        rows = rows.filter(outcome__theory__team__public_id=query.team)
    page = paginate(rows, query)
    latest = indicators.latest_by_indicator(page["results"])
    page["results"] = [_out(indicator, latest.get(indicator.pk)) for indicator in page["results"]]
    return page


def _indicator(request: HttpRequest, public_id: UUID) -> Indicator:
    return get_object_or_404(indicators.visible_indicators(api_user(request)), public_id=public_id)


@router.get(
    "/evaluation/indicators/{public_id}/measurements", response={200: list[MeasurementOut], **READ_ERRORS}
)
def list_measurements(request: HttpRequest, public_id: UUID):
    indicator = _indicator(request, public_id)
    return list(indicator.measurements.select_related("administration").order_by("date", "pk"))


@router.post(
    "/evaluation/indicators/{public_id}/measurements", response={201: MeasurementOut, **WRITE_ERRORS}
)
def add_measurement(request: HttpRequest, public_id: UUID, payload: MeasurementIn):
    indicator = _indicator(request, public_id)
    if not indicators.can_write(api_user(request), indicator):
        raise HttpError(403, _("You may not add measurements to this indicator."))
    errors = {}
    if not math.isfinite(payload.value) or abs(payload.value) > indicators.MAX_ABS_VALUE:
        errors["value"] = _("The value is not a finite number.")
    if payload.date < indicators.EARLIEST or payload.date.year > date.today().year + 50:
        errors["date"] = _("%(value)s is not a plausible date.") % {"value": payload.date}
    if errors:
        raise invalid(errors)
    measurement = indicators.create_measurement(
        indicator, {"date": payload.date, "value": payload.value, "note": payload.note}, by=api_user(request)
    )
    return Status(201, measurement)
