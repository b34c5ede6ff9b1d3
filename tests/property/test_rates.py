"""A rate from counts is rated as exact arithmetic on fractions rates it, and a count exactly at
a minimum is rated while one below it is suppressed."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

import ragrules

counts = st.integers(0, 10**9)


def _ruleset(per: int, target: str, least: int) -> ragrules.Ruleset:
    return ragrules.loads(
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\nunit = "number"\n'
        f"rate = {{ per = {per} }}\nminimum = {{ denominator = {least} }}\n"
        f'target = {target}\ntolerance = {{ relative = "10%" }}\n'
    )


@given(
    numerator=counts,
    denominator=st.integers(1, 10**9),
    per=st.sampled_from([1, 100, 1000, 100_000]),
    target=st.decimals(1, 100_000, places=3),
)
def test_a_rate_is_rated_exactly(
    numerator: int, denominator: int, per: int, target: object
) -> None:
    ruleset = _ruleset(per, str(target), 1)
    row = {"indicator": "a", "numerator": str(numerator), "denominator": str(denominator)}
    result = ruleset.rate([row]).result("a")
    rate = Fraction(numerator * per, denominator)
    goal = Fraction(str(target))
    expected = "green" if rate >= goal else "amber" if rate >= goal * Fraction(9, 10) else "red"
    assert result.status == expected, (rate, goal, result.reason)


@given(least=st.integers(2, 10_000), offset=st.sampled_from([-1, 0, 1]))  # no denominator 0
def test_a_count_at_the_minimum_is_rated(least: int, offset: int) -> None:
    ruleset = _ruleset(100, "50", least)
    row = {"indicator": "a", "numerator": "1", "denominator": str(least + offset)}
    result = ruleset.rate([row]).result("a")
    assert (result.status == "suppressed") == (offset < 0)
