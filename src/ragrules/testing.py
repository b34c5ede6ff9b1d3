"""Property-test your own ruleset: Hypothesis strategies and the design's invariants as checks.

Install the `testing` extra (``pip install "ragrules[testing]"``, which brings Hypothesis).
`import ragrules` never imports this module.

Strategies build ragrules objects and published-looking data: `decimals_text`, `spellings`,
`margins`, `indicators`, `rulesets`, `observations`, `values` and `boundary_values`. The
checks (`check_totality`, `check_monotonic`, `check_batch_independence`, `check_boundary`)
are plain functions that raise `AssertionError` with a message naming the indicator, the
values and what went wrong, so they work under pytest, unittest or a bare script.
`reference_status` is an independent statement of the rating rule (exact fractions, straight
from the design's formulas) to compare the library against.

A council property-tests its own ruleset in a few lines::

    from hypothesis import given

    import ragrules
    from ragrules import testing

    RULES = ragrules.load("rulesets/our-council-2024-25.toml")
    PI = RULES.indicator("ehc-assessments-20-weeks")

    @given(testing.observations(RULES, "2024/25 Q1", strays=True, duplicates=True))
    def test_no_row_is_lost(rows):
        testing.check_totality(RULES, rows)

    @given(testing.values(PI), testing.values(PI))
    def test_better_values_never_rate_worse(low, high):
        testing.check_monotonic(RULES, PI.id, low, high)

    @given(testing.boundary_values(PI))
    def test_boundaries_are_exact(boundary):
        testing.check_boundary(RULES, PI.id, boundary)
"""

from __future__ import annotations

import decimal
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ragrules import rating
from ragrules.model import (
    BRAG,
    RAG,
    Basis,
    BenchmarkTarget,
    Boundary,
    Indicator,
    Margin,
    Polarity,
    Rounding,
    Schedule,
    Target,
)
from ragrules.numbers import EXACT, MAX_DIGITS, RoundingMode, format_decimal
from ragrules.observations import Observation, read_value
from ragrules.output import to_json
from ragrules.periods import Period, PeriodError, parse_period
from ragrules.report import Rejection, Report, Result
from ragrules.ruleset import Ruleset
from ragrules.units import with_unit

__all__ = [
    "BoundaryValue",
    "ScaleName",
    "absolute_margin",
    "boundary_values",
    "check_batch_independence",
    "check_boundary",
    "check_monotonic",
    "check_totality",
    "decimals_text",
    "indicator_ids",
    "indicators",
    "margins",
    "observations",
    "reference_status",
    "relative_margin",
    "rulesets",
    "spellings",
    "values",
]

ScaleName = Literal["rag", "brag"]
Number = Decimal | int | str

# Published tokens for "no value this period" and "value withheld" (see `observations`).
NO_DATA_VALUES: tuple[str | None, ...] = (None, "", "N/A", "n/a", "-", "TBC", "..")
SUPPRESSED_VALUES: tuple[str, ...] = ("<5", "< 5", "<10", "c", "[x]", "*")
UNREADABLE_VALUES: tuple[str, ...] = ("high", "n/k", "see note", "5 furlongs")

_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-"
_SCALES = {"rag": RAG, "brag": BRAG}
# RoundingMode members are named after the decimal module's ROUND_* constants.
_ROUNDING = {mode: getattr(decimal, f"ROUND_{mode.name}") for mode in RoundingMode}
_WIDE = decimal.Context(prec=1000, Emax=999_999, Emin=-999_999)


# -- numbers as text --------------------------------------------------------------------------


def spellings(number: Decimal, *, max_extra_zeros: int = 4) -> SearchStrategy[str]:
    """The same decimal written in the ways published data writes it.

    Plain notation with up to `max_extra_zeros` extra trailing zeros (`23.4`, `23.40`,
    `23.4000`), sometimes a leading `+`, and sometimes without the zero before the point
    (`.5`). Every spelling reads back as exactly `number`.
    """
    if not number.is_finite():
        raise ValueError(f"{number} is not a finite number")
    return st.builds(
        _spell,
        st.just(number),
        st.integers(min_value=0, max_value=max_extra_zeros),
        st.booleans(),
        st.booleans(),
    )


def _spell(number: Decimal, extra_zeros: int, plus: bool, bare_point: bool) -> str:
    text = _plain(number)
    if extra_zeros:
        text += "0" * extra_zeros if "." in text else "." + "0" * extra_zeros
    if bare_point and text.lstrip("-").startswith("0."):
        text = text.replace("0.", ".", 1)
    if plus and not text.startswith("-"):
        text = "+" + text
    return text


def _plain(number: Decimal) -> str:
    """Plain notation keeping the number's own decimal places (`2.6E+2` -> `260`)."""
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        number = number.quantize(Decimal(1), context=_WIDE)
    return format(number, "f")


def decimals_text(
    *,
    min_value: Number = -1_000_000,
    max_value: Number = 1_000_000,
    max_places: int = 6,
    max_extra_zeros: int = 3,
) -> SearchStrategy[str]:
    """Decimal numbers as published text, with varied digits.

    Values lie in [`min_value`, `max_value`] with 0 to `max_places` decimal places, each
    written by `spellings` (trailing zeros, `+`, `.5`). No exponents and no thousands
    separators, so every result is also a valid TOML quantity string.
    """
    low, high = Decimal(min_value), Decimal(max_value)
    if low > high:
        raise ValueError(f"min_value {low} is above max_value {high}")
    return (
        st.integers(min_value=0, max_value=max_places)
        .flatmap(
            lambda places: st.decimals(
                min_value=low,
                max_value=high,
                places=places,
                allow_nan=False,
                allow_infinity=False,
            )
        )
        .flatmap(lambda number: spellings(number, max_extra_zeros=max_extra_zeros))
    )


def _decimals(limit: int, max_places: int) -> SearchStrategy[Decimal]:
    """Decimals in [-limit, limit] with 0 to `max_places` decimal places."""
    return st.integers(min_value=0, max_value=max_places).flatmap(
        lambda places: st.decimals(
            min_value=-limit,
            max_value=limit,
            places=places,
            allow_nan=False,
            allow_infinity=False,
        )
    )


# -- rulesets as model objects ----------------------------------------------------------------


def margins(
    basis: Basis | None = None,
    *,
    max_percent: Number = 50,
    max_absolute: Number = 1_000,
    allow_zero: bool = True,
) -> SearchStrategy[Margin]:
    """Tolerance or stretch margins: relative (`5%` of the target) or absolute (`2.5`).

    Relative amounts are whole or two-place percentages up to `max_percent`; absolute amounts
    have up to three places and are in the indicator's unit. `basis` fixes the kind.
    """
    relative = st.integers(min_value=0, max_value=2).flatmap(
        lambda places: st.decimals(
            min_value=Decimal(0) if allow_zero else Decimal(1).scaleb(-places),
            max_value=Decimal(max_percent),
            places=places,
        ).map(relative_margin)
    )
    absolute = st.integers(min_value=0, max_value=3).flatmap(
        lambda places: st.decimals(
            min_value=Decimal(0) if allow_zero else Decimal(1).scaleb(-places),
            max_value=Decimal(max_absolute),
            places=places,
        ).map(absolute_margin)
    )
    if basis is Basis.RELATIVE:
        return relative
    if basis is Basis.ABSOLUTE:
        return absolute
    return st.one_of(relative, absolute)


def relative_margin(percent: Decimal) -> Margin:
    """A margin of `percent` per cent of the target, as a ruleset writes it (`"12.5%"`)."""
    return Margin(basis=Basis.RELATIVE, amount=percent.scaleb(-2), text=f"{_plain(percent)}%")


def absolute_margin(amount: Decimal) -> Margin:
    """A margin of `amount` in the indicator's unit."""
    return Margin(basis=Basis.ABSOLUTE, amount=amount, text=_plain(amount))


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
    if polarity not in (None, Polarity.HIGHER, Polarity.LOWER):
        raise ValueError("indicators() draws higher- or lower-is-better indicators only")
    return _indicators(polarity, scale, rounding, unit)


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


def rulesets(
    *,
    min_indicators: int = 1,
    max_indicators: int = 6,
    polarity: Polarity | None = None,
    scale: ScaleName | None = None,
    rounding: bool = False,
) -> SearchStrategy[Ruleset]:
    """Rulesets of `indicators` (see there for the options) with unique indicator ids."""
    return _rulesets(min_indicators, max_indicators, polarity, scale, rounding)


# -- observations -----------------------------------------------------------------------------


def _has_boundaries(indicator: Indicator) -> bool:
    """True when `values` can aim at the indicator's band starts (a target and margins in
    force without a period)."""
    try:
        values(indicator)
    except ValueError:
        return False
    return True


def _observed_values(indicator: Indicator) -> SearchStrategy[object]:
    """Published values: numbers as text (some with the unit), Python numbers, blanks, tokens."""
    near = values(indicator) if _has_boundaries(indicator) else decimals_text()
    return st.one_of(
        st.sampled_from(NO_DATA_VALUES),
        st.sampled_from(SUPPRESSED_VALUES),
        st.sampled_from(UNREADABLE_VALUES),
        near,
        decimals_text().map(lambda text: with_unit(text, indicator.unit)),
        st.integers(min_value=-1_000_000, max_value=1_000_000),
        _decimals(1_000_000, 6),
        # Floats as a spreadsheet export gives them: two places, shortest repr.
        st.integers(min_value=-100_000_000, max_value=100_000_000).map(lambda n: n / 100),
    )


@st.composite
def _observations(
    draw: st.DrawFn,
    ruleset: Ruleset,
    period: str,
    earlier: tuple[str, ...],
    duplicates: bool,
    strays: bool,
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for indicator in ruleset.indicators:
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            continue  # no row: the indicator is rated no-data
        row: dict[str, object] = {
            "indicator": indicator.id,
            "period": draw(st.sampled_from((period, period, period, ""))),
            "value": draw(_observed_values(indicator)),
        }
        extra = draw(st.integers(min_value=0, max_value=19))
        if extra == 0:
            row["caveat"] = "Data not yet validated"
        elif extra == 1:
            row["commentary"] = "Improved after the service review."
        elif extra == 2:
            row["target"] = draw(decimals_text(min_value=-10_000, max_value=10_000))
        rows.append(row)
        if duplicates and draw(st.integers(min_value=0, max_value=4)) == 0:
            rows.append(
                {
                    "indicator": indicator.id,
                    "period": period,
                    "value": draw(_observed_values(indicator)),
                }
            )
    if not any(row["period"] for row in rows):
        # A blank period means the report's period, which is the latest in the data; date
        # the rows so that earlier rows mixed in below cannot become the report's period.
        for row in rows:
            row["period"] = period
    if strays and ruleset.indicators:
        known = {indicator.id for indicator in ruleset.indicators}
        unknown = "not-in-this-ruleset"
        while unknown in known:
            unknown += "-x"
        ids = st.sampled_from([indicator.id for indicator in ruleset.indicators])
        # Earlier periods (one row per indicator and period): history, read by travel.
        for indicator_id, when in draw(
            st.lists(st.tuples(ids, st.sampled_from(earlier)), max_size=6, unique=True)
        ):
            indicator = ruleset.indicator(indicator_id)
            rows.append(
                {
                    "indicator": indicator_id,
                    "period": when,
                    "value": draw(st.one_of(values(indicator), st.sampled_from(NO_DATA_VALUES)))
                    if _has_boundaries(indicator)
                    else draw(decimals_text()),
                }
            )
        # Rows that cannot be placed: rejected with a reason.
        stray_rows: SearchStrategy[dict[str, object]] = st.one_of(
            st.fixed_dictionaries(
                {"indicator": st.just(unknown), "period": st.just(period), "value": st.just("1")}
            ),
            st.fixed_dictionaries({"indicator": st.just(""), "value": st.just("1")}),
            st.fixed_dictionaries(
                {"indicator": ids, "period": st.just("Q5 2020"), "value": st.just("1")}
            ),
        )
        rows.extend(draw(st.lists(stray_rows, max_size=3)))
    return draw(st.permutations(rows))


def observations(
    ruleset: Ruleset,
    period: str = "2020/21 Q2",
    *,
    duplicates: bool = False,
    strays: bool = False,
) -> SearchStrategy[list[dict[str, object]]]:
    """Lists of published rows (mappings) for the ruleset's indicators, in any order.

    Most indicators get one row for `period` (some with the period left blank, which means
    the report's period); some get none (and are rated no-data). Values are blanks, None,
    `N/A` and the like, suppressed values (`<5`, `c`), unreadable text, numbers as text (some
    with the indicator's unit, many near its band boundaries), and Python ints, floats and
    Decimals. A few rows carry a caveat, a commentary or a target.

    With `duplicates`, some indicators get a second row for the period (the library rejects
    it). With `strays`, rows for earlier periods (the previous period, the one before, and
    the same period last year: history, which direction of travel reads), and rows for an
    unknown indicator, with no indicator, or with an unreadable period (all rejected) are
    mixed in.
    """
    when = parse_period(period, ruleset.calendar)
    earlier = tuple(
        str(before)
        for before in (when.previous(), when.same_period_last_year(), when.previous().previous())
    )
    return _observations(ruleset, period, earlier, duplicates, strays)


# -- values and boundaries --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class BoundaryValue:
    """A value on, or one unit in its last place either side of, a band's starting point.

    `text` is how it is written (digits vary; sometimes with the unit), `value` the number it
    means in the indicator's unit, `boundary` the band start, `step` -1, 0 or +1 units in the
    last place of `text` from it (in the direction of larger numbers). `band` is the status
    of the best band starting exactly there, and `inclusive` whether that band takes its
    start (`boundary = "better"`, the default and the built-in scales' rule): if so, `band`
    is the status of a value exactly on it. `expected` is the status `reference_status`
    gives the value.
    """

    text: str
    value: Decimal
    boundary: Decimal
    step: int
    band: str
    inclusive: bool
    expected: str


def _band_starts(cuts: Sequence[rating.Cut]) -> dict[Decimal, tuple[str, bool]]:
    """Each distinct band start (as a value), with the status of the best band starting there
    and whether that band takes its start."""
    starts: dict[Decimal, tuple[str, bool]] = {}
    for cut in cuts:
        for bound in (cut.lower, cut.upper):
            if bound is None:
                continue
            exact = _exact_quotient(Fraction(bound) / Fraction(cut.multiplier))
            if exact is not None:
                starts.setdefault(exact, (cut.status, cut.band.boundary is Boundary.BETTER))
    return starts


def _exact_quotient(fraction: Fraction) -> Decimal | None:
    denominator = fraction.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return None  # not a terminating decimal: no text can be written exactly on it
    return EXACT.divide(Decimal(fraction.numerator), Decimal(fraction.denominator))


def _rule_inputs(
    indicator: Indicator, target: Target | Decimal | None, period: Period | None
) -> rating.RuleInputs:
    if isinstance(target, Decimal):
        target = Target.point(target)
    in_force: Target | BenchmarkTarget | None = target
    if in_force is None and indicator.target is not None:
        in_force = indicator.target.in_force(period)
    if isinstance(in_force, BenchmarkTarget):
        raise ValueError(
            f"indicator {indicator.id!r} takes its target from the {in_force.benchmark} "
            "column of the data; pass one"
        )
    if in_force is None and indicator.scale.needs_target:
        raise ValueError(f"indicator {indicator.id!r} has no target in force; pass one")
    return rating.RuleInputs(
        indicator=indicator,
        target=in_force,
        tolerance=indicator.tolerance.in_force(period) if indicator.tolerance else None,
        stretch=indicator.stretch.in_force(period) if indicator.stretch else None,
    )


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
    places = _places(boundary) + draw(st.integers(min_value=0, max_value=max_extra_zeros))
    step = draw(st.sampled_from((0, -1, 1)))
    ulp = Decimal(1).scaleb(-places)
    value = EXACT.add(boundary, EXACT.multiply(Decimal(step), ulp))
    text = format(value.quantize(ulp, context=_WIDE), "f")
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


def boundary_values(
    indicator: Indicator,
    target: Target | Decimal | None = None,
    *,
    period: Period | None = None,
    max_extra_zeros: int = 3,
) -> SearchStrategy[BoundaryValue]:
    """Values exactly on, and one unit in the last place either side of, every band start.

    Band starts are computed by `ragrules.rating.compile_cuts` for `target` (default: the
    indicator's target in force for `period`) and the margins in force. Each value is
    written with the start's own decimal places plus 0 to `max_extra_zeros` more (so
    `23.4`, `23.40`, `23.400`, and their neighbours `23.3`/`23.5`, `23.39`/`23.41`, ...),
    sometimes followed by the indicator's unit. Starts that are not terminating decimals
    (a ratio band of a lower-is-better indicator) cannot be written and are skipped.
    """
    inputs = _rule_inputs(indicator, target, period)
    try:
        cuts = rating.compile_cuts(inputs)
    except rating.CannotRate as exc:
        raise ValueError(
            f"indicator {indicator.id!r} cannot be rated for period {period}: {exc.reason}"
        ) from None
    starts = _band_starts(cuts)
    if not starts:
        raise ValueError(f"indicator {indicator.id!r} has no band start to test")
    widest = max(len(start.as_tuple().digits) for start in starts)
    limit = max(0, min(max_extra_zeros, MAX_DIGITS - widest))
    return _boundary_values(inputs, tuple(sorted(starts.items())), limit)


def values(
    indicator: Indicator,
    target: Target | Decimal | None = None,
    *,
    period: Period | None = None,
) -> SearchStrategy[str]:
    """Numbers as text for one indicator: mostly at or next to its band boundaries, else
    anywhere near its target (see `boundary_values`, `decimals_text`)."""
    inputs = _rule_inputs(indicator, target, period)
    landmarks = [value for _, value in indicator.thresholds]
    if inputs.target is not None:
        landmarks += [inputs.target.lower, inputs.target.upper]
    reach = sum(int(abs(landmark)) for landmark in landmarks) + 10
    return st.one_of(
        boundary_values(indicator, target, period=period).map(lambda boundary: boundary.text),
        decimals_text(min_value=-2 * reach, max_value=2 * reach, max_places=4),
    )


# -- the rating rule, stated independently ----------------------------------------------------


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


# -- invariant checks -------------------------------------------------------------------------


def _positions(rows: Sequence[object]) -> list[int]:
    """The row number the library gives each input: its own, or its 1-based position."""
    return [
        item.row if isinstance(item, Observation) and item.row is not None else position
        for position, item in enumerate(rows, start=1)
    ]


def check_totality(
    ruleset: Ruleset, observations: Iterable[object], *, period: str | Period | None = None
) -> Report:
    """Every observation gets exactly one status, and nothing is dropped.

    Asserts that the report has one result per indicator, in ruleset order; that each result
    has exactly one status (a status of its scale, from the band that admitted the value, or
    the value of its `Unrated` reason); and that every input row is accounted for exactly
    once, as the row of a result, as history (another period) or as a rejection. Returns the
    report.
    """
    rows = list(observations)
    report = ruleset.rate(rows, period=period)
    ids = [indicator.id for indicator in ruleset.indicators]
    got = [result.indicator.id for result in report.results]
    assert got == ids, f"totality: results are for {got}, the ruleset's indicators are {ids}"
    for result in report.results:
        where = f"totality: indicator {result.indicator.id!r} (row {result.row})"
        statuses = result.indicator.scale.statuses
        if result.unrated is None:
            assert result.status in statuses, (
                f"{where} is rated {result.status!r}, not a status of scale "
                f"{result.indicator.scale.name!r} {statuses}"
            )
            assert result.band is not None and result.cuts[result.band].status == result.status, (
                f"{where}: status {result.status!r} does not come from the band that admitted it"
            )
        else:
            assert result.status == result.unrated.value, (
                f"{where} has status {result.status!r} but is unrated {result.unrated.value!r}"
            )
            assert result.band is None, f"{where} is unrated but records band {result.band}"
    accounted: Counter[int | None] = Counter(
        [result.row for result in report.results if result.row is not None]
        + list(report.history)
        + [rejection.row for rejection in report.rejected]
    )
    expected: Counter[int | None] = Counter(_positions(rows))
    missing = sorted((expected - accounted).elements(), key=str)
    extra = sorted((accounted - expected).elements(), key=str)
    assert not missing, f"totality: input rows {missing} are in no result, history or rejection"
    assert not extra, f"totality: rows {extra} are accounted for more than once (or not input)"
    return report


def check_monotonic(
    ruleset: Ruleset,
    indicator_id: str,
    low: Decimal | float | str,
    high: Decimal | float | str,
    *,
    period: str | None = None,
) -> None:
    """A better value never gets a worse status than a worse value.

    `low` and `high` are values as published (text, or Python numbers), each rated alone;
    they are swapped if `low` reads as the larger number. For higher-is-better the status of
    the larger value must be at least as good (earlier in the scale's statuses) as that of
    the smaller; for lower-is-better the reverse. Raises ValueError for indicators that are
    neither, and for values the indicator does not rate (blank, `<5`, wrong unit).
    """
    indicator = ruleset.indicator(indicator_id)
    if indicator.polarity not in (Polarity.HIGHER, Polarity.LOWER):
        raise ValueError(
            f"monotonicity holds for higher- and lower-is-better, not {indicator.polarity.value}"
        )
    results = [_rate_alone(ruleset, indicator_id, value, period) for value in (low, high)]
    for result in results:
        if not result.rated:
            raise ValueError(
                f"check_monotonic needs values indicator {indicator_id!r} rates; "
                f"{result.value_text!r} is {result.status}: {result.reason}"
            )
    smaller, larger = sorted(results, key=lambda result: result.unrounded or Decimal(0))
    higher = indicator.polarity is Polarity.HIGHER
    better, worse = (larger, smaller) if higher else (smaller, larger)
    order = indicator.scale.statuses
    assert order.index(better.status) <= order.index(worse.status), (
        f"monotonicity: indicator {indicator_id!r} ({indicator.polarity.value}) rates "
        f"{worse.value_text!r} {worse.status!r} but the better value {better.value_text!r} "
        f"{better.status!r}, which is worse (statuses best first: {order})"
    )


def _rate_alone(ruleset: Ruleset, indicator_id: str, value: object, period: str | None) -> Result:
    row = {"indicator": indicator_id, "period": period or "", "value": value}
    report = ruleset.rate([row], period=period)
    return next(result for result in report.results if result.indicator.id == indicator_id)


def check_boundary(
    ruleset: Ruleset,
    indicator_id: str,
    boundary: BoundaryValue,
    *,
    period: str | None = None,
) -> None:
    """A value at or next to a band start gets the status `reference_status` gives it, and a
    value written exactly on the start of a band that takes its start gets that band's
    status (with no rounding in the way)."""
    indicator = ruleset.indicator(indicator_id)
    result = _rate_alone(ruleset, indicator_id, boundary.text, period)
    assert result.status == boundary.expected, (
        f"boundary: indicator {indicator_id!r} rates {boundary.text!r} {result.status!r}; "
        f"the rule gives {boundary.expected!r} (band start {format_decimal(boundary.boundary)}, "
        f"{result.reason})"
    )
    if boundary.step == 0 and boundary.inclusive and indicator.rounding is None:
        assert result.status == boundary.band, (
            f"boundary: {boundary.text!r} is exactly on the start of band {boundary.band!r} of "
            f"indicator {indicator_id!r} but is rated {result.status!r}"
        )


def _without_row(result: Result) -> Result:
    return attrs.evolve(result, row=None)


def _rejection_key(rejection: Rejection) -> tuple[str, str, str]:
    return (rejection.indicator, rejection.period, rejection.reason)


def _observation(item: object) -> Observation | None:
    if isinstance(item, Observation):
        return item
    if isinstance(item, Mapping):
        try:
            return Observation.from_mapping(item)
        except ValueError:
            return None
    return None


def _slot(
    item: object, ruleset: Ruleset, chosen: Period | None
) -> tuple[str, Period | None] | None:
    """(indicator, period) a row fills, a blank period meaning the report's; None if the row
    cannot be placed (not a row, unknown indicator, unreadable period)."""
    observation = _observation(item)
    if observation is None or observation.indicator not in {i.id for i in ruleset.indicators}:
        return None
    try:
        when = parse_period(observation.period, ruleset.calendar) if observation.period else None
    except PeriodError:
        return None
    return observation.indicator, when or chosen


def check_batch_independence(
    ruleset: Ruleset,
    observations: Iterable[object],
    *,
    period: str | Period | None = None,
    order: Sequence[int] | None = None,
) -> None:
    """Rating is a pure function of (ruleset, observation): batch, alone and order agree.

    Asserts that (1) rating the batch equals rating each observation alone for the batch's
    period: each row gets the same result, history entry or rejection, up to its row number
    (when the ruleset compares with earlier periods, a row is rated together with its
    indicator's rows for other periods, which its direction of travel reads); (2) rating the
    rows in another `order` (a permutation of their 0-based positions; default reversed)
    chooses the same period and gives the same results, history and rejections, with row
    numbers following the rows; (3) rating twice gives byte-identical JSON. Raises
    ValueError if two rows are for the same indicator and period: the library keeps the first
    and rejects the later one, so their order matters by design.
    """
    rows = list(observations)
    batch = ruleset.rate(rows, period=period)
    chosen = batch.period
    slots = [_slot(item, ruleset, chosen) for item in rows]
    repeated = sorted(
        {
            f"{name} ({when or 'no period'})"
            for (name, when), n in Counter(filter(None, slots)).items()
            if n > 1
        }
    )
    if repeated:
        raise ValueError(f"several rows are for the same indicator and period: {repeated}")
    positions = _positions(rows)
    by_row = {result.row: result for result in batch.results if result.row is not None}
    history = Counter(batch.history)
    rejected = Counter((r.row, *_rejection_key(r)) for r in batch.rejected)

    # (1) Each observation alone (with its indicator's other periods, if travel reads them).
    touched: set[str] = set()
    for index, (position, item) in enumerate(zip(positions, rows, strict=True)):
        slot = slots[index]
        context = [
            other
            for other, other_slot in zip(rows, slots, strict=True)
            if ruleset.travel.comparisons
            and slot is not None
            and other_slot is not None
            and other_slot[0] == slot[0]
            and other_slot != slot
        ]
        alone_rows = [item, *context]
        focal = _positions(alone_rows)[0]
        alone = ruleset.rate(alone_rows, period=chosen)
        for result in alone.results:
            if result.row != focal:
                continue
            touched.add(result.indicator.id)
            in_batch = by_row.get(position)
            assert in_batch is not None and _without_row(in_batch) == _without_row(result), (
                f"batch independence: row {position} alone rates indicator "
                f"{result.indicator.id!r} {result.status!r} ({result.reason}), but in the batch "
                f"{'it gives no result' if in_batch is None else repr(in_batch.status)}"
                f"{'' if in_batch is None else f' ({in_batch.reason})'}"
            )
        if focal in alone.history:
            assert history[position] == 1, (
                f"batch independence: row {position} alone is history, but not in the batch"
            )
        for rejection in alone.rejected:
            key = (position, *_rejection_key(rejection))
            assert rejection.row != focal or rejected[key] == 1, (
                f"batch independence: row {position} alone is rejected ({rejection.reason}), "
                "but not so in the batch"
            )
    empty = {result.indicator.id: result for result in ruleset.rate([], period=chosen).results}
    for result in batch.results:
        if result.indicator.id not in touched:
            assert result == empty[result.indicator.id], (
                f"batch independence: indicator {result.indicator.id!r} has no row of its own "
                f"but is rated {result.status!r} ({result.reason}) in the batch"
            )

    # (2) Another order.
    permutation = list(order) if order is not None else list(range(len(rows)))[::-1]
    assert sorted(permutation) == list(range(len(rows))), "order must be a permutation"
    shuffled = [rows[index] for index in permutation]
    moved = ruleset.rate(shuffled, period=period)
    # Row numbers in the shuffled run are positions there; map them back to the batch's.
    back = dict(zip(_positions(shuffled), (positions[index] for index in permutation), strict=True))
    assert moved.period == batch.period, (
        f"order independence: the report period is {batch.period} in one order and "
        f"{moved.period} in another"
    )
    for before, after in zip(batch.results, moved.results, strict=True):
        assert _without_row(before) == _without_row(after) and before.row == (
            None if after.row is None else back[after.row]
        ), (
            f"order independence: indicator {before.indicator.id!r} is {before.status!r} "
            f"({before.reason}) in one order and {after.status!r} ({after.reason}) in another"
        )
    assert Counter(back[row] for row in moved.history) == history, (
        "order independence: history rows differ between orders"
    )
    moved_rejected = Counter(
        (None if r.row is None else back[r.row], *_rejection_key(r)) for r in moved.rejected
    )
    assert moved_rejected == rejected, (
        f"order independence: rejections differ between orders: {dict(rejected)} vs "
        f"{dict(moved_rejected)}"
    )

    # (3) Determinism.
    first = to_json(batch).encode()
    second = to_json(ruleset.rate(list(rows), period=period)).encode()
    assert first == second, "determinism: rating the same data twice gave different JSON"
