"""A CSV file as polars string columns, and whether every line is one the plans take."""

from __future__ import annotations

import csv
import re
import stat
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from ragrules.engine.plan import LinePlan, RowStream
from ragrules.engine.ruleset import Ruleset
from ragrules.formats._reading import read_capped
from ragrules.formats.data import MAX_BYTES, RowReader
from ragrules.formats.data._csv import _delimiter


class Table:
    """A plain CSV file as string columns, with its header's layout."""

    def __init__(
        self,
        ruleset: Ruleset,
        frame: pl.DataFrame,
        reader: RowReader,
        stream: RowStream,
        rows: list[int] | None = None,
    ) -> None:
        self.ruleset, self.frame, self.reader, self.stream = ruleset, frame, reader, stream
        # Each row's line number: the file's (the header is line 1), or as given.
        self.rows = (
            pl.int_range(2, frame.height + 2, eager=True)
            if rows is None
            else pl.Series(rows, dtype=pl.Int64)
        )

    @classmethod
    def from_rows(
        cls,
        ruleset: Ruleset,
        header: list[str],
        rows: list[tuple[int, list[str]]],
        columns: Mapping[str, str] | None = None,
    ) -> Table | None:
        """Rows already split into cells, as (line number, cells) in order (a Spark group);
        None when a row's cells do not match the header."""
        if any(len(cells) != len(header) or _unlike_python(cells) for _, cells in rows):
            return None
        reader = RowReader(header, columns=columns)
        frame = pl.DataFrame(
            {f"c{n}": [cells[n] for _, cells in rows] for n in range(len(header))},
            schema=dict.fromkeys((f"c{n}" for n in range(len(header))), pl.String),
        ).select(pl.all().str.strip_chars())
        stream = RowStream(ruleset, None, tuple(reader.earlier))
        return cls(ruleset, frame, reader, stream, [number for number, _ in rows])

    @classmethod
    def read(
        cls,
        ruleset: Ruleset,
        path: Path,
        columns: Mapping[str, str] | None,
        delimiter: str | None,
    ) -> Table | None:
        """The file, when polars reads it as the row engine would: UTF-8 without a byte
        order mark, one row per line, no blank lines; else None."""
        try:  # a regular file within the data limit, else the row engine reads (or refuses) it
            if not stat.S_ISREG(path.stat().st_mode):
                return None
            raw = read_capped(path, MAX_BYTES)
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if not text or text.startswith("\ufeff") or "\r" in text or "\n\n" in text:
            return None
        if _unlike_python([text]):
            return None
        lines = text.count("\n") + (not text.endswith("\n"))
        separator = _delimiter(delimiter, text[:65536], str(path))
        header = next(csv.reader([text.split("\n", 1)[0]], delimiter=separator))
        reader = RowReader(header, source=str(path), columns=columns)
        try:
            frame = pl.read_csv(
                raw,
                infer_schema=False,
                separator=separator,
                raise_if_empty=False,
            )
        except pl.exceptions.PolarsError:
            return None
        if frame.height != lines - 1 or frame.width != len(header):
            return None  # a quoted cell spanning lines, or a ragged row
        frame = frame.select(pl.all().fill_null("").str.strip_chars())
        return cls(ruleset, frame, reader, RowStream(ruleset, None, tuple(reader.earlier)))

    def column(self, field: str) -> pl.Series:
        index = self.reader.fields.get(field)
        if index is None:
            return pl.Series([""] * self.frame.height, dtype=pl.String)
        return self.frame.to_series(index)

    def plain(self) -> bool:
        """Every line one the plans take (see `ragrules.engine.plan`)."""
        reader, stream = self.reader, self.stream
        fields = reader.fields
        if not stream.usable or reader.wide or "period" not in fields or "value" not in fields:
            return False
        if self.frame.height == 0:
            return False
        own = [fields[name] for name in ("target", "caveat", "flag") if name in fields]
        if any((self.frame.to_series(i) != "").any() for i in own):
            return False
        blank = pl.all_horizontal(pl.all() == "")
        if self.frame.select(blank.any()).item():
            return False
        pairs = pl.DataFrame({"i": self.column("indicator"), "p": self.column("period")}).unique()
        self.plans: dict[tuple[str, str], LinePlan] = {}
        for indicator, period in pairs.iter_rows():
            plan = stream.planner.plan(indicator, period)
            if plan is None or (reader.earlier and plan.columns is None):
                return False
            self.plans[(indicator, period)] = plan
        return True


# Characters Python's `str.strip` takes for white space and polars' `strip_chars` does not (or
# that key the series joins): a file holding any is rated by the row engine.
_UNLIKE = re.compile("[\x1c-\x1f\x85]")


def _unlike_python(cells: list[str]) -> bool:
    return any(_UNLIKE.search(cell) for cell in cells)
