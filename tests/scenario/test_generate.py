"""The generator: deterministic output, complete ground truth, the manifest, the CLI."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from narcolink.cli.main import app
from narcolink.exc import BadRequest, Conflict
from narcolink.scenario import Summary, generate
from narcolink.scenario.formats import HEADERS

from .conftest import SCALE, SEED


def digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def data_records(root: Path) -> Counter[tuple[str, str]]:
    """(file, record key) of every data row, read back independently of the generator."""
    found: Counter[tuple[str, str]] = Counter()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel.startswith("truth/") or rel.endswith(".yml"):
            continue
        if path.name.startswith("."):
            continue
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                found[(rel, json.loads(line)["hash"])] += 1
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                record = row.get("id") or f"{row['transaction_hash']}:{row['log_index']}"
                found[(rel, record)] += 1
    return found


def test_same_seed_and_scale_give_byte_identical_output(world: Summary, tmp_path: Path) -> None:
    again = generate("medmax", SEED, SCALE, tmp_path / "again", workers=2)
    assert digests(again.root) == digests(world.root)
    other = generate("medmax", SEED + 1, SCALE, tmp_path / "other", workers=1)
    assert digests(other.root) != digests(world.root)


def test_every_record_is_in_the_ground_truth_once(world: Summary) -> None:
    data = data_records(world.root)
    assert data, "the world is empty"
    assert max(data.values()) == 1, "a record id repeats within a file"
    with (world.root / "truth/records.csv").open(encoding="utf-8", newline="") as fh:
        truth_rows = list(csv.DictReader(fh))
    truth = Counter((r["file"], r["record"]) for r in truth_rows)
    assert max(truth.values()) == 1
    assert set(truth) == set(data)
    assert sum(world.counts.values()) == len(data)
    with (world.root / "truth/entities.csv").open(encoding="utf-8", newline="") as fh:
        entities = [r["entity"] for r in csv.DictReader(fh)]
    assert len(entities) == len(set(entities)), "an entity is listed twice"
    assert {r["entity"] for r in truth_rows} <= set(entities)


def test_truth_names_networks_roles_and_illicit_records(world: Summary) -> None:
    with (world.root / "truth/entities.csv").open(encoding="utf-8", newline="") as fh:
        entities = list(csv.DictReader(fh))
    roles = {(e["network"], e["role"]) for e in entities if e["network"]}
    assert ("medmax-1", "kingpin") in roles
    assert ("medmax-1", "reshipper") in roles
    assert ("diversion-1", "broker") in roles
    assert ("diversion-1", "supplier (unwitting)") in roles
    illicit_kinds = Counter(e["kind"] for e in entities if e["illicit"] == "true")
    for kind in ("parcel", "chemical_shipment", "listing", "transfer", "transaction", "call"):
        assert illicit_kinds[kind] > 0, kind
    ordinary = Counter(e["kind"] for e in entities if e["illicit"] != "true")
    assert ordinary["parcel"] > illicit_kinds["parcel"]
    assert ordinary["person"] > 5 * illicit_kinds["person"]  # networks do not scale


def test_a_person_seen_by_both_agencies_has_records_in_both(world: Summary) -> None:
    with (world.root / "truth/records.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["file"].endswith("/persons.csv")]
    views: dict[str, set[str]] = {}
    for row in rows:
        views.setdefault(row["entity"], set()).add(row["file"].split("/")[0])
    both = [e for e, v in views.items() if v == {"ncb", "dea"}]
    assert len(both) >= 5


def test_manifest_lists_files_in_import_order_with_markings(world: Summary) -> None:
    manifest = yaml.safe_load(world.manifest.read_text(encoding="utf-8"))
    assert manifest["seed"] == SEED and manifest["profile"] == "medmax"
    listed = [f for block in manifest["imports"] for f in block["files"]]
    assert listed and all((world.root / f).is_file() for f in listed)
    order = list(HEADERS)
    for agency in ("ncb", "dea"):
        mine = [f.split("/")[1][:-4] for f in listed if f.startswith(agency + "/")]
        assert mine == sorted(mine, key=lambda name: order.index(name) if name in order else 99)
    reds = [b for b in manifest["imports"] if b["markings"]["tlp"] == "RED"]
    assert any("ncb/calls.csv" in b["files"] for b in reds)
    assert {x["file"] for x in manifest["external"]} == {
        "chain/bitcoin/transactions.jsonl",
        "chain/tron/token_transfers.csv",
    }
    shared = {s["agency"]: s for s in manifest["shares"]}
    assert shared["ncb"]["recipient"] == "dea" and shared["ncb"]["records"]
    assert {lead["agency"] for lead in manifest["leads"]} == {"ncb", "dea"}


def test_refuses_to_overwrite_a_directory_it_did_not_write(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(Conflict, match="not written by"):
        generate("medmax", 1, 0.01, precious, workers=1)
    assert (precious / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize("scale", [0, -1, 100_000])
def test_refuses_a_scale_out_of_range(tmp_path: Path, scale: float) -> None:
    with pytest.raises(BadRequest, match="scale"):
        generate("medmax", 1, scale, tmp_path / "w", workers=1)


def test_cli_generates_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        app,
        ["scenario", "generate", "--scale", "0.01", "--seed", "3", "--out", str(out),
         "--workers", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "records in" in result.stdout and "manifest.yml" in result.stdout
    assert (out / "manifest.yml").is_file() and (out / "truth/records.csv").is_file()
    listed = CliRunner().invoke(app, ["scenario", "profiles"])
    assert listed.exit_code == 0 and "medmax" in listed.stdout
    unknown = CliRunner().invoke(
        app, ["scenario", "generate", "--profile", "nope", "--out", str(tmp_path / "x")]
    )
    assert unknown.exit_code == 2 and "unknown profile 'nope'" in unknown.stderr
