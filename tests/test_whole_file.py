"""`-o FILE` is written whole or not at all: an error leaves the previous file as it was."""

from __future__ import annotations

import importlib.util
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ragrules.cli import main
from ragrules.cli._whole_file import replacing
from ragrules.model.errors import DataError
from tests.conftest import EXAMPLES

RULES = (
    '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\ntarget = 10\n'
    "tolerance = { absolute = 1 }\n"
)
HEADER = "indicator,period,value,previous\n"
HAS_POLARS = importlib.util.find_spec("polars") is not None
ENGINES = [
    ["--engine", "row"],
    ["--engine", "row", "--jobs", "2"],
    pytest.param(
        ["--engine", "columnar"],
        marks=pytest.mark.skipif(not HAS_POLARS, reason="the polars extra"),
    ),
]


def _files(folder: Path, rows: int, refused_at: int | None) -> tuple[Path, Path]:
    """A ruleset and a CSV of `rows` rows; the row `refused_at` has a previous value but no
    period, which refuses the file there (its previous value has no period to belong to)."""
    rules = folder / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    lines = [
        "a,,9,8\n" if n == refused_at else f"a,2022/23 Q{n % 4 + 1},{n % 13},{n % 7}\n"
        for n in range(1, rows + 1)
    ]
    data = folder / "data.csv"
    data.write_text(HEADER + "".join(lines), encoding="utf-8")
    return rules, data


def _left_over(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stream_refused_late_keeps_the_previous_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: list[str]
) -> None:
    """Refused at row 3,000 of 4,000, the stream has written 2,999 lines by then; the output
    named by -o is the previous run's, not a shorter file that reads as complete."""
    rules, data = _files(tmp_path, 4000, refused_at=3000)
    out = tmp_path / "out.jsonl"
    out.write_text("the previous run\n", encoding="utf-8")
    argv = ["rate", str(rules), str(data), "--stream", *engine, "-o", str(out)]
    assert main(argv) == 2
    assert "row 3001: previous and last-year columns need the row's period" in (
        capsys.readouterr().err
    )
    assert out.read_text(encoding="utf-8") == "the previous run\n"
    assert _left_over(tmp_path) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_a_finished_stream_replaces_the_output_and_keeps_its_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: list[str]
) -> None:
    rules, data = _files(tmp_path, 50, refused_at=None)
    out = tmp_path / "out.jsonl"
    out.write_text("the previous run\n", encoding="utf-8")
    out.chmod(0o640)
    assert main(["rate", str(rules), str(data), "--stream", *engine, "-o", str(out)]) == 0
    assert main(["rate", str(rules), str(data), "--stream", *engine]) == 0
    printed = capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == printed and printed.count("\n") == 50
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert _left_over(tmp_path) == []


def test_a_new_output_gets_the_mode_open_gives(tmp_path: Path) -> None:
    """Not the 0600 of a temporary file: the user's umask decides, as for any new file."""
    previous = os.umask(0o027)
    try:
        with replacing(tmp_path / "new.txt") as out:
            out.write(b"text")
        (tmp_path / "plain.txt").write_bytes(b"text")
    finally:
        os.umask(previous)
    modes = {stat.S_IMODE((tmp_path / name).stat().st_mode) for name in ("new.txt", "plain.txt")}
    assert modes == {0o640}


@pytest.mark.parametrize("stop", [RuntimeError("refused"), KeyboardInterrupt()])
def test_an_error_or_ctrl_c_while_writing_leaves_the_file_as_it_was(
    tmp_path: Path, stop: BaseException
) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"before")

    def write_half() -> None:
        with replacing(target) as out:
            out.write(b"half of the ")
            raise stop

    with pytest.raises(type(stop)):
        write_half()
    assert target.read_bytes() == b"before"
    assert _left_over(tmp_path) == []


def test_a_link_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"before")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with replacing(link) as out:
        out.write(b"after")
    assert link.is_symlink() and real.read_bytes() == b"after"


def test_a_device_is_written_in_place(capsys: pytest.CaptureFixture[str]) -> None:
    """`-o /dev/null` (a character device): no file is made beside it, nothing is moved."""
    data = str(EXAMPLES / "havering-2020-21-q2.csv")
    ruleset = str(EXAMPLES / "havering-2020-21-q2.toml")
    assert main(["rate", ruleset, data, "--stream", "-o", os.devnull]) == 0
    assert "18 results" in capsys.readouterr().err
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_folder_that_takes_no_new_file_has_its_file_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writable file in a folder where the user may not make files (no file can be made
    beside it): written in place, as before, rather than refused."""
    target = tmp_path / "out.txt"
    target.write_bytes(b"before")
    real_open = os.open

    def no_new_files(name: str, flags: int, mode: int = 0o777) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", name)
        return real_open(name, flags, mode)

    monkeypatch.setattr(os, "open", no_new_files)
    with replacing(target) as out:
        out.write(b"after")
    monkeypatch.undo()
    assert target.read_bytes() == b"after"
    monkeypatch.setattr(os, "open", no_new_files)
    with pytest.raises(DataError, match="Permission denied"), replacing(tmp_path / "new.txt"):
        pass


def test_a_folder_named_as_the_output_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught, replacing(tmp_path):
        pass
    assert caught.value.problems[0].message.startswith("cannot write the output: ")


def test_a_folder_that_cannot_be_written_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught, replacing(tmp_path / "missing" / "out.txt"):
        pass
    (problem,) = caught.value.problems
    assert problem.file == str(tmp_path / "missing" / "out.txt")
    assert problem.message.startswith("cannot write the output: ")


def test_a_command_that_fails_keeps_the_previous_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not only rate: `show` of a ruleset that does not load leaves -o's file alone (it
    used to leave it empty)."""
    broken = tmp_path / "broken.toml"
    broken.write_text('[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = 3\n', "utf-8")
    out = tmp_path / "shown.toml"
    out.write_text("the previous run\n", encoding="utf-8")
    assert main(["show", str(broken), "--toml", "-o", str(out)]) == 2
    assert "expected a string" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "the previous run\n"


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.integers(1, 60), refused=st.integers(1, 60), engine=st.sampled_from(ENGINES[:2]))
def test_the_output_is_the_whole_new_output_or_the_previous_file(
    tmp_path: Path, rows: int, refused: int, engine: list[str]
) -> None:
    """Wherever the file is refused (or not at all, past its last row), -o holds either the
    previous file or every line that stdout would show: never a part of them."""
    rules, data = _files(tmp_path, rows, refused_at=refused)
    out = tmp_path / "out.jsonl"
    out.write_text("the previous run\n", encoding="utf-8")
    stdout = tmp_path / "stdout.jsonl"
    argv = ["rate", str(rules), str(data), "--stream", *engine]
    code = main([*argv, "-o", str(out)])
    assert code == (2 if refused <= rows else 0)
    if code == 2:
        assert out.read_text(encoding="utf-8") == "the previous run\n"
    else:
        assert main([*argv, "-o", str(stdout)]) == 0
        assert out.read_bytes() == stdout.read_bytes()
        assert out.read_bytes().count(b"\n") == rows
    assert _left_over(tmp_path) == []
