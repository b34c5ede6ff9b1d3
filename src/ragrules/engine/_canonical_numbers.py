"""Numbers as the canonical form writes them: text that the loader reads back as exactly
the number the ruleset holds, within the 60 digits and the range a ruleset may write."""

from __future__ import annotations

import decimal
from decimal import Decimal

from ragrules.model.numbers import EXACT, MAX_DIGITS, NumberError, format_decimal, parse_decimal
from ragrules.model.units import UNIT_LABELS, UnitError, convert


def number_text(value: Decimal) -> str:
    """A number as exact text the loader reads back: plain (`72.5`), or with an exponent
    (`1E+60`) where plain would write more than 60 digits (`1` and 60 zeros)."""
    if value.adjusted() < MAX_DIGITS:
        return format_decimal(value)
    return str(value.normalize(EXACT))


# Rounds a conversion to as many digits as a ruleset may write.
_WRITTEN = decimal.Context(prec=MAX_DIGITS, Emax=EXACT.Emax, Emin=EXACT.Emin)


def quantity_text(value: Decimal, unit: str) -> str:
    """An amount in the indicator's `unit` as text that loads back as exactly `value`.

    That is the number alone (`1.5`) whenever it can be: whenever the amount was written in
    this unit, or converted into it exactly. An amount whose conversion does not terminate
    (10 days in weeks: 1.428571... rounded at the 240th digit) or leaves the range a ruleset
    may write (1E+60 GBP thousand in GBP) is written in the first unit of `UNIT_LABELS` that
    gives it back exactly (`10 day`), so the text depends on the amount alone, not on how it
    was written (`240 hours` in weeks is `10 day` too).
    """
    text = number_text(value)
    if _reads_back(text, unit, value, unit):
        return text
    for other in UNIT_LABELS if unit else ():
        if other == unit:
            continue
        try:
            text = number_text(_WRITTEN.plus(convert(value, unit, other)))
        except UnitError:
            continue
        if _reads_back(text, other, value, unit):
            return f"{text} {other}"
    return number_text(value)  # more digits than any ruleset writes: not loaded from one


def _reads_back(text: str, written: str, value: Decimal, unit: str) -> bool:
    """Whether the loader reads `text` in unit `written` as `value` in `unit`."""
    try:
        return convert(parse_decimal(text), written, unit) == value
    except NumberError:
        return False
