"""Rating a batch: every observation in, one result per indicator out, nothing lost.

Each row is placed first: rows for the report's period are rated; rows for other periods are
history, used as the earlier values of direction-of-travel comparisons; rows that cannot be
placed (unknown indicator, unreadable period, duplicate) are rejected with the row number and
the reason. Indicators with no row get `no-data`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from ragrules import rating, travel
from ragrules.errors import DataError, Problem
from ragrules.model import (
    Against,
    BenchmarkTarget,
    Comparison,
    Indicator,
    Judgement,
    Polarity,
    Ruleset,
    Target,
    Tokens,
    Unrated,
)
from ragrules.numbers import format_decimal, round_value
from ragrules.observations import Observation, Reading, is_no_data, read_value
from ragrules.periods import Period, PeriodError, parse_period
from ragrules.rating import CannotRate, Cut, RuleInputs
from ragrules.report import Rejection, Report, Result
from ragrules.travel import Movement

_Key = tuple[str, Period | None]


def rate(
    ruleset: Ruleset,
    observations: Iterable[object],
    *,
    period: str | Period | None = None,
) -> Report:
    """Rate observations for one period (default: the latest period in the data)."""
    rejected: list[Rejection] = []
    placed: dict[_Key, Observation] = {}
    known = {indicator.id for indicator in ruleset.indicators}
    titles = _titles(ruleset)
    for position, item in enumerate(observations, start=1):
        observation = _coerce(item, position, rejected)
        if observation is None:
            continue
        if observation.indicator not in known:
            # Council tables often name indicators by their printed title, not an id.
            by_title = titles.get(_title_key(observation.indicator))
            if by_title is None:
                rejected.append(_reject(observation, _unknown(observation.indicator, known)))
                continue
            observation = attrs.evolve(observation, indicator=by_title)
        try:
            when = (
                parse_period(observation.period, ruleset.calendar) if observation.period else None
            )
        except PeriodError as exc:
            rejected.append(_reject(observation, str(exc)))
            continue
        first = placed.setdefault((observation.indicator, when), observation)
        if first is not observation:
            where = f" for {when}" if when else ""
            rejected.append(_reject(observation, f"duplicate of row {first.row}{where}"))

    chosen = _report_period(period, ruleset, placed)
    current: dict[str, tuple[Observation, Period | None]] = {}
    history: list[int] = []
    for (indicator_id, when), observation in placed.items():
        if when is None or chosen is None or _same_span(when, chosen):
            # The report period's rows, including year-to-date values and the same months
            # written as a calendar quarter: a Q2 report mixes them.
            if indicator_id in current:
                first = current[indicator_id][0]
                rejected.append(_reject(observation, f"duplicate of row {first.row}"))
            else:
                current[indicator_id] = (observation, when or chosen)
        else:
            history.append(_row(observation))

    batch = _Batch(ruleset, placed)
    results = tuple(
        batch.result(indicator, *current.get(indicator.id, (None, chosen)))
        for indicator in ruleset.indicators
    )
    return Report(
        ruleset=ruleset,
        period=chosen,
        results=results,
        history=tuple(sorted(history)),
        rejected=tuple(sorted(rejected, key=lambda r: r.row or 0)),
    )


class _Batch:
    """Rates one indicator at a time against the placed rows; caches compiled cuts."""

    def __init__(self, ruleset: Ruleset, placed: Mapping[_Key, Observation]) -> None:
        self.ruleset = ruleset
        self.period: Period | None = None  # the period of the row being rated
        self.placed = placed
        self.cuts: dict[RuleInputs, tuple[Cut, ...]] = {}

    def result(
        self, indicator: Indicator, observation: Observation | None, period: Period | None
    ) -> Result:
        self.period = period
        if observation is None:
            when = "" if self.period is None else f" for {self.period}"
            reason = f"no data: no row{when}"
            return Result(
                indicator=indicator,
                period=self.period,
                status=Unrated.NO_DATA.value,
                unrated=Unrated.NO_DATA,
                reason=reason,
                travel=self._not_comparable("there is no current value"),
            )
        base = Result(
            indicator=indicator,
            period=self.period,
            status="",
            value_text=observation.value,
            commentary=observation.commentary,
            caveat=observation.caveat,
            flag=observation.flag if observation.flagged else "",
            row=observation.row,
        )
        if observation.caveat:
            return _unrated(
                base,
                Unrated.CAVEAT,
                f"caveat: {observation.caveat}",
                self._not_comparable("the current value is caveated"),
            )
        reading = read_value(observation.value, indicator.unit, self.ruleset.tokens)
        if reading.number is None:
            assert reading.unrated is not None
            return _unrated(
                base,
                reading.unrated,
                reading.reason,
                self._not_comparable("there is no current value"),
            )
        value = _rounded(indicator, reading.number)
        target, source, problem = _target_for(
            indicator, observation, self.period, self.ruleset.tokens
        )
        movements = tuple(
            self._travel(comparison, indicator, observation, value, target)
            for comparison in self.ruleset.travel.comparisons
        )
        base = attrs.evolve(
            base,
            unrounded=reading.number,
            value=value,
            target=target,
            target_source=source,
            travel=movements,
        )
        if indicator.polarity is Polarity.NEUTRAL:
            return _unrated(base, Unrated.NEUTRAL, "neutral: shown, never judged")
        if problem and (source == "data" or indicator.scale.needs_target):
            unrated = Unrated.INVALID if source == "data" else Unrated.NO_TARGET
            return _unrated(base, unrated, problem)
        return self._rated(base, indicator, value, target, movements)

    def _rated(
        self,
        base: Result,
        indicator: Indicator,
        value: Decimal,
        target: Target | None,
        movements: tuple[Movement, ...],
    ) -> Result:
        tolerance = indicator.tolerance.in_force(self.period) if indicator.tolerance else None
        stretch = indicator.stretch.in_force(self.period) if indicator.stretch else None
        base = attrs.evolve(base, tolerance=tolerance, stretch=stretch)
        inputs = RuleInputs(
            indicator=indicator, target=target, tolerance=tolerance, stretch=stretch
        )
        judgements = {move.comparison.name: move.judgement for move in movements}
        try:
            cuts = self.cuts.get(inputs)
            if cuts is None:
                cuts = self.cuts[inputs] = rating.compile_cuts(inputs)
            band = rating.band_for(cuts, value, judgements)
        except CannotRate as exc:
            prefix = "no target: " if exc.unrated is Unrated.NO_TARGET else ""
            return _unrated(base, exc.unrated, prefix + exc.reason)
        return attrs.evolve(
            base,
            status=cuts[band].status,
            cuts=cuts,
            band=band,
            reason=f"{cuts[band].status}: {_why(cuts, band, value)}",
        )

    def _not_comparable(self, reason: str) -> tuple[Movement, ...]:
        settings = self.ruleset.travel
        return tuple(
            travel.not_comparable(comparison, settings, reason)
            for comparison in settings.comparisons
        )

    def _travel(
        self,
        comparison: Comparison,
        indicator: Indicator,
        observation: Observation,
        value: Decimal,
        target: Target | None,
    ) -> Movement:
        """This period's movement, with the earlier judgements the exception rules need."""
        move = self._movement(comparison, indicator, observation, value, target, self.period)
        lookback = self.ruleset.exceptions.lookback
        if lookback == 1 or not move.comparable or self.period is None:
            return move
        earlier: list[Judgement | None] = []
        for steps in range(1, lookback):
            period = self.period.shifted(-steps)
            row = self.placed.get((indicator.id, period))
            reading = (
                read_value(row.value, indicator.unit, self.ruleset.tokens)
                if row and not row.caveat
                else None
            )
            if row is None or reading is None or reading.number is None:
                break
            then, _, _ = _target_for(indicator, row, period, self.ruleset.tokens)
            past = self._movement(
                comparison, indicator, row, _rounded(indicator, reading.number), then, period
            )
            earlier.append(past.judgement)
            if not past.comparable:
                break
        return attrs.evolve(move, earlier_judgements=tuple(earlier))

    def _movement(
        self,
        comparison: Comparison,
        indicator: Indicator,
        observation: Observation,
        value: Decimal,
        target: Target | None,
        period: Period | None,
    ) -> Movement:
        """The movement of `value` (the indicator's value for `period`) for one comparison."""
        settings = self.ruleset.travel
        if comparison.against is Against.BENCHMARK:
            assert comparison.benchmark is not None
            earlier_period = None
            text = observation.column(comparison.benchmark)
            if not text:
                return travel.not_comparable(
                    comparison, settings, f"the data has no {comparison.benchmark} value"
                )
            reading = read_value(text, indicator.unit, self.ruleset.tokens)
        else:
            if period is None:
                return travel.not_comparable(comparison, settings, "the report has no period")
            earlier_period = (
                period.previous()
                if comparison.against is Against.PREVIOUS_PERIOD
                else period.same_period_last_year()
            )
            earlier = self.placed.get((indicator.id, earlier_period))
            if earlier is None:
                return travel.not_comparable(
                    comparison, settings, f"no row for {earlier_period}", earlier_period
                )
            if earlier.caveat:
                return travel.not_comparable(
                    comparison, settings, f"the {earlier_period} value is caveated", earlier_period
                )
            text = earlier.value
            reading = read_value(text, indicator.unit, self.ruleset.tokens)
        if reading.number is None:
            return travel.not_comparable(
                comparison, settings, _no_earlier_value(reading, earlier_period), earlier_period
            )
        return travel.compare(
            comparison,
            settings,
            indicator.polarity,
            value,
            _rounded(indicator, reading.number),
            indicator.unchanged_within,
            target,
            period=earlier_period,
            earlier_text=text,
        )


def _no_earlier_value(reading: Reading, period: Period | None) -> str:
    where = f"for {period}" if period else "in the benchmark"
    return f"no comparable value {where} ({reading.reason})"


def _rounded(indicator: Indicator, number: Decimal) -> Decimal:
    if indicator.rounding is None:
        return number
    return round_value(number, indicator.rounding.places, indicator.rounding.mode)


def _coerce(item: object, position: int, rejected: list[Rejection]) -> Observation | None:
    if isinstance(item, Observation):
        return item if item.row is not None else attrs.evolve(item, row=position)
    if isinstance(item, Mapping):
        try:
            return Observation.from_mapping(item, row=position)
        except ValueError as exc:
            rejected.append(Rejection(row=position, indicator="", period="", reason=str(exc)))
            return None
    rejected.append(
        Rejection(
            row=position,
            indicator="",
            period="",
            reason=f"an observation must be a mapping or Observation, not {type(item).__name__}",
        )
    )
    return None


def _row(observation: Observation) -> int:
    assert observation.row is not None
    return observation.row


def _reject(observation: Observation, reason: str) -> Rejection:
    return Rejection(
        row=observation.row,
        indicator=observation.indicator,
        period=observation.period,
        reason=reason,
    )


def _title_key(text: str) -> str:
    """A title compared case- and space-blind, without footnote marks (`*`, `†`)."""
    return " ".join(text.lower().replace("*", " ").replace("\u2020", " ").split())


def _titles(ruleset: Ruleset) -> dict[str, str]:
    """Indicator ids by title, for titles that only one indicator has."""
    counts: dict[str, list[str]] = {}
    for indicator in ruleset.indicators:
        if indicator.title:
            counts.setdefault(_title_key(indicator.title), []).append(indicator.id)
    return {title: ids[0] for title, ids in counts.items() if len(ids) == 1}


def _unknown(indicator_id: str, known: set[str]) -> str:
    if not indicator_id:
        return "the row has no indicator id"
    close = difflib.get_close_matches(indicator_id, sorted(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown indicator {indicator_id!r}: the ruleset does not define it{hint}"


def _report_period(
    period: str | Period | None, ruleset: Ruleset, placed: Mapping[_Key, Observation]
) -> Period | None:
    if isinstance(period, Period):
        return period
    if period is not None and not isinstance(period, str):
        raise DataError(
            problems=(
                Problem(
                    key="period",
                    message=f"the report period must be text such as '2020/21 Q2', "
                    f"not {type(period).__name__}",
                ),
            )
        )
    if period is not None:
        try:
            return parse_period(period, ruleset.calendar)
        except PeriodError as exc:
            raise DataError(
                problems=(Problem(key="period", message=str(exc), hint="the report period"),)
            ) from None
    periods = [when for (_, when) in placed if when is not None]
    if not periods:
        return None
    # Among periods starting together, the shorter one is the more recent report; the text
    # breaks any remaining tie, so the choice never depends on the order of the rows.
    return max(periods, key=lambda p: (p.start, -p.months, p.ytd, str(p)))


def _same_span(a: Period, b: Period) -> bool:
    """The same months, however written (YTD or not, calendar or financial quarter)."""
    return a.start == b.start and a.months == b.months


def _unrated(
    base: Result, unrated: Unrated, reason: str, movements: tuple[Movement, ...] | None = None
) -> Result:
    result = attrs.evolve(base, status=unrated.value, unrated=unrated, reason=reason)
    return result if movements is None else attrs.evolve(result, travel=movements)


def _target_for(
    indicator: Indicator, observation: Observation, period: Period | None, tokens: Tokens
) -> tuple[Target | None, str, str]:
    """(target, where it came from, problem) for one observation."""
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


def _why(cuts: tuple[Cut, ...], band: int, value: Decimal) -> str:
    """Why a value got its band: the bound it reached, or the next better bound it missed."""
    cut = cuts[band]
    if cut.lower is None and cut.upper is None:
        if band == 0:
            return "every value gets this status"
        better = cuts[band - 1]
        return f"{format_decimal(value)} does not reach {better.status} ({better.condition()})"
    return f"{format_decimal(value)} meets {cut.condition()}"
