"""Rating a batch: every observation in, one result per indicator out, nothing lost.

Rows for the report's period are rated; rows for other periods are kept as history; rows that
cannot be placed (unknown indicator, unreadable period, duplicate) are rejected with the row
number and the reason. Indicators with no row get `no-data`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ragrules import rating
from ragrules.errors import DataError, Problem, Severity
from ragrules.model import Indicator, Margin, Polarity, Ruleset, Target, Unrated
from ragrules.numbers import format_decimal, round_value
from ragrules.observations import Observation, is_no_data, read_value
from ragrules.periods import Period, PeriodError, PeriodKind, parse_period
from ragrules.rating import CannotRate, Cut, RuleInputs
from ragrules.summary import Summary, summarise

if TYPE_CHECKING:
    from ragrules.explain import Explanation


@attrs.frozen(kw_only=True)
class Result:
    """The rating of one indicator for the report's period, with everything that decided it."""

    indicator: Indicator
    period: Period | None
    status: str
    unrated: Unrated | None = None
    reason: str = ""
    value_text: str = ""
    unrounded: Decimal | None = None
    value: Decimal | None = None
    target: Target | None = None
    target_from_data: bool = False
    tolerance: Margin | None = None
    stretch: Margin | None = None
    cuts: tuple[Cut, ...] = ()
    band: int | None = None
    commentary: str = ""
    row: int | None = None

    @property
    def rated(self) -> bool:
        """True when the status comes from the scale."""
        return self.unrated is None

    def explain(self) -> Explanation:
        """The derivation, step by step, as text and as data."""
        from ragrules.explain import explain

        return explain(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain data with decimals as strings, for JSON output."""
        return {
            "indicator": self.indicator.id,
            "title": self.indicator.title,
            "period": None if self.period is None else str(self.period),
            "status": self.status,
            "rated": self.rated,
            "reason": self.reason,
            "value": self.value_text,
            "number": _text(self.value),
            "unit": self.indicator.unit,
            "polarity": self.indicator.polarity.value,
            "target": None if self.target is None else _target_text(self.target),
            "target_source": None
            if self.target is None
            else ("data" if self.target_from_data else "ruleset"),
            "bounds": [_cut_dict(cut) for cut in self.cuts],
            "commentary": self.commentary,
            "row": self.row,
        }


@attrs.frozen(kw_only=True)
class Rejection:
    """An input row that could not be placed in the report, and why."""

    row: int | None
    indicator: str
    period: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class Report:
    """The ratings of one period: a result per indicator, and an account of every input row."""

    ruleset: Ruleset
    period: Period | None
    results: tuple[Result, ...]
    history: tuple[int, ...] = ()
    rejected: tuple[Rejection, ...] = ()

    @property
    def summary(self) -> Summary:
        return summarise(self.results, self.ruleset)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Rejected rows and unreadable values, as located warnings."""
        found = [
            Problem(message=r.reason, row=r.row, severity=Severity.WARNING) for r in self.rejected
        ]
        found += [
            Problem(
                message=f"indicator {r.indicator.id!r}: {r.reason}",
                row=r.row,
                severity=Severity.WARNING,
            )
            for r in self.results
            if r.unrated is Unrated.INVALID
        ]
        return tuple(found)

    def to_dict(self) -> dict[str, Any]:
        """Plain data in a fixed order: the same ruleset and data give identical JSON."""
        return {
            "ruleset": {
                "id": self.ruleset.id,
                "title": self.ruleset.title,
                "version": self.ruleset.version,
            },
            "period": None if self.period is None else str(self.period),
            "results": [result.to_dict() for result in self.results],
            "summary": self.summary.to_dict(),
            "rows": {
                "rated_or_unrated": [r.row for r in self.results if r.row is not None],
                "history": list(self.history),
                "rejected": [rejection.to_dict() for rejection in self.rejected],
            },
        }


def rate(
    ruleset: Ruleset,
    observations: Iterable[object],
    *,
    period: str | Period | None = None,
) -> Report:
    """Rate observations for one period (default: the latest period in the data)."""
    rows: list[tuple[Observation, Period | None]] = []
    rejected: list[Rejection] = []
    for position, item in enumerate(observations, start=1):
        observation = _coerce(item, position, rejected)
        if observation is None:
            continue
        try:
            when = parse_period(observation.period) if observation.period else None
        except PeriodError as exc:
            rejected.append(_reject(observation, str(exc)))
            continue
        rows.append((observation, when))

    chosen = _report_period(period, rows)
    known = {indicator.id for indicator in ruleset.indicators}
    by_indicator: dict[str, Observation] = {}
    history: list[int] = []
    for observation, when in rows:
        if observation.indicator not in known:
            rejected.append(_reject(observation, _unknown(observation.indicator, known)))
        elif when is not None and when != chosen:
            history.append(_row(observation))
        elif observation.indicator in by_indicator:
            first = by_indicator[observation.indicator]
            rejected.append(
                _reject(observation, f"duplicate of row {first.row} for the same period")
            )
        else:
            by_indicator[observation.indicator] = observation

    cuts_cache: dict[RuleInputs, tuple[Cut, ...]] = {}
    results = tuple(
        _rate_one(indicator, by_indicator.get(indicator.id), chosen, cuts_cache)
        for indicator in ruleset.indicators
    )
    return Report(
        ruleset=ruleset,
        period=chosen,
        results=results,
        history=tuple(history),
        rejected=tuple(sorted(rejected, key=lambda r: r.row or 0)),
    )


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


def _unknown(indicator_id: str, known: set[str]) -> str:
    close = difflib.get_close_matches(indicator_id, sorted(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown indicator {indicator_id!r}: the ruleset does not define it{hint}"


def _report_period(
    period: str | Period | None, rows: list[tuple[Observation, Period | None]]
) -> Period | None:
    if isinstance(period, Period):
        return period
    if period is not None:
        try:
            return parse_period(period)
        except PeriodError as exc:
            raise DataError(
                problems=(Problem(key="period", message=str(exc), hint="the report period"),)
            ) from None
    periods = [when for _, when in rows if when is not None]
    if not periods:
        return None
    return max(periods, key=lambda p: (p.start, _length_rank(p)))


def _length_rank(period: Period) -> int:
    # Among periods starting together, the shorter one is the more recent report.
    return -_LENGTHS.index(period.kind)


_LENGTHS = (
    PeriodKind.MONTH,
    PeriodKind.FINANCIAL_QUARTER,
    PeriodKind.FINANCIAL_YEAR,
    PeriodKind.CALENDAR_YEAR,
)


def _rate_one(
    indicator: Indicator,
    observation: Observation | None,
    period: Period | None,
    cuts_cache: dict[RuleInputs, tuple[Cut, ...]],
) -> Result:
    if observation is None:
        when = "" if period is None else f" for {period}"
        return Result(
            indicator=indicator,
            period=period,
            status=Unrated.NO_DATA.value,
            unrated=Unrated.NO_DATA,
            reason=f"no data: no row{when}",
        )
    base = Result(
        indicator=indicator,
        period=period,
        status="",
        value_text=observation.value,
        commentary=observation.commentary or observation.caveat,
        row=observation.row,
    )
    if observation.caveat:
        return _unrated(base, Unrated.CAVEAT, f"caveat: {observation.caveat}")
    reading = read_value(observation.value, indicator.unit)
    if reading.unrated is not None:
        return _unrated(base, reading.unrated, reading.reason)
    assert reading.number is not None
    value = reading.number
    if indicator.rounding is not None:
        value = round_value(value, indicator.rounding.places, indicator.rounding.mode)
    base = attrs.evolve(base, unrounded=reading.number, value=value)
    if indicator.polarity is Polarity.NEUTRAL:
        return _unrated(base, Unrated.NEUTRAL, "neutral: shown, never judged")

    target, from_data, problem = _target_for(indicator, observation, period)
    if problem and (from_data or indicator.scale.needs_target):
        return _unrated(base, Unrated.INVALID if from_data else Unrated.NO_TARGET, problem)
    tolerance = indicator.tolerance.in_force(period) if indicator.tolerance else None
    stretch = indicator.stretch.in_force(period) if indicator.stretch else None
    base = attrs.evolve(
        base,
        target=target,
        target_from_data=from_data,
        tolerance=tolerance,
        stretch=stretch,
    )
    inputs = RuleInputs(indicator=indicator, target=target, tolerance=tolerance, stretch=stretch)
    try:
        cuts = cuts_cache.get(inputs)
        if cuts is None:
            cuts = cuts_cache[inputs] = rating.compile_cuts(inputs)
        band = rating.band_for(cuts, value)
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


def _unrated(base: Result, unrated: Unrated, reason: str) -> Result:
    return attrs.evolve(base, status=unrated.value, unrated=unrated, reason=reason)


def _target_for(
    indicator: Indicator, observation: Observation, period: Period | None
) -> tuple[Target | None, bool, str]:
    """(target, taken from the data, problem) for one observation."""
    if observation.target and not is_no_data(observation.target):
        if indicator.polarity is Polarity.IN_RANGE:
            return (
                None,
                True,
                "a target range cannot be given in the data; set it in the ruleset",
            )
        reading = read_value(observation.target, indicator.unit)
        if reading.number is None:
            return None, True, f"target in the data: {reading.reason}"
        return Target.point(reading.number), True, ""
    if indicator.target is None:
        return None, False, "no target: the ruleset sets none for this indicator"
    if period is None and indicator.target.is_dated:
        return (
            None,
            False,
            "no target: the target depends on the period, and none was given",
        )
    target = indicator.target.in_force(period)
    if target is None:
        return None, False, f"no target: none is in force for {period}"
    return target, False, ""


def _why(cuts: tuple[Cut, ...], band: int, value: Decimal) -> str:
    """Why a value got its band: the bound it reached, or the next better bound it missed."""
    cut = cuts[band]
    if cut.lower is None and cut.upper is None:
        if band == 0:
            return "every value gets this status"
        better = cuts[band - 1]
        return f"{format_decimal(value)} does not reach {better.status} ({better.condition()})"
    return f"{format_decimal(value)} meets {cut.condition()}"


def _text(number: Decimal | None) -> str | None:
    return None if number is None else format_decimal(number)


def _target_text(target: Target) -> str:
    if target.is_point:
        return format_decimal(target.value)
    return f"{format_decimal(target.lower)}-{format_decimal(target.upper)}"


def _cut_dict(cut: Cut) -> dict[str, Any]:
    return {
        "status": cut.status,
        "lower": _text(cut.lower),
        "upper": _text(cut.upper),
        "inclusive": cut.inclusive,
        "multiplier": _text(cut.multiplier),
    }
