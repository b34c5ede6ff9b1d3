"""Direction of travel for one series: the movement against each comparison, read from the
series' own earlier rows (or a benchmark: a `[benchmarks]` entry, or a column of the row),
with the earlier judgements that exception rules over several periods need."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs

from ragrules.engine import travel, trend
from ragrules.engine._placing import LOOKBACK_ROWS, KnownRows, Placed, Series
from ragrules.engine._rates import reading_of, value_text
from ragrules.engine._reasons import no_earlier_value
from ragrules.engine._targets import rounded, target_for
from ragrules.engine.benchmarks import BenchmarkValues
from ragrules.engine.travel import Movement
from ragrules.model.comparisons import Benchmark
from ragrules.model.numbers import EXACT, format_decimal
from ragrules.model.observations import Observation, read_value
from ragrules.model.periods import (
    Calendar,
    Period,
    month_number,
    months_covered,
    previous_year,
    starts_year,
)
from ragrules.model.rules import (
    Against,
    Comparison,
    Direction,
    Indicator,
    Judgement,
    Polarity,
    RulesetData,
    Target,
    Tokens,
    Unrated,
)
from ragrules.model.units import with_unit


def movement_with_history(
    ruleset: RulesetData,
    comparison: Comparison,
    indicator: Indicator,
    observation: Observation,
    value: Decimal,
    target: Target | None,
    current: Period | None,
    placed: Placed,
    series: Series,
    benchmarks: BenchmarkValues | None = None,
) -> Movement:
    """This period's movement, with the earlier judgements the exception rules need;
    `benchmarks` gives a `[benchmarks]` entry's value (else a benchmark is a column), and
    finds a report's earlier rows by their months too (`2020 Q3` for `2020/21 Q2`)."""
    if benchmarks is not None:
        placed = benchmarks.rows
    move = _movement(
        ruleset,
        comparison,
        indicator,
        observation,
        value,
        target,
        current,
        placed,
        series,
        benchmarks,
    )
    lookback = ruleset.exceptions.lookback
    if lookback == 1 or not move.comparable or current is None:
        return move
    earlier: list[Judgement | None] = []
    for steps in range(1, lookback):
        period = current.shifted(-steps)
        row = placed.get((series, period))
        tokens = ruleset.tokens.at(period)
        # Judged as that period's own report judged it: with the settings then in force.
        version = indicator.at(period)
        reading = reading_of(version, row, tokens) if row and not row.caveat else None
        if row is None or reading is None or reading.number is None:
            break
        then = _target_then(ruleset, indicator, row, period, series, benchmarks)
        past = _movement(
            ruleset,
            comparison,
            version,
            row,
            rounded(version, reading.number),
            then,
            period,
            placed,
            series,
            benchmarks,
        )
        earlier.append(past.judgement)
        if not past.comparable:
            break
    return attrs.evolve(move, earlier_judgements=tuple(earlier))


def _movement(
    ruleset: RulesetData,
    comparison: Comparison,
    indicator: Indicator,
    observation: Observation,
    value: Decimal,
    target: Target | None,
    period: Period | None,
    placed: Placed,
    series: Series,
    benchmarks: BenchmarkValues | None = None,
) -> Movement:
    """The movement of `value` (the series' value for `period`) for one comparison."""
    settings = ruleset.travel.at(period)  # the arrows in force for the period
    if comparison.against is Against.RECENT_TREND:
        return _recent_trend(
            ruleset, comparison, indicator, observation, value, period, placed, series
        )
    if comparison.against is Against.PREVIOUS_AVERAGE:
        return _previous_average(
            ruleset, comparison, indicator, value, target, period, placed, series
        )
    if comparison.against is Against.BENCHMARK:
        assert comparison.benchmark is not None
        earlier_period = None
        named = ruleset.benchmark(comparison.benchmark)
        if named is not None and benchmarks is not None:
            return _against_named(
                ruleset,
                comparison,
                named,
                indicator,
                observation,
                value,
                target,
                period,
                series,
                benchmarks,
            )
        text = observation.column(comparison.benchmark)
        if not text:
            return travel.not_comparable(
                comparison, settings, f"the data has no {comparison.benchmark} value"
            )
        reading = read_value(text, indicator.unit, ruleset.tokens.at(period))
    else:
        if period is None:
            return travel.not_comparable(comparison, settings, "the report has no period")
        earlier_period = (
            period.previous()
            if comparison.against is Against.PREVIOUS_PERIOD
            else previous_year(period, ruleset.calendar)
            if comparison.against is Against.PREVIOUS_OUTTURN
            else period.same_period_last_year()
        )
        if comparison.against is Against.PREVIOUS_PERIOD and starts_year(period, ruleset.calendar):
            return travel.not_comparable(
                comparison, settings, restarts_reason(period), earlier_period
            )
        broken = break_between(indicator, earlier_period, period, ruleset.calendar)
        if broken is not None:
            return travel.not_comparable(
                comparison,
                settings,
                f"{_breaks_at(broken)}: {earlier_period} is from before the break",
                earlier_period,
            )
        earlier = placed.get((series, earlier_period))
        if earlier is None:
            # A stream holds only the rows read before this one, and not all of them.
            kept = f" among the last {LOOKBACK_ROWS:,} values read before this one"
            return travel.not_comparable(
                comparison,
                settings,
                f"no row for {earlier_period}{kept if isinstance(placed, KnownRows) else ''}",
                earlier_period,
            )
        if earlier.caveat:
            return travel.not_comparable(
                comparison, settings, f"the {earlier_period} value is caveated", earlier_period
            )
        if comparison.same_target:
            changed = _target_changed(
                ruleset, indicator, earlier, earlier_period, target, series, benchmarks
            )
            if changed:
                return travel.not_comparable(comparison, settings, changed, earlier_period)
        text = value_text(indicator, earlier)
        reading = reading_of(indicator, earlier, ruleset.tokens.at(earlier_period))
    if reading.number is None:
        # The text is kept: an unreadable earlier value is a notice, as a current one is.
        return travel.not_comparable(
            comparison,
            settings,
            no_earlier_value(reading, earlier_period),
            earlier_period,
            earlier_text=text if reading.unrated is Unrated.INVALID else "",
        )
    return travel.compare(
        comparison,
        settings,
        indicator.polarity,
        value,
        rounded(indicator, reading.number),
        indicator.unchanged_within,
        target,
        period=earlier_period,
        earlier_text=text,
    )


def _against_named(
    ruleset: RulesetData,
    comparison: Comparison,
    named: Benchmark,
    indicator: Indicator,
    observation: Observation,
    value: Decimal,
    target: Target | None,
    period: Period | None,
    series: Series,
    benchmarks: BenchmarkValues,
) -> Movement:
    """`value` against the `[benchmarks]` entry `named`: England's row for the same
    indicator, breakdown and period, or a group's statistic, read as a target from it is read
    (and rounded as the indicator rounds). The benchmark's own row is not compared with
    itself."""
    settings = ruleset.travel.at(period)
    area = BenchmarkValues.area_of(named, observation)
    if named.statistic is None and area and observation.area == area:
        return travel.not_comparable(comparison, settings, f"this is the {named.name} row")
    number, why = benchmarks.value(named.name, indicator, observation, series, period)
    if number is None:
        return travel.not_comparable(comparison, settings, why)
    earlier = rounded(indicator, number)  # a rate's quotient as the indicator shows it
    return travel.compare(
        comparison,
        settings,
        indicator.polarity,
        value,
        earlier,
        indicator.unchanged_within,
        target,
        earlier_text=format_decimal(earlier),
    )


def _target_changed(
    ruleset: RulesetData,
    indicator: Indicator,
    earlier: Observation,
    when: Period,
    current: Target | None,
    series: Series,
    benchmarks: BenchmarkValues | None,
) -> str:
    """Why a `same-target` comparison is not made: the target the earlier row was rated
    against (in force for its period, or its own) is not the current one; '' when it is."""
    then = _target_then(ruleset, indicator, earlier, when, series, benchmarks)
    if then == current:
        return ""
    unit = indicator.unit
    was = "no target" if then is None else with_unit(str(then), unit)
    now = "no target" if current is None else with_unit(str(current), unit)
    return f"the target changed from {was} in {when} to {now}: the periods are not comparable"


def _target_then(
    ruleset: RulesetData,
    indicator: Indicator,
    row: Observation,
    when: Period,
    series: Series,
    benchmarks: BenchmarkValues | None,
) -> Target | None:
    """The target an earlier row was rated against in its own period, as its own report
    rated it: its own target, the ruleset's then, or a benchmark's value then (none for the
    benchmark's own row, which is not compared with itself)."""
    version = indicator.at(when)
    tokens = ruleset.tokens.at(when)
    if benchmarks is None:
        return target_for(version, row, when, tokens)[0]
    return benchmarks.target(version, row, series, when, tokens)[0]


def break_between(
    indicator: Indicator, earlier: Period, current: Period, calendar: Calendar
) -> Period | None:
    """The indicator's series break that the months of `earlier` to `current` reach across
    (some of them before it, some from it on: a changed definition), or None. A year-to-date
    or rolling value covers the months before the one it stands at too."""
    first, _ = months_covered(earlier, calendar)
    _, last = months_covered(current, calendar)
    for broken in indicator.series_breaks:
        if first < month_number(broken.first) <= last:
            return broken
    return None


def _breaks_at(broken: Period) -> str:
    """`the series breaks at 2021/22 Q1`, the period written as reports write every period
    (an academic year with its `AY`, a financial one bare), as the rest of the sentence is."""
    return f"the series breaks at {broken}"


def restarts_reason(period: Period) -> str:
    """Why a year-to-date period that starts its year has no previous period to compare."""
    return (
        f"a year-to-date value starts again each year: {period} has no previous period in its year"
    )


def _previous_average(
    ruleset: RulesetData,
    comparison: Comparison,
    indicator: Indicator,
    value: Decimal,
    target: Target | None,
    period: Period | None,
    placed: Placed,
    series: Series,
) -> Movement:
    """`value` against the mean of the series' `points` periods before `period`, each of
    them read as the series reads its own rows (Pentana's "average of the previous N").

    The mean is a quotient, computed in the library's context (240 significant digits): a
    published value has at most 60, so it equals the mean only when the mean is exact, and
    otherwise every comparison with it is what exact fractions give (as for a benchmark's)."""
    settings = ruleset.travel.at(period)
    if period is None:
        return travel.not_comparable(comparison, settings, "the report has no period")
    earliest = period.shifted(-comparison.points)
    # Q2 YTD's two periods before are Q1 YTD and last year's Q4 YTD: a year-to-date value
    # starts again each year, so their mean mixes a year's total with a quarter's.
    across = _across(
        ruleset,
        comparison,
        indicator,
        period,
        comparison.points,
        f"the {comparison.points} periods before {period}",
    )
    if across is not None:
        return across
    total = Decimal(0)
    for back in range(comparison.points, 0, -1):
        when = period.shifted(-back)
        row = placed.get((series, when))
        number = _number(indicator, row, ruleset.tokens.at(when))
        if number is None:
            why = "no row" if row is None else "no comparable value"
            return travel.not_comparable(
                comparison,
                settings,
                f"{why} for {when}: the average of the {comparison.points} periods before "
                "needs each of them",
                earliest,
            )
        total = EXACT.add(total, number)
    mean = EXACT.divide(total, Decimal(comparison.points))
    return travel.compare(
        comparison,
        settings,
        indicator.polarity,
        value,
        mean,
        indicator.unchanged_within,
        target,
        period=earliest,
        earlier_text=format_decimal(mean),
    )


def _recent_trend(
    ruleset: RulesetData,
    comparison: Comparison,
    indicator: Indicator,
    observation: Observation,
    value: Decimal,
    period: Period | None,
    placed: Placed,
    series: Series,
) -> Movement:
    """The trend of the series' last `points` values, this period's the last of them."""
    settings = ruleset.travel.at(period)  # the arrows in force for the period
    if period is None:
        return travel.not_comparable(comparison, settings, "the report has no period")
    earliest = period.shifted(-(comparison.points - 1))
    # Last year's Q4 YTD then this year's Q1 YTD is a year's total then a quarter's: the fall
    # is the year starting again, not a trend.
    across = _across(
        ruleset,
        comparison,
        indicator,
        period,
        comparison.points - 1,
        f"the last {comparison.points} values up to {period}",
    )
    if across is not None:
        return across
    points: list[trend.Point] = []
    for back in range(comparison.points - 1, -1, -1):
        when = period.shifted(-back)
        row = observation if back == 0 else placed.get((series, when))
        tokens = ruleset.tokens.at(when)
        number = value if back == 0 else _number(indicator, row, tokens)
        if row is None or number is None:
            return travel.not_comparable(
                comparison,
                settings,
                f"cannot be calculated: no value for {when} ({comparison.points} points needed)",
                earliest,
            )
        points.append(_point(row, number, tokens))
    moved, reason = trend.trend(points, comparison.test)
    if moved is Direction.NOT_COMPARABLE:
        return travel.not_comparable(comparison, settings, reason, earliest)
    judgement = None
    if indicator.polarity in (Polarity.HIGHER, Polarity.LOWER):
        better = Direction.UP if indicator.polarity is Polarity.HIGHER else Direction.DOWN
        judgement = (
            Judgement.UNCHANGED
            if moved is Direction.UNCHANGED
            else Judgement.IMPROVING
            if moved is better
            else Judgement.WORSENING
        )
    return Movement(
        comparison=comparison,
        direction=moved,
        judgement=judgement,
        period=earliest,
        reason=reason,
        arrow=travel.arrow(settings, moved, judgement),
    )


def _across(
    ruleset: RulesetData,
    comparison: Comparison,
    indicator: Indicator,
    period: Period,
    back: int,
    span: str,
) -> Movement | None:
    """Not comparable when the `back` periods before `period` that an average or a trend
    reads (`span`, in words) reach into the year before a year-to-date period, or back
    across a series break; None when they do not."""
    settings = ruleset.travel.at(period)
    earliest = period.shifted(-back)
    if any(starts_year(period.shifted(-step), ruleset.calendar) for step in range(back)):
        why = f"a year-to-date value starts again each year: {span} reach into the year before"
        return travel.not_comparable(comparison, settings, why, earliest)
    broken = break_between(indicator, earliest, period, ruleset.calendar)
    if broken is not None:
        why = f"{_breaks_at(broken)}: {span} reach back before the break"
        return travel.not_comparable(comparison, settings, why, earliest)
    return None


def _number(indicator: Indicator, row: Observation | None, tokens: Tokens) -> Decimal | None:
    if row is None or row.caveat:
        return None
    number = reading_of(indicator, row, tokens).number
    return None if number is None else rounded(indicator, number)


def _point(row: Observation, value: Decimal, tokens: Tokens) -> trend.Point:
    def read(column: str) -> Fraction | None:
        number = read_value(row.column(column), "number", tokens).number
        return None if number is None else Fraction(number)

    return trend.Point(
        value=Fraction(value),
        count=read("count"),
        denominator=read("denominator"),
        lower=read("lower ci 95.0 limit"),
        upper=read("upper ci 95.0 limit"),
    )
