"""Stable record ids, statements, and roles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narcolink.model.records import Record, entity_id, is_entity_id, statement_id
from narcolink.model.roles import GRANTS, Actor, Permission, Role, parse_roles
from narcolink.model.vocabulary import get_schema


def test_entity_ids_are_stable_and_scoped_to_agency_and_source() -> None:
    first = entity_id("ncb", "seizures-2025", "row-17")
    assert first == entity_id("ncb", "seizures-2025", "row-17")
    assert first.startswith("ncb-")
    assert is_entity_id(first)
    others = {
        entity_id("dea", "seizures-2025", "row-17"),
        entity_id("ncb", "seizures-2024", "row-17"),
        entity_id("ncb", "seizures-2025", "row-18"),
    }
    assert first not in others and len(others) == 3


@given(st.text(min_size=1), st.text(min_size=1), st.text(min_size=1), st.text(min_size=1))
def test_field_separator_prevents_id_collisions(a: str, b: str, c: str, d: str) -> None:
    # ("ab", "c") and ("a", "bc") must not collide.
    if (a, b) != (c, d) and a + b == c + d:
        assert entity_id("ncb", a, b) != entity_id("ncb", c, d)


@pytest.mark.parametrize(
    "value", ["", "ncb", "NCB-0123456789abcdef01234567", "ncb-xyz", "<script>", "ncb-" + "0" * 23]
)
def test_is_entity_id_refuses_anything_else(value: str) -> None:
    assert not is_entity_id(value)


def test_statement_ids_depend_on_entity_property_and_value() -> None:
    base = statement_id("ncb-1", "name", "Rajesh")
    assert base == statement_id("ncb-1", "name", "Rajesh")
    assert len(base) == 32
    assert base not in {
        statement_id("ncb-2", "name", "Rajesh"),
        statement_id("ncb-1", "alias", "Rajesh"),
        statement_id("ncb-1", "name", "Rajesh K"),
    }


def test_record_add_keeps_values_once_with_their_originals() -> None:
    record = Record(id="ncb-1", schema=get_schema("Person"), source_record="r1")
    record.add("phone", "+919812345678", original="98123 45678")
    record.add("phone", "+919812345678", original="+91 98123 45678")
    record.add("name", "Rajesh Kumar", original="Rajesh Kumar")
    assert record.properties == {"phone": ["+919812345678"], "name": ["Rajesh Kumar"]}
    assert record.originals == {("phone", "+919812345678"): "98123 45678"}
    assert record.caption == "Rajesh Kumar"


def test_caption_falls_back_to_the_schema_label() -> None:
    record = Record(id="ncb-1", schema=get_schema("Seizure"), source_record="r1")
    assert record.caption == "Seizure"


def test_roles_parse_and_grant() -> None:
    assert parse_roles("Analyst, auditor") == {Role.ANALYST, Role.AUDITOR}
    with pytest.raises(ValueError, match="unknown role 'chief'"):
        parse_roles("analyst,chief")
    with pytest.raises(ValueError, match="at least one role"):
        parse_roles(" , ")
    assert set(GRANTS) == set(Role)
    analyst = Actor("a", "ncb", frozenset({Role.ANALYST}))
    assert analyst.can(Permission.READ) and not analyst.can(Permission.SHARE)
    auditor = Actor("b", "ncb", frozenset({Role.AUDITOR}))
    assert not auditor.can(Permission.READ)  # auditors see the trail, not the records
    both = Actor("c", "ncb", frozenset({Role.ANALYST, Role.AUDITOR}))
    assert both.permissions == GRANTS[Role.ANALYST] | GRANTS[Role.AUDITOR]
