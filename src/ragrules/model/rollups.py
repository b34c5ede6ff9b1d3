"""Roll-ups: indicators grouped into services, directorates, priorities or themes, each group
rated by a declared rule over its members' statuses. Groups nest: a member may be a roll-up."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs


class RollupRule(enum.Enum):
    """How a roll-up's status comes from its members' reported statuses."""

    # The worst status any rated member has.
    WORST = "worst"
    # The status most members have (by weight); a tie goes to the worse status.
    MAJORITY = "majority"
    # The share of rated members (by weight) whose status is one of `counted`, in percent,
    # against the bands' `at_least`.
    SHARE = "share"
    # The weighted mean of the members' points per status, against the bands' `at_least`.
    SCORE = "score"


@attrs.frozen(kw_only=True)
class RollupBand:
    """A status a share or score reaches from `at_least` on (the last band: any other)."""

    status: str
    at_least: Decimal | None = None


@attrs.frozen(kw_only=True)
class Rollup:
    """A named group of indicators and roll-ups, and the rule that rates it.

    `weights` gives a member's weight (default 1) for majority, share and score; `counted`
    the statuses a share counts; `points` each status's points for a score; `bands` the
    statuses a share (in percent) or score reaches, best first; `statuses` the roll-up's own
    statuses, best first (its members' for worst and majority, its bands' otherwise).
    """

    id: str
    title: str = ""
    members: tuple[str, ...]
    rule: RollupRule
    statuses: tuple[str, ...]
    weights: tuple[tuple[str, Decimal], ...] = ()
    counted: tuple[str, ...] = ()
    points: tuple[tuple[str, Decimal], ...] = ()
    bands: tuple[RollupBand, ...] = ()

    def weight(self, member: str) -> Decimal:
        return dict(self.weights).get(member, Decimal(1))
