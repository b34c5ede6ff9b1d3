"""Why a value got its band, in words: the bound it reached, or the better one it missed,
and the travel condition when a band has one."""

from __future__ import annotations

from decimal import Decimal

from ragrules.engine.rating import Cut
from ragrules.engine.travel import Movement, travel_condition, travel_missing, travel_moved
from ragrules.model.numbers import format_decimal
from ragrules.model.observations import Reading
from ragrules.model.periods import Period


def why(cuts: tuple[Cut, ...], band: int, value: Decimal, travel: tuple[Movement, ...] = ()) -> str:
    """Why a value got its band: the bound it reached, or the next better bound it missed.

    Where a travel condition decided it, the reason also says the judgement the band needed
    and what the comparison found, or that there was nothing to compare with.
    """
    cut = cuts[band]
    if cut.travel is None:
        if cut.lower is not None or cut.upper is not None:
            return f"{format_decimal(value)} meets {cut.condition()}"
        if band == 0:
            return "every value gets this status"
        better = cuts[band - 1]
        if better.travel is None:
            return f"{format_decimal(value)} does not reach {better.status} ({better.condition()})"
    return _why_travel(cuts, band, format_decimal(value), travel)


def _why_travel(cuts: tuple[Cut, ...], band: int, shown: str, travel: tuple[Movement, ...]) -> str:
    """`why` where the band reached, or the better band missed, has a travel condition."""

    def condition(cut: Cut) -> str:
        if cut.travel is None:
            return cut.condition()
        wanted = travel_condition(cut.travel, travel)
        if cut.lower is None and cut.upper is None:
            return wanted
        return f"{cut.condition()} and {wanted}"

    cut = cuts[band]
    if cut.travel is not None:
        moved = travel_moved(cut.travel, travel)
        if cut.lower is not None or cut.upper is not None:
            return f"{shown} meets {cut.condition()} and is {moved}"
        if band == 0:
            return f"{shown} is {moved}"
        better = cuts[band - 1]
        if better.status == cut.status:
            return f"{shown} does not meet {condition(better)} but is {moved}"
        return f"{shown} does not reach {better.status} ({condition(better)}) but is {moved}"
    # A catch-all band below a band with a travel condition.
    better = cuts[band - 1]
    assert better.travel is not None
    text = f"{shown} does not reach {better.status} ({condition(better)})"
    missing = travel_missing(better.travel, travel)
    if missing:
        return f"{text}; {missing}"
    judgement = next(
        (m.judgement for m in travel if m.comparison.name == better.travel.comparison), None
    )
    if judgement is not None and judgement not in better.travel.judgements:
        return f"{text}: it is {judgement.value}"
    return text


def no_earlier_value(reading: Reading, period: Period | None) -> str:
    where = f"for {period}" if period else "in the benchmark"
    return f"no comparable value {where} ({reading.reason})"
