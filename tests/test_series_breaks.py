"""Series breaks (CONVENTIONS: "a series break or a changed quarterly target can make a
short-term comparison meaningless"): an indicator's `series-breaks` make every comparison that
reaches back across one not comparable, saying so, in every engine."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.engine.canonical import canonical_toml
from tests.conftest import assert_refused_at
from tests.test_stream_duplicates import _every_engine

HEAD = '[ruleset]\nformat = 1\nid = "sb"\n'
COMPARISONS = (
    "[travel.comparisons]\n"
    'short = { against = "previous-period" }\n'
    'long = { against = "same-period-last-year" }\n'
    'average = { against = "previous-average", points = 2 }\n'
    'trend = { against = "recent-trend", points = 3, test = "chi-squared" }\n'
)
INDICATOR = (
    '[[indicator]]\nid = "a"\nunit = "percent"\ntarget = "50%"\ntolerance = { relative = "10%" }\n'
)
BROKEN = ragrules.loads(HEAD + COMPARISONS + INDICATOR + 'series-breaks = ["2021/22 Q1"]\n')
WHOLE = ragrules.loads(HEAD + COMPARISONS + INDICATOR)
QUARTERS = [
    f"{year}/{year - 1999:02d} Q{q}" for year in (2019, 2020, 2021, 2022) for q in range(1, 5)
]


def _rows() -> list[dict[str, str]]:
    return [
        {
            "indicator": "a",
            "period": period,
            "value": str(40 + n),
            "count": str(40 + n),
            "denominator": "100",
        }
        for n, period in enumerate(QUARTERS)
    ]


def _moves(ruleset: ragrules.Ruleset) -> dict[str, dict[str, ragrules.Movement]]:
    return {
        str(result.period): {move.comparison.name: move for move in result.travel}
        for result in ruleset.iter_rate(_rows())
        if isinstance(result, ragrules.Result)
    }


def test_no_comparison_reaches_back_across_the_break() -> None:
    moves = _moves(BROKEN)
    first = moves["2021/22 Q1"]
    assert (
        first["short"].reason
        == "the series breaks at 2021/22 Q1: 2020/21 Q4 is from before the break"
    )
    assert (
        first["long"].reason
        == "the series breaks at 2021/22 Q1: 2020/21 Q1 is from before the break"
    )
    assert moves["2021/22 Q2"]["average"].reason == (
        "the series breaks at 2021/22 Q1: the 2 periods before 2021/22 Q2 reach back before "
        "the break"
    )
    assert moves["2021/22 Q2"]["trend"].reason == (
        "the series breaks at 2021/22 Q1: the last 3 values up to 2021/22 Q2 reach back "
        "before the break"
    )
    # From the break on, each comparison is made again as soon as it stays after it.
    assert moves["2021/22 Q2"]["short"].comparable
    assert moves["2021/22 Q3"]["average"].comparable
    assert moves["2021/22 Q3"]["trend"].comparable
    assert not moves["2021/22 Q4"]["long"].comparable
    assert moves["2022/23 Q1"]["long"].comparable


def test_a_ruleset_without_breaks_compares_as_before() -> None:
    broken, whole = _moves(BROKEN), _moves(WHOLE)
    for period, moves in whole.items():
        for name, move in moves.items():
            if "series breaks" not in broken[period][name].reason:
                assert broken[period][name] == move


def test_every_engine_words_the_break_alike(tmp_path: Path) -> None:
    ruleset = ragrules.loads(
        HEAD + COMPARISONS.split("average")[0] + INDICATOR + 'series-breaks = ["2021/22 Q1"]\n'
    )
    rows = [
        f"a,E{area},{period},{40 + n + area}%"
        for n, period in enumerate(QUARTERS)
        for area in range(3)
    ]
    path = tmp_path / "break.csv"
    path.write_text("indicator,area,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    lines = [json.loads(line) for line in _every_engine(ruleset, path).splitlines()]
    reasons = {
        (line["period"], move["comparison"]): move["reason"]
        for line in lines
        for move in line["travel"]
    }
    assert reasons[("2021/22 Q1", "short")].startswith("the series breaks at 2021/22 Q1")
    assert reasons[("2021/22 Q4", "long")].startswith("the series breaks at 2021/22 Q1")
    assert reasons[("2021/22 Q2", "short")] == ""


def test_the_canonical_form_writes_the_breaks_only_when_given() -> None:
    assert "series-breaks" not in canonical_toml(WHOLE)
    text = canonical_toml(BROKEN)
    assert 'series-breaks = ["2021/22 Q1"]' in text
    again = ragrules.loads(text)
    assert again.fingerprint == BROKEN.fingerprint
    assert again.indicators[0].series_breaks == BROKEN.indicators[0].series_breaks


@pytest.mark.parametrize(
    ("value", "key", "words"),
    [
        ('"2021/22 Q1"', "indicator[0].series-breaks", "expected a list of periods"),
        ("[]", "indicator[0].series-breaks", "an empty list"),
        ('["2021/22 Q1 YTD"]', "indicator[0].series-breaks[0]", "breaks at a month, quarter or"),
        ('["R12M Mar 2022"]', "indicator[0].series-breaks[0]", "breaks at a month, quarter or"),
        ('["2021/22 Q1", "Q5 2021"]', "indicator[0].series-breaks[1]", ""),
        ('["2021/22 Q1", 2022]', "indicator[0].series-breaks[1]", ""),
    ],
)
def test_bad_breaks_are_refused_where_they_are_written(value: str, key: str, words: str) -> None:
    assert_refused_at(HEAD + INDICATOR + f"series-breaks = {value}\n", key, words)


@given(
    current=st.integers(min_value=4, max_value=15),
    back=st.sampled_from([1, 4]),
    broken=st.integers(min_value=0, max_value=15),
)
def test_a_comparison_is_made_unless_a_break_lies_between(
    current: int, back: int, broken: int
) -> None:
    """For any break and pair of quarters: not comparable exactly when the earlier quarter
    is before the break and the current one from it on; otherwise as with no break."""
    ruleset = ragrules.loads(
        HEAD
        + COMPARISONS.split("average")[0]
        + INDICATOR
        + f'series-breaks = ["{QUARTERS[broken]}"]\n'
    )
    rows = [r for r in _rows() if r["period"] in (QUARTERS[current - back], QUARTERS[current])]
    name = "short" if back == 1 else "long"
    (result,) = [
        r
        for r in ruleset.iter_rate(rows)
        if isinstance(r, ragrules.Result) and str(r.period) == QUARTERS[current]
    ]
    move = next(m for m in result.travel if m.comparison.name == name)
    across = current - back < broken <= current
    assert (not move.comparable and "series breaks" in move.reason) is across
    if not across:
        assert move.comparable and move.direction is ragrules.Direction.UP


@pytest.mark.parametrize(
    ("earlier", "current", "across"),
    [
        ("2021/22 Q4 YTD", "2022/23 Q4 YTD", True),  # April 2021 on: six months before
        ("2022/23 Q4 YTD", "2023/24 Q4 YTD", False),
        ("R12M Mar 2022", "R12M Mar 2023", True),  # from April 2021
        ("R12M Sep 2022", "R12M Sep 2023", False),  # from October 2021
        ("2021/22", "2022/23", True),
        ("2021/22 Q2", "2021/22 Q3", True),
        ("2021/22 Q3", "2021/22 Q4", False),
    ],
)
def test_a_value_that_covers_months_before_the_break_is_from_before_it(
    earlier: str, current: str, across: bool
) -> None:
    """A year-to-date or rolling value covers the months before the one it stands at: one
    with any month before the break is not compared with one after it."""
    ruleset = ragrules.loads(
        HEAD
        + '[travel.comparisons]\nlong = { against = "same-period-last-year" }\n'
        + 'short = { against = "previous-period" }\n'
        + INDICATOR
        + 'series-breaks = ["2021/22 Q3"]\n'
    )
    rows = [
        {"indicator": "a", "period": earlier, "value": "40"},
        {"indicator": "a", "period": current, "value": "45"},
    ]
    (result,) = ruleset.rate(rows, period=current).results
    moves = [m for m in result.travel if m.period == ragrules.parse_period(earlier)]
    assert moves, [str(m.period) for m in result.travel]
    assert ("the series breaks at 2021/22 Q3" in moves[0].reason) is across
    assert moves[0].comparable is not across


@pytest.mark.parametrize(
    ("broken", "periods", "reason"),
    [
        (
            "FY 2021/22 Q1",
            ("FY 2020/21 Q4", "FY 2021/22 Q1"),
            "the series breaks at 2021/22 Q1: 2020/21 Q4 is from before the break",
        ),
        (
            "2021/22 Q2",
            ("2021/22 Q1", "2021/22 Q2"),
            "the series breaks at AY 2021/22 Q2: AY 2021/22 Q1 is from before the break",
        ),
    ],
)
def test_a_break_is_named_as_reports_name_every_period(
    broken: str, periods: tuple[str, str], reason: str
) -> None:
    """In an academic ruleset a financial break is `2021/22 Q1` and an academic one
    `AY 2021/22 Q2`, as the period before each is in the same sentence: reports write an
    academic year with its `AY` and a financial one bare, whatever the ruleset's calendar,
    so the two never read alike."""
    ruleset = ragrules.loads(
        HEAD.replace('id = "sb"', 'id = "sb"\ncalendar = "academic"')
        + '[travel.comparisons]\nshort = { against = "previous-period" }\n'
        + INDICATOR
        + f'series-breaks = ["{broken}"]\n'
    )
    rows = [{"indicator": "a", "period": period, "value": "40"} for period in periods]
    (result,) = ruleset.rate(rows, period=periods[1]).results
    assert result.travel[0].reason == reason


def test_a_travel_band_stopped_by_a_break_says_why_not_that_nothing_was_there() -> None:
    """Havering's travel-dependent amber, across a break: the earlier value is there, but not
    comparable; the reason says so, never "no earlier value to compare with"."""
    ruleset = ragrules.loads(
        HEAD
        + 'scale = "travel-aware"\n'
        + '[travel]\narrows = "judgement"\n'
        + '[travel.comparisons]\nlong = { against = "same-period-last-year" }\n'
        + "[scales.travel-aware]\nbands = [\n"
        + '  { status = "green", from = "target" },\n'
        + '  { status = "amber", from = "tolerance" },\n'
        + '  { status = "amber", travel = { comparison = "long", '
        + 'judgement = ["improving", "unchanged"] } },\n'
        + '  { status = "red" },\n]\n'
        + INDICATOR
        + 'series-breaks = ["2021/22 Q1"]\n'
    )
    rows = [
        {"indicator": "a", "period": "2020/21 Q2", "value": "30"},
        {"indicator": "a", "period": "2021/22 Q2", "value": "40"},
    ]
    (result,) = ruleset.rate(rows, period="2021/22 Q2").results
    assert result.status == "red"
    assert (
        "not comparable, so the travel condition could not be met: the series breaks at "
        "2021/22 Q1: 2020/21 Q2 is from before the break" in result.reason
    )


def test_the_trend_and_its_chart_leave_a_gap_at_the_break() -> None:
    """Markdown's trend reads `33 | 26 → 28`, the sparkline draws two lines, and its words
    say where the series breaks: the values either side are not comparable."""
    from ragrules.output import render

    example = Path(__file__).parent.parent / "rulesets" / "examples" / "travel"
    rules = ragrules.load(example / "quarterly-travel.toml")
    report = rules.rate(ragrules.read_observations(example / "quarterly-travel-2020-21-q3.csv"))
    markdown = render(report, "markdown")
    (line,) = [row for row in markdown.splitlines() if row.startswith("| early-help")]
    assert "| 33 \\| 26 → 28 |" in line
    page = render(report, "html")
    svg = page[page.index('<svg class="trend"', page.index("early-help-conversion")) :]
    svg = svg[: svg.index("</svg>")]
    (points,) = re.findall(r'<polyline points="([^"]*)"', svg)
    assert len(points.split()) == 2  # 26 → 28; 33 alone, before the break
    assert "the series breaks at 2020/21 Q2." in svg
