"""The JSON lines of a plain file, assembled block by block from fragments joined onto rows.

What a fragment depends on (a value text, an earlier text, a pair of them, a combination of
statuses and judgements) is rendered once in Python and kept in a small table that later
blocks join onto their rows; only what a block brings new is rendered for it.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any, TextIO

import attrs
import polars as pl

from ragrules.engine.plan import LinePlan, Rated
from ragrules.engine.selection import exceptions
from ragrules.engine.travel import Movement
from ragrules.model.rules import Direction, Judgement
from ragrules.reports._fragments import PlanParts, pairs
from ragrules.reports._utf8 import utf8_buffer
from ragrules.reports.columnar._behind import WritesBehind
from ragrules.reports.columnar._known import Known
from ragrules.reports.columnar._table import SEP, Layout, Table
from ragrules.reports.columnar._texts import ValueTexts
from ragrules.reports.columnar._travel import TravelColumns
from ragrules.reports.stream import StreamWriter, Tally

_SLICE = 10_000  # lines written at a time: a block's parts are never selected whole


class Writer(TravelColumns):
    """Writes the blocks of one plain file, in order, as JSON lines; tallies them."""

    def __init__(self, layout: Layout, out: TextIO) -> None:
        self.layout, self.stream, self.out = layout, layout.stream, out
        self.policy = layout.ruleset.exceptions
        self.parts: dict[LinePlan, PlanParts] = {}
        self.tally = Tally()
        self.binary = utf8_buffer(out)
        self.behind = WritesBehind()  # the file's bytes, written as the next block is rated
        count = len(self.stream.comparisons)
        # The exception reasons, by what they read: the status, whether it is rated and each
        # movement's judgement, alike for every plan (the planned rules look back no further
        # than the line: `Planner.usable`), as the compiled row engine keeps them.
        self.judged = ["status", "ok", *(f"j{n}" for n in range(count))]
        self.tails = Known(self.judged, self._reasons)
        self.bases: dict[tuple[int, str], Rated] = {}  # a rated value per plan and status
        self.plans: list[LinePlan] = []  # by number
        self.numbers: dict[tuple[str, str], int] = {}  # (indicator, period) -> number
        self.plan_keys: dict[str, int] = {}  # the same, keyed by `indicator SEP period`
        self.texts = ValueTexts(self.plans, self.part, count)  # value texts, rated
        super().__init__()

    def part(self, plan: LinePlan, value: str) -> PlanParts:
        """The plan's fixed fragments, made from its own rating of a value the first time."""
        parts = self.parts.get(plan)
        if parts is None:
            rated = plan.rated(value)
            assert rated is not None
            parts = self.parts[plan] = PlanParts(rated)
        return parts

    def write(self, table: Table) -> bool:
        """One block's lines, written after those of the blocks before it; False (nothing
        written) when a row may read an earlier row the stream no longer keeps."""
        if not table.frame.height:
            self._write_lines(self._rejected(table.aside))
            return True
        frame = pl.DataFrame(
            {
                "i": table.column("indicator"),
                "p": table.column("period"),
                "v": table.column("value"),
                "a": table.column("area"),
                "c": table.column("commentary"),
                "row": table.rows,
            }
        )
        frame = frame.with_columns(*self._series(table, frame), self._numbers(table))
        own = self._own_keys(frame)
        if self._given(own):
            return False  # a row an earlier row gave: the row engine rejects it
        frame = self.texts.join(frame)
        cells = [table.frame.to_series(i) for i in self.layout.reader.earlier.values()]
        count = len(self.stream.comparisons)
        # Each comparison's earlier text from the row's own line; the stream's history is
        # built for the block only when some row's line does not hold it.
        found = [self._on_line(frame, cells, index) for index in range(count)]
        placed = None
        if any(texts.null_count() for texts in found):
            placed = self._placed(frame, cells)
        else:  # the keys kept, for the rows' travel and for duplicates in later blocks
            self._carry(frame, cells)
        self._owned(own)
        for index in range(count):
            move = self._travel(frame, placed, found[index], index)
            if move is None:
                return False
            frame = frame.with_columns(
                move.rename({name: f"{name}{index}" for name in move.columns})
            )
        frame = self.tails.join(frame)
        frame = frame.with_columns(
            self._mapped(frame, ["a", *self._breakdown_columns()], "place", self._place),
            self._mapped(frame, ["c"], "commentary", lambda c: _commentary(c)),
            self._mapped(frame, self._other_columns(), "columns", self._columns),
        )
        # Each part of a line is a column that polars writes with a comma between: the parts
        # are cut where the JSON has a comma between two pairs (or two movements), so the
        # line is never assembled into one text first.
        moves = [
            pl.coalesce(f"f{part}{index}", f"m{part}{index}").alias(f"m{part}{index}")
            for index in range(count)
            for part in "abc"
        ]
        parts = [
            pl.col("head"),
            pl.col("place"),
            pl.concat_str([pl.col("period"), pl.col("row").cast(pl.String)]).alias("period"),
            pl.col("text"),
            *(moves or [pl.lit(' "travel": []').alias("m")]),
            pl.col("commentary"),
            pl.lit(' "caveat": "", "flag": ""').alias("marks"),
            pl.col("columns"),
            pl.col("tail"),
        ]
        if table.aside:  # each line whole, the rejected rows' among them in row order
            # A null part is written empty, as polars writes a null column.
            whole = pl.concat_str([part.fill_null("") for part in parts], separator=",")
            lines = frame.select("row", whole.alias("line"))
            self._write_lines(pl.concat([lines, self._rejected(table.aside)]).sort("row"))
        else:
            self._write_lines(frame, parts)
        self._count(frame, count)
        return True

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        """Every line handed over is in the file when the block ends. When it ends with an
        error (an unreadable line, Ctrl-C), that error is the one raised, not a failed
        write's after it."""
        if kind is None:
            self.behind.finish()
            return
        with contextlib.suppress(Exception):
            self.behind.finish()

    def _write_lines(self, frame: pl.DataFrame, parts: list[pl.Expr] | None = None) -> None:
        """The frame's lines (its `parts`, else its `line`), written a slice at a time by
        polars (each part is already JSON: no quoting): as UTF-8 bytes straight to the file
        beneath `out`, behind the caller, when it has one that takes them."""
        columns = parts if parts is not None else [pl.col("line")]
        binary = self.binary
        if binary is None:
            for start in range(0, frame.height, _SLICE):
                rows = frame.slice(start, _SLICE).select(columns)
                self.out.write(rows.write_csv(include_header=False, quote_style="never"))
            return

        def write() -> None:
            for start in range(0, frame.height, _SLICE):
                rows = frame.slice(start, _SLICE).select(columns)
                rows.write_csv(binary, include_header=False, quote_style="never")

        self.behind.submit(write)

    def _rejected(self, aside: list[tuple[int, list[str]]]) -> pl.DataFrame:
        """The lines the general path writes for rows set aside (indicators the ruleset does
        not define), by row, in their order, tallied."""
        reader, stream = self.layout.reader, self.stream
        spare = io.StringIO()
        rejections = StreamWriter(self.layout.ruleset, spare)  # as the row engine writes
        found = []
        for number, cells in aside:
            for item in stream.general(reader.observations(number, cells)):
                rejections.write(item)
            found.append((number, spare.getvalue().removesuffix("\n")))
            spare.seek(0)
            spare.truncate()
        self.tally.add(rejections.tally)
        return pl.DataFrame(found, schema={"row": pl.Int64, "line": pl.String}, orient="row")

    # -- the parts of a line ---------------------------------------------------------------

    def _breakdown_columns(self) -> list[str]:
        return [f"b{n}" for n in range(len(self.stream.breakdowns))]

    def _other_columns(self) -> list[str]:
        return [f"o{n}" for n in range(len(self.layout.reader.others))]

    def _series(self, table: Table, frame: pl.DataFrame) -> list[pl.Series]:
        """The row's other columns (breakdowns among them) and its series key."""
        others = self.layout.reader.others
        found = [
            table.frame.to_series(index).alias(f"o{n}") for n, index in enumerate(others.values())
        ]
        names = list(others)
        for n, name in enumerate(self.stream.breakdowns):
            source = (
                table.frame.to_series(others[name])
                if name in others
                else pl.repeat("", frame.height, dtype=pl.String, eager=True)
            )
            found.append(source.alias(f"b{n}"))
        parts = [frame["i"], frame["a"], *found[len(names) :]]
        key = pl.select(pl.concat_str(parts, separator=SEP)).to_series()
        return [*found, key.alias("series")]

    def _numbers(self, table: Table) -> pl.Series:
        """Each row's plan, by number (`pc`): plans are numbered as first seen."""
        numbers = self.numbers
        for key, plan in self.layout.plans.items():
            if key in numbers:
                continue
            numbers[key] = len(self.plans)
            self.plans.append(plan)
            self.plan_keys[f"{key[0]}{SEP}{key[1]}"] = numbers[key]
        numbered: pl.Series = table.pairs.replace_strict(self.plan_keys, return_dtype=pl.UInt32)
        return numbered.alias("pc")

    def _reasons(self, lacking: pl.DataFrame) -> pl.DataFrame:
        """The exception reasons of rows: what the rules read is the status, whether it is
        rated and the movements' judgements, so they are chosen once per combination."""
        keys = self.judged
        tails = []
        for *key, pc, value in lacking.select(*keys, "pc", "v").unique(subset=keys).iter_rows():
            status, ok, *judged = key
            reasons: list[str] = []
            if ok:
                # What the rules read of a value's result is its status: one per plan and status.
                base = self.bases.get((pc, status))
                if base is None:
                    rated = self.plans[pc].rated(value)  # its own period's
                    assert rated is not None
                    base = self.bases[(pc, status)] = rated
                result = base.result()
                if base.value is not None:
                    travel = tuple(self._judged(base.plan, n, j) for n, j in enumerate(judged))
                    result = attrs.evolve(result, travel=travel)
                chosen = exceptions((result,), self.policy)
                reasons = list(chosen[0].reasons) if chosen else []
            tail = f" {pairs({'exception_reasons': reasons})}}}"  # polars ends the line
            tails.append((*key, tail, bool(reasons)))
        schema: dict[str, Any] = {name: lacking.schema[name] for name in keys}
        schema |= {"tail": pl.String, "selected": pl.Boolean}
        return pl.DataFrame(tails, schema=schema, orient="row")

    def _judged(self, plan: LinePlan, index: int, key: str) -> Movement:
        """A movement with the judgement a key names (all the exception rules read)."""
        # Not "x" (a value that is not a number): a rated value is always a number.
        assert key.startswith("m"), key
        judgement = None if key == "mNone" else Judgement(key[1:])
        return Movement(
            comparison=plan.comparisons[index],
            direction=Direction.NOT_COMPARABLE if judgement is None else Direction.UP,
            judgement=judgement,
        )

    def _mapped(self, frame: pl.DataFrame, names: list[str], alias: str, render: Any) -> pl.Series:
        """A fragment per distinct combination of some columns, rendered once each."""
        if not names:
            value = render(())
            return pl.repeat(value, frame.height, dtype=pl.String, eager=True).alias(alias)
        distinct = frame.select(names).unique()
        rendered = [render(row) for row in distinct.iter_rows()]
        if len(rendered) == 1:  # one for every row (no area, no commentary): no join
            alike: pl.Series = pl.Series(alias, rendered, dtype=pl.String)
            every: pl.Series = alike.new_from_index(0, frame.height)
            return every
        table = distinct.with_columns(pl.Series(alias, rendered, dtype=pl.String))
        return frame.select(names).join(table, on=names, how="left", maintain_order="left")[alias]

    def _place(self, row: tuple[str, ...]) -> str:
        area, *values = row
        breakdown = dict(zip(self.stream.breakdowns, values, strict=True))
        return " " + pairs({"area": area or None, "breakdown": breakdown})

    def _columns(self, row: tuple[str, ...]) -> str:
        return " " + pairs({"columns": dict(zip(self.layout.reader.others, row, strict=True))})

    def _count(self, frame: pl.DataFrame, count: int) -> None:
        tally = self.tally
        tally.results += frame.height
        tally.statuses.update(dict(frame["status"].value_counts().iter_rows()))
        tally.invalid += int(frame["invalid"].sum())
        unreadable = sum(int(frame[f"u{n}"].sum()) for n in range(count))
        tally.notices += int(frame["notices"].sum()) + unreadable
        required = list(self.policy.commentary_required)
        lacking = pl.col("status").is_in(required) & pl.col("ok") & (pl.col("c") == "")
        tally.findings += int(frame.select(lacking.sum()).item())
        tally.exceptions += int(frame["selected"].sum())


def _commentary(row: tuple[str, ...]) -> str:
    return " " + pairs({"commentary": row[0]})
