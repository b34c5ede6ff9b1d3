"""A committee-ready report in Markdown: summary, key, every indicator, exceptions, caveats.

Every piece of text from a ruleset or data is escaped before it is written, because Markdown
renderers pass raw HTML through (a `<script>` tag, a `javascript:` link) and a `|` in a title
would end its table cell and push another word into the Status column. Ordinary text keeps
its looks: only the characters with a meaning in Markdown are escaped (see `_text`).
"""

from __future__ import annotations

import re

from ragrules.engine.key import KeyEntry
from ragrules.engine.report import Report, Result
from ragrules.engine.selection import Selection
from ragrules.engine.trends import TREND_PERIODS, trends
from ragrules.model._text import first_upper, terminal_safe
from ragrules.model.rules import RulesetData
from ragrules.reports._render import (
    CONTEXT_LABEL,
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
    status_text,
    summary_rows,
    target_text,
    travel_counts,
    value_shown,
)
from ragrules.reports.charts import status_counts, trend_text

_TO_CHANGE = "To change status"  # the column of how far each value is from another


def to_markdown(report: Report) -> str:
    """Render the report as Markdown (GitHub tables); statuses are words, never colour alone."""
    ruleset = report.ruleset
    labels = [_text(c.label or c.name) for c in ruleset.travel.comparisons]
    series = trends(report)  # each result's last periods
    lines = [f"# {_heading(ruleset.title or ruleset.id)}", ""]
    lines += [
        (f"{area} " if (area := _text(areas_text(report))) else "")
        + f"Period: {_text(str(report.period or 'not given'))}. "
        f"Ruleset {_code(ruleset.id)}"
        + (f" version {_text(ruleset.version)}" if ruleset.version else "")
        + f", fingerprint `{report.fingerprint}`.",
        "",
    ]

    lines += ["## Summary", ""]
    summary = report.summary
    columns, statuses, reasons = summary_rows(report)
    blank = " |" * len(columns)
    lines += [
        "| Status | Indicators | " + " | ".join(columns) + " |",
        "| --- | ---: |" + " ---: |" * len(columns),
    ]
    for status, count, shares in statuses:
        lines.append(f"| {_text(ruleset.label(status))} | {count} |{_shares(shares)}")
    lines.append(f"| **rated** | **{summary.rated}** |{blank}")
    if summary.overridden:
        lines.append(f"| of which by override | {summary.overridden} |{blank}")
    for status, count, shares in context_rows(report):  # apart from the rated statuses
        label = _text(ruleset.label(status))
        lines.append(f"| {CONTEXT_LABEL.lower()}: {label} | {count} |{_shares(shares)}")
    for reason, count, shares in reasons:
        lines.append(f"| not rated: {_text(ruleset.label(reason))} | {count} |{_shares(shares)}")
    for comparison, (_, counts) in zip(ruleset.travel.comparisons, summary.travel, strict=True):
        shown = travel_counts(comparison, counts)
        lines += ["", f"{_paragraph(comparison.label or comparison.name)}: {_text(shown)}."]
    lines += _status_table(series, report)
    lines += ["", "## Key", ""]
    lines += [f"- **{_text(entry.label)}**: {_text(entry.text)}" for entry in _key_entries(report)]

    lines += ["", "## All indicators", ""]
    margins = listed_margins(report)
    header = ["Indicator", "Value", "Target", *(first_upper(m) for m in margins), "Status"]
    header += [*labels, "Trend", _TO_CHANGE]
    lines += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for result, points in zip(report.results, series, strict=True):
        cells = [
            indicator_name(result),
            value_shown(result),
            target_text(result),
            *(margin_column(result, margin) for margin in margins),
            status_text(result, ruleset),
        ]
        cells += [f"{m.arrow} {m.word}" if m.word else m.arrow for m in result.travel]
        cells += [trend_text(points, ruleset), edges_text(result, ruleset)]
        lines.append("| " + " | ".join(_text(cell) for cell in cells) + " |")
    rollups = report.rollups
    if rollups:
        lines += [
            "",
            "## Roll-ups",
            "",
            "| Roll-up | Status | Members | Why |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            "| "
            + " | ".join(
                _text(cell)
                for cell in (
                    rollup_name(r),
                    ruleset.label(r.status),
                    members_text(r, ruleset),
                    r.reason.split(": ", 1)[-1],
                )
            )
            + " |"
            for r in rollups
        ]
    judged = [(r, text) for r in report.results if (text := judgement_text(r))]
    if judged:
        lines += ["", "## Officer judgement and forecasts", ""]
        lines += [f"- **{_text(indicator_name(r))}**: {_text(text)}" for r, text in judged]

    lines += ["", "## Exception report", ""]
    lines += _selections(report.exceptions, "No indicator meets the exception rules.", ruleset)
    lines += ["", "## Of particular note", ""]
    lines += _selections(report.of_particular_note, _text(no_flags_text(report)), ruleset)
    lines += ["", "## Data caveats", ""]
    if report.caveats:
        lines += [
            f"- **{_text(indicator_name(r))}**: {_text(caveat_text(r))}" for r in report.caveats
        ]
    else:
        lines.append("None this period.")
    problems = report.problems
    if problems:
        lines += ["", "## For the report's authors", ""]
        lines += [
            f"- {_paragraph(problem.message)}" + (f" (row {problem.row})" if problem.row else "")
            for problem in problems
        ]
    return "\n".join(lines) + "\n"


def _status_table(series: tuple[tuple[Result, ...], ...], report: Report) -> list[str]:
    """The rated statuses in each of the last periods, as a table; none for one period."""
    counts = status_counts(series)
    periods = sorted(counts, key=lambda period: period.start)[-TREND_PERIODS:]
    if len(periods) < 2:
        return []
    ruleset = report.ruleset
    summary = report.summary  # rated statuses best first, then contextual ones
    statuses = [s for s, _ in (*summary.counts, *(summary.context or ()))]
    statuses += sorted({s for p in periods for s in counts[p]} - set(statuses))
    lines = ["", "Statuses over the last periods:", ""]
    lines.append("| Period | " + " | ".join(_text(ruleset.label(s)) for s in statuses) + " |")
    lines.append("| --- |" + " ---: |" * len(statuses))
    for period in periods:
        cells = " | ".join(str(counts[period][s]) for s in statuses)
        lines.append(f"| {_text(str(period))} | {cells} |")
    return lines


def _key_entries(report: Report) -> list[KeyEntry]:
    key = report.key
    return list(key.entries)


def _selections(chosen: tuple[Selection, ...], empty: str, ruleset: RulesetData) -> list[str]:
    if not chosen:
        return [empty]
    lines = []
    for selection in chosen:
        result = selection.result
        arrows = ", ".join(
            f"{m.comparison.label or m.comparison.name} {m.arrow}"
            + (f" {m.word}" if m.word else "")
            for m in result.travel
        )
        judged = judgement_text(result)
        lines += [
            f"### {_heading(indicator_name(result))}",
            "",
            f"Status: **{_text(status_text(result, ruleset))}**. "
            f"Value {_text(value_shown(result))}"
            + (f", target {_text(target_text(result))}" if result.target else "")
            + (f". {_text(arrows)}" if arrows else "")
            + f". Selected: {_text('; '.join(selection.reasons))}."
            + (f" {_text(judged)}" if judged else ""),
            "",
            _paragraph(result.commentary) if result.commentary else "_No commentary was given._",
            "",
        ]
    return lines[:-1]


# Backslash escapes for the characters that start Markdown syntax inline: emphasis, code,
# links and images, table cells, strikethrough. `<` becomes `&lt;`, so no HTML tag, comment
# or autolink can form (and a later HTML renderer sees no raw `<`). `>` means nothing inline
# once no `<` opens a tag, so `value >= 70` stays readable; at the start of a line, where it
# would open a block quote, `_paragraph` escapes it.
_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]|~"} | {"<": "&lt;"})
# An `&` is escaped only where it would start a character reference (`&lt;`, `&#60;`): the
# text then shows as written, and an ordinary `O&S` stays as it is.
_REFERENCE = re.compile(r"&(?=[A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#[xX][0-9A-Fa-f]+;)")
# What makes a line start a block rather than a paragraph (the text is already folded).
_BLOCK_START = re.compile(
    r"#{1,6}(?= |$)"  # a heading
    r"|[-+](?= |$)"  # a list item
    r"|-(?=( ?-){2,}$)"  # a thematic break
    r"|>"  # a block quote
    r"|[0-9]{1,9}(?=[.)]( |$))"  # an ordered list item
)
_CLOSING_HASHES = re.compile(r"(^|\s)(#+)$")
# What GitHub's Markdown (GFM) makes a link of in plain text, with no `<` or `[` around it:
# `https://...` (any `scheme://`), `www.` and an e-mail address (`me@host.example`, or after
# `mailto:` or `xmpp:`). The first two are found as the page is read, so a backslash before
# the `:` or the `.` (which shows as nothing) breaks them. An address is found after every
# escape is read, so the `@` of one (after a character an address may end its name with) is
# followed by a word joiner, `&#8288;`: an invisible character no address holds, which never
# breaks the line.
_AUTOLINK = re.compile(r"(?i):(?=//)|(?<=www)\.|(?<=[A-Za-z0-9.+_:-])@")
_UNLINKED = {":": "\\:", ".": "\\.", "@": "@&#8288;"}


def _text(text: str) -> str:
    """Text on one line (whitespace folded) with every character Markdown reads escaped, no
    URL, `www.` host or e-mail address that GFM would make a link of (`_AUTOLINK`), and
    control and bidi characters shown (`\\x1b`): a page printed to a terminal runs none."""
    shown = terminal_safe(" ".join(text.split()))
    escaped = _REFERENCE.sub("&amp;", shown).translate(_ESCAPES)
    return _AUTOLINK.sub(lambda found: _UNLINKED[found[0]], escaped)


def _paragraph(text: str) -> str:
    """Text that begins a line: `_text`, and a heading, list or quote marker kept as text."""
    escaped = _text(text)
    start = _BLOCK_START.match(escaped)
    if start is None:
        return escaped
    if start[0][0].isdigit():  # `1.` stays a number: escape its dot
        return f"{escaped[: start.end()]}\\{escaped[start.end() :]}"
    return "\\" + escaped


def _heading(text: str) -> str:
    """Heading text: `_text`, and a closing run of `#`, which a heading would drop, kept."""
    return _CLOSING_HASHES.sub(r"\1\\\2", _text(text))


def _code(text: str) -> str:
    """A code span, which shows its text exactly; text that could end it or hold a tag is
    written like other text instead."""
    text = terminal_safe(" ".join(text.split()))
    return _text(text) if any(c in text for c in "`<") or not text else f"`{text}`"


def _shares(shares: tuple[int | None, ...]) -> str:
    """A summary row's share cells, each closed: ` 33% | 29% |`, blank (` |`) where a share
    has no meaning."""
    return "".join(" |" if share is None else f" {share}% |" for share in shares)
