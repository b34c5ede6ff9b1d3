"""What the columnar writer rendered for each distinct key, kept from block to block."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

# Distinct keys (value texts, earlier texts, pairs) remembered across blocks: published values
# repeat, so a file is rendered once per text; a file of unique values starts afresh here.
KNOWN = 1 << 18
_SEEN = "__seen"  # a column every kept row holds: a row whose key is not kept lacks it


class Known:
    """A table of what was rendered per distinct key, joined onto each block's rows.

    `render` is given the rows whose keys the table lacks (all their columns) and returns a
    row per distinct key: the keys and what was rendered for them. A block whose keys are all
    known costs one join.
    """

    def __init__(self, keys: list[str], render: Callable[[pl.DataFrame], pl.DataFrame]) -> None:
        self.keys, self.render = keys, render
        self.table: pl.DataFrame | None = None

    def join(self, rows: pl.DataFrame) -> pl.DataFrame:
        """`rows` with what was rendered for their keys, rendering those not kept yet."""
        lacking = rows
        if self.table is not None:
            joined = self._joined(rows)
            if not joined[_SEEN].null_count():  # every key known: no rows to pick out
                return joined.drop(_SEEN)
            lacking = joined.filter(pl.col(_SEEN).is_null()).select(rows.columns)
            if self.table.height + lacking.height > KNOWN:
                self.table, lacking = None, rows
        new = self.render(lacking).with_columns(pl.lit(True).alias(_SEEN))
        self.table = new if self.table is None else pl.concat([self.table, new])
        return self._joined(rows).drop(_SEEN)

    def _joined(self, rows: pl.DataFrame) -> pl.DataFrame:
        assert self.table is not None
        return rows.join(
            self.table, on=self.keys, how="left", nulls_equal=True, maintain_order="left"
        )


def patched(rows: pl.DataFrame, picked: pl.Series, found: pl.DataFrame) -> pl.DataFrame:
    """`rows` with the rows `picked` marks given `found`'s columns (a row each, in order),
    null elsewhere: what a join would give, for a few rows, without joining them all."""
    at = picked.arg_true()
    columns = []
    for name, dtype in found.schema.items():
        base = (
            rows[name].clone()
            if name in rows.columns
            else pl.Series(name, [None], dtype=dtype).new_from_index(0, rows.height)
        )
        columns.append(base.scatter(at, found[name]).alias(name))
    return rows.with_columns(columns)
