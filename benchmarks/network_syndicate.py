"""From the synthetic world's vehicle-check seizure to the syndicate behind it.

    .venv/bin/python benchmarks/network_syndicate.py [--seed 1] [--scale 1] [--world DIR]

Generates the MED MAX-style world (``narcolink.scenario``), imports every agency's files
and shares into a fresh embedded node as its manifest says, then, as an NCB analyst,
expands 4 hops from the seizure of the Delhi vehicle check and scores the result against
the ground truth (``truth/entities.csv``, ``truth/records.csv``):

* recall of the syndicate's members (its persons, companies and organisations marked
  illicit, that NCB holds or was shared a record of) in the top 50 of the expansion,
  counted over all record types and over persons and organisations only;
* the rank of the syndicate's kingpin among the kingpin candidates.

Targets (issue 4): >= 90% of the members in the top 50; the kingpin in the top 3.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

from narcolink.model.markings import Markings
from narcolink.model.records import entity_id
from narcolink.model.roles import Actor, Role
from narcolink.scenario.generate import generate
from narcolink.services import accounts, imports, network, sharing
from narcolink.services.node import Node
from narcolink.settings import Settings

LEAD_ENTITY = "{network}-seizure-vehicle-check"
MEMBER_KINDS = ("person", "company", "organization")


def load_world(node: Node, root: Path) -> dict:
    manifest = yaml.safe_load((root / "manifest.yml").read_text(encoding="utf-8"))
    for code, agency in manifest["agencies"].items():
        accounts.create_agency(node, code, agency["name"], agency["country"])
    for block in manifest["imports"]:
        actor = Actor(f"{block['agency']}-loader", block["agency"], frozenset({Role.ANALYST}))
        for name in block["files"]:
            imports.import_file(
                node, actor, root / name, source=block["source"], fmt="csv",
                markings=Markings.parse(block.get("markings")),
            )  # fmt: skip
    for block in manifest["shares"]:
        actor = Actor(f"{block['agency']}-liaison", block["agency"], frozenset({Role.SUPERVISOR}))
        for record in block["records"]:
            sharing.share(
                node, actor, entity_id(block["agency"], block["source"], record),
                block["recipient"], block["purpose"],
            )  # fmt: skip
    return manifest


def truth(root: Path, manifest: dict) -> tuple[dict[str, dict], dict[str, set[str]]]:
    """Ground-truth entities, and the narcolink record ids of each entity."""
    with (root / "truth" / "entities.csv").open(encoding="utf-8") as fh:
        entities = {row["entity"]: row for row in csv.DictReader(fh)}
    records: dict[str, set[str]] = defaultdict(set)
    sources = {code: a["source"] for code, a in manifest["agencies"].items()}
    with (root / "truth" / "records.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            agency = row["file"].split("/")[0]
            if agency in sources:
                records[row["entity"]].add(entity_id(agency, sources[agency], row["record"]))
    return entities, records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--network", default="medmax-1")
    parser.add_argument("--world", type=Path, help="use an already generated world")
    parser.add_argument("--node", type=Path, help="keep the loaded node here; reuse it if there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.world or Path(tmp) / "world"
        started = time.perf_counter()
        if args.world is None:
            generate("medmax", args.seed, args.scale, root)
        node_dir = args.node or Path(tmp) / "node"
        reuse = (node_dir / "narcolink.sqlite3").exists()
        node = Node.open(Settings(data_dir=node_dir, secret_key="benchmark"))
        if reuse:
            manifest = yaml.safe_load((root / "manifest.yml").read_text(encoding="utf-8"))
        else:
            manifest = load_world(node, root)
        loaded = time.perf_counter()
        entities, records = truth(root, manifest)
        ncb = Actor("ncb-analyst", "ncb", frozenset({Role.ANALYST}))
        with node.view(ncb) as view:
            visible = set(view.existing(sorted({r for rs in records.values() for r in rs})))
        (lead,) = records[LEAD_ENTITY.format(network=args.network)] & visible
        members = {
            e: records[e] & visible
            for e, row in entities.items()
            if row["network"] == args.network and row["illicit"] == "true"
            and row["kind"] in MEMBER_KINDS and records[e] & visible
        }  # fmt: skip
        kingpin = next(e for e, row in entities.items()
                       if row["network"] == args.network and row["role"] == "kingpin")  # fmt: skip
        t0 = time.perf_counter()
        result = network.lead_network(node, ncb, lead, 4, limit=50)
        # (the kingpin candidates come from the lead's network: lead + 200 best-ranked)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        actors = network.expand(node, ncb, lead, 4, limit=50, schemata=["LegalEntity"])
        again = time.perf_counter() - t0
        print(f"world seed {manifest['seed']} scale {manifest['scale']:g}: {len(visible):,} "
              f"records NCB may see; generated and loaded in {loaded - started:.0f} s")  # fmt: skip
        reached = result.expansion.reached
        print(f"lead network (graph built): {first:.1f} s; expansion on the cached graph: "
              f"{again * 1000:.0f} ms; {reached:,} entities within 4 hops")  # fmt: skip
        for label, ranked in (("all record types", result.expansion.ranked),
                              ("persons and organisations", actors.ranked)):  # fmt: skip
            top = {r.node.id for r in ranked[:50]}
            found = [e for e, ids in members.items() if ids & top]
            missed = sorted(entities[e]["role"] + ":" + entities[e]["name"]
                            for e in members if e not in found)  # fmt: skip
            print(
                f"members in the top 50 ({label}): {len(found)}/{len(members)} = "
                f"{len(found) / len(members):.0%}; missed: {', '.join(missed) or 'none'}"
            )
        ranks = [i for i, c in enumerate(result.kingpins, 1) if c.node.id in records[kingpin]]
        print(
            f"kingpin {entities[kingpin]['name']!r}: rank "
            f"{ranks[0] if ranks else 'not among the candidates'} of {len(result.kingpins)}"
        )
        for i, c in enumerate(result.kingpins[:5], 1):
            why = ", ".join(f"{r.name} {r.value:.2f}" for r in c.reasons if r.value)
            role = next((entities[e]["role"] for e, ids in records.items() if c.node.id in ids), "")
            print(
                f"  {i}. {c.score:.3f} {c.node.caption} ({c.node.schema}, {role or 'none'}): {why}"
            )
        node.close()


if __name__ == "__main__":
    main()
