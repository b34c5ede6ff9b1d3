"""The value of a benchmark for one row: a column of the row, another area's row for the same
indicator, breakdown and period, or a statistic of a group's values (mean, median, weighted
mean). A row's value is read as the indicator reads its own (a rate from the row's numerator
and denominator), so England's row is the benchmark of a rate as of a published value.

A mean is a quotient, so it is computed in the library's decimal context (240 significant
digits, rounded half-even). A published value has at most 60 digits, so it can only be equal
to the mean when the mean is exact; otherwise the rounding is far smaller than any gap between
the two, and a comparison gives what exact fractions would give.
"""

from __future__ import annotations

from decimal import Decimal

from ragrules.engine._placing import (
    LOOKBACK_ROWS,
    ByMonths,
    KnownRows,
    Placed,
    Series,
    as_observation,
)
from ragrules.engine._rates import reading_of
from ragrules.engine._targets import target_for
from ragrules.engine.quantiles import GroupValues, in_group, numbers
from ragrules.model.comparisons import Benchmark, Statistic
from ragrules.model.numbers import EXACT, format_decimal
from ragrules.model.observations import Observation, is_no_data, read_value
from ragrules.model.periods import Period
from ragrules.model.rules import (
    BenchmarkTarget,
    Indicator,
    RulesetData,
    Target,
    Tokens,
    Unrated,
)

# Why a stream finds no benchmark row: it compares a row only with the rows read before it
# (its recent history), so a benchmark row later in the file is not seen, and one read too
# far back is no longer kept.
_NOT_YET = (
    "among the rows read before this one: a stream compares with benchmark rows read "
    "earlier; put them first"
)
_TOO_FAR = (
    f"among the last {LOOKBACK_ROWS:,} values: it was read more than {LOOKBACK_ROWS:,} values "
    "before this one, and a stream keeps no more; sort the file by indicator, breakdown and "
    "period, with the benchmark areas first in each"
)
_NO_PERIOD = (
    "for this row: it has no period, so a stream cannot tell which period's row to compare it "
    "with; give it one (--period)"
)


def _for(period: Period | None) -> str:
    """` for 2017`, or nothing for no period (never `None`)."""
    return "" if period is None else f" for {period}"


class BenchmarkValues:
    """Benchmark values for the rows of one batch."""

    def __init__(self, ruleset: RulesetData, placed: Placed, groups: GroupValues | None) -> None:
        self.ruleset = ruleset
        self.placed = placed
        self.groups = groups
        # The rows as travel and benchmarks find them: a report's by their months too (`2020
        # Q3` is the months of `2020/21 Q2`), a stream's by their periods as written.
        self.rows: Placed = placed if isinstance(placed, KnownRows) else ByMonths(placed)

    def value(
        self,
        name: str,
        indicator: Indicator,
        observation: Observation,
        series: Series,
        period: Period | None,
    ) -> tuple[Decimal | None, str]:
        """The benchmark's value, or None and why there is none."""
        named = self.ruleset.benchmark(name)
        if named is None:
            text = observation.column(name)
            reading = (
                read_value(text, indicator.unit, self.ruleset.tokens.at(period)) if text else None
            )
            number = None if reading is None else reading.number
            return number, "" if number is not None else f"the data has no {name} value"
        if named.statistic is not None:
            return self._statistic(named, indicator, observation.area, series, period)
        area = self.area_of(named, observation)
        row = self._found(area, series, period)
        if row is None:
            missing = f"no {named.name} row ({area or 'no area named'})"
            if area and isinstance(self.placed, KnownRows):
                # A stream holds only the rows read before this one: the row may come later,
                # or have been read too far back to be kept.
                if period is None:
                    return None, f"{missing} {_NO_PERIOD}"
                key = ((series[0], area, series[2]), period)
                why = _TOO_FAR if key in self.placed.recent.dropped else _NOT_YET
                return None, f"{missing} for {period} {why}"
            return None, missing + _for(period)
        own = f"the {named.name} row ({area}){_for(period)}"
        if row.caveat:
            return None, f"{own} has a caveat, so it is no benchmark"
        # Read as the row's own value is read: a rate from its numerator and denominator.
        reading = reading_of(indicator, row, self.ruleset.tokens.at(period))
        if reading.number is None:
            return None, f"{own} has no value ({reading.reason})"
        return reading.number, ""

    def target(
        self,
        indicator: Indicator,
        observation: Observation,
        series: Series,
        period: Period | None,
        tokens: Tokens,
    ) -> tuple[Target | None, str, str, str]:
        """The row's target, where it came from and the problem (as `target_for` gives
        them), and the benchmark whose own row this is when its row is the target ('' for
        any other row): that row has no target, and is not compared with itself."""
        itself = self.own_target(indicator, observation, period, tokens)
        if itself:
            return None, "", "", itself
        target, source, problem = target_for(
            indicator,
            observation,
            period,
            tokens,
            lambda name: self.value(name, indicator, observation, series, period),
        )
        return target, source, problem, ""

    def own_target(
        self, indicator: Indicator, observation: Observation, period: Period | None, tokens: Tokens
    ) -> str | None:
        """The benchmark whose own row this is, when the target in force is that benchmark's
        row: such a row is not compared with itself, as on a significance scale."""
        target = indicator.target
        if target is None or (period is None and target.is_dated):
            return None
        if observation.target and not is_no_data(observation.target, tokens):
            return None  # the row's own target is the one it is rated against
        found = target.in_force(period)
        if not isinstance(found, BenchmarkTarget):
            return None
        named = self.ruleset.benchmark(found.benchmark)
        if named is None or named.statistic is not None:
            return None
        area = self.area_of(named, observation)
        return found.benchmark if area and observation.area == area else None

    def row(
        self, name: str, observation: Observation, series: Series, period: Period | None
    ) -> Observation | None:
        """The benchmark's own row (an area benchmark's), or None."""
        named = self.ruleset.benchmark(name)
        if named is None or named.statistic is not None:
            return None
        row = self._found(self.area_of(named, observation), series, period)
        return None if row is None or row.caveat else row

    def _found(self, area: str, series: Series, period: Period | None) -> Observation | None:
        """The area's row for the series' indicator and breakdown in `period` (or, in a
        report, its months written another way), or None."""
        if not area:
            return None
        key = ((series[0], area, series[2]), period)
        found = self.rows.get(key)
        if found is None and isinstance(self.placed, KnownRows):  # a stream: kept further back?
            pinned = self.placed.recent.pinned.get(key)
            found = None if pinned is None else as_observation(key, pinned)
        return found

    @staticmethod
    def area_of(benchmark: Benchmark, observation: Observation) -> str:
        """The area whose row is the benchmark for this row ('' for a statistic)."""
        if benchmark.area_column:
            return observation.column(benchmark.area_column)
        return benchmark.area

    def _statistic(
        self,
        benchmark: Benchmark,
        indicator: Indicator,
        area: str,
        series: Series,
        period: Period | None,
    ) -> tuple[Decimal | None, str]:
        assert benchmark.statistic is not None
        if self.groups is None:
            return None, f"the {benchmark.name} benchmark needs every area: rate the whole file"
        group = self.ruleset.group(benchmark.group) if benchmark.group else None
        key = (series[0], series[2], period)
        if benchmark.statistic is Statistic.WEIGHTED_MEAN:
            return self._weighted_mean(benchmark, indicator, key, area)
        # Over neighbours, the neighbours' own statistic, without the area itself.
        values = self.groups.values(indicator, group, key, area, with_self=False)
        if not values:
            return None, f"no values in {benchmark.group or 'any area'}{_for(period)}"
        if benchmark.statistic is Statistic.MEAN:
            return EXACT.divide(sum(values, Decimal(0)), Decimal(len(values))), ""
        middle, odd = divmod(len(values), 2)
        if odd:
            return values[middle], ""
        return EXACT.divide(values[middle - 1] + values[middle], Decimal(2)), ""

    def _weighted_mean(
        self,
        benchmark: Benchmark,
        indicator: Indicator,
        key: tuple[str, tuple[str, ...], Period | None],
        area: str,
    ) -> tuple[Decimal | None, str]:
        assert self.groups is not None
        group = self.ruleset.group(benchmark.group) if benchmark.group else None
        rows = [
            row
            for row in self.groups.rows(key)
            if in_group(row, group, area, key[2], with_self=False)
        ]
        total = weight = Decimal(0)
        tokens = self.ruleset.tokens.at(key[2])
        for row, value in zip(rows, numbers(indicator, rows, tokens, keep_all=True), strict=True):
            if value is None:
                continue  # a value not rated is no one's comparator, whatever its weight
            w, why = _weight(row, benchmark.weights, tokens)
            if why:  # a mean without one member's weight is not the mean asked for
                return None, f"the {benchmark.weights} weight of {row.area or 'a row'} {why}"
            if w is not None:  # else none published (blank, suppressed): no part of the mean
                total += value * w
                weight += w
        if not weight:
            return None, f"no weighted values in {benchmark.group or 'any area'}{_for(key[2])}"
        return EXACT.divide(total, weight), ""


def _weight(row: Observation, column: str, tokens: Tokens) -> tuple[Decimal | None, str]:
    """A member's weight, or None when it publishes none; what is wrong with one that cannot
    be read or is below zero."""
    text = row.column(column)
    reading = read_value(text, "number", tokens)
    if reading.number is None:
        return None, f"cannot be read ({text!r})" if reading.unrated is Unrated.INVALID else ""
    if reading.number < 0:
        return None, f"is below zero ({format_decimal(reading.number)})"
    return reading.number, ""
