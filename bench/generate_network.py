"""Fill the database the settings select with a large, invented network: organizations and two waves.

    python bench/generate_network.py [--organizations 5000] [--ties 100000] [--map-nodes 2000]

The organizations come from `generate_registry` (sectors drawn evenly from the seeded sectors, no
people). Two waves are added:

- "Bench network" (2030): `--ties` stored ties among all the organizations;
- "Bench map" (2031): ties among the first `--map-nodes` organizations, with the same mean degree
  (ties × map-nodes / organizations), for the map's data.

Ties are drawn as the demo draws them, at scale: three in four join two organizations of one
sector family (the rest cross), a quarter of the organizations draw half the ties (hubs), kinds
weighted (information sharing most), a level of collaboration 1-5 (unknown for one in ten), one in
five directed (referrals and funding), provenance "manual" or "interview". A (source, target, kind)
is drawn once per wave. The same seed gives the same rows. Rows go in with `bulk_create` in batches;
then the statistics are refreshed.

Run `healthywork migrate` first. It refuses a database that already holds ties unless given --force.
"""

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_registry  # noqa: E402

BATCH_SIZE = 5_000
WAVE_NAME = "Bench network"
MAP_WAVE_NAME = "Bench map"
SAME_FAMILY_SHARE = 0.75
HUB_SHARE = 0.25  # of the organizations, drawing HUB_DRAWS of the ends
HUB_DRAWS = 0.5
KIND_WEIGHTS = [
    ("information", 35),
    ("referrals", 15),
    ("joint_programs", 12),
    ("policy_coalition", 12),
    ("data_sharing", 10),
    ("shared_resources", 8),
    ("funding", 5),
    ("team_membership", 3),
]
LEVEL_WEIGHTS = [(None, 10), (1, 25), (2, 25), (3, 20), (4, 12), (5, 8)]


def _weighted(rng: random.Random, weights: list) -> object:
    return rng.choices([value for value, _ in weights], [weight for _, weight in weights])[0]


def _tie_rows(
    rng: random.Random, organizations: list[tuple[int, str]], count: int
) -> list[tuple[int, int, str, int | None, bool, str]]:
    """`count` distinct (source, target, kind, level, directed, provenance) among `organizations`."""
    by_family: dict[str, list[int]] = defaultdict(list)
    for pk, family in organizations:
        by_family[family].append(pk)
    family_of = dict(organizations)
    ids = [pk for pk, _family in organizations]
    hubs = rng.sample(ids, max(1, int(len(ids) * HUB_SHARE)))
    hub_of_family: dict[str, list[int]] = defaultdict(list)
    for pk in hubs:
        hub_of_family[family_of[pk]].append(pk)

    def one_end(pool: list[int], hub_pool: list[int]) -> int:
        return rng.choice(hub_pool) if hub_pool and rng.random() < HUB_DRAWS else rng.choice(pool)

    seen: set[tuple[int, int, str]] = set()
    rows = []
    while len(rows) < count:
        source = one_end(ids, hubs)
        family = family_of[source]
        if rng.random() < SAME_FAMILY_SHARE and len(by_family[family]) > 1:
            target = one_end(by_family[family], hub_of_family[family])
        else:
            target = one_end(ids, hubs)
        kind = str(_weighted(rng, KIND_WEIGHTS))
        if source == target or (source, target, kind) in seen or (target, source, kind) in seen:
            continue
        seen.add((source, target, kind))
        level = _weighted(rng, LEVEL_WEIGHTS)
        is_directed = kind in ("referrals", "funding") or rng.random() < 0.1
        provenance = "interview" if rng.random() < 0.2 else "manual"
        rows.append((source, target, kind, level, is_directed, provenance))
    return rows


def _store(wave, rows: list[tuple]) -> None:
    from django.db import transaction

    from healthywork.network.models import Tie

    for start in range(0, len(rows), BATCH_SIZE):
        with transaction.atomic():
            Tie.objects.bulk_create(
                [
                    Tie(
                        wave=wave,
                        source_id=source,
                        target_id=target,
                        kind=kind,
                        level=level,
                        is_directed=is_directed,
                        provenance=provenance,
                    )
                    for source, target, kind, level, is_directed, provenance in rows[
                        start : start + BATCH_SIZE
                    ]
                ]
            )


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE network_tie")


def generate(
    organizations: int = 5_000,
    ties: int = 100_000,
    map_nodes: int = 2_000,
    seed: int = 2017,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, float]:
    """Add the organizations and the two waves with their ties; returns the seconds of each step."""
    from healthywork.network.models import Tie, Wave
    from healthywork.partners.models import Organization

    if Tie.objects.exists() and not force:
        raise SystemExit("This database already holds ties; use a fresh database, or --force.")
    timings = generate_registry.generate(organizations, 0, seed=seed, force=force, log=log)
    rng = random.Random(seed)
    rows = list(Organization.objects.order_by("pk").values_list("pk", "sector__family"))[-organizations:]

    started = time.perf_counter()
    wave = Wave.objects.create(name=WAVE_NAME, start_date=date(2030, 1, 1), end_date=date(2030, 12, 31))
    _store(wave, _tie_rows(rng, rows, ties))
    timings["ties"] = time.perf_counter() - started
    log(f"{ties:,} ties in {timings['ties']:.1f} s")

    started = time.perf_counter()
    map_ties = ties * map_nodes // max(organizations, 1)
    map_wave = Wave.objects.create(
        name=MAP_WAVE_NAME, start_date=date(2031, 1, 1), end_date=date(2031, 12, 31)
    )
    _store(map_wave, _tie_rows(rng, rows[:map_nodes], map_ties))
    timings["map_ties"] = time.perf_counter() - started
    log(f"{map_ties:,} map ties among {map_nodes:,} organizations in {timings['map_ties']:.1f} s")

    started = time.perf_counter()
    _analyze()
    timings["analyze_ties"] = time.perf_counter() - started
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", "--orgs", type=int, default=5_000)
    parser.add_argument("--ties", type=int, default=100_000)
    parser.add_argument("--map-nodes", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--force", action="store_true", help="add to a database that is not fresh")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthywork.settings")
    import django

    django.setup()
    started = time.perf_counter()
    generate(args.organizations, args.ties, args.map_nodes, seed=args.seed, force=args.force)
    print(f"Done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
