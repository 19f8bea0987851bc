"""Reading records: search and the entity page, always through the caller's scoped View.

Every read appends an audit row in the same transaction. An id that does not exist and an
id the caller may not see give the same ``NotFound``, so a response never tells another
agency that a record exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from narcolink.exc import BadRequest
from narcolink.model.markings import HANDLING_MEANING, Handling
from narcolink.model.roles import Actor, Permission
from narcolink.model.vocabulary import get_model, get_schema
from narcolink.services.node import Node
from narcolink.services.sessions import aware
from narcolink.services.sharing import ShareInfo, share_info
from narcolink.store.view import EntityDetail, View

MAX_LIMIT = 100
MAX_QUERY = 500
HIDDEN_REFERENCE = "a record not shared with your agency"


@dataclass(frozen=True)
class EntitySummary:
    """One search hit."""

    id: str
    schema: str
    schema_label: str
    caption: str
    agency: str
    tlp: str
    last_seen: datetime | None


@dataclass(frozen=True)
class MarkingsInfo:
    """The handling rules of a record or batch, ready to show on a banner."""

    tlp: str
    pap: str
    handling: str
    handling_meaning: str
    source_grading: str | None
    info_grading: str | None

    @property
    def label(self) -> str:
        parts = [f"TLP:{self.tlp}", f"PAP:{self.pap}", self.handling]
        parts += [g for g in (self.source_grading, self.info_grading) if g]
        return " ".join(parts)

    @classmethod
    def from_values(cls, data: dict[str, Any]) -> MarkingsInfo:
        handling = str(data.get("handling") or "")
        try:
            meaning = HANDLING_MEANING[Handling(handling)]
        except ValueError:
            meaning = ""
        return cls(
            tlp=str(data.get("tlp") or ""),
            pap=str(data.get("pap") or ""),
            handling=handling,
            handling_meaning=meaning,
            source_grading=data.get("source_grading") or None,
            info_grading=data.get("info_grading") or None,
        )


@dataclass(frozen=True)
class ValueProvenance:
    """One property value and who told us, from which file, under which markings."""

    value: str
    display: str
    link: str | None
    original: str | None
    agency: str
    source: str
    filename: str
    batch_id: str
    markings: MarkingsInfo
    first_seen: datetime | None
    last_seen: datetime | None


@dataclass(frozen=True)
class PropertyGroup:
    name: str
    label: str
    type: str
    values: list[ValueProvenance]


@dataclass(frozen=True)
class RelatedEntity:
    id: str
    schema: str
    schema_label: str
    caption: str
    agency: str
    prop: str
    prop_label: str
    direction: str  # "out": this record points at it; "in": it points at this record


@dataclass(frozen=True)
class TimelineEvent:
    date: str
    entity_id: str
    caption: str
    schema: str
    prop: str
    prop_label: str
    is_subject: bool


@dataclass(frozen=True)
class EntityHeader:
    id: str
    schema: str
    schema_label: str
    caption: str
    agency: str
    source: str
    source_record: str
    first_seen: datetime | None
    last_seen: datetime | None


@dataclass
class EntityPage:
    """Everything the entity page shows, already filtered to what the caller may see."""

    entity: EntityHeader
    markings: MarkingsInfo
    properties: list[PropertyGroup]
    related: list[RelatedEntity]
    timeline: list[TimelineEvent]
    shares: list[ShareInfo] = field(default_factory=list)
    can_share: bool = False
    partners: list[str] = field(default_factory=list)


# --- labels -------------------------------------------------------------------------------


def schema_label(name: str) -> str:
    schema = get_model().get(name)
    return schema.label if schema is not None else name


def prop_label(schema_name: str, prop: str) -> str:
    schema = get_model().get(schema_name)
    found = schema.get(prop) if schema is not None else None
    return found.label if found is not None else prop


# --- search -------------------------------------------------------------------------------


def search(
    node: Node, actor: Actor, query: str, limit: int = 20, schema: str | None = None
) -> list[EntitySummary]:
    """Records visible to the caller matching every word of ``query``; audited."""
    query = query.strip()
    if len(query) > MAX_QUERY:
        raise BadRequest(f"a search may be at most {MAX_QUERY} characters")
    limit = max(1, min(int(limit), MAX_LIMIT))
    if schema:
        schema = get_schema(schema).name
    with node.view(actor) as view:
        if not query:
            return []
        rows = view.search(query, limit=limit, schema=schema)
        hits = [
            EntitySummary(
                id=r["id"],
                schema=r["schema"],
                schema_label=schema_label(r["schema"]),
                caption=r["caption"],
                agency=r["agency"],
                tlp=r["tlp"],
                last_seen=aware(r["last_seen"]),
            )
            for r in rows
        ]
        node.audit(
            view.conn,
            actor,
            "search",
            None,
            None,
            query=query,
            schema=schema,
            ids=[h.id for h in hits],
        )
        return hits


# --- one record ---------------------------------------------------------------------------


def _related(view: View, entity_id: str, subject_schema: str) -> list[RelatedEntity]:
    out = []
    for r in view.related(entity_id):
        # The linking property belongs to the record that holds the statement.
        holder = r["schema"] if r["direction"] == "in" else subject_schema
        out.append(
            RelatedEntity(
                id=r["id"],
                schema=r["schema"],
                schema_label=schema_label(r["schema"]),
                caption=r["caption"],
                agency=r["agency"],
                prop=r["prop"],
                prop_label=prop_label(holder, r["prop"]),
                direction=r["direction"],
            )
        )
    return out


def _timeline(view: View, entity_id: str) -> list[TimelineEvent]:
    return [
        TimelineEvent(
            date=r["value"],
            entity_id=r["entity_id"],
            caption=r["caption"],
            schema=r["schema"],
            prop=r["prop"],
            prop_label=prop_label(r["schema"], r["prop"]),
            is_subject=r["entity_id"] == entity_id,
        )
        for r in view.timeline(entity_id)
    ]


def _properties(detail: EntityDetail, related: list[RelatedEntity]) -> list[PropertyGroup]:
    entity = detail.entity
    visible = {r.id: r.caption for r in related if r.direction == "out"}
    groups: dict[str, list[ValueProvenance]] = {}
    types: dict[str, str] = {}
    for s in detail.statements:
        batch = detail.batches.get(s["batch_id"], {})
        value, display, link = s["value"], s["value"], None
        if s["prop_type"] == "entity":
            if value in visible:
                display, link = visible[value], value
            else:
                # Never show the id of a record the caller may not see.
                value, display = "", HIDDEN_REFERENCE
        types[s["prop"]] = s["prop_type"]
        groups.setdefault(s["prop"], []).append(
            ValueProvenance(
                value=value,
                display=display,
                link=link,
                original=s.get("original"),
                agency=entity["agency"],
                source=str(batch.get("source", entity["source"])),
                filename=str(batch.get("filename", "")),
                batch_id=s["batch_id"],
                markings=MarkingsInfo.from_values(batch.get("markings") or {}),
                first_seen=aware(s.get("first_seen")),
                last_seen=aware(s.get("last_seen")),
            )
        )
    schema = entity["schema"]
    return [
        PropertyGroup(name, prop_label(schema, name), types[name], values)
        for name, values in sorted(groups.items(), key=lambda kv: prop_label(schema, kv[0]))
    ]


def _header(entity: dict[str, Any]) -> EntityHeader:
    return EntityHeader(
        id=entity["id"],
        schema=entity["schema"],
        schema_label=schema_label(entity["schema"]),
        caption=entity["caption"],
        agency=entity["agency"],
        source=entity["source"],
        source_record=entity["source_record"],
        first_seen=aware(entity["first_seen"]),
        last_seen=aware(entity["last_seen"]),
    )


def entity_page(node: Node, actor: Actor, entity_id: str) -> EntityPage:
    """The record with provenance per value, related records and a timeline; audited."""
    with node.view(actor) as view:
        detail = view.get(entity_id)
        entity = detail.entity
        related = _related(view, entity_id, entity["schema"])
        timeline = _timeline(view, entity_id)
        own = entity["agency"] == actor.agency
        partners: list[str] = []
        if own and actor.can(Permission.SHARE):
            partners = [
                a["code"] for a in node.store.agencies(view.conn) if a["code"] != actor.agency
            ]
        node.audit(view.conn, actor, "read", "entity", entity_id, part="page")
        return EntityPage(
            entity=_header(entity),
            markings=MarkingsInfo.from_values(entity),
            properties=_properties(detail, related),
            related=related,
            timeline=timeline,
            shares=[share_info(s) for s in detail.shared_with] if own else [],
            can_share=bool(partners),
            partners=partners,
        )


def related(node: Node, actor: Actor, entity_id: str) -> list[RelatedEntity]:
    with node.view(actor) as view:
        out = _related(view, entity_id, view.entity_row(entity_id)["schema"])
        node.audit(view.conn, actor, "read", "entity", entity_id, part="related")
        return out


def timeline(node: Node, actor: Actor, entity_id: str) -> list[TimelineEvent]:
    with node.view(actor) as view:
        out = _timeline(view, entity_id)
        node.audit(view.conn, actor, "read", "entity", entity_id, part="timeline")
        return out


# --- import batches -----------------------------------------------------------------------


@dataclass(frozen=True)
class BatchSummary:
    """One import into the caller's agency: which file, from where, by whom, how much."""

    id: str
    source: str
    filename: str
    format: str
    markings: MarkingsInfo
    created_by: str
    created_at: datetime | None
    record_count: int
    statement_count: int


def recent_batches(node: Node, actor: Actor, limit: int = 20) -> list[BatchSummary]:
    """The agency's own newest imports (metadata about files, not record content)."""
    with node.view(actor) as view:
        return [
            BatchSummary(
                id=b["id"],
                source=b["source"],
                filename=b["filename"],
                format=b["format"],
                markings=MarkingsInfo.from_values(b["markings"] or {}),
                created_by=b["created_by"],
                created_at=aware(b["created_at"]),
                record_count=int(b["record_count"] or 0),
                statement_count=int(b["statement_count"] or 0),
            )
            for b in view.batches(max(1, min(int(limit), MAX_LIMIT)))
        ]
