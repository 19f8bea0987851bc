"""Search keys: the normalised tokens under which a record can be found.

Names are indexed word by word in their own script (case-folded, accents removed for
Latin) and, for other scripts, also in an ICU Latin transliteration, so that a query in
either script finds the record. Phones are indexed as E.164 digits and as the national
number, so ``98123 45678`` finds ``+919812345678``. Identifiers, wallets and emails are
indexed whole, without spaces or dashes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from normality import ascii_text, latinize_text
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

MAX_KEY = 128

NAME_TYPES = {"name"}
WHOLE_TYPES = {"identifier", "email", "checksum", "iban"}
PHONE_TYPES = {"phone"}


def _fold_word(word: str) -> str:
    """Case-fold; drop accents only where that leaves plain Latin (keeps Indic vowel signs)."""
    if word.isascii():
        return word.lower()
    folded = unicodedata.normalize("NFC", word.casefold())
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
    )
    return stripped if stripped.isascii() else folded


_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def _words(text: str) -> list[str]:
    """Split on anything that is not a letter, a combining mark or a digit (any script)."""
    if text.isascii():
        return _ASCII_WORD.findall(text)
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if unicodedata.category(char)[0] in "LMN":
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _fold(text: str) -> str:
    return " ".join(_fold_word(w) for w in _words(text))


def _is_ascii(text: str) -> bool:
    return text.isascii()


# Brahmic scripts of South Asia (Devanagari to Sinhala), whose consonants carry a vowel.
_BRAHMIC = (0x0900, 0x0DFF)
_GURMUKHI_TIPPI, _GURMUKHI_BINDI = "\u0a70", "\u0a02"
_ROMAN = str.maketrans({"ś": "sh", "ṣ": "sh", "ṁ": "n", "ṃ": "n", "ṅ": "n", "ñ": "n"})


def _ends_with_consonant(word: str) -> bool:
    last = word[-1]
    if unicodedata.category(last) != "Lo":
        return False
    sound = latinize_text(last) or ""
    return len(sound) >= 2 and sound.endswith("a")


def common_romanisation(word: str) -> str | None:
    """A Latin spelling of a South Asian word closer to how names are written in Latin.

    ICU's scholarly transliteration writes राजेश as "rajesa"; people write "rajesh". This
    spells sibilants as "sh", "c" as "ch", nasal marks as "n" and drops the inherent final
    vowel, so that a query typed in Latin finds a record written in Devanagari or Gurmukhi.
    """
    if not word or not any(_BRAHMIC[0] <= ord(c) <= _BRAHMIC[1] for c in word):
        return None
    latin = (latinize_text(word.replace(_GURMUKHI_TIPPI, _GURMUKHI_BINDI)) or "").casefold()
    latin = re.sub(r"c(?!h)", "ch", latin.translate(_ROMAN))
    latin = (ascii_text(latin) or "").casefold()
    if _ends_with_consonant(word) and latin.endswith("a") and len(latin) > 2:
        latin = latin[:-1]
    return latin or None


_APOSTROPHES = re.compile(r"['\u2019\u02bc]")


def name_tokens(text: str) -> set[str]:
    # "D'Souza" is found as "d souza", "d'souza" and "dsouza".
    joined = _APOSTROPHES.sub("", text)
    tokens = {_fold_word(w)[:MAX_KEY] for w in _words(text) + _words(joined)}
    if not _is_ascii(text):
        latin = ascii_text(text)
        if latin:
            tokens.update(w[:MAX_KEY] for w in _words(latin.casefold()))
        for word in _words(text):
            spelled = common_romanisation(word)
            if spelled:
                tokens.update(w[:MAX_KEY] for w in _words(spelled))
    return {t for t in tokens if t}


def phone_tokens(e164: str) -> set[str]:
    """E.164 digits and the national significant number (what people dial at home).

    Country calling codes are prefix-free, so the national number is what follows the
    first 1-3 digits that form a known code; no parsing needed (imports call this for
    every phone).
    """
    digits = e164.lstrip("+")
    tokens = {digits}
    for width in (1, 2, 3):
        if int(digits[:width] or 0) in COUNTRY_CODE_TO_REGION_CODE:
            national = digits[width:]
            if national:
                tokens.add(national)
            break
    return tokens


def whole_token(text: str) -> str:
    return "".join(_fold_word(w) for w in _words(text))[:MAX_KEY]


def record_keys(props: Mapping[str, Iterable[str]], prop_types: Mapping[str, str]) -> set[str]:
    """All search keys of one record, from its cleaned values."""
    keys: set[str] = set()
    for prop, values in props.items():
        kind = prop_types.get(prop)
        for value in values:
            if kind in NAME_TYPES:
                keys |= name_tokens(value)
            elif kind in PHONE_TYPES:
                keys |= phone_tokens(value)
            elif kind in WHOLE_TYPES or prop in {"publicKey", "accountId", "username"}:
                token = whole_token(value)
                if token:
                    keys.add(token)
    return keys


def query_tokens(query: str) -> tuple[list[str], str]:
    """Word tokens of a free-text query and its compact whole form, normalised like keys.

    A record matches when it has every word token (as a prefix) or the whole form (as a
    prefix): the first finds names, the second identifiers typed with spaces or dashes.
    """
    query = query.strip()[:500]
    digits = re.sub(r"[^\d]", "", query)
    if len(digits) >= 6 and len(digits) >= len(re.sub(r"[\s+()\-.]", "", query)):
        # Looks like a phone number: its digits without trunk or international zeros match
        # either phone key; the digits as typed match an identifier such as "000123456".
        return [digits[:MAX_KEY]], digits.lstrip("0")[:MAX_KEY]
    tokens: list[str] = []
    for word in _words(query):
        word = _fold_word(word)
        if word and word not in tokens:  # a lone combining mark folds to ""
            tokens.append(word[:MAX_KEY])
    if not _is_ascii(query):
        for word in _words((ascii_text(query) or "").casefold()):
            if word and word not in tokens:
                tokens.append(word[:MAX_KEY])
    return tokens[:8], whole_token(query)
