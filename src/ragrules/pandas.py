"""pandas entry point: rate a DataFrame of observations, get a DataFrame of results.

Needs the `pandas` extra (`pip install "ragrules[pandas]"`). Missing cells (NaN, None) are
blank values; floats go through their shortest repr, so 23.4 is exactly 23.4. Numbers in the
result are strings, so no precision is lost on the way back.
"""

from __future__ import annotations

from typing import Any

from ragrules.engine.ruleset import Ruleset
from ragrules.reports.output import CSV_COLUMNS


def rate_frame(ruleset: Ruleset, frame: Any, *, period: str | None = None) -> Any:
    """One row per indicator: status, reason, value, target, bounds and each arrow.

    The frame carries the whole `Report` in `frame.attrs["report"]` (its summary, exceptions,
    findings, notices and explanations), so a caller never rates the data twice.
    """
    import pandas

    # Missing cells (NaN, NA, NaT) are blank: `Observation` reads them so wherever they come from.
    report = ruleset.rate(frame.to_dict("records"), period=period)
    records = []
    for result in report.results:
        data = result.to_dict()
        record = {key: data[key] for key in ("rated", *CSV_COLUMNS)}
        record["bounds"] = "; ".join(cut.condition() for cut in result.cuts)
        for move in result.travel:
            name = move.comparison.name
            record[f"{name}_arrow"] = move.arrow
            record[f"{name}_direction"] = move.direction.value
            record[f"{name}_judgement"] = None if move.judgement is None else move.judgement.value
        records.append(record)
    rated = pandas.DataFrame.from_records(records)
    rated.attrs["report"] = report
    return rated
