"""Input handling: lines, CSV, SDF; every problem located by file, row and field."""

from __future__ import annotations

import pytest

from narcolink.analysis.chemistry.entries import from_csv, from_file, from_sdf, from_text
from narcolink.exc import InvalidInput

MOLFILE = """P2P
  handwritten

  3  2  0  0  0  0  0  0  0  0999 V2000
    0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0
    1.2990    0.7500    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0
    1.2990    2.2500    0.0000 O   0  0  0  0  0  0  0  0  0  0  0  0
  1  2  1  0
  2  3  2  0
M  END
"""


def test_lines_skip_blanks_and_comments_and_keep_line_numbers() -> None:
    entries = from_text("# invoice 7\nBMK\n\n437-38-7\n")
    assert [(e.row, e.text, e.kind) for e in entries] == [
        (2, "BMK", "name or smiles"),
        (4, "437-38-7", "cas"),
    ]


def test_nothing_to_screen_is_an_error() -> None:
    with pytest.raises(InvalidInput, match="nothing to screen"):
        from_text("# only a comment\n\n")


def test_csv_picks_the_structure_and_label_columns() -> None:
    text = "line,Product,SMILES\nA1,acetone,CC(C)=O\nA2,P2P,CC(=O)Cc1ccccc1\n"
    entries = from_csv(text, "invoice.csv")
    assert [(e.row, e.label, e.text) for e in entries] == [
        (2, "A1", "CC(C)=O"),
        (3, "A2", "CC(=O)Cc1ccccc1"),
    ]


def test_csv_problems_name_file_row_and_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        from_csv("id,smiles\n1,CCO\n2,\n3,CC,extra\n", "bad.csv")
    issues = [(i.file, i.row, i.field) for i in caught.value.report.issues]
    assert ("bad.csv", 3, "smiles") in issues
    assert ("bad.csv", 4, None) in issues


def test_sdf_records_and_a_record_without_m_end() -> None:
    entries = from_sdf(MOLFILE + "$$$$\n" + MOLFILE + "$$$$\n", "two.sdf")
    assert [e.label for e in entries] == ["P2P", "P2P"] and entries[0].kind == "molfile"
    with pytest.raises(InvalidInput, match="M  END"):
        from_sdf("broken\n  x\n\n  0  0\n$$$$\n", "bad.sdf")


def test_files_must_be_utf8_and_are_read_by_extension() -> None:
    with pytest.raises(InvalidInput, match="UTF-8"):
        from_file("latin.txt", "acétone".encode("latin-1"))
    assert from_file("items.sdf", MOLFILE.encode())[0].kind == "molfile"
    assert from_file("items.csv", b"name\nBMK\n")[0].text == "BMK"


def test_a_runaway_field_is_refused() -> None:
    with pytest.raises(InvalidInput, match="longer than"):
        from_text("C" * 100_001)
