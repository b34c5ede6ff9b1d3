"""Periods as councils write them, ordered by their first month."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ragrules.cli import main
from ragrules.model.periods import Calendar, Period, PeriodError, PeriodKind, parse_period, text_in


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


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("FY 2020-21", "2020/21"),
        ("fy2020-21", "2020/21"),
        ("FY 2020 - 21", "2020/21"),
        ("AY 2020-21", "AY 2020/21"),
        ("FY 2020-21 Q2", "2020/21 Q2"),
        ("Q2 AY 2020-21", "AY 2020/21 Q2"),
        ("AY 2020-21 Q1 YTD", "AY 2020/21 Q1 YTD"),
        ("R12M FY 2020-21 Q2", "R12M 2020/21 Q2"),
        ("2020-21 Q2", "2020/21 Q2"),  # not a month: a quarter names a split year
        ("Q3 2020-21", "2020/21 Q3"),
        ("FY 2011-12", "2011/12"),  # `2011-12` alone is December 2011; FY says it is a year
    ],
)
def test_a_split_year_with_a_dash_takes_fy_ay_and_quarters(text: str, printed: str) -> None:
    """`2020-21` is a financial year, so `FY 2020-21`, `AY 2020-21` and `2020-21 Q2` are
    split years as their `/` spellings are."""
    period = parse_period(text)
    assert period.kind is not PeriodKind.MONTH
    assert _text_in(period) == printed
    slash = text.replace(" - ", "/").replace("-", "/")
    assert period == parse_period(slash)


def _text_in(period: Period) -> str:
    return text_in(period, Calendar.FINANCIAL)


@pytest.mark.parametrize("text", ["FY 2020-22", "AY 2020-11", "FY 2020-1", "2020-22 Q2"])
def test_a_split_year_with_a_dash_must_run_into_the_next_year(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize("text", ["2020-11", "2011-12", "2001-02", "2020-1"])
def test_a_dash_and_a_month_alone_is_still_a_month(text: str) -> None:
    assert parse_period(text).kind is PeriodKind.MONTH


@given(
    st.integers(1000, 9998),
    st.sampled_from(["", "FY ", "AY ", "fy", "ay "]),
    st.sampled_from(["", " Q1", " Q4", " Q2 YTD"]),
    st.sampled_from(list(Calendar)),
)
def test_a_dash_and_two_digits_is_the_slash_wherever_it_cannot_be_a_month(
    year: int, prefix: str, quarter: str, calendar: Calendar
) -> None:
    """With `FY`/`AY` before it or a quarter after it, `YYYY-YY` is the split year `YYYY/YY`;
    alone, it is one only when the digits are no month (decision 15)."""
    split = f"{year}/{(year + 1) % 100:02d}"
    dashed = split.replace("/", "-")
    if not prefix and not quarter and (year + 1) % 100 <= 12:
        assert parse_period(dashed, calendar).kind is PeriodKind.MONTH
    else:
        expected = parse_period(f"{prefix}{split}{quarter}", calendar)
        assert parse_period(f"{prefix}{dashed}{quarter}", calendar) == expected


def test_an_academic_year_is_written_with_ay_so_it_reads_back_as_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`AY 2020/21` rated under a financial-year ruleset was written `2020/21`, which reads
    back as the financial year: `--period` of the period a report printed rated another
    row. Written `AY 2020/21`, it reads back as itself in any calendar."""
    rules = tmp_path / "r.toml"
    rules.write_text(
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\ntarget = 30\n'
        "tolerance = { absolute = 5 }\n",
        encoding="utf-8",
    )
    data = tmp_path / "d.csv"
    data.write_text(
        "indicator,period,value\na,AY 2020/21,20\na,AY 2019/20,30\na,2020/21,50\n", "utf-8"
    )
    assert main(["rate", str(rules), str(data), "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    (result,) = printed["results"]
    assert (printed["period"], result["period"], result["value"]) == (
        "AY 2020/21",
        "AY 2020/21",
        "20",
    )
    assert (
        main(["rate", str(rules), str(data), "--format", "json", "--period", printed["period"]])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["results"][0]["value"] == "20"
    for calendar in Calendar:
        period = parse_period("AY 2020/21 Q2")
        assert parse_period(str(period), calendar) == period
