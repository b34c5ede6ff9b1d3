"""A profiled target shares out the annual one month by month: a quarter's target is its
three months' targets added, and a year-to-date one the months' from the year's start, in
every calendar, for quarters of the ruleset's calendar and of any other."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.model.periods import Calendar, Period, PeriodKind

_FIRST = {"financial": 4, "academic": 9, "calendar": 1}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PREFIX = {"financial": "FY ", "academic": "AY ", "calendar": ""}


def _ruleset(calendar: str, shares: list[int], annual: int) -> ragrules.Ruleset:
    profile = ", ".join(f'"{share}%"' for share in shares)
    return ragrules.loads(
        f'[ruleset]\nformat = 1\nid = "p"\ncalendar = "{calendar}"\n'
        f"[profiles]\nshares = [{profile}]\n"
        f'[[indicator]]\nid = "i"\nunit = "count"\n'
        f'target = {{ annual = {annual}, profile = "shares" }}\n'
        "tolerance = { absolute = 1 }\n"
    )


def _target(ruleset: ragrules.Ruleset, period: str) -> Decimal | None:
    result = ruleset.rate([{"indicator": "i", "period": period, "value": "1"}]).results[0]
    return None if result.target is None else result.target.value


def _quarter_text(kind: str, year: int, quarter: int) -> str:
    if kind == "calendar":
        return f"{year} Q{quarter}"
    return f"{_PREFIX[kind]}{year}/{(year + 1) % 100:02d} Q{quarter}"


def _months_of(kind: str, year: int, quarter: int) -> list[tuple[int, int]]:
    start = _FIRST[kind] - 1 + 3 * (quarter - 1)  # months since January of `year`
    return [(year + (start + n) // 12, (start + n) % 12 + 1) for n in range(3)]


_SHARES = st.lists(st.integers(0, 30), min_size=12, max_size=12).filter(lambda s: sum(s) > 0)


@given(
    calendar=st.sampled_from(sorted(_FIRST)),
    quarter_kind=st.sampled_from(sorted(_FIRST)),
    quarter=st.integers(1, 4),
    raw=_SHARES,
)
def test_a_quarter_is_its_three_months(
    calendar: str, quarter_kind: str, quarter: int, raw: list[int]
) -> None:
    total = sum(raw)
    # Shares that add up to 100%: a remainder on the last month.
    shares = [share * 100 // total for share in raw]
    shares[-1] += 100 - sum(shares)
    ruleset = _ruleset(calendar, shares, 1200)
    months = _months_of(quarter_kind, 2024, quarter)
    got = _target(ruleset, _quarter_text(quarter_kind, 2024, quarter))
    month_targets = [_target(ruleset, f"{_MONTHS[m - 1]} {y}") for y, m in months]
    first = _FIRST[calendar]
    # Whether the three months are in one of the ruleset's years (none starts inside them).
    one_year = all(month != first for _, month in months[1:])
    if one_year:
        assert None not in month_targets
        assert got == sum((t for t in month_targets if t is not None), Decimal(0))
    else:
        assert got is None


@pytest.mark.parametrize(
    ("period", "share"),
    [
        ("FY 2025/26 Q1", "0.27"),  # April to June: 9% + 8% + 10%
        ("2025 Q2", "0.27"),
        ("AY 2024/25 Q3", "0.23"),  # March to May: 6% + 9% + 8%
        ("FY 2025/26 Q2", None),  # July to September: August ends the academic year
    ],
)
def test_the_fuzzed_academic_case(period: str, share: str | None) -> None:
    # Months from September: 5, 4, 3, 2, 7, 6, 6, 9, 8, 10, 20, 20 (% of the year).
    shares = [5, 4, 3, 2, 7, 6, 6, 9, 8, 10, 20, 20]
    ruleset = _ruleset("academic", shares, 1000)
    got = _target(ruleset, period)
    assert got == (None if share is None else Decimal(share) * 1000)


def test_a_quarterly_profile_serves_only_its_own_quarters() -> None:
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "p"\ncalendar = "academic"\n'
        '[[indicator]]\nid = "i"\nunit = "count"\n'
        'target = { annual = 1000, profile = ["10%", "20%", "30%", "40%"] }\n'
        "tolerance = { absolute = 1 }\n"
    )
    assert _target(ruleset, "AY 2024/25 Q2") == Decimal(200)
    result = ruleset.rate([{"indicator": "i", "period": "FY 2024/25 Q4", "value": "1"}])
    assert "covers part of one; state a profile of 12 months" in result.results[0].reason


def test_months_in_year_counts_from_the_calendars_first_month() -> None:
    from ragrules.model.periods import months_in_year

    july = Period(kind=PeriodKind.QUARTER, year=2024, index=2)  # FY 2024/25 Q2
    assert months_in_year(july, Calendar.FINANCIAL) == range(3, 6)
    assert months_in_year(july, Calendar.CALENDAR) == range(6, 9)
    assert months_in_year(july, Calendar.ACADEMIC) is None
