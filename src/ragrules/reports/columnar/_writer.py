"""The JSON lines of a plain table, assembled from fragments joined onto its rows."""

from __future__ import annotations

import codecs
import io
import os
from collections import Counter
from decimal import Decimal
from typing import Any, BinaryIO, TextIO

import attrs
import polars as pl

from ragrules.engine.plan import LinePlan, Rated
from ragrules.engine.result import movement_dict
from ragrules.engine.selection import exceptions
from ragrules.engine.travel import Movement
from ragrules.model.rules import Direction, Judgement, Unrated
from ragrules.reports.columnar._table import Table
from ragrules.reports.columnar._travel import SEP, TravelColumns
from ragrules.reports.compiled import _encode, _pairs, _PlanParts
from ragrules.reports.stream import Tally

_CHUNK = 100_000  # rows written at a time: the output is never held whole


class Writer(TravelColumns):
    """The JSON lines of a plain table, assembled from fragments joined onto its rows."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.stream = table.stream
        self.policy = table.ruleset.exceptions
        self.parts: dict[LinePlan, _PlanParts] = {}

    def part(self, plan: LinePlan, rated: Rated) -> _PlanParts:
        parts = self.parts.get(plan)
        if parts is None:
            parts = self.parts[plan] = _PlanParts(rated)
        return parts

    def write(self, out: TextIO) -> Tally:
        table = self.table
        n = table.frame.height
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
        frame = frame.with_columns(self._series(frame))
        rated = self._rated(frame)
        frame = frame.join(rated, on=["i", "p", "v"], how="left", maintain_order="left")
        moves = [self._travel(frame, index) for index in range(len(self.stream.comparisons))]
        for index, move in enumerate(moves):
            frame = frame.with_columns(
                move.rename({name: f"{name}{index}" for name in move.columns})
            )
        frame = self._choose(frame, len(moves))
        frame = frame.with_columns(
            self._mapped(frame, ["a", *self._breakdown_columns()], "place", self._place),
            self._mapped(frame, ["c"], "commentary", lambda c: _commentary(c)),
            self._mapped(frame, self._other_columns(), "columns", self._columns),
        )
        travel = (
            pl.when(pl.col("fixed").is_not_null())
            .then(pl.col("fixed"))
            .otherwise(
                pl.concat_str([pl.col(f"m{index}") for index in range(len(moves))], separator=", ")
                if moves
                else pl.lit("")
            )
        )
        line = pl.concat_str(
            [
                pl.col("head"),
                pl.col("place"),
                pl.col("period"),
                pl.col("row").cast(pl.String),
                pl.col("text"),
                travel,
                pl.lit("], "),
                pl.col("commentary"),
                pl.lit(', "caveat": "", "flag": "", '),
                pl.col("columns"),
                pl.col("tail"),
            ]
        )
        # Written a slice at a time by polars (each line is already JSON: no quoting), as
        # UTF-8 bytes straight to the file beneath `out` when it has one that takes them.
        binary = _binary(out)
        for start in range(0, n, _CHUNK):
            rows = frame.slice(start, _CHUNK).select(line.str.strip_chars_end("\n"))
            if binary is None:
                out.write(rows.write_csv(include_header=False, quote_style="never"))
            else:
                rows.write_csv(binary, include_header=False, quote_style="never")
        return self._tally(frame, moves)

    # -- the parts of a line ---------------------------------------------------------------

    def _breakdown_columns(self) -> list[str]:
        return [f"b{n}" for n in range(len(self.stream.breakdowns))]

    def _other_columns(self) -> list[str]:
        return [f"o{n}" for n in range(len(self.table.reader.others))]

    def _series(self, frame: pl.DataFrame) -> list[pl.Series]:
        """The row's other columns (breakdowns among them) and its series key."""
        others = self.table.reader.others
        found = [
            self.table.frame.to_series(index).alias(f"o{n}")
            for n, index in enumerate(others.values())
        ]
        names = list(others)
        for n, name in enumerate(self.stream.breakdowns):
            source = (
                self.table.frame.to_series(others[name])
                if name in others
                else pl.Series([""] * frame.height, dtype=pl.String)
            )
            found.append(source.alias(f"b{n}"))
        parts = [frame["i"], frame["a"], *found[len(names) :]]
        key = pl.DataFrame(parts).select(pl.concat_str(pl.all(), separator=SEP)).to_series()
        return [*found, key.alias("series")]

    def _rated(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Per indicator, period and value text: the line's fixed parts, exactly rated.

        A number the plan's bands rate reads the same in every period whose bands and target
        are the same (a year's quarters, as a rule): it is rated and rendered once for them.
        """
        names: tuple[str, ...] = ("i", "p", "v", "head", "period", "text", "fixed", "status")
        names += ("ok", "invalid", "notices", "number", "pkey")
        rows = []
        self.rated: dict[tuple[str, str, str], Rated] = {}
        shared: dict[tuple[int, str], tuple[Rated, str, str | None]] = {}
        alike: dict[object, int] = {}  # plans' bands, numbered
        groups: dict[LinePlan, int] = {}
        plans = self.table.plans
        period_keys: dict[LinePlan, str] = {}
        for indicator, period, value in frame.select("i", "p", "v").unique().iter_rows():
            plan = plans[(indicator, period)]
            group = groups.get(plan)
            if group is None:
                group = groups[plan] = alike.setdefault(plan.bands, len(alike))
            key = (group, value)
            found = shared.get(key)
            if found is None:
                rated = plan.rated(value)
                assert rated is not None
                parts = self.part(plan, rated)
                number = None if rated.value is None else str(rated.value)
                found = (rated, parts.rated(rated), number)
                if rated.fast:
                    shared[key] = found
            rated, text, number = found
            parts = self.parts.get(plan) or self.part(plan, plan.rated(value))  # type: ignore[arg-type]
            self.rated[(indicator, period, value)] = rated
            fixed = None
            if rated.value is None:  # no number: the travel the general path gave the text
                fixed = ", ".join(_encode(movement_dict(m)) for m in rated.result().travel)
            rows.append(
                (
                    indicator,
                    period,
                    value,
                    parts.head,
                    parts.period,
                    text,
                    fixed,
                    rated.status,
                    rated.unrated is None,
                    rated.unrated is Unrated.INVALID,
                    rated.notices,
                    number,
                    period_keys.get(plan) or period_keys.setdefault(plan, repr(plan.period)),
                )
            )
        types = {"ok": pl.Boolean, "invalid": pl.Boolean, "notices": pl.Int64}
        return pl.DataFrame(rows, schema={k: types.get(k, pl.String) for k in names}, orient="row")

    def _choose(self, frame: pl.DataFrame, count: int) -> pl.DataFrame:
        """The exception reasons of every row: what the rules read is the status, whether it
        is rated and the movements' judgements, so they are chosen once per combination."""
        keys = ["i", "p", "status", "ok", *(f"j{n}" for n in range(count))]
        examples: dict[tuple[str, str, str, bool], str] = {}
        for (indicator, period, value), rated in self.rated.items():
            examples.setdefault((indicator, period, rated.status, rated.unrated is None), value)
        tails: dict[tuple[Any, ...], tuple[str, bool]] = {}
        for key in frame.select(keys).unique().iter_rows():
            indicator, period, status, ok, *judged = key
            plan = self.table.plans[(indicator, period)]
            own = plan.rated(examples[(indicator, period, status, ok)])  # its own period's
            assert own is not None
            rated = own
            reasons: list[str] = []
            if ok:
                result = rated.result()
                if rated.value is not None:
                    travel = tuple(self._judged(rated.plan, n, j) for n, j in enumerate(judged))
                    result = attrs.evolve(result, travel=travel)
                chosen = exceptions((result,), self.policy)
                reasons = list(chosen[0].reasons) if chosen else []
            tails[tuple(key)] = (f", {_pairs({'exception_reasons': reasons})}}}\n", bool(reasons))
        table = pl.DataFrame(
            {
                **{name: [k[n] for k in tails] for n, name in enumerate(keys)},
                "tail": [t[0] for t in tails.values()],
                "selected": [t[1] for t in tails.values()],
            },
            schema={
                **{name: frame.schema[name] for name in keys},
                "tail": pl.String,
                "selected": pl.Boolean,
            },
        )
        return frame.join(table, on=keys, how="left", nulls_equal=True, maintain_order="left")

    def _judged(self, plan: LinePlan, index: int, key: str) -> Movement:
        """A movement with the judgement a key names (all the exception rules read)."""
        if key.startswith("n"):
            return plan.movement((index, Decimal(0), "", int(key[1:])))
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
            return pl.Series(alias, [value] * frame.height, dtype=pl.String)
        distinct = frame.select(names).unique()
        rendered = [render(row) for row in distinct.iter_rows()]
        table = distinct.with_columns(pl.Series(alias, rendered, dtype=pl.String))
        return frame.select(names).join(table, on=names, how="left", maintain_order="left")[alias]

    def _place(self, row: tuple[str, ...]) -> str:
        area, *values = row
        breakdown = dict(zip(self.stream.breakdowns, values, strict=True))
        return _pairs({"area": area or None, "breakdown": breakdown})

    def _columns(self, row: tuple[str, ...]) -> str:
        return _pairs({"columns": dict(zip(self.table.reader.others, row, strict=True))})

    def _tally(self, frame: pl.DataFrame, moves: list[pl.DataFrame]) -> Tally:
        tally = Tally()
        tally.results = frame.height
        tally.statuses = Counter(dict(frame["status"].value_counts().iter_rows()))
        tally.invalid = int(frame["invalid"].sum())
        unreadable = sum(int(frame[f"u{n}"].sum()) for n in range(len(moves)))
        tally.notices = int(frame["notices"].sum()) + unreadable
        required = list(self.policy.commentary_required)
        tally.findings = frame.filter(
            pl.col("status").is_in(required) & pl.col("ok") & (pl.col("c") == "")
        ).height
        tally.exceptions = int(frame["selected"].sum())
        return tally


def _binary(out: TextIO) -> BinaryIO | None:
    """The byte stream beneath a UTF-8 text file that writes a newline as itself, flushed
    so what is written to it follows what `out` holds; None for any other text stream."""
    if not isinstance(out, io.TextIOWrapper) or os.linesep != "\n":
        return None
    if codecs.lookup(out.encoding).name != "utf-8":
        return None
    out.flush()
    return out.buffer  # type: ignore[no-any-return]


def _commentary(row: tuple[str, ...]) -> str:
    return _pairs({"commentary": row[0]})
