"""Wording shared by the rendered reports (Markdown and HTML)."""

from __future__ import annotations

from ragrules.engine.report import Report, Result
from ragrules.model.units import with_unit


def indicator_name(result: Result) -> str:
    """`id: title`, as a report lists an indicator."""
    indicator = result.indicator
    return f"{indicator.id}: {indicator.title}" if indicator.title else indicator.id


def target_text(result: Result) -> str:
    """The target used, with its unit; blank when there was none."""
    if result.target is None:
        return ""
    return with_unit(str(result.target), result.indicator.unit)


def caveat_text(result: Result) -> str:
    """A caveat as a report prints it: the caveat, then any commentary."""
    return " ".join(text for text in (result.caveat, result.commentary) if text)


def no_flags_text(report: Report) -> str:
    """What the of-particular-note section says when it is empty."""
    if report.ruleset.exceptions.flagged:
        return "No indicator was flagged."
    return "This report does not use hand flags."
