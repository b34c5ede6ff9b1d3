"""A bounded cache of what is built from an object (a rule's cuts, an indicator), kept by
the object's identity: rows rated by one rule share what was built for it."""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """At most `size` values, the least recently used dropped first. Each is kept with its
    object, so the object's id cannot be reused while the value is; threads may share it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple[int, Hashable], tuple[object, V]] = OrderedDict()

    def get(self, owner: object, more: Hashable, build: Callable[[], V]) -> V:
        """The value for `owner` (by identity) and `more`, built on first use."""
        key = (id(owner), more)
        kept = self.items.get(key)
        if kept is not None and kept[0] is owner:
            with contextlib.suppress(KeyError):  # another thread may have dropped it
                self.items.move_to_end(key)
            return kept[1]
        value = build()
        self.items[key] = (owner, value)
        if len(self.items) > self.size:
            with contextlib.suppress(KeyError):
                self.items.popitem(last=False)
        return value
