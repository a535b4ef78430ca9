"""An in-memory index of the catalog's classes, for counting facets the way search engines do.

At scale the SQL of `facets.search` spends its time reading the classes of every initiative a
common word matches (one lookup each in the wide initiative table). This module keeps those
classes in numpy arrays, one row per initiative in id order, read once per process:

- one integer array per single-valued class (action type id, a code of the PSE class, Total
  Worker Health level, level, status and evidence rating, the lead organization's sector id);
- the many-valued classes (conditions, populations, tags) as (row, term id) pair arrays;
- for each sort of `facets.SORTS`, the rows in that order, as the database orders them (so the
  title order follows the database's collation exactly).

A search then asks the database only for the ids the words match (the FTS5 table's rowids on
SQLite, the stored vector's match on PostgreSQL) or the ids of a narrowed visibility queryset,
makes a boolean mask of them, ANDs the facets' choices in, and counts with `np.bincount`, each
facet leaving its own choice out, as `facets.search` does in SQL. The answer is handed back as
the rows the SQL would have returned, so that both paths name and collect them with the same code.

Freshness: the index is valid for a stamp of the catalog's data read at every search (one
statement of aggregates: count, largest id and latest change of the initiatives, count and
largest id of the three link tables, latest change of the organizations, which carries a lead's
sector), plus a counter this process bumps on every save, delete and many-to-many change of
those models. A different stamp rebuilds the index. What the stamp cannot see: a queryset
`.update()` of an initiative's class that leaves `updated_at` alone, a link row changed in place,
or a write stamped earlier than the latest change (clocks of several servers out of step); no
code of ours writes so, and a counter row bumped by triggers would close the gap (a migration).
"""

import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from healthywork.catalog.models import ActionType, Condition, Initiative, Tag
from healthywork.core.search import fulltext_source, search_words, text_search
from healthywork.partners.models import Organization, Population, Sector

# Below this many initiatives the SQL of `facets.search` is fast enough and needs no memory.
MIN_INITIATIVES = 20_000

CHOICE_COLUMNS = ["pse_class", "twh_level", "level", "status", "evidence_rating"]
MANY = {
    "condition": Initiative.conditions.through,
    "population": Initiative.populations.through,
    "tag": Initiative.tags.through,
}
SORT_SQL = {
    "title": "title, id",
    "newest": "CASE WHEN start_date IS NULL THEN 1 ELSE 0 END, start_date DESC, title, id",
    "updated": "updated_at DESC, id DESC",
}


@dataclass
class FacetIndex:
    stamp: tuple
    ids: np.ndarray  # initiative ids, ascending: row i is initiative ids[i]
    action_type: np.ndarray  # action type id per row
    sector: np.ndarray  # the lead organization's sector id per row (-1: none)
    choices: dict[str, tuple[list[Any], np.ndarray]]  # column: (values, the code of each row's value)
    pairs: dict[str, tuple[np.ndarray, np.ndarray]]  # facet key: (rows, term ids), by term id
    orders: dict[str, np.ndarray]  # sort name: the rows in that order
    build_seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.ids)

    def rows_of(self, initiative_ids: np.ndarray) -> np.ndarray:
        """A mask of the rows of `initiative_ids` (ids the index does not hold are ignored)."""
        mask = np.zeros(len(self.ids), dtype=bool)
        if len(initiative_ids) and len(self.ids):
            positions = np.searchsorted(self.ids, initiative_ids)
            positions = np.minimum(positions, len(self.ids) - 1)
            mask[positions[self.ids[positions] == initiative_ids]] = True
        return mask


# --- Freshness ----------------------------------------------------------------------------------

_lock = threading.Lock()
_state: dict[str, Any] = {"index": None, "generation": 0}
_WATCHED = (Initiative, Organization, Sector, ActionType, Condition, Population, Tag)


def _bump(sender: Any = None, **kwargs: Any) -> None:
    _state["generation"] += 1


for _model in _WATCHED:
    post_save.connect(_bump, sender=_model, dispatch_uid=f"facet_index_save_{_model.__name__}")
    post_delete.connect(_bump, sender=_model, dispatch_uid=f"facet_index_delete_{_model.__name__}")
for _through in MANY.values():
    m2m_changed.connect(_bump, sender=_through, dispatch_uid=f"facet_index_m2m_{_through.__name__}")
    post_delete.connect(_bump, sender=_through, dispatch_uid=f"facet_index_link_{_through.__name__}")


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def read_stamp() -> tuple:
    """The catalog data's stamp as the database has it now (see the module's docstring)."""
    initiatives = _table(Initiative)
    parts = [
        f"SELECT COUNT(*) FROM {initiatives}",
        f"SELECT MAX(id) FROM {initiatives}",
        f"SELECT MAX(updated_at) FROM {initiatives}",
        f"SELECT MAX(updated_at) FROM {_table(Organization)}",
    ]
    for through in MANY.values():
        parts += [f"SELECT COUNT(*) FROM {_table(through)}", f"SELECT MAX(id) FROM {_table(through)}"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"({part})" for part in parts))
        return tuple(str(value) for value in cursor.fetchone())


def minimum_size() -> int:
    """How many initiatives the catalog needs for the index to be used (0: always, as in tests)."""
    return getattr(settings, "CATALOG_FACET_INDEX_MIN_INITIATIVES", MIN_INITIATIVES)


def note_size(count: int) -> None:
    """Remember how many initiatives the catalog had when last counted (by SQL or the stamp)."""
    _state["size"] = count


def known_size() -> int:
    return _state.get("size", 0)


def current(stamp: tuple | None = None) -> FacetIndex:
    """The index of the data as it is now: the one held if its stamp is current, else a new one."""
    with _lock:
        generation = _state["generation"]
        stamp = (generation, *(stamp or read_stamp()))
        index = _state["index"]
        if index is None or index.stamp != stamp:
            index = build(stamp)
            if _state["generation"] == generation:  # no write of ours during the build
                _state["index"] = index
        return index


def clear() -> None:
    with _lock:
        _state["index"] = None
        _state["size"] = 0


# --- Building -----------------------------------------------------------------------------------


def _fetch(sql: str, columns: int) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return np.array(rows, dtype=np.int64).reshape(len(rows), columns)


def build(stamp: tuple = ()) -> FacetIndex:
    """Read the classes of every initiative into a new index (in one transaction: one snapshot)."""
    started = time.perf_counter()
    initiatives = _table(Initiative)
    is_outermost = not connection.in_atomic_block
    with transaction.atomic():
        if is_outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # every read below sees the same snapshot
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        singles = _fetch(f"SELECT id, action_type_id, lead_organization_id FROM {initiatives} ORDER BY id", 3)
        ids = singles[:, 0].copy()
        choices = {}
        with connection.cursor() as cursor:
            for column in CHOICE_COLUMNS:
                cursor.execute(f"SELECT {column} FROM {initiatives} ORDER BY id")
                values_of_rows = [value for (value,) in cursor.fetchall()]
                values = list(dict.fromkeys(values_of_rows))
                code = {value: number for number, value in enumerate(values)}
                choices[column] = (values, np.fromiter(map(code.__getitem__, values_of_rows), np.int32))
        organizations = _fetch(f"SELECT id, sector_id FROM {_table(Organization)}", 2)
        sector_of = np.full(int(organizations[:, 0].max(initial=0)) + 2, -1, dtype=np.int64)
        sector_of[organizations[:, 0]] = organizations[:, 1]
        leads = np.minimum(singles[:, 2], len(sector_of) - 1)
        pairs = {}
        for key, through in MANY.items():
            column = f"{key}_id"
            links = _fetch(f"SELECT initiative_id, {column} FROM {_table(through)} ORDER BY {column}", 2)
            rows = np.minimum(np.searchsorted(ids, links[:, 0]), max(len(ids) - 1, 0))
            is_known = ids[rows] == links[:, 0] if len(ids) else np.zeros(len(links), dtype=bool)
            pairs[key] = (rows[is_known].astype(np.int32), links[is_known, 1].astype(np.int32))
        orders = {}
        for sort, ordering in SORT_SQL.items():
            ordered = _fetch(f"SELECT id FROM {initiatives} ORDER BY {ordering}", 1)[:, 0]
            orders[sort] = np.searchsorted(ids, ordered).astype(np.int32)
    return FacetIndex(
        stamp=stamp,
        ids=ids,
        action_type=singles[:, 1].astype(np.int32),
        sector=sector_of[leads].astype(np.int32),
        choices=choices,
        pairs=pairs,
        orders=orders,
        build_seconds=time.perf_counter() - started,
    )


# --- Searching ----------------------------------------------------------------------------------


def is_everything(queryset: QuerySet) -> bool:
    """Whether `queryset` is every initiative, unfiltered (the catalog's rule for the signed in)."""
    query = queryset.query
    return (
        queryset.model is Initiative
        and not query.where
        and not query.distinct
        and query.low_mark == 0
        and query.high_mark is None
    )


def text_match_ids(text: str) -> np.ndarray | None:
    """The ids of the initiatives whose text matches every word of `text` (as prefixes), read
    from the full-text index alone, as `core.search.text_search` matches them; None: no words."""
    words = search_words(text)
    if not words:
        return None
    source, column, condition, params = fulltext_source(Initiative._meta.db_table, words)
    # The ids come as one comma-separated text: half the time of a row per id (146,000 ids for a
    # common word; measured on SQLite).
    joined_ids = (
        f"group_concat({column})" if connection.vendor == "sqlite" else f"string_agg({column}::text, ',')"
    )
    sql = f"SELECT {joined_ids} FROM {source} WHERE {condition}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (joined,) = cursor.fetchone()
    return np.array(joined.split(",") if joined else [], dtype=np.int64)


def base_mask(index: FacetIndex, queryset: QuerySet, text: str) -> np.ndarray:
    """The rows of the visible initiatives matching the text query."""
    if is_everything(queryset):
        matched = text_match_ids(text)
        return np.ones(len(index), dtype=bool) if matched is None else index.rows_of(matched)
    found = text_search(queryset, text).order_by().values_list("pk", flat=True)
    return index.rows_of(np.fromiter(found, dtype=np.int64))


def _isin(values: np.ndarray, wanted: list[int]) -> np.ndarray:
    return np.isin(values, np.asarray(wanted, dtype=np.int64))


def choice_mask(index: FacetIndex, facet: Any, values: list[str], term_ids: list[int]) -> np.ndarray:
    """The rows having one of `values` in `facet` (`term_ids`: the ids of the chosen terms)."""
    if facet.kind == "choice":
        known, codes = index.choices[facet.column]
        return _isin(codes, [number for number, value in enumerate(known) if value in values])
    if facet.kind == "term":
        return _isin(index.action_type, term_ids)
    if facet.kind in ("sector", "family"):
        return _isin(index.sector, term_ids)
    rows, terms = index.pairs[facet.key]
    mask = np.zeros(len(index), dtype=bool)
    mask[rows[_isin(terms, term_ids)]] = True
    return mask


def count_rows(index: FacetIndex, facet: Any, mask: np.ndarray) -> list[tuple[str, str, int]]:
    """One facet's counts over the rows of `mask`, as the SQL's rows (key, value as text, count)."""
    if facet.kind == "choice":
        known, codes = index.choices[facet.column]
        counted = np.bincount(codes[mask], minlength=len(known))
        return [(facet.key, value, int(n)) for value, n in zip(known, counted, strict=True) if n]
    if facet.kind == "term":
        values = index.action_type[mask]
    elif facet.kind in ("sector", "family"):
        values = index.sector[mask]
        values = values[values >= 0]
    else:
        rows, terms = index.pairs[facet.key]
        values = terms[mask[rows]]
    counted = np.bincount(values) if len(values) else np.zeros(0, dtype=np.int64)
    present = np.flatnonzero(counted)
    return [(facet.key, str(int(pk)), int(counted[pk])) for pk in present]


def top_rows(rows: list[tuple[str, str, int]], limit: int) -> list[tuple[str, str, int]]:
    """The `limit` largest counts, ties by term id, as ORDER BY COUNT(*) DESC, id LIMIT does."""
    return sorted(rows, key=lambda row: (-row[2], int(row[1])))[:limit]


def page_ids(index: FacetIndex, mask: np.ndarray, sort: str, offset: int, limit: int) -> list[int]:
    order = index.orders[sort]
    ranked = order[mask[order]]
    return [int(pk) for pk in index.ids[ranked[offset : offset + limit]]]


# --- The crosstab ---------------------------------------------------------------------------------

MANY_DIMENSIONS = {"condition", "population"}


def _indicator(index: FacetIndex, key: str, mask: np.ndarray) -> tuple[Any, list[Any]]:
    """A (rows x values) 0/1 sparse matrix of a crosstab dimension over the rows of `mask`, and the
    value of each column as the SQL groups it (a term or sector id, or a choice's value)."""
    from scipy import sparse

    if key in MANY_DIMENSIONS:
        rows, values = index.pairs[key]
    elif key in index.choices:
        labels, codes = index.choices[key]
        rows = np.arange(len(index))
        keep = np.isin(codes, [number for number, value in enumerate(labels) if value not in (None, "")])
        rows, codes = rows[keep], codes[keep]
        return _matrix(index, rows, codes, mask, len(labels)), labels
    else:
        values = index.sector if key in ("sector", "sector_family") else index.action_type
        rows = np.flatnonzero(values >= 0)
        values = values[rows]
    kept = mask[rows]
    rows, values = rows[kept], values[kept]
    labels, codes = np.unique(values, return_inverse=True)
    shape = (len(index), len(labels))
    return sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, codes)), shape=shape
    ), labels.tolist()


def _matrix(index: FacetIndex, rows: np.ndarray, codes: np.ndarray, mask: np.ndarray, width: int) -> Any:
    from scipy import sparse

    kept = mask[rows]
    shape = (len(index), width)
    return sparse.csr_matrix(
        (np.ones(int(kept.sum()), dtype=np.int64), (rows[kept], codes[kept])), shape=shape
    )


def crosstab_cells(index: FacetIndex, mask: np.ndarray, rows: str, cols: str) -> list[tuple[Any, Any, int]]:
    """(row value, column value, count) of the rows of `mask` by two crosstab dimensions, as the
    SQL's GROUP BY gives them: an initiative counts once under each pair of its values (with a
    many-valued dimension, once per value), the product of the two indicator matrices."""
    row_matrix, row_labels = _indicator(index, rows, mask)
    col_matrix, col_labels = _indicator(index, cols, mask)
    counts = (row_matrix.T @ col_matrix).tocoo()
    return [
        (row_labels[row], col_labels[col], int(count))
        for row, col, count in zip(counts.row, counts.col, counts.data, strict=True)
        if count
    ]
