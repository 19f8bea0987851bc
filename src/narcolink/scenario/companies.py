"""Companies of the world: manufacturers, distributors, traders, forwarders, as pure
functions of an index, with their premises, directors and each view's record of them.

Indices [0, n_in) are Indian companies, then US companies, then companies of other
countries (trade partners and transshipment hubs). An agency sees the companies of its
own country and those foreign companies that trade with it (a pure draw), so every trade
record can name both parties in each view that holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from narcolink.scenario import lexicon
from narcolink.scenario.contact import Address, render_address
from narcolink.scenario.rng import Bits, Stream, Weighted, hashed_unit, key

SECTORS = {
    "in": Weighted(
        [
            ("pharma", 35),
            ("chemical", 20),
            ("trade", 20),
            ("logistics", 8),
            ("herbal", 10),
            ("service", 7),
        ]
    ),
    "us": Weighted([("pharma", 35), ("chemical", 30), ("trade", 20), ("logistics", 15)]),
    "world": Weighted([("pharma", 40), ("chemical", 40), ("trade", 20)]),
}
WORLD_COUNTRIES = Weighted(
    [
        ("de", 10),
        ("ch", 6),
        ("gb", 8),
        ("nl", 6),
        ("cn", 12),
        ("sg", 6),
        ("ae", 8),
        ("au", 5),
        ("ca", 5),
        ("mx", 5),
        ("es", 3),
        ("br", 4),
        ("za", 3),
    ]
)
INDUSTRY = {
    "pharma": "24231",
    "chemical": "24110",
    "trade": "51909",
    "logistics": "63030",
    "herbal": "24239",
    "service": "74999",
}
PARTNER_SHARE = 0.4  # foreign companies that trade with (and are known to) each agency
ADDRESS_BASE = 10**11  # company premises live in their own part of the address space
NOT_ALNUM = re.compile(r"[^a-z0-9]")


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build
class Company:
    index: int
    country: str
    sector: str
    name: str
    core: str  # the name without its legal form
    form: str
    city: int  # index into the country's places (-1: drawn from the address)
    phone: str
    email: str
    registration: str
    licence: str
    directors: tuple[int, ...]  # background person indices
    kind: str = "company"  # or organization

    @property
    def entity(self) -> str:
        return f"{self.kind}-{self.index}"

    @property
    def address_index(self) -> int:
        return ADDRESS_BASE + self.index


def dea_number(prefix: str, digits: str) -> str:
    """A DEA-registration-shaped number (two letters, six digits and a check digit)."""
    d = [int(c) for c in digits]
    check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    return f"{prefix}{digits}{check}"


class Companies:
    def __init__(self, seed: int, counts: dict[str, int], people: tuple[int, int]) -> None:
        self.seed = seed
        self.n_in = counts.get("in", 0)
        self.n_us = counts.get("us", 0)
        self.n_world = counts.get("world", 0)
        self.people = people  # (n_in, n_us) background persons, for directors
        self.base = key(seed, "company")
        self.partner_base = key(seed, "partner")
        self.words = lexicon.trade()["company_words"]
        self.india = lexicon.indian_places()
        self.us = lexicon.us_places()
        self.world = lexicon.world_places()

    @property
    def size(self) -> int:
        return self.n_in + self.n_us + self.n_world

    def country_of(self, index: int) -> str:
        if index < self.n_in:
            return "in"
        if index < self.n_in + self.n_us:
            return "us"
        return WORLD_COUNTRIES.at(hashed_unit(self.base ^ 0xC0C0, index))

    def company(
        self,
        index: int,
        country: str | None = None,
        sector: str | None = None,
        city: int | None = None,
        name: str | None = None,
    ) -> Company:
        country = country or self.country_of(index)
        bits = Bits(self.base, index)
        group = country if country in ("in", "us") else "world"
        sector = sector or bits.weighted(SECTORS[group])
        w = self.words
        if country == "in":
            cores = w["in_core"][sector]
            core = f"{bits.pick(w['in_prefix'])} {bits.pick(cores)}"
            form = bits.pick(w["in_forms"]) if bits.chance(0.8) else ""
            places, weights = self.india
            city = weights.at(bits.unit()) if city is None else city
            place = places[city]
            phone = f"+91{'9876'[bits.below(4)]}{bits.below(10**9):09d}"
            year = 1990 + bits.below(34)
            kind = (
                "PTC" if "Pvt" in form or "Private" in form else "LLP" if form == "LLP" else "OPC"
            )
            registration = f"U{INDUSTRY[sector]}{place.rto}{year}{kind}{bits.below(10**6):06d}"
            licence = ""
            if sector in ("pharma", "herbal"):
                licence = f"{place.rto}-{1 + bits.below(15):02d}-20B-{bits.below(10**5):05d}"
            elif sector == "chemical":
                licence = f"RCS/{place.rto}/{bits.below(10**4):04d}"
        elif country == "us":
            core_sector = sector if sector in w["us_core"] else "trade"
            core = f"{bits.pick(w['us_prefix'])} {bits.pick(w['us_core'][core_sector])}"
            form = bits.pick(w["us_forms"])
            us_places, us_weights = self.us
            city = us_weights.at(bits.unit()) if city is None else city
            phone = f"+1{us_places[city].area}555{bits.below(10**4):04d}"
            registration = f"{bits.below(100):02d}-{bits.below(10**7):07d}"
            licence = (
                dea_number("R" + core[0].upper(), f"{bits.below(10**6):06d}")
                if sector in ("pharma", "chemical")
                else ""
            )
        else:
            core_sector = sector if sector in w["us_core"] else "trade"
            core = f"{bits.pick(w['world_prefix'])} {bits.pick(w['us_core'][core_sector])}"
            form = w["world_forms"].get(country, "Ltd")
            world_places, world_weights = self.world[country]
            city = world_weights.at(bits.unit()) if city is None else city
            abroad = world_places[city]
            digits = abroad.phone_digits
            phone = abroad.phone_prefix.replace(" ", "") + str(bits.below(10**digits)).zfill(digits)
            registration = f"{country.upper()}-{bits.below(10**8):08d}"
            licence = ""
        if name is not None:
            core, form = name, ""
        full = f"{core} {form}".strip()
        domain = NOT_ALNUM.sub("", core.lower())[:20] or "company"
        email = f"{('info', 'sales', 'exports', 'accounts')[bits.below(4)]}@{domain}.example"
        directors: tuple[int, ...] = ()
        n_in, n_us = self.people
        if country == "in" and n_in:
            directors = tuple(sorted({bits.below(n_in) for _ in range(1 + bits.below(2))}))
        elif country == "us" and n_us:
            directors = tuple(sorted({n_in + bits.below(n_us) for _ in range(1 + bits.below(2))}))
        return Company(
            index,
            country,
            sector,
            full,
            core,
            form,
            city,
            phone,
            email,
            registration,
            licence,
            directors,
        )

    def known_to(self, company: Company, view_country: str) -> bool:
        """Whether an agency of ``view_country`` holds a record of the company (pure)."""
        if company.country == view_country:
            return True
        base = self.partner_base ^ (ord(view_country[0]) << 8 | ord(view_country[1]))
        return hashed_unit(base, company.index) < PARTNER_SHARE


# How agencies write company names (rates per record; the first three exclude each other and
# apply to Indian names with a legal form, "no legal form" also to other countries').
COMPANY_NOISE = {
    "legal_form": 0.15,  # the other spelling of the legal form: Pvt Ltd / Private Limited
    "ms_prefix": 0.10,  # "M/s" before the name
    "no_legal_form": 0.08,  # the legal form left out
    "upper": 0.08,  # in capitals
}
LEGAL_FORMS = {
    "Pvt Ltd": "Private Limited",
    "Private Limited": "Pvt. Ltd.",
    "LLP": "L.L.P.",
    "& Co.": "and Company",
}


def company_name(company: Company, rng: Stream, labels: list[str]) -> str:
    """An agency's way of writing a company name: forms of the legal suffix, M/s, case."""
    name = company.name
    roll = rng.random()
    legal, ms, dropped = (COMPANY_NOISE[k] for k in ("legal_form", "ms_prefix", "no_legal_form"))
    if company.country == "in" and company.form:
        if roll < legal:
            name = f"{company.core} {LEGAL_FORMS.get(company.form, company.form)}"
            labels.append("legal_form")
        elif roll < legal + ms:
            name = f"M/s {company.name}"
            labels.append("ms_prefix")
        elif roll < legal + ms + dropped:
            name = company.core
            labels.append("no_legal_form")
    elif company.form and roll < dropped:
        name = company.core
        labels.append("no_legal_form")
    if rng.random() < COMPANY_NOISE["upper"]:
        name = name.upper()
        labels.append("upper")
    return name


def premises(company: Company, addresses: object) -> Address:
    city = company.city if company.city >= 0 else None
    return addresses.get(company.country, company.address_index, city)  # type: ignore[attr-defined]


def premises_text(addr: Address, rng: Stream) -> str:
    return render_address(addr, "canonical" if rng.chance(0.7) else "indian_register", rng)
