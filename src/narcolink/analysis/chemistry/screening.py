"""Screening what an officer hands in: names and CAS numbers resolved through the
knowledge base, structures screened (on every core for large batches), results in order.
"""

from __future__ import annotations

from datetime import date

from narcolink.analysis.chemistry.batch import screen_many
from narcolink.analysis.chemistry.cas import is_valid_cas
from narcolink.analysis.chemistry.entries import Entry
from narcolink.analysis.chemistry.kb import load_kb
from narcolink.analysis.chemistry.results import Reason, ReasonKind, ScreenResult

PARALLEL_FROM = 5000  # below this a pool costs more than it saves


def _resolve(entry: Entry) -> tuple[str | None, Reason | None, str | None]:
    """(structure text, a note on how it was found, error)."""
    kb = load_kb()
    text = entry.text.strip()
    kind = entry.kind
    if kind in ("molfile", "inchi"):
        return entry.text, None, None
    if kind == "cas":
        if not is_valid_cas(text):
            return None, None, f"CAS number {text} has a wrong check digit"
        found = kb.by_cas(text)
        if not found:
            return (
                None,
                None,
                (
                    f"CAS number {text} is not in the knowledge base (narcolink holds no "
                    "general CAS registry): give the structure as SMILES, InChI or a molfile"
                ),
            )
        s = found[0]
        note = Reason(
            ReasonKind.CAS, f"CAS {text} is {s.name} in the knowledge base", 0.95, s.id, s.name
        )
        return s.smiles, note, None
    named = kb.by_name(text)
    if named:
        s = named[0]
        note = Reason(
            ReasonKind.NAME,
            f"the name '{text}' is {s.name} in the knowledge base",
            0.9,
            s.id,
            s.name,
        )
        return s.smiles, note, None
    if " " in text:
        return (
            None,
            None,
            (f"'{text[:80]}' is not a name in the knowledge base, a CAS number or a structure"),
        )
    return text, None, None


def screen_entries(
    entries: list[Entry], as_of: date | None = None, processes: int | None = None
) -> list[ScreenResult]:
    """One result per entry, in order; unreadable entries get a result with an error."""
    when = as_of or date.today()
    resolved = [_resolve(e) for e in entries]
    structures = [r[0] or "" for r in resolved]
    workers = processes if processes is not None else (None if len(entries) >= PARALLEL_FROM else 1)
    results = list(screen_many(structures, as_of=when, processes=workers))
    out = []
    for entry, (structure, note, error), result in zip(entries, resolved, results, strict=True):
        result.row = entry.row
        result.label = entry.label
        result.query = entry.text if entry.kind != "molfile" else (entry.label or "molfile")
        if error or structure is None:
            result.error = error or "nothing to screen"
            result.reasons = []
        elif result.error and entry.kind == "name or smiles":
            result.error = (
                f"'{entry.text[:80]}' is not a name in the knowledge base, a CAS number or a "
                "structure RDKit can read"
            )
        if note is not None and not result.error:
            result.reasons.append(note)
        result.decide()
        out.append(result)
    return out
