"""Reports as text: an aligned table for people, JSON and CSV for programs.

JSON is byte-identical for the same ruleset and data: keys keep a fixed order and decimals
are printed from their exact values. CSV cells that a spreadsheet would run as formulas are
neutralised (see `ragrules.reports._cells`), and the table shows control characters as visible
escapes, since both carry text from rulesets and data to programs that act on it.
"""

from __future__ import annotations

import io
import json

from ragrules.engine.report import Report, Result
from ragrules.model._text import display_width, first_upper, terminal_safe
from ragrules.model.rules import RulesetData
from ragrules.model.units import with_unit
from ragrules.reports._cells import csv_row, csv_writer
from ragrules.reports._cells import csv_safe as csv_safe  # re-exported: the CSV convention, public
from ragrules.reports._cells import csv_unsafe as csv_unsafe
from ragrules.reports._columns import cells, header, judging, passed_columns
from ragrules.reports._render import (
    CONTEXT_LABEL,
    context_rows,
    judgement_text,
    rollup_name,
    shares_text,
    status_text,
    summary_rows,
    travel_counts,
    value_shown,
)
from ragrules.reports.html import to_html
from ragrules.reports.markdown import to_markdown

FORMATS = ("table", "json", "csv", "markdown", "html")


def render(report: Report, fmt: str, *, safe_csv: bool = True) -> str:
    """Render a report in one of FORMATS; `safe_csv=False` writes CSV cells unneutralised.
    Another format (`"JSON"`, `"xlsx"`, which is bytes) is a ValueError naming them."""
    _check_report(report)
    if fmt == "csv":
        return to_csv(report, safe=safe_csv)
    renderer = _RENDERERS.get(fmt) if isinstance(fmt, str) else None
    if renderer is None:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return renderer(report)


def _check_report(report: object) -> None:
    if not isinstance(report, Report):
        raise TypeError(
            f"a report is rendered, as Ruleset.rate returns it, not {type(report).__name__}"
        )


def to_json(report: Report) -> str:
    _check_report(report)
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def to_csv(report: Report, *, safe: bool = True) -> str:
    """One row per indicator, under the names of `Result.to_dict()` (see `_columns`).

    With `safe` (the default) a cell a spreadsheet would run as a formula (`=1+1`, `@SUM(..)`,
    `-2+3`, but not a plain number such as `-5`) gets a `'` in front; `csv_unsafe` takes it
    off again. `safe=False` writes every cell as it is.
    """
    _check_report(report)
    comparisons = [comparison.name for comparison in report.ruleset.travel.comparisons]
    passed = passed_columns(report.results)
    judged = judging(report.ruleset)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(csv_row(header(comparisons, passed, judged=judged), safe=safe))
    for result in report.results:
        row = cells(result.to_dict(), comparisons, passed, judged=judged)
        writer.writerow(csv_row(["" if cell is None else cell for cell in row], safe=safe))
    return buffer.getvalue()


def to_table(report: Report) -> str:
    r"""An aligned text table with a column of arrows per comparison, and the summary.

    Control, escape and bidi characters from the ruleset or data are shown as visible escapes
    (`\x1b`, `\u202e`), so printing the table cannot recolour, rewrite or reorder a terminal.
    """
    _check_report(report)
    ruleset = report.ruleset
    labels = [_table_text(c.label or c.name) for c in ruleset.travel.comparisons]
    lines = [
        ruleset.title or ruleset.id,
        f"Period: {report.period or 'not given'}",
        f"Rules: {ruleset.id}{f' version {ruleset.version}' if ruleset.version else ''}, "
        f"{report.fingerprint}",
        "",
    ]
    # Data with areas or breakdowns: each row says whose series it is, first.
    series = [k for k, _ in report.results[0].breakdown] if report.results else []
    if any(result.area for result in report.results):
        series.insert(0, "area")
    rows = [
        (
            *(_table_text(first_upper(s)) for s in series),
            "Indicator",
            "Value",
            "Target",
            "Status",
            *labels,
            "Why",
        )
    ]
    rows += [
        (*_series_cells(result, series), *_table_row(result, ruleset)) for result in report.results
    ]
    # Widths as a terminal shows the text (a wide character takes two columns), measured once.
    shown = [[display_width(cell) for cell in row[:-1]] for row in rows]
    widths = [max(row[i] for row in shown) for i in range(len(rows[0]) - 1)]
    for row, measured in zip(rows, shown, strict=True):
        cells = [
            cell + " " * (width - own)
            for cell, own, width in zip(row, measured, widths, strict=False)
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    summary = report.summary
    _, statuses, reasons = summary_rows(report)
    counts = ", ".join(
        f"{ruleset.label(status)} {count} ({shares_text(report, shares)})"
        for status, count, shares in statuses
    )
    overridden = f"; {summary.overridden} by override" if summary.overridden else ""
    of_all = f" of {summary.reported}" if summary.of_all is not None else ""
    rated = f"Rated: {summary.rated}{of_all}"
    lines += ["", rated + (f": {counts}" if summary.rated else "") + overridden]
    for title, group in ((CONTEXT_LABEL, context_rows(report)), ("Not rated", reasons)):
        if group:  # shares of the rated are None here: only shares of all are shown
            lines.append(
                f"{title}: "
                + ", ".join(
                    f"{ruleset.label(name)} {n}"
                    + (f" ({shares_text(report, shares)})" if summary.of_all is not None else "")
                    for name, n, shares in group
                )
            )
    for comparison, (_, travel) in zip(ruleset.travel.comparisons, summary.travel, strict=True):
        lines.append(f"{comparison.label or comparison.name}: {travel_counts(comparison, travel)}")
    rollups = report.rollups
    if rollups:
        lines += ["", "Roll-ups:"]
        lines += [f"  {rollup_name(r)}: {r.reason}" for r in rollups]
    if report.rejected:
        lines.append(f"Rejected rows: {len(report.rejected)} (see warnings)")
    return "\n".join(terminal_safe(line) for line in lines) + "\n"


def _table_row(result: Result, ruleset: RulesetData) -> tuple[str, ...]:
    target = "" if result.target is None else with_unit(str(result.target), result.indicator.unit)
    why = result.reason.split(": ", 1)[-1] if result.rated else result.reason
    if judged := judgement_text(result):
        why = f"{why}. {judged}"
    arrows = [f"{move.arrow} {move.word}" if move.word else move.arrow for move in result.travel]
    status = status_text(result, ruleset)
    cells = (result.indicator.id, value_shown(result), target, status, *arrows, why)
    return tuple(_table_text(cell) for cell in cells)


def _series_cells(result: Result, series: list[str]) -> tuple[str, ...]:
    values = {"area": result.area, **dict(result.breakdown)}
    return tuple(_table_text(values.get(name, "") or "-") for name in series)


def _table_text(text: str) -> str:
    """One cell: whitespace folded (a line break would split the row), controls escaped."""
    return terminal_safe(" ".join(text.split()))


_RENDERERS = {
    "table": to_table,
    "json": to_json,
    "csv": to_csv,
    "markdown": to_markdown,
    "html": to_html,
}
