"""The packaged knowledge base: substances, their listings with dates, class definitions.

Pure Python (no RDKit): loading it is cheap, and name and CAS look-ups need no structure
code. ``as_of`` filtering lives here so that every caller applies it the same way.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

DATA_PACKAGE = "narcolink.data.chemistry"

SHORT_INSTRUMENT = {
    "Single Convention on Narcotic Drugs, 1961": "1961 Convention",
    "Convention on Psychotropic Substances, 1971": "1971 Convention",
    "UN Convention against Illicit Traffic, 1988": "1988 Convention",
    "Controlled Substances Act (21 CFR 1308)": "US CSA",
    "Controlled Substances Act, listed chemicals (21 CFR 1310.02)": "US CSA",
    "NDPS Act 1985": "India NDPS Act",
    "NDPS (Regulation of Controlled Substances) Order 2013": "India NDPS (RCS) Order 2013",
}


def normalise_name(text: str) -> str:
    """A name key: case, accents, spacing, hyphens and punctuation folded away."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("α", "alpha").replace("β", "beta")
    return re.sub(r"[^a-z0-9]+", "", folded)


@dataclass(frozen=True)
class Listing:
    """One substance on one list of one instrument, from ``effective`` until ``removed``."""

    substance: str
    jurisdiction: str
    instrument: str
    list: str
    effective: date
    removed: date | None
    covers: frozenset[str]
    source: str
    doubt: str

    def active(self, as_of: date) -> bool:
        return self.effective <= as_of and (self.removed is None or as_of < self.removed)

    @property
    def excepted(self) -> bool:
        return self.list == "excepted"

    @property
    def label(self) -> str:
        short = SHORT_INSTRUMENT.get(self.instrument, self.instrument)
        return f"{short} {self.list}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "instrument": self.instrument,
            "list": self.list,
            "label": self.label,
            "effective": self.effective.isoformat(),
            "removed": self.removed.isoformat() if self.removed else None,
            "source": self.source,
            "doubt": self.doubt,
        }


@dataclass(frozen=True)
class Substance:
    id: str
    name: str
    synonyms: tuple[str, ...]
    brand_names: tuple[str, ...]
    street_names: tuple[str, ...]
    cas: str
    smiles: str
    inchikey: str
    formula: str
    hs_code: str
    category: str
    designer_target: bool
    source: str
    doubt: str
    listings: tuple[Listing, ...] = field(default=())

    def listings_on(self, as_of: date) -> list[Listing]:
        """Listings in force on ``as_of`` (exceptions left out)."""
        return [x for x in self.listings if x.active(as_of) and not x.excepted]

    def excepted_in(self, as_of: date) -> set[str]:
        """Jurisdictions that name this structure as outside their isomer/ester rules."""
        return {x.jurisdiction for x in self.listings if x.excepted and x.active(as_of)}

    @property
    def first_listed(self) -> date | None:
        dates = [x.effective for x in self.listings if not x.excepted]
        return min(dates) if dates else None

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms, *self.brand_names, *self.street_names)


@dataclass(frozen=True)
class ClassDefinition:
    id: str
    jurisdiction: str
    instrument: str
    list: str
    effective: date
    source: str
    doubt: str

    def listing(self) -> Listing:
        return Listing(
            self.id,
            self.jurisdiction,
            self.instrument,
            self.list,
            self.effective,
            None,
            frozenset({"salts", "isomers"}),
            self.source,
            self.doubt,
        )


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(";") if p.strip())


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


class KnowledgeBase:
    """Substances by id, name, CAS and InChIKey; listings; class definitions."""

    def __init__(
        self, substances: list[Substance], classes: list[ClassDefinition], version: str
    ) -> None:
        self.version = version
        self.substances = {s.id: s for s in substances}
        self.classes = {c.id: c for c in classes}
        self._names: dict[str, list[str]] = {}
        self._cas: dict[str, list[str]] = {}
        self._keys: dict[str, str] = {}
        for s in substances:
            for name in s.all_names:
                ids = self._names.setdefault(normalise_name(name), [])
                if s.id not in ids:
                    ids.append(s.id)
            if s.cas:
                self._cas.setdefault(s.cas, []).append(s.id)
            self._keys[s.inchikey] = s.id

    def __len__(self) -> int:
        return len(self.substances)

    def by_name(self, text: str) -> list[Substance]:
        return [self.substances[i] for i in self._names.get(normalise_name(text), [])]

    def by_cas(self, cas: str) -> list[Substance]:
        return [self.substances[i] for i in self._cas.get(cas.strip(), [])]

    def by_inchikey(self, key: str) -> Substance | None:
        sid = self._keys.get(key)
        return self.substances[sid] if sid else None

    def search(self, text: str, limit: int = 20) -> list[Substance]:
        """Substances whose name, synonym or CAS starts with or contains ``text``."""
        key = normalise_name(text)
        if not key:
            return []
        exact = [s for s in self.by_name(text)] + self.by_cas(text)
        seen = {s.id for s in exact}
        starts: list[Substance] = []
        contains: list[Substance] = []
        for name, ids in self._names.items():
            if key in name:
                bucket = starts if name.startswith(key) else contains
                bucket.extend(self.substances[i] for i in ids if i not in seen)
                seen.update(ids)
        return (exact + starts + contains)[:limit]


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The packaged knowledge base (read once per process)."""
    meta = yaml.safe_load(
        resources.files(DATA_PACKAGE).joinpath("kb.yml").read_text(encoding="utf-8")
    )
    by_substance: dict[str, list[Listing]] = {}
    for row in _read_csv("listings.csv"):
        listing = Listing(
            substance=row["substance"],
            jurisdiction=row["jurisdiction"],
            instrument=row["instrument"],
            list=row["list"],
            effective=date.fromisoformat(row["effective"]),
            removed=_date(row["removed"]),
            covers=frozenset(_split(row["covers"])),
            source=row["source"],
            doubt=row["doubt"],
        )
        by_substance.setdefault(row["substance"], []).append(listing)
    substances = [
        Substance(
            id=row["id"],
            name=row["name"],
            synonyms=_split(row["synonyms"]),
            brand_names=_split(row["brand_names"]),
            street_names=_split(row["street_names"]),
            cas=row["cas"],
            smiles=row["smiles"],
            inchikey=row["inchikey"],
            formula=row["formula"],
            hs_code=row["hs_code"],
            category=row["category"],
            designer_target=row["designer_target"] == "yes",
            source=row["source"],
            doubt=row["doubt"],
            listings=tuple(by_substance.get(row["id"], ())),
        )
        for row in _read_csv("substances.csv")
    ]
    classes = [
        ClassDefinition(
            id=c["id"],
            jurisdiction=c["jurisdiction"],
            instrument=c["instrument"],
            list=c["list"],
            effective=date.fromisoformat(c["effective"]),
            source=c["source"],
            doubt=c["doubt"],
        )
        for c in meta["classes"]
    ]
    return KnowledgeBase(substances, classes, str(meta["version"]))
