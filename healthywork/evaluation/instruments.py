"""Instrument builder services: every write to an instrument, its dimensions and its items, each in
one transaction with one audit event; the lock (an instrument with answers keeps its items);
copies; a team's Levels of Collaboration instrument; items pasted or imported as a table; and the
preview of an instrument as respondents see it.
"""

import copy
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from healthywork.core.audit import diff, record, snapshot
from healthywork.core.previews import ImportPreview
from healthywork.core.tabular import Table
from healthywork.evaluation import instrument_format
from healthywork.evaluation.models import Answer, Dimension, Instrument, InstrumentKind, Item, ItemKind
from healthywork.evaluation.results import choice_label
from healthywork.evaluation.shipped import EPRES_CHOICES, LEVELS_OF_COLLABORATION

COLLABORATION_TEMPLATE = "levels-of-collaboration"


class InstrumentLocked(Exception):
    """The instrument has answers (or is locked): its items and dimensions cannot change."""


def is_locked(instrument: Instrument) -> bool:
    """Locked by hand, or answered: changing items would change what earlier answers mean."""
    return instrument.is_locked or Answer.objects.filter(item__instrument=instrument).exists()


def _check_unlocked(instrument: Instrument) -> None:
    if is_locked(instrument):
        raise InstrumentLocked(_("This instrument has responses; copy it to change its items."))


# --- Instrument ---------------------------------------------------------------------------------


def save_instrument(instrument: Instrument, by, before: dict | None = None) -> Instrument:
    """Create (before is None) or change an instrument's own fields."""
    with transaction.atomic():
        if instrument.pk is None:
            instrument.created_by = by if getattr(by, "is_authenticated", False) else None
            instrument.save()
            record(by, "create", instrument, changes=snapshot(instrument))
        else:
            instrument.save()
            record(by, "change", instrument, changes=diff(before or {}, snapshot(instrument)))
    return instrument


def copy_instrument(instrument: Instrument, name: str, title: str, by) -> Instrument:
    """A new, unlocked instrument with the same dimensions, items and scoring rules."""
    document = instrument_format.definition_of(instrument)
    document["instrument"]["title"] = title
    preview = instrument_format.preview_definition(document, name=name)
    if not preview.can_apply:
        raise ValueError("; ".join(preview.file_errors) or _("The short name is taken."))
    return instrument_format.apply_definition(
        preview, by, note=_("copy of %(name)s") % {"name": instrument.name}, action="create"
    )


# --- Dimensions ---------------------------------------------------------------------------------


def save_dimension(dimension: Dimension, by, before: dict | None = None) -> Dimension:
    _check_unlocked(dimension.instrument)
    with transaction.atomic():
        if dimension.pk is None:
            last = dimension.instrument.dimensions.aggregate(last=Max("position"))["last"]
            dimension.position = 0 if last is None else last + 1
            dimension.save()
            record(by, "create", dimension, changes=snapshot(dimension))
        else:
            dimension.save()
            record(by, "change", dimension, changes=diff(before or {}, snapshot(dimension)))
    return dimension


def delete_dimension(dimension: Dimension, by) -> None:
    """Its items stay, without a dimension."""
    _check_unlocked(dimension.instrument)
    with transaction.atomic():
        record(by, "delete", dimension, changes=snapshot(dimension))
        dimension.delete()


def move_dimension(dimension: Dimension, step: int, by) -> None:
    _check_unlocked(dimension.instrument)
    _move(list(dimension.instrument.dimensions.all()), dimension, step, by)


# --- Items --------------------------------------------------------------------------------------


def save_item(item: Item, by, before: dict | None = None) -> Item:
    _check_unlocked(item.instrument)
    with transaction.atomic():
        if item.pk is None:
            last = item.instrument.items.aggregate(last=Max("position"))["last"]
            item.position = (last or 0) + 1
            item.save()
            record(by, "create", item, changes=snapshot(item))
        else:
            item.save()
            record(by, "change", item, changes=diff(before or {}, snapshot(item)))
    return item


def delete_item(item: Item, by) -> None:
    _check_unlocked(item.instrument)
    with transaction.atomic():
        record(by, "delete", item, changes=snapshot(item))
        item.delete()


def move_item(item: Item, step: int, by) -> None:
    _check_unlocked(item.instrument)
    _move(list(item.instrument.items.all()), item, step, by)


def _move(siblings: list, obj, step: int, by) -> None:
    """Swap `obj` with its neighbour (step -1 up, +1 down) and renumber positions 0..n-1."""
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == obj.pk)
    target = index + step
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    with transaction.atomic():
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])
        record(by, "change", obj, note=_("moved up") if step < 0 else _("moved down"))


def default_choices(instrument: Instrument) -> list[dict]:
    """The choices a new item of this instrument starts with (EPRES items are coded 0–4)."""
    if instrument.kind == InstrumentKind.EPRES:
        return [dict(choice) for choice in EPRES_CHOICES]
    first = instrument.items.filter(kind__in=[ItemKind.LIKERT, ItemKind.MATRIX]).exclude(choices=[]).first()
    return [dict(choice) for choice in first.choices] if first else []


# --- Items from a table (paste or CSV/XLSX) ------------------------------------------------------

TRUE_WORDS = {"1", "yes", "true", "y", "x", "sí", "si", "reverse"}
FALSE_WORDS = {"", "0", "no", "false", "n"}


@dataclass
class ItemRow:
    number: int
    code: str
    dimension: str
    text: str
    text_es: str
    reverse: bool
    errors: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        return "refuse" if self.errors else "create"


def preview_items(instrument: Instrument, table: Table) -> ImportPreview:
    """Rows with columns code, dimension, text, text_es, reverse as new items (Likert items with
    the instrument's default choices); every problem names its row and column."""
    preview = ImportPreview(rows=[])
    missing = [name for name in ("code", "text") if name not in table.headers]
    if missing:
        preview.file_errors.append(
            _("The table has no column %(columns)s (expected: code, dimension, text, text_es, reverse).")
            % {"columns": ", ".join(missing)}
        )
        return preview
    if is_locked(instrument):
        preview.file_errors.append(_("This instrument has responses; copy it to change its items."))
        return preview
    choices = default_choices(instrument)
    if not choices:
        preview.file_errors.append(_("Add one Likert item by hand first: imported items take its choices."))
    dimensions = set(instrument.dimensions.values_list("code", flat=True))
    taken = set(instrument.items.values_list("code", flat=True))
    for number, values in table.rows:
        reverse_word = values.get("reverse", "").strip().lower()
        row = ItemRow(
            number=number,
            code=values.get("code", "").strip(),
            dimension=values.get("dimension", "").strip(),
            text=values.get("text", "").strip(),
            text_es=values.get("text_es", "").strip(),
            reverse=reverse_word in TRUE_WORDS,
        )
        where = _("Row %(number)s") % {"number": number}
        if not row.code:
            row.errors.append(_("%(where)s, code: empty.") % {"where": where})
        elif not instrument_format.CODE_PATTERN.match(row.code) or len(row.code) > 60:
            row.errors.append(
                _("%(where)s, code: use letters, digits and underscores (at most 60).") % {"where": where}
            )
        elif row.code in taken:
            row.errors.append(
                _("%(where)s, code: “%(code)s” is already used.") % {"where": where, "code": row.code}
            )
        taken.add(row.code)
        if not row.text:
            row.errors.append(_("%(where)s, text: empty.") % {"where": where})
        if row.dimension and row.dimension not in dimensions:
            row.errors.append(
                _("%(where)s, dimension: there is no dimension “%(code)s” (there are: %(codes)s).")
                % {"where": where, "code": row.dimension, "codes": ", ".join(sorted(dimensions)) or "—"}
            )
        if reverse_word not in TRUE_WORDS | FALSE_WORDS:
            row.errors.append(_("%(where)s, reverse: write yes or no.") % {"where": where})
        preview.rows.append(row)
    return preview


def import_items(instrument: Instrument, preview: ImportPreview, by) -> int:
    """Add the previewed items (all of them or, with ValueError, none)."""
    if not preview.can_apply:
        raise ValueError("The preview has errors; nothing was imported.")
    _check_unlocked(instrument)
    choices = default_choices(instrument)
    dimensions = {dimension.code: dimension for dimension in instrument.dimensions.all()}
    with transaction.atomic():
        last = instrument.items.aggregate(last=Max("position"))["last"] or 0
        Item.objects.bulk_create(
            Item(
                instrument=instrument,
                code=row.code,
                text=row.text,
                text_es=row.text_es,
                kind=ItemKind.LIKERT,
                choices=choices,
                reverse_scored=row.reverse,
                dimension=dimensions.get(row.dimension),
                position=last + offset,
            )
            for offset, row in enumerate(preview.rows, start=1)
        )
        record(
            by,
            "import",
            instrument,
            note=_("%(count)s items added from a table") % {"count": len(preview.rows)},
        )
    return len(preview.rows)


# --- Levels of collaboration for a team ----------------------------------------------------------


def collaboration_instrument_for_team(team, by) -> Instrument:
    """The team's copy of the Levels of Collaboration Scale (made on first call, then returned):
    one matrix row per organization on the team, in the group "partners", coded `org_<id>`."""
    name = f"{COLLABORATION_TEMPLATE}-{team.pk}"
    existing = Instrument.objects.filter(name=name).first()
    if existing:
        return existing
    template = Instrument.objects.filter(name=COLLABORATION_TEMPLATE).first()
    document = (
        instrument_format.definition_of(template) if template else copy.deepcopy(LEVELS_OF_COLLABORATION)
    )
    row = next((item for item in document["items"] if item["kind"] == ItemKind.MATRIX), None)
    row = row or LEVELS_OF_COLLABORATION["items"][0]
    organizations = sorted(
        {membership.organization for membership in team.memberships.select_related("organization")},
        key=lambda organization: organization.name,
    )
    document["instrument"]["title"] = _("Levels of collaboration: %(team)s") % {"team": team.name}
    document["instrument"]["title_es"] = f"Niveles de colaboración: {team.name}"
    document["items"] = [
        {
            **row,
            "code": f"org_{organization.pk}",
            "text": organization.name,
            "text_es": organization.name,
            "group": "partners",
        }
        for organization in organizations
    ]
    preview = instrument_format.preview_definition(document, name=name)
    with transaction.atomic():
        return instrument_format.apply_definition(
            preview, by, note=_("for team %(team)s") % {"team": team.name}, action="create"
        )


# --- Preview as respondents see it ---------------------------------------------------------------


@dataclass
class PreviewBlock:
    """One question, or one matrix (its rows share the first row's choices)."""

    kind: str
    code: str
    text: str
    required: bool = False
    choices: list[tuple[Any, str]] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)
    min_value: float | None = None
    max_value: float | None = None


def preview_blocks(instrument: Instrument, language: str) -> list[PreviewBlock]:
    blocks: list[PreviewBlock] = []
    for item in instrument.items.all():
        text = item.localized_text(language)
        choices = [(choice.get("value"), choice_label(choice, language)) for choice in item.choices]
        if item.kind == ItemKind.MATRIX and blocks and blocks[-1].kind == "matrix" and item.group:
            if blocks[-1].code == item.group:
                blocks[-1].rows.append((item.code, text))
                continue
        if item.kind == ItemKind.MATRIX:
            blocks.append(PreviewBlock("matrix", item.group or item.code, "", choices=choices))
            blocks[-1].rows.append((item.code, text))
            continue
        blocks.append(
            PreviewBlock(
                item.kind,
                item.code,
                text,
                required=item.required,
                choices=choices,
                min_value=item.min_value,
                max_value=item.max_value,
            )
        )
    return blocks
