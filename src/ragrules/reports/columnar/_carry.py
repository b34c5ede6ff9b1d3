"""The keys a columnar stream carries from block to block: where rows put their values
(series and period), as the row engine's stream keeps the most recent of them, so that a
later block's travel reads what the stream would read, and a row given twice is found."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ragrules.engine._placing import LOOKBACK_ROWS
from ragrules.engine.plan import LinePlan, RowStream
from ragrules.reports.columnar._table import SEP, Layout


class CarriedKeys:
    """The carried keys of a columnar writer (a part of `Writer`, under `TravelColumns`)."""

    layout: Layout
    stream: RowStream
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
            key = placed["series"] + SEP + per_plan(at, pl.String(), placed["pc"])
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
        # Two columns picked out, not the block's every column (most national files name
        # no area: none at all).
        areas = frame.select("series", "pc").filter(frame["a"] != "")
        keys: pl.Series = (
            areas["series"] + SEP + per_plan(self._periods()[0], pl.String(), areas["pc"])
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


def per_plan(values: Sequence[object], dtype: pl.DataType, pc: pl.Series) -> pl.Series:
    """One value per plan, for each row (by its plan's number)."""
    return pl.Series(values, dtype=dtype).gather(pc)
