"""Rates computed from counts, and the small numbers below which a row is not rated."""

from __future__ import annotations

from decimal import Decimal

import attrs


@attrs.frozen(kw_only=True)
class RateRule:
    """The indicator's value is the data's numerator over its denominator, times `per`
    (100 for a percentage, 100,000 for a rate per 100,000)."""

    per: Decimal = Decimal(1)


@attrs.frozen(kw_only=True)
class Minimum:
    """Below these a row is suppressed (not rated), with the reason: a numerator or
    denominator (for a rate), or a value (a count of fewer than 5, say)."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
