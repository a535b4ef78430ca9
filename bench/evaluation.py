"""How fast evaluation results come for 20,000 responses to a 40-item instrument.

    python bench/evaluation.py [--responses 20000] [--iterations 5]
    python bench/evaluation.py --database-url postgres://postgres@127.0.0.1:5432/

It builds its own database as bench/registry.py does (a SQLite file in a temporary folder, or a
`healthywork_evaluation_bench` database on the PostgreSQL server named by --database-url or
DATABASE_URL, dropped at the end), migrates it, fills it with `generate_evaluation` (a pre and a matched post
administration, 20,000 complete responses each, 40 Likert items in 4 dimensions, some reverse
scored, about 3 % missing) and times, through Django's test client signed in as an administrator:

1. the results page of the post administration (target <= 1 s);
2. the pre/post page (post, its pre as the baseline) (target <= 1 s);
3. the responses export as CSV (streamed, read to the end), XLSX and SPSS .sav (target <= 10 s each).

Baselines, in the same run, with no Django: the DB-API driver (sqlite3 or psycopg) reads the
same answers with one SQL statement into a numpy matrix, then (1) item means and SDs, (2) the
same for both administrations, matched by key, with a paired t-test per dimension (scipy), (3)
the matrix written by csv.writer. Each figure is reported with its ratio to the baseline,
and with the CPU time of this process (on SQLite the database works in it too), a figure less
sensitive than wall time to other work on a shared machine.
It prints a JSON summary and writes it to bench/out/evaluation-<vendor>.json.
"""

import argparse
import csv
import gc
import io
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
sys.path.insert(0, str(BENCH_DIR))
import registry  # noqa: E402

# Its own database name on PostgreSQL, so that it never drops another bench's database mid-run.
EVALUATION_DATABASE = "healthywork_evaluation_bench"
TARGET_PAGE_MS = 1000.0
TARGET_EXPORT_MS = 10_000.0


# --- Baselines: the DB-API driver and numpy, no Django ---------------------------------------------


def raw_connection():
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        import sqlite3

        return sqlite3.connect(str(database["NAME"])), "?"
    import psycopg

    return (
        psycopg.connect(
            dbname=database["NAME"],
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
        ),
        "%s",
    )


def raw_matrix(connection, mark: str, administration_id: int):
    """(respondent keys, matrix) of an administration's complete responses, one statement."""
    import numpy as np

    cursor = connection.cursor()
    cursor.execute(
        f"SELECT r.id, r.respondent_key FROM evaluation_response r WHERE r.administration_id = {mark} "
        f"AND r.status = 'complete' ORDER BY r.id",
        (administration_id,),
    )
    responses = cursor.fetchall()
    row_of = {pk: index for index, (pk, _key) in enumerate(responses)}
    cursor.execute(
        "SELECT a.response_id, a.item_id, a.number FROM evaluation_answer a JOIN evaluation_response r "
        f"ON r.id = a.response_id WHERE r.administration_id = {mark} AND r.status = 'complete' "
        "AND a.number IS NOT NULL",
        (administration_id,),
    )
    triples = np.array(cursor.fetchall(), dtype=float)
    items = np.unique(triples[:, 1])
    column = np.searchsorted(items, triples[:, 1])
    rows = np.array([row_of[int(pk)] for pk in triples[:, 0]])
    values = np.full((len(responses), len(items)), np.nan)
    values[rows, column] = triples[:, 2]
    return [key for _pk, key in responses], values


def baseline_results(administration_id: int) -> None:
    import numpy as np

    connection, mark = raw_connection()
    _keys, values = raw_matrix(connection, mark, administration_id)
    np.nanmean(values, axis=0), np.nanstd(values, axis=0, ddof=1)
    connection.close()


def baseline_prepost(pre_id: int, post_id: int) -> None:
    import numpy as np
    from scipy import stats

    connection, mark = raw_connection()
    pre_keys, pre = raw_matrix(connection, mark, pre_id)
    post_keys, post = raw_matrix(connection, mark, post_id)
    connection.close()
    at = {key: index for index, key in enumerate(pre_keys)}
    pairs = [(at[key], index) for index, key in enumerate(post_keys) if key in at]
    a, b = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    for start in range(0, pre.shape[1], 10):
        before = np.nanmean(pre[a, start : start + 10], axis=1)
        after = np.nanmean(post[b, start : start + 10], axis=1)
        stats.ttest_rel(before, after, nan_policy="omit")


def baseline_csv(administration_id: int) -> int:
    connection, mark = raw_connection()
    keys, values = raw_matrix(connection, mark, administration_id)
    connection.close()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for key, row in zip(keys, values.tolist(), strict=True):
        writer.writerow([key, *row])
    return len(buffer.getvalue())


# --- The run -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=20_000, help="complete responses per administration")
    parser.add_argument("--iterations", type=int, default=5, help="timed runs of each page")
    parser.add_argument("--export-iterations", type=int, default=3, help="timed runs of each export")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="a PostgreSQL server to bench on (default: DATABASE_URL, else SQLite in a temporary folder)",
    )
    args = parser.parse_args(argv)
    return registry.run_bench(args, run, database=EVALUATION_DATABASE)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from generate_evaluation import generate

    from healthywork.accounts.models import User
    from healthywork.accounts.roles import Role

    registry.migrate()
    data = generate(args.responses, seed=args.seed)
    print(f"Generated {data['answers']:,} answers in {data['seconds']} s", flush=True)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connection.close()
    gc.collect()

    pre, post = data["pre"], data["post"]
    administrator = User.objects.create(username="bench-administrator", role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(administrator)
    results_url = reverse("evaluation:results", args=[post.public_id])
    prepost_url = reverse("evaluation:prepost") + f"?post={post.public_id}"
    export_url = reverse("evaluation:results-export", args=[post.public_id])

    def get(url: str) -> int:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if response.streaming:
            return sum(len(chunk) for chunk in response.streaming_content)
        return len(response.content)

    measured: dict[str, Any] = {}

    def measure(name: str, url: str, baseline, target: float, iterations: int) -> None:
        # The page and its baseline take turns, so that a busy spell of the machine weighs on both.
        get(url)
        baseline()
        timings, cpu, base, size = [], [], [], 0
        for _ in range(iterations):
            begun, cpu_begun = time.perf_counter(), time.process_time()
            size = get(url)
            timings.append((time.perf_counter() - begun) * 1000)
            cpu.append((time.process_time() - cpu_begun) * 1000)
            begun = time.perf_counter()
            baseline()
            base.append((time.perf_counter() - begun) * 1000)
        summary = registry.summarize(timings)
        base_summary = registry.summarize(base)
        measured[name] = {
            **summary,
            "cpu_p50_ms": round(registry.percentile(cpu, 0.5), 1),
            "bytes": size,
            "baseline_p50_ms": base_summary["p50_ms"],
            "ratio_p50": round(summary["p50_ms"] / base_summary["p50_ms"], 1),
            "target_ms": target,
            "met": summary["p95_ms"] <= target,
        }
        print(name, json.dumps(measured[name]), flush=True)

    measure("results page", results_url, lambda: baseline_results(post.pk), TARGET_PAGE_MS, args.iterations)
    measure(
        "pre/post page",
        prepost_url,
        lambda: baseline_prepost(pre.pk, post.pk),
        TARGET_PAGE_MS,
        args.iterations,
    )
    for fmt in ("csv", "xlsx", "sav"):
        measure(
            f"export {fmt}",
            f"{export_url}?format={fmt}",
            lambda: baseline_csv(post.pk),
            TARGET_EXPORT_MS,
            args.export_iterations,
        )
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": registry.database_version(),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
        "responses_per_administration": args.responses,
        "answers": data["answers"],
        "measured": measured,
    }
    OUT_DIR.mkdir(exist_ok=True)
    path = OUT_DIR / f"evaluation-{connection.vendor}.json"
    path.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if all(entry["met"] for entry in measured.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
