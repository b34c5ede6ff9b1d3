"""The rating rule stated independently, with exact fractions, to compare the library with."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ragrules.engine import rating
from ragrules.model.observations import read_value
from ragrules.model.periods import Period
from ragrules.model.rules import (
    BRAG,
    RAG,
    Basis,
    BenchmarkTarget,
    Boundary,
    Indicator,
    Margin,
    Polarity,
    ProfiledTarget,
    Target,
    TargetSpec,
)
from ragrules.tools.testing._common import _ROUNDING, _WIDE


def reference_status(
    indicator: Indicator,
    value: Decimal | str,
    target: Target | Decimal | None = None,
    *,
    period: Period | None = None,
) -> str:
    """The status DESIGN section 3 gives `value`, computed with exact fractions.

    For the built-in `rag` and `brag` scales and higher- or lower-is-better this is the rule
    as written: with the gap to the target oriented so positive is better, blue iff the gap
    is at least the stretch, green iff it is at least 0, amber iff it is at least minus the
    tolerance (a relative margin is a fraction of |T|), red otherwise. Other scales are
    evaluated band by band on the cuts `compile_cuts` gives, in fractions; bands with a
    travel condition are passed over, as for a value rated with no earlier value to compare.
    The indicator's rounding is applied first. Text values are read in the indicator's unit.
    """
    inputs = _rule_inputs(indicator, target, period)
    if isinstance(value, str):
        reading = read_value(value, indicator.unit)
        if reading.number is None:
            raise ValueError(f"{value!r} is not a number: {reading.reason}")
        value = reading.number
    return _reference(inputs, value)


def _reference(inputs: rating.RuleInputs, value: Decimal) -> str:
    indicator = inputs.indicator
    if indicator.rounding is not None:
        value = value.quantize(
            Decimal(1).scaleb(-indicator.rounding.places),
            rounding=_ROUNDING[indicator.rounding.mode],
            context=_WIDE,
        )
    number = Fraction(value)
    if (
        indicator.scale in (RAG, BRAG)
        and indicator.polarity in (Polarity.HIGHER, Polarity.LOWER)
        and inputs.target is not None
    ):
        target = Fraction(inputs.target.value)
        gap = number - target if indicator.polarity is Polarity.HIGHER else target - number

        def size(margin: Margin | None, name: str) -> Fraction:
            if margin is None:
                raise ValueError(f"indicator {indicator.id!r} has no {name} in force")
            amount = Fraction(margin.amount)
            return amount * abs(target) if margin.basis is Basis.RELATIVE else amount

        if indicator.scale == BRAG and gap >= size(inputs.stretch, "stretch"):
            return "blue"
        if gap >= 0:
            return "green"
        if gap >= -size(inputs.tolerance, "tolerance"):
            return "amber"
        return "red"
    for cut in rating.compile_cuts(inputs):
        if cut.band.travel is not None:
            continue  # needs a judgement against an earlier value; a value alone has none
        scaled = number * Fraction(cut.multiplier)
        inclusive = cut.band.boundary is Boundary.BETTER
        if cut.lower is not None and not (
            scaled > cut.lower or (inclusive and scaled == cut.lower)
        ):
            continue
        if cut.upper is not None and not (
            scaled < cut.upper or (inclusive and scaled == cut.upper)
        ):
            continue
        return cut.status
    raise ValueError(f"no band of indicator {indicator.id!r} admits {value}")


def _rule_inputs(
    indicator: Indicator, target: Target | Decimal | None, period: Period | None
) -> rating.RuleInputs:
    if isinstance(target, Decimal):
        target = Target.point(target)
    in_force: TargetSpec | None = target
    if in_force is None and indicator.target is not None:
        in_force = indicator.target.in_force(period)
    if isinstance(in_force, BenchmarkTarget):
        raise ValueError(
            f"indicator {indicator.id!r} takes its target from the {in_force.benchmark} "
            "column of the data; pass one"
        )
    if isinstance(in_force, ProfiledTarget):
        raise ValueError(
            f"indicator {indicator.id!r} has a profiled target, which depends on the period; "
            "pass one"
        )
    if in_force is None and indicator.scale.needs_target:
        raise ValueError(f"indicator {indicator.id!r} has no target in force; pass one")
    return rating.RuleInputs(
        indicator=indicator,
        target=in_force,
        tolerance=indicator.tolerance.in_force(period) if indicator.tolerance else None,
        stretch=indicator.stretch.in_force(period) if indicator.stretch else None,
    )
