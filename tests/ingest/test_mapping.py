"""Declarative mappings: an agency's own CSV export loaded without code."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.support import Reader, local_id
from narcolink.ingest.mapping import Template
from narcolink.model.markings import TLP

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REGISTER = (EXAMPLES / "delhi_seizure_register.csv").read_text(encoding="utf-8")
REGISTER_MAPPING = (EXAMPLES / "delhi_seizure_register.yml").read_text(encoding="utf-8")


def test_example_register(read: Reader) -> None:
    got = read(REGISTER, "register.csv", mapping=REGISTER_MAPPING)
    assert got.issues == [], got.reasons()
    schemata = sorted(r.schema.name for r in got.records)
    assert schemata == ["Person"] * 2 + ["SeizedItem"] * 3 + ["Seizure"] * 3 + ["Vehicle"]

    first = got.by_source("NCB/DZU/CR-041/2025")
    assert first.properties["date"] == ["2025-05-14"]
    assert first.originals[("date", "2025-05-14")] == "14/05/2025"
    assert first.properties["name"] == ["Seizure NCB/DZU/CR-041/2025"]
    assert first.properties["country"] == ["in"]
    accused = got.by_source("NCB/DZU/CR-041/2025/accused/Rahul Verma")
    assert first.properties["personsInvolved"] == [accused.id]
    assert first.properties["vehicles"] == [local_id("vehicle/DL 3C AB 0000")]
    assert accused.properties["alias"] == ["राहुल वर्मा"]
    assert accused.properties["phone"] == ["+919810000011", "+919810000012"]

    assert got.by_source("NCB/DZU/CR-052/2025").properties["date"] == ["2025-06-02"]
    third = got.by_source("NCB/DZU/CR-060/2025")
    assert third.properties["date"] == ["2025-07-19"]
    assert "personsInvolved" not in third.properties  # optional accused, empty in row 3
    assert third.markings is not None and third.markings.tlp is TLP.RED
    item = got.by_source("NCB/DZU/CR-060/2025/item/3")
    assert item.properties["seizure"] == [third.id]
    assert item.properties["quantity"] == ["1200"]


MINIMAL = """
entities:
  person:
    schema: Person
    id: "{No}"
    properties:
      name: Name
      birthDate:
        column: Born
        date_format: "%d/%m/%Y"
"""


def test_date_that_matches_no_format(read: Reader) -> None:
    got = read("No,Name,Born\n1,Ann,12/03/1998\n2,Bee,1998-03-12\n", "x.csv", mapping=MINIMAL)
    assert [(i.file, i.row, i.field) for i in got.issues] == [("x.csv", 2, "Born")]
    assert "does not match %d/%m/%Y" in got.issues[0].reason


def test_empty_id_column(read: Reader) -> None:
    got = read("No,Name,Born\n,Ann,12/03/1998\n", "x.csv", mapping=MINIMAL)
    assert [(i.row, i.field) for i in got.issues] == [(1, "No")]
    assert "optional: true" in got.issues[0].reason


def test_missing_columns_are_named(read: Reader) -> None:
    got = read("No,Full name\n1,Ann\n", "x.csv", mapping=MINIMAL)
    assert {(i.row, i.field) for i in got.issues} == {(0, "Born"), (0, "Name")}


def test_columns_join_values_templates_and_row(read: Reader) -> None:
    mapping = """
entities:
  person:
    schema: Person
    id: "{{reg}}-{row}"
    properties:
      name:
        columns: [First, Last]
      notes:
        template: "Seen at {Place}"
      nationality:
        values: [in, np]
"""
    got = read("First,Last,Place\nAnn,Lee,Delhi\nBee,,Udupi\n", "x.csv", mapping=mapping)
    assert got.issues == [], got.reasons()
    ann, bee = got.records
    assert ann.source_record == "{reg}-1"
    assert ann.properties["name"] == ["Ann Lee"] and bee.properties["name"] == ["Bee"]
    assert ann.properties["notes"] == ["Seen at Delhi"]
    assert ann.properties["nationality"] == ["in", "np"]


@pytest.mark.parametrize(
    ("mapping", "field", "words"),
    [
        ("entities: [", "", "not valid YAML (line 1"),
        ("entities: {}", "entities", "expected a mapping"),
        (
            "entities:\n  p:\n    schema: Persn\n    id: '{a}'\n    properties: {name: a}",
            "entities.p.schema",
            "unknown schema",
        ),
        (
            "entities:\n  p:\n    schema: Person\n    id: '{a}'\n    properties: {shoe: a}",
            "entities.p.properties.shoe",
            "no property",
        ),
        (
            "entities:\n  p:\n    schema: Person\n    id: '{a}'\n    colour: red\n"
            "    properties: {name: a}",
            "entities.p.colour",
            "unknown key",
        ),
        (
            "entities:\n  p:\n    schema: Person\n    id: '{a}'\n"
            "    properties: {name: {column: a, value: b}}",
            "entities.p.properties.name",
            "exactly one",
        ),
        (
            "entities:\n  p:\n    schema: Person\n    id: '{a}'\n"
            "    properties: {addressEntity: {entity: q}}",
            "entities.p.properties.addressEntity.entity",
            "no entity called 'q'",
        ),
        (
            "entities:\n  p:\n    schema: Person\n    id: 'fixed'\n    properties: {name: a}",
            "entities.p.id",
            "placeholder",
        ),
        (
            "entities:\n  p:\n    schema: Person\n    id: '{a}'\n"
            "    properties: {birthDate: {column: a, date_format: 'dd/mm/yyyy'}}",
            "entities.p.properties.birthDate.date_format",
            "% directive",
        ),
        (
            "markings: {colour: a}\nentities:\n  p:\n    schema: Person\n    id: '{a}'\n"
            "    properties: {name: a}",
            "markings.colour",
            "not a marking field",
        ),
    ],
)
def test_mapping_problems_name_the_mapping_file(
    read: Reader, mapping: str, field: str, words: str
) -> None:
    got = read("a\n1\n", "x.csv", mapping=mapping)
    assert got.issues, "expected a problem"
    issue = got.issues[0]
    assert (issue.file, issue.row, issue.field) == ("mapping.yml", None, field)
    assert words in issue.reason


def test_template_parsing() -> None:
    template = Template.parse("{FIR No.}/{{x}}/{row}")
    assert template.columns == ["FIR No."]
    text, missing = template.render({"FIR No.": "A-1", "row": "7"}.__getitem__)
    assert (text, missing) == ("A-1/{x}/7", [])
