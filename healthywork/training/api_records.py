"""The training records API: a training's attendance sheet (read and write) and a certificate's
PDF, for those who manage the training (others: 403; unknown ids: 404)."""

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from healthywork.core.apitools import READ_ERRORS, WRITE_ERRORS, api_user, invalid
from healthywork.training import certificates, records, trainings
from healthywork.training.models import Certificate, Registration, Training

router = Router(tags=["training"])


class CellOut(Schema):
    day: str  # an ISO date, or "material" for a self-paced training
    present: bool
    minutes: int | None


class RowOut(Schema):
    registration: UUID
    name: str
    email: str
    completed_at: str | None
    certificate: str | None
    cells: list[CellOut]


class SheetOut(Schema):
    training: UUID
    days: list[str]
    rows: list[RowOut]


class CellIn(Schema):
    registration: UUID
    day: str
    present: bool
    minutes: int | None = None


class SheetIn(Schema):
    marks: list[CellIn]


class SavedOut(Schema):
    changed: int


def _managed_training(request: HttpRequest, public_id: UUID) -> Training:
    training = get_object_or_404(trainings.visible_trainings(api_user(request)), public_id=public_id)
    if not training.can_manage(api_user(request)):
        raise HttpError(403, _("Only those who manage this training may do this."))
    return training


def _sheet(training: Training) -> dict:
    rows = []
    for row in records.sheet(training):
        registration = row.registration
        certificate = getattr(registration, "certificate", None) if registration.completed_at else None
        rows.append(
            {
                "registration": registration.public_id,
                "name": registration.name,
                "email": registration.email,
                "completed_at": registration.completed_at.isoformat() if registration.completed_at else None,
                "certificate": certificate.number if certificate else None,
                "cells": [
                    {"day": key, "present": present, "minutes": minutes}
                    for key, present, minutes in row.cells
                ],
            }
        )
    return {"training": training.public_id, "days": records.column_keys(training), "rows": rows}


@router.get(
    "/training/trainings/{public_id}/attendance",
    response={200: SheetOut, **WRITE_ERRORS},
    url_name="training-attendance",
)
def get_attendance(request: HttpRequest, public_id: UUID):
    return _sheet(_managed_training(request, public_id))


@router.post(
    "/training/trainings/{public_id}/attendance",
    response={200: SavedOut, **WRITE_ERRORS},
    url_name="training-attendance-save",
)
def post_attendance(request: HttpRequest, public_id: UUID, payload: SheetIn):
    """Set the given cells (others are left as they are); all of them or none."""
    training = _managed_training(request, public_id)
    keys = set(records.column_keys(training))
    people = {registration.public_id: registration.pk for registration in records.attendees(training)}
    errors: dict[str, str] = {}
    marks = {}
    for index, cell in enumerate(payload.marks):
        if cell.registration not in people:
            errors[f"marks.{index}.registration"] = _("Not a registered person of this training.")
        elif cell.day not in keys:
            errors[f"marks.{index}.day"] = _("Not a day of this training (expected one of %(days)s).") % {
                "days": ", ".join(sorted(keys))
            }
        elif cell.minutes is not None and not 0 <= cell.minutes <= records.MAX_MINUTES_A_DAY:
            errors[f"marks.{index}.minutes"] = _("Minutes must be from 0 to %(max)s.") % {
                "max": records.MAX_MINUTES_A_DAY
            }
        else:
            marks[(people[cell.registration], cell.day)] = (cell.present, cell.minutes)
    if errors:
        raise invalid(errors)
    return {"changed": records.save_attendance(training, marks, by=api_user(request))}


@router.get(
    "/training/registrations/{public_id}/certificate",
    response={200: None, **READ_ERRORS, 403: WRITE_ERRORS[403]},
    url_name="training-certificate",
)
def get_certificate(request: HttpRequest, public_id: UUID):
    """The certificate as a PDF (404 until it is issued)."""
    registration = get_object_or_404(
        Registration.objects.visible_to(api_user(request)).select_related("training"), public_id=public_id
    )
    if not registration.training.can_manage(api_user(request)):
        raise HttpError(403, _("Only those who manage this training may do this."))
    certificate = get_object_or_404(Certificate, registration=registration)
    response = HttpResponse(
        certificates.render_pdf(certificate, request.build_absolute_uri), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{certificates.filename(certificate)}"'
    return response
