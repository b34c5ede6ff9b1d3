"""DESIGN section 6, invariant 5: exact boundaries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

import ragrules
from ragrules import Basis, Indicator, Margin, Polarity, Ruleset, Schedule, Target, testing
from ragrules.model.numbers import MAX_DIGITS, split_value
from ragrules.testing import BoundaryValue

FLOAT_TRAP = """\
[ruleset]
format = 1
id = "float-trap"

[[indicator]]
id = "timeliness"
polarity = "higher-is-better"
target = 26
tolerance = { relative = "10%" }
"""


@st.composite
def _indicator_and_boundary(
    draw: st.DrawFn, rounding: bool = False
) -> tuple[Indicator, BoundaryValue]:
    indicator = draw(testing.indicators(scale=None, rounding=rounding))
    return indicator, draw(testing.boundary_values(indicator))


@given(_indicator_and_boundary())
def test_a_value_on_a_band_start_gets_that_band(case: tuple[Indicator, BoundaryValue]) -> None:
    """ "Exact boundaries: a value written equal to a computed boundary gets the boundary's
    status whatever the decimal digits."

    For every band start `compile_cuts` computes (rag and brag, higher and lower, relative
    and absolute margins, negative and zero targets), a value written exactly on it, with
    any number of trailing zeros, a leading + or the unit written out, gets the better
    band's status; one unit in its last place either side gets the status the rule of
    DESIGN section 3, evaluated in exact fractions, gives it.
    """
    indicator, boundary = case
    ruleset = Ruleset(id="boundaries", indicators=(indicator,))
    testing.check_boundary(ruleset, indicator.id, boundary)


@given(_indicator_and_boundary(rounding=True))
def test_boundaries_with_rounding_before_rating(case: tuple[Indicator, BoundaryValue]) -> None:
    """ "Exact boundaries: a value written equal to a computed boundary gets the boundary's
    status whatever the decimal digits."

    The same where the indicator rounds values before rating (any mode, 0-4 places): the
    rounded value is rated exactly.
    """
    indicator, boundary = case
    ruleset = Ruleset(id="boundaries", indicators=(indicator,))
    testing.check_boundary(ruleset, indicator.id, boundary)


@pytest.mark.parametrize(
    "value",
    ["23.4", "23.40", "23.4000000000", "+23.4", 23.4, Decimal("23.4"), Decimal("23.400")],
)
def test_the_float_trap_is_amber(value: object) -> None:
    """ "Exact boundaries: a value written equal to a computed boundary gets the boundary's
    status whatever the decimal digits."

    DESIGN's float trap: target 26, relative tolerance 10%, higher is better. The amber floor
    is exactly 23.4, but 26*(1-0.1) in binary floating point is 23.400000000000002, so a
    naive formula rates 23.4 red. Written as text, as a Decimal, or given as the Python float
    23.4 (read through its shortest repr), the value is amber.
    """
    assert 26 * (1 - 0.1) != 23.4, "the trap this test guards against is real"
    ruleset = ragrules.loads(FLOAT_TRAP)
    result = ruleset.rate([{"indicator": "timeliness", "value": value}]).results[0]
    assert result.status == "amber", result.reason
    amber = result.bounds[1]
    assert amber.status == "amber" and amber.lower == Decimal("23.4") and amber.inclusive


@pytest.mark.parametrize(
    ("value", "expected"),
    [("26", "green"), ("25.99", "amber"), ("23.41", "amber"), ("23.39", "red"), ("23.3", "red")],
)
def test_the_float_trap_neighbours(value: str, expected: str) -> None:
    """ "Exact boundaries: a value written equal to a computed boundary gets the boundary's
    status whatever the decimal digits."

    Either side of the float trap's boundaries: 26 is green (on the target), 23.39 red.
    """
    result = ragrules.loads(FLOAT_TRAP).rate([{"indicator": "timeliness", "value": value}])
    assert result.results[0].status == expected


_HUNDRED = Indicator(
    id="pi",
    polarity=Polarity.HIGHER,
    target=Schedule.always(Target.point(Decimal(100))),
    tolerance=Schedule.always(Margin(basis=Basis.RELATIVE, amount=Decimal("0.1"), text="10%")),
)


@given(_indicator_and_boundary())
@example(
    (
        _HUNDRED,
        BoundaryValue(
            text="100",
            value=Decimal(100),
            boundary=Decimal(100),
            step=0,
            band="green",
            inclusive=True,
            expected="green",
        ),
    )
)
def test_a_boundary_given_as_a_python_number_rates_like_its_text(
    case: tuple[Indicator, BoundaryValue],
) -> None:
    """ "Exact boundaries: a value written equal to a computed boundary gets the boundary's
    status whatever the decimal digits."

    DESIGN section 3: "a Python float given to the API is converted through its shortest
    repr". A value on or beside a band start, given as a Decimal (with its own digits, or
    normalised: Decimal('1E+2') is 100), or as a float whose shortest repr is the same
    decimal (1e-07 and 1e+16 included), gets the same status as its text. The explicit
    example is the first failure found here: Decimal('1E+2') used to become the text '1E+2',
    read as 1 in an unknown unit 'E+2'.
    """
    indicator, boundary = case
    ruleset = Ruleset(id="boundaries", indicators=(indicator,))
    numbers: list[object] = [boundary.value, boundary.value.normalize()]
    as_float = float(boundary.value)
    if Decimal(repr(as_float)) == boundary.value:
        numbers.append(as_float)
    for number in numbers:
        result = ruleset.rate([{"indicator": indicator.id, "value": number}]).results[0]
        assert result.status == boundary.expected, (
            f"{number!r} is rated {result.status!r}, its text {boundary.text!r} is "
            f"{boundary.expected!r}: {result.reason}"
        )


def _extreme(draw: st.DrawFn, low: int, high: int) -> Decimal:
    """A number of 1 to 60 significant digits whose exponent is between `low` and `high`."""
    digits = draw(st.just(60) | st.integers(1, 60))
    # All nines, often: one unit more is a digit longer (999 to 1000).
    mantissa = draw(st.just(10**digits - 1) | st.integers(10 ** (digits - 1), 10**digits - 1))
    return Decimal(f"{mantissa}E{draw(st.integers(low, high)) - digits + 1}")  # no rounding


@st.composite
def _extreme_case(draw: st.DrawFn) -> tuple[Indicator, BoundaryValue]:
    """Targets near 10^59 and margins down to 10^-60: band starts that need more digits than
    a value may have (60), and neighbours a digit longer than their start."""
    polarity = draw(st.sampled_from([Polarity.HIGHER, Polarity.LOWER, Polarity.IN_RANGE]))
    lower = _extreme(draw, -10, 59) * draw(st.sampled_from([1, -1]))
    upper = lower + _extreme(draw, -60, 58) if polarity is Polarity.IN_RANGE else lower
    if draw(st.booleans()):
        tolerance = Margin(basis=Basis.ABSOLUTE, amount=_extreme(draw, -60, 0))
    else:
        tolerance = Margin(basis=Basis.RELATIVE, amount=_extreme(draw, -60, -1))
    indicator = Indicator(
        id="extreme",
        polarity=polarity,
        target=Schedule.always(Target(lower=lower, upper=upper)),
        tolerance=Schedule.always(tolerance),
    )
    try:
        values = testing.boundary_values(indicator)
    except ValueError:  # no band start that a value can state: nothing to draw
        assume(False)
    return indicator, draw(values)


@given(_extreme_case())
def test_boundary_values_are_values_data_can_state(case: tuple[Indicator, BoundaryValue]) -> None:
    """Every value drawn reads (at most 60 significant digits), and is rated as the rule
    says: `ragrules verify` found a 1E-60 margin on a 1E+60 range "failing" with a band start
    of 120 digits, which no data can write and so no value meets."""
    indicator, boundary = case
    number, _, _ = split_value(boundary.text) or (None, "", "")
    assert number is not None and len(number.as_tuple().digits) <= MAX_DIGITS
    testing.check_boundary(Ruleset(id="extremes", indicators=(indicator,)), "extreme", boundary)


@given(st.integers(-60, 0), st.sampled_from([Polarity.HIGHER, Polarity.LOWER]), st.data())
def test_a_neighbour_a_digit_longer_than_a_value_may_be_is_not_drawn(
    exponent: int, polarity: Polarity, data: st.DataObject
) -> None:
    """A target of sixty nines: one unit in its last place above it is a one and sixty
    zeros, which no value may be; the start itself is drawn in its place."""
    target = Decimal(f"{10**60 - 1}E{exponent}")
    indicator = Indicator(
        id="nines",
        polarity=polarity,
        target=Schedule.always(Target.point(target)),
        tolerance=Schedule.always(Margin(basis=Basis.ABSOLUTE, amount=Decimal(f"1E{exponent}"))),
    )
    ruleset = Ruleset(id="nines", indicators=(indicator,))
    for _ in range(12):
        boundary = data.draw(testing.boundary_values(indicator))
        testing.check_boundary(ruleset, "nines", boundary)
