"""Import of ties from CSV, XLSX, a JSON list, or Kumu-style JSON: a preview row by row, then all
of it or nothing.

`preview_ties(table, default_wave=...)` decides for every row what would happen (create, skip or
refuse) and why, naming the row and the column; it writes nothing. `read_kumu(data)` turns a
Kumu-style JSON file ({"elements": [...], "connections": [...]}) into the same table, one row per
connection (a `KumuTable`, so that messages can name Kumu's fields). `apply_ties(preview, by=...)`
writes a preview without refused rows in one transaction, each tie through `ties.create_tie` (one
audit event each).
"""

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext as _

from healthywork.core import tabular
from healthywork.core.previews import ImportPreview
from healthywork.core.tabular import Table, TableError, load_json
from healthywork.network import ties
from healthywork.network.models import Provenance, Tie, TieKind, Wave
from healthywork.partners.models import Organization

COLUMNS = ["source", "target", "kind", "level", "directed", "provenance", "wave", "note"]
REQUIRED_COLUMNS = ["source", "target", "kind"]
TRUE_WORDS = {"yes", "y", "true", "1", "directed"}
FALSE_WORDS = {"no", "n", "false", "0", "", "undirected", "mutual"}
DERIVED_PROVENANCES = {Provenance.SURVEY.value, Provenance.INITIATIVE.value, Provenance.TEAM.value}
NOTE_LIMIT = 2000
# How a Kumu file's fields are named in messages: the person sees the names of their own file.
KUMU_COLUMNS = {"source": "from", "target": "to", "kind": "type", "directed": "direction"}


@dataclass
class TieRowResult:
    number: int
    source_name: str = ""
    target_name: str = ""
    kind_text: str = ""
    wave_name: str = ""
    action: str = "create"  # create | skip | refuse
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    reason: str = ""  # why a row is skipped
    data: dict[str, Any] = field(default_factory=dict)
    wave: Wave | None = None


@dataclass
class KumuTable(Table):
    """The connections of a Kumu file as rows of ties."""


@dataclass
class TiePreview(ImportPreview):
    is_kumu: bool = False

    def column(self, name: str) -> str:
        return KUMU_COLUMNS.get(name, name) if self.is_kumu else name


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _choice_keys(choices: type[TextChoices]) -> dict[str, str]:
    """A class value from its value or its label, in any case, with a space or - for _."""
    keys: dict[str, str] = {}
    for value, label in choices.choices:
        for text in (value, str(label)):
            keys[_key(text)] = value
            keys[_key(text.replace("_", " "))] = value
            keys[_key(text.replace("_", "-"))] = value
    return keys


class _Lookups:
    """Everything a row is checked against, loaded once per file."""

    def __init__(self) -> None:
        self.organizations: dict[str, list[Organization]] = {}
        for organization in Organization.objects.filter(merged_into__isnull=True).only(
            "id", "name", "name_key", "alias_keys"
        ):
            for key in {organization.name_key, *(key for key in organization.alias_keys.split("\n") if key)}:
                self.organizations.setdefault(key, []).append(organization)
        self.names = sorted(
            {
                name
                for name in Organization.objects.filter(merged_into__isnull=True).values_list(
                    "name", flat=True
                )
            }
        )
        self.kinds = _choice_keys(TieKind)
        self.waves = {_key(wave.name): wave for wave in Wave.objects.all()}

    def close_names(self, name: str) -> str:
        found = difflib.get_close_matches(name, self.names, n=3, cutoff=0.6)
        if not found:
            lowered = name.casefold()
            found = [candidate for candidate in self.names if lowered in candidate.casefold()][:3]
        return "; ".join(found)


def preview_ties(table: Table, *, default_wave: Wave | None = None, is_kumu: bool = False) -> TiePreview:
    """What importing `table` would do, without writing.

    A row's wave is its `wave` column (a wave's name, any case), or `default_wave` when the
    column is absent or empty. Duplicates of a stored tie (same wave, kind and pair; either
    order when both are undirected) are skipped; duplicates within the file are refused."""
    preview = TiePreview(rows=[], is_kumu=is_kumu or isinstance(table, KumuTable))
    problem = tabular.missing_columns(table, REQUIRED_COLUMNS, COLUMNS)
    if problem:
        preview.file_errors.append(problem)
        return preview
    if "wave" not in table.headers and default_wave is None:
        preview.file_errors.append(
            _("The file has no column wave: add one (a wave's name on every row) or choose the wave.")
        )
        return preview
    unknown = [header for header in table.headers if header not in COLUMNS]
    if unknown and not is_kumu:
        preview.warnings.append(
            _("These columns are not used and will be ignored: %(columns)s.")
            % {"columns": ", ".join(unknown)}
        )
    if not table.rows:
        preview.file_errors.append(_("The file has a header but no rows."))
        return preview
    lookups = _Lookups()
    for number, values in table.rows:
        preview.rows.append(_check_row(number, values, lookups, default_wave, preview))
    _decide(preview.rows, preview)
    return preview


def _organization(row: TieRowResult, column: str, name: str, lookups: _Lookups) -> Organization | None:
    if not name:
        row.errors.append((column, _("The organization is missing.")))
        return None
    found = lookups.organizations.get(name.strip().casefold(), [])
    if len(found) == 1:
        return found[0]
    if found:
        row.errors.append(
            (
                column,
                _("Several organizations are called “%(name)s”; merge the duplicates first.")
                % {"name": name},
            )
        )
        return None
    close = lookups.close_names(name)
    if close:
        message = _("No organization is called “%(name)s”. Close names: %(close)s.") % {
            "name": name,
            "close": close,
        }
    else:
        message = _("No organization is called “%(name)s”; add it to the registry first.") % {"name": name}
    row.errors.append((column, message))
    return None


def _check_row(
    number: int, values: dict[str, str], lookups: _Lookups, default_wave: Wave | None, preview: TiePreview
) -> TieRowResult:
    column = preview.column
    row = TieRowResult(
        number=number,
        source_name=values.get("source", "").strip(),
        target_name=values.get("target", "").strip(),
        kind_text=values.get("kind", "").strip(),
    )
    provenance_text = values.get("provenance", "").strip()
    provenance = provenance_text.casefold() or Provenance.MANUAL.value
    provenance = _choice_keys(Provenance).get(_key(provenance), provenance)
    if provenance in DERIVED_PROVENANCES:
        # A derived tie (as exported) is rebuilt from its initiative, survey or team, never stored.
        row.action = "skip"
        row.reason = _("Derived ties (%(provenance)s) come from their records and are not imported.") % {
            "provenance": provenance
        }
        return row
    if provenance not in ties.ENTERABLE_PROVENANCES:
        row.errors.append(
            (
                "provenance",
                _("Unknown provenance “%(value)s”. Valid provenances: %(valid)s.")
                % {"value": provenance_text, "valid": ", ".join(ties.ENTERABLE_PROVENANCES)},
            )
        )
    source = _organization(row, column("source"), row.source_name, lookups)
    target = _organization(row, column("target"), row.target_name, lookups)
    if source is not None and source == target:
        row.errors.append((column("target"), _("An organization cannot have a tie with itself.")))

    kind = lookups.kinds.get(_key(row.kind_text)) if row.kind_text else TieKind.INFORMATION.value
    if kind is None:
        row.errors.append(
            (
                column("kind"),
                _("Unknown kind “%(value)s”. Valid kinds: %(valid)s.")
                % {"value": row.kind_text, "valid": ", ".join(TieKind.values)},
            )
        )

    level = _level(row, values.get("level", "").strip())
    directed_text = values.get("directed", "").strip()
    if directed_text.casefold() in TRUE_WORDS:
        is_directed = True
    elif directed_text.casefold() in FALSE_WORDS:
        is_directed = False
    else:
        is_directed = False
        row.errors.append(
            (
                column("directed"),
                _("“%(value)s” is not a direction: write yes or no (true/false, 1/0).")
                % {"value": directed_text}
                if not preview.is_kumu
                else _("“%(value)s” is not a direction: write directed, mutual or undirected.")
                % {"value": directed_text},
            )
        )

    row.wave_name = values.get("wave", "").strip()
    if row.wave_name:
        row.wave = lookups.waves.get(_key(row.wave_name))
        if row.wave is None:
            row.errors.append(
                (
                    "wave",
                    _("Unknown wave “%(value)s”. Valid waves: %(valid)s.")
                    % {
                        "value": row.wave_name,
                        "valid": "; ".join(wave.name for wave in lookups.waves.values()),
                    },
                )
            )
    elif default_wave is not None:
        row.wave, row.wave_name = default_wave, default_wave.name
    else:
        row.errors.append(("wave", _("The wave is missing.")))

    note = values.get("note", "").strip()
    if len(note) > NOTE_LIMIT:
        row.errors.append(("note", _("Longer than %(limit)s characters.") % {"limit": NOTE_LIMIT}))
    row.data = {
        "source": source,
        "target": target,
        "kind": kind,
        "level": level,
        "is_directed": is_directed,
        "provenance": provenance,
        "note": note,
    }
    return row


def _level(row: TieRowResult, text: str) -> int | None:
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not number.is_integer() or not 0 <= number <= 5:
        row.errors.append(
            (
                "level",
                _("“%(value)s” is not a level of collaboration: write a whole number from 0 to 5.")
                % {"value": text},
            )
        )
        return None
    return int(number)


def _pair_keys(wave_id: int, kind: str, source_id: int, target_id: int, is_directed: bool) -> list[tuple]:
    """The keys under which a tie is the same tie: its own order, and the reverse when undirected."""
    keys = [(wave_id, kind, source_id, target_id)]
    if not is_directed:
        keys.append((wave_id, kind, target_id, source_id, "undirected"))
    return keys


def _decide(rows: list[TieRowResult], preview: TiePreview) -> None:
    checked = [row for row in rows if not row.errors and row.action == "create"]
    waves = {row.wave.pk for row in checked}
    stored_exact: set[tuple] = set()
    stored_undirected: set[tuple] = set()
    for wave_id, kind, source_id, target_id, is_directed in Tie.objects.filter(wave_id__in=waves).values_list(
        "wave_id", "kind", "source_id", "target_id", "is_directed"
    ):
        stored_exact.add((wave_id, kind, source_id, target_id))
        if not is_directed:
            stored_undirected.add((wave_id, kind, source_id, target_id))
    seen: dict[tuple, int] = {}
    for row in rows:
        if row.errors:
            row.action = "refuse"
            continue
        if row.action != "create":
            continue
        data = row.data
        own = (row.wave.pk, data["kind"], data["source"].pk, data["target"].pk)
        reverse = (row.wave.pk, data["kind"], data["target"].pk, data["source"].pk)
        first = seen.get(own) or (seen.get(reverse + ("undirected",)) if not data["is_directed"] else None)
        if first is not None:
            row.errors.append(
                (
                    preview.column("target"),
                    _("The same tie (wave, kind and pair) is already on row %(row)s of this file.")
                    % {"row": first},
                )
            )
            row.action = "refuse"
            continue
        seen.setdefault(own, row.number)
        if not data["is_directed"]:
            seen.setdefault(own + ("undirected",), row.number)
            seen.setdefault(reverse + ("undirected",), row.number)
        if own in stored_exact or (not data["is_directed"] and reverse in stored_undirected):
            row.action = "skip"
            row.reason = _("This tie of this kind is already stored in this wave.")


def read_kumu(data: bytes, max_bytes: int | None = None, *, read_waves: bool = False) -> KumuTable:
    """A Kumu-style JSON file as a table of ties, one row per connection (numbered from 1).

    Elements are matched by label; a connection's `from` and `to` name an element by its label
    (or by its `_id`/`id`), `type` is the kind of tie, `direction` is directed, mutual or
    undirected, and optional `level`, `note` (or `description`) and `provenance` are read too
    (so the derived ties of an export are skipped, as in a table). With `read_waves` (the
    command line, where no wave is chosen) a connection's `wave` field is its wave."""
    tabular.refuse_oversized(data, max_bytes)
    document = load_json(data)
    if not isinstance(document, dict) or not isinstance(document.get("connections"), list):
        raise TableError(_("A Kumu file is a JSON object with a list “connections” (and a list “elements”)."))
    elements = document.get("elements") or []
    if not isinstance(elements, list):
        raise TableError(_("The “elements” of a Kumu file must be a list."))
    labels: dict[str, str] = {}
    for number, element in enumerate(elements, start=1):
        if not isinstance(element, dict) or not str(element.get("label") or "").strip():
            identifier = element.get("_id") or element.get("id") if isinstance(element, dict) else None
            if identifier not in (None, ""):
                raise TableError(
                    _("Element %(number)s (id “%(id)s”) of the Kumu file has no label.")
                    % {"number": number, "id": identifier}
                )
            raise TableError(_("Element %(number)s of the Kumu file has no label.") % {"number": number})
        label = str(element["label"]).strip()
        for identifier in (element.get("_id"), element.get("id")):
            if identifier not in (None, ""):
                labels[str(identifier)] = label
    if not document["connections"]:
        raise TableError(_("The Kumu file has no connections: there is no tie to import."))
    headers = ["source", "target", "kind", "level", "directed", "provenance", "note"]
    if read_waves:
        headers.append("wave")
    rows: list[tuple[int, dict[str, str]]] = []
    for number, connection in enumerate(document["connections"], start=1):
        if not isinstance(connection, dict):
            raise TableError(
                _("Connection %(number)s of the Kumu file is not an object.") % {"number": number}
            )

        def text(name: str, connection: dict = connection) -> str:
            value = connection.get(name)
            return "" if value is None or isinstance(value, (dict, list)) else str(value).strip()

        values = {
            "source": labels.get(text("from"), text("from")),
            "target": labels.get(text("to"), text("to")),
            "kind": text("type"),
            "level": text("level"),
            "directed": text("direction") or "directed",
            "provenance": text("provenance"),
            "note": text("note") or text("description"),
        }
        if read_waves:
            values["wave"] = text("wave")
        rows.append((number, values))
    return KumuTable(headers=headers, rows=rows)


def read_ties_upload(data: bytes, filename: str) -> Table:
    """An uploaded file of ties: a Kumu JSON object (its wave is chosen on the page), or a table."""
    return read_kumu(data) if is_kumu(data) else tabular.read_table(data, filename)


def is_kumu(data: bytes) -> bool:
    """A JSON object (not a list of rows): read it as a Kumu file."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


@transaction.atomic
def apply_ties(preview: TiePreview, *, by: Any) -> dict[str, int]:
    """Write a refusal-free preview in one transaction; returns the count per action."""
    if not preview.can_apply:
        raise ValueError(_("The import has refused rows; nothing was written."))
    for row in preview.rows:
        if row.action != "create":
            continue
        try:
            ties.create_tie(row.wave, row.data, by=by)
        except ValidationError as error:
            messages = "; ".join(
                f"{column}: {' '.join(texts)}" for column, texts in error.message_dict.items()
            )
            raise ValueError(
                _("Row %(row)s: %(message)s Nothing was written.") % {"row": row.number, "message": messages}
            ) from None
    return preview.summary()
