"""The API's public shapes. Only these leave the service: never a store row, never a hash."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from narcolink.model.roles import Role


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


# --- accounts -----------------------------------------------------------------------------


class TokenRequest(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)
    label: str | None = Field(default=None, max_length=100)


class TokenPublic(Public):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - a scheme name, not a secret
    token_id: str
    expires_at: datetime


class MePublic(Public):
    username: str
    agency: str
    roles: list[Role]
    permissions: list[str]


class UserCreate(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)
    roles: list[Role] = Field(min_length=1)
    full_name: str = Field(default="", max_length=200)


class UserPublic(Public):
    username: str
    full_name: str
    agency: str
    roles: list[Role]
    active: bool
    locked_until: datetime | None
    created_at: datetime
    last_login: datetime | None


# --- records ------------------------------------------------------------------------------


class MarkingsPublic(Public):
    tlp: str
    pap: str
    handling: str
    handling_meaning: str
    source_grading: str | None
    info_grading: str | None
    label: str


class EntitySummaryPublic(Public):
    id: str
    schema_: str = Field(alias="schema")
    schema_label: str
    caption: str
    agency: str
    tlp: str
    last_seen: datetime | None


class ValuePublic(Public):
    value: str
    display: str
    link: str | None
    original: str | None
    agency: str
    source: str
    filename: str
    batch_id: str
    markings: MarkingsPublic
    first_seen: datetime | None
    last_seen: datetime | None


class PropertyPublic(Public):
    name: str
    label: str
    type: str
    values: list[ValuePublic]


class RelatedPublic(Public):
    id: str
    schema_: str = Field(alias="schema")
    schema_label: str
    caption: str
    agency: str
    prop: str
    prop_label: str
    direction: str


class TimelineEventPublic(Public):
    date: str
    entity_id: str
    caption: str
    schema_: str = Field(alias="schema")
    prop: str
    prop_label: str
    is_subject: bool


class SharePublic(Public):
    id: int
    entity_id: str
    recipient: str
    shared_by: str
    purpose: str | None
    created_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    active: bool


class ShareCreate(BaseModel):
    recipient: str = Field(max_length=16)
    purpose: str | None = Field(default=None, max_length=2000)
    expires: date | None = None


class EntityPublic(Public):
    id: str
    schema_: str = Field(alias="schema")
    schema_label: str
    caption: str
    agency: str
    source: str
    source_record: str
    first_seen: datetime | None
    last_seen: datetime | None
    markings: MarkingsPublic
    properties: list[PropertyPublic]
    shares: list[SharePublic]


def entity_public(page: Any) -> EntityPublic:
    """Flatten a services.records.EntityPage into the API shape."""
    header = page.entity
    return EntityPublic(
        id=header.id,
        schema=header.schema,
        schema_label=header.schema_label,
        caption=header.caption,
        agency=header.agency,
        source=header.source,
        source_record=header.source_record,
        first_seen=header.first_seen,
        last_seen=header.last_seen,
        markings=MarkingsPublic.model_validate(page.markings),
        properties=[PropertyPublic.model_validate(p) for p in page.properties],
        shares=[SharePublic.model_validate(s) for s in page.shares],
    )


# --- imports and audit --------------------------------------------------------------------


class IssuePublic(Public):
    file: str
    row: int | None
    field: str | None
    reason: str


class ImportPublic(Public):
    batch_id: str | None = None
    filename: str
    source: str
    records: int = 0
    statements: int = 0
    unchanged: bool = False


class AuditEntryPublic(Public):
    seq: int
    at: datetime
    actor: str
    agency: str | None
    action: str
    object_type: str | None
    object_id: str | None
    detail: str


class AuditVerdictPublic(Public):
    rows: int
    intact: bool
    problems: list[str]
