"""How fast the network's metrics and map data come at scale, each against networkx called directly.

    python bench/network.py [--orgs 5000] [--ties 100000] [--map-nodes 2000] [--iterations 3]
    python bench/network.py --database-url postgres://postgres@127.0.0.1:5432/

It builds its own database as bench/registry.py does (a SQLite file in a temporary folder, or a
`healthywork_network_bench` database on the PostgreSQL server named by --database-url or
DATABASE_URL, dropped at the end), migrates it, fills it with `generate_network` and times:

1. all metrics of one wave (5,000 organizations, 100,000 ties): `graph.build_network` (the database
   read, timed alone too) + `analysis.analyse(...)` (target <= 5 s). Baseline, in the same run:
   networkx called directly on the same undirected graph: density, Freeman degree centralization
   by its formula, betweenness with the same k and seed, closeness, eigenvector (numpy), Louvain
   communities with the same seed. The baseline is slow (pure-Python searches); it runs once.
2. the map's data for 2,000 organizations: GET `network:map-data` through Django's test client,
   signed in, cold (the cache cleared before each request) and warm (target p95 <= 500 ms).
   Baselines: networkx `spring_layout` on the same graph + `json.dumps` of nodes, positions and
   edges; and the map's own layout function (`mapdata._sector_positions`) called directly + the
   same dump.

`--map-only` leaves out the metrics (1.); `--profile` prints where one cold map request spends
its time (cProfile, the 25 costliest functions by cumulative time).

A measurement whose function or page is missing prints "not measured: <reason>". It prints a JSON
summary and writes the details to bench/out/network-<vendor>.json.
"""

import argparse
import gc
import json
import math
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
import registry  # noqa: E402

NETWORK_DATABASE = "healthywork_network_bench"
TARGET_METRICS_S = 5.0
TARGET_MAP_MS = 500.0


def timed(function, iterations: int, warmup: int = 0) -> tuple[list[float], Any]:
    """Milliseconds of each timed call, and the last call's result."""
    values, result = [], None
    for index in range(warmup + iterations):
        started = time.perf_counter()
        result = function()
        elapsed = (time.perf_counter() - started) * 1000
        if index >= warmup:
            values.append(elapsed)
    return values, result


def networkx_baseline(network, k: int | None, seed: int) -> dict[str, Any]:
    """Each metric as a person would compute it with networkx on the same undirected graph."""
    import networkx as nx

    steps: dict[str, float] = {}
    started = time.perf_counter()
    graph = nx.Graph()
    graph.add_nodes_from(network.nodes)
    graph.add_edges_from(
        (edge.source, edge.target) for edge in network.edges if edge.level != 0 and edge.source != edge.target
    )
    steps["graph"] = time.perf_counter() - started

    def step(name: str, function):
        begun = time.perf_counter()
        value = function()
        steps[name] = time.perf_counter() - begun
        return value

    n = graph.number_of_nodes()
    step("density", lambda: nx.density(graph))

    def centralization() -> float:
        degrees = [degree for _node, degree in graph.degree()]
        top = max(degrees)
        return sum(top - degree for degree in degrees) / ((n - 1) * (n - 2))

    step("degree_centralization", centralization)
    step("betweenness", lambda: nx.betweenness_centrality(graph, k=k, seed=seed))
    step("closeness", lambda: nx.closeness_centrality(graph))
    step("eigenvector", lambda: nx.eigenvector_centrality_numpy(graph))
    step("louvain", lambda: nx.community.louvain_communities(graph, seed=seed))
    return {
        "nodes": n,
        "ties": graph.number_of_edges(),
        "seconds": {name: round(value, 2) for name, value in steps.items()},
        "total_s": round(sum(steps.values()), 2),
    }


def measure_metrics(args: argparse.Namespace) -> dict[str, Any]:
    from generate_network import WAVE_NAME

    from healthywork.network.graph import NetworkFilter, build_network
    from healthywork.network.models import Wave

    try:
        from healthywork.network.analysis import analyse
    except ImportError as error:
        return {"not_measured": f"network.analysis is not importable: {error}"}
    wave = Wave.objects.get(name=WAVE_NAME)
    build_ms, network = timed(lambda: build_network(NetworkFilter(wave=wave)), args.iterations, 1)
    analyse_ms, metrics = timed(
        lambda: analyse(network.nodes, network.edges, seed=args.seed), args.iterations
    )

    def both():
        built = build_network(NetworkFilter(wave=wave))
        return analyse(built.nodes, built.edges, seed=args.seed)

    total_ms, _metrics = timed(both, args.iterations)
    result = {
        "nodes": metrics.nodes,
        "ties": metrics.ties,
        "edges": len(network.edges),
        "betweenness_sampled": metrics.betweenness_sampled,
        "betweenness_k": metrics.betweenness_k,
        "betweenness_error_bound": metrics.betweenness_error_bound,
        "build_network": registry.summarize(build_ms),
        "analyse": registry.summarize(analyse_ms),
        "build_and_analyse": registry.summarize(total_ms),
    }
    if args.skip_baseline:
        result["baseline"] = {"not_measured": "--skip-baseline"}
    else:
        print("networkx baseline (slow: pure-Python breadth-first searches) ...", flush=True)
        result["baseline"] = networkx_baseline(network, metrics.betweenness_k, args.seed)
        result["ratio"] = round(
            result["build_and_analyse"]["p50_ms"] / 1000 / result["baseline"]["total_s"], 3
        )
    result["target_met"] = result["build_and_analyse"]["p95_ms"] / 1000 <= TARGET_METRICS_S
    return result


def measure_map(args: argparse.Namespace, client) -> dict[str, Any]:
    from django.core.cache import cache
    from django.urls import NoReverseMatch, reverse
    from generate_network import MAP_WAVE_NAME

    from healthywork.network.models import Wave

    wave = Wave.objects.get(name=MAP_WAVE_NAME)
    try:
        url = reverse("network:map-data", args=[wave.public_id])
    except NoReverseMatch as error:
        return {"not_measured": f"network:map-data is not routed: {error}"}
    response = client.get(url)
    if response.status_code != 200:
        return {"not_measured": f"network:map-data answered {response.status_code}"}
    data = response.json()

    def cold():
        cache.clear()
        return client.get(url)

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        cache.clear()
        profiler.runcall(client.get, url)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    cold_ms, _response = timed(cold, args.map_iterations)
    warm_ms, _response = timed(lambda: client.get(url), args.map_iterations * 4, 2)
    result: dict[str, Any] = {
        "nodes": len(data["nodes"]),
        "edges": len(data["edges"]),
        "layout": data.get("summary", {}).get("layout"),
        "bytes": len(response.content),
        "cold": registry.summarize(cold_ms),
        "warm": registry.summarize(warm_ms),
    }
    result["baseline"] = map_baselines(wave, args)
    spring = result["baseline"].get("spring_layout_and_dump")
    own = result["baseline"].get("same_layout_and_dump")
    if spring:
        result["ratio_cold_vs_spring"] = round(result["cold"]["p50_ms"] / spring["p50_ms"], 3)
    if own:
        result["ratio_cold_vs_same_layout"] = round(result["cold"]["p50_ms"] / own["p50_ms"], 2)
        result["ratio_warm_vs_same_layout"] = round(result["warm"]["p50_ms"] / own["p50_ms"], 2)
    result["target_met"] = {
        "cold": result["cold"]["p95_ms"] <= TARGET_MAP_MS,
        "warm": result["warm"]["p95_ms"] <= TARGET_MAP_MS,
    }
    return result


def map_baselines(wave, args: argparse.Namespace) -> dict[str, Any]:
    """The layout alone with the JSON dump, networkx's spring layout and the map's own, on the
    network already read (the database read is not part of the baselines)."""
    import networkx as nx

    from healthywork.network import mapdata
    from healthywork.network.graph import NetworkFilter, build_network

    network = build_network(NetworkFilter(wave=wave))

    def dump(positions) -> str:
        return json.dumps(
            {
                "nodes": [
                    {"id": node.public_id, "label": node.name, "x": positions[pk][0], "y": positions[pk][1]}
                    for pk, node in network.nodes.items()
                ],
                "edges": [[edge.source, edge.target, edge.kind, edge.level] for edge in network.edges],
            }
        )

    def spring() -> str:
        graph = nx.Graph()
        graph.add_nodes_from(network.nodes)
        graph.add_edges_from((edge.source, edge.target) for edge in network.edges)
        layout = nx.spring_layout(graph, k=1.6 / math.sqrt(len(network.nodes)), seed=20170101)
        return dump({pk: (float(x), float(y)) for pk, (x, y) in layout.items()})

    baselines: dict[str, Any] = {}
    spring_ms, _ = timed(spring, max(1, args.map_iterations // 3))
    baselines["spring_layout_and_dump"] = registry.summarize(spring_ms)
    is_spring = getattr(mapdata, "layout_name", lambda _network: "")(network) == "spring"
    name = "_spring_positions" if is_spring else "_sector_positions"
    layout_function = getattr(mapdata, name, None)
    if layout_function is None:
        baselines["same_layout_and_dump"] = {"not_measured": f"mapdata.{name} is missing"}
    else:
        degrees: dict[int, int] = {}
        for edge in network.edges:
            degrees[edge.source] = degrees.get(edge.source, 0) + 1
            degrees[edge.target] = degrees.get(edge.target, 0) + 1
        arguments = (network,) if is_spring else (network, degrees)
        own_ms, _ = timed(lambda: dump(layout_function(*arguments)), args.map_iterations, 1)
        baselines["same_layout_and_dump"] = {"function": name, **registry.summarize(own_ms)}
    return baselines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=5_000, help="organizations to generate")
    parser.add_argument("--ties", type=int, default=100_000, help="ties in the metrics wave")
    parser.add_argument("--map-nodes", type=int, default=2_000, help="organizations of the map wave")
    parser.add_argument("--iterations", type=int, default=3, help="timed runs of the metrics")
    parser.add_argument("--map-iterations", type=int, default=10, help="timed cold requests of the map data")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--skip-baseline", action="store_true", help="leave out the slow networkx metrics")
    parser.add_argument("--map-only", action="store_true", help="time the map data only, not the metrics")
    parser.add_argument("--profile", action="store_true", help="print a profile of one cold map request")
    parser.add_argument("--out", default=None, help="where to write the JSON details")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help=f"a PostgreSQL server (a {NETWORK_DATABASE} database is created there and dropped); "
        "default: DATABASE_URL, else SQLite in a temporary folder",
    )
    args = parser.parse_args(argv)
    return registry.run_bench(args, run, database=NETWORK_DATABASE)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from generate_network import generate

    from healthywork.accounts.models import User
    from healthywork.accounts.roles import Role

    registry.migrate()
    generation = generate(args.orgs, args.ties, args.map_nodes, seed=args.seed)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    gc.collect()

    administrator = User.objects.create(username="bench-administrator", role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(administrator)
    machine_before, process_before = registry.cpu_seconds()
    map_result = measure_map(args, client)
    print("map:", json.dumps(map_result), flush=True)
    metrics = {"not_measured": "--map-only"} if args.map_only else measure_metrics(args)
    machine, process = (
        after - before
        for after, before in zip(registry.cpu_seconds(), (machine_before, process_before), strict=True)
    )
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database": registry.database_version(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "cpu_seconds_while_timing": {"machine": round(machine, 1), "this_process": round(process, 1)},
        "organizations": args.orgs,
        "generation_seconds": {step: round(seconds, 1) for step, seconds in generation.items()},
        "metrics": metrics,
        "map": map_result,
    }
    print(json.dumps(result, indent=2, default=str))
    out_file = Path(args.out) if args.out else registry.OUT_DIR / f"network-{connection.vendor}.json"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"\nDetails: {out_file}")
    met = (args.map_only or metrics.get("target_met")) and map_result.get("target_met", {}).get("cold")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
