"""Settings that change with effective dates: `[{ from = PERIOD, ... }]` entries, each in
force from the month, quarter or year its `from` names."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, TypeVar

from ragrules.formats.loading._getters import Getters, _kind
from ragrules.model.periods import Period
from ragrules.model.rules import Dated, Schedule

T = TypeVar("T")

_DATED_HINT = (
    'e.g. polarity = [{ value = "higher-is-better" }, { from = "2024/25 Q3", value = "neutral" }]'
)


class DatedReader(Getters):
    """Reads a setting given once or as dated entries, with its problems at their keys."""

    def start(
        self,
        raw: object,
        path: str,
        starting: str = "a setting comes into force",
        hint: str = 'give the first month, quarter or year it is in force, e.g. "2024/25 Q3"',
    ) -> Period | None:
        """A `from` (or a series break): the month, quarter or year something starts at. A
        year-to-date or rolling period names months that end there, not where anything
        starts: a problem, in the words of what `starting` does."""
        period = self.period(raw, path)
        if period is not None and (period.ytd or period.rolling):
            self.problem(path, f"{starting} at a month, quarter or year, not at {raw!r}", hint)
            return None
        return period

    def dated_setting(
        self, raw: object, path: str, read: Callable[[object, str], T | None]
    ) -> Schedule[T] | None:
        """A setting that changes with effective dates: `[{ from = PERIOD, value = ... }]`,
        or one value."""

        def entry(body: object, where: str) -> T | None:
            table = self.table(body, where, ("value",))
            if "value" not in table:
                self.problem(where, "each entry needs a value", _DATED_HINT)
                return None
            return read(table["value"], f"{where}.value")

        if not isinstance(raw, list):  # one value, always in force
            value = read(raw, path)
            return None if value is None else Schedule.always(value)
        if not raw:
            self.problem(path, "an empty list of dated entries", _DATED_HINT)
            return None
        schedule = self.dated(raw, path, entry, entry_is_table=True)
        return schedule if schedule is not None and schedule.entries else None

    def dated(
        self,
        raw: object,
        path: str,
        read: Callable[[object, str], object],
        *,
        entry_is_table: bool,
    ) -> Schedule[Any] | None:
        """A value, or an array of `{ from = PERIOD, ... }` entries with effective dates."""
        if not isinstance(raw, list):
            value = read(raw, path)
            return None if value is None else Schedule.always(value)
        if not raw:  # `target = []`: no entry, so nothing in force for any period
            self.problem(
                path,
                "an empty list of dated entries",
                'give them, e.g. [{ value = 30 }, { from = "2024/25 Q3", value = 35 }], '
                "or leave the key out",
            )
            return None
        entries: list[Dated[Any]] = []
        for index, item in enumerate(raw):
            where = f"{path}[{index}]"
            if not isinstance(item, dict):
                self.problem(where, f"expected a table with 'from', got {_kind(item)}")
                continue
            start = self.start(item["from"], f"{where}.from") if "from" in item else None
            if "from" in item and start is None:
                continue  # its `from` is said to be no period; it is no undated entry
            body = {key: value for key, value in item.items() if key != "from"}
            if not entry_is_table:
                unknown = [
                    key
                    for key in body
                    if key not in ("value", "lower", "upper", "benchmark", "annual", "profile")
                ]
                for key in unknown:
                    self.problem(
                        f"{where}.{key}",
                        f"unknown key {key!r}",
                        "use value, lower and upper, benchmark, or annual and profile",
                    )
                if "value" in body and len(body) > 1:
                    self.problem(
                        where,
                        "give either value, or lower and upper, or benchmark",
                        "one way of stating the target per entry",
                    )
                    continue
                body_value: object = body.get("value", body)
            else:
                body_value = body
            value = read(body_value, where)
            if value is not None:
                entries.append(Dated(start=start, value=value))
        undated = [entry for entry in entries if entry.start is None]
        if len(undated) > 1:
            self.problem(
                path,
                "more than one entry has no 'from' period",
                "date all but the first",
            )
        entries.sort(
            key=lambda entry: (
                entry.start is not None,
                entry.start.start if entry.start else (0, 0),
            )
        )
        starts = [entry.start for entry in entries if entry.start is not None]
        for before, after in itertools.pairwise(starts):
            # Sorted by the month each starts in: two that start together (`2021/22` and
            # `Apr 2021`) would be in force in the order they are written.
            if before.start == after.start:
                self.problem(
                    path,
                    f"two entries start in the same month ({before} and {after})",
                    "keep one entry per 'from' month",
                )
                break
        return Schedule(entries=tuple(entries)) if entries else None
