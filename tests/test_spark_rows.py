"""Spark row numbers: a frame with no `row` column is numbered 2, 3, 4, ... in its order
across all its partitions, so a CSV file read by Spark gives the lines `ragrules rate --stream`
writes (docs/scale-up.md, "On a cluster: Spark").

The Spark session runs when RAGRULES_SPARK=1, as in tests/test_spark.py; the partition
arithmetic is checked without Spark.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.reports.spark import partition_starts
from ragrules.stream import rate_csv_stream

needs_spark = pytest.mark.skipif(
    os.environ.get("RAGRULES_SPARK") != "1",
    reason="Spark runs when RAGRULES_SPARK=1 (.ci/run sets it)",
)
# pyspark 4.x says it does not yet fully support pandas 3 (applyInPandas works here).
PANDAS_3 = "ignore:.*does not yet fully support pandas"

RULESET = """
[ruleset]
format = 1
id = "sp"
[[indicator]]
id = "a"
target = "0.3"
tolerance = { absolute = "0.1" }
[[indicator]]
id = "b"
target = "69.825"
tolerance = { absolute = "1" }
"""


@given(st.dictionaries(st.integers(0, 10_000), st.integers(1, 10**9), max_size=20))
def test_partitions_are_numbered_on_from_each_other(counts: dict[int, int]) -> None:
    """Each partition starts where the one before it (by index) ends: every row one number,
    2 to n + 1 with none skipped, whichever partitions hold rows."""
    starts = partition_starts(counts)
    order = sorted(counts)
    assert list(starts) == order
    ends = [starts[p] + counts[p] for p in order]
    assert [starts[p] for p in order] == [2, *ends][: len(order)]
    assert ends[-1:] in ([], [2 + sum(counts.values())])


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("ragrules-test-rows")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        # a few lines a partition: a small file is read as several, as a large one is
        .config("spark.sql.files.maxPartitionBytes", "64")
        .config("spark.sql.files.openCostInBytes", "0")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@needs_spark
@pytest.mark.filterwarnings(f"{PANDAS_3}:FutureWarning", f"{PANDAS_3}:UserWarning")
def test_a_csv_file_read_by_spark_gives_the_lines_of_the_stream(spark: Any, tmp_path: Path) -> None:
    from ragrules.spark import rate_spark

    ruleset = ragrules.loads(RULESET)
    path = tmp_path / "rows.csv"
    lines = ["indicator,period,value"]
    for indicator, values in (("a", ["0.1", "0.2", "0.3", "0.25"]), ("b", ["69", "70", "68"])):
        for year in range(2019, 2024):
            for quarter in range(1, 5):
                value = values[(quarter + year) % len(values)]
                lines.append(f"{indicator},{year}/{year % 100 + 1:02d} Q{quarter},{value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = spark.read.csv(str(path), header=True)  # every column as text, no row column
    assert frame.rdd.getNumPartitions() > 1
    results = rate_spark(ruleset, frame).collect()
    assert sorted(result["row"] for result in results) == list(range(2, len(lines) + 1))
    expected = io.StringIO()
    rate_csv_stream(ruleset, path, expected)
    assert sorted(result["line"] for result in results) == sorted(expected.getvalue().splitlines())
