"""How an .xlsx cell's value is printed: text with Excel's `_xHHHH_` escapes decoded, and a
number (or an ISO date) through the section of its number format Excel shows it by: a
percentage, a month, a year, a date, a duration, a plain number, or a label."""

from __future__ import annotations

import datetime
import decimal
import re
from decimal import Decimal

from ragrules.formats.data._xlsx_formats import NumberFormat, Section
from ragrules.formats.data._xlsx_formats import number_kind as number_kind
from ragrules.model._text import mended
from ragrules.model.numbers import EXACT, NumberError, format_decimal, to_decimal

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

# ECMA-376's escape (ST_Xstring) in cell text for a character XML cannot hold, or would read
# as another: a carriage return (XML reads it as a line feed) is `_x000D_`. `_x005F_` is `_`:
# a text that would read as an escape is written with its underscore escaped, so the text
# `_x0041_` is stored as `_x005F_x0041_`. Read left to right, as Excel reads it.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE = re.compile("[\ud800-\udfff]")
_DATED = frozenset({"month", "year", "date", "duration"})
_PERIODS = {"month": 7, "year": 4}  # the characters of `2020-11-01 00:00:00` each shows
# What Excel shows for a date it cannot show (before its first date, or after 9999).
NO_DATE = "########"
WINDOWS_EPOCH = datetime.datetime(1899, 12, 30)
# What a formula cell with no value Excel saved reads as: a text no value, period or
# indicator is, so the row is rated `invalid` (or rejected) with this as its reason.
NOT_CALCULATED = "a formula with no saved value; open and save the workbook in Excel"
MAC_EPOCH = datetime.datetime(1904, 1, 1)


def cell_text(text: str) -> str:
    """A cell's text as Excel shows it: its `_xHHHH_` escapes decoded, then stripped (so a
    value typed as `45%` and a carriage return is `45%`)."""
    if "_x" in text:
        text = _ESCAPE.sub(_unescaped, text)
        if _SURROGATE.search(text):
            # Two escaped halves of a surrogate pair are one character; a lone half is no
            # character (and no output could encode it): U+FFFD, as a UTF-16 reader reads it.
            text = mended(text)
    return text.strip()


def _unescaped(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


def number_text(text: str, style: NumberFormat | str, epoch: datetime.datetime) -> str:
    """A number cell as text through the section of `style` (a format, or one kind for
    every value) Excel shows it by: a date or time as the date or time, a percentage (or a
    number printed with a percent sign) as printed, a label as its text, else the number's
    shortest form; a value no Decimal reads (`1E400`) is kept as written."""
    written = text.strip()
    if not _NUMBER.fullmatch(written):
        return written
    try:
        value: int | float
        value = float(written) if "." in written or "e" in written.lower() else int(written)
        section = _section(style, value)
        if section.kind in _DATED:
            return _dated(value, section.kind, epoch)
        if section.label:
            return section.label
        number = to_decimal(value)
    except (NumberError, ValueError, OverflowError):
        return written
    number = excel_digits(number)
    if section.kind == "%":
        return f"{format_decimal(number.scaleb(2, EXACT))}%"
    if section.kind == "% sign":
        return f"{format_decimal(number)}%"
    return format_decimal(number)


# Excel keeps and shows a number to 15 significant digits: the 16th and 17th of a double are
# binary noise (`=75.6/100` is 0.7559999999999999, which Excel shows, and compares, as 0.756).
EXCEL_DIGITS = 15


def excel_digits(number: Decimal) -> Decimal:
    """A number cell's value as Excel shows it in its formula bar: to 15 significant digits,
    rounded half away from zero as Excel rounds what it shows."""
    if len(number.as_tuple().digits) <= EXCEL_DIGITS:
        return number
    place = Decimal(1).scaleb(number.adjusted() - EXCEL_DIGITS + 1)
    return number.quantize(place, rounding=decimal.ROUND_HALF_UP, context=EXACT)


def date_text(text: str, style: NumberFormat, epoch: datetime.datetime) -> str:
    """An ISO date cell (`t="d"`, as openpyxl's `iso_dates` writes one) read as Excel shows
    it: through its format as the serial Excel keeps for it; through a section that is no
    date (or when it is no ISO date), as written, as openpyxl reads it."""
    written = text.strip()
    try:
        when = datetime.datetime.fromisoformat(written.removesuffix("Z"))
    except ValueError:
        return written
    if when.tzinfo is not None:  # no serial holds a time zone
        return str(when)
    value = _serial(when, epoch)
    section = style.section(value)
    if section.kind in _DATED:
        return _dated(value, section.kind, epoch)
    return section.label or str(when)


def _section(style: NumberFormat | str, value: float) -> Section:
    return Section(style) if isinstance(style, str) else style.section(value)


def _serial(when: datetime.datetime, epoch: datetime.datetime) -> float:
    """The Excel serial of a date and time, as `_date` reads it back."""
    span = when - epoch
    serial = span.days + (span.seconds + span.microseconds / 1e6) / 86_400
    if epoch == WINDOWS_EPOCH and serial < 61:
        serial -= 1  # Excel counts 29 February 1900, which never was
    return serial


def _dated(value: float, kind: str, epoch: datetime.datetime) -> str:
    """A serial through a date section: the month or year shown, as a period names it; the
    date, time or duration; `########`, as Excel fills the cell, for a serial before its
    first date or after 9999, which no date is. Below 1, a time: no period."""
    if value < 0:
        return NO_DATE
    try:
        if kind == "duration":
            return _duration(value)
        shown = _date(value, epoch)
    except OverflowError:
        return NO_DATE
    if value >= 1 and kind in _PERIODS:
        return shown[: _PERIODS[kind]]
    return shown


def _duration(value: float) -> str:
    """openpyxl's `from_excel` for a duration, printed."""
    span = datetime.timedelta(days=value)
    if span.microseconds:
        span = datetime.timedelta(
            seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3)
        )
    return str(span)


def _date(value: float, epoch: datetime.datetime) -> str:
    """openpyxl's `from_excel`, printed: an Excel serial as a date, or a time below 1."""
    day, fraction = divmod(value, 1)
    time = datetime.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= value < 1 and time.days == 0:
        minutes, seconds = divmod(time.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return str(datetime.time(hours, minutes, seconds, time.microseconds))
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1  # Excel counts 29 February 1900, which never was
    return str(epoch + datetime.timedelta(days=day) + time)
