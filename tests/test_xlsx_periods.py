"""Periods Excel keeps as dates: a date shown as a month is that month; one shown with its
day is rejected, saying which month to write."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import ragrules
from ragrules.formats.data import read_observations, read_rows
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


SEPTEMBER_30_2020 = 44104  # 30 September 2020, a serial in the 1900 date system


@pytest.mark.parametrize(
    ("code", "value", "shown"),
    [
        pytest.param("[<1]h:mm;mmm yyyy", "44104", "2020-09", id="time-below-one-else-month"),
        pytest.param("[<1]h:mm;mmm yyyy", "0.5", "12:00:00", id="time-below-one"),
        pytest.param("[<44000]0;mmm yyyy", "44104", "2020-09", id="number-below-else-month"),
        pytest.param("[<44000]0;mmm yyyy", "43000", "43000", id="number-below"),
        pytest.param('[=44104]"Q2 2020/21";mmm yyyy', "44104", "Q2 2020/21", id="label"),
        pytest.param('[=44104]"Q2 2020/21";mmm yyyy', "44105", "2020-10", id="label-else"),
        pytest.param('[>=1]mmm yyyy;[<0]"before";0', "-3", "before", id="second-condition"),
        pytest.param('[>=1]mmm yyyy;[<0]"before";0', "0.5", "0.5", id="third-is-the-rest"),
        pytest.param("0;mmm yyyy", "44104", "44104", id="positive-section"),
        pytest.param("mmm yyyy;0", "-5", "-5", id="negative-section-a-number"),
        pytest.param("0;0;mmm yyyy", "0", "00:00:00", id="zero-section-a-time"),
        pytest.param("mmm yyyy;@", "44104", "2020-09", id="text-section-is-for-text"),
        pytest.param('0.0"%";0.0%', "-0.25", "-25%", id="percent-in-the-negative-section"),
        pytest.param('#,##0;-#,##0;"-"', "0", "0", id="accounting-dash-keeps-zero"),
        pytest.param('[=0]"none";0', "0", "none", id="a-condition-labels-zero"),
        pytest.param('mmm\\;yyyy";"', "44104", "2020-09", id="an-escaped-semicolon"),
    ],
)
def test_the_section_excel_applies_to_a_value_reads_it(code: str, value: str, shown: str) -> None:
    """A format's sections are chosen as Excel chooses them: by their conditions, or as
    positive; negative; zero; text. A section that only prints text, chosen by a condition,
    is that text (the label a reader sees); the zero section of an accounting format that
    prints `-` keeps the number, which the reader sees as nil."""
    assert number_text(value, number_kind(164, code), WINDOWS_EPOCH) == shown


@pytest.mark.parametrize(
    ("code", "value", "shown"),
    [
        pytest.param("mmm e", NOVEMBER_2020, "2020-11", id="e-is-the-year"),
        pytest.param("mmmm\\ e", NOVEMBER_2020, "2020-11", id="escaped-space-e"),
        pytest.param("yyyy", NOVEMBER_2020, "2020", id="a-year"),
        pytest.param("yy", NOVEMBER_2020, "2020", id="a-two-digit-year"),
        pytest.param("e", NOVEMBER_2020, "2020", id="an-e-year"),
        pytest.param("mmm yyyy", "-1", "########", id="negative"),
        pytest.param("dd/mm/yyyy", "-1", "########", id="negative-day"),
        pytest.param("mmm yyyy", "3000000", "########", id="past-9999"),
        pytest.param("yyyy", "2958466", "########", id="past-9999-year"),
        pytest.param("mmm yyyy", "2958465", "9999-12", id="the-last-month"),
        pytest.param("0.00E+00", "12345", "12345", id="scientific-is-no-year"),
        pytest.param("General", "44104", "44104", id="general-is-no-year"),
        pytest.param("0.0e-0", "12345", "12345", id="lower-case-scientific"),
    ],
)
def test_years_and_dates_excel_cannot_show(code: str, value: str, shown: str) -> None:
    """`e` is Excel's year as `yyyy` is; a date shown as its year alone is that calendar
    year, as a period column reads `2020`; a negative serial or one past 9999 is no date
    (Excel fills the cell with #), so no period either."""
    assert number_text(value, number_kind(164, code), WINDOWS_EPOCH) == shown


def _dated_rows(tmp_path: Path, *, iso: bool, mac: bool) -> list[list[str]]:
    """A period column of dates as openpyxl writes them (ISO cells or serials, either
    epoch), each with its number format, as the reader reads them."""
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    book = openpyxl.Workbook()
    book.iso_dates = iso
    book.epoch = CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900
    sheet = book.active
    sheet.append(["period"])
    codes = ["mmm yyyy", "dd/mm/yyyy", "[<1]h:mm;mmm yyyy", "mmm e", "yyyy"]
    for code in codes:
        sheet.append([datetime.datetime(2020, 11, 15)])
        sheet.cell(sheet.max_row, 1).number_format = code
    sheet.append([datetime.datetime(1900, 2, 28, 12)])
    sheet.cell(sheet.max_row, 1).number_format = "dd/mm/yyyy h:mm"
    path = tmp_path / "dated.xlsx"
    book.save(path)
    return [cells for _, cells in read_rows(path.read_bytes(), "dated.xlsx")][1:]


@pytest.mark.parametrize("mac", [False, True], ids=["1900", "1904"])
@pytest.mark.parametrize("iso", [False, True], ids=["serial", "iso"])
def test_an_iso_date_cell_reads_through_its_format_as_a_serial_does(
    tmp_path: Path, iso: bool, mac: bool
) -> None:
    """openpyxl's `iso_dates` writes a date as `t="d"` text: Excel shows it through its
    number format, so it is read as the same date kept as a serial is (a date before 1904
    is none in the 1904 date system)."""
    assert _dated_rows(tmp_path, iso=iso, mac=mac) == [
        ["2020-11"],
        ["2020-11-15 00:00:00"],
        ["2020-11"],
        ["2020-11"],
        ["2020"],
        ["########" if mac else "1900-02-28 12:00:00"],
    ]


def test_a_workbook_of_iso_months_rates_as_its_csv(tmp_path: Path) -> None:
    """The months of an ISO-dated sheet are rated as the same months typed as text."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.iso_dates = True
    sheet = book.active
    sheet.append(["indicator", "period", "value"])
    for month, value in ((10, "93%"), (11, "88%")):
        sheet.append(["visits", datetime.datetime(2020, month, 15), value])
        sheet.cell(sheet.max_row, 2).number_format = "mmm yyyy"
    path = tmp_path / "iso.xlsx"
    book.save(path)
    report = ragrules.loads(RULESET).rate(read_observations(path))
    assert not report.rejected
    (result,) = report.results
    assert (str(result.period), result.status) == ("2020-11", "amber")
