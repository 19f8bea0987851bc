"""Render the per-record-type CSV formats of docs/formats.md from the example files.

Each example CSV under ``examples/`` is the reference file of one record type; its columns
are documented here with the schema's label, type and requirement, and the example's
first value, so the documentation, the examples and the schema cannot drift apart
(``tests/ingest/test_formats_doc.py`` compares the committed text with this output).

Regenerate with ``narcolink docs formats``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from followthemoney.property import Property

from narcolink.ingest.builder import MARKING_FIELDS, SPLIT_TYPES
from narcolink.ingest.csvfile import schema_from_filename
from narcolink.model.vocabulary import get_property, get_schema, narcolink_schema_names

BEGIN = "<!-- BEGIN GENERATED record types by `narcolink docs formats` -->"
END = "<!-- END GENERATED record types -->"
EXAMPLE_CHARS = 40

# Reference files, in the order an import of the MED MAX examples loads them.
RECORD_FILES = [
    "persons.csv",
    "seizures.csv",
    "seized_items.csv",
    "drug_samples.csv",
    "consignments.csv",
    "online_listings.csv",
    "pre_export_notifications.csv",
    "chemical_shipments.csv",
]


def _cell(text: object) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def _example(value: str) -> str:
    value = " ".join(value.split())
    if len(value) > EXAMPLE_CHARS:
        value = value[: EXAMPLE_CHARS - 1] + "…"
    return f"`{_cell(value)}`" if value else ""


def _type(prop: Property) -> str:
    if prop.type.name == "entity" and prop.range is not None:
        return f"reference to {prop.range.name}"
    return prop.type.name


def render_record_types(examples: Path) -> str:
    """The generated block: one section per record type, with its column table."""
    out = [BEGIN, ""]
    ours = set(narcolink_schema_names())
    for name in RECORD_FILES:
        with (examples / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header, data = rows[0], rows[1:]
        schema_name = schema_from_filename(name)
        assert schema_name, name
        schema = get_schema(schema_name)
        out += [
            f"### {schema.label} (`{schema.name}`): `{name}`",
            "",
            _cell(schema.description),
            "",
            "| column | meaning | type | required | several values | example |",
            "|---|---|---|---|---|---|",
        ]
        for index, column in enumerate(header):
            sample = next((r[index] for r in data if index < len(r) and r[index]), "")
            if column == "id":
                meaning, kind, required, several = "source record id", "text", "yes", "no"
            elif column in MARKING_FIELDS:
                meaning, kind, required, several = "marking (see below)", "marking", "no", "no"
            else:
                prop = get_property(schema, column)
                meaning = prop.label + (f": {prop.description}" if prop.description else "")
                kind = _type(prop)
                required = "yes" if column in schema.required else "no"
                several = "`;`-separated" if prop.type.name in SPLIT_TYPES else "repeat column"
            out.append(
                f"| `{column}` | {_cell(meaning)} | {kind} | {required} | {several} | "
                f"{_example(sample)} |"
            )
        anchor = schema.name.lower() if schema.name in ours else "followthemoney-schemata"
        out += ["", f"All properties: [{schema.name} in the data model](model.md#{anchor}).", ""]
    out.append(END)
    return "\n".join(out)


def update(examples: Path, doc: Path) -> None:
    """Replace the generated block of ``doc`` with a fresh rendering."""
    text = doc.read_text(encoding="utf-8")
    start, stop = text.index(BEGIN), text.index(END) + len(END)
    doc.write_text(text[:start] + render_record_types(examples) + text[stop:], encoding="utf-8")
