"""DESIGN section 6, invariant 3: polarity duality."""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st

from ragrules import Indicator, Polarity, RoundingMode, Ruleset, Schedule, Target, testing

_MIRROR_POLARITY = {Polarity.HIGHER: Polarity.LOWER, Polarity.LOWER: Polarity.HIGHER}
# Negating a value turns rounding up into rounding down; the symmetric modes stay the same.
_MIRROR_ROUNDING = {
    RoundingMode.CEILING: RoundingMode.FLOOR,
    RoundingMode.FLOOR: RoundingMode.CEILING,
}


def _negated(text: str) -> str:
    """Minus the value, keeping its digits and unit: `23.40 weeks` -> `-23.40 weeks`."""
    if text.startswith("-"):
        return text[1:]
    if text.startswith("+"):
        return "-" + text[1:]
    return "-" + text


def _mirror(indicator: Indicator) -> Indicator:
    """The same indicator with the other polarity and the target negated."""
    assert indicator.target is not None
    target = indicator.target.in_force(None)
    assert isinstance(target, Target)
    rounding = indicator.rounding
    if rounding is not None:
        rounding = attrs.evolve(rounding, mode=_MIRROR_ROUNDING.get(rounding.mode, rounding.mode))
    return attrs.evolve(
        indicator,
        polarity=_MIRROR_POLARITY[indicator.polarity],
        target=Schedule.always(Target.point(-target.value)),
        rounding=rounding,
    )


@given(data=st.data())
def test_mirrored_polarity_rates_negated_values_alike(data: st.DataObject) -> None:
    """ "Polarity duality: rating (v, T) with higher-is-better equals rating (-v, -T) with
    lower-is-better under the same tolerance."

    Both ways round (higher to lower and lower to higher), on rag and brag (the stretch is
    kept too), relative and absolute tolerances, values on and beside every band start, and
    rounding before rating (ceiling mirrored by floor).
    """
    indicator = data.draw(testing.indicators(scale=None, rounding=True))
    mirrored = _mirror(indicator)
    value = data.draw(testing.values(indicator))
    status = (
        Ruleset(id="d", indicators=(indicator,))
        .rate([{"indicator": indicator.id, "value": value}])
        .results[0]
    )
    dual = (
        Ruleset(id="d", indicators=(mirrored,))
        .rate([{"indicator": mirrored.id, "value": _negated(value)}])
        .results[0]
    )
    assert status.rated and dual.rated
    assert status.status == dual.status, (
        f"{indicator.polarity.value} rates {value!r} {status.status!r} ({status.reason}); "
        f"{mirrored.polarity.value} rates {_negated(value)!r} {dual.status!r} ({dual.reason})"
    )
