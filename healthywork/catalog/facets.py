"""The catalog's faceted search: the filters in the URL, the live counts beside them, the sorts.

Every class of an initiative is a facet. The values chosen within one facet are alternatives
(OR); facets combine with AND, and with the text query. A facet's counts are those of the
current result with every selection applied but the facet's own, as faceted search does: ticking
one more value of a facet shows how many initiatives that adds, and the counts of the other
facets show how many are left.

The counts cost one GROUP BY per facet (sector and sector family share one), all sent as one
statement with the total and the page's ids (see "Counting" below); a many-valued facet is
filtered by a subquery on its link table, never by a join that multiplies rows and needs
DISTINCT. Parameters are read from a QueryDict (`getlist`) or from a plain dict of strings or lists, so
the page, the API, the export and the command line share them.

Past `facet_index.MIN_INITIATIVES` initiatives (setting CATALOG_FACET_INDEX_MIN_INITIATIVES) the
same answers are counted in memory instead, by `facet_index` (see "Counting in memory" below):
the database is asked only for the ids the words match.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from healthywork.catalog import facet_index
from healthywork.catalog.models import (
    ActionType,
    Condition,
    EvidenceRating,
    Initiative,
    PSEClass,
    Status,
    Tag,
    TWHLevel,
)
from healthywork.core.search import search_words, text_search
from healthywork.partners.models import Family, Level, Organization, Population, Sector

TAG_LIMIT = 25  # the tag facet lists the most used tags (and any selected one), not all of them


@dataclass(frozen=True)
class Facet:
    key: str
    label: Promise
    # "choice": a column with fixed choices; "term": a foreign key to a small taxonomy, named by
    # its slug in the URL; "many": a many-to-many taxonomy; "sector"/"family": the lead's sector.
    kind: str
    column: str = ""
    choices: tuple[tuple[str, Promise], ...] = ()
    model: type[Model] | None = None


FACETS: list[Facet] = [
    Facet("sector", _("Sector of the lead organization"), "sector"),
    Facet("sector_family", _("Sector family"), "family", choices=tuple(Family.choices)),
    Facet("action_type", _("Action type"), "term", "action_type", model=ActionType),
    Facet("pse_class", _("PSE class"), "choice", "pse_class", tuple(PSEClass.choices)),
    Facet("twh_level", _("Total Worker Health level"), "choice", "twh_level", tuple(TWHLevel.choices)),
    Facet("level", _("Level"), "choice", "level", tuple(Level.choices)),
    Facet("status", _("Status"), "choice", "status", tuple(Status.choices)),
    Facet("condition", _("Healthy-work condition"), "many", "condition", model=Condition),
    Facet("population", _("Worker population"), "many", "population", model=Population),
    Facet(
        "evidence_rating", _("Evidence rating"), "choice", "evidence_rating", tuple(EvidenceRating.choices)
    ),
    Facet("tag", _("Tag"), "many", "tag", model=Tag),
]
FACETS_BY_KEY = {facet.key: facet for facet in FACETS}
FILTER_NAMES = ["q", *FACETS_BY_KEY]

SORTS: dict[str, tuple[Promise, tuple[Any, ...]]] = {
    "title": (_("Title"), ("title", "pk")),
    "newest": (_("Newest start date"), (F("start_date").desc(nulls_last=True), "title", "pk")),
    "updated": (_("Recently updated"), ("-updated_at", "-pk")),
}
DEFAULT_SORT = "title"


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    is_selected: bool


@dataclass
class FacetGroup:
    facet: Facet
    options: list[FacetOption] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.facet.key

    @property
    def label(self) -> Promise:
        return self.facet.label

    @property
    def selected_count(self) -> int:
        return sum(option.is_selected for option in self.options)


# --- Reading the parameters -------------------------------------------------------------------


def _values(params: Mapping[str, Any], key: str) -> list[str]:
    if hasattr(params, "getlist"):
        raw = params.getlist(key)
    else:
        value = params.get(key)
        raw = value if isinstance(value, (list, tuple, set)) else [value]
    cleaned = (str(value).strip() for value in raw if value is not None)
    return list(dict.fromkeys(value for value in cleaned if value))


def selections(params: Mapping[str, Any]) -> dict[str, list[str]]:
    """{facet key: chosen values} for the facets with a choice in `params`."""
    chosen = {facet.key: _values(params, facet.key) for facet in FACETS}
    return {key: values for key, values in chosen.items() if values}


def query_text(params: Mapping[str, Any]) -> str:
    values = _values(params, "q")
    return values[0] if values else ""


# --- Filtering --------------------------------------------------------------------------------


def _through(facet: Facet) -> tuple[type[Model], str]:
    """The many-to-many table of a "many" facet and its column naming the term."""
    relation = {"condition": "conditions", "population": "populations", "tag": "tags"}[facet.column]
    return getattr(Initiative, relation).through, f"{facet.column}_id"


def _term_ids(facet: Facet, values: list[str]) -> list[int]:
    """The ids of the chosen terms of a taxonomy facet (sector slugs, family names, slugs, tags)."""
    if facet.kind == "sector":
        terms = Sector.objects.filter(slug__in=values)
    elif facet.kind == "family":
        terms = Sector.objects.filter(family__in=values)
    else:
        terms = facet.model.objects.filter(**{"name__in" if facet.model is Tag else "slug__in": values})
    # Resolved first: a literal list lets the database use the link tables' term index.
    return list(terms.values_list("pk", flat=True))


def _filter_one(queryset: QuerySet, facet: Facet, values: list[str]) -> QuerySet:
    if facet.kind == "choice":
        return queryset.filter(**{f"{facet.column}__in": values})
    ids = _term_ids(facet, values)
    if facet.kind in ("sector", "family"):
        leads = Organization.objects.filter(sector_id__in=ids).values("pk")
        return queryset.filter(lead_organization__in=leads)
    if facet.kind == "term":
        return queryset.filter(**{f"{facet.column}_id__in": ids})
    through, column = _through(facet)
    # A subquery on the link table keeps one row per initiative, where a join would need DISTINCT.
    return queryset.filter(pk__in=through.objects.filter(**{f"{column}__in": ids}).values("initiative_id"))


def _filter_facets(queryset: QuerySet, chosen: dict[str, list[str]]) -> QuerySet:
    for key, values in chosen.items():
        queryset = _filter_one(queryset, FACETS_BY_KEY[key], values)
    return queryset


def apply_filters(queryset: QuerySet, params: Mapping[str, Any]) -> QuerySet:
    """`queryset` narrowed by the text query `q` and every facet chosen in `params`.

    Unknown parameters (page, sort, format...) are ignored; an unknown value of a facet matches
    nothing, as a filter should."""
    return _filter_facets(text_search(queryset, query_text(params)), selections(params))


def sort_initiatives(queryset: QuerySet, sort: str | None) -> QuerySet:
    """`queryset` in the order named by `sort` (see SORTS); an unknown name gives the default."""
    _label, ordering = SORTS.get(sort or "", SORTS[DEFAULT_SORT])
    return queryset.order_by(*ordering)


# --- Counting ---------------------------------------------------------------------------------
#
# Everything the catalog page needs from the database comes from one statement, a UNION ALL of
# one GROUP BY per facet, the total and the ids of the page. `base` is the visible initiatives
# matching the text query (their classes only, never the wide text columns); `hit`, the current
# result, is `base` with every facet's choice applied. A facet without a choice of its own is
# counted over `hit`; one with a choice, over `base` with the other facets' choices.
#
# With a text query `base` and `hit` are common table expressions, read once: on SQLite every
# initiative the words match costs a lookup in the big table, and doing that once rather than
# once per facet is what keeps a common word fast. Without one they are written out in each
# branch, so that each count walks the index of its own column instead of a copy of the table.

# The columns of `base`: the initiative's classes (the lead organization as `org`), then what
# the chosen sort needs.
BASE_COLUMNS = ["id", "action_type_id", "pse_class", "twh_level", "level", "status", "evidence_rating", "org"]
SQL_ORDERINGS = {
    "title": (["title"], "title, id"),
    "newest": (
        ["start_date", "title"],
        "CASE WHEN start_date IS NULL THEN 1 ELSE 0 END, start_date DESC, title, id",
    ),
    "updated": (["updated_at"], "updated_at DESC, id DESC"),
}


@dataclass
class SearchResult:
    """What one catalog search found: the counts per facet, the total, the ids of one page."""

    counts: dict[str, dict[str, int]]
    total: int
    page_ids: list[int]
    offset: int
    terms: "_Terms | None" = None  # the taxonomies read on the way, for `facet_groups`


class _Terms:
    """The small taxonomies, each read at most once per search."""

    def __init__(self) -> None:
        self._loaded: dict[str, dict[int, tuple[str, str, str]]] = {}
        self._tag_ids: dict[tuple[str, ...], list[int]] = {}

    def of(self, facet: Facet) -> dict[int, tuple[str, str, str]]:
        """{id: (slug, name, sector family)} of a taxonomy facet's terms, in the taxonomy's order."""
        group = _group(facet)
        if group not in self._loaded:
            if group == "sector":
                rows = Sector.objects.order_by("name").values_list("pk", "slug", "name", "family")
                self._loaded[group] = {pk: (slug, name, family) for pk, slug, name, family in rows}
            else:
                rows = facet.model.objects.values_list("pk", "slug", "name")
                self._loaded[group] = {pk: (slug, name, "") for pk, slug, name in rows}
        return self._loaded[group]

    def ids(self, facet: Facet, values: list[str]) -> list[int]:
        if facet.model is Tag:
            if tuple(values) not in self._tag_ids:
                self._tag_ids[tuple(values)] = _term_ids(facet, values)
            return self._tag_ids[tuple(values)]
        index = 2 if facet.kind == "family" else 0
        wanted = set(values)
        return [pk for pk, term in self.of(facet).items() if term[index] in wanted]


def _group(facet: Facet) -> str:
    """Facets that group the same column share a name: the sector and sector family of the lead."""
    return "sector" if facet.kind in ("sector", "family") else facet.key


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _id_list(ids: list[int]) -> str:
    return ", ".join(str(int(pk)) for pk in ids) or "NULL"


def _predicate(facet: Facet, values: list[str], terms: _Terms) -> tuple[str, list[Any]]:
    """SQL over the columns of `base` keeping the rows with one of `values` in `facet`."""
    if facet.kind == "choice":
        return f"{facet.column} IN ({', '.join(['%s'] * len(values))})", list(values)
    ids = terms.ids(facet, values)
    if not ids:
        return "1 = 0", []
    if facet.kind == "term":
        return f"{facet.column}_id IN ({_id_list(ids)})", []
    if facet.kind in ("sector", "family"):
        organizations = _quote(Organization._meta.db_table)
        return f"org IN (SELECT id FROM {organizations} WHERE sector_id IN ({_id_list(ids)}))", []
    through, column = _through(facet)
    links = _quote(through._meta.db_table)
    if connection.vendor == "postgresql":
        # One hash of the chosen terms' initiatives (on the (term, initiative) index); an EXISTS
        # in the flags of `base` would be probed once per row.
        return f"base.id IN (SELECT initiative_id FROM {links} WHERE {column} IN ({_id_list(ids)}))", []
    # Probed row by row on the link table's unique (initiative, term) index: no DISTINCT needed.
    exists = f"SELECT 1 FROM {links} x WHERE x.initiative_id = base.id AND x.{column} IN ({_id_list(ids)})"
    return f"EXISTS ({exists})", []


class _Sources:
    """The FROM items of the branches: `base` narrowed by some facets' choices, `hit` by all."""

    def __init__(self, selected: QuerySet, predicates: dict, *, is_materialized: bool) -> None:
        self.base_sql, base_params = selected.query.sql_with_params()
        self.base_params = list(base_params)
        self.predicates = predicates
        self.is_materialized = is_materialized
        self.is_everything = not is_materialized and not selected.query.where

    def _flag(self, key: str) -> str:
        return f"chosen_{list(self.predicates).index(key)}"

    def where(self, leave_out: str | None = None) -> tuple[str, list[Any]]:
        keys = [key for key in self.predicates if key != leave_out]
        if not keys:
            return "", []
        if self.is_materialized:
            # Each choice is tested once per row, in `base`; the counts read the stored result.
            return " WHERE " + " AND ".join(f"{self._flag(key)} = 1" for key in keys), []
        chosen = [self.predicates[key] for key in keys]
        params = [param for _sql, predicate_params in chosen for param in predicate_params]
        return " WHERE " + " AND ".join(sql for sql, _params in chosen), params

    def head(self) -> tuple[str, list[Any]]:
        if not self.is_materialized:
            return "", []
        flags = [
            f", CASE WHEN {sql} THEN 1 ELSE 0 END AS {self._flag(key)}"
            for key, (sql, _params) in self.predicates.items()
        ]
        flag_params = [param for _sql, params in self.predicates.values() for param in params]
        where, _params = self.where()
        return (
            f"WITH base AS MATERIALIZED (SELECT base.*{''.join(flags)} FROM ({self.base_sql}) base), "
            f"hit AS MATERIALIZED (SELECT * FROM base{where})",
            [*flag_params, *self.base_params],
        )

    def rows(self, leave_out: str | None, columns: str = "*") -> tuple[str, list[Any]]:
        """A FROM item named `counted`: `base` with every choice but `leave_out`'s (None: `hit`)."""
        if self.is_materialized and (leave_out is None or leave_out not in self.predicates):
            return "hit counted", []
        where, params = self.where(leave_out)
        base = "base" if self.is_materialized else f"({self.base_sql}) base"
        base_params = [] if self.is_materialized else self.base_params
        return f"(SELECT {columns} FROM {base}{where}) counted", [*base_params, *params]

    def is_unfiltered(self, leave_out: str | None) -> bool:
        """Whether the rows are every initiative there is (no visibility rule, text or choice)."""
        return self.is_everything and not self.where(leave_out)[0]

    def join(self) -> str:
        # Over a few rows SQLite must start from them, not scan a whole link table.
        return "CROSS JOIN" if self.is_materialized and connection.vendor == "sqlite" else "JOIN"


def _branch(facet: Facet, sources: _Sources, leave_out: str | None) -> tuple[str, list[Any]]:
    """One facet's counts as rows (facet key, value as text, count)."""
    key = facet.key
    if facet.kind in ("choice", "term"):
        column = facet.column if facet.kind == "choice" else f"{facet.column}_id"
        rows, params = sources.rows(leave_out)
        return f"SELECT '{key}', CAST({column} AS TEXT), COUNT(*) FROM {rows} GROUP BY {column}", params
    if facet.kind in ("sector", "family"):
        rows, params = sources.rows(leave_out, "org")
        organizations = _quote(Organization._meta.db_table)
        # Counted per lead first, then per sector: one lookup of each lead organization rather
        # than one per initiative (a common word matches 150,000 initiatives of 50,000 leads).
        leads = f"(SELECT org, COUNT(*) AS n FROM {rows} GROUP BY org) leads"
        return (
            f"SELECT '{key}', CAST(o.sector_id AS TEXT), CAST(SUM(leads.n) AS BIGINT) FROM {leads} "
            f"{sources.join()} {organizations} o ON o.id = leads.org GROUP BY o.sector_id",
            params,
        )
    else:
        through, link_column = _through(facet)
        links = _quote(through._meta.db_table)
        if sources.is_unfiltered(leave_out):
            # The link table alone, on its term index. The column is qualified: PostgreSQL would
            # read a bare name in ORDER BY as the output column (the id cast to text) and break
            # ties between tags in text order, not by id as everywhere else.
            joined, column, params = links, f"{links}.{link_column}", []
        else:
            rows, params = sources.rows(leave_out, "id")
            joined, column = (
                f"{rows} {sources.join()} {links} l ON l.initiative_id = counted.id",
                f"l.{link_column}",
            )
    grouped = f"SELECT '{key}', CAST({column} AS TEXT), COUNT(*) FROM {joined} GROUP BY {column}"
    if facet.model is Tag:
        # The most used tags only, as a vocabulary open to everyone can grow to thousands.
        grouped = f"SELECT * FROM ({grouped} ORDER BY COUNT(*) DESC, {column} LIMIT {TAG_LIMIT}) top_tags"
    return grouped, params


def _chosen_tags_branch(facet: Facet, sources: _Sources, ids: list[int]) -> tuple[str, list[Any]]:
    """The chosen tags keep their count even when they are not among the most used."""
    through, link_column = _through(facet)
    rows, params = sources.rows(facet.key, "id")
    links = _quote(through._meta.db_table)
    return (
        f"SELECT '{facet.key}', CAST(l.{link_column} AS TEXT), COUNT(*) FROM {rows} {sources.join()} "
        f"{links} l ON l.initiative_id = counted.id WHERE l.{link_column} IN ({_id_list(ids)}) "
        f"GROUP BY l.{link_column}",
        params,
    )


def _statement(
    queryset: QuerySet,
    params: Mapping[str, Any],
    terms: _Terms,
    *,
    sort: str | None,
    offset: int,
    limit: int,
) -> tuple[str, list[Any]]:
    chosen = selections(params)
    text = query_text(params)
    sort_columns, ordering = SQL_ORDERINGS.get(sort or "", SQL_ORDERINGS[DEFAULT_SORT])
    columns = [*BASE_COLUMNS, *(sort_columns if limit else [])]
    selected = text_search(queryset, text).order_by().annotate(org=F("lead_organization_id"))
    predicates = {key: _predicate(FACETS_BY_KEY[key], values, terms) for key, values in chosen.items()}
    sources = _Sources(selected.values_list(*columns), predicates, is_materialized=bool(search_words(text)))
    branches: list[tuple[str, list[Any]]] = []
    counted: set[tuple[str, str | None]] = set()
    for facet in FACETS:
        leave_out = facet.key if facet.key in chosen else None
        # The sector family is read off the sector counts when both count the same rows.
        if (_group(facet), sources.where(leave_out)[0]) in counted:
            continue
        counted.add((_group(facet), sources.where(leave_out)[0]))
        branches.append(_branch(facet, sources, leave_out))
        if facet.kind == "family":
            # Counted on its own: with no row it is empty, not to be read off the sector counts.
            branches.append((f"SELECT '{facet.key}', NULL, 0", []))
        if facet.model is Tag and leave_out:
            branches.append(_chosen_tags_branch(facet, sources, terms.ids(facet, chosen[facet.key])))
    rows, rows_params = sources.rows(None)
    branches.append((f"SELECT 'total', NULL, COUNT(*) FROM {rows}", rows_params))
    # The catalog's size, for choosing the in-memory index next time (see `_index_for`).
    branches.append((f"SELECT 'size', NULL, COUNT(*) FROM {_quote(Initiative._meta.db_table)}", []))
    if limit:
        page = f"SELECT id FROM {rows} ORDER BY {ordering} LIMIT {int(limit)} OFFSET {int(offset)}"
        branches.append((f"SELECT 'page', CAST(id AS TEXT), NULL FROM ({page}) page_rows", rows_params))
    head, head_params = sources.head()
    sql = f"{head} " + " UNION ALL ".join(branch for branch, _params in branches)
    return sql, [*head_params, *(param for _branch_sql, branch_params in branches for param in branch_params)]


def search(
    queryset: QuerySet,
    params: Mapping[str, Any],
    *,
    sort: str | None = None,
    offset: int = 0,
    limit: int = 0,
) -> SearchResult:
    """The facet counts (see `facet_counts`), the number of matching initiatives and the ids of
    `limit` of them from `offset` in the order `sort`, in one statement."""
    terms = _Terms()
    try:
        if queryset.query.is_empty():
            raise EmptyResultSet
        index = _index_for(queryset)
        if index is not None:
            rows = _index_rows(index, queryset, params, terms, sort=sort, offset=offset, limit=limit)
            return _collect(rows, terms, offset)
        sql, sql_params = _statement(queryset, params, terms, sort=sort, offset=offset, limit=limit)
    except EmptyResultSet:  # nobody signed in, for one
        return SearchResult({facet.key: {} for facet in FACETS}, 0, [], offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        rows = cursor.fetchall()
    return _collect(rows, terms, offset)


# --- Counting in memory, past MIN_INITIATIVES (see facet_index) -----------------------------------


def _index_for(queryset: QuerySet) -> "facet_index.FacetIndex | None":
    """The in-memory index, when the catalog is large enough for it to pay (else the SQL above)."""
    if queryset.model is not Initiative or connection.vendor not in ("sqlite", "postgresql"):
        return None
    minimum = facet_index.minimum_size()
    # The size is learnt from the SQL's own statement: a small catalog costs no query more.
    if minimum > 0 and facet_index.known_size() < minimum:
        return None
    stamp = facet_index.read_stamp()
    if int(stamp[0]) < minimum:  # the catalog has shrunk: its memory is given back
        facet_index.clear()
        facet_index.note_size(int(stamp[0]))
        return None
    return facet_index.current(stamp)


def _index_rows(
    index: "facet_index.FacetIndex",
    queryset: QuerySet,
    params: Mapping[str, Any],
    terms: _Terms,
    *,
    sort: str | None,
    offset: int,
    limit: int,
) -> list[tuple]:
    """What `_statement`'s SQL returns, (facet key, value as text, count) rows, the total and the
    page's ids, counted with numpy over the index's arrays."""
    chosen = selections(params)
    base = facet_index.base_mask(index, queryset, query_text(params))
    masks = {}
    for key, values in chosen.items():
        facet = FACETS_BY_KEY[key]
        ids = [] if facet.kind == "choice" else terms.ids(facet, values)
        masks[key] = facet_index.choice_mask(index, facet, values, ids)

    def rows_without(leave_out: str | None):
        mask = base.copy()
        for key, chosen_mask in masks.items():
            if key != leave_out:
                mask &= chosen_mask
        return mask

    hit = rows_without(None)
    rows: list[tuple] = []
    for facet in FACETS:
        leave_out = facet.key if facet.key in chosen else None
        counted = facet_index.count_rows(index, facet, hit if leave_out is None else rows_without(leave_out))
        rows.append((facet.key, None, 0))  # counted, even if to no value (see `_collect`)
        if facet.model is Tag:
            if leave_out:  # the chosen tags keep their count even when they are not among the most used
                wanted = {str(pk) for pk in terms.ids(facet, chosen[facet.key])}
                rows += [row for row in counted if row[1] in wanted]
            counted = facet_index.top_rows(counted, TAG_LIMIT)
        rows += counted
    rows.append(("total", None, int(hit.sum())))
    if limit:
        sort_name = sort if sort in SORTS else DEFAULT_SORT
        rows += [("page", str(pk), None) for pk in facet_index.page_ids(index, hit, sort_name, offset, limit)]
    return rows


class ResultList:
    """The found initiatives as `core.pagination.paginate` reads a list: the total is known and
    the page asked for is already read; another page (one past the end) is read from `fallback`."""

    def __init__(self, result: SearchResult, fallback: Callable[[], QuerySet]) -> None:
        self.result = result
        self.fallback = fallback

    def count(self) -> int:
        return self.result.total

    def __len__(self) -> int:
        return self.result.total

    def __getitem__(self, window: slice) -> list[Initiative]:
        if window.start == self.result.offset:
            ids = self.result.page_ids
        else:
            ids = list(self.fallback()[window].values_list("pk", flat=True))
        found = Initiative.objects.select_related("lead_organization", "action_type").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def _collect(rows: list[tuple], terms: _Terms, offset: int) -> SearchResult:
    raw: dict[str, dict[str, int]] = {}
    total, page_ids = 0, []
    for key, value, count in rows:
        if key == "total":
            total = count
        elif key == "size":
            facet_index.note_size(count)
        elif key == "page":
            page_ids.append(int(value))
        elif value in (None, ""):
            raw.setdefault(key, {})  # counted, if to no value
        else:
            # A chosen tag can come twice (most used, and chosen): the counts are the same.
            raw.setdefault(key, {})[value] = max(count, raw.get(key, {}).get(value, 0))
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        values = raw.get(facet.key)
        if values is None and facet.kind == "family":
            values = raw.get("sector")  # grouped once for both
        counts[facet.key] = _named(facet, values or {}, terms)
    return SearchResult(counts, total, page_ids, offset, terms)


def _named(facet: Facet, raw: dict[str, int], terms: _Terms) -> dict[str, int]:
    """Counts keyed by the values the URL uses (slugs, choice values, tag names), not ids."""
    if facet.kind == "choice":
        return dict(raw)
    if facet.model is Tag:
        names = dict(Tag.objects.filter(pk__in=[int(pk) for pk in raw]).values_list("pk", "name"))
        return {names[int(pk)]: count for pk, count in raw.items() if int(pk) in names}
    known = terms.of(facet)
    counts: dict[str, int] = {}
    for pk, count in raw.items():
        term = known.get(int(pk))
        if term is not None:
            key = term[2] if facet.kind == "family" else term[0]
            counts[key] = counts.get(key, 0) + count
    return counts


def facet_counts(queryset: QuerySet, params: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """{facet key: {value: number of initiatives}} for every facet, values with no initiative
    left out; each facet counted over `queryset` filtered by the text query and by every other
    facet's selection (its own ignored). Tags: the TAG_LIMIT most used, and the chosen ones."""
    return search(queryset, params).counts


def _options(facet: Facet, terms: _Terms) -> list[tuple[str, str]]:
    """(URL value, label) of every value a facet offers, in the taxonomy's order."""
    if facet.choices:
        return [(value, str(label)) for value, label in facet.choices]
    if facet.model is Tag:
        return []  # tags are many: only those counted (or chosen) are offered
    return [(slug, name) for slug, name, _family in terms.of(facet).values()]


def facet_groups(result: SearchResult, params: Mapping[str, Any]) -> list[FacetGroup]:
    """The facets as the catalog page shows them: every value with its count (zero included, so
    that the list does not jump) and whether it is chosen; tags by count, the chosen ones kept."""
    chosen = selections(params)
    counts = result.counts
    terms = result.terms or _Terms()
    groups = []
    for facet in FACETS:
        selected = set(chosen.get(facet.key, []))
        counted = counts.get(facet.key, {})
        options = _options(facet, terms)
        if facet.model is Tag:
            ordered = sorted(counted.items(), key=lambda item: (-item[1], item[0].casefold()))
            options = [(name, name) for name, _count in ordered]
        known = {value for value, _label in options}
        # A chosen value the lists do not know (a renamed slug in an old link) stays visible to be unticked.
        options += [(value, value) for value in chosen.get(facet.key, []) if value not in known]
        options_out = [
            FacetOption(value, label, counted.get(value, 0), value in selected) for value, label in options
        ]
        groups.append(FacetGroup(facet, options_out))
    return groups
