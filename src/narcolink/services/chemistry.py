"""Chemical screening and the knowledge base, for the pages, the API and the CLI.

Every call checks ``Permission.READ`` and appends an audit row (what was screened, how
many items, how many flagged, as of which date). Screening reads no records, so it
needs no View; the knowledge base is packaged reference data. RDKit is imported only
when a screening or a depiction actually runs, so this module imports without it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from narcolink.analysis.chemistry.kb import Listing, Substance, load_kb
from narcolink.analysis.chemistry.results import ScreenResult, Verdict
from narcolink.exc import BadRequest, NotFound
from narcolink.model.roles import Actor, Permission
from narcolink.services.node import Node, require

if TYPE_CHECKING:
    from narcolink.analysis.chemistry.entries import Entry

MAX_TEXT_CHARS = 2_000_000
MAX_ITEMS = 200_000
EARLIEST = date(1961, 1, 1)
CSV_COLUMNS = [
    "row",
    "label",
    "query",
    "verdict",
    "confidence",
    "summary",
    "substances",
    "lists",
    "steps",
    "as_of",
    "kb_version",
]


@dataclass
class ScreeningReport:
    """A screened batch: where it came from, as of when, against which KB version."""

    source: str
    as_of: date
    kb_version: str
    results: list[ScreenResult] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out = {v.value: 0 for v in Verdict}
        for r in self.results:
            out[r.verdict.value] += 1
        return out

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.results if r.verdict.flagged)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "as_of": self.as_of.isoformat(),
            "kb_version": self.kb_version,
            "counts": self.counts,
            "flagged": self.flagged,
            "results": [r.to_dict() for r in self.results],
        }


def check_as_of(as_of: date | None) -> date:
    """The date to screen as of: today by default, never before 1961 nor in the future."""
    today = date.today()
    if as_of is None:
        return today
    if as_of < EARLIEST or as_of > today:
        raise BadRequest(
            f"as_of {as_of.isoformat()} is outside {EARLIEST.isoformat()}..{today.isoformat()}"
        )
    return as_of


def _screen(
    node: Node,
    actor: Actor,
    entries: list[Entry],
    source: str,
    as_of: date | None,
    processes: int | None,
) -> ScreeningReport:
    from narcolink.analysis.chemistry.screening import screen_entries

    require(actor, Permission.READ)
    when = check_as_of(as_of)
    if len(entries) > MAX_ITEMS:
        raise BadRequest(f"{source}: {len(entries):,} items; at most {MAX_ITEMS:,} per screening")
    report = ScreeningReport(source, when, load_kb().version)
    report.results = screen_entries(entries, as_of=when, processes=processes)
    with node.transaction() as conn:
        node.audit(
            conn,
            actor,
            "chem.screen",
            "chemistry",
            None,
            source=source,
            as_of=when.isoformat(),
            items=len(report.results),
            flagged=report.flagged,
            kb_version=report.kb_version,
        )
    return report


def screen_text(
    node: Node,
    actor: Actor,
    text: str,
    *,
    as_of: date | None = None,
    source: str = "pasted text",
    processes: int | None = None,
) -> ScreeningReport:
    """Screen pasted names, CAS numbers, SMILES, InChI or molfiles (one per line)."""
    from narcolink.analysis.chemistry.entries import from_text

    require(actor, Permission.READ)
    if len(text) > MAX_TEXT_CHARS:
        raise BadRequest(f"{source}: more than {MAX_TEXT_CHARS:,} characters; upload a file")
    return _screen(node, actor, from_text(text, source), source, as_of, processes)


def screen_items(
    node: Node,
    actor: Actor,
    items: list[str],
    *,
    as_of: date | None = None,
    source: str = "API request",
    processes: int | None = 1,
) -> ScreeningReport:
    """Screen a list of items (each a name, CAS number, SMILES, InChI or molfile)."""
    from narcolink.analysis.chemistry.entries import from_items

    require(actor, Permission.READ)
    return _screen(node, actor, from_items(items, source), source, as_of, processes)


def screen_file(
    node: Node,
    actor: Actor,
    path: Path,
    *,
    as_of: date | None = None,
    display_name: str | None = None,
    processes: int | None = None,
) -> ScreeningReport:
    """Screen a CSV, SDF, molfile or text file; bad files fail with every issue located."""
    from narcolink.analysis.chemistry.entries import from_file

    require(actor, Permission.READ)
    name = display_name or path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadRequest(f"cannot read {name}: {error.strerror}") from None
    entries = from_file(name if "." in name else path.name, data)
    return _screen(node, actor, entries, name, as_of, processes)


def report_csv(report: ScreeningReport) -> str:
    """The report as CSV, one row per screened item, for a case file or a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in report.results:
        flagged = [x for x in r.reasons if x.controlled or x.risk]
        lists = sorted({entry["label"] for x in flagged for entry in x.listings})
        writer.writerow(
            [
                r.row,
                r.label,
                r.query if "\n" not in r.query else r.label or "molfile",
                r.verdict.value,
                f"{r.confidence:.2f}",
                r.summary,
                "; ".join(sorted({x.substance_name or "" for x in flagged} - {""})),
                "; ".join(lists),
                "; ".join(" > ".join(x.steps) for x in flagged if x.steps),
                report.as_of.isoformat(),
                report.kb_version,
            ]
        )
    return out.getvalue()


@dataclass(frozen=True)
class SubstanceSummary:
    id: str
    name: str
    cas: str
    category: str
    lists: list[str]


def _summary(s: Substance, as_of: date) -> SubstanceSummary:
    return SubstanceSummary(
        s.id, s.name, s.cas, s.category, [x.label for x in s.listings_on(as_of)]
    )


def lookup(node: Node, actor: Actor, query: str, limit: int = 20) -> list[SubstanceSummary]:
    """Knowledge-base entries by name, synonym, brand or street name, or CAS number."""
    require(actor, Permission.READ)
    text = query.strip()
    if not text or len(text) > 200:
        raise BadRequest("give a name or CAS number of 1 to 200 characters")
    hits = load_kb().search(text, limit=max(1, min(limit, 100)))
    with node.transaction() as conn:
        node.audit(conn, actor, "chem.lookup", "chemistry", None, query=text[:200], hits=len(hits))
    today = date.today()
    return [_summary(s, today) for s in hits]


@dataclass(frozen=True)
class SubstanceDetail:
    substance: Substance
    listings: list[Listing]
    kb_version: str
    classes: list[dict[str, str]]

    @property
    def controlled_now(self) -> list[Listing]:
        today = date.today()
        return [x for x in self.listings if x.active(today) and not x.excepted]


def substance(node: Node, actor: Actor, substance_id: str) -> SubstanceDetail:
    """One entry with every listing (past ones too), its source and its doubts."""
    require(actor, Permission.READ)
    kb = load_kb()
    found = kb.substances.get(substance_id)
    if found is None:
        raise NotFound(f"no substance {substance_id!r} in the knowledge base")
    with node.transaction() as conn:
        node.audit(conn, actor, "chem.substance", "substance", substance_id)
    listings = sorted(
        found.listings, key=lambda x: (x.jurisdiction != "UN", x.jurisdiction, x.effective)
    )
    classes = [
        {
            "id": c.id,
            "jurisdiction": c.jurisdiction,
            "list": c.list,
            "effective": c.effective.isoformat(),
        }
        for c in kb.classes.values()
    ]
    return SubstanceDetail(found, listings, kb.version, classes)


def depiction(structure: str, highlight: tuple[int, ...] = ()) -> str:
    """An SVG of a structure with the matched atoms highlighted (RDKit imported here)."""
    from narcolink.analysis.chemistry.depict import depict

    return depict(structure, highlight)
