"""A committee-ready report as one self-contained HTML file.

Inline CSS, no scripts, no network. Accessible: every status is written as a word beside its
colour, every arrow has its meaning in text for screen readers, tables have captions and
header cells, colours meet WCAG AA contrast, and the page prints on A4 without cut rows.
"""

from __future__ import annotations

from ragrules.engine.report import Report, Result
from ragrules.engine.selection import Selection
from ragrules.engine.travel import Movement
from ragrules.engine.trends import TREND_PERIODS, trends
from ragrules.model._text import first_upper
from ragrules.model.rules import RulesetData
from ragrules.reports._colours import tile_colours
from ragrules.reports._html_text import attribute_value, page_text
from ragrules.reports._render import (
    CONTEXT_LABEL,
    areas_json,
    areas_text,
    caveat_text,
    context_rows,
    edges_text,
    indicator_name,
    judgement_text,
    listed_margins,
    margin_column,
    members_text,
    no_flags_text,
    rollup_name,
    summary_rows,
    target_text,
    travel_counts,
    value_shown,
)
from ragrules.reports.charts import sparkline, status_bars

# The page style of every HTML report (the matrix page adds its own lines).
PAGE_STYLE = """
body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; margin: 2rem;
       max-width: 70rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 2px solid #0b0c0c; }
h3 { font-size: 1.05rem; margin-bottom: .25rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #b1b4b6; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f2f1; }
td.num { text-align: right; }
.status { display: inline-block; min-width: 4.5rem; padding: .1rem .4rem; font-weight: bold;
          text-align: center; border: 1px solid #0b0c0c; }
.arrow { font-size: 1.25rem; font-weight: bold; }
.override { font-size: .85rem; }
.override .status { min-width: 0; font-weight: normal; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
                   clip: rect(0 0 0 0); white-space: nowrap; }
.missing { color: #b10e1e; font-weight: bold; }
dl.key { display: grid; grid-template-columns: 12rem 1fr; column-gap: .5rem; }
dl.key dt { font-weight: bold; }
dl.key dd { margin: 0 0 .4rem; }
.meta { color: #505a5f; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  tr, .exception { break-inside: avoid; }
  .status { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  th { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
@page { size: A4; margin: 15mm; }
"""


def to_html(report: Report) -> str:
    """Render the report as one HTML document."""
    ruleset = report.ruleset
    title = page_text(ruleset.title or ruleset.id)
    lead = areas_text(report)  # "Area: ..." for a report of one area
    series = trends(report)  # each result's last periods, for the charts
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        # For `ragrules audit --published`: what the page was rated with and from.
        f'<meta name="ragrules-fingerprint" content="{attribute_value(report.fingerprint)}">',
        f'<meta name="ragrules-data-digest" content="{attribute_value(report.data_digest)}">',
        f'<meta name="ragrules-areas" content="{attribute_value(areas_json(report))}">',
        f"<style>{PAGE_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{title}</h1>",
        f'<p class="meta">{page_text(f"{lead} " if lead else "")}'
        f"Period: {page_text(str(report.period or 'not given'))}. "
        f"Ruleset <code>{page_text(ruleset.id)}</code>"
        + (f" version {page_text(ruleset.version)}" if ruleset.version else "")
        + f", fingerprint <code>{page_text(report.fingerprint)}</code>"
        + (f"; data <code>{page_text(report.data_digest)}</code>" if report.data_digest else "")
        + ".</p>",
        _summary(report),
        _status_chart(series, ruleset),
        _key(report),
        _all_indicators(report, series),
        _rollups(report),
        _judgement(report),
        "<h2>Exception report</h2>",
        _selections(report.exceptions, "No indicator meets the exception rules.", report.ruleset),
        "<h2>Of particular note</h2>",
        _selections(report.of_particular_note, no_flags_text(report), report.ruleset),
        "<h2>Data caveats</h2>",
        _caveats(report),
        _problems(report),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _badge(status: str, ruleset: RulesetData | None = None) -> str:
    """A status tile: the ruleset's label and colour where it gives them."""
    background, text = tile_colours(status, ruleset)
    label = ruleset.label(status) if ruleset is not None else status
    style = f"background:{background};color:{text}"
    return f'<span class="status" style="{style}">{page_text(label)}</span>'


def _status(result: Result, ruleset: RulesetData) -> str:
    """The reported status's badge; an override says so, with the computed status beside it."""
    if not result.overridden:
        return _badge(result.status, ruleset)
    return (
        f'{_badge(result.reported_status, ruleset)} <span class="override">override; computed '
        f"{_badge(result.status, ruleset)}</span>"
    )


def _rollups(report: Report) -> str:
    """Each roll-up's status, its members' statuses and why; nothing without roll-ups."""
    rows = "".join(
        f'<tr><th scope="row">{page_text(rollup_name(r))}</th>'
        f"<td>{_badge(r.status, report.ruleset)}</td>"
        f"<td>{page_text(members_text(r, report.ruleset))}</td>"
        f"<td>{page_text(r.reason.split(': ', 1)[-1])}</td></tr>"
        for r in report.rollups
    )
    if not rows:
        return ""
    head = "".join(
        f'<th scope="col">{label}</th>' for label in ("Roll-up", "Status", "Members", "Why")
    )
    return (
        "<h2>Roll-ups</h2>\n<table><caption>Groups of indicators, each rated by its rule"
        f"</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _judgement(report: Report) -> str:
    """The overrides and forecasts, each in words; nothing when the data gives none."""
    items = "".join(
        f"<li><strong>{page_text(indicator_name(r))}</strong>: {page_text(text)}</li>"
        for r in report.results
        if (text := judgement_text(r))
    )
    return f"<h2>Officer judgement and forecasts</h2>\n<ul>{items}</ul>" if items else ""


def _arrow(move: Movement) -> str:
    meaning = move.direction.value
    if move.judgement is not None and move.judgement.value != meaning:
        meaning += f", {move.judgement.value}"
    if not move.comparable:
        meaning = f"not comparable: {move.reason}"
    return (
        f'<span class="arrow" aria-hidden="true">{page_text(move.arrow)}</span>'
        + (f" {page_text(move.word)}" if move.word else "")
        + f'<span class="visually-hidden">{page_text(meaning)}</span>'
    )


def _summary(report: Report) -> str:
    summary = report.summary
    columns, statuses, reasons = summary_rows(report)
    blank = "<td></td>" * len(columns)
    rows = [
        f'<tr><th scope="row">{_badge(status, report.ruleset)}</th><td class="num">{count}</td>'
        + _share_cells(shares)
        + "</tr>"
        for status, count, shares in statuses
    ]
    rows.append(f'<tr><th scope="row">Rated</th><td class="num">{summary.rated}</td>{blank}</tr>')
    if summary.overridden:
        rows.append(
            '<tr><th scope="row">Of which by override</th>'
            f'<td class="num">{summary.overridden}</td>{blank}</tr>'
        )
    rows += [  # apart from the rated statuses, each with its badge
        f'<tr><th scope="row">{page_text(CONTEXT_LABEL)}: {_badge(status, report.ruleset)}</th>'
        f'<td class="num">{count}</td>{_share_cells(shares)}</tr>'
        for status, count, shares in context_rows(report)
    ]
    rows += [
        f'<tr><th scope="row">Not rated: {page_text(report.ruleset.label(reason))}</th>'
        f'<td class="num">{count}</td>{_share_cells(shares)}</tr>'
        for reason, count, shares in reasons
    ]
    html = [
        "<h2>Summary</h2>",
        '<table style="width:auto"><caption>Indicators by status</caption>',
        '<thead><tr><th scope="col">Status</th><th scope="col">Indicators</th>'
        + "".join(f'<th scope="col">{page_text(column)}</th>' for column in columns)
        + "</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody></table>",
    ]
    comparisons = report.ruleset.travel.comparisons
    for comparison, (_, counts) in zip(comparisons, summary.travel, strict=True):
        shown = travel_counts(comparison, counts)
        html.append(f"<p>{page_text(comparison.label or comparison.name)}: {page_text(shown)}.</p>")
    return "\n".join(html)


def _share_cells(shares: tuple[int | None, ...]) -> str:
    return "".join(
        "<td></td>" if share is None else f'<td class="num">{share}%</td>' for share in shares
    )


def _key(report: Report) -> str:
    key = report.key
    entries = key.entries
    items = "".join(
        f"<dt>{page_text(entry.label)}</dt><dd>{page_text(entry.text)}</dd>" for entry in entries
    )
    return f'<h2>Key</h2>\n<dl class="key">{items}</dl>'


def _breakdown(result: Result) -> str:
    """A result's breakdown as one attribute: `sex=Male; age=65+` ("" for none)."""
    return "; ".join(f"{name}={value}" for name, value in result.breakdown)


def _status_chart(series: tuple[tuple[Result, ...], ...], ruleset: RulesetData) -> str:
    """Stacked bars of the statuses in the last periods; nothing for a single period."""
    chart = status_bars(series, ruleset, TREND_PERIODS)
    if not chart:
        return ""
    return f'<h3>Statuses over the last periods</h3>\n<figure class="chart">{chart}</figure>'


def _all_indicators(report: Report, series: tuple[tuple[Result, ...], ...]) -> str:
    labels = [c.label or c.name for c in report.ruleset.travel.comparisons]
    margins = listed_margins(report)  # margins that differ: each indicator's, listed
    head = "".join(
        f'<th scope="col">{page_text(label)}</th>'
        for label in [
            "Indicator",
            "Value",
            "Target",
            *(first_upper(margin) for margin in margins),
            "Status",
            *labels,
            "Trend",
            "To change status",
        ]
    )
    rows = []
    for number, (result, points) in enumerate(zip(report.results, series, strict=True)):
        arrows = "".join(f"<td>{_arrow(move)}</td>" for move in result.travel)
        arrows += f'<td class="trend">{sparkline(points, report.ruleset, str(number))}</td>'

        rows.append(
            f'<tr data-indicator="{attribute_value(result.indicator.id)}" '
            f'data-area="{attribute_value(result.area)}" '
            f'data-breakdown="{attribute_value(_breakdown(result))}">'
            f'<th scope="row">{page_text(indicator_name(result))}</th>'
            f'<td class="num">{page_text(value_shown(result))}</td>'
            f'<td class="num">{page_text(target_text(result))}</td>'
            + "".join(f"<td>{page_text(margin_column(result, m))}</td>" for m in margins)
            + f"<td>{_status(result, report.ruleset)}</td>{arrows}"
            f"<td>{page_text(edges_text(result, report.ruleset))}</td></tr>"
        )
    return "\n".join(
        [
            "<h2>All indicators</h2>",
            "<table><caption>Every indicator in the ruleset, in report order</caption>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *rows,
            "</tbody></table>",
        ]
    )


def _selections(chosen: tuple[Selection, ...], empty: str, ruleset: RulesetData) -> str:
    if not chosen:
        return f"<p>{page_text(empty)}</p>"
    html = []
    for selection in chosen:
        result = selection.result
        arrows = "; ".join(
            f"{page_text(m.comparison.label or m.comparison.name)} {_arrow(m)}"
            for m in result.travel
        )
        commentary = (
            f"<p>{page_text(result.commentary)}</p>"
            if result.commentary
            else '<p class="missing">No commentary was given.</p>'
        )
        target = f", target {page_text(target_text(result))}" if result.target else ""
        html.append(
            '<section class="exception">'
            f"<h3>{page_text(indicator_name(result))}</h3>"
            f"<p>{_status(result, ruleset)} Value {page_text(value_shown(result))}{target}. "
            f"{arrows}</p>"
            f"<p>Selected: {page_text('; '.join(selection.reasons))}.</p>"
            f"{commentary}</section>"
        )
    return "\n".join(html)


def _caveats(report: Report) -> str:
    if not report.caveats:
        return "<p>None this period.</p>"
    rows = "".join(
        f'<tr><th scope="row">{page_text(indicator_name(r))}</th>'
        f"<td>{page_text(caveat_text(r))}</td></tr>"
        for r in report.caveats
    )
    return (
        "<table><caption>Indicators that cannot be reported accurately this period</caption>"
        '<thead><tr><th scope="col">Indicator</th><th scope="col">Commentary</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _problems(report: Report) -> str:
    problems = report.problems
    if not problems:
        return ""
    items = "".join(
        f"<li>{page_text(p.message)}" + (f" (row {p.row})" if p.row else "") + "</li>"
        for p in problems
    )
    return f"<h2>For the report's authors</h2>\n<ul>{items}</ul>"
