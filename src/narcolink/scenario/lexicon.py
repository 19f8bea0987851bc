"""The packaged vocabulary of the synthetic world (``narcolink/data/scenario``), loaded once.

See ``data/scenario/SOURCES.md`` for what each file holds and where it comes from.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from narcolink.scenario.rng import Weighted


def _text(name: str) -> str:
    return resources.files("narcolink").joinpath("data", "scenario", name).read_text("utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_text(name).splitlines()))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part for part in cell.split("|") if part)


@dataclass(frozen=True)
class NamePart:
    """One name (given, middle or surname) with its spellings and native-script forms."""

    kind: str
    latin: str
    variants: tuple[str, ...]
    gender: str
    group: str
    deva: str = ""
    guru: str = ""
    urdu: str = ""

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.latin, *self.variants)

    def script(self, name: str) -> str:
        return {"deva": self.deva, "guru": self.guru, "urdu": self.urdu}[name]


@dataclass(frozen=True)
class IndianPlace:
    city: str
    deva: str
    state: str
    rto: str
    pin: str
    tags: tuple[str, ...]
    localities: tuple[str, ...]


@dataclass(frozen=True)
class UsPlace:
    city: str
    state: str
    abbr: str
    zip: str
    area: str
    streets: tuple[str, ...]


@dataclass(frozen=True)
class WorldPlace:
    country: str
    city: str
    postal: str
    region: str
    hub: bool
    streets: tuple[str, ...]
    phone_prefix: str
    phone_digits: int
    continent: str


@dataclass(frozen=True)
class Medicine:
    name: str
    salt: str
    cas: str
    us_schedule: str
    india_ndps: str
    brands: tuple[str, ...]
    street: tuple[str, ...]
    strengths: tuple[str, ...]
    form: str
    pack: str
    unit_price: float


@dataclass(frozen=True)
class Chemical:
    name: str
    cas: str
    smiles: str
    un_table: str
    us_control: str
    hs: str
    one_step_from: str


class Names:
    """Name parts grouped for drawing: (part, group, gender) -> list."""

    def __init__(self, parts: list[NamePart]) -> None:
        self.parts = parts
        self.by: dict[tuple[str, str, str], list[NamePart]] = {}
        for part in parts:
            kind = part.kind
            genders = ("m", "f") if part.gender in ("u", "") else (part.gender,)
            for gender in genders:
                self.by.setdefault((kind, part.group, gender), []).append(part)
        self.variant_of: dict[str, tuple[str, ...]] = {}
        for part in parts:
            for spelling in part.spellings:
                self.variant_of[spelling.lower()] = part.spellings

    def get(self, kind: str, group: str, gender: str) -> list[NamePart]:
        return self.by.get((kind, group, gender)) or self.by[(kind, group, "m")]


def _name_parts(name: str, country_col: str) -> list[NamePart]:
    parts = []
    for row in _rows(name):
        part = NamePart(
            kind=row["part"],
            latin=row["latin"],
            variants=_split(row["variants"]),
            gender=row["gender"],
            group=row[country_col],
            deva=row.get("deva", ""),
            guru=row.get("guru", ""),
            urdu=row.get("urdu", ""),
        )
        parts.append(part)
    return parts


@cache
def indian_names() -> Names:
    return Names(_name_parts("names_in.csv", "group"))


@cache
def world_names() -> Names:
    """US names (group 'us') and a few per other country (group = country code)."""
    return Names(_name_parts("names_world.csv", "country"))


@cache
def indian_places() -> tuple[list[IndianPlace], Weighted[int]]:
    rows = _rows("places_in.csv")
    places = [
        IndianPlace(
            r["city"],
            r["deva"],
            r["state"],
            r["rto"],
            r["pin"],
            _split(r["tags"]),
            _split(r["localities"]),
        )
        for r in rows
    ]
    return places, Weighted([(i, float(r["weight"])) for i, r in enumerate(rows)])


@cache
def us_places() -> tuple[list[UsPlace], Weighted[int]]:
    rows = _rows("places_us.csv")
    places = [
        UsPlace(r["city"], r["state"], r["abbr"], r["zip"], r["area"], _split(r["streets"]))
        for r in rows
    ]
    return places, Weighted([(i, float(r["weight"])) for i, r in enumerate(rows)])


@cache
def world_places() -> dict[str, tuple[list[WorldPlace], Weighted[int]]]:
    """Places of other countries, by country code."""
    grouped: dict[str, list[tuple[WorldPlace, float]]] = {}
    for r in _rows("places_world.csv"):
        place = WorldPlace(
            r["country"],
            r["city"],
            r["postal"],
            r["region"],
            r["hub"] == "transit",
            _split(r["streets"]),
            r["phone_prefix"],
            int(r["phone_digits"]),
            r["continent"],
        )
        grouped.setdefault(r["country"], []).append((place, float(r["weight"])))
    return {
        cc: ([p for p, _ in items], Weighted([(i, w) for i, (_, w) in enumerate(items)]))
        for cc, items in grouped.items()
    }


@cache
def medicines() -> dict[str, Medicine]:
    found = {}
    for r in _rows("medicines.csv"):
        found[r["name"]] = Medicine(
            r["name"],
            r["salt"],
            r["cas"],
            r["us_schedule"],
            r["india_ndps"],
            _split(r["brands"]),
            _split(r["street"]),
            _split(r["strengths_mg"]),
            r["form"],
            r["pack"],
            float(r["illicit_usd_per_unit"]),
        )
    return found


@cache
def chemicals() -> dict[str, Chemical]:
    found = {}
    for r in _rows("chemicals.csv"):
        found[r["name"]] = Chemical(
            r["name"],
            r["cas"],
            r["smiles"],
            r["un_table"],
            r["us_control"],
            r["hs"],
            r["one_step_from"],
        )
    return found


@cache
def trade() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(_text("trade.yml"))
    return data


@cache
def crypto_vectors() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_text("crypto_vectors.json"))
    return data
