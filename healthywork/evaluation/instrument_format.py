"""Our instrument file format (documented in docs/instruments.md): export an instrument as JSON,
and read a definition back with a preview that names each problem (item index and field) before
anything is written; the import writes all of it or nothing.

    {"format": "healthywork-instrument", "version": 1,
     "instrument": {"name", "title", "title_es", "description", "description_es", "kind",
                    "total_method", "bands", "source"},
     "dimensions": [{"code", "label", "label_es", "method", "min_items"}, ...],
     "items": [{"code", "dimension", "kind", "text", "text_es", "choices", "min_value",
                "max_value", "reverse_scored", "required", "group"}, ...]}

The same preview reads what the XLSForm reader (xlsform.py) produces, and copies an instrument.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from healthywork.core.audit import record, snapshot
from healthywork.core.previews import ImportPreview
from healthywork.core.tabular import TableError, load_json
from healthywork.evaluation.models import Dimension, Instrument, InstrumentKind, Item, ItemKind, TotalMethod

FORMAT = "healthywork-instrument"
VERSION = 1
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 2000
CODE_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

INSTRUMENT_FIELDS = (
    "name",
    "title",
    "title_es",
    "description",
    "description_es",
    "kind",
    "total_method",
    "bands",
    "source",
)
DIMENSION_FIELDS = ("code", "label", "label_es", "method", "min_items")
ITEM_FIELDS = (
    "code",
    "dimension",
    "kind",
    "text",
    "text_es",
    "choices",
    "min_value",
    "max_value",
    "reverse_scored",
    "required",
    "group",
)


class FormatError(ValueError):
    """A file that is not an instrument definition at all; the message says why."""


# --- Export ------------------------------------------------------------------------------------


def definition_of(instrument: Instrument) -> dict[str, Any]:
    """The instrument as plain data in our file format."""
    dimensions = list(instrument.dimensions.all())
    codes = {dimension.pk: dimension.code for dimension in dimensions}
    return {
        "format": FORMAT,
        "version": VERSION,
        "instrument": {key: getattr(instrument, key) for key in INSTRUMENT_FIELDS},
        "dimensions": [
            {key: getattr(dimension, key) for key in DIMENSION_FIELDS} for dimension in dimensions
        ],
        "items": [
            {
                **{key: getattr(item, key) for key in ITEM_FIELDS if key != "dimension"},
                "dimension": codes.get(item.dimension_id),
            }
            for item in instrument.items.all()
        ],
    }


def export_json(instrument: Instrument) -> bytes:
    return json.dumps(definition_of(instrument), ensure_ascii=False, indent=2).encode("utf-8")


# --- Import ------------------------------------------------------------------------------------


@dataclass
class DefinitionRow:
    """One dimension or item of a definition as the preview shows it."""

    part: str  # "dimension" or "item"
    index: int  # 1-based, as a person counts
    code: str
    label: str
    kind: str = ""
    errors: list[str] = field(default_factory=list)
    obj: Any = None
    dimension_code: str | None = None

    @property
    def action(self) -> str:
        return "refuse" if self.errors else "create"


@dataclass
class DefinitionPreview(ImportPreview):
    instrument: Instrument | None = None
    name_taken: bool = False
    name_error: str = ""
    suggested_name: str = ""

    @property
    def can_apply(self) -> bool:
        return super().can_apply and not self.asks_name and self.instrument is not None

    @property
    def asks_name(self) -> bool:
        """The short name is taken or not valid: the person gives another."""
        return self.name_taken or bool(self.name_error)

    @property
    def dimension_rows(self) -> list[DefinitionRow]:
        return [row for row in self.rows if row.part == "dimension"]

    @property
    def item_rows(self) -> list[DefinitionRow]:
        return [row for row in self.rows if row.part == "item"]


def parse_json(data: bytes) -> dict[str, Any]:
    """The JSON document of an uploaded file, or FormatError."""
    if len(data) > MAX_FILE_BYTES:
        raise FormatError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(len(data) / 1048576, 1), "limit": MAX_FILE_BYTES // 1048576}
        )
    try:
        document = load_json(data)
    except TableError as error:
        raise FormatError(str(error)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FormatError(_('This is not a healthywork instrument file (its "format" is not "%s").') % FORMAT)
    if document.get("version") != VERSION:
        raise FormatError(
            _("The file is version %(found)s of the instrument format; healthywork reads version %(known)s.")
            % {"found": document.get("version"), "known": VERSION}
        )
    return document


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()]
    return list(error.messages)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _unique_name(name: str) -> str:
    base = name[:74] or "instrument"
    if not Instrument.objects.filter(name=base).exists():
        return base
    number = 2
    while Instrument.objects.filter(name=f"{base}-{number}").exists():
        number += 1
    return f"{base}-{number}"


def preview_definition(
    document: dict[str, Any], name: str | None = None, warnings: list[str] | None = None
) -> DefinitionPreview:
    """Check a definition without writing; `name` replaces the file's short name (a collision)."""
    preview = DefinitionPreview(rows=[], warnings=list(warnings or []))
    fields = document.get("instrument")
    dimensions = document.get("dimensions", [])
    items = document.get("items", [])
    if not isinstance(fields, dict):
        preview.file_errors.append(_('The file has no "instrument" object.'))
        return preview
    if not isinstance(dimensions, list) or not isinstance(items, list):
        preview.file_errors.append(_('"dimensions" and "items" must be lists.'))
        return preview
    if len(items) > MAX_ITEMS:
        preview.file_errors.append(_("The file has more than %(limit)s items.") % {"limit": MAX_ITEMS})
        return preview
    _preview_instrument(preview, fields, name)
    dimension_codes = _preview_dimensions(preview, dimensions)
    _preview_items(preview, items, dimension_codes)
    if not dimensions and not items:
        preview.file_errors.append(_("The file has no dimensions and no items."))
    return preview


def _preview_instrument(preview: DefinitionPreview, fields: dict, name: str | None) -> None:
    values = {key: fields.get(key) for key in INSTRUMENT_FIELDS if fields.get(key) is not None}
    for key in ("name", "title", "title_es", "description", "description_es", "source"):
        values[key] = _text(values.get(key))
    values["name"] = (name or values["name"]).strip()
    values.setdefault("kind", InstrumentKind.CUSTOM)
    values.setdefault("total_method", TotalMethod.NONE)
    values.setdefault("bands", [])
    instrument = Instrument(**values)
    errors = []
    name_errors = []
    try:
        instrument.full_clean(exclude=["name"], validate_unique=False)
    except ValidationError as error:
        errors.extend(_messages(error))
    try:
        Instrument._meta.get_field("name").clean(values["name"], instrument)
    except ValidationError as error:
        name_errors.extend(error.messages)
    errors.extend(_band_errors(values["bands"]))
    if errors:
        preview.file_errors.extend(_("Instrument, %(error)s") % {"error": error} for error in errors)
        return
    if name_errors:
        # A bad short name is not the file's fault alone: the preview asks for another one.
        preview.name_error = " ".join(name_errors)
        preview.suggested_name = _unique_name(slugify(values["name"]) or "instrument")
    elif Instrument.objects.filter(name=instrument.name).exists():
        preview.name_taken = True
        preview.suggested_name = _unique_name(instrument.name)
    preview.instrument = instrument


def _band_errors(bands: Any) -> list[str]:
    if not isinstance(bands, list):
        return [_("bands: must be a list.")]
    errors = []
    for number, band in enumerate(bands, start=1):
        try:
            low, high = float(band["low"]), float(band["high"])
            str(band["label"])
        except (KeyError, TypeError, ValueError):
            errors.append(
                _("bands: band %(number)s needs a numeric low and high and a label.") % {"number": number}
            )
            continue
        if low > high:
            errors.append(_("bands: band %(number)s has its low above its high.") % {"number": number})
    return errors


def _preview_dimensions(preview: DefinitionPreview, dimensions: list) -> set[str]:
    codes: set[str] = set()
    for index, spec in enumerate(dimensions, start=1):
        if not isinstance(spec, dict):
            preview.rows.append(DefinitionRow("dimension", index, "", "", errors=[_("not an object")]))
            continue
        values = {key: spec[key] for key in DIMENSION_FIELDS if spec.get(key) is not None}
        for key in ("code", "label", "label_es"):
            values[key] = _text(values.get(key))
        row = DefinitionRow("dimension", index, values["code"], values["label"])
        try:
            row.obj = Dimension(position=index - 1, **values)
            row.obj.full_clean(exclude=["instrument"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            row.errors.extend(_messages(error))
        except (TypeError, ValueError) as error:
            row.errors.append(str(error))
        if values["code"] in codes:
            row.errors.append(
                _("code: another dimension has the code “%(code)s”.") % {"code": values["code"]}
            )
        codes.add(values["code"])
        preview.rows.append(row)
    return codes


def _preview_items(preview: DefinitionPreview, items: list, dimension_codes: set[str]) -> None:
    codes: set[str] = set()
    for index, spec in enumerate(items, start=1):
        if not isinstance(spec, dict):
            preview.rows.append(DefinitionRow("item", index, "", "", errors=[_("not an object")]))
            continue
        values = {key: spec[key] for key in ITEM_FIELDS if spec.get(key) is not None and key != "dimension"}
        for key in ("code", "text", "text_es", "group", "kind"):
            values[key] = _text(values.get(key))
        values.setdefault("choices", [])
        dimension = _text(spec.get("dimension")) or None
        row = DefinitionRow(
            "item", index, values["code"], values["text"], values["kind"], dimension_code=dimension
        )
        if values["code"] and not CODE_PATTERN.match(values["code"]):
            row.errors.append(_("code: use letters, digits and underscores, not starting with a digit."))
        if values["code"] in codes:
            row.errors.append(_("code: another item has the code “%(code)s”.") % {"code": values["code"]})
        codes.add(values["code"])
        if dimension and dimension not in dimension_codes:
            row.errors.append(_("dimension: there is no dimension “%(code)s”.") % {"code": dimension})
        if values["kind"] not in ItemKind.values:
            row.errors.append(
                _("kind: “%(kind)s” is not one of %(kinds)s.")
                % {"kind": values["kind"], "kinds": ", ".join(ItemKind.values)}
            )
        try:
            row.obj = Item(position=index, **values)
            row.obj.full_clean(
                exclude=["instrument", "dimension", "kind"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            row.errors.extend(_messages(error))
        except (TypeError, ValueError) as error:
            row.errors.append(str(error))
        preview.rows.append(row)


def apply_definition(preview: DefinitionPreview, by, note: str = "", action: str = "import") -> Instrument:
    """Write the previewed instrument, its dimensions and items: all of it, or (ValueError) nothing."""
    if not preview.can_apply:
        raise ValueError("The preview has errors; nothing was imported.")
    with transaction.atomic():
        instrument = preview.instrument
        instrument.pk = None
        instrument.created_by = by if getattr(by, "is_authenticated", False) else None
        instrument.save()
        dimensions = {}
        for row in preview.dimension_rows:
            row.obj.instrument = instrument
            row.obj.save()
            dimensions[row.code] = row.obj
        for row in preview.item_rows:
            row.obj.instrument = instrument
            row.obj.dimension = dimensions.get(row.dimension_code)
        Item.objects.bulk_create([row.obj for row in preview.item_rows])
        record(by, action, instrument, changes=snapshot(instrument), note=note)
    return instrument
