"""Entity resolution on the synthetic world: cross-agency persons against the ground truth.

Generates a world (``narcolink.scenario``, seeded), imports both agencies' person files
into one embedded node through ``services.imports.import_file`` (sources and markings from
the manifest), has the DEA share its person records with the NCB for deconfliction
(``services.sharing.share``, one audited share each), then runs ``services.resolution.run``
as an NCB analyst, whose scoped View holds the NCB's own persons and what the DEA shared.
The run's clusters are scored against ``truth/records.csv``: precision, recall and F1 of
the cross-agency pairs (an NCB and a DEA record of the same real person), overall and on
each noise subset the truth labels (a pair belongs to a subset when either record carries
the label: native script, initials, patronymic, surname first, spelling variant, typo, ...).

    .venv/bin/python benchmarks/er_synthetic.py                  # seed 7, scale 1
    .venv/bin/python benchmarks/er_synthetic.py --scale 0.3 --seed 3
    .venv/bin/python benchmarks/er_synthetic.py --misses 20      # print missed pairs
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import yaml

from narcolink.model.markings import Markings
from narcolink.model.records import entity_id
from narcolink.model.roles import Actor, Role
from narcolink.scenario import generate
from narcolink.services import imports, resolution, sharing
from narcolink.services.node import Node
from narcolink.settings import Settings
from narcolink.store import resolution as rs

PERSONS = "persons.csv"
RECIPIENT = "ncb"
PURPOSE = "deconfliction of person records (entity-resolution evaluation)"


@dataclass
class Loaded:
    """What the node holds: entity id -> (agency, truth entity, noise labels)."""

    agency: dict[str, str] = field(default_factory=dict)
    entity: dict[str, str] = field(default_factory=dict)
    labels: dict[str, frozenset[str]] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # a few fields, for --misses


def _actor(agency: str, role: Role) -> Actor:
    return Actor(f"{agency}-{role.value}", agency, frozenset({role}))


def load_world(node: Node, root: Path, log: bool = True) -> Loaded:
    """Import both agencies' person files as the manifest says and share DEA's persons
    with the NCB; returns every imported record with its truth."""
    manifest = yaml.safe_load((root / "manifest.yml").read_text(encoding="utf-8"))
    truth: dict[tuple[str, str], tuple[str, str]] = {}
    with (root / manifest["truth"]["records"]).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["file"].endswith("/" + PERSONS):
                truth[(row["file"], row["record"])] = (row["entity"], row["noise"])
    loaded = Loaded()
    sources = {}
    for block in manifest["imports"]:
        for name in block["files"]:
            if not name.endswith("/" + PERSONS):
                continue
            agency, source = block["agency"], block["source"]
            sources[agency] = source
            result = imports.import_file(
                node,
                _actor(agency, Role.ANALYST),
                root / name,
                source=source,
                fmt="csv",
                markings=Markings.parse(block.get("markings")),
            )
            if not result.report.ok:
                raise SystemExit(f"{name}: import failed: {result.report.issues[:3]}")
            if log:
                print(f"imported {name}: {result.records} records", flush=True)
            with (root / name).open(encoding="utf-8", newline="") as fh:
                rows = {r["id"]: r for r in csv.DictReader(fh)}
            for (file, record), (entity, noise) in truth.items():
                if file == name:
                    eid = entity_id(agency, source, record)
                    row = rows[record]
                    loaded.shown[eid] = " | ".join(
                        row[k] for k in ("name", "alias", "birthDate", "phone", "fatherName")
                    )
                    loaded.agency[eid] = agency
                    loaded.entity[eid] = entity
                    loaded.labels[eid] = frozenset(label for label in noise.split(";") if label)
    sharer = _actor("dea", Role.SUPERVISOR)
    for eid, agency in loaded.agency.items():
        if agency == "dea":
            sharing.share(node, sharer, eid, RECIPIENT, PURPOSE)
    return loaded


def true_pairs(loaded: Loaded) -> set[frozenset[str]]:
    by_entity: dict[str, list[str]] = {}
    for eid, entity in loaded.entity.items():
        by_entity.setdefault(entity, []).append(eid)
    return {frozenset(p) for ids in by_entity.values() for p in combinations(sorted(ids), 2)}


def cluster_pairs(assignment: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, list[str]] = {}
    for eid, cid in assignment.items():
        groups.setdefault(cid, []).append(eid)
    return {frozenset(p) for g in groups.values() for p in combinations(sorted(g), 2)}


def cross(pairs: Iterable[frozenset[str]], loaded: Loaded) -> set[frozenset[str]]:
    return {p for p in pairs if len({loaded.agency[e] for e in p}) == 2}


@dataclass(frozen=True)
class Score:
    truth: int
    predicted: int
    found: int

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.truth if self.truth else 1.0

    @property
    def f1(self) -> float:
        total = self.truth + self.predicted
        return 2 * self.found / total if total else 1.0


def score(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> Score:
    return Score(len(truth), len(predicted), len(predicted & truth))


def subsets(loaded: Loaded, pairs: Iterable[frozenset[str]]) -> list[str]:
    """Every label carried by a record of these pairs (``copy=1`` and ``phone=e164`` too)."""
    return sorted({label for p in pairs for e in p for label in loaded.labels[e]})


def subset_score(
    label: str, loaded: Loaded, predicted: set[frozenset[str]], truth: set[frozenset[str]]
) -> Score:
    def has(p: frozenset[str]) -> bool:
        return any(label in loaded.labels[e] for e in p)

    return score({p for p in predicted if has(p)}, {p for p in truth if has(p)})


def resolve_world(node: Node, loaded: Loaded) -> tuple[set[frozenset[str]], resolution.RunSummary]:
    """Run resolution as an NCB analyst; the clusters' pairs (through the scoped View)."""
    analyst = _actor(RECIPIENT, Role.ANALYST)
    summary = resolution.run(node, analyst, "Person")
    with node.view(analyst) as view:
        assignment = rs.members(view, summary.id)
    return cluster_pairs(assignment), summary


def _row(name: str, s: Score) -> str:
    return (
        f"{name:28s} {s.truth:7d} {s.predicted:7d} {s.found:7d} "
        f"{s.precision:9.4f} {s.recall:7.4f} {s.f1:7.4f}"
    )


def report(loaded: Loaded, predicted: set[frozenset[str]], misses: int) -> Score:
    truth = true_pairs(loaded)
    cross_truth, cross_pred = cross(truth, loaded), cross(predicted, loaded)
    overall = score(cross_pred, cross_truth)
    print(f"\n{'cross-agency pairs':28s} {'true':>7s} {'found':>7s} {'right':>7s} "
          f"{'precision':>9s} {'recall':>7s} {'F1':>7s}")  # fmt: skip
    print(_row("all", overall))
    scripts = subset_score("form=native_script", loaded, cross_pred, cross_truth)
    print(_row("different scripts", scripts))
    for label in subsets(loaded, cross_truth | cross_pred):
        if label in ("form=native_script",):
            continue
        print(_row(label, subset_score(label, loaded, cross_pred, cross_truth)))
    within = score(predicted - cross_pred, truth - cross_truth)
    print(_row("within one agency (all)", within))
    if misses:
        _show(sorted(cross_truth - cross_pred, key=sorted)[:misses], "missed", loaded)
        _show(sorted(cross_pred - cross_truth, key=sorted)[:misses], "wrong", loaded)
    return overall


def _show(pairs: list[frozenset[str]], what: str, loaded: Loaded) -> None:
    print(f"\n{what} ({len(pairs)} shown):")
    for p in pairs:
        a, b = sorted(p)
        for e in (a, b):
            print(f"  {loaded.entity[e]:14s} {loaded.shown[e]}  {sorted(loaded.labels[e])}")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="medmax")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--misses", type=int, default=0, help="print this many misses")
    parser.add_argument("--keep", type=Path, help="work here instead of a temporary directory")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # Splink's training chatter
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        print(f"load average before: {os.getloadavg()}", flush=True)
        started = time.perf_counter()
        summary = generate(args.profile, args.seed, args.scale, work / "world")
        generated = time.perf_counter()
        node = Node.open(Settings(data_dir=work / "node", secret_key="er-synthetic-benchmark"))
        try:
            with node.transaction() as conn:
                node.store.add_agency(conn, "ncb", "Narcotics Control Bureau", "in")
                node.store.add_agency(conn, "dea", "Drug Enforcement Administration", "us")
            loaded = load_world(node, summary.root)
            imported = time.perf_counter()
            predicted, run = resolve_world(node, loaded)
            resolved = time.perf_counter()
        finally:
            node.close()
    counts = {a: sum(1 for x in loaded.agency.values() if x == a) for a in ("ncb", "dea")}
    print(
        f"\nworld {args.profile} seed {args.seed} scale {args.scale:g}: "
        f"{counts['ncb']} NCB + {counts['dea']} DEA person records "
        f"({counts['dea']} shared with the NCB); run: {run.records} records, "
        f"{run.pairs} scored pairs, {run.clusters} clusters"
    )
    print(
        f"times: generate {generated - started:.1f} s, import and share "
        f"{imported - generated:.1f} s, resolve {resolved - imported:.1f} s"
    )
    overall = report(loaded, predicted, args.misses)
    print(f"\nload average after: {os.getloadavg()}")
    return 0 if overall.f1 >= 0.97 else 1


if __name__ == "__main__":
    sys.exit(main())
