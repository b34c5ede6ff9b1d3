"""Officer judgement beside the rules: an override status, and a forecast rated for the year end.

Councils let an officer replace a computed status ("amber: off target but assessed as capable
of reaching target within the year") and rate the expected year-end position. Both come from
the data (`override`, `override_reason`, `override_by` and `forecast` columns); the ruleset
says which indicators allow an override and how a forecast is rated. An override never
changes the computed status: a result keeps it, and reports show the override beside it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from ragrules.engine import rating
from ragrules.engine._reasons import why
from ragrules.engine._targets import rounded, target_for
from ragrules.engine.rating import CannotRate, Cut, RuleInputs
from ragrules.model.numbers import format_decimal
from ragrules.model.observations import Observation, read_value
from ragrules.model.periods import Calendar, Period
from ragrules.model.rules import Indicator, Target, Tokens, Unrated
from ragrules.model.words import StatusWords, status_named

# The data's columns (by column key) that carry judgement; map others to them with --columns.
OVERRIDE_COLUMNS = ("override", "override_reason", "override_by")
FORECAST_COLUMN = "forecast"
JUDGEMENT_COLUMNS = (*OVERRIDE_COLUMNS, FORECAST_COLUMN)


@attrs.frozen(kw_only=True)
class Override:
    """A status the data gives in place of the computed one, with why and by whom.

    `applied` is False when the ruleset does not allow it here; `note` then says why, and
    the result's reported status stays the computed one.
    """

    status: str  # in the scale's words when it names one of its statuses, else as written
    reason: str = ""
    by: str = ""
    applied: bool = False
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reason": self.reason,
            "by": self.by,
            "applied": self.applied,
            "note": self.note,
        }


@attrs.frozen(kw_only=True)
class Forecast:
    """The forecast year-end value, rated against the target in force at the year's end."""

    value_text: str
    status: str
    unrated: Unrated | None = None
    reason: str = ""
    value: Decimal | None = None
    target: Target | None = None
    period: Period | None = None  # the year end the forecast is for
    bounds: tuple[Cut, ...] = ()
    band: int | None = None

    @property
    def rated(self) -> bool:
        return self.unrated is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "rated": self.unrated is None,
            "unrated": None if self.unrated is None else self.unrated.value,
            "reason": self.reason,
            "value": None if self.value is None else format_decimal(self.value),
            "value_text": self.value_text,
            "target": None if self.target is None else str(self.target),
            "period": None if self.period is None else str(self.period),
        }


def override_of(
    indicator: Indicator,
    observation: Observation,
    unrated: Unrated | None,
    words: tuple[StatusWords, ...] = (),
) -> Override | None:
    """The row's override, applied only where the ruleset allows it and it names a status."""
    written = observation.column("override").strip()
    if not written:
        return None
    reason = observation.column("override_reason").strip()
    by = observation.column("override_by").strip()
    statuses = indicator.scale.statuses_for(indicator.polarity)
    status = status_named(written, statuses, words)
    note = ""
    if not indicator.overrides:
        note = "the ruleset does not allow overrides for this indicator"
    elif unrated is not None:
        note = f"there is no computed status to replace ({unrated.value})"
    elif status not in statuses:
        note = f"{written!r} is not a status of the scale ({', '.join(statuses)})"
        status = written
    elif not reason:
        note = "an override needs a reason (the override_reason column)"
    return Override(status=status, reason=reason, by=by, applied=not note, note=note)


def forecast_of(
    indicator: Indicator,
    observation: Observation,
    period: Period | None,
    calendar: Calendar,
    tokens: Tokens,
) -> Forecast | None:
    """The row's forecast rated by the indicator's forecast rule (None without a rule)."""
    rule = indicator.forecast
    if rule is None:
        return None
    text = observation.column(FORECAST_COLUMN)
    if not text.strip():
        return _unrated(text, Unrated.NO_DATA, "no forecast in the data")
    reading = read_value(text, indicator.unit, tokens)
    if reading.number is None:
        assert reading.unrated is not None
        return _unrated(text, reading.unrated, f"forecast: {reading.reason}")
    value = rounded(indicator, reading.number)
    if period is None:
        reason = "no target: a forecast is rated for the end of its period's year"
        return _unrated(text, Unrated.NO_TARGET, reason, value=value)
    end = period.year_end(calendar)
    # The year end's settings and target: the ruleset's (or a benchmark's), never the row's
    # own target, which is this period's.
    at_end = indicator.at(end)
    target, _, problem = target_for(at_end, attrs.evolve(observation, target=""), end, tokens)
    if target is None:
        return _unrated(text, Unrated.NO_TARGET, problem, value=value, period=end)
    tolerance = at_end.tolerance.in_force(end) if at_end.tolerance else None
    stretch = at_end.stretch.in_force(end) if at_end.stretch else None
    inputs = RuleInputs(
        indicator=attrs.evolve(at_end, scale=rule.scale),
        target=target,
        tolerance=tolerance,
        stretch=stretch,
    )
    try:
        cuts = rating.compile_cuts(inputs)
        band = rating.band_for(cuts, value)
    except CannotRate as exc:
        return _unrated(text, exc.unrated, exc.reason, value=value, period=end)
    status = cuts[band].status
    return Forecast(
        value_text=text,
        status=status,
        reason=f"{status}: forecast {why(cuts, band, value)} (the target for {end})",
        value=value,
        target=target,
        period=end,
        bounds=cuts,
        band=band,
    )


def _unrated(
    text: str,
    unrated: Unrated,
    reason: str,
    *,
    value: Decimal | None = None,
    period: Period | None = None,
) -> Forecast:
    return Forecast(
        value_text=text,
        status=unrated.value,
        unrated=unrated,
        reason=reason,
        value=value,
        period=period,
    )
