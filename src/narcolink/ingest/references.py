"""Record ids and references across one file: duplicates, dangling references, resolution.

A reference (an entity-typed value) names another record by its source id, or by a full
narcolink entity id. It resolves, in this order, to a record of the same file, to the
entity with that full id, or to a record loaded earlier into the same source. The ledger
learns the file's ids during the validation pass, checks references against the file and
(in batches, through a callback) against the store, and later resolves them for writing.
Ids are kept as 96-bit integers, so a million-record file costs tens of megabytes.
"""

from __future__ import annotations

from collections.abc import Callable

from followthemoney.schema import Schema

from narcolink.exc import ValidationReport
from narcolink.ingest.builder import IngestContext, excerpt
from narcolink.model.records import Record, entity_id, is_entity_id

# Given entity ids, return the schema of each that exists and the importer may see.
Exists = Callable[[list[str]], dict[str, str]]


def _key(eid: str) -> int:
    return int(eid[-24:], 16)


class Ledger:
    """Bookkeeping of the validation pass; then the resolver of the writing pass."""

    def __init__(
        self,
        ctx: IngestContext,
        report: ValidationReport,
        exists: Exists,
        check_every: int = 5000,
    ) -> None:
        self.ctx = ctx
        self.report = report
        self.exists = exists
        self.check_every = check_every
        self.ids: set[int] = set()
        self.records = 0
        self.statements = 0
        self._pending: dict[str, tuple[int | None, str]] = {}
        self._seen: list[tuple[str, str, str, int | None]] = []
        self._unresolved: dict[str, tuple[int | None, str]] = {}
        self._entity_props: dict[str, frozenset[str]] = {}

    def _local(self, raw: str) -> str:
        return entity_id(self.ctx.agency, self.ctx.source, raw)

    def entity_props(self, schema: Schema) -> frozenset[str]:
        found = self._entity_props.get(schema.name)
        if found is None:
            found = frozenset(
                name for name, prop in schema.properties.items() if prop.type.name == "entity"
            )
            self._entity_props[schema.name] = found
        return found

    # --- validation pass ------------------------------------------------------------------

    def see(self, record: Record, row: int | None, field_name: str = "id") -> None:
        """Note a record's id (reporting duplicates) and queue its references for checking."""
        key = _key(record.id)
        if key in self.ids:
            self.report.add(
                row,
                field_name,
                f"duplicate record id {excerpt(record.source_record)}: "
                "an earlier record of this file has the same id",
            )
        else:
            self.ids.add(key)
            self._seen.append((record.id, record.schema.name, record.source_record, row))
            if len(self._seen) >= self.check_every:
                self._check_seen()
        self.records += 1
        refs = self.entity_props(record.schema)
        for prop, values in record.properties.items():
            self.statements += len(values)
            if prop not in refs:
                continue
            for raw in values:
                if _key(self._local(raw)) in self.ids or raw in self._pending:
                    continue
                self._pending[raw] = (row, prop)
        if len(self._pending) >= self.check_every:
            self._check_pending()

    def _check_seen(self) -> None:
        """A record loaded before into this source keeps its schema: a Person cannot come
        back as a Company (its statements would no longer fit)."""
        known = self.exists([eid for eid, _, _, _ in self._seen])
        for eid, schema, source_id, row in self._seen:
            before = known.get(eid)
            if before is not None and before != schema:
                self.report.add(
                    row,
                    "schema",
                    f"record {excerpt(source_id)} was imported into source "
                    f"{self.ctx.source!r} before as a {before}; it cannot become a {schema} "
                    "(give it another id, or import into another source)",
                )
        self._seen = []

    def _check_pending(self) -> None:
        targets: dict[str, str] = {}
        for raw in self._pending:
            local = self._local(raw)
            if _key(local) in self.ids:
                continue
            targets[raw] = raw if is_entity_id(raw) else local
        found = self.exists(sorted(set(targets.values()))) if targets else set()
        for raw, target in targets.items():
            if target not in found and raw not in self._unresolved:
                self._unresolved[raw] = self._pending[raw]
        self._pending = {}

    def finish(self) -> None:
        """Report references that match no record of the file and no visible entity, and
        records whose schema differs from their earlier import."""
        self._check_seen()
        self._check_pending()
        for raw, (row, prop) in self._unresolved.items():
            if _key(self._local(raw)) in self.ids:
                continue
            self.report.add(
                row,
                prop,
                f"{prop}: reference {excerpt(raw)} matches no record in this file, and no "
                f"record of source {self.ctx.source!r} or entity id in the store",
            )
        self._unresolved = {}

    # --- writing pass ---------------------------------------------------------------------

    def resolve_value(self, raw: str) -> str:
        local = self._local(raw)
        if _key(local) in self.ids:
            return local
        if is_entity_id(raw):
            return raw
        return local

    def resolve(self, record: Record) -> Record:
        """Replace raw references with entity ids, keeping the raw text as the original."""
        refs = self.entity_props(record.schema)
        for prop in refs.intersection(record.properties):
            raws = record.properties.pop(prop)
            for raw in raws:
                record.add(prop, self.resolve_value(raw), raw)
        return record
