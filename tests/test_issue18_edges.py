"""Edge cases a review of issue 18 found: each pins a fixed defect."""

from __future__ import annotations

import decimal
from pathlib import Path

import ragrules
from ragrules.engine.trends import trends
from ragrules.reports.html import to_html
from ragrules.reports.markdown import to_markdown
from ragrules.tools.audit import audit
from ragrules.tools.published import check_paper, read_paper
from tests.conftest import EXAMPLES

DATED_SCALE = """
[ruleset]
format = 1
id = "dated"
scale = "plain"
[scales.plain]
bands = [
  { status = "green", from = "target" },
  { status = "amber", from = "tolerance" },
  { status = "red" },
]
[scales.other]
bands = [{ status = "green", from = "target" }, { status = "red" }]
[[indicator]]
id = "x"
target = 80
tolerance = { absolute = 5 }
scale = [{ value = "plain" }, { from = "2024/25 Q3", value = "other" }]
"""

TRAVEL_BAND = """
[ruleset]
format = 1
id = "travel"
scale = "ta"
[travel.comparisons]
long = { against = "same-period-last-year" }
[scales.ta]
bands = [
  { status = "green", from = "target" },
  { status = "amber", from = "tolerance" },
  { status = "amber", travel = { comparison = "long", judgement = ["improving"] } },
  { status = "red" },
]
[[indicator]]
id = "lib"
target = 4000
tolerance = { absolute = 200 }
"""


def test_fragile_and_audit_agree_for_a_dated_scale() -> None:
    rules = ragrules.loads(DATED_SCALE)
    rows = [
        {"indicator": "x", "period": "2024/25 Q2", "value": "70"},
        {"indicator": "x", "period": "2024/25 Q3", "value": "80", "published_status": "red"},
    ]
    result = rules.rate(rows).result("x")
    assert result.fragile == ("values on a boundary go to the worse band",)
    (mismatch,) = audit(rules, rows).mismatches
    assert mismatch.readings == result.fragile


def test_fragile_judges_travel_again_under_each_reading() -> None:
    """3700.4 against 3700.2 improved; rounded to whole numbers, both are 3700: unchanged,
    so the travel band's amber becomes red."""
    rules = ragrules.loads(TRAVEL_BAND)
    rows = [
        {"indicator": "lib", "period": "2023/24 Q2", "value": "3700.2"},
        {"indicator": "lib", "period": "2024/25 Q2", "value": "3700.4", "published_status": "red"},
    ]
    result = rules.rate(rows).result("lib")
    assert result.status == "amber"
    assert result.fragile == ("values rounded to whole numbers before rating",)
    assert audit(rules, rows).mismatches[0].readings == result.fragile


def test_the_tolerances_are_listed_whenever_the_key_says_so() -> None:
    text = '[ruleset]\nformat = 1\nid = "t"\n' + "".join(
        f'[[indicator]]\nid = "i{n}"\ntarget = 100\ntolerance = {{ relative = "{n}%" }}\n'
        for n in range(1, 6)
    )
    report = ragrules.loads(text).rate([{"indicator": "i1", "value": "99.5"}])
    assert "the indicator's tolerance (as listed)" in str(report.key)
    assert "| Indicator | Value | Target | Tolerance | Status |" in to_markdown(report)


def test_a_paper_of_one_area_verifies(tmp_path: Path) -> None:
    rules = ragrules.load(EXAMPLES / "national" / "campylobacter-vs-england.toml")
    rows = list(
        ragrules.read_observations(
            EXAMPLES / "national" / "fingertips_campylobacter_countyua_2015-2017.csv"
        )
    )
    report = rules.rate(rows)
    page = tmp_path / "area.html"
    one = report.for_area("E06000003")
    page.write_text(to_html(one), encoding="utf-8")
    found = check_paper(rules, rows, read_paper(page))
    assert found.verified and found.checked == len(one.results)
    # Its trend is compared with England's earlier rows, as the whole report's is.
    assert [p.status for p in trends(one)[0]] == [
        p.status for p in trends(report)[report.results.index(one.results[0])]
    ]
    assert "not-compared" not in {p.status for p in trends(one)[0]}


def test_pages_are_drawn_whatever_the_callers_decimal_context() -> None:
    report = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml").rate(
        ragrules.read_observations(EXAMPLES / "havering-2020-21-q2.csv")
    )
    expected = to_html(report)
    with decimal.localcontext() as context:
        context.prec = 3
        context.traps[decimal.Inexact] = True
        context.traps[decimal.Rounded] = True
        assert to_html(report) == expected


def test_an_earlier_quarter_written_as_a_calendar_quarter_is_in_the_trend() -> None:
    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "c"\n[[indicator]]\nid = "a"\ntarget = 10\n'
        "tolerance = { absolute = 1 }\n"
    )
    # 2024 Q2 (April to June) is the same months as 2024/25 Q1.
    rows = [
        {"indicator": "a", "period": "2024 Q2", "value": "8"},
        {"indicator": "a", "period": "2024/25 Q2", "value": "9"},
    ]
    (points,) = trends(rules.rate(rows))
    assert [str(p.value) for p in points] == ["8", "9"]
