"""How fast a large theory of change and a large power map answer, against the same rows as raw SQL.

    python bench/planning.py [--outcomes 300] [--links 400] [--actors 200] [--iterations 50]
    python bench/planning.py --database-url postgres://postgres@127.0.0.1:5432/

It builds its own database as bench/registry.py does (a SQLite file in a temporary folder, or a
`healthywork_planning_bench` database on the PostgreSQL server named by --database-url or
DATABASE_URL, dropped at the end), migrates it and makes one cohort with one team of three
organizations and a member who may edit. The team's theory of change has a goal and
`--outcomes` − 1 preconditions, every one with a path to the goal, and `--links` links in all
(a spanning tree towards the goal plus extra links from an outcome to one nearer the goal, so the
graph stays acyclic); rationales on nine links in ten, indicators on half the outcomes below the
ceiling, 60 interventions and 40 assumptions. Its power map has `--actors` actors (the three own
organizations among them) and 1.5 relationships per actor. Seeded. Then, signed in as the member
with the test client, it times request by request:

- toc page:       GET planning:toc (the whole page: diagram SVG, structured list, validation);
- powermap page:  GET planning:powermap (the whole page: grid SVG, guidance, accessible list);
- validation:     healthywork.planning.toc.validate on the loaded data (pure), and load + validate;
- raw:            the same rows read with hand-written SQL on a raw cursor (the baseline).

It prints p50/p95 per kind, pass/fail against the targets (pages ≤ 300 ms, validation ≤ 100 ms)
and the ratios to raw SQL, as JSON, and writes it to bench/out/planning-<vendor>.json. A page or
function that is not there prints "not measured: <reason>". Timing, percentiles, the CPU check
and the throwaway database are bench/registry.py's.
"""

import argparse
import gc
import json
import os
import platform
import random
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
import registry  # noqa: E402

PLANNING_DATABASE = "healthywork_planning_bench"
TARGET_PAGE_P95_MS = 300.0
TARGET_VALIDATION_P95_MS = 100.0
LINKS_PER_ACTOR = 1.5
INTERVENTIONS = 60
ASSUMPTIONS = 40


# --- Data -------------------------------------------------------------------------------------


def generate(outcomes: int, links: int, actors: int, seed: int) -> dict[str, Any]:
    """The cohort, team, member, theory of change and power map; returns what the timing needs."""
    from healthywork.accounts.models import User
    from healthywork.accounts.roles import Role
    from healthywork.collaborative.models import Cohort, Membership, MembershipRole, Team, TeamPerson
    from healthywork.partners.models import Organization, Sector
    from healthywork.planning.models import (
        Actor,
        ActorKind,
        ActorLink,
        ActorLinkKind,
        Assumption,
        Indicator,
        Intervention,
        Outcome,
        OutcomeLink,
        PowerMap,
        TheoryOfChange,
    )

    rng = random.Random(seed)
    started = time.perf_counter()
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    organizations = [
        Organization.objects.create(name=f"Bench {label} organization", sector=sectors[slug])
        for label, slug in (("health", "public-health"), ("labor", "labor"), ("legal", "legal"))
    ]
    cohort = Cohort.objects.create(
        name="Bench cohort", start_date=date(2018, 1, 1), end_date=date(2018, 12, 31), status="active"
    )
    team = Team.objects.create(cohort=cohort, name="Bench team")
    for index, organization in enumerate(organizations):
        role = MembershipRole.LEAD if index == 0 else MembershipRole.MEMBER
        Membership.objects.create(team=team, organization=organization, role=role)
    member = User.objects.create(username="bench-member", role=Role.TEAM_MEMBER)
    TeamPerson.objects.create(team=team, user=member, can_edit=True)

    theory = TheoryOfChange.objects.create(team=team, narrative="A generated theory of change.")
    rows = [Outcome(theory=theory, title="Bench goal", is_goal=True, is_below_ceiling=False)]
    for index in range(1, outcomes):
        rows.append(
            Outcome(
                theory=theory,
                title=f"Outcome {index}: precondition number {index} of the generated theory",
                description="Generated for the benchmark." if index % 3 == 0 else "",
                is_below_ceiling=index > outcomes // 5,  # the fifth nearest the goal is above the ceiling
            )
        )
    Outcome.objects.bulk_create(rows, batch_size=500)
    ids = list(theory.outcomes.order_by("-is_goal", "id").values_list("id", flat=True))
    # Outcome i leads to one nearer the goal (lower index): a tree towards the goal, then extra links.
    pairs: set[tuple[int, int]] = {(ids[index], ids[rng.randrange(index)]) for index in range(1, len(ids))}
    while len(pairs) < links and len(ids) > 2:
        index = rng.randrange(2, len(ids))
        pairs.add((ids[index], ids[rng.randrange(index)]))
    OutcomeLink.objects.bulk_create(
        [
            OutcomeLink(
                theory=theory,
                precondition_id=source,
                outcome_id=target,
                rationale="" if rng.random() < 0.1 else f"Outcome {source} makes outcome {target} possible.",
            )
            for source, target in sorted(pairs)
        ],
        batch_size=500,
    )
    below = list(theory.outcomes.filter(is_below_ceiling=True, is_goal=False).values_list("id", flat=True))
    Indicator.objects.bulk_create(
        [
            Indicator(
                outcome_id=outcome_id,
                what=f"Measure of outcome {outcome_id}",
                population="Workers in the county",
                target="50%" if rng.random() < 0.8 else "",
                by_when=date(2019, rng.randint(1, 12), 1),
                data_source="Survey",
            )
            for outcome_id in below
            if rng.random() < 0.5
        ],
        batch_size=500,
    )
    Intervention.objects.bulk_create(
        [
            Intervention(
                theory=theory,
                title=f"Intervention {index}",
                outcome_id=rng.choice(ids[1:]),
                responsible_organization=rng.choice(organizations) if index % 6 else None,
            )
            for index in range(INTERVENTIONS)
        ]
    )
    Assumption.objects.bulk_create(
        [
            Assumption(theory=theory, text=f"Assumption {index}", outcome_id=rng.choice(ids))
            for index in range(ASSUMPTIONS)
        ]
    )

    power_map = PowerMap.objects.create(team=team, issue="A generated issue.")
    kinds = list(ActorKind.values)
    actor_rows = [
        Actor(power_map=power_map, name=organization.name, kind=ActorKind.ORGANIZATION,
              organization=organization, power=Decimal(6), stance=Decimal(5))
        for organization in organizations
    ]  # fmt: skip
    for index in range(len(actor_rows), actors):
        actor_rows.append(
            Actor(
                power_map=power_map,
                name=f"Actor {index}",
                kind=rng.choice(kinds),
                power=Decimal(rng.randint(0, 100)) / 10,
                stance=Decimal(rng.randint(-50, 50)) / 10,
                is_target=rng.random() < 0.1,
                notes="Generated." if index % 4 == 0 else "",
            )
        )
    Actor.objects.bulk_create(actor_rows, batch_size=500)
    actor_ids = list(power_map.actors.values_list("id", flat=True))
    link_kinds = list(ActorLinkKind.values)
    actor_links: set[tuple[int, int, str]] = set()
    while len(actor_links) < int(actors * LINKS_PER_ACTOR) and len(actor_ids) > 1:
        source, target = rng.sample(actor_ids, 2)
        actor_links.add((source, target, rng.choice(link_kinds)))
    ActorLink.objects.bulk_create(
        [
            ActorLink(power_map=power_map, source_id=s, target_id=t, kind=k, strength=rng.randint(1, 3))
            for s, t, k in sorted(actor_links)
        ],
        batch_size=500,
    )
    return {
        "team": team,
        "member": member,
        "theory": theory,
        "power_map": power_map,
        "sizes": {
            "outcomes": theory.outcomes.count(),
            "outcome_links": theory.links.count(),
            "indicators": Indicator.objects.filter(outcome__theory=theory).count(),
            "interventions": theory.interventions.count(),
            "assumptions": theory.assumptions.count(),
            "actors": power_map.actors.count(),
            "actor_links": power_map.links.count(),
        },
        "generation_seconds": round(time.perf_counter() - started, 2),
    }


# --- The baseline: the same rows by hand-written SQL ------------------------------------------


def raw_theory(theory_id: int) -> int:
    """The theory's outcomes, links, interventions (with the organization's name), assumptions and
    indicators: what `toc.load_theory_data` reads."""
    from django.db import connection

    statements = [
        ("SELECT id, public_id, title, description, is_goal, is_below_ceiling FROM planning_outcome "
         "WHERE theory_id = %s ORDER BY is_goal DESC, id"),
        ("SELECT id, public_id, precondition_id, outcome_id, rationale FROM planning_outcomelink "
         "WHERE theory_id = %s ORDER BY id"),
        ("SELECT i.id, i.public_id, i.title, i.description, i.outcome_id, i.link_id, "
         "i.responsible_organization_id, o.name FROM planning_intervention i LEFT JOIN "
         "partners_organization o ON o.id = i.responsible_organization_id WHERE i.theory_id = %s "
         "ORDER BY i.id"),
        "SELECT id, text, outcome_id, link_id FROM planning_assumption WHERE theory_id = %s ORDER BY id",
        ("SELECT n.id, n.public_id, n.outcome_id, n.what, n.population, n.target, n.threshold, n.by_when, "
         "n.data_source FROM planning_indicator n JOIN planning_outcome o ON o.id = n.outcome_id "
         "WHERE o.theory_id = %s ORDER BY n.outcome_id, n.id"),
    ]  # fmt: skip
    count = 0
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, [theory_id])
            count += len(cursor.fetchall())
    return count


def raw_power_map(power_map_id: int, team_id: int) -> int:
    """The map's actors (with their organization), relationships and the team's organizations."""
    from django.db import connection

    statements = [
        ("SELECT a.id, a.public_id, a.name, a.kind, a.organization_id, a.power, a.stance, a.is_target, "
         "a.notes, o.name FROM planning_actor a LEFT JOIN partners_organization o "
         "ON o.id = a.organization_id WHERE a.power_map_id = %s ORDER BY a.power DESC, a.name"),
        ("SELECT id, source_id, target_id, kind, strength FROM planning_actorlink WHERE power_map_id = %s "
         "ORDER BY id"),
    ]  # fmt: skip
    count = 0
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, [power_map_id])
            count += len(cursor.fetchall())
        cursor.execute("SELECT organization_id FROM collaborative_membership WHERE team_id = %s", [team_id])
        count += len(cursor.fetchall())
    return count


# --- Timing -----------------------------------------------------------------------------------


def timed(function, iterations: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        function()
    milliseconds = []
    for _ in range(iterations):
        gc.collect()
        started = time.perf_counter()
        function()
        milliseconds.append((time.perf_counter() - started) * 1000)
    return milliseconds


def page_check(client, url: str) -> str | None:
    """None when the page answers 200, else why it is not measured."""
    response = client.get(url)
    if response.status_code != 200:
        return f"GET {url} answered {response.status_code}"
    return None


def profile(client, url: str, top: int = 0) -> dict[str, Any]:
    """One request with its SQL timed: how much of the page is the database. With `top`, the
    request also runs under cProfile and the `top` functions by cumulative time go to stderr."""
    import cProfile
    import io
    import pstats

    from django.db import connection

    sql_seconds: list[float] = []

    def timing(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds.append(time.perf_counter() - started)

    profiler = cProfile.Profile() if top else None
    with connection.execute_wrapper(timing):
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        response = client.get(url)
        if profiler:
            profiler.disable()
        wall = (time.perf_counter() - started) * 1000
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
        print(f"--- profile of GET {url}\n{out.getvalue()}", file=sys.stderr)
    return {
        "queries": len(sql_seconds),
        "sql_ms": round(sum(sql_seconds) * 1000, 1),
        "wall_ms": round(wall, 1),
        "html_bytes": len(response.content),
    }


def measure(data: dict[str, Any], iterations: int, warmup: int, top: int = 0) -> dict[str, Any]:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    client = Client()
    client.force_login(data["member"])
    team, theory, power_map = data["team"], data["theory"], data["power_map"]
    timings: dict[str, Any] = {}
    not_measured: dict[str, str] = {}
    profiles: dict[str, Any] = {}

    def get(url: str):
        def request() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return request

    for kind, name in (("toc_page", "planning:toc"), ("powermap_page", "planning:powermap")):
        try:
            url = reverse(name, args=[team.public_id])
        except NoReverseMatch:
            not_measured[kind] = f"the URL {name} is not there"
            continue
        reason = page_check(client, url)
        if reason:
            not_measured[kind] = reason
            continue
        timings[kind] = registry.summarize(timed(get(url), iterations, warmup))
        profiles[kind] = profile(client, url, top)

    try:
        from healthywork.planning import toc

        validate, load = toc.validate, toc.load_theory_data
    except (ImportError, AttributeError) as error:
        not_measured["validation"] = f"healthywork.planning.toc.validate is not there ({error})"
    else:
        loaded = load(theory)
        findings = validate(loaded)
        data["findings"] = {
            "errors": sum(finding.is_error for finding in findings),
            "warnings": sum(not finding.is_error for finding in findings),
        }
        timings["validation"] = registry.summarize(timed(lambda: validate(loaded), iterations, warmup))
        timings["load_and_validation"] = registry.summarize(
            timed(lambda: validate(load(theory)), iterations, warmup)
        )

    timings["raw_theory"] = registry.summarize(timed(lambda: raw_theory(theory.pk), iterations, warmup))
    timings["raw_power_map"] = registry.summarize(
        timed(lambda: raw_power_map(power_map.pk, team.pk), iterations, warmup)
    )
    return {"timings": timings, "not_measured": not_measured, "profiles": profiles}


def verdict(timings: dict[str, Any], not_measured: dict[str, str]) -> dict[str, Any]:
    def ratio(kind: str, baseline: str) -> float | None:
        if kind not in timings:
            return None
        return round(timings[kind]["p95_ms"] / max(timings[baseline]["p95_ms"], 0.001), 1)

    result: dict[str, Any] = {}
    for kind, target, baseline in (
        ("toc_page", TARGET_PAGE_P95_MS, "raw_theory"),
        ("powermap_page", TARGET_PAGE_P95_MS, "raw_power_map"),
        ("validation", TARGET_VALIDATION_P95_MS, "raw_theory"),
        ("load_and_validation", TARGET_VALIDATION_P95_MS, "raw_theory"),
    ):
        if kind in timings:
            result[kind] = {
                "target_p95_ms": target,
                "pass": timings[kind]["p95_ms"] <= target,
                "ratio_to_raw_p95": ratio(kind, baseline),
            }
        else:
            result[kind] = f"not measured: {not_measured.get(kind, 'missing')}"
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--outcomes", type=int, default=300, help="outcomes in the theory (the goal included)"
    )
    parser.add_argument("--links", type=int, default=400, help="outcome links")
    parser.add_argument("--actors", type=int, default=200, help="actors on the power map")
    parser.add_argument("--iterations", type=int, default=50, help="timed runs per kind")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs first")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="print the N slowest functions of one request per page",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help=f"a PostgreSQL server to bench on (a {PLANNING_DATABASE} database is created there and "
        "dropped); default: DATABASE_URL, else SQLite in a temporary folder",
    )
    args = parser.parse_args(argv)
    return registry.run_bench(args, run, database=PLANNING_DATABASE)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection

    registry.migrate(sys.stderr)
    data = generate(args.outcomes, args.links, args.actors, args.seed)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    machine_before, process_before = registry.cpu_seconds()
    measured = measure(data, args.iterations, args.warmup, args.profile)
    machine, process = registry.cpu_seconds()
    result = {
        "bench": "planning",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database": registry.database_version(),
        "python": platform.python_version(),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        },
        "iterations": args.iterations,
        "sizes": data["sizes"],
        "validation_findings": data.get("findings"),
        "generation_seconds": data["generation_seconds"],
        "timings": measured["timings"],
        "one_request": measured["profiles"],
        "verdict": verdict(measured["timings"], measured["not_measured"]),
        "cpu_seconds_while_timing": {
            "machine": round(machine - machine_before, 1),
            "this_process": round(process - process_before, 1),
        },
    }
    text = json.dumps(result, indent=2, default=str)
    print(text)
    registry.OUT_DIR.mkdir(exist_ok=True)
    (registry.OUT_DIR / f"planning-{connection.vendor}.json").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
