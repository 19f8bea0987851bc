"""View contract: one agency's own records plus what was shared with it, and nothing else."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from narcolink.exc import NotFound
from narcolink.model.records import entity_id
from narcolink.services.node import Node
from narcolink.store import view as view_module
from narcolink.store.view import View

from .conftest import Rec, share, write

SRC = "test-source"


def eid(agency: str, source_id: str) -> str:
    return entity_id(agency, SRC, source_id)


@dataclass
class World:
    node: Node
    ncb_person: str
    ncb_hindi: str
    ncb_seizure: str
    ncb_company: str
    dea_person: str
    dea_parcel: str


@pytest.fixture
def world(node: Node) -> World:
    """A small two-agency world, with references inside and across agencies."""
    write(
        node,
        "ncb",
        [
            Rec(
                "Person",
                "p1",
                {"name": "Rajesh Kumar", "phone": "98123 45678", "birthDate": "1990-05-01"},
            ),
            Rec("Person", "p2", {"name": "राजेश शर्मा", "passportNumber": "Z-1234 567"}),
            Rec(
                "Seizure",
                "s1",
                {
                    "name": "Vehicle check, Delhi",
                    "date": "2025-05-18",
                    "personsInvolved": [eid("ncb", "p1"), eid("ncb", "p2")],
                },
            ),
            Rec("Company", "c1", {"name": "Udupi Call Services", "incorporationDate": "2019"}),
        ],
    )
    write(
        node,
        "dea",
        [
            Rec("Person", "p1", {"name": "John Smith", "phone": "(205) 555-0143"}),
            Rec(
                "Consignment",
                "k1",
                {
                    "trackingNumber": "EE 123 456 789 IN",
                    "recipient": eid("dea", "p1"),
                    "sender": eid("ncb", "c1"),  # points at a record DEA cannot see
                    "shippedDate": "2025-06-02",
                },
            ),
        ],
    )
    return World(
        node,
        ncb_person=eid("ncb", "p1"),
        ncb_hindi=eid("ncb", "p2"),
        ncb_seizure=eid("ncb", "s1"),
        ncb_company=eid("ncb", "c1"),
        dea_person=eid("dea", "p1"),
        dea_parcel=eid("dea", "k1"),
    )


class OneShotView:
    """Each call runs in its own short transaction, as a request would.

    (SQLite takes its write lock when a transaction begins, so a test must not hold two
    views open at once, any more than one request does.)
    """

    def __init__(self, node: Node, agency: str) -> None:
        self.node = node
        self.agency = agency

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            with self.node.store.transaction() as conn:
                result = getattr(View(conn, self.agency, f"{self.agency}-analyst"), name)(
                    *args, **kwargs
                )
                return list(result) if isinstance(result, Iterator) else result

        return call


@pytest.fixture
def view_of(world: World) -> Callable[[str], Any]:
    return lambda agency: OneShotView(world.node, agency)


def ids(results: list[dict[str, object]]) -> set[object]:
    return {r["id"] for r in results}


# --- scoping ----------------------------------------------------------------------------------


def test_an_agency_sees_its_own_records_only(world: World, view_of) -> None:
    ncb, dea = view_of("ncb"), view_of("dea")
    assert ncb.count() == 4
    assert dea.count() == 2
    assert ncb.entity_row(world.ncb_person)["caption"] == "Rajesh Kumar"
    for hidden in (world.dea_person, world.dea_parcel):
        with pytest.raises(NotFound):
            ncb.entity_row(hidden)
        with pytest.raises(NotFound):
            ncb.get(hidden)
        with pytest.raises(NotFound):
            ncb.related(hidden)
        with pytest.raises(NotFound):
            ncb.timeline(hidden)
    assert ncb.existing([world.ncb_person, world.dea_person]) == {world.ncb_person: "Person"}
    assert world.dea_person not in {row["id"] for row, _ in ncb.iter_entities()}


def test_hidden_and_missing_records_give_the_same_error(world: World, view_of) -> None:
    ncb = view_of("ncb")
    messages = set()
    for candidate in (world.dea_person, eid("dea", "nope"), "not-an-id", "'; DROP TABLE x"):
        with pytest.raises(NotFound) as caught:
            ncb.get(candidate)
        messages.add(str(caught.value))
    assert messages == {"no such record"}


def test_a_share_makes_a_record_visible_to_its_recipient_only(world: World, view_of) -> None:
    share(world.node, world.dea_person, "ncb")
    with world.node.transaction() as conn:
        world.node.store.add_agency(conn, "afp", "Australian Federal Police", "au")
    ncb, afp, dea = view_of("ncb"), view_of("afp"), view_of("dea")
    assert ncb.entity_row(world.dea_person)["agency"] == "dea"
    assert ncb.count() == 5
    assert world.dea_person in ids(ncb.search("john smith"))
    with pytest.raises(NotFound):
        afp.entity_row(world.dea_person)
    with pytest.raises(NotFound):
        ncb.entity_row(world.dea_parcel)  # sharing one record shares only that record
    # The recipient does not learn who else it was shared with; the originator does.
    assert ncb.get(world.dea_person).shared_with == []
    assert [s["recipient"] for s in dea.get(world.dea_person).shared_with] == ["ncb"]


@pytest.mark.parametrize(
    ("expires_in", "revoked", "visible"),
    [
        (None, False, True),
        (timedelta(days=30), False, True),
        (timedelta(seconds=-1), False, False),
        (timedelta(days=-30), False, False),
        (None, True, False),
        (timedelta(days=30), True, False),
    ],
)
def test_revoked_and_expired_shares_hide_the_record(
    world: World, view_of, expires_in: timedelta | None, revoked: bool, visible: bool
) -> None:
    share(world.node, world.dea_person, "ncb", expires_in=expires_in, revoked=revoked)
    ncb = view_of("ncb")
    assert (world.dea_person in ids(ncb.search("smith"))) is visible
    assert ncb.count() == 4 + visible
    if visible:
        ncb.get(world.dea_person)
    else:
        with pytest.raises(NotFound):
            ncb.get(world.dea_person)


def test_one_live_share_is_enough_even_beside_revoked_ones(world: World, view_of) -> None:
    share(world.node, world.dea_person, "ncb", revoked=True)
    share(world.node, world.dea_person, "ncb", expires_in=timedelta(days=-1))
    share(world.node, world.dea_person, "ncb", expires_in=timedelta(days=1))
    assert view_of("ncb").count() == 5


# --- search -----------------------------------------------------------------------------------


# One world serves every query of a table: each row is a case, and a failure lists every
# query whose results were wrong (building the world per query would cost more than
# the queries on PostgreSQL).
NCB_QUERIES: list[tuple[str, set[str]]] = [
    ("rajesh", {"ncb_person", "ncb_hindi"}),
    ("Rajesh Kumar", {"ncb_person"}),
    ("kumar raj", {"ncb_person"}),
    ("राजेश", {"ncb_hindi"}),
    ("राजेश शर्मा", {"ncb_hindi"}),
    ("sharma", {"ncb_hindi"}),
    ("98123 45678", {"ncb_person"}),
    ("+91 98123 45678", {"ncb_person"}),
    ("098123-45678", {"ncb_person"}),
    ("9812345678", {"ncb_person"}),
    ("Z1234567", {"ncb_hindi"}),
    ("z 1234 567", {"ncb_hindi"}),
    ("udupi", {"ncb_company"}),
    ("smith", set()),  # DEA's, not shared
    ("(205) 555-0143", set()),
    ("nobody at all", set()),
]
DEA_QUERIES: list[tuple[str, set[str]]] = [
    ("john", {"dea_person"}),
    ("(205) 555-0143", {"dea_person"}),
    ("+1 205 555 0143", {"dea_person"}),
    ("205.555.0143", {"dea_person"}),
    ("EE123456789IN", {"dea_parcel"}),
    ("ee 123456789 in", {"dea_parcel"}),
    ("rajesh", set()),
    ("udupi", set()),
]
HOSTILE = ["", "   ", "%", "_", "*", "'; DROP TABLE entities; --", "<script>x</script>", "\x00"]


def wrong_answers(
    world: World, view: Any, cases: list[tuple[str, set[str]]]
) -> list[tuple[str, set[str], set[str]]]:
    """(query, expected, found) for every query that did not find exactly what it should."""
    names = {getattr(world, f): f for f in World.__dataclass_fields__ if f != "node"}
    out = []
    for query, expected in cases:
        found = {names.get(str(i), str(i)) for i in ids(view.search(query))}
        if found != expected:
            out.append((query, expected, found))
    return out


def test_search_as_ncb(world: World, view_of) -> None:
    assert wrong_answers(world, view_of("ncb"), NCB_QUERIES) == []


def test_search_as_dea(world: World, view_of) -> None:
    assert wrong_answers(world, view_of("dea"), DEA_QUERIES) == []


def test_search_survives_hostile_queries(world: World, view_of) -> None:
    ncb = view_of("ncb")
    for query in HOSTILE:
        assert isinstance(ncb.search(query), list), query
    assert ncb.count() == 4  # and nothing was dropped


def test_search_filters_by_schema_and_limits(world: World, view_of) -> None:
    ncb = view_of("ncb")
    assert ids(ncb.search("rajesh", schema="Person")) == {world.ncb_person, world.ncb_hindi}
    assert ncb.search("rajesh", schema="Company") == []
    assert len(ncb.search("rajesh", limit=1)) == 1


def test_search_results_carry_what_a_result_list_shows(world: World, view_of) -> None:
    (hit,) = view_of("ncb").search("udupi")
    assert hit["caption"] == "Udupi Call Services"
    assert hit["schema"] == "Company" and hit["agency"] == "ncb" and hit["tlp"] == "AMBER"


# --- one entity, related, timeline ------------------------------------------------------------


def test_get_returns_statements_with_provenance(world: World, view_of) -> None:
    detail = view_of("ncb").get(world.ncb_person)
    assert detail.properties["phone"] == ["+919812345678"]
    phone = next(s for s in detail.statements if s["prop"] == "phone")
    assert phone["original"] == "98123 45678"
    assert phone["batch_id"] in detail.batches
    batch = detail.batches[phone["batch_id"]]
    assert batch["agency"] == "ncb" and batch["source"] == SRC


def test_related_follows_references_both_ways(world: World, view_of) -> None:
    ncb = view_of("ncb")
    out = ncb.related(world.ncb_seizure)
    assert {(r["id"], r["prop"], r["direction"]) for r in out} == {
        (world.ncb_person, "personsInvolved", "out"),
        (world.ncb_hindi, "personsInvolved", "out"),
    }
    back = ncb.related(world.ncb_person)
    assert {(r["id"], r["prop"], r["direction"]) for r in back} == {
        (world.ncb_seizure, "personsInvolved", "in")
    }


def test_related_never_shows_records_the_viewer_cannot_see(world: World, view_of) -> None:
    # DEA's parcel points at NCB's company: neither side learns of the other's record.
    assert view_of("ncb").related(world.ncb_company) == []
    dea_related = view_of("dea").related(world.dea_parcel)
    assert {r["id"] for r in dea_related} == {world.dea_person}


def test_related_shows_a_shared_record_to_the_recipient(world: World, view_of) -> None:
    share(world.node, world.dea_parcel, "ncb")
    related = view_of("ncb").related(world.ncb_company)
    assert [(r["id"], r["direction"], r["agency"]) for r in related] == [
        (world.dea_parcel, "in", "dea")
    ]


def test_timeline_orders_dated_facts_of_the_entity_and_its_neighbours(
    world: World, view_of
) -> None:
    timeline = view_of("ncb").timeline(world.ncb_person)
    assert [(e["entity_id"], e["prop"], e["value"]) for e in timeline] == [
        (world.ncb_person, "birthDate", "1990-05-01"),
        (world.ncb_seizure, "date", "2025-05-18"),
    ]
    assert timeline[1]["caption"] == "Vehicle check, Delhi"


def test_timeline_leaves_out_hidden_neighbours(world: World, view_of) -> None:
    assert [e["entity_id"] for e in view_of("ncb").timeline(world.ncb_company)] == [
        world.ncb_company
    ]
    share(world.node, world.dea_parcel, "ncb")
    dated = [(e["entity_id"], e["value"]) for e in view_of("ncb").timeline(world.ncb_company)]
    assert dated == [(world.ncb_company, "2019"), (world.dea_parcel, "2025-06-02")]


# --- bulk reads -------------------------------------------------------------------------------


def test_iter_entities_pages_through_everything_in_id_order(node: Node) -> None:
    recs = [Rec("Person", f"p{i:03d}", {"name": f"Person {i}"}) for i in range(23)]
    recs += [Rec("Company", f"c{i}", {"name": f"Company {i}"}) for i in range(4)]
    write(node, "ncb", recs)
    write(node, "dea", [Rec("Person", "x", {"name": "Hidden"})])
    with node.store.transaction() as conn:
        view = View(conn, "ncb", "ncb-analyst")
        paged = list(view.iter_entities(chunk=5))
        whole = list(view.iter_entities(chunk=1000))
        people = list(view.iter_entities(schema="Person", chunk=4))
    assert [row["id"] for row, _ in paged] == sorted(row["id"] for row, _ in whole)
    assert len(paged) == 27 and len({row["id"] for row, _ in paged}) == 27
    assert paged == whole
    assert all(props["name"] for _, props in paged)
    assert len(people) == 23 and {row["schema"] for row, _ in people} == {"Person"}


def test_iter_entities_own_only_leaves_out_shared_records(world: World, view_of) -> None:
    share(world.node, world.dea_person, "ncb")
    ncb = view_of("ncb")
    assert world.dea_person in {row["id"] for row, _ in ncb.iter_entities()}
    assert world.dea_person not in {row["id"] for row, _ in ncb.iter_entities(own_only=True)}


def test_batches_lists_own_imports_newest_first(world: World, view_of) -> None:
    batches = view_of("ncb").batches()
    assert len(batches) == 1 and batches[0]["agency"] == "ncb"
    assert view_of("ncb").batch_for(SRC, batches[0]["sha256"])["id"] == batches[0]["id"]
    assert view_of("dea").batch_for(SRC, batches[0]["sha256"]) is None


@pytest.mark.parametrize("few", [20_000, 1])  # ids looked up by id, or joined
def test_search_puts_whole_form_matches_before_word_matches(
    node: Node, few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole query as one key ("ravi gupta" -> an email "ravi.gupta@...") comes first,
    even in a longer caption; then records with every word, shortest caption first;
    nothing twice; a word no record has leaves only the whole-form matches."""
    write(
        node,
        "ncb",
        [
            Rec("Person", "a", {"name": "Gupta Ravi"}),
            Rec("Person", "b", {"name": "Ravi Gupta Srinivasan", "email": "ravi.gupta@ex.org"}),
            Rec("Person", "c", {"name": "Ravi Gupta"}),
            Rec("Person", "d", {"name": "Ravindra K Gupta"}),
            Rec("Person", "e", {"name": "Ravi Sharma"}),
        ],
    )
    monkeypatch.setattr(view_module, "FEW_MATCHES", few)
    ncb = View(node.store.engine.connect(), "ncb", "tester")
    try:
        captions = [row["caption"] for row in ncb.search("Ravi Gupta")]
        assert captions == ["Ravi Gupta Srinivasan", "Gupta Ravi", "Ravi Gupta", "Ravindra K Gupta"]
        assert [row["caption"] for row in ncb.search("Ravi Gupta", limit=2)] == captions[:2]
        assert [row["caption"] for row in ncb.search("rav gup")] == [
            "Gupta Ravi",
            "Ravi Gupta",
            "Ravindra K Gupta",
            "Ravi Gupta Srinivasan",
        ]
        assert [row["caption"] for row in ncb.search("Ravi Gupta@ex")] == [captions[0]]
        assert ncb.search("Ravi Guptaz") == []
    finally:
        ncb.conn.close()
