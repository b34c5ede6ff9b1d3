"""A number cell is read as Excel shows it: to 15 significant digits, so a percentage a
formula computed (`=75.6/100`, stored as 0.7559999999999999) is 75.6%, not
75.59999999999999%, and rates as the sheet shows it; to its full stored precision otherwise
(0.8951 shown as 90% is 89.51%: `rounding` in the ruleset rates what is printed)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.formats.data._xlsx_values import (
    WINDOWS_EPOCH,
    excel_digits,
    number_kind,
    number_text,
)

PERCENT, PLAIN = number_kind(10, None), number_kind(0, None)  # built-in 0.00% and General


@pytest.mark.parametrize(
    ("stored", "style", "shown"),
    [
        ("0.75599999999999989", PERCENT, "75.6%"),  # =75.6/100, as Excel writes it
        ("0.7559999999999999", PERCENT, "75.6%"),
        ("0.30000000000000004", PLAIN, "0.3"),  # =0.1+0.2
        ("2.9999999999999996", PLAIN, "3"),
        ("-0.7559999999999999", PERCENT, "-75.6%"),
        ("0.8951", PERCENT, "89.51%"),  # every stored digit, not the format's decimals
        ("0.123456789012345", PLAIN, "0.123456789012345"),  # 15 digits: as stored
        ("1.2345678901234568E+18", PLAIN, "1234567890123460000"),
        ("1E-20", PLAIN, "0.00000000000000000001"),
    ],
)
def test_a_number_cell_reads_as_excel_shows_it(stored: str, style: object, shown: str) -> None:
    assert number_text(stored, style, WINDOWS_EPOCH) == shown  # type: ignore[arg-type]


@given(st.floats(min_value=-1e300, max_value=1e300, allow_subnormal=False))
def test_fifteen_digits_at_most_and_a_typed_number_unchanged(number: float) -> None:
    read = excel_digits(Decimal(repr(number)))
    assert len(read.normalize().as_tuple().digits) <= 15  # 0.99999999999999995 is 1
    # Within half a unit of the 15th digit of the stored double.
    stored = Decimal(repr(number))
    if stored:
        assert abs(read - stored) <= Decimal(5).scaleb(stored.adjusted() - 15)
    # A number typed with 15 digits or fewer (Excel keeps what was typed) reads as typed.
    typed = Decimal(f"{number:.14e}").normalize()
    assert excel_digits(Decimal(repr(float(typed)))) == typed


def test_a_computed_percentage_rates_as_the_sheet_shows_it(tmp_path: Path) -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "q2.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Q2")
    percent = book.add_format({"num_format": "0.0%"})
    sheet.write_row(0, 0, ["indicator", "period", "value"])
    sheet.write_row(1, 0, ["ASC02", "2020/21 Q2"])
    # What `=75.6/100` stores, saved as Excel saves it (XlsxWriter asks Excel to calculate
    # a formula it writes, which the reader says is no value).
    sheet.write_number(1, 2, 75.6 / 100, percent)
    book.close()
    (row,) = ragrules.read_observations(path)
    assert row.value == "75.6%"  # type: ignore[attr-defined]
    rules = ragrules.load("docs/tutorial/council.toml")
    result = rules.rate([row], period="2020/21 Q2").result("ASC02")
    assert result.status == "amber"  # on the amber boundary, as the sheet shows 75.6%
