"""Blocks read ahead: the next block of a file is read (and parsed by polars) on a thread of
its own while the caller rates the one before it (polars lets go of the interpreter as it
parses)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar, cast

T = TypeVar("T")


def read_ahead(items: Generator[T, None, None]) -> Generator[T, None, None]:
    """`items` in order, each made while the caller has the one before it.

    At most one item is made ahead, so memory holds two, never more. An error making an
    item is raised where the caller would have received it. When the caller stops early,
    the item being made is finished and dropped, and `items` is closed (its files with it).
    Where no thread can be started (the interpreter is shutting down: an `atexit` hook, a
    thread still working after the main one returned), the rest is made in the caller's.
    """
    end = object()
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="ragrules-columnar-read") as pool:
            pending = _started(pool, items, end)
            while pending is not None:
                item = pending.result()
                if item is end:
                    return
                pending = _started(pool, items, end)
                yield cast(T, item)  # not `end`: one of `items`
            yield from items
    finally:
        items.close()  # never running here: the pool has finished every `next`


def _started(pool: ThreadPoolExecutor, items: Iterator[T], end: object) -> Future[object] | None:
    """The next item, being made on the pool's thread; None when no thread can be had."""
    try:
        return pool.submit(next, items, end)
    except RuntimeError:  # "cannot schedule new futures after (interpreter) shutdown"
        return None
