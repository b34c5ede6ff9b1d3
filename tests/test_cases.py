"""The published-report cases: each is reproduced by a shipped example ruleset."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ragrules
from ragrules.data import read_observations
from tests.conftest import CASES, EXAMPLES

VENDORED = Path(__file__).parent / "cases"


def _case(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VENDORED / f"{name}.json").read_text(encoding="utf-8"))
    return data


def test_vendored_cases_match_shared() -> None:
    """The copies under tests/cases are the shared cases, unchanged."""
    vendored = sorted(VENDORED.glob("*.json"))
    assert vendored, "no cases vendored"
    if not CASES.is_dir():
        pytest.skip("../shared/cases is not beside this checkout")
    for path in vendored:
        assert path.read_bytes() == (CASES / path.name).read_bytes(), path.name


def test_havering_statuses_from_case_numbers() -> None:
    """Havering Q2 2020/21: the case's published numbers give the published statuses."""
    case = _case("havering-2020-21-q2")
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    observations = [
        {"indicator": item["id"], "period": case["period"], "value": item["value"]}
        for item in case["indicators"]
    ]
    report = ruleset.rate(observations)
    got = {result.indicator.id: result.status for result in report.results}
    assert got == {item["id"]: item["expected"]["status"] for item in case["indicators"]}

    summary = report.summary.to_dict()
    expected = case["expected_summary"]
    assert summary["rated"] == expected["rated"]
    for status in ("green", "amber", "red"):
        assert summary["statuses"][status] == expected[status]


def test_havering_targets_and_tolerances_match_case() -> None:
    """The example ruleset states the case's targets and relative tolerances."""
    case = _case("havering-2020-21-q2")
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    for item in case["indicators"]:
        indicator = ruleset.indicator(item["id"])
        assert indicator.target is not None and indicator.tolerance is not None
        target = indicator.target.in_force(None)
        tolerance = indicator.tolerance.in_force(None)
        assert target is not None and tolerance is not None
        assert target.value == Decimal(item["target"])
        amount, _, basis = item["tolerance"].partition(" ")
        assert basis == tolerance.basis.value == "relative"
        assert tolerance.amount * 100 == Decimal(amount.rstrip("%"))


def test_havering_example_data_file() -> None:
    """The shipped CSV, read as a file, rates to the published statuses and keeps every row."""
    case = _case("havering-2020-21-q2")
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    rows = read_observations(EXAMPLES / "havering-2020-21-q2.csv")
    report = ruleset.rate(rows)
    assert str(report.period) == case["period"]
    assert [r.status for r in report.results] == [
        item["expected"]["status"] for item in case["indicators"]
    ]
    accounted = [r.row for r in report.results] + list(report.history)
    assert sorted(row for row in accounted if row is not None) == list(range(2, len(rows) + 2))
    assert not report.rejected


def test_havering_absolute_reading_would_not_reproduce_the_summary() -> None:
    """Reading '+/-5%' as 5 percentage points makes early help amber (2/2/2): not published."""
    text = (EXAMPLES / "havering-2020-21-q2.toml").read_text(encoding="utf-8")
    absolute = text.replace('relative = "5%"', 'absolute = "5"').replace(
        'relative = "10%"', 'absolute = "10"'
    )
    report = ragrules.loads(absolute).rate(
        [{"indicator": "early-help-conversion", "period": "2020/21 Q2", "value": "28.15"}]
    )
    assert report.results[0].status == "amber"
