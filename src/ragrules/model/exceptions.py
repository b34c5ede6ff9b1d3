"""What a ruleset says about the exception report: its rules and what needs commentary.

Value objects only, like `rules` (which re-exports every name here).
"""

from __future__ import annotations

import attrs

from ragrules.model.travel import TravelCondition

# How many periods back an exception rule may look: runs of judgements or statuses, and how
# far back an indicator kept "until" it meets a status may have entered the list.
MAX_LOOKBACK = 12


@attrs.frozen(kw_only=True)
class ExceptionRule:
    """Selects results for the exception report: every condition given must hold.

    `statuses`: the result's reported status is one of these (empty: any rated status), for
    `status_periods` consecutive periods ending with the report period (red two quarters
    running). With `until`, an indicator that met that stays selected, period after period,
    until its status is one of `until` (kept on the list until it meets its target).
    `travel`: a comparison's judgement is one of these for `periods` consecutive periods
    ending with the report period (e.g. worsening two quarters running).
    """

    name: str = ""
    statuses: tuple[str, ...] = ()
    travel: TravelCondition | None = None
    periods: int = 1
    status_periods: int = 1
    until: tuple[str, ...] = ()

    @property
    def memory(self) -> int:
        """How many periods of statuses (this one included) the rule reads."""
        return MAX_LOOKBACK if self.until else self.status_periods


@attrs.frozen(kw_only=True)
class ExceptionPolicy:
    """What goes in the exception report, and which statuses need commentary."""

    rules: tuple[ExceptionRule, ...] = ()
    flagged: bool = True
    commentary_required: frozenset[str] = frozenset()

    @property
    def lookback(self) -> int:
        """How many consecutive periods of judgements the rules need (1: this period only)."""
        return max((rule.periods for rule in self.rules), default=1)

    @property
    def memory(self) -> int:
        """How many periods of statuses the rules read (1: this period's only)."""
        return max((rule.memory for rule in self.rules), default=1)
