"""The rating rule stated independently, with exact fractions, to compare the library with."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ragrules.engine import rating
from ragrules.engine._targets import profiled
from ragrules.model.numbers import EXACT, NumberError, in_exact_context, to_decimal
from ragrules.model.observations import is_missing, read_value
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
    Unrated,
)
from ragrules.tools.testing._common import _ROUNDING, _WIDE, Number, as_period

# What `target=` takes: a target, or a number in the indicator's unit.
TargetArgument = Target | Number


@in_exact_context
def reference_status(
    indicator: Indicator,
    value: Number,
    target: TargetArgument | None = None,
    *,
    period: Period | str | None = None,
) -> str:
    """The status DESIGN section 3 gives `value`, computed with exact fractions.

    For the built-in `rag` and `brag` scales and higher- or lower-is-better this is the rule
    as written: with the gap to the target oriented so positive is better, blue iff the gap
    is at least the stretch, green iff it is at least 0, amber iff it is at least minus the
    tolerance (a relative margin is a fraction of |T|), red otherwise. Other scales are
    evaluated band by band on the cuts `compile_cuts` gives, in fractions; bands with a
    travel condition are passed over, as for a value rated with no earlier value to compare.
    The indicator's rounding is applied first. The settings are those in force for `period`
    (a `Period` or text: its dated polarity, scale, thresholds, target and margins); a
    version that is neutral gives `neutral`, as the library does.

    `value` is a number as the library reads one: text in the indicator's unit (`"23.4%"`),
    an int, a Decimal, or a float through its shortest repr. A value the library does not
    rate (a bool, None, NaN, unreadable text) is refused with TypeError or ValueError. The
    rule is stated for the value alone: a rate indicator's rate, with no minimum applied.
    """
    if not isinstance(indicator, Indicator):
        raise TypeError(
            f"reference_status takes an Indicator (ruleset.indicator(id)), not {indicator!r}"
        )
    when = as_period(indicator, period)
    number = _value_number(indicator, value)
    if indicator.at(when).polarity is Polarity.NEUTRAL:
        return Unrated.NEUTRAL.value  # shown, never judged, whatever its target
    return _reference(_rule_inputs(indicator, target, when), number)


def _value_number(indicator: Indicator, value: object) -> Decimal:
    if isinstance(value, bool):
        raise TypeError(f"value {value!r} is a boolean, not a number: the library rates it invalid")
    if is_missing(value):
        raise ValueError(
            f"value {value!r} is no value: the library rates such a row no-data; pass a number"
        )
    if isinstance(value, str):
        reading = read_value(value, indicator.unit)
        if reading.number is None:
            raise ValueError(f"value {value!r} is not a number: {reading.reason}")
        return reading.number
    if not isinstance(value, int | float | Decimal):
        raise TypeError(
            f"value must be a number (int, float, Decimal or text), not {type(value).__name__}"
        )
    try:
        return to_decimal(value)
    except NumberError as exc:
        raise ValueError(f"value {value!r} is not a number the library rates: {exc}") from None


def _reference(inputs: rating.RuleInputs, value: Decimal) -> str:
    indicator = inputs.indicator
    if indicator.rounding is not None:
        value = value.quantize(
            Decimal(1).scaleb(-indicator.rounding.places, EXACT),
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
    indicator: Indicator, target: TargetArgument | None, period: Period | None
) -> rating.RuleInputs:
    """What the library rates a value alone against in `period`: the indicator's version in
    force then (`Indicator.at`: dated polarity, scale and thresholds), `target` or the
    target in force (a profiled one's share for the period), and the margins in force."""
    version = indicator.at(period)
    during = "" if period is None else f" in {period}"
    in_force: TargetSpec | None = _target_argument(version, target)
    if in_force is None and indicator.target is not None:
        if period is None and indicator.target.is_dated:
            raise ValueError(
                f"indicator {indicator.id!r} has a target that depends on the period; pass period="
            )
        in_force = indicator.target.in_force(period)
    if isinstance(in_force, BenchmarkTarget):
        raise ValueError(
            f"indicator {indicator.id!r} takes its target from the {in_force.benchmark} "
            "column of the data; pass target="
        )
    if isinstance(in_force, ProfiledTarget):
        if period is None:
            raise ValueError(
                f"indicator {indicator.id!r} has a profiled target, which depends on the "
                "period; pass period="
            )
        share, problem = profiled(in_force, period)
        if share is None:
            raise ValueError(f"indicator {indicator.id!r} has no target{during}: {problem}")
        in_force = Target.point(share)
    if in_force is None and version.scale.needs_target:
        raise ValueError(f"indicator {indicator.id!r} has no target in force{during}; pass target=")
    return rating.RuleInputs(
        indicator=version,
        target=in_force,
        tolerance=indicator.tolerance.in_force(period) if indicator.tolerance else None,
        stretch=indicator.stretch.in_force(period) if indicator.stretch else None,
    )


def _target_argument(indicator: Indicator, target: object) -> Target | None:
    """`target=` as a Target: a number (text in the indicator's unit, `"30%"`) is a point."""
    if target is None or isinstance(target, Target):
        return target
    if isinstance(target, str):
        reading = read_value(target, indicator.unit)
        if reading.number is None:
            raise ValueError(f"target {target!r} is not a number: {reading.reason}")
        return Target.point(reading.number)
    if isinstance(target, bool) or not isinstance(target, int | float | Decimal):
        raise TypeError(
            f"target must be a Target or a number (int, float, Decimal or text), not {target!r}"
        )
    try:
        return Target.point(to_decimal(target))
    except NumberError as exc:
        raise ValueError(f"target {target!r} is not a number: {exc}") from None
