"""Targets read with the data are checked row by row, as the ruleset's own are at load: a
target that looks like a spreadsheet's unformatted fraction, and a target of zero that empties
a relative margin, are warned of (CONVENTIONS: "zero target: relative tolerance is
meaningless; needs an explicit policy")."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.data import iter_csv
from ragrules.reports.stream import write_stream
from tests.test_stream_duplicates import _every_engine

RULESET = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "targets"\n'
    '[benchmarks.england]\narea = "E92000001"\n'
    '[[indicator]]\nid = "p"\nunit = "percent"\ntolerance = { relative = "10%" }\n'
    '[[indicator]]\nid = "z"\npolarity = "lower-is-better"\nunit = "count"\n'
    'tolerance = { relative = "10%" }\n'
    '[[indicator]]\nid = "b"\ntarget = { benchmark = "england" }\n'
    'tolerance = { relative = "10%" }\n'
    '[[indicator]]\nid = "a"\npolarity = "lower-is-better"\nunit = "count"\n'
    "tolerance = { absolute = 1 }\n"
)


def _warnings(*rows: dict[str, str]) -> list[str]:
    report = RULESET.rate([{"period": "2020/21 Q2", **row} for row in rows])
    return [problem.message for problem in report.problems]


def test_a_fraction_for_a_percent_target_is_warned_of() -> None:
    """0.8 on a percent indicator is 0.8%: 71.999 rates green against it, silently before."""
    (words,) = _warnings({"indicator": "p", "area": "C", "value": "71.999", "target": "0.8"})
    assert words == (
        "indicator 'p': target 0.8 from the data on a percent indicator looks like a "
        "fraction (80%?) beside the value '71.999'"
    )


@pytest.mark.parametrize(
    ("value", "target"),
    [("71.999", "80%"), ("71.999", "80"), ("0.5", "0.8"), ("1.2", "0"), ("1.2", "1")],
)
def test_a_target_that_reads_as_meant_is_not_warned_of(value: str, target: str) -> None:
    rows = {"indicator": "p", "area": "C", "value": value, "target": target}
    assert not [w for w in _warnings(rows) if "looks like a fraction" in w]


def test_a_zero_target_from_the_data_that_empties_a_relative_margin_is_warned_of() -> None:
    words = _warnings(
        {"indicator": "z", "area": "A", "value": "0.001", "target": "0"},
        {"indicator": "b", "area": "E92000001", "value": "0"},
        {"indicator": "b", "area": "B", "value": "-0.001"},
        {"indicator": "a", "area": "A", "value": "0.5", "target": "0"},  # absolute: fine
    )
    assert words == [
        "indicator 'z': the target from the data is 0, so its relative tolerance (10% of it) "
        "is 0: the band it makes is empty",
        "indicator 'b': the target (benchmark england) is 0, so its relative tolerance (10% "
        "of it) is 0: the band it makes is empty",
    ]


def test_the_ruleset_zero_target_is_left_to_the_load_warning() -> None:
    """A fixed target of 0 is warned of once, when the ruleset is loaded: not on every row."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "fixed"\n[[indicator]]\nid = "f"\ntarget = 0\n'
        'tolerance = { relative = "10%" }\n'
    )
    report = ruleset.rate([{"indicator": "f", "period": "2020", "value": "1"}])
    assert report.results[0].target_source == "ruleset"
    assert not [p for p in report.problems if "the band it makes is empty" in p.message]


def test_every_engine_counts_the_notices_alike(tmp_path: Path) -> None:
    """The stream engines send a row with a target of its own to the general path: the same
    bytes and the same notices in the tally, whichever engine writes them."""
    path = tmp_path / "targets.csv"
    path.write_text(
        "indicator,area,period,value,target\n"
        "p,C,2020/21 Q2,71.999,0.8\n"
        "p,D,2020/21 Q2,71.999,80%\n"
        "z,A,2020/21 Q2,0.001,0\n"
        "b,E92000001,2020/21 Q2,0,\n"
        "b,B,2020/21 Q2,-0.001,\n",
        encoding="utf-8",
    )
    written = _every_engine(RULESET, path)
    statuses = [json.loads(line)["status"] for line in written.splitlines()]
    assert statuses == ["green", "red", "red", "not-compared", "red"]
    general = write_stream(RULESET.iter_rate(iter_csv(path)), RULESET, io.StringIO())
    assert general.notices == 3


@given(
    target=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("0.9999"), places=4),
    value=st.decimals(min_value=Decimal(1), max_value=Decimal(100), places=3),
)
def test_a_bare_fraction_target_beside_a_percentage_is_always_warned_of(
    target: Decimal, value: Decimal
) -> None:
    rows = {"indicator": "p", "area": "C", "value": str(value), "target": str(target)}
    assert len([w for w in _warnings(rows) if "looks like a fraction" in w]) == 1
