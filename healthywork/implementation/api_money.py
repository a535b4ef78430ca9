"""Grants, disbursements and the technical-assistance log as JSON.

Reads go through `visible_to(user)` (a stranger's grant or team is a 404); writes need
`can_edit_money(user, team)` (403 otherwise). A disbursement beyond the grant's remaining balance
answers 409 with the figures unless the payload says `"confirm": true`.
"""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from healthywork.collaborative.models import Cohort, Team
from healthywork.core.apitools import READ_ERRORS, WRITE_ERRORS, PageQuery, api_user, invalid, paginate
from healthywork.implementation import assistance, grants
from healthywork.implementation.forms_money import EARLIEST, latest_date
from healthywork.implementation.models import (
    AssistanceKind,
    AssistanceLog,
    AssistanceMode,
    Grant,
    can_edit_money,
)
from healthywork.partners.models import Organization

router = Router(tags=["implementation"])

FORBIDDEN = gettext_lazy("Only administrators and the cohort's facilitators may record money and assistance.")


class DisbursementOut(Schema):
    id: int
    date: date
    amount: Decimal
    note: str
    over_award_confirmed: bool


class GrantOut(Schema):
    id: UUID
    team: UUID
    team_name: str
    funder: str
    funder_id: UUID | None
    amount: Decimal
    currency: str
    start_date: date
    end_date: date
    purpose: str
    conditions: str
    status: str

    @staticmethod
    def resolve_id(obj: Grant) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_team(obj: Grant) -> UUID:
        return obj.team.public_id

    @staticmethod
    def resolve_team_name(obj: Grant) -> str:
        return obj.team.name

    @staticmethod
    def resolve_funder(obj: Grant) -> str:
        return obj.funder_label

    @staticmethod
    def resolve_funder_id(obj: Grant) -> UUID | None:
        return obj.funder.public_id if obj.funder_id else None


class GrantDetailOut(GrantOut):
    disbursed: Decimal
    balance: Decimal
    disbursements: list[DisbursementOut]

    @staticmethod
    def resolve_disbursed(obj: Grant) -> Decimal:
        return obj.totals["disbursed"]

    @staticmethod
    def resolve_balance(obj: Grant) -> Decimal:
        return obj.totals["balance"]

    @staticmethod
    def resolve_disbursements(obj: Grant) -> list:
        return list(obj.disbursements.all())


class GrantPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[GrantOut]


class DisbursementIn(Schema):
    amount: Decimal
    date: date
    note: str = ""
    confirm: bool = False


class BeyondOut(Schema):
    detail: str
    award: Decimal
    disbursed: Decimal
    amount: Decimal
    excess: Decimal


class AssistanceOut(Schema):
    id: UUID
    team: UUID
    team_name: str
    provider: str
    provider_organization: str | None
    date: date
    hours: Decimal
    mode: str
    topic: str
    kind: str
    notes: str

    @staticmethod
    def resolve_id(obj: AssistanceLog) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_team(obj: AssistanceLog) -> UUID:
        return obj.team.public_id

    @staticmethod
    def resolve_team_name(obj: AssistanceLog) -> str:
        return obj.team.name

    @staticmethod
    def resolve_provider(obj: AssistanceLog) -> str:
        return obj.provider_name

    @staticmethod
    def resolve_provider_organization(obj: AssistanceLog) -> str | None:
        return obj.provider_organization.name if obj.provider_organization_id else None


class AssistancePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AssistanceOut]


class AssistanceIn(Schema):
    team: UUID
    provider: str
    provider_organization: UUID | None = None
    date: date
    hours: Decimal
    mode: str
    topic: str
    kind: str
    notes: str = ""


class AssistanceQuery(PageQuery):
    team: UUID | None = None
    cohort: UUID | None = None
    provider: str | None = None
    topic: str | None = None
    kind: str | None = None
    mode: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def _visible_team(request: HttpRequest, public_id: UUID | None) -> Team | None:
    if public_id is None:
        return None
    return get_object_or_404(Team.objects.visible_to(api_user(request)), public_id=public_id)


@router.get("/implementation/grants", response={200: GrantPage, **READ_ERRORS})
def list_grants(request: HttpRequest, query: Query[PageQuery], team: UUID | None = None):
    """The grants the caller may see, optionally of one team (by its id)."""
    rows = Grant.objects.visible_to(api_user(request)).select_related("team", "funder")
    if team is not None:
        rows = rows.filter(team=_visible_team(request, team))
    return paginate(rows.order_by("team__name", "-start_date", "pk"), query)


@router.get("/implementation/grants/{public_id}", response={200: GrantDetailOut, **READ_ERRORS})
def get_grant(request: HttpRequest, public_id: UUID):
    """A grant with its disbursements, the total disbursed and the remaining balance."""
    visible = Grant.objects.visible_to(api_user(request)).select_related("team", "funder")
    grant = get_object_or_404(visible, public_id=public_id)
    grant.totals = grants.grant_totals(grant)  # read by both the disbursed and the balance fields
    return grant


@router.post(
    "/implementation/grants/{public_id}/disbursements",
    response={201: DisbursementOut, 409: BeyondOut, **WRITE_ERRORS},
)
def add_disbursement(request: HttpRequest, public_id: UUID, payload: DisbursementIn):
    """Record a disbursement. Beyond the remaining balance the answer is 409 with the award, what
    was already disbursed, this amount and the excess, and nothing is saved; send it again with
    `"confirm": true` to record it anyway."""
    user = api_user(request)
    grant = get_object_or_404(Grant.objects.visible_to(user), public_id=public_id)
    if not can_edit_money(user, grant.team):
        raise HttpError(403, str(FORBIDDEN))
    errors = {}
    if not payload.amount.is_finite() or payload.amount <= 0:
        errors["amount"] = _("Give an amount above zero.")
    elif payload.amount != payload.amount.quantize(Decimal("0.01")) or payload.amount >= Decimal("1e10"):
        errors["amount"] = _("Give an amount with at most two decimals and ten digits before the point.")
    if not EARLIEST <= payload.date <= latest_date():
        errors["date"] = _("Give a date from 1990 to a year from today.")
    if len(payload.note) > 300:
        errors["note"] = _("The note is longer than 300 characters.")
    if errors:
        raise invalid(errors)
    try:
        row = grants.add_disbursement(
            grant, amount=payload.amount, on=payload.date, note=payload.note, confirm=payload.confirm, by=user
        )
    except grants.BeyondBalance as beyond:
        return Status(
            409,
            {
                "detail": str(beyond),
                "award": beyond.award,
                "disbursed": beyond.disbursed,
                "amount": beyond.amount,
                "excess": beyond.excess,
            },
        )
    return Status(201, row)


@router.get("/implementation/assistance", response={200: AssistancePage, **READ_ERRORS})
def list_assistance(request: HttpRequest, query: Query[AssistanceQuery]):
    """The technical-assistance log the caller may see, with the list page's filters."""
    user = api_user(request)
    params = query.dict(exclude={"page", "page_size"})
    params["team"] = _visible_team(request, query.team)
    rows = AssistanceLog.objects.visible_to(user)
    if query.cohort is not None:
        params["cohort"] = Cohort.objects.visible_to(user).filter(public_id=query.cohort).first()
        if params["cohort"] is None:
            rows = rows.none()
    for name in ("kind", "mode"):
        valid = (AssistanceKind if name == "kind" else AssistanceMode).values
        if params.get(name) and params[name] not in valid:
            raise invalid({name: _("Choose one of: %(valid)s.") % {"valid": ", ".join(valid)}})
    rows = assistance.filtered(rows, params)
    rows = rows.select_related("team", "provider_organization")
    return paginate(rows, query)


@router.post("/implementation/assistance", response={201: AssistanceOut, **WRITE_ERRORS})
def create_assistance(request: HttpRequest, payload: AssistanceIn):
    """Log technical assistance given to a team."""
    user = api_user(request)
    team = _visible_team(request, payload.team)
    if not can_edit_money(user, team):
        raise HttpError(403, str(FORBIDDEN))
    errors = {}
    provider = payload.provider.strip()
    if not provider or len(provider) > 200:
        errors["provider"] = _("Give the provider's name (at most 200 characters).")
    topic = payload.topic.strip()
    if not topic or len(topic) > 200:
        errors["topic"] = _("Give the topic (at most 200 characters).")
    if not payload.hours.is_finite() or not Decimal("0.25") <= payload.hours <= Decimal("9999.99"):
        errors["hours"] = _("Hours run from 0.25 to 9999.99.")
    elif payload.hours != payload.hours.quantize(Decimal("0.01")):
        errors["hours"] = _("Give hours with at most two decimals.")
    if not EARLIEST <= payload.date <= date.today():
        errors["date"] = _("Give a date from 1990 to today.")
    if payload.mode not in AssistanceMode.values:
        errors["mode"] = _("Choose one of: %(valid)s.") % {"valid": ", ".join(AssistanceMode.values)}
    if payload.kind not in AssistanceKind.values:
        errors["kind"] = _("Choose one of: %(valid)s.") % {"valid": ", ".join(AssistanceKind.values)}
    organization = None
    if payload.provider_organization is not None:
        organization = Organization.objects.filter(
            public_id=payload.provider_organization, merged_into__isnull=True
        ).first()
        if organization is None:
            errors["provider_organization"] = _("No organization in the registry has that id.")
    if errors:
        raise invalid(errors)
    entry = assistance.create_entry(
        {
            "team": team,
            "provider_name": provider,
            "provider_organization": organization,
            "date": payload.date,
            "hours": payload.hours,
            "mode": payload.mode,
            "topic": topic,
            "kind": payload.kind,
            "notes": payload.notes,
        },
        by=user,
    )
    return Status(201, entry)
