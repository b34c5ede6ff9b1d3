"""`ragrules fmt` on hostile layouts: tables of different kinds interleaved (tomlkit moves them,
and the comments above them end up on other tables), trailing spaces once a multi-line string
has some, spaces around the dots of keys. fmt keeps every table, key and comment where it is
written, or refuses and leaves the file as it is."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.cli import main
from ragrules.formats import formatting
from ragrules.formats.formatting import format_ruleset_text
from ragrules.model.errors import RulesetError
from ragrules.testing import rulesets

pytest.importorskip("tomlkit")

BANDS = '[{ status = "green", from = "target" }, { status = "red" }]'
FLOOR_BANDS = (
    '[{ status = "green", from = "target" }, '
    '{ status = "amber", from = { threshold = "floor" } }, { status = "red" }]'
)

# An indicator after a scale: tomlkit moves it up to the first indicator, and the comment
# "Our own scale" then sits above the care leavers.
REORDER = f"""[ruleset]
format = 1
id = "reorder"

# Early help
[[indicator]]
id = "early-help"
target = 30
tolerance = {{ relative = "5%" }}

# Our own scale, used below
[scales.floor]
bands = {FLOOR_BANDS}

# Care leavers, on the floor scale
[[indicator]]
id = "care-leavers"
target = 60
scale = "floor"
thresholds = {{ floor = 50 }}
"""

# Scales between indicators, and travel comparisons split by another table.
OUT_OF_ORDER = f"""[ruleset]
format = 1
id = "ooo"

# scale a
[scales.a]
bands = {BANDS}

# indicator x
[[indicator]]
id = "x"
target = 1
scale = "a"

# scale b
[scales.b]
bands = [{{ status = "good", from = "target" }}, {{ status = "bad" }}]

[[indicator]]
id = "y"
target = 1
scale = "b"

[travel.comparisons.short]
against = "previous-period"

[exceptions]
statuses = ["red"]

[travel.comparisons.long]
against = "same-period-last-year"
"""

# Roll-ups between indicators.
ROLLUPS_BETWEEN = """[ruleset]
format = 1
id = "between"

# a
[[indicator]]
id = "a"
target = 1
tolerance = { absolute = 1 }

# the first roll-up
[[rollup]]
id = "r"
members = ["a", "b"]
rule = "worst"

# b
[[indicator]]
id = "b"
target = 1
tolerance = { absolute = 1 }

[[rollup]]
id = "r2"
members = ["a"]
rule = "worst"
"""

INTERLEAVED = [REORDER, OUT_OF_ORDER, ROLLUPS_BETWEEN]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("text", INTERLEAVED, ids=["reorder", "out-of-order", "rollups"])
def test_interleaved_tables_stay_where_they_are_with_their_comments(text: str) -> None:
    """The files are formatted already: fmt gives them back byte for byte."""
    assert format_ruleset_text(text) == text


@pytest.mark.parametrize("text", INTERLEAVED, ids=["reorder", "out-of-order", "rollups"])
def test_fmt_check_passes_and_fmt_leaves_interleaved_tables_alone(
    tmp_path: Path, text: str
) -> None:
    path = _write(tmp_path / "council.toml", text)
    assert main(["fmt", "--check", str(path)]) == 0
    spoilt = re.sub(r"^([a-z]+) = (.*)$", r"  \1=\2  ", text, flags=re.M)
    messy = _write(
        tmp_path / "messy.toml", spoilt.replace("\n\n", "\n\n\n").replace("\n[", "\n  [")
    )
    assert main(["fmt", str(messy)]) == 0
    assert messy.read_text(encoding="utf-8") == text


def _as_tomlkit_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give tomlkit the whole document at once, as fmt did: it then moves tables."""
    outline = formatting._outline
    monkeypatch.setattr(formatting, "_outline", lambda text: outline(text)._replace(headers=[]))


def test_a_formatting_that_moves_a_table_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check compares the outline too (headers, keys and comments in order), not only
    the values, which tomlkit's moves leave the same."""
    _as_tomlkit_alone(monkeypatch)
    with pytest.raises(RulesetError) as raised:
        format_ruleset_text(REORDER, "council.toml")
    (problem,) = raised.value.problems
    assert (problem.file, problem.line) == ("council.toml", 12)
    assert "cannot format this file without moving the table [scales.floor]" in problem.message
    assert "left as it is" in (problem.hint or "")


def test_a_refused_file_is_left_as_it_is_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _as_tomlkit_alone(monkeypatch)
    messy = REORDER.replace("id = ", "id=")
    path = _write(tmp_path / "council.toml", messy)
    for command in (["fmt"], ["fmt", "--check"], ["fmt", "--diff"]):
        assert main([*command, str(path)]) == 2
        captured = capsys.readouterr()
        assert path.read_text(encoding="utf-8") == messy
        assert f"{path}:12: cannot format this file without moving" in captured.err
        assert captured.err.endswith("1 file not formatted (left as it is)\n")
        assert captured.out == ""


def test_a_moved_comment_is_refused_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """A comment that would end up below the table it was written above is a refusal, even
    with every table header in its place and the same values."""
    strip = formatting._strip_trailing

    def moving(text: str) -> str:
        return strip(text).replace("# Early help\n[[indicator]]\n", "[[indicator]]\n# Early help\n")

    monkeypatch.setattr(formatting, "_strip_trailing", moving)
    with pytest.raises(RulesetError, match="without moving the comment '# Early help'"):
        format_ruleset_text(REORDER)


TRAILING = (
    '[ruleset]\nformat = 1\nid = "ts"\ndescription = """\nkept   \n"""\n\n'
    '[scales.s]\nbands = [ { status = "green", from = "target" },   \n  { status = "red" } ]\n\n'
    '[[indicator]]  \nid = "a"  \ntarget = 1\t\nscale = "s"   # the scale   \n'
)


def test_trailing_spaces_go_but_for_those_inside_a_multi_line_string(tmp_path: Path) -> None:
    formatted = format_ruleset_text(TRAILING)
    assert formatted == (
        '[ruleset]\nformat = 1\nid = "ts"\ndescription = """\nkept   \n"""\n\n'
        '[scales.s]\nbands = [ { status = "green", from = "target" },\n  { status = "red" } ]\n\n'
        '[[indicator]]\nid = "a"\ntarget = 1\nscale = "s"   # the scale\n'
    )
    assert ragrules.loads(formatted) == ragrules.loads(TRAILING)
    path = _write(tmp_path / "trail.toml", TRAILING)
    assert main(["fmt", "--check", str(path)]) == 1


def test_spaces_after_a_line_ending_backslash_and_before_a_string_stay() -> None:
    text = (
        '[ruleset]\nformat = 1\nid = "x"\ntitle = """one \\   \n  two"""\n'
        "description = '''   \n[[indicator]]  \n# not a comment  \n'''''\n"
    )
    assert format_ruleset_text(text) == text


def test_the_dots_of_keys_and_table_names_have_no_spaces_around_them() -> None:
    text = (
        '[ruleset]\nformat = 1\nid = "keys"\n\n'
        '[ travel . comparisons . "short" ]\nagainst = "previous-period"\n\n'
        '[defaults]\ntolerance . relative = "5%"\n\'unit\' = "count"\n\n'
        '[[ indicator ]]\nid = "a"\ntarget = 1_000\n"tolerance"  .  absolute = 0x10\n'
    )
    formatted = format_ruleset_text(text)
    assert formatted == (
        '[ruleset]\nformat = 1\nid = "keys"\n\n'
        '[travel.comparisons."short"]\nagainst = "previous-period"\n\n'
        '[defaults]\ntolerance.relative = "5%"\n\'unit\' = "count"\n\n'
        '[[indicator]]\nid = "a"\ntarget = 1_000\n"tolerance".absolute = 0x10\n'
    )
    assert ragrules.loads(formatted) == ragrules.loads(text)


def test_headers_inside_multi_line_strings_are_not_tables() -> None:
    """The text is cut into tables for tomlkit by a scanner: a `[x]` line or a `#` inside a
    string, array or inline table is not a header or a comment."""
    text = (
        '[ruleset]\nformat = 1\nid = "x"\n'
        'description = """\n[[indicator]]\n# no comment \\""" [x]\n"""""\n'
        "title = 'a # b'\n\n"
        '[scales.s]\nbands = [\n  # best\n  { status = "green", from = "target" }, # [y]\n'
        '  { status = "red" },\n]\n\n'
        '[[indicator]]\nid = "a"\ntarget = 1\nscale = "s"\nwhen = 1979-05-27 07:32:00\n'
    )
    assert format_ruleset_text(text) == text
    assert formatting._outline(text).marks == [
        ("header", "[ruleset]"),
        ("key", "format"),
        ("key", "id"),
        ("key", "description"),
        ("key", "title"),
        ("header", "[scales.s]"),
        ("key", "bands"),
        ("comment", "# best"),
        ("comment", "# [y]"),
        ("header", "[[indicator]]"),
        ("key", "id"),
        ("key", "target"),
        ("key", "scale"),
        ("key", "when"),
    ]


# The property: generated rulesets with their tables interleaved, comments above tables and
# keys and after values, and odd spacing. fmt keeps the value, the order of the tables and
# every comment beside what it was written beside, and formatting twice changes nothing; or
# it refuses, and the file is left as it is.

_HEADER = re.compile(r"^\[\[?[^\]]+\]\]?")
_TRAILING_COMMENT = re.compile(r"\s*(#~\d+)$")


def _skeleton(text: str) -> list[tuple[str, str]]:
    """Headers, keys and comments in order, read line by line (the generated text has one key
    a line, and a multi-line string only as the ruleset's description)."""
    marks: list[tuple[str, str]] = []
    in_string = False
    for line in text.split("\n"):
        stripped = line.strip()
        if in_string:  # the description's text, or the line that ends it
            in_string = '"""' not in stripped
            continue
        in_string = stripped.count('"""') == 1
        trailing = _TRAILING_COMMENT.search(stripped)
        body = stripped[: trailing.start()] if trailing else stripped
        if not body:
            pass
        elif body.startswith("#"):
            marks.append(("comment", body))
        elif header := _HEADER.match(body):
            marks.append(("header", re.sub(r"\s+", "", header.group())))
        else:
            marks.append(("key", re.sub(r"\s+", "", body.split("=", 1)[0])))
        if trailing:
            marks.append(("comment", trailing.group(1)))
    return marks


@st.composite
def _hostile(draw: st.DrawFn) -> str:
    ruleset = draw(rulesets())
    blocks = [block for block in ruleset.canonical_toml.split("\n\n") if block.strip()]
    head, indicators = blocks[0], blocks[1:]
    ids = [re.search(r'^id = "(.*)"$', block, re.M).group(1) for block in indicators]  # type: ignore[union-attr]
    scales = [f"[scales.s{n}]\nbands = {BANDS}" for n in range(draw(st.integers(0, 2)))]
    rollups = []
    for n in range(draw(st.integers(0, 2)) if ids else 0):
        members = [draw(st.sampled_from(ids))]  # "worst" needs one scale
        rollups.append(
            f'[[rollup]]\nid = "roll-up-{n}"\nmembers = {json.dumps(members)}\nrule = "worst"'
        )
    names = [f"c{n}" for n in range(draw(st.integers(0, 2)))]
    against = ["previous-period", "same-period-last-year"]
    if draw(st.booleans()) and names:  # one table of dotted keys, spaces around the dots
        spaced = draw(st.sampled_from([".", " . ", ". "]))
        comparisons = [
            "[travel]\n"
            + "\n".join(
                f'comparisons{spaced}{name}{spaced}against = "{against[n % 2]}"'
                for n, name in enumerate(names)
            )
        ]
    else:
        comparisons = [
            f'[travel.comparisons.{name}]\nagainst = "{against[n % 2]}"'
            for n, name in enumerate(names)
        ]
    if draw(st.booleans()):
        head += '\ndescription = """\nwritten  \n  by hand\t\n"""'
    # Interleave: any order, but indicators and roll-ups each in their own order.
    kinds = ["i"] * len(indicators) + ["r"] * len(rollups) + ["o"] * (1 + len(scales))
    kinds += ["o"] * len(comparisons)
    order = draw(st.permutations(kinds))
    queues = {"i": list(indicators), "r": list(rollups), "o": [head, *scales, *comparisons]}
    others = draw(st.permutations(queues["o"]))
    queues["o"] = list(others)
    tables = [queues[kind].pop(0) for kind in order]
    return _spoil(draw, tables)


def _spoil(draw: st.DrawFn, tables: list[str]) -> str:
    notes = iter(range(10_000))
    lines: list[str] = []
    in_string = False
    for table in tables:
        lines += [""] * draw(st.integers(0, 2))
        for index, line in enumerate(table.split("\n")):
            if in_string:  # the description's text: left as it is
                lines.append(line)
                in_string = line != '"""'
                continue
            if draw(st.integers(0, 3)) == 0:  # a comment above the header or the key
                indent = draw(st.sampled_from(["", " ", "\t"]))
                lines.append(f"{indent}# note {next(notes)}{draw(st.sampled_from(['', '  ']))}")
            if index == 0:
                line = draw(st.sampled_from([line, line.replace("[", "[ ").replace("]", " ]")]))
                line = line.replace("[ [ ", "[[ ").replace(" ] ]", " ]]")
            elif " = " in line:
                line = line.replace(" = ", draw(st.sampled_from([" = ", "=", "  =\t"])), 1)
                line = draw(st.sampled_from(["", "  ", "\t"])) + line
            in_string = line.endswith('"""')
            if not in_string:
                if draw(st.integers(0, 3)) == 0:
                    line += f" #~{next(notes)}"
                line += draw(st.sampled_from(["", " ", "\t  "]))
            lines.append(line)
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@given(text=_hostile())
def test_fmt_keeps_tables_comments_and_values_in_place(text: str) -> None:
    try:
        formatted, refusal = format_ruleset_text(text), ""
    except RulesetError as exc:  # refused: the CLI then leaves the file as it is
        formatted, refusal = text, exc.problems[0].message
    if refusal:
        assert "cannot format this file without moving" in refusal
        return
    assert ragrules.loads(formatted).fingerprint == ragrules.loads(text).fingerprint
    assert _skeleton(formatted) == _skeleton(text)
    assert format_ruleset_text(formatted) == formatted
    in_string = False
    for line in formatted.split("\n"):
        if in_string:
            in_string = '"""' not in line
            continue
        assert line == line.rstrip(" \t"), line
        assert not re.match(r"^\S+ \.|^\S+\. |^\[\[? ", line), line
        in_string = line.count('"""') == 1
