"""The travel columns of the columnar writer: each row's earlier value, from its own line or
found by an as-of join on its series, and its movement decided exactly on distinct values.

Rows are keyed by their plan's number (`pc`, one per indicator and period, in the order the
plans were first seen), so the joins onto what was rendered are on integers and texts.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

import polars as pl

from ragrules.engine._placing import LOOKBACK_ROWS
from ragrules.engine.plan import LinePlan
from ragrules.engine.result import movement_dict
from ragrules.model.numbers import format_decimal
from ragrules.reports._fragments import PlanParts, movement_runs, pairs
from ragrules.reports.columnar._carry import CarriedKeys, per_plan
from ragrules.reports.columnar._keys import sort_key
from ragrules.reports.columnar._known import Known, patched
from ragrules.reports.columnar._table import SEP

_CODES = 64  # more outcomes than a plan's movements can have (direction by judgement)


class TravelColumns(CarriedKeys):
    """Every comparison's movement for every row of a block (a part of `Writer`)."""

    parts: dict[LinePlan, PlanParts]

    def __init__(self) -> None:
        super().__init__()
        count = len(self.layout.stream.comparisons)
        # Earlier texts read (by way of reading); per comparison, the general path's words for
        # those that are not numbers (by plan) and the outcomes a margin decides.
        self.readings = Known(["rid", "earlier"], self._earlier_numbers)
        # A number (`rid`) per way of reading a text (`LinePlan.reading`: the unit read in
        # and the rounding), and each plan's, by plan number.
        self.reading_ids: dict[tuple[object, object], int] = {}
        self.plan_readings: list[int] = []
        self.earlier = [
            Known(["pc", "earlier"], functools.partial(self._earlier_words, index))
            for index in range(count)
        ]
        self.codes = [
            Known(["pc", "v", "earlier"], functools.partial(self._outcomes, index))
            for index in range(count)
        ]
        self.frames = [
            Known(["at"], functools.partial(self._frames, index)) for index in range(count)
        ]

    def _on_line(self, frame: pl.DataFrame, cells: list[pl.Series], index: int) -> pl.Series:
        """Comparison `index`'s earlier text where the row's own line holds it (a column
        for the comparison's period, not blank: the last such column, as a line's dict
        keeps it); null where the stream would look in its history."""
        pc = frame["pc"]
        found: pl.Expr = pl.repeat(None, frame.height, dtype=pl.String)
        for role, texts in zip(self.layout.reader.earlier, cells, strict=True):
            same = [plan.columns[role] == plan.earlier[index] for plan in self.plans]  # type: ignore[index]
            there = per_plan(same, pl.Boolean(), pc) & (texts != "")
            found = pl.when(there).then(texts).otherwise(found)
        return pl.select(found.alias("earlier")).to_series()

    def _travel(
        self,
        frame: pl.DataFrame,
        placed: pl.DataFrame | None,
        found: pl.Series,
        index: int,
    ) -> pl.DataFrame | None:
        """One comparison for every row: its JSON (`m`), judgement key (`j`) and whether its
        earlier value could not be read (`u`). `found` holds what the rows' lines hold;
        `placed` (when some row needs it) is what the stream's history holds. None when a
        row would read an entry the stream may have dropped: the row engine rates it."""
        rows = frame.select("pc", "v", "vnum", "vkey", "simple").with_columns(
            found.alias("earlier")
        )
        if placed is not None:
            wanted = [repr(plan.earlier[index]) for plan in self.plans]
            key = frame["series"] + SEP + per_plan(wanted, pl.String(), frame["pc"])
            lookups = pl.DataFrame({"key": key, "at": frame["row"]})
            matched = lookups.join_asof(
                placed, on="at", by="key", strategy="backward", check_sortedness=False
            )
            # The stream keeps its last LOOKBACK_ROWS (series, period) keys, not lines: an
            # entry is surely still there when fewer entries were written after it, before
            # the row's own line (those in the carry are its keys, newest last).
            before = placed["at"].search_sorted(frame["row"], side="left").cast(pl.Int64)
            since = before - matched["seq"].cast(pl.Int64) - 1
            if (found.is_null() & (since >= LOOKBACK_ROWS)).any():
                return None
            history = matched["earlier"].alias("history")
            rows = rows.with_columns(history).select(
                pl.exclude("earlier", "history"),
                pl.coalesce("earlier", "history").alias("earlier"),
            )
        restarts = [plan.restarts[index] for plan in self.plans]
        if any(restarts):  # nothing to read: the general path's words for no text say why
            unread = per_plan(restarts, pl.Boolean(), frame["pc"])
            rows = rows.with_columns(pl.when(~unread).then("earlier").alias("earlier"))
        return self._movements(rows, index)

    def _earlier_numbers(self, found: pl.DataFrame) -> pl.DataFrame:
        """Each earlier text not read before, read as its plan reads it (alike for all plans
        of one unit and rounding, and all comparisons): a number's sort key and JSON; `enum`
        false for a text that is not a number, and for no text at all."""
        rows: list[tuple[object, ...]] = []
        texts = found.select("rid", "pc", "earlier").unique(subset=["rid", "earlier"])
        for rid, pc, text in texts.iter_rows():
            number = None if text is None else self.plans[pc].reading(text)
            if number is None:
                rows.append((rid, text, False, None, None))
                continue
            shown = {"earlier": format_decimal(number), "earlier_text": text}
            rows.append((rid, text, True, sort_key(number), " " + pairs(shown)))
        schema = {"rid": pl.UInt32, "earlier": pl.String, "enum": pl.Boolean}
        schema |= {"ekey": pl.String, "middle": pl.String}
        return pl.DataFrame(rows, schema=schema, orient="row")

    def _earlier_words(self, index: int, found: pl.DataFrame) -> pl.DataFrame:
        """Each (plan, earlier text) that is not a number (or no text at all): the general
        path's movement for comparison `index`, its judgement's key and whether the text
        could not be read."""
        rows: list[tuple[object, ...]] = []
        count = len(self.stream.comparisons)
        for pc, text in found.select("pc", "earlier").unique().iter_rows():
            move = self.stream.unread(self.plans[pc], index, text)
            judged = None if move.judgement is None else move.judgement.value
            unreadable = not move.comparable and bool(move.earlier_text)
            parts = move_parts(index, count, movement_dict(move))
            rows.append((pc, text, *parts, f"m{judged}", unreadable))
        schema = {"pc": pl.UInt32, "earlier": pl.String}
        schema |= dict.fromkeys(("wa", "wb", "wc", "gj"), pl.String)
        return pl.DataFrame(rows, schema=schema | {"gu": pl.Boolean}, orient="row")

    def _movements(self, found: pl.DataFrame, index: int) -> pl.DataFrame:
        """The movement of every row for comparison `index`, exactly decided: two numbers
        by their sort keys where the plan has no margin, else by the plan, once a pair."""
        ids, rids = self.reading_ids, self.plan_readings
        for plan in self.plans[len(rids) :]:  # what a plan's text reading depends on
            rids.append(ids.setdefault((plan.indicator.unit, plan.indicator.rounding), len(ids)))
        rid = pl.Series(rids, dtype=pl.UInt32).gather(found["pc"])
        rows = self.readings.join(found.with_columns(rid.alias("rid")))
        odd = ~rows["enum"]
        words = self.earlier[index].join(rows.select("pc", "earlier").filter(odd))
        rows = patched(rows, odd, words.drop("pc", "earlier"))
        numeric = pl.col("vnum") & pl.col("enum")
        fast = numeric & pl.col("simple") & pl.col("vkey").is_not_null()
        fast = fast & pl.col("ekey").is_not_null()
        by_key = (
            pl.when(pl.col("vkey") == pl.col("ekey"))
            .then(0)
            .when(pl.col("vkey") > pl.col("ekey"))
            .then(1)
            .otherwise(2)
        )
        rows = rows.with_columns(pl.when(fast).then(by_key).alias("code"))
        slow = rows.select(numeric & pl.col("code").is_null()).to_series()
        if slow.any():  # the three columns picked out, not every column of the rows
            codes = self.codes[index].join(rows.select("pc", "v", "earlier").filter(slow).unique())
            rows = rows.join(
                codes,
                on=["pc", "v", "earlier"],
                how="left",
                nulls_equal=True,
                maintain_order="left",
            ).with_columns(pl.coalesce("code", "code2").alias("code"))
        # Joined on one integer made of the plan's number and the outcome: one key column.
        at = (pl.col("pc").cast(pl.Int64) * _CODES + pl.col("code")).alias("at")
        rows = self.frames[index].join(rows.with_columns(at))
        # The movement as three parts of the line (null where the value text is not a
        # number: the general path's movements for the text are the line's then).
        shown = [
            pl.when(~pl.col("vnum"))
            .then(pl.lit(None, dtype=pl.String))
            .when(~pl.col("enum"))
            .then(pl.col(general))
            .otherwise(pl.col(planned))
            .alias(name)
            for name, general, planned in (
                ("ma", "wa", "before"),
                ("mb", "wb", "middle"),
                ("mc", "wc", "after"),
            )
        ]
        return rows.select(
            *shown,
            pl.when(~pl.col("vnum"))
            .then(pl.lit("x"))
            .when(~pl.col("enum"))
            .then(pl.col("gj"))
            .otherwise(pl.concat_str([pl.lit("m"), pl.col("judged").fill_null("None")]))
            .alias("j"),
            (pl.col("vnum") & pl.col("gu").fill_null(False)).alias("u"),
        )

    def _frames(self, index: int, lacking: pl.DataFrame) -> pl.DataFrame:
        """Per plan and outcome (`at`, null for no outcome): the movement's JSON around its
        earlier value and text, and its judgement."""
        frames: list[tuple[object, ...]] = []
        for (at,) in lacking.select("at").unique().iter_rows():
            if at is None:  # a text that is not a number, or none: the general path's words
                frames.append((None, None, None, None))
                continue
            plan = self.plans[at // _CODES]
            parts, code = self.parts[plan], at % _CODES
            frame_parts = parts.frames.get(index * _CODES + code)
            if frame_parts is None:
                made = movement_dict(plan.movement((index, Decimal(0), "", code)))
                before, _, after = move_parts(index, len(self.stream.comparisons), made)
                frame_parts = parts.frames[index * _CODES + code] = (before, after)
            frames.append((at, *frame_parts, plan.judged_as[code]))
        schema = {"at": pl.Int64, "before": pl.String, "after": pl.String, "judged": pl.String}
        return pl.DataFrame(frames, schema=schema, orient="row")

    def _outcomes(self, index: int, slow: pl.DataFrame) -> pl.DataFrame:
        """Pairs of numbers the keys do not decide (a margin, or a number too large to key),
        decided by the plan as the row engine decides them, once a pair."""
        pairs = slow.select("pc", "v", "earlier").unique()
        codes = []
        for pc, value, text in pairs.iter_rows():
            plan = self.plans[pc]
            rated, number = plan.rated(value), plan.reading(text)
            assert rated is not None and rated.value is not None and number is not None
            codes.append(plan.outcome(rated.value, number))
        return pairs.with_columns(pl.Series("code2", codes, dtype=pl.Int32))


def move_parts(index: int, count: int, record: dict[str, Any]) -> tuple[str, str, str]:
    """Movement `index` of `count` (its record) as three parts of the line, cut at the commas
    around its earlier value and text; the travel list opens before the first movement and
    closes after the last."""
    opens = ' "travel": [' if index == 0 else " "
    closes = "]" if index == count - 1 else ""
    head, middle, tail = movement_runs(record)
    return opens + "{" + head, " " + middle, " " + tail + "}" + closes
