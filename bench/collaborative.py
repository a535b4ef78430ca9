"""How fast the cohort board answers for a large cohort, against the same counts as raw SQL.

    python bench/collaborative.py [--teams 50] [--sessions 6] [--iterations 100]
    python bench/collaborative.py --database-url postgres://postgres@127.0.0.1:5432/

It builds its own database as bench/registry.py does (a SQLite file in a temporary folder, or a
`healthywork_bench` database on the PostgreSQL server named by --database-url or DATABASE_URL,
dropped at the end), migrates it and generates one cohort: `--teams` teams of five organizations
and eight people each, `--sessions` sessions, three deliverables per team and session in mixed
states (some overdue), attendance of about three people in four, and for every team a power map
(30 actors), a theory of change (40 outcomes) and an action plan (5 objectives of 6 steps). Every
name is invented. Then it times, request by request:

- view:    GET /collaborative/cohorts/<id>/board/ as an administrator (the whole page);
- member:  the same page as a member of one team (the visibility filter, one row);
- raw:     the board's counts as hand-written SQL on a raw cursor (teams, sessions, deliverables by
           status, roster sizes, attendance, the three tools' counts).

It checks that the page and the raw SQL agree on the totals, prints p50/p95 per kind and the
verdict against the target (p95 of the view at most 500 ms), prints the result as JSON and writes
it to bench/out/collaborative-<vendor>.json.
"""

import argparse
import gc
import json
import os
import platform
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import registry  # noqa: E402
from registry import cpu_seconds, database_version, summarize  # noqa: E402

OUT_DIR = BENCH_DIR / "out"
TARGET_P95_MS = 500.0
ORGANIZATIONS_PER_TEAM = 5
PEOPLE_PER_TEAM = 8
DELIVERABLES_PER_SESSION = 3
ACTORS, OUTCOMES, OBJECTIVES, STEPS_PER_OBJECTIVE = 30, 40, 5, 6
SECTORS = ["public-health", "labor", "nonprofit", "healthcare", "government"]
STATUSES = ["not_started", "in_progress", "submitted", "accepted"]


# --- The data ---------------------------------------------------------------------------------


def generate(teams: int, session_count: int, seed: int) -> dict[str, Any]:
    """One cohort with its teams, sessions, deliverables, attendance and the three tools."""
    from django.db import transaction
    from django.utils import timezone

    from healthywork.accounts.models import User
    from healthywork.accounts.roles import Role
    from healthywork.collaborative.models import (
        Attendance,
        Cohort,
        Deliverable,
        Membership,
        Session,
        Team,
        TeamPerson,
    )
    from healthywork.partners.models import Organization, Person, Sector
    from healthywork.planning.models import (
        ActionPlan,
        ActionStep,
        Actor,
        Objective,
        Outcome,
        PowerMap,
        TheoryOfChange,
    )

    rng = random.Random(seed)
    sectors = {sector.slug: sector for sector in Sector.objects.filter(slug__in=SECTORS)}
    today = timezone.localdate()
    with transaction.atomic():
        cohort = Cohort.objects.create(
            name="Bench cohort", start_date=today - timedelta(days=150), end_date=today + timedelta(days=60)
        )
        sessions = [
            Session.objects.create(
                cohort=cohort,
                number=number,
                title=f"Session {number}",
                starts_at=timezone.now() - timedelta(days=150 - 30 * number),
            )
            for number in range(1, session_count + 1)
        ]
        member = User.objects.create(username="bench-member", role=Role.TEAM_MEMBER)
        attendance, deliverables, actors, outcomes, steps = [], [], [], [], []
        for index in range(teams):
            team = Team.objects.create(cohort=cohort, name=f"Bench team {index + 1:03d}")
            for position, slug in enumerate(SECTORS[:ORGANIZATIONS_PER_TEAM]):
                organization = Organization.objects.create(
                    name=f"Bench organization {index + 1}-{position + 1}", sector=sectors[slug], level="local"
                )
                Membership.objects.create(
                    team=team, organization=organization, role="lead" if not position else "member"
                )
            people = [
                Person.objects.create(name=f"Bench person {index + 1}-{n + 1}")
                for n in range(PEOPLE_PER_TEAM)
            ]
            TeamPerson.objects.bulk_create([TeamPerson(team=team, person=person) for person in people])
            if index == 0:
                TeamPerson.objects.create(team=team, user=member)
            for session in sessions:
                attendance += [
                    Attendance(session=session, person=person, team=team, is_present=True)
                    for person in people
                    if rng.random() < 0.75
                ]
                deliverables += [
                    Deliverable(
                        team=team,
                        session=session,
                        title=f"Deliverable {n + 1}",
                        due_date=session.starts_at.date() + timedelta(days=14),
                        status=rng.choice(STATUSES),
                    )
                    for n in range(DELIVERABLES_PER_SESSION)
                ]
            power_map = PowerMap.objects.create(team=team, issue="Fair scheduling")
            actors += [
                Actor(
                    power_map=power_map,
                    name=f"Actor {n}",
                    power=rng.randint(0, 10),
                    stance=rng.randint(-5, 5),
                )
                for n in range(ACTORS)
            ]
            theory = TheoryOfChange.objects.create(team=team)
            outcomes += [
                Outcome(theory=theory, title=f"Outcome {n}", is_goal=n == 0, is_below_ceiling=n > 0)
                for n in range(OUTCOMES)
            ]
            plan = ActionPlan.objects.create(team=team)
            for number in range(OBJECTIVES):
                objective = Objective.objects.create(
                    plan=plan, text=f"Objective {number + 1}", position=number
                )
                steps += [
                    ActionStep(
                        objective=objective, what=f"Step {n + 1}", status=rng.choice(["done", "not_started"])
                    )
                    for n in range(STEPS_PER_OBJECTIVE)
                ]
        for model, rows in (
            (Attendance, attendance),
            (Deliverable, deliverables),
            (Actor, actors),
            (Outcome, outcomes),
            (ActionStep, steps),
        ):
            model.objects.bulk_create(rows, batch_size=2000)
    return {"cohort": cohort, "member": member}


# --- The raw baseline -------------------------------------------------------------------------

RAW_STATEMENTS = [
    "SELECT id, public_id, name FROM collaborative_team WHERE cohort_id = %s ORDER BY name",
    "SELECT id, number, title, starts_at FROM collaborative_session WHERE cohort_id = %s ORDER BY number",
    "SELECT d.team_id, d.session_id, d.status, COUNT(*), "
    "SUM(CASE WHEN d.due_date < %s AND d.status NOT IN ('submitted', 'accepted') THEN 1 ELSE 0 END) "
    "FROM collaborative_deliverable d JOIN collaborative_session s ON s.id = d.session_id "
    "WHERE s.cohort_id = %s GROUP BY d.team_id, d.session_id, d.status",
    "SELECT tp.team_id, COUNT(*) FROM collaborative_teamperson tp "
    "JOIN collaborative_team t ON t.id = tp.team_id "
    "WHERE t.cohort_id = %s AND tp.person_id IS NOT NULL GROUP BY tp.team_id",
    "SELECT a.team_id, a.session_id, SUM(CASE WHEN a.is_present THEN 1 ELSE 0 END) "
    "FROM collaborative_attendance a JOIN collaborative_session s ON s.id = a.session_id "
    "WHERE s.cohort_id = %s GROUP BY a.team_id, a.session_id",
    "SELECT t.id, COUNT(a.id) FROM collaborative_team t LEFT JOIN planning_powermap p ON p.team_id = t.id "
    "LEFT JOIN planning_actor a ON a.power_map_id = p.id WHERE t.cohort_id = %s GROUP BY t.id",
    "SELECT t.id, COUNT(o.id) FROM collaborative_team t "
    "LEFT JOIN planning_theoryofchange c ON c.team_id = t.id "
    "LEFT JOIN planning_outcome o ON o.theory_id = c.id WHERE t.cohort_id = %s GROUP BY t.id",
    "SELECT t.id, COUNT(st.id), SUM(CASE WHEN st.status = 'done' THEN 1 ELSE 0 END) "
    "FROM collaborative_team t LEFT JOIN planning_actionplan p ON p.team_id = t.id "
    "LEFT JOIN planning_objective ob ON ob.plan_id = p.id "
    "LEFT JOIN planning_actionstep st ON st.objective_id = ob.id WHERE t.cohort_id = %s GROUP BY t.id",
]


def raw_board(cohort_id: int) -> dict[str, int]:
    """The board's counts by hand-written SQL; returns the totals to compare with the page."""
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    results = []
    with connection.cursor() as cursor:
        for statement in RAW_STATEMENTS:
            cursor.execute(statement, [today, cohort_id] if statement.count("%s") == 2 else [cohort_id])
            results.append(cursor.fetchall())
    return {
        "teams": len(results[0]),
        "deliverables": sum(row[3] for row in results[2]),
        "overdue": sum(row[4] for row in results[2]),
        "present": sum(row[2] for row in results[4]),
        "actors": sum(row[1] for row in results[5]),
        "outcomes": sum(row[1] for row in results[6]),
        "steps": sum(row[1] for row in results[7]),
    }


def board_totals(board: Any) -> dict[str, int]:
    return {
        "teams": len(board.rows),
        "deliverables": sum(cell.deliverables for row in board.rows for cell in row.cells),
        "overdue": sum(row.overdue for row in board.rows),
        "present": sum(cell.present for row in board.rows for cell in row.cells),
        "actors": sum(row.tools.actors for row in board.rows),
        "outcomes": sum(row.tools.outcomes for row in board.rows),
        "steps": sum(row.tools.steps for row in board.rows),
    }


# --- Timing -----------------------------------------------------------------------------------


def measure(kinds: dict[str, Any], iterations: int, warmup: int) -> dict[str, list[float]]:
    """Milliseconds per run and kind; the kinds take turns going first."""
    names = list(kinds)
    timings: dict[str, list[float]] = {name: [] for name in names}
    for index in range(warmup + iterations):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            kinds[name]()
            elapsed = (time.perf_counter() - started) * 1000
            if index >= warmup:
                timings[name].append(elapsed)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--iterations", type=int, default=100, help="timed requests per kind")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests first")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args(argv)
    return registry.run_bench(args, run)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from healthywork.accounts.models import User
    from healthywork.accounts.roles import Role
    from healthywork.collaborative.board import board_for

    registry.migrate()
    started = time.perf_counter()
    made = generate(args.teams, args.sessions, args.seed)
    generation_seconds = time.perf_counter() - started
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    gc.collect()

    cohort = made["cohort"]
    administrator = User.objects.create(username="bench-administrator", role=Role.ADMINISTRATOR)
    url = f"/collaborative/cohorts/{cohort.public_id}/board/"
    admin_client, member_client = Client(), Client()
    admin_client.force_login(administrator)
    member_client.force_login(made["member"])

    def view(client: Client) -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"The board answered {response.status_code}")
        return response

    page, raw = board_totals(board_for(cohort, administrator)), raw_board(cohort.pk)
    if page != raw:
        raise SystemExit(f"The board and the raw SQL disagree: {page} != {raw}")
    rows = view(admin_client).content.decode().count('<th scope="row"><a href="/collaborative/teams/')
    member_page = view(member_client).content.decode()
    if rows != args.teams or "Bench team 001" not in member_page or "Bench team 002" in member_page:
        raise SystemExit("The board page does not show the teams each person may see")
    statements: list[str] = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        view(admin_client)

    kinds = {
        "view": lambda: view(admin_client),
        "member": lambda: view(member_client),
        "raw": lambda: raw_board(cohort.pk),
    }
    machine_before, process_before = cpu_seconds()
    timings = measure(kinds, args.iterations, args.warmup)
    machine_after, process_after = cpu_seconds()
    summaries = {kind: summarize(values) for kind, values in timings.items()}
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database": database_version(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "cpu_seconds_while_timing": {
            "machine": round(machine_after - machine_before, 1),
            "this_process": round(process_after - process_before, 1),
        },
        "teams": args.teams,
        "sessions": args.sessions,
        "iterations": args.iterations,
        "seed": args.seed,
        "generation_seconds": round(generation_seconds, 1),
        "totals": raw,
        "queries_per_request": len(statements),
        "timings": summaries,
        "verdict": {
            "ratio_view_to_raw_p95": round(summaries["view"]["p95_ms"] / summaries["raw"]["p95_ms"], 1),
            "p95_ok": summaries["view"]["p95_ms"] <= TARGET_P95_MS,
        },
    }
    print(json.dumps(result, indent=2))
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / f"collaborative-{connection.vendor}.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["verdict"]["p95_ok"] or connection.vendor != "sqlite" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
