"""Hostile rulesets: each input is built at test time and must give a located RulesetError,
quickly and in bounded memory, and say nothing about files the load may not read.

Issue 13, items 3 (extends fan-out), 5 (tracebacks), 6 (many unknown keys), 11 (roots).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import stat
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ragrules
from ragrules.formats.loading import resolve_file
from tests.conftest import EXAMPLES

HEAD = '[ruleset]\nformat = 1\nid = "{id}"\n'
ONE = '[[indicator]]\nid = "x"\nunit = "percent"\ntarget = "50%"\n'
DEFAULTS = '[defaults]\ntolerance = { relative = "5%" }\n'


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _child(folder: Path, extends: str, body: str = ONE) -> Path:
    return _write(folder / "child.toml", HEAD.format(id="c") + f"extends = {extends}\n" + body)


def _refused(load: Callable[[], object]) -> ragrules.RulesetError:
    with pytest.raises(ragrules.RulesetError) as caught:
        load()
    return caught.value


class _Hung(BaseException):
    """Not an OSError, so no `except OSError` in the code under test can swallow it."""


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (a read that never ends, a FIFO that never opens)."""

    def expire(signum: int, frame: object) -> None:
        raise _Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _counting_opens() -> Iterator[list[str]]:
    """Record every .toml file opened (by name) while the block runs."""
    opened: list[str] = []
    real_os_open, real_io_open = os.open, io.open

    def os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith(".toml"):
            opened.append(str(path))
        return real_os_open(path, *args, **kwargs)

    def io_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(file, int) and str(file).endswith(".toml"):
            opened.append(str(file))
        return real_io_open(file, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "open", os_open)
        patch.setattr(io, "open", io_open)
        yield opened


needs_posix = pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs POSIX signals")


# -- item 3: extends fan-out ----------------------------------------------------------------


def test_extends_fan_out_reads_and_merges_each_base_once(tmp_path: Path) -> None:
    """Six levels, each naming the next ten times (by two spellings): 10^6 merges before."""
    for level in range(6):
        names = [f"l{level + 1}.toml", f"./l{level + 1}.toml"] * 5
        extends = "[" + ", ".join(f'"{name}"' for name in names) + "]"
        _write(tmp_path / f"l{level}.toml", HEAD.format(id=level) + f"extends = {extends}\n")
    _write(tmp_path / "l6.toml", HEAD.format(id="last") + DEFAULTS)
    child = _child(tmp_path, '"l0.toml"')
    started = time.process_time()  # CPU time: a busy machine slows only the wall clock
    with _counting_opens() as opened:
        ruleset = ragrules.load(child)
    assert time.process_time() - started < 1
    assert ruleset.indicators[0].tolerance is not None
    assert len(opened) == 8  # the ruleset and its seven distinct bases, once each


def test_a_load_reads_at_most_64_files(tmp_path: Path) -> None:
    """Seventy distinct small bases: refused at the extends key, before reading them all."""
    for n in range(70):
        _write(tmp_path / f"b{n}.toml", HEAD.format(id=n))
    extends = "[" + ", ".join(f'"b{n}.toml"' for n in range(70)) + "]"
    error = _refused(lambda: ragrules.load(_child(tmp_path, extends)))
    (problem,) = error.problems
    assert "more than 64 files" in problem.message
    assert (problem.key, problem.line) == ("ruleset.extends[63]", 4)


def test_bases_share_one_character_budget(tmp_path: Path) -> None:
    """Two valid 3 MB bases: the 5,000,000-character limit covers the ruleset and its bases."""
    filler = "# filler\n" * 333_334  # 3,000,006 characters of comments
    _write(tmp_path / "a.toml", HEAD.format(id="a") + filler)
    _write(tmp_path / "b.toml", HEAD.format(id="b") + filler)
    error = _refused(lambda: ragrules.load(_child(tmp_path, '["a.toml", "b.toml"]')))
    (problem,) = error.problems
    assert "over 5,000,000 characters" in problem.message
    assert (problem.key, problem.line) == ("ruleset.extends[1]", 4)


def test_a_100_mb_base_is_refused_without_being_read(tmp_path: Path) -> None:
    """A sparse 100 MB base: refused from its size; memory stays far below its size."""
    with (tmp_path / "huge.toml").open("wb") as huge:
        huge.truncate(100_000_000)
    tracemalloc.start()
    try:
        error = _refused(lambda: ragrules.load(_child(tmp_path, '"huge.toml"')))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "over 5,000,000 characters" in error.problems[0].message
    assert peak < 10_000_000


# -- item 5: inputs that used to escape as tracebacks ---------------------------------------


@needs_posix
def test_dev_zero_as_the_ruleset_is_a_located_error() -> None:
    """/dev/zero never ends: it is read up to the limit and refused, not read to MemoryError."""
    with _deadline(20):
        error = _refused(lambda: ragrules.load("/dev/zero"))
    (problem,) = error.problems
    assert problem.file == "/dev/zero"
    assert "over 5,000,000 characters" in problem.message


@needs_posix
def test_a_fifo_nobody_writes_to_does_not_hang(tmp_path: Path) -> None:
    """Opening a FIFO waits for a writer; a ruleset load must not wait forever."""
    fifo = tmp_path / "ruleset.toml"
    os.mkfifo(fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    with _deadline(5):
        error = _refused(lambda: ragrules.load(fifo))
    assert error.problems[0].file == str(fifo)


@pytest.mark.parametrize("where", ["base", "extends"])
def test_a_base_name_over_255_bytes_is_a_located_error(tmp_path: Path, where: str) -> None:
    """ENAMETOOLONG from the file system is 'no base ruleset', at the extends key."""
    name = "n" * 300 + ".toml"
    extends = f'"{name}"' if where == "base" else f'"{name}/../x.toml"'
    error = _refused(lambda: ragrules.load(_child(tmp_path, extends)))
    (problem,) = error.problems
    assert "no base ruleset" in problem.message
    assert (problem.key, problem.line) == ("ruleset.extends", 4)


def _nested(depth: int) -> str:
    return HEAD.format(id="d") + '[[indicator]]\nid = "x"\nunit = ' + "{a = " * depth + "1"


def _deep(frames: int, run: Callable[[], object]) -> object:
    """Run `run` from `frames` Python frames down, as a caller deep in its own code would."""
    return run() if frames == 0 else _deep(frames - 1, run)


def test_400_deep_inline_tables_are_a_located_error() -> None:
    """tomli accepts 400 levels; locating the error must not need 800 Python frames."""
    text = _nested(400) + "}" * 400 + "\n"
    error = _refused(lambda: _deep(250, lambda: ragrules.loads(text)))
    (problem,) = error.problems
    assert problem.line == 6  # `expected a string`, or with a pure-Python tomli `nested more`


@pytest.mark.parametrize("depth", [401, 5_000])
def test_nesting_beyond_tomli_is_a_located_error(depth: int) -> None:
    """Nesting tomli refuses (a RecursionError) is reported at its line."""
    text = "\n" + _nested(depth) + "}" * depth + "\n"
    error = _refused(lambda: ragrules.loads(text))
    (problem,) = error.problems
    assert "nested more than" in problem.message
    assert problem.line == 7


@pytest.mark.parametrize(
    "number", ["1" * 5_000, "0x" + "f" * 4_000, "0o" + "7" * 6_000, "0b" + "1" * 16_000]
)
@pytest.mark.parametrize("key", ["target", "title", "tolerance = { absolute = 1 }\nstretch"])
def test_giant_integers_are_located_errors(number: str, key: str) -> None:
    """Python's int-string limit raised ValueError inside tomli, or when a message printed it."""
    text = HEAD.format(id="g") + f'[[indicator]]\nid = "x"\n{key} = {number}\n'
    error = _refused(lambda: ragrules.loads(text))
    assert error.problems[0].line is not None
    assert len(str(error)) < 10_000


def test_a_giant_integer_in_a_base_names_the_base(tmp_path: Path) -> None:
    _write(tmp_path / "b.toml", HEAD.format(id="b") + "[defaults]\nx = " + "1" * 5_000 + "\n")
    error = _refused(lambda: ragrules.load(_child(tmp_path, '"b.toml"')))
    (problem,) = error.problems
    assert problem.file is not None and problem.file.endswith("b.toml")
    assert problem.line == 5


# -- item 6: many unknown keys --------------------------------------------------------------


def test_400k_unknown_keys_are_reported_briefly_and_fast() -> None:
    """Did-you-mean for the first 20 unknown keys per table; at most 100 problems in all."""
    keys = "".join(f"k{n:x}=1\n" for n in range(400_000))
    text = HEAD.format(id="u") + DEFAULTS + keys + ONE
    started = time.process_time()
    error = _refused(lambda: ragrules.loads(text))
    assert time.process_time() - started < 10
    messages = [p.message for p in error.problems]
    assert messages.count("unknown key 'k0'") == 1
    assert len(error.problems) == 21
    assert "and 399,980 more unknown keys" in messages


def test_problems_are_capped_at_100_and_still_an_error() -> None:
    indicators = "".join(f'[[indicator]]\nid = "i{n}"\ntarget = "bad"\n' for n in range(500))
    error = _refused(lambda: ragrules.loads(HEAD.format(id="p") + indicators))
    assert len(error.problems) == 101
    assert error.problems[-1].message == "and 400 more problems"
    assert error.problems[-1].severity is ragrules.Severity.ERROR


def test_many_tables_of_unknown_keys_are_counted_not_described() -> None:
    """5,000 indicators with 20 unknown keys each: 100 problems shown, the rest counted."""
    keys = "".join(f"k{n}=1\n" for n in range(20))
    body = "".join(f'[[indicator]]\nid = "i{n}"\n{keys}' for n in range(5_000))
    started = time.process_time()
    error = _refused(lambda: ragrules.loads(HEAD.format(id="m") + body))
    assert time.process_time() - started < 5
    assert len(error.problems) == 101
    assert error.problems[-1].message == "and 99,900 more problems"


# -- item 11: what a shared ruleset may read ------------------------------------------------


def test_forbidden_and_missing_bases_get_the_same_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From `/`, a shared ruleset cannot read /proc/self/environ or a file beside its folder,
    and cannot tell them from a file that does not exist."""
    _write(tmp_path / "outside" / "base.toml", HEAD.format(id="b") + DEFAULTS)
    folder = tmp_path / "shared"
    monkeypatch.chdir("/")
    answers = set()
    for reference in (
        "/proc/self/environ",
        "../outside/base.toml",
        "../outside/missing.toml",
        str(tmp_path / "outside" / "base.toml"),
        "missing.toml",
    ):
        child = _child(folder, f'"{reference}"')
        error = _refused(lambda: ragrules.load(child))  # noqa: B023 (called at once)
        (problem,) = error.problems
        assert (problem.key, problem.line) == ("ruleset.extends", 4)
        answers.add(str(error).replace(repr(reference), "REF"))
    assert len(answers) == 1, answers


def test_the_current_folder_is_not_a_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the ruleset's own folder (and its subfolders), the catalogue folder beside it,
    and what the caller names."""
    for folder in ("b", "a/sub", "catalogue"):
        _write(tmp_path / folder / "base.toml", HEAD.format(id="b") + DEFAULTS)
    monkeypatch.chdir(tmp_path)
    beside = _child(tmp_path / "a", '"../b/base.toml"')
    assert "no base ruleset" in str(_refused(lambda: ragrules.load(beside)))
    assert ragrules.load(beside, allowed=[tmp_path / "b"]).indicators
    assert ragrules.load(_child(tmp_path / "a", '"sub/base.toml"')).indicators
    assert ragrules.load(_child(tmp_path / "a", '"../catalogue/base.toml"')).indicators
    text = HEAD.format(id="t") + 'extends = "sub/base.toml"\n' + ONE
    assert "no base ruleset" in str(_refused(lambda: ragrules.loads(text)))  # text: no folder
    assert ragrules.loads(text, directory=tmp_path / "a").indicators


def test_the_shipped_catalogue_is_readable_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert ragrules.load(EXAMPLES / "havering-2020-21-q2.toml").indicators


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('[database]\nhunter2-key = "hunter2-value"\n', "is not a ruleset"),
        ('ruleset = "hunter2-value"\nformat = 1\n', "is not a ruleset"),
        ('hunter2-key = "hunter2-value\n', "is not a ruleset"),
        (b"\xffhunter2-value = 1\n", "is not a ruleset"),
        ('[ruleset]\nformat = "hunter2-value"\n', "not in format 1"),
    ],
)
def test_a_file_that_is_not_a_ruleset_is_never_quoted(
    tmp_path: Path, content: str | bytes, words: str
) -> None:
    """A TOML file in an allowed folder is named and located, but none of it is echoed."""
    path = tmp_path / "config.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        _write(path, content)
    error = _refused(lambda: ragrules.load(_child(tmp_path, '"config.toml"')))
    (problem,) = error.problems
    assert words in problem.message
    assert "hunter2" not in str(error)
    assert "0xff" not in str(error)
    assert problem.file is not None and problem.file.endswith("config.toml")


# -- property: any DAG of extends loads as merged once, reading each file once ---------------


@st.composite
def _dags(draw: st.DrawFn) -> tuple[list[list[int]], list[dict[str, int]]]:
    """Files 0..n-1; file i extends files after it (repeats allowed) and sets some defaults."""
    count = draw(st.integers(1, 7))
    extends = [
        draw(st.lists(st.integers(i + 1, count - 1), max_size=4)) if i + 1 < count else []
        for i in range(count)
    ]
    keys = st.dictionaries(st.sampled_from(["places", "relative"]), st.integers(0, 12))
    return extends, [draw(keys) for _ in range(count)]


def _expected(
    file: int, extends: list[list[int]], own: list[dict[str, int]]
) -> dict[str, tuple[int, int]]:
    """The naive merge, recomputed for every path: key -> (value, file that wrote it)."""
    merged: dict[str, tuple[int, int]] = {}
    for base in extends[file]:
        merged.update(_expected(base, extends, own))
    merged.update({key: (value, file) for key, value in own[file].items()})
    return merged


def _dag_file(index: int, extends: list[int], own: dict[str, int], spelling: int) -> str:
    names = [f"f{base}.toml" if spelling % 2 else f"./f{base}.toml" for base in extends]
    lines = [HEAD.format(id=f"f{index}")]
    if names:
        lines.append("extends = [" + ", ".join(f'"{name}"' for name in names) + "]\n")
    lines.append("[defaults]\n")
    if "places" in own:
        lines.append(f"rounding = {{ places = {own['places']} }}\n")
    if "relative" in own:
        lines.append(f'tolerance = {{ relative = "{own["relative"]}%" }}\n')
    if index == 0:
        lines.append(ONE)
    return "".join(lines)


@settings(max_examples=60, deadline=None)
@given(_dags(), st.integers(0, 1))
def test_any_dag_of_extends_merges_as_computed_once(
    dag: tuple[list[list[int]], list[dict[str, int]]], spelling: int
) -> None:
    extends, own = dag
    with tempfile.TemporaryDirectory() as folder:
        for index in range(len(extends)):
            _write(
                Path(folder) / f"f{index}.toml",
                _dag_file(index, extends[index], own[index], spelling),
            )
        reachable = {0}
        for index in range(len(extends)):  # files only point forward: one pass suffices
            if index in reachable:
                reachable.update(extends[index])
        with _counting_opens() as opened:
            document, origins = resolve_file(Path(folder) / "f0.toml")
        expected = _expected(0, extends, own)
        defaults = document.get("defaults", {})
        rounding = defaults.get("rounding", {}).get("places")
        tolerance = defaults.get("tolerance", {}).get("relative")
        assert rounding == (expected["places"][0] if "places" in expected else None)
        relative = f"{expected['relative'][0]}%" if "relative" in expected else None
        assert tolerance == relative
        for key, setting in (("places", "rounding"), ("relative", "tolerance")):
            if key in expected:
                file = origins.locate(f"defaults.{setting}")[0]
                assert file is not None and file.endswith(f"f{expected[key][1]}.toml")
        assert len(opened) == len(reachable)
        if "relative" in expected:
            assert ragrules.load(Path(folder) / "f0.toml").indicators
