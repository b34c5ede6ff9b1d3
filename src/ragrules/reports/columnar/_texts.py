"""The columns a block's value texts bring, exactly rated: what a line shows of its value.

A number the plan's bands rate reads the same in every period whose bands and target are the
same (a year's quarters, as a rule), so it is rated and rendered once for all those plans;
anything else (a text that is not a number, a neutral indicator: the general path's result)
once per plan and text. What was rendered is kept from block to block (`Known`).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from ragrules.engine.plan import LinePlan
from ragrules.engine.result import movement_dict
from ragrules.model.rules import Unrated
from ragrules.reports._fragments import PlanParts
from ragrules.reports.columnar._keys import sort_key
from ragrules.reports.columnar._known import Known, patched
from ragrules.reports.columnar._travel import move_parts

# What a value text brings, rated alike by a group of plans or by one plan.
_SHOWN = {
    "text": pl.String,  # from the status to the rank, as a part of the line
    "status": pl.String,
    "ok": pl.Boolean,  # rated
    "invalid": pl.Boolean,
    "notices": pl.Int64,
    "vnum": pl.Boolean,  # a number, which travel compares
    "vkey": pl.String,  # the number's sort key (`sort_key`)
}
_TRAVEL_OPENS = ', "travel": ['


class ValueTexts:
    """Each row's value text, rated and rendered, joined onto the rows of a block."""

    def __init__(
        self, plans: list[LinePlan], part: Callable[[LinePlan, str], PlanParts], count: int
    ) -> None:
        self.plans, self.part, self.count = plans, part, count  # plans by number (`pc`)
        self.alike = Known(["g", "v"], self._alike)
        self.own = Known(["pc", "v"], self._own)
        self.lines: dict[int, tuple[str, str]] = {}  # by plan: the line's head and period

    def join(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` (each row's plan `pc` and value text `v`) with what its value shows, the
        line's parts that depend on its plan alone, and (for a text that is not a number)
        the movements the general path gives it, each in three parts: `fa0`, `fb0`, `fc0`..."""
        groups = pl.Series([plan.alike for plan in self.plans], dtype=pl.UInt32)
        rows = self.alike.join(frame.with_columns(groups.gather(frame["pc"]).alias("g")))
        own = ~rows["fast"]
        found = self.own.join(rows.select("pc", "v").filter(own))
        rows = patched(rows, own, found.drop("pc", "v"))
        return rows.with_columns(self._per_plan(rows)).drop("g", "fast")

    def _per_plan(self, rows: pl.DataFrame) -> list[pl.Series]:
        """The line's head and period parts, and whether travel is plain, by each row's plan."""
        lines = self.lines
        for pc, value in rows.select("pc", "v").unique(subset="pc").iter_rows():
            if pc not in lines:
                parts = self.part(self.plans[pc], value)
                lines[pc] = (parts.head[: -len(", ")], _inner(parts.period, ""))
        numbers = range(len(self.plans))
        heads = [lines[pc][0] if pc in lines else "" for pc in numbers]
        periods = [lines[pc][1] if pc in lines else "" for pc in numbers]
        pc = rows["pc"]
        return [
            pl.Series("head", heads, dtype=pl.String).gather(pc),
            pl.Series("period", periods, dtype=pl.String).gather(pc),
            pl.Series("simple", [p.plain_travel for p in self.plans], pl.Boolean).gather(pc),
        ]

    def _alike(self, lacking: pl.DataFrame) -> pl.DataFrame:
        """Per group of plans and value text: a number their bands rate, rated and rendered
        once (by the first plan of the group seen); `fast` false (and nothing shown) for
        any other text, which each plan rates itself."""
        rows: list[tuple[object, ...]] = []
        for group, pc, value in (
            lacking.select("g", "pc", "v").unique(subset=["g", "v"]).iter_rows()
        ):
            plan = self.plans[pc]
            rated = plan.rated(value)
            assert rated is not None
            if not rated.fast or rated.value is None:
                rows.append((group, value, False, *(None,) * len(_SHOWN)))
                continue
            text = _inner(self.part(plan, value).rated(rated), _TRAVEL_OPENS)
            shown = (text, rated.status, True, False, rated.notices, True, sort_key(rated.value))
            rows.append((group, value, True, *shown))
        schema = {"g": pl.UInt32, "v": pl.String, "fast": pl.Boolean, **_SHOWN}
        return pl.DataFrame(rows, schema=schema, orient="row")

    def _own(self, lacking: pl.DataFrame) -> pl.DataFrame:
        """Per plan and value text, for texts the plan rates itself (not a number its bands
        rate): what it shows, and the movements the general path gives it."""
        count = self.count
        rows: list[tuple[object, ...]] = []
        for pc, value in lacking.select("pc", "v").unique().iter_rows():
            plan = self.plans[pc]
            rated = plan.rated(value)
            assert rated is not None
            text = _inner(self.part(plan, value).rated(rated), _TRAVEL_OPENS)
            fixed: list[str | None] = [None for _ in range(3 * count)]
            if rated.value is None:  # no number: the travel the general path gave the text
                travel = rated.result().travel
                assert len(travel) == count
                fixed = [
                    part
                    for index, move in enumerate(travel)
                    for part in move_parts(index, count, movement_dict(move))
                ]
            number = None if rated.value is None else sort_key(rated.value)
            shown = (
                text,
                rated.status,
                rated.unrated is None,
                rated.unrated is Unrated.INVALID,
                rated.notices,
                rated.value is not None,
                number,
            )
            rows.append((pc, value, *shown, *fixed))
        schema = {"pc": pl.UInt32, "v": pl.String, **_SHOWN}
        schema |= {f"f{part}{index}": pl.String for index in range(count) for part in "abc"}
        return pl.DataFrame(rows, schema=schema, orient="row")


def _inner(fragment: str, end: str) -> str:
    """A fragment of the row engine's (`, ` first, `end` last) as a part of the columnar
    line: what follows the comma polars writes before it, up to the comma after it."""
    assert fragment.startswith(", ") and fragment.endswith(end)
    return fragment[1 : len(fragment) - len(end)]
