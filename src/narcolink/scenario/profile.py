"""Profiles: a world described as data (``profiles/*.yml``), checked on load.

A new typology is a new profile file: background volumes, each agency's noise habits and
the criminal networks (roles, links, calls, shipments, chemicals, transfers, payments,
listings, seizures, shares). Errors name the file and the key path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from narcolink.exc import BadRequest
from narcolink.scenario.names import FORMS, NameNoise
from narcolink.scenario.rng import Weighted

PERSON_FIELDS = ("birthDate", "phone", "address", "gender", "email")


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    country: str
    source: str
    markings: dict[str, str]
    file_markings: dict[str, dict[str, str]]


@dataclass(frozen=True)
class ViewNoise:
    """One agency's recording habits: names, missing fields, dates, phones, addresses."""

    name: NameNoise
    missing: dict[str, float]
    year_only: float
    swapped: float
    phone: Weighted[str]
    address: Weighted[str]
    father_name: float
    id_number: float
    passport: float


@dataclass(frozen=True)
class Profile:
    name: str
    path: str
    title: str
    start: date
    end: date
    agencies: dict[str, AgencySpec]
    persons: dict[str, int]
    india_groups: Weighted[str]
    us_indian_origin: float
    visible: dict[str, dict[str, float]]
    duplicates: dict[str, float]
    companies: dict[str, int]
    volumes: dict[str, int]
    noise: dict[str, ViewNoise]
    parcels: dict[str, Any]
    trade: dict[str, Any]
    networks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class Reader:
    """Typed access to nested YAML with error messages that say where."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, reason: str) -> BadRequest:
        return BadRequest(f"profile {self.source}: {where}: {reason}")

    def get(
        self, data: Any, key: str, where: str, kind: type | tuple[type, ...], default: Any = ...
    ) -> Any:
        if not isinstance(data, dict):
            raise self.fail(where, "expected a mapping")
        if key not in data:
            if default is ...:
                raise self.fail(f"{where}.{key}", "missing")
            return default
        value = data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float)):
            raise self.fail(f"{where}.{key}", f"expected {_kind_name(kind)}, got {value!r}")
        return value

    def rate(self, data: Any, key: str, where: str, default: float | None = None) -> float:
        value = self.get(data, key, where, (int, float), ... if default is None else default)
        if not 0 <= value <= 1:
            raise self.fail(f"{where}.{key}", f"a rate must lie between 0 and 1, got {value}")
        return float(value)

    def rates(self, data: Any, where: str) -> dict[str, float]:
        if not isinstance(data, dict):
            raise self.fail(where, "expected a mapping of name: rate")
        return {str(k): self.rate(data, k, where) for k in data}

    def weights(
        self, data: Any, where: str, allowed: tuple[str, ...] | None = None
    ) -> Weighted[str]:
        if not isinstance(data, dict) or not data:
            raise self.fail(where, "expected a mapping of name: weight")
        for name, weight in data.items():
            if allowed is not None and name not in allowed:
                raise self.fail(f"{where}.{name}", f"unknown; use one of {', '.join(allowed)}")
            if not isinstance(weight, int | float) or isinstance(weight, bool) or weight < 0:
                raise self.fail(f"{where}.{name}", f"expected a weight >= 0, got {weight!r}")
        try:
            return Weighted([(str(k), float(v)) for k, v in data.items()])
        except ValueError as exc:
            raise self.fail(where, str(exc)) from None

    def counts(self, data: Any, where: str) -> dict[str, int]:
        if not isinstance(data, dict):
            raise self.fail(where, "expected a mapping of name: count")
        for name, value in data.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise self.fail(f"{where}.{name}", f"expected a count >= 0, got {value!r}")
        return {str(k): int(v) for k, v in data.items()}

    def day(self, data: Any, key: str, where: str) -> date:
        value = self.get(data, key, where, (date, str))
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise self.fail(f"{where}.{key}", f"not a date (YYYY-MM-DD): {value!r}") from None
        return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        int: "a number",
        float: "a number",
        date: "a date",
    }
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


PHONE_FORMS = (
    "e164",
    "spaced",
    "dashed",
    "trunk",
    "national",
    "intl00",
    "intl011",
    "paren",
    "dotted",
)
ADDRESS_STYLES = ("canonical", "indian_register", "indian_short", "native", "us_postal", "us_upper")


def _noise(r: Reader, data: Any, where: str) -> ViewNoise:
    name = r.get(data, "name", where, dict)
    w = f"{where}.name"
    name_noise = NameNoise(
        forms=r.weights(r.get(name, "forms", w, dict), f"{w}.forms", FORMS),
        variant=r.rate(name, "variant", w),
        typo=r.rate(name, "typo", w),
        alias=r.rate(name, "alias", w),
        upper=r.rate(name, "upper", w),
        scripts=r.weights(r.get(name, "scripts", w, dict), f"{w}.scripts", ("deva", "native")),
    )
    missing = r.rates(r.get(data, "missing", where, dict), f"{where}.missing")
    for key in missing:
        if key not in PERSON_FIELDS:
            raise r.fail(
                f"{where}.missing.{key}", f"unknown; use one of {', '.join(PERSON_FIELDS)}"
            )
    birth = r.get(data, "birth", where, dict)
    return ViewNoise(
        name=name_noise,
        missing=missing,
        year_only=r.rate(birth, "year_only", f"{where}.birth"),
        swapped=r.rate(birth, "swapped", f"{where}.birth"),
        phone=r.weights(r.get(data, "phone", where, dict), f"{where}.phone", PHONE_FORMS),
        address=r.weights(r.get(data, "address", where, dict), f"{where}.address", ADDRESS_STYLES),
        father_name=r.rate(data, "father_name", where),
        id_number=r.rate(data, "id_number", where),
        passport=r.rate(data, "passport", where),
    )


def parse_profile(text: str, source: str) -> Profile:
    r = Reader(source)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BadRequest(f"profile {source}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise r.fail("(top)", "expected a mapping")
    period = r.get(data, "period", "(top)", dict)
    start, end = r.day(period, "start", "period"), r.day(period, "end", "period")
    if end < start:
        raise r.fail("period", "end is before start")
    agencies = {}
    for code, spec in r.get(data, "agencies", "(top)", dict).items():
        w = f"agencies.{code}"
        agencies[code] = AgencySpec(
            code=str(code),
            name=r.get(spec, "name", w, str),
            country=r.get(spec, "country", w, str),
            source=r.get(spec, "source", w, str),
            markings={k: str(v) for k, v in r.get(spec, "markings", w, dict).items()},
            file_markings={
                str(k): {kk: str(vv) for kk, vv in v.items()}
                for k, v in r.get(spec, "file_markings", w, dict, {}).items()
            },
        )
    if not agencies:
        raise r.fail("agencies", "a world needs at least one agency")
    pop = r.get(data, "population", "(top)", dict)
    visible = {
        str(home): r.rates(rates, f"population.visible.{home}")
        for home, rates in r.get(pop, "visible", "population", dict).items()
    }
    noise_data = r.get(data, "noise", "(top)", dict)
    noise = {}
    for code in agencies:
        noise[code] = _noise(r, r.get(noise_data, code, "noise", dict), f"noise.{code}")
    networks = r.get(data, "networks", "(top)", list, [])
    for i, net in enumerate(networks):
        r.get(net, "id", f"networks[{i}]", str)
        r.get(net, "roles", f"networks[{i}]", dict)
    return Profile(
        name=r.get(data, "name", "(top)", str),
        path=source,
        title=r.get(data, "title", "(top)", str, ""),
        start=start,
        end=end,
        agencies=agencies,
        persons=r.counts(r.get(pop, "persons", "population", dict), "population.persons"),
        india_groups=r.weights(
            r.get(pop, "india_groups", "population", dict),
            "population.india_groups",
            ("north", "south", "muslim", "punjabi"),
        ),
        us_indian_origin=r.rate(pop, "us_indian_origin", "population"),
        visible=visible,
        duplicates=r.rates(r.get(pop, "duplicates", "population", dict), "population.duplicates"),
        companies=r.counts(r.get(pop, "companies", "population", dict), "population.companies"),
        volumes=r.counts(r.get(data, "volumes", "(top)", dict), "volumes"),
        noise=noise,
        parcels=r.get(data, "parcels", "(top)", dict),
        trade=r.get(data, "trade", "(top)", dict),
        networks=networks,
    )


def profile_dir() -> Path:
    return Path(str(resources.files("narcolink").joinpath("scenario", "profiles")))


def profile_names() -> list[str]:
    return sorted(p.stem for p in profile_dir().glob("*.yml"))


def load_profile(name: str) -> Profile:
    """A packaged profile by name (``medmax``), or a profile file by path."""
    path = Path(name)
    if path.suffix in (".yml", ".yaml") and path.is_file():
        return parse_profile(path.read_text(encoding="utf-8"), str(path))
    packaged = profile_dir() / f"{name}.yml"
    if not packaged.is_file():
        raise BadRequest(
            f"unknown profile {name!r}; use one of {', '.join(profile_names())} or a .yml file"
        )
    return parse_profile(packaged.read_text(encoding="utf-8"), packaged.name)
