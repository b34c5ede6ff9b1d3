"""`ragrules fmt`: a formatter that keeps comments, order and `extends`, checked by example,
by property (a messed-up shipped ruleset formats back to itself; formatting never changes
what a ruleset says) and from the command line."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.cli import main
from ragrules.formats.formatting import format_ruleset_text
from ragrules.model.errors import RulesetError
from ragrules.testing import rulesets

pytest.importorskip("tomlkit")

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(
    [*(ROOT / "rulesets").rglob("*.toml"), *(ROOT / "docs").rglob("*.toml")],
    key=lambda path: str(path),
)

# (Joined from lines, so the trailing spaces the formatter removes are plain to see.)
MESSY = "\n".join(
    [
        "# A council's rules",
        "",
        "",
        "[ruleset]",
        "format   =  1   # the format",
        '  id="messy"   ',
        'extends = "base.toml"',
        "# about travel, which follows",
        "[travel]",
        'arrows="direction"',
        'unchanged-within = {absolute="0"}',
        "[[indicator]]",
        'id = "a"',
        '\ttarget = "30%"',
        "",
        "# the second indicator",
        "[[indicator]]",
        'id = "b"',
        "bands = [",
        '    {status="green", from = "target" },   ',  # inside a value: only the end is tidied
        "]",
        "",
        "",
        "",
    ]
)

TIDY = "\n".join(
    [
        "# A council's rules",
        "",
        "[ruleset]",
        "format = 1   # the format",
        'id = "messy"',
        'extends = "base.toml"',
        "",
        "# about travel, which follows",
        "[travel]",
        'arrows = "direction"',
        'unchanged-within = {absolute="0"}',
        "",
        "[[indicator]]",
        'id = "a"',
        'target = "30%"',
        "",
        "# the second indicator",
        "[[indicator]]",
        'id = "b"',
        "bands = [",
        '    {status="green", from = "target" },',
        "]",
        "",
    ]
)


def test_the_layout_rules_by_example() -> None:
    """Spacing, indentation and blank lines change; comments, values and order do not."""
    assert format_ruleset_text(MESSY) == TIDY
    assert format_ruleset_text(TIDY) == TIDY


def test_line_endings_and_a_missing_final_newline() -> None:
    assert format_ruleset_text('[ruleset]\r\nformat = 1\r\nid = "x"') == (
        '[ruleset]\nformat = 1\nid = "x"\n'
    )


def test_text_that_is_not_toml_is_refused_with_its_line() -> None:
    with pytest.raises(RulesetError) as raised:
        format_ruleset_text('[ruleset]\nformat = 1\nid = "x\n', "council.toml")
    (problem,) = raised.value.problems
    assert (problem.file, problem.line) == ("council.toml", 3)
    assert "not valid TOML" in problem.message


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_every_shipped_ruleset_is_formatted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_ruleset_text(text, str(path)) == text


_KEY_LINE = re.compile(r"^[A-Za-z0-9_.\"-]+ = ")
_HEADER = re.compile(r"^\[\[?[A-Za-z0-9_.\"-]+\]\]?(\s*#.*)?$")


def _is_structural(line: str) -> bool:
    """A line the formatter owns: a key, a table header or a comment line of its own."""
    return bool(_KEY_LINE.match(line) or _HEADER.match(line) or line.startswith("#"))


@st.composite
def _messed_up(draw: st.DrawFn, text: str) -> str:
    """The text with its layout spoilt as people do: spacing around `=`, indents, trailing
    spaces, runs of blank lines, a missing blank line before a header, CRLF line endings."""
    lines: list[str] = [""] * draw(st.integers(0, 2))
    original = text.split("\n")
    for index, line in enumerate(original):
        if not line:
            before = original[index - 1] if index else ""
            after = original[index + 1] if index + 1 < len(original) else ""
            # The blank line the formatter puts back: before a header, after no comment.
            restored = _HEADER.match(after) and before and not before.startswith("#")
            lines += [""] * draw(st.integers(0 if restored else 1, 3))
            continue
        if _is_structural(line):
            if _KEY_LINE.match(line) and draw(st.booleans()):
                key, value = line.split(" = ", 1)
                equals = draw(st.sampled_from(["=", " =", "=  ", "\t=\t"]))
                line = f"{key}{equals}{value}"
            line = draw(st.sampled_from(["", " ", "  ", "\t"])) + line
            line += draw(st.sampled_from(["", " ", "\t "]))
        lines.append(line)
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines)


@given(data=st.data(), path=st.sampled_from(SHIPPED))
def test_a_spoilt_shipped_ruleset_formats_back_to_itself(data: st.DataObject, path: Path) -> None:
    """Whatever the spoiling, formatting restores the shipped layout, comments and all."""
    text = path.read_text(encoding="utf-8")
    spoilt = data.draw(_messed_up(text))
    formatted = format_ruleset_text(spoilt, str(path))
    assert formatted == text
    assert format_ruleset_text(formatted) == formatted


@given(ruleset=rulesets(), data=st.data())
def test_formatting_never_changes_what_a_ruleset_says(
    ruleset: ragrules.Ruleset, data: st.DataObject
) -> None:
    spoilt = data.draw(_messed_up(ruleset.canonical_toml))
    formatted = format_ruleset_text(spoilt)
    assert ragrules.loads(formatted) == ragrules.loads(spoilt) == ruleset
    assert format_ruleset_text(formatted) == formatted


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_fmt_formats_files_in_place_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messy, tidy = _write(tmp_path / "messy.toml", MESSY), _write(tmp_path / "tidy.toml", TIDY)
    assert main(["fmt", str(messy), str(tidy)]) == 0
    assert messy.read_text(encoding="utf-8") == TIDY
    assert capsys.readouterr().err == "1 file reformatted, 1 file left unchanged\n"
    assert main(["fmt", str(messy)]) == 0
    assert capsys.readouterr().err == "1 file left unchanged\n"


def test_fmt_check_changes_nothing_and_fails_on_a_file_to_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messy = _write(tmp_path / "messy.toml", MESSY)
    assert main(["fmt", "--check", str(messy)]) == 1
    assert messy.read_text(encoding="utf-8") == MESSY
    assert capsys.readouterr().err == (f"would reformat {messy}\n1 file would be reformatted\n")
    assert main(["fmt", "--check", *map(str, SHIPPED)]) == 0
    assert capsys.readouterr().err == f"{len(SHIPPED)} files already formatted\n"


def test_fmt_diff_prints_what_would_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messy = _write(tmp_path / "messy.toml", MESSY)
    assert main(["fmt", "--diff", str(messy)]) == 1
    assert messy.read_text(encoding="utf-8") == MESSY
    out = capsys.readouterr().out
    assert f"+++ {messy} (formatted)" in out
    assert '\n-  id="messy"   \n' in out
    assert '\n+id = "messy"\n' in out


def test_fmt_reads_stdin_and_writes_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(MESSY))
    assert main(["fmt", "-"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (TIDY, "")


def test_fmt_reports_a_bad_file_and_formats_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = _write(tmp_path / "broken.toml", '[ruleset]\nid = "x\n')
    messy = _write(tmp_path / "messy.toml", MESSY)
    missing = tmp_path / "missing.toml"
    assert main(["fmt", str(broken), str(missing), str(messy)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:2:" in err and "not valid TOML" in err
    assert f"{missing}: cannot read it" in err
    assert messy.read_text(encoding="utf-8") == TIDY
    assert broken.read_text(encoding="utf-8") == '[ruleset]\nid = "x\n'


def test_fmt_keeps_a_byte_order_mark_out_and_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TIDY.encode("utf-8"))
    path.chmod(0o640)
    assert main(["fmt", "--check", str(path)]) == 1  # the mark is a change
    assert main(["fmt", str(path)]) == 0
    assert path.read_bytes() == TIDY.encode("utf-8")
    assert path.stat().st_mode & 0o777 == 0o640


def test_fmt_without_its_extra_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "tomlkit", None)  # as if not installed
    messy = _write(tmp_path / "messy.toml", MESSY)
    assert main(["fmt", str(messy)]) == 2
    assert 'pip install "ragrules[fmt]"' in capsys.readouterr().err
    assert messy.read_text(encoding="utf-8") == MESSY


def test_fmt_fingerprint_still_works_but_points_to_show(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(ROOT / "rulesets" / "examples" / "havering-2020-21-q2.toml")
    assert main(["fmt", path, "--fingerprint"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ragrules.load(path).fingerprint + "\n"
    assert "show RULESET --fingerprint" in captured.err


def test_spaces_that_are_part_of_a_multi_line_string_stay() -> None:
    text = '[ruleset]\nformat = 1\nid = "x"\ntitle = """two spaces  \nthen a line"""   \n'
    formatted = format_ruleset_text(text)
    assert formatted == '[ruleset]\nformat = 1\nid = "x"\ntitle = """two spaces  \nthen a line"""\n'


@pytest.mark.parametrize("value", ["nan", "-nan", "[nan, 1.50]", "{ x = nan }"])
def test_a_nan_is_formatted_not_blamed_on_fmt(value: str) -> None:
    """NaN is not equal to itself: the check that formatting changed nothing must still see
    the same document (the loader then refuses the value where a ruleset reads it)."""
    text = f'[ruleset]\nformat = 1\nid = "t"\nw =   {value}\n'
    assert format_ruleset_text(text) == f'[ruleset]\nformat = 1\nid = "t"\nw = {value}\n'
