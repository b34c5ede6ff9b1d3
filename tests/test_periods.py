"""Periods as councils write them, ordered by their first month."""

from __future__ import annotations

import pytest

from ragrules.model.periods import PeriodError, PeriodKind, parse_period


@pytest.mark.parametrize(
    ("text", "printed", "start"),
    [
        ("2020/21", "2020/21", (2020, 4)),
        ("2020-2021", "2020/21", (2020, 4)),
        ("2020/21 Q2", "2020/21 Q2", (2020, 7)),
        ("Q4 2020/21", "2020/21 Q4", (2021, 1)),
        ("2020-11", "2020-11", (2020, 11)),
        ("Nov 2020", "2020-11", (2020, 11)),
        ("2020", "2020", (2020, 1)),
        ("1999/00", "1999/00", (1999, 4)),
    ],
)
def test_parse_and_print(text: str, printed: str, start: tuple[int, int]) -> None:
    """Each spelling parses to one period that prints canonically."""
    period = parse_period(text)
    assert str(period) == printed
    assert period.start == start
    assert parse_period(printed) == period


@pytest.mark.parametrize("text", ["2020/22", "2020-13", "Foo 2020", "Q5 2020/21", "", "20/21"])
def test_bad_periods(text: str) -> None:
    """Text that is not a period is an error that shows how to write one."""
    with pytest.raises(PeriodError):
        parse_period(text)


def test_month_dash_is_never_a_financial_year() -> None:
    """`2011-12` is December 2011, not the financial year 2011/12."""
    assert parse_period("2011-12").kind is PeriodKind.MONTH
