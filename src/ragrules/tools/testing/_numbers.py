"""Numbers as text: every way a council may write one number, and decimals as text."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ragrules.tools.testing._common import _WIDE, Number


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
