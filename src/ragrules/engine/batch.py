"""Rating a batch: every observation in, one result per indicator out, nothing lost.

Each row is placed first: rows for the report's period are rated; rows for other periods are
history, used as the earlier values of direction-of-travel comparisons; rows that cannot be
placed (unknown indicator, unreadable period, duplicate) are rejected with the row number and
the reason. Indicators with no row get `no-data`.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ragrules.engine import quantiles, rating, significance, travel
from ragrules.engine._history import movement_with_history
from ragrules.engine._placing import (
    Key,
    KnownRows,
    Placed,
    Recent,
    Series,
    UnknownIds,
    benchmark_areas,
    coerce,
    duplicate,
    given_before,
    line_current,
    once_per_line,
    reject,
    remember,
    report_period,
    series_of,
    split_current,
    title_key,
    titles,
    with_area,
)
from ragrules.engine._rates import marks_of, reading_of, value_text
from ragrules.engine._reasons import why
from ragrules.engine._targets import rounded
from ragrules.engine.benchmarks import BenchmarkValues
from ragrules.engine.judgement import forecast_of, override_of
from ragrules.engine.notices import batch_notices
from ragrules.engine.rating import CannotRate, Cut, RuleInputs
from ragrules.engine.report import Report
from ragrules.engine.result import Rejection, Result
from ragrules.engine.travel import Movement
from ragrules.model.arguments import check_rows
from ragrules.model.numbers import in_exact_context
from ragrules.model.observations import Observation
from ragrules.model.periods import Period, PeriodError, parse_period
from ragrules.model.rules import (
    Indicator,
    Margin,
    Polarity,
    RulesetData,
    Target,
    Unrated,
)

# Compiled rules kept at once (one per indicator, target and margins): a least-recently-used
# cache of at least this many, and four per indicator for a larger ruleset, so a ruleset of
# many indicators never recompiles on every row.
_MAX_COMPILED = 4096
# The rule a value is rated by: the indicator (by identity), and the target and margins in force.
_RuleKey = tuple[int, Target | None, Margin | None, Margin | None]


@in_exact_context
def rate(
    ruleset: RulesetData,
    observations: Iterable[object],
    *,
    period: str | Period | None = None,
) -> Report:
    """Rate observations for one period (default: the latest period in the data)."""
    check_rows(observations)
    batch = _Batch(ruleset)
    rejected: list[Rejection] = []
    given = None if period is None else str(period)
    coerced = (
        observation
        for position, item in enumerate(observations, start=1)
        for observation in coerce(item, position, rejected, given)
    )
    placed = batch.place(coerced, rejected)
    chosen = report_period(period, ruleset, placed)
    periods = [when for (_, when) in placed if when is not None]  # as the data gives them
    current, history = split_current(placed, chosen, rejected)  # its duplicates taken out
    batch.groups = quantiles.GroupValues(ruleset, placed)
    rejected = once_per_line(rejected)
    earlier_rows = tuple(
        observation
        for (_, when), observation in placed.items()
        if when is not None and chosen is not None and when.start < chosen.start
    )
    results = []
    # Every indicator for every area and breakdown in the data, so that a missing row is
    # `no-data`, never a silent gap; data without areas has one, with each breakdown blank.
    blank = ("", ("",) * len(batch.breakdowns))
    partitions = sorted({(area, breakdown) for (_, area, breakdown), _ in placed}) or [blank]
    for area, breakdown in partitions:
        for indicator in ruleset.indicators:
            series = (indicator.id, area, breakdown)
            observation, when = current.get(series, (None, chosen))
            results.append(batch.result(indicator, observation, when, placed, series))
    return Report(
        ruleset=ruleset,
        period=chosen,
        results=tuple(results),
        history=tuple(sorted(history)),
        earlier_rows=earlier_rows,
        digested=tuple(placed.values()),
        data_digest=None,  # digested on first use
        rejected=tuple(sorted(rejected, key=lambda r: r.row or 0)),
        notices=batch_notices(
            placed=len(placed),
            rejected=rejected,
            results=results,
            period=chosen,
            period_given=period is not None,
            periods=periods,
        ),
    )


def iter_rate(
    ruleset: RulesetData,
    observations: Iterable[object],
    *,
    period: str | Period | None = None,
) -> Iterator[Result | Rejection]:
    """Rate a stream of rows one input line at a time, in constant memory.

    Each line is a report of its own: its rows (the current value, and the earlier values a
    wide row carries) are placed as `rate` places them; the line's row for `period` is rated
    if it has one, else its latest, and the others are its earlier values. Rows without a
    period take `period`. The `LOOKBACK_ROWS` lines before it are its history too: a row's
    travel reads the earlier rows of its series (indicator, area, breakdown) among them, so a
    file in which a series' rows come close together (sorted by area or by series) gets
    every row's travel. A line whose row is for an area's series and period that an earlier
    line's row (not an earlier column) gave, among those values, is rejected as a duplicate,
    as a report rejects it: the first stays the history and the benchmark. Every line yields its
    results and its rejections, in input order, so nothing is lost; nothing else is kept
    between lines but bounded caches, so memory stays flat whatever the file's length.
    Rows that are not rows (a DataFrame, a string) are a TypeError at the call, not at the
    first item.
    """
    check_rows(observations)
    return _iter_rate(_Batch(ruleset), observations, report_period(period, ruleset, {}))


def _iter_rate(
    batch: _Batch, observations: Iterable[object], default: Period | None
) -> Iterator[Result | Rejection]:
    # Each line is rated in the library's decimal context, entered and left around the
    # line: a generator must not leave its context set in the caller's code between items.
    rate_line = in_exact_context(batch.rate_line)
    line: list[Observation] = []
    history = Recent(benchmark_areas(batch.ruleset))  # the rows running on, oldest first
    for position, item in enumerate(observations, start=1):
        rejected: list[Rejection] = []
        found = coerce(item, position, rejected, None if default is None else str(default))
        if line and (not found or found[0].row != line[0].row):
            yield from rate_line(line, default, history)
            line = []
        if not found:
            yield from rejected
        else:
            line.extend(found)
    if line:
        yield from rate_line(line, default, history)


class _Batch:
    """Rates observations against one ruleset; keeps only what is compiled once per rule."""

    def __init__(self, ruleset: RulesetData) -> None:
        self.ruleset = ruleset
        self.indicators = {indicator.id: indicator for indicator in ruleset.indicators}
        self.titles = titles(ruleset)
        self.cuts: OrderedDict[_RuleKey, tuple[Cut, ...]] = OrderedDict()
        self.compiled_size = max(_MAX_COMPILED, 4 * len(ruleset.indicators))
        self.unknown = UnknownIds(self.indicators)
        self.breakdowns = ruleset.tokens.breakdowns
        # The group values of the whole batch, for quantile scales; a stream line has none.
        self.groups: quantiles.GroupValues | None = None
        self.benchmarks: BenchmarkValues | None = None

    def place(
        self,
        observations: Iterable[Observation],
        rejected: list[Rejection],
        default: Period | None = None,
    ) -> dict[Key, Observation]:
        """Observations by (series, period); unknown, unreadable and duplicate rows rejected."""
        placed: dict[Key, Observation] = {}
        for observation in observations:
            if observation.indicator not in self.indicators:
                # Council tables often name indicators by their printed title, not an id.
                by_title = self.titles.get(title_key(observation.indicator))
                if by_title is None:
                    reason = self.unknown.reason(observation.indicator)
                    rejected.append(reject(observation, reason))
                    continue
                observation = attrs.evolve(observation, indicator=by_title)
            try:
                when = (
                    parse_period(observation.period, self.ruleset.calendar)
                    if observation.period
                    else default
                )
            except PeriodError as exc:
                rejected.append(reject(observation, str(exc)))
                continue
            series = series_of(observation, self.breakdowns)
            first = placed.setdefault((series, when), observation)
            if first is not observation:
                rejected.append(duplicate(observation, first.row, when))
        return placed

    def rate_line(
        self,
        line: list[Observation],
        default: Period | None,
        history: Recent | None = None,
    ) -> list[Result | Rejection]:
        """The results and rejections of one input line, rated as a report of its own, with
        the earlier lines of its series (`history`, updated here) as its history too. A
        line whose row an earlier line's row gave (`history.rows`) is rejected whole."""
        rejected: list[Rejection] = []
        placed = self.place(line, rejected, default)
        current = line_current(placed, self.ruleset, default, rejected)
        known: Placed = placed
        given = None if history is None else given_before(history, placed, current)
        if given is not None:
            rejected.insert(0, given)
            current = {}
        elif history is not None:
            known = KnownRows(placed, history)
        results: list[Result | Rejection] = [
            self.result(self.indicators[series[0]], observation, when, known, series)
            for series, (observation, when) in current.items()
        ]
        # Kept after the line is rated, as the compiled engine keeps a plain line: the
        # line's own rows are read from the line, and its travel reads the 4,096 values
        # before it, none dropped yet to make room for its own.
        if history is not None and given is None:
            remember(history, placed, current)
        # A line's earlier values share its row and fate: one rejection says it once.
        once = {(r.row, r.indicator, r.reason): r for r in reversed(rejected)}
        area = line[0].area if line else ""
        return results + [with_area(r, area) for r in sorted(once.values(), key=rejected.index)]

    def remember_line(
        self, line: list[Observation], default: Period | None, history: Recent
    ) -> None:
        """What `rate_line` keeps of a line (its placed rows in `history`, the unknown ids
        it has searched), without rating it: a stream picked up part way through replays
        the lines before its part so."""
        placed = self.place(line, [], default)
        current = line_current(placed, self.ruleset, default, [])
        if given_before(history, placed, current) is None:
            remember(history, placed, current)

    def result(
        self,
        indicator: Indicator,
        observation: Observation | None,
        period: Period | None,
        placed: Placed,
        series: Series,
    ) -> Result:
        """The result of one series: its row (if any) read, judged and explained, with the
        officer's judgement (an override, a forecast) beside it."""
        indicator = indicator.at(period)  # its settings in force for the period
        found = self._judged(indicator, observation, period, placed, series)
        memory = self.ruleset.exceptions.memory
        if memory == 1 or observation is None or period is None or not found.rated:
            return found
        # The exception rules read earlier statuses: rate the series' earlier rows.
        earlier: list[str | None] = []
        for steps in range(1, memory):
            then = period.shifted(-steps)
            row = placed.get((series, then))
            past = (
                None if row is None else self._judged(indicator.at(then), row, then, placed, series)
            )
            earlier.append(past.reported_status if past is not None and past.rated else None)
        while earlier and earlier[-1] is None:
            earlier.pop()  # no rated row further back
        return attrs.evolve(found, earlier_statuses=tuple(earlier))

    def _judged(
        self,
        indicator: Indicator,
        observation: Observation | None,
        period: Period | None,
        placed: Placed,
        series: Series,
    ) -> Result:
        found = self._computed(indicator, observation, period, placed, series)
        if observation is None or not (indicator.judged or observation.extra):
            return found
        override = override_of(indicator, observation, found.unrated, self.ruleset.statuses)
        ruleset = self.ruleset
        forecast = forecast_of(
            indicator, observation, period, ruleset.calendar, ruleset.tokens.at(period)
        )
        if override is None and forecast is None:
            return found
        return attrs.evolve(found, override=override, forecast=forecast)

    def _computed(
        self,
        indicator: Indicator,
        observation: Observation | None,
        period: Period | None,
        placed: Placed,
        series: Series,
    ) -> Result:
        _, area, breakdown = series
        named = tuple(zip(self.breakdowns, breakdown, strict=True))
        if observation is None:
            when = "" if period is None else f" for {period}"
            return Result(
                indicator=indicator,
                area=area,
                breakdown=named,
                period=period,
                status=Unrated.NO_DATA.value,
                unrated=Unrated.NO_DATA,
                reason=f"no data: no row{when}",
                travel=self._not_comparable("there is no current value", period),
            )
        common: dict[str, Any] = {
            "indicator": indicator,
            "area": area,
            "breakdown": named,
            "period": period,
            "value_text": value_text(indicator, observation),
            "marks": marks_of(observation) if observation.extra else (),
            "commentary": observation.commentary,
            "caveat": observation.caveat,
            "flag": observation.flag if observation.flagged else "",
            "row": observation.row,
            "columns": observation.extra,
        }
        if observation.caveat:
            return _unrated(
                common,
                Unrated.CAVEAT,
                f"caveat: {observation.caveat}",
                travel=self._not_comparable("the current value is caveated", period),
            )
        tokens = self.ruleset.tokens.at(period)  # the tokens the period's data uses
        reading = reading_of(indicator, observation, tokens)
        if reading.number is None:
            assert reading.unrated is not None
            return _unrated(
                common,
                reading.unrated,
                reading.reason,
                travel=self._not_comparable("there is no current value", period),
            )
        value = rounded(indicator, reading.number)
        scale = indicator.scale
        benchmarks = self._benchmarks(placed)
        moved = functools.partial(
            movement_with_history,
            self.ruleset,
            indicator=indicator,
            observation=observation,
            value=value,
            current=period,
            placed=placed,
            series=series,
            benchmarks=benchmarks,
        )
        comparisons = self.ruleset.travel.at(period).comparisons
        if scale.significance is not None or scale.quantiles is not None:
            # Compared with other rows (a benchmark, a group), not with a target.
            common.update(
                unrounded=reading.number,
                value=value,
                travel=tuple(moved(comparison, target=None) for comparison in comparisons),
            )
            if scale.quantiles is not None:
                return quantiles.rate(
                    common, indicator, observation, value, self.groups, series, period
                )
            return significance.rate(common, indicator, observation, benchmarks, series, period)
        # The benchmark's own row, when its row is the target, is not compared with itself.
        target, source, problem, itself = benchmarks.target(
            indicator, observation, series, period, tokens
        )
        movements = tuple(moved(comparison, target=target) for comparison in comparisons)
        common.update(
            unrounded=reading.number,
            value=value,
            target=target,
            target_source=source,
            travel=movements,
        )
        if indicator.polarity is Polarity.NEUTRAL:
            return _unrated(common, Unrated.NEUTRAL, "neutral: shown, never judged")
        if itself:
            return _unrated(common, Unrated.NOT_COMPARED, f"not compared: this is the {itself} row")
        if problem and (source == "data" or indicator.scale.needs_target):
            return _unrated(
                common, Unrated.INVALID if source == "data" else Unrated.NO_TARGET, problem
            )
        return self._rated(common, indicator, value, target, movements, period)

    def _rated(
        self,
        common: dict[str, Any],
        indicator: Indicator,
        value: Decimal,
        target: Target | None,
        movements: tuple[Movement, ...],
        period: Period | None,
    ) -> Result:
        tolerance = indicator.tolerance.in_force(period) if indicator.tolerance else None
        stretch = indicator.stretch.in_force(period) if indicator.stretch else None
        common.update(tolerance=tolerance, stretch=stretch)
        key = (id(indicator), target, tolerance, stretch)
        judgements = (
            {move.comparison.name: move.judgement for move in movements} if movements else None
        )
        try:
            cuts = self.cuts.get(key)
            if cuts is None:
                inputs = RuleInputs(
                    indicator=indicator, target=target, tolerance=tolerance, stretch=stretch
                )
                cuts = self.cuts[key] = rating.compile_cuts(inputs)
                if len(self.cuts) > self.compiled_size:  # targets from the data: stay bounded
                    self.cuts.popitem(last=False)
            else:
                self.cuts.move_to_end(key)
            band = rating.band_for(cuts, value, judgements)
        except CannotRate as exc:
            prefix = "no target: " if exc.unrated is Unrated.NO_TARGET else ""
            return _unrated(common, exc.unrated, prefix + exc.reason)
        status = cuts[band].status
        return Result(
            status=status,
            bounds=cuts,
            band=band,
            reason=f"{status}: {why(cuts, band, value, movements)}",
            **common,
        )

    def _benchmarks(self, placed: Placed) -> BenchmarkValues:
        """Benchmarks over the batch's rows (a line's, in a stream: no group statistics)."""
        if self.benchmarks is None or self.benchmarks.placed is not placed:
            self.benchmarks = BenchmarkValues(self.ruleset, placed, self.groups)
        return self.benchmarks

    def _not_comparable(self, reason: str, period: Period | None) -> tuple[Movement, ...]:
        settings = self.ruleset.travel.at(period)
        return tuple(
            travel.not_comparable(comparison, settings, reason)
            for comparison in settings.comparisons
        )


def _unrated(
    common: Mapping[str, Any],
    unrated: Unrated,
    reason: str,
    travel: tuple[Movement, ...] | None = None,
) -> Result:
    fields = dict(common) if travel is None else {**common, "travel": travel}
    return Result(status=unrated.value, unrated=unrated, reason=reason, **fields)
