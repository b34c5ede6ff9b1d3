"""Exact numbers as text that sorts as they do: how the columnar engine compares a value with
an earlier one in polars, with no number type that could round either."""

from __future__ import annotations

from decimal import Decimal

# An exponent is written in a fixed width from this offset; a number whose exponent does not
# fit (none a publisher writes) has no key, and is compared by the row engine's plan instead.
_OFFSET = 10**8
_WIDTH = 9


def sort_key(number: Decimal) -> str | None:
    """Text whose order (byte by byte) is the number's order, equal for equal numbers.

    Zero is `1`; a positive number is `2`, its exponent and its digits; a negative one is `0`,
    then the exponent and digits complemented (so a larger magnitude sorts first) and `~`,
    which follows every digit (so `-1.5` sorts after `-1.51`). Trailing zeros are dropped:
    `1.50` and `1.5` get one key. None for a number that is not finite or too large to key.
    """
    if not number.is_finite():
        return None
    sign, digits, exponent = number.as_tuple()
    shown = "".join(map(str, digits)).rstrip("0")
    if not shown:
        return "1"
    assert isinstance(exponent, int)
    # The exponent of the first digit: 1.5 and 15 differ in it, not in their digits.
    adjusted = exponent + len(digits) - 1 + _OFFSET
    if not 0 <= adjusted < 2 * _OFFSET:
        return None
    if not sign:
        return f"2{adjusted:0{_WIDTH}d}{shown}"
    flipped = shown.translate(_COMPLEMENT)
    return f"0{2 * _OFFSET - 1 - adjusted:0{_WIDTH}d}{flipped}~"


_COMPLEMENT = str.maketrans("0123456789", "9876543210")
