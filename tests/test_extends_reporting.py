"""How `extends` and `omit` problems are reported: each where it is written, once, all of a
load's problems together (also by `show`), and paths compared as the files they name."""

from __future__ import annotations

from pathlib import Path

import pytest

import ragrules
from ragrules.cli import main
from ragrules.formats.loading import MAX_PROBLEMS, resolve_file

HEAD = '[ruleset]\nformat = 1\nid = "{id}"\n'
BASE = HEAD.format(id="base") + (
    '[defaults]\ntolerance = { relative = "10%" }\n'
    '[[indicator]]\nid = "a"\ntarget = 1\n[[indicator]]\nid = "b"\ntarget = 2\n'
)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[tuple[str | None, int | None, str | None, str]]:
    """(file name, line, key, message) of each problem loading `path`."""
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(path)
    return [
        (Path(p.file).name if p.file else None, p.line, p.key, p.message)
        for p in caught.value.problems
    ]


def _resolve_problems(path: Path) -> list[ragrules.Problem]:
    with pytest.raises(ragrules.RulesetError) as caught:
        resolve_file(path)
    return list(caught.value.problems)


def test_keys_on_an_omitted_indicator_are_problems_where_written(tmp_path: Path) -> None:
    """An omitted indicator takes only `id` and `omit`: any other key would be dropped
    unsaid, so they are named, at the first of them, with what to do."""
    _write(tmp_path, "base.toml", BASE)
    path = _write(
        tmp_path,
        "child.toml",
        HEAD.format(id="c")
        + 'extends = "base.toml"\n[[indicator]]\nid = "b"\nomit = true\n'
        + 'polarity = "sideways"\ntarget = "banana"\nno-such-key = 3\nextends = "a"\n',
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(path)
    (problem,) = caught.value.problems
    assert (problem.key, problem.line, problem.column) == ("indicator[0].polarity", 8, 1)
    assert problem.message == (
        "an omitted indicator takes only id and omit, "
        "not 'polarity', 'target', 'no-such-key' and 'extends'"
    )
    assert problem.hint == "remove them, or remove omit = true to keep the indicator"
    # Without the stray keys the same entry omits b.
    _write(
        tmp_path,
        "ok.toml",
        HEAD.format(id="ok") + 'extends = "base.toml"\n[[indicator]]\nid = "b"\nomit = true\n',
    )
    assert [i.id for i in ragrules.load(tmp_path / "ok.toml").indicators] == ["a"]


def test_a_second_omit_of_an_id_says_where_the_first_is(tmp_path: Path) -> None:
    _write(tmp_path, "base.toml", BASE)
    omit = '[[indicator]]\nid = "a"\nomit = true\n'
    path = _write(
        tmp_path, "child.toml", HEAD.format(id="c") + 'extends = "base.toml"\n' + omit + omit
    )
    ((file, line, key, message),) = _problems(path)
    assert (file, line, key) == ("child.toml", 10, "indicator[1].omit")
    assert message == "indicator 'a' is already omitted at line 7"


def test_show_reports_the_problems_check_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An indicator left out of the merge and the builder's problems come together from
    `resolve_file` (and so `ragrules show`), as from a load."""
    _write(tmp_path, "base.toml", BASE)
    path = _write(
        tmp_path,
        "child.toml",
        HEAD.format(id="c")
        + 'extends = "base.toml"\n[[indicator]]\nid = "a"\nextends = 7\n'
        + '[[indicator]]\nid = "b"\ntarget = "x%"\n',
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(path)
    assert _resolve_problems(path) == list(caught.value.problems)
    assert len(caught.value.problems) == 2
    assert main(["show", str(path)]) != 0
    shown = capsys.readouterr().err
    assert main(["check", str(path)]) != 0
    assert capsys.readouterr().err == shown


def test_a_base_reached_twice_reports_its_problems_once(tmp_path: Path) -> None:
    """A diamond: mid's problems come through both sides, and are reported once."""
    _write(tmp_path, "base.toml", BASE)
    _write(
        tmp_path,
        "mid.toml",
        HEAD.format(id="mid")
        + 'extends = "base.toml"\n[[indicator]]\nid = "gone"\nomit = true\n'
        + '[[indicator]]\nid = "c"\nextends = "missing"\n',
    )
    for side in ("l", "r"):
        _write(tmp_path, f"{side}.toml", HEAD.format(id=side) + 'extends = "mid.toml"\n')
    path = _write(tmp_path, "top.toml", HEAD.format(id="top") + 'extends = ["l.toml", "r.toml"]\n')
    expected = [
        ("mid.toml", 7, "indicator[0].omit", "no inherited indicator 'gone' to omit"),
        ("mid.toml", 10, "indicator[1].extends", "no base defines an indicator 'missing'"),
    ]
    assert _problems(path) == expected
    shown = [(Path(p.file or "").name, p.line, p.key, p.message) for p in _resolve_problems(path)]
    assert shown == expected


def test_a_broken_base_does_not_hide_the_other_files_problems(tmp_path: Path) -> None:
    """Every base is tried: a broken one is reported with the other bases' problems and with
    those of the extending file's entries that do not depend on what the bases define."""
    _write(tmp_path, "base.toml", BASE)
    _write(
        tmp_path,
        "mid.toml",
        HEAD.format(id="mid") + 'extends = "base.toml"\n[[indicator]]\nid = "c"\nextends = "z"\n',
    )
    _write(tmp_path, "broken.toml", HEAD.format(id="broken") + "target = = \n")
    path = _write(
        tmp_path,
        "top.toml",
        HEAD.format(id="top")
        + 'extends = ["mid.toml", "broken.toml", "missing.toml"]\n'
        + '[[indicator]]\nid = "a"\nomit = "yes"\n'
        + '[[indicator]]\nid = "zz"\nomit = true\n',  # may be broken.toml's: not said
    )
    found = _problems(path)
    assert [(file, line, key) for file, line, key, _ in found] == [
        ("broken.toml", 4, None),
        ("top.toml", 4, "ruleset.extends[2]"),
        ("mid.toml", 7, "indicator[0].extends"),
        ("top.toml", 7, "indicator[0].omit"),
    ]
    assert "not valid TOML" in found[0][3] and "no base ruleset" in found[1][3]
    assert found[3][3] == "expected true or false"


def test_a_base_without_a_ruleset_table_is_located(tmp_path: Path) -> None:
    _write(tmp_path, "config.toml", '[tool]\nname = "x"\n')
    path = _write(tmp_path, "top.toml", HEAD.format(id="top") + 'extends = "config.toml"\n')
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(path)
    (problem,) = caught.value.problems
    assert (Path(problem.file or "").name, problem.line, problem.column) == ("config.toml", 1, 1)
    assert "is not a ruleset" in problem.message


def test_a_loop_is_found_by_the_files_not_their_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Named as `sub/../sub/x.toml`, x is still the file y extends: the loop is found at y's
    extends, and every file in the message is named the same way."""
    _write(tmp_path, "sub/x.toml", HEAD.format(id="x") + 'extends = "y.toml"\n')
    _write(tmp_path, "sub/y.toml", HEAD.format(id="y") + 'extends = "x.toml"\n')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load("sub/../sub/x.toml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.key) == ("sub/y.toml", 4, "ruleset.extends")
    assert problem.message == "extends loops back to sub/x.toml"
    assert problem.hint == "extends chain: sub/x.toml -> sub/y.toml -> sub/x.toml"


def test_a_broken_base_reached_twice_is_read_and_reported_once(tmp_path: Path) -> None:
    _write(tmp_path, "broken.toml", "[ruleset\n")
    for side in ("l", "r"):
        _write(tmp_path, f"{side}.toml", HEAD.format(id=side) + 'extends = "broken.toml"\n')
    path = _write(tmp_path, "top.toml", HEAD.format(id="top") + 'extends = ["l.toml", "r.toml"]\n')
    ((file, line, _, message),) = _problems(path)
    assert (file, line, message) == ("broken.toml", 1, "is not a ruleset (not valid TOML)")


def test_many_missing_bases_stop_at_a_count(tmp_path: Path) -> None:
    """Every base is tried, but no more problems are found than a load reports."""
    names = ", ".join(f'"m{n}.toml"' for n in range(5000))
    path = _write(tmp_path, "top.toml", HEAD.format(id="top") + f"extends = [{names}]\n")
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(path)
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message == "and 4,900 more bases not read"
    assert problems[-1].hint == "fix these first"


def test_problems_found_beside_a_broken_base_are_counted_past_the_limit(tmp_path: Path) -> None:
    entries = "".join(f'[[indicator]]\nid = "i{n}"\nomit = "yes"\n' for n in range(150))
    text = HEAD.format(id="top") + 'extends = "missing.toml"\n' + entries
    problems = _problems(_write(tmp_path, "top.toml", text))
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0][3].startswith("no base ruleset 'missing.toml'")
    assert problems[-1] == ("top.toml", None, None, "and 51 more problems")
