"""The columnar engine's sort keys order numbers exactly as the numbers are ordered."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ragrules.reports.columnar._keys import sort_key

# Numbers as publishers write them and as they are not: many digits, tiny and huge, negative,
# with trailing zeros (1.50 and 1.5 are one number).
numbers = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: abs(d.adjusted()) < 10**6
) | st.builds(
    lambda digits, exponent, negative: Decimal((int(negative), digits, exponent)),
    st.lists(st.integers(0, 9), min_size=1, max_size=30).map(tuple),
    st.integers(-40, 40),
    st.booleans(),
)


@given(numbers, numbers)
def test_keys_sort_as_the_numbers_do(a: Decimal, b: Decimal) -> None:
    key_a, key_b = sort_key(a), sort_key(b)
    assert key_a is not None and key_b is not None
    assert (key_a > key_b) - (key_a < key_b) == (a > b) - (a < b)


@given(numbers, st.integers(1, 5))
def test_equal_numbers_have_one_key(a: Decimal, zeros: int) -> None:
    """The same number written with more trailing zeros (`1.5`, `1.500`)."""
    sign, digits, exponent = a.as_tuple()
    assert isinstance(exponent, int)
    longer = Decimal((sign, (*digits, *(0,) * zeros), exponent - zeros))
    assert longer == a
    assert sort_key(longer) == sort_key(a)


def test_what_has_no_key() -> None:
    """Infinities and numbers whose exponent is beyond any publisher's have none: the plan
    compares them instead."""
    assert sort_key(Decimal("Infinity")) is None
    assert sort_key(Decimal("NaN")) is None
    assert sort_key(Decimal("1E+999999999")) is None
    assert sort_key(Decimal("-0")) == sort_key(Decimal("0.000")) == "1"
