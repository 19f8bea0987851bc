"""Romanise names written in South Asian scripts the way people spell them in Latin.

ICU's scholarly transliteration writes राजेश कुमार as "rajesa kumara"; Indian records
write "Rajesh Kumar". Brahmic scripts (Devanagari, Gurmukhi, Bengali, Gujarati, Oriya and
the southern scripts share one layout, offset by block) are romanised here from our own
table, with the inherent vowel dropped where Hindi and Punjabi drop it (word-final, and
between two consonants that each carry a vowel: अमरजीत -> "amarjit"). Urdu and Arabic
letters have a table of their own; their short vowels are not written, so the result is
close to a consonant skeleton and is compared as one. Any other script goes through ICU
(PyICU, MIT-style licence); unidecode (GPL) and aksharamukha (AGPL) are not used.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# --- Brahmic scripts: one table by offset within a 128-code-point block ------------------

_BRAHMIC_BLOCKS = {
    0x0900: "devanagari",
    0x0980: "bengali",
    0x0A00: "gurmukhi",
    0x0A80: "gujarati",
    0x0B00: "oriya",
    0x0B80: "tamil",
    0x0C00: "telugu",
    0x0C80: "kannada",
    0x0D00: "malayalam",
}

_CONSONANTS = {
    0x15: "k",
    0x16: "kh",
    0x17: "g",
    0x18: "gh",
    0x19: "n",
    0x1A: "ch",
    0x1B: "chh",
    0x1C: "j",
    0x1D: "jh",
    0x1E: "n",
    0x1F: "t",
    0x20: "th",
    0x21: "d",
    0x22: "dh",
    0x23: "n",
    0x24: "t",
    0x25: "th",
    0x26: "d",
    0x27: "dh",
    0x28: "n",
    0x29: "n",
    0x2A: "p",
    0x2B: "ph",
    0x2C: "b",
    0x2D: "bh",
    0x2E: "m",
    0x2F: "y",
    0x30: "r",
    0x31: "r",
    0x32: "l",
    0x33: "l",
    0x34: "l",
    0x35: "v",
    0x36: "sh",
    0x37: "sh",
    0x38: "s",
    0x39: "h",
    # Precomposed nukta letters (Devanagari 0958-095F, Gurmukhi 0A59-0A5E, Bengali 09DC-09DF).
    0x58: "q",
    0x59: "kh",
    0x5A: "gh",
    0x5B: "z",
    0x5C: "r",
    0x5D: "rh",
    0x5E: "f",
    0x5F: "y",
}
_NUKTA_FORMS = {
    "s": "sh",
    "l": "l",
    "k": "q",
    "kh": "kh",
    "g": "gh",
    "j": "z",
    "d": "r",
    "dh": "rh",
    "ph": "f",
}
_INDEPENDENT_VOWELS = {
    0x05: "a",
    0x06: "a",
    0x07: "i",
    0x08: "i",
    0x09: "u",
    0x0A: "u",
    0x0B: "ri",
    0x0C: "li",
    0x0D: "e",
    0x0E: "e",
    0x0F: "e",
    0x10: "ai",
    0x11: "o",
    0x12: "o",
    0x13: "o",
    0x14: "au",
    0x60: "ri",
    0x72: "",
    0x73: "",
}
_VOWEL_SIGNS = {
    0x3E: "a",
    0x3F: "i",
    0x40: "i",
    0x41: "u",
    0x42: "u",
    0x43: "ri",
    0x44: "ri",
    0x45: "e",
    0x46: "e",
    0x47: "e",
    0x48: "ai",
    0x49: "o",
    0x4A: "o",
    0x4B: "o",
    0x4C: "au",
}
_NASALS = {0x01, 0x02, 0x70}  # candrabindu, anusvara, Gurmukhi tippi: written "n"
_VISARGA, _NUKTA, _VIRAMA, _ADDAK = 0x03, 0x3C, 0x4D, 0x71
_SCHWA = "a"


class _Syllable:
    """Consonants (the onset), then a vowel: written, inherent (schwa) or none (virama)."""

    __slots__ = ("coda", "onset", "schwa", "vowel")

    def __init__(self, onset: list[str], vowel: str, schwa: bool) -> None:
        self.onset = onset
        self.vowel = vowel
        self.schwa = schwa
        self.coda = ""

    def text(self) -> str:
        return "".join(self.onset) + self.vowel + self.coda


def _brahmic_word(word: str, base: int) -> str:
    syllables: list[_Syllable] = []
    pending: list[str] = []  # consonants joined by virama, waiting for a vowel
    double_next = False
    for char in word:
        offset = ord(char) - base
        if not 0 <= offset < 0x80:
            continue
        if offset in _CONSONANTS:
            sound = _CONSONANTS[offset]
            if double_next:
                pending.append(sound[0])
                double_next = False
            syllables.append(_Syllable([*pending, sound], _SCHWA, True))
            pending = []
        elif offset == _NUKTA and syllables and syllables[-1].onset:
            plain = syllables[-1].onset[-1]
            syllables[-1].onset[-1] = _NUKTA_FORMS.get(plain, plain)
        elif offset in _VOWEL_SIGNS and syllables:
            syllables[-1].vowel, syllables[-1].schwa = _VOWEL_SIGNS[offset], False
        elif offset == _VIRAMA and syllables:
            pending = [*syllables.pop().onset]
        elif offset in _INDEPENDENT_VOWELS:
            syllables.append(_Syllable([*pending], _INDEPENDENT_VOWELS[offset], False))
            pending = []
        elif offset in _NASALS and syllables:
            syllables[-1].coda += "n"
        elif offset == _VISARGA and syllables:
            syllables[-1].coda += "h"
        elif offset == _ADDAK:
            double_next = True
        elif 0x66 <= offset <= 0x6F:
            syllables.append(_Syllable([], str(offset - 0x66), False))
    _drop_schwas(syllables)
    return "".join(s.text() for s in syllables) + "".join(pending)


def _drop_schwas(syllables: list[_Syllable]) -> None:
    """Hindi/Punjabi schwa deletion: word-final after a single consonant; medial in
    V C_C(C) V, scanning right to left so that each deletion informs the next."""
    if len(syllables) > 1:
        last = syllables[-1]
        if last.schwa and len(last.onset) == 1 and not last.coda:
            last.vowel = ""
    for i in range(len(syllables) - 2, 0, -1):
        here, before, after = syllables[i], syllables[i - 1], syllables[i + 1]
        if (
            here.schwa
            and len(here.onset) == 1
            and not here.coda
            and before.vowel
            and not before.coda
            and after.onset
            and after.vowel
        ):
            here.vowel = ""


# --- Urdu and Arabic ------------------------------------------------------------------------

_ARABIC = {
    "ا": "a",
    "آ": "a",
    "أ": "a",
    "إ": "i",
    "ٱ": "a",
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ٹ": "t",
    "ث": "s",
    "ج": "j",
    "چ": "ch",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ڈ": "d",
    "ذ": "z",
    "ر": "r",
    "ڑ": "r",
    "ز": "z",
    "ژ": "zh",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "z",
    "ط": "t",
    "ظ": "z",
    "ع": "",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ک": "k",
    "ك": "k",
    "گ": "g",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ں": "n",
    "و": "w",
    "ؤ": "w",
    "ہ": "h",
    "ه": "h",
    "ۃ": "h",
    "ة": "h",
    "ھ": "h",
    "ی": "y",
    "ي": "y",
    "ى": "y",
    "ئ": "y",
    "ے": "e",
    "ۓ": "e",
    "ء": "",
    "\u064e": "a",
    "\u0650": "i",
    "\u064f": "u",
    "\u0651": ":",  # fatha, kasra, damma, shadda
}


def _arabic_word(word: str) -> str:
    out: list[str] = []
    for char in word:
        sound = _ARABIC.get(char)
        if sound is None:
            continue
        if sound == ":":  # shadda doubles the previous consonant
            if out:
                out.append(out[-1])
            continue
        out.append(sound)
    text = "".join(out)
    # A medial alef, waw or ye is a long vowel; written as Latin names usually spell them.
    if len(text) > 1:
        head, tail = text[0], text[1:]
        tail = tail.replace("w", "o").replace("y", "i")
        text = head + tail
    return text


# --- dispatch ------------------------------------------------------------------------------


def script_of(char: str) -> str:
    code = ord(char)
    if code < 0x250:
        return "latin"
    for base, name in _BRAHMIC_BLOCKS.items():
        if base <= code < base + 0x80:
            return name
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    return "other"


def scripts_in(text: str) -> set[str]:
    """The scripts of the letters in ``text`` (``latin``, ``devanagari``, ``arabic``, ...)."""
    return {script_of(c) for c in text if unicodedata.category(c)[0] == "L"}


@lru_cache(maxsize=1)
def _icu() -> object:
    import icu  # PyICU: a dependency of followthemoney (via normality)

    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")


def _icu_romanise(text: str) -> str:
    return str(_icu().transliterate(text))  # type: ignore[attr-defined]


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    if plain.isascii():
        return plain.lower()
    return _icu_romanise(plain)


def romanise_word(word: str) -> str:
    """One word in lower-case ASCII letters and digits (empty if nothing is left)."""
    if word.isascii():
        return word.lower()
    script = "latin"
    for char in word:
        if unicodedata.category(char)[0] == "L":
            script = script_of(char)
            break
    if script in ("latin", "other"):
        text = _ascii_fold(word)
    elif script == "arabic":
        text = _arabic_word(word)
    else:
        base = next(b for b, name in _BRAHMIC_BLOCKS.items() if name == script)
        text = _brahmic_word(word, base)
    return "".join(c for c in text if c.isascii() and c.isalnum()).lower()


def is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def split_words(text: str) -> list[str]:
    """Words in any script: runs of letters, combining marks and digits."""
    words: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if is_word_char(char):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def romanise(text: str) -> str:
    """Every word of ``text`` romanised, joined by single spaces."""
    return " ".join(w for w in (romanise_word(w) for w in split_words(text)) if w)
