"""pseudopeople's sample census <-> Social Security records (shipped offline with the package).

Links the 2020 decennial census sample to the Social Security creation events by name,
middle initial, date of birth and sex (simulant_id only gives the truth), with narcolink's
person spec and with a plain Splink model, and prints precision, recall, F1 and time.

    .venv/bin/python benchmarks/er_pseudopeople.py
Needs the bench extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import time
from typing import Any


def load() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    import pseudopeople as psp

    census = psp.generate_decennial_census(verbose=False)
    ssa = psp.generate_social_security(verbose=False)
    ssa = ssa[ssa["event_type"] == "creation"]

    def rows(frame: Any, source: str) -> list[dict[str, Any]]:
        out = []
        for index, record in enumerate(frame.to_dict("records")):
            clean = {k: (None if v != v else v) for k, v in record.items()}
            out.append({"rid": f"{source}-{index}", "source": source, **clean})
        return out

    return rows(census, "census"), rows(ssa, "ssa")


def as_person(row: dict[str, Any]) -> dict[str, Any]:
    dob = row.get("date_of_birth")
    if dob and "/" in dob:  # census writes MM/DD/YYYY
        month, day, year = [*dob.split("/"), "", "", ""][:3]
        dob = f"{year}-{month}-{day}"
    return {
        "id": row["rid"],
        "source": row["source"],
        "firstName": row.get("first_name"),
        "middleName": row.get("middle_initial") or row.get("middle_name"),
        "lastName": row.get("last_name"),
        "birthDate": dob,
        "gender": row.get("sex"),
    }


def truth_pairs(census: list[dict[str, Any]], ssa: list[dict[str, Any]]) -> set[tuple[str, str]]:
    by_simulant: dict[str, list[str]] = {}
    for row in ssa:
        by_simulant.setdefault(row["simulant_id"], []).append(row["rid"])
    return {(c["rid"], s) for c in census for s in by_simulant.get(c["simulant_id"], [])}


def run_narcolink(
    census: list[dict[str, Any]], ssa: list[dict[str, Any]], threshold: float
) -> set[tuple[str, str]]:
    from narcolink.analysis.resolution import pipeline, spec
    from narcolink.engines import open_engine

    person = spec.ResolutionSpec.from_dict({**spec.PERSON.to_dict(), "link_type": "link_only"})
    tables = [pipeline.build_features("person", map(as_person, rows)) for rows in (census, ssa)]
    with open_engine("duckdb") as engine:
        resolver = pipeline.Resolver(person, engine)
        resolver.load(tables)
        resolver.train()
        scored = resolver.predict(threshold)
    return {(p.left, p.right) if p.left.startswith("census") else (p.right, p.left) for p in scored}


def run_plain(
    census: list[dict[str, Any]], ssa: list[dict[str, Any]], threshold: float
) -> set[tuple[str, str]]:
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def table(rows: list[dict[str, Any]]) -> pa.Table:
        people = [as_person(r) for r in rows]
        return pa.table(
            {
                "rid": [p["id"] for p in people],
                "first_name": [(p["firstName"] or "").lower() or None for p in people],
                "middle_initial": [(p["middleName"] or "")[:1].lower() or None for p in people],
                "last_name": [(p["lastName"] or "").lower() or None for p in people],
                "dob": [(p["birthDate"] or "").replace("-", "") or None for p in people],
                "sex": [p["gender"] for p in people],
            }
        )

    db = DuckDBAPI()
    settings = SettingsCreator(
        unique_id_column_name="rid",
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("first_name"),
            block_on("last_name"),
            block_on("dob"),
        ],
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("last_name"),
            cl.ExactMatch("middle_initial"),
            cl.DateOfBirthComparison(
                "dob", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
            ),
            cl.ExactMatch("sex"),
        ],
    )
    linker = Linker([db.register(table(census)), db.register(table(ssa))], settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=42)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "last_name")
    )
    rows = linker.inference.predict(threshold_match_probability=threshold).as_record_list()
    return {
        (r["rid_l"], r["rid_r"]) if r["rid_l"].startswith("census") else (r["rid_r"], r["rid_l"])
        for r in rows
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["narcolink", "plain"])
    parser.add_argument("--threshold", type=float, default=0.7)
    args = parser.parse_args()
    census, ssa = load()
    truth = truth_pairs(census, ssa)
    print(f"pseudopeople: {len(census)} census + {len(ssa)} SSA records, {len(truth)} true pairs")
    for name, runner in {"narcolink": run_narcolink, "plain": run_plain}.items():
        if args.only and name != args.only:
            continue
        started = time.perf_counter()
        pairs = runner(census, ssa, args.threshold)
        elapsed = time.perf_counter() - started
        tp = len(pairs & truth)
        precision = tp / len(pairs) if pairs else 0.0
        recall = tp / len(truth)
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        print(
            f"{name:10s} F1 {f1:.4f}  precision {precision:.4f}  recall {recall:.4f}"
            f"  pairs {len(pairs)}  time {elapsed:.1f} s"
        )


if __name__ == "__main__":
    main()
