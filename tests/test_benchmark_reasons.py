"""What a significance comparison says when it cannot be made: a benchmark row a stream has
not read yet (it comes later in the file), and confidence limits that are unreadable or
half missing, each named with its text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ragrules
from ragrules.cli import main

TEXT = """
[ruleset]
format = 1
id = "s"
scale = "eng"

[benchmarks.england]
area = "E92000001"

[scales.eng]
significance = { benchmark = "england", level = "95", statuses = ["Better", "Similar", "Worse"] }

[[indicator]]
id = "a"
unit = "per_100000"
polarity = "lower-is-better"
"""
RULES = ragrules.loads(TEXT)
HEADER = "indicator,area,period,value,Lower CI 95.0 limit,Upper CI 95.0 limit"


def _row(area: str, value: str, lower: str = "", upper: str = "") -> dict[str, str]:
    return {
        "indicator": "a",
        "area": area,
        "period": "2024",
        "value": value,
        "Lower CI 95.0 limit": lower,
        "Upper CI 95.0 limit": upper,
    }


ENGLAND = _row("E92000001", "100", "95", "105")
E1, E2 = _row("E1", "120", "110", "130"), _row("E2", "120", "110", "130")
ABSENT = "not compared: no england row (E92000001) for 2024"
LATER = (
    "not compared: no england row (E92000001) for 2024 among the rows read before this one: "
    "a stream compares with benchmark rows read earlier; put them first"
)


def _reasons(items: object) -> dict[str, str]:
    return {r.area: r.reason for r in items if isinstance(r, ragrules.Result)}  # type: ignore[attr-defined]


def test_a_stream_says_the_benchmark_row_had_not_been_read() -> None:
    streamed = _reasons(RULES.iter_rate([E1, ENGLAND, E2]))
    assert streamed["E1"] == LATER
    assert streamed["E2"].startswith("Worse:")
    # The whole file sees the row wherever it is.
    assert RULES.rate([E1, ENGLAND, E2]).result("a", area="E1").status == "Worse"


def test_without_the_benchmark_row_the_batch_says_so_as_before() -> None:
    assert RULES.rate([E1]).result("a", area="E1").reason == ABSENT


def test_a_benchmark_row_read_but_without_a_value_is_not_called_absent() -> None:
    england = {**ENGLAND, "value": "N/A"}
    for results in (RULES.rate([england, E1]).results, RULES.iter_rate([england, E1])):
        reason = _reasons(results)["E1"]
        assert reason == (
            "not compared: the england row (E92000001) for 2024 has no value "
            "(no data: published as 'N/A')"
        )


@pytest.mark.parametrize("engine", ["row", "columnar"])
def test_the_command_line_stream_says_so_with_either_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    if engine == "columnar":
        pytest.importorskip("polars")
    rules, data = tmp_path / "s.toml", tmp_path / "s.csv"
    rules.write_text(TEXT, encoding="utf-8")
    lines = [
        HEADER,
        "a,E1,2024,120,110,130",
        "a,E92000001,2024,100,95,105",
        "a,E2,2024,120,110,130",
    ]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    main(["rate", str(rules), str(data), "--stream", "--engine", engine])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["area"]: r["reason"] for r in out}["E1"] == LATER


@pytest.mark.parametrize(
    ("lower", "upper", "said"),
    [
        ("abc", "130", "value 'abc' is not a number or a known token such as N/A or <5"),
        ("1,10", "130", "value '1,10' has a decimal comma"),
        ("110%", "130", "value '110%' is in '%'"),
        ("NaN", "130", "value 'NaN' is not a number"),
        ("110", "Infinity", "value 'Infinity' is not a number"),
    ],
)
def test_an_unreadable_limit_is_invalid_named_and_a_problem(
    lower: str, upper: str, said: str
) -> None:
    report = RULES.rate([ENGLAND, _row("E4", "120", lower, upper)])
    result = report.result("a", area="E4")
    side = "lower" if lower != "110" else "upper"
    assert result.status == "invalid"
    assert result.reason.startswith(
        f"the 95% confidence interval's {side} limit ({side}_ci_95.0_limit) cannot be read: "
    )
    assert said in result.reason
    assert any(p.row == result.row and said in p.message for p in report.problems)


@pytest.mark.parametrize(
    ("lower", "upper", "why"),
    [
        ("110", "", "its upper limit (upper_ci_95.0_limit) is not published"),
        ("", "130", "its lower limit (lower_ci_95.0_limit) is not published"),
        ("<5", "130", "its lower limit (lower_ci_95.0_limit) is suppressed: published as '<5'"),
        ("N/A", "130", "its lower limit (lower_ci_95.0_limit) is published as 'N/A' (no data)"),
    ],
)
def test_a_half_published_interval_says_which_limit(lower: str, upper: str, why: str) -> None:
    report = RULES.rate([ENGLAND, _row("E5", "120", lower, upper)])
    result = report.result("a", area="E5")
    assert (result.status, result.reason) == (
        "not-compared",
        f"not compared: no 95% confidence interval: {why}",
    )
    assert not [p for p in report.problems if p.row == result.row]


def test_no_limits_at_all_is_said_as_before() -> None:
    result = RULES.rate([ENGLAND, _row("E3", "120")]).result("a", area="E3")
    assert result.reason == "not compared: no 95% confidence interval in the data"


def test_the_check_command_counts_an_unreadable_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules, data = tmp_path / "s.toml", tmp_path / "s.csv"
    rules.write_text(TEXT, encoding="utf-8")
    data.write_text(
        "\n".join([HEADER, "a,E92000001,2024,100,95,105", "a,E4,2024,120,abc,130"]) + "\n",
        encoding="utf-8",
    )
    assert main(["check", str(rules), "--data", str(data)]) == 1
    assert "1 finding" in capsys.readouterr().out


def test_a_computed_interval_with_an_unreadable_count_is_invalid() -> None:
    rules = ragrules.loads(
        TEXT.replace(
            'level = "95", statuses',
            'level = "95", method = "byar", multiplier = 100000, statuses',
        )
    )
    row = {**_row("E6", "120"), "count": "12a", "denominator": "10000"}
    result = rules.rate([ENGLAND, row]).result("a", area="E6")
    assert result.status == "invalid"
    assert result.reason.startswith("the 95% confidence interval's count (count) cannot be read")
