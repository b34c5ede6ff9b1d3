"""The scales a ruleset's indicators are rated on, found in one pass over every version:
the checks and readers that need them (contextual statuses apart, exception statuses,
status words) would otherwise each pass over every indicator again."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ragrules.model.rules import Indicator, Polarity, Scale


@attrs.frozen
class ScalesInUse:
    """Each scale once, in the order first rated on."""

    rated: tuple[tuple[Scale, str], ...]  # every version's, with the first indicator on it
    judged: tuple[Scale, ...]  # the scales of versions with a polarity (not neutral)
    forecasts: tuple[Scale, ...]  # forecasts' scales, rated on no version


def scales_in_use(indicators: Iterable[Indicator]) -> ScalesInUse:
    rated: dict[int, tuple[Scale, str]] = {}
    judged: dict[int, Scale] = {}
    forecasts: dict[int, Scale] = {}
    for indicator in indicators:
        for version in indicator.versions:
            scale = version.scale
            rated.setdefault(id(scale), (scale, indicator.id))
            if version.polarity is not Polarity.NEUTRAL:
                judged.setdefault(id(scale), scale)
        if indicator.forecast is not None:
            forecasts.setdefault(id(indicator.forecast.scale), indicator.forecast.scale)
    return ScalesInUse(
        rated=tuple(rated.values()),
        judged=tuple(judged.values()),
        forecasts=tuple(scale for key, scale in forecasts.items() if key not in rated),
    )
