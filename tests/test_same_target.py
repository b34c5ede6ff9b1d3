"""`same-target = true` on a comparison (CONVENTIONS: "a changed quarterly target can make a
short-term comparison meaningless"): compared only with an earlier period that had the same
target; otherwise not comparable, saying so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.engine.canonical import canonical_toml
from tests.conftest import assert_refused_at
from tests.test_stream_duplicates import _every_engine

HEAD = '[ruleset]\nformat = 1\nid = "st"\n'
COMPARISONS = (
    "[travel.comparisons]\n"
    'short = { against = "previous-period", same-target = true }\n'
    'long = { against = "same-period-last-year", same-target = true }\n'
    'plain = { against = "previous-period" }\n'
)
DATED = (
    '[[indicator]]\nid = "a"\nunit = "percent"\n'
    'target = [{ value = "70%" }, { from = "2020/21 Q3", value = "80%" }]\n'
    'tolerance = { relative = "10%" }\n'
)
RULESET = ragrules.loads(HEAD + COMPARISONS + DATED)
PERIODS = ["2019/20 Q3", "2019/20 Q4", "2020/21 Q1", "2020/21 Q2", "2020/21 Q3", "2020/21 Q4"]


def _moves(
    ruleset: ragrules.Ruleset, rows: list[dict[str, str]]
) -> dict[str, dict[str, ragrules.Movement]]:
    return {
        str(result.period): {move.comparison.name: move for move in result.travel}
        for result in ruleset.iter_rate(rows)
        if isinstance(result, ragrules.Result)
    }


def _rows(**extra: str) -> list[dict[str, str]]:
    return [
        {"indicator": "a", "period": period, "value": str(60 + n), **extra}
        for n, period in enumerate(PERIODS)
    ]


def test_a_changed_target_makes_the_short_term_comparison_not_comparable() -> None:
    moves = _moves(RULESET, _rows())
    q3 = moves["2020/21 Q3"]
    assert q3["short"].reason == (
        "the target changed from 70% in 2020/21 Q2 to 80%: the periods are not comparable"
    )
    assert not q3["short"].comparable
    assert q3["plain"].comparable  # without same-target, as before
    assert q3["long"].reason == (
        "the target changed from 70% in 2019/20 Q3 to 80%: the periods are not comparable"
    )
    assert moves["2020/21 Q4"]["short"].comparable  # 80 both
    assert moves["2020/21 Q2"]["short"].comparable  # 70 both


def test_a_target_from_the_data_is_the_one_its_row_was_rated_against() -> None:
    """Each row's own target column: compared where the two rows' targets are equal."""
    rows = _rows()
    for row, target in zip(rows, ["70", "70", "75", "75", "75.0", "80"], strict=True):
        row["target"] = target
    moves = _moves(RULESET, rows)
    assert moves["2020/21 Q2"]["short"].comparable
    assert moves["2020/21 Q3"]["short"].comparable  # 75 and 75.0: the same number
    assert moves["2020/21 Q1"]["short"].reason.startswith("the target changed from 70% in")
    assert moves["2020/21 Q4"]["short"].reason.startswith("the target changed from 75% in")


def test_every_engine_writes_the_same_bytes(tmp_path: Path) -> None:
    rows = [f"a,E{area},{p},{60 + n + area}%" for n, p in enumerate(PERIODS) for area in range(3)]
    path = tmp_path / "targets.csv"
    path.write_text("indicator,area,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    lines = [json.loads(line) for line in _every_engine(RULESET, path).splitlines()]
    changed = [
        line["area"]
        for line in lines
        if line["period"] == "2020/21 Q3"
        for move in line["travel"]
        if move["comparison"] == "short" and move["reason"].startswith("the target changed")
    ]
    assert changed == ["E0", "E1", "E2"]


def test_the_canonical_form_writes_it_only_when_true() -> None:
    assert "same-target" not in canonical_toml(
        ragrules.loads(HEAD + COMPARISONS.replace(", same-target = true", "") + DATED)
    )
    again = ragrules.loads(canonical_toml(RULESET))
    assert again.fingerprint == RULESET.fingerprint
    assert [c.same_target for c in again.travel.comparisons] == [True, True, False]


@pytest.mark.parametrize(
    ("comparison", "words"),
    [
        ('{ against = "previous-period", same-target = "yes" }', "expected true or false"),
        (
            '{ against = "previous-average", points = 2, same-target = true }',
            "only a previous-period or same-period-last-year comparison has same-target",
        ),
    ],
)
def test_a_bad_same_target_is_refused_where_it_is_written(comparison: str, words: str) -> None:
    text = HEAD + f"[travel.comparisons]\nx = {comparison}\n" + DATED
    assert_refused_at(text, "travel.comparisons.x.same-target", words)


@given(
    then=st.decimals(min_value=0, max_value=100, places=1),
    now=st.decimals(min_value=0, max_value=100, places=1),
)
def test_same_target_compares_exactly_when_the_targets_are_equal(then: object, now: object) -> None:
    rows = _rows()[2:4]
    rows[0]["target"], rows[1]["target"] = str(then), str(now)
    move = _moves(RULESET, rows)["2020/21 Q2"]
    assert move["short"].comparable is (then == now)
    assert move["plain"].comparable


def test_the_key_says_the_comparison_needs_the_same_target() -> None:
    report = RULESET.rate(_rows())
    texts = [entry.text for entry in report.key.entries]
    assert any(
        text.startswith("Compared with the previous quarter where its target was the same;")
        for text in texts
    )
    assert any(text.startswith("Compared with the previous quarter;") for text in texts)


BENCHMARK_TARGET = (
    HEAD
    + '[benchmarks.england]\narea = "E92000001"\n'
    + '[travel.comparisons]\nst = { against = "previous-period", same-target = true }\n'
    + '[exceptions]\nrules = [{ name = "worse twice", travel = { comparison = "st", '
    + 'judgement = "worsening", periods = 2 } }]\n'
    + '[[indicator]]\nid = "bench"\ntarget = { benchmark = "england" }\n'
    + "tolerance = { absolute = 5 }\n"
)


def _benchmark_rows() -> list[dict[str, str]]:
    return [
        {"indicator": "bench", "area": area, "period": f"2020/21 Q{q}", "value": value}
        for q, e1 in ((1, "70"), (2, "65"), (3, "61"))
        for area, value in (("E92000001", "60"), ("E1", e1))
    ]


def test_a_benchmark_target_is_the_benchmarks_value_then_in_every_period() -> None:
    """England stays 60: E1's falls are compared, and a rule over two periods sees both."""
    report = ragrules.loads(BENCHMARK_TARGET).rate(_benchmark_rows())
    e1 = report.result("bench", area="E1")
    (move,) = e1.travel
    assert (move.judgement, move.earlier_judgements) == (
        ragrules.Judgement.WORSENING,
        (ragrules.Judgement.WORSENING,),
    )
    assert [s.result.area for s in report.exceptions] == ["E1"]


def test_the_benchmarks_own_row_has_no_target_in_either_period() -> None:
    report = ragrules.loads(BENCHMARK_TARGET).rate(_benchmark_rows())
    (move,) = report.result("bench", area="E92000001").travel
    assert move.comparable and move.direction is ragrules.Direction.UNCHANGED


def test_the_key_for_years_and_merged_bands_reads_as_one_sentence() -> None:
    """An annual report compares with the year before; a status two bands give reads on in
    lower case after "; or"."""
    ruleset = ragrules.loads(
        HEAD
        + '[travel.comparisons]\nlong = { against = "same-period-last-year" }\n'
        + "[scales.t]\nbands = [\n"
        + '  { status = "green", from = "target" },\n'
        + '  { status = "amber", from = "tolerance" },\n'
        + '  { status = "amber", travel = { comparison = "long", judgement = ["improving"] } },\n'
        + '  { status = "red" },\n]\n'
        + DATED.replace('unit = "percent"', 'unit = "percent"\nscale = "t"')
    )
    report = ruleset.rate([{"indicator": "a", "period": "2020/21", "value": "60"}])
    texts = {entry.label: entry.text for entry in report.key.entries}
    assert texts["long arrow"].startswith("Compared with the year before;")
    assert texts["Amber"].endswith("; or any value, if improving on the long comparison.")
