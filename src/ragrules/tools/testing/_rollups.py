"""Invariants of roll-ups: the members' order never matters, and where the rule is monotone a
worse member never makes the roll-up better."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ragrules.engine.rollups import rate_rollup
from ragrules.engine.ruleset import Ruleset
from ragrules.formats.loading._rollups import ranked
from ragrules.model.numbers import in_exact_context
from ragrules.model.rollups import Rollup, RollupRule
from ragrules.model.rules import RulesetData, Unrated


def member_statuses(ruleset: RulesetData, rollup: Rollup) -> list[tuple[str, ...]]:
    """The statuses each member can have, best first: a roll-up's, or an indicator's across
    every version of its scale, ranked as the loader ranks them for `worst` and `majority`
    (`rag` then `brag`: blue, green, amber, red; not the first version's alone)."""
    found = []
    for member in rollup.members:
        inner = ruleset.rollup(member)
        found.append(inner.statuses if inner else ranked(ruleset.indicator(member)).order)
    return found


def monotone(ruleset: RulesetData, rollup: Rollup) -> bool:
    """Whether a worse member can never make the roll-up better: always for `worst`; for a
    share that counts a best-first run of each member's statuses; for a score whose points
    never rise from a better status to a worse one. Never for `majority` (by weight, a member
    moving to a status that then outweighs the worse one can improve it)."""
    if rollup.rule is RollupRule.WORST:
        return True
    if rollup.rule is RollupRule.MAJORITY:
        return False
    points = dict(rollup.points)
    for statuses in member_statuses(ruleset, rollup):
        if rollup.rule is RollupRule.SHARE:
            counted = [s in rollup.counted for s in statuses]
            if counted != sorted(counted, reverse=True):
                return False
        elif any(points[a] < points[b] for a, b in itertools.pairwise(statuses)):
            return False
    return True


@in_exact_context
def check_rollup(
    ruleset: Ruleset, rollup_id: str, statuses: Sequence[str], worse: int | None = None
) -> None:
    """A roll-up rates its members' `statuses` (one per member: one of its statuses, or an
    `Unrated` value) the same in any order; and when it is `monotone`, making member `worse`
    one status worse never makes it better."""
    rollup = ruleset.rollup(rollup_id)
    if rollup is None:
        raise ValueError(f"ruleset {ruleset.id!r} has no roll-up {rollup_id!r}")
    unrated = {reason.value for reason in Unrated}
    members = [(m, s, s not in unrated) for m, s in zip(rollup.members, statuses, strict=True)]
    found = rate_rollup(rollup, members).status
    backwards = rate_rollup(rollup, members[::-1]).status
    assert found == backwards, (
        f"roll-up {rollup_id!r}: {dict(zip(rollup.members, statuses, strict=True))} gives "
        f"{found!r}, and {backwards!r} with the members in reverse order"
    )
    if worse is None or not monotone(ruleset, rollup) or statuses[worse] in unrated:
        return
    order = member_statuses(ruleset, rollup)[worse]
    position = order.index(statuses[worse])
    if position + 1 == len(order):
        return  # already the worst status
    changed = [*members]
    changed[worse] = (rollup.members[worse], order[position + 1], True)
    after = rate_rollup(rollup, changed).status
    ranks = rollup.statuses
    assert found in unrated or ranks.index(after) >= ranks.index(found), (
        f"roll-up {rollup_id!r}: member {rollup.members[worse]!r} going from "
        f"{statuses[worse]!r} to {order[position + 1]!r} makes it {after!r}, better than "
        f"{found!r}"
    )
