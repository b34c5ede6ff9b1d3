"""A row of an indicator with dated settings is rated as the same indicator with that period's
settings written undated: `Indicator.at(period)` is the only difference dates make."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

import ragrules

floors = st.decimals(1, 79, places=1)
PERIODS = ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4", "2025/26 Q1"]
HEAD = (
    '[ruleset]\nformat = 1\nid = "d"\nscale = "floor"\n[scales.floor]\nbands = [{ status = '
    '"green", from = "target" }, { status = "amber", from = { threshold = "floor" } }, '
    '{ status = "red" }]\n[[indicator]]\nid = "a"\nunit = "percent"\ntarget = 80\n'
)


@given(
    first=floors,
    later=floors,
    change=st.sampled_from(PERIODS[1:]),
    period=st.sampled_from(PERIODS),
    neutral=st.booleans(),
    value=st.decimals(0, 100, places=1),
)
def test_dated_settings_rate_as_that_periods_settings(
    first: Decimal, later: Decimal, change: str, period: str, neutral: bool, value: Decimal
) -> None:
    assume(first != later)
    polarity = (
        f'polarity = [{{ value = "higher-is-better" }}, '
        f'{{ from = "{change}", value = "neutral" }}]\n'
        if neutral
        else ""
    )
    dated = ragrules.loads(
        HEAD
        + polarity
        + f'thresholds = [{{ floor = {first} }}, {{ from = "{change}", floor = {later} }}]\n'
    )
    started = ragrules.parse_period(period).start >= ragrules.parse_period(change).start
    plain = ragrules.loads(
        HEAD
        + ('polarity = "neutral"\n' if neutral and started else "")
        + f"thresholds = {{ floor = {later if started else first} }}\n"
    )
    row = [{"indicator": "a", "period": period, "value": str(value)}]
    got, want = dated.rate(row).result("a"), plain.rate(row).result("a")
    assert (got.status, got.reason) == (want.status, want.reason)
