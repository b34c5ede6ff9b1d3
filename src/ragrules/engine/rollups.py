"""Rating roll-ups: each group of indicators gets a status from its members' reported statuses.

A pure function over a report's results. Each series partition (an area and breakdown, or the
one council's own) gets every roll-up, in the ruleset's order, so a roll-up's members that
are roll-ups are rated before it. Only rated members count; a roll-up with none is `no-data`.
A share or a score is compared with its bands exactly (by cross-multiplying, never dividing);
the figure shown is rounded down to the bands' places, so it never shows a band as reached
that was not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import attrs

from ragrules.engine.result import Result
from ragrules.model.numbers import EXACT, format_decimal, in_exact_context
from ragrules.model.rollups import Rollup, RollupRule
from ragrules.model.rules import RulesetData, Unrated

Partition = tuple[str, tuple[tuple[str, str], ...]]


@attrs.frozen(kw_only=True)
class RollupResult:
    """A roll-up's status for one area and breakdown, and the members' statuses behind it."""

    rollup: Rollup
    status: str
    reason: str
    area: str = ""
    breakdown: tuple[tuple[str, str], ...] = ()
    unrated: Unrated | None = None
    # Each member's reported status (or the reason it is not rated), in the roll-up's order.
    members: tuple[tuple[str, str], ...] = ()
    # A share (percent) or score, as shown: rounded down to the bands' places (1 to 4).
    value: Decimal | None = None

    @property
    def rated(self) -> bool:
        return self.unrated is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rollup": self.rollup.id,
            "title": self.rollup.title,
            "rule": self.rollup.rule.value,
            "area": self.area or None,
            "breakdown": dict(self.breakdown),
            "status": self.status,
            "rated": self.unrated is None,
            "reason": self.reason,
            "value": None if self.value is None else format_decimal(self.value),
            "members": [{"member": m, "status": s} for m, s in self.members],
        }


@in_exact_context  # called lazily (`Report.rollups`), in whatever context the caller has
def roll_up(results: Iterable[Result], ruleset: RulesetData) -> tuple[RollupResult, ...]:
    """Every roll-up of the ruleset for every area and breakdown of the results, by partition
    (in the order the results first show it), then in the ruleset's order."""
    if not ruleset.rollups:
        return ()
    partitions: dict[Partition, dict[str, Result]] = {}
    for result in results:
        partitions.setdefault((result.area, result.breakdown), {})[result.indicator.id] = result
    found: list[RollupResult] = []
    for (area, breakdown), by_id in partitions.items():
        statuses: dict[str, tuple[str, bool]] = {
            key: (r.reported_status, r.unrated is None) for key, r in by_id.items()
        }
        for rollup in ruleset.rollups:
            rated = rate_rollup(
                rollup, [(m, *statuses.get(m, ("no-data", False))) for m in rollup.members]
            )
            rated = attrs.evolve(rated, area=area, breakdown=breakdown)
            statuses[rollup.id] = (rated.status, rated.rated)
            found.append(rated)
    return tuple(found)


def rate_rollup(rollup: Rollup, members: Sequence[tuple[str, str, bool]]) -> RollupResult:
    """A roll-up's result from its members' (id, reported status, whether rated)."""
    shown = tuple((member, status) for member, status, _ in members)
    rated = [(member, status) for member, status, is_rated in members if is_rated]
    if not rated:
        return RollupResult(
            rollup=rollup,
            status=Unrated.NO_DATA.value,
            unrated=Unrated.NO_DATA,
            reason="no data: no member is rated",
            members=shown,
        )
    status, reason, value = _RULES[rollup.rule](rollup, rated)
    return RollupResult(
        rollup=rollup, status=status, reason=f"{status}: {reason}", members=shown, value=value
    )


_Rated = Sequence[tuple[str, str]]
_Outcome = tuple[str, str, Decimal | None]


def _worst(rollup: Rollup, rated: _Rated) -> _Outcome:
    order = rollup.statuses
    status = max((s for _, s in rated), key=order.index)
    which = [m for m, s in rated if s == status]
    verb = "is" if len(which) == 1 else "are"
    return status, f"{', '.join(which)} {verb} the worst of {_count(rated)}", None


def _majority(rollup: Rollup, rated: _Rated) -> _Outcome:
    order = rollup.statuses
    totals: dict[str, Decimal] = {}
    for member, status in rated:
        totals[status] = EXACT.add(totals.get(status, Decimal(0)), rollup.weight(member))
    # The most weight; of equal weights, the worse status.
    status = max(totals, key=lambda s: (totals[s], order.index(s)))
    total = _total(rollup, rated)
    held = (
        f"{format_decimal(totals[status])} of {format_decimal(total)} by weight"
        if rollup.weights
        else f"{format_decimal(totals[status])} of {_count(rated)}"
    )
    return status, f"held by {held}{_tie(totals, status)}", None


def _tie(totals: dict[str, Decimal], status: str) -> str:
    tied = [s for s, t in totals.items() if t == totals[status] and s != status]
    return f" (tied with {', '.join(tied)}: the worse is taken)" if tied else ""


def _share(rollup: Rollup, rated: _Rated) -> _Outcome:
    counted = Decimal(0)
    for member, status in rated:
        if status in rollup.counted:
            counted = EXACT.add(counted, rollup.weight(member))
    total = _total(rollup, rated)
    hundredfold = EXACT.multiply(counted, Decimal(100))
    band = next(
        b
        for b in rollup.bands
        if b.at_least is None or hundredfold >= EXACT.multiply(b.at_least, total)
    )
    share = _shown(EXACT.divide(hundredfold, total), rollup)
    reached = (
        f"at least {format_decimal(band.at_least)}%"
        if band.at_least is not None
        else "below every band"
    )
    words = " or ".join(rollup.counted)
    weighted = " by weight" if rollup.weights else ""
    return (
        band.status,
        f"{format_decimal(share)}% of {_count(rated)} are {words} "
        f"({format_decimal(counted)} of {format_decimal(total)}{weighted}), "
        f"{reached}",
        share,
    )


def _score(rollup: Rollup, rated: _Rated) -> _Outcome:
    points = dict(rollup.points)
    scored = Decimal(0)
    for member, status in rated:
        scored = EXACT.add(scored, EXACT.multiply(rollup.weight(member), points[status]))
    total = _total(rollup, rated)
    band = next(
        b for b in rollup.bands if b.at_least is None or scored >= EXACT.multiply(b.at_least, total)
    )
    score = _shown(EXACT.divide(scored, total), rollup)
    reached = (
        f"at least {format_decimal(band.at_least)}"
        if band.at_least is not None
        else "below every band"
    )
    return (
        band.status,
        f"a score of {format_decimal(score)} over {_count(rated)}, {reached}",
        score,
    )


def _shown(number: Decimal, rollup: Rollup) -> Decimal:
    """A share or score as shown: rounded down to as many places as the bands' starts have
    (at least one, at most four), so it never shows a band reached that was not."""
    exponents = [b.at_least.as_tuple().exponent for b in rollup.bands if b.at_least is not None]
    places = max([1, *(-e for e in exponents if isinstance(e, int))])
    step = Decimal(1).scaleb(-min(places, 4), context=EXACT)  # not the caller's Emax, clamp
    return number.quantize(step, rounding=ROUND_FLOOR, context=EXACT)


def _total(rollup: Rollup, rated: _Rated) -> Decimal:
    total = Decimal(0)
    for member, _ in rated:
        total = EXACT.add(total, rollup.weight(member))
    return total


def _count(rated: _Rated) -> str:
    return f"{len(rated)} rated member{'s' if len(rated) != 1 else ''}"


_RULES = {
    RollupRule.WORST: _worst,
    RollupRule.MAJORITY: _majority,
    RollupRule.SHARE: _share,
    RollupRule.SCORE: _score,
}


def rule_words(rollup: Rollup) -> str:
    """A roll-up's rule in words, as the key and explanations state it."""
    weights = (
        "; weighted " + ", ".join(f"{m} {format_decimal(w)}" for m, w in rollup.weights)
        if rollup.weights
        else ""
    )
    members = f"({', '.join(rollup.members)}{weights})"
    if rollup.rule is RollupRule.WORST:
        return f"the worst status of its rated members {members}"
    if rollup.rule is RollupRule.MAJORITY:
        return (
            f"the status most of its rated members have {members}; a tie goes to the worse status"
        )
    percent = "%" if rollup.rule is RollupRule.SHARE else ""
    bands = "; ".join(
        f"{band.status} from {format_decimal(band.at_least)}{percent}"
        if band.at_least is not None
        else f"{band.status} below"
        for band in rollup.bands
    )
    if rollup.rule is RollupRule.SHARE:
        counted = " or ".join(rollup.counted)
        return f"the share of its rated members {members} that are {counted}: {bands}"
    points = ", ".join(f"{s} {format_decimal(p)}" for s, p in rollup.points)
    return f"the mean of its rated members' points ({points}) {members}: {bands}"
