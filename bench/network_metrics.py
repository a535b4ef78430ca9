"""How fast `network.analysis.analyse` computes every metric of one wave, against networkx called directly.

    python bench/network_metrics.py [--orgs 5000] [--ties 100000] [--seed 1] [--repeat 3]
    python bench/network_metrics.py --no-networkx          # analyse only (seconds, not minutes)

No database: the network is a random graph (networkx `gnm_random_graph(orgs, ties, seed)`) whose
organizations get a sector and a sector family drawn at random (an eighth of them health, an eighth
labor) and whose ties get a kind, a level 1-5 (none for one in six) and a direction (three in ten
directed), converted to the `Node`/`Edge` records of `network.graph` that the pages hand to
`analyse`. bench/network.py measures the same through the database, with build_network.

Timed: `analyse(nodes, edges, seed=seed)` with its defaults, `--repeat` times (wall and CPU seconds,
the machine's load average beside them: this machine is shared). Baseline, once, in the same run
and on the same undirected graph (nodes 0 … n − 1, ties in ascending order): networkx density,
degree centrality, betweenness_centrality(k=the k analyse used, seed=seed), closeness_centrality
(exact), eigenvector_centrality_numpy and louvain_communities(seed=seed). networkx's searches are
pure Python, so the baseline takes minutes.

Checked, not only timed: betweenness must equal networkx's with the same k and seed (the same
estimator on the same sources) to 1e-6, the eigenvector to 1e-6, the communities must be the same
partition, and the sampled closeness must be within 5 % of networkx's exact value for every node.
It prints a JSON summary, writes it to bench/out/network-metrics.json and exits with status 1
when the target (best wall time <= 5 s) is missed or a check fails.
"""

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

TARGET_S = 5.0
FAMILIES = ["health", "labor", "government", "community", "legal", "research", "business", "philanthropy"]
KINDS = ["information", "referrals", "joint_programs", "funding", "data_sharing"]


def generate(orgs: int, ties: int, seed: int):
    """A random network as `analyse` receives it, and the same graph for networkx."""
    import networkx as nx

    from healthywork.network.graph import Edge, Node

    graph = nx.gnm_random_graph(orgs, ties, seed=seed)
    rng = random.Random(seed)
    nodes = {}
    for node in range(orgs):
        family = rng.choice(FAMILIES)
        sector = f"{family}-{rng.randrange(3)}"
        nodes[node] = Node(node, str(node), f"Organization {node}", sector, sector.title(), family, "local")
    edges = []
    for a, b in graph.edges:
        source, target = (a, b) if rng.random() < 0.5 else (b, a)
        level = rng.choice([None, 1, 2, 3, 4, 5])
        edges.append(Edge(source, target, rng.choice(KINDS), level, rng.random() < 0.3, "manual"))
    plain = nx.Graph()
    plain.add_nodes_from(range(orgs))
    plain.add_edges_from(sorted((min(a, b), max(a, b)) for a, b in graph.edges))
    return nodes, edges, plain


def time_analyse(nodes, edges, seed: int, repeat: int) -> tuple[dict[str, Any], Any]:
    from healthywork.network.analysis import analyse

    walls, cpus, loads, metrics = [], [], [], None
    for _ in range(repeat):
        loads.append(os.getloadavg()[0])
        wall, cpu = time.perf_counter(), time.process_time()
        metrics = analyse(nodes, edges, seed=seed)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    summary = {
        "wall_s": [round(value, 3) for value in walls],
        "cpu_s": [round(value, 3) for value in cpus],
        "best_wall_s": round(min(walls), 3),
        "best_cpu_s": round(min(cpus), 3),
        "load_average_1min": [round(value, 2) for value in loads],
    }
    return summary, metrics


def networkx_baseline(graph, k: int | None, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each metric as a person would compute it with networkx, timed one by one."""
    import networkx as nx

    seconds, values = {}, {}

    def step(name: str, function) -> None:
        started = time.perf_counter()
        values[name] = function()
        seconds[name] = round(time.perf_counter() - started, 3)

    step("density", lambda: nx.density(graph))
    step("degree_centrality", lambda: nx.degree_centrality(graph))
    step("betweenness", lambda: nx.betweenness_centrality(graph, k=k, seed=seed))
    step("closeness", lambda: nx.closeness_centrality(graph))
    step("eigenvector", lambda: nx.eigenvector_centrality_numpy(graph))
    step("louvain", lambda: nx.community.louvain_communities(graph, seed=seed))
    seconds["total"] = round(sum(seconds.values()), 3)
    return seconds, values


def checks(metrics, reference: dict[str, Any]) -> dict[str, Any]:
    per_node = metrics.per_node
    nodes = list(per_node)

    def largest(name: str, relative: bool = False) -> float:
        differences = []
        for node in nodes:
            expected = reference[name][node]
            difference = abs(per_node[node][name] - expected)
            differences.append(difference / expected if relative and expected else difference)
        return max(differences)

    ours = sorted(sorted(members) for members in metrics.communities)
    theirs = sorted(sorted(members) for members in reference["louvain"])
    result = {
        "density_equal": abs(metrics.density - reference["density"]) < 1e-12,
        "betweenness_max_abs_diff": largest("betweenness"),
        "eigenvector_max_abs_diff": largest("eigenvector"),
        "closeness_max_rel_diff": largest("closeness", relative=True),
        "communities_equal": ours == theirs,
        "communities": [len(ours), len(theirs)],
    }
    result["passed"] = bool(
        result["density_equal"]
        and result["betweenness_max_abs_diff"] < 1e-6
        and result["eigenvector_max_abs_diff"] < 1e-6
        and result["closeness_max_rel_diff"] < 0.05
        and result["communities_equal"]
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=5000)
    parser.add_argument("--ties", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-networkx", action="store_true", help="skip the (slow) networkx baseline")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthywork.settings")
    import django

    django.setup()

    nodes, edges, graph = generate(args.orgs, args.ties, args.seed)
    timing, metrics = time_analyse(nodes, edges, args.seed, args.repeat)
    report: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "graph": {"orgs": args.orgs, "ties": metrics.ties, "edges": len(edges), "seed": args.seed},
        "betweenness": {
            "sampled": metrics.betweenness_sampled,
            "k": metrics.betweenness_k,
            "error_bound_95": metrics.betweenness_error_bound,
        },
        "analyse": timing,
        "target_s": TARGET_S,
        "target_met": timing["best_wall_s"] <= TARGET_S,
    }
    passed = report["target_met"]
    if not args.no_networkx:
        seconds, reference = networkx_baseline(graph, metrics.betweenness_k, args.seed)
        report["networkx"] = seconds
        report["ratio_networkx_over_analyse"] = round(seconds["total"] / timing["best_wall_s"], 1)
        report["checks"] = checks(metrics, reference)
        passed = passed and report["checks"]["passed"]
    report["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    out = BENCH_DIR / "out" / "network-metrics.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
