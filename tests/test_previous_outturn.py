"""`against = "previous-outturn"` (CONVENTIONS: "Havering used the previous outturn
instead"): the value against the series' whole year before the one its period is in."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.engine.canonical import canonical_toml
from ragrules.model.periods import Calendar, parse_period, previous_year
from tests.test_stream_duplicates import _every_engine

HEAD = '[ruleset]\nformat = 1\nid = "po"\n'
COMPARISONS = (
    "[travel.comparisons]\n"
    'short = { against = "previous-period" }\n'
    'outturn = { against = "previous-outturn" }\n'
)
INDICATOR = (
    '[[indicator]]\nid = "a"\nunit = "percent"\ntarget = "70%"\ntolerance = { relative = "10%" }\n'
)
RULESET = ragrules.loads(HEAD + COMPARISONS + INDICATOR)


@pytest.mark.parametrize(
    ("period", "calendar", "year"),
    [
        ("2020/21 Q2", Calendar.FINANCIAL, "2019/20"),
        ("2020/21 Q1 YTD", Calendar.FINANCIAL, "2019/20"),
        ("Nov 2020", Calendar.FINANCIAL, "2019/20"),
        ("Feb 2021", Calendar.FINANCIAL, "2019/20"),
        ("2020/21", Calendar.FINANCIAL, "2019/20"),
        ("2020 Q3", Calendar.FINANCIAL, "2019"),  # a calendar quarter: its own year's
        ("Nov 2020", Calendar.CALENDAR, "2019"),
        ("Nov 2020", Calendar.ACADEMIC, "AY 2019/20"),
    ],
)
def test_the_previous_outturn_is_the_whole_year_before(
    period: str, calendar: Calendar, year: str
) -> None:
    assert previous_year(parse_period(period, calendar), calendar) == parse_period(year, calendar)


def test_a_quarter_is_compared_with_last_years_outturn() -> None:
    rows = [
        {"indicator": "a", "period": period, "value": value}
        for period, value in (("2019/20", "65"), ("2020/21 Q1", "60"), ("2020/21 Q2", "72"))
    ]
    moves = {
        str(result.period): {move.comparison.name: move for move in result.travel}
        for result in RULESET.iter_rate(rows)
        if isinstance(result, ragrules.Result)
    }
    q2 = moves["2020/21 Q2"]["outturn"]
    assert (q2.direction, str(q2.period), q2.earlier) == (
        ragrules.Direction.UP,
        "2019/20",
        Decimal(65),
    )
    q1 = moves["2020/21 Q1"]["outturn"]
    assert q1.direction is ragrules.Direction.DOWN
    assert moves["2019/20"]["outturn"].reason == (
        "no row for 2018/19 among the last 4,096 values read before this one"  # a stream's
    )


def test_the_key_says_what_it_compares_with() -> None:
    report = RULESET.rate([{"indicator": "a", "period": "2020/21 Q2", "value": "72"}])
    assert any(
        entry.text.startswith("Compared with the whole year before (the previous outturn)")
        for entry in report.key.entries
    )


def test_every_engine_writes_the_same_bytes(tmp_path: Path) -> None:
    lines = ["indicator,area,period,value"]
    for area in range(3):
        lines += [f"a,E{area},2019/20,{65 + area}%", f"a,E{area},2020/21 Q2,{64 + 2 * area}%"]
    path = tmp_path / "outturn.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    written = [json.loads(line) for line in _every_engine(RULESET, path).splitlines()]
    directions = [
        move["direction"]
        for line in written
        if line["period"] == "2020/21 Q2"
        for move in line["travel"]
        if move["comparison"] == "outturn"
    ]
    assert directions == ["down", "unchanged", "up"]


def test_the_canonical_form_keeps_it() -> None:
    again = ragrules.loads(canonical_toml(RULESET))
    assert again.fingerprint == RULESET.fingerprint
    assert 'against = "previous-outturn"' in canonical_toml(RULESET)


@given(
    year=st.integers(min_value=2000, max_value=2040),
    quarter=st.integers(min_value=1, max_value=4),
    then=st.decimals(min_value=0, max_value=100, places=2),
    now=st.decimals(min_value=0, max_value=100, places=2),
)
def test_the_outturn_moves_as_the_same_value_a_year_earlier_would(
    year: int, quarter: int, then: Decimal, now: Decimal
) -> None:
    """Against the previous outturn, the movement is the one `travel.compare` makes of the
    two numbers, whatever quarter of the year it is made in."""
    period = f"{year}/{(year + 1) % 100:02d} Q{quarter}"
    rows = [
        {"indicator": "a", "period": f"{year - 1}/{year % 100:02d}", "value": str(then)},
        {"indicator": "a", "period": period, "value": str(now)},
    ]
    (result,) = [r for r in RULESET.rate(rows).results if str(r.period) == period]
    move = next(m for m in result.travel if m.comparison.name == "outturn")
    expected = (
        ragrules.Direction.UNCHANGED
        if now == then
        else ragrules.Direction.UP
        if now > then
        else ragrules.Direction.DOWN
    )
    assert move.direction is expected
