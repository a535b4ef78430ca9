"""The network as JSON: waves, ties (stored and derived), a wave's metrics, and partner surveys
with their response rates.

Waves, ties and metrics are shared reading for signed-in people; storing or removing a tie needs
"network.edit" and goes through `network.ties` (one audit event each); surveys need
"network.manage" (individual answers never leave the survey pages' downloads).
"""

import math
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from healthywork.core.apitools import READ_ERRORS, WRITE_ERRORS, PageQuery
from healthywork.core.apitools import api_user as _user
from healthywork.core.apitools import invalid as _invalid
from healthywork.core.apitools import require_ability as _require
from healthywork.network import ties as tie_services
from healthywork.network.graph import NetworkFilter, build_network
from healthywork.network.models import PartnerSurvey, Provenance, Tie, TieKind, Wave
from healthywork.partners.models import Organization

router = Router(tags=["network"])

GROUPINGS = ("sector", "sector_family")


class WaveOut(Schema):
    id: UUID
    name: str
    start_date: date
    end_date: date
    description: str
    url: str

    @staticmethod
    def resolve_id(obj: Wave) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_url(obj: Wave) -> str:
        return obj.get_absolute_url()


class EdgeOut(Schema):
    """A tie: stored (with its id) or derived from an initiative, a survey answer or a team."""

    id: UUID | None
    source: UUID
    source_name: str
    target: UUID
    target_name: str
    kind: str
    level: int | None
    directed: bool
    provenance: str
    status: str
    is_derived: bool
    evidence: str


class EdgePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EdgeOut]


class TieIn(Schema):
    source: UUID
    target: UUID
    kind: str = TieKind.INFORMATION
    level: int | None = None
    directed: bool = False
    provenance: str = Provenance.MANUAL
    note: str = ""


class TieQuery(PageQuery):
    kind: list[str] = []
    provenance: list[str] = []
    derived: bool = True


class MetricsQuery(Schema):
    group_by: str = "sector"
    kind: list[str] = []
    sector: list[str] = []
    family: list[str] = []
    level: list[str] = []


class SurveyOut(Schema):
    id: UUID
    wave: str
    title: str
    status: str
    closes_at: datetime | None
    roster: int
    submitted: int
    response_rate: int
    completion: int


def _wave(request: HttpRequest, public_id: UUID) -> Wave:
    return get_object_or_404(Wave.objects.visible_to(_user(request)), public_id=public_id)


def _finite(value: Any) -> Any:
    """JSON has no NaN or infinity: undefined measures are null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(key): _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


@router.get("/network/waves", response=list[WaveOut])
def list_waves(request: HttpRequest):
    return list(Wave.objects.visible_to(_user(request)))


@router.get("/network/waves/{public_id}", response={200: WaveOut, **READ_ERRORS})
def get_wave(request: HttpRequest, public_id: UUID):
    return _wave(request, public_id)


@router.get("/network/waves/{public_id}/ties", response={200: EdgePage, **READ_ERRORS})
def list_ties(request: HttpRequest, public_id: UUID, query: Query[TieQuery]):
    """Every active tie of the wave, derived ones included unless `derived=false`."""
    wave = _wave(request, public_id)
    network = build_network(
        NetworkFilter(
            wave=wave, kinds=query.kind, provenances=query.provenance, include_derived=query.derived
        )
    )
    stored_ids = {edge.tie_id for edge in network.edges if edge.tie_id}
    public_ids = dict(Tie.objects.filter(pk__in=stored_ids).values_list("pk", "public_id"))
    page_size = min(max(query.page_size, 1), 200)
    page = max(query.page, 1)
    chosen = network.edges[(page - 1) * page_size : page * page_size]
    nodes = network.nodes
    results = [
        {
            "id": public_ids.get(edge.tie_id),
            "source": nodes[edge.source].public_id,
            "source_name": nodes[edge.source].name,
            "target": nodes[edge.target].public_id,
            "target_name": nodes[edge.target].name,
            "kind": edge.kind,
            "level": edge.level,
            "directed": edge.is_directed,
            "provenance": edge.provenance,
            "status": edge.status,
            "is_derived": edge.tie_id is None,
            "evidence": edge.evidence,
        }
        for edge in chosen
    ]
    return {"count": len(network.edges), "page": page, "page_size": page_size, "results": results}


@router.post("/network/waves/{public_id}/ties", response={201: EdgeOut, **WRITE_ERRORS})
def create_tie(request: HttpRequest, public_id: UUID, payload: TieIn):
    """Store a tie entered by hand (or noted in an interview); derived kinds of provenance are
    refused, since those ties come from their records."""
    wave = _wave(request, public_id)
    _require(request, "network.edit")
    user = _user(request)
    errors: dict[str, str] = {}
    organizations = Organization.objects.visible_to(user)
    source = organizations.filter(public_id=payload.source).first()
    target = organizations.filter(public_id=payload.target).first()
    if source is None:
        errors["source"] = _("No organization has that id.")
    if target is None:
        errors["target"] = _("No organization has that id.")
    if payload.kind not in TieKind.values:
        errors["kind"] = _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(TieKind.values)}
    if payload.provenance not in tie_services.ENTERABLE_PROVENANCES:
        errors["provenance"] = _("Choose one of: %(values)s.") % {
            "values": ", ".join(tie_services.ENTERABLE_PROVENANCES)
        }
    if payload.level is not None and not 0 <= payload.level <= 5:
        errors["level"] = _("The level of collaboration runs from 0 to 5.")
    if errors:
        raise _invalid(errors)
    data = {
        "source": source,
        "target": target,
        "kind": payload.kind,
        "level": payload.level,
        "is_directed": payload.directed,
        "provenance": payload.provenance,
        "note": payload.note,
    }
    try:
        tie = tie_services.create_tie(wave, data, by=user)
    except DjangoValidationError as error:
        raise _invalid(
            {field: " ".join(messages) for field, messages in error.message_dict.items()}
        ) from error
    return Status(
        201,
        {
            "id": tie.public_id,
            "source": source.public_id,
            "source_name": source.name,
            "target": target.public_id,
            "target_name": target.name,
            "kind": tie.kind,
            "level": tie.level,
            "directed": tie.is_directed,
            "provenance": tie.provenance,
            "status": tie.status,
            "is_derived": False,
            "evidence": tie.note,
        },
    )


@router.delete("/network/ties/{public_id}", response={204: None, **WRITE_ERRORS})
def delete_tie(request: HttpRequest, public_id: UUID):
    tie = get_object_or_404(Tie.objects.visible_to(_user(request)), public_id=public_id)
    _require(request, "network.edit")
    tie_services.delete_tie(tie, by=_user(request))
    return Status(204, None)


@router.get("/network/waves/{public_id}/metrics", response={200: dict[str, Any], **READ_ERRORS})
def wave_metrics(request: HttpRequest, public_id: UUID, query: Query[MetricsQuery]):
    """Every measure of the wave's network (as `healthywork analyze network --format json`), for
    the organizations and tie kinds the filters select; trust and value from submitted answers."""
    from healthywork.network.metrics import wave_metrics as compute

    wave = _wave(request, public_id)
    if query.group_by not in GROUPINGS:
        raise _invalid({"group_by": _("Choose one of: %(values)s.") % {"values": ", ".join(GROUPINGS)}})
    unknown = [kind for kind in query.kind if kind not in TieKind.values]
    if unknown:
        raise _invalid({"kind": _("Choose among: %(kinds)s.") % {"kinds": ", ".join(TieKind.values)}})
    network_filter = NetworkFilter(
        wave=wave, kinds=query.kind, sectors=query.sector, families=query.family, levels=query.level
    )
    _network, metrics = compute(network_filter, group_by=query.group_by)
    return {"wave": wave.name, **_finite(metrics.to_json())}


@router.get("/network/surveys", response={200: list[SurveyOut], **WRITE_ERRORS})
def list_surveys(request: HttpRequest):
    """Partner surveys with their response rates (the people who run the network only)."""
    from healthywork.network.surveys import response_rate, roster_status

    _require(request, "network.manage")
    surveys = []
    for survey in PartnerSurvey.objects.visible_to(_user(request)).select_related("wave"):
        rate = response_rate(roster_status(survey))
        surveys.append(
            {
                "id": survey.public_id,
                "wave": survey.wave.name,
                "title": survey.title,
                "status": survey.status,
                "closes_at": survey.closes_at,
                "roster": rate["roster"],
                "submitted": rate["submitted"],
                "response_rate": rate["rate"],
                "completion": rate["completion"],
            }
        )
    return surveys
