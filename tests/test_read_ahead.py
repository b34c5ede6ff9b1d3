"""Blocks read ahead (`_ahead.read_ahead`): in order, one ahead at most, errors where they
belong, and the source closed when the caller stops early."""

from __future__ import annotations

import threading
from collections.abc import Generator

import pytest

pytest.importorskip("polars")

from ragrules.reports.columnar._ahead import read_ahead


def _counted(made: list[int], count: int) -> Generator[int, None, None]:
    for item in range(count):
        made.append(item)
        yield item


def test_items_come_in_order_and_all_of_them() -> None:
    assert list(read_ahead(_counted([], 50))) == list(range(50))
    assert list(read_ahead(_counted([], 0))) == []


def test_at_most_one_item_is_made_ahead() -> None:
    made: list[int] = []
    ahead = read_ahead(_counted(made, 10))
    for item in ahead:
        # The caller holds `item`; the next may be made meanwhile, never the one after.
        assert len(made) <= item + 2
    assert made == list(range(10))


def test_items_are_made_on_another_thread() -> None:
    def names() -> Generator[str, None, None]:
        yield threading.current_thread().name

    (name,) = read_ahead(names())
    assert name != threading.current_thread().name
    assert name.startswith("ragrules-columnar-read")


def test_an_error_is_raised_where_its_item_would_have_come() -> None:
    def failing() -> Generator[int, None, None]:
        yield 1
        yield 2
        raise OSError("disk gone")

    ahead = read_ahead(failing())
    assert [next(ahead), next(ahead)] == [1, 2]  # every item before the error is given
    with pytest.raises(OSError, match="disk gone"):
        next(ahead)


def test_stopping_early_closes_the_source() -> None:
    closed = threading.Event()
    made: list[int] = []

    def source() -> Generator[int, None, None]:
        try:
            for item in range(100):
                made.append(item)
                yield item
        finally:
            closed.set()

    ahead = read_ahead(source())
    assert next(ahead) == 0
    ahead.close()
    assert closed.is_set()  # the file a source holds is closed with it
    assert len(made) <= 2  # the item being made was finished, none after it
    assert threading.active_count() == 1 or all(
        not thread.name.startswith("ragrules-columnar-read") for thread in threading.enumerate()
    )


@pytest.mark.parametrize("refused_from", [1, 3])
def test_with_no_thread_to_be_had_the_rest_is_made_here(
    monkeypatch: pytest.MonkeyPatch, refused_from: int
) -> None:
    """At interpreter shutdown (an atexit hook, a thread still working after the main one
    returned) no thread can be started: every item still comes, in order."""
    from concurrent.futures import ThreadPoolExecutor

    submit = ThreadPoolExecutor.submit
    calls = []

    def refusing(self: ThreadPoolExecutor, *args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) >= refused_from:
            raise RuntimeError("cannot schedule new futures after interpreter shutdown")
        return submit(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ThreadPoolExecutor, "submit", refusing)
    assert list(read_ahead(_counted([], 10))) == list(range(10))
    assert len(calls) == refused_from  # refused once, then made here
