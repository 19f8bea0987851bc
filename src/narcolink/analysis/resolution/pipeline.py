"""Run a spec on an engine: features in, trained model and explained scored pairs out.

``Resolver`` is engine-agnostic; Splink is imported lazily here and only here in analysis.
Every scored pair carries, for each comparison, the level it fell in and its weight
(log2 of the Bayes factor, term-frequency adjustment included), so a match can be read
field by field.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from narcolink.analysis.resolution.comparisons import PRIMARY_COLUMN, comparison, dialect
from narcolink.analysis.resolution.compile import blocking_sql, splink_settings
from narcolink.analysis.resolution.features import ROW_BUILDERS
from narcolink.analysis.resolution.spec import ResolutionSpec
from narcolink.engines.base import Engine

LIST_COLUMNS = frozenset(
    {"name_keys", "name_skels", "name_full", "name_letters", "name_inits", "phones",
     "phone_tails", "emails", "email_locals", "ids", "company_keys", "company_words"}
)  # fmt: skip
BOOL_COLUMNS = frozenset({"given_known"})


@dataclass(frozen=True)
class FieldWeight:
    """One comparison's part in a pair's score."""

    field: str
    level: str
    weight: float  # log2 Bayes factor; positive is evidence for a match
    left: Any = None
    right: Any = None


@dataclass
class ScoredPair:
    left: str
    right: str
    left_source: str
    right_source: str
    probability: float
    weight: float
    fields: list[FieldWeight] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.left, self.right) if self.left <= self.right else (self.right, self.left)


@dataclass
class FeatureTable:
    columns: dict[str, list[Any]]

    def __len__(self) -> int:
        return len(self.columns.get("unique_id", []))

    def non_null(self, column: str) -> int:
        return sum(v is not None for v in self.columns.get(column, []))


def build_features(kind: str, records: Iterable[Mapping[str, Any]]) -> FeatureTable:
    """Feature rows for ``records`` (each with ``id``, ``source`` and fields), by column."""
    builder = ROW_BUILDERS[kind]
    columns: dict[str, list[Any]] = {}
    for count, record in enumerate(records):
        row = builder(record)
        if not columns:
            columns = {c: [] for c in row}
        for column, value in row.items():
            columns[column].append(value)
        del count
    if not columns:
        columns = {c: [] for c in builder({"id": "x"})}
    return FeatureTable(columns)


def column_types(columns: Iterable[str]) -> dict[str, str]:
    return {
        c: "text[]" if c in LIST_COLUMNS else "bool" if c in BOOL_COLUMNS else "text"
        for c in columns
    }


def usable_spec(spec: ResolutionSpec, tables: Sequence[FeatureTable]) -> ResolutionSpec:
    """Drop comparisons with nothing to compare: a column empty on one side of a link."""
    empty = set()
    for f in spec.fields:
        column = PRIMARY_COLUMN[f.kind]
        counts = [t.non_null(column) for t in tables]
        if (spec.link_type == "dedupe_only" and sum(counts) < 2) or (
            spec.link_type != "dedupe_only" and min(counts) < 1
        ):
            empty.add(f.name)
    return spec.without_fields(empty) if empty else spec


def _weight(row: Mapping[str, Any], name: str) -> float:
    """log2 Bayes factor of one comparison, term-frequency adjustment included."""
    weight = float(row.get(f"mw_{name}") or 0.0) + float(row.get(f"mw_tf_adj_{name}") or 0.0)
    if f"mw_{name}" not in row and f"bf_{name}" in row:  # older Splink: Bayes factors
        factor = float(row[f"bf_{name}"]) * float(row.get(f"bf_tf_adj_{name}") or 1.0)
        weight = math.log2(factor) if factor > 0 else -math.inf
    return weight


class Resolver:
    """Trains and applies one spec on one engine, over one or more feature tables."""

    def __init__(self, spec: ResolutionSpec, engine: Engine, quiet: bool = True) -> None:
        self.spec = spec
        self.engine = engine
        self.linker: Any = None
        self.skipped_rules: list[str] = []
        self.record_count = 0
        if quiet:
            logging.getLogger("splink").setLevel(logging.WARNING)

    def load(self, tables: Sequence[FeatureTable], model: dict[str, Any] | None = None) -> None:
        """Register the tables and build the linker (from a trained model, if given)."""
        from splink import Linker

        self.spec = usable_spec(self.spec, tables)
        if model is not None:  # explain with the comparisons the model was trained on
            trained = {c["output_column_name"] for c in model.get("comparisons", [])}
            self.spec = self.spec.without_fields(
                {f.name for f in self.spec.fields if f.name not in trained}
            )
        api = self.engine.splink_api()
        inputs = []
        for index, table in enumerate(tables):
            name = f"nl_features_{index}"
            physical = self.engine.table(name, table.columns, column_types(table.columns))
            inputs.append(api.register(physical, dataset_display_name=f"input_{index}"))
        settings = model if model is not None else splink_settings(self.spec, self.engine.dialect)
        self.linker = Linker(inputs if len(inputs) > 1 else inputs[0], settings)
        self.record_count = sum(len(t) for t in tables)

    def train(self, labels: Sequence[tuple[str, str, str, str]] = ()) -> dict[str, Any]:
        """EM on the spec's training rules, then (enough labels given) m from analysts'
        confirmed pairs ``(source_l, id_l, source_r, id_r)``; returns the model as JSON."""
        training = self.spec.training
        t = self.linker.training
        sql = self.engine.dialect
        if training.deterministic:
            t.estimate_probability_two_random_records_match(
                [blocking_sql(r, sql) for r in training.deterministic],
                recall=training.deterministic_recall,
            )
        settings = self.linker._settings_obj
        prior = settings._probability_two_random_records_match
        if not 0 < prior < 1:
            # No deterministic match at all (a few records): assume one duplicate in all.
            settings._probability_two_random_records_match = 1 / max(self.record_count**2, 4)
        t.estimate_u_using_random_sampling(max_pairs=training.u_max_pairs, seed=training.seed)
        from splink.internals.exceptions import EMTrainingException, SplinkException

        for rule in training.em_rules:
            if not self._rule_usable(rule.columns):
                continue
            saved = copy.deepcopy(self.linker._settings_obj.core_model_settings)
            try:
                t.estimate_parameters_using_expectation_maximisation(
                    blocking_sql(rule, sql), max_pairs=training.em_max_pairs
                )
            except (EMTrainingException, SplinkException, ValueError, ZeroDivisionError) as error:
                # Too few records agree on this rule, EM degenerates on a handful of pairs
                # (a small agency), or the rule leaves no comparison to estimate (records
                # with names only): the other rules and the default m values stand.
                self.linker._settings_obj.core_model_settings = saved
                self.skipped_rules.append(
                    f"{blocking_sql(rule, sql)}: {str(error).splitlines()[0]}"
                )
        if len(labels) >= training.min_labels:
            self._train_from_labels(labels)
        return self.model()

    def _rule_usable(self, columns: Sequence[str]) -> bool:
        fields = {PRIMARY_COLUMN[f.kind]: f.name for f in self.spec.fields}
        # A rule that fixes every comparison leaves EM nothing to estimate.
        return any(PRIMARY_COLUMN[f.kind] not in columns for f in self.spec.fields) and bool(fields)

    def _train_from_labels(self, labels: Sequence[tuple[str, str, str, str]]) -> None:
        columns: dict[str, list[Any]] = {
            "source_dataset_l": [], "unique_id_l": [], "source_dataset_r": [],
            "unique_id_r": [], "clerical_match_score": [],
        }  # fmt: skip
        for source_l, id_l, source_r, id_r in labels:
            for key, value in zip(columns, (source_l, id_l, source_r, id_r, "1.0"), strict=True):
                columns[key].append(value)
        name = self.engine.table("nl_labels", columns, {})
        if self.engine.dialect == "duckdb":
            self.engine.rows(
                "CREATE OR REPLACE TABLE nl_labels AS SELECT * REPLACE "
                "(CAST(clerical_match_score AS DOUBLE) AS clerical_match_score) FROM nl_labels"
            )
        self.linker.training.estimate_m_from_pairwise_labels(name)

    def model(self) -> dict[str, Any]:
        result: dict[str, Any] = self.linker.misc.save_model_to_json()
        return result

    def predict(self, threshold: float = 0.5) -> list[ScoredPair]:
        frame = self.linker.inference.predict(threshold_match_probability=threshold)
        try:
            return self.explain(frame.as_record_list())
        finally:
            frame.drop_table_from_database_and_remove_from_cache()

    def predict_table(self, threshold: float = 0.5) -> Any:
        """The raw prediction table (engine-side), for jobs too big to explain every pair."""
        return self.linker.inference.predict(threshold_match_probability=threshold)

    def explain(self, rows: Iterable[Mapping[str, Any]]) -> list[ScoredPair]:
        pairs = []
        labels = self._level_labels()
        for row in rows:
            weights = []
            for f in self.spec.fields:
                gamma = int(row.get(f"gamma_{f.name}", -1))
                column = PRIMARY_COLUMN[f.kind]
                weights.append(
                    FieldWeight(
                        field=f.name,
                        level=labels[f.name].get(gamma, str(gamma)),
                        weight=round(_weight(row, f.name), 3),
                        left=row.get(f"{column}_l"),
                        right=row.get(f"{column}_r"),
                    )
                )
            pairs.append(
                ScoredPair(
                    left=str(row["unique_id_l"]),
                    right=str(row["unique_id_r"]),
                    left_source=str(row.get("source_dataset_l") or ""),
                    right_source=str(row.get("source_dataset_r") or ""),
                    probability=float(row["match_probability"]),
                    weight=float(row["match_weight"]),
                    fields=weights,
                )
            )
        return pairs

    def _level_labels(self) -> dict[str, dict[int, str]]:
        """gamma value -> level label, per comparison: the null level is -1, the others
        count down to 0 in the order written (Splink's convention)."""
        d = dialect(self.engine.dialect)
        out: dict[str, dict[int, str]] = {}
        for f in self.spec.fields:
            levels = comparison(f, d)["comparison_levels"]
            ranked = [lvl for lvl in levels if not lvl.get("is_null_level")]
            labels = {len(ranked) - 1 - i: lvl["label_for_charts"] for i, lvl in enumerate(ranked)}
            labels[-1] = "missing"
            out[f.name] = labels
        return out
