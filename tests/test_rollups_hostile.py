"""Roll-ups where the members' scales are dated or unranked, `diff` of roll-up results, and the
matrix against the report (fuzzing report /tmp/fz8, findings 1, 6 and 7).

- A member rated `rag`, then `brag` from a later period, ranks blue best, not worst: the order
  of a roll-up's statuses is best to worst across every version of every member's scale.
  Statuses with no one order (a neutral indicator's `higher`/`lower` on a significance scale,
  scales that rank two statuses both ways, or share none) are refused at load for `worst` and
  `majority`.
- `ragrules diff` lists roll-ups whose status differs, and names the roll-up and key whose
  rule differs.
- `--matrix` shows the reported status (an override's where one applies), as `--area` does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.cli import main
from ragrules.engine.rollups import rate_rollup
from ragrules.model.words import merged
from ragrules.reports.matrix import matrix, matrix_csv
from ragrules.tools.compare import rollup_differences, rule_differences

HEAD = """[ruleset]
format = 1
id = "hostile"

[defaults]
tolerance = { relative = "10%" }
stretch = { relative = "10%" }
"""

DATED = 'scale = [{ value = "rag" }, { from = "2024/25 Q3", value = "brag" }]\n'


def _indicator(name: str, extra: str = "") -> str:
    return f'[[indicator]]\nid = "{name}"\ntarget = 100\n{extra}\n'


def _rollup(name: str, members: list[str], rule: str, extra: str = "") -> str:
    listed = ", ".join(f'"{m}"' for m in members)
    return f'[[rollup]]\nid = "{name}"\nmembers = [{listed}]\nrule = "{rule}"\n{extra}\n'


R1 = (
    HEAD
    + _indicator("a", DATED)
    + _indicator("b", DATED)
    + _rollup("w", ["a", "b"], "worst")
    + _rollup("m", ["a", "b"], "majority")
)


def _observation(indicator: str, value: object, area: str = "", **extra: str) -> object:
    return ragrules.Observation(
        indicator=indicator, area=area, period="2024/25 Q3", value=value, extra=tuple(extra.items())
    )


# 1. The order of a roll-up's statuses: best to worst across every version of the scale.


def test_a_dated_rag_then_brag_member_ranks_blue_best() -> None:
    ruleset = ragrules.loads(R1)
    assert ruleset.rollup("w").statuses == ("blue", "green", "amber", "red")  # type: ignore[union-attr]
    report = ruleset.rate([_observation("a", 120), _observation("b", 100)])
    assert [r.status for r in report.results] == ["blue", "green"]
    found = {r.rollup.id: r.reason for r in report.rollups}
    assert found == {
        "w": "green: b is the worst of 2 rated members",
        "m": "green: held by 1 of 2 rated members (tied with blue: the worse is taken)",
    }


def test_the_testing_kit_ranks_a_dated_member_as_the_loader_does() -> None:
    """`ragrules.testing.member_statuses` (what `verify` checks roll-ups with) has every
    version's statuses, best first: a rag-then-brag member can be blue."""
    from ragrules.testing import member_statuses

    ruleset = ragrules.loads(R1)
    rollup = ruleset.rollup("w")
    assert rollup is not None
    assert member_statuses(ruleset, rollup) == [("blue", "green", "amber", "red")] * 2


def test_a_dated_member_and_a_brag_member_are_rated_in_the_same_statuses() -> None:
    text = HEAD + _indicator("a", DATED) + _indicator("b", 'scale = "brag"')
    ruleset = ragrules.loads(text + _rollup("w", ["a", "b"], "worst"))
    report = ruleset.rate([_observation("a", 120), _observation("b", 95)])
    assert report.rollup("w").status == "amber"


SIGNIFICANCE = """[ruleset]
format = 1
id = "sig"
scale = "sig"

[benchmarks.england]
area = "E92000001"

[scales.sig]
significance = { benchmark = "england", lower = "lo", upper = "hi" }

[[indicator]]
id = "a"
polarity = "neutral"

[[indicator]]
id = "b"
polarity = "lower-is-better"
"""


@pytest.mark.parametrize("rule", ["worst", "majority"])
def test_a_neutral_significance_member_has_no_worst(rule: str) -> None:
    with pytest.raises(ragrules.RulesetError, match=r"a's do not: a neutral indicator on"):
        ragrules.loads(SIGNIFICANCE + _rollup("r", ["a", "b"], rule))
    with pytest.raises(ragrules.RulesetError, match="higher, similar, lower"):
        ragrules.loads(SIGNIFICANCE + _rollup("r", ["a"], rule))


def test_a_neutral_significance_member_may_be_scored_or_counted() -> None:
    points = (
        "points = { better = 3, similar = 2, worse = 1, higher = 2, lower = 2 }\n"
        'bands = [{ status = "good", at-least = 2 }, { status = "poor" }]'
    )
    ruleset = ragrules.loads(SIGNIFICANCE + _rollup("s", ["a", "b"], "score", points))
    assert ruleset.rollup("s") is not None


def test_the_judged_members_of_a_significance_scale_rank_as_the_scale_does() -> None:
    ruleset = ragrules.loads(SIGNIFICANCE + _rollup("w", ["b"], "worst"))
    assert ruleset.rollup("w").statuses == ("better", "similar", "worse")  # type: ignore[union-attr]


def test_scales_that_rank_two_statuses_both_ways_are_refused() -> None:
    text = (
        HEAD + '[scales.upside]\nbands = [{ status = "amber", from = "target" }, '
        '{ status = "green", from = "tolerance" }, { status = "red" }]\n'
        + _indicator("a", 'scale = [{ value = "rag" }, { from = "2024/25 Q3", value = "upside" }]')
    )
    with pytest.raises(ragrules.RulesetError, match="rank 'green' and 'amber' both ways round"):
        ragrules.loads(text + _rollup("w", ["a"], "worst"))
    assert ragrules.loads(text + _rollup("s", ["a"], "share", _SHARE)).rollup("s") is not None


_SHARE = (
    'counting = ["green"]\nbands = [{ status = "green", at-least = "50%" }, { status = "red" }]'
)


def test_scales_that_share_no_status_are_refused() -> None:
    text = (
        HEAD
        + '[scales.met]\nbands = [{ status = "met", from = "target" }, { status = "missed" }]\n'
        + _indicator("a", 'scale = [{ value = "rag" }, { from = "2024/25 Q3", value = "met" }]')
    )
    with pytest.raises(ragrules.RulesetError, match="ranks 'red' against 'met'"):
        ragrules.loads(text + _rollup("w", ["a"], "majority"))


def test_check_refuses_an_unranked_member(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "r4.toml"
    rules.write_text(SIGNIFICANCE + _rollup("w", ["a", "b"], "worst"), encoding="utf-8")
    assert main(["check", str(rules)]) != 0
    assert "worst needs members whose statuses go from best to worst" in capsys.readouterr().err


_STATUSES = ("blue", "green", "amber", "red")


@given(
    scales=st.lists(st.sampled_from(["rag", "brag", "dated"]), min_size=1, max_size=4),
    data=st.data(),
)
def test_worst_is_never_better_than_a_member_in_the_merged_order(
    scales: list[str], data: st.DataObject
) -> None:
    """Members rated `rag`, `brag`, or `rag` then `brag`: every member that can be blue has the
    same statuses; `worst` is never better than any member, and `majority` breaks a tie to
    the worse, in the order that merges every version of every member's scale."""
    has_blue = [s != "rag" for s in scales]
    if any(has_blue) and not all(has_blue):
        return  # rag and brag members have different statuses: refused (tested elsewhere)
    written = {"rag": "", "brag": 'scale = "brag"', "dated": DATED}
    names = [f"i{n}" for n in range(len(scales))]
    text = HEAD + "".join(_indicator(n, written[s]) for n, s in zip(names, scales, strict=True))
    ruleset = ragrules.loads(text + _rollup("w", names, "worst") + _rollup("m", names, "majority"))
    rankings = [("green", "amber", "red") if s == "rag" else _STATUSES for s in scales]
    rankings += [("blue", "green", "amber", "red") for s in scales if s == "dated"]
    order = merged(rankings)
    options = [list(r) for r in rankings[: len(scales)]]
    statuses = [data.draw(st.sampled_from(o)) for o in options]
    members = [(n, s, True) for n, s in zip(names, statuses, strict=True)]
    worst = rate_rollup(ruleset.rollup("w"), members).status  # type: ignore[arg-type]
    assert all(order.index(worst) >= order.index(s) for s in statuses)
    assert worst in statuses
    majority = rate_rollup(ruleset.rollup("m"), members).status  # type: ignore[arg-type]
    most = max(statuses.count(s) for s in statuses)
    tied = {s for s in statuses if statuses.count(s) == most}
    assert majority == max(tied, key=order.index)


# 2. diff compares roll-up results, and names the roll-up and key whose rule differs.

R3 = (
    HEAD.replace('stretch = { relative = "10%" }\n', "")
    + _indicator("a", "overrides = true")
    + _indicator("b")
    + _indicator("c", 'polarity = "lower-is-better"')
    + _rollup("w", ["a", "b", "c"], "worst")
    + _rollup(
        "sc",
        ["w", "c"],
        "score",
        "points = { green = 3, amber = 2, red = 1 }\n"
        'bands = [{ status = "green", at-least = 2 }, { status = "red" }]',
    )
)
D3 = """area,indicator,period,value,override,override_reason
E1,a,2024/25 Q1,95,Green,officer judgement
E1,b,2024/25 Q1,100,,
E1,c,2024/25 Q1,120,,
E2,a,2024/25 Q1,100,,
E2,b,2024/25 Q1,50,,
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str, str]:
    a, b, data = tmp_path / "a.toml", tmp_path / "b.toml", tmp_path / "d.csv"
    a.write_text(R3, encoding="utf-8")
    b.write_text(R3.replace('rule = "worst"', 'rule = "majority"'), encoding="utf-8")
    data.write_text(D3, encoding="utf-8")
    return str(a), str(b), str(data)


def test_diff_lists_the_rollups_rated_differently(
    files: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", *files]) == 1
    out = capsys.readouterr().out
    assert "Ratings: the same." not in out
    assert "  w (E1): red (A) vs green (B)\n" in out
    assert "  sc (E1): red (A) vs green (B)\n" in out
    assert "      So green: held by 2 of 3 rated members.\n" in out
    assert "w (E2)" not in out  # red by both rules


def test_diff_names_the_rollup_and_key_whose_rule_differs(files: tuple[str, str, str]) -> None:
    a, b = ragrules.load(files[0]), ragrules.load(files[1])
    (found,) = rule_differences(a, b)
    assert (found.setting, found.entry) == ("rollup", "w: rule")
    assert str(found) == "rollup w: rule: worst (A) vs majority (B)"
    fewer = ragrules.loads(R3.split('[[rollup]]\nid = "sc"')[0])
    assert [str(d) for d in rule_differences(a, fewer)] == ["rollup sc: defined: yes (A) vs no (B)"]


@given(
    rule_a=st.sampled_from(["worst", "majority"]),
    rule_b=st.sampled_from(["worst", "majority"]),
    values=st.lists(st.sampled_from([80, 95, 100, 120]), min_size=3, max_size=3),
)
def test_a_rollup_difference_is_listed_exactly_where_statuses_differ(
    rule_a: str, rule_b: str, values: list[int]
) -> None:
    rows = [_observation(n, v, "E1") for n, v in zip("abc", values, strict=True)]
    report_a = ragrules.loads(R3.replace('rule = "worst"', f'rule = "{rule_a}"')).rate(rows)
    report_b = ragrules.loads(R3.replace('rule = "worst"', f'rule = "{rule_b}"')).rate(rows)
    expected = {
        r.rollup.id
        for r, o in zip(report_a.rollups, report_b.rollups, strict=True)
        if r.status != o.status
    }
    assert {d.result.rollup.id for d in rollup_differences(report_a, report_b)} == expected


# 3. The matrix shows the reported status, as --area does.


def test_the_matrix_shows_an_override_as_the_report_does(
    files: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rate", files[0], files[2], "--matrix", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [
        "area,area_name,a,b,c,green,amber,red,no-data",
        "E1,,green,green,red,2,0,1,0",
    ]
    report = ragrules.load(files[0]).rate(ragrules.read_observations(files[2]))
    data = matrix(report).to_dict()
    assert data["areas"][0]["overridden"] == ["a"]
    assert "overridden" not in data["areas"][1]
    assert "E1,,green,green,red" in matrix_csv(report)


_AREAS = ("E1", "E2", "E3")


@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(_AREAS),
            st.sampled_from("abc"),
            st.sampled_from(["80", "95", "100", "120", ""]),
            st.sampled_from(["", "Green", "Red", "amber", "purple"]),
            st.sampled_from(["", "why"]),
        ),
        max_size=9,
        unique_by=lambda cell: cell[:2],
    )
)
def test_every_matrix_cell_is_its_area_reports_status(
    cells: list[tuple[str, str, str, str, str]],
) -> None:
    rows = [
        _observation(i, v, area, override=o, override_reason=why) for area, i, v, o, why in cells
    ]
    report = ragrules.loads(R3).rate(rows)
    grid = matrix(report)
    for index, area in enumerate(grid.areas):
        alone = report.for_area(area)
        shown = {r.indicator.id: r.reported_status for r in alone.results}
        assert dict(zip(grid.columns, grid.statuses[index], strict=True)) == {
            c: shown.get(c, "") for c in grid.columns
        }
        counts = dict(grid.area_counts(index))
        assert {s: n for s, n in alone.summary.counts if n} == {
            s: n for s, n in counts.items() if s in dict(alone.summary.counts)
        }
        assert grid.overrides(index) == [r.indicator.id for r in alone.results if r.overridden]
