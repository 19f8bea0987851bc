"""Search latency over an imported store: p50/p95/p99 of ``services.records.search``.

Queries are drawn from the imported CSV (full names, name prefixes as typed, phones in
another format than stored, identifiers, emails, Devanagari names), so every query has
at least one true hit. Each search runs as a user would run it: scoped view, audit row.

    python benchmarks/search_latency.py --csv bench-data/persons-1m.csv \\
        --data-dir bench-data/sqlite [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import time
from pathlib import Path

from narcolink.model.roles import Actor, Role
from narcolink.services import records
from narcolink.services.node import Node
from narcolink.settings import Settings


def sample_queries(path: Path, count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = [row for _, row in zip(range(200_000), reader, strict=False)]
    kinds = ["name", "prefix", "phone", "identifier", "email", "devanagari"]
    queries: list[tuple[str, str]] = []
    while len(queries) < count:
        row = rng.choice(rows)
        kind = kinds[len(queries) % len(kinds)]
        if kind == "name":
            queries.append((kind, row["name"]))
        elif kind == "prefix":
            queries.append((kind, f"{row['firstName'][:3]} {row['lastName']}"))
        elif kind == "phone":
            digits = "".join(c for c in row["phone"] if c.isdigit())
            queries.append((kind, digits[-10:]))
        elif kind == "identifier":
            queries.append((kind, row["idNumber"]))
        elif kind == "email":
            queries.append((kind, row["email"]))
        elif not row["name"].isascii():
            queries.append((kind, row["name"]))
    return queries


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--agency", default="ncb")
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    node = Node.open(Settings(data_dir=args.data_dir, database_url=args.database_url))
    actor = Actor("bench", args.agency, frozenset({Role.ANALYST}))
    queries = sample_queries(args.csv, args.queries, args.seed)
    for _, query in queries[:20]:  # warm the caches
        records.search(node, actor, query)
    timings: dict[str, list[float]] = {}
    misses = 0
    for kind, query in queries:
        start = time.perf_counter()
        hits = records.search(node, actor, query)
        timings.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
        misses += not hits
    every = [t for ts in timings.values() for t in ts]
    print(f"store: {node.store.dialect}; queries: {len(every)}; queries with no hit: {misses}")
    print(
        f"all      p50 {statistics.median(every):7.1f} ms  p95 {percentile(every, 95):7.1f} ms"
        f"  p99 {percentile(every, 99):7.1f} ms"
    )
    for kind, values in sorted(timings.items()):
        print(
            f"{kind:<10} p50 {statistics.median(values):7.1f} ms  "
            f"p95 {percentile(values, 95):7.1f} ms  (n={len(values)})"
        )
    node.close()


if __name__ == "__main__":
    main()
