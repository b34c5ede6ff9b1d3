"""Laws of period arithmetic and direction of travel (issue 3, DESIGN.md sections 2-3)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.engine.travel import direction, judge
from ragrules.model.periods import (
    Calendar,
    Period,
    PeriodKind,
    parse_period,
    text_in,
    written_as,
)
from ragrules.model.rules import NO_CHANGE, Basis, Direction, Judgement, Margin, Polarity

calendars = st.sampled_from(list(Calendar))


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """Any year, quarter or month, in any calendar, year-to-date or not."""
    kind = draw(st.sampled_from(list(PeriodKind)))
    index = {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}[kind]
    calendar = Calendar.CALENDAR if kind is PeriodKind.MONTH else draw(calendars)
    return Period(
        kind=kind,
        year=draw(st.integers(1990, 2090)),
        index=draw(st.integers(1, index)),
        calendar=calendar,
        ytd=draw(st.booleans()),
    )


decimals = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False)


@given(periods())
def test_print_then_parse_is_identity(period: Period) -> None:
    """Periods parse and print: parsing a printed period gives it back."""
    assert parse_period(str(period), period.calendar) == period


@given(periods(), st.integers(-40, 40))
def test_previous_then_next_is_identity(period: Period, steps: int) -> None:
    """Previous then next is identity, and shifting is additive."""
    assert period.previous().next() == period
    assert period.next().previous() == period
    assert period.shifted(steps).shifted(-steps) == period


@given(periods())
def test_same_period_last_year_is_one_year_of_periods_back(period: Period) -> None:
    """Same period last year is four quarters or twelve months back: 12 months earlier."""
    back = {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}[period.kind]
    assert period.same_period_last_year() == period.shifted(-back)
    year, month = period.start
    assert period.same_period_last_year().start == (year - 1, month)


@given(periods())
def test_previous_period_ends_where_this_one_starts(period: Period) -> None:
    """Q1 2021/22 -> Q4 2020/21: the previous period is the one just before, never a gap."""
    year, month = period.previous().start
    months = year * 12 + month - 1 + period.months
    assert (months // 12, months % 12 + 1) == period.start


@given(decimals, decimals)
def test_judgement_flips_exactly_when_polarity_flips(current: Decimal, earlier: Decimal) -> None:
    """Judgement flips exactly when polarity flips; the direction never depends on polarity."""
    moved = direction(current, earlier, NO_CHANGE)
    higher = judge(moved, Polarity.HIGHER, current, earlier, NO_CHANGE, None)
    lower = judge(moved, Polarity.LOWER, current, earlier, NO_CHANGE, None)
    flipped = {
        Judgement.IMPROVING: Judgement.WORSENING,
        Judgement.WORSENING: Judgement.IMPROVING,
        Judgement.UNCHANGED: Judgement.UNCHANGED,
    }
    assert higher is not None
    assert lower is flipped[higher]
    assert (higher is Judgement.UNCHANGED) == (moved is Direction.UNCHANGED)


@given(decimals, decimals)
def test_neutral_is_never_judged(current: Decimal, earlier: Decimal) -> None:
    """Neutral never judged: a neutral indicator has a direction and no judgement."""
    moved = direction(current, earlier, NO_CHANGE)
    assert judge(moved, Polarity.NEUTRAL, current, earlier, NO_CHANGE, None) is None


@given(
    decimals,
    st.decimals(min_value=0, max_value=100, places=2),
    st.sampled_from(list(Basis)),
)
def test_unchanged_within_is_symmetric(earlier: Decimal, amount: Decimal, basis: Basis) -> None:
    """Unchanged-within is symmetric and inclusive: a rise and a fall by the margin both hold."""
    margin = Margin(basis=basis, amount=amount / 100 if basis is Basis.RELATIVE else amount)
    width = margin.resolve(earlier)
    assert direction(earlier + width, earlier, margin) is Direction.UNCHANGED
    assert direction(earlier - width, earlier, margin) is Direction.UNCHANGED
    step = Decimal("0.001")
    assert direction(earlier + width + step, earlier, margin) is Direction.UP
    assert direction(earlier - width - step, earlier, margin) is Direction.DOWN


TRAVEL_RULESET = ragrules.loads(
    """
[ruleset]
format = 1
id = "travel-laws"

[travel]
arrows = "judgement"

[travel.comparisons]
short = { against = "previous-period" }
long = { against = "same-period-last-year" }

[defaults]
tolerance = { relative = "5%" }

[[indicator]]
id = "a"
target = 50

[[indicator]]
id = "b"
polarity = "lower-is-better"
target = 50

[[indicator]]
id = "c"
polarity = "neutral"
"""
)


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 8), decimals),
        max_size=25,
        unique_by=lambda row: row[:2],
    ),
    st.randoms(use_true_random=False),
)
def test_travel_is_independent_of_row_order(
    rows: list[tuple[str, int, Decimal]], shuffle: random.Random
) -> None:
    """Travel is independent of the order of the input rows."""
    start = parse_period("2019/20 Q1")
    data = [
        {"indicator": name, "period": str(start.shifted(step)), "value": str(value)}
        for name, step, value in rows
    ]
    shuffled = list(data)
    shuffle.shuffle(shuffled)

    def travel(report: ragrules.Report) -> list[tuple[str, str, str | None, str]]:
        return [
            (
                move.comparison.name,
                move.direction.value,
                None if move.judgement is None else move.judgement.value,
                str(move.period),
            )
            for result in report.results
            for move in result.travel
        ]

    period = str(start.shifted(8))
    assert travel(TRAVEL_RULESET.rate(data, period=period)) == travel(
        TRAVEL_RULESET.rate(shuffled, period=period)
    )


@given(
    periods(),
    st.sampled_from(["", "AY ", "FY ", "ay", "Fy "]),
    calendars,
    st.sampled_from(["previous", "same_period_last_year"]),
)
def test_an_earlier_column_is_placed_where_the_rows_own_period_reads_it(
    period: Period, prefix: str, calendar: Calendar, earlier: str
) -> None:
    """A wide row's earlier column is placed at its period written from the row's period
    text (the reader knows no ruleset), then read in the ruleset's calendar: that must be
    the row's own period's previous (or last year's) however the row names its year."""
    text = str(period).replace("AY ", "")  # the year as written bare, then prefixed below
    if period.calendar is not Calendar.CALENDAR and period.kind is not PeriodKind.MONTH:
        text = f"{prefix}{text}"  # `R12M`/`YTD` stay outside the year, as people write them
    own = parse_period(text, calendar)
    then = getattr(parse_period(text), earlier)()
    assert parse_period(written_as(then, text), calendar) == getattr(own, earlier)()


@given(periods(), calendars)
def test_a_period_written_for_a_calendar_reads_back_in_it(
    period: Period, calendar: Calendar
) -> None:
    """How a ruleset's canonical form writes a `from` period: read in the ruleset's own
    calendar it is the same period (an academic year in a financial ruleset says `AY`)."""
    assert parse_period(text_in(period, calendar), calendar) == period


@pytest.mark.parametrize("text", ["0001/02", "0999 Q2", "0009-03", "0100"])
def test_an_early_year_is_written_in_four_digits_as_it_is_read(text: str) -> None:
    assert str(parse_period(text)) == text


def test_a_canonical_ruleset_keeps_the_calendar_of_each_from_period() -> None:
    """`AY 2021/22` in a financial ruleset: its canonical form reads back as the same
    ruleset, so two rulesets that rate differently never share a fingerprint."""
    head = (
        '[ruleset]\nformat = 1\nid = "t"\n[[indicator]]\nid = "a"\ntolerance = { absolute = 1 }\n'
    )
    academic = ragrules.loads(
        head + 'target = [{ value = 60 }, { from = "AY 2021/22", value = 80 }]\n'
    )
    financial = ragrules.loads(
        head + 'target = [{ value = 60 }, { from = "2021/22", value = 80 }]\n'
    )
    assert ragrules.loads(academic.canonical_toml) == academic
    assert academic.fingerprint != financial.fingerprint
