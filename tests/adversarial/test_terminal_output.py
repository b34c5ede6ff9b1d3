"""Output printed to a terminal: whatever the format, control, escape and bidi characters from
the ruleset or data are shown as `\\x1b`, `\\u202e` (CSV and HTML print cells as they are), so
a cell cannot retitle, clear or rewrite the terminal; sent to a pipe or a file, the output is
the data as it is."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

RULESET = '[ruleset]\nformat = 1\nid = "t"\n[[indicator]]\nid = "b"\ntarget = 50\n'
RULESET += "tolerance = { absolute = 5 }\n"
HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\u202e"


def _files(tmp_path: Path) -> list[str]:
    ruleset, data = tmp_path / "r.toml", tmp_path / "d.csv"
    ruleset.write_text(RULESET, encoding="utf-8")
    data.write_text(f'indicator,period,value,area\nb,2020/21 Q2,46,"{HOSTILE}"\n', "utf-8")
    return [str(ruleset), str(data)]


def _on_a_terminal(argv: list[str]) -> bytes:
    """What the command prints to a pseudo-terminal (its line ends as the terminal sends them)."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "ragrules", *argv],
            stdout=follower,
            stderr=subprocess.PIPE,
            check=False,
            timeout=120,
        )
    finally:
        os.close(follower)
    assert done.returncode == 0, done.stderr
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 1 << 16)
        except OSError:  # the terminal closed: everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks)


@pytest.mark.parametrize("fmt", ["csv", "html", "json"])
def test_a_cells_escape_sequence_is_shown_not_run_on_a_terminal(tmp_path: Path, fmt: str) -> None:
    argv = ["rate", *_files(tmp_path), "--format", fmt]
    shown = _on_a_terminal(argv)
    assert b"\x1b" not in shown and "\u202e".encode() not in shown
    assert b"\\x1b]0;PWNED\\x07\\x1b[2J\\u202e" in shown or b"\\u001b]0;PWNED" in shown
    assert shown.count(b"\n") > 1  # line ends kept


def test_piped_the_output_is_the_data_as_it_is(tmp_path: Path) -> None:
    argv = ["rate", *_files(tmp_path), "--format", "csv"]
    piped = subprocess.run(
        [sys.executable, "-m", "ragrules", *argv], capture_output=True, check=True, timeout=120
    )
    assert HOSTILE.encode() in piped.stdout
