"""The columnar engine (the `polars` extra): a CSV file rated column by column, written as the
JSON lines the row engine writes, byte for byte.

polars reads the file a block of lines at a time, joins what was rendered onto the rows and
writes each line's parts as columns (cut at the JSON's commas, decision 59); every decision that
changes a status or an arrow is taken by the row engine's plans on the distinct values
(`LinePlan.rated` per value text; two numbers compared by exact sort keys or by the plan),
never by a polars number type, so no value is ever held in a type that cannot hold it. The
caches that keep what was rendered are bounded, so memory does not grow with the file.

Lines ending in CRLF, a byte order mark before the header and blank lines (no rows) are the
columnar engine's, and so are rows of indicators the ruleset does not define: the general
path rejects each in its place (no series' history changes). A file whose header the
columnar path does not take (and CSV output) goes whole to the compiled row engine; a file
whose later block it does not take (a line the plans do not take, a multi-line row, a bare
CR, another encoding) is the row engine's from that block on, the lines before replayed as
its history: the same bytes either way. A stream keeps the last 4,096 (series, period)
entries it was given (a line gives one per value it holds); a block in which a row would
read an earlier entry that many entries back (which the stream may have dropped) is the row
engine's from that block on, so the two always agree.
"""

from __future__ import annotations

import codecs
import contextlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from ragrules.engine.ruleset import Ruleset
from ragrules.reports.columnar._table import CsvBlocks, Table
from ragrules.reports.columnar._writer import Writer
from ragrules.reports.compiled import CsvStream, rate_csv_stream, rate_lines
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
    encoding: str | None = None,
) -> Tally:
    """Rate a CSV file column-wise and write JSON lines as `ragrules rate --stream` does.

    Returns the stream's tally. A file the columnar path does not cover (and CSV output, or
    an `encoding` other than UTF-8) is rated by the compiled row engine instead, from its
    first line it does not take: the same bytes. Lines end in a bare newline (as the row
    engine's do on this system's text files).
    """
    # `utf-8-sig` is what the command line sniffs for a UTF-8 file: the row engine drops a
    # byte order mark before the header (as with no encoding given), plain `utf-8` keeps it.
    codec = "utf-8-sig" if encoding is None else codecs.lookup(encoding).name
    blocks = (
        CsvBlocks.open(ruleset, Path(path), columns, delimiter, bom=codec == "utf-8-sig")
        if fmt == "json" and codec in ("utf-8", "utf-8-sig")
        else None
    )
    writer = None
    # Every line handed over is in the file (the writer finished) before anything else
    # writes to it: the row engine below, or the caller.
    with contextlib.ExitStack() as finishing:
        # Closed (the reading ended, the file closed) before anything else reads the file.
        tables = finishing.enter_context(contextlib.closing(iter(blocks))) if blocks else ()
        for table in tables:
            if not table.frame.height and not table.aside:
                continue  # blank lines only: no row (a file of nothing else is the row engine's)
            writer = writer or finishing.enter_context(Writer(table.layout, out))
            if not writer.write(table):  # a row may read what the stream dropped: rows' engine
                assert blocks is not None
                blocks.left = table.first  # its rows set aside too: none is lost
                break
    if blocks is None or writer is None:  # not even the first block: all the row engine's
        return rate_csv_stream(
            ruleset, path, out, fmt, columns=columns, delimiter=delimiter, encoding=encoding
        )
    tally = writer.tally
    if blocks.left is not None:  # a block it does not take: the row engine from there on
        rest = CsvStream(ruleset, path, columns=columns, delimiter=delimiter, encoding=encoding)
        tally.add(rest.write_part(out, first=blocks.left))
    return tally


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
    if table is None or not table.frame.height:
        return rate_lines(ruleset, header, rows, out, columns=columns)
    with Writer(table.layout, out) as writer:
        written = writer.write(table)
    if not written:  # a row may read what a stream would have dropped
        return rate_lines(ruleset, header, rows, out, columns=columns)
    return writer.tally
