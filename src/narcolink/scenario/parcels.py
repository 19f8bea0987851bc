"""Parcels: India's export declarations (NCB) and the STOP Act advance electronic data of
parcels entering the US (DEA), in narcolink's Consignment format.

A parcel from India to the US is in both views: the same label (tracking number, sender,
recipient, contents, weight, value) as each side records it. Ordinary parcels are drawn
from pools of frequent senders and recipients (people who ship often), so each parcel costs
no more than formatting its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from narcolink.scenario import lexicon
from narcolink.scenario.contact import Address, render_address, world_phone, write_phone
from narcolink.scenario.people import Person
from narcolink.scenario.rng import Stream, Weighted, hashed_index, key
from narcolink.scenario.world import World

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
AIRPORTS = {
    "in": ("DEL", "BOM", "BLR", "MAA", "HYD", "CCU"),
    "us": ("JFK", "ORD", "LAX", "MIA", "ATL"),
    "gb": ("LHR",),
    "ca": ("YYZ", "YVR"),
    "au": ("SYD", "MEL"),
    "ae": ("DXB",),
    "de": ("FRA",),
    "sg": ("SIN",),
    "nz": ("AKL",),
    "za": ("JNB",),
    "es": ("MAD",),
    "ch": ("ZRH",),
    "ee": ("TLL",),
    "br": ("GRU",),
    "cn": ("PVG", "CAN"),
    "mx": ("MEX",),
    "nl": ("AMS",),
}
HUBS = ("FRA", "DXB", "DOH", "SIN", "AMS", "LHR")
POOL = 20_000  # frequent senders / recipients per country


def s10(service: str, serial: int, country: str = "IN") -> str:
    """A UPU S10 item id (two letters, eight digits, check digit, country)."""
    digits = f"{serial % 10**8:08d}"
    total = sum(int(d) * w for d, w in zip(digits, S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    check = 0 if check == 10 else 5 if check == 11 else check
    second = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[serial // 10**8 % 26]
    return f"{service}{second}{digits}{check}{country}"


def tracking(style: str, service: str, serial: int, rng: Stream, country: str = "IN") -> str:
    if style == "s10":
        return s10(service, serial, country)
    kind, _, n = style.partition(":")
    if kind == "letter":
        return "ABDPZ"[rng.below(5)] + rng.digits(int(n))
    return rng.digits(int(n))


@dataclass
class Party:
    """A sender or recipient as written on the label, and the record it is in each view."""

    name: str
    address: Address | None
    text_address: str
    phone: str
    country: str
    refs: dict[str, str] = field(default_factory=dict)


@dataclass
class Parcel:
    entity: str
    index: int
    tracking: str
    carrier: str
    us_carrier: str
    sender: Party
    recipient: Party
    contents: str
    hs: str
    weight: float
    value: float
    pieces: int
    origin: str
    destination: str
    route: str
    shipped: date
    delivered: date | None
    views: set[str]
    illicit: bool = False
    network: str = ""
    role: str = ""


def route_for(origin: str, destination: str, rng: Stream) -> str:
    start = rng.pick(AIRPORTS.get(origin, ("XXX",)))
    end = rng.pick(AIRPORTS.get(destination, ("XXX",)))
    if origin == destination:
        return f"{start} > {end}"
    if rng.chance(0.5):
        return f"{start} > {rng.pick(HUBS)} > {end}"
    return f"{start} > {end}"


def write_parcel(world: World, parcel: Parcel, rng: Stream) -> None:
    """The parcel's entity and its record in each view that holds it."""
    world.out.entity(
        parcel.entity,
        "parcel",
        parcel.tracking,
        parcel.origin,
        parcel.network,
        parcel.role,
        parcel.illicit,
    )
    for code in sorted(parcel.views):
        view = world.views[code]
        s, r = parcel.sender, parcel.recipient
        carrier = (
            parcel.us_carrier
            if view.country == parcel.destination != parcel.origin
            else (parcel.carrier)
        )
        s_phone = write_phone(s.phone, parcel.origin, view.noise.phone, rng)[0] if s.phone else ""
        r_phone = (
            write_phone(r.phone, parcel.destination, view.noise.phone, rng)[0] if r.phone else ""
        )
        s_name, r_name = s.name, r.name
        if view.country == "us" and rng.chance(0.3):
            s_name, r_name = s_name.upper(), r_name.upper()
        view.emit(
            "consignments",
            [
                view.rid("consignments", parcel.index),
                parcel.tracking,
                carrier,
                s.refs.get(code, ""),
                s_name,
                s.text_address,
                s_phone,
                r.refs.get(code, ""),
                r_name,
                r.text_address,
                r_phone,
                parcel.contents,
                parcel.hs,
                f"{parcel.weight:.2f}",
                f"{parcel.value:.0f}",
                "USD",
                str(parcel.pieces),
                parcel.origin,
                parcel.destination,
                parcel.route,
                parcel.shipped.isoformat(),
                parcel.delivered.isoformat() if parcel.delivered else "",
            ],
            parcel.entity,
        )


class Pool:
    """A fixed set of background people of one country who send or receive parcels or make
    calls, computed once in blocks (bounded: at most ``POOL`` people)."""

    def __init__(self, world: World, country: str, purpose: str) -> None:
        pop = world.population
        offset, n = (0, pop.n_in) if country == "in" else (pop.n_in, pop.n_us)
        self.size = min(POOL, n)
        base = key(world.seed, "pool", country, purpose)
        indices = sorted({offset + hashed_index(base, j, n) for j in range(self.size)}) if n else []
        self.people: list[Person] = []
        for start in range(0, len(indices), 4096):
            self.people.extend(pop.make_many(indices[start : start + 4096], country))
        self.size = len(self.people)

    def pick(self, rng: Stream) -> Person:
        # Zipf-like: a few people send and receive much more than the rest.
        u = rng.random()
        return self.people[int(u * u * self.size)]


def person_party(world: World, person: Person, rng: Stream) -> Party:
    home = world.home(person)
    style = "canonical" if person.country != "us" else rng.pick(("canonical", "us_postal"))
    refs = {}
    for code, view in world.views.items():
        rid = view.person_id(person.index, person.country)
        if rid:
            refs[code] = rid
    return Party(
        person.name, home, render_address(home, style, rng), person.phone, person.country, refs
    )


def foreign_party(world: World, country: str, rng: Stream) -> Party:
    names = lexicon.world_names()
    given = rng.pick(names.get("given", country, "f" if rng.chance(0.5) else "m"))
    surname = rng.pick(names.get("surname", country, ""))
    addr = world.addresses.get(country, rng.below(10**9))
    return Party(
        f"{given.latin} {surname.latin}", addr, addr.full, world_phone(country, rng), country
    )


def background_parcels(world: World) -> None:
    """Ordinary parcels: exports from India and imports into the US."""
    total = world.volume("parcels")
    if not total:
        return
    spec = world.profile.parcels
    rng = world.stream("parcels")
    trade = lexicon.trade()
    carriers = trade["carriers"]
    carrier_table = Weighted([(c, c["weight"]) for c in carriers])
    destinations = Weighted(list(spec["export_destinations"].items()))
    origins = Weighted(list(spec["us_origins"].items()))
    export_share = float(spec["export_share"])
    coverage = {code: float(v) for code, v in spec.get("coverage", {}).items()}
    ordinary = trade["declared"]["ordinary_export"]
    imports = trade["declared"]["ordinary_import"]
    foreign_carriers = trade["other_origin_carriers"]
    senders_in = Pool(world, "in", "senders")
    recipients_us = Pool(world, "us", "recipients")
    companies = world.companies
    for n in range(total):
        shipped = world.day(rng)
        if rng.random() < export_share and senders_in.size:
            origin, destination = "in", rng.weighted(destinations)
            carrier = rng.weighted(carrier_table)
            number = tracking(carrier["style"], carrier.get("service", "E"), n, rng)
            if rng.chance(0.6) or not companies.n_in:
                sender = person_party(world, senders_in.pick(rng), rng)
            else:
                company = companies.company(rng.below(companies.n_in))
                addr = world.addresses.get("in", company.address_index, company.city)
                sender = Party(
                    company.name,
                    addr,
                    addr.full,
                    company.phone,
                    "in",
                    {c: v.company_id(company) for c, v in world.views.items()},
                )
            contents, hs = rng.pick(ordinary)
            names = (carrier["name"], carrier["us_name"])
        else:
            origin, destination = rng.weighted(origins), "us"
            number = (
                rng.digits(12)
                if rng.chance(0.4)
                else s10("L", n, origin.upper() if len(origin) == 2 else "XX")
            )
            sender = foreign_party(world, origin, rng)
            contents, hs = rng.pick(imports)
            carrier_name = rng.pick(foreign_carriers)
            names = (carrier_name, carrier_name)
        if destination == "us" and recipients_us.size:
            recipient = person_party(world, recipients_us.pick(rng), rng)
        else:
            recipient = foreign_party(world, destination, rng)
        views = set()
        for code, view in world.views.items():
            if view.country in (origin, destination) and rng.random() < coverage.get(code, 1.0):
                views.add(code)
        if not views:
            continue
        weight = round(0.2 + rng.random() ** 2 * 6, 2)
        parcel = Parcel(
            f"parcel-{n}",
            n,
            number,
            names[0],
            names[1],
            sender,
            recipient,
            contents,
            hs,
            weight,
            round(5 + weight * rng.uniform(8, 40)),
            1 + (rng.below(4) == 0),
            origin,
            destination,
            route_for(origin, destination, rng),
            shipped,
            shipped + timedelta(days=4 + rng.below(12)) if rng.chance(0.8) else None,
            views,
        )
        write_parcel(world, parcel, rng)
