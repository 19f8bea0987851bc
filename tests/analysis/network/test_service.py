"""The network service over a real store: only what the caller's View shows, audited,
and never a stale view after a share is revoked. Runs on SQLite, and on PostgreSQL when
NARCOLINK_TEST_DATABASE_URL is set."""

from __future__ import annotations

import json

import pytest

from narcolink.exc import BadRequest, Forbidden, NotFound
from narcolink.model.markings import Markings
from narcolink.model.records import entity_id
from narcolink.model.roles import Actor, Role
from narcolink.services import imports, network, network_report, sharing
from narcolink.services.demo import load_manifest, sample_dir
from narcolink.services.node import Node
from narcolink.store import audit as audit_log


def _actor(agency: str, role: Role) -> Actor:
    return Actor(f"{agency}-{role.value}", agency, frozenset({role}))


def sid(agency: str, record: str) -> str:
    source = {"ncb": "ncb-medmax", "dea": "dea-cases"}[agency]
    return entity_id(agency, source, record)


def load_sample(node: Node) -> Node:
    """The packaged sample world (NCB and DEA) with its shares, on ``node``."""
    network.clear_cache()
    with sample_dir() as root:
        manifest = load_manifest(root)
        for block in manifest["imports"]:
            for name in block["files"]:
                imports.import_file(
                    node,
                    _actor(block["agency"], Role.ANALYST),
                    root / name,
                    source=block["source"],
                    fmt="csv",
                    markings=Markings.parse(block.get("markings")),
                )
        for block in manifest["shares"]:
            for record in block["records"]:
                sharing.share(
                    node,
                    _actor(block["agency"], Role.SUPERVISOR),
                    sid(block["agency"], record),
                    block["recipient"],
                    block["purpose"],
                )
    return node


@pytest.fixture
def sample(node: Node) -> Node:
    return load_sample(node)


def last_audit(node: Node) -> dict:
    with node.transaction() as conn:
        (row,) = list(audit_log.recent(conn, limit=1))
    return dict(row)


def test_ncb_walks_from_the_vehicle_check_to_the_us_reshipper(sample: Node) -> None:
    ncb = _actor("ncb", Role.ANALYST)
    result = network.expand(sample, ncb, sid("ncb", "S-DELHI"), 4, limit=200)
    found = {r.node.id for r in result.ranked}
    assert {sid("ncb", "P-ARJUN"), sid("ncb", "P-VIKAS"), sid("ncb", "O-COASTLINE")} <= found
    assert sid("dea", "R-BOONE") in found  # shared by DEA, linked by a phone on a parcel
    row = last_audit(sample)
    assert row["action"] == "network" and row["object_id"] == sid("ncb", "S-DELHI")
    detail = json.loads(row["detail"])
    assert detail["analysis"] == "expand" and sid("dea", "R-BOONE") in detail["ids"]


def test_dea_sees_only_what_ncb_shared(sample: Node) -> None:
    dea = _actor("dea", Role.ANALYST)
    result = network.expand(sample, dea, sid("ncb", "S-DELHI"), 4, limit=200)
    found = {r.node.id for r in result.ranked}
    every_record = found | {i for r in result.ranked for lk in r.path for e in lk.evidence
                            for i in e.records}  # fmt: skip
    assert all(i.startswith("dea-") or i in _shared_by_ncb() for i in every_record)
    assert sid("ncb", "P-ARJUN") not in found
    # An unshared NCB record is not found at all, as a lead or as a path end.
    with pytest.raises(NotFound):
        network.expand(sample, dea, sid("ncb", "P-ARJUN"), 2)
    with pytest.raises(NotFound):
        network.paths(sample, dea, sid("dea", "R-BOONE"), sid("ncb", "P-ARJUN"))


def _shared_by_ncb() -> set[str]:
    with sample_dir() as root:
        manifest = load_manifest(root)
    return {sid("ncb", r) for b in manifest["shares"] if b["agency"] == "ncb" for r in b["records"]}


def test_a_revoked_share_disappears_from_a_cached_graph(sample: Node) -> None:
    ncb = _actor("ncb", Role.ANALYST)
    lead = sid("ncb", "S-DELHI")
    before = {r.node.id for r in network.expand(sample, ncb, lead, 4, limit=200).ranked}
    assert sid("dea", "R-BOONE") in before
    dea_boss = _actor("dea", Role.SUPERVISOR)
    for info in sharing.list_shares(sample, dea_boss, sid("dea", "R-BOONE")):
        sharing.revoke_share(sample, dea_boss, info.id)
    after = network.expand(sample, ncb, lead, 4, limit=200)
    ids = {r.node.id for r in after.ranked}
    assert sid("dea", "R-BOONE") not in ids
    assert all(sid("dea", "R-BOONE") not in e.records for lk in after.links for e in lk.evidence)


def test_paths_lead_network_and_communities(sample: Node) -> None:
    ncb = _actor("ncb", Role.ANALYST)
    result = network.paths(sample, ncb, sid("ncb", "S-DELHI"), sid("dea", "R-BOONE"))
    assert result.hops >= 2 and result.paths
    assert result.markings["tlp"] in ("AMBER", "RED")
    lead = network.lead_network(sample, ncb, sid("ncb", "S-DELHI"), 4)
    assert lead.kingpins and lead.communities.communities
    assert any(link.cross_agency for link in lead.bridges)
    found = network.communities(sample, ncb, min_size=2)
    assert found.communities and json.loads(last_audit(sample)["detail"])["analysis"] == (
        "communities"
    )


def test_permissions_and_bad_input(sample: Node) -> None:
    auditor = _actor("ncb", Role.AUDITOR)
    with pytest.raises(Forbidden):
        network.expand(sample, auditor, sid("ncb", "S-DELHI"))
    ncb = _actor("ncb", Role.ANALYST)
    with pytest.raises(BadRequest, match="since must not be after until"):
        network.expand(sample, ncb, sid("ncb", "S-DELHI"), since="2025-06", until="2025-01")
    with pytest.raises(BadRequest, match="unknown schema"):
        network.expand(sample, ncb, sid("ncb", "S-DELHI"), schemata=["Nonsense"])


def test_time_window_narrows_the_network(sample: Node) -> None:
    ncb = _actor("ncb", Role.ANALYST)
    lead = sid("ncb", "S-DELHI")
    everything = network.expand(sample, ncb, lead, 4, limit=200)
    before_seizure = network.expand(sample, ncb, lead, 4, limit=200, until="2025-05-01")
    assert before_seizure.reached < everything.reached


def test_case_summary_pdf_needs_export_and_is_audited(sample: Node) -> None:
    with pytest.raises(Forbidden):
        network_report.case_summary(sample, _actor("ncb", Role.AUDITOR), sid("ncb", "S-DELHI"))
    liaison = _actor("ncb", Role.LIAISON)
    data = network_report.case_summary(sample, liaison, sid("ncb", "S-DELHI"), 3)
    assert data.startswith(b"%PDF-") and len(data) > 2000
    row = last_audit(sample)
    assert row["action"] == "export"
    detail = json.loads(row["detail"])
    assert detail["format"] == "pdf" and sid("ncb", "P-ARJUN") in detail["ids"]
