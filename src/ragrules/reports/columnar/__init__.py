"""The columnar engine (the `polars` extra): a CSV file rated column by column, written as the
JSON lines the row engine writes, byte for byte.

polars reads the file and joins; every decision that changes a status or an arrow is taken
by the row engine's plans on the distinct values (`LinePlan.rated` per value text, exact
`Decimal` ranks per indicator for the direction of travel), never by a polars number type,
so no value is ever held in a type that cannot hold it. A file the columnar path does not
cover (a line the plans do not take, blank or multi-line rows, another encoding, CSV output)
goes whole to the compiled row engine, which is exact for everything. A series' earlier rows
are found anywhere before a row (an as-of join), where a stream keeps the last 4,096 rows:
the two agree whenever a series' rows come within that distance, as in any sorted file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from ragrules.engine.ruleset import Ruleset
from ragrules.reports.columnar._table import Table
from ragrules.reports.columnar._writer import Writer
from ragrules.reports.compiled import rate_csv_stream, rate_lines
from ragrules.reports.stream import Tally

__all__ = ["rate_csv_columnar", "rate_rows_columnar"]


def rate_csv_columnar(
    ruleset: Ruleset,
    path: str | os.PathLike[str],
    out: TextIO,
    fmt: str = "json",
    *,
    columns: Mapping[str, str] | None = None,
    delimiter: str | None = None,
) -> Tally:
    """Rate a CSV file column-wise and write JSON lines as `ragrules rate --stream` does.

    Returns the stream's tally. A file the columnar path does not cover (and CSV output) is
    rated by the compiled row engine instead: the same bytes.
    """
    if fmt == "json":
        table = Table.read(ruleset, Path(path), columns, delimiter)
        if table is not None and table.plain():
            return Writer(table).write(out)
    return rate_csv_stream(ruleset, path, out, fmt, columns=columns, delimiter=delimiter)


def rate_rows_columnar(
    ruleset: Ruleset,
    header: Sequence[str],
    rows: list[tuple[int, list[str]]],
    out: TextIO,
    *,
    columns: Mapping[str, str] | None = None,
) -> Tally:
    """Rows already split into cells, as (line number, cells) in order, rated column-wise
    and written as JSON lines (Spark's executors use it); rows the columnar path does not
    cover go to the compiled row engine, with the same result."""
    table = Table.from_rows(ruleset, list(header), rows, columns)
    if table is not None and table.plain():
        return Writer(table).write(out)
    return rate_lines(ruleset, header, rows, out, columns=columns)
