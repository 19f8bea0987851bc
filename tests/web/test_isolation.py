"""Cross-agency isolation through every route: a DEA user never sees NCB's unshared records
(search, autocomplete, entity page, related, timeline, shares, export, error messages),
sees a record once NCB shares it, and stops seeing it when the share is revoked."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from narcolink.model.roles import Role

from .conftest import Browser, Web

MISSING = "ncb-" + "0" * 24


@pytest.fixture
def dea(web: Web) -> tuple[Browser, TestClient]:
    actor = web.user("dea", Role.ANALYST, Role.LIAISON, username="dea-analyst")
    return web.browser(actor), web.api(actor)


def leaks(text: str, world: dict[str, str], *keys: str) -> list[str]:
    """Which of the hidden records' ids or names appear in ``text``."""
    names = {"ravi": "Ravi Kumar", "seizure": "Tramadol", "red": "Kingpin", "xss": "alert"}
    found = []
    for key in keys:
        if world[key] in text:
            found.append(world[key])
        if names[key] in text:
            found.append(names[key])
    return found


def assert_hidden(web: Web, dea: tuple[Browser, TestClient], world: dict[str, str]) -> None:
    browser, api = dea
    hidden = ("ravi", "seizure", "red", "xss")
    # Search and autocomplete (the page's script calls the API with the session cookie).
    for query in ("ravi", "ravi kumar", "+91 98123 45678", "9812345678", "tramadol", "kingpin"):
        page = browser.client.get("/search", params={"q": query})
        assert page.status_code == 200
        assert not leaks(page.text, world, *hidden), query
        for client in (api, browser.client):
            hits = client.get("/api/v1/search", params={"q": query}).json()
            assert not leaks(str(hits), world, *hidden), query
    # Entity page and every per-record API route: the same 404 as for a missing id.
    for key in hidden:
        eid = world[key]
        page = browser.client.get(f"/entities/{eid}")
        missing_page = browser.client.get(f"/entities/{MISSING}")
        assert page.status_code == missing_page.status_code == 404
        assert page.text == missing_page.text
        for suffix in ("", "/related", "/timeline", "/shares"):
            got = api.get(f"/api/v1/entities/{eid}{suffix}")
            missing = api.get(f"/api/v1/entities/{MISSING}{suffix}")
            assert got.status_code == missing.status_code == 404, suffix
            assert got.content == missing.content, suffix
            assert "ncb" not in got.json()["detail"].lower()
        share = api.post(f"/api/v1/entities/{eid}/shares", json={"recipient": "ncb"})
        share_missing = api.post(f"/api/v1/entities/{MISSING}/shares", json={"recipient": "ncb"})
        assert share.status_code == share_missing.status_code == 404
        assert share.content == share_missing.content
    # Export, both formats.
    for fmt in ("ftm", "csv"):
        export = api.get("/api/v1/export", params={"format": fmt})
        assert export.status_code == 200
        assert world["dea"] in export.text
        assert not leaks(export.text, world, *hidden), fmt


def test_unshared_records_are_invisible_everywhere(
    web: Web, world: dict[str, str], dea: tuple[Browser, TestClient]
) -> None:
    assert_hidden(web, dea, world)


def test_share_then_revoke(
    web: Web, world: dict[str, str], dea: tuple[Browser, TestClient]
) -> None:
    browser, api = dea
    ncb = web.api(web.user("ncb", Role.SUPERVISOR, username="ncb-sup"))
    response = ncb.post(
        f"/api/v1/entities/{world['ravi']}/shares",
        json={"recipient": "dea", "purpose": "MED MAX joint operation"},
    )
    assert response.status_code == 201, response.text
    share_id = response.json()["id"]

    hits = api.get("/api/v1/search", params={"q": "ravi kumar"}).json()
    assert [h["id"] for h in hits] == [world["ravi"]]
    page = browser.client.get(f"/entities/{world['ravi']}")
    assert page.status_code == 200 and "Ravi Kumar" in page.text
    # The record keeps its originator and markings; the linked seizure stays hidden.
    entity = api.get(f"/api/v1/entities/{world['ravi']}").json()
    assert entity["agency"] == "ncb" and entity["markings"]["tlp"] == "AMBER"
    assert entity["shares"] == []  # who else it went to is the originator's business
    assert api.get(f"/api/v1/entities/{world['ravi']}/related").json() == []
    timeline = api.get(f"/api/v1/entities/{world['ravi']}/timeline").json()
    assert {e["entity_id"] for e in timeline} == {world["ravi"]}
    assert "Tramadol" not in page.text and world["seizure"] not in page.text
    export = api.get("/api/v1/export", params={"format": "ftm"}).text
    assert world["ravi"] in export and world["seizure"] not in export
    # A recipient cannot pass the record on, nor revoke the share.
    assert (
        api.post(
            f"/api/v1/entities/{world['ravi']}/shares", json={"recipient": "ncb", "purpose": "x"}
        ).status_code
        == 403
    )
    assert api.delete(f"/api/v1/shares/{share_id}").status_code == 404

    assert ncb.delete(f"/api/v1/shares/{share_id}").status_code == 204
    assert_hidden(web, dea, world)
