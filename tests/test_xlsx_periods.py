"""Periods Excel keeps as dates: a date shown as a month is that month; one shown with its
day is rejected, saying which month to write."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import ragrules
from ragrules.formats.data import read_observations
from ragrules.formats.data._xlsx_values import WINDOWS_EPOCH, number_kind, number_text

NOVEMBER_2020 = str((datetime.datetime(2020, 11, 1) - WINDOWS_EPOCH).days)  # 44136
RULESET = """
[ruleset]
format = 1
id = "monthly"

[travel.comparisons]
month = { against = "previous-period" }

[[indicator]]
id = "visits"
unit = "percent"
target = "90%"
tolerance = { absolute = "5%" }
"""


@pytest.mark.parametrize(
    ("number", "code", "shown"),
    [
        pytest.param(164, "mmm yyyy", "2020-11", id="mmm-yyyy"),
        pytest.param(164, "mmmm\\ yyyy", "2020-11", id="escaped-space"),
        pytest.param(164, "mm/yyyy", "2020-11", id="mm/yyyy"),
        pytest.param(164, "yyyy-mm", "2020-11", id="yyyy-mm"),
        pytest.param(164, "[$-809]mmm-yy;@", "2020-11", id="with-a-locale"),
        pytest.param(17, None, "2020-11", id="built-in-mmm-yy"),
        pytest.param(164, "dd/mm/yyyy", "2020-11-01 00:00:00", id="with-its-day"),
        pytest.param(164, 'mmm" "d', "2020-11-01 00:00:00", id="month-and-day"),
        pytest.param(14, None, "2020-11-01 00:00:00", id="built-in-date"),
        pytest.param(164, "mmm", "2020-11-01 00:00:00", id="no-year"),
        pytest.param(164, '"Q"m yyyy" m"', "2020-11", id="quoted-letters-are-no-format"),
        pytest.param(164, "mmm yyyy*d", "2020-11", id="a-fill-character-is-no-day"),
        pytest.param(164, "mmm yyyy AM/PM", "2020-11-01 00:00:00", id="am-pm-is-a-time"),
    ],
)
def test_a_date_shown_as_a_month_reads_as_that_month(
    number: int, code: str | None, shown: str
) -> None:
    assert number_text(NOVEMBER_2020, number_kind(number, code), WINDOWS_EPOCH) == shown
    # Any day of the month, and a time of day, show the same month.
    later = f"{int(NOVEMBER_2020) + 29}.75"
    if shown == "2020-11":
        assert number_text(later, number_kind(number, code), WINDOWS_EPOCH) == shown


def test_a_month_formatted_serial_below_one_is_a_time_not_a_period() -> None:
    """Serial 0.5 in `mmm yyyy` is no month a council typed: the time it holds, which is
    rejected as no period, never the first seven characters of it."""
    assert number_text("0.5", number_kind(164, "mmm yyyy"), WINDOWS_EPOCH) == "12:00:00"


def test_a_workbook_of_months_typed_in_excel_rates_by_month(tmp_path: Path) -> None:
    """A monthly sheet whose periods Excel turned into dates: the months shown are rated,
    the date shown with its day is rejected with the month to write."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "monthly.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["indicator", "period", "value"])
    rows = [
        ("mmm yyyy", 2020, 10, "93%"),
        ("mmm-yy", 2020, 11, "88%"),
        ("dd/mm/yyyy", 2020, 9, "1"),
    ]
    for row, (code, year, month, value) in enumerate(rows, start=1):
        sheet.write_string(row, 0, "visits")
        when = datetime.datetime(year, month, 1)
        sheet.write_datetime(row, 1, when, book.add_format({"num_format": code}))
        sheet.write_string(row, 2, value)
    book.close()

    shown = openpyxl.load_workbook(path).active  # as a reader's Excel keeps them: dates
    assert [shown.cell(r, 2).is_date for r in (2, 3, 4)] == [True, True, True]
    observations = read_observations(path)
    periods = [o.period for o in observations if isinstance(o, ragrules.Observation)]
    assert periods == ["2020-10", "2020-11", "2020-09-01 00:00:00"]
    report = ragrules.loads(RULESET).rate(observations)
    (result,) = report.results
    assert (str(result.period), result.status) == ("2020-11", "amber")
    assert [m.earlier_text for m in result.travel] == ["93%"]  # October, from its date cell
    (rejected,) = report.rejected
    assert rejected.row == 4
    assert rejected.reason == (
        "'2020-09-01 00:00:00' is a date, not a period; for its month write '2020-09' "
        "(in a spreadsheet, format the cell as text or as a month, e.g. mmm yyyy)"
    )
