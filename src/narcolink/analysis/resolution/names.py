"""Person names: parse, canonicalise and reduce to skeletons for comparison.

A name as recorded ("Shri R.K. Sharma s/o Late Ram Prasad", "मोहम्मद इक़बाल",
"SHARMA, Rajesh Kumar") becomes an ordered list of canonical Latin words with the titles
removed, the father's or husband's name split off, initials kept as single letters, and
spelling families folded (Mohd, Md, Mohammed -> muhammad). Each word also has a consonant
skeleton, so that spellings and scripts that differ only in vowels still meet
(Urdu محمد and Latin Muhammad both give "md").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from narcolink.analysis.resolution import lexicon
from narcolink.analysis.resolution.scripts import romanise_word, scripts_in, split_words

_RELATION = re.compile(
    r"(?<![^\W\d_])(?:([sdwhcr])\s*[/\\.]\s*o\b\.?|(son|daughter|wife|husband|care|resident)\s+of\b)",
    re.IGNORECASE,
)
_RELATION_KIND = {
    "s": "father", "d": "father", "w": "spouse", "h": "spouse", "c": "care_of", "r": "address",
    "son": "father", "daughter": "father", "wife": "spouse", "husband": "spouse",
    "care": "care_of", "resident": "address",
}  # fmt: skip
_WORD_RELATIONS = {
    k: v for k, v in lexicon.RELATION_MARKERS.items() if " " not in k and "/" not in k
}
_SUFFIXES = ("bhai", "ben", "behn")
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=200_000)
def canonical_word(word: str) -> str:
    """A romanised word in its canonical spelling: long vowels folded, w as v, aliases."""
    if word in lexicon.ALIASES:
        return lexicon.ALIASES[word]
    text = word.replace("ee", "i").replace("oo", "u").replace("aa", "a").replace("w", "v")
    text = text.replace("ii", "i").replace("uu", "u")
    return lexicon.ALIASES.get(text, text)


_DIGRAPHS = (
    ("chh", "c"), ("sh", "s"), ("ch", "c"), ("kh", "k"), ("gh", "g"), ("ph", "f"),
    ("th", "t"), ("dh", "d"), ("bh", "b"), ("jh", "j"), ("ck", "k"), ("rh", "r"),
)  # fmt: skip
_SKELETON_MAP = str.maketrans({"q": "k", "z": "j", "w": "v", "x": "k"})


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """Consonants only, aspiration and doubling dropped: what survives spelling and script.

    Initial y/v/w stay (they are consonants there); medial ones are vowels in Urdu
    spelling (محمود) and are dropped, as is every non-initial h ("Mohd" and "محمد")."""
    if not word:
        return ""
    text = word
    for digraph, single in _DIGRAPHS:
        text = text.replace(digraph, single)
    text = text.translate(_SKELETON_MAP)
    out: list[str] = []
    for i, char in enumerate(text):
        if char in _VOWELS or char.isdigit():
            continue
        if i > 0 and char in "yvh":
            continue
        if out and out[-1] == char:
            continue
        out.append(char)
    return "".join(out)


@dataclass
class ParsedName:
    """A name split into canonical words, with related names kept apart."""

    words: list[str] = field(default_factory=list)  # canonical, in written order
    skeletons: list[str] = field(default_factory=list)
    father: list[str] = field(default_factory=list)
    spouse: list[str] = field(default_factory=list)
    scripts: frozenset[str] = frozenset()
    surname_first: bool = False

    @property
    def full_words(self) -> list[str]:
        return [w for w in self.words if len(w) > 1]

    @property
    def initials(self) -> list[str]:
        return [w for w in self.words if len(w) == 1]

    @property
    def given(self) -> str | None:
        """The first word, or (surname first) the second; an initial counts."""
        order = self.ordered
        return order[0] if len(order) > 1 or (order and len(order[0]) > 1) else None

    @property
    def surname(self) -> str | None:
        order = self.ordered
        return order[-1] if len(order) > 1 and len(order[-1]) > 1 else None

    @property
    def ordered(self) -> list[str]:
        """Given names first, surname last."""
        if self.surname_first and len(self.words) > 1:
            return self.words[1:] + self.words[:1]
        return self.words

    @property
    def middle(self) -> list[str]:
        order = self.ordered
        return order[1:-1] if len(order) > 2 else []


def _split_relations(text: str) -> tuple[str, dict[str, str]]:
    """The person's own name and the names after relation markers (s/o, w/o, ...)."""
    related: dict[str, str] = {}
    parts = _RELATION.split(text)
    # re.split with two groups yields: head, g1, g2, tail, g1, g2, tail, ...
    head = parts[0]
    for i in range(1, len(parts), 3):
        key = (parts[i] or parts[i + 1] or "").lower()
        kind = _RELATION_KIND.get(key, "father")
        related.setdefault(kind, parts[i + 2] or "")
    return head, related


def _initials_from(raw: str) -> list[str] | None:
    """ "RK" or "R.K." written in capitals before a name are initials, not a word."""
    letters = raw.replace(".", "")
    capitals = raw.isascii() and letters.isupper() and letters.isalpha()
    if capitals and 2 <= len(letters) <= 3 and not any(c in "AEIOU" for c in letters):
        return [c.lower() for c in letters]
    return None


def _words(text: str) -> tuple[list[str], list[str]]:
    words: list[str] = []
    raw_words = split_words(text)
    for index, raw in enumerate(raw_words):
        initials = _initials_from(raw) if index < len(raw_words) - 1 else None
        if initials:
            words.extend(initials)
            continue
        word = romanise_word(raw)
        if not word:
            continue
        # Titles go; a word like "begum" is a title only before the name ("Nusrat Begum").
        if word in lexicon.HONORIFICS and (word not in lexicon.LEADING_ONLY or not words):
            continue
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
        words.append(word)
    return words, raw_words


def _arabic_canonical(word: str) -> str:
    """Words written in Arabic script carry few vowels: read common ones by skeleton."""
    return lexicon.SKELETON_PREFERRED.get(skeleton(word), _SKELETON_INDEX.get(skeleton(word), word))


def _build_skeleton_index() -> dict[str, str]:
    seen: dict[str, set[str]] = {}
    for name in lexicon.GIVEN_NAMES | lexicon.SURNAMES:
        seen.setdefault(skeleton(canonical_word(name)), set()).add(canonical_word(name))
    return {skel: next(iter(names)) for skel, names in seen.items() if len(names) == 1}


_SKELETON_INDEX = _build_skeleton_index()
KNOWN_GIVEN = frozenset(canonical_word(w) for w in lexicon.GIVEN_NAMES)
KNOWN_SURNAMES = frozenset(canonical_word(w) for w in lexicon.SURNAMES)
COMMON = frozenset(canonical_word(w) for w in lexicon.COMMON_WORDS)


def is_placeholder(text: str) -> bool:
    """ "Unknown", "Baby", "Son of House": a clerk's stand-in, not a name."""
    words = [romanise_word(w) for w in split_words(text)]
    if not words:
        return False
    if " ".join(words) in lexicon.PLACEHOLDER_PHRASES:
        return True
    return all(w in lexicon.PLACEHOLDERS or w in lexicon.HONORIFICS for w in words) or any(
        " ".join(words[i : i + 2]) in lexicon.PLACEHOLDER_PHRASES for i in range(len(words) - 1)
    )


def _canonical_words(text: str) -> tuple[list[str], frozenset[str]]:
    if is_placeholder(text):
        return [], frozenset()
    scripts = frozenset(scripts_in(text))
    words, _ = _words(text)
    if "arabic" in scripts:
        out = []
        for raw, word in zip(split_words(text), words, strict=False):
            out.append(_arabic_canonical(word) if scripts_in(raw) == {"arabic"} else word)
        words = out
    return [canonical_word(w) for w in words], scripts


@lru_cache(maxsize=1_000_000)
def parse_name(text: str) -> ParsedName:
    """Parse one recorded name; an empty result for text with no name in it."""
    surname_first = False
    head, related = _split_relations(text)
    if "," in head:
        last, _, first = head.partition(",")
        if first.strip() and last.strip():
            head, surname_first = f"{last} {first}", True
    words, scripts = _canonical_words(head)
    if not surname_first and len(words) >= 2:
        # "Sharma Rajesh": a known surname first and a known given name second.
        surname_first = (
            words[0] in KNOWN_SURNAMES
            and words[-1] in KNOWN_GIVEN
            and (words[-1] not in KNOWN_SURNAMES and words[0] not in KNOWN_GIVEN)
        )
    father = _canonical_words(related.get("father", ""))[0]
    spouse = _canonical_words(related.get("spouse", ""))[0]
    return ParsedName(
        words=words,
        skeletons=[skeleton(w) or w for w in words],
        father=father,
        spouse=spouse,
        scripts=scripts,
        surname_first=surname_first,
    )
