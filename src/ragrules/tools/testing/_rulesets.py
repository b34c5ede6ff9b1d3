"""Rulesets as model objects: margins, indicators and whole rulesets, generated."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ragrules.engine.ruleset import Ruleset
from ragrules.model.numbers import EXACT, RoundingMode, in_exact_context
from ragrules.model.rules import (
    BRAG,
    Basis,
    Indicator,
    Margin,
    Polarity,
    Rounding,
    Schedule,
    Target,
)
from ragrules.tools.testing._common import (
    _ID_ALPHABET,
    _SCALES,
    Number,
    ScaleName,
    as_number,
    exact_strategy,
)
from ragrules.tools.testing._numbers import _decimals, _plain


@exact_strategy
def margins(
    basis: Basis | None = None,
    *,
    max_percent: Number = 50,
    max_absolute: Number = 1_000,
    allow_zero: bool = True,
) -> SearchStrategy[Margin]:
    """Tolerance or stretch margins: relative (`5%` of the target) or absolute (`2.5`).

    Relative amounts are whole or two-place percentages up to `max_percent`; absolute amounts
    have up to three places and are in the indicator's unit. `basis` fixes the kind. The
    maxima are numbers (ints, Decimals, text, or floats through their shortest repr).
    """
    most_percent = as_number(max_percent, "max_percent")
    most_absolute = as_number(max_absolute, "max_absolute")
    least = 0 if allow_zero else 1  # without zero, the smallest whole margin is 1
    for name, most in (("max_percent", most_percent), ("max_absolute", most_absolute)):
        if most < least:
            raise ValueError(f"{name} must be at least {least} with {allow_zero=}, not {most}")
    relative = st.integers(min_value=0, max_value=2).flatmap(
        lambda places: st.decimals(
            min_value=Decimal(0) if allow_zero else Decimal(1).scaleb(-places, EXACT),
            max_value=most_percent,
            places=places,
        ).map(relative_margin)
    )
    absolute = st.integers(min_value=0, max_value=3).flatmap(
        lambda places: st.decimals(
            min_value=Decimal(0) if allow_zero else Decimal(1).scaleb(-places, EXACT),
            max_value=most_absolute,
            places=places,
        ).map(absolute_margin)
    )
    if basis is Basis.RELATIVE:
        return relative
    if basis is Basis.ABSOLUTE:
        return absolute
    return st.one_of(relative, absolute)


@in_exact_context
def relative_margin(percent: Number) -> Margin:
    """A margin of `percent` per cent of the target, as a ruleset writes it (`"12.5%"`).

    `percent` is a number of per cent: `12.5`, `Decimal("12.5")`, `"12.5"` or `"12.5%"` (a
    float through its shortest repr). A negative one is refused with ValueError."""
    text = percent.strip().removesuffix("%") if isinstance(percent, str) else percent
    number = as_number(text, "percent")
    return Margin(basis=Basis.RELATIVE, amount=number.scaleb(-2, EXACT), text=f"{_plain(number)}%")


@in_exact_context
def absolute_margin(amount: Number) -> Margin:
    """A margin of `amount` in the indicator's unit: `2.5`, `Decimal("2.5")` or `"2.5"` (a
    float through its shortest repr). A negative one is refused with ValueError."""
    number = as_number(amount, "amount")
    return Margin(basis=Basis.ABSOLUTE, amount=number, text=_plain(number))


def indicator_ids() -> SearchStrategy[str]:
    """Indicator ids as rulesets write them: lower case, digits and hyphens."""
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
        st.text(alphabet=_ID_ALPHABET, max_size=15),
    )


@st.composite
def _indicators(
    draw: st.DrawFn,
    polarity: Polarity | None,
    scale: ScaleName | None,
    rounding: bool,
    unit: str | None,
) -> Indicator:
    chosen_polarity = polarity or draw(st.sampled_from((Polarity.HIGHER, Polarity.LOWER)))
    chosen_scale = _SCALES[scale or draw(st.sampled_from(("rag", "brag")))]
    # brag's blue band starts at the target moved to the better side by the stretch.
    stretch = Schedule.always(draw(margins())) if chosen_scale is BRAG else None
    chosen_rounding = None
    if rounding and draw(st.booleans()):
        chosen_rounding = Rounding(
            places=draw(st.integers(min_value=0, max_value=4)),
            mode=draw(st.sampled_from(RoundingMode)),
        )
    return Indicator(
        id=draw(indicator_ids()),
        title=draw(st.sampled_from(("", "Children seen within 10 days", "Rate per 10,000"))),
        unit=unit
        or draw(st.sampled_from(("number", "percent", "count", "week", "day", "per_10000"))),
        polarity=chosen_polarity,
        target=Schedule.always(Target.point(draw(_decimals(10_000, 4)))),
        tolerance=Schedule.always(draw(margins())),
        stretch=stretch,
        rounding=chosen_rounding,
        scale=chosen_scale,
    )


@exact_strategy
def indicators(
    polarity: Polarity | None = None,
    *,
    scale: ScaleName | None = "rag",
    rounding: bool = False,
    unit: str | None = None,
) -> SearchStrategy[Indicator]:
    """Indicators with a point target (always in force) and a relative or absolute tolerance.

    `polarity` is higher- or lower-is-better (drawn when None). `scale` is the built-in
    `"rag"`, `"brag"` (which adds a stretch margin for blue), or None to draw either. With
    `rounding`, some indicators round values before rating. `unit` is a canonical unit name
    (drawn from a few when None); bare numbers in observations are in that unit.
    """
    _check_choices(polarity, scale)
    return _indicators(polarity, scale, rounding, unit)


def _check_choices(polarity: object, scale: object) -> None:
    if polarity not in (None, Polarity.HIGHER, Polarity.LOWER):
        raise ValueError(
            "polarity: indicators() draws higher- or lower-is-better indicators only "
            f"(Polarity.HIGHER, Polarity.LOWER or None), not {polarity!r}"
        )
    if scale is not None and scale not in _SCALES:
        raise ValueError(f"scale must be 'rag', 'brag' or None, not {scale!r}")


@st.composite
def _rulesets(
    draw: st.DrawFn,
    min_indicators: int,
    max_indicators: int,
    polarity: Polarity | None,
    scale: ScaleName | None,
    rounding: bool,
) -> Ruleset:
    chosen = draw(
        st.lists(
            indicators(polarity, scale=scale, rounding=rounding),
            min_size=min_indicators,
            max_size=max_indicators,
            unique_by=lambda indicator: indicator.id,
        )
    )
    return Ruleset(
        id=draw(indicator_ids()),
        title=draw(st.sampled_from(("", "Quarterly performance"))),
        version=draw(st.sampled_from(("", "1", "2024.1"))),
        indicators=tuple(chosen),
    )


@exact_strategy
def rulesets(
    *,
    min_indicators: int = 1,
    max_indicators: int = 6,
    polarity: Polarity | None = None,
    scale: ScaleName | None = None,
    rounding: bool = False,
) -> SearchStrategy[Ruleset]:
    """Rulesets of `indicators` (see there for the options) with unique indicator ids."""
    _check_choices(polarity, scale)
    return _rulesets(min_indicators, max_indicators, polarity, scale, rounding)
