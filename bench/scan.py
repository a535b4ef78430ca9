"""How fast the scan answers with a large coded project, each against the same work done by hand.

    python bench/scan.py [--documents 2000] [--words 5000] [--codings 100] [--iterations 100]
    python bench/scan.py --database-url postgres://postgres@127.0.0.1:5432/
    python bench/scan.py --keep [--only segments --only export]   # reuse a kept database

It builds its own database as bench/registry.py does (a SQLite file in a temporary folder, or a
`healthywork_scan_bench` database on the PostgreSQL server named by --database-url or
DATABASE_URL, dropped at the end), migrates it, fills it with `generate_scan` (2,000 transcripts
of about 5,000 words, about 200,000 codings over 60 codes by three coders, 100 transcripts in a
closed round of two coders), signs an administrator in with the test client and times:

1. the coding page of one document (`scan:document-code`), against raw SQL fetching the
   document's text and its codings with their codes and coders (target p95 <= 150 ms);
2. every segment of one code across the project (`scan:segments?code=<uuid>`): the first page,
   and the whole CSV export (`&format=csv`), against raw SQL of the same rows (the first 25 and
   the count; all of them written as CSV) (target p95 <= 300 ms);
3. agreement over the round's 100 transcripts (`rounds.compare_round`), for one code (the round's
   most used) and for every code, against raw SQL of the round's codings and texts with the
   sentence units and Krippendorff's alpha computed by hand with numpy (target <= 2 s);
4. the .qdpx export of the whole project (`refi.export_qdpx`) to a temporary file, against raw
   SQL streaming the same rows into a zip, with peak Python memory (tracemalloc, in a separate
   run) and the growth of the process's peak RSS (target <= 30 s).

A measurement whose page or function is missing is skipped with "not measured: <reason>". It
prints a table and writes the details to bench/out/scan-<vendor>.json.
"""

import argparse
import csv
import gc
import io
import json
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
import registry  # noqa: E402

SCAN_DATABASE = "healthywork_scan_bench"
TARGETS_MS = {"document": 150.0, "segments_page": 300.0, "segments_csv": 300.0, "agreement": 2000.0}
TARGET_EXPORT_S = 30.0
PAGE_SIZE = 25


KEPT_SQLITE_DIR = Path(tempfile.gettempdir()) / "healthywork-scan-bench"


def _is_generated(args: argparse.Namespace) -> bool:
    """Whether the database already holds the bench project asked for (a kept one, with --keep)."""
    from generate_scan import PROJECT_NAME

    from healthywork.scan.models import Document, Project

    project = Project.objects.filter(name=PROJECT_NAME).first()
    return project is not None and Document.objects.filter(project=project).count() == args.documents


def timed(function, iterations: int, warmup: int) -> list[float]:
    values = []
    for index in range(warmup + iterations):
        started = time.perf_counter()
        function(index)
        elapsed = (time.perf_counter() - started) * 1000
        if index >= warmup:
            values.append(elapsed)
    return values


def pair(view, raw, items: list, iterations: int, warmup: int) -> dict[str, Any]:
    """Time the view and its raw baseline on the same items, taking turns to go first."""
    timings: dict[str, list[float]] = {"view": [], "raw": []}
    kinds = [("view", view), ("raw", raw)]
    for index in range(warmup + iterations):
        item = items[index % len(items)]
        for kind, function in kinds if index % 2 == 0 else kinds[::-1]:
            started = time.perf_counter()
            function(item)
            elapsed = (time.perf_counter() - started) * 1000
            if index >= warmup:
                timings[kind].append(elapsed)
    summaries = {kind: registry.summarize(values) for kind, values in timings.items()}
    summaries["ratio"] = round(summaries["view"]["p95_ms"] / summaries["raw"]["p95_ms"], 2)
    return summaries


# --- 1. The coding page -----------------------------------------------------------------------


def raw_document(public_id: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, title, text FROM scan_document WHERE public_id = %s", [public_id])
        document_id, _title, _text = cursor.fetchone()
        cursor.execute(
            "SELECT c.public_id, c.start_offset, c.end_offset, c.snippet, k.name, k.colour, u.username "
            "FROM scan_coding c JOIN scan_code k ON k.id = c.code_id "
            "JOIN accounts_user u ON u.id = c.coder_id WHERE c.document_id = %s "
            "ORDER BY c.start_offset, c.end_offset, c.id",
            [document_id],
        )
        return len(cursor.fetchall())


def bench_document(client, iterations: int, warmup: int) -> dict[str, Any]:
    from django.urls import NoReverseMatch, reverse

    from healthywork.scan.models import Document

    documents = list(Document.objects.order_by("?").values_list("public_id", flat=True)[:20])
    try:
        urls = {public_id: reverse("scan:document-code", args=[public_id]) for public_id in documents}
    except NoReverseMatch as error:
        return {"not_measured": f"scan:document-code is not there ({error})"}

    def view(public_id) -> None:
        response = client.get(urls[public_id])
        if response.status_code != 200:
            raise SystemExit(f"The coding page answered {response.status_code}")

    def raw(public_id) -> None:
        raw_document(str(public_id) if _uuid_as_text() else public_id.hex)

    return pair(view, raw, documents, iterations, warmup)


def _uuid_as_text() -> bool:
    """UUIDs are a native type on PostgreSQL; SQLite stores them as 32 hex digits."""
    from django.db import connection

    return connection.vendor == "postgresql"


# --- 2. The segments of one code --------------------------------------------------------------

SEGMENT_SQL = (
    "SELECT c.public_id, c.snippet, c.start_offset, c.end_offset, k.name, d.title, o.name, s.name, "
    "s.family, o.level, i.scheduled_at, u.username, c.is_consensus "
    "FROM scan_coding c JOIN scan_code k ON k.id = c.code_id JOIN scan_document d ON d.id = c.document_id "
    "LEFT JOIN scan_interview i ON i.id = d.interview_id "
    "LEFT JOIN partners_organization o ON o.id = i.organization_id "
    "LEFT JOIN partners_sector s ON s.id = o.sector_id JOIN accounts_user u ON u.id = c.coder_id "
    "WHERE c.code_id = %s AND d.project_id = %s ORDER BY o.name, d.title, c.start_offset, c.id"
)


def raw_segments_page(code_id: int, project_id: int) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM scan_coding c JOIN scan_document d ON d.id = c.document_id "
            "WHERE c.code_id = %s AND d.project_id = %s",
            [code_id, project_id],
        )
        (count,) = cursor.fetchone()
        cursor.execute(SEGMENT_SQL + f" LIMIT {PAGE_SIZE}", [code_id, project_id])
        cursor.fetchall()
    return count


def raw_segments_csv(code_id: int, project_id: int) -> int:
    from django.db import connection

    out = io.StringIO()
    writer = csv.writer(out)
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(SEGMENT_SQL, [code_id, project_id])
        for row in cursor:
            writer.writerow(row)
            rows += 1
    out.getvalue().encode("utf-8")
    return rows


def bench_segments(client, project, iterations: int, warmup: int) -> dict[str, Any]:
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from healthywork.scan.models import Code

    try:
        url = reverse("scan:segments", args=[project.public_id])
    except NoReverseMatch as error:
        return {"not_measured": f"scan:segments is not there ({error})"}
    # The ten most used codes: the worst cases of "every segment of one code".
    codes = list(
        Code.objects.filter(project=project).annotate(total=Count("codings")).order_by("-total", "pk")[:10]
    )
    sizes = {code.pk: code.total for code in codes}

    def page(code) -> None:
        response = client.get(url, {"code": str(code.public_id)})
        if response.status_code != 200:
            raise SystemExit(f"The segments page answered {response.status_code}")

    def export(code) -> None:
        response = client.get(url, {"code": str(code.public_id), "format": "csv"})
        if response.status_code != 200:
            raise SystemExit(f"The segments CSV answered {response.status_code}")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        export.rows = content.count(b"\n")

    # The CSV must hold every segment of the code (a header, then one line per segment; quotes
    # hold no line breaks in the bench's transcripts).
    export(codes[0])
    if export.rows - 1 != sizes[codes[0].pk]:
        raise SystemExit(f"The CSV has {export.rows - 1} rows, the code {sizes[codes[0].pk]} codings")
    return {
        "segments_per_code": {"min": min(sizes.values()), "max": max(sizes.values())},
        "page": pair(page, lambda code: raw_segments_page(code.pk, project.pk), codes, iterations, warmup),
        "csv": pair(
            export, lambda code: raw_segments_csv(code.pk, project.pk), codes, max(iterations // 4, 10), 2
        ),
    }


# --- 3. Agreement over the round --------------------------------------------------------------


def raw_agreement(round_pk: int, code_id: int | None = None) -> float | None:
    """The round's pooled alpha by hand: raw SQL, the sentence units, numpy (two coders, nominal,
    presence 0/1 per (unit, code); units of a document a coder never coded, with any code, are
    left out). With `code_id`, that code's alpha alone."""
    wanted = code_id
    import numpy as np
    from django.db import connection

    from healthywork.scan.analysis import split_units, unit_presence

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT user_id FROM scan_round_coders WHERE round_id = %s ORDER BY user_id", [round_pk]
        )
        coders = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT d.id, d.text FROM scan_document d JOIN scan_round_documents rd ON rd.document_id = d.id "
            "WHERE rd.round_id = %s",
            [round_pk],
        )
        texts = dict(cursor.fetchall())
        cursor.execute(
            "SELECT c.document_id, c.code_id, c.coder_id, c.start_offset, c.end_offset FROM scan_coding c "
            "JOIN scan_round_documents rd ON rd.document_id = c.document_id AND rd.round_id = %s "
            "JOIN scan_round_coders rc ON rc.user_id = c.coder_id AND rc.round_id = %s "
            "WHERE (c.round_id = %s OR c.round_id IS NULL) AND NOT c.is_consensus",
            [round_pk, round_pk, round_pk],
        )
        spans: dict[tuple[int, int, int], list[tuple[int, int]]] = defaultdict(list)
        for document_id, code_id, coder_id, start, end in cursor.fetchall():
            spans[(document_id, code_id, coder_id)].append((start, end))
    started_pairs = {(document_id, coder_id) for document_id, _code, coder_id in spans}
    if wanted is not None:
        spans = {key: value for key, value in spans.items() if key[1] == wanted}
        codes = [wanted]
    else:
        codes = sorted({code for _document, code, _coder in spans})
    code_index = {code: index for index, code in enumerate(codes)}
    disagreements = ones = pairable = 0
    for document_id, text in texts.items():
        units = split_units(text, "sentence")
        present = np.zeros((len(coders), len(codes), len(units)), dtype=bool)
        for (span_document, span_code, coder_id), coder_spans in spans.items():
            if span_document == document_id:
                present[coders.index(coder_id), code_index[span_code]] = unit_presence(units, coder_spans)
        if not all((document_id, coder_id) in started_pairs for coder_id in coders):
            continue
        disagreements += int(np.count_nonzero(present[0] != present[1]))
        ones += int(np.count_nonzero(present))
        pairable += present[0].size
    values = 2 * pairable
    zeros = values - ones
    if not ones or not zeros:
        return None
    return 1 - (values - 1) * disagreements / (ones * zeros)


def bench_agreement(iterations: int) -> dict[str, Any]:
    """Agreement for one code (the round's most used, as the issue asks) and for every code."""
    from django.core.cache import cache
    from django.db.models import Count

    from healthywork.scan.models import Code, Round

    try:
        from healthywork.scan.rounds import compare_round
    except ImportError as error:
        return {"not_measured": f"rounds.compare_round is not there ({error})"}
    blind_round = Round.objects.get(name="Bench double-coding")
    code = (
        Code.objects.filter(codings__round=blind_round)
        .annotate(total=Count("codings"))
        .order_by("-total", "pk")
        .first()
    )
    result: dict[str, Any] = {"documents": blind_round.documents.count()}
    for kind, chosen in (("one_code", code), ("all_codes", None)):
        comparison = compare_round(blind_round, code=chosen)
        code_id = chosen.pk if chosen is not None else None
        baseline = raw_agreement(blind_round.pk, code_id)
        alpha = comparison.overall.alpha
        if alpha is None or baseline is None or abs(alpha - baseline) > 1e-6:
            raise SystemExit(f"compare_round's alpha {alpha} ({kind}) differs from the raw {baseline}")

        def cold(_item, chosen=chosen) -> None:
            cache.clear()  # compare_round keeps its result until the round's codings change
            compare_round(blind_round, code=chosen)

        timing = pair(
            cold, lambda _item, code_id=code_id: raw_agreement(blind_round.pk, code_id), [None], iterations, 0
        )
        compare_round(blind_round, code=chosen)
        timing["cached"] = registry.summarize(
            timed(lambda _index, chosen=chosen: compare_round(blind_round, code=chosen), 20, 1)
        )
        timing.update(
            {
                "code": chosen.name if chosen is not None else None,
                "codes": len(comparison.codes),
                "units": comparison.n_units,
                "alpha": round(alpha, 4),
            }
        )
        result[kind] = timing
    result["note"] = "view = compare_round computed (cache cleared first), cached = answered from its cache"
    return result


# --- 4. The .qdpx export ----------------------------------------------------------------------


def raw_export(project_pk: int, out) -> None:
    """The same rows as a REFI-QDA export, streamed by hand from raw SQL into a zip."""
    from django.db import connection

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("project.qde", "w") as entry, connection.cursor() as cursor:
            entry.write(b'<?xml version="1.0" encoding="utf-8"?>\n<Project><CodeBook><Codes>')
            cursor.execute(
                "SELECT public_id, name, colour FROM scan_code WHERE project_id = %s", [project_pk]
            )
            for guid, name, colour in cursor.fetchall():
                attributes = f"guid={quoteattr(str(guid))} name={quoteattr(name)} color={quoteattr(colour)}"
                entry.write(f"<Code {attributes}/>".encode())
            entry.write(b"</Codes></CodeBook><Sources>")
            cursor.execute(
                "SELECT d.public_id, d.title, c.public_id, c.start_offset, c.end_offset, k.public_id, "
                "u.username "
                "FROM scan_document d LEFT JOIN scan_coding c ON c.document_id = d.id "
                "LEFT JOIN scan_code k ON k.id = c.code_id LEFT JOIN accounts_user u ON u.id = c.coder_id "
                "WHERE d.project_id = %s ORDER BY d.title, d.id, c.start_offset",
                [project_pk],
            )
            current = None
            for document_guid, title, coding_guid, start, end, code_guid, username in cursor:
                if document_guid != current:
                    if current is not None:
                        entry.write(b"</TextSource>")
                    entry.write(
                        f"<TextSource guid={quoteattr(str(document_guid))} name={quoteattr(title)}>".encode()
                    )
                    current = document_guid
                if coding_guid is not None:
                    entry.write(
                        f'<PlainTextSelection guid="{coding_guid}" startPosition="{start}" '
                        f'endPosition="{end}" '
                        f'creatingUser={quoteattr(username)}><Coding><CodeRef targetGUID="{code_guid}"/>'
                        "</Coding></PlainTextSelection>".encode()
                    )
            if current is not None:
                entry.write(b"</TextSource>")
            entry.write(b"</Sources></Project>")
        with connection.cursor() as cursor:
            cursor.execute("SELECT public_id, text FROM scan_document WHERE project_id = %s", [project_pk])
            for guid, text in cursor:
                with archive.open(f"Sources/{guid}.txt", "w") as entry:
                    entry.write(text.encode("utf-8"))


def bench_export(project, iterations: int) -> dict[str, Any]:
    try:
        from healthywork.scan.refi import export_qdpx
    except ImportError as error:
        return {"not_measured": f"refi.export_qdpx is not there ({error})"}
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder, "project.qdpx")
        baseline = Path(folder, "raw.qdpx")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        timings: dict[str, list[float]] = {"view": [], "raw": []}
        for index in range(iterations):
            for kind in ("view", "raw") if index % 2 == 0 else ("raw", "view"):
                gc.collect()
                started = time.perf_counter()
                with open(target if kind == "view" else baseline, "wb") as out:
                    export_qdpx(project, out) if kind == "view" else raw_export(project.pk, out)
                timings[kind].append(time.perf_counter() - started)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result["seconds"] = {kind: [round(value, 2) for value in values] for kind, values in timings.items()}
        result["max_s"] = {kind: round(max(values), 2) for kind, values in timings.items()}
        result["ratio"] = round(max(timings["view"]) / max(timings["raw"]), 2)
        result["bytes"] = {"export": target.stat().st_size, "raw": baseline.stat().st_size}
        result["peak_rss_growth_mb"] = round((rss_after - rss_before) / 1024, 1)  # ru_maxrss is in kB
        for kind in ("view", "raw"):
            gc.collect()
            tracemalloc.start()
            with open(target, "wb") as out:
                export_qdpx(project, out) if kind == "view" else raw_export(project.pk, out)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            result.setdefault("tracemalloc_peak_mb", {})[kind] = round(peak / 2**20, 1)
    result["target_ok"] = result["max_s"]["view"] <= TARGET_EXPORT_S
    return result


# --- Report -----------------------------------------------------------------------------------


def report(result: dict[str, Any]) -> str:
    lines = [
        f"Scan: {result['documents']:,} transcripts ({result['words']:,} words), "
        f"{result['codings']:,} codings, "
        f"{result['codes']} codes, {result['database']}",
        "",
        f"{'':34}{'view p50':>10}{'view p95':>10}{'raw p95':>10}{'ratio':>8}{'target':>9}",
    ]

    def row(label: str, item: dict[str, Any] | None, target: float) -> None:
        if item is None or "not_measured" in (item or {}):
            lines.append(f"{label:34}not measured: {(item or {}).get('not_measured', 'skipped')}")
            return
        ok = "pass" if item["view"]["p95_ms"] <= target else "FAIL"
        lines.append(
            f"{label:34}{item['view']['p50_ms']:>10.1f}{item['view']['p95_ms']:>10.1f}"
            f"{item['raw']['p95_ms']:>10.1f}{item['ratio']:>7.2f}x{ok:>9}"
        )

    row("coding page of one document", result["document"], TARGETS_MS["document"])
    segments = result["segments"]
    if "not_measured" in segments:
        row("segments of one code", segments, 0)
    else:
        row("segments of one code, page 1", segments["page"], TARGETS_MS["segments_page"])
        row("segments of one code, CSV", segments["csv"], TARGETS_MS["segments_csv"])
    agreement = result["agreement"]
    if "not_measured" in agreement:
        row("agreement over the round", agreement, 0)
    else:
        for kind, label in (
            ("one_code", "agreement, one code (ms)"),
            ("all_codes", "agreement, every code (ms)"),
        ):
            row(label, agreement[kind], TARGETS_MS["agreement"])
            cached = agreement[kind]["cached"]
            lines.append(
                f"{'  the same, from the cache':34}{cached['p50_ms']:>10.1f}{cached['p95_ms']:>10.1f}"
            )
    export = result["export"]
    if "not_measured" in export:
        lines.append(f"{'.qdpx export':34}not measured: {export['not_measured']}")
    else:
        lines.append(
            f".qdpx export: {export['max_s']['view']:.1f} s (raw {export['max_s']['raw']:.1f} s, "
            f"{export['ratio']:.2f}x), {'pass' if export['target_ok'] else 'FAIL'} "
            f"against {TARGET_EXPORT_S:.0f} s; {export['bytes']['export'] / 2**20:.1f} MB; "
            f"tracemalloc peak {export['tracemalloc_peak_mb']['view']} MB "
            f"(raw {export['tracemalloc_peak_mb']['raw']} MB); "
            f"peak RSS grew {export['peak_rss_growth_mb']} MB"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--words", type=int, default=5_000)
    parser.add_argument("--codings", type=int, default=100, help="codings per document")
    parser.add_argument("--codes", type=int, default=60)
    parser.add_argument("--round-documents", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=100, help="timed requests per page and kind")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--agreement-iterations", type=int, default=3)
    parser.add_argument("--export-iterations", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help=f"a PostgreSQL server (a {SCAN_DATABASE} database is created there and dropped); "
        "default: DATABASE_URL, else SQLite in a temporary folder",
    )
    parser.add_argument("--out", help="the JSON file (default bench/out/scan-<vendor>.json)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the generated database and reuse one kept before (SQLite: {KEPT_SQLITE_DIR}; "
        f"PostgreSQL: the {SCAN_DATABASE} database, not dropped); migrations still run, so new "
        "indexes are measured",
    )
    parser.add_argument(
        "--only",
        choices=["document", "segments", "agreement", "export"],
        action="append",
        help="time only these measurements (repeatable); default: all four",
    )
    args = parser.parse_args(argv)
    # With --keep the database outlives the run, and one kept before is used again (generation is
    # skipped when it holds what was asked for): the SQLite file in KEPT_SQLITE_DIR, or the
    # SCAN_DATABASE database on the PostgreSQL server.
    return registry.run_bench(
        args, run, database=SCAN_DATABASE, kept_folder=KEPT_SQLITE_DIR if args.keep else None
    )


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Sum
    from django.test import Client
    from generate_scan import PROJECT_NAME, generate

    from healthywork.accounts.models import User
    from healthywork.accounts.roles import Role
    from healthywork.scan.models import Code, Coding, Document, Project

    registry.migrate()
    if args.keep and _is_generated(args):
        print("Reusing the kept database: no generation")
        from generate_scan import _analyze

        started = time.perf_counter()
        User.objects.filter(username="bench-administrator").delete()
        _analyze()  # statistics for indexes the migrations may just have added
        generation = {"reused_analyze": time.perf_counter() - started}
    else:
        generation = generate(
            args.documents, args.words, args.codings, args.codes, args.round_documents, seed=args.seed
        )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    gc.collect()

    administrator = User.objects.create(username="bench-administrator", role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(administrator)
    project = Project.objects.get(name=PROJECT_NAME)
    machine_before, process_before = registry.cpu_seconds()
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database": registry.database_version(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "documents": Document.objects.count(),
        "words": Document.objects.aggregate(total=Sum("word_count"))["total"],
        "codings": Coding.objects.count(),
        "codes": Code.objects.count(),
        "iterations": args.iterations,
        "seed": args.seed,
        "generation_seconds": {step: round(seconds, 1) for step, seconds in generation.items()},
    }
    skipped = {"not_measured": "left out with --only"}
    wanted = set(args.only or ["document", "segments", "agreement", "export"])
    print("1. the coding page")
    result["document"] = (
        bench_document(client, args.iterations, args.warmup) if "document" in wanted else skipped
    )
    print("2. the segments of one code")
    result["segments"] = (
        bench_segments(client, project, args.iterations, args.warmup) if "segments" in wanted else skipped
    )
    print("3. agreement")
    result["agreement"] = bench_agreement(args.agreement_iterations) if "agreement" in wanted else skipped
    print("4. the .qdpx export")
    result["export"] = bench_export(project, args.export_iterations) if "export" in wanted else skipped
    machine, process = (
        after - before
        for after, before in zip(registry.cpu_seconds(), (machine_before, process_before), strict=True)
    )
    result["cpu_seconds_while_timing"] = {"machine": round(machine, 1), "this_process": round(process, 1)}
    print()
    print(report(result))
    print()
    print(
        json.dumps({key: value for key, value in result.items() if key != "generation_seconds"}, default=str)
    )
    out_file = Path(args.out) if args.out else registry.OUT_DIR / f"scan-{connection.vendor}.json"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"\nDetails: {out_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
