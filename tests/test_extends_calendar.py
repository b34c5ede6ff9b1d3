"""A ruleset reads its bases' periods and profiles in its own calendar, so a base written in
another, whose periods or profiles would move (an academic `2021/22` starts in September, a
financial one in April), is refused; a base the calendar means nothing to is not."""

from __future__ import annotations

from pathlib import Path

import pytest

import ragrules

HEAD = '[ruleset]\nformat = 1\nid = "{id}"\n{more}'
INDICATOR = '[[indicator]]\nid = "i"\ntolerance = {{ relative = "5%" }}\ntarget = {target}\n'
DATED = '[{ value = 90 }, { from = "2021/22", value = 92 }]'


def _pair(tmp_path: Path, base_calendar: str, child_calendar: str, target: str) -> Path:
    (tmp_path / "base.toml").write_text(
        HEAD.format(id="base", more=base_calendar) + INDICATOR.format(target=target),
        encoding="utf-8",
    )
    child = tmp_path / "council.toml"
    child.write_text(
        HEAD.format(id="council", more=f'extends = "base.toml"\n{child_calendar}'),
        encoding="utf-8",
    )
    return child


def test_a_base_whose_periods_would_move_is_refused(tmp_path: Path) -> None:
    child = _pair(tmp_path, 'calendar = "academic"\n', 'calendar = "financial"\n', DATED)
    with pytest.raises(ragrules.RulesetError) as raised:
        ragrules.load(child)
    (problem,) = raised.value.problems
    assert (problem.key, problem.line) == ("ruleset.calendar", 5)
    assert problem.message.endswith(
        "base.toml is written in the academic calendar and this ruleset reads it in the "
        "financial one: its periods and profiles would move (a split year such as 2021/22 "
        "starts in another month)"
    )
    assert problem.hint is not None and 'calendar = "academic"' in problem.hint


def test_a_base_with_no_calendar_but_periods_is_refused_under_another(tmp_path: Path) -> None:
    child = _pair(tmp_path, "", 'calendar = "academic"\n', DATED)
    with pytest.raises(ragrules.RulesetError, match="written in the financial calendar"):
        ragrules.load(child)


def test_a_base_the_calendar_means_nothing_to_is_extended_in_any(tmp_path: Path) -> None:
    child = ragrules.load(_pair(tmp_path, "", 'calendar = "academic"\n', "90"))
    assert child.calendar.value == "academic"
    assert (
        child.indicator("i").target == ragrules.load(tmp_path / "base.toml").indicator("i").target
    )


def test_a_base_in_the_ruleset_s_calendar_or_inheriting_it_is_extended(tmp_path: Path) -> None:
    same = ragrules.load(
        _pair(tmp_path, 'calendar = "academic"\n', 'calendar = "academic"\n', DATED)
    )
    inherited = ragrules.load(_pair(tmp_path, 'calendar = "academic"\n', "", DATED))
    assert same.calendar.value == inherited.calendar.value == "academic"
