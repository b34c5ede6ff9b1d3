"""Load-time checks that an indicator's scale fits its targets and every band is reachable."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from ragrules.engine import rating
from ragrules.formats.loading._getters import Getters
from ragrules.model.numbers import (
    EXACT,
)
from ragrules.model.rules import (
    Basis,
    Indicator,
    Margin,
    Point,
    PointKind,
    Polarity,
    ProfiledTarget,
    Target,
)


class Checks(Getters):
    """Load-time checks of a scale: it fits the targets given, and every band can be reached."""

    def check_scale_fits(
        self,
        indicator: Indicator,
        path: str,
        thresholds_path: Callable[[], str | None] | None = None,
    ) -> None:
        """The scale's bands can be computed for this indicator, and each can be reached.

        `thresholds_path` finds where the thresholds in force are written (a dated entry),
        asked only for a threshold the scale needs and they lack; else the indicator's path."""
        in_range = indicator.polarity is Polarity.IN_RANGE
        scale = indicator.scale
        if in_range and (scale.significance is not None or scale.quantiles is not None):
            how = "a significance test" if scale.significance is not None else "quantiles"
            self.problem(
                path,
                f"scale {scale.name!r} rates by {how}, which an in-range indicator is never "
                "rated by: every row of it will be not-compared",
                'give it polarity = "neutral" to compare it without a judgement, or a '
                "scale with bands",
                warning=True,
            )
            return
        names = indicator.threshold_ranges if in_range else indicator.thresholds
        # What the bands need of an indicator: one check answers for every indicator alike.
        needs = (
            id(indicator.scale),
            in_range,
            indicator.tolerance is None,
            indicator.stretch is None,
            tuple(name for name, _ in names),
        )
        missing = needs not in self.fitting and self._bands_missing(
            indicator, path, in_range, thresholds_path
        )
        if not missing:
            self.fitting[needs] = indicator.scale  # kept, so that its id is not reused
        fixed = (
            [t for t in indicator.target.values() if isinstance(t, Target)]
            if indicator.target
            else []
        )
        for target in fixed:
            if not target.is_point and not in_range:
                self.problem(f"{path}.target", 'a target range needs polarity = "in-range"')
                missing = True
        if indicator.target and any(
            band.start is not None and band.start.kind is PointKind.RATIO
            for band in indicator.scale.bands
        ):
            missing = self._profiles_positive(indicator, path) or missing
        # Targets from benchmarks are known only with the data, so only fixed ones are checked.
        if not missing and (fixed or not indicator.scale.needs_target):
            self.check_reachable(indicator, path, fixed)

    def _profiles_positive(self, indicator: Indicator, path: str) -> bool:
        """Whether a profiled target gives a period a target of zero or less, which a ratio
        band cannot be worked out from (reported: as a fixed target of zero is)."""
        assert indicator.target is not None
        for target in indicator.target.values():
            if not isinstance(target, ProfiledTarget):
                continue
            shares = target.shares or (Decimal(1),)
            if target.annual > 0 and all(share > 0 for share in shares):
                continue
            self.problem(
                f"{path}.target",
                f"scale {indicator.scale.name!r} has a ratio band, which needs a target "
                f"above zero, and the profiled target ({target}) gives some period a "
                "target of zero or less",
                "give an annual target above zero, and every share of it above 0%",
            )
            return True
        return False

    def _bands_missing(
        self,
        indicator: Indicator,
        path: str,
        in_range: bool,
        thresholds_path: Callable[[], str | None] | None,
    ) -> bool:
        """Whether a band needs a setting the indicator lacks (each reported)."""
        scale = indicator.scale
        missing = False
        for band in scale.bands:
            start = band.start
            if start is None:
                continue
            if start.margin == "tolerance" and indicator.tolerance is None:
                self.needs(
                    path,
                    f"scale {scale.name!r} needs a tolerance for band {band.status!r}",
                    'set tolerance = { relative = "5%" } here or in [defaults]',
                )
                missing = True
            if start.margin == "stretch" and indicator.stretch is None:
                self.needs(
                    path,
                    f"scale {scale.name!r} needs a stretch margin for band {band.status!r}",
                    'set stretch = { relative = "10%" } here or in [defaults]',
                )
                missing = True
            named = str(start.threshold)
            if (
                start.kind is PointKind.THRESHOLD
                and (indicator.threshold_range(named) if in_range else indicator.threshold(named))
                is None
            ):
                self.needs(
                    (thresholds_path() if thresholds_path else None) or path,
                    f"scale {scale.name!r} needs the threshold {start.threshold!r} "
                    f"for band {band.status!r}",
                    f"add thresholds = {{ {start.threshold} = "
                    f"{'{ lower = ..., upper = ... }' if in_range else '...'} }}",
                )
                missing = True
            if in_range and start.kind in (PointKind.RATIO, PointKind.BETTER_BY):
                self.problem(
                    path,
                    f"band {band.status!r} starts from {start.kind.value}, "
                    "which has no meaning for an in-range indicator",
                    "in-range scales use target, worse-by and threshold (a range) points",
                )
                missing = True
        return missing

    def check_reachable(self, indicator: Indicator, path: str, fixed: list[Target]) -> None:
        """Every band can be assigned for every combination of target and margins in force."""
        scale = indicator.scale
        targets: list[Target | None] = list(fixed) or [None]
        tolerances: list[Margin | None] = (
            list(indicator.tolerance.values()) if indicator.tolerance else [None]
        )
        stretches: list[Margin | None] = (
            list(indicator.stretch.values()) if indicator.stretch else [None]
        )
        reported: set[object] = set()  # statuses, and (side, status) of a range's ends
        for target, tolerance, stretch in itertools.product(targets, tolerances, stretches):
            shape = self._shape(indicator, target, tolerance, stretch)
            if shape is not None and shape in self.reachable:
                continue  # checked for another target of this shape: every band reachable
            inputs = rating.RuleInputs(
                indicator=indicator, target=target, tolerance=tolerance, stretch=stretch
            )
            try:
                cuts = rating.compile_cuts(inputs)
            except rating.CannotRate as exc:
                self.problem(f"{path}.target", exc.reason)
                return
            unreachable = _unreachable(cuts, indicator.polarity)
            hidden = {cuts[index].status for index in unreachable}  # reported below
            for side, named, status, hint in _zero_range_ends(cuts, inputs):
                if status in hidden or (side, status) in reported:
                    continue
                reported.add((side, status))
                self.problem(
                    f"{path}.{named}",
                    f"band {status!r} is empty {side} the range for this indicator: a "
                    f"relative {named} of a range's end of zero is zero",
                    f"give that side an absolute {named}: {named} = {hint}",
                    warning=True,
                )
            if shape is not None and not unreachable:
                self.reachable[shape] = indicator.scale  # kept, so its id is not reused
            for index in unreachable:
                status = cuts[index].status
                if status in reported:
                    continue
                reported.add(status)
                zero = _zero_margin(cuts, inputs)
                if zero is not None:
                    # Not a mistake in the scale: this indicator's margin is zero here.
                    zero_target = inputs.target is not None and 0 in (
                        inputs.target.lower,
                        inputs.target.upper,
                    )
                    reason = (
                        f"a relative {zero} on a zero target is zero"
                        if zero_target
                        else f"its {zero} is zero"
                    )
                    self.problem(
                        f"{path}.{zero}",
                        f"band {status!r} is empty for this indicator: {reason}",
                        f"use an absolute {zero} for a zero target"
                        if zero_target
                        else f"give a {zero} above zero",
                        warning=True,
                    )
                    continue
                self.problem(
                    path,
                    f"band {status!r} of scale {scale.name!r} can never be assigned "
                    "to this indicator",
                    "its start is no worse than a band before it; check the order of the "
                    "bands and the indicator's thresholds",
                )

    def _shape(
        self,
        indicator: Indicator,
        target: Target | None,
        tolerance: Margin | None,
        stretch: Margin | None,
    ) -> tuple[object, ...] | None:
        """What alone decides whether every band can be reached, when it is less than the
        numbers: a point target, and bands that start at it or a margin from it, the margins
        all relative or all absolute. Relative margins scale with the target and absolute ones
        move with it, so the bands' starts come in the same order for every target of one
        sign, and one check answers for all of them. None when the numbers themselves decide.

        Whether the bands and margins have such a shape is found once for each scale,
        polarity and pair of margins (`self.shaped`), not once per indicator."""
        if target is None or not target.is_point:
            return None
        scale, polarity = indicator.scale, indicator.polarity
        how = (id(scale), polarity, tolerance, stretch)
        known = self.shaped.get(how)
        if known is None:
            known = self.shaped[how] = (scale, _shaped(indicator, tolerance, stretch))
        if not known[1]:
            return None
        sign = (target.value > 0) - (target.value < 0)
        return (id(scale), polarity, sign, tolerance, stretch)


def _shaped(indicator: Indicator, tolerance: Margin | None, stretch: Margin | None) -> bool:
    """Whether the indicator's bands start at its target or one kind of margin from it."""
    if indicator.polarity not in (Polarity.HIGHER, Polarity.LOWER):
        return False
    bases = set()
    for band in indicator.scale.bands:
        start = band.start
        if start is None or start.kind is PointKind.TARGET:
            continue
        if start.kind not in (PointKind.WORSE_BY, PointKind.BETTER_BY):
            return False  # a threshold or a ratio: where it falls depends on the target
        margin = rating.margin_for(start, tolerance, stretch)
        if margin is None or margin.above is not None:
            return False
        bases.add(margin.basis)
    return len(bases) <= 1  # relative and absolute: their order depends on the target's size


def _zero_margin(cuts: tuple[rating.Cut, ...], inputs: rating.RuleInputs) -> str | None:
    """The margin ('tolerance' or 'stretch') that is zero for this indicator, if any.

    A zero margin puts two bands' starts together, so one of them can never be assigned.
    """
    for cut in cuts:
        start = cut.band.start
        if (
            start is not None
            and start.kind in (PointKind.WORSE_BY, PointKind.BETTER_BY)
            and _resolved(start, inputs) == 0
        ):
            return start.margin if isinstance(start.margin, str) else "margin"
    return None


def _zero_range_ends(
    cuts: tuple[rating.Cut, ...], inputs: rating.RuleInputs
) -> list[tuple[str, str, str, str]]:
    """(side, margin, status, hint) for each band that a relative margin starts from an end of a
    range target that is zero: the margin is zero on that side, so the band is empty there
    (Camms' zero-target trap on one side of the range), though not on the other."""
    target = inputs.target
    if target is None or target.is_point:
        return []
    found = []
    for cut in cuts:
        start = cut.band.start
        if start is None or start.kind not in (PointKind.WORSE_BY, PointKind.BETTER_BY):
            continue
        margin = rating.margin_for(start, inputs.tolerance, inputs.stretch)
        if margin is None:
            continue
        named = start.margin if isinstance(start.margin, str) else "margin"
        below, above = margin, margin.upper_side
        if below.basis is Basis.RELATIVE and below.amount and target.lower == 0:
            hint = f"{{ below = {{ absolute = ... }}, above = {_side(above)} }}"
            found.append(("below", named, cut.status, hint))
        if above.basis is Basis.RELATIVE and above.amount and target.upper == 0:
            hint = f"{{ below = {_side(below)}, above = {{ absolute = ... }} }}"
            found.append(("above", named, cut.status, hint))
    return found


def _side(margin: Margin) -> str:
    """One side of a margin as TOML: `{ relative = "10%" }`."""
    key = "relative" if margin.basis is Basis.RELATIVE else "absolute"
    return f'{{ {key} = "{margin.text or margin.amount}" }}'


def _resolved(start: Point, inputs: rating.RuleInputs) -> Decimal:
    margin = rating.margin_for(start, inputs.tolerance, inputs.stretch)
    assert margin is not None
    assert inputs.target is not None
    return margin.resolve(inputs.target.value)


def _unreachable(cuts: tuple[rating.Cut, ...], polarity: Polarity) -> list[int]:
    """Indexes of cuts that every value they admit is admitted by an earlier cut.

    A band with a travel condition admits only some values in its region, so it never hides
    the bands after it; it is reachable when its region is not hidden by earlier bands.
    """
    found = []
    # Per side, the best (lowest oriented) start so far and whether it was inclusive.
    sides: dict[str, tuple[Fraction | Decimal, bool]] = {}
    for index, cut in enumerate(cuts):
        conditional = cut.band.travel is not None
        starts = _oriented_starts(cut, polarity)
        if not starts:  # no start: reachable unless an earlier cut admits everything
            if "all" in sides:
                found.append(index)
            if not conditional:
                sides["all"] = (Fraction(0), True)
            continue
        reachable = "all" not in sides and any(
            side not in sides
            or start < sides[side][0]
            or (start == sides[side][0] and cut.inclusive and not sides[side][1])
            for side, start in starts.items()
        )
        if not reachable:
            found.append(index)
        if conditional:
            continue
        for side, start in starts.items():
            best = sides.get(side)
            if best is None or start < best[0] or (start == best[0] and cut.inclusive):
                sides[side] = (start, cut.inclusive)
    return found


def _oriented_starts(cut: rating.Cut, polarity: Polarity) -> dict[str, Fraction | Decimal]:
    """Each bound of a cut as a number where larger is better, keyed by side.

    Bounds divided by a ratio band's multiplier are exact Fractions; the others stay Decimals
    (Decimal and Fraction compare exactly).
    """
    starts: dict[str, Fraction | Decimal] = {}
    if cut.scaled:
        multiplier = Fraction(cut.multiplier)
        if cut.lower is not None:
            starts["low"] = Fraction(cut.lower) / multiplier
        if cut.upper is not None:
            starts["high"] = -Fraction(cut.upper) / multiplier
        return starts
    if cut.lower is not None:
        starts["low"] = cut.lower
    if cut.upper is not None:
        starts["high"] = EXACT.minus(cut.upper)  # exact whatever the caller's context
    return starts
