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
from ragrules.engine.report import Rejection, Result
from ragrules.engine.selection import exceptions, findings
from ragrules.model.rules import RulesetData, Unrated
from ragrules.reports._cells import csv_row, csv_writer
from ragrules.reports._columns import RESULT_COLUMNS, cells, header, judging
from ragrules.reports._render import CONTEXT_LABEL

STREAM_FORMATS = ("json", "csv")


@attrs.define
class Tally:
    """What a stream held: results by status, exceptions, and what `--strict` fails on."""

    results: int = 0
    rejected: int = 0
    exceptions: int = 0
    invalid: int = 0  # values that could not be read
    findings: int = 0  # e.g. a red without the commentary the ruleset requires
    notices: int = 0  # e.g. an unreadable earlier value, a fraction on a percent indicator
    statuses: Counter[str] = attrs.field(factory=Counter)  # by reported status
    overridden: int = 0  # reported statuses that are an officer's override

    @property
    def problems(self) -> int:
        """Rejected rows, unreadable values, findings and notices: a report's problems."""
        return self.rejected + self.invalid + self.findings + self.notices

    def counts_text(self, ruleset: RulesetData) -> str:
        """The statuses counted, as the summary lists them: `green 2, amber 1, no-data 1`,
        every period's statuses best first, then reasons not to rate. A contextual scale's
        statuses are not rated, so they stand apart when any was counted: `green 2; context
        (not rated): within 3; not rated: no-data 1`."""
        versions = [version for indicator in ruleset.indicators for version in indicator.versions]
        rated = ruleset.listed_statuses(v for v in versions if not v.scale.contextual)
        context = ruleset.listed_statuses(v for v in versions if v.scale.contextual)
        reasons = ruleset.in_order(reason.value for reason in Unrated)
        others = sorted(set(self.statuses) - {*rated, *context, *reasons})
        rated_text, context_text, reasons_text, others_text = (
            ", ".join(f"{s} {self.statuses[s]}" for s in names if s in self.statuses)
            for names in (rated, context, reasons, others)
        )
        if not context_text:  # one list, as before contextual scales
            return ", ".join(part for part in (rated_text, reasons_text, others_text) if part)
        parts = (
            ", ".join(part for part in (rated_text, others_text) if part),
            f"{CONTEXT_LABEL.lower()}: {context_text}",
            f"not rated: {reasons_text}" if reasons_text else "",
        )
        return "; ".join(part for part in parts if part)

    def add(self, other: Tally) -> None:
        """Count another part of the same stream in this tally."""
        self.results += other.results
        self.rejected += other.rejected
        self.exceptions += other.exceptions
        self.invalid += other.invalid
        self.findings += other.findings
        self.notices += other.notices
        self.overridden += other.overridden
        self.statuses.update(other.statuses)


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
    writer = StreamWriter(ruleset, out, fmt, columns=columns, safe_csv=safe_csv)
    for item in items:
        writer.write(item)
    return writer.finish()


class StreamWriter:
    """Writes a stream's results and rejections one at a time, and tallies them."""

    def __init__(
        self,
        ruleset: RulesetData,
        out: TextIO,
        fmt: str = "json",
        *,
        columns: Sequence[str] | None = None,
        safe_csv: bool = True,
        header: bool = True,
    ) -> None:
        """`header=False` leaves out the CSV header (a later part of a file written in parts)."""
        if fmt not in STREAM_FORMATS:
            raise ValueError(f"a stream is written as one of {STREAM_FORMATS}, not {fmt!r}")
        if isinstance(columns, str):
            columns = [columns]  # one column named alone, never its characters
        self.fmt = fmt
        self.out = out
        self.tally = Tally()
        self.policy = ruleset.exceptions
        self._write = (
            _csv_writer(ruleset, out, columns, safe_csv, header)
            if fmt == "csv"
            else _json_writer(out)
        )

    def write(self, item: Result | Rejection) -> None:
        tally, policy = self.tally, self.policy
        if isinstance(item, Rejection):
            tally.rejected += 1
            self._write(item, ())
            return
        tally.results += 1
        status = item.reported_status
        tally.statuses[status] += 1
        tally.overridden += item.overridden
        tally.invalid += item.unrated is Unrated.INVALID
        tally.notices += len(result_notices(item))
        if status in policy.commentary_required:
            tally.findings += len(findings((item,), policy))
        chosen = exceptions((item,), policy) if item.unrated is None else ()
        reasons = chosen[0].reasons if chosen else ()
        tally.exceptions += bool(reasons)
        self._write(item, reasons)

    def finish(self) -> Tally:
        """The tally; a stream with no rows at all says so, as an empty report does."""
        if not self.tally.results and not self.tally.rejected:
            self.tally.notices += 1
        return self.tally


_Writer = Callable[[Result | Rejection, tuple[str, ...]], None]


def _json_writer(out: TextIO) -> _Writer:
    dumps = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode

    def write(item: Result | Rejection, reasons: tuple[str, ...]) -> None:
        out.write(dumps(_record(item, reasons)))
        out.write("\n")

    return write


def _record(item: Result | Rejection, reasons: tuple[str, ...]) -> dict[str, Any]:
    """A result as `Result.to_dict()` with the exception reasons; a rejection as its own."""
    if isinstance(item, Rejection):
        return {**item.to_dict(), "rejected": True}
    return {**item.to_dict(), "exception_reasons": list(reasons)}


def _csv_writer(
    ruleset: RulesetData,
    out: TextIO,
    columns: Sequence[str] | None,
    safe: bool = True,
    with_header: bool = True,
) -> _Writer:
    """CSV rows; the passed-through columns are `columns`, or those of the first result.

    With `safe`, every cell (the header's data column names too) goes through `csv_safe`.
    """
    rows = csv_writer(out)

    def writerow(cells: Sequence[object]) -> None:
        rows.writerow(csv_row(cells, safe=safe))

    comparisons = [comparison.name for comparison in ruleset.travel.comparisons]
    judged = judging(ruleset)
    passed: list[str] | None = None if columns is None else list(columns)
    width = len(header(comparisons, judged=judged))
    names = ("indicator", "area", "period", "row", "reason")
    at = {name: RESULT_COLUMNS.index(name) for name in names}

    header_written = not with_header

    def write(item: Result | Rejection, reasons: tuple[str, ...]) -> None:
        nonlocal passed, header_written
        if passed is None:
            passed = [] if isinstance(item, Rejection) else [n for n, _ in item.columns]
        if not header_written:
            writerow(header(comparisons, passed, _STREAM_COLUMNS, judged=judged))
            header_written = True
        if isinstance(item, Rejection):
            row: list[Any] = [None] * width
            for name in at:  # by name: the columns of a result, in their places
                row[at[name]] = getattr(item, name, None)  # a line's area, where it has one
            writerow(_blank([*row, "", True, *([None] * len(passed))]))
            return
        row = cells(item.to_dict(), comparisons, judged=judged)
        columns = dict(item.columns)
        writerow(_blank([*row, "; ".join(reasons), False, *(columns.get(n) for n in passed)]))

    return write


# The stream's own columns, after the result's: why a result is an exception, and whether the
# line is a rejected row (whose reason is in `reason`).
_STREAM_COLUMNS = ("exception_reasons", "rejected")


def _blank(row: list[Any]) -> list[object]:
    return ["" if cell is None else cell for cell in row]
