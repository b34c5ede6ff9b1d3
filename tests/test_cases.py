"""The published-report cases: each is reproduced by a shipped example ruleset."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ragrules
from ragrules.data import read_observations
from tests.conftest import CASES, EXAMPLES, load_case

VENDORED = Path(__file__).parent / "cases"


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
    case = load_case("havering-2020-21-q2")
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
    case = load_case("havering-2020-21-q2")
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    for item in case["indicators"]:
        indicator = ruleset.indicator(item["id"])
        assert indicator.target is not None and indicator.tolerance is not None
        target = indicator.target.in_force(None)
        tolerance = indicator.tolerance.in_force(None)
        assert isinstance(target, ragrules.Target)
        assert tolerance is not None
        assert target.value == Decimal(item["target"])
        amount, _, basis = item["tolerance"].partition(" ")
        assert basis == tolerance.basis.value == "relative"
        assert tolerance.amount * 100 == Decimal(amount.rstrip("%"))


def test_havering_example_data_file() -> None:
    """The shipped CSV, read as a file, rates to the published statuses and keeps every row."""
    case = load_case("havering-2020-21-q2")
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
    report = ragrules.loads(absolute, directory=EXAMPLES).rate(
        [{"indicator": "early-help-conversion", "period": "2020/21 Q2", "value": "28.15"}]
    )
    assert report.results[0].status == "amber"


def test_havering_travel_arrows() -> None:
    """Havering: short and long arrows as published, not comparable without last year's value."""
    case = load_case("havering-2020-21-q2")
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    report = ruleset.rate(read_observations(EXAMPLES / "havering-2020-21-q2.csv"))
    for item, result in zip(case["indicators"], report.results, strict=True):
        short, long = result.travel
        assert short.direction.value == item["expected"]["dot_short"], item["id"]
        assert long.direction.value == item["expected"]["dot_long"], item["id"]
        assert str(short.period) == "2020/21 Q1"
        assert short.earlier_text == item["previous_period"]
        if item["same_period_last_year"] is None:
            assert "no comparable value for 2019/20 Q2" in long.reason
            assert long.arrow == "-"
        else:
            assert long.earlier_text == item["same_period_last_year"]


def _dudley_rows(case: dict[str, Any]) -> list[dict[str, str]]:
    """The case's numbers as long-format rows: the quarter, its predecessor and benchmarks."""
    rows = []
    for item in case["indicators"]:
        benchmark = item.get("benchmark", {}).get("statistical_neighbours", "")
        rows.append(
            {"indicator": item["id"], "period": "2021/22 Q2", "value": item["previous_period"]}
        )
        rows.append(
            {
                "indicator": item["id"],
                "period": case["period"],
                "value": item["value"],
                "statistical_neighbours": benchmark,
            }
        )
    return rows


def test_dudley_statuses_travel_and_benchmark_targets() -> None:
    """Dudley Q3 2021/22: statuses, direction and judgement, neutral PI.433, travel summary."""
    case = load_case("dudley-2021-22-q3")
    ruleset = ragrules.load(EXAMPLES / "dudley-2021-22-q3.toml")
    report = ruleset.rate(_dudley_rows(case))
    assert str(report.period) == case["period"]
    for item, result in zip(case["indicators"], report.results, strict=True):
        expected = item["expected"]
        assert result.status == expected["status"].split(" ")[0], item["id"]
        (short,) = result.travel
        assert short.direction.value == expected["dot_short"], item["id"]
        judgement = None if short.judgement is None else short.judgement.value
        wanted = expected["judgement_short"]
        assert judgement == (None if wanted.startswith("none") else wanted), item["id"]
        assert result.target is not None
        assert result.target.value == Decimal(item["target"])
        if "benchmark" in item:
            assert result.target_source == "benchmark statistical neighbours"
    assert report.summary.to_dict()["travel"]["short"] == {
        **case["expected_travel_summary"],
        "not-comparable": 0,
    }


def test_dudley_pi426_is_red_under_any_tolerance_up_to_15_percent() -> None:
    """PI.426 at 72.1 against 85.5 is red for every relative tolerance up to 15%."""
    text = (EXAMPLES / "dudley-2021-22-q3.toml").read_text(encoding="utf-8")
    case = load_case("dudley-2021-22-q3")
    for percent in range(16):
        ruleset = ragrules.loads(
            text.replace('relative = "10%"', f'relative = "{percent}%"'), directory=EXAMPLES
        )
        result = ruleset.rate(_dudley_rows(case)).results[2]
        assert (result.indicator.id, result.status) == ("PI.426", "red")


def test_dudley_example_data_file_matches_the_case() -> None:
    """The shipped Dudley CSV rates as the case says."""
    case = load_case("dudley-2021-22-q3")
    ruleset = ragrules.load(EXAMPLES / "dudley-2021-22-q3.toml")
    from_file = ruleset.rate(read_observations(EXAMPLES / "dudley-2021-22-q3.csv"))
    from_case = ruleset.rate(_dudley_rows(case))
    assert [r.status for r in from_file.results] == [r.status for r in from_case.results]
    assert [m.arrow for r in from_file.results for m in r.travel] == [
        m.arrow for r in from_case.results for m in r.travel
    ]
