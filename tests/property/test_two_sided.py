"""Two-sided margins and range thresholds, against the rule stated with fractions.

For an in-range indicator with target range [L, U], a tolerance of b below and a above
(each absolute, or relative to its own end of the range): green within [L, U], amber within
[L - b, U + a] otherwise, red beyond. A scale band from a range threshold [l, u] takes the
values within it. A two-sided margin with the same margin on both sides rates as that margin.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

import ragrules

ends = st.decimals(-50, 50, places=1)
sizes = st.decimals(0, 10, places=1)
kinds = st.sampled_from(["absolute", "relative"])


def _margin(kind: str, size: Decimal) -> str:
    return f'{{ relative = "{size}%" }}' if kind == "relative" else f"{{ absolute = {size} }}"


def _ruleset(lower: Decimal, upper: Decimal, tolerance: str) -> ragrules.Ruleset:
    return ragrules.loads(
        '[ruleset]\nformat = 1\nid = "t"\n[[indicator]]\nid = "i"\npolarity = "in-range"\n'
        f"target = {{ lower = {lower}, upper = {upper} }}\ntolerance = {tolerance}\n"
    )


def _size(kind: str, size: Decimal, end: Decimal) -> Fraction:
    return Fraction(size) / 100 * abs(Fraction(end)) if kind == "relative" else Fraction(size)


@given(
    a=ends,
    b=ends,
    below=st.tuples(kinds, sizes),
    above=st.tuples(kinds, sizes),
    offset=st.decimals(-12, 12, places=2),
    at=st.sampled_from(["lower", "upper"]),
)
def test_two_sided_tolerance_is_the_rule(
    a: Decimal,
    b: Decimal,
    below: tuple[str, Decimal],
    above: tuple[str, Decimal],
    offset: Decimal,
    at: str,
) -> None:
    lower, upper = min(a, b), max(a, b)
    tolerance = f"{{ below = {_margin(*below)}, above = {_margin(*above)} }}"
    ruleset = _ruleset(lower, upper, tolerance)
    value = (lower if at == "lower" else upper) + offset  # near either end
    number = Fraction(value)
    floor = Fraction(lower) - _size(*below, lower)
    ceiling = Fraction(upper) + _size(*above, upper)
    expected = (
        "green"
        if Fraction(lower) <= number <= Fraction(upper)
        else "amber"
        if floor <= number <= ceiling
        else "red"
    )
    result = ruleset.rate([{"indicator": "i", "value": str(value)}]).result("i")
    assert result.status == expected, (value, result.reason)


@given(a=ends, b=ends, side=st.tuples(kinds, sizes), value=st.decimals(-70, 70, places=2))
def test_the_same_margin_on_both_sides_is_that_margin(
    a: Decimal, b: Decimal, side: tuple[str, Decimal], value: Decimal
) -> None:
    lower, upper = min(a, b), max(a, b)
    both = _ruleset(lower, upper, f"{{ below = {_margin(*side)}, above = {_margin(*side)} }}")
    one = _ruleset(lower, upper, _margin(*side))
    row = [{"indicator": "i", "value": str(value)}]
    assert both.rate(row).result("i").status == one.rate(row).result("i").status


@given(
    target=st.tuples(ends, ends),
    # At least a tenth wider on each side: a range no wider than the target's is refused at
    # load (its band could never be reached).
    widen=st.tuples(st.decimals("0.1", 10, places=1), st.decimals("0.1", 10, places=1)),
    value=st.decimals(-70, 70, places=1),
)
def test_a_range_threshold_takes_the_values_within_it(
    target: tuple[Decimal, Decimal], widen: tuple[Decimal, Decimal], value: Decimal
) -> None:
    lower, upper = min(target), max(target)
    low, high = lower - widen[0], upper + widen[1]
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "t"\n[scales.range]\nbands = [{ status = "green", '
        'from = "target" }, { status = "amber", from = { threshold = "ok" } }, '
        '{ status = "red" }]\n[[indicator]]\nid = "i"\npolarity = "in-range"\nscale = "range"\n'
        f"target = {{ lower = {lower}, upper = {upper} }}\n"
        f"thresholds = {{ ok = {{ lower = {low}, upper = {high} }} }}\n"
    )
    expected = "green" if lower <= value <= upper else "amber" if low <= value <= high else "red"
    assert ruleset.rate([{"indicator": "i", "value": str(value)}]).result("i").status == expected
