"""The service (permission, audit), the pages, the API and ``narcolink chem``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from narcolink.exc import BadRequest, Forbidden, NotFound
from narcolink.model.roles import Actor, Role
from narcolink.services import accounts, auditing, chemistry
from narcolink.services.node import Node
from narcolink.settings import Settings
from narcolink.web import create_app
from narcolink.web.deps import SESSION_COOKIE

PASSWORD = "chemistry test password"
OFFICER = Actor("po", "ncb", frozenset({Role.PRECURSOR_OFFICER}))
ADMIN = Actor("root", "ncb", frozenset({Role.ADMIN}))


def test_screening_is_audited_and_needs_read(node: Node) -> None:
    report = chemistry.screen_text(node, OFFICER, "BMK\nCCO\n", as_of=date(2025, 1, 1))
    assert [r.verdict.value for r in report.results] == ["controlled", "not controlled"]
    assert report.flagged == 1
    with pytest.raises(Forbidden):
        chemistry.screen_text(node, ADMIN, "BMK")
    rows = auditing.recent(node, Actor("aud", "ncb", frozenset({Role.AUDITOR})), 10)
    screened = [r for r in rows if r.action == "chem.screen"]
    assert len(screened) == 1 and "flagged" in screened[0].detail


def test_as_of_must_be_a_real_past_date(node: Node) -> None:
    with pytest.raises(BadRequest):
        chemistry.screen_text(node, OFFICER, "BMK", as_of=date(1900, 1, 1))


def test_lookup_substance_and_csv(node: Node, tmp_path: Path) -> None:
    hits = chemistry.lookup(node, OFFICER, "chitta")  # Indian street name for heroin
    assert hits and hits[0].id == "heroin"
    detail = chemistry.substance(node, OFFICER, "4-piperidone")
    assert {x.jurisdiction for x in detail.listings} == {"UN", "US", "IN"}
    with pytest.raises(NotFound):
        chemistry.substance(node, OFFICER, "no-such-thing")
    path = tmp_path / "invoice.csv"
    path.write_text("ref,smiles\nX1,O=C1CCNCC1\nX2,CCO\n", encoding="utf-8")
    report = chemistry.screen_file(node, OFFICER, path, as_of=date(2022, 6, 1))
    text = chemistry.report_csv(report)
    lines = text.splitlines()
    assert lines[0].startswith("row,label,query,verdict")
    assert lines[1].startswith("2,X1,O=C1CCNCC1,designer-precursor risk")


@pytest.fixture
def clients(settings: Settings) -> Iterator[tuple[TestClient, TestClient, str, Node]]:
    node = Node.open(settings)
    try:
        accounts.create_agency(node, "ncb", "Narcotics Control Bureau", "in")
        accounts.create_user(
            node, None, "po", PASSWORD, roles=[Role.PRECURSOR_OFFICER], agency="ncb"
        )
        actor = Actor("po", "ncb", frozenset({Role.PRECURSOR_OFFICER}))
        session = accounts.open_session(node, actor, "session")
        token = accounts.open_session(node, actor, "token", label="t")
        app = create_app(settings, node)
        with TestClient(app, follow_redirects=False) as page, TestClient(app) as api:
            page.cookies.set(SESSION_COOKIE, session.secret)
            api.headers["Authorization"] = f"Bearer {token.secret}"
            yield page, api, session.csrf or "", node
    finally:
        node.close()


def test_screening_page_shows_results_depictions_and_export(clients) -> None:  # type: ignore[no-untyped-def]
    page, _, csrf, _ = clients
    response = page.post(
        "/chemistry/screen",
        data={
            "csrf_token": csrf,
            "text": "CC(C)(C)OC(=O)N1CCC(=O)CC1\n<script>x</script>",
            "as_of": "2022-06-01",
        },
    )
    assert response.status_code == 200
    html = response.text
    assert "designer-precursor risk" in html and "Boc removal" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'download="screening-2022-06-01.csv"' in html
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html
    assert page.post("/chemistry/screen", data={"text": "BMK"}).status_code == 403  # no CSRF
    substance = page.get("/chemistry/substances/4-piperidone")
    assert substance.status_code == 200 and "G.S.R. 71(E)" in substance.text


def test_screening_page_reports_a_bad_file(clients) -> None:  # type: ignore[no-untyped-def]
    page, _, csrf, _ = clients
    response = page.post(
        "/chemistry/screen",
        data={"csrf_token": csrf},
        files={"file": ("bad.csv", b"id,smiles\n1,\n", "text/csv")},
    )
    assert response.status_code == 422
    assert "bad.csv" in response.text and "empty" in response.text


def test_api_json_csv_and_problems(clients) -> None:  # type: ignore[no-untyped-def]
    _, api, _, _ = clients
    body = api.post(
        "/api/v1/chemistry/screen",
        json={"items": ["4-AP", "paracetamol", "CCO"], "as_of": "2019-06-01"},
    ).json()
    assert [r["verdict"] for r in body["results"]] == [
        "designer-precursor risk",
        "could not read",
        "not controlled",
    ]
    csv = api.post("/api/v1/chemistry/screen?format=csv", json={"items": ["BMK"]})
    assert csv.headers["content-type"].startswith("text/csv") and "controlled" in csv.text
    bad = api.post("/api/v1/chemistry/screen", json={"items": ["BMK"], "as_of": "1900-01-01"})
    assert bad.status_code == 400
    assert bad.headers["content-type"] == "application/problem+json"
    missing = api.get("/api/v1/chemistry/substances/nothing-here")
    assert missing.status_code == 404
    found = api.get("/api/v1/chemistry/substances", params={"q": "BMK"}).json()
    assert found[0]["id"] == "1-phenyl-2-propanone"


def test_cli_screen_and_lookup(settings: Settings, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from narcolink.cli.main import app

    node = Node.open(settings)
    try:
        accounts.create_agency(node, "ncb", "Narcotics Control Bureau", "in")
        accounts.create_user(
            node, None, "po", PASSWORD, roles=[Role.PRECURSOR_OFFICER], agency="ncb"
        )
    finally:
        node.close()
    base = ["--data-dir", str(settings.data_dir)]
    if settings.database_url:
        base += ["--database-url", settings.database_url]
    items = tmp_path / "items.txt"
    items.write_text("BMK\nCC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1\nCCO\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    runner = CliRunner(env={"NARCOLINK_AS": None})
    result = runner.invoke(
        app,
        [
            *base,
            "chem",
            "screen",
            str(items),
            "--as-of",
            "2019-06-01",
            "--out",
            str(out),
            "--as",
            "po",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "row 2: designer-precursor risk" in result.output
    assert out.read_text().count("\n") == 4
    bad = runner.invoke(
        app, [*base, "chem", "screen", str(items), "--as-of", "someday", "--as", "po"]
    )
    assert bad.exit_code == 2
    found = runner.invoke(app, [*base, "chem", "lookup", "4-AP", "--as", "po"])
    assert found.exit_code == 0 and "4-anilinopiperidine" in found.output


def test_the_core_imports_without_rdkit() -> None:
    code = (
        "import sys; import narcolink.services.chemistry, narcolink.web, narcolink.cli.main;"
        "import narcolink.analysis.chemistry.kb, narcolink.analysis.chemistry.results;"
        "sys.exit(1 if 'rdkit' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
