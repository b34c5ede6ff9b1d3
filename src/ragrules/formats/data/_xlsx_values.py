"""How an .xlsx cell's number is printed: its number format read as a percentage, a date, a
duration or a plain number, as openpyxl reads them, and the value written accordingly."""

from __future__ import annotations

import datetime
import re

from ragrules.model.numbers import EXACT, NumberError, format_decimal, to_decimal

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

# Number formats, as openpyxl tells a date (and a duration) from a number.
_PERCENT_IDS = {9, 10}
_DATE_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
_DURATION_IDS = {46}
_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_TOKEN = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(
    r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE
)
WINDOWS_EPOCH = datetime.datetime(1899, 12, 30)
MAC_EPOCH = datetime.datetime(1904, 1, 1)


def number_kind(number: int, code: str | None) -> str:
    """What a number format means here: '%', 'date', 'duration' or '' (a plain number); a
    built-in format by its id, a custom one by its code, as openpyxl tells them apart."""
    if code is None:
        if number in _DATE_IDS:
            return "duration" if number in _DURATION_IDS else "date"
        return "%" if number in _PERCENT_IDS else ""
    first = code.split(";")[0]
    if _DATE_TOKEN.search(_LITERALS.sub("", first)):
        return "duration" if _DURATION.search(first) else "date"
    return "%" if "%" in code else ""


def number_text(text: str, style: str, epoch: datetime.datetime) -> str:
    """A number cell as text: a date or time as the date or time, a percentage as printed,
    else its shortest form; a value no Decimal reads (`1E400`) is kept as written."""
    written = text.strip()
    if not _NUMBER.fullmatch(written):
        return written
    try:
        value: int | float
        value = float(written) if "." in written or "e" in written.lower() else int(written)
        if style in ("date", "duration"):
            return _date(value, epoch, duration=style == "duration")
        number = to_decimal(value)
    except (NumberError, ValueError, OverflowError):
        return written
    if style == "%":
        return f"{format_decimal(number.scaleb(2, EXACT))}%"
    return format_decimal(number)


def _date(value: float, epoch: datetime.datetime, *, duration: bool) -> str:
    """openpyxl's `from_excel`, printed: an Excel serial as a date, a time or a duration."""
    if duration:
        span = datetime.timedelta(days=value)
        if span.microseconds:
            span = datetime.timedelta(
                seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3)
            )
        return str(span)
    day, fraction = divmod(value, 1)
    time = datetime.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= value < 1 and time.days == 0:
        minutes, seconds = divmod(time.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return str(datetime.time(hours, minutes, seconds, time.microseconds))
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1  # Excel counts 29 February 1900, which never was
    return str(epoch + datetime.timedelta(days=day) + time)
