"""The shortcuts taken for speed agree with the general code they skip.

`read_value` reads plain numbers without the token and unit steps, and remembers the
readings of other short texts; periods are shared and their neighbours cached. Each must give
exactly what the general path gives.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ragrules.model.observations import _read_value, read_value
from ragrules.model.periods import Calendar, Period, PeriodKind, parse_period
from ragrules.model.rules import Tokens

PLAIN = st.from_regex(r"-?[0-9]{1,20}(\.[0-9]{1,20})?", fullmatch=True)
PUBLISHED = st.one_of(
    PLAIN,
    st.builds(lambda n, unit: f"{n}{unit}", PLAIN, st.sampled_from(["%", " weeks", " days", ""])),
    st.sampled_from(
        ["N/A", "-", "<5", "c", "TBC", " 12 ", "1,200", "£3", "x1", "", "0.50%", "-1", "999", "0"]
    ),
    st.text(max_size=12),
)
UNITS = st.sampled_from(["number", "percent", "weeks", "days", "count"])
TOKENS = st.sampled_from(
    [
        None,
        Tokens(no_data=frozenset({"awaited", "-1"}), suppressed=frozenset({"999", "0"})),
    ]
)


@given(PLAIN, UNITS)
def test_plain_numbers_read_as_the_general_reader_reads_them(text: str, unit: str) -> None:
    assert read_value(text, unit) == _read_value(text, unit, None)
    assert read_value(text, unit).number == Decimal(text)


@given(PUBLISHED, UNITS, TOKENS)
def test_remembered_readings_equal_fresh_ones(text: str, unit: str, tokens: Tokens | None) -> None:
    first = read_value(text, unit, tokens)
    assert first == _read_value(text, unit, tokens)
    assert read_value(text, unit, tokens) == first


KINDS = st.sampled_from(list(PeriodKind))
CALENDARS = st.sampled_from(list(Calendar))


@st.composite
def periods(draw: st.DrawFn) -> Period:
    kind = draw(KINDS)
    index = draw(st.integers(1, {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 4}.get(kind, 12)))
    calendar = Calendar.CALENDAR if kind is PeriodKind.MONTH else draw(CALENDARS)
    return Period(
        kind=kind,
        year=draw(st.integers(1900, 2100)),
        index=index,
        calendar=calendar,
        ytd=draw(st.booleans()),
    )


@given(periods(), st.integers(-30, 30))
def test_cached_neighbours_are_the_arithmetic_ones(period: Period, steps: int) -> None:
    count = {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}[period.kind]
    position = period.year * count + period.index - 1 + steps
    expected = Period(
        kind=period.kind,
        year=position // count,
        index=position % count + 1,
        calendar=period.calendar,
        ytd=period.ytd,
    )
    assert period.shifted(steps) == expected
    assert period.shifted(steps).start == expected.start
    assert period.same_period_last_year() == Period(
        kind=period.kind,
        year=period.year - 1,
        index=period.index,
        calendar=period.calendar,
        ytd=period.ytd,
    )


@given(periods())
def test_a_period_reads_back_from_its_text_as_an_equal_period(period: Period) -> None:
    again = parse_period(str(period), period.calendar)
    assert again == period
    assert (again.start, again.months, str(again)) == (period.start, period.months, str(period))
