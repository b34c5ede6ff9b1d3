"""Quarters as council papers write them (`Quarter 2 2024/25`, `Qtr 2`), read as `2024/25 Q2`;
a year in two digits (`Q2 24/25`) says to write four."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ragrules.model.periods import PeriodError, parse_period


@pytest.mark.parametrize(
    "text",
    [
        "2024/25 Quarter 2",
        "Quarter 2 2024/25",
        "quarter 2 2024-25",
        "Qtr 2 2024/25",
        "2024/25 Qtr. 2",
        "Q 2 2024/25",
        "FY 2024/25 Quarter 2",
    ],
)
def test_a_quarter_spelt_out_is_that_quarter(text: str) -> None:
    assert str(parse_period(text)) == "2024/25 Q2"


def test_a_calendar_quarter_spelt_out() -> None:
    assert str(parse_period("2024 Quarter 3")) == "2024 Q3"


@pytest.mark.parametrize(
    ("text", "example"),
    [
        ("Q2 24/25", "2024/25 Q2"),
        ("24/25 Quarter 3", "2024/25 Q3"),
        ("24/25", "2024/25"),
        ("Q2 24/25 YTD", "2024/25 Q2 YTD"),  # what else was written is kept
        ("R12M Q2 24/25", "R12M 2024/25 Q2"),
        ("99/00", "1999/00"),
    ],
)
def test_a_year_in_two_digits_says_to_write_four(text: str, example: str) -> None:
    with pytest.raises(PeriodError, match=f"write the year in four digits, e.g. '{example}'"):
        parse_period(text)


@pytest.mark.parametrize("text", ["Quarterly 2024", "Quarter 5 2024/25", "Q0 2024/25"])
def test_what_is_no_quarter_is_still_refused(text: str) -> None:
    with pytest.raises(PeriodError, match="is not a period"):
        parse_period(text)


@given(
    st.integers(min_value=1990, max_value=2090),
    st.integers(min_value=1, max_value=4),
    st.sampled_from(["Q{q}", "Quarter {q}", "Qtr {q}", "qtr. {q}"]),
    st.booleans(),
)
def test_every_spelling_reads_as_the_short_one(
    year: int, quarter: int, spelling: str, first: bool
) -> None:
    split = f"{year}/{(year + 1) % 100:02d}"
    written = spelling.format(q=quarter)
    text = f"{written} {split}" if first else f"{split} {written}"
    assert parse_period(text) == parse_period(f"{split} Q{quarter}")


@pytest.mark.parametrize("text", ["03/24", "50/50", "24/26"])
def test_two_numbers_that_are_no_split_year_get_no_year_hint(text: str) -> None:
    with pytest.raises(PeriodError, match="is not a period"):
        parse_period(text)
