"""Spark for the national run: rate a Spark DataFrame by series on the executors, and get a
DataFrame of results (one per row, with the JSON line `ragrules rate --stream` writes).

Needs the `spark` extra (`pip install "ragrules[spark]"`: pyspark with pandas and pyarrow)
and Java 17 or later. See docs/scale-up.md for running it on a cluster.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ragrules.engine.ruleset import Ruleset
from ragrules.reports import spark as _spark
from ragrules.reports.spark import RESULT_SCHEMA

__all__ = ["RESULT_SCHEMA", "rate_spark"]

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
    """
    if row not in frame.columns:
        frame = numbered(frame, row)
    return _spark.rate_spark(ruleset, frame, columns=columns, row=row)


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
