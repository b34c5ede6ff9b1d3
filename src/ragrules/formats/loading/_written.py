"""A TOML value as a key that tells apart every way of writing it: settings written alike are
read once (`Getters.remembered`, `_alike`)."""

from __future__ import annotations

from decimal import Decimal


def written_as(raw: object) -> object:
    """A TOML value as a key that tells apart every way of writing it (`5`, `5.0`, `"5"`),
    or None for one not worth keying (an array, an out-of-range number). Text is its own key
    and a table the tuple of its items: neither equals the other, nor a number's key."""
    kind = type(raw)
    if kind is str:
        return raw
    if kind is dict:
        items = []
        for key, value in raw.items():  # type: ignore[attr-defined]
            written = written_as(value)
            if written is None:
                return None
            items.append((key, written))
        return tuple(items)
    if kind is int or kind is bool:
        return (kind, raw)
    if kind is Decimal:
        return (kind, str(raw))
    return None
