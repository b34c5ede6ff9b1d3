"""The travel columns of the columnar writer: each row's earlier value found by an as-of join
on its series, and its movement decided exactly on the distinct values."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from ragrules.engine.batch import LOOKBACK_ROWS
from ragrules.engine.plan import LinePlan, RowStream
from ragrules.engine.result import movement_dict
from ragrules.model.numbers import format_decimal
from ragrules.reports.columnar._keys import sort_key
from ragrules.reports.columnar._table import Layout
from ragrules.reports.compiled import _encode, _movement_frame, _pairs, _PlanParts

SEP = "\x1f"  # joins the parts of a series key; never in a CSV cell the plans take

# Distinct entries (value texts, earlier texts, pairs) remembered across blocks: published
# values repeat, so a file is rendered once per text; a file of unique values drops them here.
KNOWN = 1 << 18


class TravelColumns:
    """Every comparison's movement for every row of a block (a part of `Writer`)."""

    layout: Layout
    stream: RowStream
    parts: dict[LinePlan, _PlanParts]

    def __init__(self) -> None:
        # The last rows of earlier blocks a later block's travel may read, as a stream
        # keeps them: the most recent LOOKBACK_ROWS (series, period) entries.
        self.carry: pl.DataFrame | None = None
        count = len(self.layout.stream.comparisons)
        self.earlier: list[pl.DataFrame | None] = [None] * count  # per comparison, by text
        self.codes: list[pl.DataFrame | None] = [None] * count  # outcomes with a margin
        self.middles: dict[tuple[str, str], str] = {}  # an earlier number's JSON

    def _placed(self, frame: pl.DataFrame, columns: list[pl.Series]) -> pl.DataFrame:
        """Where each row puts its values (key, line, role, text): its own value at its
        period, its earlier columns at theirs; the carried rows of earlier blocks first."""
        entries = [
            frame.select(
                pl.concat_str([pl.col("series"), pl.col("pkey")], separator=SEP).alias("key"),
                pl.col("row").alias("at"),
                pl.lit(0).alias("role"),
                pl.col("v").alias("earlier"),
            )
        ]
        plans = self.layout.plans
        for order, (role, texts) in enumerate(
            zip(self.layout.reader.earlier, columns, strict=True), start=1
        ):
            when = self._by_plan({key: repr(plan.columns[role]) for key, plan in plans.items()})  # type: ignore[index]
            with_texts = frame.with_columns(texts.alias("t")).join(
                when, on=["i", "p"], how="left", maintain_order="left"
            )
            entries.append(
                with_texts.filter(pl.col("t") != "").select(
                    pl.concat_str([pl.col("series"), pl.col("w")], separator=SEP).alias("key"),
                    pl.col("row").alias("at"),
                    pl.lit(order).alias("role"),
                    pl.col("t").alias("earlier"),
                )
            )
        if self.carry is not None:
            entries.insert(0, self.carry)
        placed = (
            pl.concat(entries)
            .sort(["at", "role"])
            .unique(subset=["key", "at"], keep="last", maintain_order=True)
        )
        latest = placed.unique(subset=["key"], keep="last", maintain_order=True)
        self.carry = latest.tail(LOOKBACK_ROWS)
        return placed

    def _by_plan(self, values: dict[tuple[str, str], str]) -> pl.DataFrame:
        """A small table of one text per (indicator, period)."""
        return pl.DataFrame(
            {
                "i": [k[0] for k in values],
                "p": [k[1] for k in values],
                "w": list(values.values()),
            },
            schema=dict.fromkeys(("i", "p", "w"), pl.String),
        )

    def _travel(self, frame: pl.DataFrame, placed: pl.DataFrame, index: int) -> pl.DataFrame:
        """One comparison for every row: its JSON (`m`), judgement key (`j`) and whether its
        earlier value could not be read (`u`)."""
        plans = self.layout.plans
        wanted = self._by_plan({key: repr(plan.earlier[index]) for key, plan in plans.items()})
        lookups = frame.join(wanted, on=["i", "p"], how="left", maintain_order="left").select(
            pl.concat_str([pl.col("series"), pl.col("w")], separator=SEP).alias("key"),
            pl.col("row").alias("at"),
            "i",
            "p",
            "v",
            "vnum",
            "vkey",
            "simple",
        )
        found = lookups.join_asof(
            placed, on="at", by="key", strategy="backward", check_sortedness=False
        )
        return self._movements(found, index)

    def _earlier_texts(self, found: pl.DataFrame, index: int) -> pl.DataFrame:
        """Each (indicator, period, earlier text) of the block, read once: a number's key
        and JSON, or the general path's words for anything else (and no row at all)."""
        known = self.earlier[index]
        texts = found.select("i", "p", "earlier").unique()
        if known is not None and known.height + texts.height > KNOWN:
            known = None
        if known is not None:
            texts = texts.join(known, on=["i", "p", "earlier"], how="anti", nulls_equal=True)
        plans, middles = self.layout.plans, self.middles
        if len(middles) > KNOWN:
            middles.clear()
        rows: list[tuple[object, ...]] = []
        for indicator, period, text in texts.iter_rows():
            plan = plans[(indicator, period)]
            number = None if text is None else plan.reading(text)
            if number is None:
                move = self.stream.unread(plan, index, text)
                judged = None if move.judgement is None else move.judgement.value
                unreadable = not move.comparable and bool(move.earlier_text)
                words = _encode(movement_dict(move))
                rows.append((indicator, period, text, False, None, words, f"m{judged}", unreadable))
                continue
            middle = middles.get((indicator, text))
            if middle is None:
                shown = {"earlier": format_decimal(number), "earlier_text": text}
                middle = middles[(indicator, text)] = _pairs(shown)
            rows.append((indicator, period, text, True, sort_key(number), middle, None, False))
        new = pl.DataFrame(
            rows,
            schema={
                **dict.fromkeys(("i", "p", "earlier"), pl.String),
                "enum": pl.Boolean,
                **dict.fromkeys(("ekey", "words", "gj"), pl.String),
                "gu": pl.Boolean,
            },
            orient="row",
        )
        known = new if known is None else pl.concat([known, new])
        self.earlier[index] = known
        return known

    def _movements(self, found: pl.DataFrame, index: int) -> pl.DataFrame:
        """The movement of every row for comparison `index`, exactly decided: two numbers
        by their sort keys where the plan has no margin, else by the plan, once a pair."""
        known = self._earlier_texts(found, index)
        rows = found.join(
            known, on=["i", "p", "earlier"], how="left", nulls_equal=True, maintain_order="left"
        )
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
            rows = rows.join(
                self._outcomes(slow, index),
                on=["i", "p", "v", "earlier"],
                how="left",
                maintain_order="left",
            ).with_columns(pl.coalesce("code", "code2").alias("code"))
        frames = []
        for indicator, period, code in (
            rows.filter(pl.col("code").is_not_null()).select("i", "p", "code").unique().iter_rows()
        ):
            plan = self.layout.plans[(indicator, period)]
            parts = self.parts[plan]
            frame_parts = parts.frames.get(index * 64 + code)
            if frame_parts is None:
                made = plan.movement((index, Decimal(0), "", code))
                frame_parts = parts.frames[index * 64 + code] = _movement_frame(made)
            frames.append((indicator, period, code, *frame_parts))
        frame_table = pl.DataFrame(
            frames,
            schema={
                "i": pl.String,
                "p": pl.String,
                "code": pl.Int64,
                "before": pl.String,
                "after": pl.String,
            },
            orient="row",
        )
        rows = rows.join(
            frame_table, on=["i", "p", "code"], how="left", nulls_equal=True, maintain_order="left"
        )
        return rows.select(
            pl.when(~pl.col("vnum"))
            .then(pl.lit(""))
            .when(~pl.col("enum"))
            .then(pl.col("words"))
            .otherwise(pl.concat_str(["before", "words", "after"]))
            .alias("m"),
            pl.when(~pl.col("vnum"))
            .then(pl.lit("x"))
            .when(~pl.col("enum"))
            .then(pl.col("gj"))
            .otherwise(pl.concat_str([pl.lit("n"), pl.col("code").cast(pl.String)]))
            .alias("j"),
            (pl.col("vnum") & pl.col("gu").fill_null(False)).alias("u"),
        )

    def _outcomes(self, slow: pl.DataFrame, index: int) -> pl.DataFrame:
        """Pairs of numbers the keys do not decide (a margin, or a number too large to key),
        decided by the plan as the row engine decides them, once a pair."""
        known = self.codes[index]
        pairs = slow.select("i", "p", "v", "earlier").unique()
        if known is not None and known.height + pairs.height > KNOWN:
            known = None
        if known is not None:
            pairs = pairs.join(known, on=["i", "p", "v", "earlier"], how="anti")
        plans = self.layout.plans
        codes = []
        for indicator, period, value, text in pairs.iter_rows():
            plan = plans[(indicator, period)]
            rated, number = plan.rated(value), plan.reading(text)
            assert rated is not None and rated.value is not None and number is not None
            codes.append(plan.outcome(rated.value, number))
        new = pairs.with_columns(pl.Series("code2", codes, dtype=pl.Int64))
        known = new if known is None else pl.concat([known, new])
        self.codes[index] = known
        return known
