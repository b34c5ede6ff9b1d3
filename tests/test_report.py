"""Rating a batch: statuses, unrated reasons, accounting for rows, explanations, JSON."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

import ragrules
from ragrules import Unrated
from ragrules.output import render
from tests.conftest import EXAMPLES

RULESET = ragrules.loads(
    """
[ruleset]
format = 1
id = "t"
title = "Test"

[defaults]
unit = "percent"
tolerance = { relative = "10%" }

[[indicator]]
id = "rate"
title = "A rate"
target = "26"

[[indicator]]
id = "weeks"
unit = "weeks"
polarity = "lower-is-better"
target = "26 weeks"
tolerance = { absolute = "2 weeks" }

[[indicator]]
id = "neutral"
polarity = "neutral"
target = "55.1"

[[indicator]]
id = "untargeted"

[[indicator]]
id = "rounded"
target = "80"
rounding = { places = 1 }
"""
)


def _status(indicator: str, value: object, **extra: str) -> ragrules.Result:
    rows = [{"indicator": indicator, "period": "2020/21 Q2", "value": value, **extra}]
    report = RULESET.rate(rows)
    return next(r for r in report.results if r.indicator.id == indicator)


def test_float_trap_boundary_is_amber() -> None:
    """Target 26, relative 10%: 23.4 is exactly the amber floor, so amber (a float says red)."""
    assert _status("rate", "23.4").status == "amber"
    assert _status("rate", "23.39").status == "red"
    assert _status("rate", "26").status == "green"


def test_value_as_python_float_is_exact() -> None:
    """A float 23.4 given to the API is 23.4 through its repr."""
    report = RULESET.rate([{"indicator": "rate", "period": "2020/21 Q2", "value": 23.4}])
    assert report.results[0].status == "amber"


def test_value_in_another_unit_is_converted() -> None:
    """182 days is exactly 26 weeks, so it meets a lower-is-better 26-week target."""
    assert _status("weeks", "182 days").status == "green"
    assert _status("weeks", "196 days").status == "amber"
    assert _status("weeks", "28.01").status == "red"


def test_incompatible_value_unit_names_indicator_row_and_units() -> None:
    """A value in children for a weeks indicator is invalid, with both units in the reason."""
    result = _status("weeks", "5 children")
    assert result.unrated is Unrated.INVALID
    assert "'children'" in result.reason
    assert "'weeks'" in result.reason
    report = RULESET.rate([{"indicator": "weeks", "period": "2020/21 Q2", "value": "5 kids"}])
    (problem,) = report.problems
    assert problem.row == 1
    assert "indicator 'weeks'" in problem.message


@pytest.mark.parametrize(
    ("value", "unrated"),
    [
        ("", Unrated.NO_DATA),
        ("N/A", Unrated.NO_DATA),
        ("-", Unrated.NO_DATA),
        ("<5", Unrated.SUPPRESSED),
        ("c", Unrated.SUPPRESSED),
        ("about 5", Unrated.INVALID),
    ],
)
def test_published_tokens(value: str, unrated: Unrated) -> None:
    """Blanks, N/A, suppression marks and junk are not rated, each with a reason."""
    result = _status("rate", value)
    assert result.unrated is unrated
    assert result.status == unrated.value
    assert result.reason


@pytest.mark.parametrize(
    ("value", "status"), [(1e20, "green"), ("2.34e1", "amber"), (1e-07, "red")]
)
def test_exponent_forms_are_numbers(value: object, status: str) -> None:
    """Floats whose repr has an exponent, and exponent text, are exact numbers."""
    assert _status("rate", value).status == status


def test_observation_fields_accept_numbers() -> None:
    """An Observation built with a float value holds its exact text and rates."""
    observation = ragrules.Observation(indicator="rate", period="2020/21 Q2", value=23.4)
    assert observation.value == "23.4"
    assert RULESET.rate([observation]).results[0].status == "amber"


def test_no_data_target_in_the_data_falls_back_to_the_ruleset() -> None:
    """A target cell of N/A means no override; a junk target is invalid."""
    assert _status("rate", "26", target="N/A").status == "green"
    assert _status("rate", "26", target="soon").unrated is Unrated.INVALID


def test_bad_report_period_is_a_data_error() -> None:
    """An unreadable report period raises DataError, a RagrulesError."""
    with pytest.raises(ragrules.DataError, match="is not a period"):
        RULESET.rate([], period="someday")


def test_zero_is_a_value_not_missing() -> None:
    """Zero is rated, never treated as no data."""
    assert _status("rate", "0").status == "red"


def test_caveat_neutral_and_no_target() -> None:
    """Caveated rows, neutral indicators and indicators without a target are not rated."""
    caveat = _status("rate", "20", caveat="Data unreliable this month")
    assert (caveat.unrated, caveat.caveat) == (Unrated.CAVEAT, "Data unreliable this month")
    neutral = _status("neutral", "43.1")
    assert neutral.unrated is Unrated.NEUTRAL
    assert neutral.value == Decimal("43.1")
    assert _status("untargeted", "5").unrated is Unrated.NO_TARGET


def test_target_from_the_data_overrides_the_ruleset() -> None:
    """A row's own target is used, and the result says where it came from."""
    result = _status("rate", "27", target="30")
    assert result.status == "amber"
    assert result.target_source == "data"


def test_rounding_before_rating() -> None:
    """79.95 prints as 80.0 at one place, so it rates as the printed number: green."""
    result = _status("rounded", "79.95")
    assert result.status == "green"
    assert result.value == Decimal("80.0")
    assert result.unrounded == Decimal("79.95")


def test_every_row_is_accounted_for() -> None:
    """Rated, history, unknown indicator, bad period and duplicate rows all appear."""
    rows: list[object] = [
        {"indicator": "rate", "period": "2020/21 Q2", "value": "30"},
        {"indicator": "rate", "period": "2020/21 Q1", "value": "20"},
        {"indicator": "nope", "period": "2020/21 Q2", "value": "1"},
        {"indicator": "rate", "period": "someday", "value": "1"},
        {"indicator": "rate", "period": "2020/21 Q2", "value": "31"},
        {"period": "2020/21 Q2"},
        "not a row",
    ]
    report = RULESET.rate(rows)
    assert [r.row for r in report.results if r.row] == [1]
    assert report.history == (2,)
    assert [r.row for r in report.rejected] == [3, 4, 5, 6, 7]
    assert "unknown indicator 'nope'" in report.rejected[0].reason
    assert "duplicate of row 1" in report.rejected[2].reason
    missing = [r for r in report.results if r.row is None]
    assert all(r.unrated is Unrated.NO_DATA for r in missing)
    assert len(report.results) == len(RULESET.indicators)


def test_report_period_defaults_to_latest() -> None:
    """Without a period the latest in the data is reported; with one, that period is."""
    rows = [
        {"indicator": "rate", "period": "2020/21 Q1", "value": "20"},
        {"indicator": "rate", "period": "2020/21 Q2", "value": "30"},
    ]
    assert str(RULESET.rate(rows).period) == "2020/21 Q2"
    earlier = RULESET.rate(rows, period="Q1 2020/21")
    assert earlier.results[0].status == "red"
    assert earlier.history == (2,)


def test_explain_gives_the_derivation() -> None:
    """explain() states the target, each band's bound and the verdict, as text and data."""
    report = RULESET.rate([{"indicator": "rate", "period": "2020/21 Q2", "value": "23.3"}])
    explanation = report.explain("rate")
    text = str(explanation)
    assert "Target 26% from the ruleset; higher is better." in text
    assert "amber from 2.6 below the target (10% of 26): value >= 23.4; 23.3 not reached." in text
    assert (
        "So red.\nHow far from another status: amber needs 23.4, 0.1 more.\n"
        "Not an exception: the ruleset selects no exceptions." in text
    )
    data = explanation.to_dict()
    assert data["status"] == "red"
    amber = next(step for step in data["steps"] if step.get("band") == "amber")
    assert {"lower": "23.4", "reached": "false"}.items() <= amber.items()


def test_explain_in_range_relative_margin_per_end() -> None:
    """A range with a relative tolerance moves each end by its own share."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "caseload"\n'
        'polarity = "in-range"\ntarget = { lower = 10, upper = 20 }\n'
        'tolerance = { relative = "10%" }\n'
    )
    report = ruleset.rate([{"indicator": "caseload", "value": "21"}])
    assert report.result("caseload").status == "amber"
    assert (
        "amber from 1 below the lower end (10% of 10) and 2 above the upper end (10% of 20): "
        "value >= 9 and value <= 22; 21 reached." in str(report.explain("caseload"))
    )


def test_json_is_deterministic_and_complete() -> None:
    """The same data gives byte-identical JSON with every result and row accounting."""
    rows = [
        {"indicator": "rate", "period": "2020/21 Q2", "value": "30"},
        {"indicator": "weeks", "period": "2020/21 Q2", "value": "27"},
    ]
    first = render(RULESET.rate(rows), "json")
    data = json.loads(first)
    assert [r["indicator"] for r in data["results"]] == [i.id for i in RULESET.indicators]
    assert data["summary"]["statuses"]["green"] == {"count": 1, "percent": 50}
    assert data["rows"] == {"rated_or_unrated": [1, 2], "history": [], "rejected": []}
    assert render(RULESET.rate(rows), "json") == first
    reversed_report = RULESET.rate(list(reversed(rows)))
    assert [r["status"] for r in json.loads(render(reversed_report, "json"))["results"]] == [
        r["status"] for r in data["results"]
    ]


def test_csv_and_table_formats() -> None:
    """CSV has a header and a row per indicator; the table shows statuses and the summary."""
    report = RULESET.rate([{"indicator": "rate", "period": "2020/21 Q2", "value": "30"}])
    lines = render(report, "csv").splitlines()
    assert lines[0].startswith("indicator,title,unit,polarity,area,period,row,status")
    assert len(lines) == 1 + len(RULESET.indicators)
    table = render(report, "table")
    assert "rate" in table
    assert "Rated: 1: green 1 (100%), amber 0 (0%), red 0 (0%)" in table


def test_a_ruleset_has_the_fingerprint_its_reports_carry() -> None:
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    report = ruleset.rate([])
    assert ruleset.fingerprint == report.fingerprint
    assert ruleset.fingerprint.startswith("sha256:")


def test_a_report_gives_one_result_by_indicator_id() -> None:
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    report = ruleset.rate([])
    assert report.result("early-help-conversion").indicator.id == "early-help-conversion"
    with pytest.raises(LookupError, match="no indicator 'nope'"):
        report.result("nope")


def test_rate_value_rates_one_value_as_a_one_row_report_would() -> None:
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    result = ruleset.rate_value("early-help-conversion", "28.15", period="2020/21 Q2")
    row = {"indicator": "early-help-conversion", "period": "2020/21 Q2", "value": "28.15"}
    expected = ruleset.rate([row]).result("early-help-conversion")
    assert (
        (result.status, result.reason)
        == (expected.status, expected.reason)
        == (
            "red",
            "red: 28.15 does not reach amber (value >= 28.5)",
        )
    )
    assert ruleset.rate_value("early-help-conversion", "40", target="50%").status == "red"
    with pytest.raises(LookupError):
        ruleset.rate_value("nope", "1")


def test_a_finding_prints_as_its_problem_does() -> None:
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    row = {"indicator": "early-help-conversion", "period": "2020/21 Q2", "value": "28.15"}
    report = ruleset.rate([row])
    (finding,) = report.findings
    printed = str(finding)
    assert printed == "row 1: indicator 'early-help-conversion': " + finding.message
    assert any(printed.removeprefix("row 1: ") in str(p) for p in report.problems)


def test_a_loaded_ruleset_is_safe_to_share_between_threads() -> None:
    """A loaded ruleset is immutable: rating it from many threads at once gives what rating
    it alone gives."""
    from concurrent.futures import ThreadPoolExecutor

    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    rows = [
        {"indicator": indicator.id, "period": "2020/21 Q2", "value": str(20 + n)}
        for n, indicator in enumerate(ruleset.indicators)
    ]
    alone = render(ruleset.rate(rows), "json")
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda _: render(ruleset.rate(rows), "json"), range(32)))
    assert set(together) == {alone}
    with pytest.raises(AttributeError):
        ruleset.id = "changed"  # type: ignore[misc]


def test_a_series_without_a_row_is_named_by_its_breakdown_in_csv() -> None:
    """A no-data result has no row, so no passed-through cells of its own: the CSV's
    breakdown columns say whose series it is, as JSON's `breakdown` does."""
    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "b"\n[data]\nbreakdowns = ["sex"]\n'
        '[[indicator]]\nid = "a"\ntarget = 50\ntolerance = { relative = "5%" }\n'
    )
    rows = [
        {"indicator": "a", "period": "2020", "sex": "Female", "note": "x", "value": "51"},
        {"indicator": "a", "period": "2021", "sex": "Male", "note": "y", "value": "40"},
    ]
    report = rules.rate(rows, period="2021")
    table = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    cells = {(line["status"], line["sex"], line["note"]) for line in table}
    assert cells == {("no-data", "Female", ""), ("red", "Male", "y")}
