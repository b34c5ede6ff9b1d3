"""How an .xlsx cell's value is printed: text with Excel's `_xHHHH_` escapes decoded, and a
number by its number format, read as a percentage, a date, a duration or a plain number as
openpyxl reads them."""

from __future__ import annotations

import datetime
import re

from ragrules.model.numbers import EXACT, NumberError, format_decimal, to_decimal

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

# Number formats, as openpyxl tells a date (and a duration) from a number.
_PERCENT_IDS = {9, 10}
_DATE_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
_DURATION_IDS = {46}
_MONTH_IDS = {17}  # mmm-yy
_AM_PM = re.compile(r"am/pm|a/p", re.IGNORECASE)
_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_TOKEN = re.compile(r"(?<![_\\*])[dmhysDMHYS]")  # not after `_`, `\` or `*` (printed)
_DURATION = re.compile(
    r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE
)
# What a format prints without reading it as a format character: text in quotes, a character
# after `\` (printed), `*` (repeated to fill the cell) or `_` (a space as wide as it, so
# nothing is printed), and [bracketed] colours, conditions and locales. A `%` among them is
# no percentage: 45 in `0.0"%"` or `0.0\%` shows as 45.0%, in `0.0_%` as 45.0. Matched left
# to right, as Excel reads the code, so `\"` is an escaped quote and `"\"` a quoted backslash.
_PRINTED = re.compile(r'(?s)"[^"]*"?|[\\*_].|\[[^\]]*\]?')
# ECMA-376's escape (ST_Xstring) in cell text for a character XML cannot hold, or would read
# as another: a carriage return (XML reads it as a line feed) is `_x000D_`. `_x005F_` is `_`:
# a text that would read as an escape is written with its underscore escaped, so the text
# `_x0041_` is stored as `_x005F_x0041_`. Read left to right, as Excel reads it.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE = re.compile("[\ud800-\udfff]")
WINDOWS_EPOCH = datetime.datetime(1899, 12, 30)
MAC_EPOCH = datetime.datetime(1904, 1, 1)


def cell_text(text: str) -> str:
    """A cell's text as Excel shows it: its `_xHHHH_` escapes decoded, then stripped (so a
    value typed as `45%` and a carriage return is `45%`)."""
    if "_x" in text:
        text = _ESCAPE.sub(_unescaped, text)
        if _SURROGATE.search(text):
            # Two escaped halves of a surrogate pair are one character; a lone half is no
            # character (and no output could encode it): U+FFFD, as a UTF-16 reader reads it.
            text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text.strip()


def _unescaped(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


def number_kind(number: int, code: str | None) -> str:
    """What a number format means here: '%' (a percentage: 0.45 shows as 45%), '% sign' (a
    number printed with a percent sign: 45 shows as 45%), 'month' (a date shown as its month
    and year), 'date', 'duration' or '' (a plain number); a built-in format by its id, a
    custom one by its code, as openpyxl tells them apart."""
    if code is None:
        if number in _DATE_IDS:
            if number in _DURATION_IDS:
                return "duration"
            return "month" if number in _MONTH_IDS else "date"
        return "%" if number in _PERCENT_IDS else ""
    first = code.split(";")[0]
    tokens = {token.lower() for token in _DATE_TOKEN.findall(_LITERALS.sub("", first))}
    if tokens:
        if _DURATION.search(first):
            return "duration"
        # A month and year alone (`mmm yyyy`: how Excel keeps a typed `Nov 2020`) is read as
        # the month shown; AM/PM marks a time of day.
        month = tokens == {"m", "y"} and not _AM_PM.search(first)
        return "month" if month else "date"
    if "%" not in code:
        return ""
    if "%" in _PRINTED.sub("", code):
        return "%"
    shown = (text for text in _PRINTED.findall(code) if text[0] in '"\\*')
    return "% sign" if any("%" in text for text in shown) else ""


def number_text(text: str, style: str, epoch: datetime.datetime) -> str:
    """A number cell as text: a date or time as the date or time, a percentage (or a number
    printed with a percent sign) as printed, else its shortest form; a value no Decimal reads
    (`1E400`) is kept as written."""
    written = text.strip()
    if not _NUMBER.fullmatch(written):
        return written
    try:
        value: int | float
        value = float(written) if "." in written or "e" in written.lower() else int(written)
        if style == "month" and value >= 1:  # the month shown, as a period names it
            return _date(value, epoch, duration=False)[:7]
        if style in ("date", "duration", "month"):  # below 1, a time: no period
            return _date(value, epoch, duration=style == "duration")
        number = to_decimal(value)
    except (NumberError, ValueError, OverflowError):
        return written
    if style == "%":
        return f"{format_decimal(number.scaleb(2, EXACT))}%"
    if style == "% sign":
        return f"{format_decimal(number)}%"
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
