"""Reports as text: an aligned table for people, JSON and CSV for programs.

JSON is byte-identical for the same ruleset and data: keys keep a fixed order and decimals
are printed from their exact values.
"""

from __future__ import annotations

import csv
import io
import json

from ragrules.report import Report, Result
from ragrules.units import with_unit

FORMATS = ("table", "json", "csv")

_CSV_COLUMNS = (
    "indicator",
    "title",
    "period",
    "status",
    "reason",
    "value",
    "number",
    "unit",
    "target",
    "target_source",
    "row",
    "commentary",
)


def render(report: Report, fmt: str) -> str:
    """Render a report in one of FORMATS."""
    return _RENDERERS[fmt](report)


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def to_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for result in report.results:
        data = result.to_dict()
        writer.writerow(["" if data[column] is None else data[column] for column in _CSV_COLUMNS])
    return buffer.getvalue()


def to_table(report: Report) -> str:
    ruleset = report.ruleset
    title = ruleset.title or ruleset.id
    lines = [title, f"Period: {report.period or 'not given'}", ""]
    rows = [("Indicator", "Value", "Target", "Status", "Why")]
    rows += [_table_row(result) for result in report.results]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[4]]).rstrip())
    summary = report.summary
    counts = ", ".join(
        f"{status} {count} ({percent}%)"
        for (status, count), (_, percent) in zip(summary.counts, summary.percentages, strict=False)
    )
    lines += ["", f"Rated: {summary.rated}" + (f": {counts}" if summary.rated else "")]
    if summary.unrated:
        lines.append("Not rated: " + ", ".join(f"{reason} {n}" for reason, n in summary.unrated))
    if report.rejected:
        lines.append(f"Rejected rows: {len(report.rejected)} (see warnings)")
    return "\n".join(lines) + "\n"


def _table_row(result: Result) -> tuple[str, str, str, str, str]:
    data = result.to_dict()
    target = data["target"] or ""
    if target:
        target = with_unit(target, result.indicator.unit)
    why = result.reason.split(": ", 1)[-1] if result.rated else result.reason
    cells = (result.indicator.id, result.value_text or "-", target, result.status, why)
    return tuple(" ".join(cell.split()) for cell in cells)  # type: ignore[return-value]


_RENDERERS = {"table": to_table, "json": to_json, "csv": to_csv}
