"""Significance against a benchmark: is the area's confidence interval wholly better or worse
than the benchmark's value, or does it include it (Fingertips' comparison at one level)?

The benchmark is a named area's row for the same indicator, breakdown and period (England's;
the row's region), or a column of the row itself. Every comparison is exact: the limits and
the benchmark are the decimals published, compared as they are.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

import attrs

from ragrules.engine._interval_words import limits_words, side
from ragrules.engine._placing import Series
from ragrules.engine.benchmarks import BenchmarkValues
from ragrules.engine.result import Interval, Result
from ragrules.model.comparisons import Significance
from ragrules.model.intervals import byar, normal_quantile, wilson
from ragrules.model.numbers import format_decimal
from ragrules.model.observations import Observation, Reading, read_value
from ragrules.model.periods import Period
from ragrules.model.rules import (
    Indicator,
    Polarity,
    Target,
    Tokens,
    Unrated,
)

# An in-range indicator is good between two limits: no side of a benchmark is the better one.
IN_RANGE = (
    "an in-range indicator has no better side to compare on: make it neutral (compared, "
    "not judged) or rate it on a banded scale"
)


def rate(
    common: dict[str, Any],
    indicator: Indicator,
    observation: Observation,
    benchmarks: BenchmarkValues,
    series: Series,
    period: Period | None,
) -> Result:
    """Better, similar or worse (higher or lower, unjudged): the interval against the benchmark."""
    test = indicator.scale.significance
    assert test is not None
    named = benchmarks.ruleset.benchmark(test.benchmark)
    is_benchmark_row = (
        named is not None
        and named.statistic is None
        and observation.area == benchmarks.area_of(named, observation)
    )
    if is_benchmark_row:
        return _not_compared(common, f"this is the {test.benchmark} row")
    if indicator.polarity is Polarity.IN_RANGE:
        return _not_compared(common, IN_RANGE)
    value, missing = benchmarks.value(test.benchmark, indicator, observation, series, period)
    if value is None:
        return _not_compared(common, missing)
    common.update(target=Target.point(value), target_source=f"benchmark {test.benchmark}")
    tokens = benchmarks.ruleset.tokens.at(period)
    if test.control_limits:
        return _against_control_limits(common, test, indicator, observation, value, tokens)
    interval = _interval(observation, test.level, test.lower, test.upper, indicator, tokens)
    if isinstance(interval, NoInterval):
        return _without(common, interval)
    strict = None
    if test.strict_level:
        found = _interval(
            observation, test.strict_level, test.strict_lower, test.strict_upper, indicator, tokens
        )
        if isinstance(found, NoInterval):
            return _without(common, found)
        strict = found
    if test.method == "columns":  # published limits always hold the value they were made for
        # The value as published, not as rounded for the rating: the limits are the
        # published value's, and a rounded 10.6 (11) may lie outside 10.2 to 10.9.
        published = common["unrounded"]
        for own in (interval, strict):
            if own is not None and not own.lower <= published <= own.upper:
                return _not_compared(common, _outside(published, own))
    against: Decimal | Interval = value
    strict_against: Interval | None = None
    if test.intervals:
        row = benchmarks.row(test.benchmark, observation, series, period)
        theirs = _benchmark_intervals(test, row, indicator, tokens, strict=strict is not None)
        if isinstance(theirs, str):
            return _not_compared(common, theirs)
        against, strict_against = theirs
    status, words, deciding = decide(
        test, indicator.polarity, against, interval, strict, strict_against
    )
    return Result(
        status=status,
        interval=deciding,
        reason=f"{status}: {words}",
        **common,
    )


def _benchmark_intervals(
    test: Significance,
    row: Observation | None,
    indicator: Indicator,
    tokens: Tokens,
    *,
    strict: bool,
) -> tuple[Interval, Interval | None] | str:
    """The benchmark row's own intervals from the same columns, at the same levels (the plain
    is compared with the plain, the strict with the strict), or why it has none."""
    levels = [(test.level, test.lower, test.upper)]
    if strict:
        levels.append((test.strict_level, test.strict_lower, test.strict_upper))
    found: list[Interval] = []
    for level, lower, upper in levels:
        theirs = None if row is None else _interval(row, level, lower, upper, indicator, tokens)
        if not isinstance(theirs, Interval):
            why = "" if theirs is None else f": {theirs.reason}"
            return f"the {test.benchmark} row has no {level}% interval{why}"
        found.append(theirs)
    return found[0], found[1] if strict else None


def _against_control_limits(
    common: dict[str, Any],
    test: Significance,
    indicator: Indicator,
    observation: Observation,
    benchmark: Decimal,
    tokens: Tokens,
) -> Result:
    """The value (as rated: rounded, when the indicator rounds) against control limits around
    the benchmark for the row's denominator; with a strict level, a value outside the strict
    limits too takes the strict status."""
    rated = common["value"]
    denominator = _denominator(observation, test, tokens)
    if isinstance(denominator, NoInterval):
        return _without(common, denominator)
    expected = benchmark * denominator / test.multiplier
    if test.method == "wilson" and not 0 <= expected <= denominator:
        return _not_compared(common, "the benchmark is not a proportion of the denominator")
    if expected < 0:  # Byar's limits are a count's: no count is below zero
        return _not_compared(common, "the benchmark is below zero, which no count or rate is")
    limits = _control_limits(test, test.level, expected, denominator)
    point = Interval(level=test.level, lower=rated, upper=rated)
    status, _, _ = decide(test, indicator.polarity, limits, point)
    lies = side(point, limits)
    if lies and test.strict_level:
        strict = _control_limits(test, test.strict_level, expected, denominator)
        if side(point, strict) == lies:  # beyond the wider limits too: the strict status
            status, _, _ = decide(test, indicator.polarity, strict, point, point)
            limits = strict
    where = "within" if lies == 0 else "above" if lies > 0 else "below"
    shown, _ = limits_words(limits, rated)
    return Result(
        status=status,
        interval=limits,
        reason=(
            f"{status}: {format_decimal(rated)} is {where} the {limits.level}% control limits "
            f"{shown} around {test.benchmark}'s {format_decimal(benchmark)}"
        ),
        **common,
    )


def _denominator(
    observation: Observation, test: Significance, tokens: Tokens
) -> Decimal | NoInterval:
    """The row's denominator for control limits, or why there are none: the column blank,
    suppressed or no data, 0 or below zero (not compared), or not a number (invalid)."""
    column = test.denominator
    text = observation.column(column).strip()
    reading = read_value(text, "number", tokens)
    named = f"denominator ({column})"
    number = reading.number
    if number is None:
        if reading.unrated is Unrated.INVALID:
            return NoInterval(
                f"the control limits' {named} cannot be read: {reading.reason}", invalid=True
            )
        return NoInterval(f"no control limits: its {named} {_unpublished(text, reading)}")
    if number <= 0:
        which = "0" if number == 0 else f"{format_decimal(number)}, below zero"
        return NoInterval(f"no control limits: its {named} is {which}")
    return number


def _control_limits(
    test: Significance, level: str, expected: Decimal, denominator: Decimal
) -> Interval:
    """Control limits at `level` around the expected count in `denominator`, in the
    indicator's unit (Wilson's for a proportion, Byar's for a count or rate). A count or a
    proportion is never below 0, so neither is a lower limit: Byar's approximation goes below
    0 for an expected count under about 1, where the exact Poisson limit PHE's funnel plots
    use is 0 (and PHE's limits for a proportion are floored at 0)."""
    z = _quantile(level)
    if test.method == "wilson":
        low, high = wilson(expected, denominator, z)
        low, high = low * test.multiplier, high * test.multiplier
    else:
        low, high = byar(expected, z)
        scale = test.multiplier / denominator
        low, high = low * scale, high * scale
    return Interval(level=level, lower=low if low > 0 else Decimal(0), upper=high)


@attrs.frozen
class NoInterval:
    """Why a row has no interval at a level; `invalid` when a column's text cannot be read
    (an `invalid` result, and a problem of the report, as an unreadable value is)."""

    reason: str
    invalid: bool = False
    detail: str = ""  # the column that is missing, and how: "its count (count) is not published"


def _interval(
    row: Observation, level: str, lower: str, upper: str, indicator: Indicator, tokens: Tokens
) -> Interval | NoInterval:
    """The row's interval at `level`, or why it has none (the result's reason)."""
    test = indicator.scale.significance
    assert test is not None
    if test.method != "columns":
        return _computed(row, level, test, tokens)
    low, high = (
        _number(row, column, f"{side} limit", level, indicator.unit, tokens)
        for side, column in (("lower", lower), ("upper", upper))
    )
    if isinstance(low, NoInterval) or isinstance(high, NoInterval):
        return _missing(row, level, (lower, upper), low, high)
    if low > high:
        return NoInterval(
            f"the {level}% confidence interval is inverted: its lower limit "
            f"{format_decimal(low)} is above its upper {format_decimal(high)}"
        )
    return Interval(level=level, lower=low, upper=high)


def _number(
    row: Observation, column: str, what: str, level: str, unit: str, tokens: Tokens
) -> Decimal | NoInterval:
    """A column the interval is read from, as a number, or why it gives none: text that
    cannot be read (invalid), or a limit not published, suppressed or published as no data."""
    text = row.column(column).strip()
    reading = read_value(text, unit, tokens)
    if reading.number is not None:
        return reading.number
    named = f"{what} ({column})"
    if reading.unrated is Unrated.INVALID:
        return NoInterval(
            f"the {level}% confidence interval's {named} cannot be read: {reading.reason}",
            invalid=True,
        )
    detail = f"its {named} {_unpublished(text, reading)}"
    return NoInterval(f"no {level}% confidence interval: {detail}", detail=detail)


def _unpublished(text: str, reading: Reading) -> str:
    """How a column with no number (and no unreadable text) says so, in words."""
    if not text:
        return "is not published"
    if reading.unrated is Unrated.SUPPRESSED:
        return f"is suppressed: published as {text!r}"
    return f"is published as {text!r} (no data)"


def _missing(
    row: Observation,
    level: str,
    columns: tuple[str, str],
    *found: Decimal | NoInterval,
) -> NoInterval:
    """Why the interval is missing: an unreadable column first; then, when none of `columns`
    is written, that the data has none; else the limit that is not a number, named."""
    missing = [reason for reason in found if isinstance(reason, NoInterval)]
    unreadable = [reason for reason in missing if reason.invalid]
    if unreadable:
        return unreadable[0]
    if not any(row.column(column).strip() for column in columns):
        return NoInterval(f"no {level}% confidence interval in the data")
    return missing[0]


def _uncomputed(level: str, *found: Decimal | NoInterval) -> NoInterval:
    """Why an interval cannot be computed from a count and a denominator: an unreadable
    column first; else each that is missing, named, and how (blank, suppressed, no data)."""
    missing = [reason for reason in found if isinstance(reason, NoInterval)]
    unreadable = [reason for reason in missing if reason.invalid]
    if unreadable:
        return unreadable[0]
    details = " and ".join(reason.detail for reason in missing)
    return NoInterval(f"no {level}% confidence interval in the data: {details}")


def _outside(value: Decimal, interval: Interval) -> str:
    """Why a value outside its own published interval is not compared: the limits are not
    this value's (another unit, a proportion for a percentage, or another row's)."""
    return (
        f"{format_decimal(value)} is outside its own interval {interval}: the limits must be "
        "the value's own, in its unit"
    )


def _computed(
    row: Observation, level: str, test: Significance, tokens: Tokens
) -> Interval | NoInterval:
    """The interval at `level` from the row's count and denominator (Wilson or Byar), or
    why there is none."""
    count, denominator = (
        _number(row, column, what, level, "number", tokens)
        for what, column in (("count", test.count), ("denominator", test.denominator))
    )
    if isinstance(count, NoInterval) or isinstance(denominator, NoInterval):
        return _uncomputed(level, count, denominator)
    if denominator <= 0 or count < 0:
        return NoInterval(
            f"no {level}% confidence interval: a count of {format_decimal(count)} in a "
            f"denominator of {format_decimal(denominator)}"
        )
    z = _quantile(level)
    if test.method == "wilson":
        if count > denominator:
            return NoInterval(
                f"no {level}% confidence interval: a count of {format_decimal(count)} is "
                f"above its denominator {format_decimal(denominator)}"
            )
        low, high = wilson(count, denominator, z)
        return Interval(level=level, lower=low * test.multiplier, upper=high * test.multiplier)
    low, high = byar(count, z)
    scale = test.multiplier / denominator
    return Interval(level=level, lower=low * scale, upper=high * scale)


@functools.lru_cache(maxsize=16)
def _quantile(level: str) -> Decimal:
    return normal_quantile(Decimal(level) / 100)


def decide(
    test: Significance,
    polarity: Polarity,
    against: Decimal | Interval,
    interval: Interval,
    strict: Interval | None = None,
    strict_against: Decimal | Interval | None = None,
) -> tuple[str, str, Interval]:
    """The status, how the interval lies against the benchmark in words (`the interval 85 to
    95 (95%) includes england's 90`), and the interval that decided (the strict one when it
    too is clear of the benchmark: of `strict_against`, the benchmark's strict interval,
    when intervals are compared)."""
    labels = test.labels(judged=polarity is not Polarity.NEUTRAL)
    lies = side(interval, against)
    if lies == 0:
        verb = "includes" if isinstance(against, Decimal) else "overlaps"
        return labels[len(labels) // 2], _words(test, verb, interval, against), interval
    deciding = interval
    tier = 1 if len(labels) == 5 else 0  # the index of the plain (non-strict) better status
    clear_of = against if strict_against is None else strict_against
    if strict is not None and side(strict, clear_of) == lies:
        deciding, tier, against = strict, 0, clear_of
    words = _words(test, f"lies {'above' if lies > 0 else 'below'}", deciding, against)
    good = lies > 0 if polarity is Polarity.NEUTRAL else (lies > 0) == (polarity is Polarity.HIGHER)
    return (labels[tier] if good else labels[len(labels) - 1 - tier]), words, deciding


def _words(test: Significance, verb: str, interval: Interval, against: Decimal | Interval) -> str:
    """`the interval 85 to 95 (95%) includes england's 90`, or `... overlaps england's
    interval 95 to 105 (95%)`: limits shown short, never across the benchmark."""
    mine, theirs = limits_words(interval, against)
    benchmark = (
        f"{test.benchmark}'s {theirs}"
        if isinstance(against, Decimal)
        else f"{test.benchmark}'s interval {theirs} ({against.level}%)"
    )
    return f"the interval {mine} ({interval.level}%) {verb} {benchmark}"


def _without(common: dict[str, Any], missing: NoInterval) -> Result:
    """The row's result without an interval: invalid when a column cannot be read."""
    if missing.invalid:
        return Result(
            status=Unrated.INVALID.value,
            unrated=Unrated.INVALID,
            reason=missing.reason,
            **common,
        )
    return _not_compared(common, missing.reason)


def _not_compared(common: dict[str, Any], why: str) -> Result:
    return Result(
        status=Unrated.NOT_COMPARED.value,
        unrated=Unrated.NOT_COMPARED,
        reason=f"not compared: {why}",
        **common,
    )
