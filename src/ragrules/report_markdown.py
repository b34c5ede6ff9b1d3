"""A committee-ready report in Markdown: summary, key, every indicator, exceptions, caveats."""

from __future__ import annotations

from ragrules._render import caveat_text, indicator_name, no_flags_text, target_text
from ragrules.key import KeyEntry
from ragrules.report import Report
from ragrules.selection import Selection


def to_markdown(report: Report) -> str:
    """Render the report as Markdown (GitHub tables); statuses are words, never colour alone."""
    ruleset = report.ruleset
    labels = [c.label or c.name for c in ruleset.travel.comparisons]
    lines = [f"# {_cell(ruleset.title or ruleset.id)}", ""]
    lines += [
        f"Period: {report.period or 'not given'}. Ruleset `{ruleset.id}`"
        + (f" version {ruleset.version}" if ruleset.version else "")
        + f", fingerprint `{report.fingerprint}`.",
        "",
    ]

    lines += ["## Summary", ""]
    summary = report.summary
    lines += ["| Status | Indicators | % of rated |", "| --- | ---: | ---: |"]
    for (status, count), (_, percent) in zip(summary.counts, summary.percentages, strict=True):
        lines.append(f"| {status} | {count} | {percent}% |")
    lines.append(f"| **rated** | **{summary.rated}** | |")
    for reason, count in summary.unrated:
        lines.append(f"| not rated: {reason} | {count} | |")
    for comparison, (_, counts) in zip(ruleset.travel.comparisons, summary.travel, strict=True):
        shown = ", ".join(f"{outcome} {n}" for outcome, n in counts if n)
        lines += ["", f"{comparison.label or comparison.name}: {shown}."]
    lines += ["", "## Key", ""]
    lines += [f"- **{entry.label}**: {entry.text}" for entry in _key_entries(report)]

    lines += ["", "## All indicators", ""]
    header = ["Indicator", "Value", "Target", "Status", *labels]
    lines += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for result in report.results:
        cells = [
            indicator_name(result),
            result.value_text or "-",
            target_text(result),
            result.status,
        ]
        cells += [move.arrow for move in result.travel]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")

    lines += ["", "## Exception report", ""]
    lines += _selections(report.exceptions, "No indicator meets the exception rules.")
    lines += ["", "## Of particular note", ""]
    lines += _selections(report.of_particular_note, no_flags_text(report))
    lines += ["", "## Data caveats", ""]
    if report.caveats:
        lines += [
            f"- **{_cell(indicator_name(r))}**: {_cell(caveat_text(r))}" for r in report.caveats
        ]
    else:
        lines.append("None this period.")
    problems = report.problems
    if problems:
        lines += ["", "## For the report's authors", ""]
        lines += [
            f"- {_cell(problem.message)}" + (f" (row {problem.row})" if problem.row else "")
            for problem in problems
        ]
    return "\n".join(lines) + "\n"


def _key_entries(report: Report) -> list[KeyEntry]:
    key = report.key
    return [*key.statuses, *key.arrows, *key.unrated]


def _selections(chosen: tuple[Selection, ...], empty: str) -> list[str]:
    if not chosen:
        return [empty]
    lines = []
    for selection in chosen:
        result = selection.result
        arrows = ", ".join(
            f"{m.comparison.label or m.comparison.name} {m.arrow}" for m in result.travel
        )
        lines += [
            f"### {_cell(indicator_name(result))}",
            "",
            f"Status: **{result.status}**. Value {result.value_text or '-'}"
            + (f", target {target_text(result)}" if result.target else "")
            + (f". {arrows}" if arrows else "")
            + f". Selected: {'; '.join(selection.reasons)}.",
            "",
            _cell(result.commentary) if result.commentary else "_No commentary was given._",
            "",
        ]
    return lines[:-1]


def _cell(text: str) -> str:
    """One line of Markdown table text: pipes escaped, line breaks folded."""
    return " ".join(text.split()).replace("|", "\\|")
