"""Deriving the link graph: relations, references, co-occurrence, shared identifiers,
time windows, and records that are not there."""

from __future__ import annotations

import pytest

from narcolink.analysis.network import GraphBuilder
from narcolink.analysis.network.evidence import EVENT, IDENTIFIER, REFERENCE, RELATION, combine
from narcolink.analysis.network.identifiers import normalise
from narcolink.exc import BadRequest, NotFound

from .support import RING, graph_of


def kinds(graph, a: str, b: str) -> list[str]:
    e = graph.edge_between(graph.position(a), graph.position(b))
    assert e is not None, f"no link between {a} and {b}"
    return sorted(ev.kind for ev in graph.edge_evidence(e))


def test_relation_records_become_links_not_nodes() -> None:
    g = graph_of(RING)
    assert "dir1" not in g.index and "own1" not in g.index and "pay1" not in g.index
    assert RELATION in kinds(g, "arjun", "firm")
    assert kinds(g, "boss", "firm") == [RELATION]
    e = g.edge_between(g.position("boss"), g.position("firm"))
    (ev,) = g.edge_evidence(e)
    assert ev.records == ("own1",) and ev.props == ("owner", "asset")
    assert (ev.source, ev.target) == ("boss", "firm")
    assert ev.dates == ("2023-10-01", "2023-10-01")


def test_references_and_event_co_occurrence() -> None:
    g = graph_of(RING)
    assert kinds(g, "seizure", "arjun") == [REFERENCE]
    assert kinds(g, "arjun", "vikas") == [EVENT]  # named together in the seizure
    e = g.edge_between(g.position("arjun"), g.position("vikas"))
    (ev,) = g.edge_evidence(e)
    assert ev.records == ("seizure",) and ev.props == ("personsInvolved", "personsInvolved")
    # A call between two known parties links them; it is not a node of its own.
    assert EVENT in kinds(g, "boss", "arjun")
    assert "call1" not in g.index
    e = g.edge_between(g.position("boss"), g.position("arjun"))
    call = next(ev for ev in g.edge_evidence(e) if ev.kind == EVENT)
    assert (call.source, call.target, call.props) == ("boss", "arjun", ("caller", "receiver"))
    assert call.describe() == "boss and arjun both named in call 'call1' (caller, receiver)"


def test_a_call_known_only_by_its_numbers_stays_a_node_linked_by_them() -> None:
    records = [
        ("p", "Person", {"name": ["p"], "phone": ["+919812345678"]}),
        ("q", "Person", {"name": ["q"], "phone": ["+971501234567"]}),
        ("c", "Call", {"callerNumber": ["+919812345678"], "receiverNumber": ["+971501234567"],
                       "date": ["2025-01-02"]}),
    ]  # fmt: skip
    g = graph_of(records)
    assert "c" in g.index
    assert kinds(g, "c", "p") == [IDENTIFIER] and kinds(g, "c", "q") == [IDENTIFIER]


def test_an_address_without_a_number_is_a_neighbourhood_not_a_link() -> None:
    records = [
        ("s", "Seizure", {"name": ["s"], "location": ["Shakarpur, Delhi"]}),
        ("p", "Person", {"name": ["p"], "address": ["Shakarpur, Delhi"]}),
        ("q", "Person", {"name": ["q"], "address": ["C-112, Pocket 3, Mayur Vihar"]}),
        ("r", "Person", {"name": ["r"], "address": ["c 112 pocket 3 mayur vihar"]}),
    ]
    g = graph_of(records)
    assert g.edge_between(g.position("s"), g.position("p")) is None
    assert kinds(g, "q", "r") == [IDENTIFIER]


def test_shared_identifiers_link_across_types_after_normalisation() -> None:
    g = graph_of(RING)
    assert IDENTIFIER in kinds(g, "arjun", "firm")  # same phone
    assert kinds(g, "boone", "k1") == [IDENTIFIER]  # "+1 205 555 0147" == "+12055550147"
    e = g.edge_between(g.position("boone"), g.position("k1"))
    (ev,) = g.edge_evidence(e)
    assert ev.props == ("phone", "recipientPhone") and ev.label == "phone"
    # Two address records with the same text are one address.
    assert kinds(g, "addr", "home") == [IDENTIFIER]


def test_several_pieces_of_evidence_combine_as_independent_reasons() -> None:
    g = graph_of(RING)
    e = g.edge_between(g.position("arjun"), g.position("firm"))
    weights = [ev.weight for ev in g.edge_evidence(e)]
    assert len(weights) == 2
    assert g.weight[e] == pytest.approx(combine(weights))
    assert g.weight[e] > max(weights)
    assert combine([0.5, 0.5]) == pytest.approx(0.75)


def test_a_value_on_too_many_records_links_nobody_and_says_so() -> None:
    records = [
        (f"p{i}", "Person", {"name": [f"P{i}"], "phone": ["+911140000000"]}) for i in range(30)
    ]
    g = graph_of(records)
    assert g.edge_count == 0
    assert any("+911140000000" in note and "30 records" in note for note in g.notes)


def test_classification_codes_never_link() -> None:
    records = [
        ("k1", "Consignment", {"trackingNumber": ["AA1111"], "hsCode": ["300490"]}),
        ("k2", "Consignment", {"trackingNumber": ["BB2222"], "hsCode": ["300490"]}),
    ]
    assert graph_of(records).edge_count == 0


def test_references_to_records_not_given_are_dropped() -> None:
    """The builder sees only what the caller may see: a reference to anything else is no
    link, and an edge record with a missing end is a plain node."""
    records = [
        ("s", "Seizure", {"name": ["s"], "personsInvolved": ["hidden-person"]}),
        ("a", "Person", {"name": ["a"]}),
        ("rel", "Associate", {"person": ["a"], "associate": ["hidden-person"]}),
    ]
    g = graph_of(records)
    assert "hidden-person" not in g.index
    assert "rel" in g.index  # not a relation: one end is missing
    assert g.edge_between(g.position("s"), g.position("a")) is None
    with pytest.raises(NotFound):
        g.position("hidden-person")


def test_time_window_drops_dated_evidence_outside_it_but_keeps_undated_facts() -> None:
    g = graph_of(RING, since="2025-04-01", until="2025-04-30")
    boss, arjun, vikas = (g.position(x) for x in ("boss", "arjun", "vikas"))
    e = g.edge_between(arjun, boss)  # pay1 (March) is out; the call (2 April) is in
    assert [ev.records[0] for ev in g.edge_evidence(e)] == ["call1"]
    assert g.edge_between(vikas, boss) is not None  # pay2, 1 April
    assert g.edge_between(g.position("seizure"), arjun) is None  # seizure in May
    # Ownership dated 2023 with no end is still dated: a window after it drops it.
    assert g.edge_between(boss, g.position("firm")) is None
    # Undated facts (a person's address) always hold.
    assert g.edge_between(vikas, g.position("home")) is not None


def test_partial_dates_cover_their_whole_period() -> None:
    records = [
        ("a", "Person", {"name": ["a"]}),
        ("b", "Person", {"name": ["b"]}),
        ("rel", "Associate", {"person": ["a"], "associate": ["b"], "startDate": ["2024-09"]}),
    ]
    assert graph_of(records, since="2024-09-30", until="2024-10-05").edge_count == 1
    assert graph_of(records, since="2024-10-01").edge_count == 0


@pytest.mark.parametrize("bad", ["yesterday", "2025/01/01", "25-01-01", "2025-1x"])
def test_bad_dates_are_refused_with_the_field_named(bad: str) -> None:
    with pytest.raises(BadRequest, match="since"):
        GraphBuilder(since=bad)


def test_countries_come_from_the_record_or_its_address() -> None:
    g = graph_of(RING)
    assert g.node(g.position("boss")).countries == ("ae",)
    assert g.node(g.position("k1")).countries == ("in", "us")
    assert g.node(g.position("lodger")).countries == ("in",)
    records = [
        ("ad", "Address", {"full": ["1 Main St"], "country": ["us"]}),
        ("p", "Person", {"name": ["p"], "addressEntity": ["ad"]}),
    ]
    g2 = graph_of(records)
    assert g2.node(g2.position("p")).countries == ("us",)


@pytest.mark.parametrize(
    ("group", "raw", "expected"),
    [
        ("document", "DL 3C XY 0417", "dl3cxy0417"),
        ("address", "418 Pinecrest Drive,  Huntsville", "418 pinecrest drive huntsville"),
        ("url", "https://b2b.example.in/p/1/", "b2b.example.in/p/1"),
        ("handle", "@MediRoute", "mediroute"),
        ("phone", "+1 (205) 555-0147", "+12055550147"),
    ],
)
def test_normalise(group: str, raw: str, expected: str) -> None:
    assert normalise(group, raw) == expected
