"""Exact numbers: decimals from text, floats through repr, printed-report rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ragrules.model.numbers import (
    NumberError,
    RoundingMode,
    format_decimal,
    parse_decimal,
    round_value,
    split_value,
    to_decimal,
)


def test_float_goes_through_its_shortest_repr() -> None:
    """0.1 given as a float is exactly 0.1, not the binary 0.1000000000000000055..."""
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal(23.4) == Decimal("23.4")


@pytest.mark.parametrize("bad", [True, "1e", "abc", float("nan"), None, Decimal("Infinity")])
def test_non_numbers_are_refused(bad: object) -> None:
    """Booleans, text that is not a number and non-finite values are not numbers."""
    with pytest.raises(NumberError):
        to_decimal(bad)


def test_huge_numbers_are_refused_quickly() -> None:
    """A 100,000-digit number is an error, not a slow computation."""
    with pytest.raises(NumberError, match="significant digits"):
        parse_decimal("9" * 100_000)
    with pytest.raises(NumberError, match="out of range"):
        parse_decimal("1e100000")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28.15", (Decimal("28.15"), "", "")),
        ("48%", (Decimal("48"), "%", "")),
        ("26 weeks", (Decimal("26"), "weeks", "")),
        ("1,234.5", (Decimal("1234.5"), "", "")),
        ("£1,200", (Decimal("1200"), "GBP", "")),
        ("<5", (Decimal("5"), "", "<")),
        (" -3.0 ", (Decimal("-3.0"), "", "")),
        (".5", (Decimal("0.5"), "", "")),
    ],
)
def test_split_value(text: str, expected: tuple[Decimal, str, str]) -> None:
    """Published text splits into number, unit text and censoring sign."""
    assert split_value(text) == expected


def test_split_value_rejects_text() -> None:
    """Text that does not start with a number gives None."""
    assert split_value("about 5") is None


@pytest.mark.parametrize(
    ("value", "places", "mode", "expected"),
    [
        ("2.25", 1, RoundingMode.HALF_UP, "2.3"),
        ("2.25", 1, RoundingMode.HALF_EVEN, "2.2"),
        ("-2.25", 1, RoundingMode.HALF_UP, "-2.3"),
        ("2.29", 1, RoundingMode.DOWN, "2.2"),
        ("84.95", 1, RoundingMode.HALF_UP, "85.0"),
        ("7", 2, RoundingMode.HALF_UP, "7.00"),
    ],
)
def test_round_value(value: str, places: int, mode: RoundingMode, expected: str) -> None:
    """Rounding is decimal, as a printed report rounds."""
    assert str(round_value(Decimal(value), places, mode)) == expected


@pytest.mark.parametrize(
    ("value", "text"), [("30.00", "30"), ("28.50", "28.5"), ("1E+2", "100"), ("-0.10", "-0.1")]
)
def test_format_decimal(value: str, text: str) -> None:
    """Decimals print plainly, without exponents or trailing zeros."""
    assert format_decimal(Decimal(value)) == text


@pytest.mark.parametrize("text", ["44444442E520444444444444444444", ".54E4444444444444444444444"])
def test_exponents_beyond_any_decimal_are_out_of_range(text: str) -> None:
    """Found by atheris: an exponent too large for Decimal itself is a NumberError, not a crash."""
    with pytest.raises(NumberError, match="out of range"):
        split_value(text)
    with pytest.raises(NumberError, match="out of range"):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["1e-400", "1E-61", "-0.5e-61"])
def test_a_number_too_small_to_read_is_said_to_be_too_small(text: str) -> None:
    """Not "out of range (at most 10^60)", which reads as too large."""
    with pytest.raises(NumberError, match=r"is too small to read \(below 10\^-60; write 0"):
        parse_decimal(text)
    assert parse_decimal("1e-60") == Decimal("1e-60")


@pytest.mark.parametrize("spaced", ["", "  "])
def test_the_digit_limit_is_exact(spaced: str) -> None:
    """Sixty significant digits are read; sixty-one are refused, however the text is laid out."""
    assert parse_decimal(f"{spaced}{'7' * 60}{spaced}") == Decimal("7" * 60)
    assert parse_decimal(f"0.{'7' * 60}") == Decimal(f"0.{'7' * 60}")
    for text in ("7" * 61, f"0.{'7' * 61}", f"{'7' * 61}E-70"):
        with pytest.raises(NumberError, match="significant digits"):
            parse_decimal(f"{spaced}{text}{spaced}")
