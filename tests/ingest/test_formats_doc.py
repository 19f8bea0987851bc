"""docs/formats.md must not drift from the example files and the schema."""

from __future__ import annotations

from pathlib import Path

from narcolink.ingest.csvfile import schema_from_filename
from narcolink.ingest.formatdoc import BEGIN, END, RECORD_FILES, render_record_types
from narcolink.model.vocabulary import narcolink_schema_names

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "formats.md"
EXAMPLES = ROOT / "examples"


def test_record_type_tables_are_generated_from_the_examples() -> None:
    text = DOC.read_text(encoding="utf-8")
    committed = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert committed == render_record_types(EXAMPLES), "run: narcolink docs formats"


def test_every_narcolink_record_type_has_a_reference_file() -> None:
    documented = {schema_from_filename(name) for name in RECORD_FILES}
    assert set(narcolink_schema_names()) <= documented


def test_every_example_file_is_described() -> None:
    text = DOC.read_text(encoding="utf-8")
    for path in EXAMPLES.iterdir():
        assert f"`{path.name}`" in text or f"examples/{path.name}" in text, path.name
