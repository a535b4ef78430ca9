"""Queries over coded segments: retrieval by code, the code-by-sector matrix and co-occurrence.

Every query starts from `Coding.objects.visible_to(user)`, so a coder in an open blind round never
sees another coder's segments through an analysis page. Counts are GROUP BY queries; no function
here loops over codings in Python.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from healthywork.partners.models import Family, Level, Sector
from healthywork.scan.models import Code, Coding, Document, Project, RoundStatus

# What one segment row holds: read with `values()`, so a document's text is never loaded.
SEGMENT_VALUES = {
    "public_id": "public_id",
    "snippet": "snippet",
    "start_offset": "start_offset",
    "end_offset": "end_offset",
    "is_consensus": "is_consensus",
    "code_id": "code_id",
    "code_name": "code__name",
    "code_public_id": "code__public_id",
    "document_public_id": "document__public_id",
    "document_title": "document__title",
    "organization_name": "document__interview__organization__name",
    "organization_public_id": "document__interview__organization__public_id",
    "organization_level": "document__interview__organization__level",
    "sector_name": "document__interview__organization__sector__name",
    "sector_family": "document__interview__organization__sector__family",
    "interview_at": "document__interview__scheduled_at",
    "coder_username": "coder__username",
    "coder_first_name": "coder__first_name",
    "coder_last_name": "coder__last_name",
}
ORGANIZATION = "document__interview__organization"


@dataclass
class SegmentFilter:
    """What the retrieval page and its exports select; every field is optional."""

    code: Code | None = None
    include_children: bool = False
    sector: Sector | None = None
    family: str = ""
    level: str = ""
    coder: Any = None
    is_consensus_only: bool = False
    text: str = ""
    overlapping_code: Code | None = None
    is_same_coder: bool = False


def descendant_ids(project: Project, code_ids: Iterable[int]) -> set[int]:
    """The given codes and every code below them (one query for the project's whole tree)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for code_id, parent_id in Code.objects.filter(project=project).values_list("id", "parent_id"):
        children[parent_id].append(code_id)
    found, stack = set(), list(code_ids)
    while stack:
        code_id = stack.pop()
        if code_id not in found:
            found.add(code_id)
            stack.extend(children[code_id])
    return found


def visible_codings(user: Any, project: Project) -> QuerySet:
    """The project's codings this person may see (blind rounds respected).

    The same rows as `Coding.objects.visible_to(user).filter(document__project=project)`, written so
    the database plans it well: the project's visibility is checked once, and the blind-round
    exclusion (other coders' codings on documents of an open round in which this person codes) is
    added only when this person codes in an open round of this project."""
    if not Project.objects.visible_to(user).filter(pk=project.pk).exists():
        return Coding.objects.none()
    codings = Coding.objects.filter(document__project=project)
    blind = Document.objects.filter(project=project, rounds__status=RoundStatus.OPEN, rounds__coders=user)
    if blind.exists():
        codings = codings.exclude(Q(document__in=blind.values("pk")) & ~Q(coder=user))
    return codings


def filter_codings(codings: QuerySet, chosen: SegmentFilter) -> QuerySet:
    """Codings narrowed by organization, coder, consensus and text filters (not by code)."""
    if chosen.sector is not None:
        codings = codings.filter(**{f"{ORGANIZATION}__sector": chosen.sector})
    if chosen.family:
        codings = codings.filter(**{f"{ORGANIZATION}__sector__family": chosen.family})
    if chosen.level:
        codings = codings.filter(**{f"{ORGANIZATION}__level": chosen.level})
    if chosen.coder is not None:
        codings = codings.filter(coder=chosen.coder)
    if chosen.is_consensus_only:
        codings = codings.filter(is_consensus=True)
    if chosen.text:
        codings = codings.filter(snippet__icontains=chosen.text)
    return codings


def selected_codings(user: Any, project: Project, chosen: SegmentFilter) -> QuerySet:
    """The visible codings the filter selects (a Coding queryset, unordered)."""
    codings = filter_codings(visible_codings(user, project), chosen)
    if chosen.code is not None:
        if chosen.include_children:
            codings = codings.filter(code_id__in=descendant_ids(project, [chosen.code.pk]))
        else:
            codings = codings.filter(code=chosen.code)
    if chosen.overlapping_code is not None:
        others = visible_codings(user, project).filter(
            code=chosen.overlapping_code,
            document=OuterRef("document"),
            start_offset__lt=OuterRef("end_offset"),
            end_offset__gt=OuterRef("start_offset"),
        )
        if chosen.is_same_coder:
            others = others.filter(coder=OuterRef("coder"))
        codings = codings.filter(Exists(others))
    return codings.order_by()


SEGMENT_ORDER = (f"{ORGANIZATION}__name", "document__title", "start_offset", "id")


def as_segment_rows(codings: QuerySet) -> QuerySet:
    """Codings as segment dictionaries (see SEGMENT_VALUES), without an order."""
    own = [name for name, path in SEGMENT_VALUES.items() if name == path]
    related = {name: F(path) for name, path in SEGMENT_VALUES.items() if name != path}
    return codings.values(*own, **related).order_by()


def segments(user: Any, project: Project, chosen: SegmentFilter) -> QuerySet:
    """The segments the filter selects, as dictionaries (see SEGMENT_VALUES), by organization."""
    return as_segment_rows(selected_codings(user, project, chosen)).order_by(*SEGMENT_ORDER)


class OrderedSegments(Sequence):
    """The selected segments in the order of `segments()` (organization name, document title,
    start, id), read a slice at a time without sorting every segment in the database.

    A frequent code has tens of thousands of segments; sorting them all by organization name to
    show 25 costs a join and a sort of every row, and counting them another pass. Instead: one
    GROUP BY gives the number of segments per document (and so the total), one query the
    project's documents in (organization name, title) order; a slice then reads only the
    documents it covers, each ordered by (start, id) in the database. Documents that share an
    organization name and a title are read together, so the order is exactly `segments()`'s.
    Paginator takes it as it takes a queryset (`count()` and slicing)."""

    def __init__(self, codings: QuerySet, project: Project):
        self.codings = codings
        self.project = project
        self._groups: list[tuple[list[int], int]] | None = None  # ([document ids], segments)

    def groups(self) -> list[tuple[list[int], int]]:
        if self._groups is None:
            per_document = dict(
                self.codings.order_by().values_list("document_id").annotate(total=Count("id")).order_by()
            )
            documents = (
                Document.objects.filter(project=self.project)
                .order_by("interview__organization__name", "title")
                .values_list("id", "interview__organization__name", "title")
            )
            groups: list[tuple[list[int], int]] = []
            last_key = None
            for document_id, organization_name, title in documents.iterator(chunk_size=5000):
                total = per_document.get(document_id)
                if not total:
                    continue
                key = (organization_name, title)
                if groups and key == last_key:
                    groups[-1][0].append(document_id)
                    groups[-1] = (groups[-1][0], groups[-1][1] + total)
                else:
                    groups.append(([document_id], total))
                last_key = key
            self._groups = groups
        return self._groups

    def count(self) -> int:
        return sum(total for _ids, total in self.groups())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.indices(self.count())
        if step != 1:
            raise ValueError("OrderedSegments takes plain slices.")
        rows: list[dict[str, Any]] = []
        position = 0
        for ids, total in self.groups():
            if position >= stop:
                break
            if position + total > start:
                first = max(start - position, 0)
                last = min(stop - position, total)
                chosen = (
                    self.codings.filter(document_id__in=ids)
                    if len(ids) > 1
                    else self.codings.filter(document_id=ids[0])
                )
                rows += as_segment_rows(chosen).order_by("start_offset", "id")[first:last]
            position += total
        return rows

    def iterate(self, fields: list[str], rows_per_query: int = 5000) -> Iterator[tuple]:
        """Every segment in order, as tuples of `fields` (names of SEGMENT_VALUES), reading the
        documents of about `rows_per_query` segments per query."""
        batch: list[list[int]] = []
        size = 0
        for ids, total in self.groups():
            batch.append(ids)
            size += total
            if size >= rows_per_query:
                yield from self._read(batch, fields)
                batch, size = [], 0
        if batch:
            yield from self._read(batch, fields)

    def _read(self, batch: list[list[int]], fields: list[str]) -> Iterator[tuple]:
        group_of = {document_id: index for index, ids in enumerate(batch) for document_id in ids}
        paths = [SEGMENT_VALUES[name] for name in fields]
        rows = self.codings.filter(document_id__in=list(group_of)).values_list(
            "document_id", "start_offset", "id", *paths
        )
        ordered = sorted(rows, key=lambda row: (group_of[row[0]], row[1], row[2]))
        for row in ordered:
            yield row[3:]


def by_codebook_order(rows: QuerySet, project: Project) -> QuerySet:
    """The rows grouped by code, codes in the codebook's tree order (parents before children)."""
    order = [code.pk for code in _tree_order(list(Code.objects.filter(project=project)))]
    position = Case(
        *(When(code_id=code_id, then=Value(index)) for index, code_id in enumerate(order)),
        default=Value(len(order)),
        output_field=IntegerField(),
    )
    return rows.order_by(position, "code_id", *rows.query.order_by)


FAMILY_LABELS = dict(Family.choices)
LEVEL_LABELS = dict(Level.choices)


def coder_label(row: dict[str, Any]) -> str:
    if row["is_consensus"]:
        return _("consensus")
    full_name = f"{row['coder_first_name']} {row['coder_last_name']}".strip()
    return full_name or row["coder_username"]


def labels() -> tuple[dict[str, str], dict[str, str]]:
    """The family and level labels in the active language (translating each once)."""
    return (
        {key: str(label) for key, label in FAMILY_LABELS.items()},
        {key: str(label) for key, label in LEVEL_LABELS.items()},
    )


def describe(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rows with their labels added: family and level names, the coder, the interview date."""
    families, levels = labels()
    for row in rows:
        row["family_label"] = families.get(row["sector_family"], row["sector_family"] or "")
        row["level_label"] = levels.get(row["organization_level"], row["organization_level"] or "")
        row["coder_label"] = coder_label(row)
        row["interview_date"] = row["interview_at"].date() if row["interview_at"] else None
        yield row


# --- Code by sector ---------------------------------------------------------------------------


@dataclass
class Matrix:
    """Counts of a code-by-column table; `cells[(row_id, column_key)] = (organizations, segments)`."""

    rows: list[Code]
    columns: list[tuple[str, str]]  # (key, label)
    cells: dict[tuple[int, str], tuple[int, int]] = field(default_factory=dict)
    row_totals: dict[int, tuple[int, int]] = field(default_factory=dict)
    column_totals: dict[str, tuple[int, int]] = field(default_factory=dict)
    total: tuple[int, int] = (0, 0)
    without_organization: int = 0

    def value(self, row_id: int, key: str, measure: str) -> int:
        pair = self.cells.get((row_id, key), (0, 0))
        return pair[0] if measure == "organizations" else pair[1]


def _top_ancestors(project: Project) -> dict[int, int]:
    """Each code's top-level ancestor (itself for a top-level code)."""
    parents = dict(Code.objects.filter(project=project).values_list("id", "parent_id"))
    top = {}
    for code_id in parents:
        node, seen = code_id, set()
        while parents.get(node) is not None and node not in seen:
            seen.add(node)
            node = parents[node]
        top[code_id] = node
    return top


def code_sector_matrix(
    user: Any, project: Project, chosen: SegmentFilter, *, by_family: bool, all_codes: bool
) -> Matrix:
    """Organizations and segments per code and sector (or sector family), with totals.

    With `all_codes` off, rows are the top-level codes and each counts the segments of its
    sub-codes too; with it on, every code counts its own segments only. An organization has one
    sector, so the organizations of a row add up across columns; a column's total counts each
    organization once, whatever the number of codes it carries."""
    codings = filter_codings(visible_codings(user, project), chosen)
    without = codings.filter(document__interview__isnull=True).count()
    codings = codings.filter(document__interview__isnull=False)
    column = f"{ORGANIZATION}__sector__family" if by_family else f"{ORGANIZATION}__sector__slug"
    codes = list(Code.objects.filter(project=project).order_by("position", "name"))
    if all_codes:
        rows, row_of = _tree_order(codes), "code_id"
        row_expression = None
    else:
        rows = [code for code in codes if code.parent_id is None]
        top = _top_ancestors(project)
        by_top: dict[int, list[int]] = defaultdict(list)
        for code_id, top_id in top.items():
            by_top[top_id].append(code_id)
        row_expression = Case(
            *(When(code_id__in=ids, then=Value(top_id)) for top_id, ids in by_top.items()),
            output_field=IntegerField(),
        )
        row_of = "row"
    if row_expression is not None and rows:
        codings = codings.annotate(row=row_expression)
    measures = {"organizations": Count(ORGANIZATION, distinct=True), "segments": Count("id")}
    cells = {}
    if rows:
        for item in codings.values(row_of, column).annotate(**measures).order_by():
            cells[(item[row_of], item[column])] = (item["organizations"], item["segments"])
    column_totals = {
        item[column]: (item["organizations"], item["segments"])
        for item in codings.values(column).annotate(**measures).order_by()
    }
    overall = codings.aggregate(**measures)
    if by_family:
        present = set(column_totals)
        columns = [(key, str(label)) for key, label in Family.choices if key in present]
    else:
        names = dict(Sector.objects.filter(slug__in=list(column_totals)).values_list("slug", "name"))
        columns = sorted(((slug, names.get(slug, slug)) for slug in column_totals), key=lambda item: item[1])
    row_totals: dict[int, tuple[int, int]] = {}
    for (row_id, _column), (organizations, count) in cells.items():
        before = row_totals.get(row_id, (0, 0))
        row_totals[row_id] = (before[0] + organizations, before[1] + count)
    return Matrix(
        rows=rows,
        columns=columns,
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=(overall["organizations"] or 0, overall["segments"] or 0),
        without_organization=without,
    )


def _tree_order(codes: list[Code]) -> list[Code]:
    """Codes depth first, each annotated with its `depth` (0 at the top)."""
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:
        children[code.parent_id].append(code)
    ordered: list[Code] = []

    def visit(parent_id: int | None, depth: int) -> None:
        for code in children[parent_id]:
            code.depth = depth
            ordered.append(code)
            visit(code.pk, depth + 1)

    visit(None, 0)
    return ordered


# --- Co-occurrence ------------------------------------------------------------------------------


def cooccurrence(user: Any, project: Project, *, same_coder: bool) -> dict[tuple[int, int], int]:
    """{(code id a, code id b): number of pairs of overlapping segments}, with a < b.

    Two segments overlap when they are in the same document and share at least one character
    (a.start < b.end and b.start < a.end). One self-join in SQL over the visible codings. Each
    overlapping pair is found once, from the segment that starts first (the lower id on a tie): the
    other one starts inside it. That turns the join into a short range scan of the index on
    (document, start) instead of comparing every two segments of a document."""
    visible = visible_codings(user, project).values("id")
    inner, params = visible.query.sql_with_params()
    table = connection.ops.quote_name(Coding._meta.db_table)
    coder_condition = "AND a.coder_id = b.coder_id" if same_coder else ""
    sql = f"""
        SELECT CASE WHEN a.code_id < b.code_id THEN a.code_id ELSE b.code_id END,
               CASE WHEN a.code_id < b.code_id THEN b.code_id ELSE a.code_id END,
               COUNT(*)
        FROM {table} a JOIN {table} b
          ON b.document_id = a.document_id
         AND b.start_offset >= a.start_offset
         AND b.start_offset < a.end_offset
         AND (b.start_offset > a.start_offset OR b.id > a.id)
         AND b.code_id <> a.code_id
         {coder_condition}
        WHERE a.id IN ({inner}) AND b.id IN ({inner})
        GROUP BY 1, 2
    """  # noqa: S608 - the inner query is Django's own compiled SQL, its parameters passed apart
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        return {(code_a, code_b): count for code_a, code_b, count in cursor.fetchall()}


def codes_in_pairs(project: Project, pairs: dict[tuple[int, int], int]) -> list[Code]:
    """The codes that take part in at least one pair, in codebook order."""
    ids = {code_id for pair in pairs for code_id in pair}
    return [code for code in _tree_order(list(Code.objects.filter(project=project))) if code.pk in ids]


def symmetric(pairs: dict[tuple[int, int], int]) -> dict[tuple[int, int], int]:
    full = dict(pairs)
    full.update({(b, a): count for (a, b), count in pairs.items()})
    return full
