"""Units: council spellings, exact conversions, dimensions that must never mix."""

from __future__ import annotations

from decimal import Decimal

import pytest

import ragrules
from ragrules.model.units import UnitError, canonical_unit, convert, with_unit
from ragrules.tools.compare import rule_differences


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("%", "percent"),
        ("Percent", "percent"),
        ("percentage points", "percent"),
        ("weeks", "week"),
        ("working days", "working_day"),
        ("rate per 10,000 children", "per_10000"),
        ("per 1,000 population", "per_1000"),
        ("£", "GBP"),
        ("count", "count"),
    ],
)
def test_canonical_unit(text: str, unit: str) -> None:
    """Councils' unit spellings map to one canonical name."""
    assert canonical_unit(text) == unit


def test_unknown_unit_suggests_a_spelling() -> None:
    """A misspelt unit is an error with a did-you-mean."""
    with pytest.raises(UnitError, match="did you mean 'weeks'"):
        canonical_unit("weeeks")


@pytest.mark.parametrize(
    ("number", "source", "target", "expected"),
    [
        ("182", "day", "week", "26"),
        ("26", "week", "day", "182"),
        ("163.8", "day", "week", "23.4"),
        ("84.9", "per_10000", "per_1000", "8.49"),
        ("1.5", "thousand_GBP", "GBP", "1500"),
        ("36", "hour", "day", "1.5"),
    ],
)
def test_conversions_are_exact(number: str, source: str, target: str, expected: str) -> None:
    """Conversions multiply and divide base magnitudes, so terminating results are exact."""
    assert convert(Decimal(number), source, target) == Decimal(expected)


@pytest.mark.parametrize(
    ("source", "target"),
    [("count", "percent"), ("working_day", "day"), ("per_10000", "percent"), ("GBP", "count")],
)
def test_different_dimensions_never_convert(source: str, target: str) -> None:
    """5 children never become 500%, and working days never become calendar days."""
    with pytest.raises(UnitError, match="measure different things"):
        convert(Decimal(5), source, target)


def test_with_unit() -> None:
    """Numbers print with their unit as a report prints them."""
    assert with_unit("72", "percent") == "72%"
    assert with_unit("26", "week") == "26 weeks"
    assert with_unit("5", "count") == "5"


def test_diff_shows_a_converted_amount_in_a_unit_that_states_it() -> None:
    """10 days on a weeks indicator is 1.428571... weeks: `diff` says `10 days`, as the
    canonical form writes it, not 240 digits; an amount weeks state exactly stays in weeks."""
    text = (
        '[ruleset]\nformat = 1\nid = "w"\n[[indicator]]\nid = "w"\nunit = "weeks"\n'
        'target = "10 days"\ntolerance = { absolute = "3 days" }\n'
        'thresholds = { floor = "4 days" }\n'
    )
    changed = text.replace('"10 days"', '"14 days"').replace('"3 days"', '"2 weeks"')
    changed = changed.replace('"4 days"', '"5 days"')
    found = {
        d.setting: (d.a, d.b)
        for d in rule_differences(ragrules.loads(text), ragrules.loads(changed))
    }
    assert found == {
        "target": ("10 days", "2 weeks"),
        "tolerance": ("3 days", "2 weeks"),
        "thresholds": ("floor 4 days", "floor 5 days"),
    }
