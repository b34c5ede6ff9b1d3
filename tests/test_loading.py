"""Loading rulesets: every problem reported at once, with where it is and what to do."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import ragrules
from ragrules import Basis, Polarity, RulesetError, Severity

HEADER = '[ruleset]\nformat = 1\nid = "t"\n'


def _problems(text: str) -> list[ragrules.Problem]:
    with pytest.raises(RulesetError) as caught:
        ragrules.loads(text, source="r.toml")
    return list(caught.value.problems)


def test_typo_wrong_type_and_bad_unit_are_all_reported_with_lines() -> None:
    """A typo'd key, a string where a number belongs and a bad unit: three located errors."""
    text = (
        HEADER
        + """
[[indicator]]
id = "a"
unit = "percent"
target = "72%"
tolerence = { relative = "5%" }

[[indicator]]
id = "b"
unit = "weeks"
target = "soon"
tolerance = { absolute = "2 weeks" }

[[indicator]]
id = "c"
unit = "weeeks"
"""
    )
    problems = _problems(text)
    assert [(p.line, p.key) for p in problems] == [
        (9, "indicator[0].tolerence"),
        (14, "indicator[1].target"),
        (19, "indicator[2].unit"),
    ]
    assert problems[0].hint == "did you mean 'tolerance'?"
    assert "'soon' is not a number" in problems[1].message
    assert "did you mean 'weeks'?" in str(problems[2])
    assert str(problems[0]).startswith("r.toml:9:1: indicator[0].tolerence: unknown key")


def test_toml_syntax_error_has_line_and_column() -> None:
    """Broken TOML is reported with tomli's line and column."""
    (problem,) = _problems(HEADER + "title = \n")
    assert (problem.line, problem.column) == (4, 9)
    assert problem.message.startswith("not valid TOML")


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        (
            '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { relative = "-5%" }\n',
            "indicator[0].tolerance.relative",
            "cannot be negative",
        ),
        (
            '[[indicator]]\nid = "a"\npolarity = "neutral"\ntolerance = { relative = "5%" }\n',
            "indicator[0].tolerance",
            "neutral indicator cannot have a tolerance",
        ),
        (
            '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { relative = "5" }\n',
            "indicator[0].tolerance.relative",
            "not a percentage",
        ),
        (
            '[[indicator]]\nid = "a"\ntarget = 1\n'
            'tolerance = { relative = "5%", absolute = "1" }\n',
            "indicator[0].tolerance",
            "exactly one of",
        ),
        (
            '[[indicator]]\nid = "a"\npolarity = "higher"\n',
            "indicator[0].polarity",
            "not a valid polarity",
        ),
        (
            '[[indicator]]\nid = "a"\ntarget = 1\nscale = "rgb"\n',
            "indicator[0].scale",
            "unknown scale",
        ),
        ('[[indicator]]\nid = "a"\ntarget = 1\n', "indicator[0]", "needs a tolerance"),
        (
            '[[indicator]]\nid = "a"\ntarget = { lower = 1, upper = 2 }\n'
            "tolerance = { absolute = 1 }\n",
            "indicator[0].target",
            "needs polarity",
        ),
        (
            '[[indicator]]\nid = "a"\nrounding = { places = -1 }\ntarget = 1\n'
            "tolerance = { absolute = 1 }\n",
            "indicator[0].rounding.places",
            "whole number",
        ),
        ("", "indicator", "defines no indicators"),
    ],
)
def test_each_mistake_is_caught(body: str, key: str, words: str) -> None:
    """Each kind of mistake gives an error at its key path."""
    problems = _problems(HEADER + body)
    assert any(p.key == key and words in p.message for p in problems), problems


def test_one_mistake_gives_one_error() -> None:
    """A rounding that is not a table, or a bad default inherited twice, is reported once."""
    body = (
        '[defaults]\nunit = "percent"\ntolerance = { absolute = "2 weeks" }\n'
        '[[indicator]]\nid = "a"\ntarget = 1\nrounding = 1\n[[indicator]]\nid = "b"\ntarget = 2\n'
    )
    problems = _problems(HEADER + body)
    assert [p.key for p in problems] == ["defaults.tolerance.absolute", "indicator[0].rounding"]


def test_polarity_typo_suggests_the_full_name() -> None:
    """`higher` is not a polarity, but the hint names `higher-is-better`."""
    (problem,) = _problems(HEADER + '[[indicator]]\nid = "a"\npolarity = "higher"\n')
    assert problem.hint == "did you mean 'higher-is-better'?"


def test_duplicate_ids_name_the_first_definition() -> None:
    """A second indicator with the same id is an error pointing at the first."""
    body = '[defaults]\npolarity = "neutral"\n[[indicator]]\nid = "a"\n[[indicator]]\nid = "a"\n'
    (problem,) = _problems(HEADER + body)
    assert problem.key == "indicator[1].id"
    assert problem.hint == "first defined at line 6"


def test_missing_format_and_id() -> None:
    """The format version and the id are required."""
    problems = _problems('[ruleset]\n[[indicator]]\nid = "a"\npolarity = "neutral"\n')
    assert {p.key for p in problems} == {"ruleset.format", "ruleset.id"}


def test_unsupported_format_version() -> None:
    """A future format version is refused with the supported one named."""
    problems = _problems(
        '[ruleset]\nformat = 2\nid = "x"\n[[indicator]]\nid = "a"\npolarity = "neutral"\n'
    )
    assert problems[0].hint == "this version of ragrules reads format = 1"


def test_zero_target_relative_tolerance_is_a_warning() -> None:
    """A relative tolerance on a zero target loads, with a warning that amber is empty."""
    ruleset = ragrules.loads(
        HEADER + '[[indicator]]\nid = "a"\ntarget = 0\ntolerance = { relative = "5%" }\n'
    )
    (warning,) = ruleset.warnings
    assert warning.severity is Severity.WARNING
    assert warning.key == "indicator[0].tolerance"
    assert warning.message == (
        "band 'amber' is empty for this indicator: a relative tolerance on a zero target is zero"
    )


@pytest.mark.parametrize(
    ("target", "tolerance", "side", "hint"),
    [
        (
            "{ lower = 0, upper = 10 }",
            '{ relative = "10%" }',
            "below",
            '{ below = { absolute = ... }, above = { relative = "10%" } }',
        ),
        (
            "{ lower = -5, upper = 0 }",
            '{ below = { absolute = 1 }, above = { relative = "5%" } }',
            "above",
            '{ below = { absolute = "1" }, above = { absolute = ... } }',
        ),
    ],
)
def test_relative_margin_on_a_zero_range_end_is_a_warning(
    target: str, tolerance: str, side: str, hint: str
) -> None:
    """A relative tolerance of a range's end of 0 leaves amber empty on that side only: a
    warning naming the side, with a two-sided margin that keeps the other side's."""
    ruleset = ragrules.loads(
        HEADER + f'[[indicator]]\nid = "a"\npolarity = "in-range"\ntarget = {target}\n'
        f"tolerance = {tolerance}\n"
    )
    (warning,) = ruleset.warnings
    assert warning.severity is Severity.WARNING
    assert warning.key == "indicator[0].tolerance"
    assert warning.message == (
        f"band 'amber' is empty {side} the range for this indicator: a relative tolerance "
        "of a range's end of zero is zero"
    )
    assert warning.hint == f"give that side an absolute tolerance: tolerance = {hint}"


def test_zero_range_both_ends_warns_once() -> None:
    """A range from 0 to 0 is a zero target: the one warning for it, not one per side."""
    ruleset = ragrules.loads(
        HEADER + '[[indicator]]\nid = "a"\npolarity = "in-range"\n'
        'target = { lower = 0, upper = 0 }\ntolerance = { relative = "5%" }\n'
    )
    (warning,) = ruleset.warnings
    assert "on a zero target is zero" in warning.message


def test_target_and_tolerance_units_are_converted_at_load() -> None:
    """`26 weeks` stays 26 in a weeks indicator; `14 days` of tolerance becomes 2 weeks."""
    ruleset = ragrules.loads(
        HEADER + '[[indicator]]\nid = "a"\nunit = "weeks"\npolarity = "lower-is-better"\n'
        'target = "182 days"\ntolerance = { absolute = "14 days" }\n'
    )
    indicator = ruleset.indicator("a")
    assert indicator.target is not None
    assert indicator.tolerance is not None
    assert indicator.target.in_force(None) == ragrules.Target.point(Decimal(26))
    margin = indicator.tolerance.in_force(None)
    assert margin is not None
    assert (margin.basis, margin.amount) == (Basis.ABSOLUTE, Decimal(2))
    assert indicator.polarity is Polarity.LOWER


def test_incompatible_target_unit() -> None:
    """A count target on a percent indicator names both units."""
    (problem,) = _problems(
        HEADER + '[[indicator]]\nid = "a"\nunit = "%"\ntarget = "5 children"\n'
        "tolerance = { absolute = 1 }\n"
    )
    assert "'5 children' cannot be expressed in the indicator's unit '%'" in problem.message
    assert "'count' cannot be converted to 'percent'" in (problem.hint or "")


def test_custom_scale_with_unreachable_band_is_an_error() -> None:
    """A band that starts better than the band before it can never be assigned."""
    body = (
        '[scales.wrong]\nbands = [{ status = "amber", from = "tolerance" },'
        ' { status = "green", from = "target" }, { status = "red" }]\n'
        '[[indicator]]\nid = "a"\nscale = "wrong"\ntarget = 10\ntolerance = { absolute = 1 }\n'
    )
    (problem,) = _problems(HEADER + body)
    assert "band 'green' of scale 'wrong' can never be assigned" in problem.message


def test_scale_without_catch_all_band_is_an_error() -> None:
    """Values worse than every band would get no status: a gap."""
    body = (
        '[scales.gap]\nbands = [{ status = "green", from = "target" }]\n'
        '[[indicator]]\nid = "a"\nscale = "gap"\ntarget = 10\n'
    )
    problems = _problems(HEADER + body)
    assert any("get no status" in p.message for p in problems)


def test_load_reads_a_path_and_reports_a_missing_file(tmp_path: Path) -> None:
    """`load` takes a path; a missing file is a RulesetError naming it, not a traceback."""
    path = tmp_path / "r.toml"
    path.write_text(HEADER + '[[indicator]]\nid = "a"\npolarity = "neutral"\n', encoding="utf-8")
    assert ragrules.load(path).id == "t"
    assert ragrules.load(str(path)).source == str(path)
    with pytest.raises(RulesetError) as caught:
        ragrules.load(tmp_path / "missing.toml")
    assert caught.value.problems[0].file == str(tmp_path / "missing.toml")


def test_effective_dates_choose_the_target_in_force() -> None:
    """A target for 2020/21 and another from 2021/22 apply to their own periods."""
    ruleset = ragrules.loads(
        HEADER + '[[indicator]]\nid = "a"\ntolerance = { absolute = 1 }\n'
        'target = [{ from = "2020/21", value = 30 }, { from = "2021/22", value = 32 }]\n'
    )
    rows = [
        {"indicator": "a", "period": "2020/21 Q4", "value": "31"},
    ]
    assert ruleset.rate(rows).results[0].status == "green"
    rows = [{"indicator": "a", "period": "2021/22 Q1", "value": "31"}]
    assert ruleset.rate(rows).results[0].status == "amber"
    rows = [{"indicator": "a", "period": "2019/20 Q4", "value": "31"}]
    assert ruleset.rate(rows).results[0].status == "no-target"


def test_rulesets_pickle_errors() -> None:
    """RulesetError survives pickling with its problems (for multiprocessing users)."""
    import pickle

    with pytest.raises(RulesetError) as caught:
        ragrules.loads("[ruleset]\n")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert copy.problems == caught.value.problems


@pytest.mark.parametrize(
    "path", sorted(Path(__file__).parents[1].joinpath("rulesets").rglob("*.toml"))
)
def test_every_shipped_ruleset_pickles_with_its_explanations(path: Path) -> None:
    """`rate --stream --jobs` sends the loaded ruleset to another process: every part of
    it pickles, and the copy says where each setting was written as the original does."""
    import pickle

    ruleset = ragrules.load(path)
    copy = pickle.loads(pickle.dumps(ruleset))
    assert copy == ruleset
    assert [list(i.origins) for i in copy.indicators] == [
        list(i.origins) for i in ruleset.indicators
    ]


def test_text_read_with_its_byte_order_mark_loads_as_the_file_does() -> None:
    text = '[ruleset]\nformat = 1\nid = "t"\n[[indicator]]\nid = "a"\ntarget = 1\n'
    text += "tolerance = { absolute = 1 }\n"
    assert ragrules.loads("\ufeff" + text) == ragrules.loads(text)


@pytest.mark.parametrize("written", ["10-20", "10 to 20", "10%-20%"])
def test_a_range_written_as_one_amount_says_how_to_write_a_range(written: str) -> None:
    """Not "unknown unit '-20'": the amount is two numbers, and a range has its own form."""
    text = (
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\n'
        f'target = "{written}"\ntolerance = {{ absolute = 1 }}\n'
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    (problem,) = caught.value.problems
    assert problem.message == f"{written!r} is not one number"
    assert problem.hint is not None and "{ lower = 10, upper = 20 }" in problem.hint
    # A unit with digits in its name is one amount.
    per = text.replace(f'"{written}"', '"45 per 100,000"').replace(
        'id = "a"\n', 'id = "a"\nunit = "per 100,000"\n'
    )
    assert ragrules.loads(per).indicators[0].id == "a"


def test_each_setting_is_traced_to_the_line_that_wrote_it(tmp_path: Path) -> None:
    """An indicator's own key wins over `[defaults]`, and each is named by its own line."""
    path = tmp_path / "origins.toml"
    path.write_text(
        '[ruleset]\nformat = 1\nid = "o"\n\n'
        '[defaults]\ntolerance = { relative = "5%" }\nunit = "%"\n\n'
        '[[indicator]]\nid = "a"\ntarget = 10\n\n'
        '[[indicator]]\nid = "b"\ntarget = 20\ntolerance = { absolute = 1 }\n',
        encoding="utf-8",
    )
    first, second = ragrules.load(path).indicators
    assert list(first.origins) == [
        ("target", f"{path}:11"),
        ("tolerance", f"{path}:6"),
        ("unit", f"{path}:7"),
    ]
    assert list(second.origins) == [
        ("target", f"{path}:15"),
        ("tolerance", f"{path}:16"),
        ("unit", f"{path}:7"),
    ]


@pytest.mark.parametrize(
    ("key", "base"), [("tolerance", "of the target"), ("unchanged-within", "of the earlier value")]
)
def test_a_margin_with_both_bases_says_what_a_relative_one_is_a_share_of(
    key: str, base: str
) -> None:
    settings = {"tolerance": "{ absolute = 1 }", key: '{ relative = "1%", absolute = 1 }'}
    body = "".join(f"{name} = {value}\n" for name, value in settings.items())
    with pytest.raises(RulesetError) as caught:
        ragrules.loads(
            f'[ruleset]\nformat = 1\nid = "m"\n[[indicator]]\nid = "a"\ntarget = 5\n{body}'
        )
    (problem,) = caught.value.problems
    assert problem.key == f"indicator[0].{key}"
    assert f'relative = "5%" is 5% {base};' in (problem.hint or "")
