"""DESIGN section 6, invariant 2: monotonicity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ragrules import Polarity, Ruleset, testing


@pytest.mark.parametrize("polarity", [Polarity.HIGHER, Polarity.LOWER])
@given(data=st.data())
def test_a_better_value_never_gets_a_worse_status(polarity: Polarity, data: st.DataObject) -> None:
    """ "Monotonicity: for higher-is-better, raising the value never worsens the status;
    mirrored for lower-is-better."

    Values are drawn mostly on and one unit in the last place beside every band start (rag
    and brag, relative and absolute margins, with and without rounding before rating), and
    every pair of them is checked.
    """
    indicator = data.draw(testing.indicators(polarity, scale=None, rounding=True))
    ruleset = Ruleset(id="monotonic", indicators=(indicator,))
    values = data.draw(st.lists(testing.values(indicator), min_size=2, max_size=5))
    for low in values:
        for high in values:
            testing.check_monotonic(ruleset, indicator.id, low, high)


@pytest.mark.parametrize("polarity", [Polarity.HIGHER, Polarity.LOWER])
@given(data=st.data())
def test_monotonic_across_a_generated_ruleset(polarity: Polarity, data: st.DataObject) -> None:
    """ "Monotonicity: for higher-is-better, raising the value never worsens the status;
    mirrored for lower-is-better."

    The same, for an indicator picked from a generated ruleset, with values in any
    spelling the data may use (trailing zeros, a leading +, the unit written out).
    """
    ruleset = data.draw(testing.rulesets(polarity=polarity, rounding=True))
    indicator = data.draw(st.sampled_from(ruleset.indicators))
    low = data.draw(testing.values(indicator))
    high = data.draw(testing.decimals_text(min_value=-20_000, max_value=20_000))
    testing.check_monotonic(ruleset, indicator.id, low, high)
