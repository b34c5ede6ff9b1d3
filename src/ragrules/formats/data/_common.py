"""What the data readers share: their limits, and errors that name the file."""

from __future__ import annotations

import re
from pathlib import Path

from ragrules.model.errors import DataError, Problem

# The most rows a data file may hold unless the caller allows more (`max_rows`).
MAX_ROWS = 10_000_000
# The most bytes a data file read whole may hold (`max_bytes`): /dev/zero stops here.
MAX_BYTES = 512 << 20
# The longest line a CSV file read a line at a time may have.
MAX_LINE = 1 << 20
# What a data file is named: a ruleset argument ending so was given the data by mistake.
DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".xlsx", ".xlsm", ".xls", ".ods")
# Workbook formats that are not .xlsx: refused by name rather than misread as CSV.
_OTHER_WORKBOOKS = (".xls", ".xlsb", ".ods", ".numbers")
# UTF-8 multi-byte sequences: a file holding any is UTF-8 text, even with one bad byte.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)

# Columns that hold an earlier period's value on the same row, as council tables print them.
EARLIER = {"previous": "previous", "last_year": "same period last year"}


def _refuse_other_workbooks(source: Path) -> None:
    suffix = source.suffix.lower()
    if suffix in _OTHER_WORKBOOKS:
        raise _error(
            str(source),
            f"{suffix} workbooks cannot be read",
            "save the sheet as .xlsx or as CSV (UTF-8)",
        )


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _error(source: str | None, message: str, hint: str) -> DataError:
    return DataError(problems=(Problem(file=source, message=message, hint=hint),))
