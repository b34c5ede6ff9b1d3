"""Values with effective dates: a setting that changes from a period on (a target revised
in-year, a floor standard raised, arrows redrawn), and the schedule that says which is in
force for a period."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

import attrs

from ragrules.model.periods import Calendar, Period, month_number, year_start

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Dated(Generic[T]):
    """A value that applies from a period on (or always, when `start` is None)."""

    start: Period | None
    value: T


@attrs.frozen(kw_only=True)
class Schedule(Generic[T]):
    """Values with effective dates, ordered; the latest one started by a period applies."""

    entries: tuple[Dated[T], ...]
    # Set for a target that does not carry into the next year unless restated: a dated
    # entry applies only within the year its `from` period names, in that period's own
    # calendar (`from = "2024"`: January to December 2024); a month's in this calendar.
    within_year: Calendar | None = None

    @classmethod
    def always(cls, value: T) -> Schedule[T]:
        return cls(entries=(Dated(start=None, value=value),))

    @property
    def is_dated(self) -> bool:
        return any(entry.start is not None for entry in self.entries)

    def in_force(self, period: Period | None) -> T | None:
        """The value in force for `period`; None if the schedule has not started by then, or
        (`within_year`) if the entry that started last began in an earlier year."""
        entry = self.started(period)
        if entry is None:
            return None
        if (
            self.within_year is not None
            and entry.start is not None
            and period is not None
            and not _within(period, year_start(entry.start, self.within_year))
        ):
            return None
        return entry.value

    def started(self, period: Period | None) -> Dated[T] | None:
        """The latest entry started by `period` (an undated one always has), year or not."""
        index = self.started_index(period)
        return None if index is None else self.entries[index]

    def started_index(self, period: Period | None) -> int | None:
        """The position of the latest entry started by `period`: a key for caches that
        survives pickling (an object's id does not)."""
        found = None
        for index, entry in enumerate(self.entries):
            if entry.start is None or (period is not None and entry.start.start <= period.start):
                found = index
        return found

    def values(self) -> Iterable[T]:
        return (entry.value for entry in self.entries)


def _within(period: Period, opens: tuple[int, int]) -> bool:
    """Whether `period` starts in the twelve months from `opens` (calendar year, month)."""
    first = month_number(opens)
    return first <= month_number(period.start) < first + 12
