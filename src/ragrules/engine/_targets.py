"""The target a row is rated against (the ruleset's in force, the row's own, or a benchmark
column), and a value rounded as its indicator says."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ragrules.model.numbers import round_value
from ragrules.model.observations import Observation, is_no_data, read_value
from ragrules.model.periods import Period
from ragrules.model.rules import BenchmarkTarget, Indicator, Polarity, Target, Tokens


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
        return None, "", f"no target: none is in force for {period}"
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
