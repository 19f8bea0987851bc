"""How agencies write a person's name: forms, spellings, scripts and typos.

Each record of a person gets exactly one *form* (plain, native script, initials, surname
first, patronymic, honorific), drawn from the view's weights; a form the name cannot take
(native script for an American name, initials for a one-word name) falls back to plain,
so the rate of a form is its rate among the records that can take it. Spelling variants
(Mohd / Mohammed / Muhammad, Choudhary / Chaudhary, Bill / William) and typos are drawn
independently. Every variation applied is returned as a label for the ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass

from narcolink.scenario.people import Person, Token
from narcolink.scenario.rng import Stream, Weighted

FORMS = ("plain", "native_script", "initials", "surname_first", "patronymic", "honorific")
HONORIFICS = {
    ("north", "m"): ("Shri", "Sh.", "Mr."),
    ("north", "f"): ("Smt.", "Ms.", "Kumari"),
    ("south", "m"): ("Shri", "Mr.", "Dr."),
    ("south", "f"): ("Smt.", "Ms.", "Dr."),
    ("punjabi", "m"): ("Sardar", "Shri", "Mr."),
    ("punjabi", "f"): ("Sardarni", "Smt.", "Ms."),
    ("muslim", "m"): ("Janab", "Mr.", "Shri"),
    ("muslim", "f"): ("Begum", "Ms.", "Smt."),
    ("us", "m"): ("Mr.", "Dr."),
    ("us", "f"): ("Ms.", "Mrs.", "Dr."),
}
ALL_HONORIFICS = frozenset(h for hs in HONORIFICS.values() for h in hs)
PATRONYMIC_MARKS = {"m": ("s/o", "S/O", "S/o", "son of"), "f": ("d/o", "D/O", "D/o", "daughter of")}
NEIGHBOURS = {
    "a": "sqz",
    "b": "vnh",
    "c": "xvd",
    "d": "sfe",
    "e": "wrd",
    "f": "dgr",
    "g": "fht",
    "h": "gjy",
    "i": "uok",
    "j": "hku",
    "k": "jli",
    "l": "kop",
    "m": "nj",
    "n": "bmh",
    "o": "ipl",
    "p": "ol",
    "q": "wa",
    "r": "etf",
    "s": "adw",
    "t": "ryg",
    "u": "yij",
    "v": "cbf",
    "w": "qes",
    "x": "zcs",
    "y": "tuh",
    "z": "xas",
}


@dataclass(frozen=True)
class NameNoise:
    """One agency's habits in writing names (rates are probabilities per record)."""

    forms: Weighted[str]
    variant: float  # a name with other spellings is written in one of them
    typo: float  # one letter wrong, missing, doubled or swapped (Latin forms only)
    alias: float  # the record also carries the name in the other script
    upper: float  # written in capitals
    scripts: Weighted[str]  # which native script, for names that have several


@dataclass(slots=True)
class RenderedName:
    name: str
    alias: str
    first: str
    last: str
    labels: list[str]


def _spell(
    tokens: tuple[Token, ...], noise: NameNoise, rng: Stream, labels: list[str]
) -> list[str]:
    words = [t[1] for t in tokens]
    changeable = [i for i, t in enumerate(tokens) if t[0].variants]
    if changeable and rng.chance(noise.variant):
        i = changeable[rng.below(len(changeable))]
        others = [s for s in tokens[i][0].spellings if s != words[i]]
        words[i] = rng.pick(others)
        labels.append("variant")
    return words


def native(tokens: tuple[Token, ...], script: str) -> str:
    return " ".join(t[0].script(script) or t[0].deva for t in tokens)


def _script_for(person: Person, noise: NameNoise, rng: Stream) -> str:
    if person.group == "punjabi" or person.group == "muslim":
        wanted = rng.weighted(noise.scripts)
        if wanted == "native":
            return "guru" if person.group == "punjabi" else "urdu"
    return "deva"


def typo(word: str, rng: Stream) -> str:
    """One keyboard slip in ``word`` (which has at least four letters)."""
    i = 1 + rng.below(len(word) - 2)
    kind = rng.below(4)
    if kind == 0:
        lower = word[i].lower()
        choices = NEIGHBOURS.get(lower, "e")
        new = rng.pick(choices)
        return word[:i] + (new.upper() if word[i].isupper() else new) + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]


def render_name(person: Person, noise: NameNoise, rng: Stream) -> RenderedName:
    labels: list[str] = []
    random = rng.random
    g = person.gender[0]
    form = noise.forms.at(random())
    tokens = person.tokens
    if form == "native_script" and not person.indian_name:
        form = "plain"
    if form in ("initials", "surname_first", "patronymic") and len(tokens) < 2:
        form = "plain"
    labels.append(f"form={form}")
    if form == "native_script":
        script = _script_for(person, noise, rng)
        labels.append(f"script={script}")
        name = native(tokens, script)
        alias = ""
        if rng.chance(noise.alias):
            alias = person.name
            labels.append("alias")
        return RenderedName(name, alias, "", "", labels)
    words = _spell(tokens, noise, rng, labels)
    if random() < noise.typo:
        long_words = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if long_words:
            i = rng.pick(long_words)
            words[i] = typo(words[i], rng)
            labels.append("typo")
    first, last = words[0], words[-1] if len(words) > 1 else ""
    if form == "plain":
        name = " ".join(words)
    elif form == "initials":
        style = rng.below(3)
        initials = [w[0] + "." for w in words[:-1]]
        head = "".join(initials) if style == 1 else " ".join(initials)
        if style == 2:
            head = head.replace(".", "")
        name = f"{head} {words[-1]}"
        first = ""
    elif form == "surname_first":
        if person.group == "us" or rng.chance(0.3):
            name = f"{words[-1]}, {' '.join(words[:-1])}"
        else:
            name = f"{words[-1]} {' '.join(words[:-1])}"
    elif form == "patronymic":
        mark = rng.pick(PATRONYMIC_MARKS[g])
        father = " ".join(t[1] for t in person.father)
        name = f"{' '.join(words)} {mark} {father}"
    else:  # honorific
        title = rng.pick(HONORIFICS.get((person.group, g)) or HONORIFICS[("us", g)])
        name = f"{title} {' '.join(words)}"
    if random() < noise.upper:
        name = name.upper()
        labels.append("upper")
    alias = ""
    if person.indian_name and random() < noise.alias:
        alias = native(tokens, _script_for(person, noise, rng))
        labels.append("alias")
    return RenderedName(name, alias, first, last, labels)
