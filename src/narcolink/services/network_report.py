"""The case summary of a lead's network as a PDF, for a file or a court bundle.

Rendered with fpdf2 from fonts installed with the operating system (nothing is fetched):
DejaVu Sans (Debian ``fonts-dejavu-core``) for Latin text, Noto Sans Devanagari (Debian
``fonts-noto-core``) as the fallback for Devanagari, shaped with HarfBuzz (uharfbuzz) so
conjuncts join. Without DejaVu the core Helvetica font is used and characters outside
Latin-1 are replaced by "?" (the summary says so); without Noto Devanagari, Devanagari
names show as missing glyphs and the summary says which font to install.

Every page carries the strictest markings of the records in it, top and bottom. Making the
summary needs the export permission and is audited as an export naming every record cited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from narcolink.model.roles import Actor, Permission
from narcolink.services import network
from narcolink.services.node import Node, require

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/noto"),
    Path("/usr/local/share/fonts"),
)
LATIN = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
DEVANAGARI = "NotoSansDevanagari-Regular.ttf"
RANKED_ROWS = 30
PATHS_SHOWN = 12


def _find(name: str) -> Path | None:
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    return None


@dataclass(frozen=True)
class Fonts:
    family: str
    unicode: bool
    devanagari: bool


class _Summary(FPDF):
    banner = ""

    def header(self) -> None:
        self.set_font(style="B", size=9)
        self.cell(0, 6, self.banner, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(style="", size=8)
        self.cell(0, 5, f"{self.banner}  ·  page {self.page_no()}/{{nb}}", align="C")


def _setup_fonts(pdf: FPDF) -> Fonts:
    regular, bold = (_find(n) for n in LATIN)
    if regular is None or bold is None:
        pdf.set_font("helvetica", size=10)
        return Fonts("helvetica", False, False)
    pdf.add_font("dejavu", "", str(regular))
    pdf.add_font("dejavu", "B", str(bold))
    deva = _find(DEVANAGARI)
    if deva is not None:
        pdf.add_font("notodeva", "", str(deva))
        pdf.add_font("notodeva", "B", str(deva))
        pdf.set_fallback_fonts(["notodeva"])
    pdf.set_text_shaping(True)
    pdf.set_font("dejavu", size=10)
    return Fonts("dejavu", True, deva is not None)


def _safe(text: str, fonts: Fonts) -> str:
    if fonts.unicode:
        return text
    return text.encode("latin-1", "replace").decode("latin-1")


def render(result: network.LeadNetwork, actor: Actor, fonts_note: bool = True) -> bytes:
    """The PDF bytes of a case summary for ``result``."""
    pdf = _Summary(format="A4")
    marks = result.markings
    banner = " ".join(
        x for x in (f"TLP:{marks.get('tlp', '')}", f"PAP:{marks.get('pap', '')}",
                    marks.get("handling", "")) if x and not x.endswith(":")
    )  # fmt: skip
    pdf.set_auto_page_break(True, margin=18)
    fonts = _setup_fonts(pdf)
    pdf.banner = _safe(banner or "UNMARKED", fonts)
    pdf.alias_nb_pages()
    pdf.add_page()
    ex = result.expansion

    def text(value: str, size: float = 10, bold: bool = False, height: float = 5) -> None:
        pdf.set_font(style="B" if bold else "", size=size)
        pdf.multi_cell(0, height, _safe(value, fonts), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    text(f"Case summary: {ex.lead.caption}", 16, True, 8)
    window = result.window
    text(
        f"Lead {ex.lead.id} ({ex.lead.schema}, {ex.lead.agency.upper()}). "
        f"{ex.reached} entities within {ex.hops} hops"
        + (f", evidence from {window.since or 'the start'} to {window.until or 'now'}"
           if window.since or window.until else "")
        + f". Ranking {ex.version}. Prepared for {actor.username} ({actor.agency.upper()}) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC from the records this agency may see.",
        9,
    )  # fmt: skip
    if fonts_note and not fonts.unicode:
        text("Note: DejaVu Sans is not installed; characters outside Latin-1 appear as '?'.", 8)
    elif fonts_note and not fonts.devanagari:
        text("Note: Noto Sans Devanagari (fonts-noto-core) is not installed.", 8)
    pdf.ln(3)

    text("1. Kingpin candidates", 12, True, 7)
    for n, c in enumerate(result.kingpins[:5], start=1):
        text(f"{n}. {c.node.caption} ({c.node.schema}, {c.node.agency.upper()}) — score "
             f"{c.score:.3f}", 10, True)  # fmt: skip
        for reason in c.reasons:
            if reason.value:
                line = f"{reason.name} {reason.value:.2f} × {reason.weight:.2f}: {reason.detail}"
                text(f"    {line}", 8, height=4)
        for ev in c.evidence[:4]:
            text(f"    record: {ev.describe()}", 8, height=4)
    pdf.ln(2)

    text("2. The network, ranked", 12, True, 7)
    with pdf.table(
        col_widths=(8, 62, 24, 14, 10, 16),
        text_align=("RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
        line_height=4.5,
    ) as table:
        pdf.set_font(size=8)
        table.row(["#", "entity", "type", "agency", "hops", "score"])
        for n, r in enumerate(ex.ranked[:RANKED_ROWS], start=1):
            table.row([str(n), _safe(r.node.caption[:80], fonts), r.node.schema,
                       r.node.agency.upper(), str(r.hops), f"{r.score:.3f}"])  # fmt: skip
    pdf.ln(3)

    text("3. Evidence paths from the lead", 12, True, 7)
    for r in ex.ranked[:PATHS_SHOWN]:
        text(f"{r.node.caption} ({r.hops} hop{'s' if r.hops > 1 else ''})", 9, True)
        for link in r.path:
            for ev in link.evidence[:2]:
                text(f"    {ev.describe()}", 8, height=4)
    pdf.ln(2)

    text("4. Brokers and bridges", 12, True, 7)
    for b in result.brokers[:5]:
        text(f"Broker: {b.node.caption} — {b.reasons[-1].detail} (betweenness "
             f"{b.reasons[0].value:.3f})", 9)  # fmt: skip
    for link in result.bridges[:10]:
        kind = "cross-border" if link.cross_border else "cross-agency"
        text(f"{kind}: {link.evidence[0].describe() if link.evidence else ''}", 8, height=4)
    pdf.ln(2)

    text("5. Communities in the network (Leiden)", 12, True, 7)
    for community in result.communities.communities[:6]:
        names = ", ".join(m.node.caption for m in community.members[:8])
        text(f"Community {community.number}: {community.size} entities "
             f"({', '.join(community.countries) or 'no country'}): {names}", 9)  # fmt: skip
    return bytes(pdf.output())


def case_summary(
    node: Node,
    actor: Actor,
    entity_id: str,
    hops: int = 4,
    *,
    since: str | None = None,
    until: str | None = None,
) -> bytes:
    """The case summary PDF of a lead; needs the export permission; audited as an export."""
    require(actor, Permission.EXPORT)
    result = network.lead_network(node, actor, entity_id, hops, since=since, until=until)
    data = render(result, actor)
    cited = sorted(network.lead_records(result))
    with node.transaction() as conn:
        node.audit(
            conn,
            actor,
            "export",
            "entity",
            entity_id,
            format="pdf",
            what="network case summary",
            markings=result.markings,
            ids=cited,
        )
    return data
