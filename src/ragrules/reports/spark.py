"""Spark for the national run (the `spark` extra): a Spark DataFrame rated series by series on
the executors, with the columnar engine inside each group of `COLUMNAR_ROWS` rows or more
(the compiled row engine for a smaller group, and for one the columnar engine does not cover).

What is shipped to the executors is the loaded `Ruleset` (a frozen value, pickled with the
function that rates a group), never a file name: an executor needs no copy of the ruleset's
files, its bases or its neighbour lists.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

from ragrules.engine.ruleset import Ruleset
from ragrules.formats.data import RowReader
from ragrules.model.observations import column_key, is_missing
from ragrules.reports.columnar import rate_rows_columnar
from ragrules.reports.compiled import rate_lines

# polars' fixed cost per call (tens of milliseconds) outweighs its speed in smaller groups: a
# series of a few dozen quarters is the compiled row engine's (the same lines either way).
COLUMNAR_ROWS = 5_000

# One row per result or rejection: the input row it came from, the fields a caller filters
# on, and the whole JSON line `ragrules rate --stream` writes for it.
RESULT_SCHEMA = (
    "row long, indicator string, area string, period string, status string, "
    "rejected boolean, line string"
)


def rate_spark(
    ruleset: Ruleset,
    frame: Any,
    *,
    columns: Mapping[str, str] | None = None,
    row: str = "row",
) -> Any:
    """Rate a Spark DataFrame of observations; a DataFrame of results (`RESULT_SCHEMA`).

    The frame's columns are read as a CSV file's header would be (`columns` maps others, as
    `--columns` does); `row` names the column holding each row's line number (made from the
    frame's order when it has none). Rows are grouped by series (indicator, area and the
    ruleset's breakdowns) and each group is rated in row order by the columnar engine (the
    compiled row engine for a group it does not cover), so each result's `line` is the JSON
    line `ragrules rate --stream` writes for that row of a file sorted by series.
    """
    from pyspark.sql import functions

    if row not in frame.columns:
        frame = frame.withColumn(row, functions.monotonically_increasing_id() + 2)
    header = [name for name in frame.columns if name != row]
    reader = RowReader(header, columns=columns)  # a bad header is said here, on the driver
    keys = [header[reader.fields["indicator"]]]
    if "area" in reader.fields:
        keys.append(header[reader.fields["area"]])
    wanted = {column_key(name) for name in ruleset.tokens.breakdowns}
    keys += [name for name in header if column_key(name) in wanted]
    text = frame.select(row, *(functions.col(f"`{n}`").cast("string") for n in header))

    def rate_group(rows: Any) -> Any:
        return _rated(ruleset, header, row, columns, rows)

    return text.groupBy(*keys).applyInPandas(rate_group, schema=RESULT_SCHEMA)


def _rated(
    ruleset: Ruleset,
    header: list[str],
    row: str,
    columns: Mapping[str, str] | None,
    rows: Any,
) -> Any:
    """One series' rows (a pandas DataFrame) rated in row order: its results' rows."""
    import pandas

    ordered = rows.sort_values(row)
    lines = [
        (int(number), ["" if is_missing(cell) else str(cell) for cell in cells])
        for number, *cells in ordered[[row, *header]].itertuples(index=False, name=None)
    ]
    out = io.StringIO()
    rate = rate_rows_columnar if len(lines) >= COLUMNAR_ROWS else rate_lines
    rate(ruleset, header, lines, out, columns=columns)
    found = list(_records(out.getvalue()))
    names = ("row", "indicator", "area", "period", "status", "rejected", "line")
    return pandas.DataFrame(found, columns=list(names))


def _records(text: str) -> Iterator[tuple[Any, ...]]:
    for line in text.splitlines():
        record = json.loads(line)
        yield (
            record.get("row"),
            record.get("indicator"),
            record.get("area"),
            record.get("period"),
            record.get("status"),
            bool(record.get("rejected", False)),
            line,
        )
