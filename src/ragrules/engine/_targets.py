"""The target a row is rated against (the ruleset's in force, the row's own, or a benchmark
column), and a value rounded as its indicator says."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal

from ragrules.model.numbers import EXACT, format_decimal, round_value
from ragrules.model.observations import Observation, is_no_data, read_value
from ragrules.model.periods import Period, PeriodKind, months_in_year, text_in
from ragrules.model.rules import (
    BenchmarkTarget,
    Indicator,
    Polarity,
    ProfiledTarget,
    Target,
    Tokens,
)


def rounded(indicator: Indicator, number: Decimal) -> Decimal:
    if indicator.rounding is None:
        return number
    return round_value(number, indicator.rounding.places, indicator.rounding.mode)


# A benchmark's value for the row being rated, or None and why there is none.
BenchmarkLookup = Callable[[str], tuple[Decimal | None, str]]


def target_for(
    indicator: Indicator,
    observation: Observation,
    period: Period | None,
    tokens: Tokens,
    benchmark: BenchmarkLookup | None = None,
) -> tuple[Target | None, str, str]:
    """(target, where it came from, problem) for one observation. A benchmark target is
    looked up with `benchmark` ([benchmarks] and the row's columns), else in the row."""
    if observation.target and not is_no_data(observation.target, tokens):
        if indicator.polarity is Polarity.IN_RANGE:
            return None, "data", "a target range cannot be given in the data; set it in the ruleset"
        reading = read_value(observation.target, indicator.unit, tokens)
        if reading.number is None:
            return None, "data", f"target in the data: {reading.reason}"
        return Target.point(reading.number), "data", ""
    if indicator.target is None:
        return None, "", "no target: the ruleset sets none for this indicator"
    if period is None and indicator.target.is_dated:
        return None, "", "no target: the target depends on the period, and none was given"
    target = indicator.target.in_force(period)
    if target is None:
        carried = indicator.target.started(period)
        if carried is not None and carried.start is not None:
            return (
                None,
                "",
                f"no target: the target from {carried.start} does not carry into {period}'s "
                "year; state one for it",
            )
        return None, "", f"no target: none is in force for {period}"
    if isinstance(target, ProfiledTarget):
        value, problem = profiled(target, period)
        if value is None:
            return None, "", f"no target: {problem}"
        return Target.point(value), "ruleset", ""
    if isinstance(target, BenchmarkTarget):
        if benchmark is not None:
            value, why = benchmark(target.benchmark)
            source = f"benchmark {target.benchmark}"
            if value is None:
                return None, "", f"no target: {why}"
            return Target.point(value), source, ""
        return _benchmark_target(indicator, observation, target.benchmark, tokens)
    return target, "ruleset", ""


def _benchmark_target(
    indicator: Indicator, observation: Observation, benchmark: str, tokens: Tokens
) -> tuple[Target | None, str, str]:
    source = f"benchmark {benchmark}"
    text = observation.column(benchmark)
    if not text or is_no_data(text, tokens):
        return None, "", f"no target: the data has no {benchmark} value to set it"
    reading = read_value(text, indicator.unit, tokens)
    if reading.number is None:
        return None, "data", f"target from the {benchmark} column: {reading.reason}"
    return Target.point(reading.number), source, ""


def profiled(target: ProfiledTarget, period: Period | None) -> tuple[Decimal | None, str]:
    """A profiled annual target's value for `period`, exactly, or None and why not.

    A period's share is that of the months it covers, counted in the target's year: a
    quarter that is not one of that year's own (a financial quarter under an academic
    calendar) takes its three months' shares, not those of the quarter in its place; a
    year-to-date one those of its own year's months up to its end."""
    if period is None:
        return None, "a profiled target needs the period"
    if period.kind is PeriodKind.YEAR or period.rolling:
        return target.annual, ""
    months = months_in_year(period, target.calendar)
    if months is None:
        covered = "'s months so far fall" if period.ytd else " falls"
        return None, (
            f"{text_in(period, target.calendar)}{covered} in two of the profile's years "
            f"({target.calendar.value})"
        )
    shares = target.shares
    if len(shares) == 4:
        if period.kind is PeriodKind.MONTH:
            return None, "the profile gives quarters; state a profile of 12 months for months"
        if months.start % 3 or months.stop % 3:
            return None, (
                f"the profile gives the quarters of the {target.calendar.value} year, and "
                f"{period} covers part of one; state a profile of 12 months"
            )
        return EXACT.multiply(
            target.annual, sum(shares[months.start // 3 : months.stop // 3], Decimal(0))
        ), ""
    if shares:
        return EXACT.multiply(
            target.annual, sum(shares[months.start : months.stop], Decimal(0))
        ), ""
    count = 12 if period.kind is PeriodKind.MONTH else 4
    context = EXACT.copy()  # its own flags: did the division round?
    context.clear_flags()
    value = context.divide(context.multiply(target.annual, Decimal(len(months))), Decimal(12))
    if context.flags[decimal.Inexact]:
        return None, (
            f"{format_decimal(target.annual)} does not divide exactly into {count} equal "
            "parts; give the profile's shares"
        )
    return value, ""
