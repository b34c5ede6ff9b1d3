"""The travel columns of the columnar writer: each row's earlier value found by an as-of
join on its series, and its movement decided exactly on the distinct values."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from ragrules.engine.plan import LinePlan, Rated, RowStream
from ragrules.engine.result import movement_dict
from ragrules.model.numbers import format_decimal
from ragrules.reports.columnar._table import Table
from ragrules.reports.compiled import _encode, _movement_frame, _pairs, _PlanParts

SEP = "\x1f"  # joins the parts of a series key; never in a CSV cell the plans take


class TravelColumns:
    """One comparison's movement for every row (a part of `Writer`)."""

    table: Table
    stream: RowStream
    parts: dict[LinePlan, _PlanParts]
    rated: dict[tuple[str, str, str], Rated]

    def _travel(self, frame: pl.DataFrame, index: int) -> pl.DataFrame:
        """One comparison for every row: its JSON (`m`), judgement key (`j`) and whether its
        earlier value could not be read (`u`)."""
        table = self.table
        entries = [
            frame.select(
                pl.concat_str([pl.col("series"), pl.col("pkey")], separator=SEP).alias("key"),
                pl.col("row").alias("at"),
                pl.lit(0).alias("role"),
                pl.col("v").alias("earlier"),
            )
        ]
        earlier_at = table.reader.earlier
        for order, (role, column) in enumerate(earlier_at.items(), start=1):
            when = {
                (ind, per): repr(plan.columns[role])  # type: ignore[index]
                for (ind, per), plan in table.plans.items()
            }
            periods = pl.DataFrame(
                {
                    "i": [k[0] for k in when],
                    "p": [k[1] for k in when],
                    "wkey": list(when.values()),
                },
                schema=dict.fromkeys(("i", "p", "wkey"), pl.String),
            )
            with_texts = frame.with_columns(table.frame.to_series(column).alias("t")).join(
                periods, on=["i", "p"], how="left", maintain_order="left"
            )
            entries.append(
                with_texts.filter(pl.col("t") != "").select(
                    pl.concat_str([pl.col("series"), pl.col("wkey")], separator=SEP).alias("key"),
                    pl.col("row").alias("at"),
                    pl.lit(order).alias("role"),
                    pl.col("t").alias("earlier"),
                )
            )
        placed = (
            pl.concat(entries)
            .sort(["at", "role"])
            .unique(subset=["key", "at"], keep="last", maintain_order=True)
        )
        wanted = {(ind, per): repr(plan.earlier[index]) for (ind, per), plan in table.plans.items()}
        lookups = frame.join(
            pl.DataFrame(
                {
                    "i": [k[0] for k in wanted],
                    "p": [k[1] for k in wanted],
                    "ekey": list(wanted.values()),
                },
                schema=dict.fromkeys(("i", "p", "ekey"), pl.String),
            ),
            on=["i", "p"],
            how="left",
            maintain_order="left",
        ).select(
            pl.concat_str([pl.col("series"), pl.col("ekey")], separator=SEP).alias("key"),
            pl.col("row").alias("at"),
            "i",
            "p",
            "v",
            "number",
        )
        found = lookups.sort("at").join_asof(
            placed.sort("at"), on="at", by="key", strategy="backward", check_sortedness=False
        )
        found = found.sort("at")
        return self._movements(found, index)

    def _movements(self, found: pl.DataFrame, index: int) -> pl.DataFrame:
        """The movement of every row for comparison `index`, exactly decided: numbers are
        compared by their exact ranks among the indicator's numbers, anything else is said
        by the general path, once per distinct text."""
        plans = self.table.plans
        # Every (indicator, period, earlier text) once: a number, or the general path's words.
        numbers: dict[str, set[Decimal]] = {}
        readings: dict[tuple[str, str, str | None], Decimal | None] = {}
        for indicator, period, text in found.select("i", "p", "earlier").unique().iter_rows():
            number = None if text is None else plans[(indicator, period)].reading(text)
            readings[(indicator, period, text)] = number
            if number is not None:
                numbers.setdefault(indicator, set()).add(number)
        for rated in self.rated.values():
            if rated.value is not None:
                numbers.setdefault(rated.plan.id, set()).add(rated.value)
        ranks = {
            indicator: {number: rank for rank, number in enumerate(sorted(values))}
            for indicator, values in numbers.items()
        }
        earlier_rows = []
        middles: dict[tuple[str, str], str] = {}  # a number's JSON, the same in every period
        for (indicator, period, text), number in readings.items():
            row: tuple[object, ...]
            if number is None:
                move = self.stream.unread(plans[(indicator, period)], index, text)
                judged = None if move.judgement is None else move.judgement.value
                unreadable = not move.comparable and bool(move.earlier_text)
                row = (None, _encode(movement_dict(move)), f"m{judged}", unreadable, None)
            else:
                middle = middles.get((indicator, text))  # type: ignore[arg-type]
                if middle is None:
                    shown = {"earlier": format_decimal(number), "earlier_text": text}
                    middle = middles[(indicator, text)] = _pairs(shown)  # type: ignore[index]
                row = (ranks[indicator][number], None, None, False, middle)
            earlier_rows.append((indicator, period, text, *row))
        earlier_table = pl.DataFrame(
            earlier_rows,
            schema={
                **dict.fromkeys(("i", "p", "earlier"), pl.String),
                "erank": pl.Int64,
                **dict.fromkeys(("gm", "gj"), pl.String),
                "gu": pl.Boolean,
                "middle": pl.String,
            },
            orient="row",
        )
        value_table = pl.DataFrame(
            {
                "i": [k[0] for k in self.rated],
                "p": [k[1] for k in self.rated],
                "v": [k[2] for k in self.rated],
                "vrank": [
                    None if r.value is None else ranks[k[0]][r.value] for k, r in self.rated.items()
                ],
                "simple": [plans[(k[0], k[1])].plain_travel for k in self.rated],
            },
            schema={
                **dict.fromkeys(("i", "p", "v"), pl.String),
                "vrank": pl.Int64,
                "simple": pl.Boolean,
            },
        )
        rows = found.join(
            earlier_table,
            on=["i", "p", "earlier"],
            how="left",
            nulls_equal=True,
            maintain_order="left",
        ).join(value_table, on=["i", "p", "v"], how="left", maintain_order="left")
        # Outcomes: by rank where the plan has no margin; else by the plan, once per pair.
        numeric = pl.col("vrank").is_not_null() & pl.col("gm").is_null()
        by_rank = (
            pl.when(pl.col("vrank") == pl.col("erank"))
            .then(0)
            .when(pl.col("vrank") > pl.col("erank"))
            .then(1)
            .otherwise(2)
        )
        rows = rows.with_columns(pl.when(numeric & pl.col("simple")).then(by_rank).alias("code"))
        margins = rows.filter(numeric & ~pl.col("simple")).select("i", "p", "v", "earlier").unique()
        if margins.height:
            codes = []
            for indicator, period, value, text in margins.iter_rows():
                plan = plans[(indicator, period)]
                rated = self.rated[(indicator, period, value)]
                number = readings[(indicator, period, text)]
                assert rated.value is not None and number is not None
                codes.append(plan.outcome(rated.value, number))
            rows = rows.join(
                margins.with_columns(pl.Series("code2", codes, dtype=pl.Int64)),
                on=["i", "p", "v", "earlier"],
                how="left",
                nulls_equal=True,
                maintain_order="left",
            ).with_columns(pl.coalesce("code", "code2").alias("code"))
        # Each movement's frame, per plan and outcome.
        frames = []
        for indicator, period, code in (
            rows.filter(pl.col("code").is_not_null()).select("i", "p", "code").unique().iter_rows()
        ):
            plan = plans[(indicator, period)]
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
            pl.when(pl.col("vrank").is_null())
            .then(pl.lit(""))
            .when(pl.col("gm").is_not_null())
            .then(pl.col("gm"))
            .otherwise(pl.concat_str(["before", "middle", "after"]))
            .alias("m"),
            pl.when(pl.col("vrank").is_null())
            .then(pl.lit("x"))
            .when(pl.col("gm").is_not_null())
            .then(pl.col("gj"))
            .otherwise(pl.concat_str([pl.lit("n"), pl.col("code").cast(pl.String)]))
            .alias("j"),
            (pl.col("vrank").is_not_null() & pl.col("gu").fill_null(False)).alias("u"),
        )
