"""What Spark runs on each group, run here without Spark: a series' rows (a pandas DataFrame,
as `applyInPandas` hands them over, in any order) rated in row order, each result's line the
row engine's."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ragrules
from ragrules.reports.compiled import rate_lines
from ragrules.reports.spark import _rated
from ragrules.stream import rate_csv_stream

pandas = pytest.importorskip("pandas")
pytest.importorskip("polars")

from tests.property.test_columnar import PLAIN_RULESET  # noqa: E402


def test_a_group_is_rated_in_row_order_as_the_row_engine_rates_the_file(tmp_path: Path) -> None:
    ruleset = ragrules.loads(PLAIN_RULESET)
    header = ["indicator", "area", "sex", "period", "value"]
    cells: list[list[str | None]] = [
        ["up", "E1", "Male", "2022/23 Q1", "12%"],
        ["up", "E1", "Male", "2022/23 Q2", "11%"],
        ["up", "E1", "Male", "2022/23 Q3", None],
        ["up", "E1", "Male", "2022/23 Q4", "14.5%"],
    ]
    path = tmp_path / "series.csv"
    path.write_text(
        "\n".join([",".join(header), *(",".join(c or "" for c in row) for row in cells)]) + "\n",
        encoding="utf-8",
    )
    expected = io.StringIO()
    rate_csv_stream(ruleset, path, expected)
    frame = pandas.DataFrame(
        [
            {"row": number, **dict(zip(header, row, strict=True))}
            for number, row in enumerate(cells, 2)
        ]
    ).iloc[::-1]  # handed over in any order
    found = _rated(ruleset, header, "row", None, frame)
    assert list(found["row"]) == [2, 3, 4, 5]
    assert "\n".join(found["line"]) + "\n" == expected.getvalue()
    assert list(found["status"]) == ["amber", "red", "no-data", "green"]
    assert not found["rejected"].any()


@pytest.mark.parametrize("size", [4, 5_000])
def test_a_small_group_is_the_row_engines_and_a_large_one_columnar(
    monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """polars costs tens of milliseconds a call whatever the rows: a series of a few dozen
    quarters is rated by the compiled row engine, a group of `COLUMNAR_ROWS` or more by the
    columnar engine, with the same lines."""
    from ragrules.reports import spark

    ruleset = ragrules.loads(PLAIN_RULESET)
    header = ["indicator", "area", "sex", "period", "value"]
    frame = pandas.DataFrame(
        [
            {"row": n + 2, "indicator": "up", "area": f"E{n}", "sex": "Male"}
            | {"period": "2022/23 Q1", "value": f"{n % 100}%"}
            for n in range(size)
        ]
    )
    used: list[str] = []

    def spy(name: str) -> Callable[..., Any]:
        engine = getattr(spark, name)

        def rate(*args: Any, **kwargs: Any) -> Any:
            used.append(name)
            return engine(*args, **kwargs)

        return rate

    for name in ("rate_lines", "rate_rows_columnar"):
        monkeypatch.setattr(spark, name, spy(name))
    found = _rated(ruleset, header, "row", None, frame)
    assert used == ["rate_lines" if size < spark.COLUMNAR_ROWS else "rate_rows_columnar"]
    lines = [(n + 2, ["up", f"E{n}", "Male", "2022/23 Q1", f"{n % 100}%"]) for n in range(size)]
    expected = io.StringIO()
    rate_lines(ruleset, header, lines, expected)
    assert "\n".join(found["line"]) + "\n" == expected.getvalue()
