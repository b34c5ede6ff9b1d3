"""CSV and tab-separated files: whole, or a line at a time in constant memory."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ragrules.formats.data._common import MAX_LINE, _error, _refuse_other_workbooks
from ragrules.formats.data._encoding import _refuse_unseekable, sniff_encoding
from ragrules.formats.data._rows import iter_rows
from ragrules.model.observations import Observation


def parse_csv(
    text: str,
    *,
    source: str | None = None,
    columns: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    period: str | None = None,
) -> list[object]:
    """Parse delimited text with a header row; see `read_observations` for `columns`.

    Headers are matched case-, space-, hyphen- and underscore-blind. The delimiter is sniffed
    (comma, tab, semicolon or bar) unless given. Row numbers are the file's line numbers, so
    the header is line 1.
    """
    if not isinstance(text, str):
        raise TypeError(
            f"parse_csv takes the file's text (a str), not {type(text).__name__}; "
            "read_observations(path) reads a file"
        )
    return [
        *_iter_csv(
            # Lines end at CR, LF or CRLF, as a stream's `newline=""` reads them (an old Mac
            # Excel "CSV (Macintosh)" file ends its lines with a bare CR).
            io.StringIO(text, newline=""),
            _delimiter(delimiter, text, source),
            source=source,
            columns=columns,
            period=period,
        )
    ]


def iter_csv(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    period: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    encoding: str | None = None,
) -> Iterator[Observation]:
    """Read a CSV (or tab-separated) file a line at a time, in constant memory.

    The same reading as `read_observations` (sniffed delimiter, BOM, Windows-1252 fallback,
    mixed encodings refused), for files too large to hold: the rows of one line come out
    together, as `iter_rate` needs. `progress`, if given, is called with (bytes read, file
    size) as the file is read. `encoding` is the codec to read with, from `sniff_encoding`
    when the caller has checked the file already; else the file is checked here first.
    """
    lines = iter_csv_lines(path, delimiter=delimiter, progress=progress, encoding=encoding)
    return iter_rows(lines, source=str(path), columns=columns, period=period)


def iter_csv_lines(
    path: str | os.PathLike[str],
    *,
    delimiter: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    encoding: str | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """A CSV file's rows as (line number, cells), the header first, read as `iter_csv` reads
    them; a row whose quoted cell spans lines is numbered by its first line."""
    source = Path(path)
    _refuse_other_workbooks(source)
    _refuse_unseekable(source)
    if encoding is None:
        encoding = sniff_encoding(source)
    try:
        raw = _Counted(source.open("rb", buffering=0), progress)
        buffered = io.BufferedReader(raw, 1 << 16)
        with io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="") as stream:
            head = stream.read(65536)
            stream.seek(0)
            yield from _lines(
                _capped_lines(stream, str(source)),
                _delimiter(delimiter, head, str(source)),
                str(source),
            )
    except OSError as exc:
        raise _error(
            str(source), f"cannot read the data: {exc.strerror or exc}", "check the path"
        ) from None


def _capped_lines(stream: io.TextIOBase, source: str) -> Iterator[str]:
    """The stream's lines, each at most MAX_LINE characters: /dev/zero never ends a line."""
    number = 0
    while line := stream.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE:
            raise _error(
                source,
                f"line {number:,} is over {MAX_LINE:,} characters",
                "check this is a CSV file; a line that long holds no observation",
            )
        yield line


class _Counted(io.RawIOBase):
    """A binary file that reports how much of it has been read (for a progress bar)."""

    def __init__(self, raw: Any, progress: Callable[[int, int], None] | None) -> None:
        self.raw = raw
        self.size = os.fstat(raw.fileno()).st_size
        self.progress = progress

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return int(self.raw.seek(offset, whence))

    def tell(self) -> int:
        return int(self.raw.tell())

    def readinto(self, buffer: Any) -> int:
        count = int(self.raw.readinto(buffer))
        if self.progress is not None:
            self.progress(self.raw.tell(), self.size)
        return count

    def close(self) -> None:
        self.raw.close()
        super().close()


def _delimiter(delimiter: str | None, text: str, source: str | None) -> str:
    if delimiter is not None and not isinstance(delimiter, str):
        raise TypeError(
            f"delimiter is one character as text (',', ';', 'tab'), not {type(delimiter).__name__}"
        )
    if delimiter in ("\\t", "tab"):
        delimiter = "\t"  # as typed on a command line
    if delimiter is not None and len(delimiter) != 1:
        raise _error(source, f"--delimiter {delimiter!r} is not one character", "e.g. ';'")
    return delimiter or _sniff(text)


def _iter_csv(
    stream: Iterable[str],
    delimiter: str,
    *,
    source: str | None,
    columns: Mapping[str, str] | None,
    period: str | None,
) -> Iterator[Observation]:
    return iter_rows(
        _lines(stream, delimiter, source), source=source, columns=columns, period=period
    )


def _lines(
    stream: Iterable[str], delimiter: str, source: str | None
) -> Iterator[tuple[int, list[str]]]:
    """Each row's cells, numbered by its first line; a file the csv module would misread
    without a word is refused where it goes wrong (see `_beyond_header`, `_open_quote`)."""
    held: list[str] = []  # the lines of the row being read
    ended: list[bool] = []  # set when the stream is exhausted

    def fed() -> Iterator[str]:
        for text in stream:
            held.append(text)
            yield text
        ended.append(True)

    reader = csv.reader(fed(), delimiter=delimiter)
    start = 1
    width = -1  # the header's
    try:
        for cells in reader:
            if ended:  # the csv module read on to the end for this row: a quote left open
                _open_quote(held, delimiter, start, source)
            if width < 0:
                width = len(cells)
            elif len(cells) > width:
                _beyond_header(cells, width, start, source)
            yield start, cells  # a quoted cell may span lines: a row starts on its first
            start = reader.line_num + 1
            held.clear()
    except csv.Error as exc:
        raise _error(
            source, f"line {reader.line_num}: {exc}", "check the quoting of that line"
        ) from None


def _beyond_header(cells: list[str], width: int, line: int, source: str | None) -> None:
    """Refuse a row with text beyond the header's last column (blank cells there are
    nothing): `a,2021,1,234` is a value of 1 and a stray 234, a thousands comma unquoted."""
    beyond = [cell for cell in cells[width:] if cell.strip()]
    if beyond:
        shown = ", ".join(repr(cell) for cell in beyond[:3]) + (", ..." if beyond[3:] else "")
        raise _error(
            source,
            f"line {line}: {len(cells)} cells under a header of {width} columns "
            f"({shown} beyond the last)",
            'quote a number written with a thousands comma ("1,234"), or give the extra '
            "column a header",
        )


def _open_quote(held: list[str], delimiter: str, line: int, source: str | None) -> None:
    """Refuse a row whose quoted cell is never closed: the csv module, which reads on past a
    line's end only inside quotes, read the rest of the file into it, every later row lost.
    The line named is the one the quote opens on, scanned as the module scans (a quote opens
    a cell only at its start; `""` inside one is a quote)."""
    state, opened = "start", line
    for number, text in enumerate(held, line):
        for character in text:
            if state == "quoted":
                state = "quote" if character == '"' else "quoted"
            elif character == delimiter:  # (a line end outside quotes ends the row)
                state = "start"
            elif state == "quote":
                state = "quoted" if character == '"' else "plain"
            elif state == "start" and character == '"':
                state, opened = "quoted", number
            else:
                state = "plain"
    raise _error(
        source,
        f"line {opened}: a quoted cell opened on this line is never closed; the rest "
        "of the file would be read into it",
        'close the quote, or write a quote inside a quoted cell twice ("")',
    )


def _sniff(text: str) -> str:
    """The delimiter the header line uses most outside quoted cells: comma, tab, semicolon or
    bar (comma on a tie). A header cell `"Notes; actions"` does not make the file `;`."""
    header = _QUOTED_CELL.sub("", re.split("[\r\n]", text, maxsplit=1)[0])
    counts = {delimiter: header.count(delimiter) for delimiter in (",", "\t", ";", "|")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


_QUOTED_CELL = re.compile(r'"(?:[^"]|"")*"')
