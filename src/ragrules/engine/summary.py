"""Counts per status, with percentages of rated indicators that add up to exactly 100."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ragrules.engine.result import Result
from ragrules.model.rules import RulesetData, Unrated


@attrs.frozen(kw_only=True)
class Summary:
    """Rated counts and percentages per status (best first), contextual counts apart from
    them, and unrated counts by reason."""

    rated: int
    counts: tuple[tuple[str, int], ...]
    percentages: tuple[tuple[str, int], ...]
    unrated: tuple[tuple[str, int], ...]
    travel: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()
    # How many rated statuses are an officer's override (counted under the override's
    # status); None when the ruleset allows none and the data gives none.
    overridden: int | None = None
    # Each status's share of every indicator reported, and each unrated reason's, adding up
    # to 100 together; None unless the ruleset's summary asks for them (`percentages`).
    of_all: tuple[tuple[str, int], ...] | None = None
    unrated_of_all: tuple[tuple[str, int], ...] | None = None
    # Statuses of contextual scales (where a value sits, not a rating), counted apart: never
    # in `rated` nor its percentages. None when no indicator uses a contextual scale, so a
    # summary without them is as it was.
    context: tuple[tuple[str, int], ...] | None = None
    context_of_all: tuple[tuple[str, int], ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        statuses: dict[str, Any] = {
            status: {"count": count, "percent": percent}
            for (status, count), (_, percent) in zip(self.counts, self.percentages, strict=True)
        }
        for status, share in self.of_all or ():
            statuses[status]["percent_of_all"] = share
        return {
            "rated": self.rated,
            "statuses": statuses,
            **_named("context", self.context),
            **_named("context_percent_of_all", self.context_of_all),
            "unrated": dict(self.unrated),
            **_named("unrated_percent_of_all", self.unrated_of_all),
            "travel": {name: dict(counts) for name, counts in self.travel},
            **({} if self.overridden is None else {"overridden": self.overridden}),
        }

    @property
    def reported(self) -> int:
        """How many indicators the summary counts: rated, contextual or not rated."""
        counted = (*self.unrated, *(self.context or ()))
        return self.rated + sum(count for _, count in counted)


def _named(key: str, pairs: tuple[tuple[str, int], ...] | None) -> dict[str, dict[str, int]]:
    """`{key: {name: n, ...}}`, or nothing when the summary has no such part."""
    return {} if pairs is None else {key: dict(pairs)}


def summarise(results: Iterable[Result], ruleset: RulesetData) -> Summary:
    """Count results by reported status, a contextual scale's apart from the rated ones;
    percentages use largest-remainder rounding."""
    results = tuple(results)
    # The versions the results were rated with (each period's), else the ruleset's own.
    rated_with = {result.indicator.id: result.indicator for result in results}
    versions = [rated_with.get(i.id, i) for i in ruleset.indicators]
    counts = dict.fromkeys(
        ruleset.listed_statuses(v for v in versions if not v.scale.contextual), 0
    )
    context = dict.fromkeys(ruleset.listed_statuses(v for v in versions if v.scale.contextual), 0)
    unrated = dict.fromkeys(ruleset.in_order(reason.value for reason in Unrated), 0)
    overridden = 0
    for result in results:
        if result.unrated is not None:
            unrated[result.unrated.value] += 1
        elif result.indicator.scale.contextual:
            context[result.reported_status] = context.get(result.reported_status, 0) + 1
        else:
            status = result.reported_status
            counts[status] = counts.get(status, 0) + 1
            overridden += result.overridden
    counts = {status: counts[status] for status in ruleset.in_order(counts)}
    context = {status: context[status] for status in ruleset.in_order(context)}
    unrated = {reason: n for reason, n in unrated.items() if n}
    has_context = bool(context) or _has_context(ruleset)
    shares: list[tuple[tuple[str, int], ...] | None] = [None, None, None]
    if "all" in ruleset.percentages:  # statuses, contextual ones and reasons add up to 100
        every = largest_remainder([*counts.values(), *context.values(), *unrated.values()])
        shares = [*_split(every, counts, context, unrated)]
    of_all, context_of_all, unrated_of_all = shares
    return Summary(
        rated=sum(counts.values()),
        counts=tuple(counts.items()),
        percentages=tuple(zip(counts, largest_remainder(list(counts.values())), strict=True)),
        unrated=tuple(unrated.items()),
        travel=_travel_counts(results, ruleset),
        overridden=overridden
        if overridden or any(indicator.overrides for indicator in ruleset.indicators)
        else None,
        of_all=of_all,
        unrated_of_all=unrated_of_all,
        context=tuple(context.items()) if has_context else None,
        context_of_all=context_of_all if has_context else None,
    )


def _has_context(ruleset: RulesetData) -> bool:
    """Whether an indicator of the ruleset uses a contextual scale in any period."""
    return any(
        version.scale.contextual
        for indicator in ruleset.indicators
        for version in indicator.versions
    )


def _split(shares: list[int], *parts: dict[str, int]) -> list[tuple[tuple[str, int], ...]]:
    """Shares of all, in the order of the parts' names, cut back into each part."""
    found, start = [], 0
    for part in parts:
        found.append(tuple(zip(part, shares[start : start + len(part)], strict=True)))
        start += len(part)
    return found


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
