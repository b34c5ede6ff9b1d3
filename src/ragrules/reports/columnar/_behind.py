"""Writes done behind the caller: polars serialises one block's lines to the file while the
columnar writer rates the next (polars lets go of the interpreter as it writes)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor


class WritesBehind:
    """Runs writes one at a time, in the order given, on a thread of their own.

    At most one write is outstanding, so memory holds the block being written and the one
    being rated, never more. A write's error is raised where the next write is handed over,
    or by `finish`, which every user calls before anything else writes to the same file.
    """

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None

    def submit(self, write: Callable[[], None]) -> None:
        """Start `write` once the write before it has ended."""
        self.wait()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="ragrules-columnar-write")
        self._pending = self._pool.submit(write)

    def wait(self) -> None:
        """Return when the outstanding write (if any) has ended; raise what it raised."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def finish(self) -> None:
        """Wait for the last write and let the thread go."""
        try:
            self.wait()
        finally:
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None
