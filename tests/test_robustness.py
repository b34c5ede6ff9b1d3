"""Regressions from review: exactness in any decimal context, odd input, period choice."""

from __future__ import annotations

import decimal
from pathlib import Path

import pytest

import ragrules
from ragrules.cli import main
from ragrules.data import parse_csv, parse_json
from ragrules.model.numbers import NumberError, parse_decimal
from ragrules.tools.audit import audit

ONE = (
    '[ruleset]\nformat = 1\nid = "r"\n'
    '[[indicator]]\nid = "b"\ntarget = 10\ntolerance = { relative = "5%" }\n'
)


def test_relative_margins_are_exact_in_any_decimal_context() -> None:
    """A tolerance of 33.33% is exact even when the caller's decimal context has 3 digits."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "i"\ntarget = 100\n'
        'tolerance = { relative = "33.333333333333333333333333333333%" }\n'
    )
    value = "66.666666666666666666666666666667"
    assert ruleset.rate([{"indicator": "i", "value": value}]).results[0].status == "amber"
    with decimal.localcontext(decimal.Context(prec=3)):
        coarse = ragrules.loads(
            ONE.replace('"5%"', '"33.33%"').replace("target = 10", "target = 100")
        )
        assert coarse.rate([{"indicator": "b", "value": "66.67"}]).results[0].status == "amber"


def test_year_to_date_and_quarter_rows_are_one_report() -> None:
    """A Q2 report mixing YTD and quarterly indicators rates both."""
    ruleset = ragrules.loads(
        ONE + '[[indicator]]\nid = "a"\ntarget = 10\ntolerance = { absolute = 1 }\n'
    )
    rows = [
        {"indicator": "a", "period": "2020/21 Q2", "value": "10"},
        {"indicator": "b", "period": "2020/21 Q2 YTD", "value": "10"},
    ]
    for ordered in (rows, rows[::-1]):
        assert [r.status for r in ruleset.rate(ordered).results] == ["green", "green"]


def test_calendar_and_financial_quarters_do_not_depend_on_row_order() -> None:
    """2020 Q3 and 2020/21 Q2 are the same months: both rated, in any order."""
    ruleset = ragrules.loads(
        ONE + '[[indicator]]\nid = "a"\ntarget = 10\ntolerance = { absolute = 1 }\n'
    )
    rows = [
        {"indicator": "a", "period": "2020 Q3", "value": "10"},
        {"indicator": "b", "period": "2020/21 Q2", "value": "1"},
    ]
    first, second = ruleset.rate(rows), ruleset.rate(rows[::-1])
    assert (
        [r.status for r in first.results] == [r.status for r in second.results] == ["red", "green"]
    )
    assert first.period == second.period


@pytest.mark.parametrize("value", ["1e240", "9e239", "1" + "0" * 100])
def test_huge_values_are_invalid_not_a_crash(value: str) -> None:
    """Numbers beyond 10^60 are unreadable values with a reason."""
    result = ragrules.loads(ONE).rate([{"indicator": "b", "value": value}]).results[0]
    assert result.unrated is ragrules.Unrated.INVALID


@pytest.mark.parametrize(
    "text",
    [
        ONE.replace("target = 10", 'target = "1e300"'),
        ONE + "scales = 0\n",
    ],
)
def test_odd_rulesets_are_ruleset_errors(text: str) -> None:
    """A huge target or a scales key that is not a table is a located error."""
    with pytest.raises(ragrules.RulesetError):
        ragrules.loads(text)


def test_a_base_in_another_format_or_with_odd_tables_is_refused(tmp_path: Path) -> None:
    """A base's own [ruleset] is checked, and a non-list indicator key in a base is ignored."""
    (tmp_path / "b.toml").write_text(
        '[ruleset]\nformat = 99\nid = "b"\nbogus = 1\n', encoding="utf-8"
    )
    child = tmp_path / "c.toml"
    child.write_text('[ruleset]\nformat = 1\nid = "c"\nextends = "b.toml"\n', encoding="utf-8")
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(child)
    assert [p.key for p in caught.value.problems] == ["ruleset.format", "ruleset.bogus"]
    (tmp_path / "b.toml").write_text(
        '[ruleset]\nformat = 1\nid = "b"\nindicator = 5\n', encoding="utf-8"
    )
    with pytest.raises(ragrules.RulesetError):
        ragrules.load(child)


def test_error_keys_name_the_path_in_the_file(tmp_path: Path) -> None:
    """After extends, an error's key path is the one in the file that wrote it."""
    (tmp_path / "b.toml").write_text(ONE, encoding="utf-8")
    child = tmp_path / "c.toml"
    child.write_text(
        '[ruleset]\nformat = 1\nid = "c"\nextends = "b.toml"\n'
        '[[indicator]]\nid = "x"\ntarget = "y"\n',
        encoding="utf-8",
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(child)
    (problem,) = caught.value.problems
    assert (problem.key, problem.line) == ("indicator[0].target", 7)


def test_odd_data_is_a_data_error(tmp_path: Path) -> None:
    """Huge cells, deep JSON, a typed-out tab and an int period are DataErrors."""
    with pytest.raises(ragrules.DataError, match="line 2"):
        parse_csv("indicator,value\nb," + "9" * 200_000 + "\n")
    with pytest.raises(ragrules.DataError, match="nested too deeply"):
        parse_json("[" * 100_000)
    (row,) = parse_csv("indicator\tvalue\nb\t5\n", delimiter="\\t")
    assert isinstance(row, ragrules.Observation)
    assert row.value == "5"
    with pytest.raises(ragrules.DataError, match="not one character"):
        parse_csv("indicator\nb\n", delimiter="ab")
    with pytest.raises(ragrules.DataError, match="must be text"):
        ragrules.loads(ONE).rate([], period=2020)  # type: ignore[arg-type]
    path = tmp_path / "d.csv"
    path.write_text("indicator;value\nb;5\n", encoding="utf-8")
    ruleset = tmp_path / "r.toml"
    ruleset.write_text(ONE, encoding="utf-8")
    assert main(["rate", str(ruleset), str(path), "--delimiter", "x;"]) == 2


def test_in_range_judgement_follows_an_unchanged_direction() -> None:
    """A move within a relative unchanged-within is unchanged, also for in-range indicators."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "r"\n[travel]\narrows = "judgement"\n'
        'unchanged-within = { relative = "5%" }\n[travel.comparisons]\n'
        's = { against = "previous-period" }\n[[indicator]]\nid = "c"\npolarity = "in-range"\n'
        "target = { lower = 15, upper = 20 }\ntolerance = { absolute = 5 }\n"
    )
    rows = [
        {"indicator": "c", "period": "2020/21 Q1", "value": "21"},
        {"indicator": "c", "period": "2020/21 Q2", "value": "21.5"},
    ]
    (move,) = ruleset.rate(rows).results[0].travel
    assert (move.direction, move.judgement) == (
        ragrules.Direction.UNCHANGED,
        ragrules.Judgement.UNCHANGED,
    )


def test_audit_checks_observations_without_row_numbers() -> None:
    """Observation objects without a row are audited by their position."""
    row = ragrules.Observation(indicator="b", value="5", extra=(("published_status", "green"),))
    found = audit(ragrules.loads(ONE), [row])
    assert (found.checked, len(found.mismatches)) == (1, 1)


def test_limits() -> None:
    """Oversized rulesets and values are refused with a reason, not processed."""
    with pytest.raises(ragrules.RulesetError, match="over 5,000,000 characters"):
        ragrules.loads(ONE + "#" * 5_000_000 + "\n")
    many = ONE.split("[[indicator]]")[0] + "".join(
        f'[[indicator]]\nid = "i{n}"\npolarity = "neutral"\n' for n in range(20_001)
    )
    with pytest.raises(ragrules.RulesetError, match="more than 20,000 indicators"):
        ragrules.loads(many)
    result = ragrules.loads(ONE).rate([{"indicator": "b", "value": "1" * 2_000}]).results[0]
    assert result.unrated is ragrules.Unrated.INVALID
    assert "over 1,000 characters" in result.reason


@pytest.mark.parametrize(
    "nested", ["[" * 100_000 + "]" * 100_000, "{a=" * 5_000 + "1" + "}" * 5_000]
)
def test_deeply_nested_toml_is_a_ruleset_error(nested: str) -> None:
    """TOML nested beyond tomli's limit is a located error, not a RecursionError."""
    with pytest.raises(ragrules.RulesetError, match="nested more than"):
        ragrules.loads(f'[ruleset]\nformat = 1\nid = "x"\nx = {nested}\n')


def test_a_value_with_an_exponent_beyond_any_decimal_is_invalid_not_a_crash() -> None:
    """Found by atheris through the CSV reader: the row is rated `invalid`, with the reason."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\ntarget = 1\n'
        "tolerance = { absolute = 1 }\n"
    )
    (result,) = ruleset.rate([{"indicator": "a", "value": ".5444E44444444444444444444"}]).results
    assert result.status == "invalid"
    assert "out of range" in result.reason


def test_the_callers_decimal_context_cannot_refuse_a_valid_scale() -> None:
    """Reachability checks negate bounds exactly, whatever precision or traps the caller set."""
    text = (
        '[ruleset]\nformat = 1\nid = "c"\n'
        "[scales.cut]\nbands = [\n"
        '  { status = "green", from = { threshold = "good" } },\n'
        '  { status = "amber", from = { threshold = "fair" } },\n  { status = "red" },\n]\n'
        '[[indicator]]\nid = "a"\npolarity = "lower-is-better"\nscale = "cut"\n'
        'thresholds = { good = "1001", fair = "1002" }\n'
    )
    with decimal.localcontext() as context:
        context.prec = 3
        context.traps[decimal.Inexact] = True
        ruleset = ragrules.loads(text)
    assert ruleset.rate([{"indicator": "a", "value": "1002"}]).results[0].status == "amber"


def test_an_untrapped_invalid_operation_does_not_turn_a_huge_exponent_into_nan() -> None:
    with decimal.localcontext() as context:
        context.traps[decimal.InvalidOperation] = False
        with pytest.raises(NumberError, match="out of range"):
            parse_decimal("1E99999999999999999999")
        ruleset = ragrules.loads(
            '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\ntarget = 1\n'
            "tolerance = { absolute = 1 }\n"
        )
        (result,) = ruleset.rate([{"indicator": "a", "value": "1E99999999999999999999"}]).results
    assert result.status == "invalid"


def test_submodules_are_attributes_of_the_package() -> None:
    assert ragrules.data.parse_csv is not None
    assert ragrules.output.render is not None


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("id = 444E4444444444444444444\n", "expected a string, got the number 444E"),
        (
            'id = "a"\ntarget = 444E4444444444444444444\ntolerance = { absolute = 1 }\n',
            "is out of range",
        ),
    ],
)
def test_a_toml_number_beyond_any_decimal_is_a_located_problem(setting: str, message: str) -> None:
    """Found by atheris: tomli handed the literal to Decimal, which raised InvalidOperation."""
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(f'[ruleset]\nformat = 1\nid = "x"\n[[indicator]]\n{setting}')
    (problem,) = caught.value.problems
    assert problem.line is not None and message in problem.message


def test_breakdowns_with_no_row_placed_rate_every_indicator_as_no_data(tmp_path: Path) -> None:
    """A ruleset with breakdowns and data with no row it places (none, or only unknown
    indicators) still gives each indicator its no-data result, each breakdown blank."""
    text = (
        '[ruleset]\nformat = 1\nid = "b"\n[data]\nbreakdowns = ["sex"]\n'
        '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { absolute = 1 }\n'
    )
    ruleset = ragrules.loads(text)
    (tmp_path / "b.toml").write_text(text, encoding="utf-8")
    (tmp_path / "empty.csv").write_text("indicator,sex,period,value\n", encoding="utf-8")
    assert main(["rate", str(tmp_path / "b.toml"), str(tmp_path / "empty.csv")]) == 0
    for rows in ([], [{"indicator": "zzz", "value": "1"}]):
        report = ruleset.rate(rows)
        assert [(r.status, r.to_dict()["breakdown"]) for r in report.results] == [
            ("no-data", {"sex": ""})
        ]
        assert len(report.rejected) == len(rows)
