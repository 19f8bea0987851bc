"""Criminal networks described in a profile: roles and their members.

A role (``vendor``, ``stockist``, ``reshipper``, ...) has members: people, companies,
organisations or bare wallets, placed in a country and city, present in each agency's view
with a stated probability, optionally pinned to named cast facts. Everything about a
member is a pure function of (seed, network, role, member), so the flows (``flows``) can be
generated in any process without a shared registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from narcolink.exc import BadRequest
from narcolink.scenario import lexicon
from narcolink.scenario.companies import Company, premises
from narcolink.scenario.contact import Address
from narcolink.scenario.crypto import btc_address, tron_address
from narcolink.scenario.people import Person, Population
from narcolink.scenario.render import Pinned
from narcolink.scenario.rng import hashed_unit, key
from narcolink.scenario.world import World

KINDS = ("person", "company", "organization", "wallet")
SERVICES = ("b2b", "darknet", "messenger")
HANDLE_WORDS = (
    "pharma",
    "meds",
    "rx",
    "care",
    "health",
    "export",
    "direct",
    "store",
    "supply",
    "deals",
    "relief",
    "global",
    "india",
    "express",
    "plug",
)


@dataclass
class Account:
    service: str  # b2b, darknet, messenger
    platform: str
    username: str
    url: str
    views: set[str]
    index: int


@dataclass
class Wallet:
    chain: str  # btc, trc20
    address: str
    views: set[str]
    index: int


@dataclass
class Member:
    network: str  # e.g. medmax-1
    role: str
    k: int
    kind: str
    index: int  # in the network part of the person / company index space
    views: set[str]
    witting: bool
    person: Person | None = None
    company: Company | None = None
    pin: dict[str, Any] = field(default_factory=dict)
    profession: str = ""
    accounts: list[Account] = field(default_factory=list)
    wallets: list[Wallet] = field(default_factory=list)
    vehicle_views: set[str] = field(default_factory=set)
    vehicle_model: str = ""

    @property
    def entity(self) -> str:
        if self.person is not None:
            return self.person.entity
        if self.company is not None:
            return self.company.entity
        return f"wallet-{self.index}"

    @property
    def label(self) -> str:
        return f"{self.role}@{self.k}"

    @property
    def name(self) -> str:
        if self.pin.get("name"):
            return str(self.pin["name"])
        if self.person is not None:
            return self.person.name
        if self.company is not None:
            return self.company.name
        return self.wallets[0].address if self.wallets else self.entity

    @property
    def country(self) -> str:
        if self.person is not None:
            return self.person.country
        if self.company is not None:
            return self.company.country
        return ""

    @property
    def phone(self) -> str:
        if self.pin.get("phone"):
            return str(self.pin["phone"])
        if self.person is not None:
            return self.person.phone
        if self.company is not None:
            return self.company.phone
        return ""

    def wallet(self, chain: str) -> Wallet | None:
        for wallet in self.wallets:
            if wallet.chain == chain:
                return wallet
        return None


def _per_member(value: Any, count: int, where: str) -> list[Any]:
    """A role attribute given once, as a list (one per member) or as counts per value."""
    if isinstance(value, list):
        if len(value) != count:
            raise BadRequest(f"{where}: {len(value)} values for {count} members")
        return value
    if isinstance(value, dict):
        out = [k for k, n in value.items() for _ in range(int(n))]
        if len(out) != count:
            raise BadRequest(f"{where}: counts add up to {len(out)}, the role has {count}")
        return out
    return [value] * count


class Network:
    """One instance of a profile network."""

    def __init__(self, world: World, spec: dict[str, Any], number: int, instance: int) -> None:
        self.world = world
        self.spec = spec
        self.id = str(spec["id"])
        self.instance = instance
        self.name = f"{self.id}-{instance + 1}"
        self.where = f"profile {world.profile.path}: networks.{self.id}"
        self.base = Population.NETWORK_BASE + number * 10**9 + instance * 10**6
        self.members: dict[str, list[Member]] = {}
        for role_no, (role, data) in enumerate(spec["roles"].items()):
            self.members[role] = self._role(role, role_no, data or {})

    def _role(self, role: str, role_no: int, data: dict[str, Any]) -> list[Member]:
        where = f"{self.where}.roles.{role}"
        kind = data.get("kind", "person")
        if kind not in KINDS:
            raise BadRequest(f"{where}.kind: {kind!r}; use one of {', '.join(KINDS)}")
        count = int(data.get("count", 1))
        countries = _per_member(data.get("country", "in"), count, f"{where}.country")
        cities = _per_member(data.get("city"), count, f"{where}.city")
        cast = data.get("cast") or [] if self.instance == 0 else []
        views = {str(k): float(v) for k, v in (data.get("views") or {}).items()}
        members = []
        for k in range(count):
            index = self.base + role_no * 1000 + k
            pin = dict(cast[k]) if k < len(cast) else {}
            present = self._present(views, role, k)
            member = Member(
                self.name,
                role,
                k,
                kind,
                index,
                present,
                bool(data.get("witting", True)),
                pin=pin,
                profession=str(data.get("profession", "")),
            )
            country = str(countries[k])
            city = self._city(country, cities[k], f"{where}.city")
            if kind == "person":
                person = self.world.population.make(
                    index, country, data.get("group"), pin.get("gender") or data.get("gender")
                )
                if city is not None and country in ("in", "us"):
                    person = _moved(person, city)
                member.person = person
            elif kind in ("company", "organization"):
                company = self.world.companies.company(
                    index,
                    country,
                    data.get("sector", "trade"),
                    city,
                    name=pin.get("name"),
                )
                if kind == "organization":
                    company = _as_organization(company, data.get("description", ""))
                if pin.get("phone"):
                    company = _with(company, phone=str(pin["phone"]))
                if pin.get("email"):
                    company = _with(company, email=str(pin["email"]))
                if pin.get("registrationNumber"):
                    company = _with(company, registration=str(pin["registrationNumber"]))
                member.company = company
            self._extras(member, data, where)
            members.append(member)
        return members

    def _present(self, views: dict[str, float], role: str, k: int) -> set[str]:
        present = set()
        for view in self.world.views:
            base = key(self.world.seed, self.name, role, view)
            if hashed_unit(base, k) < views.get(view, 0.0):
                present.add(view)
        return present

    def _city(self, country: str, city: Any, where: str) -> int | None:
        if city is None:
            return None
        if country == "in":
            names = [p.city for p in lexicon.indian_places()[0]]
        elif country == "us":
            names = [p.city for p in lexicon.us_places()[0]]
        else:
            names = [p.city for p in lexicon.world_places()[country][0]]
        if city not in names:
            raise BadRequest(f"{where}: no city {city!r} in {country} (see data/scenario)")
        return names.index(city)

    def _extras(self, member: Member, data: dict[str, Any], where: str) -> None:
        seed = self.world.seed
        for n, spec in enumerate(data.get("accounts") or []):
            service = spec.get("service")
            if service not in SERVICES:
                raise BadRequest(f"{where}.accounts: service {service!r}; use {SERVICES}")
            account_index = member.index * 8 + n
            username = str(member.pin.get("username") or "") if service == "b2b" else ""
            platform, url = _platform(service, account_index, seed)
            if not username:
                words = HANDLE_WORDS
                a = words[int(hashed_unit(key(seed, "handle"), account_index) * len(words))]
                b = words[int(hashed_unit(key(seed, "handle2"), account_index) * len(words))]
                username = f"{a}_{b}{int(hashed_unit(key(seed, 'h3'), account_index) * 900) + 100}"
            member.accounts.append(
                Account(
                    service,
                    platform,
                    username,
                    url.replace("{user}", username),
                    self._present(
                        {str(k): float(v) for k, v in (spec.get("views") or {}).items()},
                        f"{member.role}-account{n}",
                        member.k,
                    ),
                    account_index,
                )
            )
        wallets = list(data.get("wallets") or [])
        if member.kind == "wallet":
            wallets.append({"chain": data.get("chain", "btc"), "views": {}})
        for n, spec in enumerate(wallets):
            chain = spec.get("chain")
            wallet_index = member.index * 8 + n
            pinned = member.pin.get("wallet") if chain == "btc" and n == 0 else None
            if chain == "btc":
                address = str(pinned) if pinned else btc_address(seed, wallet_index)
            elif chain == "trc20":
                address = tron_address(seed, wallet_index)
            else:
                raise BadRequest(f"{where}.wallets: chain {chain!r}; use btc or trc20")
            member.wallets.append(
                Wallet(
                    chain,
                    address,
                    self._present(
                        {str(k): float(v) for k, v in (spec.get("views") or {}).items()},
                        f"{member.role}-wallet{n}",
                        member.k,
                    ),
                    wallet_index,
                )
            )
        vehicle = data.get("vehicle")
        if vehicle:
            member.vehicle_model = str(vehicle.get("model", "Car"))
            member.vehicle_views = self._present(
                {str(k): float(v) for k, v in (vehicle.get("views") or {}).items()},
                f"{member.role}-vehicle",
                member.k,
            )

    # --- selection ------------------------------------------------------------------------

    def select(self, selector: str | list[str], where: str = "") -> list[Member]:
        """Members named by ``role``, ``role@k`` or a list of those."""
        if isinstance(selector, list):
            return [m for s in selector for m in self.select(s, where)]
        role, _, k = str(selector).partition("@")
        if role not in self.members:
            raise BadRequest(f"{self.where}{where}: no role {role!r}")
        members = self.members[role]
        if k:
            if not k.isdigit() or int(k) >= len(members):
                raise BadRequest(f"{self.where}{where}: {selector!r} names no member")
            return [members[int(k)]]
        return members

    def all_members(self) -> list[Member]:
        return [m for members in self.members.values() for m in members]

    def home(self, member: Member) -> Address:
        if member.person is not None:
            return self.world.home(member.person)
        assert member.company is not None
        return premises(member.company, self.world.addresses)

    def pinned(self, member: Member) -> Pinned | None:
        if not member.pin or member.person is None:
            return None
        p = member.pin
        return Pinned(
            name=str(p["name"]),
            alias=str(p.get("alias", "")),
            birth=str(p.get("birthDate", "")),
            phone=str(p.get("phone", "")),
            address=str(p.get("address", "")),
            gender=str(p.get("gender", "")),
            education=str(p.get("education", "")),
            notes=str(p.get("notes", "")),
        )


def _platform(service: str, index: int, seed: int) -> tuple[str, str]:
    platforms = lexicon.trade()["platforms"]
    if service == "messenger":
        names = platforms["messenger"]
        name = names[int(hashed_unit(key(seed, "messenger"), index) * len(names))]
        return name, "https://msgr.example/" + name.lower().replace(" ", "") + "/{user}"
    options = platforms[service]
    chosen = options[int(hashed_unit(key(seed, "platform", service), index) * len(options))]
    if chosen["host"] == "onion":
        host = onion(seed, index)
        return chosen["name"], f"http://{host}/vendor/{{user}}"
    return chosen["name"], f"https://{chosen['host']}/vendor/{{user}}"


def onion(seed: int, index: int) -> str:
    """A random v3-shaped onion host (56 base32 letters); it names no real service."""
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    h = key(seed, "onion", index)
    chars = []
    for i in range(56):
        if i % 12 == 0:
            h = key(h, i)
        chars.append(alphabet[h % 32])
        h //= 32
    return "".join(chars) + ".onion"


def _moved(person: Person, city: int) -> Person:
    """The person living in a given city (the profile places the role)."""
    return replace(person, city=city)


def _with(company: Company, **changes: Any) -> Company:
    return replace(company, **changes)


def _as_organization(company: Company, description: str) -> Company:
    return replace(
        company,
        kind="organization",
        form="",
        name=company.name,
        registration="",
        licence="",
        sector=description or company.sector,
    )


def networks(world: World) -> list[Network]:
    """Every network instance of the profile, in profile order."""
    found = []
    for number, spec in enumerate(world.profile.networks):
        for instance in range(int(spec.get("instances", 1))):
            found.append(Network(world, spec, number, instance))
    return found
