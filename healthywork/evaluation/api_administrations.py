"""Administrations and answering as JSON.

Reads go through `Administration.objects.visible_to(user)` (a stranger's administration is a
404); anonymous responses come out with no identity. `POST /evaluation/respond/{token}` needs no
account (like the answering pages) and keeps the same rules: answers checked item by item (422
naming `answers.<code>`), a repeated `submission_key` saved once (`duplicate: true`), a closed
administration 410, a personal link already answered 409. The token is a public link's, a personal
invitation's, or a saved response's resume token.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from healthywork.core.apitools import READ_ERRORS, Message, PageQuery, api_user, invalid, paginate
from healthywork.evaluation import administrations, answering, forms_respond
from healthywork.evaluation.models import Administration, Invitation, Response, ResponseStatus
from healthywork.evaluation.views_respond import over_limit

router = Router(tags=["evaluation"])


class AdministrationOut(Schema):
    id: UUID
    title: str
    instrument: str
    instrument_id: UUID
    context_kind: str
    context_label: str
    time_point: str
    pre_id: UUID | None
    opens_at: datetime
    closes_at: datetime | None
    is_open: bool
    public_link_open: bool
    ask_match_code: bool
    languages: list[str]

    @staticmethod
    def resolve_id(obj: Administration) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_instrument(obj: Administration) -> str:
        return obj.instrument.name

    @staticmethod
    def resolve_instrument_id(obj: Administration) -> UUID:
        return obj.instrument.public_id

    @staticmethod
    def resolve_pre_id(obj: Administration) -> UUID | None:
        return obj.pre.public_id if obj.pre_id else None

    @staticmethod
    def resolve_is_open(obj: Administration) -> bool:
        return obj.is_open()

    @staticmethod
    def resolve_languages(obj: Administration) -> list[str]:
        return (obj.languages or "").split()


class CountsOut(Schema):
    invited: int
    complete: int
    in_progress: int
    not_opened: int
    rate: float | None
    public_started: int
    public_complete: int
    total_complete: int


class AdministrationDetailOut(AdministrationOut):
    counts: CountsOut

    @staticmethod
    def resolve_counts(obj: Administration) -> dict:
        return administrations.counts(obj)


class AdministrationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AdministrationOut]


class ResponseOut(Schema):
    id: UUID
    status: str
    language: str
    started_at: datetime
    submitted_at: datetime | None
    respondent_key: str
    person: str | None
    team: str | None
    anonymous: bool
    answers: dict[str, Any]


class ResponsePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ResponseOut]


def _response_out(response: Response, identify: bool) -> dict:
    anonymous = (
        response.invitation_id is None and response.person_id is None and response.entered_by_id is None
    )
    answers = {}
    for answer in response.answers.all():
        answers[answer.item.code] = answer.number if answer.number is not None else answer.text
    return {
        "id": response.public_id,
        "status": response.status,
        "language": response.language,
        "started_at": response.started_at,
        "submitted_at": response.submitted_at,
        # An anonymous respondent's own matching code is kept; nothing else about them exists.
        # Who gave which answers only for the administration's managers and evaluators.
        "respondent_key": response.respondent_key if identify else "",
        "person": None if anonymous or not identify or not response.person_id else response.person.name,
        "team": response.team.name if response.team_id else None,
        "anonymous": anonymous,
        "answers": answers,
    }


@router.get("/evaluation/administrations", response={200: AdministrationPage, **READ_ERRORS})
def list_administrations(request: HttpRequest, query: Query[PageQuery]):
    rows = Administration.objects.visible_to(api_user(request)).select_related("instrument", "pre")
    return paginate(rows, query)


@router.get("/evaluation/administrations/{public_id}", response={200: AdministrationDetailOut, **READ_ERRORS})
def get_administration(request: HttpRequest, public_id: UUID):
    return get_object_or_404(
        Administration.objects.visible_to(api_user(request)).select_related("instrument", "pre"),
        public_id=public_id,
    )


@router.get("/evaluation/administrations/{public_id}/responses", response={200: ResponsePage, **READ_ERRORS})
def list_responses(request: HttpRequest, public_id: UUID, query: Query[PageQuery], status: str = ""):
    administration = get_object_or_404(
        Administration.objects.visible_to(api_user(request)), public_id=public_id
    )
    rows = administration.responses.select_related("person", "team").prefetch_related("answers__item")
    if status in ResponseStatus.values:
        rows = rows.filter(status=status)
    page = paginate(rows.order_by("pk"), query)
    identify = administration.may_identify(api_user(request))
    page["results"] = [_response_out(response, identify) for response in page["results"]]
    return page


class RespondIn(Schema):
    answers: dict[str, str | int | float | list[str | int | float] | None] = {}
    submission_key: str | None = None
    submit: bool = True
    language: str = "en"
    match_code: str = ""


class RespondOut(Schema):
    status: str
    duplicate: bool
    resume_token: str | None


def _target(token: str) -> tuple[Administration, Invitation | None, Response | None]:
    administration = (
        Administration.objects.select_related("instrument")
        .filter(public_token=token, public_link_open=True)
        .first()
    )
    if administration is not None:
        return administration, None, None
    invitation = Invitation.objects.select_related("administration__instrument").filter(token=token).first()
    if invitation is not None:
        return invitation.administration, invitation, Response.objects.filter(invitation=invitation).first()
    response = (
        Response.objects.select_related("administration__instrument", "invitation")
        .filter(resume_token=token)
        .first()
    )
    if response is not None:
        return response.administration, response.invitation, response
    raise HttpError(404, _("No survey has this link."))


def _raw(value: Any) -> str | list[str]:
    if value is None:
        return ""
    if isinstance(value, list):
        return [str(part) for part in value]
    return str(value)


@router.post(
    "/evaluation/respond/{token}",
    auth=None,
    response={200: RespondOut, 404: Message, 409: Message, 410: Message, 422: Any, 429: Message},
)
def respond(request: HttpRequest, token: str, payload: RespondIn):
    if over_limit(request, "submit"):  # the answering pages' own limit and count
        raise HttpError(429, _("Too many submissions from this address; please try again later."))
    administration, invitation, response = _target(token)
    language = payload.language if payload.language in (administration.languages or "en").split() else "en"
    anonymous = invitation is None
    with translation.override(language):
        data = {code: _raw(value) for code, value in payload.answers.items()}
        codes = set(administration.instrument.items.values_list("code", flat=True))
        errors = {f"answers.{code}": _("No item has this code.") for code in data if code not in codes}
        values, item_errors = answering.validate_answers(
            administration.instrument, data, language, partial=not payload.submit
        )
        errors.update({f"answers.{code}": message for code, message in item_errors.items()})
        code = ""
        if anonymous and administration.ask_match_code:
            code, code_error = forms_respond.clean_match_code(payload.match_code, required=payload.submit)
            if code_error:
                errors["match_code"] = code_error
        if errors:
            raise invalid(errors)
        try:
            saved = answering.save_response(
                administration,
                values,
                response=response,
                submit=payload.submit,
                submission_key=(payload.submission_key or "")[:64] or None if payload.submit else None,
                invitation=invitation,
                respondent_key=f"code:{code}" if code else "",
                language=language,
            )
        except answering.AnsweringRefused as refused:
            raise HttpError(refused.status, refused.message) from None
    return {
        "status": saved.status,
        "duplicate": saved.was_duplicate,
        "resume_token": saved.resume_token if saved.status == ResponseStatus.IN_PROGRESS else None,
    }
