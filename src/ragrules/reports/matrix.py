"""Every area at once: a matrix of areas by series (indicator and breakdown) with each status,
a summary per area and per series, as CSV, JSON or one self-contained HTML page.

The rows are the areas in the report's order (sorted by code); the columns the series in the
ruleset's order. A cell is the status the report shows (an applied override's, as `--area` and
the summary have it), and the counts count those. An area with no result for a series (a
breakdown it does not have) has an empty cell, never a guessed one.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

import attrs

from ragrules.engine.report import Report
from ragrules.engine.result import Result
from ragrules.engine.trends import TREND_PERIODS, trends
from ragrules.model.rules import RulesetData
from ragrules.reports._cells import csv_row, csv_writer
from ragrules.reports._colours import tile_colours
from ragrules.reports._html_text import page_text
from ragrules.reports.charts import status_bars
from ragrules.reports.html import PAGE_STYLE

MATRIX_FORMATS = ("csv", "json", "html")
# A matrix is as wide as its series: the page takes the window, and the table scrolls.
_WIDE = "body { max-width: none; } .wide { overflow-x: auto; } .wide th { min-width: 6rem; }"


@attrs.frozen(kw_only=True)
class Matrix:
    """Areas by series: `statuses[i][j]` is area i's reported status for series j ('' when
    none: an applied override's where one applies); `overridden` the cells that are one."""

    columns: tuple[str, ...]  # a label per series: the indicator id, and its breakdown
    areas: tuple[str, ...]
    names: tuple[str, ...]  # each area's name, from an `area name` column ('' when none)
    statuses: tuple[tuple[str, ...], ...]
    order: tuple[str, ...]  # every status, best first, then the reasons not rated
    overridden: frozenset[tuple[int, int]] = frozenset()  # (area, series) by an override

    def area_counts(self, row: int) -> Counter[str]:
        return Counter(status for status in self.statuses[row] if status)

    def series_counts(self, column: int) -> Counter[str]:
        return Counter(row[column] for row in self.statuses if row[column])

    def overrides(self, row: int) -> list[str]:
        """The series whose status in area `row` is an officer's override."""
        return [c for i, c in enumerate(self.columns) if (row, i) in self.overridden]

    def to_dict(self) -> dict[str, Any]:
        areas = []
        for index, (area, name, row) in enumerate(
            zip(self.areas, self.names, self.statuses, strict=True)
        ):
            entry: dict[str, Any] = {
                "area": area,
                "name": name,
                "statuses": dict(zip(self.columns, row, strict=True)),
                "counts": _ordered(self.area_counts(index), self.order),
            }
            if overrides := self.overrides(index):  # only an area with an override has it
                entry["overridden"] = overrides
            areas.append(entry)
        return {
            "columns": list(self.columns),
            "areas": areas,
            "series": {
                column: _ordered(self.series_counts(index), self.order)
                for index, column in enumerate(self.columns)
            },
        }


def matrix(report: Report) -> Matrix:
    """The report's results arranged as areas by series, each cell the reported status."""
    series: dict[Series, None] = {}
    cells: dict[str, dict[Series, Result]] = {}
    names: dict[str, str] = {}
    for result in report.results:
        key = (result.indicator.id, result.breakdown)
        series.setdefault(key)
        cells.setdefault(result.area, {})[key] = result
        if not names.get(result.area):
            names[result.area] = dict(result.columns).get("area_name", "")
    labels = _labels(list(series))
    shown = [
        [cells[area].get(key) for key in series] for area in cells
    ]  # each area's result per series, None where it has none
    summary = report.summary  # rated statuses best first, then contextual ones (decision 71)
    order = [status for status, _ in (*summary.counts, *(summary.context or ()))]
    order += [s for s in dict.fromkeys(r.reported_status for r in report.results) if s not in order]
    return Matrix(
        columns=tuple(labels),
        areas=tuple(cells),
        names=tuple(names[area] for area in cells),
        statuses=tuple(tuple(r.reported_status if r else "" for r in row) for row in shown),
        order=tuple(order),
        overridden=frozenset(
            (i, j) for i, row in enumerate(shown) for j, r in enumerate(row) if r and r.overridden
        ),
    )


# A series: its indicator's id and its breakdown, (name, value) pairs.
Series = tuple[str, tuple[tuple[str, str], ...]]


def _labels(series: list[Series]) -> list[str]:
    """Each series' column label: its indicator and breakdown values (`a (Male, 65+)`), or,
    where two series would share one, the breakdown named and quoted (`a (sex="x, y")`)."""
    short = [_label(indicator, breakdown) for indicator, breakdown in series]
    shared = {label for label, count in Counter(short).items() if count > 1}
    return [
        _named(indicator, breakdown) if label in shared else label
        for label, (indicator, breakdown) in zip(short, series, strict=True)
    ]


def _label(indicator: str, breakdown: tuple[tuple[str, str], ...]) -> str:
    parts = [value for _, value in breakdown if value]
    return indicator + (f" ({', '.join(parts)})" if parts else "")


def _named(indicator: str, breakdown: tuple[tuple[str, str], ...]) -> str:
    quoted = (f"{name}={json.dumps(value, ensure_ascii=False)}" for name, value in breakdown)
    return f"{indicator} ({', '.join(quoted)})"


def _ordered(counts: Counter[str], order: tuple[str, ...]) -> dict[str, int]:
    return {status: counts[status] for status in order if counts[status]}


def matrix_json(report: Report) -> str:
    return json.dumps(matrix(report).to_dict(), indent=2, ensure_ascii=False) + "\n"


def matrix_csv(report: Report, *, safe: bool = True) -> str:
    """One row per area: its code, name, a status per series, then its count per status."""
    grid = matrix(report)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    header = _unique(["area", "area_name", *grid.columns, *grid.order])
    writer.writerow(csv_row(header, safe=safe))
    for index, (area, name, row) in enumerate(
        zip(grid.areas, grid.names, grid.statuses, strict=True)
    ):
        counts = grid.area_counts(index)
        writer.writerow(csv_row([area, name, *row, *(counts[s] for s in grid.order)], safe=safe))
    return buffer.getvalue()


def _unique(names: list[str]) -> list[str]:
    """Column names a reader can key by: a name met again (an indicator `area`, a series
    labelled as a status is) is numbered, `area (2)`; the first keeps it, so the area,
    each series and each count are where they are in any other matrix."""
    seen: set[str] = set()
    unique = []
    for name in names:
        shown, number = name, 2
        while shown in seen:
            shown, number = f"{name} ({number})", number + 1
        seen.add(shown)
        unique.append(shown)
    return unique


def matrix_html(report: Report) -> str:
    """One page: the matrix, each status written as a word on its colour, and the totals."""
    grid = matrix(report)
    ruleset = report.ruleset
    title = page_text(ruleset.title or ruleset.id)
    by_area: dict[str, list[tuple[Result, ...]]] = {}
    for points in trends(report):  # each area's statuses over the last periods
        by_area.setdefault(points[-1].area, []).append(points)
    head = "".join(f'<th scope="col">{page_text(c)}</th>' for c in grid.columns)
    totals = "".join(f'<th scope="col">{page_text(ruleset.label(s))}</th>' for s in grid.order)
    rows = []
    for index, (area, name, statuses) in enumerate(
        zip(grid.areas, grid.names, grid.statuses, strict=True)
    ):
        counts = grid.area_counts(index)
        shown = page_text(f"{name} ({area})" if name else area or "(no area)")
        cells = "".join(
            _cell(status, ruleset, (index, j) in grid.overridden)
            for j, status in enumerate(statuses)
        )
        tallies = "".join(f'<td class="num">{counts[s]}</td>' for s in grid.order)
        chart = status_bars(
            by_area.get(area, []), ruleset, TREND_PERIODS, name=f"area-{index}", small=True
        )
        rows.append(
            f'<tr><th scope="row">{shown}</th><td class="trend">{chart}</td>{cells}{tallies}</tr>'
        )
    series = "".join(
        '<tr><th scope="row">'
        + page_text(column)
        + "</th>"
        + "".join(f'<td class="num">{grid.series_counts(i)[s]}</td>' for s in grid.order)
        + "</tr>"
        for i, column in enumerate(grid.columns)
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}: every area</title>'
        f"<style>{PAGE_STYLE}{_WIDE}</style></head><body>\n"
        f"<h1>{title}</h1>\n"
        f'<p class="meta">Period: {page_text(str(report.period or "not given"))}. '
        f"Rules: {page_text(ruleset.id)}, {page_text(report.fingerprint)}. "
        f"{len(grid.areas)} areas, {len(grid.columns)} series.</p>\n"
        '<div class="wide" role="region" aria-label="Status of every area" tabindex="0">'
        f"<table><caption>Status of every area, by series</caption>"
        f'<thead><tr><th scope="col">Area</th><th scope="col">Trend</th>{head}{totals}</tr>'
        "</thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>\n"
        f"<table><caption>Areas by status, per series</caption>"
        f'<thead><tr><th scope="col">Series</th>{totals}</tr></thead>'
        f"<tbody>{series}</tbody></table>\n"
        "</body></html>\n"
    )


def _cell(status: str, ruleset: RulesetData, overridden: bool = False) -> str:
    """A status as its tile shows it: the ruleset's label on the ruleset's colour, marked
    when it is an officer's override, as the report marks it."""
    if not status:
        return "<td></td>"
    background, text = tile_colours(status, ruleset)
    style = f"background:{background};color:{text}"
    mark = ' <span class="override">(override)</span>' if overridden else ""
    badge = f'<span class="status" style="{style}">{page_text(ruleset.label(status))}</span>'
    return f"<td>{badge}{mark}</td>"
