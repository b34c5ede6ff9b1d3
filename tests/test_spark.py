"""Spark on a local session (`local[2]`): a generated national dataset rated on the executors
gives every row the result the row engine gives it.

Starting Spark takes a JVM and several seconds, so this runs when RAGRULES_SPARK=1, which
`.ci/run` sets after installing the `spark` extra; with the variable set, a missing pyspark
is a failure, not a skip.
"""

from __future__ import annotations

import io
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ragrules
from ragrules.stream import rate_csv_stream

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("RAGRULES_SPARK") != "1",
        reason="Spark runs when RAGRULES_SPARK=1 (.ci/run sets it)",
    ),
    # pyspark 4.x says it does not yet fully support pandas 3 (applyInPandas works here).
    pytest.mark.filterwarnings("ignore:.*does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:.*does not yet fully support pandas:UserWarning"),
]

QUARTERS = ["2021/22 Q3", "2021/22 Q4", "2022/23 Q1", "2022/23 Q2", "2022/23 Q3", "2022/23 Q4"]


def _national(path: Path) -> list[dict[str, str]]:
    """Every authority's indicators by sex and quarter, in shuffled order, some not published."""
    rng = random.Random(16)
    rows = []
    for authority in range(40):
        for indicator, centre in (("up", 12.5), ("down", 20), ("whole", 7)):
            for sex in ("Male", "Female"):
                for quarter in QUARTERS:
                    value = f"{centre + rng.randint(-40, 40) / 10}"
                    if indicator == "up":
                        value += "%"
                    if rng.random() < 0.03:
                        value = rng.choice(["N/A", "x", ""])
                    rows.append(
                        {
                            "indicator": indicator,
                            "area": f"E{authority:08d}",
                            "sex": sex,
                            "period": quarter,
                            "value": value,
                        }
                    )
    rng.shuffle(rows)
    rows.append(
        {"indicator": "unknown", "area": "E0", "sex": "Male", "period": "2022/23 Q4", "value": "1"}
    )
    lines = ["indicator,area,sex,period,value"]
    lines += [",".join(row.values()) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rows


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("ragrules-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_a_national_dataset_rated_on_spark_equals_the_row_engine(
    spark: Any, tmp_path: Path
) -> None:
    from ragrules.spark import rate_spark
    from tests.property.test_columnar import PLAIN_RULESET  # the columnar tests' ruleset

    ruleset = ragrules.loads(PLAIN_RULESET)
    data = tmp_path / "national.csv"
    rows = _national(data)
    expected_text = io.StringIO()
    rate_csv_stream(ruleset, data, expected_text)
    expected = {}
    for line in expected_text.getvalue().splitlines():
        number = int(line.split('"row": ', 1)[1].split(",", 1)[0])
        expected[number] = line
    frame = spark.createDataFrame(
        [{**row, "row": number} for number, row in enumerate(rows, start=2)]
    )
    results = rate_spark(ruleset, frame).collect()
    got = {result["row"]: result["line"] for result in results}
    assert len(got) == len(rows) == len(expected)
    assert got == expected
    statuses = {result["status"] for result in results}
    assert {"green", "amber", "red", "no-data"} <= statuses
    (rejected,) = [result for result in results if result["rejected"]]
    assert rejected["indicator"] == "unknown"


def test_a_frame_without_row_numbers_is_numbered_in_its_order(spark: Any, tmp_path: Path) -> None:
    from ragrules.spark import rate_spark
    from tests.property.test_columnar import PLAIN_RULESET

    ruleset = ragrules.loads(PLAIN_RULESET)
    rows = _national(tmp_path / "national.csv")[:200]
    results = rate_spark(ruleset, spark.createDataFrame(rows)).collect()
    assert len({result["row"] for result in results}) == len(rows)  # one result per row
    assert all(result["row"] >= 2 for result in results)
