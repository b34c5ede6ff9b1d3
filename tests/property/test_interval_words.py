"""A reason's interval is shown short but never contradicts the comparison it explains: each
limit is rounded outward, and how the interval lies against the benchmark (a value or an
interval) is the same for the limits shown as for the exact ones."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ragrules.engine._interval_words import limits_words, side
from ragrules.engine.result import Interval

_NUMBERS = st.decimals(
    min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False, places=12
)


@st.composite
def _intervals(draw: st.DrawFn) -> Interval:
    low, high = sorted((draw(_NUMBERS), draw(_NUMBERS)))
    return Interval(level="95", lower=low, upper=high)


def _read(words: str) -> Interval:
    lower, upper = words.split(" to ")
    return Interval(level="95", lower=Decimal(lower), upper=Decimal(upper))


@given(interval=_intervals(), against=st.one_of(_NUMBERS, _intervals()))
def test_shown_limits_hold_the_interval_and_keep_its_side(
    interval: Interval, against: Decimal | Interval
) -> None:
    mine, theirs = limits_words(interval, against)
    shown = _read(mine)
    assert shown.lower <= interval.lower and shown.upper >= interval.upper
    if isinstance(against, Interval):
        other = _read(theirs)
        assert other.lower <= against.lower and other.upper >= against.upper
    else:
        other_value = Decimal(theirs)
        assert other_value == against  # a benchmark's value is shown in full
    assert side(shown, other if isinstance(against, Interval) else other_value) == side(
        interval, against
    )


@given(interval=_intervals(), against=_NUMBERS)
def test_a_limit_never_shows_equal_to_a_benchmark_it_is_clear_of(
    interval: Interval, against: Decimal
) -> None:
    """`lies above 50` is never shown as `50.0 to ...`: a reader would read it as including."""
    mine, _ = limits_words(interval, against)
    shown = _read(mine)
    if interval.lower > against:
        assert shown.lower > against
    if interval.upper < against:
        assert shown.upper < against


def test_fifty_digit_limits_are_shown_to_the_width_s_two_figures() -> None:
    wilson = Interval(
        level="95",
        lower=Decimal("31.2673769733658268799810191846892738238949670271182449383394"),
        upper=Decimal("83.181967029376388065712354443046959643929734794054842458314"),
    )
    assert limits_words(wilson, Decimal(50)) == ("31.2 to 83.2", "50")
    narrow = Interval(level="95", lower=Decimal("0.052301"), upper=Decimal("0.0581"))
    assert limits_words(narrow, Decimal("0.05"))[0] == "0.0523 to 0.0581"


def test_more_places_where_fewer_would_cross_the_benchmark() -> None:
    just_above = Interval(level="95", lower=Decimal("50.0004"), upper=Decimal("61.2"))
    assert limits_words(just_above, Decimal(50)) == ("50.0004 to 61.2", "50")
    published = Interval(level="95", lower=Decimal("85"), upper=Decimal("95"))
    assert limits_words(published, Decimal(100)) == ("85 to 95", "100")
