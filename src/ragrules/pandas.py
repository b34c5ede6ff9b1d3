"""pandas entry point: rate a DataFrame of observations, get a DataFrame of results.

Needs the `pandas` extra (`pip install "ragrules[pandas]"`). Missing cells (NaN, None) are
blank values; floats go through their shortest repr, so 23.4 is exactly 23.4. Numbers in the
result are strings, so no precision is lost on the way back.
"""

from __future__ import annotations

from typing import Any

from ragrules.engine.ruleset import Ruleset
from ragrules.model._text import column_key
from ragrules.model.errors import DataError, Problem
from ragrules.model.observations import field_named
from ragrules.reports._columns import cells, header, judging, passed_columns


def rate_frame(ruleset: Ruleset, frame: Any, *, period: str | None = None) -> Any:
    """One row per indicator, with the columns of the CSV report (the names of `Result.to_dict()`).

    The frame carries the whole `Report` in `frame.attrs["report"]` (its summary, exceptions,
    findings, notices and explanations), so a caller never rates the data twice.
    """
    import pandas

    # Missing cells (NaN, NA, NaT) are blank: `Observation` reads them so wherever they come from.
    report = ruleset.rate(_records(frame), period=period)
    comparisons = [comparison.name for comparison in ruleset.travel.comparisons]
    passed = passed_columns(report.results)
    judged = judging(ruleset)
    rows = [cells(r.to_dict(), comparisons, passed, judged=judged) for r in report.results]
    # Object columns hold the cells as they are: text for numbers (exact), None for blank.
    names = header(comparisons, passed, judged=judged)
    rated = pandas.DataFrame(rows, columns=names, dtype=object)
    rated.attrs["report"] = report
    return rated


def _records(frame: Any) -> list[dict[Any, Any]]:
    """The frame's rows as records. Two columns of one name are refused (which one is meant
    is unknown), as is a frame of rows with no indicator column; a float32 or float16 cell
    stays its own type, so it is read through its own shortest form (`75.6`), not widened
    to a float64's (`75.5999984741211`)."""
    names = frame.columns
    if names.duplicated().any():
        twice = str(names[names.duplicated()][0])
        raise DataError(
            problems=(
                Problem(
                    message=f"the frame has two columns named {twice!r}",
                    hint="rename or drop one; which one holds the rows' values is unknown",
                ),
            )
        )
    keys = [column_key(name) for name in names]
    if len(frame) and "indicator" not in {field_named(key, set(keys)) for key in keys}:
        # Every row would be rejected alike ("the row has no indicator id"): said once, as
        # a CSV file without the column is.
        shown = ", ".join(repr(name) for name in list(names)[:10]) or "none"
        raise DataError(
            problems=(
                Problem(
                    message=f"the frame has no indicator column (its columns: {shown})",
                    hint="name the column of indicator ids 'indicator', e.g. with "
                    "frame.rename(columns={...})",
                ),
            )
        )
    records: list[dict[Any, Any]] = frame.to_dict("records")
    for index, dtype in enumerate(frame.dtypes):
        if dtype.kind == "f" and dtype.itemsize < 8:  # numpy's own scalars, not Python floats
            for record, cell in zip(records, frame.iloc[:, index].to_numpy(), strict=True):
                record[names[index]] = cell
    return records
