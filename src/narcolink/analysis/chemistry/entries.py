"""What an officer hands in: pasted lines, a CSV, an SDF or a molfile, split into entries.

Pure text handling (no RDKit): each entry keeps its row and a label, so every result
and every error can say where it came from. Bad input raises ``InvalidInput`` naming the
file, row, field and reason, before anything is screened.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from narcolink.analysis.chemistry.cas import looks_like_cas
from narcolink.exc import InvalidInput, ValidationReport

MAX_ENTRY_CHARS = 100_000  # a molfile of a large molecule fits; a runaway field does not
STRUCTURE_COLUMNS = ("smiles", "structure", "inchi", "molecule", "cas", "cas_number", "cas_no")
NAME_COLUMNS = ("name", "chemical", "substance", "description", "product", "item")
LABEL_COLUMNS = ("id", "label", "ref", "reference", "invoice", "line", "item_id")


@dataclass(frozen=True)
class Entry:
    """One thing to screen: a name, CAS number, SMILES, InChI or molfile block."""

    row: int
    text: str
    label: str = ""

    @property
    def kind(self) -> str:
        stripped = self.text.strip()
        if "M  END" in self.text:
            return "molfile"
        if stripped.startswith("InChI="):
            return "inchi"
        if looks_like_cas(stripped):
            return "cas"
        return "name or smiles"


def _check(report: ValidationReport, row: int, field: str, text: str) -> bool:
    if len(text) > MAX_ENTRY_CHARS:
        report.add(row, field, f"longer than {MAX_ENTRY_CHARS:,} characters")
        return False
    if "\x00" in text:
        report.add(row, field, "contains a NUL character")
        return False
    return True


def from_text(text: str, source: str = "pasted text") -> list[Entry]:
    """One entry per non-empty line (``#`` starts a comment line), or one per molfile
    block when the text holds molfiles (SDF ``$$$$`` separators allowed)."""
    if "M  END" in text:
        return from_sdf(text, source)
    report = ValidationReport(source)
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        report.rows_read += 1
        if _check(report, number, "line", stripped):
            entries.append(Entry(number, stripped))
    if report.issues:
        raise InvalidInput(report)
    if not entries:
        report.add(None, None, "nothing to screen: no names, CAS numbers or structures")
        raise InvalidInput(report)
    return entries


def from_items(items: list[str], source: str = "request") -> list[Entry]:
    """One entry per item of a list (an API body): row numbers count from 1."""
    report = ValidationReport(source)
    entries = []
    for number, item in enumerate(items, start=1):
        report.rows_read += 1
        text = item if "M  END" in item else item.strip()
        if not text:
            report.add(number, "item", "empty: no name, CAS number or structure")
        elif _check(report, number, "item", text):
            entries.append(Entry(number, text))
    if report.issues:
        raise InvalidInput(report)
    return entries


def from_sdf(text: str, source: str) -> list[Entry]:
    """Each record of an SDF (or a single molfile); the label is the title line or the
    first data field."""
    report = ValidationReport(source)
    entries = []
    for number, block in enumerate(text.replace("\r\n", "\n").split("$$$$"), start=1):
        if not block.strip():
            continue
        report.rows_read += 1
        molfile, _, data = block.lstrip("\n").partition("M  END")
        if not _:
            report.add(number, "molfile", "record has no 'M  END' line")
            continue
        title = molfile.splitlines()[0].strip() if molfile.splitlines() else ""
        label = title or _first_field(data)
        if _check(report, number, "molfile", molfile):
            entries.append(Entry(number, molfile + "M  END\n", label[:200]))
    if report.issues:
        raise InvalidInput(report)
    if not entries:
        report.add(None, None, "no molfile records found")
        raise InvalidInput(report)
    return entries


def _first_field(data: str) -> str:
    lines = data.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(">") and i + 1 < len(lines):
            return lines[i + 1].strip()
    return ""


def from_csv(text: str, source: str) -> list[Entry]:
    """A CSV with a header. The structure comes from a SMILES/InChI/CAS column, else a
    name column, else the first column; a label from an id-like column if there is one.
    Row numbers count the header as row 1, as a spreadsheet shows them."""
    report = ValidationReport(source)
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        report.add(None, None, f"not a readable CSV: {error}")
        raise InvalidInput(report) from None
    if not rows or not any(c.strip() for c in rows[0]):
        report.add(1, None, "no header row")
        raise InvalidInput(report)
    header = [h.strip().lower().replace(" ", "_") for h in rows[0]]
    value_col = next((header.index(c) for c in STRUCTURE_COLUMNS if c in header), None)
    if value_col is None:
        value_col = next((header.index(c) for c in NAME_COLUMNS if c in header), 0)
    label_col = next((header.index(c) for c in LABEL_COLUMNS if c in header), None)
    if label_col is None:
        label_col = next(
            (header.index(c) for c in NAME_COLUMNS if c in header and header.index(c) != value_col),
            None,
        )
    field = rows[0][value_col].strip() or f"column {value_col + 1}"
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        report.rows_read += 1
        if len(row) != len(header):
            report.add(number, None, f"has {len(row)} fields, the header has {len(header)}")
            continue
        value = row[value_col].strip()
        if not value:
            report.add(number, field, "empty: no name, CAS number or structure")
            continue
        label = row[label_col].strip() if label_col is not None else ""
        if _check(report, number, field, value):
            entries.append(Entry(number, value, label[:200]))
    if report.issues:
        raise InvalidInput(report)
    if not entries:
        report.add(None, None, "the CSV has a header but no rows")
        raise InvalidInput(report)
    return entries


def from_file(name: str, data: bytes) -> list[Entry]:
    """Entries from an uploaded or named file, by its extension: .csv, .sdf/.mol, or
    plain text (.txt, .smi, anything else)."""
    report = ValidationReport(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        report.add(None, None, f"not UTF-8 text (byte {error.start}); save the file as UTF-8")
        raise InvalidInput(report) from None
    lower = name.lower()
    if lower.endswith(".csv"):
        return from_csv(text, name)
    if lower.endswith((".sdf", ".mol", ".sd")):
        return from_sdf(text, name)
    return from_text(text, name)
