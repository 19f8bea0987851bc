"""Resolution on a tiny generated world: the NCB's and the DEA's person files imported as
the manifest says, the DEA's persons shared with the NCB, one run as an NCB analyst, its
clusters scored against the generator's ground truth. The full-size figures are
benchmarks/er_synthetic.py's (docs/benchmarks.md); this keeps a floor under them."""

from __future__ import annotations

import csv
from itertools import combinations
from pathlib import Path

import yaml

from narcolink.model.markings import Markings
from narcolink.model.records import entity_id
from narcolink.model.roles import Actor, Role
from narcolink.scenario import generate
from narcolink.services import imports, resolution, sharing
from narcolink.services.node import Node
from narcolink.store import resolution as rs

SEED, SCALE = 3, 0.1  # about 1,200 person records, a few dozen cross-agency pairs


def load(node: Node, root: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Import both person files; share DEA's with the NCB. Returns, per stored record id,
    its agency, its true entity and its noise labels."""
    manifest = yaml.safe_load((root / "manifest.yml").read_text(encoding="utf-8"))
    with (root / "truth/records.csv").open(encoding="utf-8", newline="") as fh:
        truth = {(r["file"], r["record"]): r for r in csv.DictReader(fh)}
    agency, entity, noise = {}, {}, {}
    for block in manifest["imports"]:
        for name in (f for f in block["files"] if f.endswith("/persons.csv")):
            importer = Actor("importer", block["agency"], frozenset({Role.ANALYST}))
            result = imports.import_file(
                node, importer, root / name, source=block["source"],
                markings=Markings.parse(block["markings"]),
            )  # fmt: skip
            assert result.report.ok, result.report.issues[:3]
            for (file, record), row in truth.items():
                if file == name:
                    eid = entity_id(block["agency"], block["source"], record)
                    agency[eid], entity[eid], noise[eid] = (
                        block["agency"],
                        row["entity"],
                        row["noise"],
                    )
    dea = Actor("dea-lead", "dea", frozenset({Role.SUPERVISOR}))
    for eid in (e for e, a in agency.items() if a == "dea"):
        sharing.share(node, dea, eid, "ncb", "deconfliction")
    return agency, entity, noise


def pairs_of(groups: dict[str, str]) -> set[frozenset[str]]:
    members: dict[str, list[str]] = {}
    for eid, group in groups.items():
        members.setdefault(group, []).append(eid)
    return {frozenset(p) for m in members.values() for p in combinations(sorted(m), 2)}


def test_cross_agency_persons_of_a_generated_world(node: Node, tmp_path: Path) -> None:
    world = generate("medmax", SEED, SCALE, tmp_path / "world", workers=1)
    agency, entity, noise = load(node, world.root)
    analyst = Actor("ncb-analyst", "ncb", frozenset({Role.ANALYST}))
    run = resolution.run(node, analyst, "Person")
    assert run.records == len(agency)  # the NCB's own persons and every shared DEA one
    with node.view(analyst) as view:
        clusters = rs.members(view, run.id)

    def cross(pairs: set[frozenset[str]]) -> set[frozenset[str]]:
        return {p for p in pairs if {agency[e] for e in p} == {"ncb", "dea"}}

    truth, found = cross(pairs_of(entity)), cross(pairs_of(clusters))
    assert len(truth) >= 20
    right = truth & found
    assert len(right) / len(found) >= 0.95  # precision
    assert len(right) / len(truth) >= 0.85  # recall
    # The hard subsets are present and mostly found.
    for label in ("form=native_script", "form=initials", "form=patronymic"):
        subset = {p for p in truth if any(label in noise[e] for e in p)}
        assert subset, label
        assert len(subset & found) / len(subset) >= 0.6, label
