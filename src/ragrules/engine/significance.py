"""Significance against a benchmark: is the area's confidence interval wholly better or worse
than the benchmark's value, or does it include it (Fingertips' comparison at one level)?

The benchmark is a named area's row for the same indicator, breakdown and period (England's;
the row's region), or a column of the row itself. Every comparison is exact: the limits and
the benchmark are the decimals published, compared as they are.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ragrules.engine._placing import Placed, Series
from ragrules.engine.result import Interval, Result
from ragrules.model.comparisons import Significance
from ragrules.model.numbers import format_decimal
from ragrules.model.observations import Observation, read_value
from ragrules.model.periods import Period
from ragrules.model.rules import (
    Indicator,
    Polarity,
    RulesetData,
    Target,
    Unrated,
)


def rate(
    common: dict[str, Any],
    indicator: Indicator,
    observation: Observation,
    ruleset: RulesetData,
    placed: Placed,
    series: Series,
    period: Period | None,
) -> Result:
    """Better, similar or worse (higher or lower, unjudged): the interval against the benchmark."""
    test = indicator.scale.significance
    assert test is not None
    named = ruleset.benchmark(test.benchmark)
    if named is not None:
        area = observation.column(named.area_column) if named.area_column else named.area
        if observation.area == area:
            return _not_compared(common, f"this is the {named.name} row")
        row = placed.get(((series[0], area, series[2]), period)) if area else None
        text = "" if row is None or row.caveat else row.value
        missing = f"no {named.name} row ({area or 'no area named'}) for {period}"
    else:
        text, missing = (
            observation.column(test.benchmark),
            f"the data has no {test.benchmark} value",
        )
    benchmark = read_value(text, indicator.unit, ruleset.tokens).number if text else None
    if benchmark is None:
        return _not_compared(common, missing)
    common.update(target=Target.point(benchmark), target_source=f"benchmark {test.benchmark}")
    lower, upper = (
        read_value(observation.column(name), indicator.unit, ruleset.tokens).number
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
