"""How far a rated value is from changing status: the nearest edge of its band in each
direction, and the status beyond it. Pure and exact: edges are found with fractions, so a
ratio band (`value x 0.9 <= 30`) has its edge at 33 1/3 exactly, not at a rounded decimal.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from ragrules.engine._kept import Kept
from ragrules.engine.rating import Cut
from ragrules.model.numbers import EXACT, format_decimal, in_exact_context
from ragrules.model.rules import Judgement

# Places an edge that no decimal can write exactly (a third) is shown to.
APPROXIMATE_PLACES = 6


@attrs.frozen(kw_only=True)
class Edge:
    """Where the status changes, moving the value `up` or down from where it is.

    `status` is the status beyond the edge, `better` whether it is better than the current
    one; `at` is the edge and `included` whether a value exactly at it already has that
    status (`green needs 30`) or must pass it (`falls to red below 28.5`); `distance` is how
    far the value is from the edge. Both are exact unless `exact` is False (an edge such as
    33 1/3, shown to `APPROXIMATE_PLACES` places).
    """

    up: bool
    status: str
    better: bool
    at: Decimal
    included: bool
    distance: Decimal
    exact: bool = True

    def to_dict(self, *, distance: str | None = None) -> dict[str, Any]:
        """The edge as a record; `distance` is written for the distance when given (a
        writer renders an edge once and joins each value's distance into it)."""
        away = format_decimal(self.distance) if distance is None else distance
        return {
            "direction": "up" if self.up else "down",
            "status": self.status,
            "better": self.better,
            "at": format_decimal(self.at),
            "included": self.included,
            "distance": away,
            "exact": self.exact,
            "words": self.words(distance=away),
        }

    def words(self, label: str = "", *, distance: str | None = None) -> str:
        """`green needs 30, 1.85 more`; `falls to red below 28.5 (0.5 lower)`; `falls to red
        below 28.5 (any amount lower)` for a value on the edge."""
        name = label or self.status
        at = ("about " if not self.exact else "") + format_decimal(self.at)
        away = format_decimal(self.distance) if distance is None else distance
        if self.better:
            if self.included:
                return f"{name} needs {at}, {away} {'more' if self.up else 'less'}"
            return f"{name} needs {'above' if self.up else 'below'} {at}"
        where = f"at {at}" if self.included else f"{'above' if self.up else 'below'} {at}"
        if not self.distance:  # on the edge: any move past it (never "0 lower")
            away = "any amount"
        return f"falls to {name} {where} ({away} {'higher' if self.up else 'lower'})"


@attrs.frozen
class Judged:
    """A comparison whose judgement moves with the value: against an earlier (or benchmark)
    value, `unchanged` within `allowed` of it, improving above it where higher is better
    (`travel.direction` and `travel.judge`, in fractions: edges need not be decimals)."""

    earlier: Fraction
    allowed: Fraction
    higher: bool

    def at(self, value: Fraction) -> Judgement:
        if abs(value - self.earlier) <= self.allowed:
            return Judgement.UNCHANGED
        return Judgement.IMPROVING if (value > self.earlier) == self.higher else Judgement.WORSENING

    def points(self) -> tuple[Fraction, ...]:
        """Where the judgement changes: the ends of the unchanged margin."""
        return (self.earlier - self.allowed, self.earlier + self.allowed)


@in_exact_context  # results are read outside the engine: the caller's context never counts
def band_edges(
    cuts: Sequence[Cut],
    value: Decimal,
    band: int,
    statuses: Sequence[str],
    judgements: Mapping[str, Judgement | None] | None = None,
    judged: Mapping[str, Judged] | None = None,
) -> tuple[Edge, ...]:
    """The nearest edge above and below `value` where its status (band `band` of `cuts`)
    changes; none where it never does. The travel `judgements` are held as they are, but
    those of `judged` comparisons move with the value (a band "amber if no worse than last
    year" starts where the value passes last year's)."""
    finder = EdgeFinder(cuts, judgements, judged) if judged else edge_finder(cuts, judgements)
    return finder.edges(value, cuts[band].status, statuses)


def _better(status: str, current: str, statuses: Sequence[str]) -> bool:
    """Whether `status` comes before `current` in `statuses` (best first)."""
    last = len(statuses)
    rank = statuses.index
    return (rank(status) if status in statuses else last) < (
        rank(current) if current in statuses else last
    )


class EdgeFinder:
    """The statuses along the value line for one set of cuts: at each bound, and in each
    open stretch between bounds (and beyond the first and last). Made once per set of cuts
    (`edge_finder`): a writer that renders many values of one rule keeps it."""

    def __init__(
        self,
        cuts: Sequence[Cut],
        judgements: Mapping[str, Judgement | None] | None,
        judged: Mapping[str, Judged] | None = None,
    ):
        found = {point for cut in cuts for point in _points(cut)}
        found |= {point for moving in (judged or {}).values() for point in moving.points()}
        self.points = sorted(found)
        points = self.points
        self.decimals = [_decimal(point) for point in points]
        self.exact = [_terminates(point) for point in points]
        self.all_exact = all(self.exact)
        # What `nearest` compares a value with: the points as decimals, when they all are.
        self.keys: list[Decimal] | list[Fraction] = self.decimals if self.all_exact else points
        held = dict(judgements or {})

        def judging(value: Fraction) -> Mapping[str, Judgement | None]:
            if not judged:
                return held
            return {**held, **{name: moving.at(value) for name, moving in judged.items()}}

        self.at = [_status(cuts, point, judging(point)) for point in points]
        gaps = [points[0] - 1] if points else [Fraction(0)]
        gaps += [(a + b) / 2 for a, b in itertools.pairwise(points)]
        gaps += [points[-1] + 1] if points else []
        self.between = [_status(cuts, gap, judging(gap)) for gap in gaps]  # before point i: i

    def edges(self, value: Decimal, current: str, statuses: Sequence[str]) -> tuple[Edge, ...]:
        """`band_edges` for a value whose status is `current` (in the library's context)."""
        # Decimals compare fast; fractions only where an edge is no decimal.
        here: Decimal | Fraction = value if self.all_exact else Fraction(value)
        found = []
        for up in (True, False):
            edge = self.nearest(here, current, up)
            if edge is None:
                continue
            index, included, status = edge
            at, exact = self.decimals[index], self.exact[index]
            # An exact edge is a decimal, so the distance is too; else found in fractions.
            away = (
                EXACT.abs(EXACT.subtract(at, value))
                if exact
                else _decimal(abs(self.points[index] - Fraction(value)))
            )
            found.append(
                Edge(
                    up=up,
                    status=status,
                    better=_better(status, current, statuses),
                    at=at,
                    included=included,
                    distance=away,
                    exact=exact,
                )
            )
        return tuple(found)

    def nearest(
        self, here: Decimal | Fraction, current: str, up: bool
    ) -> tuple[int, bool, str] | None:
        """The first point, moving one way, at or just past which the status is not
        `current`: (its index, whether the point itself has the new status, the status)."""
        points: Sequence[Decimal | Fraction] = self.keys
        if up:
            start = bisect.bisect_left(points, here)
            for index in range(start, len(points)):
                point = points[index]
                if point != here and self.at[index] != current:
                    return index, True, self.at[index]
                if self.between[index + 1] != current:
                    return index, False, self.between[index + 1]
            return None
        start = bisect.bisect_right(points, here) - 1
        for index in range(start, -1, -1):
            point = points[index]
            if point != here and self.at[index] != current:
                return index, True, self.at[index]
            if self.between[index] != current:
                return index, False, self.between[index]
        return None


_FINDERS: Kept[EdgeFinder] = Kept(1024)  # rules at once (a target from the data: one per row)


def edge_finder(
    cuts: Sequence[Cut], judgements: Mapping[str, Judgement | None] | None = None
) -> EdgeFinder:
    """The edge finder of these cuts (with these judgements held), kept: rows rated by the
    same rule share their cuts."""
    travelled = any(cut.travel is not None for cut in cuts)
    held = tuple(sorted((judgements or {}).items())) if travelled else ()
    return _FINDERS.get(cuts, held, lambda: EdgeFinder(cuts, judgements))


def _points(cut: Cut) -> list[Fraction]:
    """Where a cut's bounds lie on the value line (a bound over its multiplier)."""
    scale = Fraction(cut.multiplier)
    return [Fraction(bound) / scale for bound in (cut.lower, cut.upper) if bound is not None]


def _status(
    cuts: Sequence[Cut], value: Fraction, judgements: Mapping[str, Judgement | None] | None
) -> str:
    """`rating.band_for`, in fractions: the first cut that admits the value."""
    for cut in cuts:
        condition = cut.travel
        if condition is not None and (
            judgements is None or judgements.get(condition.comparison) not in condition.judgements
        ):
            continue
        scaled = value * Fraction(cut.multiplier)
        lower = None if cut.lower is None else Fraction(cut.lower)
        upper = None if cut.upper is None else Fraction(cut.upper)
        if cut.inclusive:
            if (lower is None or scaled >= lower) and (upper is None or scaled <= upper):
                return cut.status
        elif (lower is None or scaled > lower) and (upper is None or scaled < upper):
            return cut.status
    return ""


def _terminates(number: Fraction) -> bool:
    """Whether a decimal can write the fraction exactly (its denominator has no prime but
    2 and 5)."""
    denominator = number.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def _decimal(number: Fraction) -> Decimal:
    """The fraction as a decimal: exact where it terminates, else to `APPROXIMATE_PLACES`."""
    if _terminates(number):
        digits = 0
        while (number * 10**digits).denominator != 1:
            digits += 1
        return Decimal(int(number * 10**digits)).scaleb(-digits, EXACT)
    scaled = round(number * 10**APPROXIMATE_PLACES)
    return Decimal(scaled).scaleb(-APPROXIMATE_PLACES, EXACT)
