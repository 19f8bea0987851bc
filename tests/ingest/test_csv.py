"""CSV records: columns, values, markings, and every class of bad input with its location."""

from __future__ import annotations

import pytest

from ingest.support import Reader, local_id
from narcolink.model.markings import TLP, Handling, Markings

HEADER = "id,name,country,phone,birthDate,email\n"


def test_reads_typed_values_with_originals(read: Reader) -> None:
    got = read(HEADER + "P-1,  Rahul Verma ,India,98100 00011,1998-03-12,r@example.com\n")
    assert got.issues == []
    record = got.by_source("P-1")
    assert record.id == local_id("P-1")
    assert record.schema.name == "Person"
    assert record.properties == {
        "name": ["Rahul Verma"],
        "country": ["in"],
        "phone": ["+919810000011"],
        "birthDate": ["1998-03-12"],
        "email": ["r@example.com"],
    }
    assert record.originals[("country", "in")] == "India"
    assert record.originals[("phone", "+919810000011")] == "98100 00011"


def test_schema_from_file_name_column_or_argument(read: Reader) -> None:
    assert read("id,name\nS-1,x\n", "seizures.csv").records[0].schema.name == "Seizure"
    assert (
        read(
            "id,substance,seizure\nI-1,tramadol,ncb-" + "0" * 24 + "\n",
            "seized_items.csv",
            known={"ncb-" + "0" * 24: "Seizure"},
        )
        .records[0]
        .schema.name
        == "SeizedItem"
    )
    mixed = read("id,schema,name\nA,Person,Ann\nB,Company,Acme Ltd\n", "export.csv")
    assert [r.schema.name for r in mixed.records] == ["Person", "Company"]
    assert read("id,name\nA,Ann\n", "export.csv", schema="Company").records[0].schema.name == (
        "Company"
    )


def test_no_schema_is_reported(read: Reader) -> None:
    got = read("id,name\nA,Ann\n", "export.csv")
    assert [(i.row, i.field) for i in got.issues] == [(0, "schema")]
    assert "schema" in got.issues[0].reason


def test_semicolons_split_list_types_only(read: Reader) -> None:
    got = read("id,name,phone,notes\nP-1,Ann; Bee,+91 98100 00011;+1 205 555 0147,a;b\n")
    record = got.records[0]
    assert record.properties["phone"] == ["+919810000011", "+12055550147"]
    assert record.properties["name"] == ["Ann; Bee"]
    assert record.properties["notes"] == ["a;b"]


def test_repeated_columns_add_values(read: Reader) -> None:
    got = read("id,name,alias,alias\nP-1,Rahul Verma,राहुल वर्मा,R. Verma\n")
    assert got.records[0].properties["alias"] == ["राहुल वर्मा", "R. Verma"]


def test_property_names_in_any_case(read: Reader) -> None:
    got = read("ID,Name,BIRTHDATE\nP-1,Ann,1990-01-02\n")
    assert got.issues == []
    assert got.records[0].properties["birthDate"] == ["1990-01-02"]


def test_phone_region_from_record_then_agency(read: Reader) -> None:
    got = read("id,name,country,phone\nA,Ann,us,(205) 555-0147\nB,Bee,,98100 00011\n")
    assert got.by_source("A").properties["phone"] == ["+12055550147"]
    assert got.by_source("B").properties["phone"] == ["+919810000011"]
    nowhere = read("id,name,phone\nA,Ann,98100 00011\n", region=None)
    assert nowhere.issues[0].field == "phone"
    assert "+CC" in nowhere.issues[0].reason


def test_consignment_phones_use_origin_and_destination(read: Reader) -> None:
    got = read(
        "id,trackingNumber,originCountry,destinationCountry,senderPhone,recipientPhone\n"
        "C-1,EE100000011IN,in,us,94480 00051,(205) 555-0147\n",
        "consignments.csv",
    )
    assert got.records[0].properties["senderPhone"] == ["+919448000051"]
    assert got.records[0].properties["recipientPhone"] == ["+12055550147"]


def test_marking_columns_refine_the_import_markings(read: Reader) -> None:
    got = read(
        "id,name,tlp,source_grading\nA,Ann,RED,admiralty:B\nB,Bee,,\n",
        markings=Markings(tlp=TLP.GREEN, handling=Handling.H2),
    )
    a, b = got.by_source("A"), got.by_source("B")
    assert a.markings is not None
    assert (a.markings.tlp, a.markings.handling) == (TLP.RED, Handling.H2)
    assert str(a.markings.source_grading) == "admiralty:B"
    assert b.markings is None  # the batch's markings apply


def test_references_resolve_in_file_then_store(read: Reader) -> None:
    stored = "ncb-" + "a" * 24
    got = read(
        "id,schema,name,personsInvolved\n"
        f"S-1,Seizure,Seizure one,P-1;{stored};P-OLD\n"
        "P-1,Person,Ann,\n",
        "mixed.csv",
        known={stored: "Person", local_id("P-OLD"): "Person"},
    )
    assert got.issues == []
    seizure = got.by_source("S-1")
    assert seizure.properties["personsInvolved"] == [local_id("P-1"), stored, local_id("P-OLD")]
    assert seizure.originals[("personsInvolved", local_id("P-1"))] == "P-1"


def test_dangling_reference_names_row_and_field(read: Reader) -> None:
    got = read(
        "id,name,personsInvolved\nS-1,x,P-1\nS-2,y,P-404\n",
        "seizures.csv",
        known={local_id("P-1"): "Person"},
    )
    assert [(i.row, i.field) for i in got.issues] == [(2, "personsInvolved")]
    assert "P-404" in got.issues[0].reason and "matches no record" in got.issues[0].reason


def test_reimport_with_another_schema_is_refused(read: Reader) -> None:
    got = read("id,name\nP-1,Ann\n", known={local_id("P-1"): "Company"})
    assert got.issues[0].field == "schema"
    assert "before as a Company" in got.issues[0].reason


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("P-1,Ann,xx,,,", "country", "not a valid country"),
        ("P-1,Ann,,12,,", "phone", "phone"),
        ("P-1,Ann,,,14/05/2025,", "birthDate", "not a valid date"),
        ("P-1,Ann,,,,not-an-email", "email", "not a valid email"),
        (",Ann,,,,", "id", "empty record id"),
        ("P-1,,,,,", "name", "missing required property 'name'"),
    ],
)
def test_bad_values_name_row_field_reason(read: Reader, row: str, field: str, words: str) -> None:
    got = read(HEADER + "P-0,Fine,,,,\n" + row + "\n")
    assert [(i.file, i.row, i.field) for i in got.issues] == [("persons.csv", 2, field)]
    assert words in got.issues[0].reason
    assert got.records == []


def test_all_problems_are_collected(read: Reader) -> None:
    got = read(HEADER + "A,Ann,xx,,,\nB,Bee,,,1990-13-01,\nC,Cy,,,,bad\n")
    assert [(i.row, i.field) for i in got.issues] == [
        (1, "country"),
        (2, "birthDate"),
        (3, "email"),
    ]


def test_unknown_schema_and_property(read: Reader) -> None:
    got = read("id,name,favouriteColour\nP-1,Ann,blue\n")
    assert [(i.row, i.field) for i in got.issues] == [(0, "favouriteColour")]
    assert "no property" in got.issues[0].reason
    mixed = read("id,schema,name\nA,Persn,Ann\nB,Person,Bee\n", "x.csv")
    assert [(i.row, i.field) for i in mixed.issues] == [(1, "schema")]
    assert "unknown schema 'Persn'" in mixed.issues[0].reason


def test_duplicate_ids(read: Reader) -> None:
    got = read("id,name\nP-1,Ann\nP-2,Bee\nP-1,Ann again\n")
    assert [(i.row, i.field) for i in got.issues] == [(3, "id")]
    assert "duplicate record id 'P-1'" in got.issues[0].reason


def test_header_problems(read: Reader) -> None:
    assert read("name\nAnn\n").issues[0].field == "id"
    assert "two 'id' columns" in read("id,name,id\n1,a,1\n").issues[0].reason
    assert "without a name" in read("id,,name\n1,x,a\n").issues[0].reason
    assert "empty" in read("").issues[0].reason


def test_wrong_column_count(read: Reader) -> None:
    got = read("id,name\nP-1,Ann,extra\nP-2\nP-3,Cy\n")
    assert [(i.row, i.field) for i in got.issues] == [(1, None), (2, None)]
    assert "3 fields; the header has 2" in got.issues[0].reason


def test_unbalanced_quotes(read: Reader) -> None:
    got = read('id,name\nP-1,"Ann"x\nP-2,Bee\n')
    assert got.issues[0].row == 1
    assert "quot" in got.issues[0].reason


def test_file_cut_off_inside_a_quoted_field(read: Reader) -> None:
    got = read('id,name,notes\nP-1,Ann,fine\nP-2,Bee,"this note never ends\n')
    assert [(i.row, i.field) for i in got.issues] == [(2, None)]
    assert "ends inside a quoted field" in got.issues[0].reason


def test_file_cut_off_mid_row(read: Reader) -> None:
    got = read("id,name,country\nP-1,Ann,in\nP-2,Be")
    assert got.issues[0].row == 2 and "2 fields; the header has 3" in got.issues[0].reason


def test_quoted_newlines_and_bom_are_fine(read: Reader) -> None:
    got = read(b'\xef\xbb\xbfid,name,notes\r\nP-1,Ann,"two\r\nlines"\r\n')
    assert got.issues == []
    assert got.records[0].properties["notes"] == ["two\r\nlines"]


def test_latin1_is_refused_with_a_hint(read: Reader) -> None:
    got = read("id,name\nP-1,José\n".encode("latin-1"))
    assert len(got.issues) == 1
    assert got.issues[0].row == 1
    assert "not valid UTF-8" in got.issues[0].reason
    assert "Latin-1" in got.issues[0].reason


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_refused(read: Reader, encoding: str) -> None:
    got = read("id,name\nP-1,Ann\n".encode(encoding))
    assert len(got.issues) == 1
    assert "UTF-16" in got.issues[0].reason or "UTF-32" in got.issues[0].reason
    assert "only UTF-8 is accepted" in got.issues[0].reason


def test_nul_bytes(read: Reader) -> None:
    got = read(b"id,name\nP-1,An\x00n\nP-2,Bee\n")
    assert [(i.row, i.field) for i in got.issues] == [(1, None)]
    assert "NUL" in got.issues[0].reason


def test_control_characters_in_a_value(read: Reader) -> None:
    got = read("id,name\nP-1,An\x07n\n")
    assert got.issues[0].field == "name" and "control characters" in got.issues[0].reason


def test_million_character_field_is_an_error(read: Reader) -> None:
    got = read("id,name,notes\nP-1,Ann," + "x" * 1_000_000 + "\nP-2,Bee,ok\n")
    assert [(i.row, i.field) for i in got.issues] == [(1, "notes")]
    assert "1,000,000 characters; the limit is 100,000" in got.issues[0].reason


def test_overlong_line_is_refused_unread(read: Reader) -> None:
    # Lines are capped at 64 maximal fields or 1 MiB, whichever is more.
    got = read("id,name\nP-1," + "x" * 1_100_000 + "\nP-2,Bee\n", max_field_chars=100)
    assert [i.row for i in got.issues] == [1]
    assert "longer than" in got.issues[0].reason


def test_issue_count_is_capped(read: Reader) -> None:
    got = read(HEADER + "".join(f"P-{n},Ann,xx,,,\n" for n in range(1500)))
    assert len(got.issues) == got.report.limit == 1000


def test_injection_strings_are_data(read: Reader) -> None:
    nasty = "'); DROP TABLE entities;--"
    html = "<script>alert(1)</script>"
    got = read(f'id,name,notes\n"{nasty}","{html}","{nasty} {html}"\n')
    assert got.issues == []
    record = got.records[0]
    assert record.source_record == nasty
    assert record.properties == {"name": [html], "notes": [f"{nasty} {html}"]}
