"""Keys a stream's history has dropped, remembered in little memory: by a digest of each."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Hashable


class Forgotten:
    """The most recent `size` keys dropped, oldest forgotten first, each kept as an 8-byte
    digest of its text (`repr`) rather than as the key's own objects: about 80 bytes a key
    instead of about 340, so remembering 65,536 keys holds about 5 MB, not 17.

    The digest is the same in every process (not Python's salted `hash`), so the same file
    gives the same answers. Two keys share a digest with a chance of about one in 2^64 per
    key remembered; only a reason's wording turns on the answer, never a status."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.order: deque[bytes] = deque()
        self.digests: set[bytes] = set()

    def add(self, key: Hashable) -> None:
        """`key` remembered as dropped (a key remembered already keeps its place)."""
        digest = _digest(key)
        if digest in self.digests:
            return
        self.digests.add(digest)
        self.order.append(digest)
        if len(self.order) > self.size:
            self.digests.discard(self.order.popleft())

    def __contains__(self, key: Hashable) -> bool:
        return _digest(key) in self.digests

    def __len__(self) -> int:
        return len(self.order)


def _digest(key: Hashable) -> bytes:
    return hashlib.blake2b(repr(key).encode("utf-8", "surrogatepass"), digest_size=8).digest()
