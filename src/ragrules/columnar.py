"""The columnar engine: a CSV file rated column by column with polars, written as the JSON
lines `ragrules rate --stream` writes, byte for byte.

Needs the `polars` extra (`pip install "ragrules[polars]"`). Every decision that changes a
status or an arrow is taken exactly, on the file's distinct values, by the row engine's own
plans; polars reads, joins and assembles. A file it does not cover goes to the compiled row
engine. See docs/scale-up.md.
"""

from __future__ import annotations

try:
    from ragrules.reports.columnar import rate_csv_columnar
except ImportError as exc:  # pragma: no cover - exercised without the extra installed
    if exc.name != "polars":
        raise
    raise ImportError(
        'ragrules.columnar needs polars: pip install "ragrules[polars]"', name="polars"
    ) from None

__all__ = ["rate_csv_columnar"]
