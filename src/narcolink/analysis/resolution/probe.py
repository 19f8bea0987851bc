"""Which comparison level a pair of records falls in, computed by the engine's own SQL.

Used to test the comparisons on labelled name pairs and to explain, for any two records,
how each field compares, without training a model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from narcolink.analysis.resolution.comparisons import comparison, dialect
from narcolink.analysis.resolution.features import ROW_BUILDERS
from narcolink.analysis.resolution.pipeline import column_types
from narcolink.analysis.resolution.spec import FieldSpec
from narcolink.engines.base import Engine


def levels(
    engine: Engine,
    kind: str,
    fields: Sequence[FieldSpec],
    pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]],
) -> list[dict[str, str]]:
    """For each (left, right) record pair, the label of the level each field falls in."""
    builder = ROW_BUILDERS[kind]
    columns: dict[str, list[Any]] = {}
    for index, (left, right) in enumerate(pairs):
        row: dict[str, Any] = {"pair": str(index)}
        for suffix, record in (("_l", left), ("_r", right)):
            for key, value in builder({"id": f"{index}{suffix}", **record}).items():
                row[key + suffix] = value
        for key, value in row.items():
            columns.setdefault(key, []).append(value)
    types = column_types(c[:-2] for c in columns)
    table_types = {c: types.get(c[:-2], "text") for c in columns}
    engine.table("nl_probe", columns, table_types)
    d = dialect(engine.dialect)
    cases = []
    for f in fields:
        whens = []
        for lvl in comparison(f, d)["comparison_levels"]:
            label = "'" + lvl["label_for_charts"].replace("'", "''") + "'"
            if lvl["sql_condition"] == "ELSE":
                whens.append(f"ELSE {label}")
            else:
                whens.append(f"WHEN {lvl['sql_condition']} THEN {label}")
        cases.append(f'CASE {" ".join(whens)} END AS "{f.name}"')
    sql = f"SELECT {', '.join(cases)} FROM nl_probe ORDER BY CAST(pair AS INTEGER)"  # noqa: S608
    return [{k: str(v) for k, v in row.items()} for row in engine.rows(sql)]
