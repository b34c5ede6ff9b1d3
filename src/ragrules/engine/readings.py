"""Other readings of a ruleset that published reports are known to use: a tolerance read as
relative where it is absolute (or the reverse), a value on a boundary given to the worse
band, values rounded before rating. `ragrules audit` tries them to explain a published status
that differs; a result is *fragile* when one of them would change its status."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

import attrs

from ragrules.engine import rating, travel
from ragrules.engine._kept import Kept
from ragrules.engine._targets import rounded
from ragrules.engine.rating import CannotRate, RuleInputs
from ragrules.engine.travel import Movement
from ragrules.model.numbers import EXACT, RoundingMode, in_exact_context
from ragrules.model.periods import Period
from ragrules.model.rules import (
    Basis,
    Boundary,
    Indicator,
    Judgement,
    Margin,
    Rounding,
    Scale,
    Schedule,
    Target,
)


@attrs.frozen(kw_only=True)
class Reading:
    """A way of reading an indicator's rules that differs from what the ruleset says."""

    name: str
    change: Callable[[Indicator], Indicator]


def _swap_tolerance(to: Basis) -> Callable[[Indicator], Indicator]:
    """Relative r <-> r x 100 in the unit ("5%" read as 5% of the target, or as 5 points)."""

    def change(indicator: Indicator) -> Indicator:
        if indicator.tolerance is None:
            return indicator
        entries = tuple(
            attrs.evolve(entry, value=_swapped(entry.value, to))
            for entry in indicator.tolerance.entries
        )
        return attrs.evolve(indicator, tolerance=Schedule(entries=entries))

    return change


def _swapped(margin: Margin, to: Basis) -> Margin:
    above = None if margin.above is None else _swapped(margin.above, to)
    if margin.basis is to:
        return attrs.evolve(margin, above=above)
    amount = margin.amount.scaleb(2 if to is Basis.ABSOLUTE else -2, EXACT)
    return Margin(basis=to, amount=amount, above=above)


def _worse_boundaries(indicator: Indicator) -> Indicator:
    """Every scale the indicator can use (each dated one too) with its bands' boundaries
    given to the worse band."""
    dated = indicator.dated_scale
    if dated is not None:
        entries = tuple(attrs.evolve(e, value=_worse_scale(e.value)) for e in dated.entries)
        dated = attrs.evolve(dated, entries=entries)
    return attrs.evolve(indicator, scale=_worse_scale(indicator.scale), dated_scale=dated)


def _worse_scale(scale: Scale) -> Scale:
    bands = tuple(attrs.evolve(band, boundary=Boundary.WORSE) for band in scale.bands)
    return attrs.evolve(scale, bands=bands)


def _rounded(places: int) -> Callable[[Indicator], Indicator]:
    def change(indicator: Indicator) -> Indicator:
        rounding = Rounding(places=places, mode=RoundingMode.HALF_UP)
        return indicator if indicator.rounding else attrs.evolve(indicator, rounding=rounding)

    return change


READINGS: tuple[Reading, ...] = (
    Reading(
        name="tolerance read as a percentage of the target (relative)",
        change=_swap_tolerance(Basis.RELATIVE),
    ),
    Reading(
        name="tolerance read as points in the indicator's unit (absolute)",
        change=_swap_tolerance(Basis.ABSOLUTE),
    ),
    Reading(name="values on a boundary go to the worse band", change=_worse_boundaries),
    Reading(name="values rounded to whole numbers before rating", change=_rounded(0)),
    Reading(name="values rounded to 1 decimal place before rating", change=_rounded(1)),
)


@in_exact_context  # results are read outside the engine: the caller's context never counts
def fragile(
    indicator: Indicator,
    unrounded: Decimal,
    target: Target | None,
    period: Period | None,
    status: str,
    movements: Sequence[Movement] = (),
) -> tuple[str, ...]:
    """The readings under which the value would get another status than `status`. The
    movements' judgements are judged again under each reading (a value rounded otherwise
    may no longer have improved), for bands that depend on travel."""
    rules = reading_rules(indicator, target, period)
    return fragile_under(rules, unrounded, status, movements, target)


def fragile_under(
    rules: ReadingRules,
    unrounded: Decimal,
    status: str,
    movements: Sequence[Movement] = (),
    target: Target | None = None,
) -> tuple[str, ...]:
    """`fragile` with the rule's readings already found (`reading_rules`: a writer that
    renders many values of one rule keeps them), in the library's context; `target` is the
    rule's, which travel judgements read (only `movements` need it)."""
    found = []
    for name, other, cuts, travelled in rules:
        value = rounded(other, unrounded)
        judgements = _judgements(other, value, movements, target) if travelled else None
        try:
            band = rating.band_for(cuts, value, judgements)
        except CannotRate:
            continue
        if cuts[band].status != status:
            found.append(name)
    return tuple(found)


def _judgements(
    indicator: Indicator, value: Decimal, movements: Sequence[Movement], target: Target | None
) -> dict[str, Judgement | None]:
    """Each movement's judgement with the value and its earlier one read as `indicator`
    (its rounding) reads them; a movement without an earlier value keeps its own."""
    found: dict[str, Judgement | None] = {}
    for move in movements:
        if move.earlier is None or not move.comparable:
            found[move.comparison.name] = move.judgement
            continue
        earlier = rounded(indicator, move.earlier)
        margin = indicator.unchanged_within
        moved = travel.direction(value, earlier, margin)
        found[move.comparison.name] = travel.judge(
            moved, indicator.polarity, value, earlier, margin, target
        )
    return found


# Each reading's name, indicator, cuts and whether its bands read travel.
ReadingRules = tuple[tuple[str, Indicator, tuple[rating.Cut, ...], bool], ...]
_RULES: Kept[ReadingRules] = Kept(1024)  # rules at once (a target from the data: one per row)


def reading_rules(
    indicator: Indicator, target: Target | None, period: Period | None
) -> ReadingRules:
    """Each reading's indicator and cuts for this rule, kept: rows rated by one rule share
    them, so a row costs a band lookup per reading, not a compilation."""
    tolerance = indicator.tolerance.in_force(period) if indicator.tolerance else None
    stretch = indicator.stretch.in_force(period) if indicator.stretch else None
    more = (target, tolerance, stretch)  # what the readings' margins are made from
    return _RULES.get(indicator, more, lambda: _compiled(indicator, target, period))


@in_exact_context
def _compiled(indicator: Indicator, target: Target | None, period: Period | None) -> ReadingRules:
    """Each reading's indicator and its cuts (a reading that cannot rate is left out)."""
    found = []
    for reading in READINGS:
        other = reading.change(indicator)
        if other is indicator:
            continue
        inputs = RuleInputs(
            indicator=other,
            target=target,
            tolerance=other.tolerance.in_force(period) if other.tolerance else None,
            stretch=other.stretch.in_force(period) if other.stretch else None,
        )
        try:
            cuts = rating.compile_cuts(inputs)
        except CannotRate:
            continue
        found.append((reading.name, other, cuts, any(cut.travel is not None for cut in cuts)))
    return tuple(found)
