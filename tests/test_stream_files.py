"""A stream written to a real file: the compiled engine (and the columnar one, and `--jobs`)
write the lines' UTF-8 bytes beneath a text file, a few hundred lines at a time. What lands in
the file is what the text file would have written: the same bytes as a `StringIO`, in order
with the general path's lines and with what the caller writes before and after, a newline
translated where the file was opened to translate it, and every line before an error."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import pytest

import ragrules
from ragrules.reports import _json_lines
from ragrules.reports._utf8 import utf8_buffer
from ragrules.reports.compiled import CsvStream
from tests.test_jobs import RULES, stopped_file

Write = Callable[[ragrules.Ruleset, Path, TextIO], object]


def _compiled(ruleset: ragrules.Ruleset, path: Path, out: TextIO) -> object:
    return CsvStream(ruleset, path).write(out)


def _two_jobs(ruleset: ragrules.Ruleset, path: Path, out: TextIO) -> object:
    return CsvStream(ruleset, path).write(out, jobs=2)


WRITERS: list[Write] = [_compiled, _two_jobs]
try:
    from ragrules.columnar import rate_csv_columnar

    WRITERS.append(lambda ruleset, path, out: rate_csv_columnar(ruleset, path, out))
except ImportError:  # pragma: no cover - the polars extra is missing
    pass


def _mixed(path: Path, rows: int = 900) -> Path:
    """Plain lines with general ones among them: caveated rows, an unknown indicator, a
    commentary in a line with a character outside ASCII."""
    lines = ["indicator,area,period,value,previous,caveat,commentary"]
    for n in range(rows):
        indicator = "ab"[n % 2] if n % 37 else "c"
        caveat = "late" if n % 11 == 0 else ""
        note = "fell — see note" if n % 5 == 0 else ""
        quarter = (n // 20) % 4 + 1
        lines.append(f"{indicator},E{n % 10},2022/23 Q{quarter},{n % 13},{n % 7},{caveat},{note}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _text(write: Write, ruleset: ragrules.Ruleset, path: Path) -> str:
    out = io.StringIO()
    write(ruleset, path, out)
    return out.getvalue()


@pytest.mark.parametrize("write", WRITERS)
@pytest.mark.parametrize("newline", [None, "", "\n", "\r\n", "\r"])
def test_a_file_holds_what_its_text_would(
    tmp_path: Path, write: Write, newline: str | None
) -> None:
    ruleset = ragrules.loads(RULES)
    path = _mixed(tmp_path / "data.csv")
    expected = _text(write, ruleset, path)
    assert expected.count("\n") == 900 and '"rejected": true' in expected
    target = tmp_path / "out.jsonl"
    with target.open("w", encoding="utf-8", newline=newline) as out:
        out.write("before\n")
        write(ruleset, path, out)
        out.write("after\n")
    written = f"before\n{expected}after\n"
    ending = "\n" if newline in (None, "") else newline
    assert target.read_bytes() == written.replace("\n", ending).encode("utf-8")


def test_the_bytes_beneath_are_used_only_where_nothing_is_translated(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    for newline, used in ((None, True), ("", True), ("\n", True), ("\r\n", False), ("\r", False)):
        with target.open("w", encoding="utf-8", newline=newline) as out:
            assert (utf8_buffer(out) is not None) is used, newline
    with target.open("w", encoding="utf-16") as out:
        assert utf8_buffer(out) is None
    assert utf8_buffer(io.StringIO()) is None


def test_a_stream_stopped_by_an_error_has_written_every_line_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines are handed to the file a few hundred at a time; a line the reader refuses (a
    cell beyond the header's last column) leaves those before it in the file."""
    monkeypatch.setattr(_json_lines, "_LINES_HELD", 64)
    ruleset = ragrules.loads(RULES)
    # An area a row: no row is another's duplicate, so every line before is planned.
    path = stopped_file(tmp_path / "data.csv", "a,E1,2022/23 Q1,12,11,999", areas=400)
    target = tmp_path / "out.jsonl"
    with (
        target.open("w", encoding="utf-8") as out,
        pytest.raises(ragrules.DataError, match="line 351"),
    ):
        CsvStream(ruleset, path).write(out)
    written = target.read_text("utf-8")
    assert written.count("\n") == 349 and '"rejected"' not in written  # every one planned
