"""``generate(profile, seed, scale, out)``: the whole world, streamed to disk.

The work is split into two groups that write disjoint files: people, companies, networks'
members and relations, trade, listings, seizures, calls and USDT transfers; and parcels and
Bitcoin transactions.
With ``workers=2`` the groups run in two processes; each writes its own part of the ground
truth, and the parts are joined at the end, so the output is byte-identical whatever the
number of workers. Memory stays bounded: records are written as they are made.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

import yaml

from narcolink.exc import BadRequest, Conflict
from narcolink.scenario import (
    background,
    calls,
    chain,
    goods,
    listings,
    members,
    outcomes,
    parcels,
    trade,
)
from narcolink.scenario.formats import BTC_TRANSACTIONS, IMPORT_ORDER, TRC20_TRANSFERS
from narcolink.scenario.network import networks
from narcolink.scenario.output import TRUTH_ENTITIES, TRUTH_RECORDS
from narcolink.scenario.profile import Profile, load_profile
from narcolink.scenario.world import GENERATOR_VERSION, World

MANIFEST = "manifest.yml"
MARKER = ".narcolink-scenario"
GROUPS = ("people", "movements")
MAX_SCALE = 10_000.0


@dataclass
class Summary:
    """What was written: rows per file, the manifest and ground truth paths."""

    root: Path
    profile: str
    seed: int
    scale: float
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST


def _people(world: World) -> None:
    background.persons(world)
    background.companies(world)
    for net in networks(world):
        members.write_members(net)
        members.write_links(net)
        members.write_payments(net)
        members.write_listings(net)
        goods.write_chemicals(net)
        outcomes.write_seizures(net)
        calls.network_calls(net)
    trade.legitimate_trade(world)
    listings.background_listings(world)
    listings.background_seizures(world)
    chain.known_wallets(world)
    calls.background_calls(world)
    chain.tron(world, chain.network_transfers_of(networks(world), "trc20"))


def _movements(world: World) -> None:
    nets = networks(world)
    parcels.background_parcels(world)
    for net in nets:
        goods.write_shipments(net)
    chain.bitcoin(world, chain.network_transfers_of(nets, "btc"))


TASKS: dict[str, Callable[[World], None]] = {"people": _people, "movements": _movements}


def _run_group(profile: Profile, seed: int, scale: float, root: str, group: str) -> dict[str, int]:
    world = World(profile, seed, scale, Path(root), part=group)
    try:
        TASKS[group](world)
    finally:
        world.out.close()
    return world.out.counts()


def _prepare(out: Path) -> None:
    """An empty output directory, or one this generator wrote before (then emptied)."""
    if out.exists():
        if not out.is_dir():
            raise Conflict(f"{out} exists and is not a directory")
        if any(out.iterdir()):
            if not (out / MARKER).exists():
                raise Conflict(
                    f"{out} is not empty and was not written by 'narcolink scenario generate'; "
                    "choose an empty or new directory"
                )
            shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Written by 'narcolink scenario generate'; replaced on each run.\n")


def _join(root: Path, final: str) -> None:
    """Concatenate the groups' parts of a truth file (headers once), then drop the parts."""
    target = root / final
    with target.open("wb") as sink:
        for n, group in enumerate(GROUPS):
            part = root / f"{final}.{group}"
            with part.open("rb") as source:
                header = source.readline()
                if n == 0:
                    sink.write(header)
                shutil.copyfileobj(source, sink, 1 << 20)
            part.unlink()


def generate(
    profile: str | Profile, seed: int, scale: float, out: str | Path, workers: int = 2
) -> Summary:
    """Write the world of ``profile`` at ``scale`` with ``seed`` under ``out``."""
    spec = load_profile(profile) if isinstance(profile, str) else profile
    if not 0 < scale <= MAX_SCALE:
        raise BadRequest(f"scale must be above 0 and at most {MAX_SCALE:g}, got {scale}")
    if seed < 0:
        raise BadRequest(f"seed must be 0 or more, got {seed}")
    root = Path(out)
    _prepare(root)
    counts: dict[str, int] = {}
    if workers > 1:
        # fork: the children inherit the loaded profile and lexicons and need no main-module
        # import (spawn would re-run the caller's script); spawn where fork does not exist.
        method = "fork" if "fork" in get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(len(GROUPS), mp_context=get_context(method)) as pool:
            futures = [pool.submit(_run_group, spec, seed, scale, str(root), g) for g in GROUPS]
            for future in futures:
                counts.update(future.result())
    else:
        for group in GROUPS:
            counts.update(_run_group(spec, seed, scale, str(root), group))
    _join(root, TRUTH_RECORDS)
    _join(root, TRUTH_ENTITIES)
    summary = Summary(root, spec.name, seed, scale, dict(sorted(counts.items())))
    write_manifest(spec, summary)
    return summary


def manifest_data(spec: Profile, summary: Summary) -> dict[str, Any]:
    world = World(spec, summary.seed, summary.scale, None)
    imports = []
    for code, agency in spec.agencies.items():
        block: dict[str, Any] | None = None
        for name in IMPORT_ORDER:
            rel = f"{code}/{name}.csv"
            if not summary.counts.get(rel):
                continue
            marks = dict(agency.markings) | agency.file_markings.get(f"{name}.csv", {})
            if block is None or block["markings"] != marks:
                block = {"agency": code, "source": agency.source, "markings": marks, "files": []}
                imports.append(block)
            block["files"].append(rel)
    nets = networks(world)
    shares = [s for net in nets for s in outcomes.shares(net)]
    leads = [lead for net in nets for lead in outcomes.leads(net)]
    return {
        "generator": {"name": "narcolink.scenario", "version": GENERATOR_VERSION},
        "profile": spec.name,
        "title": spec.title,
        "seed": summary.seed,
        "scale": summary.scale,
        "period": {"start": spec.start.isoformat(), "end": spec.end.isoformat()},
        "agencies": {
            code: {"name": a.name, "country": a.country, "source": a.source}
            for code, a in spec.agencies.items()
        },
        "imports": imports,
        "external": [
            item
            for item in (
                {
                    "file": BTC_TRANSACTIONS,
                    "format": "bitcoin-etl transactions (JSON lines)",
                    "importer": "none yet (crypto tracing)",
                },
                {
                    "file": TRC20_TRANSFERS,
                    "format": "tronetl token_transfers.csv, plus block_timestamp",
                    "importer": "none yet (crypto tracing)",
                },
            )
            if summary.counts.get(item["file"])
        ],
        "leads": leads,
        "shares": shares,
        "truth": {"records": TRUTH_RECORDS, "entities": TRUTH_ENTITIES},
        "counts": summary.counts,
    }


def write_manifest(spec: Profile, summary: Summary) -> None:
    data = manifest_data(spec, summary)
    text = "# How to load this synthetic world: see docs/scenario.md.\n" + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100
    )
    summary.manifest.write_text(text, encoding="utf-8")
