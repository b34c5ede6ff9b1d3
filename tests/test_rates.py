"""Rates from counts, small numbers suppressed, and provisional and revised values marked."""

from __future__ import annotations

import io
import json

import pytest

import ragrules
from ragrules.data import iter_csv
from ragrules.engine.canonical import canonical_toml
from ragrules.formats.data import read_observations
from ragrules.reports.compiled import rate_csv_stream
from ragrules.reports.output import to_json, to_table
from ragrules.stream import write_stream
from tests.conftest import EXAMPLES

RULES = EXAMPLES / "rates" / "rates-and-small-numbers.toml"
DATA = EXAMPLES / "rates" / "rates-and-small-numbers-2024-25.csv"


@pytest.fixture(scope="module")
def report() -> ragrules.Report:
    return ragrules.load(RULES).rate(read_observations(DATA))


@pytest.mark.parametrize(
    ("area", "indicator", "status", "value"),
    [
        ("E1", "under-18-conceptions", "red", "17.0"),  # 17 / 1001 x 1000 = 16.98...
        ("E3", "under-18-conceptions", "green", "11.4"),  # 12 / 1050 x 1000 = 11.428...
        ("E1", "smoking-quitters", "green", "2065"),  # 96 / 4650 x 100000 = 2064.5...
        ("E1", "falls-admissions", "amber", "131"),
        ("E2", "under-18-conceptions", "suppressed", None),  # numerator 4 < 5
        ("E2", "smoking-quitters", "suppressed", None),  # denominator 45 < 50
        ("E2", "falls-admissions", "suppressed", None),  # 3 < 5
        ("E3", "smoking-quitters", "suppressed", None),  # numerator published as c
    ],
)
def test_example(
    report: ragrules.Report, area: str, indicator: str, status: str, value: str | None
) -> None:
    result = report.result(indicator, area=area)
    assert result.status == status
    assert (None if result.value is None else str(result.value)) == value


def test_suppression_says_which_count(report: ragrules.Report) -> None:
    reasons = {
        (r.area, r.indicator.id): r.reason for r in report.results if r.status == "suppressed"
    }
    assert reasons[("E2", "under-18-conceptions")] == (
        "suppressed: the numerator 4 is below the minimum of 5"
    )
    assert reasons[("E2", "smoking-quitters")] == (
        "suppressed: the denominator 45 is below the minimum of 50"
    )
    assert (
        reasons[("E2", "falls-admissions")] == "suppressed: 3 is below the minimum of 5 to be rated"
    )


def test_marks_are_shown_and_in_the_json(report: ragrules.Report) -> None:
    records = {(r["area"], r["indicator"]): r for r in json.loads(to_json(report))["results"]}
    assert records[("E3", "under-18-conceptions")]["marks"] == ["provisional"]
    assert records[("E1", "smoking-quitters")]["marks"] == ["revised"]
    assert "marks" not in records[("E1", "falls-admissions")]
    assert "12 / 1050 (provisional)" in to_table(report)
    text = str(report.explain("under-18-conceptions", area="E3"))
    assert "Published value '12 / 1050' (row 4), marked provisional." in text
    assert "Rate 12 / 1050 x 1000 = 11.428571428571428571428... per 1,000." in text


def test_rates_use_their_counts_for_travel() -> None:
    ruleset = ragrules.loads(
        RULES.read_text(encoding="utf-8").replace(
            "[defaults]",
            '[travel.comparisons]\nlong = { against = "same-period-last-year" }\n\n[defaults]',
        )
    )
    rows = [
        {
            "indicator": "under-18-conceptions",
            "period": "2023/24",
            "numerator": "20",
            "denominator": "1000",
        },
        {
            "indicator": "under-18-conceptions",
            "period": "2024/25",
            "numerator": "17",
            "denominator": "1001",
        },
    ]
    move = ruleset.rate(rows).result("under-18-conceptions").travel[0]
    assert (str(move.earlier), move.judgement.value if move.judgement else None) == (
        "20.0",
        "improving",
    )


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_stream_writes_what_the_batch_path_writes(fmt: str) -> None:
    ruleset = ragrules.load(RULES)
    fast, slow = io.StringIO(), io.StringIO()
    rate_csv_stream(ruleset, DATA, fast, fmt)
    write_stream(ruleset.iter_rate(iter_csv(DATA)), ruleset, slow, fmt)
    assert fast.getvalue() == slow.getvalue()


def test_canonical_toml_keeps_rates_and_minimums() -> None:
    ruleset = ragrules.load(RULES)
    assert ragrules.loads(canonical_toml(ruleset)).indicators == ruleset.indicators


def test_a_rate_without_rounding_is_warned_about() -> None:
    text = RULES.read_text(encoding="utf-8").replace("rounding = { places = 1 }\n", "", 1)
    warnings = ragrules.loads(text).warnings
    assert [w.key for w in warnings] == ["indicator[0].rate"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("rate = { per = 1000 }", "rate = { per = 0 }"), "per must be above zero"),
        (("rate = { per = 1000 }", 'rate = "per 1000"'), "expected a table"),
        (("minimum = { value = 5 }", "minimum = { denominator = 5 }"), "needs a rate"),
        (("minimum = { value = 5 }", "minimum = { value = -1 }"), "cannot be below zero"),
    ],
)
def test_bad_rate_settings_are_refused(change: tuple[str, str], message: str) -> None:
    text = RULES.read_text(encoding="utf-8").replace(*change, 1)
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    assert any(message in p.message for p in caught.value.problems), caught.value.problems
    assert all(p.line is not None for p in caught.value.problems)


@pytest.mark.parametrize(
    ("numerator", "denominator", "status", "reason"),
    [
        ("", "1000", "no-data", "no data: the numerator is not published"),
        ("N/A", "1000", "no-data", "no data: the numerator is published as 'N/A'"),
        ("5", "0", "invalid", "the denominator is 0: no rate"),
        ("5", "many", "invalid", "denominator: value 'many' is not a number"),
        ("-5", "1000", "invalid", "the numerator '-5' is below zero"),
    ],
)
def test_counts_that_make_no_rate(
    numerator: str, denominator: str, status: str, reason: str
) -> None:
    ruleset = ragrules.load(RULES)
    rows = [
        {"indicator": "under-18-conceptions", "numerator": numerator, "denominator": denominator}
    ]
    result = ruleset.rate(rows).result("under-18-conceptions")
    assert result.status == status
    assert result.reason.startswith(reason)


def test_a_minimum_value_is_in_the_indicators_unit() -> None:
    """`minimum = { value = "10%" }` for a percent indicator, `"14 days"` for one in weeks."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "m"\n'
        '[[indicator]]\nid = "p"\nunit = "%"\nminimum = { value = "10%" }\n'
        "target = 50\ntolerance = { absolute = 5 }\n"
        '[[indicator]]\nid = "w"\nunit = "weeks"\nminimum = { value = "14 days" }\n'
        "target = 50\ntolerance = { absolute = 5 }\n"
    )
    rows = [
        {"indicator": "p", "period": "2024/25 Q1", "value": "9%"},
        {"indicator": "w", "period": "2024/25 Q1", "value": "1.5"},
    ]
    report = ruleset.rate(rows)
    assert [r.status for r in report.results] == ["suppressed", "suppressed"]
    rows = [{"indicator": "w", "period": "2024/25 Q1", "value": "2"}]
    assert ruleset.rate(rows).results[0].status != "suppressed"


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ('rate = { per = "100%" }', "rate.per"),
        ('rate = { per = 1000 }\nminimum = { numerator = "5 children" }', "minimum.numerator"),
    ],
)
def test_a_count_or_per_with_a_unit_is_not_a_plain_number(setting: str, key: str) -> None:
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(
            f'[ruleset]\nformat = 1\nid = "m"\n[[indicator]]\nid = "r"\n{setting}\n'
            "target = 5\ntolerance = { absolute = 1 }\nrounding = { places = 1 }\n"
        )
    (problem,) = caught.value.problems
    assert problem.key == f"indicator[0].{key}"
    assert "is not a plain number" in problem.message
