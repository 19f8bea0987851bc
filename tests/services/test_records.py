"""Records: search and the entity page, scoped to the caller's agency and audited."""

from __future__ import annotations

import uuid

import pytest

from narcolink import exc
from narcolink.model.markings import Markings
from narcolink.model.records import Batch, Record, entity_id
from narcolink.model.roles import Actor, Role
from narcolink.model.vocabulary import get_schema
from narcolink.services import records, sharing
from narcolink.services.node import Node
from narcolink.store import audit as audit_log
from narcolink.store.base import utcnow
from narcolink.store.writer import Writer

Rows = list[tuple[str, str, dict[str, list[str]]]]


def write(node: Node, agency: str, rows: Rows, markings: Markings | None = None) -> list[str]:
    """Write already-clean records for ``agency`` as one batch; return their ids."""
    batch = Batch(
        id=uuid.uuid4().hex,
        agency=agency,
        source="case-files",
        filename=f"{agency}-seed.csv",
        sha256=uuid.uuid4().hex,
        markings=markings or Markings(),
        created_by="seed",
        created_at=utcnow(),
    )
    ids = []
    with node.transaction() as conn, Writer(conn, batch) as writer:
        for source_record, schema, props in rows:
            record = Record(
                entity_id(agency, "case-files", source_record), get_schema(schema), source_record
            )
            for prop, values in props.items():
                for value in values:
                    record.add(prop, value)
            writer.write(record)
            ids.append(record.id)
    return ids


def actor(agency: str, role: Role) -> Actor:
    return Actor(f"{agency}-{role.value}", agency, frozenset({role}))


def audit_count(node: Node) -> int:
    with node.transaction() as conn:
        return audit_log.count(conn)


def last_audit(node: Node) -> dict:
    with node.transaction() as conn:
        return next(audit_log.recent(conn, limit=1))


@pytest.fixture
def world(node: Node) -> dict[str, str]:
    ravi = entity_id("ncb", "case-files", "p1")
    ncb = write(
        node,
        "ncb",
        [
            (
                "p1",
                "Person",
                {"name": ["Ravi Kumar"], "phone": ["+919812345678"], "birthDate": ["1990-01-02"]},
            ),
            ("p2", "Person", {"name": ["रवि कुमार"]}),
            (
                "s1",
                "Seizure",
                {
                    "name": ["Tramadol, Delhi vehicle check"],
                    "date": ["2025-05-14"],
                    "personsInvolved": [ravi],
                },
            ),
            ("x1", "Person", {"name": ["<script>alert(1)</script>"]}),
        ],
    )
    dea = write(node, "dea", [("d1", "Person", {"name": ["Ravi Kumar Alabama"]})])
    return {"ravi": ncb[0], "ravi_deva": ncb[1], "seizure": ncb[2], "xss": ncb[3], "dea": dea[0]}


def test_search_finds_own_records_by_name_phone_and_script(
    node: Node, world: dict[str, str], ncb_analyst: Actor
) -> None:
    hits = records.search(node, ncb_analyst, "ravi kumar")
    assert {h.id for h in hits} == {world["ravi"], world["ravi_deva"]}
    assert [h.id for h in records.search(node, ncb_analyst, "98123 45678")] == [world["ravi"]]
    assert [h.id for h in records.search(node, ncb_analyst, "रवि")] == [world["ravi_deva"]]
    hit = records.search(node, ncb_analyst, "tramadol")[0]
    assert (hit.schema, hit.schema_label, hit.agency, hit.tlp) == (
        "Seizure",
        "Seizure",
        "ncb",
        "AMBER",
    )


def test_search_never_returns_another_agencys_unshared_records(
    node: Node, world: dict[str, str], dea_analyst: Actor
) -> None:
    hits = records.search(node, dea_analyst, "ravi")
    assert [h.id for h in hits] == [world["dea"]]


def test_search_is_audited_with_query_and_ids(
    node: Node, world: dict[str, str], ncb_analyst: Actor
) -> None:
    before = audit_count(node)
    hits = records.search(node, ncb_analyst, "tramadol")
    assert audit_count(node) == before + 1
    row = last_audit(node)
    assert row["action"] == "search" and row["actor"] == ncb_analyst.username
    assert "tramadol" in row["detail"] and hits[0].id in row["detail"]


def test_search_checks_input_and_permission(node: Node, world: dict[str, str]) -> None:
    analyst = actor("ncb", Role.ANALYST)
    with pytest.raises(exc.BadRequest):
        records.search(node, analyst, "x" * 501)
    with pytest.raises(exc.BadRequest, match="unknown schema"):
        records.search(node, analyst, "ravi", schema="Spaceship")
    assert [h.id for h in records.search(node, analyst, "ravi", schema="Seizure")] == []
    with pytest.raises(exc.Forbidden):
        records.search(node, actor("ncb", Role.ADMIN), "ravi")


def test_entity_page_has_provenance_related_and_timeline(
    node: Node, world: dict[str, str], ncb_analyst: Actor
) -> None:
    before = audit_count(node)
    page = records.entity_page(node, ncb_analyst, world["ravi"])
    assert audit_count(node) == before + 1
    row = last_audit(node)
    assert (row["action"], row["object_id"]) == ("read", world["ravi"])

    assert page.entity.caption == "Ravi Kumar" and page.entity.schema_label == "Person"
    assert page.markings.label == "TLP:AMBER PAP:AMBER H1"
    groups = {g.name: g for g in page.properties}
    phone = groups["phone"].values[0]
    assert phone.value == "+919812345678"
    assert (phone.agency, phone.source, phone.filename) == ("ncb", "case-files", "ncb-seed.csv")
    assert phone.markings.tlp == "AMBER" and phone.first_seen is not None
    assert [(r.id, r.direction, r.prop) for r in page.related] == [
        (world["seizure"], "in", "personsInvolved")
    ]
    assert page.related[0].prop_label == "Persons involved"
    assert [(e.date, e.is_subject) for e in page.timeline] == [
        ("1990-01-02", True),
        ("2025-05-14", False),
    ]
    assert page.can_share is False  # an analyst may not share


def test_unknown_and_hidden_ids_give_the_same_not_found(
    node: Node, world: dict[str, str], dea_analyst: Actor
) -> None:
    errors = []
    for eid in (world["ravi"], "ncb-" + "0" * 24, "not an id"):
        for read in (records.entity_page, records.related, records.timeline):
            with pytest.raises(exc.NotFound) as err:
                read(node, dea_analyst, eid)
            errors.append(err.value.detail)
    assert len(set(errors)) == 1


def test_links_to_records_not_shared_are_not_revealed(
    node: Node, world: dict[str, str], dea_analyst: Actor
) -> None:
    supervisor = actor("ncb", Role.SUPERVISOR)
    sharing.share(node, supervisor, world["seizure"], "dea", "joint operation")
    page = records.entity_page(node, dea_analyst, world["seizure"])
    persons = {g.name: g for g in page.properties}["personsInvolved"].values
    assert [(v.value, v.display, v.link) for v in persons] == [("", records.HIDDEN_REFERENCE, None)]
    assert world["ravi"] not in repr(page)
    assert page.related == []
    assert [e.entity_id for e in page.timeline] == [world["seizure"]]


def test_related_and_timeline_reads_are_audited(
    node: Node, world: dict[str, str], ncb_analyst: Actor
) -> None:
    before = audit_count(node)
    related = records.related(node, ncb_analyst, world["seizure"])
    assert [(r.id, r.direction) for r in related] == [(world["ravi"], "out")]
    assert related[0].prop_label == "Persons involved"
    records.timeline(node, ncb_analyst, world["seizure"])
    assert audit_count(node) == before + 2
