"""Confidence intervals and control limits as a reason shows them: short enough to read, and
never contradicting the comparison they explain.

Computed limits (Wilson's, Byar's, control limits) carry fifty digits and published ones often
thirteen; the result's `interval` keeps them exact for an auditor. A reason shows each limit
rounded outward (the lower down, the upper up) to the fewest decimal places that give the
interval's width two significant figures, and more where fewer would change how the interval
lies against what it was compared with: `31.2 to 83.2 includes 50`, never a rounded limit on
the other side of the benchmark or equal to it.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ragrules.engine.result import Interval
from ragrules.model.numbers import EXACT, format_decimal


def side(interval: Interval, against: Decimal | Interval) -> int:
    """1 when the interval lies wholly above, -1 wholly below, 0 when it meets `against`."""
    low, high = (
        (against, against) if isinstance(against, Decimal) else (against.lower, against.upper)
    )
    if interval.lower > high:
        return 1
    if interval.upper < low:
        return -1
    return 0


def limits_words(interval: Interval, against: Decimal | Interval) -> tuple[str, str]:
    """The interval's limits as a reason shows them (`31.2 to 83.2`), and those of `against`
    when it is an interval too (else its value in full): the same places for both."""
    lies = side(interval, against)
    width = EXACT.subtract(interval.upper, interval.lower)
    places = max(1, 1 - width.adjusted()) if width else 1
    while True:
        mine = _outward(interval, places)
        theirs = _outward(against, places) if isinstance(against, Interval) else against
        if side(mine, theirs) == lies or (mine == interval and theirs == against):
            return _words(mine), _words(theirs) if isinstance(theirs, Interval) else format_decimal(
                theirs
            )
        places += 1


def _outward(interval: Interval, places: int) -> Interval:
    step = Decimal(1).scaleb(-places, context=EXACT)
    return Interval(
        level=interval.level,
        lower=_rounded(interval.lower, step, places, ROUND_FLOOR),
        upper=_rounded(interval.upper, step, places, ROUND_CEILING),
    )


def _rounded(number: Decimal, step: Decimal, places: int, rounding: str) -> Decimal:
    """`number` to `places` places in the direction given; as it is when it has no more."""
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int) or -exponent <= places:
        return number
    return number.quantize(step, rounding=rounding, context=EXACT)


def _words(interval: Interval) -> str:
    return f"{format_decimal(interval.lower)} to {format_decimal(interval.upper)}"
