"""Exact numbers: decimals built from their written text, and printed-report rounding.

No binary floating point decides a status: values, targets and margins are parsed from text
into `Decimal`, and arithmetic on them runs in a context wide enough to stay exact.
"""

from __future__ import annotations

import decimal
import enum
import functools
import operator
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import ParamSpec, TypeVar

# Inputs are capped at MAX_DIGITS significant digits, so one product of two of them fits in
# EXACT's precision and every boundary computed from a ruleset is exact.
MAX_DIGITS = 60
MAX_EXPONENT = 60
EXACT = decimal.Context(prec=4 * MAX_DIGITS, Emax=999_999, Emin=-999_999)
_READING = decimal.Context(traps=[decimal.InvalidOperation])
_P = ParamSpec("_P")
_R = TypeVar("_R")

# Only ASCII digits are digits: `\d` would read U+09EA (a Bengali four, which looks like
# an 8) then 5 as 45.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# A published value: optional comparison sign, optional currency sign, a number with
# optional thousands separators; whatever follows is the unit. Every quantifier follows a
# character it cannot match, so matching is linear in the text (no backtracking blow-up).
_VALUE = re.compile(
    r"""(?:(?P<sign>[<>]=?)\s*)?(?:(?P<currency>£)\s*)?
        (?P<number>(?:[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|[+-]?\.[0-9]+)
        (?:[eE][+-]?[0-9]+)?)""",
    re.VERBOSE,
)


def exact_context() -> AbstractContextManager[decimal.Context]:
    """The library's own decimal context, for a `with` block around library arithmetic.

    Inside it, a caller's context (any precision, rounding, traps or flags, set in this
    thread) changes nothing, and the caller's context and flags are left untouched.
    """
    return decimal.localcontext(EXACT)


def in_exact_context(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `function` in the library's own decimal context (see `exact_context`)."""

    @functools.wraps(function)
    def in_context(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with decimal.localcontext(EXACT):
            return function(*args, **kwargs)

    return in_context


class RoundingMode(enum.Enum):
    """How a value is rounded before rating; printed reports round half up."""

    HALF_UP = "half-up"
    HALF_EVEN = "half-even"
    HALF_DOWN = "half-down"
    UP = "up"
    DOWN = "down"
    CEILING = "ceiling"
    FLOOR = "floor"


_DECIMAL_MODES = {
    RoundingMode.HALF_UP: decimal.ROUND_HALF_UP,
    RoundingMode.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    RoundingMode.HALF_DOWN: decimal.ROUND_HALF_DOWN,
    RoundingMode.UP: decimal.ROUND_UP,
    RoundingMode.DOWN: decimal.ROUND_DOWN,
    RoundingMode.CEILING: decimal.ROUND_CEILING,
    RoundingMode.FLOOR: decimal.ROUND_FLOOR,
}


class NumberError(ValueError):
    """Text is not a number ragrules accepts; the loader turns it into a located problem."""


def parse_decimal(text: str) -> Decimal:
    """Parse a plain number written as text (no unit, no separators) exactly."""
    stripped = text.strip()
    if not _NUMBER.fullmatch(stripped):
        raise NumberError(f"{text!r} is not a number")
    return _checked(_decimal(stripped), text)


def to_decimal(value: object) -> Decimal:
    """Turn an API number into a Decimal: floats through their shortest repr, never binary."""
    if isinstance(value, bool):
        raise NumberError(f"{value!r} is a boolean, not a number")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError(f"{value} is not a finite number")
        return _checked(value, str(value))
    if isinstance(value, int):
        return _checked(Decimal(value), str(value))
    if isinstance(value, float):
        return parse_decimal(float.__repr__(value))  # numpy's float64 repr is not its digits
    if isinstance(value, str):
        return parse_decimal(value)
    raise NumberError(f"{value!r} is not a number")


def _decimal(text: str) -> Decimal:
    """Decimal(text) for text the number pattern matched; an exponent too large for any
    Decimal (`1E99999999999999999999`) is out of range, not a crash."""
    try:
        # In a context of our own: a caller's context with InvalidOperation untrapped would
        # otherwise turn the text into NaN. (Given to the constructor, which reads it only to
        # signal: the digits are kept exactly, and no context is entered per number.)
        return Decimal(text, _READING)
    except decimal.InvalidOperation:
        raise NumberError(f"{text[:20]} is out of range (at most 10^{MAX_EXPONENT})") from None


class OutOfRange(str):
    """A TOML number too large for any Decimal (`1E99999999999999999999`), kept as its text.

    The loader reports it where it stands: as a number out of range where a number belongs,
    as a number where text belongs.
    """


def toml_number(text: str) -> Decimal | OutOfRange:
    """tomli's `parse_float`: a TOML float read exactly, never a crash."""
    try:
        return _decimal(text)
    except NumberError:
        return OutOfRange(text)


def _checked(number: Decimal, text: str) -> Decimal:
    # Only a text longer than the limit can hold more digits than it (as_tuple is not free).
    if len(text) > MAX_DIGITS and len(number.as_tuple().digits) > MAX_DIGITS:
        raise NumberError(f"{text.strip()[:20]}... has more than {MAX_DIGITS} significant digits")
    if not number:  # zero, however written (`0E-73`, `-0`): 0, never out of range or negative
        return number.copy_abs() if abs(number.adjusted()) <= MAX_EXPONENT else Decimal(0)
    if abs(number.adjusted()) > MAX_EXPONENT:
        # Keeps every product, rounding and printed form well inside EXACT's precision.
        if number.adjusted() < 0:  # `1e-400`: not too large, too small
            raise NumberError(
                f"{text.strip()[:20]} is too small to read (below 10^-{MAX_EXPONENT}; write 0 "
                "if it is nil)"
            )
        raise NumberError(f"{text.strip()[:20]} is out of range (at most 10^{MAX_EXPONENT})")
    return number


def split_value(text: str) -> tuple[Decimal, str, str] | None:
    """Split published text such as `26 weeks`, `48%` or `<5` into (number, unit, sign).

    Returns None when the text does not start with a number. The unit is the raw text after
    the number ('' for a bare number, 'GBP' for a leading pound sign); the sign is '<', '>',
    '<=' or '>=' when the value is censored, else ''. A digit that is not ASCII (U+09EA, a Bengali
    four) is a NumberError: it may look like another digit, and is never read as one.
    """
    stripped = text.strip()
    digit = _foreign_digit(stripped)
    if digit is not None:
        raise NumberError(
            f"{digit!r} (U+{ord(digit):04X}) is not an ASCII digit; only 0-9 are read as digits"
        )
    match = _VALUE.match(stripped)
    if match is None:
        return None
    number = _checked(_decimal(match["number"].replace(",", "")), match["number"])
    unit = stripped[match.end() :].strip()
    if match["currency"]:
        unit = f"GBP {unit}".strip()
    return number, unit, match["sign"] or ""


def _foreign_digit(text: str) -> str | None:
    """The first decimal digit in `text` that is not 0-9 (a superscript ² is no digit here)."""
    if text.isascii():
        return None
    return next((c for c in text if c.isdecimal() and not "0" <= c <= "9"), None)


def round_value(value: Decimal, places: int, mode: RoundingMode) -> Decimal:
    """Round to `places` decimal places as a printed report would."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=_DECIMAL_MODES[mode], context=EXACT)


def format_decimal(value: Decimal) -> str:
    """Print a decimal in plain notation without a trailing exponent or needless zeros."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1), context=EXACT))
    return format(value.normalize(EXACT), "f")


def given_number(raw: object, what: str) -> Decimal:
    """A number a caller gave a model object (`what` names it: "a target") as a Decimal: an
    int, a float (through its shortest repr, never binary) or numeric text read exactly; a
    Decimal as it is. Not a number at all is a TypeError; a number that cannot be one
    (`nan`, `inf`, text that is no number) a ValueError."""
    if isinstance(raw, Decimal):  # as computed (a converted or mean target has many digits)
        if raw.is_finite():
            return raw
        raise ValueError(f"{what} is a finite number, not {raw}")
    if isinstance(raw, bool):
        raise TypeError(f"{what} is a number (a Decimal, int, float or text), not {raw!r}")
    if not isinstance(raw, (int, float, str)):
        try:
            raw = operator.index(raw)  # type: ignore[arg-type]  # a numpy integer
        except TypeError:
            raise TypeError(
                f"{what} is a number (a Decimal, int, float or text), not {raw!r}"
            ) from None
    try:
        return to_decimal(raw)
    except NumberError as exc:
        raise ValueError(f"{what} is a finite number: {exc}") from None
