"""Network analysis at scale: a 1,000,000-node, 5,000,000-edge link graph.

    .venv/bin/python benchmarks/network_expand.py [--nodes 1000000] [--edges 5000000]

The graph is synthetic and shaped like case data: entities in groups of about 40 (a
network, a company and its staff, a building), 85% of links inside a group and 15%
between random entities, plus hubs (couriers, exchanges: one per 3,300 entities) holding
3% of the links. Link strengths are drawn from the evidence weights the builder uses.
It prints the time to build the arrays and the igraph graph, the 3-hop expansion
(ranking and evidence paths included) from 50 random leads (median, 95th percentile,
worst), and Leiden communities on the whole graph. Targets: expansion <= 200 ms,
Leiden <= 60 s (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import numpy as np

from narcolink.analysis.network import LinkGraph, expand
from narcolink.analysis.network.structure import leiden

WEIGHTS = np.array([0.9, 0.85, 0.7, 0.9, 0.5, 0.6, 1.0])


def synthetic(nodes: int, edges: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    group_size = 40
    inside = int(edges * 0.85)
    hub_count = max(10, nodes // 3300)
    per_hub = max(1, int(edges * 0.03) // hub_count)
    hubs = rng.choice(nodes, size=hub_count, replace=False)
    hub_edges = hub_count * per_hub
    across = edges - inside - hub_edges
    a = rng.integers(0, nodes, size=inside)
    b = (a // group_size) * group_size + rng.integers(0, group_size, size=inside)
    b = np.minimum(b, nodes - 1)
    c = rng.integers(0, nodes, size=across)
    d = rng.integers(0, nodes, size=across)
    h = np.repeat(hubs, per_hub)
    k = rng.integers(0, nodes, size=hub_edges)
    src = np.concatenate([a, c, h])
    dst = np.concatenate([b, d, k])
    keep = src != dst
    src, dst = src[keep], dst[keep]
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    pairs = np.unique(lo.astype(np.int64) * nodes + hi)
    lo, hi = (pairs // nodes).astype(np.int32), (pairs % nodes).astype(np.int32)
    weight = WEIGHTS[rng.integers(0, len(WEIGHTS), size=len(lo))]
    return lo, hi, weight


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=5_000_000)
    parser.add_argument("--leads", type=int, default=50)
    parser.add_argument("--skip-leiden", action="store_true")
    args = parser.parse_args()

    t0 = time.perf_counter()
    src, dst, weight = synthetic(args.nodes, int(args.edges * 1.2))
    src, dst, weight = src[: args.edges], dst[: args.edges], weight[: args.edges]
    t1 = time.perf_counter()
    graph = LinkGraph.from_arrays(args.nodes, src, dst, weight)
    t2 = time.perf_counter()
    graph.as_igraph()
    t3 = time.perf_counter()
    print(f"graph: {graph.node_count:,} nodes, {graph.edge_count:,} edges")
    print(f"generate {t1 - t0:.1f} s; link graph (CSR) {t2 - t1:.1f} s; igraph {t3 - t2:.1f} s")

    rng = np.random.default_rng(11)
    leads = rng.integers(0, args.nodes, size=args.leads)
    timings, reached = [], []
    expand(graph, str(leads[0]), 3)  # warm-up (imports, first allocation)
    for lead in leads:
        start = time.perf_counter()
        result = expand(graph, str(lead), 3, limit=50)
        timings.append((time.perf_counter() - start) * 1000)
        reached.append(result.reached)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"3-hop expansion from {args.leads} leads: median {statistics.median(timings):.0f} ms, "
        f"p95 {p95:.0f} ms, worst {timings[-1]:.0f} ms; entities reached: median "
        f"{int(statistics.median(reached)):,}, most {max(reached):,}"
    )
    if not args.skip_leiden:
        start = time.perf_counter()
        membership = leiden(graph)
        took = time.perf_counter() - start
        print(f"Leiden (modularity): {took:.1f} s, {len(set(membership)):,} communities")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:,.0f} MB")


if __name__ == "__main__":
    main()
