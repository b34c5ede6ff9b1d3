"""Observations from files: CSV, JSON and xlsx, each row numbered as an editor shows it.

This is an edge: it reads files and returns `Observation`s; what the values mean is decided
later by `observations.read_value`. Problems that stop a whole file raise `DataError`.
"""

from __future__ import annotations

import math
import numbers
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from ragrules.formats._reading import TooLarge, read_capped
from ragrules.formats.data._common import (
    DATA_SUFFIXES,
    EARLIER,
    MAX_BYTES,
    MAX_LINE,
    MAX_ROWS,
    _error,
    _refuse_other_workbooks,
)
from ragrules.formats.data._csv import iter_csv, iter_csv_lines, parse_csv
from ragrules.formats.data._encoding import decode, is_utf8, sniff_encoding
from ragrules.formats.data._json import parse_json
from ragrules.formats.data._rows import (
    RowReader,
    header_of,
    iter_rows,
    parse_columns,
    parse_rows,
)
from ragrules.formats.data._xlsx import read_fills, read_rows
from ragrules.model.periods import Period, given_text

__all__ = [
    "DATA_SUFFIXES",
    "EARLIER",
    "MAX_BYTES",
    "MAX_LINE",
    "MAX_ROWS",
    "RowReader",
    "decode",
    "excel_rows",
    "header_of",
    "is_utf8",
    "iter_csv",
    "iter_csv_lines",
    "iter_rows",
    "parse_columns",
    "parse_csv",
    "parse_json",
    "parse_rows",
    "read_fills",
    "read_observations",
    "read_rows",
    "sniff_encoding",
]


def read_observations(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    period: str | Period | None = None,
    max_rows: int | None = MAX_ROWS,
    encoding: str | None = None,
    max_bytes: int | None = MAX_BYTES,
) -> list[object]:
    """Read a CSV (or tab-separated), JSON or .xlsx file of observations, by the file's
    extension.

    `columns` maps a column (its header, or `#N` for the Nth column) to what it holds: a
    field (`indicator`, `value`, `target`, ...), `previous` or `last_year` (an earlier value on
    the same row, which needs `period`), or any other name (`published_short`, a benchmark).
    In a JSON file the columns are each record's keys, named (a JSON object's keys have no
    order to number).
    Text is read as `encoding` when given; else as UTF-8, or as Windows-1252 when it holds
    no UTF-8 text at all (`sniff_encoding` tells a caller which). A file that mixes the two is a
    DataError naming the line of the first bad byte. A file with more than `max_rows`
    observations or `max_bytes` bytes is a DataError (None: no limit).
    """
    if isinstance(path, str) and "\n" in path:  # a file's text, never a file's name
        raise TypeError(
            "read_observations reads a file by its path; this looks like the file's text: "
            "parse it with ragrules.data.parse_csv(text) or parse_json(text)"
        )
    max_rows, max_bytes = _limit("max_rows", max_rows), _limit("max_bytes", max_bytes)
    source = Path(path)
    _refuse_other_workbooks(source)
    period = given_text(period)
    try:
        raw = read_capped(source, max_bytes)
    except TooLarge:
        raise _error(
            str(source),
            f"the data is over {max_bytes:,} bytes",
            "split the file, stream it (rate --stream), or raise the limit with max_bytes",
        ) from None
    except OSError as exc:
        raise _error(
            str(source),
            f"cannot read the data: {exc.strerror or exc}",
            "check the path",
        ) from None
    observations = _read(raw, source, columns, delimiter, period, encoding)
    if len(observations) > max_rows:
        raise _error(
            str(source),
            f"more than {max_rows:,} rows",
            "split the file, or raise the limit with max_rows",
        )
    return observations


def _limit(name: str, given: object) -> int:
    """A limit as the caller gave it: a whole number, at least 0; None for no limit."""
    if given is None or given == math.inf:
        return sys.maxsize
    if isinstance(given, float) and given.is_integer():
        given = int(given)  # `max_bytes=1e6`
    if isinstance(given, bool) or not isinstance(given, numbers.Integral):
        raise TypeError(
            f"{name} is a whole number (or None for no limit), not {type(given).__name__}"
        )
    if given < 0:
        raise ValueError(f"{name} cannot be below 0 (it is {given}); None means no limit")
    return int(given)


def _read(
    raw: bytes,
    source: Path,
    columns: Mapping[str, str] | None,
    delimiter: str | None,
    period: str | None,
    encoding: str | None = None,
) -> list[object]:
    suffix = source.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return parse_rows(
            excel_rows(raw, str(source)), source=str(source), columns=columns, period=period
        )
    text = decode(raw, str(source), encoding)
    if suffix == ".json":
        return parse_json(text, source=str(source), columns=columns, period=period)
    return parse_csv(text, source=str(source), columns=columns, delimiter=delimiter, period=period)


def excel_rows(data: bytes, source: str) -> Iterator[tuple[int, list[str]]]:
    """The first sheet of an .xlsx workbook as (row number, cells as text) pairs.

    Read by ragrules' own streaming reader (`_xlsx`, no dependency), with limits on size
    checked while reading. Numbers are read through their shortest repr, and a cell
    formatted as a percentage (0.48 shown as 48%) is read as `48%`, as printed.
    """
    return read_rows(data, source)
