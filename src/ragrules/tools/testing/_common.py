"""What the testing kit's modules share: type names, published tokens, scales, contexts, and
the readers of its number and period arguments."""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Literal, ParamSpec, TypeVar

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ragrules.model.numbers import MAX_EXPONENT, RoundingMode, exact_context
from ragrules.model.periods import Calendar, Period, PeriodError, parse_period, text_in
from ragrules.model.rules import (
    BRAG,
    RAG,
    Indicator,
    ProfiledTarget,
)

ScaleName = Literal["rag", "brag"]
# A number argument: an int, a float (read through its shortest repr), text or a Decimal.
Number = Decimal | int | float | str

# Published tokens for "no value this period" and "value withheld" (see `observations`).
NO_DATA_VALUES: tuple[str | None, ...] = (None, "", "N/A", "n/a", "-", "TBC", "..")
SUPPRESSED_VALUES: tuple[str, ...] = ("<5", "< 5", "<10", "c", "[x]", "*")
UNREADABLE_VALUES: tuple[str, ...] = ("high", "n/k", "see note", "5 furlongs")

_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-"
_SCALES = {"rag": RAG, "brag": BRAG}
# RoundingMode members are named after the decimal module's ROUND_* constants.
_ROUNDING = {mode: getattr(decimal, f"ROUND_{mode.name}") for mode in RoundingMode}
_WIDE = decimal.Context(prec=1000, Emax=999_999, Emin=-999_999)
# Reads text the plain-number pattern matched; an exponent no Decimal holds is refused.
_READING = decimal.Context(traps=[decimal.InvalidOperation])
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

_P = ParamSpec("_P")
_T = TypeVar("_T")


@st.composite
def _drawn_exactly(draw: st.DrawFn, strategy: SearchStrategy[_T]) -> _T:
    # Hypothesis builds values while drawing (`.map`, `.flatmap`, composites, its own
    # `decimals`): in the library's context, whatever the caller's traps, and with its flags.
    with exact_context():
        return draw(strategy)


def exact_strategy(
    build: Callable[_P, SearchStrategy[_T]],
) -> Callable[_P, SearchStrategy[_T]]:
    """A strategy builder whose own arithmetic, and every draw of the strategy it returns, run
    in the library's decimal context: a caller's precision, rounding or traps change nothing,
    and the caller's flags are left as they were (as when rating)."""

    @functools.wraps(build)
    def built(*args: _P.args, **kwargs: _P.kwargs) -> SearchStrategy[_T]:
        with exact_context():
            strategy = build(*args, **kwargs)
        return _drawn_exactly(strategy)

    return built


def as_number(value: object, name: str) -> Decimal:
    """A number argument as a Decimal, exactly: an int as it is, a float through its shortest
    repr (`0.1` is 0.1, not its binary expansion, as the library reads floats), text as
    written (`"23.4"`, `"1e3"`). Anything else, a bool, NaN or an infinity is refused with a
    TypeError or ValueError naming the argument."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number (int, float, Decimal or text), not {value!r}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):  # numpy's float64 too: `repr` of it is not its digits
        number = Decimal(float.__repr__(value))
    elif isinstance(value, str):
        text = value.strip()
        if not _PLAIN_NUMBER.fullmatch(text):
            raise ValueError(f"{name} {value!r} is not a number; write it plainly, e.g. '23.4'")
        try:
            number = Decimal(text, _READING)
        except decimal.InvalidOperation:
            raise ValueError(f"{name} {value!r} is out of range") from None
    else:
        raise TypeError(
            f"{name} must be a number (int, float, Decimal or text), not {type(value).__name__}"
        )
    if not number.is_finite():
        raise ValueError(f"{name} {value!r} is not a finite number")
    if number and abs(number.adjusted()) > MAX_EXPONENT:
        raise ValueError(f"{name} {value!r} is out of range (beyond 10^±{MAX_EXPONENT})")
    return number


def as_period(indicator: Indicator, period: object, name: str = "period") -> Period | None:
    """A period argument of a strategy given only an indicator: a `Period`, or text read as
    `ragrules.parse_period` reads it (`2024/25` a financial year, `AY 2024/25` an academic
    one), except that a split year is academic where the indicator's own dates or profile
    are (they were read in its ruleset's calendar, the only place a period changes a
    rating)."""
    if period is None or isinstance(period, Period):
        return period
    if not isinstance(period, str):
        raise TypeError(
            f"{name} must be a Period or text such as '2024/25 Q3', not {type(period).__name__}"
        )
    try:
        return parse_period(period, _calendar_of(indicator))
    except PeriodError as exc:
        raise ValueError(f"{name}: {exc}") from None


def _calendar_of(indicator: Indicator) -> Calendar:
    schedules = (
        indicator.target,
        indicator.tolerance,
        indicator.stretch,
        indicator.dated_polarity,
        indicator.dated_scale,
        indicator.dated_thresholds,
        indicator.dated_threshold_ranges,
    )
    for schedule in schedules:
        if schedule is None:
            continue
        if schedule.within_year is Calendar.ACADEMIC:
            return Calendar.ACADEMIC
        for entry in schedule.entries:
            start = entry.start
            if (start is not None and start.calendar is Calendar.ACADEMIC) or (
                isinstance(entry.value, ProfiledTarget)
                and entry.value.calendar is Calendar.ACADEMIC
            ):
                return Calendar.ACADEMIC
    return Calendar.FINANCIAL


def period_text(calendar: Calendar, period: object, name: str = "period") -> str | None:
    """A period argument of a check (given the ruleset) as the text a row carries: a
    `Period` written so that the ruleset's `calendar` reads it back, or text as it is."""
    if period is None or isinstance(period, str):
        return period
    if isinstance(period, Period):
        return text_in(period, calendar)
    raise TypeError(
        f"{name} must be a Period or text such as '2024/25 Q3', not {type(period).__name__}"
    )


def why_not_alone(indicator: Indicator) -> str:
    """Why a value alone is not a row `indicator` rates, in the words of `ragrules verify`
    (which does not test such indicators either); '' when it is."""
    if indicator.rate is not None:
        return "rated from its counts"
    if indicator.minimum is not None:
        return "suppressed below a minimum, which needs its row"
    return ""


def refuse_unless_rated_alone(indicator: Indicator, what: str) -> None:
    """Raise ValueError, up front, when `what` cannot test `indicator` with values alone."""
    reason = why_not_alone(indicator)
    if reason:
        raise ValueError(
            f"{what}: indicator {indicator.id!r} is {reason}, so a value alone is not a row "
            "it rates (ragrules verify does not test it either); test its rows with "
            "observations and check_totality"
        )
