"""A CSV file as polars string columns, and whether every line is one the plans take."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from ragrules.engine.plan import LinePlan, RowStream
from ragrules.engine.ruleset import Ruleset
from ragrules.formats.data import RowReader
from ragrules.formats.data._csv import _delimiter


class Table:
    """A plain CSV file as string columns, with its header's layout."""

    def __init__(
        self, ruleset: Ruleset, frame: pl.DataFrame, reader: RowReader, stream: RowStream
    ) -> None:
        self.ruleset, self.frame, self.reader, self.stream = ruleset, frame, reader, stream

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
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if not text or text.startswith("\ufeff") or "\r" in text or "\n\n" in text:
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
