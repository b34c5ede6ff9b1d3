"""A financial period named with its `FY` keeps it when a reader writes it down for a row
(`--period` for rows with earlier values, a wide table's `FY 2020/21` column): an academic
ruleset reads a bare `2020/21` as its own year, so the row went to the wrong months."""

from __future__ import annotations

import io
import json
from pathlib import Path

import ragrules
from ragrules.data import parse_csv
from ragrules.reports.compiled import rate_csv_stream

ACADEMIC = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "ay"\ncalendar = "academic"\n'
    '[travel.comparisons]\nshort = { against = "previous-period" }\n'
    '[[indicator]]\nid = "a"\ntarget = 100\ntolerance = { relative = "10%" }\n'
)
FY_Q1 = ragrules.parse_period("FY 2021/22 Q1")


def test_rows_without_a_period_go_to_the_fy_period_given(tmp_path: Path) -> None:
    text = "indicator,value,previous\na,100,90\n"
    report = ACADEMIC.rate(parse_csv(text, period="FY 2021/22 Q1"), period="FY 2021/22 Q1")
    (result,) = report.results
    assert (result.period, result.status) == (FY_Q1, "green")
    assert result.travel[0].period == ragrules.parse_period("FY 2020/21 Q4")
    assert result.travel[0].earlier == 90
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    rate_csv_stream(ACADEMIC, path, out, period="FY 2021/22 Q1")
    (line,) = [json.loads(row) for row in out.getvalue().splitlines()]
    assert (line["status"], line["travel"][0]["period"]) == ("green", "2020/21 Q4")
    assert ragrules.parse_period(line["period"], ragrules.Calendar.FINANCIAL) == FY_Q1


def test_a_wide_fy_column_is_the_financial_year() -> None:
    """`FY 2020/21` and `2020/21` (academic here) are two years: neither value is lost."""
    rows = parse_csv("indicator,FY 2020/21,2020/21\na,90,100\n")
    assert all(isinstance(row, ragrules.Observation) for row in rows)
    periods = sorted(
        (row.period, row.value) for row in rows if isinstance(row, ragrules.Observation)
    )
    assert periods == [("2020/21", "100"), ("FY 2020/21", "90")]
    report = ACADEMIC.rate(rows)
    (result,) = report.results
    assert (str(result.period), result.value_text) == ("AY 2020/21", "100")


def test_a_report_of_quarters_and_ytd_quarters_is_the_quarter_s() -> None:
    """Q2 rows beside cumulative Q2 YTD ones (the same months): the report is `2020/21 Q2`,
    whichever comes first, not labelled year to date by one YTD row."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "q"\n'
        '[[indicator]]\nid = "a"\ntarget = 100\ntolerance = { relative = "10%" }\n'
        '[[indicator]]\nid = "b"\ntarget = 100\ntolerance = { relative = "10%" }\n'
    )
    rows = [
        {"indicator": "a", "period": "2020/21 Q2", "value": "100"},
        {"indicator": "b", "period": "2020/21 Q2 YTD", "value": "100"},
    ]
    for ordered in (rows, rows[::-1]):
        report = ruleset.rate(ordered)
        assert str(report.period) == "2020/21 Q2"
        assert [result.status for result in report.results] == ["green", "green"]
