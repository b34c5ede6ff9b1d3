"""Indicator units: names as councils write them, and exact conversion factors between them.

Unit names are normalised here without pint. Conversion factors come from a private, minimal
pint registry with Decimal magnitudes (`_registry`), built on first use and cached per pair,
so `import ragrules` never imports pint and the rating loop never touches it.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from ragrules.model import _registry
from ragrules.model.errors import close_matches
from ragrules.model.numbers import EXACT

# Canonical unit names, each a pint unit in `_registry`, with how a key and explanation
# print them.
UNIT_LABELS: dict[str, str] = {
    "percent": "%",
    "count": "",
    "per_1000": "per 1,000",
    "per_10000": "per 10,000",
    "per_100000": "per 100,000",
    "day": "days",
    "week": "weeks",
    "hour": "hours",
    "working_day": "working days",
    "GBP": "GBP",
    "thousand_GBP": "GBP thousand",
    "million_GBP": "GBP million",
    "number": "",
}

_ALIASES: dict[str, str] = {
    "%": "percent",
    "percent": "percent",
    "per cent": "percent",
    "percentage": "percent",
    "percentage point": "percent",
    "percentage points": "percent",
    "pp": "percent",
    "points": "percent",
    "count": "count",
    "counts": "count",
    "number": "number",
    "no.": "count",
    "children": "count",
    "child": "count",
    "people": "count",
    "persons": "count",
    "cases": "count",
    "carers": "count",
    "day": "day",
    "days": "day",
    "calendar day": "day",
    "calendar days": "day",
    "week": "week",
    "weeks": "week",
    "wk": "week",
    "wks": "week",
    "hour": "hour",
    "hours": "hour",
    "hrs": "hour",
    "working day": "working_day",
    "working days": "working_day",
    "working_day": "working_day",
    "gbp": "GBP",
    "£": "GBP",
    "pounds": "GBP",
    "gbp k": "thousand_GBP",
    "gbp thousand": "thousand_GBP",
    "£k": "thousand_GBP",
    "gbp m": "million_GBP",
    "gbp million": "million_GBP",
    "£m": "million_GBP",
    "thousand_gbp": "thousand_GBP",
    "million_gbp": "million_GBP",
    "per_1000": "per_1000",
    "per_10000": "per_10000",
    "per_100000": "per_100000",
    "ratio": "number",
    "index": "number",
    "score": "number",
    "number (no unit)": "number",
}

_RATE = re.compile(r"^(?:rate\s+)?per\s+(1000|10000|100000)(?:\s+[a-z][a-z\s\-]*)?$")


class UnitError(ValueError):
    """A unit name is unknown or two units cannot be converted; callers add the location."""


@functools.lru_cache(maxsize=1024)
def canonical_unit(text: str) -> str:
    """Return the canonical name of a unit as a council writes it (`%`, `weeks`, `per 10,000`)."""
    key = " ".join(text.strip().lower().replace(",", "").split())
    if key in _ALIASES:
        return _ALIASES[key]
    rate = _RATE.match(key)
    if rate:
        return f"per_{rate[1]}"
    close = close_matches(key, [*list(_ALIASES), "per 10,000"])
    hint = f"did you mean {close[0]!r}?" if close else "see the list of units in docs"
    raise UnitError(f"unknown unit {text!r}; {hint}")


def convert(number: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Express `number` in `from_unit` in `to_unit` (canonical names), exactly if it terminates."""
    if from_unit == to_unit:
        return number
    multiply, divide = _ratio(from_unit, to_unit)
    return EXACT.divide(EXACT.multiply(number, multiply), divide)


def check_convertible(from_unit: str, to_unit: str) -> None:
    """Raise UnitError unless quantities in `from_unit` can be expressed in `to_unit`."""
    if from_unit != to_unit:
        _ratio(from_unit, to_unit)


@functools.lru_cache(maxsize=256)
def _ratio(from_unit: str, to_unit: str) -> tuple[Decimal, Decimal]:
    # Computed once per pair of units; `_registry` imports pint only here, on first need.
    try:
        return _registry.factor(from_unit, to_unit)
    except ValueError as exc:
        raise UnitError(str(exc)) from None


def label(unit: str) -> str:
    """How a unit is printed after a number in keys and explanations."""
    return UNIT_LABELS.get(unit, unit)


def amount_text(number: str, unit: str) -> str:
    """An absolute amount in a unit, unambiguous for percentages: `5 percentage points`."""
    if unit == "percent":
        return f"{number} percentage point{'' if number == '1' else 's'}"
    return with_unit(number, unit)


def with_unit(number: str, unit: str) -> str:
    """Print a number with its unit the way a report would: `72%`, `26 weeks`, `84.9 per 10,000`."""
    text = label(unit)
    if not text:
        return number
    if text == "%":
        return f"{number}%"
    return f"{number} {text}"
