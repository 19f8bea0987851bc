"""Turning raw field values into validated records, whatever the input format.

Every reader (CSV, JSON lines, FtM JSON, mapped CSV) hands raw strings to one
``RecordBuilder``, so cleaning, phone regions, markings and required properties behave the
same in all formats. Look-ups (schemata, properties, markings) are cached per file: the
per-value path is a dictionary hit and the type's cleaner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from followthemoney.property import Property
from followthemoney.schema import Schema

from narcolink.exc import NarcolinkError, ValidationReport
from narcolink.ingest.cleaners import Cleaner, Step, cleaner_for, step_for
from narcolink.model.markings import Markings
from narcolink.model.records import Record, entity_id
from narcolink.model.values import ValueRejected, clean_phone, clean_text
from narcolink.model.vocabulary import get_property, get_schema

# Types whose values may be packed into one CSV cell separated by ";": their cleaned
# values can never contain a semicolon, so splitting loses nothing.
SPLIT_TYPES = frozenset({"entity", "phone", "email", "country", "topic", "language", "ip"})
SEPARATOR = ";"
MARKING_FIELDS = ("tlp", "pap", "handling", "source_grading", "info_grading")
MAX_ID_CHARS = 1000
PHONE_CACHE = 100_000
EXCERPT = 40

# Which country property gives the region of a national phone number, per phone property;
# any other phone property uses the record's ``country``, then the agency's country.
PHONE_COUNTRY = {
    "senderPhone": "originCountry",
    "recipientPhone": "destinationCountry",
    "contactPhone": "shipsFrom",
}


def excerpt(value: str) -> str:
    """A short, quoted rendering of a value for an error message."""
    if len(value) <= EXCERPT:
        return repr(value)
    return repr(value[:EXCERPT]) + f"... ({len(value):,} characters)"


@dataclass(frozen=True)
class IngestContext:
    """What every reader of one file needs to know about the import."""

    agency: str
    source: str
    file: str
    markings: Markings = field(default_factory=Markings)
    region: str | None = None  # the importing agency's country, for national phone numbers
    max_field_chars: int = 100_000

    @property
    def line_cap(self) -> int:
        """Longest physical line read (bytes): room for many maximal fields, still bounded."""
        return max(self.max_field_chars * 64, 1 << 20)


@dataclass(frozen=True)
class PropPlan:
    """How values of one property are cleaned, worked out once per file."""

    prop: Property
    name: str
    type_name: str
    split: bool
    clean: Cleaner
    step: Step | None  # ``clean`` after the text cleaning, for ``add_cells``' quick way


class RecordBuilder:
    """Builds records for one file, reporting every refused value to the report."""

    def __init__(self, ctx: IngestContext, report: ValidationReport) -> None:
        self.ctx = ctx
        self.report = report
        self._schemas: dict[str, Schema | str] = {}
        self._plans: dict[tuple[str, str], PropPlan | str] = {}
        self._markings: dict[tuple[tuple[str, str], ...], Markings | tuple[str, str]] = {}
        self._phones: list[tuple[PropPlan, str, str | None]] = []
        self._rejected: set[str] = set()  # properties of the current record with a bad value
        self._phone_cache: dict[tuple[str, str | None], str | ValueRejected] = {}

    # --- look-ups (cached) ----------------------------------------------------------------

    def lookup_schema(self, name: str) -> Schema | str:
        """The schema called ``name`` or the reason there is none."""
        found = self._schemas.get(name)
        if found is None:
            try:
                found = get_schema(name.strip())
            except NarcolinkError as exc:
                found = f"{exc.detail} (see docs/model.md for the schemata)"
            self._schemas[name] = found
        return found

    def schema(self, name: object, row: int | None, field_name: str = "schema") -> Schema | None:
        if not isinstance(name, str) or not name.strip():
            self.report.add(row, field_name, "missing schema")
            return None
        found = self.lookup_schema(name)
        if isinstance(found, str):
            self.report.add(row, field_name, found)
            return None
        return found

    def lookup_plan(self, schema: Schema, name: str) -> PropPlan | str:
        """How to clean ``schema``'s property ``name``, or the reason it cannot be used."""
        key = (schema.name, name)
        found = self._plans.get(key)
        if found is None:
            try:
                prop = get_property(schema, self._canonical(schema, name))
            except NarcolinkError as exc:
                found = f"{exc.detail} (see docs/model.md for its properties)"
            else:
                kind = prop.type.name
                step = step_for(prop) if kind not in ("phone", "entity") else None
                found = PropPlan(
                    prop, prop.name, kind, kind in SPLIT_TYPES, cleaner_for(prop), step
                )
            self._plans[key] = found
        return found

    def _canonical(self, schema: Schema, name: str) -> str:
        """Accept property names in any letter case (``birthdate`` for ``birthDate``)."""
        name = name.strip()
        if name in schema.properties:
            return name
        lower = name.lower()
        for candidate in schema.properties:
            if candidate.lower() == lower:
                return candidate
        return name

    # --- building one record --------------------------------------------------------------

    def start(
        self, schema: Schema, source_id: object, row: int | None, field_name: str = "id"
    ) -> Record | None:
        """A new record for ``source_id``, or None (reported) when the id is unusable."""
        self._phones = []
        self._rejected = set()
        if isinstance(source_id, bool) or not isinstance(source_id, str | int):
            self.report.add(row, field_name, "missing record id: every record needs an id")
            return None
        try:
            text = clean_text(str(source_id), MAX_ID_CHARS)
        except ValueRejected as exc:
            self.report.add(row, field_name, f"unusable record id: {exc}")
            return None
        if not text:
            self.report.add(row, field_name, "empty record id: every record needs an id")
            return None
        return Record(
            id=entity_id(self.ctx.agency, self.ctx.source, text),
            schema=schema,
            source_record=text,
        )

    def add(
        self,
        record: Record,
        plan: PropPlan,
        raw: str,
        row: int | None,
        field_name: str,
        original: str | None = None,
    ) -> None:
        """Clean one raw value into ``record`` (or report why not); phones wait for finish()."""
        if plan.type_name == "phone":
            self._phones.append((plan, raw, field_name))
            return
        if plan.type_name == "entity":
            # References stay raw here; the reference ledger resolves them once every
            # record id of the file is known.
            try:
                text = clean_text(raw, MAX_ID_CHARS)
            except ValueRejected as exc:
                self._rejected.add(plan.name)
                self.report.add(row, field_name, f"{plan.name}: {exc}")
                return
            if text:
                record.add(plan.name, text)
            return
        try:
            value = plan.clean(raw, self.ctx.max_field_chars)
        except ValueRejected as exc:
            self._rejected.add(plan.name)
            self.report.add(row, field_name, f"{plan.name}: {exc}: {excerpt(raw)}")
            return
        record.add(plan.name, value, original if original is not None else raw.strip())

    def reject(self, prop: str, row: int | None, field_name: str, reason: str) -> None:
        """Report a value refused before cleaning (e.g. a JSON value of the wrong type)."""
        self._rejected.add(prop)
        self.report.add(row, field_name, reason)

    def add_cell(
        self, record: Record, plan: PropPlan, cell: str, row: int | None, field_name: str
    ) -> None:
        """One CSV-style cell: empty means no value; list types split on ``;``."""
        if not cell:
            return
        if plan.split and SEPARATOR in cell:
            for part in cell.split(SEPARATOR):
                if part.strip():
                    self.add(record, plan, part, row, field_name)
            return
        if cell.isspace():
            return
        self.add(record, plan, cell, row, field_name)

    def add_cells(
        self,
        record: Record,
        plans: list[tuple[int, str, PropPlan]],
        cells: list[str],
        row: int | None,
    ) -> None:
        """``add_cell`` for each (column, field name, plan) of a row, with a quick way for
        the usual cell: one ASCII value, printable, within the size limit. Such a value
        needs no Unicode normalisation, and stripping it is all the text cleaning does;
        any other cell takes ``add_cell``, so values and messages are the same."""
        max_chars = self.ctx.max_field_chars
        props = record.properties
        for index, field_name, plan in plans:
            cell = cells[index]
            if not cell:
                continue
            step = plan.step
            if step is not None and cell.isascii() and not (plan.split and SEPARATOR in cell):
                text = cell.strip()
                if text and len(text) <= max_chars and text.isprintable():
                    name = plan.name
                    try:
                        value = step(text)
                    except ValueRejected as exc:
                        self._rejected.add(name)
                        self.report.add(row, field_name, f"{name}: {exc}: {excerpt(cell)}")
                        continue
                    # What record.add(name, value, text) does, without the call.
                    values = props.get(name)
                    if values is None:
                        props[name] = [value]
                    elif value in values:
                        continue
                    else:
                        values.append(value)
                    if text != value:
                        record.originals[(name, value)] = text
                    continue
            self.add_cell(record, plan, cell, row, field_name)

    def mark(self, record: Record, raw: dict[str, Any], row: int | None) -> None:
        """Apply per-record marking fields (blank ones inherit the import's markings)."""
        given = tuple(
            (k, str(v).strip()) for k, v in raw.items() if v is not None and str(v).strip()
        )
        if not given:
            return
        found = self._markings.get(given)
        if found is None:
            found = self._parse_markings(given)
            self._markings[given] = found
        if isinstance(found, Markings):
            record.markings = found
        else:
            self.report.add(row, found[0], found[1])

    def _parse_markings(self, given: tuple[tuple[str, str], ...]) -> Markings | tuple[str, str]:
        for name, value in given:
            try:
                Markings.parse({name: value})
            except ValueError as exc:
                return name, str(exc)
        try:
            return Markings.parse(self.ctx.markings.to_dict() | dict(given))
        except ValueError as exc:
            return given[0][0], str(exc)

    def finish(self, record: Record, row: int | None) -> Record:
        """Clean deferred phone numbers (now that the record's country is known), check
        required properties, and return the record."""
        for plan, raw, field_name in self._phones:
            region = self._phone_region(record, plan.name)
            try:
                text = clean_text(raw, self.ctx.max_field_chars)
                if not text:
                    continue
                value = self._phone(text, region)
            except ValueRejected as exc:
                self._rejected.add(plan.name)
                self.report.add(row, field_name, f"{plan.name}: {exc}: {excerpt(raw)}")
                continue
            record.add(plan.name, value, text)
        self._phones = []
        for name in record.schema.required:
            if not record.properties.get(name) and name not in self._rejected:
                self.report.add(
                    row, name, f"missing required property {name!r} of {record.schema.name}"
                )
        return record

    def _phone(self, text: str, region: str | None) -> str:
        """Parse a phone number, remembering results: the same numbers recur across a
        file's records, and parsing one is the dearest step of cleaning a row."""
        key = (text, region)
        found = self._phone_cache.get(key)
        if found is None:
            try:
                found = clean_phone(text, region)
            except ValueRejected as exc:
                found = exc
            if len(self._phone_cache) >= PHONE_CACHE:
                self._phone_cache.clear()
            self._phone_cache[key] = found
        if isinstance(found, ValueRejected):
            raise ValueRejected(str(found))
        return found

    def _phone_region(self, record: Record, prop: str) -> str | None:
        for country_prop in (PHONE_COUNTRY.get(prop), "country"):
            if country_prop:
                for value in record.properties.get(country_prop, ()):
                    if len(value) == 2:
                        return value
        return self.ctx.region
