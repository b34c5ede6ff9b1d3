"""`ragrules diff` names each series it compares and counts a row one ruleset rates and the
other rejects; `ragrules explain` says what the report has when asked for what it has not."""

from __future__ import annotations

from pathlib import Path

import pytest

import ragrules
from ragrules.cli import main
from ragrules.tools import rating_differences
from tests.conftest import EXAMPLES

RULES_A = """
[ruleset]
format = 1
id = "da"

[data]
breakdowns = ["sex"]

[[indicator]]
id = "a"
unit = "number"
target = 50
tolerance = { absolute = 5 }

[[indicator]]
id = "onlyA"
unit = "number"
target = 10
tolerance = { absolute = 1 }
"""

RULES_B = """
[ruleset]
format = 1
id = "db"

[data]
breakdowns = ["sex"]

[[indicator]]
id = "a"
unit = "number"
target = 60
tolerance = { absolute = 5 }

[[indicator]]
id = "onlyB"
unit = "number"
target = 10
tolerance = { absolute = 1 }
"""

DATA = """indicator,area,area name,sex,period,value
a,E1,Hartlepool,Male,2024,55
a,E1,Hartlepool,Female,2024,70
a,E2,Middlesbrough,Male,2024,55
onlyA,E1,Hartlepool,Male,2024,5
onlyB,E1,Hartlepool,Male,2024,12
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str, str]:
    a, b, data = tmp_path / "a.toml", tmp_path / "b.toml", tmp_path / "data.csv"
    a.write_text(RULES_A, encoding="utf-8")
    b.write_text(RULES_B, encoding="utf-8")
    data.write_text(DATA, encoding="utf-8")
    return str(a), str(b), str(data)


# 5: every entry names its series.


def test_diff_names_the_area_and_breakdown_of_each_series(
    files: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", *files]) == 1
    out = capsys.readouterr().out
    assert "  a (Hartlepool E1; Male): green (A) vs amber (B)\n" in out
    assert "  a (Middlesbrough E2; Male): green (A) vs amber (B)\n" in out
    assert "  a (Hartlepool E1; Female)" not in out  # green in both


def _rows(tmp_path: Path, text: str) -> list[object]:
    data = tmp_path / "rows.csv"
    data.write_text(text, encoding="utf-8")
    return ragrules.read_observations(data)


def test_a_rating_difference_names_its_series(tmp_path: Path) -> None:
    rows = _rows(tmp_path, "indicator,area,sex,period,value\na,E1,Male,2024,55\n")
    (difference,) = [
        d
        for d in rating_differences(
            ragrules.loads(RULES_A).rate(rows), ragrules.loads(RULES_B).rate(rows)
        )
        if d.a is not None and d.a.indicator.id == "a"
    ]
    assert str(difference) == "a (E1; Male): green (A) vs amber (B)"


def test_diff_without_areas_prints_the_id_alone(capsys: pytest.CaptureFixture[str]) -> None:
    havering = str(EXAMPLES / "havering-2020-21-q2.toml")
    neighbour = str(EXAMPLES / "neighbour-points-2020-21.toml")
    assert main(["diff", havering, neighbour, str(EXAMPLES / "havering-2020-21-q2.csv")]) == 1
    assert "  early-help-conversion: red (A) vs amber (B)\n" in capsys.readouterr().out


# 6: a series rated by one ruleset and rejected (or absent) in the other is a difference.


def test_diff_lists_series_only_one_ruleset_rates(
    files: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", *files]) == 1
    captured = capsys.readouterr()
    out, err = captured.out, captured.err
    assert (
        "  onlyA (Hartlepool E1; Male): red (A) vs rejected, row 5: unknown indicator 'onlyA': "
        "the ruleset does not define it (did you mean 'onlyB'?) (B)\n" in out
    )
    assert (
        "  onlyB (Hartlepool E1; Male): rejected, row 6: unknown indicator 'onlyB': the "
        "ruleset does not define it (did you mean 'onlyA'?) (A) vs green (B)\n" in out
    )
    assert "      Not rated: rejected, row 5: unknown indicator 'onlyA'" in out
    assert "row 5: warning: ruleset B: unknown indicator 'onlyA'" in err
    assert "row 6: warning: ruleset A: unknown indicator 'onlyB'" in err


def test_diff_is_not_the_same_when_one_ruleset_rejects_every_row(
    capsys: pytest.CaptureFixture[str],
) -> None:
    dated = EXAMPLES / "dated"
    args = [
        "diff",
        str(dated / "reporting-changes.toml"),
        str(dated / "kent-in-year-changes.toml"),
        str(dated / "kent-in-year-changes-2024-25.csv"),
    ]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert "Ratings: the same." not in captured.out
    assert "for 2024/25 Q3" in captured.out
    assert "  care-leavers-in-education: rejected, row 3: unknown indicator" in captured.out
    assert "  library-visits: rejected, row 5: unknown indicator" in captured.out
    assert "warning: ruleset A: every row was rejected" in captured.err
    assert "ruleset B" not in captured.err


def test_a_series_absent_from_one_report_is_a_difference(tmp_path: Path) -> None:
    rows = _rows(tmp_path, "indicator,period,value\nonlyB,2024,12\n")
    only_b = ragrules.loads(RULES_B.replace('\nid = "a"', '\nid = "c"'))
    differences = rating_differences(ragrules.loads(RULES_A).rate(rows), only_b.rate(rows))
    assert [str(d) for d in differences] == [
        "a: no-data (A) vs not defined (B)",
        "onlyA: no-data (A) vs not defined (B)",
        "c: not defined (A) vs no-data (B)",
        "onlyB: rejected, row 2: unknown indicator 'onlyB': the ruleset does not define it "
        "(did you mean 'onlyA'?) (A) vs green (B)",
    ]


# 12a: explain says what is there.


@pytest.fixture
def ages(tmp_path: Path) -> tuple[str, str]:
    rules, data = tmp_path / "rules.toml", tmp_path / "data.csv"
    rules.write_text(RULES_A.replace('["sex"]', '["sex", "age"]'), encoding="utf-8")
    data.write_text(
        "indicator,area,sex,age,period,value\n"
        "a,E1,Persons,All ages,2024,55\n"
        "a,E1,Persons,18-64 yrs,2024,45\n"
        "a,E2,Persons,All ages,2024,60\n",
        encoding="utf-8",
    )
    return str(rules), str(data)


def _explain_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["explain", *args]) == 2
    return capsys.readouterr().err.strip()


def test_explain_suggests_an_indicator(
    ages: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _explain_error([*ages, "--indicator", "zz"], capsys) == (
        "ragrules explain: --indicator: the report has no indicator 'zz' (it has a, onlyA)"
    )
    assert _explain_error([*ages, "--indicator", "A", "--area", "E2"], capsys) == (
        "ragrules explain: --indicator: the report has no indicator 'A' in area 'E2' "
        "(did you mean 'a'? it has a, onlyA)"
    )
    assert _explain_error([*ages, "--indicator", "aa"], capsys) == (
        "ragrules explain: --indicator: the report has no indicator 'aa' "
        "(did you mean 'a'? it has a, onlyA)"
    )


def test_explain_says_which_areas_there_are(
    ages: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _explain_error([*ages, "--indicator", "a", "--area", "e2"], capsys) == (
        "ragrules explain: --area: the report has no indicator 'a' in area 'e2' "
        "(did you mean 'E2'? indicator 'a' has E1, E2)"
    )


def test_explain_says_which_breakdown_columns_and_values_there_are(
    ages: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    base = [*ages, "--indicator", "a", "--area", "E1"]
    assert _explain_error([*base, "--breakdown", "agee=All ages"], capsys) == (
        "ragrules explain: --breakdown: the report has no indicator 'a' in area 'E1' for "
        "agee='All ages' (no breakdown column 'agee': did you mean 'age'? the breakdown "
        "columns are sex, age)"
    )
    assert _explain_error([*base, "--breakdown", "AGE=all ages"], capsys) == (
        "ragrules explain: --breakdown: the report has no indicator 'a' in area 'E1' for "
        "age='all ages' (did you mean 'All ages'? age holds 18-64 yrs, All ages)"
    )
    assert main(["explain", *base, "--breakdown", "AGE=All ages"]) == 0


def test_explain_says_when_the_data_has_no_breakdowns_or_areas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules, data = tmp_path / "rules.toml", tmp_path / "data.csv"
    rules.write_text(RULES_B.replace('breakdowns = ["sex"]', ""), encoding="utf-8")
    data.write_text("indicator,period,value\na,2024,55\n", encoding="utf-8")
    explain = [str(rules), str(data), "--indicator", "a"]
    assert _explain_error([*explain, "--breakdown", "age=All ages"], capsys) == (
        "ragrules explain: --breakdown: the report has no indicator 'a' for age='All ages' "
        "(indicator 'a' has no breakdown columns: leave --breakdown out)"
    )
    assert _explain_error([*explain, "--area", "E1"], capsys) == (
        "ragrules explain: --area: the report has no indicator 'a' in area 'E1' "
        "(the data has no area column)"
    )


_DIFF_BASE = (
    '[ruleset]\nformat = 1\nid = "d"\n'
    '[benchmarks.england]\narea = "E92000001"\n'
    '[groups.nb]\nareas = ["E1", "E2"]\n'
    '[travel.comparisons]\nst = { against = "previous-period" }\n'
    '[[indicator]]\nid = "a"\ntarget = 50\ntolerance = { relative = "10%" }\n'
)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            ("[[indicator]]", '[[indicator]]\nseries-breaks = ["2021/22 Q1"]'),
            "a: series-breaks: none (A) vs 2021/22 Q1 (B)",
        ),
        (
            ('area = "E92000001"', 'area = "E12000001"'),
            "benchmarks england.area: E92000001 (A) vs E12000001 (B)",
        ),
        (('["E1", "E2"]', '["E1", "E3"]'), "groups nb.areas: [E1, E2] (A) vs [E1, E3] (B)"),
        (
            ('"previous-period" }', '"previous-period", same-target = true }'),
            "travel comparisons.st.same-target: not set (A) vs true (B)",
        ),
        (('id = "d"', 'id = "d"\ncalendar = "academic"'), "calendar: financial (A) vs academic"),
    ],
)
def test_diff_names_every_rule_that_changes_a_rating_or_an_arrow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], words: str
) -> None:
    """A benchmark, a group, a series break, a comparison's same-target or the calendar: each
    changes arrows or statuses, so `diff` lists it, never "Rules: the same."."""
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(_DIFF_BASE, encoding="utf-8")
    b.write_text(_DIFF_BASE.replace(*change), encoding="utf-8")
    main(["diff", str(a), str(b)])
    out = capsys.readouterr().out
    assert "Rules: the same." not in out
    assert words in out


def test_diff_says_comparisons_listed_in_another_order_and_not_that_ratings_differ(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The order of the comparisons is the order of a result's travel, so `diff` names it;
    the same movements in that other order are no rating difference."""
    short, long = (
        'st = { against = "previous-period" }\n',
        'lt = { against = "same-period-last-year" }\n',
    )
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(_DIFF_BASE.replace(short, short + long), encoding="utf-8")
    b.write_text(_DIFF_BASE.replace(short, long + short), encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text(
        "indicator,period,value\na,2019/20 Q2,60\na,2020/21 Q1,40\na,2020/21 Q2,50\n",
        encoding="utf-8",
    )
    main(["diff", str(a), str(b), str(data)])
    out = capsys.readouterr().out
    assert "travel comparisons: order: st, lt (A) vs lt, st (B)" in out
    assert "Ratings: the same." in out
    assert not rating_differences(
        ragrules.load(a).rate(ragrules.read_observations(data)),
        ragrules.load(b).rate(ragrules.read_observations(data)),
    )


def test_diff_names_a_summary_setting_against_its_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(_DIFF_BASE + '[summary]\npercentages = ["rated"]\n', encoding="utf-8")
    b.write_text(_DIFF_BASE + '[summary]\npercentages = ["rated", "all"]\n', encoding="utf-8")
    main(["diff", str(a), str(b)])
    assert "summary percentages: not set (A) vs [rated, all] (B)" in capsys.readouterr().out
