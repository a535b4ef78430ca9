"""How fast the organization list answers at registry scale, against the same query as raw SQL.

    python bench/registry.py [--orgs 50000] [--people 200000] [--iterations 200]
    python bench/registry.py --database-url postgres://postgres@127.0.0.1:5432/

It builds its own database (a SQLite file in a temporary folder, or a `healthywork_bench`
database on the PostgreSQL server named by --database-url or DATABASE_URL, dropped at the end),
migrates it, fills it with `generate_registry`, signs an administrator in with the test client and
times, request by request:

- view: GET /partners/organizations/?q=<word>&sector=<slug>&level=local (the whole page);
- api:  GET /api/v1/organizations?q=...&sector=...&level=local (skipped if the route is missing);
- raw:  the same search as hand-written SQL on a raw cursor: the first 25 rows by name and the
        COUNT(*) the paginator needs.

It prints p50/p95 per kind, the ratio p95(view)/p95(raw) and pass/fail against the targets, and
writes the details to bench/out/registry-<vendor>.json.
"""

import argparse
import gc
import json
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
BENCH_DATABASE = "healthywork_bench"
TARGET_P95_MS = 150.0
TARGET_RATIO = 5.0
PAGE_SIZE = 25
QUERY_POOL = 100
# Words too common or too empty to be what someone types in the search box.
STOP_WORDS = {"and", "the", "with", "for", "that", "focus", "invented", "benchmark", "of", "in", "on"}
COUNT_HEADING = re.compile(r'id="results-heading">\s*([\d,]+) organization')


# --- The database -----------------------------------------------------------------------------


def _postgres_urls(server_url: str) -> tuple[str, str] | None:
    """(maintenance URL, bench database URL) on the server of `server_url`, whose own database is
    never used; None for a SQLite URL (the bench then makes its own file)."""
    parts = urlsplit(server_url)
    if parts.scheme == "sqlite":
        return None
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit(f"The bench runs on SQLite or PostgreSQL, not {parts.scheme}://")
    return (
        urlunsplit(parts._replace(path="/postgres")),
        urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}")),
    )


def _postgres_execute(maintenance_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _point_settings_at(data_dir: str) -> None:
    Path(data_dir, "static").mkdir(parents=True, exist_ok=True)  # spares WhiteNoise's warning
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "healthywork.settings",
            "HEALTHYWORK_DATA_DIR": data_dir,
            "SECRET_KEY": "bench-only-not-secret",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver",
        }
    )
    os.environ.pop("DATABASE_URL", None)


def prepare_environment(
    database_url: str | None, *, database: str | None = None, kept_folder: Path | None = None
) -> Callable[[], None]:
    """Point the settings at a database of the bench's own (`database`, default BENCH_DATABASE, on
    a PostgreSQL server; else SQLite in a folder); returns the function that cleans up.

    Without `kept_folder` the database is thrown away afterwards. With it the database outlives
    the run, and one kept by an earlier run is used again: the SQLite file in `kept_folder`, or
    the named database on the PostgreSQL server (a bench then skips generating what is there)."""
    global BENCH_DATABASE
    if database:
        BENCH_DATABASE = database
    keep = kept_folder is not None
    data_dir = str(kept_folder) if keep else tempfile.mkdtemp(prefix="healthywork-bench-")
    _point_settings_at(data_dir)
    urls = _postgres_urls(database_url) if database_url else None
    drop = f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"
    if urls:
        import psycopg

        with psycopg.connect(urls[0], autocommit=True) as connection:
            if not keep:
                connection.execute(drop)
            found = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]
            ).fetchone()
            if not found:
                connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        os.environ["DATABASE_URL"] = urls[1]

    def cleanup() -> None:
        from django.db import connections

        connections.close_all()
        if keep:
            return
        if urls:
            _postgres_execute(urls[0], drop)
        shutil.rmtree(data_dir, ignore_errors=True)

    return cleanup


def run_bench(args, run: Callable, *, database: str | None = None, kept_folder: Path | None = None) -> int:
    """`run(args)` on the bench's database (see prepare_environment), cleaned up afterwards."""
    cleanup = prepare_environment(args.database_url, database=database, kept_folder=kept_folder)
    try:
        return run(args)
    finally:
        cleanup()


def migrate(stream=None) -> str:
    """Set Django up, migrate the bench's database, say how long it took; returns the vendor."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(
        f"Migrated {connection.vendor} database in {time.perf_counter() - started:.1f} s",
        file=stream or sys.stdout,
        flush=True,
    )
    return connection.vendor


# --- The queries ------------------------------------------------------------------------------


def build_queries(seed: int, count: int = QUERY_POOL) -> list[dict[str, str]]:
    """Searches as people type them: a word (or two, or a prefix) from a local organization's
    text, with that organization's sector, or now and then another sector (often no match)."""
    from healthywork.partners.models import Organization, Sector

    rng = random.Random(seed)
    slugs = list(Sector.objects.order_by("slug").values_list("slug", flat=True))
    candidates = list(
        Organization.objects.filter(level="local", merged_into__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = rng.sample(candidates, min(count, len(candidates)))
    picked = Organization.objects.filter(pk__in=chosen).select_related("sector")
    queries = []
    for organization in sorted(picked, key=lambda organization: organization.pk):
        words = [
            word
            for word in re.findall(r"\w+", organization.search_text.lower())
            if len(word) >= 3 and word not in STOP_WORDS and not word.isdigit()
        ]
        shape = rng.random()
        if shape < 0.2:
            q = " ".join(rng.sample(words, 2))
        elif shape < 0.4:
            q = rng.choice([word for word in words if len(word) >= 5] or words)[:4]
        else:
            q = rng.choice(words)
        sector = organization.sector.slug if rng.random() < 0.85 else rng.choice(slugs)
        queries.append({"q": q, "sector": sector, "level": "local"})
    rng.shuffle(queries)
    return queries


def raw_statements(vendor: str) -> tuple[str, str, Callable[[str], str]]:
    """The list's search as hand-written SQL: (page SQL, count SQL, search words -> match param)."""
    from healthywork.core.search import search_words

    if vendor == "sqlite":
        # As core.search.text_search writes it for a filtered list (unary + on the id).
        search = (
            "+o.id IN (SELECT rowid FROM partners_organization_fts WHERE partners_organization_fts MATCH %s)"
        )

        def match(q: str) -> str:
            return " ".join(f'"{word}"*' for word in search_words(q))

    elif vendor == "postgresql":
        search = "o.search_vector @@ to_tsquery('simple', %s)"

        def match(q: str) -> str:
            return " & ".join(f"{word}:*" for word in search_words(q))

    else:
        raise SystemExit(f"No raw SQL for {vendor}")
    where = (
        "FROM partners_organization o JOIN partners_sector s ON s.id = o.sector_id "
        f"WHERE {search} AND s.slug = %s AND o.level = %s AND o.merged_into_id IS NULL"
    )
    page = (
        "SELECT o.id, o.public_id, o.name, o.subsector, o.level, o.city, o.state, s.name "
        f"{where} ORDER BY o.name LIMIT {PAGE_SIZE}"
    )
    return page, f"SELECT COUNT(*) {where}", match


# --- Timing -----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of `values`."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summarize(milliseconds: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(milliseconds, 0.50), 2),
        "p95_ms": round(percentile(milliseconds, 0.95), 2),
        "mean_ms": round(statistics.fmean(milliseconds), 2),
        "max_ms": round(max(milliseconds), 2),
    }


class Runner:
    """The three ways to run one search, each returning the number of matching organizations."""

    def __init__(self, client: Any, vendor: str, has_api: bool, reconnect: bool = False):
        from urllib.parse import urlencode

        self.client = client
        self.reconnect = reconnect
        self.urlencode = urlencode
        self.page_sql, self.count_sql, self.match = raw_statements(vendor)
        self.kinds: dict[str, Callable[[dict[str, str]], int]] = {"view": self.view, "raw": self.raw}
        if has_api:
            self.kinds["api"] = self.api

    def _get(self, url: str) -> Any:
        if self.reconnect:
            # As the server does on SQLite (CONN_MAX_AGE=0): the request opens its own connection.
            from django.db import connection

            connection.close()
        return self.client.get(url)

    def view(self, query: dict[str, str]) -> int:
        response = self._get(f"/partners/organizations/?{self.urlencode(query)}")
        if response.status_code != 200:
            raise SystemExit(f"The list answered {response.status_code} for {query}")
        found = COUNT_HEADING.search(response.content.decode())
        return int(found.group(1).replace(",", "")) if found else -1

    def api(self, query: dict[str, str]) -> int:
        response = self._get(f"/api/v1/organizations?{self.urlencode(query)}")
        if response.status_code != 200:
            raise SystemExit(f"The API answered {response.status_code} for {query}")
        return response.json()["count"]

    def raw(self, query: dict[str, str]) -> int:
        from django.db import connection

        params = [self.match(query["q"]), query["sector"], query["level"]]
        with connection.cursor() as cursor:
            cursor.execute(self.count_sql, params)
            (count,) = cursor.fetchone()
            cursor.execute(self.page_sql, params)  # the page runs its query even when empty
            cursor.fetchall()
        return count


def check_answers(runner: Runner, queries: list[dict[str, str]]) -> dict[str, int]:
    """Each kind finds as many organizations as the raw SQL (a benchmark of wrong answers is
    worthless); returns how many queries found nothing, one, a page, or more."""
    sizes = {"none": 0, "one_page": 0, "several_pages": 0}
    for query in queries:
        expected = runner.raw(query)
        for kind, run in runner.kinds.items():
            found = run(query)
            if found != expected:
                raise SystemExit(f"{kind} found {found}, raw SQL {expected}, for {query}")
        sizes["none" if not expected else "one_page" if expected <= PAGE_SIZE else "several_pages"] += 1
    return sizes


def measure(
    runner: Runner, queries: list[dict[str, str]], iterations: int, warmup: int
) -> dict[str, list[float]]:
    """Milliseconds per run and kind. The kinds take turns going first, so none always finds
    the caches warmed by another for the same query."""
    kinds = list(runner.kinds)
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    for index in range(warmup + iterations):
        query = queries[index % len(queries)]
        shift = index % len(kinds)
        for kind in kinds[shift:] + kinds[:shift]:
            started = time.perf_counter()
            runner.kinds[kind](query)
            elapsed = (time.perf_counter() - started) * 1000
            if index >= warmup:
                timings[kind].append(elapsed)
    return timings


def profile_view(runner: Runner, queries: list[dict[str, str]]) -> dict[str, Any]:
    """The SQL one list request runs, and the share of its time spent in the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = []
    statements: list[str] = []
    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            runner.view(query)
            wall = (time.perf_counter() - started) * 1000
        sql = sum(float(item["time"]) for item in captured.captured_queries) * 1000
        samples.append({"wall_ms": wall, "sql_ms": sql, "queries": len(captured.captured_queries)})
        statements = statements or [item["sql"] for item in captured.captured_queries]
    return {
        "requests": len(samples),
        "queries_per_request": max(sample["queries"] for sample in samples),
        "mean_wall_ms": round(statistics.fmean(s["wall_ms"] for s in samples), 2),
        "mean_sql_ms": round(statistics.fmean(s["sql_ms"] for s in samples), 2),
        "example_statements": statements,
    }


def cpu_seconds() -> tuple[float, float]:
    """(busy CPU seconds of the whole machine, CPU seconds of this process); Linux only for the first."""
    own = sum(os.times()[:2])
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except OSError:
        return 0.0, own
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK"), own


# --- Report -----------------------------------------------------------------------------------


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def report(result: dict[str, Any]) -> str:
    lines = [
        f"Organization list: {result['organizations']:,} organizations, {result['people']:,} people, "
        f"{result['database']}, {result['iterations']} requests per kind"
        + (", a new connection per request" if result["reconnect"] else ""),
        "",
        f"{'':34}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}",
    ]
    labels = {
        "view": "view (test client, whole page)",
        "api": "API (test client, JSON)",
        "raw": "raw SQL (count + page)",
    }
    for kind, summary in result["timings"].items():
        lines.append(
            f"{labels[kind]:34}{summary['p50_ms']:>9.1f}{summary['p95_ms']:>9.1f}{summary['max_ms']:>9.1f}"
        )
    verdict = result["verdict"]
    cpu = result["cpu_seconds_while_timing"]
    lines += [
        "",
        f"p95 view / p95 raw: {verdict['ratio']:.1f}x",
        f"target p95 <= {TARGET_P95_MS:.0f} ms: {'pass' if verdict['p95_ok'] else 'FAIL'}; "
        f"target ratio <= {TARGET_RATIO:.0f}x: {'pass' if verdict['ratio_ok'] else 'FAIL'}"
        + ("" if result["vendor"] == "sqlite" else " (the targets are set for SQLite)"),
        f"one list request: {result['profile']['queries_per_request']} SQL queries, "
        f"{result['profile']['mean_sql_ms']:.1f} ms in SQL of {result['profile']['mean_wall_ms']:.1f} ms",
        f"CPU while timing: {cpu['machine']:.1f} s on the machine, {cpu['this_process']:.1f} s in this one"
        + (" (the database server is the difference)" if result["vendor"] != "sqlite" else ""),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=50_000, help="organizations to generate")
    parser.add_argument("--people", type=int, default=200_000, help="people to generate")
    parser.add_argument("--iterations", type=int, default=200, help="timed requests per kind")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument(
        "--reconnect",
        action="store_true",
        help="a new database connection for every view and API request, as the server makes on "
        "SQLite (the test client otherwise keeps one)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help=f"a PostgreSQL server to bench on (a {BENCH_DATABASE} database is created there and "
        "dropped; the URL's own database is never touched); default: DATABASE_URL, else SQLite "
        "in a temporary folder",
    )
    args = parser.parse_args(argv)

    return run_bench(args, run)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    sys.path.insert(0, str(BENCH_DIR))
    from generate_registry import generate

    from healthywork.accounts.models import User
    from healthywork.accounts.roles import Role

    migrate()
    generation = generate(args.orgs, args.people, seed=args.seed)
    # Measure as a server process would meet the data: not in the heap and connection that just
    # wrote it (on SQLite, the write-ahead log folded back into the database file first).
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    gc.collect()

    administrator = User.objects.create(username="bench-administrator", role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(administrator)
    has_api = client.get("/api/v1/organizations").status_code != 404
    runner = Runner(client, connection.vendor, has_api, reconnect=args.reconnect)
    queries = build_queries(args.seed)
    sizes = check_answers(runner, queries)
    machine_before, process_before = cpu_seconds()
    timings = measure(runner, queries, args.iterations, args.warmup)
    machine, process = (
        after - before for after, before in zip(cpu_seconds(), (machine_before, process_before), strict=True)
    )
    profile = profile_view(runner, queries[:20])

    summaries = {kind: summarize(values) for kind, values in timings.items()}
    ratio = summaries["view"]["p95_ms"] / summaries["raw"]["p95_ms"]
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database": database_version(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        # CPU seconds while timing: busy well beyond this process (and PostgreSQL's backend)
        # means other work shared the machine and inflated the tail.
        "cpu_seconds_while_timing": {"machine": round(machine, 1), "this_process": round(process, 1)},
        "organizations": args.orgs,
        "people": args.people,
        "iterations": args.iterations,
        "warmup": args.warmup,
        "seed": args.seed,
        "reconnect": args.reconnect,
        "generation_seconds": {step: round(seconds, 1) for step, seconds in generation.items()},
        "result_sizes": sizes,
        "timings": summaries,
        "verdict": {
            "ratio": round(ratio, 2),
            "p95_ok": summaries["view"]["p95_ms"] <= TARGET_P95_MS,
            "ratio_ok": ratio <= TARGET_RATIO,
        },
        "profile": profile,
        "queries": queries,
    }
    print()
    print(report(result))
    OUT_DIR.mkdir(exist_ok=True)
    out_file = OUT_DIR / f"registry-{connection.vendor}{'-reconnect' if args.reconnect else ''}.json"
    out_file.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nDetails: {out_file.relative_to(BENCH_DIR.parent)}")
    is_pass = result["verdict"]["p95_ok"] and result["verdict"]["ratio_ok"]
    return 0 if is_pass or connection.vendor != "sqlite" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
