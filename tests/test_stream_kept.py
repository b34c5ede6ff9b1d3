"""What the compiled plan words once and keeps, or shares between plans, stays each row's
own, in every stream engine: a comparison with no number is worded by what the earlier row
was (missing, caveated or unreadable: `LinePlan.worded`), and the exception reasons, shared
by every plan, by the row's own status and judgements."""

from __future__ import annotations

import json
from pathlib import Path

import ragrules
from ragrules.engine._placing import LOOKBACK_ROWS
from tests.test_stream_duplicates import PLAIN, _every_engine, _lines

WORSENING = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "w"\n'
    '[travel.comparisons]\nshort = { against = "previous-period" }\n'
    '[exceptions]\nrules = [{ statuses = ["amber"], '
    'travel = { comparison = "short", judgement = ["worsening"] } }]\n'
    '[[indicator]]\nid = "up"\nunit = "percent"\ntarget = "70%"\n'
    'tolerance = { relative = "10%" }\n'
)


def test_each_row_without_an_earlier_number_is_worded_by_its_own_earlier_row(
    tmp_path: Path,
) -> None:
    rows = [
        "up,E1,2022/23 Q1,50%,estimated",  # caveated: a row the general path keeps
        "up,E3,2022/23 Q1,unknown,",  # not a number
        "up,E1,2022/23 Q2,60%,",
        "up,E2,2022/23 Q2,61%,",  # no earlier row at all
        "up,E3,2022/23 Q2,62%,",
        "up,E4,2022/23 Q2,63%,",  # no earlier row, after the others were worded
    ]
    path = _lines(tmp_path / "d.csv", rows, header="indicator,area,period,value,caveat")
    records = [json.loads(line) for line in _every_engine(PLAIN, path).splitlines()]
    reasons = {r["area"]: r["travel"][0]["reason"] for r in records if r["period"] == "2022/23 Q2"}
    no_row = f"no row for 2022/23 Q1 among the last {LOOKBACK_ROWS:,} values read before this one"
    assert reasons["E1"] == "the 2022/23 Q1 value is caveated"
    assert reasons["E2"] == no_row
    assert reasons["E3"].startswith("no comparable value for 2022/23 Q1")
    assert reasons["E4"] == no_row


def test_each_row_is_chosen_for_the_exception_report_by_its_own_judgement(
    tmp_path: Path,
) -> None:
    rows = ["up,E1,2022/23 Q1,70%", "up,E2,2022/23 Q1,60%"]
    rows += ["up,E1,2022/23 Q2,65%", "up,E2,2022/23 Q2,65%"]  # amber: worse, better
    rows += ["up,E2,2022/23 Q3,66%", "up,E1,2022/23 Q3,64%"]  # amber: better, worse
    written = _every_engine(WORSENING, _lines(tmp_path / "d.csv", rows))
    chosen = {
        (r["area"], r["period"]): r["exception_reasons"]
        for r in map(json.loads, written.splitlines())
    }
    worse = ["status amber and worsening on short"]
    assert chosen[("E1", "2022/23 Q2")] == chosen[("E1", "2022/23 Q3")] == worse
    assert chosen[("E2", "2022/23 Q2")] == chosen[("E2", "2022/23 Q3")] == []


def test_a_comparison_that_restarts_reads_no_earlier_column(tmp_path: Path) -> None:
    """A year's first quarter to date, and a period after a series break, are compared with
    nothing though the line gives the earlier value: the plan finds no column for them."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "r"\n'
        '[travel.comparisons]\nshort = { against = "previous-period" }\n'
        '[[indicator]]\nid = "up"\nunit = "percent"\ntarget = "70%"\n'
        'tolerance = { relative = "10%" }\nseries-breaks = ["2022/23 Q3"]\n'
    )
    rows = ["up,E1,2022/23 Q1 YTD,65%,60%", "up,E1,2022/23 Q2 YTD,66%,65%"]
    rows += ["up,E1,2022/23 Q3,67%,66%", "up,E1,2022/23 Q4,68%,67%"]
    path = _lines(tmp_path / "d.csv", rows, header="indicator,area,period,value,previous")
    records = [json.loads(line) for line in _every_engine(ruleset, path).splitlines()]
    moves = {r["period"]: r["travel"][0] for r in records}
    assert moves["2022/23 Q1 YTD"]["reason"].startswith("a year-to-date value starts again")
    assert moves["2022/23 Q3"]["reason"].startswith("the series breaks at 2022/23 Q3")
    assert [moves[p]["direction"] for p in ("2022/23 Q2 YTD", "2022/23 Q4")] == ["up", "up"]


def test_a_value_given_again_is_kept_as_the_latest_in_the_look_back(tmp_path: Path) -> None:
    """An earlier column giving a row already held makes it the newest of the stream's
    recent rows: still there when the look-back has dropped rows read after it."""
    rows = ["up,E0,2022/23 Q1,60%,,"]
    rows += [f"up,F{n},2022/23 Q1,61%,," for n in range(LOOKBACK_ROWS - 3)]
    rows += ["up,E0,2023/24 Q1,65%,,60%"]  # gives E0's 2022/23 Q1 row again: the newest
    rows += [f"up,G{n},2022/23 Q1,61%,," for n in range(4)]  # the three oldest dropped
    rows += ["up,E0,2022/23 Q2,62%,,", "up,F0,2022/23 Q2,63%,,"]
    header = "indicator,area,period,value,previous,last_year"
    path = _lines(tmp_path / "d.csv", rows, header=header)
    records = [json.loads(line) for line in _every_engine(PLAIN, path).splitlines()]
    latest = {(r["area"], r["period"]): r["travel"][0] for r in records}
    assert latest[("E0", "2022/23 Q2")]["direction"] == "up"
    assert latest[("F0", "2022/23 Q2")]["reason"].startswith("no row for 2022/23 Q1 among")
