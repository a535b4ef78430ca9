"""Writes to the codebook (a tree of codes per project): each one transaction and one audit event.

Also the codebook's CSV/XLSX exchange (`export_codebook_csv`, `import_codebook_csv`) and the seed
codebook of the environmental scan's five topics (`seed_scan_codebook`).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _

from healthywork.core import audit, tabular
from healthywork.core.previews import ImportPreview
from healthywork.core.tabular import Table
from healthywork.scan.models import Code, Coding, Memo, Project, QuoteLink

CODE_FIELDS = ["name", "definition", "when_to_use", "when_not_to_use", "example", "colour"]
TEXT_FIELDS = ["definition", "when_to_use", "when_not_to_use", "example"]
COLOUR_PATTERN = re.compile(r"^#[0-9A-Fa-f]{6}$")
PATH_SEPARATOR = " > "
EXPORT_COLUMNS = [
    "path",
    "name",
    "parent_path",
    "definition",
    "when_to_use",
    "when_not_to_use",
    "example",
    "colour",
    "codings",
]
IMPORT_COLUMNS = [column for column in EXPORT_COLUMNS if column != "codings"]


# ---------------------------------------------------------------- tree helpers


def descendant_ids(code: Code) -> set[int]:
    """The primary keys of every code below `code` (one query: the project's codes are few)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Code.objects.filter(project_id=code.project_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(children.get(code.pk, []))
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found


def code_paths(project: Project) -> dict[int, str]:
    """{code pk: "Top > Child > Grandchild"} for every code of the project."""
    rows = {
        pk: (name, parent_id) for pk, name, parent_id in project.codes.values_list("pk", "name", "parent_id")
    }
    paths: dict[int, str] = {}

    def path_of(pk: int, seen: frozenset = frozenset()) -> str:
        if pk in paths:
            return paths[pk]
        name, parent_id = rows[pk]
        if parent_id is None or parent_id in seen:
            paths[pk] = name
        else:
            paths[pk] = path_of(parent_id, seen | {pk}) + PATH_SEPARATOR + name
        return paths[pk]

    for pk in rows:
        path_of(pk)
    return paths


def _siblings(project: Project, parent: Code | None) -> QuerySet:
    return Code.objects.filter(project=project, parent=parent)


def _check_name_free(project: Project, parent: Code | None, name: str, *, exclude: Code | None, field: str):
    clash = _siblings(project, parent).filter(name=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        where = parent.name if parent else _("the top level")
        raise ValidationError(
            {
                field: _("There is already a code named “%(name)s” under %(where)s.")
                % {"name": name, "where": where}
            }
        )


def _next_position(project: Project, parent: Code | None) -> int:
    highest = _siblings(project, parent).aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def _snapshot(code: Code) -> dict[str, Any]:
    data = audit.snapshot(code)
    data["parent"] = code.parent.path if code.parent_id else ""
    return data


def _validate(code: Code) -> None:
    code.name = (code.name or "").strip()
    # Constraints (unique names among siblings) are checked by _check_name_free with a clearer message.
    code.full_clean(exclude=["project", "parent"], validate_unique=False, validate_constraints=False)


# ---------------------------------------------------------------- writes


@transaction.atomic
def create_code(project: Project, *, by: Any, **fields: Any) -> Code:
    """Create a code. `fields` are CODE_FIELDS plus optional `parent` (a code of the project) and
    `position` (0-based among its siblings; default last). Raises ValidationError naming the field."""
    parent = fields.pop("parent", None)
    position = fields.pop("position", None)
    unknown = set(fields) - set(CODE_FIELDS)
    if unknown:
        raise TypeError(f"create_code() got unknown fields: {sorted(unknown)}")
    if parent is not None and parent.project_id != project.pk:
        raise ValidationError({"parent": _("The parent code belongs to another project.")})
    code = Code(
        project=project, parent=parent, **{key: value for key, value in fields.items() if value is not None}
    )
    _validate(code)
    _check_name_free(project, parent, code.name, exclude=None, field="name")
    code.position = _next_position(project, parent)
    code.save()
    if position is not None:
        _place(code, position)
    audit.record(by, "create", code, audit.diff({}, _snapshot(code)))
    return code


@transaction.atomic
def update_code(code: Code, *, by: Any, **fields: Any) -> Code:
    """Change the fields of a code (not its place: see `move_code`)."""
    unknown = set(fields) - set(CODE_FIELDS)
    if unknown:
        raise TypeError(f"update_code() got unknown fields: {sorted(unknown)}")
    before = _snapshot(Code.objects.get(pk=code.pk))
    for key, value in fields.items():
        if value is None and key == "colour":
            continue
        setattr(code, key, "" if value is None else value)
    _validate(code)
    _check_name_free(code.project, code.parent, code.name, exclude=code, field="name")
    code.save()
    changes = audit.diff(before, _snapshot(code))
    if changes:
        audit.record(by, "change", code, changes)
    return code


def _place(code: Code, position: int) -> None:
    """Renumber the code's siblings so that `code` sits at `position` (0-based, clamped)."""
    others = list(_siblings(code.project, code.parent).exclude(pk=code.pk).order_by("position", "name"))
    position = max(0, min(position, len(others)))
    ordered = [*others[:position], code, *others[position:]]
    for index, sibling in enumerate(ordered):
        if sibling.position != index:
            sibling.position = index
            Code.objects.filter(pk=sibling.pk).update(position=index)


@transaction.atomic
def move_code(code: Code, *, new_parent: Code | None, position: int | None, by: Any) -> Code:
    """Put `code` (with everything under it) under `new_parent` (None: the top level), at `position`
    (0-based among the new siblings; None: last). Refuses cycles, other projects and name clashes."""
    if new_parent is not None:
        if new_parent.project_id != code.project_id:
            raise ValidationError({"parent": _("The new parent code belongs to another project.")})
        if new_parent.pk == code.pk or new_parent.pk in descendant_ids(code):
            raise ValidationError(
                {"parent": _("A code cannot be moved under itself or under one of its children.")}
            )
    before = _snapshot(Code.objects.get(pk=code.pk))
    if (new_parent.pk if new_parent else None) != code.parent_id:
        _check_name_free(code.project, new_parent, code.name, exclude=code, field="parent")
        code.parent = new_parent
        code.position = _next_position(code.project, new_parent)
        code.save(update_fields=["parent", "position", "updated_at"])
    if position is not None:
        _place(code, position)
        code.refresh_from_db(fields=["position"])
    changes = audit.diff(before, _snapshot(code))
    if changes:
        audit.record(by, "change", code, changes, note=_("moved"))
    return code


@transaction.atomic
def merge_codes(source: Code, target: Code, *, by: Any) -> dict[str, Any]:
    """Merge `source` into `target`: its codings move to `target` (a coding that `target` already
    has, same document, coder and offsets, is dropped; its memos and catalog links are kept on the
    survivor), its memos and children move too, then `source` is deleted. Returns what moved."""
    if source.project_id != target.project_id:
        raise ValidationError({"target": _("The codes belong to different projects.")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("A code cannot be merged into itself.")})
    if target.pk in descendant_ids(source):
        raise ValidationError({"target": _("A code cannot be merged into one of its own children.")})
    target_names = set(target.children.values_list("name", flat=True))
    clashes = sorted(name for name in source.children.values_list("name", flat=True) if name in target_names)
    if clashes:
        raise ValidationError(
            {
                "target": _("Both codes have a child named %(names)s. Merge or rename those children first.")
                % {"names": ", ".join(f"“{name}”" for name in clashes)}
            }
        )
    existing = {
        (document_id, coder_id, start, end): pk
        for pk, document_id, coder_id, start, end in target.codings.values_list(
            "pk", "document_id", "coder_id", "start_offset", "end_offset"
        )
    }
    moved, dropped = 0, 0
    for coding in source.codings.all():
        survivor_pk = existing.get(
            (coding.document_id, coding.coder_id, coding.start_offset, coding.end_offset)
        )
        if survivor_pk is None:
            coding.code = target
            coding.save(update_fields=["code", "updated_at"])
            existing[(coding.document_id, coding.coder_id, coding.start_offset, coding.end_offset)] = (
                coding.pk
            )
            moved += 1
            continue
        Memo.objects.filter(coding=coding).update(coding_id=survivor_pk)
        linked = set(QuoteLink.objects.filter(coding_id=survivor_pk).values_list("initiative_id", flat=True))
        QuoteLink.objects.filter(coding=coding).exclude(initiative_id__in=linked).update(
            coding_id=survivor_pk
        )
        coding.delete()
        dropped += 1
    memos = Memo.objects.filter(code=source).update(code=target)
    children = list(source.children.order_by("position", "name"))
    next_position = _next_position(target.project, target)
    for offset, child in enumerate(children):
        Code.objects.filter(pk=child.pk).update(parent=target, position=next_position + offset)
    summary = {
        "merged": source.path,
        "into": target.path,
        "codings_moved": moved,
        "duplicates_dropped": dropped,
        "memos_moved": memos,
        "children_moved": [child.name for child in children],
    }
    source_snapshot = _snapshot(source)
    source.delete()
    audit.record(by, "merge", target, {"merged_code": source_snapshot, **summary})
    return summary


def colour_variant(colour: str) -> str:
    """A colour of the same family (same hue), lighter for a dark colour and darker for a light one."""
    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    if luminance < 140:
        red, green, blue = (round(channel + (255 - channel) * 0.35) for channel in (red, green, blue))
    else:
        red, green, blue = (round(channel * 0.65) for channel in (red, green, blue))
    return f"#{red:02x}{green:02x}{blue:02x}"


@transaction.atomic
def split_code(code: Code, *, new_name: str, coding_ids: Iterable[int], by: Any) -> Code:
    """Create a sibling of `code` named `new_name` (colour of the same family, placed right after it)
    and move the chosen codings (primary keys of codings of `code`) to it."""
    coding_ids = set(coding_ids)
    if not coding_ids:
        raise ValidationError({"codings": _("Choose at least one coded segment to move to the new code.")})
    codings = Coding.objects.filter(code=code, pk__in=coding_ids)
    if codings.count() != len(coding_ids):
        raise ValidationError(
            {"codings": _("Some chosen segments are not coded with “%(name)s”.") % {"name": code.name}}
        )
    new_name = (new_name or "").strip()
    if not new_name:
        raise ValidationError({"new_name": _("Give the new code a name.")})
    _check_name_free(code.project, code.parent, new_name, exclude=None, field="new_name")
    new_code = Code(
        project=code.project,
        parent=code.parent,
        name=new_name,
        colour=colour_variant(code.colour),
        definition=code.definition,
        position=code.position + 1,
    )
    try:
        _validate(new_code)
    except ValidationError as error:
        raise ValidationError({"new_name": error.message_dict.get("name", error.messages)}) from None
    new_code.save()
    _place(new_code, code.position + 1)
    moved = codings.update(code=new_code)
    audit.record(
        by,
        "create",
        new_code,
        {**audit.diff({}, _snapshot(new_code)), "split_from": code.path, "codings_moved": moved},
        note=_("split from %(name)s") % {"name": code.name},
    )
    return new_code


@transaction.atomic
def delete_code(code: Code, *, by: Any, codings_confirmed: int = 0) -> int:
    """Delete a code without children. Its codings are deleted with it only when the person has
    confirmed at least that many (`codings_confirmed`, the count they were shown). Returns how many
    codings were deleted."""
    if code.children.exists():
        raise ValidationError(
            _("“%(name)s” has child codes: move, merge or delete them first.") % {"name": code.name}
        )
    codings = code.codings.count()
    if codings > codings_confirmed:
        raise ValidationError(
            _("“%(name)s” is applied to %(count)s segments; confirm that they are deleted too.")
            % {"name": code.name, "count": codings}
        )
    changes = {**audit.diff(_snapshot(code), {}), "codings_deleted": codings}
    audit.record(by, "delete", code, changes)
    code.delete()
    return codings


# ---------------------------------------------------------------- export and import


def export_codebook_csv(project: Project, user: Any = None) -> list[dict[str, Any]]:
    """One dict per code (columns EXPORT_COLUMNS), parents before children. `codings` counts the
    codings `user` may see (all of them without a user)."""
    codings = Coding.objects.filter(code__project=project)
    if user is not None:
        codings = Coding.objects.visible_to(user).filter(code__project=project)
    counts = dict(codings.values("code").annotate(total=Count("pk")).values_list("code", "total"))
    paths = code_paths(project)
    rows = []
    for code in tree_order(project.codes.all()):
        parent_path = paths[code.parent_id] if code.parent_id else ""
        rows.append(
            {
                "path": paths[code.pk],
                "name": code.name,
                "parent_path": parent_path,
                "definition": code.definition,
                "when_to_use": code.when_to_use,
                "when_not_to_use": code.when_not_to_use,
                "example": code.example,
                "colour": code.colour,
                "codings": counts.get(code.pk, 0),
            }
        )
    return rows


def export_codebook_bytes(project: Project, fmt: str, user: Any = None) -> tuple[bytes, str]:
    """(content, content type) of the codebook as CSV, XLSX or JSON (tabular.EXPORT_FORMATS)."""
    rows = export_codebook_csv(project, user)
    return tabular.export_bytes(
        fmt, EXPORT_COLUMNS, [[row[column] for column in EXPORT_COLUMNS] for row in rows]
    )


def tree_order(codes: Iterable[Code]) -> list[Code]:
    """The codes depth first (parents before children, siblings by position then name)."""
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    ordered: list[Code] = []

    def walk(parent_id: int | None) -> None:
        for code in sorted(children.get(parent_id, []), key=lambda item: (item.position, item.name)):
            ordered.append(code)
            walk(code.pk)

    walk(None)
    return ordered


@dataclass
class RowResult:
    number: int
    path: str
    action: str = "create"  # create | update | skip | refuse
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    changes: dict[str, Any] = field(default_factory=dict)  # the fields this row sets

    @property
    def name(self) -> str:
        return self.path


@dataclass
class CodebookPreview(ImportPreview):
    applied: bool = False


def _split_path(text: str) -> list[str]:
    return [part.strip() for part in text.split(">")] if text.strip() else []


def import_codebook_csv(
    project: Project, rows: Table | Iterable[tuple[int, dict[str, str]]], *, by: Any, dry_run: bool
) -> CodebookPreview:
    """Check every row of a codebook table (columns IMPORT_COLUMNS; `codings` is ignored): a row
    creates a code, updates the code at the same path (its non-empty cells fill or change fields),
    or is refused with the column and the reason. Unless `dry_run`, writes all rows or none (nothing
    when any row is refused); `applied` on the result says which."""
    headers = list(rows.headers) if isinstance(rows, Table) else None
    rows = list(rows.rows if isinstance(rows, Table) else rows)
    preview = CodebookPreview(rows=[])
    if headers is None:
        headers = sorted({key for _number, values in rows for key in values})
    if "name" not in headers:
        preview.file_errors.append(
            _("The file has no column name. Expected columns: %(expected)s.")
            % {"expected": ", ".join(IMPORT_COLUMNS)}
        )
        return preview
    unknown = [header for header in headers if header not in EXPORT_COLUMNS]
    if unknown:
        preview.warnings.append(
            _("These columns are not used and will be ignored: %(columns)s.")
            % {"columns": ", ".join(unknown)}
        )
    if not rows:
        preview.file_errors.append(_("The file has a header but no rows."))
        return preview
    with transaction.atomic():
        existing = {path: pk for pk, path in code_paths(project).items()}
        codes = {code.pk: code for code in project.codes.all()}
        planned: dict[str, int] = {}  # path -> row number, for the paths the file creates or updates
        for number, values in rows:
            result = _check_row(number, values, existing, codes, planned)
            preview.rows.append(result)
        if dry_run or not preview.can_apply:
            return preview
        _apply_import(project, preview, existing, codes, by)
        preview.applied = True
    return preview


def _check_row(number: int, values: dict[str, str], existing, codes, planned) -> RowResult:
    name = values.get("name", "").strip()
    parent_parts = _split_path(values.get("parent_path", ""))
    path = PATH_SEPARATOR.join([*parent_parts, name]) if name else values.get("path", "").strip()
    row = RowResult(number=number, path=path)
    if not name:
        row.errors.append(("name", _("The name is missing.")))
    elif ">" in name:
        row.errors.append(("name", _("A name cannot contain “>”, which separates the levels of a path.")))
    elif len(name) > 200:
        row.errors.append(("name", _("The name is longer than 200 characters.")))
    if any(not part for part in parent_parts):
        row.errors.append(("parent_path", _("The parent path has an empty level.")))
    given_path = values.get("path", "").strip()
    if name and given_path and PATH_SEPARATOR.join(_split_path(given_path)) != path:
        row.errors.append(
            (
                "path",
                _("The path does not match parent_path and name (expected “%(path)s”).") % {"path": path},
            )
        )
    colour = values.get("colour", "").strip()
    if colour and not COLOUR_PATTERN.match(colour):
        row.errors.append(
            (
                "colour",
                _("“%(colour)s” is not a colour: write # and six hexadecimal digits, like #1f77b4.")
                % {"colour": colour},
            )
        )
    parent_path = PATH_SEPARATOR.join(parent_parts)
    if parent_path and parent_path not in existing and parent_path not in planned:
        row.errors.append(
            (
                "parent_path",
                _("No code has the path “%(path)s”, in the codebook or in an earlier row.")
                % {"path": parent_path},
            )
        )
    if name and path in planned:
        row.errors.append(("path", _("The path is the same as row %(row)s's.") % {"row": planned[path]}))
    if row.errors:
        row.action = "refuse"
        return row
    planned[path] = number
    fields = {key: values[key].strip() for key in TEXT_FIELDS if values.get(key, "").strip()}
    if colour:
        fields["colour"] = colour.lower()
    if path in existing:
        code = codes[existing[path]]
        row.changes = {key: value for key, value in fields.items() if getattr(code, key) != value}
        row.action = "update" if row.changes else "skip"
    else:
        row.changes = {"name": name, **fields}
    return row


def _apply_import(project: Project, preview: CodebookPreview, existing, codes, by: Any) -> None:
    for row in preview.rows:
        if row.action == "update":
            update_code(codes[existing[row.path]], by=by, **row.changes)
        elif row.action == "create":
            parts = row.path.split(PATH_SEPARATOR)
            parent_path = PATH_SEPARATOR.join(parts[:-1])
            parent = codes[existing[parent_path]] if parent_path else None
            code = create_code(project, by=by, parent=parent, **row.changes)
            existing[row.path] = code.pk
            codes[code.pk] = code


# ---------------------------------------------------------------- the seed codebook

# Okabe–Ito colours: told apart by people with the common colour-vision deficiencies.
SCAN_CODEBOOK: list[dict[str, Any]] = [
    {
        "name": "Strengths, opportunities, challenges and threats",
        "colour": "#0072b2",
        "definition": "What the organization names as helping or hindering its work on precarious work "
        "and worker health, inside the organization (strengths, challenges) or around it "
        "(opportunities, threats).",
        "when_to_use": "The respondent assesses a condition that makes action on precarious work easier "
        "or harder.",
        "when_not_to_use": "Descriptions of an initiative itself (code it under the initiatives or policy "
        "branches) or of partners (networks).",
        "example": "“Our biggest strength is that members trust us; our challenge is that we have two "
        "staff.”",
        "children": [
            {
                "name": "Organizational strength",
                "definition": "A capacity of the organization: trust of workers, expertise, staff, data, "
                "reach.",
                "when_to_use": "The respondent says what the organization does well or has that helps.",
                "when_not_to_use": "Strengths of a partner organization (use Business and employment "
                "networks).",
                "example": "“We have bilingual promotoras who know every block of the neighborhood.”",
            },
            {
                "name": "Opportunity",
                "definition": "An outside condition that opens a path for action: a new law, funder "
                "interest, public attention, an election.",
                "when_to_use": "A favourable circumstance outside the organization's control.",
                "when_not_to_use": "A plan the organization is already carrying out (use Policy proposals "
                "under way or Initiatives).",
                "example": "“Since the pandemic the health department finally talks about sick leave.”",
            },
            {
                "name": "Limited knowledge of precarious work",
                "definition": "Staff, partners or the public do not know what precarious work is or how it "
                "affects health.",
                "when_to_use": "The respondent names a gap in knowledge or awareness as a barrier.",
                "when_not_to_use": "Workers' knowledge of their own rights (use Initiatives that build "
                "workers' skills and knowledge).",
                "example": "“Our nurses never ask patients what kind of job they have.”",
            },
            {
                "name": "Funding constraints",
                "definition": "Lack of money, short or restricted grants, or funders' priorities that "
                "limit the work.",
                "when_to_use": "Money or the terms of funding are named as limiting what can be done.",
                "when_not_to_use": "Staff shortages with no mention of funding (use Organizational strength "
                "or a memo).",
                "example": "“The grant pays for screenings, not for organizing, so we cannot follow up.”",
            },
            {
                "name": "Workers' fear of retaliation",
                "definition": "Workers do not speak up, report or take part for fear of losing their job, "
                "hours or immigration status.",
                "when_to_use": "Fear of employer or immigration consequences is named as a barrier.",
                "when_not_to_use": "General distrust of institutions without a threat of retaliation.",
                "example": "“People won't file a claim; they know they'll be off the schedule next week.”",
            },
            {
                "name": "External threat",
                "definition": "An outside condition that endangers the work: preemption laws, budget cuts, "
                "hostile politics, industry opposition.",
                "when_to_use": "A harmful circumstance outside the organization's control.",
                "when_not_to_use": "Internal weaknesses (use Limited knowledge or Funding constraints).",
                "example": "“The state keeps trying to preempt local minimum wage ordinances.”",
            },
        ],
    },
    {
        "name": "Business and employment networks",
        "colour": "#e69f00",
        "definition": "The organizations the respondent works with or through on employment: employers, "
        "business associations, staffing agencies, unions, worker centers, workforce boards.",
        "when_to_use": "The respondent names a partner, network or relationship around work and employment.",
        "when_not_to_use": "Partnerships between health and labor organizations specifically (use "
        "Health–labor collaboration).",
        "example": "“We sit on the workforce board with the chamber of commerce and two unions.”",
        "children": [
            {
                "name": "Employers and business associations",
                "definition": "Relationships with employers, chambers of commerce or industry groups.",
                "when_to_use": "An employer or business group is named as a partner, target or audience.",
                "when_not_to_use": "Staffing and temporary agencies (use their own code).",
                "example": "“The restaurant association co-hosted our food-safety and wage training.”",
            },
            {
                "name": "Staffing and temporary agencies",
                "definition": "Temp agencies, labor brokers, platforms that place workers.",
                "when_to_use": "Agencies or platforms are named as part of how the workers are employed.",
                "when_not_to_use": "Direct employers (use Employers and business associations).",
                "example": "“Most of the warehouse workers come through three agencies.”",
            },
            {
                "name": "Unions and worker centers",
                "definition": "Labor unions, worker centers and other worker organizations as partners.",
                "when_to_use": "A worker organization is named as a partner or contact.",
                "when_not_to_use": "The respondent's own organization when it is a union (code what it "
                "does).",
                "example": "“We refer injured workers to the worker center's legal clinic.”",
            },
            {
                "name": "Workforce development system",
                "definition": "Workforce boards, job training programs, community colleges, job centers.",
                "when_to_use": "The public workforce system is named as a partner or channel.",
                "when_not_to_use": "Trainings the organization runs itself (use Initiatives that build "
                "workers' skills and knowledge).",
                "example": "“The American Job Center sends us people who were misclassified.”",
            },
        ],
    },
    {
        "name": "Policy proposals under way",
        "colour": "#009e73",
        "definition": "Public policies (laws, ordinances, regulations, enforcement) about work that the "
        "organization proposes, supports or works on now.",
        "when_to_use": "The respondent names a public policy effort they are part of or follow closely.",
        "when_not_to_use": "Internal organizational policies (use Initiatives) or policies merely wished for "
        "with no effort under way (use Opportunity).",
        "example": "“We are pushing a fair workweek ordinance with the city council.”",
        "children": [
            {
                "name": "Paid sick leave",
                "definition": "Earned or paid sick time laws and their enforcement.",
                "when_to_use": "Any effort to pass, expand or enforce paid sick leave.",
                "when_not_to_use": "Family and medical leave of longer duration (code under Policy with a "
                "memo).",
                "example": "“We testified for the county's earned sick time ordinance.”",
            },
            {
                "name": "Fair scheduling",
                "definition": "Fair workweek and predictive scheduling: advance notice, rest between "
                "shifts, access to hours.",
                "when_to_use": "Efforts on schedules and hours as a matter of public policy.",
                "when_not_to_use": "An employer's voluntary scheduling practice (use Employers and "
                "business associations).",
                "example": "“The ordinance would give two weeks' notice of schedules.”",
            },
            {
                "name": "Minimum wage",
                "definition": "Minimum or living wage laws, including tipped and youth wages.",
                "when_to_use": "Efforts to raise, index or protect the minimum wage.",
                "when_not_to_use": "Unpaid wages owed (use Wage theft enforcement).",
                "example": "“We were part of the Fight for 15 coalition in the county.”",
            },
            {
                "name": "Wage theft enforcement",
                "definition": "Laws, offices and practices that recover unpaid wages and punish wage theft.",
                "when_to_use": "Efforts on wage claims, enforcement offices, penalties, liens.",
                "when_not_to_use": "Raising wage levels (use Minimum wage).",
                "example": "“The new office of labor standards can finally investigate claims.”",
            },
            {
                "name": "Occupational safety and health standards",
                "definition": "Workplace safety and health rules: heat, chemicals, injury reporting, "
                "workers' compensation.",
                "when_to_use": "Efforts on health and safety regulation or its enforcement.",
                "when_not_to_use": "Health services offered to workers (use Initiatives).",
                "example": "“We are asking the state for a heat standard for warehouse workers.”",
            },
        ],
    },
    {
        "name": "Initiatives that build workers' skills and knowledge",
        "colour": "#cc79a7",
        "definition": "Programs of the organization that train or inform workers, supervisors or staff "
        "about rights, health and safety, or job skills.",
        "when_to_use": "The respondent describes a training, workshop, curriculum or education program.",
        "when_not_to_use": "Public policy campaigns (use Policy proposals under way) or how information "
        "reaches people (use Communication channels).",
        "example": "“We also train members on their rights.”",
        "children": [
            {
                "name": "Know-your-rights training",
                "definition": "Teaching workers their rights at work: wages, leave, safety, organizing.",
                "when_to_use": "A training or workshop about workers' legal rights.",
                "when_not_to_use": "Job-skills training (use Job skills and career pathways).",
                "example": "“Every Saturday we hold a wage-and-hour rights workshop in Spanish.”",
            },
            {
                "name": "Health and safety training",
                "definition": "Training on hazards, injury prevention, heat, chemicals or mental health "
                "at work.",
                "when_to_use": "A training about health and safety on the job.",
                "when_not_to_use": "Clinical services or screenings (note them in a memo).",
                "example": "“Our OSHA 10 course is taught by workers who survived injuries.”",
            },
            {
                "name": "Job skills and career pathways",
                "definition": "Training for skills, certificates or better jobs.",
                "when_to_use": "Programs that help workers move to more stable or better-paid work.",
                "when_not_to_use": "Rights or safety trainings.",
                "example": "“The CNA program moved twelve home care workers into hospital jobs.”",
            },
            {
                "name": "Training for staff and providers",
                "definition": "Training that teaches the organization's own staff or health providers about "
                "precarious work.",
                "when_to_use": "The learners are staff, clinicians or volunteers rather than workers.",
                "when_not_to_use": "Trainings for workers themselves.",
                "example": "“We trained our community health workers to ask about job conditions.”",
            },
        ],
    },
    {
        "name": "Communication channels",
        "colour": "#d55e00",
        "definition": "The ways the organization reaches workers, partners and the public.",
        "when_to_use": "The respondent names a medium, venue or messenger they use to communicate.",
        "when_not_to_use": "The content of a training (use Initiatives) or a partner relationship (use "
        "networks).",
        "example": "“WhatsApp groups reach more drivers than any flyer.”",
        "children": [
            {
                "name": "Social media and messaging",
                "definition": "Facebook, WhatsApp, text messages, other online channels.",
                "when_to_use": "An online or phone-based channel is named.",
                "when_not_to_use": "Traditional media (use Radio, TV and print).",
                "example": "“We send wage-theft alerts by text message.”",
            },
            {
                "name": "Radio, TV and print",
                "definition": "Ethnic and community media, newspapers, radio shows, TV.",
                "when_to_use": "A mass-media channel is named.",
                "when_not_to_use": "Online channels.",
                "example": "“Our weekly segment on Radio Arte answers workers' questions.”",
            },
            {
                "name": "In-person outreach",
                "definition": "Door knocking, worksite visits, clinics, fairs, churches, community events.",
                "when_to_use": "Face-to-face outreach is named.",
                "when_not_to_use": "Formal trainings (use Initiatives).",
                "example": "“We go to the day-labor corners at six in the morning.”",
            },
            {
                "name": "Trusted messengers",
                "definition": "People who carry the message: promotoras, peers, faith leaders, union "
                "stewards.",
                "when_to_use": "The respondent stresses who delivers the message.",
                "when_not_to_use": "The medium alone (use the other channel codes).",
                "example": "“Workers listen to the promotoras, not to us.”",
            },
        ],
    },
    {
        "name": "Health–labor collaboration",
        "colour": "#56b4e9",
        "definition": "Work together between health organizations (public health, health care) and "
        "labor organizations (unions, worker centers, labor agencies).",
        "when_to_use": "The respondent speaks about health and labor groups working together or failing to.",
        "when_not_to_use": "Partnerships within one sector (use Business and employment networks).",
        "example": "“The health department and the worker center now run a joint heat campaign.”",
        "children": [
            {
                "name": "Existing partnership",
                "definition": "A collaboration between health and labor organizations that exists now or "
                "existed.",
                "when_to_use": "A concrete joint project, referral agreement, coalition or shared staff.",
                "when_not_to_use": "A hoped-for collaboration (use Barrier to collaboration or a memo).",
                "example": "“Our clinic refers injured workers to the union's legal team.”",
            },
            {
                "name": "Barrier to collaboration",
                "definition": "What keeps health and labor organizations apart: different language, "
                "mandates, funding rules, distrust, politics.",
                "when_to_use": "The respondent explains why health and labor do not work together.",
                "when_not_to_use": "General barriers to the organization's work (use Strengths, "
                "opportunities, challenges and threats).",
                "example": "“Our funders say organizing is not a health activity.”",
            },
        ],
    },
]


@transaction.atomic
def seed_scan_codebook(project: Project, by: Any = None) -> list[Code]:
    """Add the scan codebook (SCAN_CODEBOOK) to the project: codes whose path already exists are
    kept as they are. Returns every seed code (found or created), parents before children."""
    codes: list[Code] = []
    created = 0
    for position, branch in enumerate(SCAN_CODEBOOK):
        spec = {key: value for key, value in branch.items() if key != "children"}
        top, was_created = Code.objects.get_or_create(
            project=project, parent=None, name=spec.pop("name"), defaults={**spec, "position": position}
        )
        created += was_created
        codes.append(top)
        for child_position, child in enumerate(branch["children"]):
            child_fields = {key: value for key, value in child.items() if key != "name"}
            code, was_created = Code.objects.get_or_create(
                project=project,
                parent=top,
                name=child["name"],
                defaults={**child_fields, "colour": top.colour, "position": child_position},
            )
            created += was_created
            codes.append(code)
    if created:
        audit.record(by, "import", project, {"codes_created": created}, note=_("scan codebook seeded"))
    return codes
