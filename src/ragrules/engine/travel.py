"""Direction of travel, pure: how a value moved against an earlier one, and whether that is good.

The direction is the raw movement (up, down, unchanged within the margin); the judgement
applies the polarity (improving, worsening, unchanged) and is never given for neutral
indicators. In-range indicators are judged by their distance from the range.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal

import attrs

from ragrules.model.numbers import EXACT
from ragrules.model.periods import Period
from ragrules.model.rules import (
    Against,
    Arrows,
    Basis,
    Comparison,
    Direction,
    Judgement,
    Margin,
    Polarity,
    Target,
    Travel,
    TravelCondition,
)

_ZERO = Decimal(0)


@attrs.frozen(kw_only=True)
class Movement:
    """One comparison for one result: what it compared, which way it moved, and why not."""

    comparison: Comparison
    direction: Direction
    judgement: Judgement | None = None
    earlier: Decimal | None = None
    earlier_text: str = ""
    period: Period | None = None
    reason: str = ""
    arrow: str = ""
    # Judgements of the same comparison for the periods before, most recent first, as far back
    # as the ruleset's exception rules look (None where a period was not comparable).
    earlier_judgements: tuple[Judgement | None, ...] = ()
    # The comparison's graded word for the movement ("slight increase"), when it has words.
    word: str = ""

    def streak(self, judgements: Iterable[Judgement | str] | Judgement | str) -> int:
        """For how many consecutive periods, ending now, the judgement was one of these
        (given as `Judgement`s or their text, `"worsening"`; one given alone is one)."""
        if isinstance(judgements, (Judgement, str)):
            judgements = (judgements,)
        elif not isinstance(judgements, Collection):
            judgements = tuple(judgements)  # read more than once below
        count = 0
        for judgement in (self.judgement, *self.earlier_judgements):
            if judgement not in judgements and (
                judgement is None or judgement.value not in judgements
            ):
                _check_judgements(judgements)
                break
            count += 1
        return count

    @property
    def comparable(self) -> bool:
        return self.direction is not Direction.NOT_COMPARABLE


_JUDGEMENTS = frozenset(judgement.value for judgement in Judgement)


def _check_judgements(judgements: Collection[object]) -> None:
    """Judgements given as text name judgements: a typo (`"worsen"`) is no silent none."""
    for judgement in judgements:
        if isinstance(judgement, str) and judgement not in _JUDGEMENTS:
            raise ValueError(
                f"unknown judgement {judgement!r}: one of {', '.join(sorted(_JUDGEMENTS))}"
            )


def arrow(travel: Travel, moved: Direction, judgement: Judgement | None) -> str:
    """The glyph a report draws: the judgement or the direction, as the ruleset says.

    A neutral indicator has no judgement, so its arrow always shows the direction.
    """
    if judgement is not None and travel.arrows is Arrows.JUDGEMENT:
        return travel.glyph(judgement.value)
    return travel.glyph(moved.value)


def not_comparable(
    comparison: Comparison,
    travel: Travel,
    reason: str,
    period: Period | None = None,
    *,
    earlier_text: str = "",
) -> Movement:
    return Movement(
        comparison=comparison,
        direction=Direction.NOT_COMPARABLE,
        period=period,
        reason=reason,
        earlier_text=earlier_text,
        arrow=arrow(travel, Direction.NOT_COMPARABLE, None),
    )


def unchanged(current: Decimal, earlier: Decimal, margin: Margin) -> bool:
    """True when the values differ by no more than the margin (inclusive).

    A relative margin is a fraction of the earlier value, so a rise and a fall of the same
    size are judged alike.
    """
    return EXACT.abs(EXACT.subtract(current, earlier)) <= allowed_change(earlier, margin)


def allowed_change(earlier: Decimal, margin: Margin) -> Decimal:
    """How far a value may move from `earlier` and still be unchanged."""
    return margin.resolve(earlier) if margin.basis is Basis.RELATIVE else margin.amount


# A benchmark comparison sets a value beside the benchmark, not after an earlier value: its
# judgements read as better or worse than it (the key says so too).
BESIDE_BENCHMARK = {"improving": "better", "worsening": "worse", "unchanged": "the same"}


def direction(current: Decimal, earlier: Decimal, margin: Margin) -> Direction:
    if unchanged(current, earlier, margin):
        return Direction.UNCHANGED
    return Direction.UP if current > earlier else Direction.DOWN


def judge(
    moved: Direction,
    polarity: Polarity,
    current: Decimal,
    earlier: Decimal,
    margin: Margin,
    target: Target | None,
) -> Judgement | None:
    """Whether the movement is good for this polarity; None when nothing can be judged."""
    if polarity is Polarity.NEUTRAL or moved is Direction.NOT_COMPARABLE:
        return None
    if moved is Direction.UNCHANGED:
        return Judgement.UNCHANGED
    if polarity is Polarity.IN_RANGE:
        if target is None:
            return None
        now, before = _outside(current, target), _outside(earlier, target)
        if unchanged(now, before, margin):
            return Judgement.UNCHANGED
        return Judgement.IMPROVING if now < before else Judgement.WORSENING
    better = Direction.UP if polarity is Polarity.HIGHER else Direction.DOWN
    return Judgement.IMPROVING if moved is better else Judgement.WORSENING


def _outside(value: Decimal, target: Target) -> Decimal:
    """How far a value lies outside the target range (0 inside it)."""
    if value < target.lower:
        return EXACT.subtract(target.lower, value)
    if value > target.upper:
        return EXACT.subtract(value, target.upper)
    return _ZERO


def compare(
    comparison: Comparison,
    travel: Travel,
    polarity: Polarity,
    current: Decimal,
    earlier: Decimal,
    margin: Margin,
    target: Target | None,
    *,
    period: Period | None = None,
    earlier_text: str = "",
) -> Movement:
    """Compare a current value with an earlier (or benchmark) value."""
    moved = direction(current, earlier, margin)
    judgement = judge(moved, polarity, current, earlier, margin, target)
    return Movement(
        comparison=comparison,
        direction=moved,
        judgement=judgement,
        earlier=earlier,
        earlier_text=earlier_text,
        period=period,
        arrow=arrow(travel, moved, judgement),
        word=word_for(comparison, moved, current, earlier),
    )


def word_for(comparison: Comparison, moved: Direction, current: Decimal, earlier: Decimal) -> str:
    """The first of the comparison's words that fits the movement, exactly: its direction,
    and a change of at least its share of the earlier value's size."""
    change = EXACT.abs(EXACT.subtract(current, earlier))
    size = EXACT.abs(earlier)
    for entry in comparison.words:
        if entry.direction is not None and entry.direction is not moved:
            continue
        if entry.at_least is not None and change < EXACT.multiply(entry.at_least, size):
            continue
        return entry.word
    return ""


# -- words for a band's travel condition (explanations and reasons) --

_JUDGEMENT_ORDER = (Judgement.IMPROVING, Judgement.UNCHANGED, Judgement.WORSENING)


def _movement(condition: TravelCondition, travel: Sequence[Movement]) -> Movement | None:
    return next((m for m in travel if m.comparison.name == condition.comparison), None)


def _against(condition: TravelCondition, travel: Sequence[Movement]) -> str:
    """`on the same period last year`, `against the england benchmark`."""
    move = _movement(condition, travel)
    if move is None:
        return f"on the {condition.comparison} comparison"
    comparison = move.comparison
    if comparison.against is Against.BENCHMARK:
        return f"against the {comparison.benchmark} benchmark"
    return f"on the {comparison.against.value.replace('-', ' ')}"


def travel_condition(condition: TravelCondition, travel: Sequence[Movement]) -> str:
    """A band's travel condition: `improving or unchanged on the same period last year`."""
    judged = " or ".join(j.value for j in _JUDGEMENT_ORDER if j in condition.judgements)
    return f"{judged} {_against(condition, travel)}"


def travel_judgement(condition: TravelCondition, travel: Sequence[Movement]) -> str:
    """What the condition's comparison found, `improving`; empty when it found nothing."""
    move = _movement(condition, travel)
    return "" if move is None or move.judgement is None else move.judgement.value


def travel_moved(condition: TravelCondition, travel: Sequence[Movement]) -> str:
    """`improving on the same period last year`: the judgement the comparison made."""
    return f"{travel_judgement(condition, travel)} {_against(condition, travel)}"


def travel_missing(condition: TravelCondition, travel: Sequence[Movement]) -> str:
    """Why the condition could not be met for want of a judgement; empty when one was made."""
    move = _movement(condition, travel)
    if move is None:
        return (
            f"the result has no {condition.comparison} comparison, "
            "so the travel condition could not be met"
        )
    if not move.comparable:  # its reason says why: no row, a series break, ...
        return f"not comparable, so the travel condition could not be met: {move.reason}"
    if move.judgement is None:
        return (
            f"the {condition.comparison} comparison makes no judgement, "
            "so the travel condition could not be met"
        )
    return ""
