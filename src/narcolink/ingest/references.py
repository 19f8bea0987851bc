"""Record ids and references across one file: duplicates, dangling references, resolution.

A reference (an entity-typed value) names another record by its source id, or by a full
narcolink entity id. It resolves, in this order, to a record of the same file, to the
entity with that full id, or to a record loaded earlier into the same source. So a value
that is not shaped like an entity id always names a record of this source, and resolves
as soon as it is read (worker processes resolve it too); a value shaped like one may be
the source id of a record further down the file (an exported file imported again is made
of such references), so its record waits until the whole file is read (``waits``).
The ledger learns the file's ids, checks references against the file and (in batches,
through a callback) against the store, and resolves the records that waited.
Ids are kept as 96-bit integers, so a million-record file costs tens of megabytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from followthemoney.schema import Schema

from narcolink.exc import ValidationReport
from narcolink.ingest.builder import IngestContext, excerpt
from narcolink.model.records import Record, entity_id, is_entity_id

# Given entity ids, return the schema of each that exists and the importer may see.
Exists = Callable[[list[str]], dict[str, str]]


def _key(eid: str) -> int:
    return int(eid[-24:], 16)


def must_wait(references: Iterable[tuple[str, str]]) -> bool:
    """Whether (property, raw value) references include one shaped like an entity id."""
    return any(is_entity_id(raw) for _, raw in references)


class References:
    """Resolves raw reference values of one import (agency and source) to entity ids."""

    def __init__(self, ctx: IngestContext) -> None:
        self.agency = ctx.agency
        self.source = ctx.source
        self._entity_props: dict[str, frozenset[str]] = {}

    def local(self, raw: str) -> str:
        """The entity id of this source's record with source id ``raw``."""
        return entity_id(self.agency, self.source, raw)

    def entity_props(self, schema: Schema) -> frozenset[str]:
        found = self._entity_props.get(schema.name)
        if found is None:
            found = frozenset(
                name for name, prop in schema.properties.items() if prop.type.name == "entity"
            )
            self._entity_props[schema.name] = found
        return found

    def raw(self, record: Record) -> list[tuple[str, str]]:
        """(property, raw value) of each reference of a record read from a file."""
        refs = self.entity_props(record.schema)
        if not refs:
            return []
        props = record.properties
        return [(p, raw) for p in refs.intersection(props) for raw in props[p]]

    def waits(self, record: Record) -> bool:
        """Whether the record must wait for the whole file before it is resolved: one of
        its references is shaped like an entity id (see the module's docstring)."""
        return must_wait(self.raw(record))

    def resolve(self, record: Record, in_file: Callable[[str], bool] | None = None) -> Record:
        """Replace raw references with entity ids, keeping the raw text as the original.

        ``in_file(raw)``: whether the file has a record with source id ``raw``; needed
        only for a record that ``waits``.
        """
        refs = self.entity_props(record.schema)
        for prop in refs.intersection(record.properties):
            raws = record.properties.pop(prop)
            for raw in raws:
                if is_entity_id(raw) and not (in_file is not None and in_file(raw)):
                    record.add(prop, raw)
                else:
                    record.add(prop, self.local(raw), raw)
        return record


# What the ledger needs to know of one record read from the file: (entity id, schema
# name, source record id, number of statements, (property, raw reference) pairs). A plain
# tuple, because worker processes send one per record.
Seen = tuple[str, str, str, int, tuple[tuple[str, str], ...]]


def seen(record: Record, references: References) -> Seen:
    return (
        record.id,
        record.schema.name,
        record.source_record,
        sum(map(len, record.properties.values())),
        tuple(references.raw(record)),
    )


class Ledger:
    """Bookkeeping of one file's records: duplicate ids, schema changes, dangling references.

    ``fresh``: no record of this source exists in the store (it was never imported), so
    its ids need no look-up; only full entity ids are looked up.
    """

    def __init__(
        self,
        ctx: IngestContext,
        report: ValidationReport,
        exists: Exists,
        check_every: int = 5000,
        fresh: bool = False,
    ) -> None:
        self.ctx = ctx
        self.report = report
        self.exists = exists
        self.check_every = check_every
        self.fresh = fresh
        self.references = References(ctx)
        self._prefix = f"{ctx.agency}-"
        self.ids: set[int] = set()
        self.records = 0
        self.statements = 0
        self._pending: dict[str, tuple[int | None, str]] = {}
        self._seen: list[tuple[str, str, str, int | None]] = []
        self._unresolved: dict[str, tuple[int | None, str]] = {}

    def see(self, record: Record, row: int | None, field_name: str = "id") -> None:
        """Note a record read from the file (reporting a duplicate id)."""
        self.note(seen(record, self.references), row, field_name)

    def note(self, facts: Seen, row: int | None, field_name: str = "id") -> None:
        """Note a record's id (reporting duplicates) and queue its references for checking."""
        eid, schema, source_record, statements, references = facts
        key = _key(eid)
        if key in self.ids:
            self.report.add(
                row,
                field_name,
                f"duplicate record id {excerpt(source_record)}: "
                "an earlier record of this file has the same id",
            )
        else:
            self.ids.add(key)
            if not self.fresh:
                self._seen.append((eid, schema, source_record, row))
                if len(self._seen) >= self.check_every:
                    self._check_seen()
        self.records += 1
        self.statements += statements
        if references:
            self._queue(references, row)

    def in_file(self, raw: str) -> bool:
        """Whether a record of the file (so far) has source id ``raw``."""
        return _key(self.references.local(raw)) in self.ids

    def _names_file_record(self, raw: str) -> bool:
        """Whether ``raw`` names a record of the file (so far), by source id or full id.

        A full id of the file's own record is known without asking the store, so the
        check does not depend on whether that record was written yet.
        """
        if self.in_file(raw):
            return True
        return raw.startswith(self._prefix) and is_entity_id(raw) and _key(raw) in self.ids

    def resolve(self, record: Record) -> Record:
        """Resolve a record's references knowing every record of the file (for a record
        that waited)."""
        return self.references.resolve(record, self.in_file)

    def _queue(self, references: Iterable[tuple[str, str]], row: int | None) -> None:
        for prop, raw in references:
            if raw in self._pending or self._names_file_record(raw):
                continue
            self._pending[raw] = (row, prop)
        if len(self._pending) >= self.check_every:
            self._check_pending()

    def _check_seen(self) -> None:
        """A record loaded before into this source keeps its schema: a Person cannot come
        back as a Company (its statements would no longer fit)."""
        known = self.exists([eid for eid, _, _, _ in self._seen]) if self._seen else {}
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
        todo: list[tuple[str, str, tuple[int | None, str]]] = []
        for raw, where in self._pending.items():
            if not self._names_file_record(raw):
                todo.append((raw, raw if is_entity_id(raw) else self.references.local(raw), where))
        # A source never imported (fresh) holds nothing: only full ids need a look-up.
        lookup = sorted({t for raw, t, _ in todo if not (self.fresh and t != raw)})
        found = self.exists(lookup) if lookup else {}
        for raw, target, where in todo:
            if target not in found and raw not in self._unresolved:
                self._unresolved[raw] = where
        self._pending = {}

    def finish(self) -> None:
        """Report references that match no record of the file and no visible entity, and
        records whose schema differs from their earlier import."""
        self._check_seen()
        self._check_pending()
        for raw, (row, prop) in self._unresolved.items():
            if self._names_file_record(raw):  # a record further down the file
                continue
            self.report.add(
                row,
                prop,
                f"{prop}: reference {excerpt(raw)} matches no record in this file, and no "
                f"record of source {self.ctx.source!r} or entity id in the store",
            )
        self._unresolved = {}
