"""Markings: TLP 2.0, PAP, handling code and gradings, parsed from loose input and combined."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narcolink.model.grading import Grading
from narcolink.model.markings import PAP, TLP, Handling, Markings


def test_defaults_are_cautious() -> None:
    marks = Markings.parse(None)
    assert (marks.tlp, marks.pap, marks.handling) == (TLP.AMBER, PAP.AMBER, Handling.H1)
    assert marks.source_grading is None and marks.info_grading is None
    assert Markings.parse({}) == Markings() == Markings.parse({"tlp": "", "pap": None})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("RED", TLP.RED),
        ("red", TLP.RED),
        ("TLP:CLEAR", TLP.CLEAR),
        ("tlp:amber+strict", TLP.AMBER_STRICT),
        (" green ", TLP.GREEN),
    ],
)
def test_tlp_is_read_in_the_forms_people_write(raw: str, expected: TLP) -> None:
    assert Markings.parse({"tlp": raw}).tlp is expected


def test_full_markings_parse() -> None:
    marks = Markings.parse(
        {
            "tlp": "AMBER+STRICT",
            "pap": "PAP:RED",
            "handling": "h2",
            "source_grading": "admiralty:B",
            "info_grading": "4x4:2",
            "purpose": "Operation MED MAX",
            "legal_basis": "CMAA India-US 2021",
            "expires": "2026-12-31",
        }
    )
    assert marks.tlp is TLP.AMBER_STRICT
    assert marks.pap is PAP.RED
    assert marks.handling is Handling.H2
    assert marks.source_grading == Grading("admiralty", "source", "B")
    assert marks.info_grading == Grading("4x4", "info", "2")
    assert marks.expires == date(2026, 12, 31)
    assert marks.label() == "TLP:AMBER+STRICT PAP:RED H2 admiralty:B 4x4:2"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"tlp": "WHITE"}, "tlp must be one of CLEAR, GREEN, AMBER, AMBER\\+STRICT, RED"),
        ({"pap": "BLUE"}, "pap must be one of CLEAR, GREEN, AMBER, RED, not 'BLUE'"),
        ({"handling": "H4"}, "handling must be one of H0, H1, H2, H3"),
        ({"source_grading": "admiralty:1"}, "not a source grade"),
        ({"info_grading": "admiralty:A"}, "not a info grade"),
        ({"expires": "31/12/2026"}, "Invalid isoformat"),
    ],
)
def test_bad_markings_are_refused_with_a_reason(data: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Markings.parse(data)


def test_most_restrictive_keeps_the_stricter_rule_of_each_kind() -> None:
    a = Markings(tlp=TLP.RED, pap=PAP.GREEN, handling=Handling.H0)
    b = Markings(tlp=TLP.GREEN, pap=PAP.RED, handling=Handling.H3)
    combined = a.most_restrictive(b)
    assert (combined.tlp, combined.pap, combined.handling) == (TLP.RED, PAP.RED, Handling.H3)


def test_ranks_order_from_least_to_most_restrictive() -> None:
    assert [t.rank for t in (TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT, TLP.RED)] == [
        0,
        1,
        2,
        3,
        4,
    ]
    assert PAP.CLEAR.rank < PAP.RED.rank
    assert Handling.H0.rank < Handling.H3.rank


markings_strategy = st.builds(
    Markings,
    tlp=st.sampled_from(list(TLP)),
    pap=st.sampled_from(list(PAP)),
    handling=st.sampled_from(list(Handling)),
    source_grading=st.none()
    | st.sampled_from(
        [Grading("admiralty", "source", c) for c in "ABCDEF"]
        + [Grading("4x4", "source", c) for c in "ABCX"]
    ),
    info_grading=st.none() | st.sampled_from([Grading("5x5x5", "info", c) for c in "12345"]),
    purpose=st.none() | st.text(min_size=1, max_size=20).filter(str.strip),
    expires=st.none() | st.dates(),
)


@given(markings_strategy)
def test_to_dict_round_trips_through_parse(marks: Markings) -> None:
    assert Markings.parse(marks.to_dict()) == marks


@given(markings_strategy, markings_strategy, markings_strategy)
def test_combining_is_commutative_associative_and_never_loosens(
    a: Markings, b: Markings, c: Markings
) -> None:
    ab = a.most_restrictive(b)
    ba = b.most_restrictive(a)
    assert (ab.tlp, ab.pap, ab.handling) == (ba.tlp, ba.pap, ba.handling)
    left = a.most_restrictive(b).most_restrictive(c)
    right = a.most_restrictive(b.most_restrictive(c))
    assert (left.tlp, left.pap, left.handling) == (right.tlp, right.pap, right.handling)
    for part in (a, b):
        assert ab.tlp.rank >= part.tlp.rank
        assert ab.pap.rank >= part.pap.rank
        assert ab.handling.rank >= part.handling.rank
    assert a.most_restrictive(a) == a
