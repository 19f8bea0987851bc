"""JSON lines (strict) and FtM entity JSON (lines or an array)."""

from __future__ import annotations

import json

import pytest

from ingest.support import Reader, local_id
from narcolink.model.markings import TLP


def lines(*objects: object) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)


PERSON = {
    "id": "P-1",
    "schema": "Person",
    "properties": {"name": ["अमन त्यागी"], "phone": ["98100 00021"]},
}


def test_jsonl_records_and_markings(read: Reader) -> None:
    got = read(
        lines(
            PERSON,
            {
                "id": "W-1",
                "schema": "CryptoWallet",
                "tlp": "RED",
                "properties": {
                    "publicKey": "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
                    "holder": ["P-1"],
                    "balance": [0.5],
                },
            },
        ),
        "data.jsonl",
    )
    assert got.issues == []
    person, wallet = got.records
    assert person.properties == {"name": ["अमन त्यागी"], "phone": ["+919810000021"]}
    assert wallet.properties["holder"] == [local_id("P-1")]
    assert wallet.properties["balance"] == ["0.5"]
    assert wallet.markings is not None and wallet.markings.tlp is TLP.RED


def test_jsonl_problems_name_the_line(read: Reader) -> None:
    got = read(
        lines(PERSON)
        + "\n"  # blank lines are skipped but counted
        + '{"id": "P-2", "schema": "Person", "properties": {"name": ["x"]}, "colour": 1}\n'
        + "{not json}\n"
        + lines(
            {"id": "P-3", "schema": "Persn", "properties": {}},
            {"id": "P-4", "schema": "Person", "properties": {"name": ["y"], "shoeSize": ["9"]}},
            {"id": "P-5", "schema": "Person", "properties": {"name": [True]}},
            {"id": "", "schema": "Person", "properties": {"name": ["z"]}},
            ["not", "an", "object"],
        ),
        "data.jsonl",
    )
    assert [(i.row, i.field) for i in got.issues] == [
        (3, "colour"),
        (4, None),
        (5, "schema"),
        (6, "shoeSize"),
        (7, "name"),
        (8, "id"),
        (9, None),
    ]
    assert "not valid JSON" in got.issues[1].reason


def test_jsonl_cut_off_last_line(read: Reader) -> None:
    got = read(lines(PERSON) + '{"id": "P-2", "schema": "Per', "data.jsonl")
    assert [(i.row, i.field) for i in got.issues] == [(2, None)]


def test_ftm_array_ignores_ftm_keys_and_reads_narcolink_markings(read: Reader) -> None:
    data = [
        {
            "id": "co-1",
            "schema": "Company",
            "caption": "Acme",
            "datasets": ["x"],
            "properties": {"name": ["Acme Ltd"], "jurisdiction": ["ae"]},
        },
        {
            "id": "own-1",
            "schema": "Ownership",
            "first_seen": "2024-01-01",
            "properties": {"owner": ["co-1"], "asset": ["co-1"]},
            "narcolink": {"agency": "dea", "markings": {"tlp": "AMBER+STRICT", "pap": "RED"}},
        },
    ]
    got = read(json.dumps(data, indent=2), "companies.json")
    assert got.issues == []
    ownership = got.by_source("own-1")
    assert ownership.properties["owner"] == [local_id("co-1")]
    assert ownership.markings is not None and ownership.markings.tlp is TLP.AMBER_STRICT


def test_ftm_lines(read: Reader) -> None:
    got = read(lines({**PERSON, "caption": "x", "datasets": ["d"]}), "entities.ftm")
    assert got.issues == [] and len(got.records) == 1


@pytest.mark.parametrize(
    ("text", "row", "words"),
    [
        ('[{"id": "a", "schema": "Person", "properties": {"name": ["x"]}}', 2, "ends inside"),
        ('[{"id": "a", "schema": "Person", "properties": {"name": ["x"', 1, "not valid JSON"),
        ('[{"id": "a", "schema": "Person", "properties": {"name": ["x"]}} {"id": "b"}]', 2, "','"),
        ("[1]", 1, "expected a JSON object"),
        ("[]  x", None, "after the end"),
    ],
)
def test_ftm_array_problems(read: Reader, text: str, row: int | None, words: str) -> None:
    got = read(text, "entities.json")
    assert got.issues[0].row == row
    assert words in got.issues[0].reason


def test_ftm_array_larger_than_a_chunk(read: Reader) -> None:
    data = [
        {
            "id": f"P-{n}",
            "schema": "Person",
            "properties": {"name": [f"Name {n}"], "notes": ["n" * 5000]},
        }
        for n in range(400)  # about 2 MB: several reads of the buffer
    ]
    got = read(json.dumps(data), "entities.json")
    assert got.issues == []
    assert len(got.records) == 400


def test_json_encodings(read: Reader) -> None:
    got = read(lines(PERSON).encode("utf-16"), "data.jsonl")
    assert "UTF-16" in got.issues[0].reason
    array = read(
        json.dumps([PERSON], ensure_ascii=False).encode("latin-1", "replace") + b"\xe9", "a.json"
    )
    assert "not valid UTF-8" in array.issues[0].reason


def test_deeply_nested_json_is_an_error_not_a_crash(read: Reader) -> None:
    got = read("[" * 100_000 + "]" * 100_000 + "\n", "data.jsonl")
    assert got.issues and got.issues[0].row == 1
