"""``narcolink network`` and the lead page, path page, PDF and API over the sample world."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from narcolink.cli.main import app as cli_app
from narcolink.model.roles import Actor, Role
from narcolink.services import accounts
from narcolink.services.node import Node
from narcolink.settings import Settings
from narcolink.web import create_app
from narcolink.web.deps import SESSION_COOKIE

from .test_service import _shared_by_ncb, sample, sid  # noqa: F401 - fixture used by name

PASSWORD = "network tests password"


def run(settings: Settings, *args: str):  # type: ignore[no-untyped-def]
    base = ["--data-dir", str(settings.data_dir)]
    if settings.database_url:
        base += ["--database-url", settings.database_url]
    runner = CliRunner(env={"NARCOLINK_AS": None})
    return runner.invoke(cli_app, [*base, *args], catch_exceptions=False)


@pytest.fixture
def users(sample: Node) -> Node:  # noqa: F811
    for agency, name, role in (
        ("ncb", "asha", Role.ANALYST),
        ("dea", "dana", Role.ANALYST),
        ("ncb", "audrey", Role.AUDITOR),
    ):
        accounts.create_user(sample, None, name, PASSWORD, roles=[role], agency=agency)
    return sample


def test_cli_expand_path_and_communities(users: Node, settings: Settings) -> None:
    lead = sid("ncb", "S-DELHI")
    result = run(settings, "network", "expand", lead, "--hops", "3", "--as", "asha")
    assert result.exit_code == 0, result.output
    assert "Arjun Mehta" in result.stdout and "within 3 hops" in result.stdout
    as_json = run(settings, "network", "expand", lead, "--hops", "4", "--json", "--as", "asha")
    data = json.loads(as_json.stdout)
    assert data["lead"]["id"] == lead and data["ranked"][0]["reasons"]
    assert all(link["evidence"] for r in data["ranked"] for link in r["path"])
    path = run(settings, "network", "path", lead, sid("dea", "R-BOONE"), "--as", "asha")
    assert path.exit_code == 0, path.output
    assert "Travis Boone" in path.stdout and "same phone" in path.stdout
    found = run(settings, "network", "communities", "--min-size", "2", "--as", "asha")
    assert found.exit_code == 0 and "community 1:" in found.stdout


def test_cli_hidden_lead_is_not_found_and_auditor_may_not(users: Node, settings: Settings) -> None:
    hidden = run(settings, "network", "expand", sid("ncb", "P-ARJUN"), "--as", "dana")
    assert hidden.exit_code == 4 and "no such record" in hidden.stderr
    refused = run(settings, "network", "expand", sid("ncb", "S-DELHI"), "--as", "audrey")
    assert refused.exit_code == 3
    bad = run(
        settings, "network", "expand", sid("ncb", "S-DELHI"), "--since", "May", "--as", "asha"
    )
    assert bad.exit_code == 2 and "since" in bad.stderr


@pytest.fixture
def browser(users: Node, settings: Settings) -> Iterator[tuple[TestClient, TestClient]]:
    """Signed-in page clients for an NCB analyst and a DEA analyst."""
    app = create_app(settings, node=users)
    with TestClient(app, follow_redirects=False) as ncb, TestClient(app) as dea:
        for client, name, agency in ((ncb, "asha", "ncb"), (dea, "dana", "dea")):
            actor = Actor(name, agency, frozenset({Role.ANALYST}))
            tokens = accounts.open_session(users, actor, "session")
            client.cookies.set(SESSION_COOKIE, tokens.secret)
        yield ncb, dea


def test_lead_page_shows_the_network_with_its_evidence(browser) -> None:  # type: ignore[no-untyped-def]
    ncb, _ = browser
    lead = sid("ncb", "S-DELHI")
    page = ncb.get(f"/network/{lead}")
    assert page.status_code == 200
    html = page.text
    assert f'data-lead="{lead}"' in html and 'src="/static/linkchart.js"' in html
    assert "<script>" not in html  # CSP: no inline script
    assert html.count('data-testid="ranked-row"') >= 10
    assert "Arjun Mehta" in html and "Travis Boone" in html
    assert "names Arjun Mehta as persons involved" in html  # the evidence, as a sentence
    assert 'data-testid="kingpin-row"' in html and "TLP:" in html
    entity = ncb.get(f"/entities/{lead}").text
    assert f'href="/network/{lead}"' in entity
    path = ncb.get(f"/network/path?source={lead}&target={sid('dea', 'R-BOONE')}")
    assert path.status_code == 200 and 'data-testid="path"' in path.text
    pdf = ncb.get(f"/network/{lead}/summary.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"


def test_api_carries_reasons_evidence_text_and_markings(browser) -> None:  # type: ignore[no-untyped-def]
    ncb, _ = browser
    lead = sid("ncb", "S-DELHI")
    data = ncb.get(f"/api/v1/network/lead/{lead}?hops=4").json()
    assert data["markings"]["tlp"] in ("AMBER", "RED")
    kingpin = data["kingpins"][0]
    assert {r["name"] for r in kingpin["reasons"]} >= {"centrality", "command", "insulation"}
    texts = [ev["text"] for r in data["expansion"]["ranked"] for lk in r["path"]
             for ev in lk["evidence"]]  # fmt: skip
    assert texts and all(texts)
    typed = ncb.get(f"/api/v1/network/expand/{lead}?hops=4&schema=Person").json()
    assert typed["ranked"] and {r["node"]["schema"] for r in typed["ranked"]} == {"Person"}
    actors = ncb.get(f"/api/v1/network/lead/{lead}?hops=4&schema=LegalEntity").json()
    kinds = {r["node"]["schema"] for r in actors["expansion"]["ranked"]}
    assert kinds <= {"Person", "Company", "Organization"} and "Person" in kinds
    page = ncb.get(f"/network/{lead}?rank=actors").text
    assert 'value="actors" selected' in page and "Consignment ·" not in page.split("Brokers")[0]
    assert ncb.get(f"/network/{lead}?rank=everything").status_code == 422
    bad = ncb.get(f"/api/v1/network/expand/{lead}?hops=9")
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"


def test_another_agency_gets_not_found_everywhere(browser) -> None:  # type: ignore[no-untyped-def]
    _, dea = browser
    hidden = sid("ncb", "P-ARJUN")
    for url in (
        f"/api/v1/network/expand/{hidden}",
        f"/api/v1/network/lead/{hidden}",
        f"/api/v1/network/path?source={sid('dea', 'R-BOONE')}&target={hidden}",
    ):
        response = dea.get(url)
        assert response.status_code == 404, url
    assert dea.get(f"/network/{hidden}").status_code == 404
    assert dea.get(f"/network/{hidden}/summary.pdf").status_code == 404
    # A shared lead: DEA's network from it holds no unshared NCB record.
    data = dea.get(f"/api/v1/network/expand/{sid('ncb', 'S-DELHI')}?hops=4&limit=500").json()
    ids = re.findall(r"ncb-[0-9a-f]{24}", json.dumps(data))
    assert set(ids) <= _shared_by_ncb()
