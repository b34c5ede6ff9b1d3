"""Blocks read ahead: the next block of a file is read (and parsed by polars) on a thread of
its own while the caller rates the one before it (polars lets go of the interpreter as it
parses)."""

from __future__ import annotations

from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar, cast

T = TypeVar("T")


def read_ahead(items: Generator[T, None, None]) -> Generator[T, None, None]:
    """`items` in order, each made while the caller has the one before it.

    At most one item is made ahead, so memory holds two, never more. An error making an
    item is raised where the caller would have received it. When the caller stops early,
    the item being made is finished and dropped, and `items` is closed (its files with it).
    """
    end = object()
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="ragrules-columnar-read") as pool:
            pending = pool.submit(next, items, end)
            while (item := pending.result()) is not end:
                pending = pool.submit(next, items, end)
                yield cast(T, item)  # not `end`: one of `items`
    finally:
        items.close()  # never running here: the pool has finished every `next`
