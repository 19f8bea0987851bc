"""Reading an input file as UTF-8 text lines, refusing anything else with a clear reason.

Lines are decoded one at a time from the raw bytes, so an encoding error names its line
and byte, memory stays bounded by the longest line (capped), and a UTF-16 or Latin-1
export is told apart from a merely broken file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)
SAVE_AS_UTF8 = "save it as UTF-8 (or UTF-8 with BOM) and import it again"


@dataclass
class LineState:
    """Where the line source stands: the physical line last read and problems not yet reported.

    Readers drain ``problems`` after each row so that they can name the problem with their
    own row numbering (a CSV data row spans several lines when a quoted field does).
    """

    line: int = 0
    stopped: bool = False
    problems: list[tuple[int | None, str]] = field(default_factory=list)

    def drain(self) -> list[tuple[int | None, str]]:
        out, self.problems = self.problems, []
        return out


def _sniff_encoding(head: bytes) -> str | None:
    """Name a non-UTF-8 encoding recognisable from the first bytes, if any."""
    for bom, name in _OTHER_BOMS:
        if head.startswith(bom):
            return f"the file is {name} (it starts with a byte-order mark)"
    sample = head[:1024]
    if len(sample) >= 8 and sample.count(0) * 3 >= len(sample):
        return (
            "the file looks like UTF-16 without a byte-order mark, or a binary file "
            "(a third or more of its first bytes are NUL)"
        )
    return None


def _latin_hint(raw: bytes) -> str:
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return ""
    return " (it looks like Latin-1 / Windows-1252)"


def text_lines(path: Path, line_cap: int, state: LineState) -> Iterator[str]:
    """Yield the decoded lines of ``path`` (line endings kept, for the csv module).

    Problems go to ``state.problems`` with their physical line: a wrong encoding stops the
    reading (the rest cannot be trusted); a line over ``line_cap`` bytes or with NUL bytes
    is replaced by an empty line, so that readers skip it.
    """
    with path.open("rb") as fh:
        head = fh.read(4096)
        wrong = _sniff_encoding(head)
        if wrong:
            state.problems.append((None, f"{wrong}; only UTF-8 is accepted: {SAVE_AS_UTF8}"))
            state.stopped = True
            return
        fh.seek(len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0)
        while True:
            raw = fh.readline(line_cap + 1)
            if not raw:
                return
            state.line += 1
            if len(raw) > line_cap and not raw.endswith(b"\n"):
                state.problems.append(
                    (state.line, f"line is longer than {line_cap:,} bytes; refused unread")
                )
                while raw and not raw.endswith(b"\n"):
                    raw = fh.readline(1 << 20)
                yield "\n"
                continue
            if b"\x00" in raw:
                state.problems.append((state.line, "line contains NUL bytes (a binary file?)"))
                yield "\n"
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                state.problems.append(
                    (
                        state.line,
                        f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at position {exc.start + 1} "
                        f"of the line{_latin_hint(raw)}; only UTF-8 is accepted: {SAVE_AS_UTF8}",
                    )
                )
                state.stopped = True
                return
            yield text
