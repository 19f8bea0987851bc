"""Applying a mapping to a CSV file: each row gives one record per mapped entity."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from followthemoney.schema import Schema

from narcolink.ingest.builder import PropPlan, RecordBuilder, excerpt
from narcolink.ingest.csvfile import CsvRows
from narcolink.ingest.mapping import ROW, EntitySpec, MappingSpec, PropertySpec
from narcolink.model.records import Record


def _values(
    spec: PropertySpec, cell: dict[str, str], ids: dict[str, str | None]
) -> list[tuple[str, str]]:
    """(value, field name for issues) pairs of one property in one row, before cleaning."""
    if spec.kind == "column":
        raw = [(cell[c], c) for c in spec.columns]
    elif spec.kind == "columns":
        joined = spec.join.join(v for c in spec.columns if (v := cell[c].strip()))
        raw = [(joined, "+".join(spec.columns))]
    elif spec.kind in ("value", "values"):
        raw = [(v, f"(mapping: {spec.prop})") for v in spec.values]
    elif spec.kind == "template":
        assert spec.template is not None
        text, missing = spec.template.render(cell.__getitem__)
        # A template whose every placeholder is empty gives no value rather than a stub.
        names = [n for _, n in spec.template.parts if n is not None]
        raw = [] if names and len(missing) == len(names) else [(text, f"(mapping: {spec.prop})")]
    else:
        target = ids.get(spec.entity or "")
        raw = [(target, f"(mapping: {spec.prop})")] if target else []
    if spec.split is None:
        return [(v, f) for v, f in raw if v and not v.isspace()]
    return [(p, f) for v, f in raw for p in v.split(spec.split) if p.strip()]


class _Plans:
    """Schemata and property plans of a mapping, looked up once per file."""

    def __init__(self, builder: RecordBuilder, mapping: MappingSpec) -> None:
        self.schemas: dict[str, Schema] = {}
        self.plans: dict[tuple[str, str], PropPlan] = {}
        for entity in mapping.entities:
            schema = builder.lookup_schema(entity.schema)
            assert not isinstance(schema, str), "the mapping was checked"
            self.schemas[entity.key] = schema
            for prop in entity.properties:
                plan = builder.lookup_plan(schema, prop.prop)
                assert not isinstance(plan, str), "the mapping was checked"
                self.plans[(entity.key, prop.prop)] = plan


def read_mapped(
    path: Path, builder: RecordBuilder, mapping: MappingSpec
) -> Iterator[tuple[int, Record]]:
    """Yield (data row, record) for each entity of each row; report problems."""
    report = builder.report
    source = CsvRows(path, builder, mapping.delimiter)
    header = source.header()
    if header is None:
        return
    names = [h.strip() for h in header]
    index = {name: i for i, name in reversed(list(enumerate(names)))}
    missing = sorted(c for c in mapping.columns if c not in index and c != ROW)
    for column in missing:
        report.add(
            0,
            column,
            f"the mapping {mapping.name} reads column {column!r}, which the file does not have",
        )
    if missing:
        return
    plans = _Plans(builder, mapping)
    wanted = sorted(mapping.columns - {ROW})
    for row, cells in source.rows(len(names)):
        cell = {c: cells[index[c]] for c in wanted}
        cell[ROW] = str(row)
        ids = _row_ids(builder, mapping, cell, row)
        for entity in mapping.entities:
            source_id = ids.get(entity.key)
            if source_id is None:
                continue
            record = _build(builder, plans, entity, source_id, cell, ids, row)
            if record is None:
                continue
            if mapping.markings:
                marks = {name: cell[column] for name, column in mapping.markings.items()}
                builder.mark(record, marks, row)
            yield row, builder.finish(record, row)


def _row_ids(
    builder: RecordBuilder, mapping: MappingSpec, cell: dict[str, str], row: int
) -> dict[str, str | None]:
    ids: dict[str, str | None] = {}
    for entity in mapping.entities:
        text, missing = entity.id.render(cell.__getitem__)
        if missing:
            ids[entity.key] = None
            if not entity.optional:
                builder.report.add(
                    row,
                    missing[0],
                    f"empty, but the id of {entity.key!r} ({entity.schema}) is made from it "
                    "(mark the entity 'optional: true' to skip such rows)",
                )
        else:
            ids[entity.key] = text
    return ids


def _build(
    builder: RecordBuilder,
    plans: _Plans,
    entity: EntitySpec,
    source_id: str,
    cell: dict[str, str],
    ids: dict[str, str | None],
    row: int,
) -> Record | None:
    schema = plans.schemas[entity.key]
    record = builder.start(schema, source_id, row, field_name=f"{entity.key}.id")
    if record is None:
        return None
    for spec in entity.properties:
        plan = plans.plans[(entity.key, spec.prop)]
        for raw, field_name in _values(spec, cell, ids):
            if spec.date_formats:
                iso = spec.parse_date(raw.strip())
                if iso is None:
                    formats = " or ".join(spec.date_formats)
                    builder.report.add(
                        row, field_name, f"{spec.prop}: {excerpt(raw)} does not match {formats}"
                    )
                    continue
                builder.add(record, plan, iso, row, field_name, original=raw.strip())
            else:
                builder.add(record, plan, raw, row, field_name)
    return record
