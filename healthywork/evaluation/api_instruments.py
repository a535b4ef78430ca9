"""Instruments as JSON: the list, one instrument's full definition in our file format
(docs/instruments.md), and an import of such a definition (`evaluation.manage`; all or nothing,
every problem named by item index and field)."""

from typing import Any
from uuid import UUID

from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from healthywork.core.apitools import (
    READ_ERRORS,
    WRITE_ERRORS,
    PageQuery,
    api_user,
    invalid,
    paginate,
    require_ability,
)
from healthywork.evaluation import instrument_format
from healthywork.evaluation.models import Instrument

router = Router(tags=["evaluation"])

# The import route is declared before /instruments/{name}, which would otherwise take "import".


class InstrumentOut(Schema):
    id: UUID
    name: str
    title: str
    title_es: str
    kind: str
    total_method: str
    items: int
    is_shipped: bool
    is_locked: bool
    url: str

    @staticmethod
    def resolve_id(obj: Instrument) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_items(obj: Instrument) -> int:
        return obj.item_count

    @staticmethod
    def resolve_url(obj: Instrument) -> str:
        return obj.get_absolute_url()


class InstrumentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[InstrumentOut]


class ImportedOut(Schema):
    id: UUID
    name: str
    items: int
    warnings: list[str]
    url: str


class DefinitionIn(Schema):
    format: str
    version: int
    instrument: dict[str, Any]
    dimensions: list[Any] = []
    items: list[Any] = []


class ImportQuery(Schema):
    name: str | None = None


@router.get("/evaluation/instruments", response={200: InstrumentPage, **READ_ERRORS})
def list_instruments(request: HttpRequest, query: Query[PageQuery]):
    """Every instrument (instruments are forms, readable by every signed-in user)."""
    listed = Instrument.objects.annotate(item_count=Count("items")).order_by("name")
    return paginate(listed, query)


@router.post(
    "/evaluation/instruments/import", response={201: ImportedOut, 409: dict[str, Any], **WRITE_ERRORS}
)
def import_instrument(request: HttpRequest, body: DefinitionIn, query: Query[ImportQuery]):
    """Create an instrument from a definition in our file format (the body); `?name=` gives it
    another short name. A taken name is a 409 with a suggested free one; problems are a 422."""
    require_ability(request, "evaluation.manage")
    payload = body.model_dump()
    if (
        payload.get("format") != instrument_format.FORMAT
        or payload.get("version") != instrument_format.VERSION
    ):
        raise invalid({"format": _('The body must be a healthywork instrument, "format" and "version" 1.')})
    preview = instrument_format.preview_definition(payload, name=query.name)
    if preview.name_error:
        raise invalid({"instrument.name": preview.name_error})
    if preview.file_errors or preview.refused:
        errors = {f"file {number}": message for number, message in enumerate(preview.file_errors, start=1)}
        for row in preview.refused:
            errors[f"{row.part}s[{row.index}]"] = " ".join(row.errors)
        raise invalid(errors)
    if preview.name_taken:
        return Status(
            409,
            {
                "detail": _("An instrument is already called “%(name)s”.")
                % {"name": preview.instrument.name},
                "suggested_name": preview.suggested_name,
            },
        )
    instrument = instrument_format.apply_definition(
        preview, api_user(request), note=_("imported through the API")
    )
    return Status(
        201,
        {
            "id": instrument.public_id,
            "name": instrument.name,
            "items": instrument.items.count(),
            "warnings": preview.warnings,
            "url": instrument.get_absolute_url(),
        },
    )


@router.get("/evaluation/instruments/{name}", response={200: dict[str, Any], **READ_ERRORS})
def get_instrument(request: HttpRequest, name: str):
    """The full definition in the healthywork instrument file format."""
    return instrument_format.definition_of(get_object_or_404(Instrument, name=name))
