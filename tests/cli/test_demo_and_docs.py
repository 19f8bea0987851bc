"""``narcolink demo --no-serve`` and ``narcolink docs model``."""

from __future__ import annotations

import socket
from pathlib import Path

from typer.testing import CliRunner

from narcolink.cli.main import app
from narcolink.cli.modeldoc import render_model_doc
from narcolink.ingest import formatdoc
from narcolink.services import accounts, records
from narcolink.services.demo import LOGINS_FILE, MARKER
from narcolink.services.node import Node
from narcolink.services.setup import operator_actor
from narcolink.settings import Settings


def _demo(data_dir: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, ["demo", "--no-serve", "--data-dir", str(data_dir), "--scale", "0.02"]
    )
    return result.exit_code, result.stdout, result.stderr


def _logins(stdout: str) -> dict[str, str]:
    """username -> password, read from the printed table."""
    found = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.replace("│", "|").split("|") if c.strip()]
        if len(cells) == 4 and cells[1].startswith(("ncb-", "dea-")):
            found[cells[1]] = cells[2]
    return found


def test_demo_builds_the_world_and_prints_working_logins(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    code, out, _ = _demo(target)
    assert code == 0, out
    assert "DEMO ONLY" in out
    logins = _logins(out)
    assert {"ncb-analyst", "ncb-admin", "dea-analyst", "dea-supervisor"} <= set(logins)
    assert "Analyses run:" in out
    assert "network analysis for ncb-analyst from 'Vehicle check, Shakarpur" in out
    assert "network analysis for dea-analyst from 'Search of a residence" in out
    assert (target / MARKER).exists()
    assert (target / LOGINS_FILE).stat().st_mode & 0o777 == 0o600
    node = Node.open(Settings(data_dir=target))
    try:
        ncb = accounts.authenticate(node, "ncb-analyst", logins["ncb-analyst"])
        dea = accounts.authenticate(node, "dea-analyst", logins["dea-analyst"])
        # Names in Devanagari and Latin find the same person; phones find records.
        assert [r.caption for r in records.search(node, ncb, "अर्जुन", 5, None)] == ["Arjun Mehta"]
        assert records.search(node, ncb, "Suresh Goyal", 5, "Person")
        # DEA sees the NCB consignment it was given, not NCB's unshared people.
        shared = records.search(node, dea, "EX100000011IN", 5, None)
        assert {r.agency for r in shared} == {"ncb", "dea"}
        assert records.search(node, dea, "Arjun Mehta", 5, "Person") == []
        # NCB sees the re-shipper that DEA shared.
        assert [r.agency for r in records.search(node, ncb, "Travis Boone", 5, "Person")] == ["dea"]
        assert operator_actor(node, "dea-targeting").agency == "dea"
    finally:
        node.close()


def test_demo_rebuilds_from_scratch_each_run(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    code, out1, _ = _demo(target)
    assert code == 0
    code, out2, _ = _demo(target)
    assert code == 0
    assert _logins(out1)["ncb-analyst"] != _logins(out2)["ncb-analyst"]
    node = Node.open(Settings(data_dir=target))
    try:
        ncb = operator_actor(node, "ncb-analyst")
        assert len(records.search(node, ncb, "Arjun Mehta", 10, "Person")) == 1
    finally:
        node.close()


def test_demo_refuses_to_wipe_a_directory_it_did_not_make(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    code, _, err = _demo(precious)
    assert code == 5
    assert "was not made by 'narcolink demo'" in err
    assert (precious / "notes.txt").read_text() == "keep me"


def test_docs_model_writes_and_checks(tmp_path: Path) -> None:
    out = tmp_path / "model.md"
    runner = CliRunner()
    stale = runner.invoke(app, ["docs", "model", "--check", "--out", str(out)])
    assert stale.exit_code == 5
    assert "out of date" in stale.stderr
    wrote = runner.invoke(app, ["docs", "model", "--out", str(out)])
    assert wrote.exit_code == 0
    assert out.read_text(encoding="utf-8") == render_model_doc()
    fresh = runner.invoke(app, ["docs", "model", "--check", "--out", str(out)])
    assert fresh.exit_code == 0


REPO = Path(__file__).resolve().parents[2]


def test_docs_formats_regenerates_the_record_type_tables(tmp_path: Path) -> None:
    committed = (REPO / "docs" / "formats.md").read_text(encoding="utf-8")
    start = committed.index(formatdoc.BEGIN)
    stop = committed.index(formatdoc.END) + len(formatdoc.END)
    stale = tmp_path / "formats.md"
    old = f"{formatdoc.BEGIN}\nold tables\n{formatdoc.END}"
    stale.write_text(committed[:start] + old + committed[stop:], encoding="utf-8")
    result = CliRunner().invoke(
        app, ["docs", "formats", "--examples", str(REPO / "examples"), "--out", str(stale)]
    )
    assert result.exit_code == 0, result.output
    assert stale.read_text(encoding="utf-8") == committed


def _busy_port() -> tuple[socket.socket, int]:
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    return holder, holder.getsockname()[1]


def test_serve_refuses_a_busy_port(tmp_path: Path) -> None:
    holder, port = _busy_port()
    with holder:
        result = CliRunner().invoke(
            app, ["--data-dir", str(tmp_path / "node"), "serve", "--port", str(port)]
        )
    assert result.exit_code == 5
    assert f"127.0.0.1:{port} is already in use" in result.stderr


def test_demo_refuses_a_busy_port_before_wiping_anything(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    assert _demo(target)[0] == 0
    before = (target / LOGINS_FILE).read_text()
    holder, port = _busy_port()
    with holder:
        result = CliRunner().invoke(app, ["demo", "--data-dir", str(target), "--port", str(port)])
    assert result.exit_code == 5
    assert "already in use" in result.stderr
    assert (target / LOGINS_FILE).read_text() == before
