"""Numbers as text: every way a council may write one number, and decimals as text."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ragrules.model.numbers import MAX_DIGITS, NumberError, parse_decimal
from ragrules.tools.testing._common import _WIDE, Number, as_number, exact_strategy

# The largest plain-written number ragrules reads: MAX_DIGITS nines (a value may have at most
# MAX_DIGITS significant digits, and no more than 10^MAX_EXPONENT in size).
LARGEST = Decimal("9" * MAX_DIGITS)


@exact_strategy
def spellings(number: Number, *, max_extra_zeros: int = 4) -> SearchStrategy[str]:
    """The same decimal written in the ways published data writes it.

    Plain notation with up to `max_extra_zeros` extra trailing zeros (`23.4`, `23.40`,
    `23.4000`), sometimes a leading `+`, and sometimes without the zero before the point
    (`.5`). Every spelling reads back as exactly `number`, and is a value ragrules reads:
    no more trailing zeros are added than keep it within `MAX_DIGITS` (60) significant
    digits, and a number that cannot be written so (too many digits, 10^60 or more, or a
    non-zero number below 10^-60) is refused with ValueError. `number` is a Decimal, an
    int, text or a float (read through its shortest repr: `23.4` is 23.4).
    """
    number = as_number(number, "number")
    room = MAX_DIGITS - _digits(_plain(number))
    if room < 0:
        raise ValueError(f"{number} is not a value ragrules reads: {_unreadable(number)}")
    return st.builds(
        _spell,
        st.just(number),
        st.integers(min_value=0, max_value=max(0, min(max_extra_zeros, room))),
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


def _digits(text: str) -> int:
    """How many significant digits ragrules counts in plain text (trailing zeros count), or
    MAX_DIGITS + 1 for text it does not read (out of range, too small)."""
    try:
        return len(parse_decimal(text).as_tuple().digits)
    except NumberError:
        return MAX_DIGITS + 1


def _unreadable(number: Decimal) -> str:
    try:
        parse_decimal(_plain(number))
    except NumberError as exc:
        return str(exc)
    return f"more than {MAX_DIGITS} significant digits"


def _plain(number: Decimal) -> str:
    """Plain notation keeping the number's own decimal places (`2.6E+2` -> `260`)."""
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        number = number.quantize(Decimal(1), context=_WIDE)
    return format(number, "f")


@exact_strategy
def decimals_text(
    *,
    min_value: Number = -1_000_000,
    max_value: Number = 1_000_000,
    max_places: int = 6,
    max_extra_zeros: int = 3,
) -> SearchStrategy[str]:
    """Decimal numbers as published text, with varied digits.

    Values lie in [`min_value`, `max_value`] with up to `max_places` decimal places (from
    the fewest the range has a number with: `0.1` to `0.9` needs one), each written by
    `spellings` (trailing zeros, `+`, `.5`). No exponents and no thousands separators, so
    every result is also a valid TOML quantity string. The bounds are ints, Decimals, text
    or floats (read through their shortest repr: `0.1` is 0.1).

    Every result is a value ragrules reads: the range is cut to what plain text of at most
    `MAX_DIGITS` (60) significant digits can say (below 10^60 in size), and fewer decimal
    places and trailing zeros are used where the integer part leaves no room for them. A
    range with no such number is refused with ValueError.
    """
    low, high = as_number(min_value, "min_value"), as_number(max_value, "max_value")
    if isinstance(max_places, bool) or not isinstance(max_places, int) or max_places < 0:
        raise ValueError(f"max_places must be a whole number, 0 or more, not {max_places!r}")
    if low > high:
        raise ValueError(f"min_value {low} is above max_value {high}")
    low, high = max(low, -LARGEST), min(high, LARGEST)
    if low > high:
        raise ValueError(
            f"[{min_value}, {max_value}] holds no value ragrules reads (at most {LARGEST:.0E})"
        )
    # A value's integer part takes up to `whole` digits; its places must fit in the rest.
    whole = len(str(int(max(abs(low), abs(high)))))
    max_places = max(0, min(max_places, MAX_DIGITS - whole))
    fewest = _fewest_places(low, high, max_places)
    if fewest is None:
        raise ValueError(
            f"[{min_value}, {max_value}] holds no number with at most {max_places} decimal "
            "places that ragrules reads; widen the range or allow more places"
        )
    return (
        st.integers(min_value=fewest, max_value=max_places)
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


def _fewest_places(low: Decimal, high: Decimal, max_places: int) -> int | None:
    """The fewest decimal places, up to `max_places`, a number in [low, high] can be written
    with (any more places then have numbers there too); None if none can."""
    for places in range(max_places + 1):
        scale = 10**places
        if math.ceil(Fraction(low) * scale) <= math.floor(Fraction(high) * scale):
            return places
    return None


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
