"""Scoped reads: a View sees one agency's own records and what partners shared with it.

Every query here goes through ``visible()``, so an access check cannot be forgotten in a
route: code above the store only ever holds a View, never a bare connection.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    exists,
    func,
    intersect,
    or_,
    select,
)

from narcolink.exc import NotFound
from narcolink.model.keys import query_tokens
from narcolink.model.records import is_entity_id
from narcolink.store import tables as t
from narcolink.store.base import utcnow

E = t.entities
S = t.statements
K = t.search_keys

DATE_TYPES = ("date",)
# Up to this many matching ids, a search looks entities up by id rather than by a join.
FEW_MATCHES = 20_000


@dataclass
class EntityDetail:
    """An entity as one agency may see it: its row, its statements with provenance."""

    entity: dict[str, Any]
    statements: list[dict[str, Any]]
    batches: dict[str, dict[str, Any]]
    shared_with: list[dict[str, Any]] = field(default_factory=list)

    @property
    def properties(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for s in self.statements:
            out.setdefault(s["prop"], []).append(s["value"])
        return out


def _upper_bound(prefix: str) -> str:
    return prefix + "\U0010ffff"


class View:
    """Read access for one agency (and, for the audit trail, one named actor)."""

    def __init__(self, conn: Connection, agency: str, actor: str) -> None:
        self.conn = conn
        self.agency = agency
        self.actor = actor

    def visible(self) -> ColumnElement[bool]:
        """Own records, or records shared with this agency and not revoked or expired."""
        now = utcnow()
        shared = exists().where(
            and_(
                t.shares.c.entity_id == E.c.id,
                t.shares.c.recipient == self.agency,
                t.shares.c.revoked_at.is_(None),
                or_(t.shares.c.expires_at.is_(None), t.shares.c.expires_at > now),
            )
        )
        return or_(E.c.agency == self.agency, shared)

    # --- search ---------------------------------------------------------------------------

    def _prefix(self, token: str) -> Any:
        if len(token) < 2:
            return select(K.c.entity_seq).where(K.c.key == token)
        return select(K.c.entity_seq).where(K.c.key >= token, K.c.key < _upper_bound(token))

    def _any_key(self, token: str) -> bool:
        return self.conn.execute(self._prefix(token).limit(1)).first() is not None

    def search(
        self, query: str, limit: int = 20, schema: str | None = None
    ) -> list[dict[str, Any]]:
        """Entities whose keys match the whole of ``query`` (as a prefix: "Ravi Gupta",
        "AB-1234"), then those that match each of its words (as prefixes: "Gupta R"),
        shortest captions first within each.

        Matching ids come from the search keys alone before any entity row is read.
        Common words ("ravi", "kumar") have tens of thousands of keys each at a million
        records, so their intersection is the dear part of a search; a whole-form match
        that fills the page, or a word without any key, spares it.
        """
        tokens, whole = query_tokens(query)
        found: list[dict[str, Any]] = []
        if whole and len(whole) >= 4 and whole not in tokens:
            found = self._entities(self._prefix(whole), limit, schema)
        if len(found) < limit and tokens and all(self._any_key(tok) for tok in tokens):
            words: list[Any] = [self._prefix(tok) for tok in tokens]
            every: Any = words[0]
            if len(words) > 1:
                every = intersect(*words)
            seen = {row["id"] for row in found}
            more = self._entities(every, limit + len(found), schema)
            found += [row for row in more if row["id"] not in seen][: limit - len(found)]
        return found

    def _entities(self, ids: Any, limit: int, schema: str | None) -> list[dict[str, Any]]:
        """Visible entities among the numbers a key query selects, shortest caption first.

        A selective query's numbers are fetched first and looked up by primary key: joined
        instead, a planner without a good estimate of an intersection's size (PostgreSQL
        right after a bulk import) may scan every entity to hash-join a thousand ids.
        """
        matched = ids.subquery("matched")
        few = self.conn.execute(select(matched.c.entity_seq).limit(FEW_MATCHES + 1)).scalars()
        found = list(few)
        if not found:
            return []
        stmt = select(E.c.id, E.c.schema, E.c.caption, E.c.agency, E.c.tlp, E.c.last_seen)
        if len(found) <= FEW_MATCHES:
            stmt = stmt.where(E.c.seq.in_(found))
        else:
            stmt = stmt.join(matched, matched.c.entity_seq == E.c.seq)
        stmt = (
            stmt.where(self.visible())
            .order_by(func.length(E.c.caption), E.c.caption, E.c.id)
            .limit(limit)
        )
        if schema:
            stmt = stmt.where(E.c.schema == schema)
        return [dict(r) for r in self.conn.execute(stmt).mappings()]

    # --- one entity -----------------------------------------------------------------------

    def entity_row(self, entity_id: str) -> dict[str, Any]:
        if not is_entity_id(entity_id):
            raise NotFound("no such record")
        row = (
            self.conn.execute(select(E).where(E.c.id == entity_id).where(self.visible()))
            .mappings()
            .first()
        )
        if row is None:
            raise NotFound("no such record")
        return dict(row)

    def get(self, entity_id: str) -> EntityDetail:
        """The entity with its statements and the batches they came from; NotFound if hidden."""
        entity = self.entity_row(entity_id)
        statements = [
            dict(r)
            for r in self.conn.execute(
                select(S).where(S.c.entity_seq == entity["seq"]).order_by(S.c.prop, S.c.value)
            ).mappings()
        ]
        batch_ids = {s["batch_id"] for s in statements} | {entity["batch_id"]}
        batches = {
            r["id"]: dict(r)
            for r in self.conn.execute(
                select(t.batches).where(t.batches.c.id.in_(batch_ids))
            ).mappings()
        }
        shared_with: list[dict[str, Any]] = []
        if entity["agency"] == self.agency:
            shared_with = [
                dict(r)
                for r in self.conn.execute(
                    select(t.shares).where(t.shares.c.entity_id == entity_id)
                ).mappings()
            ]
        return EntityDetail(entity, statements, batches, shared_with)

    def related(self, entity_id: str, limit: int = 200) -> list[dict[str, Any]]:
        """Visible entities linked to this one, either way, with the property that links them."""
        seq = self.entity_row(entity_id)["seq"]
        out: list[dict[str, Any]] = []
        inbound = (
            select(E.c.id, E.c.schema, E.c.caption, E.c.agency, S.c.prop)
            .join(S, S.c.entity_seq == E.c.seq)
            .where(S.c.prop_type == "entity", S.c.value == entity_id)
            .where(self.visible())
            .limit(limit)
        )
        for r in self.conn.execute(inbound).mappings():
            out.append({**dict(r), "direction": "in"})
        outbound = (
            select(E.c.id, E.c.schema, E.c.caption, E.c.agency, S.c.prop)
            .join(S, S.c.value == E.c.id)
            .where(S.c.prop_type == "entity", S.c.entity_seq == seq)
            .where(self.visible())
            .limit(limit)
        )
        for r in self.conn.execute(outbound).mappings():
            out.append({**dict(r), "direction": "out"})
        return out

    def timeline(self, entity_id: str) -> list[dict[str, Any]]:
        """Dated facts about the entity and the entities linked to it, oldest first."""
        related = self.related(entity_id)
        ids = [entity_id] + [r["id"] for r in related]
        captions = {r["id"]: r["caption"] for r in related}
        captions[entity_id] = self.entity_row(entity_id)["caption"]
        rows = self.conn.execute(
            select(E.c.id.label("entity_id"), E.c.schema, S.c.prop, S.c.value)
            .join(E, E.c.seq == S.c.entity_seq)
            .where(E.c.id.in_(ids), S.c.prop_type.in_(DATE_TYPES))
            .order_by(S.c.value)
        ).mappings()
        return [{**dict(r), "caption": captions.get(r["entity_id"], "")} for r in rows]

    # --- bulk -----------------------------------------------------------------------------

    def count(self, schema: str | None = None) -> int:
        stmt = select(func.count()).select_from(E).where(self.visible())
        if schema:
            stmt = stmt.where(E.c.schema == schema)
        return int(self.conn.execute(stmt).scalar_one())

    def iter_entities(
        self, schema: str | None = None, own_only: bool = False, chunk: int = 5000
    ) -> Iterator[tuple[dict[str, Any], dict[str, list[str]]]]:
        """Every visible entity with its properties, in id order, for export."""
        last = ""
        while True:
            stmt = select(E).where(self.visible(), E.c.id > last).order_by(E.c.id).limit(chunk)
            if schema:
                stmt = stmt.where(E.c.schema == schema)
            if own_only:
                stmt = stmt.where(E.c.agency == self.agency)
            rows = [dict(r) for r in self.conn.execute(stmt).mappings()]
            if not rows:
                return
            props: dict[int, dict[str, list[str]]] = {r["seq"]: {} for r in rows}
            values = self.conn.execute(
                select(S.c.entity_seq, S.c.prop, S.c.value)
                .where(S.c.entity_seq.in_(list(props)))
                .order_by(S.c.entity_seq, S.c.prop, S.c.value)
            )
            for seq, prop, value in values:
                props[seq].setdefault(prop, []).append(value)
            for row in rows:
                yield row, props[row["seq"]]
            last = rows[-1]["id"]

    def existing(self, ids: Sequence[str], chunk: int = 500) -> dict[str, str]:
        """The schema of each of ``ids`` that is an entity this agency may see (an import
        checks its references and re-imported record ids with this)."""
        found: dict[str, str] = {}
        for start in range(0, len(ids), chunk):
            part = list(ids[start : start + chunk])
            stmt = select(E.c.id, E.c.schema).where(E.c.id.in_(part), self.visible())
            found.update((eid, schema) for eid, schema in self.conn.execute(stmt))
        return found

    def batch_for(self, source: str, sha256: str) -> dict[str, Any] | None:
        """This agency's earlier import of the same content into ``source``, if any."""
        B = t.batches
        stmt = select(B).where(
            B.c.agency == self.agency, B.c.source == source, B.c.sha256 == sha256
        )
        row = self.conn.execute(stmt).mappings().first()
        return dict(row) if row else None

    def batches(self, limit: int = 50) -> list[dict[str, Any]]:
        """This agency's own import batches, newest first."""
        stmt = (
            select(t.batches)
            .where(t.batches.c.agency == self.agency)
            .order_by(t.batches.c.created_at.desc())
            .limit(limit)
        )
        return [dict(r) for r in self.conn.execute(stmt).mappings()]
