"""Spark for the national run: rate a Spark DataFrame by series on the executors, and get a
DataFrame of results (one per row, with the JSON line `ragrules rate --stream` writes).

Needs the `spark` extra (`pip install "ragrules[spark]"`: pyspark with pandas and pyarrow)
and Java 17 or later. See docs/scale-up.md for running it on a cluster.
"""

from __future__ import annotations

from ragrules.reports.spark import RESULT_SCHEMA, rate_spark

__all__ = ["RESULT_SCHEMA", "rate_spark"]
