"""The floor under a SQLite import: the database work alone, without reading or cleaning.

Reads every row of an imported store (entities, statements, search keys), then writes
them into a fresh SQLite file with narcolink's schema the way the writer does (one
transaction, flushes of ``--flush`` records' rows, each sorted by key, ``executemany``)
and times the inserts and the commit apart. The records are written in random order, as
hashed ids arrive from a file; ``--sorted`` writes them in id order, for comparison.

    python benchmarks/sqlite_write_floor.py --store bench-data/sqlite/narcolink.sqlite3
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import tempfile
import time
from collections import defaultdict
from operator import itemgetter
from pathlib import Path

TABLES = ("entities", "statements", "search_keys")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="an imported narcolink.sqlite3")
    parser.add_argument("--flush", type=int, default=25_000, help="records per flush")
    parser.add_argument("--sorted", action="store_true", help="write records in id order")
    parser.add_argument("--out", type=Path, default=None, help="the scratch file (default: temp)")
    args = parser.parse_args()
    source = sqlite3.connect(args.store)
    schema = [
        sql
        for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND (name IN (?, ?, ?) "
            "OR tbl_name IN (?, ?, ?)) AND type IN ('table', 'index')",
            TABLES + TABLES,
        )
    ]
    entities = {row[0]: row for row in source.execute("SELECT * FROM entities")}
    statements: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    for row in source.execute("SELECT * FROM statements"):
        statements[row[0]].append(row)
    keys: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    for row in source.execute("SELECT * FROM search_keys"):
        keys[row[1]].append(row)
    source.close()
    ids = sorted(entities)
    if not args.sorted:
        random.Random(1).shuffle(ids)
    counts = (len(entities), sum(map(len, statements.values())), sum(map(len, keys.values())))
    print(f"rows: {counts[0]:,} entities, {counts[1]:,} statements, {counts[2]:,} search keys")

    folder = tempfile.mkdtemp(prefix="nl-floor-") if args.out is None else None
    path = args.out or Path(folder or ".") / "floor.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "cache_size=-2000000"):
        db.execute(f"PRAGMA {pragma}")
    for sql in schema:
        db.execute(sql)
    inserts = {
        name: f"INSERT INTO {name} VALUES ({', '.join('?' * width)})"
        for name, width in (("entities", 14), ("statements", 9), ("search_keys", 2))
    }
    first = itemgetter(0)
    spent = 0.0
    db.execute("BEGIN IMMEDIATE")
    for at in range(0, len(ids), args.flush):
        part = ids[at : at + args.flush]
        rows = (
            sorted((entities[i] for i in part), key=first),
            sorted((s for i in part for s in statements[i]), key=first),
            sorted((k for i in part for k in keys[i]), key=first),
        )
        start = time.perf_counter()
        for name, batch in zip(TABLES, rows, strict=True):
            db.executemany(inserts[name], batch)
        spent += time.perf_counter() - start
    start = time.perf_counter()
    db.execute("COMMIT")
    commit = time.perf_counter() - start
    size = os.path.getsize(path) / 1e6
    db.close()
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    order = "id order" if args.sorted else "random order"
    print(
        f"inserts {spent:.1f} s, commit {commit:.1f} s, together {spent + commit:.1f} s "
        f"({order}, flushes of {args.flush:,} records); file {size:,.0f} MB"
    )


if __name__ == "__main__":
    main()
