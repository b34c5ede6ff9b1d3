"""The columnar engine's writing: lines written to a file behind the rating of the next block
arrive in order, before anything else written to the file, and a failed write is raised,
never lost; a block's long lines are found as a split into lines finds them."""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("polars")

from ragrules.columnar import rate_csv_columnar
from ragrules.reports.columnar import _table, _writer
from ragrules.reports.columnar._behind import WritesBehind
from ragrules.reports.compiled import rate_csv_stream
from tests.conftest import assert_same_outcome
from tests.property.test_columnar import RULES, _blocks_of, plain_files

_THREAD = "ragrules-columnar-write"


def _writing_threads() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name.startswith(_THREAD)]


@given(data=plain_files(), size=st.integers(1, 300), later=st.booleans())
@settings(max_examples=40)  # both engines a file, a polars read a block: CI's budget
def test_blocks_written_to_a_file_come_out_in_order(
    tmp_path_factory: pytest.TempPathFactory, data: str, size: int, later: bool
) -> None:
    """Blocks written behind the caller, then (after a line the plans do not take) the row
    engine's lines, between what the caller wrote before and after: the row engine's file."""
    folder = tmp_path_factory.mktemp("columnar")
    header, rest = data.split("\n", 1)
    # White space Python strips and polars does not: the row engine's from that block on.
    cells = {"indicator": "up", "area": "E1\x85", "sex": "Male", "period": "2022/23 Q2"}
    line = ",".join(cells.get(name, "") for name in header.split(",")) + "\n"
    path = folder / "data.csv"
    path.write_text(header + "\n" + rest + (line if later else "") + rest, encoding="utf-8")

    def written(rate: Any) -> bytes:
        with (folder / "out").open("w", encoding="utf-8") as out, _blocks_of(size):
            out.write("before\n")
            rate(RULES, path, out)
            out.write("after\n")
        return (folder / "out").read_bytes()

    assert_same_outcome(lambda: written(rate_csv_stream), lambda: written(rate_csv_columnar))
    assert not _writing_threads()  # each file's writing thread is let go


class _Full(io.RawIOBase):
    """A file system that is full: every write fails."""

    def writable(self) -> bool:
        return True

    def write(self, _: object) -> int:
        raise OSError(28, "No space left on device")


def test_a_write_that_fails_is_raised_and_its_thread_let_go(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("indicator,area,sex,period,value\n" + "up,E1,Male,2022/23 Q1,12%\n" * 2000)
    out = io.TextIOWrapper(io.BufferedWriter(_Full()), encoding="utf-8")
    with pytest.raises(OSError, match="No space left"):
        rate_csv_columnar(RULES, path, out)
    assert not _writing_threads()


def test_writes_behind_keep_their_order_and_raise_what_failed() -> None:
    behind, done = WritesBehind(), []
    for n in range(50):
        behind.submit(lambda n=n: done.append(n))  # type: ignore[misc]
    behind.wait()
    assert done == list(range(50))

    def fail() -> None:
        raise OSError("the disk went away")

    behind.submit(fail)
    with pytest.raises(OSError, match="went away"):
        behind.submit(lambda: done.append(-1))  # the failure is raised where it is handed over
    assert done[-1] == 49  # nothing is written after a write that failed
    behind.finish()
    assert not _writing_threads()
    behind.finish()  # finishing twice is harmless


def _lines(data: st.DataObject, limit: int) -> str:
    near = st.integers(0, 3 * limit) | st.sampled_from([limit - 1, limit, limit + 1, 2 * limit])
    lengths = data.draw(st.lists(near, max_size=12))
    end = data.draw(st.sampled_from(["", "\n"]))
    return "\n".join("x" * length for length in lengths) + end


@given(data=st.data(), limit=st.integers(1, 40))
def test_long_lines_are_found_as_a_split_finds_them(data: st.DataObject, limit: int) -> None:
    """`_too_long` looks for a line end in windows of the block instead of splitting it:
    the same answer as the split, for lines of every length around the limit."""
    text = _lines(data, limit)
    kept = csv.field_size_limit()
    csv.field_size_limit(limit)
    try:
        found = _table._too_long(text)
    finally:
        csv.field_size_limit(kept)
    assert found == (max(map(len, text.split("\n"))) > limit)


def test_the_error_that_stopped_rating_is_raised_not_a_failed_write_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rating stops (an error in a later block, Ctrl-C) while an earlier block's write fails:
    the caller sees what stopped the rating; the writing thread is let go all the same."""
    path = tmp_path / "data.csv"
    lines = "".join(f"up,E{n},Male,2022/23 Q1,12%\n" for n in range(2000))
    path.write_text("indicator,area,sex,period,value\n" + lines)
    calls = []
    write = _writer.Writer.write

    def stopping(self: _writer.Writer, table: object) -> bool:
        calls.append(1)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return write(self, table)  # type: ignore[arg-type]

    monkeypatch.setattr(_writer.Writer, "write", stopping)
    out = io.TextIOWrapper(io.BufferedWriter(_Full()), encoding="utf-8")
    with _blocks_of(20_000), pytest.raises(KeyboardInterrupt):
        rate_csv_columnar(RULES, path, out)
    assert len(calls) == 2 and not _writing_threads()
