"""Trend charts (issue 18, item 1): each series over its last periods, drawn as inline SVG
with a text alternative, a chart of statuses by period, and a compact text form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.engine.trends import TREND_PERIODS, trends
from ragrules.reports.html import to_html
from ragrules.reports.markdown import to_markdown
from ragrules.reports.matrix import matrix_html
from tests.conftest import EXAMPLES, in_a_browser

HAVERING = EXAMPLES / "havering-2020-21-q2.toml"
HAVERING_DATA = EXAMPLES / "havering-2020-21-q2.csv"


@pytest.fixture(scope="module")
def havering() -> ragrules.Report:
    return ragrules.load(HAVERING).rate(ragrules.read_observations(HAVERING_DATA))


def test_a_trend_is_the_series_rated_period_by_period(havering: ragrules.Report) -> None:
    first = trends(havering)[0]  # early-help-conversion
    assert [(str(r.period), str(r.value), r.status) for r in first] == [
        ("2019/20 Q2", "37", "green"),
        ("2020/21 Q1", "30.4", "green"),
        ("2020/21 Q2", "28.15", "red"),
    ]
    assert first[-1] is havering.results[0]


def test_the_html_draws_a_chart_per_indicator_with_words(havering: ragrules.Report) -> None:
    html = to_html(havering)
    charts = re.findall(r'<svg class="trend"[^>]*role="img"[^>]*>', html)
    assert len(charts) == len(havering.results)
    assert (
        '<title id="trend-0">Trend of early-help-conversion: 2019/20 Q2: 37 (green); '
        "2020/21 Q1: 30.4 (green); 2020/21 Q2: 28.15 (red). Target 30; the status changes "
        "at 28.5.</title>" in html
    )
    assert '<svg class="bars"' in html
    assert "Rated statuses by period: 2019/20 Q2: green 2, red 1; " in html
    assert "<script" not in html and "http" not in html


def test_markdown_has_the_compact_form(havering: ragrules.Report) -> None:
    markdown = to_markdown(havering)
    assert "| Trend | To change status |" in markdown
    assert "| 37 → 30.4 → 28.15 | amber needs 28.5" in markdown
    assert "| 2020/21 Q1 | 1 | 2 | 3 |" in markdown


def test_the_page_renders_its_charts_in_a_browser(
    havering: ragrules.Report, tmp_path: Path
) -> None:
    page = tmp_path / "havering.html"
    page.write_text(to_html(havering), encoding="utf-8")
    dom, console = in_a_browser(page)
    assert console == []  # no errors, nothing logged
    assert dom.count("<svg") == len(havering.results) + 1
    assert dom.count("<circle") >= len(havering.results)
    for status in ("green", "amber", "red"):
        assert f">{status}</span>" in dom


QUARTERS = [f"{2020 + n // 4}/{(21 + n // 4) % 100:02d} Q{n % 4 + 1}" for n in range(10)]
RULES = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "t"\n[travel.comparisons.short]\n'
    'against = "previous-period"\n[[indicator]]\nid = "a"\n'
    'target = [{ value = 10 }, { from = "2021/22 Q3", value = 12 }]\n'
    "tolerance = { absolute = 2 }\n"
)


@given(
    st.lists(
        st.one_of(st.none(), st.integers(0, 20).map(str), st.just("N/A")),
        min_size=len(QUARTERS),
        max_size=len(QUARTERS),
    )
)
def test_each_point_is_what_a_report_of_its_period_says(values: list[str | None]) -> None:
    rows = [
        {"indicator": "a", "period": period, "value": value}
        for period, value in zip(QUARTERS, values, strict=True)
        if value is not None
    ]
    report = RULES.rate(rows, period=QUARTERS[-1])
    (points,) = trends(report)
    assert len(points) <= TREND_PERIODS and points[-1] is report.results[0]
    window = QUARTERS[-TREND_PERIODS:]
    expected = [p for p, v in zip(QUARTERS, values, strict=True) if v is not None and p in window]
    assert [str(p.period) for p in points[:-1]] == [p for p in expected if p != QUARTERS[-1]]
    for point in points[:-1]:
        alone = RULES.rate(rows, period=str(point.period)).result("a")
        assert point.to_dict() == alone.to_dict()


def test_earlier_points_are_compared_with_that_periods_benchmark() -> None:
    """A significance scale rates each area against England's row of the same period: an
    earlier point is rated against England's earlier row, as that year's report was."""
    rules = ragrules.load(EXAMPLES / "national" / "u75-preventable-mortality.toml")
    data = ragrules.read_observations(
        EXAMPLES / "national" / "trafford_u75_preventable_mortality_ltla_2014-2024.csv"
    )
    report = rules.rate(data)
    series = trends(report)
    assert all(len(points) == TREND_PERIODS for points in series[:20])
    reports = {str(p.period): rules.rate(data, period=str(p.period)) for p in series[0][:-1]}
    for points in series[:20]:
        for point in points[:-1]:
            series_of = (point.indicator.id, point.area, point.breakdown)
            (found,) = [
                r
                for r in reports[str(point.period)].results
                if (r.indicator.id, r.area, r.breakdown) == series_of
            ]
            assert point.status == found.status != "not-compared"


def test_a_chart_says_whose_series_it_is() -> None:
    """On a page of every area, each chart's words name the area and breakdown, so a screen
    reader does not hear one indicator's name three hundred times."""
    rules = ragrules.load(EXAMPLES / "national" / "u75-preventable-mortality.toml")
    data = ragrules.read_observations(
        EXAMPLES / "national" / "trafford_u75_preventable_mortality_ltla_2014-2024.csv"
    )
    html = to_html(rules.rate(data))
    assert '<title id="trend-0">Trend of u75-preventable for E06000001, unit Female: 2017: ' in html
    titles = re.findall(r'<title id="trend-\d+">Trend of ([^:]*):', html)
    assert len(titles) == len(set(titles)) > 300  # a series each, every one told apart


def test_the_matrix_has_a_trend_per_area() -> None:
    """Every area's row of the national matrix has its statuses over the last periods."""
    rules = ragrules.load(EXAMPLES / "national" / "u75-preventable-mortality.toml")
    report = rules.rate(
        ragrules.read_observations(
            EXAMPLES / "national" / "trafford_u75_preventable_mortality_ltla_2014-2024.csv"
        )
    )
    page = matrix_html(report)
    assert '<th scope="col">Trend</th>' in page
    periods: dict[str, set[object]] = {}
    for points in trends(report):
        periods.setdefault(points[-1].area, set()).update(p.period for p in points if p.rated)
    charted = [area for area in report.areas if len(periods.get(area, ())) >= 2]
    assert len(charted) > len(report.areas) * 0.9  # nearly every authority has history
    assert page.count('<svg class="bars"') == len(charted)
    assert (
        '<title id="area-0-title">Rated statuses by period: 2017: above England 3; '
        "2018: above England 3;" in page
    )


@given(
    exponent=st.integers(-60, 59),
    steps=st.lists(st.integers(-2, 2), min_size=2, max_size=4),
)
def test_a_chart_is_drawn_for_values_a_float_cannot_tell_apart(
    exponent: int, steps: list[int]
) -> None:
    """Numbers of any size, a step of one in their last place apart: every point is drawn
    at a finite height (the page's chart was a ZeroDivisionError at 1E+22)."""
    target = f"1E{exponent}"
    ruleset = ragrules.loads(
        f'[ruleset]\nformat = 1\nid = "f"\n[[indicator]]\nid = "a"\nunit = "GBP"\n'
        f'target = "{target}"\ntolerance = {{ relative = "1%" }}\n'
    )
    rows = [
        {
            "indicator": "a",
            "period": f"2020/21 Q{n + 1}",
            "value": f"1{'0' * 20}{step + 5}E{exponent - 21}",
        }
        for n, step in enumerate(steps)
    ]
    page = to_html(ruleset.rate(rows))
    heights = [float(y) for y in re.findall(r' cy="([^"]+)"', page)]
    assert len(heights) == len(steps)
    assert all(0 <= y <= 48 for y in heights), heights  # the chart's height
