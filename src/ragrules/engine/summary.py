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
    # Each status's share of every indicator reported, and each unrated reason's, adding up
    # to 100 together; None unless the ruleset's summary asks for them (`percentages`).
    of_all: tuple[tuple[str, int], ...] | None = None
    unrated_of_all: tuple[tuple[str, int], ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        statuses: dict[str, Any] = {
            status: {"count": count, "percent": percent}
            for (status, count), (_, percent) in zip(self.counts, self.percentages, strict=True)
        }
        for status, share in self.of_all or ():
            statuses[status]["percent_of_all"] = share
        shares = (
            {}
            if self.unrated_of_all is None
            else {"unrated_percent_of_all": dict(self.unrated_of_all)}
        )
        return {
            "rated": self.rated,
            "statuses": statuses,
            "unrated": dict(self.unrated),
            **shares,
            "travel": {name: dict(counts) for name, counts in self.travel},
            **({} if self.overridden is None else {"overridden": self.overridden}),
        }

    @property
    def reported(self) -> int:
        """How many indicators the summary counts, rated or not."""
        return self.rated + sum(count for _, count in self.unrated)


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
    unrated = {reason: n for reason, n in unrated.items() if n}
    of_all = unrated_of_all = None
    if "all" in ruleset.percentages:  # statuses and reasons together add up to 100
        shares = largest_remainder([*counts.values(), *unrated.values()])
        of_all = tuple(zip(counts, shares[: len(counts)], strict=True))
        unrated_of_all = tuple(zip(unrated, shares[len(counts) :], strict=True))
    return Summary(
        rated=rated,
        counts=tuple(counts.items()),
        percentages=tuple(zip(counts, percentages, strict=True)),
        unrated=tuple(unrated.items()),
        travel=_travel_counts(results, ruleset),
        overridden=overridden
        if overridden or any(indicator.overrides for indicator in ruleset.indicators)
        else None,
        of_all=of_all,
        unrated_of_all=unrated_of_all,
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
