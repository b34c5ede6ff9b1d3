"""A CSV file as blocks of polars string columns, and whether each line is one the plans take.

The file is read a block of lines at a time (cut at line ends), so the columnar engine holds
one block, not the file: memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import re
import stat
from collections.abc import Generator, Mapping
from pathlib import Path

import polars as pl

from ragrules.engine._placing import title_key
from ragrules.engine._rates import is_marked
from ragrules.engine.plan import LinePlan, RowStream
from ragrules.engine.ruleset import Ruleset
from ragrules.formats.data import MAX_LINE, RowReader
from ragrules.formats.data._csv import _delimiter
from ragrules.reports.columnar._ahead import read_ahead
from ragrules.reports.compiled import mark_cells, plannable

# Bytes read at a time: about 100,000 lines of a national file. Large enough that polars'
# per-call costs vanish, small enough that a block's columns stay a few tens of megabytes.
BLOCK_BYTES = 1 << 21
_SAMPLE = 65536  # characters the delimiter is sniffed from, as the row engine sniffs it


class Layout:
    """What every block of one file shares: its header's fields and the plans of the
    (indicator, period) pairs seen so far."""

    def __init__(self, ruleset: Ruleset, header: list[str], reader: RowReader) -> None:
        self.ruleset, self.reader = ruleset, reader
        self.names = [f"c{n}" for n in range(len(header))]  # the columns' names in polars
        self.stream = RowStream(ruleset, None, tuple(reader.earlier))
        self.plans: dict[tuple[str, str], LinePlan] = {}
        self.marks = mark_cells(reader)  # where a line says provisional or revised
        self.ids = pl.Series(list(self.stream.batch.indicators), dtype=pl.String)

    def usable(self) -> bool:
        """Whether plain lines can be planned from this header at all."""
        return plannable(self.reader, self.stream)

    def table(self, frame: pl.DataFrame, rows: pl.Series) -> Table | None:
        """A block as a table, when every line in it is one the plans take; else None."""
        return self.planned(cleaned(frame, rows))

    def planned(self, cells: Cells) -> Table | None:
        """A block's cells (`cleaned`) as a table, when every line is one the plans take;
        else None. Plans are made here, in the thread that rates: they are not shared."""
        if not self.usable():
            return None
        frame, raw, rows = cells
        frame, rows, aside = self._set_aside(frame, raw, rows)
        fields = self.reader.fields
        own = [fields[name] for name in ("target", "caveat", "flag") if name in fields]
        if any((frame.to_series(i) != "").any() for i in own):
            return None
        # A mark column's few distinct words, each read as a line's.
        if any(is_marked(word) for i in self.marks for word in frame.to_series(i).unique()):
            return None
        table = Table(self, frame, rows, aside)
        for pair in table.pairs.unique().to_list():
            indicator, period = pair.split(SEP)
            if (indicator, period) in self.plans:
                continue
            plan = self.stream.planner.plan(indicator, period)
            if plan is None or (self.reader.earlier and plan.columns is None):
                return None
            self.plans[(indicator, period)] = plan
        if self._one_period_twice(table):
            return None
        return table

    def _set_aside(
        self, frame: pl.DataFrame, raw: pl.DataFrame, rows: pl.Series
    ) -> tuple[pl.DataFrame, pl.Series, list[tuple[int, list[str]]]]:
        """The rows whose indicator the ruleset does not define (by id or by title), set
        aside with their cells as read: the general path rejects each, and a rejected row
        is no series' history, so they are rated apart from the rest, in their order."""
        index = self.reader.fields.get("indicator")
        if index is None:
            return frame, rows, []
        batch = self.stream.batch
        ids = frame.to_series(index)
        if ids.is_in(self.ids).all():  # every row's indicator by its id: no search
            return frame, rows, []
        unknown = [
            text
            for text in ids.unique().to_list()
            if text not in batch.indicators and title_key(text) not in batch.titles
        ]
        if not unknown:
            return frame, rows, []
        apart = ids.is_in(unknown)
        if self.reader.earlier:  # earlier values need the row's period, or the file fails
            period = self.reader.fields.get("period")
            if period is None:
                return frame, rows, []
            apart &= frame.to_series(period) != ""
        aside = [
            (number, list(cells))
            for number, cells in zip(rows.filter(apart), raw.filter(apart).iter_rows(), strict=True)
        ]
        return frame.filter(~apart), rows.filter(~apart), aside

    def _one_period_twice(self, table: Table) -> bool:
        """Whether a row gives two earlier values for one period (a year's previous period is
        its same period last year): the general path keeps one and rejects the other."""
        earlier = self.reader.earlier
        roles = list(earlier)
        twice = [key for key, plan in self.plans.items() if plan.one_period_twice]
        if len(roles) < 2 or not twice:
            return False
        keys = pl.DataFrame(twice, schema=["i", "p"], orient="row")
        rows = pl.DataFrame({"i": table.column("indicator"), "p": table.column("period")})
        given = [(table.frame.to_series(earlier[r]) != "").alias(r) for r in roles]
        found = rows.with_columns(given).join(keys, on=["i", "p"], how="semi")
        return bool(found.select(pl.sum_horizontal(roles) > 1).to_series().any())


Cells = tuple[pl.DataFrame, pl.DataFrame, pl.Series]  # stripped, as read, line numbers


def cleaned(frame: pl.DataFrame, rows: pl.Series) -> Cells:
    """A block's cells stripped (and as read), without its rows of blank cells (Excel's
    trailing `,,,,` lines are no rows): polars alone, so done while the block before is
    rated."""
    raw = frame.fill_null("")
    frame = raw.select(pl.all().str.strip_chars())
    blank = frame.select(pl.all_horizontal(pl.all() == "")).to_series()
    if blank.any():
        frame, raw, rows = frame.filter(~blank), raw.filter(~blank), rows.filter(~blank)
    return frame, raw, rows


class Table:
    """One block of a plain file: string columns, stripped, and each row's line number;
    `aside`, the block's rows of indicators the ruleset does not define (line number and
    cells as read), which the general path rejects."""

    def __init__(
        self,
        layout: Layout,
        frame: pl.DataFrame,
        rows: pl.Series,
        aside: list[tuple[int, list[str]]] | None = None,
    ) -> None:
        self.layout, self.frame, self.rows = layout, frame, rows
        self.aside = aside or []
        # Each row's indicator and period as one text (`indicator SEP period`): its plan's key.
        self.pairs = pl.select(
            pl.concat_str([self.column("indicator"), self.column("period")], separator=SEP)
        ).to_series()

    @property
    def first(self) -> int:
        """The number of the block's first row, rated or set aside (a block holds one)."""
        first: list[int] = [*self.rows.head(1).to_list(), *(n for n, _ in self.aside[:1])]
        return min(first)

    def column(self, field: str) -> pl.Series:
        index = self.layout.reader.fields.get(field)
        if index is None:
            return pl.repeat("", self.frame.height, dtype=pl.String, eager=True)
        return self.frame.to_series(index)

    @classmethod
    def from_rows(
        cls,
        ruleset: Ruleset,
        header: list[str],
        rows: list[tuple[int, list[str]]],
        columns: Mapping[str, str] | None = None,
    ) -> Table | None:
        """Rows already split into cells, as (line number, cells) in order (a Spark group);
        None when a row's cells do not match the header or a line is not plain."""
        if any(len(cells) != len(header) or _unlike_python(cells) for _, cells in rows):
            return None
        names = [f"c{n}" for n in range(len(header))]
        frame = pl.DataFrame(
            {name: [cells[n] for _, cells in rows] for n, name in enumerate(names)},
            schema=dict.fromkeys(names, pl.String),
        )
        reader = RowReader(header, columns=columns, one_column_a_field=True)
        layout = Layout(ruleset, header, reader)
        return layout.table(frame, pl.Series([number for number, _ in rows], dtype=pl.Int64))


class CsvBlocks:
    """A CSV file read a block of whole lines at a time, each block a `Table`.

    `open` reads the header; iterating yields each block's table, and stops at the first
    block that is not plain: `left` is then that block's first line number. A file is the
    columnar engine's up to there, and the row engine's from there on.
    """

    def __init__(self, layout: Layout, path: Path, separator: str, start: int) -> None:
        self.layout, self.path, self.separator, self.start = layout, path, separator, start
        self.line = 2  # the first line of the block being read (the header is line 1)
        self.left: int | None = None  # the first line the columnar engine did not take

    @classmethod
    def open(
        cls,
        ruleset: Ruleset,
        path: Path,
        columns: Mapping[str, str] | None,
        delimiter: str | None,
        *,
        bom: bool = True,
    ) -> CsvBlocks | None:
        """The file, when it is a regular one whose header reads as the row engine reads it
        (UTF-8, its own line ending in LF or CRLF; a byte order mark before it when `bom`
        says the row engine drops one, as `utf-8-sig` does); else None."""
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                return None  # a device or a pipe: the row engine reads (or refuses) it
            with path.open("rb") as data:
                head = data.read(_SAMPLE * 4)
        except OSError:
            return None
        start = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
        end = head.find(b"\n")
        if end < 0 or (start and not bom):
            return None
        try:
            text = head[start:end].decode("utf-8")
        except UnicodeDecodeError:
            return None
        text = text.removesuffix("\r")  # a CRLF line end (Python's csv module, Excel)
        if "\r" in text or _unlike_python([text]):
            return None
        # The delimiter is sniffed from the text the row engine sniffs it from.
        sample = head[start:].decode("utf-8", errors="replace")[:_SAMPLE]
        separator = _delimiter(delimiter, sample, str(path))
        if len(separator.encode()) != 1 or not _well_quoted(text, separator):
            return None  # polars splits at one byte; the row engine reads any other
        header = next(csv.reader([text], delimiter=separator))
        reader = RowReader(header, source=str(path), columns=columns, one_column_a_field=True)
        layout = Layout(ruleset, header, reader)
        if not layout.usable():
            return None
        return cls(layout, path, separator, end + 1)

    def __iter__(self) -> Generator[Table, None, None]:
        # Each block is read and parsed while the one before is rated; its plans are made
        # here, where it is rated. Closed when the caller stops: the reading ends (and the
        # file is closed) before the row engine reads the file.
        ahead = read_ahead(self._read())
        try:
            for first, cells in ahead:
                table = None if cells is None else self.layout.planned(cells)
                if table is None:
                    self.left = first
                    return
                yield table
        finally:
            ahead.close()

    def _read(self) -> Generator[tuple[int, Cells | None], None, None]:
        """Each block's first line number and cells; the last one's cells None when that
        block is not read as the row engine reads it."""
        names = self.layout.names
        with self.path.open("rb") as data:
            data.seek(self.start)
            rest = b""
            while True:
                read = data.read(BLOCK_BYTES)
                block = rest + read
                cut = block.rfind(b"\n") + 1
                if read and not cut:
                    if len(block) > MAX_LINE:  # a line longer than a stream reads: its words
                        yield self.line, None
                        return
                    rest = block  # no line end yet: read on
                    continue
                if not read:
                    cut = len(block)  # the last line, with or without its line end
                block, rest = block[:cut], block[cut:]
                if not block:
                    return
                cells = self._cells(block, names)
                yield self.line, cells
                if cells is None:
                    return
                self.line += block.count(b"\n") + (not block.endswith(b"\n"))
                if not read:
                    return

    def _cells(self, block: bytes, names: list[str]) -> Cells | None:
        """A block of whole lines as cells, when polars reads it as the row engine would."""
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if _too_long(text):
            return None  # the row engine's words for it
        if "\r" in text:  # CRLF line ends read as LF; a bare CR ends a line for the row engine
            if text.count("\r") != text.count("\r\n"):
                return None
            text = text.replace("\r\n", "\n")
            block = text.encode("utf-8")
        if _unlike_python([text]):
            return None
        numbers = None
        if text.startswith("\n") or "\n\n" in text:  # empty lines: no row, each numbered
            kept = [(n, line) for n, line in enumerate(text.split("\n"), self.line) if line]
            numbers = [n for n, _ in kept]
            text = "".join(f"{line}\n" for _, line in kept)
            block = text.encode("utf-8")
            if not kept:
                return cleaned(
                    pl.DataFrame(schema=dict.fromkeys(names, pl.String)),
                    pl.Series([], dtype=pl.Int64),
                )
        lines = text.count("\n") + (not text.endswith("\n"))
        if text.startswith("\ufeff"):  # polars drops a byte order mark starting what it
            return None  # reads; the row engine keeps it in the line's first cell
        if '"' in text and not _well_quoted(text, self.separator):
            return None  # a quoted cell spanning lines, or a stray quote: the row engine's
        try:
            frame = pl.read_csv(
                block,
                has_header=False,
                schema=dict.fromkeys(names, pl.String),
                separator=self.separator,
                raise_if_empty=False,
            )
        except pl.exceptions.PolarsError:
            return None
        if frame.height != lines:
            return None
        if numbers is None:
            rows = pl.int_range(self.line, self.line + lines, eager=True).cast(pl.Int64)
        else:
            rows = pl.Series(numbers, dtype=pl.Int64)
        return cleaned(frame, rows)


def _too_long(text: str) -> bool:
    """Whether a line (with its line end) is longer than a stream reads, or long enough to
    hold a field longer than Python's csv module reads (`csv.field_size_limit()`, as the row
    engine reads now): polars reads either, so the row engine says what is wrong, and where."""
    limit = min(MAX_LINE - 1, csv.field_size_limit())
    if len(text) <= limit:
        return False
    # A line longer than `limit` holds a whole window of half that length starting at a
    # multiple of it: with a line end in every such window, no line is that long (and the
    # block is not split into lines to measure them).
    step = max(limit // 2, 1)
    windows = range(0, len(text), step)
    if len(windows) <= _WINDOWS and all(text.find("\n", at, at + step) >= 0 for at in windows):
        return False
    return max(map(len, text.split("\n"))) > limit


_WINDOWS = 4096  # more (a field limit set very low): the block is split into lines instead


def _well_quoted(text: str, separator: str) -> bool:
    """Whether each line holding a quote is made of cells either plain or quoted whole
    (`"a, ""b"" c"`), which Python's csv module and polars read alike. A quote anywhere else
    (`"a"b`, `a"b`, `"a" `) or a quoted cell running onto the next line is read otherwise by
    each: such a block is the row engine's."""
    cells = _QUOTED.get(separator)
    if cells is None:
        plain, quoted = f'[^"{re.escape(separator)}]*', '"(?:[^"]|"")*"'
        cell = f"(?:{plain}|{quoted})"
        cells = _QUOTED[separator] = re.compile(f"{cell}(?:{re.escape(separator)}{cell})*")
    return all(cells.fullmatch(line) for line in text.split("\n") if '"' in line)


_QUOTED: dict[str, re.Pattern[str]] = {}  # a line's cells, by separator


SEP = "\x1f"  # joins the parts of a key (`Table.pairs`, series); never in a cell the plans take
# Characters Python's `str.strip` takes for white space and polars' `strip_chars` does not (or
# that key the series joins, `SEP` among them): a file holding any is rated by the row engine.
_UNLIKE = "\x1c\x1d\x1e\x1f\x85"


def _unlike_python(cells: list[str]) -> bool:
    # One character at a time: `in` scans a block a hundred times faster than a regex class.
    return any(character in cell for cell in cells for character in _UNLIKE)
