"""Gradings: stored as given, converted between Admiralty, 4x4, 5x5x5 and 3x5x2."""

from __future__ import annotations

import itertools

import pytest

from narcolink.model.grading import DOUBTFUL, SCHEMES, Axis, Grading, parse_grading

AXES: tuple[Axis, ...] = ("source", "info")
ALL_GRADES = [
    Grading(scheme, axis, code)
    for scheme, axes in SCHEMES.items()
    for axis in AXES
    for code in axes[axis]
]


def test_the_four_schemes_are_known() -> None:
    assert set(SCHEMES) == {"admiralty", "4x4", "5x5x5", "3x5x2"}
    # The scheme names tell their size: 4x4 has four grades on each axis, and so on.
    assert len(SCHEMES["admiralty"]["source"]) == 6 and len(SCHEMES["admiralty"]["info"]) == 6
    assert len(SCHEMES["4x4"]["source"]) == 4 and len(SCHEMES["4x4"]["info"]) == 4
    assert len(SCHEMES["5x5x5"]["source"]) == 5 and len(SCHEMES["5x5x5"]["info"]) == 5
    assert len(SCHEMES["3x5x2"]["source"]) == 3 and len(SCHEMES["3x5x2"]["info"]) == 5


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@pytest.mark.parametrize("axis", AXES)
def test_levels_are_unique_within_a_scheme(scheme: str, axis: Axis) -> None:
    levels = [level for level, _ in SCHEMES[scheme][axis].values()]
    assert len(levels) == len(set(levels))
    assert 0 in levels, "every scheme needs a 'cannot be judged' / 'untested' grade"


@pytest.mark.parametrize("grade", ALL_GRADES, ids=str)
@pytest.mark.parametrize("target", sorted(SCHEMES))
def test_every_code_maps_somewhere_in_every_scheme(grade: Grading, target: str) -> None:
    converted, exact = grade.convert(target)
    assert converted.scheme == target
    assert converted.axis == grade.axis
    assert converted.code in SCHEMES[target][grade.axis]
    assert exact == (converted.level == grade.level)


@pytest.mark.parametrize("grade", ALL_GRADES, ids=str)
def test_conversion_to_its_own_scheme_is_identity(grade: Grading) -> None:
    assert grade.convert(grade.scheme) == (grade, True)


EXACT_PAIRS = [
    (grade, target)
    for grade, target in itertools.product(ALL_GRADES, sorted(SCHEMES))
    if grade.convert(target)[1]
]


def test_most_mappings_are_exact() -> None:
    # 38 grades x 4 schemes; only the gaps between differently sized scales approximate.
    assert len(EXACT_PAIRS) > 0.75 * len(ALL_GRADES) * len(SCHEMES)


@pytest.mark.parametrize(("grade", "target"), EXACT_PAIRS, ids=str)
def test_exact_mappings_round_trip(grade: Grading, target: str) -> None:
    converted, _ = grade.convert(target)
    back, back_exact = converted.convert(grade.scheme)
    assert back_exact
    assert back == grade


@pytest.mark.parametrize("grade", ALL_GRADES, ids=str)
@pytest.mark.parametrize("target", sorted(SCHEMES))
def test_a_warning_grade_never_becomes_a_reassuring_one(grade: Grading, target: str) -> None:
    """Doubtful information or an unreliable source must not come out as true or reliable."""
    converted, _ = grade.convert(target)
    if grade.level >= DOUBTFUL:
        assert converted.level == 0 or converted.level >= DOUBTFUL, (grade, converted)
    if grade.level == 0:
        assert converted.level == 0


@pytest.mark.parametrize(
    ("given", "target", "expected", "exact"),
    [
        (("admiralty", "source", "A"), "4x4", "A", True),
        (("admiralty", "source", "F"), "4x4", "X", True),
        (("admiralty", "source", "F"), "5x5x5", "E", True),
        (("admiralty", "source", "F"), "3x5x2", "B", True),
        (("admiralty", "source", "D"), "4x4", "C", True),
        (("admiralty", "source", "C"), "4x4", "C", False),  # ties round to the cautious side
        (("admiralty", "source", "B"), "3x5x2", "A", False),
        (("admiralty", "info", "6"), "4x4", "4", True),
        (("admiralty", "info", "4"), "4x4", "4", False),  # doubtful -> cannot be judged
        (("5x5x5", "info", "5"), "4x4", "4", False),
        (("5x5x5", "info", "5"), "3x5x2", "5", True),
        (("4x4", "info", "2"), "admiralty", "2", True),
        (("3x5x2", "source", "C"), "admiralty", "E", True),
    ],
)
def test_known_mappings(
    given: tuple[str, Axis, str], target: str, expected: str, exact: bool
) -> None:
    assert Grading(*given).convert(target) == (Grading(target, given[1], expected), exact)


def test_grading_has_level_meaning_and_text() -> None:
    grade = Grading("admiralty", "source", "B")
    assert grade.level == 2
    assert grade.meaning == "Usually reliable"
    assert str(grade) == "admiralty:B"


@pytest.mark.parametrize(
    ("text", "axis", "expected"),
    [
        ("admiralty:B", "source", Grading("admiralty", "source", "B")),
        (" Admiralty : b ", "source", Grading("admiralty", "source", "B")),
        ("4x4:2", "info", Grading("4x4", "info", "2")),
        ("3X5X2:c", "source", Grading("3x5x2", "source", "C")),
    ],
)
def test_parse_grading(text: str, axis: Axis, expected: Grading) -> None:
    assert parse_grading(text, axis) == expected


@pytest.mark.parametrize(
    ("text", "axis", "message"),
    [
        ("B2", "source", "must be written scheme:code"),
        ("nato:A", "source", "unknown grading scheme 'nato'; use one of admiralty, 4x4"),
        ("admiralty:G", "source", "'G' is not a source grade in admiralty; use one of A, B"),
        ("admiralty:1", "source", "not a source grade"),
        ("4x4:5", "info", "'5' is not a info grade in 4x4"),
        ("admiralty:", "info", "is not a info grade"),
    ],
)
def test_parse_grading_refuses_with_a_reason(text: str, axis: Axis, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_grading(text, axis)


def test_convert_to_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown grading scheme 'nato'"):
        Grading("admiralty", "source", "A").convert("nato")
