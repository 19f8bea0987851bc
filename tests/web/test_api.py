"""The /api/v1 routes: content, audit of every read, RFC 9457 problems, and escaping of
hostile strings in records and queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narcolink.model.roles import Role

from .conftest import PASSWORD, SQLI, XSS, Web

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["type"] == "about:blank" or body["type"].startswith("urn:narcolink:problem:")
    return body


def test_entity_related_timeline_content(web: Web, world: dict[str, str]) -> None:
    api = web.api(web.user("ncb", Role.ANALYST))
    entity = api.get(f"/api/v1/entities/{world['seizure']}").json()
    assert entity["schema"] == "Seizure" and entity["caption"] == "Tramadol seizure, Delhi"
    assert entity["markings"]["label"] == "TLP:AMBER PAP:AMBER H1"
    props = {p["name"]: p for p in entity["properties"]}
    person = props["personsInvolved"]["values"][0]
    assert (person["link"], person["display"]) == (world["ravi"], "Ravi Kumar")
    assert person["filename"] == "ncb-seed.csv" and person["markings"]["tlp"] == "AMBER"
    related = api.get(f"/api/v1/entities/{world['ravi']}/related").json()
    assert [(r["id"], r["direction"], r["prop"]) for r in related] == [
        (world["seizure"], "in", "personsInvolved")
    ]
    timeline = api.get(f"/api/v1/entities/{world['ravi']}/timeline").json()
    assert [(e["date"], e["is_subject"]) for e in timeline] == [
        ("1990-01-02", True),
        ("2025-05-14", False),
    ]
    hits = api.get("/api/v1/search", params={"q": "98123 45678"}).json()
    assert [h["id"] for h in hits] == [world["ravi"]]
    assert set(hits[0]) == {"id", "schema", "schema_label", "caption", "agency", "tlp", "last_seen"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/entities/{id}",
        "/api/v1/entities/{id}/related",
        "/api/v1/entities/{id}/timeline",
        "/api/v1/entities/{id}/shares",
        "/api/v1/search?q=ravi",
        "/api/v1/export?format=csv",
    ],
)
def test_every_api_read_is_audited(web: Web, world: dict[str, str], path: str) -> None:
    api = web.api(web.user("ncb", Role.ANALYST))
    before = web.audit_count()
    response = api.get(path.replace("{id}", world["ravi"]))
    assert response.status_code == 200
    assert web.audit_count() == before + 1
    row = web.audit_rows(1)[0]
    assert row["actor"] == "ncb-analyst"
    if "{id}" in path:
        assert (row["action"], row["object_id"]) == ("read", world["ravi"])


def test_import_and_export_round_trip(web: Web) -> None:
    api = web.api(web.user("ncb", Role.ANALYST))
    content = (EXAMPLES / "persons.csv").read_bytes()
    files = {"file": ("persons.csv", content, "text/csv")}
    first = api.post("/api/v1/imports", data={"source": "register"}, files=files)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["records"] > 0 and body["unchanged"] is False
    again = api.post("/api/v1/imports", data={"source": "register"}, files=files)
    assert again.status_code == 200 and again.json()["unchanged"] is True
    assert again.json()["batch_id"] == body["batch_id"]
    export = api.get("/api/v1/export", params={"format": "ftm"})
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("application/x-ndjson")
    assert "attachment" in export.headers["content-disposition"]
    lines = [json.loads(line) for line in export.text.splitlines()]
    assert len(lines) == body["records"] == int(export.headers["x-record-count"])
    csv_export = api.get("/api/v1/export", params={"format": "csv"})
    assert csv_export.text.splitlines()[0].startswith("id,schema,agency,tlp")
    assert_problem(api.get("/api/v1/export", params={"format": "xml"}), 422)


def test_import_errors_are_problems_with_every_issue(web: Web) -> None:
    api = web.api(web.user("ncb", Role.ANALYST))
    bad = b"id,name,birthDate\nB-1,Someone,1990-13-45\nB-2,,1990-01-01\n"
    response = api.post(
        "/api/v1/imports",
        data={"source": "register"},
        files={"file": ("persons.csv", bad, "text/csv")},
    )
    body = assert_problem(response, 422)
    assert body["type"] == "urn:narcolink:problem:invalid-input"
    assert body["file"] == "persons.csv"
    assert (body["issues"][0]["row"], body["issues"][0]["field"]) == (1, "birthDate")
    assert all(set(i) == {"file", "row", "field", "reason"} for i in body["issues"])
    assert api.get("/api/v1/search", params={"q": "someone"}).json() == []


def test_problem_shapes(web: Web, world: dict[str, str]) -> None:
    admin = web.api(web.user("ncb", Role.ADMIN))
    analyst = web.api(web.user("ncb", Role.ANALYST))
    body = assert_problem(analyst.get("/api/v1/nothing-here"), 404)
    assert body["type"] == "about:blank" and body["title"] == "Not Found"
    body = assert_problem(analyst.get(f"/api/v1/entities/{world['ravi']}x"), 404)
    assert body["type"] == "urn:narcolink:problem:not-found"
    body = assert_problem(analyst.get("/api/v1/search"), 422)
    assert body["errors"][0]["loc"] == "query.q"
    assert_problem(analyst.get("/api/v1/users"), 403)
    assert_problem(web.client().get("/api/v1/users"), 401)
    assert_problem(analyst.put("/api/v1/users"), 405)
    # A service's own error: the password policy (400), a taken name (409).
    secret = "short pw"
    body = assert_problem(
        admin.post(
            "/api/v1/users", json={"username": "x1", "password": secret, "roles": ["analyst"]}
        ),
        400,
    )
    assert "at least 12" in body["detail"]
    assert body["type"] == "urn:narcolink:problem:bad-request"
    admin.post(
        "/api/v1/users", json={"username": "taken", "password": PASSWORD, "roles": ["analyst"]}
    )
    body = assert_problem(
        admin.post(
            "/api/v1/users", json={"username": "taken", "password": PASSWORD, "roles": ["analyst"]}
        ),
        409,
    )
    # Validation errors name the field but never echo what was sent (it may be a password).
    response = admin.post(
        "/api/v1/users", json={"username": "y", "password": PASSWORD, "roles": ["kingpin"]}
    )
    body = assert_problem(response, 422)
    assert PASSWORD not in response.text and "kingpin" not in response.text
    assert body["errors"][0]["loc"].startswith("body.roles")


def test_hostile_strings_are_escaped_in_pages(web: Web, world: dict[str, str]) -> None:
    browser = web.browser(web.user("ncb", Role.SUPERVISOR))
    page = browser.client.get(f"/entities/{world['xss']}")
    assert page.status_code == 200
    assert XSS not in page.text and "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    assert SQLI.replace("'", "&#39;") in page.text
    for query in (XSS, SQLI, "' OR 1=1 --", '"><svg onload=alert(1)>'):
        response = browser.client.get("/search", params={"q": query})
        assert response.status_code == 200
        assert query not in response.text or query.isalnum()
        assert "<svg" not in response.text and "<script>alert" not in response.text
        assert web.client().get("/healthz").status_code == 200
    hits = browser.client.get("/search", params={"q": "alert"})
    assert f'href="/entities/{world["xss"]}"' in hits.text and "<img" not in hits.text
    # The SQL text was stored as text: the tables are intact and search still works.
    assert world["ravi"] in browser.client.get("/search", params={"q": "ravi"}).text
    # JSON carries the raw value; it is data, not markup, and the content type says so.
    api = web.api(web.user("ncb", Role.ANALYST))
    response = api.get(f"/api/v1/entities/{world['xss']}")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["caption"] == XSS


def test_hostile_upload_names_and_values_are_escaped(web: Web) -> None:
    browser = web.browser(web.user("ncb", Role.ANALYST))
    content = f"id,name,birthDate\nH-1,{XSS},not-a-date\n".encode()
    response = browser.post(
        "/imports",
        {"source": "<b>register</b>"},
        files={"file": ("<img src=x onerror=alert(1)>.csv", content, "text/csv")},
    )
    assert response.status_code == 422
    assert "<img" not in response.text and "<b>register" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in response.text
