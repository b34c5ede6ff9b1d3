"""Sharing rulesets: extends, catalogues, overrides, and the errors that keep it safe."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import ragrules
from ragrules.cli import main
from ragrules.engine.canonical import canonical_toml, fingerprint
from ragrules.formats.loading import resolve_file
from tests.conftest import EXAMPLES, ROOT

BASE = """
[ruleset]
format = 1
id = "base"
calendar = "financial"

[defaults]
unit = "percent"
tolerance = { relative = "10%" }

[travel.comparisons]
short = { against = "previous-period" }

[[indicator]]
id = "a"
title = "Indicator A"
target = "70%"

[[indicator]]
id = "b"
polarity = "lower-is-better"
target = "20%"
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _child(folder: Path, body: str, extends: str = "base.toml") -> ragrules.Ruleset:
    _write(folder, "base.toml", BASE)
    text = f'[ruleset]\nformat = 1\nid = "child"\nextends = "{extends}"\n{body}'
    return ragrules.load(_write(folder, "child.toml", text))


def test_extending_without_overrides_rates_like_the_base(tmp_path: Path) -> None:
    """A ruleset that extends a base and overrides nothing has the base's rules."""
    child = _child(tmp_path, "")
    base = ragrules.load(tmp_path / "base.toml")
    assert child.indicators == base.indicators
    assert child.travel == base.travel
    rows = [{"indicator": "a", "period": "2020/21 Q2", "value": "64"}]
    assert [r.status for r in child.rate(rows).results] == ["amber", "no-data"]


def test_overrides_replace_settings_key_by_key(tmp_path: Path) -> None:
    """An override changes only the keys it names; defaults merge per key."""
    child = _child(
        tmp_path,
        '[defaults]\ntolerance = { absolute = "5" }\n'
        '[[indicator]]\nid = "a"\ntarget = "75%"\n'
        '[[indicator]]\nid = "c"\ntarget = 1\n',
    )
    a, b, c = child.indicators
    assert (a.id, a.title, a.unit) == ("a", "Indicator A", "percent")
    assert a.target is not None
    assert a.target.in_force(None) == ragrules.Target.point(Decimal(75))
    assert b.tolerance is not None
    margin = b.tolerance.in_force(None)
    assert margin is not None
    assert margin.basis is ragrules.Basis.ABSOLUTE
    assert c.id == "c"


def test_omit_and_indicator_extends(tmp_path: Path) -> None:
    """`omit = true` drops an inherited indicator; `extends` reuses one under a local id."""
    child = _child(
        tmp_path,
        '[[indicator]]\nid = "b"\nomit = true\n'
        '[[indicator]]\nid = "PI.1"\nextends = "a"\ntarget = "60%"\n',
    )
    assert [i.id for i in child.indicators] == ["a", "PI.1"]
    assert child.indicators[1].title == "Indicator A"


@pytest.mark.parametrize(
    ("entry", "where", "words"),
    [
        (
            'id = "c"\nextends = "nope"',
            "indicator[0].extends",
            "no base defines an indicator 'nope'",
        ),
        ('id = "c"\nextends = 3', "indicator[0].extends", "expected the id of a base indicator"),
        ('id = "c"\nomit = true', "indicator[0].omit", "no inherited indicator 'c' to omit"),
        ('id = "a"\nomit = "yes"', "indicator[0].omit", "expected true or false"),
    ],
)
def test_an_indicator_that_cannot_be_merged_is_reported_with_the_files_other_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str, where: str, words: str
) -> None:
    """The indicator is left out of the merge and its problem kept: the problems after it
    (another indicator's, a section's) come in the same error, each where it is written,
    and none follows from the one left out."""
    with pytest.raises(ragrules.RulesetError) as caught:
        _child(
            tmp_path,
            f"[[indicator]]\n{entry}\n"
            '[[indicator]]\nid = "d"\ntarget = "abc"\n'
            '[[indicator]]\nid = "e"\npolarity = "sideways"\ntarget = 1\n',
        )
    found = [(p.key, p.line, p.message) for p in caught.value.problems]
    assert found == [
        (where, 7, found[0][2]),
        ("indicator[1].target", 10, found[1][2]),
        ("indicator[2].polarity", 13, found[2][2]),
    ]
    assert words in found[0][2] and "'abc' is not a number" in found[1][2]
    # `show` prints the resolved document: with an indicator left out, there is none.
    assert main(["show", str(tmp_path / "child.toml")]) != 0
    assert words in capsys.readouterr().err
    with pytest.raises(ragrules.RulesetError, match=re.escape(words)):
        resolve_file(tmp_path / "child.toml")


def test_an_only_indicator_left_out_is_its_one_problem(tmp_path: Path) -> None:
    """Extending a catalogue, the one indicator names none of its definitions: that is the
    problem, not also "the ruleset defines no indicators"."""
    _write(tmp_path, "base.toml", BASE.replace('calendar = "financial"', "catalogue = true"))
    text = '[ruleset]\nformat = 1\nid = "c"\nextends = "base.toml"\n'
    path = _write(tmp_path, "child.toml", text + '[[indicator]]\nid = "x"\nextends = "z"\n')
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(path)
    assert [p.message for p in caught.value.problems] == ["no base defines an indicator 'z'"]


def test_catalogue_indicators_are_included_only_when_named(tmp_path: Path) -> None:
    """A catalogue's indicators are definitions: a child includes those it names."""
    _write(tmp_path, "cat.toml", BASE.replace('id = "base"', 'id = "cat"\ncatalogue = true'))
    child = _child(tmp_path, '[[indicator]]\nid = "b"\n', extends="cat.toml")
    assert [i.id for i in child.indicators] == ["b"]
    assert child.indicators[0].polarity is ragrules.Polarity.LOWER


def test_base_found_by_id_on_the_search_path(tmp_path: Path) -> None:
    """A bare id is looked up as ID.toml on the search path."""
    shared = tmp_path / "shared"
    shared.mkdir()
    _write(shared, "base.toml", BASE)
    local = tmp_path / "local"
    local.mkdir()
    path = _write(local, "child.toml", '[ruleset]\nformat = 1\nid = "c"\nextends = "base"\n')
    assert len(ragrules.load(path, search_path=[shared]).indicators) == 2
    with pytest.raises(ragrules.RulesetError, match="no base ruleset 'base' on the search path"):
        ragrules.load(path)


@pytest.mark.parametrize(
    ("extends", "words"),
    [
        ("https://example.org/base.toml", "never a URL"),
        ("missing.toml", "no base ruleset 'missing.toml'"),
    ],
)
def test_bad_bases(tmp_path: Path, extends: str, words: str) -> None:
    """URLs and missing files are errors at the extends key."""
    with pytest.raises(ragrules.RulesetError) as caught:
        _child(tmp_path, "", extends=extends)
    (problem,) = caught.value.problems
    assert words in problem.message
    assert (problem.key, problem.line) == ("ruleset.extends", 4)


def test_bases_outside_the_allowed_folders_are_refused(tmp_path: Path) -> None:
    """A base outside the ruleset's folder, the current folder and the allowed ones is refused."""
    outside = tmp_path / "outside"
    outside.mkdir()
    _write(outside, "base.toml", BASE)
    inside = tmp_path / "inside"
    inside.mkdir()
    path = _write(
        inside, "c.toml", '[ruleset]\nformat = 1\nid = "c"\nextends = "../outside/base.toml"\n'
    )
    with pytest.raises(ragrules.RulesetError, match="outside the folders this load may read"):
        ragrules.load(path)
    assert ragrules.load(path, allowed=[outside]).indicators


def test_one_folder_given_alone_is_that_folder_never_its_characters(tmp_path: Path) -> None:
    """`allowed="/some/dir"` allows that folder: read character by character it allowed `/`,
    and so every file. `search_path` given alone is one folder too."""
    outside = tmp_path / "outside"
    outside.mkdir()
    _write(outside, "base.toml", BASE)
    unrelated = tmp_path / "unrelated"
    unrelated.mkdir()
    inside = tmp_path / "inside"
    inside.mkdir()
    child = f'[ruleset]\nformat = 1\nid = "c"\nextends = "{outside / "base.toml"}"\n'
    path = _write(inside, "c.toml", child)
    for allowed in (str(unrelated), unrelated):
        with pytest.raises(ragrules.RulesetError, match="outside the folders this load may read"):
            ragrules.load(path, allowed=allowed)
        with pytest.raises(ragrules.RulesetError, match="outside the folders this load may read"):
            ragrules.loads(child, directory=inside, allowed=allowed)
    assert ragrules.load(path, allowed=str(outside)).indicators
    by_id = '[ruleset]\nformat = 1\nid = "c"\nextends = "base"\n'
    assert ragrules.loads(by_id, search_path=str(outside)).indicators
    with pytest.raises(TypeError, match="allowed must be a folder or a list of folders"):
        ragrules.loads(by_id, allowed=[b"/"])  # type: ignore[list-item]


@pytest.mark.parametrize("empty", ["", " ", [""]])
def test_an_empty_folder_name_allows_nothing_it_is_refused(empty: object) -> None:
    """`Path("")` is the current folder, which a load never reads without its being named:
    a blank setting (`os.environ.get("RULES", "")`) must not allow it."""
    by_id = '[ruleset]\nformat = 1\nid = "c"\nextends = "base"\n'
    for name in ("allowed", "search_path"):
        with pytest.raises(ragrules.RulesetError, match="a folder's name is empty"):
            ragrules.loads(by_id, **{name: empty})  # type: ignore[arg-type]


def test_loops_and_depth_name_the_chain(tmp_path: Path) -> None:
    """A loop of extends is an error naming the chain of files."""
    _write(tmp_path, "x.toml", '[ruleset]\nformat = 1\nid = "x"\nextends = "y.toml"\n')
    _write(tmp_path, "y.toml", '[ruleset]\nformat = 1\nid = "y"\nextends = "x.toml"\n')
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(tmp_path / "x.toml")
    (problem,) = caught.value.problems
    assert "extends loops back" in problem.message
    assert "x.toml -> " in (problem.hint or "")
    for depth in range(12):
        _write(
            tmp_path,
            f"d{depth}.toml",
            f'[ruleset]\nformat = 1\nid = "d"\nextends = "d{depth + 1}.toml"\n',
        )
    _write(tmp_path, "d12.toml", BASE)
    with pytest.raises(ragrules.RulesetError, match="nested more than 8 deep"):
        ragrules.load(tmp_path / "d0.toml")


def test_conflicting_ids_in_two_bases(tmp_path: Path) -> None:
    """Two bases defining the same indicator id is an error naming both files."""
    _write(tmp_path, "one.toml", BASE)
    _write(tmp_path, "two.toml", BASE.replace('id = "base"', 'id = "two"'))
    path = _write(
        tmp_path, "c.toml", '[ruleset]\nformat = 1\nid = "c"\nextends = ["one.toml", "two.toml"]\n'
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(path)
    message = caught.value.problems[0].message
    assert "defined in two bases" in message
    assert "one.toml" in message
    assert "two.toml" in message


def test_errors_point_into_the_file_that_wrote_the_setting(tmp_path: Path) -> None:
    """A bad setting inherited from a base is reported at the base's file and line."""
    _write(tmp_path, "base.toml", BASE.replace('target = "20%"', 'target = "twenty"'))
    path = _write(tmp_path, "c.toml", '[ruleset]\nformat = 1\nid = "c"\nextends = "base.toml"\n')
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(path)
    (problem,) = caught.value.problems
    assert problem.file is not None
    assert problem.file.endswith("base.toml")
    assert (problem.line, problem.key) == (22, "indicator[1].target")


def test_canonical_form_round_trips_and_fingerprints(tmp_path: Path) -> None:
    """Loading the canonical form gives an equal ruleset with the same fingerprint."""
    for path in sorted((ROOT / "rulesets").rglob("*.toml")):
        ruleset = ragrules.load(path)
        again = ragrules.loads(canonical_toml(ruleset))
        assert again == ruleset, path
        assert fingerprint(again) == fingerprint(ruleset)


def test_show_says_where_each_setting_came_from(capsys: pytest.CaptureFixture[str]) -> None:
    """`ragrules show` prints the merged ruleset with the file and line of each setting."""
    assert main(["show", str(EXAMPLES / "dudley-2021-22-q3.toml")]) == 0
    out = capsys.readouterr().out
    assert 'id = "PI.432"  # from ' in out
    assert "england-childrens-services.toml:" in out
    assert 'polarity = "lower-is-better"  # from ' in out


def test_show_prints_canonical_toml_and_fingerprint(capsys: pytest.CaptureFixture[str]) -> None:
    """`ragrules show --toml` prints the canonical form; --fingerprint its hash."""
    path = str(EXAMPLES / "havering-2020-21-q2.toml")
    assert main(["show", path, "--toml"]) == 0
    text = capsys.readouterr().out
    assert ragrules.loads(text) == ragrules.load(path)
    assert main(["show", path, "--fingerprint"]) == 0
    assert capsys.readouterr().out == fingerprint(ragrules.load(path)) + "\n"


def test_diff_of_two_councils_on_havering_data(capsys: pytest.CaptureFixture[str]) -> None:
    """Relative vs points tolerance: the diff names the setting and the early-help rating."""
    code = main(
        [
            "diff",
            str(EXAMPLES / "havering-2020-21-q2.toml"),
            str(EXAMPLES / "neighbour-points-2020-21.toml"),
            str(EXAMPLES / "havering-2020-21-q2.csv"),
        ]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert (
        "early-help-conversion: tolerance: 5% of the target (A) vs 5 percentage points (B)" in out
    )
    assert "early-help-conversion: red (A) vs amber (B)" in out
    assert "amber from 5 percentage points below the target: value >= 25; 28.15 reached." in out
    ratings = out.split("Ratings of")[1]
    assert "lac-placement-stability" not in ratings


def test_diff_of_a_ruleset_with_itself_finds_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """The same rules give no differences and exit 0."""
    path = str(EXAMPLES / "merton-2020-21-nov.toml")
    assert main(["diff", path, path, str(EXAMPLES / "merton-2020-21-nov.csv")]) == 0
    out = capsys.readouterr().out
    assert "Rules: the same." in out
    assert "Ratings: the same." in out


def test_reports_print_the_fingerprint() -> None:
    """Every report names the fingerprint of the rules that produced it."""
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    report = ruleset.rate(ragrules.read_observations(EXAMPLES / "havering-2020-21-q2.csv"))
    from ragrules.output import render

    for fmt in ("table", "markdown", "html", "json"):
        assert fingerprint(ruleset) in render(report, fmt), fmt


def test_a_base_reached_through_two_bases_is_merged_once(tmp_path: Path) -> None:
    """A diamond (a extends b and c, both extend d) and a base named twice: d's indicator is
    one definition, not two; a base that changes it makes two, which is refused."""
    head = '[ruleset]\nformat = 1\nid = "{id}"\n'
    _write(
        tmp_path,
        "d.toml",
        head.format(id="d") + '[[indicator]]\nid = "y"\ntarget = 1\ntolerance = { absolute = 1 }\n',
    )
    for name in ("b", "c"):
        _write(tmp_path, f"{name}.toml", head.format(id=name) + 'extends = "d.toml"\n')
    for extends in ('["b.toml", "c.toml"]', '["d.toml", "d.toml"]'):
        path = _write(tmp_path, "a.toml", head.format(id="a") + f"extends = {extends}\n")
        assert [i.id for i in ragrules.load(path).indicators] == ["y"]
    _write(
        tmp_path,
        "c.toml",
        head.format(id="c") + 'extends = "d.toml"\n[[indicator]]\nid = "y"\ntarget = 2\n',
    )
    path = _write(tmp_path, "a.toml", head.format(id="a") + 'extends = ["b.toml", "c.toml"]\n')
    with pytest.raises(ragrules.RulesetError, match="'y' is defined in two bases"):
        ragrules.load(path)


def test_a_bases_indicator_without_an_id_is_said_where_it_is(tmp_path: Path) -> None:
    _write(tmp_path, "b.toml", '[ruleset]\nformat = 1\nid = "b"\n[[indicator]]\ntarget = 2\n')
    path = _write(tmp_path, "a.toml", '[ruleset]\nformat = 1\nid = "a"\nextends = "b.toml"\n')
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(path)
    (problem,) = caught.value.problems
    assert problem.file is not None and problem.file.endswith("b.toml") and problem.line == 4
    assert problem.key == "indicator[0]"
    assert "needs an id" in problem.message
