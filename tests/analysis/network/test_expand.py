"""Expansion from a lead: reach, ranking with reasons, evidence paths, hubs, limits."""

from __future__ import annotations

import numpy as np
import pytest

from narcolink.analysis.network import LinkGraph, expand
from narcolink.analysis.network.expand import RankSpec
from narcolink.exc import BadRequest, NotFound

from .support import RING, graph_of


def test_expansion_reaches_exactly_the_entities_within_k_hops() -> None:
    g = graph_of(RING)
    one = expand(g, "seizure", 1, limit=100)
    assert {r.node.id for r in one.ranked} == {"arjun", "vikas"}
    two = expand(g, "seizure", 2, limit=100)
    assert {r.node.id for r in two.ranked} == {
        "arjun", "vikas", "boss", "firm", "home"
    }  # fmt: skip
    assert all(r.hops <= 2 for r in two.ranked)
    assert two.reached == 5


def test_every_ranked_entity_has_its_evidence_path_from_the_lead() -> None:
    g = graph_of(RING)
    result = expand(g, "seizure", 4, limit=100)
    by_id = {r.node.id: r for r in result.ranked}
    boone = by_id["boone"]
    assert boone.hops == 4
    chain = [(link.source, link.target) for link in boone.path]
    # seizure -> arjun -> firm -> k1 -> boone: each hop carries the records behind it.
    ends = ["seizure"] + [t if s in ("seizure", *[c[1] for c in chain]) else s for s, t in chain]
    assert len(boone.path) == 4
    for link in boone.path:
        assert link.evidence and all(ev.records for ev in link.evidence)
    visited = {"seizure"}
    for link in boone.path:
        assert link.source in visited or link.target in visited
        visited |= {link.source, link.target}
    assert "boone" in visited and "k1" in visited
    del ends


def test_scores_are_the_sum_of_their_named_reasons_and_sorted() -> None:
    g = graph_of(RING)
    result = expand(g, "seizure", 3, limit=100)
    scores = [r.score for r in result.ranked]
    assert scores == sorted(scores, reverse=True)
    for r in result.ranked:
        names = [reason.name for reason in r.reasons]
        assert names == ["affinity", "proximity", "path_strength", "actor"]
        assert r.score == pytest.approx(sum(x.value * x.weight for x in r.reasons), abs=1e-5)
    # The two couriers in the seizure come before the lodger who only shares an address.
    order = [r.node.id for r in result.ranked]
    assert order.index("arjun") < order.index("lodger")
    assert order.index("vikas") < order.index("lodger")


def test_actors_rank_above_equally_placed_evidence() -> None:
    """Persons and organisations get the actor feature; a seizure, an address or a
    payment does not, and says so. The feature adds its weight and nothing else."""
    g = graph_of(RING)
    result = expand(g, "seizure", 3, limit=100)
    plain = {
        r.node.id: r.score
        for r in expand(g, "seizure", 3, limit=100, spec=RankSpec(actor=0.0)).ranked
    }
    kinds = set()
    for r in result.ranked:
        actor = next(x for x in r.reasons if x.name == "actor")
        expected = 1.0 if r.node.schema in {"Person", "Company", "Organization"} else 0.0
        assert actor.value == expected, (r.node.id, r.node.schema)
        assert r.score == pytest.approx(plain[r.node.id] + 0.2 * expected, abs=1e-5)
        kinds.add(expected)
    assert kinds == {0.0, 1.0}  # the ring has both


def test_well_connected_entities_rank_above_equally_near_ones() -> None:
    """Boss (paid twice, calls, owns the firm) and the firm are both two hops from the
    seizure; so is Vikas's home. Many independent paths must count."""
    g = graph_of(RING)
    result = expand(g, "seizure", 2, limit=100)
    order = [r.node.id for r in result.ranked]
    assert order.index("boss") < order.index("home")
    assert order.index("firm") < order.index("home")


def test_schema_filter_limit_and_links_among_shown() -> None:
    g = graph_of(RING)
    result = expand(g, "seizure", 4, limit=3, schemata={"Person"})
    assert len(result.ranked) == 3
    assert all(r.node.schema == "Person" for r in result.ranked)
    shown = {"seizure"} | {r.node.id for r in result.ranked}
    assert result.links and all({lk.source, lk.target} <= shown for lk in result.links)


def test_hubs_are_reached_but_not_walked_through() -> None:
    records = [("lead", "Person", {"name": ["lead"]}), ("hub", "Company", {"name": ["hub"]})]
    records.append(("r0", "Associate", {"person": ["lead"], "associate": ["hub"]}))
    for i in range(12):
        records.append((f"c{i}", "Person", {"name": [f"c{i}"]}))
        records.append((f"r{i + 1}", "Employment", {"employer": ["hub"], "employee": [f"c{i}"]}))
    g = graph_of(records)
    result = expand(g, "lead", 3, hub_degree=10)
    assert [r.node.id for r in result.ranked] == ["hub"]
    assert [h.id for h in result.hubs] == ["hub"]
    assert len(expand(g, "lead", 3, hub_degree=50).ranked) == 13


def test_max_nodes_cuts_the_expansion_and_says_so() -> None:
    n = 200
    src = np.zeros(n - 1, dtype=np.int32)
    dst = np.arange(1, n, dtype=np.int32)
    g = LinkGraph.from_arrays(n, src, dst, np.full(n - 1, 0.5))
    result = expand(g, "0", 2, max_nodes=50, limit=500)
    assert result.truncated and result.reached == 49


def test_unknown_lead_and_bad_hops() -> None:
    g = graph_of(RING)
    with pytest.raises(NotFound):
        expand(g, "nobody", 2)
    with pytest.raises(BadRequest, match="hops"):
        expand(g, "seizure", 0)
    with pytest.raises(BadRequest, match="hops"):
        expand(g, "seizure", 7)


def test_an_isolated_lead_has_an_empty_expansion() -> None:
    g = graph_of([("alone", "Person", {"name": ["alone"]})])
    result = expand(g, "alone", 3)
    assert result.ranked == [] and result.reached == 0 and result.links == []
