"""Streaming output: a line per result or rejection, written as soon as it is rated.

The large-file companion of `output`: JSON lines or CSV, with the exception reasons of each
result and the row's other columns (an authority code, say) passed through, so a national
dataset can be rated in constant memory. Decimals are printed from their exact values.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, TextIO

import attrs

from ragrules.model import Ruleset
from ragrules.numbers import format_decimal
from ragrules.report import Rejection, Result, target_text
from ragrules.selection import exceptions

STREAM_FORMATS = ("json", "csv")

_RESULT_COLUMNS = ("row", "indicator", "period", "status", "reason", "value", "number", "target")
_TRAVEL_FIELDS = ("arrow", "direction", "judgement")


@attrs.define
class Tally:
    """What a stream held: lines written, statuses, rejections and exceptions."""

    results: int = 0
    rejected: int = 0
    exceptions: int = 0
    statuses: Counter[str] = attrs.field(factory=Counter)


def write_stream(
    items: Iterable[Result | Rejection],
    ruleset: Ruleset,
    out: TextIO,
    fmt: str = "json",
    *,
    every: Callable[[Tally], None] | None = None,
) -> Tally:
    """Write each result or rejection as one JSON line (fmt "json") or CSV row ("csv").

    `every`, if given, is called with the running tally every 10,000 lines (a progress bar).
    """
    tally = Tally()
    write = _csv_writer(ruleset, out) if fmt == "csv" else _json_writer(out)
    policy = ruleset.exceptions
    for count, item in enumerate(items, start=1):
        if isinstance(item, Rejection):
            tally.rejected += 1
            write(item, ())
        else:
            tally.results += 1
            tally.statuses[item.status] += 1
            chosen = exceptions((item,), policy)
            reasons = chosen[0].reasons if chosen else ()
            tally.exceptions += bool(reasons)
            write(item, reasons)
        if every is not None and count % 10_000 == 0:
            every(tally)
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


def _csv_writer(ruleset: Ruleset, out: TextIO) -> _Writer:
    """CSV rows; the passed-through columns are those of the first result written."""
    writer = csv.writer(out, lineterminator="\n")
    comparisons = [comparison.name for comparison in ruleset.travel.comparisons]
    travel = [f"{name}_{field}" for name in comparisons for field in _TRAVEL_FIELDS]
    passed: list[str] | None = None

    def write(item: Result | Rejection, reasons: tuple[str, ...]) -> None:
        nonlocal passed
        if passed is None:
            passed = [] if isinstance(item, Rejection) else [name for name, _ in item.columns]
            writer.writerow([*_RESULT_COLUMNS, *travel, "exception", "rejected", *passed])
        if isinstance(item, Rejection):
            cells = [item.row, item.indicator, item.period, "", "", "", "", ""]
            writer.writerow([*cells, *([""] * len(travel)), "", item.reason, *([""] * len(passed))])
            return
        data = _record(item, reasons)
        moves = [
            "" if (cell := data["travel"][name][field]) is None else cell
            for name in comparisons
            for field in _TRAVEL_FIELDS
        ]
        columns = data["columns"]
        writer.writerow(
            [
                *("" if data[key] is None else data[key] for key in _RESULT_COLUMNS),
                *moves,
                "; ".join(reasons),
                "",
                *(columns.get(name, "") for name in passed),
            ]
        )

    return write
