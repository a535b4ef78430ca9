"""The training catalog as JSON: trainings (public fields; drafts only for those who may see them),
a training's registrations (training managers and the training's facilitators), and a
registration added by staff through the same service as the public form (seat or waitlist, one
audit event). The online link is never in the public fields."""

from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from healthywork.core.apitools import READ_ERRORS, WRITE_ERRORS, PageQuery, api_user, invalid, paginate
from healthywork.training import registrations, trainings
from healthywork.training.models import Registration, Training

router = Router(tags=["training"])


class TrainingOut(Schema):
    id: UUID
    slug: str
    title: str
    description: str
    series: str
    topics: list[str]
    modality: str
    starts_at: datetime | None
    ends_at: datetime | None
    place: str
    capacity: int | None
    facilitator_names: str
    language: str
    registration_closes_at: datetime | None
    status: str

    @staticmethod
    def resolve_id(obj: Training) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_topics(obj: Training) -> list[str]:
        return obj.topic_list


class TrainingPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[TrainingOut]


class TrainingDetailOut(TrainingOut):
    registered: int
    waitlisted: int
    seats_left: int | None
    registration_open: bool


class TrainingQuery(PageQuery):
    q: str = ""
    series: str = ""
    modality: str = ""
    language: str = ""
    when: str = "all"
    status: str = ""


class RegistrationOut(Schema):
    id: UUID
    name: str
    email: str
    organization_name: str
    organization: UUID | None
    person: UUID | None
    language: str
    accommodation: str
    status: str
    waitlist_position: int | None = None
    registered_at: datetime
    promoted_at: datetime | None
    cancelled_at: datetime | None
    reminded_at: datetime | None

    @staticmethod
    def resolve_id(obj: Registration) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_organization(obj: Registration) -> UUID | None:
        return obj.organization.public_id if obj.organization_id else None

    @staticmethod
    def resolve_person(obj: Registration) -> UUID | None:
        return obj.person.public_id if obj.person_id else None


class RefusedOut(Schema):
    detail: str
    kind: str


class RegistrationIn(Schema):
    name: str
    email: str
    organization_name: str = ""
    language: str = "en"
    accommodation: str = ""
    send_email: bool = True


def _training(request: HttpRequest, public_id: UUID) -> Training:
    return get_object_or_404(trainings.visible_trainings(api_user(request)), public_id=public_id)


def _managed(request: HttpRequest, public_id: UUID) -> Training:
    training = _training(request, public_id)
    if not training.can_manage(api_user(request)):
        raise HttpError(
            403, _("Only training managers and the training's facilitators see its registrations.")
        )
    return training


@router.get("/training/trainings", response={200: TrainingPage, **READ_ERRORS})
def list_trainings(request: HttpRequest, query: Query[TrainingQuery]):
    """Trainings the caller may see, with the list page's filters (`when`: upcoming, past, all)."""
    filters = query.dict(exclude={"page", "page_size"})
    rows = trainings.filter_trainings(trainings.visible_trainings(api_user(request)), filters)
    return paginate(rows, query)


@router.get("/training/trainings/{public_id}", response={200: TrainingDetailOut, **READ_ERRORS})
def get_training(request: HttpRequest, public_id: UUID):
    training = _training(request, public_id)
    counts = registrations.counts(training)
    training.registered = counts["registered"]
    training.waitlisted = counts["waitlisted"]
    training.seats_left = counts["seats_left"]
    training.registration_open = not registrations.closed_reason(training)
    return training


@router.get(
    "/training/trainings/{public_id}/registrations", response={200: list[RegistrationOut], **WRITE_ERRORS}
)
def list_registrations(request: HttpRequest, public_id: UUID):
    training = _managed(request, public_id)
    rows = list(
        training.registrations.select_related("organization", "person").order_by("registered_at", "pk")
    )
    position = 0
    for row in rows:
        if row.status == "waitlisted":
            position += 1
            row.waitlist_position = position
    return rows


@router.post(
    "/training/trainings/{public_id}/registrations",
    response={201: RegistrationOut, 409: RefusedOut, **WRITE_ERRORS},
)
def add_registration(request: HttpRequest, public_id: UUID, payload: RegistrationIn):
    """Register someone (staff): a seat when one is free, else the waitlist. 409 when the e-mail
    already has a live registration or the training is cancelled."""
    training = _managed(request, public_id)
    errors = {}
    if not payload.name.strip():
        errors["name"] = _("Give the person's name.")
    elif len(payload.name) > 200:
        errors["name"] = _("The name is longer than 200 characters.")
    try:
        validate_email(payload.email.strip())
    except DjangoValidationError:
        errors["email"] = _("Give a valid e-mail address.")
    if payload.language not in ("en", "es"):
        errors["language"] = _("The language is en or es.")
    if len(payload.organization_name) > 250:
        errors["organization_name"] = _("The organization is longer than 250 characters.")
    if errors:
        raise invalid(errors)
    try:
        registration = registrations.register(
            training,
            payload.dict(),
            by=api_user(request),
            base_url=request.build_absolute_uri("/").rstrip("/"),
            check_open=False,
            send=payload.send_email,
        )
    except registrations.RegistrationRefused as refused:
        return Status(409, {"detail": refused.message, "kind": refused.kind})
    registration.waitlist_position = registrations.waitlist_position(registration)
    return Status(201, registration)
