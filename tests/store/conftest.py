"""Helpers for the store contract suite: write small batches straight through the Writer."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from narcolink.model.markings import Markings
from narcolink.model.records import Batch, Record, entity_id
from narcolink.model.values import clean_value
from narcolink.model.vocabulary import get_property, get_schema
from narcolink.services.node import Node
from narcolink.store import tables as t
from narcolink.store.writer import Writer

REGIONS = {"ncb": "in", "dea": "us"}


@dataclass
class Rec:
    """A source row as a test writes it: schema, source record id and raw values."""

    schema: str
    source_id: str
    props: dict[str, Any] = field(default_factory=dict)
    markings: Markings | None = None


def make_record(agency: str, source: str, rec: Rec) -> Record:
    schema = get_schema(rec.schema)
    record = Record(
        id=entity_id(agency, source, rec.source_id),
        schema=schema,
        source_record=rec.source_id,
        markings=rec.markings,
    )
    for name, raw in rec.props.items():
        prop = get_property(schema, name)
        for value in raw if isinstance(raw, list) else [raw]:
            cleaned = clean_value(prop, value, region=REGIONS[agency], max_chars=10_000)
            record.add(name, cleaned, original=str(value))
    return record


def write(
    node: Node,
    agency: str,
    recs: Iterable[Rec],
    *,
    source: str = "test-source",
    markings: Markings | None = None,
    at: datetime | None = None,
    chunk_size: int = 200_000,
) -> tuple[Batch, list[str]]:
    """Write records as one batch in one transaction; return the batch and the ids."""
    records = [make_record(agency, source, rec) for rec in recs]
    batch = Batch(
        id=uuid.uuid4().hex,
        agency=agency,
        source=source,
        filename="test.csv",
        sha256=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
        markings=markings or Markings(),
        created_by=f"{agency}-loader",
        created_at=at or datetime.now(UTC),
    )
    with node.transaction() as conn, Writer(conn, batch, chunk_size=chunk_size) as writer:
        for record in records:
            writer.write(record)
    return batch, [r.id for r in records]


def share(
    node: Node,
    entity: str,
    recipient: str,
    *,
    expires_in: timedelta | None = None,
    revoked: bool = False,
) -> int:
    """Share an entity at store level (the sharing service sits above this)."""
    now = datetime.now(UTC)
    with node.transaction() as conn:
        result = conn.execute(
            t.shares.insert().values(
                entity_id=entity,
                recipient=recipient,
                shared_by="test",
                purpose="test",
                created_at=now,
                expires_at=now + expires_in if expires_in is not None else None,
                revoked_at=now if revoked else None,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])
