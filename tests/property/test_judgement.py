"""Officer judgement's invariants over generated rulesets and values.

- An override never changes the computed status field (nor band, bounds, reason, value); it is
  reported only where the ruleset allows it and it names a status of the scale.
- A forecast gets the status its value would get as the year end's own value, on the
  forecast's scale, against the target and margins in force at the year end (targets that
  change in Q4 included).
"""

from __future__ import annotations

from decimal import Decimal

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st

from ragrules import testing
from ragrules.engine.ruleset import Ruleset
from ragrules.model.periods import parse_period
from ragrules.model.rules import (
    Dated,
    ForecastRule,
    Polarity,
    Schedule,
    Target,
    TargetSpec,
)

PERIODS = ["2024/25 Q1", "2024/25 Q3", "2024/25 Q4", "Nov 2024", "Mar 2025", "2024/25"]


def judged(ruleset: Ruleset, allow: bool, year_end_target: Decimal | None = None) -> Ruleset:
    """The ruleset with overrides allowed (or not) and a forecast on every judged indicator;
    with `year_end_target`, point targets change to it from Q4 2024/25 (January 2025)."""
    indicators = tuple(
        attrs.evolve(
            i,
            overrides=allow,
            forecast=ForecastRule(scale=i.scale),
            target=_changing(i.target, year_end_target),
        )
        if i.polarity is not Polarity.NEUTRAL
        else i
        for i in ruleset.indicators
    )
    return attrs.evolve(ruleset, indicators=indicators)


def _changing(
    target: Schedule[TargetSpec] | None, later: Decimal | None
) -> Schedule[TargetSpec] | None:
    if target is None or later is None or target.is_dated:
        return target
    first = target.entries[0].value
    if not isinstance(first, Target) or not first.is_point:
        return target
    change: Dated[TargetSpec] = Dated(start=parse_period("2024/25 Q4"), value=Target.point(later))
    return Schedule(entries=(*target.entries, change))


@given(data=st.data(), ruleset=testing.rulesets(), allow=st.booleans())
def test_an_override_never_changes_the_computed_status(
    data: st.DataObject, ruleset: Ruleset, allow: bool
) -> None:
    ruleset = judged(ruleset, allow)
    indicator = data.draw(st.sampled_from(ruleset.indicators))
    value = data.draw(testing.decimals_text())
    words = [*indicator.scale.statuses, "purple", "R", "Amber"]
    override = data.draw(st.sampled_from(words))
    result = testing.check_override(ruleset, indicator.id, value, override)
    if indicator.polarity is Polarity.NEUTRAL:
        assert not result.overridden


@given(
    data=st.data(),
    ruleset=testing.rulesets(),
    period=st.sampled_from(PERIODS),
    later=st.none() | st.decimals(min_value=1, max_value=200, places=1),
)
def test_a_forecast_is_rated_as_the_year_end_value(
    data: st.DataObject, ruleset: Ruleset, period: str, later: Decimal | None
) -> None:
    ruleset = judged(ruleset, allow=False, year_end_target=later)
    forecasting = [i for i in ruleset.indicators if i.forecast is not None]
    assume(forecasting)  # every indicator may be neutral
    indicator = data.draw(st.sampled_from(forecasting))
    testing.check_forecast(ruleset, indicator.id, data.draw(testing.decimals_text()), period)
