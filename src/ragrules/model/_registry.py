"""The private pint registry: minimal, Decimal magnitudes, built once on first conversion.

Only `units` reaches this module, at load time, so pint stays out of
`import ragrules` and out of the rating loop.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from ragrules.model.numbers import exact_context

# `count` and `working_day` are dimensions of their own: 5 children never convert to 500%,
# and working days never convert to calendar days.
_DEFINITIONS = (
    "second = [time]",
    "minute = 60 * second",
    "hour = 60 * minute",
    "day = 24 * hour",
    "week = 7 * day",
    "working_day = [working_time]",
    "count = [count]",
    "number = [index]",
    "percent = 0.01",
    "per_100000 = [rate]",
    "per_10000 = 10 * per_100000",
    "per_1000 = 100 * per_100000",
    "GBP = [currency]",
    "thousand_GBP = 1000 * GBP",
    "million_GBP = 1000000 * GBP",
)


@functools.lru_cache(maxsize=1)
def _build() -> Any:
    import pint

    with exact_context():
        return _definitions(pint)


def _definitions(pint: Any) -> Any:
    registry: Any = pint.UnitRegistry(None, non_int_type=Decimal, cache_folder=None)
    for definition in _DEFINITIONS:
        registry.define(definition)
    return registry


def factor(from_unit: str, to_unit: str) -> tuple[Decimal, Decimal]:
    """The conversion as an exact ratio (multiply by the first, divide by the second).

    Both terms are magnitudes in base units, found by multiplication only, so a day is
    86400/604800 of a week exactly rather than a rounded 0.142857...
    """
    import pint

    with exact_context():  # pint computes in the thread's context: never the caller's
        return _factor(pint, _build(), from_unit, to_unit)


def _factor(pint: Any, registry: Any, from_unit: str, to_unit: str) -> tuple[Decimal, Decimal]:
    try:
        source = registry.Quantity(Decimal(1), from_unit).to_base_units()
        target = registry.Quantity(Decimal(1), to_unit).to_base_units()
    except pint.UndefinedUnitError as exc:
        raise ValueError(str(exc)) from None
    if source.dimensionality != target.dimensionality:
        raise ValueError(
            f"{from_unit!r} cannot be converted to {to_unit!r}: they measure different things"
        )
    return Decimal(source.magnitude), Decimal(target.magnitude)
