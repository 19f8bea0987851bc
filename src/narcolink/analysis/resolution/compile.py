"""Compile a ResolutionSpec into Splink settings for one SQL dialect (pure data, no engine)."""

from __future__ import annotations

from typing import Any

from narcolink.analysis.resolution.comparisons import comparison, dialect
from narcolink.analysis.resolution.spec import BlockingRule, ResolutionSpec


def blocking_sql(rule: BlockingRule, dialect_name: str = "duckdb") -> str:
    # Spark SQL reads "x" as a string literal: its identifiers are quoted with backticks.
    q = "`" if dialect_name == "spark" else '"'
    return " AND ".join(f"l.{q}{c}{q} = r.{q}{c}{q}" for c in rule.columns)


def blocking_rule(rule: BlockingRule, dialect_name: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "blocking_rule": blocking_sql(rule, dialect_name),
        "sql_dialect": dialect_name,
    }
    if rule.explode:
        out["arrays_to_explode"] = list(rule.explode)
    return out


def splink_settings(spec: ResolutionSpec, dialect_name: str = "duckdb") -> dict[str, Any]:
    d = dialect(dialect_name)
    return {
        "link_type": spec.link_type,
        "unique_id_column_name": "unique_id",
        "source_dataset_column_name": "source_dataset",
        "probability_two_random_records_match": 1e-4,
        "blocking_rules_to_generate_predictions": [
            blocking_rule(r, dialect_name) for r in spec.blocking
        ],
        "comparisons": [comparison(f, d) for f in spec.fields],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": [],
        "sql_dialect": dialect_name,
    }
