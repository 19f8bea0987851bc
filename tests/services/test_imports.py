"""Imports against a real store: examples load, bad files write nothing, re-imports are
idempotent, and hostile strings are only ever data."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from narcolink import exc
from narcolink.model.markings import TLP, Markings
from narcolink.model.records import entity_id
from narcolink.model.roles import Actor, Role
from narcolink.model.vocabulary import get_schema
from narcolink.services.imports import import_file, validate_file
from narcolink.services.node import Node
from narcolink.store import tables as t
from narcolink.store.base import utcnow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
BAD = ROOT / "tests" / "ingest" / "bad"

# Load order: a file's references point at records of files loaded before it.
EXAMPLE_ORDER = [
    ("persons.csv", 7),
    ("medmax.jsonl", 6),
    ("companies.ftm.json", 4),
    ("seizures.csv", 2),
    ("seized_items.csv", 3),
    ("drug_samples.csv", 1),
    ("consignments.csv", 4),
    ("online_listings.csv", 2),
    ("pre_export_notifications.csv", 2),
    ("chemical_shipments.csv", 1),
]

SQL = "'); DROP TABLE entities;--"
HTML = "<script>alert(1)</script>"


def who(agency: str, role: Role) -> Actor:
    return Actor(f"{agency}-{role.value}", agency, frozenset({role}))


NCB = who("ncb", Role.ANALYST)
DEA = who("dea", Role.ANALYST)


def counts(node: Node) -> dict[str, int]:
    tables = {
        "entities": t.entities,
        "statements": t.statements,
        "batches": t.batches,
        "search_keys": t.search_keys,
    }
    with node.store.engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in tables.items()
        }


def audit_rows(node: Node, action: str) -> list[dict[str, Any]]:
    with node.store.engine.connect() as conn:
        rows = conn.execute(
            select(t.audit_log).where(t.audit_log.c.action == action).order_by(t.audit_log.c.seq)
        ).mappings()
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]


def properties(node: Node, actor: Actor, eid: str) -> dict[str, list[str]]:
    with node.view(actor) as view:
        return view.get(eid).properties


def load_examples(node: Node, actor: Actor = NCB, source: str = "medmax") -> None:
    for name, _ in EXAMPLE_ORDER:
        import_file(node, actor, EXAMPLES / name, source=source)


def test_every_example_file_imports(node: Node) -> None:
    for name, expected in EXAMPLE_ORDER:
        result = import_file(node, NCB, EXAMPLES / name, source="medmax")
        assert (result.records, result.unchanged) == (expected, False), name
    total = sum(n for _, n in EXAMPLE_ORDER)
    after = counts(node)
    assert (after["entities"], after["batches"]) == (total, len(EXAMPLE_ORDER))
    audits = audit_rows(node, "import")
    assert [a["detail"]["file"] for a in audits] == [n for n, _ in EXAMPLE_ORDER]
    assert all(a["detail"]["ok"] and a["actor"] == NCB.username for a in audits)

    seizure = entity_id("ncb", "medmax", "SZ-001")
    item = properties(node, NCB, entity_id("ncb", "medmax", "SI-001"))
    assert item["seizure"] == [seizure]
    with node.view(NCB) as view:
        related = {(r["schema"], r["direction"]) for r in view.related(seizure)}
    assert {
        ("Person", "out"),
        ("Vehicle", "out"),
        ("SeizedItem", "in"),
        ("DrugSample", "in"),
    } <= related
    rahul = properties(node, NCB, entity_id("ncb", "medmax", "P-001"))
    assert rahul["alias"] == ["राहुल वर्मा"]
    assert rahul["phone"] == ["+919810000011", "+919810000012"]


def test_mapped_register_imports(node: Node) -> None:
    result = import_file(
        node,
        NCB,
        EXAMPLES / "delhi_seizure_register.csv",
        source="delhi-register",
        mapping=EXAMPLES / "delhi_seizure_register.yml",
    )
    assert (result.records, result.unchanged) == (9, False)
    seizure = properties(node, NCB, entity_id("ncb", "delhi-register", "NCB/DZU/CR-060/2025"))
    assert seizure["date"] == ["2025-07-19"]
    again = import_file(
        node,
        NCB,
        EXAMPLES / "delhi_seizure_register.csv",
        source="delhi-register",
        mapping=EXAMPLES / "delhi_seizure_register.yml",
    )
    assert again.unchanged


def test_reimporting_the_same_file_changes_nothing(node: Node) -> None:
    first = import_file(node, NCB, EXAMPLES / "persons.csv", source="medmax")
    before = counts(node)
    again = import_file(node, NCB, EXAMPLES / "persons.csv", source="medmax")
    assert (again.unchanged, again.batch_id, again.records) == (True, first.batch_id, 0)
    assert counts(node) == before
    last = audit_rows(node, "import")[-1]
    assert last["detail"]["unchanged"] is True and last["object_id"] == first.batch_id


def test_changed_file_reimport_does_not_duplicate(node: Node, tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text("id,name,phone\nP-1,Ann Lee,98100 00011\nP-2,Bee Rao,98100 00021\n")
    import_file(node, NCB, path, source="register")
    before = counts(node)
    path.write_text(
        "id,name,phone\nP-1,Ann Lee,98100 00011\nP-2,Bee Rao,98100 00022\nP-3,Cy Das,\n"
    )
    result = import_file(node, NCB, path, source="register")
    assert (result.unchanged, result.records) == (False, 3)
    after = counts(node)
    assert after["entities"] == before["entities"] + 1
    # P-3's name and P-2's new phone are the only new statements; nothing repeated.
    assert after["statements"] == before["statements"] + 2
    assert after["batches"] == before["batches"] + 1
    bee = properties(node, NCB, entity_id("ncb", "register", "P-2"))
    assert bee["phone"] == ["+919810000021", "+919810000022"]  # history kept, append-only


BAD_FILES = [
    (
        "persons_bad_values.csv",
        [(2, "country"), (3, "phone"), (4, "birthDate"), (5, "email"), (6, "id")],
    ),
    ("persons_unknown_property.csv", [(0, "shoeSize")]),
    ("persons_cut_off.csv", [(2, None)]),
    ("persons_latin1.csv", [(1, None)]),
    ("persons_utf16.csv", [(None, None)]),
    ("seizures_dangling_reference.csv", [(1, "personsInvolved")]),
    ("unknown_schema.jsonl", [(1, "schema")]),
]


@pytest.mark.parametrize(("name", "where"), BAD_FILES)
def test_bad_files_are_refused_whole(node: Node, name: str, where: list[tuple[Any, Any]]) -> None:
    import_file(node, NCB, EXAMPLES / "persons.csv", source="medmax")
    before = counts(node)
    with pytest.raises(exc.InvalidInput) as caught:
        import_file(node, NCB, BAD / name, source="medmax")
    report = caught.value.report
    assert [(i.row, i.field) for i in report.issues] == where
    assert all(i.file == name and i.reason for i in report.issues)
    assert name in caught.value.detail
    assert counts(node) == before
    failed = audit_rows(node, "import")[-1]
    assert failed["detail"]["ok"] is False and failed["detail"]["file"] == name


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        ("id,name,notes\nP-1,Ann," + "x" * 1_000_000 + "\n", "notes", "the limit is"),
        ("id,name\nP-1,Ann\nP-1,Ann\n", "id", "duplicate record id"),
        ("id,name\nP-1,An\x00n\n", None, "NUL"),
        ("id,name\nP-1,Ann\n", None, None),  # control: this one imports
    ],
)
def test_generated_bad_inputs(
    node: Node, tmp_path: Path, content: str, field: str | None, words: str | None
) -> None:
    path = tmp_path / "persons.csv"
    path.write_bytes(content.encode())
    before = counts(node)
    if words is None:
        assert import_file(node, NCB, path, source="s").records == 1
        return
    with pytest.raises(exc.InvalidInput) as caught:
        import_file(node, NCB, path, source="s")
    issue = caught.value.report.issues[0]
    assert (issue.file, issue.field) == ("persons.csv", field)
    assert words in issue.reason
    assert counts(node) == before


def _free_text_properties(schema_name: str) -> list[str]:
    schema = get_schema(schema_name)
    return sorted(
        name
        for name, prop in schema.properties.items()
        if not prop.stub and prop.type.name in {"string", "text", "name", "address"}
    )


@pytest.mark.parametrize("schema", ["Person", "Seizure", "Consignment", "OnlineListing"])
def test_injection_strings_in_every_field_are_stored_verbatim(
    node: Node, tmp_path: Path, schema: str
) -> None:
    props = _free_text_properties(schema)
    required = [p for p in get_schema(schema).required if p not in props]
    header = ["id", *props, *required]
    # Required typed properties get valid values; every free-text field gets the strings.
    filler = {"url": "https://example.com/x", "trackingNumber": "EE1"}
    rows = [
        [SQL, *[SQL] * len(props), *[filler.get(p, "x") for p in required]],
        [HTML, *[HTML] * len(props), *[filler.get(p, "x") for p in required]],
    ]
    path = tmp_path / "hostile.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    result = import_file(node, NCB, path, source=SQL, schema=schema, display_name=f"{HTML}.csv")
    assert result.records == 2
    for source_id, value in ((SQL, SQL), (HTML, HTML)):
        stored = properties(node, NCB, entity_id("ncb", SQL, source_id))
        assert {p: stored[p] for p in props} == {p: [value] for p in props}
    with node.view(NCB) as view:
        assert view.count() == 2  # the entities table is still there
        assert view.batches()[0]["filename"] == f"{HTML}.csv"


@pytest.mark.parametrize("field", ["phone", "birthDate", "country", "email", "nationality"])
def test_injection_strings_in_typed_fields_are_refused(
    node: Node, tmp_path: Path, field: str
) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(f'id,name,{field}\nP-1,Ann,"{SQL}"\nP-2,Bee,{HTML}\n', encoding="utf-8")
    before = counts(node)
    with pytest.raises(exc.InvalidInput) as caught:
        import_file(node, NCB, path, source="s")
    # (A list type splits the SQL string on ";" and refuses each part.)
    assert {(i.row, i.field) for i in caught.value.report.issues} == {(1, field), (2, field)}
    assert counts(node) == before


def test_roles_without_import_are_refused(node: Node) -> None:
    for role in (Role.LIAISON, Role.ADMIN, Role.AUDITOR):
        with pytest.raises(exc.Forbidden):
            import_file(node, who("ncb", role), EXAMPLES / "persons.csv", source="s")
        with pytest.raises(exc.Forbidden):
            validate_file(node, who("ncb", role), EXAMPLES / "persons.csv", source="s")
    assert counts(node)["entities"] == 0


def test_validate_file_writes_only_its_audit_row(node: Node) -> None:
    before = counts(node)
    good = validate_file(node, NCB, EXAMPLES / "persons.csv", source="medmax")
    bad = validate_file(node, NCB, BAD / "persons_bad_values.csv", source="medmax")
    assert good.ok and good.rows_read == 7
    assert not bad.ok and len(bad.issues) == 5
    assert counts(node) == before
    assert [a["detail"]["ok"] for a in audit_rows(node, "validate")] == [True, False]


def test_references_to_other_agencies_unshared_records_are_not_found(
    node: Node, tmp_path: Path
) -> None:
    import_file(node, DEA, EXAMPLES / "persons.csv", source="dea-cases")
    hidden = entity_id("dea", "dea-cases", "P-007")
    nowhere = entity_id("dea", "dea-cases", "P-999")
    path = tmp_path / "seizures.csv"
    path.write_text(f"id,name,personsInvolved\nSZ-1,Seizure,{hidden}\nSZ-2,Other,{nowhere}\n")
    with pytest.raises(exc.InvalidInput) as caught:
        import_file(node, NCB, path, source="medmax")
    hidden_issue, missing_issue = caught.value.report.issues
    # The same words as for a record that does not exist at all: existence does not leak.
    assert hidden_issue.reason.replace(hidden, "X") == missing_issue.reason.replace(nowhere, "X")
    with node.transaction() as conn:
        conn.execute(
            t.shares.insert().values(
                entity_id=hidden,
                recipient="ncb",
                shared_by="dea-supervisor",
                purpose="joint operation",
                created_at=utcnow(),
            )
        )
    path.write_text(f"id,name,personsInvolved\nSZ-1,Seizure,{hidden}\n")
    result = import_file(node, NCB, path, source="medmax")
    seizure = properties(node, NCB, entity_id("ncb", "medmax", "SZ-1"))
    assert result.records == 1 and seizure["personsInvolved"] == [hidden]


def test_a_record_keeps_its_schema_across_imports(node: Node, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("id,name\nX-1,Acme\n")
    import_file(node, NCB, path, source="s", schema="Person")
    path.write_text("id,name\nX-1,Acme\nX-2,Other\n")
    with pytest.raises(exc.InvalidInput) as caught:
        import_file(node, NCB, path, source="s", schema="Company")
    assert "before as a Person" in caught.value.report.issues[0].reason


def test_import_markings_apply_to_the_batch(node: Node) -> None:
    import_file(
        node, NCB, EXAMPLES / "persons.csv", source="s", markings=Markings(tlp=TLP.AMBER_STRICT)
    )
    with node.view(NCB) as view:
        batch = view.batches()[0]
        rows = {r["caption"]: r for r, _ in view.iter_entities()}
    assert batch["markings"]["tlp"] == "AMBER+STRICT"
    # Rows with their own tlp column keep it; the pap column is blank, so the batch's applies.
    assert rows["Prakash Shetty"]["tlp"] == "RED"
    assert rows["Rahul Verma"]["tlp"] == "AMBER"
    with pytest.raises(exc.BadRequest):
        import_file(node, NCB, EXAMPLES / "persons.csv", source="s", markings={"tlp": "PINK"})


def test_unusable_arguments(node: Node, tmp_path: Path) -> None:
    odd = tmp_path / "persons.xlsx"
    odd.write_bytes(b"PK")
    with pytest.raises(exc.BadRequest, match="extension"):
        import_file(node, NCB, odd, source="s")
    with pytest.raises(exc.BadRequest, match="source"):
        import_file(node, NCB, EXAMPLES / "persons.csv", source="  ")
    with pytest.raises(exc.BadRequest, match="no such file"):
        import_file(node, NCB, tmp_path / "missing.csv", source="s")
    with pytest.raises(exc.BadRequest, match="format"):
        import_file(node, NCB, EXAMPLES / "persons.csv", source="s", fmt="xml")
    mapping = tmp_path / "broken.yml"
    mapping.write_text("entities: [")
    with pytest.raises(exc.InvalidInput) as caught:
        import_file(node, NCB, EXAMPLES / "delhi_seizure_register.csv", source="s", mapping=mapping)
    assert caught.value.report.issues[0].file == "broken.yml"
    assert counts(node)["entities"] == 0
