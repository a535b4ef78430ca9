"""How fast the initiative catalog and its crosstab answer at scale, against the same queries as raw SQL.

    python bench/catalog.py [--orgs 50000] [--initiatives 200000] [--iterations 200]
    python bench/catalog.py --database-url postgres://postgres@127.0.0.1:5432/
    python bench/catalog.py --keep    # keep the generated database, reuse it next time

It builds its own database as bench/registry.py does (a SQLite file in a temporary folder, or a
`healthywork_catalog_bench` database on the PostgreSQL server named by --database-url or
DATABASE_URL, dropped at the end), migrates it, fills it with `generate_catalog`, signs an
administrator in with the test client and times, request by request:

- view: GET /catalog/?q=<word>&<facet>=<value>&<facet>=<value>, the whole page with every
        facet's live counts;
- raw:  the same search as hand-written SQL on a raw cursor: the first 25 rows by title, the
        COUNT(*), and one GROUP BY per facet (each with the other facets' filters);
- sql:  the statements the view ran for that search (captured), replayed on a raw cursor: the
        view's cost with Django's Python taken out;

and, for a few crosstabs, GET /catalog/analysis/?rows=..&cols=.. against its GROUP BY as raw SQL.
It prints p50/p95 per kind, the ratios p95(view)/p95(raw) and pass/fail against the targets, and
writes the details to bench/out/catalog-<vendor>.json. Timing, percentiles, the CPU check and the
throwaway database are bench/registry.py's.
"""

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
import registry  # noqa: E402

CATALOG_DATABASE = "healthywork_catalog_bench"
TARGET_CATALOG_P95_MS = 200.0
TARGET_CROSSTAB_MS = 1000.0
PAGE_SIZE = 25
QUERY_POOL = 100
TAG_LIMIT = 25  # as facets.TAG_LIMIT: the tag facet counts the most used tags only
COUNT_HEADING = re.compile(r'id="results-heading">\s*([\d,]+) initiative')
ROW_LINK = re.compile(r'<th scope="row"><a href="/catalog/([0-9a-f-]{36})/">')
# Two facets per search, drawn from these pairs (a many-valued one in several).
FACET_PAIRS = [
    ("sector_family", "action_type"),
    ("action_type", "status"),
    ("pse_class", "level"),
    ("condition", "sector_family"),
    ("population", "status"),
    ("sector", "pse_class"),
    ("level", "condition"),
    ("status", "twh_level"),
]
CROSSTABS = [
    {"rows": "sector_family", "cols": "action_type"},
    {"rows": "condition", "cols": "action_type"},
    {"rows": "population", "cols": "condition"},
]
CODE_FILES = [
    "healthywork/catalog/facets.py",
    "healthywork/catalog/facet_index.py",
    "healthywork/catalog/views.py",
    "healthywork/catalog/models.py",
    "healthywork/catalog/crosstab.py",
    "healthywork/catalog/views_analysis.py",
    "healthywork/core/search.py",
]


KEPT_SQLITE_DIR = Path(tempfile.gettempdir()) / "healthywork-catalog-bench"


def _is_generated(args: argparse.Namespace) -> bool:
    """Whether the database already holds the catalog asked for (a kept one, with --keep)."""
    from healthywork.catalog.models import Initiative
    from healthywork.partners.models import Organization

    return Organization.objects.count() == args.orgs and Initiative.objects.count() == args.initiatives


# --- The searches -----------------------------------------------------------------------------


def facet_values() -> dict[str, list[str]]:
    """Every value each facet offers, as the URL names it."""
    from healthywork.catalog.facets import FACETS
    from healthywork.partners.models import Sector

    values = {}
    for facet in FACETS:
        if facet.kind == "sector":
            values[facet.key] = list(Sector.objects.order_by("slug").values_list("slug", flat=True))
        elif facet.kind == "family":
            values[facet.key] = sorted(set(Sector.objects.values_list("family", flat=True)))
        elif facet.choices:
            values[facet.key] = [value for value, _label in facet.choices]
        elif facet.model is not None and hasattr(facet.model, "slug"):
            values[facet.key] = list(facet.model.objects.order_by("slug").values_list("slug", flat=True))
    return values


def _classes(initiative_ids: list[int]) -> dict[int, dict[str, Any]]:
    """{id: {facet key: [values], "text": search text}} of some initiatives."""
    from healthywork.catalog.models import Initiative

    rows = Initiative.objects.filter(pk__in=initiative_ids).values_list(
        "pk",
        "search_text",
        "action_type__slug",
        "pse_class",
        "twh_level",
        "level",
        "status",
        "lead_organization__sector__slug",
        "lead_organization__sector__family",
    )
    found: dict[int, dict[str, Any]] = {}
    for pk, text, action_type, pse, twh, level, status, sector, family in rows:
        found[pk] = {
            "text": text,
            "action_type": [action_type],
            "pse_class": [pse],
            "twh_level": [twh] if twh else [],
            "level": [level],
            "status": [status],
            "sector": [sector],
            "sector_family": [family],
            "condition": [],
            "population": [],
        }
    links = [
        ("condition", Initiative.conditions.through, "condition__slug"),
        ("population", Initiative.populations.through, "population__slug"),
    ]
    for key, through, slug in links:
        for pk, value in through.objects.filter(initiative_id__in=initiative_ids).values_list(
            "initiative_id", slug
        ):
            found[pk][key].append(value)
    for classes in found.values():  # the same order on every database, for the same draws
        classes["condition"].sort()
        classes["population"].sort()
    return found


def build_queries(seed: int, count: int = QUERY_POOL) -> list[dict[str, Any]]:
    """Searches as people make them: a word (or two, or a prefix) of an initiative's text (its
    title, summary, place or organizations), and two facets, most often with that initiative's
    values (now and then another value, or two values of the first facet)."""
    from healthywork.catalog.models import Initiative

    rng = random.Random(seed)
    offered = facet_values()
    ids = list(Initiative.objects.order_by("pk").values_list("pk", flat=True))
    chosen = sorted(rng.sample(ids, min(count, len(ids))))
    classes = _classes(chosen)
    queries = []
    for pk in chosen:
        initiative = classes[pk]
        words = [
            word
            for word in re.findall(r"\w+", initiative["text"])
            if len(word) >= 3 and word not in registry.STOP_WORDS and not word.isdigit()
        ]
        shape = rng.random()
        if shape < 0.15:
            q = " ".join(rng.sample(words, 2))
        elif shape < 0.35:
            q = rng.choice([word for word in words if len(word) >= 5] or words)[:4]
        else:
            q = rng.choice(words)
        query: dict[str, Any] = {"q": q}
        for position, key in enumerate(rng.choice(FACET_PAIRS)):
            own = initiative[key]
            value = rng.choice(own) if own and rng.random() < 0.85 else rng.choice(offered[key])
            query[key] = [value]
            if position == 0 and rng.random() < 0.1:
                query[key] = sorted({value, rng.choice(offered[key])})
        queries.append(query)
    rng.shuffle(queries)
    return queries


def query_string(query: dict[str, Any]) -> str:
    return urlencode(list(query.items()), doseq=True)


# --- The same search as raw SQL ---------------------------------------------------------------


class RawCatalog:
    """The catalog search as hand-written SQL: the page, the count, one GROUP BY per facet.

    The text clause is written as `core.search.text_search` writes it (FTS5 MATCH in an `id IN`
    subquery on SQLite, the stored `search_vector` on PostgreSQL); the facet filters as a person
    would write them (values by slug, through a subquery on the taxonomy or the link table)."""

    def __init__(self, vendor: str) -> None:
        from healthywork.catalog.models import ActionType, Condition, Initiative, Tag
        from healthywork.partners.models import Organization, Population, Sector

        self.vendor = vendor
        self.match = registry.raw_statements(vendor)[2]
        self.t = {
            "initiative": Initiative._meta.db_table,
            "organization": Organization._meta.db_table,
            "sector": Sector._meta.db_table,
            "action_type": ActionType._meta.db_table,
            "condition": Condition._meta.db_table,
            "population": Population._meta.db_table,
            "tag": Tag._meta.db_table,
            "conditions": Initiative.conditions.through._meta.db_table,
            "populations": Initiative.populations.through._meta.db_table,
            "tags": Initiative.tags.through._meta.db_table,
        }

    def text_clause(self) -> str:
        if self.vendor == "sqlite":
            fts = f"{self.t['initiative']}_fts"
            return f"i.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"
        return "i.search_vector @@ to_tsquery('simple', %s)"

    def filter_clause(self, key: str, values: list[str]) -> tuple[str, list[str]]:
        t = self.t
        marks = ", ".join(["%s"] * len(values))
        if key in {"pse_class", "twh_level", "level", "status", "evidence_rating"}:
            return f"i.{key} IN ({marks})", list(values)
        if key == "action_type":
            return f"i.action_type_id IN (SELECT id FROM {t['action_type']} WHERE slug IN ({marks}))", list(
                values
            )
        if key in {"sector", "sector_family"}:
            column = "slug" if key == "sector" else "family"
            return (
                f"i.lead_organization_id IN (SELECT o.id FROM {t['organization']} o "
                f"JOIN {t['sector']} s ON s.id = o.sector_id WHERE s.{column} IN ({marks}))",
                list(values),
            )
        link, term, column, name = {
            "condition": ("conditions", "condition", "condition_id", "slug"),
            "population": ("populations", "population", "population_id", "slug"),
            "tag": ("tags", "tag", "tag_id", "name"),
        }[key]
        return (
            f"i.id IN (SELECT x.initiative_id FROM {t[link]} x JOIN {t[term]} v ON v.id = x.{column} "
            f"WHERE v.{name} IN ({marks}))",
            list(values),
        )

    def _where(self, query: dict[str, Any], leave_out: str | None) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if query.get("q"):
            clauses.append(self.text_clause())
            params.append(self.match(query["q"]))
        for key, values in query.items():
            if key != "q" and key != leave_out:
                sql, values_params = self.filter_clause(key, values)
                clauses.append(sql)
                params += values_params
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def statements(self, query: dict[str, Any]) -> list[tuple[str, str, list[Any]]]:
        """(name, SQL, params) of everything the page needs from the database."""
        from healthywork.catalog.facets import FACETS

        t = self.t
        where, params = self._where(query, None)
        out = [
            (
                "page",
                f"SELECT i.id, i.public_id, i.title, i.pse_class, i.status, i.level, o.name, a.name "
                f"FROM {t['initiative']} i JOIN {t['organization']} o ON o.id = i.lead_organization_id "
                f"JOIN {t['action_type']} a ON a.id = i.action_type_id{where} "
                f"ORDER BY i.title, i.id LIMIT {PAGE_SIZE}",
                params,
            ),
            ("count", f"SELECT COUNT(*) FROM {t['initiative']} i{where}", params),
        ]
        # Facets grouping the same column over the same rows share one statement: the sector and
        # the sector family of the lead, when neither has a choice of its own (the family is
        # summed from the sector counts), as the view does.
        shared: dict[tuple[str, str], list[Any]] = {}
        for facet in FACETS:
            where, params = self._where(query, facet.key if facet.key in query else None)
            group = "sector" if facet.kind in ("sector", "family") else facet.key
            shared.setdefault((group, where), [facet, params, []])[2].append(facet.key)
        for (_group, where), (facet, params, keys) in shared.items():
            if facet.kind == "choice":
                sql = f"SELECT i.{facet.key}, COUNT(*) FROM {t['initiative']} i{where} GROUP BY i.{facet.key}"
            elif facet.kind == "term":
                sql = f"SELECT i.action_type_id, COUNT(*) FROM {t['initiative']} i{where} GROUP BY i.action_type_id"  # noqa: E501
            elif facet.kind in ("sector", "family"):
                sql = (
                    f"SELECT o.sector_id, COUNT(*) FROM {t['initiative']} i "
                    f"JOIN {t['organization']} o ON o.id = i.lead_organization_id{where} GROUP BY o.sector_id"
                )
            else:
                link, column = {
                    "condition": ("conditions", "condition_id"),
                    "population": ("populations", "population_id"),
                    "tag": ("tags", "tag_id"),
                }[facet.key]
                sql = (
                    f"SELECT x.{column}, COUNT(*) FROM {t['initiative']} i "
                    f"JOIN {t[link]} x ON x.initiative_id = i.id{where} GROUP BY x.{column}"
                )
                if facet.key == "tag":
                    sql += f" ORDER BY COUNT(*) DESC, x.{column} LIMIT {TAG_LIMIT}"
            out.append((f"facet:{'+'.join(keys)}", sql, params))
        return out


def raw_answer(raw: RawCatalog, query: dict[str, Any]) -> dict[str, Any]:
    """Run the raw statements once and read their answer as the page names things (to check)."""
    from django.db import connection

    from healthywork.catalog.models import ActionType, Condition, Tag
    from healthywork.partners.models import Population, Sector

    sectors = {pk: (slug, family) for pk, slug, family in Sector.objects.values_list("pk", "slug", "family")}
    names = {
        "action_type": dict(ActionType.objects.values_list("pk", "slug")),
        "condition": dict(Condition.objects.values_list("pk", "slug")),
        "population": dict(Population.objects.values_list("pk", "slug")),
        "tag": dict(Tag.objects.values_list("pk", "name")),
    }
    answer: dict[str, Any] = {"counts": defaultdict(dict)}
    with connection.cursor() as cursor:
        for name, sql, params in raw.statements(query):
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            if name == "page":
                answer["page"] = [str(uuid.UUID(str(row[1]))) for row in rows]  # hex on SQLite
            elif name == "count":
                answer["total"] = rows[0][0]
            else:
                for key in name.split(":", 1)[1].split("+"):
                    counted = answer["counts"][key]
                    for value, count in rows:
                        if value in (None, ""):
                            continue
                        if key in ("sector", "sector_family"):
                            label = sectors[value][0 if key == "sector" else 1]
                            counted[label] = counted.get(label, 0) + count
                        else:
                            counted[names[key][value] if key in names else value] = count
    return answer


# --- Running one search three ways ------------------------------------------------------------


class CatalogRunner:
    def __init__(self, client: Any, raw: RawCatalog) -> None:
        self.client = client
        self.raw_sql = raw
        self.prepared: dict[str, list[tuple[str, str, list[Any]]]] = {}
        self.captured: dict[str, list[str]] = {}
        self.kinds = {
            "view": self.view,
            "raw": self.raw,
            "sql": self.sql,
            "search_index": self.search_index,
            "search_sql": self.search_sql,
        }

    def _key(self, query: dict[str, Any]) -> str:
        return query_string(query)

    def view(self, query: dict[str, Any]) -> int:
        response = self.client.get(f"/catalog/?{query_string(query)}")
        if response.status_code != 200:
            raise SystemExit(f"The catalog answered {response.status_code} for {query}")
        found = COUNT_HEADING.search(response.content.decode())
        return int(found.group(1).replace(",", "")) if found else -1

    def raw(self, query: dict[str, Any]) -> int:
        from django.db import connection

        key = self._key(query)
        if key not in self.prepared:
            self.prepared[key] = self.raw_sql.statements(query)
        count = -1
        with connection.cursor() as cursor:
            for name, sql, params in self.prepared[key]:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
                if name == "count":
                    count = rows[0][0]
        return count

    def sql(self, query: dict[str, Any]) -> int:
        """The view's own statements, as captured, on a raw cursor."""
        from django.db import connection

        with connection.cursor() as cursor:
            for statement in self.captured[self._key(query)]:
                cursor.execute(statement)
                cursor.fetchall()
        return -1

    def _search(self, query: dict[str, Any], minimum: int) -> int:
        from django.test.utils import override_settings

        from healthywork.catalog import facets
        from healthywork.catalog.models import Initiative

        with override_settings(CATALOG_FACET_INDEX_MIN_INITIATIVES=minimum):
            return facets.search(Initiative.objects.all(), query, limit=PAGE_SIZE).total

    def search_index(self, query: dict[str, Any]) -> int:
        """`facets.search` alone (counts, total, page ids), counted by the in-memory facet index."""
        return self._search(query, 0)

    def search_sql(self, query: dict[str, Any]) -> int:
        """`facets.search` alone, forced onto its single SQL statement (the path before the index)."""
        return self._search(query, 10**12)

    def capture(self, query: dict[str, Any]) -> tuple[str, list[dict[str, str]]]:
        """The view's page and the statements it ran."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(f"/catalog/?{query_string(query)}")
        statements = [
            item
            for item in captured.captured_queries
            if item["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
        ]
        self.captured[self._key(query)] = [item["sql"] for item in statements]
        return response.content.decode(), statements


def check_answers(
    runner: CatalogRunner,
    queries: list[dict[str, Any]],
    disagreements: list[dict[str, Any]],
    word_matches: list[int],
) -> dict[str, int]:
    """The view and the raw SQL agree on every search, its total and its first page (a benchmark
    of wrong answers is worthless), and the facet counts the page shows (`facets.facet_counts`)
    equal the raw GROUP BYs (differences are added to `disagreements`); adds to `word_matches`
    how many initiatives each search's words match before the facets; returns how many searches
    found nothing, a page, or more."""
    from django.db import connection

    from healthywork.catalog import facets
    from healthywork.catalog.models import Initiative

    sizes = {"none": 0, "one_page": 0, "several_pages": 0}
    for query in queries:
        page, _statements = runner.capture(query)
        expected = raw_answer(runner.raw_sql, query)
        heading = COUNT_HEADING.search(page)
        total = int(heading.group(1).replace(",", "")) if heading else -1
        if total != expected["total"]:
            raise SystemExit(f"The view found {total}, raw SQL {expected['total']}, for {query}")
        if ROW_LINK.findall(page) != expected["page"]:
            raise SystemExit(f"The view's first page differs from the raw SQL's for {query}")
        counts = facets.facet_counts(Initiative.objects.all(), query)
        for key in set(expected["counts"]) | set(counts):
            shown, raw_counts = counts.get(key, {}), expected["counts"].get(key, {})
            if shown != raw_counts:
                # Kept and reported rather than fatal: the timing still compares the same work.
                disagreements.append(
                    {"query": query_string(query), "facet": key, "page": shown, "raw": raw_counts}
                )
        with connection.cursor() as cursor:
            table, clause = runner.raw_sql.t["initiative"], runner.raw_sql.text_clause()
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} i WHERE {clause}", [runner.raw_sql.match(query["q"])]
            )
            word_matches.append(cursor.fetchone()[0])
        if runner.raw(query) != total:
            raise SystemExit(f"The timed raw SQL disagrees with itself for {query}")
        if not same_search(query):
            raise SystemExit(f"The facet index and the SQL of facets.search disagree for {query}")
        sizes["none" if not total else "one_page" if total <= PAGE_SIZE else "several_pages"] += 1
    return sizes


def same_search(query: dict[str, Any]) -> bool:
    """Whether `facets.search` answers the same through its in-memory index and its SQL: every
    count, the total and the first page."""
    from django.test.utils import override_settings

    from healthywork.catalog import facets
    from healthywork.catalog.models import Initiative

    answers = []
    for minimum in (0, 10**12):
        with override_settings(CATALOG_FACET_INDEX_MIN_INITIATIVES=minimum):
            found = facets.search(Initiative.objects.all(), query, limit=PAGE_SIZE)
        answers.append((found.counts, found.total, found.page_ids))
    return answers[0] == answers[1]


def measure_index_build(client: Any, queries: list[dict[str, Any]], times: int = 3) -> dict[str, Any]:
    """The cold cost of the facet index: reading the stamp and building it (`facet_index.current`
    after `clear`), and a whole catalog request that finds no index, each `times` times (best and
    median, milliseconds), and the index's size in memory."""
    from healthywork.catalog import facet_index

    builds, requests = [], []
    for attempt in range(times):
        facet_index.clear()
        started = time.perf_counter()
        index = facet_index.current()
        builds.append((time.perf_counter() - started) * 1000)
        facet_index.clear()
        facet_index.note_size(len(index))  # as a process has learnt it from its first search
        started = time.perf_counter()
        response = client.get(f"/catalog/?{query_string(queries[attempt % len(queries)])}")
        requests.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit("The catalog failed with a cold index")
    arrays = [index.ids, index.action_type, index.sector, *index.orders.values()]
    arrays += [codes for _values, codes in index.choices.values()]
    arrays += [array for pair in index.pairs.values() for array in pair]
    return {
        "build_ms": {"best": round(min(builds), 1), "median": round(statistics.median(builds), 1)},
        "cold_request_ms": {"best": round(min(requests), 1), "median": round(statistics.median(requests), 1)},
        "megabytes": round(sum(array.nbytes for array in arrays) / 1e6, 1),
    }


def profile_statements(runner: CatalogRunner, queries: list[dict[str, Any]]) -> dict[str, Any]:
    """Where a catalog request's SQL time goes (the view's statements by their opening), and the
    hand-written statements' times one by one, over `queries`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    view_time: dict[str, list[float]] = defaultdict(list)
    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            runner.view(query)
        for item in captured.captured_queries:
            label = re.sub(r"\s+", " ", item["sql"])[:90]
            view_time[label].append(float(item["time"]) * 1000)
    raw_time: dict[str, list[float]] = defaultdict(list)
    with connection.cursor() as cursor:
        for query in queries:
            for name, sql, params in runner.raw_sql.statements(query):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                raw_time[name].append((time.perf_counter() - started) * 1000)
    per_request = len(queries)
    return {
        "view_statements_ms_per_request": sorted(
            (
                {"statement": label, "ms": round(sum(times) / per_request, 2), "runs": len(times)}
                for label, times in view_time.items()
            ),
            key=lambda item: -item["ms"],
        ),
        "raw_statements_mean_ms": {
            name: round(statistics.fmean(times), 2) for name, times in raw_time.items()
        },
    }


def explain(runner: CatalogRunner, query: dict[str, Any]) -> dict[str, Any]:
    """The plans of the view's costliest statement and of the raw count, for one search."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        runner.view(query)
    costliest = max(captured.captured_queries, key=lambda item: float(item["time"]))
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    plans = {}
    with connection.cursor() as cursor:
        cursor.execute(prefix + costliest["sql"])
        plans["view_costliest"] = [" ".join(str(part) for part in row) for row in cursor.fetchall()]
        name, sql, params = next(item for item in runner.raw_sql.statements(query) if item[0] == "count")
        cursor.execute(prefix + sql, params)
        plans["raw_count"] = [" ".join(str(part) for part in row) for row in cursor.fetchall()]
    return {
        "query": query,
        "view_costliest_ms": round(float(costliest["time"]) * 1000, 1),
        "view_costliest_sql": costliest["sql"],
        "plans": plans,
    }


# --- The crosstab -----------------------------------------------------------------------------


class CrosstabRunner:
    """One crosstab, two ways: the page, and its GROUP BY as raw SQL."""

    def __init__(self, client: Any, spec: dict[str, str]) -> None:
        self.client = client
        self.spec = spec
        self.sql = crosstab_sql(spec["rows"], spec["cols"])
        self.kinds = {"view": self.view, "raw": self.raw}

    def view(self, _spec: dict[str, str]) -> int:
        response = self.client.get(f"/catalog/analysis/?{urlencode(self.spec)}")
        if response.status_code != 200:
            raise SystemExit(f"The crosstab answered {response.status_code} for {self.spec}")
        return len(response.content)

    def raw(self, _spec: dict[str, str]) -> int:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            return len(cursor.fetchall())


def crosstab_sql(rows: str, cols: str) -> str:
    """The crosstab's count as hand-written SQL: the joins both classes need, GROUP BY both, by
    their ids (names and sector families are looked up afterwards, as crosstab.count_table does)."""
    from healthywork.catalog.models import Initiative
    from healthywork.partners.models import Organization

    lead = [f"JOIN {Organization._meta.db_table} o ON o.id = i.lead_organization_id"]
    conditions = Initiative.conditions.through._meta.db_table
    populations = Initiative.populations.through._meta.db_table
    dimensions = {
        "sector": (lead, "o.sector_id"),
        "sector_family": (lead, "o.sector_id"),
        "action_type": ([], "i.action_type_id"),
        "pse_class": ([], "i.pse_class"),
        "level": ([], "i.level"),
        "status": ([], "i.status"),
        "twh_level": ([], "i.twh_level"),
        "condition": ([f"JOIN {conditions} xc ON xc.initiative_id = i.id"], "xc.condition_id"),
        "population": ([f"JOIN {populations} xp ON xp.initiative_id = i.id"], "xp.population_id"),
    }
    joins = list(dict.fromkeys(dimensions[rows][0] + dimensions[cols][0]))
    row, col = dimensions[rows][1], dimensions[cols][1]
    return (
        f"SELECT {row}, {col}, COUNT(*) FROM {Initiative._meta.db_table} i {' '.join(joins)} "
        f"GROUP BY {row}, {col}"
    )


def _crosstab_names() -> dict[str, dict[Any, str]]:
    """{dimension: {id: the value count_table shows}} of the dimensions grouped by id."""
    from healthywork.catalog.models import ActionType, Condition
    from healthywork.partners.models import Population, Sector

    return {
        "sector": dict(Sector.objects.values_list("pk", "name")),
        "sector_family": dict(Sector.objects.values_list("pk", "family")),
        "action_type": dict(ActionType.objects.values_list("pk", "name")),
        "condition": dict(Condition.objects.values_list("pk", "name")),
        "population": dict(Population.objects.values_list("pk", "name")),
    }


def check_crosstab(runner: CrosstabRunner) -> int:
    """The page's table (crosstab.count_table, as the view calls it) equals the raw GROUP BY."""
    from django.db import connection

    from healthywork.catalog.crosstab import DIMENSIONS, count_table
    from healthywork.catalog.models import Initiative

    rows, cols = runner.spec["rows"], runner.spec["cols"]
    row_labels, col_labels, matrix = count_table(Initiative.objects.all(), rows, cols)
    table = {
        (row_label, col_label): count
        for row_label, line in zip(row_labels, matrix, strict=True)
        for col_label, count in zip(col_labels, line, strict=True)
        if count
    }

    names = _crosstab_names()

    def label(value: Any, key: str) -> str:
        value = names[key].get(value) if key in names else value
        choices = DIMENSIONS[key].choices
        return str(choices[value]) if choices and value in choices else str(value)

    raw: dict[tuple[str, str], int] = {}
    with connection.cursor() as cursor:
        cursor.execute(runner.sql)
        for row_value, col_value, count in cursor.fetchall():
            if row_value in (None, "") or col_value in (None, ""):
                continue
            cell = (label(row_value, rows), label(col_value, cols))
            raw[cell] = raw.get(cell, 0) + count  # sectors of one family add up
    if raw != table:
        raise SystemExit(f"The crosstab {runner.spec} differs from its raw GROUP BY")
    if runner.view(runner.spec) <= 0:
        raise SystemExit(f"The crosstab {runner.spec} answered an empty page")
    return sum(raw.values())


# --- Report -----------------------------------------------------------------------------------


def code_fingerprints() -> dict[str, str]:
    """A short hash of each file measured, so a result can be tied to the code it measured."""
    import healthywork

    root = Path(healthywork.__file__).resolve().parent.parent
    return {
        name: hashlib.sha256((root / name).read_bytes()).hexdigest()[:12]
        for name in CODE_FILES
        if (root / name).exists()
    }


def report(result: dict[str, Any]) -> str:
    catalog = result["catalog"]
    lines = [
        f"Catalog: {result['initiatives']:,} initiatives over {result['organizations']:,} organizations, "
        f"{result['database']}, {result['iterations']} requests per kind",
        "",
        f"{'':44}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}",
    ]
    labels = {
        "view": "view (test client, page + facet counts)",
        "raw": "raw SQL (page, count, GROUP BY per facet)",
        "sql": "the view's own SQL, replayed",
        "search_index": "facets.search, in-memory index",
        "search_sql": "facets.search, its SQL statement",
    }
    for kind, summary in catalog["timings"].items():
        lines.append(
            f"{labels[kind]:44}{summary['p50_ms']:>9.1f}{summary['p95_ms']:>9.1f}{summary['max_ms']:>9.1f}"
        )
    verdict = catalog["verdict"]
    lines += [
        "",
        f"p95 view / p95 raw: {verdict['ratio']:.2f}x; p95 view / p95 of its own SQL: {verdict['ratio_own_sql']:.2f}x",  # noqa: E501
        f"p95 facets.search by index / by SQL: {verdict['ratio_index_sql']:.2f}x, / raw: {verdict['ratio_index_raw']:.2f}x",  # noqa: E501
        f"cold index: build {catalog['index_build']['build_ms']['median']:,.0f} ms (median), a request that "
        f"finds none {catalog['index_build']['cold_request_ms']['median']:,.0f} ms, "
        f"{catalog['index_build']['megabytes']} MB of arrays",
        f"target p95 <= {TARGET_CATALOG_P95_MS:.0f} ms: {'pass' if verdict['p95_ok'] else 'FAIL'}",
        f"the words alone match {catalog['word_matches']['p50']:,} initiatives at the median; "
        f"{catalog['word_matches']['over_half']} of {len(catalog['queries'])} searches match more than half "
        f"the catalog, {catalog['word_matches']['over_a_quarter']} more than a quarter",
        f"one catalog request: {catalog['profile']['queries_per_request']} SQL queries, "
        f"{catalog['profile']['mean_sql_ms']:.1f} ms in SQL of {catalog['profile']['mean_wall_ms']:.1f} ms",
        "",
        f"{'crosstab':44}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'ratio':>8}",
    ]
    for item in result["crosstabs"]:
        name = f"{item['rows']} x {item['cols']}"
        for kind in ("view", "raw"):
            summary = item["timings"][kind]
            ratio = f"{item['ratio']:.2f}x" if kind == "view" else ""
            lines.append(
                f"{name + ' ' + kind:44}{summary['p50_ms']:>9.1f}{summary['p95_ms']:>9.1f}{summary['max_ms']:>9.1f}{ratio:>8}"  # noqa: E501
            )
    worst = max(item["timings"]["view"]["p95_ms"] for item in result["crosstabs"])
    cpu = result["cpu_seconds_while_timing"]
    lines += [
        f"target crosstab p95 <= {TARGET_CROSSTAB_MS:.0f} ms: {'pass' if result['crosstab_ok'] else 'FAIL'} "
        f"(worst p95 {worst:.0f} ms)",
        f"CPU while timing the catalog: {cpu['machine']:.1f} s on the machine, {cpu['this_process']:.1f} s in this one"  # noqa: E501
        + (" (the database server is the difference)" if result["vendor"] != "sqlite" else ""),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=50_000, help="organizations to generate")
    parser.add_argument("--initiatives", type=int, default=200_000, help="initiatives to generate")
    parser.add_argument("--people", type=int, default=0, help="people to generate (the catalog needs none)")
    parser.add_argument("--iterations", type=int, default=200, help="timed catalog requests per kind")
    parser.add_argument("--warmup", type=int, default=20, help="untimed catalog requests first")
    parser.add_argument(
        "--crosstab-iterations", type=int, default=30, help="timed requests per crosstab and kind"
    )
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument(
        "--queries", type=int, default=QUERY_POOL, help="searches drawn (each checked, then timed in turn)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help=f"a PostgreSQL server to bench on (a {CATALOG_DATABASE} database is created there and "
        "dropped; the URL's own database is never touched); default: DATABASE_URL, else SQLite "
        "in a temporary folder",
    )
    parser.add_argument("--out", help="the JSON file (default bench/out/catalog-<vendor>.json)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the generated database and reuse one kept before (SQLite: {KEPT_SQLITE_DIR}; "
        f"PostgreSQL: the {CATALOG_DATABASE} database, not dropped); migrations still run, so new "
        "indexes are measured",
    )
    args = parser.parse_args(argv)

    # With --keep the database outlives the run, and one kept before is used again (generation is
    # skipped when it holds what was asked for): the SQLite file in KEPT_SQLITE_DIR, or the
    # CATALOG_DATABASE database on the PostgreSQL server.
    return registry.run_bench(
        args, run, database=CATALOG_DATABASE, kept_folder=KEPT_SQLITE_DIR if args.keep else None
    )


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from generate_catalog import _analyze, generate

    from healthywork.accounts.models import User
    from healthywork.accounts.roles import Role

    registry.migrate()
    if args.keep and _is_generated(args):
        print("Reusing the kept database: no generation")
        started = time.perf_counter()
        User.objects.filter(username="bench-administrator").delete()
        _analyze()  # statistics for indexes the migrations may just have added
        generation = {"reused_analyze": time.perf_counter() - started}
    else:
        generation = generate(args.orgs, args.initiatives, args.people, seed=args.seed)
    # Measure as a server process would meet the data (see bench/registry.py).
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    gc.collect()

    administrator = User.objects.create(username="bench-administrator", role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(administrator)
    runner = CatalogRunner(client, RawCatalog(connection.vendor))
    queries = build_queries(args.seed, args.queries)
    disagreements: list[dict[str, Any]] = []
    word_matches: list[int] = []
    sizes = check_answers(runner, queries, disagreements, word_matches)
    print(f"{len(queries)} searches checked against the raw SQL: {sizes}")
    if disagreements:
        print(f"WARNING: {len(disagreements)} facet counts differ from the raw SQL's; the first:")
        print(f"  {disagreements[0]}")
    index_build = measure_index_build(client, queries)
    print(f"Facet index, cold: {index_build}")
    machine_before, process_before = registry.cpu_seconds()
    timings = registry.measure(runner, queries, args.iterations, args.warmup)
    machine, process = (
        after - before
        for after, before in zip(registry.cpu_seconds(), (machine_before, process_before), strict=True)
    )
    profile = registry.profile_view(runner, queries[:20])
    profile.update(profile_statements(runner, queries[:20]))
    summaries = {kind: registry.summarize(values) for kind, values in timings.items()}
    slowest = max(range(len(timings["view"])), key=lambda index: timings["view"][index])
    plans = explain(runner, queries[(args.warmup + slowest) % len(queries)])

    crosstabs = []
    for spec in CROSSTABS:
        crosstab_runner = CrosstabRunner(client, spec)
        counted = check_crosstab(crosstab_runner)
        crosstab_timings = registry.measure(crosstab_runner, [spec], args.crosstab_iterations, 3)
        crosstab_summaries = {kind: registry.summarize(values) for kind, values in crosstab_timings.items()}
        crosstabs.append(
            {
                **spec,
                "counted": counted,
                "timings": crosstab_summaries,
                "ratio": round(crosstab_summaries["view"]["p95_ms"] / crosstab_summaries["raw"]["p95_ms"], 2),
                "raw_sql": crosstab_runner.sql,
            }
        )

    from healthywork.catalog.models import Initiative, InitiativePartner
    from healthywork.partners.models import Organization

    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database": registry.database_version(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "code": code_fingerprints(),
        "cpu_seconds_while_timing": {"machine": round(machine, 1), "this_process": round(process, 1)},
        "organizations": Organization.objects.count(),
        "initiatives": Initiative.objects.count(),
        "partner_links": InitiativePartner.objects.count(),
        "iterations": args.iterations,
        "warmup": args.warmup,
        "crosstab_iterations": args.crosstab_iterations,
        "seed": args.seed,
        "generation_seconds": {step: round(seconds, 1) for step, seconds in generation.items()},
        "catalog": {
            "result_sizes": sizes,
            "facet_count_disagreements": disagreements,
            # How many initiatives each search's words match before the facets: the tail's cause.
            "word_matches": {
                "p50": registry.percentile(word_matches, 0.5),
                "max": max(word_matches),
                "over_a_quarter": sum(count > 0.25 * Initiative.objects.count() for count in word_matches),
                "over_half": sum(count > 0.5 * Initiative.objects.count() for count in word_matches),
                "each": word_matches,
            },
            "timings": summaries,
            "verdict": {
                "ratio": round(summaries["view"]["p95_ms"] / summaries["raw"]["p95_ms"], 2),
                "ratio_own_sql": round(summaries["view"]["p95_ms"] / summaries["sql"]["p95_ms"], 2),
                "ratio_index_sql": round(
                    summaries["search_index"]["p95_ms"] / summaries["search_sql"]["p95_ms"], 2
                ),
                "ratio_index_raw": round(summaries["search_index"]["p95_ms"] / summaries["raw"]["p95_ms"], 2),
                "p95_ok": summaries["view"]["p95_ms"] <= TARGET_CATALOG_P95_MS,
            },
            "profile": profile,
            "index_build": index_build,
            "slowest": plans,
            "raw_example": [
                {"name": name, "sql": sql, "params": [str(p) for p in params]}
                for name, sql, params in runner.raw_sql.statements(queries[0])
            ],
            "queries": [query_string(query) for query in queries],
        },
        "crosstabs": crosstabs,
        "crosstab_ok": all(item["timings"]["view"]["p95_ms"] <= TARGET_CROSSTAB_MS for item in crosstabs),
    }
    print()
    print(report(result))
    out_file = Path(args.out) if args.out else registry.OUT_DIR / f"catalog-{connection.vendor}.json"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"\nDetails: {out_file}")
    return 0 if result["catalog"]["verdict"]["p95_ok"] and result["crosstab_ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
