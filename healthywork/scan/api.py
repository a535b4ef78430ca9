"""The scan as JSON: projects, interviews, documents with their text, the codebook, codings
(blind rounds respected), segments of a code, round agreement, and agreement of any matrix.

Reads go through `visible_to(user)` (a stranger's object is a 404); writes need the project's
permissions (`can_manage` for documents and codes, `can_code` for codings) and write one audit
event each.
"""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from healthywork.core import audit
from healthywork.core.apitools import READ_ERRORS, WRITE_ERRORS, FieldErrors, Message, PageQuery
from healthywork.core.apitools import api_user as _user
from healthywork.core.apitools import full_clean as _full_clean
from healthywork.core.apitools import invalid as _invalid
from healthywork.core.apitools import paginate as _paginate
from healthywork.partners.api import OrganizationRef
from healthywork.scan.models import (
    Code,
    Coding,
    Document,
    Interview,
    Language,
    Project,
    Round,
    RoundStatus,
)

router = Router(tags=["scan"])

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
LEVELS = ("nominal", "ordinal", "interval", "ratio")


# --- Output -----------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: UUID
    name: str
    description: str
    interviews: int
    documents: int
    codes: int
    codings: int
    url: str

    @staticmethod
    def resolve_id(obj: Project) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_interviews(obj: Project) -> int:
        return obj.interviews.count()

    @staticmethod
    def resolve_documents(obj: Project) -> int:
        return obj.documents.count()

    @staticmethod
    def resolve_codes(obj: Project) -> int:
        return obj.codes.count()

    @staticmethod
    def resolve_codings(obj: Project) -> int:
        return Coding.objects.filter(document__project=obj).count()

    @staticmethod
    def resolve_url(obj: Project) -> str:
        return obj.get_absolute_url()


class InterviewOut(Schema):
    id: UUID
    organization: OrganizationRef
    interviewer: str | None
    scheduled_at: datetime | None
    mode: str
    status: str
    consent_recorded: bool
    documents: list[UUID]

    @staticmethod
    def resolve_id(obj: Interview) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_interviewer(obj: Interview) -> str | None:
        return obj.interviewer.username if obj.interviewer_id else None

    @staticmethod
    def resolve_documents(obj: Interview) -> list[UUID]:
        return [document.public_id for document in obj.documents.all()]


class DocumentOut(Schema):
    id: UUID
    title: str
    language: str
    word_count: int
    interview: UUID | None
    organization: OrganizationRef | None
    is_deidentified: bool
    created_at: datetime

    @staticmethod
    def resolve_id(obj: Document) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_interview(obj: Document) -> UUID | None:
        return obj.interview.public_id if obj.interview_id else None

    @staticmethod
    def resolve_organization(obj: Document) -> Any:
        return obj.interview.organization if obj.interview_id else None


class DocumentDetailOut(DocumentOut):
    text: str


class CodeOut(Schema):
    id: UUID
    name: str
    path: str
    parent: UUID | None
    definition: str
    when_to_use: str
    when_not_to_use: str
    example: str
    colour: str

    @staticmethod
    def resolve_id(obj: Code) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_parent(obj: Code) -> UUID | None:
        return obj.parent.public_id if obj.parent_id else None


class CodingOut(Schema):
    id: UUID
    document: UUID
    code: UUID
    code_name: str
    coder: str
    start_offset: int
    end_offset: int
    snippet: str
    is_consensus: bool
    round: UUID | None
    created_at: datetime

    @staticmethod
    def resolve_id(obj: Coding) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_document(obj: Coding) -> UUID:
        return obj.document.public_id

    @staticmethod
    def resolve_code(obj: Coding) -> UUID:
        return obj.code.public_id

    @staticmethod
    def resolve_code_name(obj: Coding) -> str:
        return obj.code.name

    @staticmethod
    def resolve_coder(obj: Coding) -> str:
        return obj.coder.username

    @staticmethod
    def resolve_round(obj: Coding) -> UUID | None:
        return obj.round.public_id if obj.round_id else None


class SegmentOut(CodingOut):
    organization: OrganizationRef | None
    sector: str | None

    @staticmethod
    def resolve_organization(obj: Coding) -> Any:
        return obj.document.interview.organization if obj.document.interview_id else None

    @staticmethod
    def resolve_sector(obj: Coding) -> str | None:
        return obj.document.interview.organization.sector.slug if obj.document.interview_id else None


class RoundOut(Schema):
    id: UUID
    name: str
    unit: str
    status: str
    coders: list[str]
    documents: list[UUID]
    opened_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_id(obj: Round) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_coders(obj: Round) -> list[str]:
        return [user.username for user in obj.coders.all()]

    @staticmethod
    def resolve_documents(obj: Round) -> list[UUID]:
        return [document.public_id for document in obj.documents.all()]


class PageOut(Schema):
    count: int
    page: int
    page_size: int


class DocumentPage(PageOut):
    results: list[DocumentOut]


class InterviewPage(PageOut):
    results: list[InterviewOut]


class CodingPage(PageOut):
    results: list[CodingOut]


class SegmentPage(PageOut):
    results: list[SegmentOut]


class AgreementOut(Schema):
    """As `healthywork analyze agreement --format json` prints it."""

    alpha: float | None
    kappa: float | None
    percent_agreement: float | None
    n_units: int
    n_coders: int
    level: str


# --- Input ------------------------------------------------------------------------------------


class DocumentIn(Schema):
    title: Text
    text: str
    language: str = Language.ENGLISH
    interview: UUID | None = None


class CodeIn(Schema):
    name: Text
    parent: UUID | None = None
    definition: str = ""
    when_to_use: str = ""
    when_not_to_use: str = ""
    example: str = ""
    colour: str = "#1f77b4"


class CodingIn(Schema):
    code: UUID
    start_offset: int
    end_offset: int


class CodeAgreementOut(Schema):
    code: UUID
    code_name: str
    n_units: int
    coded_units: dict[str, int]
    percent_agreement: float | None
    kappa: float | None
    alpha: float | None


class RoundAgreementOut(Schema):
    """The comparison page's numbers: per code, and pooled over every (unit, code) pair."""

    round: UUID
    unit: str
    coders: list[str]
    n_documents: int
    n_units: int
    codes: list[CodeAgreementOut]
    overall: dict[str, float | int | None]


class AgreementIn(Schema):
    """Rows are coders, columns are units; null is a missing value."""

    data: list[list[float | int | str | None]]
    level: str = "nominal"


class CodingQuery(PageQuery):
    code: UUID | None = None
    coder: str = ""


# --- Helpers ----------------------------------------------------------------------------------


def _project(request: HttpRequest, public_id: UUID) -> Project:
    return get_object_or_404(Project.objects.visible_to(_user(request)), public_id=public_id)


def _require_manage(request: HttpRequest, project: Project) -> None:
    if not project.can_manage(_user(request)):
        raise HttpError(403, _("Only the project's lead researchers and administrators may do this."))


def _require_code(request: HttpRequest, project: Project) -> None:
    if not project.can_code(_user(request)):
        raise HttpError(403, _("Only the project's coders may code its documents."))


def _codings(request: HttpRequest):
    return Coding.objects.visible_to(_user(request)).select_related("document", "code", "coder", "round")


# --- Projects, interviews, documents ----------------------------------------------------------


@router.get("/scan/projects", response=list[ProjectOut], url_name="scan-projects")
def list_projects(request: HttpRequest):
    return list(Project.objects.visible_to(_user(request)))


@router.get("/scan/projects/{public_id}", response={200: ProjectOut, **READ_ERRORS})
def get_project(request: HttpRequest, public_id: UUID):
    return _project(request, public_id)


@router.get("/scan/projects/{public_id}/interviews", response={200: InterviewPage, **READ_ERRORS})
def list_interviews(request: HttpRequest, public_id: UUID, query: Query[PageQuery]):
    project = _project(request, public_id)
    interviews = project.interviews.select_related("organization", "interviewer").prefetch_related(
        "documents"
    )
    return _paginate(interviews.order_by("scheduled_at", "id"), query)


@router.get("/scan/projects/{public_id}/documents", response={200: DocumentPage, **READ_ERRORS})
def list_documents(request: HttpRequest, public_id: UUID, query: Query[PageQuery]):
    project = _project(request, public_id)
    documents = project.documents.select_related("interview__organization").defer("text", "original_text")
    return _paginate(documents.order_by("title", "id"), query)


@router.post("/scan/projects/{public_id}/documents", response={201: DocumentDetailOut, **WRITE_ERRORS})
def create_document(request: HttpRequest, public_id: UUID, payload: DocumentIn):
    """A document from pasted text (uploads of files go through the documents page)."""
    project = _project(request, public_id)
    _require_manage(request, project)
    errors: dict[str, str] = {}
    interview = None
    if payload.interview is not None:
        interview = project.interviews.filter(public_id=payload.interview).first()
        if interview is None:
            errors["interview"] = _("No interview of this project has that id.")
    if not payload.text.strip():
        errors["text"] = _("The document has no text.")
    document = Document(
        project=project,
        title=payload.title,
        text=payload.text.replace("\r\n", "\n"),
        language=payload.language,
        interview=interview,
        created_by=_user(request),
    )
    _full_clean(document, errors, exclude=["original_file"])
    with transaction.atomic():
        document.save()
        audit.record(_user(request), "create", document, audit.diff({}, audit.snapshot(document)))
    return Status(201, document)


@router.get("/scan/documents/{public_id}", response={200: DocumentDetailOut, **READ_ERRORS})
def get_document(request: HttpRequest, public_id: UUID):
    documents = Document.objects.visible_to(_user(request)).select_related("interview__organization")
    return get_object_or_404(documents, public_id=public_id)


# --- Codebook ---------------------------------------------------------------------------------


@router.get("/scan/projects/{public_id}/codes", response={200: list[CodeOut], **READ_ERRORS})
def list_codes(request: HttpRequest, public_id: UUID):
    project = _project(request, public_id)
    codes = list(project.codes.all())
    by_pk = {code.pk: code for code in codes}
    for code in codes:  # the tree in memory: no query per ancestor
        code.parent = by_pk.get(code.parent_id)
    return codes


@router.post("/scan/projects/{public_id}/codes", response={201: CodeOut, **WRITE_ERRORS})
def create_code(request: HttpRequest, public_id: UUID, payload: CodeIn):
    project = _project(request, public_id)
    _require_manage(request, project)
    errors: dict[str, str] = {}
    parent = None
    if payload.parent is not None:
        parent = project.codes.filter(public_id=payload.parent).first()
        if parent is None:
            errors["parent"] = _("No code of this project has that id.")
    siblings = project.codes.filter(parent=parent, name__iexact=payload.name)
    if siblings.exists():
        errors["name"] = _("A code with this name is already at that place in the tree.")
    code = Code(project=project, parent=parent, **payload.dict(exclude={"parent"}))
    _full_clean(code, errors, exclude=["position"])
    with transaction.atomic():
        code.save()
        audit.record(_user(request), "create", code, audit.diff({}, audit.snapshot(code)))
    return Status(201, code)


# --- Codings ----------------------------------------------------------------------------------


@router.get("/scan/documents/{public_id}/codings", response={200: CodingPage, **READ_ERRORS})
def list_codings(request: HttpRequest, public_id: UUID, query: Query[CodingQuery]):
    """The codings the caller may see (in an open blind round, a coder sees only their own)."""
    document = get_object_or_404(Document.objects.visible_to(_user(request)), public_id=public_id)
    codings = _codings(request).filter(document=document)
    if query.code:
        codings = codings.filter(code__public_id=query.code)
    if query.coder:
        codings = codings.filter(coder__username=query.coder)
    return _paginate(codings.order_by("start_offset", "end_offset", "id"), query)


@router.post("/scan/documents/{public_id}/codings", response={201: CodingOut, **WRITE_ERRORS})
def create_coding(request: HttpRequest, public_id: UUID, payload: CodingIn):
    """Code characters [start_offset, end_offset) of the document; the caller is the coder."""
    document = get_object_or_404(Document.objects.visible_to(_user(request)), public_id=public_id)
    _require_code(request, document.project)
    user = _user(request)
    errors: dict[str, str] = {}
    code = document.project.codes.filter(public_id=payload.code).first()
    if code is None:
        errors["code"] = _("No code of this document's project has that id.")
    if payload.start_offset < 0:
        errors["start_offset"] = _("The start cannot be negative.")
    if payload.end_offset > len(document.text):
        errors["end_offset"] = _("The coding ends after the end of the document (%(length)s characters).") % {
            "length": len(document.text)
        }
    elif payload.end_offset <= payload.start_offset:
        errors["end_offset"] = _("The coding must end after it starts.")
    if errors:
        raise _invalid(errors)
    open_round = document.rounds.filter(status=RoundStatus.OPEN, coders=user).first()
    coding = Coding(
        document=document,
        code=code,
        coder=user,
        round=open_round,
        start_offset=payload.start_offset,
        end_offset=payload.end_offset,
    )
    coding.refresh_snippet()
    with transaction.atomic():
        coding.save()
        audit.record(user, "create", coding, audit.diff({}, audit.snapshot(coding)))
    return Status(201, coding)


@router.delete("/scan/codings/{public_id}", response={204: None, **WRITE_ERRORS})
def delete_coding(request: HttpRequest, public_id: UUID):
    """The coder removes their own coding; a project's lead or an administrator any coding."""
    user = _user(request)
    coding = get_object_or_404(_codings(request), public_id=public_id)
    project = coding.document.project
    if not (coding.coder_id == user.pk and project.can_code(user)) and not project.can_manage(user):
        raise HttpError(403, _("Only the coder or the project's lead may remove this coding."))
    with transaction.atomic():
        audit.record(user, "delete", coding, audit.diff(audit.snapshot(coding), {}))
        coding.delete()
    return Status(204, None)


@router.get("/scan/codes/{public_id}/segments", response={200: SegmentPage, **READ_ERRORS})
def list_segments(request: HttpRequest, public_id: UUID, query: Query[PageQuery]):
    """Every visible segment coded with this code, across the project's documents."""
    code = get_object_or_404(Code.objects.visible_to(_user(request)), public_id=public_id)
    segments = _codings(request).filter(code=code).select_related("document__interview__organization__sector")
    return _paginate(segments.order_by("document__title", "start_offset", "id"), query)


# --- Rounds and agreement ---------------------------------------------------------------------


@router.get("/scan/projects/{public_id}/rounds", response={200: list[RoundOut], **READ_ERRORS})
def list_rounds(request: HttpRequest, public_id: UUID):
    project = _project(request, public_id)
    return list(project.rounds.prefetch_related("coders", "documents"))


@router.get("/scan/rounds/{public_id}/agreement", response={200: RoundAgreementOut, **WRITE_ERRORS})
def round_agreement(request: HttpRequest, public_id: UUID, unit: str = ""):
    """Agreement of a closed round, for its coders and the project's leads (as the page shows it)."""
    from healthywork.scan import rounds
    from healthywork.scan.models import RoundUnit

    user = _user(request)
    blind_round = get_object_or_404(Round.objects.visible_to(user), public_id=public_id)
    if not (blind_round.project.can_manage(user) or blind_round.coders.filter(pk=user.pk).exists()):
        raise HttpError(403, _("Only the round's coders and the project's leads see its agreement."))
    if blind_round.is_open:
        raise HttpError(403, _("The round is still open: agreement is shown once it closes."))
    if unit and unit not in RoundUnit.values:
        raise _invalid({"unit": _("Choose one of: %(units)s.") % {"units": ", ".join(RoundUnit.values)}})
    comparison = rounds.compare_round(blind_round, unit=unit or None, user=user)
    names = [coder.username for coder in comparison.coders]
    overall = comparison.overall
    return {
        "round": blind_round.public_id,
        "unit": comparison.unit,
        "coders": names,
        "n_documents": comparison.n_documents,
        "n_units": comparison.n_units,
        "codes": [
            {
                "code": row.code.public_id,
                "code_name": row.code.name,
                "n_units": row.n_units,
                "coded_units": dict(zip(names, row.coded_units, strict=True)),
                "percent_agreement": row.percent,
                "kappa": row.kappa,
                "alpha": row.alpha,
            }
            for row in comparison.codes
        ],
        "overall": {
            "n_units": overall.n_units if overall else 0,
            "percent_agreement": overall.percent if overall else None,
            "kappa": overall.kappa if overall else None,
            "alpha": overall.alpha if overall else None,
            "mean_alpha": overall.mean_alpha if overall else None,
        },
    }


@router.post("/scan/agreement", response={200: AgreementOut, 422: FieldErrors, 401: Message})
def compute_agreement(request: HttpRequest, payload: AgreementIn):
    """Krippendorff's alpha (and Cohen's kappa for two coders) of any coders × units matrix."""
    if payload.level not in LEVELS:
        raise _invalid({"level": _("Choose one of: %(levels)s.") % {"levels": ", ".join(LEVELS)}})
    if len(payload.data) < 2:
        raise _invalid({"data": _("Give at least two coders (rows).")})
    widths = {len(row) for row in payload.data}
    if len(widths) != 1:
        raise _invalid({"data": _("Every coder (row) must have the same number of units (columns).")})
    if payload.level != "nominal":
        for row_number, row in enumerate(payload.data, start=1):
            for column, value in enumerate(row, start=1):
                if isinstance(value, str):
                    raise _invalid(
                        {
                            "data": _("Row %(row)s, column %(column)s: “%(value)s” is not a number.")
                            % {"row": row_number, "column": column, "value": value}
                        }
                    )
    from healthywork.scan import analysis

    try:
        result = analysis.agreement(payload.data, level=payload.level)
    except ValueError as error:
        raise _invalid({"data": str(error)}) from error
    return analysis.to_json(result)
