"""Streaming output: a line per result or rejection, written as soon as it is rated.

The large-file companion of `output`: JSON lines or CSV, with the exception reasons of each
result and the row's other columns (an authority code, say) passed through, so a national
dataset can be rated in constant memory. Decimals are printed from their exact values.
CSV cells a spreadsheet would run as formulas are neutralised, as in the CSV report (see
`ragrules.reports._cells`); JSON lines are left as they are.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

import attrs

from ragrules.engine.notices import result_notices
from ragrules.engine.report import Rejection, Result, target_text
from ragrules.engine.selection import exceptions, findings
from ragrules.model.numbers import format_decimal
from ragrules.model.rules import RulesetData, Unrated
from ragrules.reports._cells import csv_row, csv_writer

STREAM_FORMATS = ("json", "csv")

_RESULT_COLUMNS = ("row", "indicator", "period", "status", "reason", "value", "number", "target")
_TRAVEL_FIELDS = ("arrow", "direction", "judgement")


@attrs.define
class Tally:
    """What a stream held: results by status, exceptions, and what `--strict` fails on."""

    results: int = 0
    rejected: int = 0
    exceptions: int = 0
    invalid: int = 0  # values that could not be read
    findings: int = 0  # e.g. a red without the commentary the ruleset requires
    notices: int = 0  # e.g. an unreadable earlier value, a fraction on a percent indicator
    statuses: Counter[str] = attrs.field(factory=Counter)

    @property
    def problems(self) -> int:
        """Rejected rows, unreadable values, findings and notices: a report's problems."""
        return self.rejected + self.invalid + self.findings + self.notices


def write_stream(
    items: Iterable[Result | Rejection],
    ruleset: RulesetData,
    out: TextIO,
    fmt: str = "json",
    *,
    columns: Sequence[str] | None = None,
    safe_csv: bool = True,
) -> Tally:
    """Write each result or rejection as one JSON line (fmt "json") or CSV row ("csv").

    `columns` names the rows' other columns for the CSV header (default: those of the first
    result); JSON lines carry each row's own. CSV cells that a spreadsheet would run as
    formulas get a `'` in front (`ragrules.reports._cells.csv_safe`) unless `safe_csv` is false.
    """
    if fmt not in STREAM_FORMATS:
        raise ValueError(f"a stream is written as one of {STREAM_FORMATS}, not {fmt!r}")
    tally = Tally()
    write = _csv_writer(ruleset, out, columns, safe_csv) if fmt == "csv" else _json_writer(out)
    policy = ruleset.exceptions
    for item in items:
        if isinstance(item, Rejection):
            tally.rejected += 1
            write(item, ())
            continue
        tally.results += 1
        tally.statuses[item.status] += 1
        tally.invalid += item.unrated is Unrated.INVALID
        tally.notices += len(result_notices(item))
        if item.status in policy.commentary_required:
            tally.findings += len(findings((item,), policy))
        chosen = exceptions((item,), policy) if item.unrated is None else ()
        reasons = chosen[0].reasons if chosen else ()
        tally.exceptions += bool(reasons)
        write(item, reasons)
    if not tally.results and not tally.rejected:
        tally.notices += 1  # no rows at all: an empty stream is said, as an empty report is
    return tally


_Writer = Callable[[Result | Rejection, tuple[str, ...]], None]


def _json_writer(out: TextIO) -> _Writer:
    dumps = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode

    def write(item: Result | Rejection, reasons: tuple[str, ...]) -> None:
        out.write(dumps(_record(item, reasons)))
        out.write("\n")

    return write


def _record(item: Result | Rejection, reasons: tuple[str, ...]) -> dict[str, Any]:
    if isinstance(item, Rejection):
        return {
            "row": item.row,
            "indicator": item.indicator,
            "period": item.period,
            "rejected": item.reason,
        }
    return {
        "row": item.row,
        "indicator": item.indicator.id,
        "period": None if item.period is None else str(item.period),
        "status": item.status,
        "rated": item.unrated is None,
        "reason": item.reason,
        "value": item.value_text,
        "number": None if item.value is None else format_decimal(item.value),
        "target": None if item.target is None else target_text(item.target),
        "travel": {
            move.comparison.name: {
                "arrow": move.arrow,
                "direction": move.direction.value,
                "judgement": None if move.judgement is None else move.judgement.value,
            }
            for move in item.travel
        },
        "exception": list(reasons),
        "columns": dict(item.columns),
    }


def _csv_writer(
    ruleset: RulesetData, out: TextIO, columns: Sequence[str] | None, safe: bool = True
) -> _Writer:
    """CSV rows; the passed-through columns are `columns`, or those of the first result.

    With `safe`, every cell (the header's data column names too) goes through `csv_safe`.
    """
    rows = csv_writer(out)

    def writerow(cells: list[object]) -> None:
        rows.writerow(csv_row(cells, safe=safe))

    comparisons = [comparison.name for comparison in ruleset.travel.comparisons]
    travel = [f"{name}_{field}" for name in comparisons for field in _TRAVEL_FIELDS]
    passed: list[str] | None = None if columns is None else list(columns)
    header_written = False

    def write(item: Result | Rejection, reasons: tuple[str, ...]) -> None:
        nonlocal passed, header_written
        if not header_written:
            if passed is None:
                passed = [] if isinstance(item, Rejection) else [n for n, _ in item.columns]
            fixed = [*_RESULT_COLUMNS, *travel, "exception", "rejected"]
            # A data column named like one of ours (`status`) keeps its data under `data_status`.
            writerow([*fixed, *(f"data_{n}" if n in fixed else n for n in passed)])
            header_written = True
        assert passed is not None
        if isinstance(item, Rejection):
            cells = [item.row, item.indicator, item.period, "", "", "", "", ""]
            writerow([*cells, *([""] * len(travel)), "", item.reason, *([""] * len(passed))])
            return
        data = _record(item, reasons)
        moves = [
            "" if (cell := data["travel"][name][field]) is None else cell
            for name in comparisons
            for field in _TRAVEL_FIELDS
        ]
        columns = data["columns"]
        writerow(
            [
                *("" if data[key] is None else data[key] for key in _RESULT_COLUMNS),
                *moves,
                "; ".join(reasons),
                "",
                *(columns.get(name, "") for name in passed),
            ]
        )

    return write
