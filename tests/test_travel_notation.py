"""A report finds a series' earlier rows by their months, however the data writes them: the
previous period of `2020/21 Q3` is `2020/21 Q2`, which a file may write as the calendar
quarter `2020 Q3` (the same months), as benchmarks already found their rows."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import ragrules

RULESET = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "notation"\n'
    "[travel.comparisons]\n"
    'prev = { against = "previous-period" }\n'
    'long = { against = "same-period-last-year" }\n'
    'avg = { against = "previous-average", points = 2 }\n'
    '[[indicator]]\nid = "a"\ntarget = 100\ntolerance = { relative = "10%" }\n'
)
# A financial quarter's months as a calendar quarter: Q1 (Apr-Jun) is the calendar Q2.
CALENDAR_QUARTER = {1: 2, 2: 3, 3: 4, 4: 1}


def _calendar(year: int, quarter: int) -> str:
    """`year/yy Qn` (financial) written as the calendar quarter of the same months."""
    return f"{year + (quarter == 4)} Q{CALENDAR_QUARTER[quarter]}"


def _moves(rows: list[dict[str, str]], period: str) -> dict[str, ragrules.Movement]:
    report = RULESET.rate(rows, period=period)
    return {move.comparison.name: move for move in report.results[0].travel}


def test_the_earlier_rows_are_found_however_they_are_written() -> None:
    rows = [
        {"indicator": "a", "period": "2020 Q3", "value": "90"},  # 2020/21 Q2
        {"indicator": "a", "period": "2019 Q4", "value": "80"},  # 2019/20 Q3
        {"indicator": "a", "period": "2020/21 Q1", "value": "70"},
        {"indicator": "a", "period": "2020/21 Q3", "value": "95"},
    ]
    moves = _moves(rows, "2020/21 Q3")
    assert (moves["prev"].direction, moves["prev"].earlier) == (ragrules.Direction.UP, Decimal(90))
    assert str(moves["prev"].period) == "2020/21 Q2"
    assert (moves["long"].direction, moves["long"].earlier) == (ragrules.Direction.UP, Decimal(80))
    assert moves["avg"].earlier == Decimal(80)  # the mean of 70 and 90


@given(
    year=st.integers(min_value=2000, max_value=2040),
    quarter=st.integers(min_value=1, max_value=4),
    then=st.decimals(min_value=0, max_value=200, places=1),
    now=st.decimals(min_value=0, max_value=200, places=1),
)
def test_a_movement_does_not_depend_on_how_the_earlier_row_is_written(
    year: int, quarter: int, then: Decimal, now: Decimal
) -> None:
    current = f"{year}/{(year + 1) % 100:02d} Q{quarter}"
    before_year, before = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    financial = f"{before_year}/{(before_year + 1) % 100:02d} Q{before}"
    moves = []
    for written in (financial, _calendar(before_year, before)):
        rows = [
            {"indicator": "a", "period": written, "value": str(then)},
            {"indicator": "a", "period": current, "value": str(now)},
        ]
        moves.append(_moves(rows, current)["prev"])
    assert moves[0] == moves[1]
    assert moves[0].comparable


def test_a_year_to_date_or_rolling_row_is_found_only_as_written() -> None:
    """`2020/21 Q2 YTD` stands at Q2 but covers April on: never the quarter's row. Nor is
    `R12M Mar 2021` the year 2020/21's outturn, however alike their months."""
    rows = [
        {"indicator": "a", "period": "2020/21 Q2 YTD", "value": "100"},
        {"indicator": "a", "period": "2020/21 Q3", "value": "48"},
    ]
    moves = _moves(rows, "2020/21 Q3")
    assert moves["prev"].reason == "no row for 2020/21 Q2"
    outturn = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "o"\n'
        '[travel.comparisons]\nout = { against = "previous-outturn" }\n'
        '[[indicator]]\nid = "a"\ntarget = 100\ntolerance = { relative = "10%" }\n'
    )
    rows = [
        {"indicator": "a", "period": "R12M Mar 2021", "value": "40"},
        {"indicator": "a", "period": "2021/22 Q1", "value": "45"},
    ]
    (result,) = outturn.rate(rows, period="2021/22 Q1").results
    assert result.travel[0].reason == "no row for 2020/21"
