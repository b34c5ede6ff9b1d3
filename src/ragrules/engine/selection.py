"""What a committee reads beyond the table: exceptions, of-particular-note, caveats, findings.

Pure functions over results and the ruleset's exception policy. Every selection keeps the
ruleset's indicator order and carries the reasons it was selected.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ragrules.engine.result import Result
from ragrules.model._text import with_article
from ragrules.model.rules import ExceptionPolicy, ExceptionRule, Unrated


@attrs.frozen(kw_only=True)
class Selection:
    """A result chosen for a section of the report, and why."""

    result: Result
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Which series (as a result names it: area and breakdown too) and why."""
        return {
            "indicator": self.result.indicator.id,
            "area": self.result.area or None,
            "breakdown": dict(self.result.breakdown),
            "status": self.result.reported_status,
            "reasons": list(self.reasons),
            "commentary": self.result.commentary,
        }


@attrs.frozen(kw_only=True)
class Finding:
    """Something the report's authors must fix, e.g. a red without its corrective action."""

    indicator: str
    row: int | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)

    def __str__(self) -> str:
        """As a problem prints: `row 4: indicator 'x': a red rating needs commentary, ...`."""
        where = f"row {self.row}: " if self.row is not None else ""
        return f"{where}indicator {self.indicator!r}: {self.message}"


def exceptions(results: Iterable[Result], policy: ExceptionPolicy) -> tuple[Selection, ...]:
    """Rated results that meet any exception rule, each with the rules it meets; a status
    rule reads the reported status (an applied override's)."""
    chosen = []
    for result in results:
        reasons = tuple(
            _reason(result, rule) for rule in policy.rules if result.rated and _meets(result, rule)
        )
        if reasons and result.overridden:
            reasons += (f"officer judgement in place of the computed {result.status}",)
        if reasons and result.flag and policy.flagged:
            reasons += (f"flagged: {result.flag}",)
        if reasons:
            chosen.append(Selection(result=result, reasons=reasons))
    return tuple(chosen)


def of_particular_note(
    results: Iterable[Result], policy: ExceptionPolicy, selected: Iterable[Selection]
) -> tuple[Selection, ...]:
    """Results flagged by hand that are not exceptions or caveats (Merton's section 2.2)."""
    if not policy.flagged:
        return ()
    already = {_series(selection.result) for selection in selected}  # each area's own
    return tuple(
        Selection(result=result, reasons=(f"flagged: {result.flag}",))
        for result in results
        if result.flag and _series(result) not in already and result.unrated is not Unrated.CAVEAT
    )


def _series(result: Result) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    return (result.indicator.id, result.area, result.breakdown)


def caveats(results: Iterable[Result]) -> tuple[Result, ...]:
    """Results whose data cannot be reported this period: listed, never rated, never dropped."""
    return tuple(result for result in results if result.unrated is Unrated.CAVEAT)


def findings(results: Iterable[Result], policy: ExceptionPolicy) -> tuple[Finding, ...]:
    """Statuses that need commentary but have none (Havering: corrective action for red)."""
    return tuple(
        Finding(
            indicator=result.indicator.id,
            row=result.row,
            message=f"{with_article(result.reported_status)} rating needs commentary, "
            f"and none was given{_unread_commentary(result)}",
        )
        for result in results
        if result.reported_status in policy.commentary_required
        and result.rated
        and not result.commentary.strip()
    )


# Column keys a council's export gives its commentary under, when no column is mapped to it.
_COMMENTARY_LIKE = ("comments", "comment", "notes", "note", "narrative", "remarks", "explanation")


def _unread_commentary(result: Result) -> str:
    """Where the row has text under a column that looks like its commentary but is not read
    as it: the column, and how to map it (the commentary is there, just not read)."""
    for name, text in result.columns:
        if name in _COMMENTARY_LIKE and text.strip():
            return (
                f" (the row's {name!r} column is not read as commentary: map it with "
                f"--columns '{name}=commentary')"
            )
    return ""


def _meets(result: Result, rule: ExceptionRule) -> bool:
    if rule.until:
        if entered(result, rule) is None:
            return False
    elif rule.statuses and not all(
        status in rule.statuses for status in _statuses(result, rule.status_periods)
    ):
        return False
    if rule.travel is None:
        return True
    move = next((m for m in result.travel if m.comparison.name == rule.travel.comparison), None)
    return move is not None and move.streak(rule.travel.judgements) >= rule.periods


def _reason(result: Result, rule: ExceptionRule) -> str:
    """Why the rule selects the result: the rule in words, and since when it has been kept."""
    reason = describe_rule(rule)
    since = entered(result, rule) if rule.until else None
    if since and result.period is not None:
        reason += f" (on the list since {result.period.shifted(-since)})"
    return reason


def _statuses(result: Result, periods: int) -> list[str | None]:
    """The series' reported statuses for `periods` periods, this one first; a period with no
    rated row is None (and ends a run)."""
    found = [result.reported_status, *(result.earlier_statuses or ())][:periods]
    return found + [None] * (periods - len(found))


def entered(result: Result, rule: ExceptionRule) -> int | None:
    """For a rule kept `until` a status: how many periods ago the indicator went on the list
    and has stayed on it since (0: this period), or None when it is not on it.

    It enters when its status is one of the rule's for `status_periods` periods running; it
    stays until a period whose status is one of `until` (a period with no status neither
    enters nor leaves). The look-back is `MAX_LOOKBACK` periods.
    """
    history = [result.reported_status, *(result.earlier_statuses or ())]
    since: int | None = None
    for ago in range(len(history) - 1, -1, -1):  # oldest first
        status = history[ago]
        if since is not None and status in rule.until:
            since = None  # met: off the list
        run = history[ago : ago + rule.status_periods]
        if (
            since is None
            and status not in rule.until
            and len(run) == rule.status_periods
            and all(s in rule.statuses for s in run)
        ):
            since = ago  # the run is complete: on the list from this period
    return since


def describe_rule(rule: ExceptionRule) -> str:
    """The rule in words: its name, or what it tests."""
    if rule.name:
        return rule.name
    parts = []
    if rule.statuses:
        text = "status " + " or ".join(rule.statuses)
        if rule.status_periods > 1:
            text += f" for {rule.status_periods} periods running"
        if rule.until:
            text += ", kept until " + " or ".join(rule.until)
        parts.append(text)
    if rule.travel is not None:
        judged = " or ".join(sorted(j.value for j in rule.travel.judgements))
        text = f"{judged} on {rule.travel.comparison}"
        if rule.periods > 1:
            text += f" for {rule.periods} periods running"
        parts.append(text)
    return " and ".join(parts) or "every rated indicator"
