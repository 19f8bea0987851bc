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

from normality import ascii_text

MAX_KEY = 128

NAME_TYPES = {"name"}
WHOLE_TYPES = {"identifier", "email", "checksum", "iban"}
PHONE_TYPES = {"phone"}


def _fold_word(word: str) -> str:
    """Case-fold; drop accents only where that leaves plain Latin (keeps Indic vowel signs)."""
    folded = unicodedata.normalize("NFC", word.casefold())
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
    )
    return stripped if stripped.isascii() else folded


def _words(text: str) -> list[str]:
    """Split on anything that is not a letter, a combining mark or a digit (any script)."""
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


def name_tokens(text: str) -> set[str]:
    tokens = {_fold_word(w)[:MAX_KEY] for w in _words(text)}
    if not _is_ascii(text):
        latin = ascii_text(text)
        if latin:
            tokens.update(w[:MAX_KEY] for w in _words(latin.casefold()))
    return {t for t in tokens if t}


def phone_tokens(e164: str) -> set[str]:
    digits = e164.lstrip("+")
    tokens = {digits}
    if len(digits) > 10:
        tokens.add(digits[-10:])
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
        # Looks like a phone number: its digits without trunk zeros match either key.
        return [], digits.lstrip("0")
    tokens: list[str] = []
    for word in _words(query):
        word = _fold_word(word)
        if word not in tokens:
            tokens.append(word[:MAX_KEY])
    if not _is_ascii(query):
        for word in _words((ascii_text(query) or "").casefold()):
            if word not in tokens:
                tokens.append(word[:MAX_KEY])
    return tokens[:8], whole_token(query)
