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
from ragrules.model.errors import Problem, RulesetError
from ragrules.model.observations import column_key, is_missing
from ragrules.model.rules import Against, BenchmarkTarget, RulesetData
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

# `monotonically_increasing_id()` is the partition's index above this many bits, and the
# row's place in its partition below them.
_PARTITION_BITS = 33
_PARTITION = "__ragrules_partition"
_FIRST = "__ragrules_first"


def rate_spark(
    ruleset: Ruleset,
    frame: Any,
    *,
    columns: Mapping[str, str] | None = None,
    row: str = "row",
) -> Any:
    """Rate a Spark DataFrame of observations; a DataFrame of results (`RESULT_SCHEMA`).

    The frame's columns are read as a CSV file's header would be (`columns` maps others, as
    `--columns` does); `row` names the column holding each row's line number. A frame with
    no such column is numbered in its order, 2, 3, 4, ... across all its partitions (the
    header is line 1), so a CSV file read by `spark.read.csv(path, header=True)` gets its
    line numbers, and each result's `line` is the one `ragrules rate --stream` writes for it
    (for a file with no blank lines and no quoted cell spanning lines). Rows are grouped by
    series (indicator, area and the ruleset's breakdowns) and each group is rated in row
    order by the columnar engine (the compiled row engine for a group it does not cover).
    A ruleset that reads other series' rows (England's row, a group's values) is refused: a
    group holds one series, so those rows would never be found.
    """
    reads = across_series(ruleset)
    if reads:
        raise RulesetError(
            problems=(
                Problem(
                    key=reads[0],
                    message=f"{reads[1]}, which reads other areas' rows: Spark rates each "
                    "series (indicator, area and breakdown) on its own, so they would not be "
                    "found",
                    hint="rate the whole file as a report (ragrules rate), or by "
                    "ragrules rate --stream with the benchmark areas first",
                ),
            )
        )
    from pyspark.sql import functions

    if row not in frame.columns:
        frame = numbered(frame, row)
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


def across_series(ruleset: RulesetData) -> tuple[str, str] | None:
    """Where the ruleset reads rows of other series, and what it reads: a `[benchmarks]`
    entry's row or statistic (as a target, a significance test's benchmark, a comparison) or
    a group's quantiles. None when every result reads its own series alone."""
    named = {benchmark.name for benchmark in ruleset.benchmarks}
    for comparison in ruleset.travel.comparisons:
        if comparison.against is Against.BENCHMARK and comparison.benchmark in named:
            where = f"travel.comparisons.{comparison.name}"
            return where, f"it compares with the {comparison.benchmark} benchmark"
    for indicator in ruleset.indicators:
        where = f"indicator {indicator.id!r}"
        for version in indicator.versions:
            scale = version.scale
            if scale.quantiles is not None:
                return where, f"it is rated on the quantiles of scale {scale.name!r}"
            test = scale.significance
            if test is not None and test.benchmark in named:
                return (
                    where,
                    f"its scale {scale.name!r} compares with the {test.benchmark} benchmark",
                )
        targets = indicator.target.values() if indicator.target is not None else ()
        for target in targets:
            if isinstance(target, BenchmarkTarget) and target.benchmark in named:
                return where, f"its target is the {target.benchmark} benchmark"
    return None


def numbered(frame: Any, row: str = "row", first: int = 2) -> Any:
    """The frame with a column `row` numbering its rows `first`, `first + 1`, ... in its
    order, consecutive across partitions (as `RDD.zipWithIndex`, in the DataFrame API, so it
    runs on Spark Connect too). Counting each partition's rows is one Spark job; the frame
    is read again to rate it, so its order must be the same each time it is read (as a
    file's is)."""
    from pyspark.sql import functions

    ident = functions.monotonically_increasing_id()
    marked = frame.withColumn(row, ident).withColumn(
        _PARTITION, functions.shiftright(functions.col(row), _PARTITION_BITS)
    )
    counts = {r[0]: r[1] for r in marked.groupBy(_PARTITION).count().collect()}
    starts = frame.sparkSession.createDataFrame(
        [(p, s) for p, s in partition_starts(counts, first).items()] or [(0, first)],
        schema=f"{_PARTITION} long, {_FIRST} long",
    )
    place = functions.col(row) - functions.shiftleft(functions.col(_PARTITION), _PARTITION_BITS)
    return (
        marked.join(functions.broadcast(starts), on=_PARTITION)
        .withColumn(row, functions.col(_FIRST) + place)
        .drop(_PARTITION, _FIRST)
    )


def partition_starts(counts: Mapping[int, int], first: int = 2) -> dict[int, int]:
    """Each partition's first row number, from how many rows each partition holds: the
    partitions in index order, numbered on from `first`."""
    starts = {}
    for partition in sorted(counts):
        starts[partition] = first
        first += counts[partition]
    return starts


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
