"""``narcolink import | export | audit``: exit codes, validation report, tamper detection."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import delete, select, update

from narcolink import exc
from narcolink.store import tables as t

from .clihelp import Cli

GOOD = """id,name,nationality,phone
P1,Arjun Mehta,in,+91 90000 10101
P2,अर्जुन मेहता,in,+91 90000 10102
"""

BAD = """id,name,nationality,phone,birthDate
P3,Vikas Sharma,in,+91 90000 10103,1997-11-02
P4,Neha Bansal,narnia,+91 90000 10104,not a date
"""


def _entity_count(cli: Cli) -> int:
    node = cli.node()
    try:
        with node.transaction() as conn:
            return len(conn.execute(select(t.entities.c.id)).all())
    finally:
        node.close()


def test_import_good_file_then_again_changes_nothing(initialised: Cli) -> None:
    path = initialised.write("persons.csv", GOOD)
    first = initialised("import", str(path), "--source", "ncb-register", "--as", "ravi")
    assert first.exit_code == 0, first.output
    assert "imported 2 record(s)" in first.output
    again = initialised("import", str(path), "--source", "ncb-register", "--as", "ravi")
    assert again.exit_code == 0
    assert "nothing changed" in again.output
    assert _entity_count(initialised) == 2


def test_import_bad_file_exits_2_with_the_report_and_writes_nothing(initialised: Cli) -> None:
    path = initialised.write("persons.csv", BAD)
    result = initialised("import", str(path), "--source", "ncb-register", "--as", "ravi")
    assert result.exit_code == exc.InvalidInput.exit_code == 2
    assert "Validation report: persons.csv" in result.stderr
    assert "nationality" in result.stderr and "birthDate" in result.stderr
    assert "nothing was written" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: 2 problem(s) in persons.csv")
    assert result.stdout == ""
    assert _entity_count(initialised) == 0


REGISTER = """Name,Mobile,Remarks
Rahul Verma,98100 00011 / 98100 00012,vehicle check
Neha Bansal,98710 00041,
"""

MAPPING = """entities:
  person:
    schema: Person
    id: "{Name}"
    properties:
      name: Name
      phone:
        column: Mobile
        split: "/"
      notes: Remarks
"""


def test_import_with_a_mapping_file(initialised: Cli) -> None:
    data = initialised.write("register.csv", REGISTER)
    mapping = initialised.write("register.yml", MAPPING)
    result = initialised(
        "import", str(data), "--mapping", str(mapping), "--source", "register", "--as", "ravi"
    )
    assert result.exit_code == 0, result.output
    assert "imported 2 record(s)" in result.output
    bad = initialised.write("bad.yml", MAPPING.replace("schema: Person", "schema: Wizard"))
    result = initialised(
        "import", str(data), "--mapping", str(bad), "--source", "register2", "--as", "ravi"
    )
    assert result.exit_code == 2
    assert "Wizard" in result.stderr


def test_import_markings_are_validated(initialised: Cli) -> None:
    path = initialised.write("persons.csv", GOOD)
    result = initialised("import", str(path), "--source", "s", "--tlp", "PURPLE", "--as", "ravi")
    assert result.exit_code == 2
    assert "tlp must be one of" in result.stderr


def test_import_needs_the_import_permission(initialised: Cli) -> None:
    path = initialised.write("persons.csv", GOOD)
    result = initialised("import", str(path), "--source", "s", "--as", "meera")
    assert result.exit_code == exc.Forbidden.exit_code == 3
    assert "'import'" in result.stderr


def test_export_ftm_and_csv_carry_the_records(initialised: Cli) -> None:
    path = initialised.write("persons.csv", GOOD)
    assert (
        initialised(
            "import", str(path), "--source", "s", "--tlp", "GREEN", "--as", "ravi"
        ).exit_code
        == 0
    )
    out = initialised.tmp / "out.jsonl"
    result = initialised("export", "--format", "ftm", "--out", str(out), "--as", "ravi")
    assert result.exit_code == 0, result.output
    assert "Exported 2 record(s)" in result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {line["schema"] for line in lines} == {"Person"}
    assert "GREEN" in out.read_text(encoding="utf-8")
    out_csv = initialised.tmp / "out.csv"
    result = initialised("export", "--format", "csv", "--out", str(out_csv), "--as", "ravi")
    assert result.exit_code == 0, result.output
    with out_csv.open(encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == 2


def test_export_rejects_an_unknown_format(initialised: Cli) -> None:
    result = initialised("export", "--format", "xml", "--out", "x", "--as", "ravi")
    assert result.exit_code == 2
    assert "ftm or csv" in result.stderr


def test_audit_verify_intact_and_tail(initialised: Cli) -> None:
    result = initialised("audit", "verify", "--as", "meera")
    assert result.exit_code == 0, result.output
    assert "Audit chain intact" in result.output
    tail = initialised("audit", "tail", "-n", "5", "--as", "meera")
    assert tail.exit_code == 0
    assert "audit.verify" in tail.output


def _tamper(cli: Cli, how: str) -> None:
    node = cli.node()
    try:
        with node.transaction() as conn:
            a = t.audit_log
            if how == "edit":
                conn.execute(update(a).where(a.c.seq == 2).values(detail='{"forged": true}'))
            elif how == "delete":
                conn.execute(delete(a).where(a.c.seq == 2))
            else:  # reorder: swap rows 2 and 3
                conn.execute(update(a).where(a.c.seq == 2).values(seq=-1))
                conn.execute(update(a).where(a.c.seq == 3).values(seq=2))
                conn.execute(update(a).where(a.c.seq == -1).values(seq=3))
    finally:
        node.close()


@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("edit", "row 2: content does not match its hash: row edited"),
        ("delete", "sequence jumps from 1 to 3"),
        ("reorder", "does not follow the previous row"),
    ],
)
def test_audit_verify_reports_tampering_with_exit_6(initialised: Cli, how: str, says: str) -> None:
    _tamper(initialised, how)
    result = initialised("audit", "verify", "--as", "meera")
    assert result.exit_code == exc.AuditBroken.exit_code == 6
    problems = [line for line in result.stderr.splitlines() if line.startswith("problem: ")]
    assert problems
    assert any(says in line for line in problems), result.stderr
    assert "error: audit chain broken" in result.stderr


def test_audit_verify_needs_the_permission(initialised: Cli) -> None:
    result = initialised("audit", "verify", "--as", "ravi")
    assert result.exit_code == 3
    assert "verify_audit" in result.stderr
