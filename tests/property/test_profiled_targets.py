"""Profiled targets over generated annual figures and profiles.

- A profiled target summed over the year's quarters (or months) equals the annual target.
- A year-to-date target is the sum of the period targets so far.
- Pro rata is exact or refused: where every period's target exists, they are equal and add
  up to the annual target.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ragrules.engine._targets import profiled
from ragrules.model.periods import Calendar, Period, PeriodKind
from ragrules.model.rules import ProfiledTarget

annuals = st.decimals(0, 1_000_000, places=2)


@st.composite
def profiles(draw: st.DrawFn) -> tuple[Decimal, ...]:
    """4 or 12 shares in hundredths of a percent, adding up to exactly 100%."""
    count = draw(st.sampled_from([4, 12]))
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=count - 1, max_size=count - 1)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 10_000], strict=True)]
    return tuple(Decimal(part).scaleb(-4) for part in parts)


def _periods(kind: PeriodKind, ytd: bool) -> list[Period]:
    if kind is PeriodKind.QUARTER:
        return [Period(kind=kind, year=2024, index=q, ytd=ytd) for q in range(1, 5)]
    months = [(2024, m) for m in range(4, 13)] + [(2025, m) for m in range(1, 4)]
    return [
        Period(kind=kind, year=y, index=m, calendar=Calendar.CALENDAR, ytd=ytd) for y, m in months
    ]


def _value(target: ProfiledTarget, period: Period) -> Decimal:
    value, why = profiled(target, period)
    assert value is not None, why
    return value


@given(annual=annuals, shares=profiles(), monthly=st.booleans())
def test_a_profiled_target_sums_to_the_annual_target(
    annual: Decimal, shares: tuple[Decimal, ...], monthly: bool
) -> None:
    target = ProfiledTarget(annual=annual, shares=shares)
    kind = PeriodKind.MONTH if monthly and len(shares) == 12 else PeriodKind.QUARTER
    values = [_value(target, period) for period in _periods(kind, ytd=False)]
    assert sum(values, Decimal(0)) == annual
    so_far = [_value(target, period) for period in _periods(kind, ytd=True)]
    running = Decimal(0)
    for value, cumulative in zip(values, so_far, strict=True):
        running += value
        assert cumulative == running


@given(annual=annuals, monthly=st.booleans())
def test_pro_rata_is_exact_or_refused(annual: Decimal, monthly: bool) -> None:
    target = ProfiledTarget(annual=annual)
    kind = PeriodKind.MONTH if monthly else PeriodKind.QUARTER
    found = [profiled(target, period) for period in _periods(kind, ytd=False)]
    values = [value for value, _ in found]
    if any(value is None for value in values):
        assert all("does not divide exactly" in why for value, why in found if value is None)
        assert monthly  # a quarter of any decimal is exact
        return
    exact = [_value(target, period) for period in _periods(kind, ytd=False)]
    assert len(set(exact)) == 1
    assert sum(exact, Decimal(0)) == annual
    assert _value(target, _periods(kind, ytd=True)[-1]) == annual
