"""Source records, stable ids and statements.

A record is one row of one agency's source. Its id is derived from (agency, source,
source record id), so re-importing the same file yields the same ids and changes
nothing. Each property value becomes a ``Statement`` that remembers where it came from.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime

from followthemoney.schema import Schema

from narcolink.model.markings import Markings

ID_PATTERN = re.compile(r"^[a-z0-9]{2,16}-[0-9a-f]{24}$")


def entity_id(agency: str, source: str, record_id: str) -> str:
    """Stable, opaque id for a source record: ``<agency>-<24 hex>``."""
    digest = hashlib.sha1(
        f"{agency}\x1f{source}\x1f{record_id}".encode(), usedforsecurity=False
    ).hexdigest()
    return f"{agency}-{digest[:24]}"


def statement_id(entity: str, prop: str, value: str) -> str:
    digest = hashlib.sha1(f"{entity}\x1f{prop}\x1f{value}".encode(), usedforsecurity=False)
    return digest.hexdigest()[:32]


def is_entity_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value))


@dataclass
class Record:
    """One validated source record, ready to be written."""

    id: str
    schema: Schema
    source_record: str
    properties: dict[str, list[str]] = field(default_factory=dict)
    originals: dict[tuple[str, str], str] = field(default_factory=dict)
    markings: Markings | None = None

    def add(self, prop: str, value: str, original: str | None = None) -> None:
        values = self.properties.setdefault(prop, [])
        if value not in values:
            values.append(value)
            if original is not None and original != value:
                self.originals[(prop, value)] = original

    @property
    def caption(self) -> str:
        for name in self.schema.caption:
            values = self.properties.get(name)
            if values:
                return values[0][:200]
        return self.schema.label


@dataclass(frozen=True)
class Statement:
    """One property value with its provenance (FtM's statement model)."""

    id: str
    entity_id: str
    schema: str
    prop: str
    prop_type: str
    value: str
    original: str | None
    agency: str
    source: str
    source_record: str
    batch_id: str
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True)
class Batch:
    """One import: who loaded which file, with which markings, when."""

    id: str
    agency: str
    source: str
    filename: str
    sha256: str
    markings: Markings
    created_by: str
    created_at: datetime
    record_count: int = 0
