"""pandas entry point: rate a DataFrame of observations, get a DataFrame of results.

Needs the `pandas` extra (`pip install "ragrules[pandas]"`). Missing cells (NaN, None) are
blank values; floats go through their shortest repr, so 23.4 is exactly 23.4 (a float32 or
float16 through its own type's, stored plainly, as a category or sparse). Numbers in the
result are strings, so no precision is lost on the way back.
"""

from __future__ import annotations

from typing import Any

from ragrules.engine._placing import report_period
from ragrules.engine.ruleset import Ruleset
from ragrules.model._text import column_key
from ragrules.model.errors import DataError, Problem
from ragrules.model.observations import (
    NoPeriodForEarlier,
    Observation,
    column_clash,
    field_named,
    read_mapping,
)
from ragrules.model.periods import Period, given_text
from ragrules.reports._columns import cells, header, judging, passed_columns


def rate_frame(ruleset: Ruleset, frame: Any, *, period: str | Period | None = None) -> Any:
    """One row per indicator, with the columns of the CSV report (the names of `Result.to_dict()`).

    The frame carries the whole `Report` in `frame.attrs["report"]` (its summary, exceptions,
    findings, notices and explanations), so a caller never rates the data twice.
    """
    import pandas

    if not isinstance(frame, pandas.DataFrame):
        raise TypeError(_not_a_frame(frame))
    # The report period as `rate` reads it (a DataError naming `period` when it is none);
    # earlier values are placed from its text, a `Period`'s written to read back as it.
    report_period(period, ruleset, {})
    text = given_text(period)
    # Missing cells (NaN, NA, NaT) are blank: `Observation` reads them so wherever they come from.
    report = ruleset.rate(_observations(_records(frame), text), period=period)
    comparisons = [comparison.name for comparison in ruleset.travel.comparisons]
    passed = passed_columns(report.results)
    judged = judging(ruleset)
    rows = [cells(r.to_dict(), comparisons, passed, judged=judged) for r in report.results]
    # Object columns hold the cells as they are: text for numbers (exact), None for blank.
    names = header(comparisons, passed, judged=judged)
    rated = pandas.DataFrame(rows, columns=names, dtype=object)
    rated.attrs["report"] = report
    return rated


def _not_a_frame(given: object) -> str:
    module = type(given).__module__.split(".")[0]
    kind = type(given).__name__ if module == "builtins" else f"{module}.{type(given).__name__}"
    if module == "polars":
        hint = "pass frame.to_pandas(), or use ruleset.rate(frame.to_dicts())"
    elif hasattr(given, "to_pandas"):  # a pyarrow Table, a Spark or Dask frame
        hint = "convert it with .to_pandas() first"
    elif hasattr(given, "to_frame"):  # a pandas Series
        hint = "pass a DataFrame with an indicator column, e.g. series.to_frame()"
    else:
        hint = "for rows (a list of dicts) use ruleset.rate(rows), or pandas.DataFrame(rows)"
    return f"frame must be a pandas DataFrame, not a {kind}: {hint}"


def _observations(records: list[dict[Any, Any]], period: str | None) -> list[Observation]:
    """The rows as a CSV file's rows are read, each at its position from 1: `previous` and
    `last_year` columns as earlier values (placed from the row's period, or `period`), and
    the columns headed by periods of a frame with no value column as a wide table's."""
    try:
        return [
            observation
            for row, record in enumerate(records, start=1)
            for observation in read_mapping(record, row=row, period=period, require_indicator=False)
        ]
    except NoPeriodForEarlier as exc:
        hint = "give period=, or a period column"
        raise DataError(problems=(Problem(message=f"{exc}", hint=hint),)) from None


def _records(frame: Any) -> list[dict[Any, Any]]:
    """The frame's rows as records. Two columns of one name are refused (which one is meant
    is unknown), exactly or as names are matched (`value` and `Value`), as is a frame of rows
    with no indicator column; a float32 or float16 cell stays its own type, so it is read
    through its own shortest form (`75.6`), not widened to a float64's (`75.5999984741211`),
    in a plain column, a category of them or a sparse one."""
    names = frame.columns
    if names.duplicated().any():
        twice = str(names[names.duplicated()][0])
        raise _two_columns(f"the frame has two columns named {twice!r}")
    clash = column_clash(list(names))
    if clash is not None:
        first, second, name = clash
        raise _two_columns(
            f"the frame has two columns named {name!r}: {first!r} and {second!r} "
            "(names match ignoring case and spaces)"
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
        own = _narrow_float(dtype)
        if own is not None:  # numpy's own scalars, not Python floats; NaN where missing
            cells = frame.iloc[:, index].to_numpy(dtype=own, na_value=float("nan"))
            for record, cell in zip(records, cells, strict=True):
                record[names[index]] = cell
    return records


def _two_columns(message: str) -> DataError:
    hint = "rename or drop one; which one holds the rows' values is unknown"
    return DataError(problems=(Problem(message=message, hint=hint),))


def _narrow_float(dtype: Any) -> Any:
    """The numpy float type narrower than a float64 (float32, float16) a column's cells are,
    or None: through a category's categories, a sparse column's dense type, and an extension
    type's numpy type (`Float32`, `float[pyarrow]`)."""
    import pandas

    if isinstance(dtype, pandas.CategoricalDtype):
        return _narrow_float(dtype.categories.dtype)
    if isinstance(dtype, pandas.SparseDtype):
        return _narrow_float(dtype.subtype)
    own = getattr(dtype, "numpy_dtype", dtype)
    kind, size = getattr(own, "kind", ""), getattr(own, "itemsize", 8)
    return own if kind == "f" and size < 8 else None
