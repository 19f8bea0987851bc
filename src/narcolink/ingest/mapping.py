"""Declarative mapping files (YAML): how an agency's own CSV export becomes records.

A mapping names, for each entity built from a row, its schema, an id template and where
each property's values come from (a column, several columns, a constant, a template, or
another entity of the same row), with split characters and date formats. The format is
documented in docs/formats.md; this module parses and checks a mapping, ``mapped`` applies
it to rows.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from narcolink.exc import Issue, NarcolinkError, ValidationReport
from narcolink.ingest.builder import MARKING_FIELDS
from narcolink.model.vocabulary import get_property, get_schema

ROW = "row"  # the placeholder for the 1-based data row number
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
TOP_KEYS = frozenset({"description", "csv", "entities", "markings"})
ENTITY_KEYS = frozenset({"schema", "id", "optional", "properties"})
SOURCE_KEYS = ("column", "columns", "value", "values", "template", "entity")
PROPERTY_KEYS = frozenset({*SOURCE_KEYS, "join", "split", "date_format"})
_TIME_DIRECTIVES = ("%H", "%I", "%M", "%S", "%p", "%f", "%X", "%c", "%T", "%R")


@dataclass(frozen=True)
class Template:
    """Text with ``{column}`` placeholders (``{{`` and ``}}`` for literal braces)."""

    parts: tuple[tuple[str, str | None], ...]

    @classmethod
    def parse(cls, text: str) -> Template:
        parts: list[tuple[str, str | None]] = []
        last = 0
        for match in _PLACEHOLDER.finditer(text):
            literal = text[last : match.start()]
            token = match.group(0)
            if token in ("{{", "}}"):
                parts.append((literal + token[0], None))
            else:
                parts.append((literal, match.group(1).strip()))
            last = match.end()
        parts.append((text[last:], None))
        return cls(tuple(parts))

    @property
    def columns(self) -> list[str]:
        return [name for _, name in self.parts if name is not None and name != ROW]

    def render(self, get: Callable[[str], str]) -> tuple[str, list[str]]:
        """The rendered text and the placeholders that were empty in this row."""
        out: list[str] = []
        missing: list[str] = []
        for literal, name in self.parts:
            out.append(literal)
            if name is not None:
                value = get(name).strip()
                if not value:
                    missing.append(name)
                out.append(value)
        return "".join(out), missing


@dataclass(frozen=True)
class PropertySpec:
    """Where one property's values come from, and how they are transformed."""

    prop: str
    kind: str  # one of SOURCE_KEYS
    columns: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    template: Template | None = None
    entity: str | None = None
    join: str = " "
    split: str | None = None
    date_formats: tuple[str, ...] = ()

    def parse_date(self, raw: str) -> str | None:
        """ISO form of ``raw`` under the first matching format, or None."""
        for fmt in self.date_formats:
            try:
                parsed = datetime.strptime(raw, fmt)
            except ValueError:
                continue
            if any(d in fmt for d in _TIME_DIRECTIVES):
                return parsed.isoformat()
            return parsed.date().isoformat()
        return None


@dataclass(frozen=True)
class EntitySpec:
    key: str
    schema: str
    id: Template
    optional: bool
    properties: tuple[PropertySpec, ...]


@dataclass(frozen=True)
class MappingSpec:
    """A checked mapping; ``digest`` identifies its content for re-import detection."""

    name: str
    digest: str
    entities: tuple[EntitySpec, ...]
    markings: dict[str, str] = field(default_factory=dict)
    delimiter: str = ","

    @property
    def columns(self) -> set[str]:
        """Every column the mapping reads."""
        out = set(self.markings.values())
        for entity in self.entities:
            out.update(entity.id.columns)
            for prop in entity.properties:
                out.update(prop.columns)
                if prop.template is not None:
                    out.update(prop.template.columns)
        return out


class _Checker:
    """Collects problems in a mapping, located by a dotted path (``entities.x.id``)."""

    def __init__(self, name: str, report: ValidationReport) -> None:
        self.name = name
        self.report = report
        self.failed = False

    def problem(self, path: str, reason: str) -> None:
        self.failed = True
        if len(self.report.issues) < self.report.limit:
            self.report.issues.append(Issue(self.name, None, path, reason))

    def keys(self, data: dict[str, Any], allowed: frozenset[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(
                    f"{path}.{key}", f"unknown key (allowed: {', '.join(sorted(allowed))})"
                )

    def text(self, value: Any, path: str) -> str | None:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(path, "expected text")
            return None
        return str(value)

    def texts(self, value: Any, path: str) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        out = tuple(t for i, item in enumerate(items) if (t := self.text(item, f"{path}[{i}]")))
        if not out:
            self.problem(path, "expected one or more values")
        return out


def _property(
    check: _Checker, prop: str, raw: Any, path: str, entity_keys: set[str]
) -> PropertySpec | None:
    if isinstance(raw, str):
        return PropertySpec(prop, "column", columns=(raw,))
    if not isinstance(raw, dict):
        check.problem(
            path, "expected a column name or a mapping with one of " + ", ".join(SOURCE_KEYS)
        )
        return None
    check.keys(raw, PROPERTY_KEYS, path)
    kinds = [k for k in SOURCE_KEYS if k in raw]
    if len(kinds) != 1:
        check.problem(path, "give exactly one of " + ", ".join(SOURCE_KEYS))
        return None
    kind = kinds[0]
    spec: dict[str, Any] = {"kind": kind}
    if kind in ("column", "columns"):
        spec["columns"] = check.texts(raw[kind], f"{path}.{kind}")
    elif kind in ("value", "values"):
        spec["values"] = check.texts(raw[kind], f"{path}.{kind}")
    elif kind == "template":
        text = check.text(raw[kind], f"{path}.template")
        spec["template"] = Template.parse(text) if text else None
    else:
        target = check.text(raw[kind], f"{path}.entity")
        if target is not None and target not in entity_keys:
            check.problem(f"{path}.entity", f"no entity called {target!r} in this mapping")
        spec["entity"] = target
    for key in ("join", "split"):
        if key in raw:
            value = check.text(raw[key], f"{path}.{key}")
            if value == "" and key == "split":
                check.problem(f"{path}.split", "the split character cannot be empty")
            spec[key] = value
    if "date_format" in raw:
        spec["date_formats"] = check.texts(raw["date_format"], f"{path}.date_format")
        for fmt in spec["date_formats"]:
            if "%" not in fmt:
                check.problem(f"{path}.date_format", f"{fmt!r} has no % directive (e.g. %d/%m/%Y)")
    return PropertySpec(prop, **spec)


def _entity(check: _Checker, key: str, raw: Any, entity_keys: set[str]) -> EntitySpec | None:
    path = f"entities.{key}"
    if not isinstance(raw, dict):
        check.problem(path, "expected a mapping with schema, id and properties")
        return None
    check.keys(raw, ENTITY_KEYS, path)
    schema_name = check.text(raw.get("schema"), f"{path}.schema")
    id_text = check.text(raw.get("id"), f"{path}.id")
    props = raw.get("properties")
    if not isinstance(props, dict) or not props:
        check.problem(f"{path}.properties", "expected a mapping of property names")
        props = {}
    try:
        schema = get_schema(schema_name) if schema_name else None
    except NarcolinkError as exc:
        check.problem(f"{path}.schema", exc.detail)
        schema = None
    specs: list[PropertySpec] = []
    for prop, prop_raw in props.items():
        prop_path = f"{path}.properties.{prop}"
        if schema is not None:
            try:
                get_property(schema, str(prop))
            except NarcolinkError as exc:
                check.problem(prop_path, exc.detail)
                continue
        spec = _property(check, str(prop), prop_raw, prop_path, entity_keys)
        if spec is not None:
            specs.append(spec)
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        check.problem(f"{path}.optional", "expected true or false")
    if schema is None or not id_text:
        return None
    template = Template.parse(id_text)
    if not any(name for _, name in template.parts):
        check.problem(f"{path}.id", "the id template needs at least one {column} placeholder")
    return EntitySpec(key, schema.name, template, bool(optional), tuple(specs))


def parse_mapping(
    data: Any, name: str, report: ValidationReport, digest: str = ""
) -> MappingSpec | None:
    """Check a loaded mapping document; None (with issues in ``report``) when unusable."""
    check = _Checker(name, report)
    if not isinstance(data, dict):
        check.problem("", "a mapping file is a YAML mapping with an 'entities' key")
        return None
    check.keys(data, TOP_KEYS, "")
    entities_raw = data.get("entities")
    if not isinstance(entities_raw, dict) or not entities_raw:
        check.problem("entities", "expected a mapping of entity names to entity mappings")
        return None
    keys = {str(k) for k in entities_raw}
    entities = [_entity(check, str(k), v, keys) for k, v in entities_raw.items()]
    markings: dict[str, str] = {}
    marks_raw = data.get("markings") or {}
    if not isinstance(marks_raw, dict):
        check.problem("markings", "expected a mapping of marking fields to column names")
    else:
        for mark, column in marks_raw.items():
            if mark not in MARKING_FIELDS:
                check.problem(
                    f"markings.{mark}", f"not a marking field ({', '.join(MARKING_FIELDS)})"
                )
            elif (text := check.text(column, f"markings.{mark}")) is not None:
                markings[mark] = text
    delimiter = ","
    csv_raw = data.get("csv") or {}
    if not isinstance(csv_raw, dict):
        check.problem("csv", "expected a mapping (delimiter)")
    else:
        check.keys(csv_raw, frozenset({"delimiter"}), "csv")
        delimiter = str(csv_raw.get("delimiter", ","))
        if len(delimiter) != 1:
            check.problem("csv.delimiter", "the delimiter must be one character")
    if check.failed:
        return None
    return MappingSpec(
        name=name,
        digest=digest,
        entities=tuple(e for e in entities if e is not None),
        markings=markings,
        delimiter=delimiter,
    )


def load_mapping(
    path: Path, report: ValidationReport, display_name: str | None = None
) -> MappingSpec | None:
    """Read and check a mapping file; problems are reported against the mapping file."""
    name = display_name or path.name
    check = _Checker(name, report)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        check.problem("", f"cannot read the mapping file: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        check.problem("", "the mapping file is not UTF-8")
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        check.problem("", f"not valid YAML{where}: {getattr(exc, 'problem', None) or exc}")
        return None
    return parse_mapping(data, name, report, hashlib.sha256(raw).hexdigest())
