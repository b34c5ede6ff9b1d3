"""The compiled stream: a CSV file rated by the compiled row engine and written as JSON lines
(or CSV) byte for byte as `write_stream(ruleset.iter_rate(iter_csv(...)))` writes it.

Plain lines (see `ragrules.engine.plan`) are read from their cells, rated by their plan and
written from fragments rendered once per plan, value text and movement; every other line
is read into observations and rated and written by the general path, in its place in the
output. tests/property/test_plan.py holds the two to the same bytes.
"""

from __future__ import annotations

import contextlib
import itertools
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from ragrules.engine._rates import MARK_COLUMNS, is_marked
from ragrules.engine.judgement import JUDGEMENT_COLUMNS
from ragrules.engine.plan import RowStream
from ragrules.engine.ruleset import Ruleset
from ragrules.formats.data import RowReader, header_of, iter_csv_lines
from ragrules.model.numbers import in_exact_context
from ragrules.reports._jobs import part_lines, write_in_parts
from ragrules.reports._json_lines import JsonLines
from ragrules.reports.stream import StreamWriter, Tally

_ABSENT = 1 << 62  # the index of a column the file does not have: its text is blank


def rate_csv_stream(
    ruleset: Ruleset,
    path: str | os.PathLike[str],
    out: TextIO,
    fmt: str = "json",
    *,
    columns: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    period: str | None = None,
    encoding: str | None = None,
    safe_csv: bool = True,
) -> Tally:
    """Rate a CSV file a line at a time and write each result as `write_stream` does.

    The same output, byte for byte, as `write_stream(ruleset.iter_rate(iter_csv(path, ...),
    period=period), ruleset, out, fmt)`, in constant memory, at the compiled engine's speed.
    """
    stream = CsvStream(
        ruleset, path, columns=columns, delimiter=delimiter, period=period, encoding=encoding
    )
    return stream.write(out, fmt, safe_csv=safe_csv)


def rate_lines(
    ruleset: Ruleset,
    header: Sequence[str],
    lines: Iterable[tuple[int, list[str]]],
    out: TextIO,
    fmt: str = "json",
    *,
    columns: Mapping[str, str] | None = None,
    source: str | None = None,
) -> Tally:
    """Rows already split into cells, as (line number, cells) under `header`, rated and
    written as the lines of a CSV file with that header would be (Spark's executors use it)."""
    reader = RowReader(list(header), source=source, columns=columns, one_column_a_field=True)
    stream = RowStream(ruleset, None, tuple(reader.earlier))
    writer = StreamWriter(ruleset, out, fmt)
    _Lines(reader, stream, writer).run(iter(lines))
    return writer.finish()


class CsvStream:
    """A CSV file opened for the compiled stream: its header and first line are read (and
    any error in them raised) before anything is written."""

    def __init__(
        self,
        ruleset: Ruleset,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = None,
        delimiter: str | None = None,
        period: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        encoding: str | None = None,
    ) -> None:
        self.ruleset = ruleset
        lines = iter_csv_lines(path, delimiter=delimiter, progress=progress, encoding=encoding)
        source = str(path)
        head = header_of(lines, source)
        self.reader = RowReader(
            head, source=source, columns=columns, period=period, one_column_a_field=True
        )
        self.path = Path(path)
        self.options = {
            "columns": columns,
            "delimiter": delimiter,
            "period": period,
            "encoding": encoding,
        }
        first = next(lines, None)
        if first is not None:
            self.reader.observations(*first)  # a bad first line is said before any output
        self.lines = itertools.chain([] if first is None else [first], lines)
        self.period = period

    @property
    def passed(self) -> list[str]:
        """The rows' other columns, passed through to the output."""
        return list(self.reader.others)

    def write(
        self,
        out: TextIO,
        fmt: str = "json",
        *,
        passed: Sequence[str] | None = None,
        safe_csv: bool = True,
        jobs: int = 1,
    ) -> Tally:
        """Rate every line and write its results and rejections; the stream's tally.

        `passed` names the CSV output's passed-through columns, as `write_stream`'s `columns`.
        `jobs` > 1 rates the file in that many parts by as many processes, and writes the
        same bytes (one process when the file cannot be cut at line ends, or for CSV
        output without `passed`).
        """
        starts = None
        if jobs > 1 and (fmt == "json" or passed is not None):
            starts = part_lines(self.path, jobs)
        if starts:
            tally = write_in_parts(
                self.ruleset,
                self.path,
                out,
                fmt,
                starts,
                self.options,
                passed,
                safe_csv,
                _write_part,
            )
        else:
            tally = self.write_part(out, fmt, passed=passed, safe_csv=safe_csv)
        if not tally.results and not tally.rejected:
            tally.notices += 1  # no rows at all: an empty stream is said, as in `finish`
        return tally

    def write_part(
        self,
        out: TextIO,
        fmt: str = "json",
        *,
        first: int = 0,
        last: int | None = None,
        passed: Sequence[str] | None = None,
        safe_csv: bool = True,
        header: bool = True,
    ) -> Tally:
        """The lines numbered from `first` up to `last` rated and written (the lines before
        replayed); the part's tally, before `finish`."""
        stream = RowStream(self.ruleset, self.period, tuple(self.reader.earlier))
        writer = StreamWriter(
            self.ruleset, out, fmt, columns=passed, safe_csv=safe_csv, header=header
        )
        _Lines(self.reader, stream, writer).run(self.lines, first, last)
        return writer.tally


def _write_part(task: tuple[Any, ...]) -> Tally:
    """One process's part of `write(jobs=N)`: a fresh reading of the file, its part written."""
    ruleset, path, options, fmt, first, last, passed, safe_csv, later, target = task
    stream = CsvStream(ruleset, path, **options)
    with open(target, "w", encoding="utf-8", newline="") as out:
        return stream.write_part(
            out, fmt, first=first, last=last, passed=passed, safe_csv=safe_csv, header=not later
        )


def plannable(reader: RowReader, stream: RowStream) -> bool:
    """Whether a header's lines can be plain ones: a period and a value column (not a wide
    row), no --period for earlier columns to be placed by, a ruleset the plans cover."""
    fields = reader.fields
    return (
        stream.usable
        and not reader.wide
        and "period" in fields
        and "value" in fields
        and not (reader.earlier and reader.default is not None)
        # An override or forecast is read from the row by the general path, even where the
        # ruleset refuses it, so that the output says so. (A provisional or revised mark is
        # looked for line by line.)
        and not any(column in reader.others for column in JUDGEMENT_COLUMNS)
    )


def mark_cells(reader: RowReader) -> tuple[int, ...]:
    """Where a line's `provisional` and `revised` cells are: a line marked in one is the
    general path's (its result says so), any other may be plain."""
    return tuple(index for name, index in reader.others.items() if name in MARK_COLUMNS)


class _Lines:
    """Each line to the plan when it is plain, else to the general path."""

    def __init__(self, reader: RowReader, stream: RowStream, writer: StreamWriter) -> None:
        self.reader, self.stream, self.writer = reader, stream, writer
        fields = reader.fields
        self.plain = plannable(reader, stream)
        self.fields = fields
        # A row with a target, caveat or flag of its own goes to the general path, and so
        # does one marked provisional or revised.
        self.own = tuple(fields[name] for name in ("target", "caveat", "flag") if name in fields)
        self.marks = mark_cells(reader)
        self.json = JsonLines(writer) if writer.fmt == "json" else None

    @in_exact_context  # once for the whole stream: nothing of the caller's runs inside
    def run(
        self, lines: Iterator[tuple[int, list[str]]], first: int = 0, last: int | None = None
    ) -> None:
        """Rate and write the lines numbered from `first` up to (not including) `last`; the
        lines before `first` are replayed (kept as history, not rated), as a process that
        writes one part of a file (`rate --stream --jobs`) must."""
        json_lines = self.json
        if json_lines is None:
            self._run(lines, first, last)
            return
        # The lines written before an error (an unreadable line, Ctrl-C) are in the file,
        # as they would be a line at a time; that error is the one raised.
        try:
            self._run(lines, first, last)
        except BaseException:
            with contextlib.suppress(Exception):
                json_lines.flush()
            raise
        json_lines.flush()

    def _run(self, lines: Iterator[tuple[int, list[str]]], first: int, last: int | None) -> None:
        reader, stream, writer = self.reader, self.stream, self.writer
        fields = self.fields
        # The cells a plain line is read from, in one call: indicator, area, period, value,
        # commentary, then the earlier values and the other columns.
        names = ("indicator", "area", "period", "value", "commentary")
        wanted = [fields.get(name, _ABSENT) for name in names]
        earlier = list(reader.earlier.values())
        others = list(reader.others.items())
        at = [*wanted, *earlier, *(index for _, index in others)]
        present = [index for index in at if index != _ABSENT]
        width = max([*present, *self.own], default=0) + 1
        # A field the file lacks is picked from a blank cell put after the line's last.
        blank = [-1 if index == _ABSENT else index for index in at]
        pick = operator.itemgetter(*blank) if len(present) > 1 else None
        own, marks, plain, json_lines = self.own, self.marks, self.plain, self.json
        first_other = len(wanted) + len(earlier)
        other_names = [name for name, _ in others]
        for line, cells in lines:
            if last is not None and line >= last:
                break
            planned = None
            if (
                plain
                and pick is not None
                and len(cells) >= width
                and not (own and any(cells[index].strip() for index in own))
                and not (marks and any(is_marked(cells[index]) for index in marks))
            ):
                cells.append("")
                texts = list(map(str.strip, pick(cells)))
                cells.pop()
                indicator, area, period, value, commentary = texts[:5]
                if not indicator and not any(cell.strip() for cell in cells):
                    continue  # a blank line: no row
                columns = tuple(zip(other_names, texts[first_other:], strict=True))
                if line < first:
                    if stream.replay(
                        line, indicator, area, period, value, texts[5:first_other], columns
                    ):
                        continue
                else:
                    planned = stream.plain(
                        line,
                        indicator,
                        area,
                        period,
                        value,
                        texts[5:first_other],
                        columns,
                        commentary,
                    )
            if line < first:
                stream.replay_general(reader.observations(line, cells))
            elif planned is None:
                items = stream.general(reader.observations(line, cells))
                if json_lines is not None:
                    json_lines.general(items)
                else:
                    for item in items:
                        writer.write(item)
            elif json_lines is not None:
                json_lines.write(planned)
            else:
                writer.write(planned.result())
