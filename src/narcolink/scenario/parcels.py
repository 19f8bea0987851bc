"""Parcels: India's export declarations (NCB) and the STOP Act advance electronic data of
parcels entering the US (DEA), in narcolink's Consignment format.

A parcel from India to the US is in both views: the same label (tracking number, sender,
recipient, contents, weight, value) as each side records it. Ordinary parcels are drawn
from pools of frequent senders and recipients (people who ship often), so each parcel costs
no more than formatting its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from narcolink.scenario import lexicon
from narcolink.scenario.contact import Address, phone_forms, render_address, world_phone
from narcolink.scenario.people import Person
from narcolink.scenario.rng import Stream, Weighted, hashed_index, key
from narcolink.scenario.world import World

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
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
LABEL_PHONE = ("spaced", "spaced", "e164", "national", "national", "dashed", "paren", "trunk")
FOREIGN_POOL = 1_500  # people abroad who send to the US or receive from India, per country


def s10(service: str, serial: int, country: str = "IN") -> str:
    """A UPU S10 item id (two letters, eight digits, check digit, country)."""
    digits = f"{serial % 10**8:08d}"
    d = [ord(c) - 48 for c in digits]
    total = 8 * d[0] + 6 * d[1] + 4 * d[2] + 2 * d[3] + 3 * d[4] + 5 * d[5] + 9 * d[6] + 7 * d[7]
    check = 11 - total % 11
    check = 0 if check == 10 else 5 if check == 11 else check
    return f"{service}{LETTERS[serial // 10**8 % 26]}{digits}{check}{country}"


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
    written_phone: str = ""  # the number as the label gives it (read as a national
    # number of the party's country, which is the parcel's origin or destination)

    def __post_init__(self) -> None:
        if self.phone and not self.written_phone:
            forms = phone_forms(self.phone, self.country)
            # a stable choice per party: people write their own number the same way
            choice = LABEL_PHONE[sum(map(ord, self.phone)) % len(LABEL_PHONE)]
            self.written_phone = forms.get(choice) or forms.get("spaced") or self.phone


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
    random = rng.random
    starts = AIRPORTS.get(origin, ("XXX",))
    ends = AIRPORTS.get(destination, ("XXX",))
    start = starts[int(random() * len(starts))]
    end = ends[int(random() * len(ends))]
    if origin != destination and random() < 0.5:
        return f"{start} > {HUBS[int(random() * len(HUBS))]} > {end}"
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
        s_phone, r_phone = s.written_phone, r.written_phone
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


def pool_of(world: World, country: str) -> Pool:
    """The world's pool of active people of ``country`` (made once per process)."""
    pools: dict[str, Pool] = world.__dict__.setdefault("_pools", {})
    if country not in pools:
        pools[country] = Pool(world, country, "active")
    return pools[country]


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


class Parties:
    """Senders and recipients as they write themselves on labels, made once per person
    (a frequent sender writes the same label each time); bounded like the pools."""

    def __init__(self, world: World, rng: Stream) -> None:
        self.world = world
        self.rng = rng
        self.people: dict[int, Party] = {}
        self.foreign: dict[str, list[Party]] = {}

    def of(self, person: Person) -> Party:
        found = self.people.get(person.index)
        if found is None:
            found = self.people[person.index] = person_party(self.world, person, self.rng)
        return found

    def abroad(self, country: str) -> Party:
        """One of a bounded set of people of ``country`` who receive or send parcels."""
        pool = self.foreign.setdefault(country, [])
        if len(pool) < FOREIGN_POOL:
            pool.append(foreign_party(self.world, country, self.rng))
            return pool[-1]
        u = self.rng.random()
        return pool[int(u * u * len(pool))]


def foreign_party(world: World, country: str, rng: Stream) -> Party:
    names = lexicon.world_names()
    given = rng.pick(names.get("given", country, "f" if rng.chance(0.5) else "m"))
    surname = rng.pick(names.get("surname", country, ""))
    addr = world.addresses.get(country, rng.below(10**9))
    return Party(
        f"{given.latin} {surname.latin}", addr, addr.full, world_phone(country, rng), country
    )


def companies_party(world: World, index: int) -> Party:
    company = world.companies.company(index)
    addr = world.addresses.get("in", company.address_index, company.city)
    refs = {c: v.company_id(company) for c, v in world.views.items()}
    return Party(
        company.name, addr, addr.full, company.phone, "in", {c: r for c, r in refs.items() if r}
    )


def background_parcels(world: World) -> None:
    """Ordinary parcels: exports from India and imports into the US.

    The hot loop of the generator at scale: it writes each parcel's rows directly (no
    intermediate objects), with dates, routes and labels drawn from small prepared tables.
    """
    total = world.volume("parcels")
    if not total:
        return
    spec = world.profile.parcels
    rng = world.stream("parcels")
    random = rng.random
    trade = lexicon.trade()
    carrier_table = Weighted([(c, c["weight"]) for c in trade["carriers"]])
    destinations = Weighted(list(spec["export_destinations"].items()))
    origins = Weighted(list(spec["us_origins"].items()))
    export_share = float(spec["export_share"])
    ordinary = trade["declared"]["ordinary_export"]
    imports = trade["declared"]["ordinary_import"]
    foreign_carriers = trade["other_origin_carriers"]
    senders_in = pool_of(world, "in")
    recipients_us = pool_of(world, "us")
    parties = Parties(world, world.stream("parcels", "parties"))
    known = parties.people
    senders, n_senders = senders_in.people, senders_in.size
    recipients, n_recipients = recipients_us.people, recipients_us.size
    shippers = [companies_party(world, i) for i in range(min(world.companies.n_in, 2_000))]
    days = [date.fromordinal(world.first_day + d).isoformat() for d in range(world.days + 20)]
    views = [
        (view, view.country, float(spec.get("coverage", {}).get(code, 1.0)), view.sink(
            "consignments"), view.rid)
        for code, view in world.views.items()
    ]  # fmt: skip
    out = world.out
    entity_row = out.entity
    record = out.record
    for n in range(total):
        day = int(random() * world.days)
        if random() < export_share and senders_in.size:
            origin, destination = "in", destinations.at(random())
            carrier = carrier_table.at(random())
            number = tracking(carrier["style"], carrier.get("service", "E"), n, rng)
            if random() < 0.6 or not shippers:
                u = random()
                person = senders[int(u * u * n_senders)]
                sender = known.get(person.index) or parties.of(person)
            else:
                u = random()
                sender = shippers[int(u * u * len(shippers))]
            contents, hs = ordinary[int(random() * len(ordinary))]
            out_carrier, in_carrier = carrier["name"], carrier["us_name"]
        else:
            origin, destination = origins.at(random()), "us"
            number = rng.digits(12) if random() < 0.4 else s10("L", n, origin.upper())
            sender = parties.abroad(origin)
            contents, hs = imports[int(random() * len(imports))]
            out_carrier = in_carrier = foreign_carriers[int(random() * len(foreign_carriers))]
        if destination == "us" and recipients_us.size:
            u = random()
            person = recipients[int(u * u * n_recipients)]
            recipient = known.get(person.index) or parties.of(person)
        else:
            recipient = parties.abroad(destination)
        u = random()
        weight = 0.2 + u * u * 6
        value = round(5 + weight * (8 + random() * 32))
        pieces = "2" if random() < 0.25 else "1"
        route = route_for(origin, destination, rng)
        delivered = days[day + 4 + int(random() * 12)] if random() < 0.8 else ""
        entity = f"parcel-{n}"
        written = False
        for view, country, coverage, sink, rid in views:
            if (country != origin and country != destination) or random() >= coverage:
                continue
            if not written:
                entity_row(entity, "parcel", number, origin)
                written = True
            code = view.code
            s_name, r_name = sender.name, recipient.name
            if country == "us" and random() < 0.3:
                s_name, r_name = s_name.upper(), r_name.upper()
            record(sink, [
                rid("consignments", n), number,
                in_carrier if country == destination != origin else out_carrier,
                sender.refs.get(code, ""), s_name, sender.text_address, sender.written_phone,
                recipient.refs.get(code, ""), r_name, recipient.text_address,
                recipient.written_phone, contents, hs, f"{weight:.2f}", str(value), "USD", pieces,
                origin, destination, route, days[day], delivered,
            ], entity)  # fmt: skip
