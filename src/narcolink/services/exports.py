"""Exporting what an agency may see, as FtM entity JSON lines or CSV, with its markings.

Records come only from the actor's View, so nothing another agency has not shared can
leave; a shared record keeps its originator's agency and markings in the export. Both
formats import back into narcolink (the FtM ``narcolink`` block carries the markings;
the CSV has the marking columns of the CSV import format).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal, TextIO

from narcolink.exc import BadRequest, Conflict
from narcolink.ingest.builder import MARKING_FIELDS, SPLIT_TYPES
from narcolink.model.roles import Actor, Permission
from narcolink.model.vocabulary import get_schema
from narcolink.services.node import Node, require
from narcolink.store.view import View

EXPORT_FORMATS = ("ftm", "csv")
MARKING_COLUMNS = MARKING_FIELDS
# Values of SPLIT_TYPES never contain ";", so CSV packs them into one cell (as the CSV
# import splits them); other multi-valued properties get one repeated column per value.


def _time(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value) if value is not None else None


def _markings(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in MARKING_COLUMNS}


def ftm_entity(row: dict[str, Any], props: dict[str, list[str]]) -> dict[str, Any]:
    """One entity in FtM's JSON form, with a ``narcolink`` block for provenance and handling."""
    return {
        "id": row["id"],
        "schema": row["schema"],
        "caption": row["caption"],
        "properties": props,
        "narcolink": {
            "agency": row["agency"],
            "markings": _markings(row),
            "first_seen": _time(row["first_seen"]),
            "last_seen": _time(row["last_seen"]),
        },
    }


def _write_ftm(view: View, out: TextIO, schema: str | None, own_only: bool) -> int:
    count = 0
    for row, props in view.iter_entities(schema=schema, own_only=own_only):
        out.write(json.dumps(ftm_entity(row, props), ensure_ascii=False, sort_keys=True))
        out.write("\n")
        count += 1
    return count


def _csv_columns(view: View, schema: str | None, own_only: bool) -> list[tuple[str, int]]:
    """(property, number of columns) for the properties the exported records use."""
    widths: dict[str, int] = {}
    for row, props in view.iter_entities(schema=schema, own_only=own_only):
        model = get_schema(row["schema"])
        for prop, values in props.items():
            prop_model = model.properties.get(prop)
            split = prop_model is not None and prop_model.type.name in SPLIT_TYPES
            widths[prop] = max(widths.get(prop, 1), 1 if split else len(values))
    return sorted(widths.items())


def _csv_rows(
    view: View, schema: str | None, own_only: bool, columns: list[tuple[str, int]]
) -> Iterator[list[str]]:
    known = {prop for prop, _ in columns}
    for row, props in view.iter_entities(schema=schema, own_only=own_only):
        if not known.issuperset(props):
            # Another import added a property between the two passes: no silent loss.
            raise Conflict("records changed while they were being exported; export again")
        model = get_schema(row["schema"])
        cells = [row["id"], row["schema"], row["agency"]]
        cells += [row[name] or "" for name in MARKING_COLUMNS]
        for prop, width in columns:
            values = props.get(prop, [])
            prop_model = model.properties.get(prop)
            if prop_model is not None and prop_model.type.name in SPLIT_TYPES:
                cells.append(";".join(values))
            elif len(values) > width:
                raise Conflict("records changed while they were being exported; export again")
            else:
                cells += values + [""] * (width - len(values))
        yield cells


def _write_csv(view: View, out: TextIO, schema: str | None, own_only: bool) -> int:
    columns = _csv_columns(view, schema, own_only)
    writer = csv.writer(out, lineterminator="\n")
    header = ["id", "schema", "agency", *MARKING_COLUMNS]
    for prop, width in columns:
        header += [prop] * width
    writer.writerow(header)
    count = 0
    for cells in _csv_rows(view, schema, own_only, columns):
        writer.writerow(cells)
        count += 1
    return count


def export_entities(
    node: Node,
    actor: Actor,
    out: TextIO,
    *,
    fmt: Literal["ftm", "csv"] | str = "ftm",
    schema: str | None = None,
    own_only: bool = False,
) -> int:
    """Write every entity the actor may see (optionally one schema, or only the agency's
    own) to ``out``; returns how many. Audited with the count and the format."""
    require(actor, Permission.EXPORT)
    if fmt not in EXPORT_FORMATS:
        raise BadRequest(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if schema is not None:
        schema = get_schema(schema).name
    with node.view(actor) as view:
        if fmt == "ftm":
            count = _write_ftm(view, out, schema, own_only)
        else:
            count = _write_csv(view, out, schema, own_only)
        node.audit(
            view.conn,
            actor,
            "export",
            "entities",
            schema,
            format=fmt,
            count=count,
            schema=schema,
            own_only=own_only,
        )
    return count
