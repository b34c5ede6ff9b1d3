"""Cell references in an .xlsx sheet: column letters as numbers and back, and Excel's grid,
past which a row or column cannot come from a workbook Excel can open."""

from __future__ import annotations

import re

# Excel's own grid: a row or column past these is not from a workbook Excel can open.
MAX_XLSX_ROWS = 1_048_576
MAX_XLSX_COLUMNS = 16_384  # column XFD
CELL = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_LETTERS = re.compile(r"[A-Z]{1,3}")
COLUMNS: dict[str, int] = {}  # column letters already worked out (at most 18,278)


def dimension_width(reference: str) -> int:
    """The last column of a `<dimension ref>` such as `A1:F8`, at most MAX_XLSX_COLUMNS."""
    match = CELL.fullmatch(reference.rpartition(":")[2].replace("$", ""))
    return min(column_number(match[1]), MAX_XLSX_COLUMNS) if match else 0


def column_number(letters: str) -> int:
    """Column letters as a number (`XFD` is 16,384), cached; 0 if they are not 1-3 of A-Z."""
    if not _LETTERS.fullmatch(letters):
        return 0
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    COLUMNS[letters] = number  # at most 18,278 entries: AAA to ZZZ
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def attribute_int(text: str, default: int = 0) -> int:
    """A whole-number attribute (a style, fill or number format id); `default` for any other
    text, which no workbook Excel writes holds."""
    stripped = text.strip()
    if stripped.isascii() and stripped.isdigit() and len(stripped) <= 9:
        return int(stripped)
    return default
