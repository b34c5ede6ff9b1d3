"""Invariants of officer judgement: an override never changes the computed status, and a
forecast is rated as its value would be at the year end."""

from __future__ import annotations

import attrs

from ragrules.engine.report import Result
from ragrules.engine.ruleset import Ruleset
from ragrules.model.numbers import in_exact_context
from ragrules.model.periods import Period, parse_period
from ragrules.tools.testing._common import period_text


def _rate_row(ruleset: Ruleset, row: dict[str, object], period: str | None) -> Result:
    report = ruleset.rate([row], period=period)
    return next(r for r in report.results if r.indicator.id == row["indicator"])


@in_exact_context
def check_override(
    ruleset: Ruleset,
    indicator_id: str,
    value: object,
    override: str,
    *,
    reason: str = "assessed as able to reach target within the year",
    period: str | Period | None = None,
) -> Result:
    """An override never changes the computed status: rated with and without the override,
    the result's status, band, bounds and reason agree; the reported status is the override's
    when the ruleset allows it (and it names a status), else the computed one. Returns the
    result with the override."""
    period = period_text(ruleset.calendar, period)
    row: dict[str, object] = {"indicator": indicator_id, "period": period or "", "value": value}
    plain = _rate_row(ruleset, row, period)
    judged = _rate_row(ruleset, {**row, "override": override, "override_reason": reason}, period)
    where = f"override: indicator {indicator_id!r}, value {value!r}, override {override!r}"
    for field in ("status", "unrated", "band", "bounds", "reason", "value"):
        assert getattr(judged, field) == getattr(plain, field), (
            f"{where} changed the computed {field}: {getattr(plain, field)!r} -> "
            f"{getattr(judged, field)!r}"
        )
    assert judged.override is not None, f"{where} was not recorded"
    indicator = ruleset.indicator(indicator_id)
    if judged.overridden:
        assert indicator.overrides, f"{where} was applied, but the ruleset does not allow it"
        assert judged.override.status in indicator.scale.statuses, (
            f"{where} reports {judged.override.status!r}, not a status of the scale"
        )
        assert judged.reported_status == judged.override.status, f"{where} is not reported"
    else:
        assert judged.reported_status == judged.status, (
            f"{where} was not applied ({judged.override.note}) yet the reported status "
            f"{judged.reported_status!r} is not the computed {judged.status!r}"
        )
        assert judged.override.note, f"{where} was not applied and no note says why"
    return judged


@in_exact_context
def check_forecast(
    ruleset: Ruleset, indicator_id: str, forecast: object, period: str | Period
) -> None:
    """A forecast gets the status its value would get as the year end's own value, on the
    forecast's scale, against the target and margins in force then."""
    text = period_text(ruleset.calendar, period)
    if not text:
        raise ValueError("check_forecast needs the period the forecast is made in")
    period = text
    indicator = ruleset.indicator(indicator_id)
    rule = indicator.forecast
    if rule is None:
        raise ValueError(f"indicator {indicator_id!r} rates no forecast")
    row = {"indicator": indicator_id, "period": period, "value": "", "forecast": forecast}
    result = _rate_row(ruleset, row, period)
    assert result.forecast is not None, f"forecast: indicator {indicator_id!r} kept none"
    end = parse_period(period, ruleset.calendar).year_end(ruleset.calendar)
    at_end = attrs.evolve(indicator, scale=rule.scale, overrides=False, forecast=None)
    alone = attrs.evolve(
        ruleset,
        indicators=tuple(at_end if i.id == indicator_id else i for i in ruleset.indicators),
        travel=attrs.evolve(ruleset.travel, comparisons=()),
    )
    expected = _rate_row(
        alone, {"indicator": indicator_id, "period": str(end), "value": forecast}, str(end)
    )
    assert result.forecast.status == expected.status, (
        f"forecast: indicator {indicator_id!r} forecast {forecast!r} for {end} is rated "
        f"{result.forecast.status!r} ({result.forecast.reason}), but as the year end's value "
        f"it is {expected.status!r} ({expected.reason})"
    )
