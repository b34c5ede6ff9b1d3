"""Rolling twelve months: the span is the twelve months to the end of the month or quarter that
names the period, and the report periods (decision 21) and travel follow from that span; the
period still stands at its month or quarter (`start`), which orders periods and picks the
dated settings in force."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.engine._placing import same_span
from ragrules.model.periods import Calendar, Period, PeriodKind, parse_period

calendars = st.sampled_from(list(Calendar))


@st.composite
def plain_periods(draw: st.DrawFn) -> Period:
    """Any year, quarter or month, in any calendar, year to date or not."""
    kind = draw(st.sampled_from(list(PeriodKind)))
    index = {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}[kind]
    return Period(
        kind=kind,
        year=draw(st.integers(1990, 2090)),
        index=draw(st.integers(1, index)),
        calendar=Calendar.CALENDAR if kind is PeriodKind.MONTH else draw(calendars),
        ytd=draw(st.booleans()),
    )


@st.composite
def rolling_periods(draw: st.DrawFn) -> Period:
    """Rolling twelve months to any month, or to any quarter in any calendar."""
    quarter = draw(st.booleans())
    return Period(
        kind=PeriodKind.QUARTER if quarter else PeriodKind.MONTH,
        year=draw(st.integers(1990, 2090)),
        index=draw(st.integers(1, 4 if quarter else 12)),
        calendar=draw(calendars) if quarter else Calendar.CALENDAR,
        rolling=True,
    )


any_periods = st.one_of(plain_periods(), rolling_periods())


def _month(start: tuple[int, int]) -> int:
    """A month as a count of months, so that consecutive months are consecutive numbers."""
    return start[0] * 12 + start[1] - 1


def _last_month(period: Period) -> int:
    """The last month a period covers, from the month or quarter that names it."""
    named = attrs.evolve(period, rolling=False)
    return _month(named.start) + named.months - 1


def _months(period: Period) -> frozenset[int]:
    """The months a period covers, worked out without its `first`: a rolling period is the
    twelve months to the last month of the month or quarter that names it."""
    if period.rolling:
        last = _last_month(period)
        return frozenset(range(last - 11, last + 1))
    return frozenset(range(_month(period.start), _month(period.start) + period.months))


@pytest.mark.parametrize(
    ("text", "first", "start"),
    [
        ("12 months to Nov 2020", (2019, 12), (2020, 11)),
        ("R12M Nov 2024", (2023, 12), (2024, 11)),
        ("Rolling 12 months to Dec 2024", (2024, 1), (2024, 12)),
        ("R12M Jan 2025", (2024, 2), (2025, 1)),
        ("12 months to 2024/25 Q2", (2023, 10), (2024, 7)),  # to September 2024
        ("R12M 2024/25 Q4", (2024, 4), (2025, 1)),  # the financial year 2024/25's months
        ("R12M 2024 Q4", (2024, 1), (2024, 10)),
    ],
)
def test_a_rolling_period_covers_the_twelve_months_to_its_last_month(
    text: str, first: tuple[int, int], start: tuple[int, int]
) -> None:
    """Its span starts eleven months before its last month; it stands at its month."""
    period = parse_period(text)
    assert (period.first, period.months, period.start) == (first, 12, start)


@given(rolling_periods())
def test_a_rolling_period_is_twelve_consecutive_months_ending_at_its_month(period: Period) -> None:
    assert period.months == 12
    assert _month(period.first) + 11 == _last_month(period)
    assert period.start == attrs.evolve(period, rolling=False).start


@given(plain_periods())
def test_a_plain_periods_span_is_the_period_itself(period: Period) -> None:
    assert (period.first, period.months) == (period.start, _MONTHS[period.kind])


_MONTHS = {PeriodKind.YEAR: 12, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}


@given(any_periods, any_periods)
def test_same_span_is_exactly_the_same_months(a: Period, b: Period) -> None:
    assert same_span(a, b) is same_span(b, a)
    assert same_span(a, b) is (_months(a) == _months(b))
    assert same_span(a, a)


@given(plain_periods().filter(lambda p: p.kind is PeriodKind.YEAR and not p.ytd))
def test_rolling_twelve_months_to_a_years_end_is_that_years_span(year: Period) -> None:
    q4 = Period(kind=PeriodKind.QUARTER, year=year.year, index=4, calendar=year.calendar)
    end = q4.start[0] * 12 + q4.start[1] + 1  # the year's last month, counted from 0
    month = Period(kind=PeriodKind.MONTH, year=end // 12, index=end % 12 + 1)
    for rolling in (attrs.evolve(q4, rolling=True), attrs.evolve(month, rolling=True)):
        assert same_span(rolling, year)
        assert not same_span(rolling.previous(), year)


@given(rolling_periods(), st.integers(-30, 30))
def test_travel_of_a_rolling_period_moves_its_span(period: Period, steps: int) -> None:
    """The previous period is the rolling twelve months to the previous month (or quarter),
    the same period last year the twelve months a year earlier; all of them rolling."""
    step = 3 if period.kind is PeriodKind.QUARTER else 1
    for then, back in (
        (period.previous(), step),
        (period.same_period_last_year(), 12),
        (period.shifted(steps), -steps * step),
    ):
        assert then.rolling and then.kind is period.kind
        assert _month(then.first) == _month(period.first) - back
        assert _month(then.start) == _month(period.start) - back
    assert period.previous().next() == period


def test_rolling_travel_is_a_month_back_and_a_year_back() -> None:
    period = parse_period("R12M Nov 2024")
    assert str(period.previous()) == "R12M 2024-10"
    assert period.previous().first == (2023, 11)
    assert str(period.same_period_last_year()) == "R12M 2023-11"
    assert period.same_period_last_year().first == (2022, 12)


def test_a_rolling_periods_year_end_is_its_last_months() -> None:
    """A forecast for R12M Nov 2020 is rated at the end of the year that November is in."""
    period = parse_period("R12M Nov 2020")
    assert str(period.year_end(Calendar.FINANCIAL)) == "R12M 2021-03"
    assert str(period.year_end(Calendar.ACADEMIC)) == "R12M 2021-08"
    assert str(parse_period("R12M 2020/21 Q2").year_end()) == "R12M 2020/21 Q4"


RULESET = """
[ruleset]
format = 1
id = "p"

[travel.comparisons]
short = { against = "previous-period" }
long = { against = "same-period-last-year" }

[[indicator]]
id = "a"
unit = "number"
polarity = "higher-is-better"
target = 50
tolerance = { absolute = 5 }
"""


def _rate(rows: list[tuple[str, str]], period: str | None = None) -> ragrules.Report:
    data = [{"indicator": "a", "period": when, "value": value} for when, value in rows]
    return ragrules.loads(RULESET).rate(data, period=period)


def test_a_rolling_year_is_rated_in_the_year_of_its_months_and_only_there() -> None:
    """The fuzzer's case: R12M Sep 2020 (October 2019 to September 2020) shares no month with
    AY 2020/21; R12M Aug 2021 is AY 2020/21's months, so it is a second row for that report."""
    rows = [("AY 2020/21", "20"), ("R12M Sep 2020", "41"), ("R12M Aug 2021", "42")]
    report = _rate(rows, period="AY 2020/21")
    assert (report.result("a").value_text, report.result("a").row) == ("20", 1)
    assert [(r.row, r.period, r.reason) for r in report.rejected] == [
        (3, "R12M Aug 2021", "duplicate of row 1 for AY 2020/21")
    ]


def test_a_year_is_not_a_duplicate_of_the_rolling_year_to_its_first_month() -> None:
    """R12M Apr 2020 (May 2019 to April 2020) shares one month with 2020/21: two reports."""
    rows = [("2020/21", "20"), ("R12M Apr 2020", "41")]
    for period, value in [("2020/21", "20"), ("R12M Apr 2020", "41")]:
        report = _rate(rows, period=period)
        assert report.rejected == ()
        assert report.result("a").value_text == value


def test_a_rolling_report_reads_the_previous_months_rolling_value() -> None:
    rows = [("R12M Oct 2024", "8"), ("Oct 2024", "20"), ("R12M Nov 2023", "7")]
    report = _rate([*rows, ("R12M Nov 2024", "9")], period="R12M Nov 2024")
    assert report.rejected == ()
    short, long = report.result("a").travel
    assert (str(short.period), short.earlier_text) == ("R12M 2024-10", "8")
    assert (str(long.period), long.earlier_text) == ("R12M 2023-11", "7")


def test_a_rolling_period_takes_the_settings_in_force_at_its_month() -> None:
    """Dated settings apply from the month or quarter a rolling period ends with, as for that
    month: a target that does not carry is not applied to the year after its own."""
    rules = (
        HEAD_TARGETS
        + 'target = [{ from = "2023/24", value = 50 }, { from = "2025/26", value = 60 }]\n'
    )
    ruleset = ragrules.loads(rules)
    for period, target in [
        ("R12M Nov 2024", None),  # December 2023 to November 2024: 2023/24's target lapsed
        ("R12M Apr 2025", "60"),
        ("R12M Mar 2026", "60"),
    ]:
        found = ruleset.rate([{"indicator": "a", "period": period, "value": "1"}]).result("a")
        assert (period, None if found.target is None else str(found.target)) == (period, target)


HEAD_TARGETS = (
    '[ruleset]\nformat = 1\nid = "t"\n[[indicator]]\nid = "a"\ntarget-carries = false\n'
    "tolerance = { absolute = 1 }\n"
)
