"""Real people of the synthetic world, as pure functions of an index.

``Population.person(i)`` always returns the same person for the same seed, so an agency's
person file, a parcel that names the person and a call from the person's phone agree
without anything being remembered. Attributes are drawn in blocks with vectorised hashes
(``rng.hash_block``); one person is a block of one. Agencies' records of a person are
renderings of this canonical person with noise (``names``, ``render``); the ground truth
carries the canonical form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from narcolink.scenario import lexicon
from narcolink.scenario.lexicon import NamePart
from narcolink.scenario.rng import Weighted, hash_block, key, unit_block

# How often a person's own spelling is the name's first (most common) spelling.
FIRST_SPELLING = 0.7
EPOCH = date(1950, 1, 1).toordinal()
ADULT_DAYS = 56 * 365  # born 1950..2005
FIRST_SPELLING_1024 = int(FIRST_SPELLING * 1024)
INDIAN_GROUPS = frozenset({"north", "south", "muslim", "punjabi"})
NOT_EMAIL = re.compile(r"[^a-z0-9.]")
MAIL_DOMAINS = ("mail.example", "inbox.example", "post.example")

Token = tuple[NamePart, str]  # a word of a name: the lexicon entry and this person's spelling


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build
class Person:
    """The canonical (true) person."""

    index: int
    country: str  # home country: in, us, or another (network members abroad)
    group: str  # naming tradition: north, south, punjabi, muslim, or a country code
    gender: str  # male, female
    tokens: tuple[Token, ...]  # given name(s) first, family name last
    father: tuple[Token, ...]
    birth: date
    phone: str  # E.164
    email: str
    address: int  # index of the home address in the country's address space
    city: int  # index of the home city in the country's places

    @property
    def entity(self) -> str:
        return f"person-{self.index}"

    @property
    def name(self) -> str:
        return " ".join(t[1] for t in self.tokens)

    @property
    def first_name(self) -> str:
        return self.tokens[0][1]

    @property
    def last_name(self) -> str:
        return self.tokens[-1][1] if len(self.tokens) > 1 else ""

    @property
    def indian_name(self) -> bool:
        return self.group in INDIAN_GROUPS


class Population:
    """The background population: indices [0, n_in) live in India, [n_in, n_in + n_us) in
    the US. Network members use indices from ``NETWORK_BASE`` on (same rules, own range)."""

    NETWORK_BASE = 10**12
    FIELDS = 24  # independent hashed draws per person

    def __init__(
        self,
        seed: int,
        n_in: int,
        n_us: int,
        india_groups: Weighted[str],
        us_indian_origin: float,
        reserved: frozenset[str] = frozenset(),
    ) -> None:
        self.seed = seed
        self.n_in = n_in
        self.n_us = n_us
        self.india_groups = india_groups
        self.us_indian_origin = us_indian_origin
        self.reserved = reserved  # canonical names kept for the profile's named cast
        self.reserved_first = frozenset(name.split(" ")[0] for name in reserved)
        self.base = key(seed, "person")
        self.indian = lexicon.indian_names()
        self.world = lexicon.world_names()
        self.cities_in = lexicon.indian_places()[1]
        self.cities_us = lexicon.us_places()[1]
        self.us_places = lexicon.us_places()[0]
        punjabi = self.indian.get("surname", "punjabi", "")
        self.singh = next(p for p in punjabi if p.latin == "Singh")
        self.kaur = next(p for p in punjabi if p.latin == "Kaur")
        self.clans = [p for p in punjabi if p.latin not in ("Singh", "Kaur")]
        self.mohd = next(
            p for p in self.indian.get("given", "muslim", "m") if p.latin == "Mohammed"
        )
        self.pools: dict[tuple[str, str, str], list[NamePart]] = {
            ("clan", "punjabi", ""): self.clans,
            ("mohd", "muslim", "m"): [self.mohd],
        }

    @property
    def size(self) -> int:
        return self.n_in + self.n_us

    def country_of(self, index: int) -> str:
        return "in" if index < self.n_in else "us"

    def person(self, index: int) -> Person:
        return self.block(index, index + 1)[0]

    def block(self, start: int, stop: int) -> list[Person]:
        """The background people with indices [start, stop)."""
        return self.make_many(range(start, stop), None)

    def make(
        self, index: int, country: str, group: str | None = None, gender: str | None = None
    ) -> Person:
        """A person with a fixed home country (and optionally naming group and gender)."""
        return self.make_many([index], country, group, gender)[0]

    def make_many(
        self,
        indices: range | list[int],
        country: str | None,
        group: str | None = None,
        gender: str | None = None,
    ) -> list[Person]:
        idx = np.asarray(indices, dtype=np.uint64)
        # one tuple of draws per person (columns of the vectorised hashes, transposed)
        h = list(
            zip(*(hash_block(self.base + k, idx).tolist() for k in range(self.FIELDS)), strict=True)
        )
        u = list(
            zip(*(unit_block(self.base + 100 + k, idx).tolist() for k in range(6)), strict=True)
        )
        home = self.home_city_block(idx, country)
        people = []
        one = self._one
        n_in = self.n_in
        for j, index in enumerate(idx.tolist()):
            where = country or ("in" if index < n_in else "us")
            people.append(one(index, where, group, gender, h[j], u[j], home[j]))
        return people

    def home_city_block(self, idx: np.ndarray, country: str | None) -> list[int]:
        """The home city of each person (people sharing an address share a city)."""
        u = unit_block(self.base ^ 0xA5A5, idx // np.uint64(2)).tolist()
        cities = []
        for j, index in enumerate(idx.tolist()):
            where = country or self.country_of(index)
            if where == "in":
                cities.append(self.cities_in.at(u[j]))
            elif where == "us":
                cities.append(self.cities_us.at(u[j]))
            else:
                cities.append(-1)
        return cities

    def _one(
        self,
        index: int,
        country: str,
        group: str | None,
        gender: str | None,
        h: tuple[int, ...],
        u: tuple[float, ...],
        city: int,
    ) -> Person:
        if group is None:
            if country == "in" or (country == "us" and u[0] < self.us_indian_origin):
                group = self.india_groups.at(u[1])
            else:
                group = country
        if gender is None:
            gender = "female" if h[0] & 1 else "male"
        g = gender[0]
        tokens, father = self._name(group, g, h, u, 0)
        tries = 0
        while (
            tokens[0][1] in self.reserved_first
            and tries < 4
            and " ".join(t[1] for t in tokens) in self.reserved
        ):
            tries += 1
            tokens, father = self._name(group, g, h, u, tries)
        birth = date.fromordinal(EPOCH + h[20] % ADULT_DAYS)
        if country == "in":
            phone = f"+91{'9876'[h[21] % 4]}{h[22] % 10**9:09d}"
        elif country == "us":
            phone = f"+1{self.us_places[city].area}555{h[21] % 10**4:04d}"
        else:
            place = lexicon.world_places()[country][0][0]
            digits = place.phone_digits
            phone = place.phone_prefix.replace(" ", "") + str(h[22] % 10**digits).zfill(digits)
        email = ""
        if u[2] < 0.35:
            user = NOT_EMAIL.sub("", f"{tokens[0][1]}.{tokens[-1][1]}".lower())
            email = f"{user}{h[23] % 100}@{MAIL_DOMAINS[h[23] // 100 % 3]}"
        # Two people share each home (families, flatmates): address = index // 2.
        return Person(
            index, country, group, gender, tokens, father, birth, phone, email, index // 2, city
        )

    def _pool(self, kind: str, group: str, g: str) -> list[NamePart]:
        found = self.pools.get((kind, group, g))
        if found is None:
            names = self.indian if group in INDIAN_GROUPS else self.world
            found = self.pools[(kind, group, g)] = names.get(kind, group, g)
        return found

    def _pick(self, kind: str, group: str, g: str, hv: int) -> Token:
        parts = self.pools.get((kind, group, g)) or self._pool(kind, group, g)
        n = len(parts)
        part = parts[hv % n]
        rest = hv // n
        if not part.variants or (rest & 1023) < FIRST_SPELLING_1024:
            return part, part.latin
        return part, part.variants[(rest >> 10) % len(part.variants)]

    def _name(
        self, group: str, g: str, h: tuple[int, ...], u: tuple[float, ...], t: int
    ) -> tuple[tuple[Token, ...], tuple[Token, ...]]:
        o = 5 * t  # a retry (reserved cast name) shifts to other draws
        pick = self._pick
        if group not in INDIAN_GROUPS:
            given = pick("given", group, g, h[1 + o])
            surname = pick("surname", group, "", h[2 + o])
            father = (pick("given", group, "m", h[4 + o]), surname)
            if group == "us" and u[3] < 0.4:
                return (given, pick("given", "us", g, h[3 + o]), surname), father
            return (given, surname), father
        given = pick("given", group, g, h[1 + o])
        father_given = pick("given", group, "m", h[4 + o])
        if group == "punjabi":
            marker = self.singh if g == "m" else self.kaur
            singh = (self.singh, "Singh")
            if u[4] < 0.6:
                clan = pick("clan", "punjabi", "", h[2 + o])
                return (given, (marker, marker.latin), clan), (father_given, singh, clan)
            return (given, (marker, marker.latin)), (father_given, singh)
        surname = pick("surname", group, "", h[2 + o])
        tokens = [given]
        if group == "muslim" and g == "m" and given[0] is not self.mohd and u[5] < 0.25:
            tokens.insert(0, pick("mohd", "muslim", "m", h[5]))
        if group == "north" and u[5] < (0.35 if g == "m" else 0.15):
            tokens.append(pick("middle", "north", g, h[3 + o]))
        tokens.append(surname)
        return tuple(tokens), (father_given, surname)
