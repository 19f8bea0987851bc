"""Shortest paths, communities, brokers, bridges and kingpin candidates."""

from __future__ import annotations

import numpy as np
import pytest

from narcolink.analysis.network import bridges, brokers, communities, kingpins, shortest_paths

from .support import RING, Rec, graph_of


def test_shortest_paths_are_all_the_fewest_hop_chains_strongest_first() -> None:
    g = graph_of(RING)
    result = shortest_paths(g, "seizure", "boone")
    assert result.hops == 4
    assert result.paths
    strengths = [p[0] for p in result.paths]
    assert strengths == sorted(strengths, reverse=True)
    for strength, nodes, links in result.paths:
        assert nodes[0].id == "seizure" and nodes[-1].id == "boone"
        assert len(links) == 4 and len(nodes) == 5
        product = 1.0
        for link in links:
            product *= link.weight
            assert link.evidence
        assert strength == pytest.approx(product, abs=1e-5)
    assert [n.id for n in result.paths[0][1]] == ["seizure", "arjun", "firm", "k1", "boone"]
    # Boss is two hops away through either courier: both chains are given.
    to_boss = shortest_paths(g, "seizure", "boss")
    assert to_boss.hops == 2
    assert {p[1][1].id for p in to_boss.paths} == {"arjun", "vikas"}
    # Arjun is both paid and called by him: the stronger chain comes first.
    assert to_boss.paths[0][1][1].id == "arjun"


def test_no_path_within_the_limit_is_an_empty_answer() -> None:
    g = graph_of(RING)
    assert shortest_paths(g, "seizure", "boone", max_hops=3).paths == []
    assert shortest_paths(g, "seizure", "pharmacy").paths != []  # via the shared address
    lone = graph_of([*RING, ("alone", "Person", {"name": ["alone"]})])
    result = shortest_paths(lone, "seizure", "alone")
    assert result.paths == [] and result.hops == -1


def test_path_to_itself() -> None:
    g = graph_of(RING)
    result = shortest_paths(g, "boss", "boss")
    assert result.hops == 0 and result.paths[0][1][0].id == "boss"


def two_rings() -> list[Rec]:
    """Two tight groups of five joined by one courier call."""
    out: list[Rec] = []
    for group in ("a", "b"):
        members = [f"{group}{i}" for i in range(5)]
        for m in members:
            out.append((m, "Person", {"name": [m], "country": ["in" if group == "a" else "us"]}))
        for i, x in enumerate(members):
            for y in members[i + 1 :]:
                out.append((f"{x}-{y}", "Associate", {"person": [x], "associate": [y]}))
    out.append(("bridge", "UnknownLink", {"subject": ["a0"], "object": ["b0"]}))
    return out


def test_leiden_finds_the_two_groups_and_is_reproducible() -> None:
    g = graph_of(two_rings())
    found = communities(g)
    assert [c.size for c in found.communities] == [5, 5]
    groups = [{m.node.id[0] for m in c.members} for c in found.communities]
    assert sorted(map(sorted, groups)) == [["a"], ["b"]]
    assert found.modularity > 0.3
    again = communities(g)
    assert again.membership == found.membership
    for c in found.communities:
        for m in c.members:
            assert m.reasons and all(lk.evidence for lk in m.reasons)


def test_brokers_and_bridges() -> None:
    g = graph_of(two_rings())
    found = communities(g)
    membership = {g.index[k]: v for k, v in found.membership.items()}
    top = brokers(g, membership=membership, limit=2)
    assert {b.node.id for b in top} == {"a0", "b0"}
    assert "2 communities" in top[0].reasons[1].detail
    links = bridges(g)
    assert [(lk.source, lk.target) for lk in links] == [("a0", "b0")]
    assert links[0].cross_border and not links[0].cross_agency


def test_cross_agency_links_are_bridges_too() -> None:
    records: list[Rec] = [
        ("x", "Person", {"name": ["x"], "phone": ["+919812345678"]}),
        ("y", "Person", {"name": ["y"], "phone": ["+919812345678"]}),
    ]
    g = graph_of(records, agencies={"y": "dea"})
    (link,) = bridges(g)
    assert link.cross_agency and not link.cross_border


def test_kingpin_candidates_carry_named_reasons_and_find_the_boss() -> None:
    g = graph_of(RING)
    scope = np.array([g.index[x] for x in g.ids])
    found = kingpins(g, scope, home=("in",))
    assert found[0].node.id == "boss"
    boss = found[0]
    reasons = {r.name: r for r in boss.reasons}
    assert set(reasons) == {"centrality", "command", "money_in", "insulation", "broker", "abroad"}
    assert reasons["money_in"].value == 1.0 and "2 payments" in reasons["money_in"].detail
    assert boss.node.countries == ("ae",)
    assert reasons["insulation"].value == 1.0
    # Abroad, and tied to the core (Arjun: paid by him, calls him) as strongly as the
    # evidence for that link goes.
    e = g.edge_between(g.position("boss"), g.position("arjun"))
    assert reasons["abroad"].value == pytest.approx(g.weight[e], abs=1e-5)
    assert "in direct contact with arjun" in reasons["abroad"].detail
    assert {ev.records[0] for ev in boss.evidence} >= {"own1", "pay1", "pay2"}
    assert boss.score == pytest.approx(sum(r.value * r.weight for r in boss.reasons), abs=1e-5)
    # Only persons and organisations are candidates; a courier caught with the goods is
    # not insulated.
    assert all(c.node.schema in ("Person", "Company") for c in found)
    arjun = next(c for c in found if c.node.id == "arjun")
    assert {r.name: r.value for r in arjun.reasons}["insulation"] == 0.0


def test_money_flows_up_a_chain_of_payments() -> None:
    """A customer pays a courier, the courier pays a collector, the collector pays the
    boss: the end of the chain ranks first on money, whoever is paid most often."""
    records: list[Rec] = [(x, "Person", {"name": [x]}) for x in
                          ("c1", "c2", "c3", "courier", "collector", "boss")]  # fmt: skip
    chain = [("c1", "courier"), ("c2", "courier"), ("c3", "courier"),
             ("courier", "collector"), ("collector", "boss")]  # fmt: skip
    for i, (a, b) in enumerate(chain):
        records.append((f"pay{i}", "Payment", {"payer": [a], "beneficiary": [b]}))
    g = graph_of(records)
    found = kingpins(g, np.arange(g.node_count))
    money = {c.node.id: {r.name: r.value for r in c.reasons}["money_in"] for c in found}
    assert money["boss"] == 1.0
    assert money["boss"] > money["collector"] > money["courier"] > 0
    assert money["c1"] == 0.0  # pays, receives nothing


def test_residence_comes_before_nationality() -> None:
    records: list[Rec] = [
        ("p", "Person", {"name": ["p"], "nationality": ["in"], "country": ["ae"]})
    ]
    g = graph_of(records)
    assert g.node(0).countries == ("ae",)
    only = graph_of([("q", "Person", {"name": ["q"], "nationality": ["in"]})])
    assert only.node(0).countries == ("in",)


def test_a_foreign_customer_is_not_abroad_in_the_kingpin_sense() -> None:
    """Being based abroad scores only through a direct tie to the network's core."""
    g = graph_of(RING)
    scope = np.arange(g.node_count)
    found = {
        c.node.id: {r.name: r.value for r in c.reasons} for c in kingpins(g, scope, home=("in",))
    }
    assert found["boone"]["abroad"] == 0.0  # in the US, linked only through a parcel
