"""Counts per status, with percentages of rated indicators that add up to exactly 100."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ragrules.engine.result import Result
from ragrules.model.rules import RulesetData, Unrated


@attrs.frozen(kw_only=True)
class Summary:
    """Rated counts and percentages per status (best first), and unrated counts by reason."""

    rated: int
    counts: tuple[tuple[str, int], ...]
    percentages: tuple[tuple[str, int], ...]
    unrated: tuple[tuple[str, int], ...]
    travel: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()
    # How many reported statuses are an officer's override (counted under the override's
    # status); None when the ruleset allows none and the data gives none.
    overridden: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rated": self.rated,
            "statuses": {
                status: {"count": count, "percent": percent}
                for (status, count), (_, percent) in zip(self.counts, self.percentages, strict=True)
            },
            "unrated": dict(self.unrated),
            "travel": {name: dict(counts) for name, counts in self.travel},
            **({} if self.overridden is None else {"overridden": self.overridden}),
        }


def summarise(results: Iterable[Result], ruleset: RulesetData) -> Summary:
    """Count results by reported status; percentages use largest-remainder rounding."""
    results = tuple(results)
    # The versions the results were rated with (each period's), else the ruleset's own.
    rated_with = {result.indicator.id: result.indicator for result in results}
    versions = [rated_with.get(i.id, i) for i in ruleset.indicators]
    counts = dict.fromkeys(ruleset.listed_statuses(versions), 0)
    unrated = dict.fromkeys(ruleset.in_order(reason.value for reason in Unrated), 0)
    overridden = 0
    for result in results:
        if result.unrated is None:
            status = result.reported_status
            counts[status] = counts.get(status, 0) + 1
            overridden += result.overridden
        else:
            unrated[result.unrated.value] += 1
    counts = {status: counts[status] for status in ruleset.in_order(counts)}
    rated = sum(counts.values())
    percentages = largest_remainder(list(counts.values()))
    return Summary(
        rated=rated,
        counts=tuple(counts.items()),
        percentages=tuple(zip(counts, percentages, strict=True)),
        unrated=tuple((reason, n) for reason, n in unrated.items() if n),
        travel=_travel_counts(results, ruleset),
        overridden=overridden
        if overridden or any(indicator.overrides for indicator in ruleset.indicators)
        else None,
    )


TRAVEL_OUTCOMES = ("improving", "worsening", "unchanged", "neutral", "not-comparable")


def _travel_counts(
    results: Iterable[Result], ruleset: RulesetData
) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    """Per comparison: how many improved, worsened, held, moved unjudged, or had no comparator."""
    names = [comparison.name for comparison in ruleset.travel.comparisons]
    counts = {name: dict.fromkeys(TRAVEL_OUTCOMES, 0) for name in names}
    for result in results:
        for move in result.travel:
            if move.judgement is not None:
                outcome = move.judgement.value
            elif move.comparable:
                outcome = "neutral"
            else:
                outcome = "not-comparable"
            counts[move.comparison.name][outcome] += 1
    return tuple((name, tuple(counts[name].items())) for name in names)


def largest_remainder(counts: Sequence[int]) -> list[int]:
    """Whole percentages of the total that add up to 100 (all zero when the total is 0).

    Each count gets the floor of its exact share; the points left over go to the largest
    remainders, ties to the earlier (better) status. 2/1/3 of 6 gives 33/17/50.
    """
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    floors = [count * 100 // total for count in counts]
    remainders = [count * 100 % total for count in counts]
    order = sorted(range(len(counts)), key=lambda i: (-remainders[i], i))
    for index in order[: 100 - sum(floors)]:
        floors[index] += 1
    return floors
