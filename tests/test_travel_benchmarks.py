"""Direction of travel against a `[benchmarks]` entry (CONVENTIONS: "Comparator: ...
benchmark values (statistical neighbours, England, region)"): England's row of a national
file, a region's row, or a group's mean, not only a column of the row itself."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.data import iter_csv
from tests.test_stream_duplicates import _every_engine

HEAD = (
    '[ruleset]\nformat = 1\nid = "tb"\n'
    '[benchmarks.england]\narea = "E92000001"\n'
    '[benchmarks.region]\narea-column = "region"\n'
    '[benchmarks.mean]\nstatistic = "mean"\n'
    "[travel.comparisons]\n"
    'eng = { against = "benchmark", benchmark = "england" }\n'
    'reg = { against = "benchmark", benchmark = "region" }\n'
    'avg = { against = "benchmark", benchmark = "mean" }\n'
    'col = { against = "benchmark", benchmark = "england value" }\n'
)
INDICATOR = '[[indicator]]\nid = "a"\ntarget = 50\ntolerance = { relative = "10%" }\n'
RULESET = ragrules.loads(HEAD + INDICATOR)
ROWS = [
    {"indicator": "a", "area": "E92000001", "period": "2020/21", "value": "40"},
    {"indicator": "a", "area": "E12000001", "period": "2020/21", "value": "44"},
    {"indicator": "a", "area": "E1", "period": "2020/21", "value": "45", "region": "E12000001"},
    {"indicator": "a", "area": "E2", "period": "2020/21", "value": "40", "region": "E12000001"},
    {"indicator": "a", "area": "E3", "period": "2020/21", "value": "35", "region": "E12000009"},
]


def _moves(report: ragrules.Report) -> dict[str, dict[str, tuple[str, str]]]:
    return {
        r.area: {m.comparison.name: (m.direction.value, m.reason) for m in r.travel}
        for r in report.results
    }


def test_travel_against_the_england_row_the_region_row_and_the_mean() -> None:
    moves = _moves(RULESET.rate(ROWS))
    assert moves["E1"]["eng"] == ("up", "")
    assert moves["E2"]["eng"] == ("unchanged", "")
    assert moves["E3"]["eng"] == ("down", "")
    assert moves["E1"]["reg"] == ("up", "")  # 45 against the region's 44
    assert moves["E2"]["reg"] == ("down", "")
    assert moves["E3"]["reg"] == (
        "not-comparable",
        "no region row (E12000009) for 2020/21",
    )
    # The mean of every area's value (40, 44, 45, 40, 35): 40.8.
    assert moves["E1"]["avg"] == ("up", "")
    assert moves["E3"]["avg"] == ("down", "")


def test_the_benchmark_row_is_not_compared_with_itself() -> None:
    moves = _moves(RULESET.rate(ROWS))
    assert moves["E92000001"]["eng"] == ("not-comparable", "this is the england row")


def test_a_name_no_entry_has_is_still_a_column_of_the_row() -> None:
    rows = [{**row, "england value": "42"} for row in ROWS]
    moves = _moves(RULESET.rate(rows))
    assert moves["E1"]["col"] == ("up", "")
    assert moves["E3"]["col"] == ("down", "")
    assert _moves(RULESET.rate(ROWS))["E1"]["col"] == (
        "not-comparable",
        "the data has no england value value",
    )


def test_the_benchmark_row_is_read_as_the_indicator_rounds() -> None:
    ruleset = ragrules.loads(HEAD + INDICATOR + "rounding = { places = 1 }\n")
    rows = [
        {"indicator": "a", "area": "E92000001", "period": "2020/21", "value": "40.04"},
        {"indicator": "a", "area": "E1", "period": "2020/21", "value": "40"},
    ]
    (move,) = [
        m
        for r in ruleset.rate(rows).results
        if r.area == "E1"
        for m in r.travel
        if m.comparison.name == "eng"
    ]
    assert (move.direction.value, move.earlier, move.earlier_text) == (
        "unchanged",
        Decimal("40.0"),
        "40",  # the rounded value, as `earlier` holds it
    )


def test_a_stream_compares_with_the_benchmark_rows_read_before(tmp_path: Path) -> None:
    """England's row first: the stream's movements are the report's. A statistic needs every
    area, and a benchmark row later in the file is not read yet: each says so."""
    path = tmp_path / "national.csv"
    lines = ["indicator,area,period,value,region"]
    lines += [f"a,{r['area']},2020/21,{r['value']},{r.get('region', '')}" for r in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO(_every_engine(RULESET, path))
    streamed = {
        line["area"]: {m["comparison"]: m["direction"] for m in line["travel"]}
        for line in map(json.loads, out.getvalue().splitlines())
    }
    whole = RULESET.rate(ragrules.read_observations(path))
    for area, moves in _moves(whole).items():
        assert streamed[area]["eng"] == moves["eng"][0]
    assert {moves["avg"] for moves in streamed.values()} == {"not-comparable"}
    late = [
        m.reason
        for r in RULESET.iter_rate(iter_csv(path))
        if isinstance(r, ragrules.Result) and r.area == "E1"
        for m in r.travel
    ]
    assert "the mean benchmark needs every area: rate the whole file" in late


@given(
    england=st.decimals(min_value=-1000, max_value=1000, places=3),
    value=st.decimals(min_value=-1000, max_value=1000, places=3),
    within=st.sampled_from(["", 'unchanged-within = { absolute = "0.5" }\n']),
    indicator=st.sampled_from(
        [
            INDICATOR,
            INDICATOR.replace("target = 50", 'polarity = "lower-is-better"\ntarget = 50'),
            '[[indicator]]\nid = "a"\npolarity = "neutral"\n',
        ]
    ),
)
def test_the_england_row_moves_as_a_column_holding_its_value(
    england: Decimal, value: Decimal, within: str, indicator: str
) -> None:
    """Whether England's value is a row of the file or a column of the area's row, the
    movement is the same: the same direction, judgement and arrow, exactly."""
    ruleset = ragrules.loads(HEAD + indicator + within)
    rows = [
        {"indicator": "a", "area": "E92000001", "period": "2020/21", "value": str(england)},
        {
            "indicator": "a",
            "area": "E1",
            "period": "2020/21",
            "value": str(value),
            "england value": str(england),
        },
    ]
    (result,) = [r for r in ruleset.rate(rows).results if r.area == "E1"]
    moves = {m.comparison.name: m for m in result.travel}
    row, column = moves["eng"], moves["col"]
    assert (row.direction, row.judgement, row.arrow) == (
        column.direction,
        column.judgement,
        column.arrow,
    )
    assert row.earlier == column.earlier == england


def test_explain_sets_the_value_beside_the_benchmark_not_after_it() -> None:
    """England's 40 is not an earlier value: "45 against the benchmark's 40, above", and
    better or worse, not improving or worsening."""
    text = str(RULESET.rate(ROWS).explain("a", area="E3"))
    assert (
        "eng (against england): 35 against the benchmark's 40, below; higher is better, "
        "so worse; arrow ↓." in text
    )


def test_the_summary_says_better_or_worse_than_the_benchmark_in_every_report() -> None:
    """Beside a benchmark a value is better or worse, not improving: as the key says. The
    JSON keeps the judgements' names, for programs."""
    from ragrules.output import render

    report = RULESET.rate(ROWS)
    line = "better 2, worse 1, the same 1, not-comparable 1"
    assert f"eng: {line}" in render(report, "table").splitlines()
    assert f"eng: {line}." in render(report, "markdown")
    assert f"<p>eng: {line}.</p>" in render(report, "html")
    assert report.to_dict()["summary"]["travel"]["eng"]["improving"] == 2
