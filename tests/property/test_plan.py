"""The compiled row engine agrees with the general path, byte for byte.

Generated rulesets (polarities, margins, rounding, units, dated targets, comparisons,
exception rules over one or two periods (of judgements or statuses, or kept until met),
required commentary, overrides and forecasts, minimums) and generated CSV files (areas,
breakdowns, earlier columns, targets and caveats in the data, overrides and forecasts,
provisional marks, unreadable values, unknown indicators, titles, duplicates, bad periods,
blank lines) are streamed both ways: the compiled stream must write the same bytes, JSON lines
and CSV, with the same tally.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.data import iter_csv
from ragrules.reports.compiled import rate_csv_stream
from ragrules.stream import write_stream
from tests.conftest import assert_same_outcome

POLARITIES = ["higher-is-better", "lower-is-better", "neutral", "in-range"]
PERIODS = ["2021/22 Q3", "2021/22 Q4", "2022/23 Q1", "2022/23 Q2", "2022/23 Q3", "Q9 2022"]
# Years too: a year's previous period is its same period last year (two columns, one period).
YEARS = ["2021/22", "2022/23"]
VALUES = ["10", "12.5", "12.50", "15%", "0.5", "20", "N/A", "-", "junk", "", "7", "100", "12.45"]


@st.composite
def rulesets(draw: st.DrawFn) -> str:
    comparisons = draw(
        st.sampled_from(
            [
                [],
                ["previous-period"],
                ["previous-period", "same-period-last-year"],
                ["same-period-last-year"],
            ]
        )
    )
    lines = ['[ruleset]\nformat = 1\nid = "generated"\n']
    if draw(st.booleans()):
        lines.append('[data]\nbreakdowns = ["sex"]\n')
    if comparisons:
        lines.append("[travel.comparisons]\n")
        for n, against in enumerate(comparisons):
            lines.append(f'c{n} = {{ against = "{against}" }}\n')
    rules = ['{ statuses = ["red"] }']
    memory = draw(st.sampled_from(["", "", "periods = 2", 'until = ["green"]']))
    if memory:  # a run of statuses, or kept until met: read from earlier rows
        rules.append(f'{{ statuses = ["red", "amber"], {memory} }}')
    if comparisons:
        periods = draw(st.sampled_from([1, 1, 2]))
        rules.append(
            f'{{ statuses = ["amber"], travel = {{ comparison = "c0", '
            f'judgement = ["worsening"], periods = {periods} }} }}'
        )
    lines.append(f"[exceptions]\nrules = [{', '.join(rules)}]\n")
    if draw(st.booleans()):
        lines.append('commentary-required = ["red"]\n')
    for n in range(draw(st.integers(1, 3))):
        # The first is judged, so the exception rules' statuses exist.
        polarity = draw(st.sampled_from(POLARITIES[:2] if n == 0 else POLARITIES))
        unit = draw(st.sampled_from(["percent", "number"]))
        lines.append(
            f'[[indicator]]\nid = "i{n}"\ntitle = "Indicator {n}"\nunit = "{unit}"\n'
            f'polarity = "{polarity}"\n'
        )
        if polarity == "in-range":
            lines.append("target = { lower = 10, upper = 15 }\ntolerance = { absolute = 2 }\n")
        elif polarity != "neutral":
            target = draw(st.sampled_from(["12.5", "10", "20"]))
            if draw(st.booleans()):
                lines.append(f'target = [{{ from = "2022/23 Q1", value = {target} }}]\n')
            else:
                lines.append(f"target = {target}\n")
            margin = draw(st.sampled_from(['{ relative = "10%" }', "{ absolute = 2.5 }"]))
            lines.append(f"tolerance = {margin}\n")
        if draw(st.booleans()):
            lines.append("rounding = { places = 0 }\n")
        if draw(st.booleans()) and comparisons:
            lines.append("unchanged-within = { absolute = 1 }\n")
        if polarity != "neutral" and draw(st.booleans()):
            lines.append(draw(st.sampled_from(["overrides = true\n", "forecast = {}\n"])))
        if draw(st.integers(0, 5)) == 0:  # small numbers suppressed
            lines.append("minimum = { value = 11 }\n")
    return "".join(lines)


@st.composite
def data_files(draw: st.DrawFn) -> str:
    columns = ["indicator"]
    optional = ["area", "sex", "previous", "last_year", "target", "caveat", "commentary"]
    optional += ["forecast", "override", "override_reason", "provisional", "Revised"]
    columns += [c for c in optional if draw(st.booleans())]
    columns += ["period", "value", "authority"]
    indicators = st.sampled_from(["i0", "i1", "i2", "Indicator 1", "unknown", ""])
    cell = {
        "indicator": indicators,
        "area": st.sampled_from(["E1", "E2", ""]),
        "sex": st.sampled_from(["Male", "Female"]),
        "previous": st.sampled_from(VALUES),
        "last_year": st.sampled_from(VALUES),
        "target": st.sampled_from(["", "", "11", "x"]),
        "caveat": st.sampled_from(["", "", "", "data late"]),
        "commentary": st.sampled_from(["", "", "on track", "=1+1"]),
        "period": st.sampled_from(PERIODS + YEARS),
        "value": st.sampled_from(VALUES),
        "authority": st.sampled_from(["A", "B"]),
        "forecast": st.sampled_from(VALUES),
        "override": st.sampled_from(["", "", "amber", "G", "purple"]),
        "override_reason": st.sampled_from(["", "assessed as on track"]),
        "provisional": st.sampled_from(["", "", "yes", "no"]),
        "Revised": st.sampled_from(["", "", " Y ", "N/A", "-", "0", "true", "No"]),
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for _ in range(draw(st.integers(0, 30))):
        if draw(st.integers(0, 15)) == 0:
            writer.writerow([])
            continue
        writer.writerow([draw(cell[column]) for column in columns])
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["json", "csv"])
@given(text=rulesets(), data=data_files())
def test_the_compiled_stream_writes_what_the_general_path_writes(
    tmp_path_factory: pytest.TempPathFactory, fmt: str, text: str, data: str
) -> None:
    ruleset = ragrules.loads(text)
    path = tmp_path_factory.mktemp("plan") / "data.csv"
    path.write_text(data, encoding="utf-8")

    def general() -> tuple[str, object]:
        out = io.StringIO()
        tally = write_stream(ruleset.iter_rate(iter_csv(path)), ruleset, out, fmt)
        return out.getvalue(), tally

    def compiled() -> tuple[str, object]:
        out = io.StringIO()
        tally = rate_csv_stream(ruleset, path, out, fmt)
        return out.getvalue(), tally

    assert_same_outcome(general, compiled)


def test_a_plan_is_used_and_agrees_on_the_benchmark_workload(tmp_path: Path) -> None:
    """A file of plain lines (and a few that are not) is rated by plan, to the same bytes."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "w"\n[travel.comparisons]\n'
        'short = { against = "previous-period" }\n'
        '[[indicator]]\nid = "a"\nunit = "percent"\ntarget = "50%"\n'
        'tolerance = { relative = "10%" }\n'
    )
    rows = ["indicator,area,period,value,previous"]
    rows += [f"a,E{n % 7},2022/23 Q{n % 4 + 1},{40 + n % 20}.{n % 10}%,N/A" for n in range(300)]
    rows += ["a,E1,2022/23 Q1,junk,40%", "b,E1,2022/23 Q1,10,"]
    assert _streamed_both_ways(ruleset, rows, tmp_path).count("\n") == 302


def test_a_value_is_rendered_once_for_plans_alike_in_bands_only(tmp_path: Path) -> None:
    """A year's quarters share each value text's rendering; another indicator, or a quarter
    with another target, renders the same text again (its status and edges differ)."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "w"\n'
        '[[indicator]]\nid = "a"\nunit = "percent"\ntarget = "50%"\n'
        'tolerance = { relative = "10%" }\n'
        '[[indicator]]\nid = "b"\nunit = "percent"\n'
        'target = [{ value = "60%" }, { from = "2022/23 Q3", value = "45%" }]\n'
        'tolerance = { absolute = "2%" }\n'
    )
    rows = ["indicator,period,value"]
    rows += [f"{i},2022/23 Q{q},{v}%" for v in (44, 47, 50, 59) for q in (1, 2, 3, 4) for i in "ab"]
    written = _streamed_both_ways(ruleset, rows, tmp_path)
    statuses = {json.loads(line)["status"] for line in written.splitlines()}
    assert statuses == {"green", "amber", "red"}


def _streamed_both_ways(ruleset: ragrules.Ruleset, rows: list[str], tmp_path: Path) -> str:
    """The rows as a file, streamed by the general path and by plan: the same bytes."""
    path = tmp_path / "data.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    general, compiled = io.StringIO(), io.StringIO()
    write_stream(ruleset.iter_rate(iter_csv(path)), ruleset, general)
    rate_csv_stream(ruleset, path, compiled)
    assert compiled.getvalue() == general.getvalue()
    return compiled.getvalue()


def test_a_mark_column_sends_only_its_marked_lines_to_the_general_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `provisional` or `revised` column (Fingertips and council returns carry one,
    mostly blank) is read line by line: a line marked yes is the general path's, whose
    result says so; the others are planned. The same bytes as the general path."""
    from ragrules.engine.plan import RowStream

    general = RowStream.general
    sent: list[int] = []

    def counted(self: RowStream, observations: Any) -> Any:
        observations = list(observations)
        sent.extend(o.row for o in observations)
        return general(self, observations)

    monkeypatch.setattr(RowStream, "general", counted)
    rows = ["indicator,period,value,Revised,provisional"]
    marks = ["", "", "no", " Yes ", "N/A", "-", "0", "y"]
    rows += [f"a,2022/23 Q1,{40 + n},{marks[n % 8]},{'' if n != 5 else 'TRUE'}" for n in range(16)]
    text = _streamed_both_ways(TRAVELLING, rows, tmp_path)
    # " Yes " and "y" under Revised (lines 5, 9, 13, 17), "TRUE" under provisional (line 7).
    assert sent == [5, 7, 9, 13, 17]
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["row"] for line in lines if line.get("marks")] == sent
    assert {line["status"] for line in lines} == {"red", "amber", "green"}


TRAVELLING = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "t"\n[travel.comparisons]\n'
    'short = { against = "previous-period" }\n'
    '[[indicator]]\nid = "a"\ntarget = 50\ntolerance = { absolute = 5 }\n'
)


def _lines(ruleset: ragrules.Ruleset, rows: list[str], tmp_path: Path) -> list[dict[str, Any]]:
    """The rows streamed both ways (the same bytes), each line read back."""
    return [json.loads(line) for line in _streamed_both_ways(ruleset, rows, tmp_path).splitlines()]


def test_a_years_two_earlier_columns_name_one_period_as_the_general_path_reads_them(
    tmp_path: Path,
) -> None:
    """A year's previous period is its same period last year: a line giving both is two
    rows for one period, the first kept and the second rejected, in both engines."""
    rows = ["indicator,period,value,previous,last_year", "a,2020/21,60,70,40", "a,2021/22,60,,40"]
    lines = _lines(TRAVELLING, rows, tmp_path)
    earlier = [line["travel"][0]["earlier"] for line in lines if "travel" in line]
    assert earlier == ["70", "40"]  # the file's first of the two columns; alone, the other
    assert [line.get("reason") for line in lines if line.get("rejected")] == [
        "duplicate of row 2 for 2019/20"
    ]


def test_an_academic_row_places_its_earlier_columns_in_its_own_year(tmp_path: Path) -> None:
    """`AY 2022/23 Q2`'s previous column is `AY 2022/23 Q1` in a financial ruleset too."""
    rows = ["indicator,period,value,previous", "a,AY 2022/23 Q2,46,40", "a,FY 2022/23 Q2,46,41"]
    lines = _lines(TRAVELLING, rows, tmp_path)
    assert [line["travel"][0]["earlier"] for line in lines] == ["40", "41"]


def test_a_row_whose_period_is_no_period_is_rejected_and_the_rows_after_it_rated(
    tmp_path: Path,
) -> None:
    """Its earlier columns cannot be placed: the row is rejected for its period, as a row
    without earlier columns is, and the stream reads on (it used to stop there)."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "p"\n[[indicator]]\nid = "a"\ntarget = 10\n'
        "tolerance = { absolute = 1 }\n"
    )
    rows = ["indicator,period,value,previous", "a,2022/23 Q1,12,11", "a,nonsense,12,11"]
    rows += ["a,2022/23 Q2,12,12"]
    lines = _lines(ruleset, rows, tmp_path)
    assert [(line["row"], "rejected" in line) for line in lines] == [
        (2, False),
        (3, True),
        (4, False),
    ]
