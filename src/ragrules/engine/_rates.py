"""A row's value as the indicator reads it: a published value, or a rate computed from the
row's numerator and denominator; and the small numbers below which it is not rated."""

from __future__ import annotations

from ragrules.model.numbers import EXACT, format_decimal
from ragrules.model.observations import Observation, Reading, read_value
from ragrules.model.rules import Indicator, Tokens, Unrated

# The data's columns (by column key) a rate reads, and those that mark a value.
RATE_COLUMNS = ("numerator", "denominator")
MARK_COLUMNS = ("provisional", "revised")
_NOT_MARKED = frozenset({"", "n", "no", "false", "0", "-", "n/a"})


def reading_of(indicator: Indicator, observation: Observation, tokens: Tokens) -> Reading:
    """The row's value: read from its value column, or for a rate from its numerator and
    denominator; suppressed below the indicator's minimums."""
    if indicator.rate is None:
        reading = read_value(observation.value, indicator.unit, tokens)
    else:
        reading = _rate(indicator, observation, tokens)
    least = None if indicator.minimum is None else indicator.minimum.value
    if least is not None and reading.number is not None and reading.number < least:
        return Reading(
            unrated=Unrated.SUPPRESSED,
            reason=f"suppressed: {format_decimal(reading.number)} is below the minimum "
            f"of {format_decimal(least)} to be rated",
        )
    return reading


def value_text(indicator: Indicator, observation: Observation) -> str:
    """The value as published: the value column's, or a rate's `numerator / denominator`."""
    if indicator.rate is None:
        return observation.value
    numerator, denominator = (observation.column(c).strip() for c in RATE_COLUMNS)
    return f"{numerator or '-'} / {denominator or '-'}"


def marks_of(observation: Observation) -> tuple[str, ...]:
    """`provisional` and `revised`, where the row's column of that name says yes."""
    return tuple(mark for mark in MARK_COLUMNS if is_marked(observation.column(mark)))


def is_marked(text: str) -> bool:
    """Whether a `provisional` or `revised` cell says yes (blank, `no`, `0`, `-`... do not)."""
    return " ".join(text.lower().split()) not in _NOT_MARKED


def _rate(indicator: Indicator, observation: Observation, tokens: Tokens) -> Reading:
    assert indicator.rate is not None
    counts = []
    for column in RATE_COLUMNS:
        text = observation.column(column)
        reading = read_value(text, "number", tokens)
        if reading.number is None:
            if reading.unrated is Unrated.INVALID:
                return Reading(unrated=Unrated.INVALID, reason=f"{column}: {reading.reason}")
            what = "no data" if reading.unrated is Unrated.NO_DATA else "suppressed"
            shown = f"published as {text.strip()!r}" if text.strip() else "not published"
            assert reading.unrated is not None
            return Reading(unrated=reading.unrated, reason=f"{what}: the {column} is {shown}")
        if reading.number < 0:
            return Reading(
                unrated=Unrated.INVALID, reason=f"the {column} {text.strip()!r} is below zero"
            )
        counts.append(reading.number)
    numerator, denominator = counts
    if denominator == 0:
        return Reading(unrated=Unrated.INVALID, reason="the denominator is 0: no rate")
    minimum = indicator.minimum
    for column, count in zip(RATE_COLUMNS, counts, strict=True):
        least = None if minimum is None else getattr(minimum, column)
        if least is not None and count < least:
            return Reading(
                unrated=Unrated.SUPPRESSED,
                reason=f"suppressed: the {column} {format_decimal(count)} is below the minimum "
                f"of {format_decimal(least)}",
            )
    # Exact where the quotient ends; else to the context's 4 x MAX_DIGITS digits, far finer
    # than any target or band edge (a quotient that does not end equals none of them).
    rate = EXACT.divide(EXACT.multiply(numerator, indicator.rate.per), denominator)
    return Reading(number=rate, written_unit=indicator.unit)
