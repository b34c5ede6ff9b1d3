"""`rate --stream --jobs N`: a CSV file rated in N parts by N processes, written as one.

The file is cut by byte ranges at line ends into parts of consecutive lines. Each process
reads the file from its start: the lines before its part are replayed (kept as history and
as searched unknown ids, not rated), so each line of its part is rated with exactly the
history one process would have had, and carries its own line number. Each part is written to
a file of its own; the parts are then copied out in order, and their tallies added. The
output is the same bytes as one process writes (a test holds it).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from ragrules.engine.ruleset import Ruleset
from ragrules.reports._utf8 import utf8_buffer
from ragrules.reports.stream import Tally


def part_lines(path: Path, jobs: int) -> list[int] | None:
    """The first line of each part after the first (line numbers, the header being line 1),
    or None when the file cannot be cut at line ends: a quoted cell spanning lines (a line
    with an odd number of quotes) would be cut in two. The file is read in chunks: a file of
    any size is cut in memory of one chunk."""
    size = path.stat().st_size
    starts: list[int] = []
    cuts: list[int] = []
    newlines, odd, offset = 0, False, 0
    with path.open("rb") as data:
        while chunk := data.read(_CHUNK):
            pieces = chunk.split(b"\n")
            at = offset
            for piece in pieces[:-1]:
                at += len(piece)  # the newline ending this piece is at `at`
                if (piece.count(b'"') % 2 == 1) != odd:
                    return None  # this line's quotes do not pair up
                odd = False
                newlines += 1
                if newlines == 1:  # the header's end: cut the rest into equal byte ranges
                    cuts = [at + 1 + (size - at - 1) * k // jobs for k in range(jobs - 1, 0, -1)]
                while cuts and at >= cuts[-1]:
                    cuts.pop()
                    if at + 1 < size and (not starts or starts[-1] != newlines + 1):
                        starts.append(newlines + 1)
                at += 1
            odd ^= pieces[-1].count(b'"') % 2 == 1
            offset += len(chunk)
    return starts or None


_CHUNK = 1 << 24  # bytes read at a time when cutting a file into parts


def _copy_out(parts: list[str], out: TextIO) -> None:
    """The parts' text, in order, to `out`: as bytes when `out` is a UTF-8 file on a system
    whose text files end lines with a bare newline (nothing to translate, so the bytes are
    those `out` would write), else as text."""
    buffer = utf8_buffer(out)
    if buffer is not None:
        for name in parts:
            with open(name, "rb") as part:
                shutil.copyfileobj(part, buffer, _CHUNK)
        buffer.flush()
        return
    for name in parts:
        with open(name, encoding="utf-8", newline="") as part:
            shutil.copyfileobj(part, out)


def write_in_parts(
    ruleset: Ruleset,
    path: Path,
    out: TextIO,
    fmt: str,
    starts: list[int],
    options: Mapping[str, Any],
    passed: Sequence[str] | None,
    safe_csv: bool,
    worker: Callable[[tuple[Any, ...]], Tally],
) -> Tally:
    """Each part by a process of its own (`worker` rates one part into its file), written
    to `out` in order; the tallies added."""
    bounds = list(zip([0, *starts], [*starts, None], strict=True))
    with tempfile.TemporaryDirectory(prefix="ragrules-jobs-") as scratch:
        tasks = [
            (
                ruleset,
                str(path),
                dict(options),
                fmt,
                first,
                last,
                passed,
                safe_csv,
                n > 0,
                os.path.join(scratch, f"part-{n}"),
            )
            for n, (first, last) in enumerate(bounds)
        ]
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        files = [task[-1] for task in tasks]
        tallies = []
        with context.Pool(len(tasks)) as pool:
            pending = [pool.apply_async(worker, (task,)) for task in tasks]
            for done, result in enumerate(pending, start=1):
                try:
                    tallies.append(result.get())
                except Exception:
                    # What one process writes before it stops: the parts before this one
                    # and this one's lines up to the line that stopped it.
                    _copy_out([name for name in files[:done] if os.path.exists(name)], out)
                    raise
        _copy_out(files, out)
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total
