"""Targets: a value or a range, and an annual target profiled over its year.

Value objects only, like `rules` (which re-exports every name here).
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from ragrules.model.numbers import format_decimal, given_number
from ragrules.model.periods import Calendar


def _exact(raw: object) -> Decimal:
    return given_number(raw, "a target")


@attrs.frozen(kw_only=True, cache_hash=True)
class Target:
    """A target value, or a range `lower`..`upper` for in-range indicators."""

    lower: Decimal = attrs.field(converter=_exact)
    upper: Decimal = attrs.field(converter=_exact)

    @classmethod
    def point(cls, value: Decimal | int | float | str) -> Target:
        """A single-valued target (a number read exactly: see `_exact`)."""
        return cls(lower=value, upper=value)

    @property
    def is_point(self) -> bool:
        return self.lower == self.upper

    @property
    def value(self) -> Decimal:
        """The target of a higher- or lower-is-better indicator."""
        return self.lower

    def __str__(self) -> str:
        """The target as printed: `72.5`, or `10-20` for a range."""
        if self.is_point:
            return format_decimal(self.lower)
        return f"{format_decimal(self.lower)}-{format_decimal(self.upper)}"


@attrs.frozen(kw_only=True)
class ProfiledTarget:
    """An annual target profiled over its year: `shares` of it per quarter (4) or month (12),
    from the year's first, adding up to 1; empty for pro rata (equal shares). A period's
    target is its share; a year-to-date value's, the shares so far; a year's or a rolling
    twelve months', the annual target. `calendar` says where the year starts for months."""

    annual: Decimal
    shares: tuple[Decimal, ...] = ()
    calendar: Calendar = Calendar.FINANCIAL
    name: str = attrs.field(default="", eq=False)  # a named profile's name, for people

    def __str__(self) -> str:
        profile = self.name or ("pro rata" if not self.shares else "profiled")
        return f"{format_decimal(self.annual)} a year, {profile}"
