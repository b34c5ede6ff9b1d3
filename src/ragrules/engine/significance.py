"""Significance against a benchmark: is the area's confidence interval wholly better or worse
than the benchmark's value, or does it include it (Fingertips' comparison at one level)?

The benchmark is a named area's row for the same indicator, breakdown and period (England's;
the row's region), or a column of the row itself. Every comparison is exact: the limits and
the benchmark are the decimals published, compared as they are.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ragrules.engine._placing import Series
from ragrules.engine.benchmarks import BenchmarkValues
from ragrules.engine.result import Interval, Result
from ragrules.model.comparisons import Significance
from ragrules.model.numbers import format_decimal
from ragrules.model.observations import Observation, read_value
from ragrules.model.periods import Period
from ragrules.model.rules import (
    Indicator,
    Polarity,
    Target,
    Unrated,
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
    benchmark, missing = benchmarks.value(test.benchmark, indicator, observation, series, period)
    if benchmark is None:
        return _not_compared(common, missing)
    common.update(target=Target.point(benchmark), target_source=f"benchmark {test.benchmark}")
    tokens = benchmarks.ruleset.tokens
    lower, upper = (
        read_value(observation.column(name), indicator.unit, tokens).number
        for name in (test.lower, test.upper)
    )
    if lower is None or upper is None or lower > upper:
        return _not_compared(common, f"no {test.level}% confidence interval in the data")
    interval = Interval(level=test.level, lower=lower, upper=upper)
    status, how = decide(test, indicator.polarity, benchmark, interval)
    return Result(
        status=status,
        interval=interval,
        reason=f"{status}: the interval {interval} {how}",
        **common,
    )


def decide(
    test: Significance, polarity: Polarity, benchmark: Decimal, interval: Interval
) -> tuple[str, str]:
    """The status, and how the interval lies against the benchmark, in words."""
    best, similar, worst = test.labels(judged=polarity is not Polarity.NEUTRAL)
    shown = f"{test.benchmark}'s {format_decimal(benchmark)}"
    if interval.lower <= benchmark <= interval.upper:
        return similar, f"includes {shown}"
    above = interval.lower > benchmark
    how = f"lies {'above' if above else 'below'} {shown}"
    if polarity is Polarity.NEUTRAL:
        return (best if above else worst), how
    better = above == (polarity is Polarity.HIGHER)
    return (best if better else worst), how


def _not_compared(common: dict[str, Any], why: str) -> Result:
    return Result(
        status=Unrated.NOT_COMPARED.value,
        unrated=Unrated.NOT_COMPARED,
        reason=f"not compared: {why}",
        **common,
    )
