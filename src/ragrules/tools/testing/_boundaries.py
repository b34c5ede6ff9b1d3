"""Values around an indicator's band boundaries, where a rating can go wrong."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ragrules.engine import rating
from ragrules.model.numbers import EXACT, MAX_DIGITS, NumberError, format_decimal, parse_decimal
from ragrules.model.periods import Period
from ragrules.model.rules import (
    Boundary,
    Indicator,
    Polarity,
)
from ragrules.model.units import with_unit
from ragrules.tools.testing._common import (
    _WIDE,
    as_period,
    exact_strategy,
    refuse_unless_rated_alone,
)
from ragrules.tools.testing._numbers import decimals_text
from ragrules.tools.testing._reference import TargetArgument, _reference, _rule_inputs


@attrs.frozen(kw_only=True)
class BoundaryValue:
    """A value on, or one unit in its last place either side of, a band's starting point.

    `text` is how it is written (digits vary; sometimes with the unit), `value` the number it
    means in the indicator's unit, `boundary` the band start, `step` -1, 0 or +1 units in the
    last place of `text` from it (in the direction of larger numbers). `band` is the status
    of the best band starting exactly there that a value rated alone can get, and
    `inclusive` whether that band takes its start (`boundary = "better"`, the default and the
    built-in scales' rule): if so, `band` is the status of a value exactly on it. A band with
    a travel condition is passed over, as the library passes it over for a value with no
    earlier value to compare with; where only such bands start, `band` is the status a value
    alone gets there and `inclusive` is True. `expected` is the status `reference_status`
    gives the value.
    """

    text: str
    value: Decimal
    boundary: Decimal
    step: int
    band: str
    inclusive: bool
    expected: str


def _band_starts(
    inputs: rating.RuleInputs, cuts: Sequence[rating.Cut]
) -> dict[Decimal, tuple[str, bool]]:
    """Each distinct band start (as a value), with the status of the best band starting there
    that a value alone can get and whether that band takes its start.

    A band with a travel condition is never met by a value rated alone (there is no earlier
    value to compare with): at a start only such bands have, the status is the one a value
    alone gets there, which it gets exactly on the start."""
    starts: dict[Decimal, tuple[str, bool] | None] = {}
    for cut in cuts:
        for bound in (cut.lower, cut.upper):
            if bound is None:
                continue
            exact = _exact_quotient(Fraction(bound) / Fraction(cut.multiplier))
            if exact is None or not _readable(format_decimal(exact)):
                continue
            if cut.band.travel is not None:
                starts.setdefault(exact, None)
            elif starts.get(exact) is None:
                starts[exact] = (cut.status, cut.band.boundary is Boundary.BETTER)
    return {
        start: found if found is not None else (_reference(inputs, start), True)
        for start, found in starts.items()
    }


def _readable(text: str) -> bool:
    """Whether data can state the number: a start needing more significant digits than a
    value may have (a 1E-60 margin on a 1E+59 target) is never met exactly by any value."""
    try:
        parse_decimal(text)
    except NumberError:
        return False
    return True


def _exact_quotient(fraction: Fraction) -> Decimal | None:
    denominator = fraction.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return None  # not a terminating decimal: no text can be written exactly on it
    return EXACT.divide(Decimal(fraction.numerator), Decimal(fraction.denominator))


def _places(number: Decimal) -> int:
    text = format_decimal(number)
    return len(text.split(".", 1)[1]) if "." in text else 0


@st.composite
def _boundary_values(
    draw: st.DrawFn,
    inputs: rating.RuleInputs,
    starts: tuple[tuple[Decimal, tuple[str, bool]], ...],
    max_extra_zeros: int,
) -> BoundaryValue:
    boundary, (band, inclusive) = draw(st.sampled_from(starts))
    extra = draw(st.integers(min_value=0, max_value=max_extra_zeros))
    step = draw(st.sampled_from((0, -1, 1)))
    while True:
        ulp = Decimal(1).scaleb(-(_places(boundary) + extra), EXACT)
        value = EXACT.add(boundary, EXACT.multiply(Decimal(step), ulp))
        text = format(value.quantize(ulp, context=_WIDE), "f")
        if _readable(text) or (step == 0 and extra == 0):
            break  # the start itself, with no extra zeros, is readable (`_band_starts`)
        # Over the digits a value may have: fewer trailing zeros, then (a neighbour a digit
        # longer than the start, 9.99 to 10.00) the start itself.
        if extra:
            extra -= 1
        else:
            step = 0
    if draw(st.booleans()):
        text = with_unit(text, inputs.indicator.unit)
    return BoundaryValue(
        text=text,
        value=value,
        boundary=boundary,
        step=step,
        band=band,
        inclusive=inclusive,
        expected=_reference(inputs, value),
    )


def _judged_inputs(
    indicator: Indicator, target: TargetArgument | None, period: Period | str | None, what: str
) -> tuple[rating.RuleInputs, Period | None]:
    """The rule a value alone is rated by in `period`, for a strategy aiming at its bands;
    ValueError for an indicator no value alone tests (rated from counts, a minimum) and a
    version that is neutral (shown, never judged: it has no bands to aim at)."""
    refuse_unless_rated_alone(indicator, what)
    when = as_period(indicator, period)
    if indicator.at(when).polarity is Polarity.NEUTRAL:
        during = "" if when is None else f" in {when}"
        raise ValueError(
            f"indicator {indicator.id!r} is neutral{during}: shown, never judged, so it has "
            "no band boundaries"
        )
    return _rule_inputs(indicator, target, when), when


@exact_strategy
def boundary_values(
    indicator: Indicator,
    target: TargetArgument | None = None,
    *,
    period: Period | str | None = None,
    max_extra_zeros: int = 3,
) -> SearchStrategy[BoundaryValue]:
    """Values exactly on, and one unit in the last place either side of, every band start.

    Band starts are computed by `ragrules.engine.rating.compile_cuts` for the indicator as in
    force for `period` (a `Period` or text: its dated polarity, scale and thresholds), for
    `target` (a Target or a number in the indicator's unit; default: the target in force
    for `period`, a profiled one's share of it) and the margins in force. Each value is
    written with the start's own decimal places plus 0 to `max_extra_zeros` more (so
    `23.4`, `23.40`, `23.400`, and their neighbours `23.3`/`23.5`, `23.39`/`23.41`, ...),
    sometimes followed by the indicator's unit. Starts that are not terminating decimals
    (a ratio band of a lower-is-better indicator), or that need more significant digits than
    a value may have (`MAX_DIGITS`), cannot be written and are skipped; a neighbour that
    would need one digit more is the start itself.

    Refused with ValueError: an indicator rated from its counts or with a minimum (a value
    alone is not a row it rates), a version that is neutral, and one with no target known.
    """
    inputs, period = _judged_inputs(indicator, target, period, "boundary_values")
    try:
        cuts = rating.compile_cuts(inputs)
    except rating.CannotRate as exc:
        raise ValueError(
            f"indicator {indicator.id!r} cannot be rated for period {period}: {exc.reason}"
        ) from None
    starts = _band_starts(inputs, cuts)
    if not starts:
        raise ValueError(f"indicator {indicator.id!r} has no band start to test")
    widest = max(len(start.as_tuple().digits) for start in starts)
    limit = max(0, min(max_extra_zeros, MAX_DIGITS - widest))
    return _boundary_values(inputs, tuple(sorted(starts.items())), limit)


@exact_strategy
def values(
    indicator: Indicator,
    target: TargetArgument | None = None,
    *,
    period: Period | str | None = None,
) -> SearchStrategy[str]:
    """Numbers as text for one indicator: mostly at or next to its band boundaries, else
    anywhere near its target (see `boundary_values`, `decimals_text`), with the settings in
    force for `period`. Refused with ValueError as `boundary_values` refuses."""
    inputs, period = _judged_inputs(indicator, target, period, "values")
    version = inputs.indicator
    landmarks = [value for _, value in version.thresholds]
    landmarks += [end for _, span in version.threshold_ranges for end in (span.lower, span.upper)]
    if inputs.target is not None:
        landmarks += [inputs.target.lower, inputs.target.upper]
    reach = sum(int(abs(landmark)) for landmark in landmarks) + 10
    return st.one_of(
        boundary_values(indicator, target, period=period).map(lambda boundary: boundary.text),
        decimals_text(min_value=-2 * reach, max_value=2 * reach, max_places=4),
    )
