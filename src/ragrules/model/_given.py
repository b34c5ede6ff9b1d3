"""What a caller gives a hand-built model object, checked and converted where it is built:
a rule that a later comparison would misread (`basis="relative"` as text, a float amount)
fails here, saying what it takes, not deep inside a rating."""

from __future__ import annotations

import enum
import operator
from decimal import Decimal
from typing import TypeVar

from ragrules.model.numbers import RoundingMode, given_number

E = TypeVar("E", bound=enum.Enum)


def margin_amount(raw: object) -> Decimal:
    """A margin's amount: a finite number, not below zero."""
    amount = given_number(raw, "a margin")
    if amount < 0:
        raise ValueError(f"a margin cannot be negative, got {amount}")
    return amount


def member(kind: type[E], raw: object) -> E:
    """A member of `kind`, given as one or as its value (`"relative"`)."""
    if isinstance(raw, kind):
        return raw
    try:
        return kind(raw)
    except ValueError:
        values = ", ".join(repr(item.value) for item in kind)
        raise ValueError(f"{raw!r} is not a {kind.__name__}: one of {values}") from None


def rounding_mode(raw: object) -> RoundingMode:
    return member(RoundingMode, raw)


# The most decimal places a value may be rounded to before rating (a ruleset's `places`).
MAX_ROUNDING_PLACES = 12


def rounding_places(raw: object) -> int:
    """A rounding's places: a whole number from 0 to MAX_ROUNDING_PLACES."""
    places = whole_number(raw)
    if not 0 <= places <= MAX_ROUNDING_PLACES:
        raise ValueError(f"places must be from 0 to {MAX_ROUNDING_PLACES}, not {places}")
    return places


def whole_number(raw: object) -> int:
    """A whole number (a numpy integer too); True, 1.5 and "1" are refused."""
    if isinstance(raw, bool):
        raise TypeError(f"a whole number, not {raw!r}")
    try:
        return operator.index(raw)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"a whole number, not {raw!r}") from None
