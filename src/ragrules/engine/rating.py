"""The pure rating core: a value and its rule in, a status and the bounds that decided it out.

`compile_cuts` turns a scale's bands into concrete regions of the value line for one
indicator, target and margin (once per rule, not per value); `band_for` finds the first
region that admits a value. All arithmetic is exact decimal arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

import attrs

from ragrules.model.numbers import EXACT, format_decimal
from ragrules.model.rules import (
    Band,
    Boundary,
    Indicator,
    Judgement,
    Margin,
    Point,
    PointKind,
    Polarity,
    Target,
    TravelCondition,
    Unrated,
)

_ONE = Decimal(1)


@attrs.frozen(kw_only=True)
class Cut:
    """The values one band admits: `lower <= value * multiplier <= upper` (bounds optional).

    Bounds are inclusive when the band's boundary goes to the better band (the default).
    """

    status: str
    band: Band
    lower: Decimal | None = None
    upper: Decimal | None = None
    inclusive: bool = True
    multiplier: Decimal = _ONE

    # Precomputed at construction, so `band_for` reads plain attributes in its loop.
    travel: TravelCondition | None = attrs.field(init=False, eq=False, repr=False)
    scaled: bool = attrs.field(init=False, eq=False, repr=False)

    _condition: str = attrs.field(init=False, eq=False, repr=False, default="")

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "travel", self.band.travel)
        object.__setattr__(self, "scaled", self.multiplier != _ONE)

    def admits(self, value: Decimal) -> bool:
        scaled = EXACT.multiply(value, self.multiplier) if self.scaled else value
        lower, upper = self.lower, self.upper
        if self.inclusive:
            return (lower is None or scaled >= lower) and (upper is None or scaled <= upper)
        return (lower is None or scaled > lower) and (upper is None or scaled < upper)

    def condition(self) -> str:
        """The cut as a comparison: `value >= 28.5`, `value x 0.9 <= 30`."""
        if not self._condition:  # written on first use, then kept: every reason quotes it
            object.__setattr__(self, "_condition", self._written())
        return self._condition

    def _written(self) -> str:
        subject = (
            "value" if self.multiplier == _ONE else f"value x {format_decimal(self.multiplier)}"
        )
        parts = []
        if self.lower is not None:
            parts.append(
                f"{subject} {'>=' if self.inclusive else '>'} {format_decimal(self.lower)}"
            )
        if self.upper is not None:
            parts.append(
                f"{subject} {'<=' if self.inclusive else '<'} {format_decimal(self.upper)}"
            )
        return " and ".join(parts) or "any value"


@attrs.frozen(kw_only=True)
class RuleInputs:
    """Everything a scale's bands may refer to, as in force for one observation."""

    indicator: Indicator
    target: Target | None
    tolerance: Margin | None
    stretch: Margin | None


class CannotRate(Exception):
    """The rule cannot produce a status for this observation (e.g. no tolerance in force)."""

    def __init__(self, unrated: Unrated, reason: str) -> None:
        super().__init__(reason)
        self.unrated = unrated
        self.reason = reason


def compile_cuts(inputs: RuleInputs) -> tuple[Cut, ...]:
    """Turn the indicator's scale into concrete cuts for this target and these margins."""
    return tuple(_compile_band(band, inputs) for band in inputs.indicator.scale.bands)


def band_for(
    cuts: tuple[Cut, ...],
    value: Decimal,
    judgements: Mapping[str, Judgement | None] | None = None,
) -> int:
    """Index of the first cut that admits `value`; bands are tried best first.

    A band with a travel condition also needs its comparison's judgement (`judgements` maps
    comparison names to judgements) to be one it lists.
    """
    for index, cut in enumerate(cuts):
        condition = cut.travel
        if condition is None or (
            judgements is not None and judgements.get(condition.comparison) in condition.judgements
        ):
            # Cut.admits, inlined: this loop is the hot path of every rating.
            scaled = EXACT.multiply(value, cut.multiplier) if cut.scaled else value
            lower, upper = cut.lower, cut.upper
            if cut.inclusive:
                if (lower is None or scaled >= lower) and (upper is None or scaled <= upper):
                    return index
            elif (lower is None or scaled > lower) and (upper is None or scaled < upper):
                return index
    # Loading guarantees a catch-all last band; a hand-built scale may lack one.
    raise CannotRate(Unrated.INVALID, f"no band of the scale admits the value {value}")


def _compile_band(band: Band, inputs: RuleInputs) -> Cut:
    inclusive = band.boundary is Boundary.BETTER
    if band.start is None:
        return Cut(status=band.status, band=band, inclusive=inclusive)
    lower, upper, multiplier = _POINT_COMPILERS[band.start.kind](band.start, inputs)
    return Cut(
        status=band.status,
        band=band,
        lower=lower,
        upper=upper,
        inclusive=inclusive,
        multiplier=multiplier,
    )


_Bounds = tuple[Decimal | None, Decimal | None, Decimal]


def margin_for(point: Point, tolerance: Margin | None, stretch: Margin | None) -> Margin | None:
    """The margin a band start moves the target by: its own, or the indicator's named one."""
    if isinstance(point.margin, Margin):
        return point.margin
    return tolerance if point.margin == "tolerance" else stretch


def _margin(point: Point, inputs: RuleInputs) -> Margin:
    margin = margin_for(point, inputs.tolerance, inputs.stretch)
    if margin is None:
        raise CannotRate(
            Unrated.NO_TARGET, f"the scale needs a {point.margin}, and none is in force"
        )
    return margin


def _gap_bounds(
    inputs: RuleInputs,
    offset: Callable[[Decimal], Decimal],
    upper_offset: Callable[[Decimal], Decimal] | None = None,
) -> _Bounds:
    """Bounds for 'at least as good as the target moved by offset(target magnitude)'; a
    range's upper end moves by `upper_offset` when it differs (a two-sided margin)."""
    target = _need_target(inputs)
    polarity = inputs.indicator.polarity
    if polarity is Polarity.HIGHER:
        return EXACT.add(target.value, offset(target.value)), None, _ONE
    if polarity is Polarity.LOWER:
        return None, EXACT.subtract(target.value, offset(target.value)), _ONE
    # In range: good between the bounds, each side moved outward by its own margin.
    upper = upper_offset or offset
    return (
        EXACT.add(target.lower, offset(target.lower)),
        EXACT.subtract(target.upper, upper(target.upper)),
        _ONE,
    )


def _need_target(inputs: RuleInputs) -> Target:
    if inputs.target is None:
        raise CannotRate(Unrated.NO_TARGET, "the scale measures from a target")
    return inputs.target


def _target(point: Point, inputs: RuleInputs) -> _Bounds:
    return _gap_bounds(inputs, lambda _magnitude: Decimal(0))


def _worse_by(point: Point, inputs: RuleInputs) -> _Bounds:
    margin = _margin(point, inputs)
    upper = margin.upper_side
    return _gap_bounds(
        inputs,
        lambda magnitude: EXACT.minus(margin.resolve(magnitude)),
        lambda magnitude: EXACT.minus(upper.resolve(magnitude)),
    )


def _better_by(point: Point, inputs: RuleInputs) -> _Bounds:
    margin = _margin(point, inputs)
    return _gap_bounds(inputs, margin.resolve, margin.upper_side.resolve)


def _threshold(point: Point, inputs: RuleInputs) -> _Bounds:
    assert point.threshold is not None
    indicator = inputs.indicator
    if indicator.polarity is Polarity.IN_RANGE:
        # A named range: values within it (the loader allows no single number here).
        span = indicator.threshold_range(point.threshold)
        if span is None:
            raise CannotRate(Unrated.NO_TARGET, f"the threshold {point.threshold!r} is not set")
        return span.lower, span.upper, _ONE
    value = indicator.threshold(point.threshold)
    if value is None:
        raise CannotRate(Unrated.NO_TARGET, f"the threshold {point.threshold!r} is not set")
    if inputs.indicator.polarity is Polarity.LOWER:
        return None, value, _ONE
    return value, None, _ONE


def _ratio(point: Point, inputs: RuleInputs) -> _Bounds:
    assert point.ratio is not None
    target = _need_target(inputs).value
    if target <= 0:
        raise CannotRate(
            Unrated.NO_TARGET,
            f"a ratio to the target needs a positive target, got {target}",
        )
    if inputs.indicator.polarity is Polarity.LOWER:
        # target / value >= ratio, written without division: value * ratio <= target.
        return None, target, point.ratio
    return EXACT.multiply(point.ratio, target), None, _ONE


_POINT_COMPILERS: dict[PointKind, Callable[[Point, RuleInputs], _Bounds]] = {
    PointKind.TARGET: _target,
    PointKind.WORSE_BY: _worse_by,
    PointKind.BETTER_BY: _better_by,
    PointKind.THRESHOLD: _threshold,
    PointKind.RATIO: _ratio,
}
