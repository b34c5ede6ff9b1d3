"""Indicators written alike: what every indicator shares with another whose settings, other
than its id, title and target, are written the same way, read once.

A ruleset of many indicators repeats a handful of combinations of unit, polarity, scale and
margins; only the id, title and target differ. The first indicator of each combination is
read in full. When it is read without a problem and nothing of it turns on its target, the
settings it was built with are kept (`Alike`), and each later indicator written alike is
built from them, its own id, title and target read as the full reading reads them. Its
checks of the scale against its target are those of the full reading too, made once for each
sign of a point target: the bands' starts come in one order for every target of a sign
(`_checks._shape`), so one check answers for all of them, as the full reading's own
`reachable` record already assumes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ragrules.formats.loading._written import written_as
from ragrules.model.rules import Indicator, Polarity

# What each indicator writes for itself; everything else of an indicator is what it shares.
OWN = frozenset({"id", "title", "target"})
_BUILT_APART = ("id", "title", "target", "origins")


@attrs.frozen
class Alike:
    """The settings shared by indicators written alike, as the first of them was built."""

    settings: Mapping[str, Any]
    unit: str
    neutral: bool


def alike_key(body: Mapping[str, object], defaults: object) -> tuple[object, ...] | None:
    """How an indicator's shared settings are written (all but its id, title and target),
    with the defaults it reads, or None when one is not worth keying (an array)."""
    items: list[object] = [id(defaults)]
    for key, value in body.items():
        if key in OWN:
            continue
        written = value if type(value) is str else written_as(value)  # text: its own key
        if written is None:
            return None
        items.append((key, written))
    return tuple(items)


def shared(
    indicator: Indicator, body: Mapping[str, object], defaults: Mapping[str, object]
) -> Alike | None:
    """What indicators written like this one share, or None when something of it turns on
    its target (read again for each indicator): dated settings, whose every version or
    entry is checked against the target; an in-range indicator's target, checked against
    its kind; `target-carries`, which changes the target; a forecast, whose scale is checked
    against the target."""
    if (
        indicator.changes
        or indicator.polarity is Polarity.IN_RANGE
        or indicator.forecast is not None
        or "target-carries" in body
        or "target-carries" in defaults
        or any(m is not None and m.is_dated for m in (indicator.tolerance, indicator.stretch))
    ):
        return None
    settings = {  # those the indicator's own defaults do not give (fewer to pass)
        field.name: getattr(indicator, field.name)
        for field in attrs.fields(Indicator)
        if field.init
        and field.name not in _BUILT_APART
        and getattr(indicator, field.name) is not field.default
    }
    neutral = indicator.polarity is Polarity.NEUTRAL
    return Alike(settings=settings, unit=indicator.unit, neutral=neutral)
