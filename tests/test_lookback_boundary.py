"""A stream keeps the last 4,096 values it read: a row finds an earlier row of its series
read 4,096 values before it, in every engine, and one read further back in none. The general
path used to make room for a line's own values before rating it, so it lost the 4,096th
value back one line early, where the compiled and columnar engines kept it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import ragrules
from ragrules.data import iter_csv
from ragrules.engine._placing import LOOKBACK_ROWS
from ragrules.reports.compiled import rate_csv_stream
from ragrules.stream import write_stream

RULESET = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "lb"\n'
    '[travel.comparisons]\nshort = { against = "previous-period" }\n'
    '[[indicator]]\nid = "i"\ntarget = 60\ntolerance = { relative = "10%" }\n'
)


def _file(tmp_path: Path, areas: int) -> Path:
    """`areas` areas' first quarters, then their second: each second quarter comes `areas`
    values after its first (its own row the `areas`-th value back, counting its first)."""
    lines = ["indicator,area,period,value"]
    lines += [f"i,E{n:08d},2020/21 Q1,50" for n in range(areas)]
    lines += [f"i,E{n:08d},2020/21 Q2,55" for n in range(areas)]
    path = tmp_path / "d.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _engines(path: Path) -> dict[str, str]:
    general, compiled = io.StringIO(), io.StringIO()
    write_stream(RULESET.iter_rate(iter_csv(path)), RULESET, general)
    rate_csv_stream(RULESET, path, compiled)
    found = {"general": general.getvalue(), "compiled": compiled.getvalue()}
    try:
        from ragrules.columnar import rate_csv_columnar
    except ImportError:  # the polars extra is not installed: the row engines only
        return found
    columnar = io.StringIO()
    rate_csv_columnar(RULESET, path, columnar)
    found["columnar"] = columnar.getvalue()
    return found


@pytest.mark.parametrize(("areas", "found"), [(LOOKBACK_ROWS, True), (LOOKBACK_ROWS + 1, False)])
def test_every_engine_keeps_exactly_the_last_values_read(
    tmp_path: Path, areas: int, found: bool
) -> None:
    outputs = _engines(_file(tmp_path, areas))
    general = outputs.pop("general")
    assert all(output == general for output in outputs.values()), list(outputs)
    seconds = [json.loads(line) for line in general.splitlines()[areas:]]
    assert len(seconds) == areas
    directions = {line["travel"][0]["direction"] for line in seconds}
    assert directions == ({"up"} if found else {"not-comparable"})
