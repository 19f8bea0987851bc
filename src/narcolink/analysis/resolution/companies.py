"""Company names with their legal form set apart.

"M/s. Sharma Pharma Pvt. Ltd.", "SHARMA PHARMA PRIVATE LIMITED" and "Sharma Pharma (P)
Ltd" are one company: the trading prefix (M/s, Messrs) goes, the legal form is recognised
(private limited, LLP, Inc, ...) and kept as its own field, and the remaining words are
compared, in any script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from narcolink.analysis.resolution.lexicon import _words
from narcolink.analysis.resolution.scripts import romanise

# Legal forms, longest first, as word sequences after romanising and dropping dots.
LEGAL_FORMS: list[tuple[tuple[str, ...], str]] = sorted(
    [
        (("private", "limited"), "pvt_ltd"),
        (("pvt", "ltd"), "pvt_ltd"),
        (("pvt", "limited"), "pvt_ltd"),
        (("private", "ltd"), "pvt_ltd"),
        (("p", "ltd"), "pvt_ltd"),
        (("p", "limited"), "pvt_ltd"),
        (("pte", "ltd"), "pvt_ltd"),
        (("opc", "pvt", "ltd"), "opc"),
        (("opc", "private", "limited"), "opc"),
        (("one", "person", "company"), "opc"),
        (("limited", "liability", "partnership"), "llp"),
        (("llp",), "llp"),
        (("limited",), "ltd"),
        (("ltd",), "ltd"),
        (("public", "limited", "company"), "ltd"),
        (("plc",), "ltd"),
        (("inc",), "inc"),
        (("incorporated",), "inc"),
        (("corp",), "corp"),
        (("corporation",), "corp"),
        (("llc",), "llc"),
        (("l", "l", "c"), "llc"),
        (("co",), "co"),
        (("company",), "co"),
        (("and", "co"), "co"),
        (("fze",), "fze"),
        (("fzco",), "fze"),
        (("fzllc",), "fze"),
        (("dmcc",), "fze"),
        (("gmbh",), "gmbh"),
    ],
    key=lambda item: -len(item[0]),
)
_PREFIXES = re.compile(r"^\s*(?:m\s*/\s*s\.?|messrs\.?|m/s\.?)\s*", re.IGNORECASE)
_STOP = frozenset({"the", "and", "of"})
# Words that say what a business does; alone they do not identify one.
GENERIC = frozenset(
    _words(
        """
        pharma pharmaceuticals pharmaceutical chemicals chemical industries enterprises
        traders trading exports imports export import overseas international global
        logistics labs laboratories healthcare life sciences solutions services group
        holdings agency agencies
    """
    )
)


@dataclass(frozen=True)
class CompanyName:
    words: tuple[str, ...]
    legal_form: str | None

    @property
    def key(self) -> str | None:
        return " ".join(self.words) or None

    @property
    def sorted_key(self) -> str | None:
        return " ".join(sorted(self.words)) or None

    @property
    def distinctive(self) -> tuple[str, ...]:
        return tuple(w for w in self.words if w not in GENERIC)


def parse_company(text: str) -> CompanyName:
    text = _PREFIXES.sub("", text)
    text = re.sub(r"\(p\)", " p ", text, flags=re.IGNORECASE).replace("&", " and ")
    words = romanise(text.replace(".", "").replace("'", "")).split()
    legal: str | None = None
    changed = True
    while changed and words:  # legal forms stack at the end: "... Pvt Ltd LLP" is rare
        changed = False
        for form, code in LEGAL_FORMS:
            if len(words) > len(form) and tuple(words[-len(form) :]) == form:
                legal = legal or code
                words = words[: -len(form)]
                changed = True
                break
    return CompanyName(tuple(w for w in words if w not in _STOP), legal)
