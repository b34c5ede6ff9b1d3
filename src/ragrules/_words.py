"""Small helpers for writing English messages; imports nothing from ragrules."""

from __future__ import annotations

_VOWELS = frozenset("aeiouAEIOU")


def with_article(word: str) -> str:
    """The word after its indefinite article: `an amber`, `a red`, `a green`."""
    return f"{'an' if word[:1] in _VOWELS else 'a'} {word}"
