"""50 concurrent survey submissions against PostgreSQL through a real app server: none lost, none
duplicated.

    python bench/evaluation_submit.py [--database-url postgres://postgres@127.0.0.1:5432/]
        [--submissions 50] [--duplicates 15] [--personal 5] [--workers 4] [--threads 4]

It creates a scratch database `healthywork_submit_bench` on the PostgreSQL server (dropped at the
end), migrates it, makes a 10-item Likert instrument with one administration that has an
anonymous public link and `--personal` personal invitations, and starts the app with gunicorn
(`--workers` processes × `--threads` threads) on a free loopback port. The load tool is a pool
of HTTP clients (Python threads with http.client, one connection per request) released together
by a barrier, all POSTing to the public answering endpoint `/api/v1/evaluation/respond/<token>`:

- `--submissions` distinct anonymous submissions, each with its own submission key;
- `--duplicates` resends of some of those, with the same key and the same answers (a double
  click, a retrying client), fired at the same moment as the originals;
- three submissions, each with a different key, to each personal link (a link used twice).

Then it counts in the database: every distinct key present exactly once, answers 10 per response,
one response per personal link, and nothing else. It prints a JSON summary (also written to
bench/out/evaluation-submit-postgresql.json) and exits 1 on any loss or duplicate.
"""

import argparse
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DATABASE = "healthywork_submit_bench"
ITEMS = 10


def _postgres(maintenance_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _setup_rows(personal: int) -> dict:
    from healthywork.evaluation.models import Administration, Instrument, Invitation, Item, ItemKind

    likert = [{"value": v, "label": str(v)} for v in range(1, 6)]
    instrument = Instrument.objects.create(name="bench-submit", title="Bench submit")
    for number in range(1, ITEMS + 1):
        Item.objects.create(
            instrument=instrument, code=f"q{number}", text=f"Statement {number}", kind=ItemKind.LIKERT,
            choices=likert, position=number,
        )  # fmt: skip
    administration = Administration.objects.create(
        instrument=instrument, title="Bench", context_kind="other", public_link_open=True
    )
    invitations = [
        Invitation.objects.create(
            administration=administration, name=f"Person {n}", email=f"p{n}@example.org"
        )
        for n in range(personal)
    ]
    return {
        "administration_id": administration.pk,
        "public_token": administration.public_token,
        "personal_tokens": [invitation.token for invitation in invitations],
    }


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/evaluate/s/none/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within a minute")


def _post(port: int, token: str, body: dict) -> tuple[int, dict, float]:
    started = time.perf_counter()
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(
        "POST",
        f"/api/v1/evaluation/respond/{token}",
        body=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )
    response = connection.getresponse()
    data = response.read()
    connection.close()
    try:
        parsed = json.loads(data)
    except ValueError:
        parsed = {"raw": data[:200].decode(errors="replace")}
    return response.status, parsed, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
    )
    parser.add_argument("--submissions", type=int, default=50)
    parser.add_argument("--duplicates", type=int, default=15)
    parser.add_argument("--personal", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    parts = urlsplit(args.database_url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit("This bench runs against PostgreSQL: --database-url postgres://...")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    database_url = urlunsplit(parts._replace(path=f"/{DATABASE}"))
    drop = f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"
    _postgres(maintenance, drop, f"CREATE DATABASE {DATABASE}")
    data_dir = tempfile.mkdtemp(prefix="healthywork-submit-")
    Path(data_dir, "static").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "healthywork.settings",
        "HEALTHYWORK_DATA_DIR": data_dir,
        "SECRET_KEY": "bench-only-not-secret",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "0",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    server = None
    try:
        python = sys.executable
        subprocess.run(
            [python, "-m", "django", "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT
        )
        import django

        django.setup()
        from django.db import connections

        rows = _setup_rows(args.personal)
        connections.close_all()

        port = _free_port()
        gunicorn = shutil.which("gunicorn", path=str(Path(python).parent)) or "gunicorn"
        server = subprocess.Popen(
            [
                gunicorn, "healthywork.wsgi:application", "--bind", f"127.0.0.1:{port}",
                "--workers", str(args.workers), "--threads", str(args.threads), "--log-level", "warning",
            ],
            env=env, cwd=ROOT,
        )  # fmt: skip
        _wait_for(port, server)

        rng = random.Random(args.seed)
        originals = []
        for _number in range(args.submissions):
            answers = {f"q{i}": rng.randint(1, 5) for i in range(1, ITEMS + 1)}
            originals.append((rows["public_token"], {"answers": answers, "submission_key": uuid.uuid4().hex}))
        resends = [rng.choice(originals) for _number in range(args.duplicates)]
        personal = [
            (token, {"answers": {f"q{i}": rng.randint(1, 5) for i in range(1, ITEMS + 1)},
                     "submission_key": uuid.uuid4().hex})
            for token in rows["personal_tokens"]
            for _attempt in range(3)
        ]  # fmt: skip
        jobs = originals + resends + personal
        rng.shuffle(jobs)
        barrier = threading.Barrier(len(jobs))

        def fire(job):
            token, body = job
            barrier.wait()
            return _post(port, token, body)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            results = list(pool.map(fire, jobs))
        elapsed = time.perf_counter() - started

        statuses: dict[str, int] = {}
        for status, _body, _seconds in results:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        duplicates_reported = sum(
            1 for status, body, _s in results if status == 200 and body.get("duplicate")
        )

        from healthywork.evaluation.models import Answer, Invitation, Response

        administration_id = rows["administration_id"]
        responses = Response.objects.filter(administration_id=administration_id)
        keys = [body["submission_key"] for _token, body in originals]
        stored_keys = list(responses.filter(invitation__isnull=True).values_list("submission_key", flat=True))
        missing = sorted(set(keys) - set(stored_keys))
        duplicated = len(stored_keys) - len(set(stored_keys))
        extra = sorted(set(stored_keys) - set(keys))
        per_invitation = {
            invitation.token[:6]: Response.objects.filter(invitation=invitation).count()
            for invitation in Invitation.objects.filter(administration_id=administration_id)
        }
        answer_count = Answer.objects.filter(response__administration_id=administration_id).count()
        expected_responses = args.submissions + args.personal
        stored = {}
        for key, code, number in Answer.objects.filter(
            response__administration_id=administration_id
        ).values_list("response__submission_key", "item__code", "number"):
            stored.setdefault(key, {})[code] = number
        answers_by_key_ok = all(
            stored.get(body["submission_key"])
            == {code: float(value) for code, value in body["answers"].items()}
            for _token, body in originals
        )
        latencies = sorted(seconds for _status, _body, seconds in results)
        ok = (
            not missing
            and not duplicated
            and not extra
            and all(count == 1 for count in per_invitation.values())
            and responses.count() == expected_responses
            and answer_count == expected_responses * ITEMS
            and answers_by_key_ok
        )
        summary = {
            "bench": "evaluation_submit",
            "database": "PostgreSQL "
            + connections["default"].cursor().connection.info.server_version.__str__(),
            "server": f"gunicorn {args.workers} workers x {args.threads} threads on 127.0.0.1",
            "load_tool": "Python ThreadPoolExecutor of http.client connections released by a barrier",
            "requests": len(jobs),
            "distinct_submissions": args.submissions,
            "resent_duplicates": args.duplicates,
            "personal_link_attempts": len(personal),
            "http_statuses": statuses,
            "duplicates_reported": duplicates_reported,
            "responses_stored": responses.count(),
            "responses_expected": expected_responses,
            "answers_stored": answer_count,
            "answers_expected": expected_responses * ITEMS,
            "missing_submissions": len(missing),
            "duplicated_submissions": duplicated,
            "unexpected_submissions": len(extra),
            "responses_per_personal_link": sorted(per_invitation.values()),
            "answers_match_what_was_sent": answers_by_key_ok,
            "wall_seconds": round(elapsed, 3),
            "latency_ms_p50": round(1000 * latencies[len(latencies) // 2], 1),
            "latency_ms_max": round(1000 * latencies[-1], 1),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "ok": ok,
        }
        print(json.dumps(summary, indent=2))
        out = BENCH_DIR / "out"
        out.mkdir(exist_ok=True)
        (out / "evaluation-submit-postgresql.json").write_text(json.dumps(summary, indent=2) + "\n")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001  (settings may never have loaded)
            pass
        _postgres(maintenance, drop)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
