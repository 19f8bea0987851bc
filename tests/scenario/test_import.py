"""A generated world loads through the same path a user's data takes: every file of the
manifest imports into a node (SQLite, and PostgreSQL when configured) with no validation
issue, and every share the manifest lists names a record the sharing agency holds."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from narcolink.model.records import entity_id
from narcolink.model.roles import Actor, Role
from narcolink.scenario import Summary, generate
from narcolink.services import imports, records, sharing
from narcolink.services.node import Node


def actor(agency: str, role: Role) -> Actor:
    return Actor(f"{agency}-{role.value}", agency, frozenset({role}))


def test_a_small_world_imports_cleanly_and_its_shares_apply(node: Node, tmp_path: Path) -> None:
    summary: Summary = generate("medmax", 2, 0.02, tmp_path / "world", workers=1)
    manifest = yaml.safe_load(summary.manifest.read_text(encoding="utf-8"))
    loaded = 0
    for block in manifest["imports"]:
        analyst = actor(block["agency"], Role.ANALYST)
        for name in block["files"]:
            result = imports.import_file(
                node, analyst, summary.root / name, source=block["source"],
                markings=block["markings"],
            )  # fmt: skip
            assert result.report.ok and not result.report.issues, name
            assert result.records == summary.counts[name], name
            loaded += result.records
    assert loaded == sum(n for f, n in summary.counts.items() if f.startswith(("ncb/", "dea/")))
    shared = 0
    for block in manifest["shares"]:
        liaison = actor(block["agency"], Role.LIAISON)
        for record in block["records"]:
            eid = entity_id(block["agency"], block["source"], record)
            sharing.share(node, liaison, eid, block["recipient"], block["purpose"])
            shared += 1
    assert shared >= 10
    # The recipient sees a shared seizure, and the truth says which real parcel it is.
    dea = actor("dea", Role.ANALYST)
    found = records.search(node, dea, "EX100000011IN", 10, None)
    assert {r.agency for r in found} == {"ncb", "dea"}
    with (summary.root / "truth/records.csv").open(encoding="utf-8", newline="") as fh:
        parcels = {
            r["entity"] for r in csv.DictReader(fh)
            if r["file"].endswith("consignments.csv") and r["entity"].startswith("medmax-1-bulk-")
        }  # fmt: skip
    assert parcels
