"""Synthetic-world generation speed (records/s) and memory.

    .venv/bin/python benchmarks/scenario_generate.py [--scale 40] [--seed 7] [--workers 2]
                                                     [--out DIR] [--memory-check]

Generates the default profile (``medmax``) at ``--scale`` into a temporary directory (or
``--out``) and prints the number of records written (data rows of both agencies' files and
the chain exports; the ground truth and manifest come on top), the wall time, records per
second, the CPU time and peak memory of the worker processes, and the load average around
the run, since other jobs on the machine slow it down. ``--memory-check`` also runs a world
a tenth the size and compares peak memory: streaming keeps it flat as the scale grows.

Target (issue 3): at least 100,000 records/s on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from narcolink.scenario import generate


def run(scale: float, seed: int, workers: int, out: Path) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    own_before = resource.getrusage(resource.RUSAGE_SELF)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    summary = generate("medmax", seed, scale, out, workers=workers)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) + (
        own_after.ru_utime + own_after.ru_stime - own_before.ru_utime - own_before.ru_stime
    )
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "records": summary.records,
        "wall": wall,
        "cpu": cpu,
        "peak_mb": max(after.ru_maxrss, own_after.ru_maxrss) / 1024,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "bytes": size,
        "persons": sum(n for f, n in summary.counts.items() if f.endswith("persons.csv")),
        "parcels": sum(n for f, n in summary.counts.items() if f.endswith("consignments.csv")),
        "transfers": sum(n for f, n in summary.counts.items() if f.startswith("chain/")),
    }


def report(scale: float, figures: dict[str, float]) -> None:
    records = figures["records"]
    print(
        f"scale {scale:g}: {records:,.0f} records ({figures['persons']:,.0f} person records, "
        f"{figures['parcels']:,.0f} parcel records, {figures['transfers']:,.0f} chain "
        f"transfers; {figures['bytes'] / 1e6:,.0f} MB on disk)"
    )
    print(
        f"  {figures['wall']:.1f} s wall: {records / figures['wall']:,.0f} records/s; "
        f"CPU {figures['cpu']:.1f} s ({records / figures['cpu']:,.0f} records per CPU-second); "
        f"peak memory of a process {figures['peak_mb']:,.0f} MB; "
        f"load average {figures['load_before']:.1f} before, {figures['load_after']:.1f} after"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=40.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, help="keep the world here (else a temporary dir)")
    parser.add_argument("--memory-check", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.memory_check:
            small = args.scale / 10
            report(small, run(small, args.seed, args.workers, Path(tmp) / "small"))
        report(args.scale, run(args.scale, args.seed, args.workers, args.out or Path(tmp) / "w"))


if __name__ == "__main__":
    main()
