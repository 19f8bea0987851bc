"""Exports: only what the View shows, with markings, in forms that import back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from narcolink import exc
from narcolink.model.records import entity_id
from narcolink.model.roles import Actor, Role
from narcolink.model.vocabulary import get_schema
from narcolink.services.exports import export_entities
from narcolink.services.imports import import_file
from narcolink.services.node import Node
from narcolink.services.sharing import share
from narcolink.store import tables as t

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ORDER = [
    "persons.csv",
    "medmax.jsonl",
    "companies.ftm.json",
    "seizures.csv",
    "seized_items.csv",
    "drug_samples.csv",
    "consignments.csv",
    "online_listings.csv",
    "pre_export_notifications.csv",
    "chemical_shipments.csv",
]


def who(agency: str, role: Role) -> Actor:
    return Actor(f"{agency}-{role.value}", agency, frozenset({role}))


NCB = who("ncb", Role.ANALYST)
DEA = who("dea", Role.ANALYST)
DEA_SUPERVISOR = who("dea", Role.SUPERVISOR)


def load(node: Node, actor: Actor = NCB, source: str = "medmax") -> None:
    for name in ORDER:
        import_file(node, actor, EXAMPLES / name, source=source)


def export(node: Node, actor: Actor = NCB, **kwargs: Any) -> tuple[int, str]:
    out = io.StringIO()
    count = export_entities(node, actor, out, **kwargs)
    return count, out.getvalue()


def snapshot(node: Node, actor: Actor, source: str | None = None) -> dict[str, dict[str, Any]]:
    """Every visible entity's row and properties, by id."""
    with node.view(actor) as view:
        return {
            row["id"]: {"row": row, "props": props}
            for row, props in view.iter_entities()
            if source is None or row["source"] == source
        }


def test_ftm_export_carries_markings_and_provenance(node: Node) -> None:
    load(node)
    count, text = export(node, fmt="ftm")
    entities = [json.loads(line) for line in text.splitlines()]
    assert count == len(entities) == 32
    by_id = {e["id"]: e for e in entities}
    shetty = by_id[entity_id("ncb", "medmax", "P-005")]
    assert shetty["schema"] == "Person"
    assert shetty["properties"]["alias"] == ["ಪ್ರಕಾಶ್ ಶೆಟ್ಟಿ"]
    block = shetty["narcolink"]
    assert block["agency"] == "ncb"
    assert block["markings"] == {
        "tlp": "RED",
        "pap": "AMBER",
        "handling": "H1",
        "source_grading": "admiralty:B",
        "info_grading": "admiralty:3",
    }
    assert block["first_seen"] and block["last_seen"]
    with node.store.engine.connect() as conn:
        row = (
            conn.execute(select(t.audit_log).where(t.audit_log.c.action == "export"))
            .mappings()
            .one()
        )
    assert json.loads(row["detail"])["count"] == 32
    assert json.loads(row["detail"])["format"] == "ftm"


@pytest.mark.parametrize("fmt", ["ftm", "csv"])
def test_round_trip_into_another_source(node: Node, tmp_path: Path, fmt: str) -> None:
    load(node)
    _, text = export(node, fmt=fmt)
    path = tmp_path / ("export.json" if fmt == "ftm" else "export.csv")
    path.write_text(text, encoding="utf-8")
    result = import_file(node, NCB, path, source="copy")
    originals = snapshot(node, NCB, "medmax")
    copies = snapshot(node, NCB, "copy")
    assert result.records == len(originals) == len(copies)

    def copy_of(eid: str) -> str:
        return entity_id("ncb", "copy", eid)

    for eid, original in originals.items():
        copy = copies[copy_of(eid)]
        schema = get_schema(original["row"]["schema"])
        expected = {
            prop: sorted(
                copy_of(v) if schema.properties[prop].type.name == "entity" else v for v in values
            )
            for prop, values in original["props"].items()
        }
        assert {p: sorted(v) for p, v in copy["props"].items()} == expected, eid
        for mark in ("tlp", "pap", "handling", "source_grading", "info_grading"):
            assert copy["row"][mark] == original["row"][mark], (eid, mark)


def test_csv_export_is_one_table_with_marking_columns(node: Node) -> None:
    load(node)
    count, text = export(node, fmt="csv", schema="Person")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header[:8] == [
        "id",
        "schema",
        "agency",
        "tlp",
        "pap",
        "handling",
        "source_grading",
        "info_grading",
    ]
    assert count == len(rows) - 1 == 7
    assert {r[1] for r in rows[1:]} == {"Person"}
    phone = header.index("phone")
    rahul = next(r for r in rows if r[0] == entity_id("ncb", "medmax", "P-001"))
    assert rahul[phone] == "+919810000011;+919810000012"


def test_other_agencies_records_only_when_shared(node: Node) -> None:
    load(node)
    import_file(
        node,
        DEA,
        EXAMPLES / "persons.csv",
        source="dea-cases",
        markings={"tlp": "AMBER+STRICT", "pap": "RED", "handling": "H2"},
    )
    dea_ids = {entity_id("dea", "dea-cases", f"P-00{n}") for n in range(1, 8)}

    _, text = export(node, fmt="ftm")
    assert not dea_ids & {json.loads(line)["id"] for line in text.splitlines()}
    _, table = export(node, fmt="csv")
    assert not any(eid in table for eid in dea_ids)

    brooks = entity_id("dea", "dea-cases", "P-007")
    share(node, DEA_SUPERVISOR, brooks, "ncb", "joint operation")
    count, text = export(node, fmt="ftm")
    exported = {e["id"]: e for e in map(json.loads, text.splitlines())}
    assert count == 33
    assert set(exported) & dea_ids == {brooks}
    assert exported[brooks]["narcolink"]["agency"] == "dea"
    marks = exported[brooks]["narcolink"]["markings"]
    # The row's own tlp column (AMBER) wins; pap and handling come from DEA's import.
    assert (marks["tlp"], marks["pap"], marks["handling"]) == ("AMBER", "RED", "H2")

    own, _ = export(node, fmt="ftm", own_only=True)
    assert own == 32


def test_export_needs_the_export_permission(node: Node) -> None:
    load(node)
    for role in (Role.ADMIN, Role.AUDITOR):
        with pytest.raises(exc.Forbidden):
            export(node, who("ncb", role))
    with pytest.raises(exc.BadRequest):
        export(node, fmt="xml")
    with pytest.raises(exc.BadRequest):
        export(node, fmt="csv", schema="Smuggler")
    with node.store.engine.connect() as conn:
        assert (
            conn.execute(select(t.audit_log).where(t.audit_log.c.action == "export")).first()
            is None
        )


def test_csv_export_refuses_records_that_changed_between_its_passes(
    node: Node, tmp_path: Path
) -> None:
    from narcolink.services.exports import _csv_rows

    path = tmp_path / "persons.csv"
    path.write_text("id,name,alias,alias,phone\nP-1,Ann Lee,Annie,A. Lee,98100 00011\n")
    import_file(node, NCB, path, source="s")
    with node.view(NCB) as view:
        # As if another import had changed the records after the header was worked out:
        # a property the header lacks, or more values than the header has columns for.
        with pytest.raises(exc.Conflict):
            list(_csv_rows(view, None, False, [("alias", 2), ("name", 1)]))
        with pytest.raises(exc.Conflict):
            list(_csv_rows(view, None, False, [("alias", 1), ("name", 1), ("phone", 1)]))
        rows = list(_csv_rows(view, None, False, [("alias", 2), ("name", 1), ("phone", 1)]))
    assert rows[0][-4:] == ["A. Lee", "Annie", "Ann Lee", "+919810000011"]
