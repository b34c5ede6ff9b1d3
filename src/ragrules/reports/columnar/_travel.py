"""The travel columns of the columnar writer: each row's earlier value, from its own line or
found by an as-of join on its series, and its movement decided exactly on distinct values.

Rows are keyed by their plan's number (`pc`, one per indicator and period, in the order the
plans were first seen), so the joins onto what was rendered are on integers and texts.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from ragrules.engine._placing import LOOKBACK_ROWS
from ragrules.engine.plan import LinePlan, RowStream
from ragrules.engine.result import movement_dict
from ragrules.model.numbers import format_decimal
from ragrules.reports._fragments import PlanParts, movement_runs, pairs
from ragrules.reports.columnar._keys import sort_key
from ragrules.reports.columnar._known import Known, patched
from ragrules.reports.columnar._table import SEP, Layout

_CODES = 64  # more outcomes than a plan's movements can have (direction by judgement)


class TravelColumns:
    """Every comparison's movement for every row of a block (a part of `Writer`)."""

    layout: Layout
    stream: RowStream
    parts: dict[LinePlan, PlanParts]
    plans: list[LinePlan]  # by number

    def __init__(self) -> None:
        # The last rows of earlier blocks a later block's travel may read, as a stream
        # keeps them: the most recent LOOKBACK_ROWS (series, period) entries.
        self.carry: pl.DataFrame | None = None
        self.tail_carries = True  # a block's last rows alone have written enough keys
        # The carried keys some row gave as its own value (not an earlier column): at least
        # those the stream holds so, so that a row giving one again goes to the row engine,
        # which rejects it as a duplicate.
        self.owned = pl.Series("key", [], dtype=pl.String)
        self.role_periods: list[list[str]] = []  # see `_periods`
        count = len(self.layout.stream.comparisons)
        # Earlier texts read (by indicator); per comparison, the general path's words for
        # those that are not numbers (by plan) and the outcomes a margin decides.
        self.readings = Known(["rid", "earlier"], self._earlier_numbers)
        self.reading_ids: dict[str, int] = {}  # indicator id -> number (`rid`)
        self.earlier = [
            Known(["pc", "earlier"], functools.partial(self._earlier_words, index))
            for index in range(count)
        ]
        self.codes = [
            Known(["pc", "v", "earlier"], functools.partial(self._outcomes, index))
            for index in range(count)
        ]

    def _entries(
        self, frame: pl.DataFrame, cells: list[pl.Series], *, latest: bool = False
    ) -> pl.DataFrame:
        """Where rows put their values (key, line, role, text): each row's own value at its
        period, its earlier columns at theirs. With `latest`, only each series' last entry
        per plan and role, all a carry keeps: keys are made for those alone (a file of few
        series has a few hundred, however many lines)."""
        entries = []
        for order, (at, texts) in enumerate(
            zip(self._periods(), [frame["v"], *cells], strict=True)
        ):
            placed = frame.select("series", "pc", pl.col("row").alias("at")).with_columns(
                pl.lit(order, dtype=pl.Int32).alias("role"), texts.alias("earlier")
            )
            if order:
                placed = placed.filter(pl.col("earlier") != "")
            if latest:
                placed = placed.unique(subset=["series", "pc"], keep="last", maintain_order=True)
            key = placed["series"] + SEP + _per_plan(at, pl.String(), placed["pc"])
            entries.append(placed.select(key.alias("key"), "at", "role", "earlier"))
        return pl.concat(entries)

    def _periods(self) -> list[list[str]]:
        """Per role (the row's own value, then each earlier column), each plan's period for
        it as a key writes it, by plan number: made once a plan (plans are only added)."""
        roles = list(self.layout.reader.earlier)
        known = self.role_periods = self.role_periods or [[] for _ in range(len(roles) + 1)]
        for plan in self.plans[len(known[0]) :]:
            known[0].append(repr(plan.period))
            for order, role in enumerate(roles, 1):
                known[order].append(repr(plan.columns[role]))  # type: ignore[index]
        return known

    def _own_keys(self, frame: pl.DataFrame) -> pl.Series:
        """The own key (series and period, as `_entries` writes it) of each row of an area:
        the rows a later row may be a duplicate of (see `_placing.rated_rows`)."""
        areas = frame.filter(pl.col("a") != "")  # most national files name none
        keys: pl.Series = (
            areas["series"] + SEP + _per_plan(self._periods()[0], pl.String(), areas["pc"])
        )
        return keys

    def _given(self, own: pl.Series) -> bool:
        """Whether a row of the block may give a key an earlier row gave (one in the block,
        or one the stream still holds as a row's): the row engine says which are rejected.
        Erring towards the row engine costs speed, never a byte."""
        return bool(own.is_duplicated().any() or own.is_in(self.owned.implode()).any())

    def _owned(self, own: pl.Series) -> None:
        """The carried keys a row gave as its own after this block: the carried ones that
        were so before it or are a row's of it (a key the stream dropped is not carried)."""
        assert self.carry is not None
        keys = self.carry["key"]
        given = pl.concat([self.owned, own.alias("key")])
        self.owned = keys.filter(keys.is_in(given.implode()))

    def _placed(self, frame: pl.DataFrame, cells: list[pl.Series]) -> pl.DataFrame:
        """Every entry a row of the block may read, the carried ones of earlier blocks
        first; one per key and line (a line's later column wins, as in its dict)."""
        entries = self._entries(frame, cells)
        if self.carry is not None:
            entries = pl.concat([self.carry, entries])
        placed = entries.sort(["at", "role"]).unique(
            subset=["key", "at"], keep="last", maintain_order=True
        )
        self._keep(placed)
        return placed.with_row_index("seq")  # the order the stream wrote them in

    def _keep(self, entries: pl.DataFrame) -> None:
        """The most recent LOOKBACK_ROWS keys, carried to the next block: each key's latest
        entry (by line, then column), in that order. A group-by, not a sort of every entry:
        a file of few series has few keys."""
        self.carry = (
            entries.group_by("key")
            .agg(pl.all().sort_by(["at", "role"]).last())
            .sort(["at", "role"])
            .tail(LOOKBACK_ROWS)
        )

    def _carry(self, frame: pl.DataFrame, cells: list[pl.Series]) -> None:
        """The carry after a block no row of which read history: from its last rows alone
        when they wrote enough keys (the most recent keys are all theirs), else from the
        whole block and the carry before it."""
        entries = None
        if self.tail_carries:
            tail = frame.tail(LOOKBACK_ROWS)
            entries = self._entries(tail, [texts.tail(LOOKBACK_ROWS) for texts in cells])
            # A file whose last rows write few keys (few series) writes few in every block:
            # its later blocks go straight to the whole block.
            self.tail_carries = entries["key"].n_unique() >= LOOKBACK_ROWS
        if not self.tail_carries:
            entries = self._entries(frame, cells, latest=True)
            if self.carry is not None:
                entries = pl.concat([self.carry, entries])
        assert entries is not None
        self._keep(entries)

    def _on_line(self, frame: pl.DataFrame, cells: list[pl.Series], index: int) -> pl.Series:
        """Comparison `index`'s earlier text where the row's own line holds it (a column
        for the comparison's period, not blank: the last such column, as a line's dict
        keeps it); null where the stream would look in its history."""
        pc = frame["pc"]
        found: pl.Expr = pl.repeat(None, frame.height, dtype=pl.String)
        for role, texts in zip(self.layout.reader.earlier, cells, strict=True):
            same = [plan.columns[role] == plan.earlier[index] for plan in self.plans]  # type: ignore[index]
            there = _per_plan(same, pl.Boolean(), pc) & (texts != "")
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
            key = frame["series"] + SEP + _per_plan(wanted, pl.String(), frame["pc"])
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
            unread = _per_plan(restarts, pl.Boolean(), frame["pc"])
            rows = rows.with_columns(pl.when(~unread).then("earlier").alias("earlier"))
        return self._movements(rows, index)

    def _earlier_numbers(self, found: pl.DataFrame) -> pl.DataFrame:
        """Each earlier text not read before, read as its indicator reads it (alike for all
        the indicator's plans and comparisons): a number's sort key and JSON; `enum` false
        for a text that is not a number, and for no text at all."""
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
        ids = self.reading_ids
        rids = pl.Series([ids.setdefault(p.id, len(ids)) for p in self.plans], dtype=pl.UInt32)
        rows = self.readings.join(found.with_columns(rids.gather(found["pc"]).alias("rid")))
        odd = ~rows["enum"]
        words = self.earlier[index].join(rows.filter(odd).select("pc", "earlier"))
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
        slow = rows.filter(numeric & pl.col("code").is_null())
        if slow.height:
            codes = self.codes[index].join(slow.select("pc", "v", "earlier").unique())
            rows = rows.join(
                codes,
                on=["pc", "v", "earlier"],
                how="left",
                nulls_equal=True,
                maintain_order="left",
            ).with_columns(pl.coalesce("code", "code2").alias("code"))
        frames = []
        count = len(self.stream.comparisons)
        for pc, code in (
            rows.filter(pl.col("code").is_not_null()).select("pc", "code").unique().iter_rows()
        ):
            plan = self.plans[pc]
            parts = self.parts[plan]
            frame_parts = parts.frames.get(index * _CODES + code)
            if frame_parts is None:
                made = movement_dict(plan.movement((index, Decimal(0), "", code)))
                before, _, after = move_parts(index, count, made)
                frame_parts = parts.frames[index * _CODES + code] = (before, after)
            frames.append((pc * _CODES + code, *frame_parts, plan.judged_as[code]))
        # Joined on one integer made of the plan's number and the outcome: one key column.
        schema = {"at": pl.Int64, "before": pl.String, "after": pl.String, "judged": pl.String}
        frame_table = pl.DataFrame(frames, schema=schema, orient="row")
        at = (pl.col("pc").cast(pl.Int64) * _CODES + pl.col("code")).alias("at")
        rows = rows.with_columns(at).join(frame_table, on="at", how="left", maintain_order="left")
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


def _per_plan(values: Sequence[object], dtype: pl.DataType, pc: pl.Series) -> pl.Series:
    """One value per plan, for each row (by its plan's number)."""
    return pl.Series(values, dtype=dtype).gather(pc)


def move_parts(index: int, count: int, record: dict[str, Any]) -> tuple[str, str, str]:
    """Movement `index` of `count` (its record) as three parts of the line, cut at the commas
    around its earlier value and text; the travel list opens before the first movement and
    closes after the last."""
    opens = ' "travel": [' if index == 0 else " "
    closes = "]" if index == count - 1 else ""
    head, middle, tail = movement_runs(record)
    return opens + "{" + head, " " + middle, " " + tail + "}" + closes
