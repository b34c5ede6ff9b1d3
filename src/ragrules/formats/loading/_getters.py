"""The loader's typed getters: raw TOML in, typed values out, every problem collected."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from ragrules.formats.loading._alike import Alike
from ragrules.formats.loading._keys import (
    _KEPT_PROBLEMS,
    MAX_PROBLEMS,
    MAX_UNKNOWN_KEYS,
)
from ragrules.formats.loading._origins import Origins
from ragrules.formats.loading._written import written_as
from ragrules.model.errors import Problem, Severity, close_matches
from ragrules.model.numbers import (
    MAX_EXPONENT,
    NumberError,
    OutOfRange,
    split_value,
    to_decimal,
)
from ragrules.model.periods import Calendar, Period, PeriodError, parse_period
from ragrules.model.rules import Unrated
from ragrules.model.units import UnitError, canonical_unit, convert, label

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")


# Lists of allowed keys as sets, for `table`: the most recently used short lists are kept
# (the loader's own, used for every indicator); a long one, such as a document's own names
# for its table of profiles, is made each time and not kept.
_KEPT_KEYS = 64


@functools.lru_cache(maxsize=64)
def _key_set(allowed: tuple[str, ...]) -> frozenset[str]:
    return frozenset(allowed)


class Getters:
    """Typed getters over raw TOML that record every problem with its key path.

    Every section reader builds on these; they share one error collector.
    """

    def __init__(self, source: str | None, origins: Origins) -> None:
        self.source = source
        self.origins = origins
        self.catalogue = False
        self.problems: list[Problem] = []
        self.count = 0  # every problem reported, kept or not: "did this part add any?"
        # Problems past _KEPT_PROBLEMS are only counted (repeats once, as dict.fromkeys in
        # build does), by hash: 400,000 of them would otherwise hold hundreds of MB.
        self.dropped: set[int] = set()
        self.dropped_error = False
        self.calendar = Calendar.FINANCIAL
        self.profiles: dict[str, tuple[Decimal, ...]] = {}  # [profiles], by name
        # Shapes of rule (`_checks._shape`) whose bands were all found reachable, with the
        # scale each names by id (kept alive, so that the id is not reused within a load).
        self.reachable: dict[tuple[object, ...], object] = {}
        # Whether a scale, polarity and margins have such a shape, with the scale kept alive.
        self.shaped: dict[tuple[object, ...], tuple[object, bool]] = {}
        # What scales need of indicators (`_checks.check_scale_fits`), found present.
        self.fitting: dict[tuple[object, ...], object] = {}
        # Settings read without a problem, by how they are written (`remembered`).
        self.read_before: dict[tuple[object, ...], object] = {}
        # Indicators' shared settings, by how they are written (`_alike`), and the signs of
        # point targets whose checks passed for indicators written alike.
        self.alike: dict[tuple[object, ...], Alike] = {}
        self.alike_checked: set[tuple[object, ...]] = set()

    def remembered(self, how: tuple[object, ...], raw: object, read: Callable[[], T]) -> T:
        """`read()` of `raw`, kept for a setting written the same way and read the same `how`
        (what, in which unit): a tolerance or unit that every indicator repeats is read once.
        A read that reports a problem or warning is not kept: each place reports its own."""
        written = written_as(raw)
        if written is None:
            return read()
        key = (*how, written)
        if key in self.read_before:
            return self.read_before[key]  # type: ignore[return-value]
        before = self.count
        value = read()
        if self.count == before:
            self.read_before[key] = value
        return value

    def problem(
        self, path: str, message: str, hint: str | None = None, *, warning: bool = False
    ) -> None:
        self.count += 1
        severity = Severity.WARNING if warning else Severity.ERROR
        if len(self.problems) >= _KEPT_PROBLEMS:  # only counted: never shown (see build)
            self.dropped.add(hash((path, message, hint, severity)))
            self.dropped_error = self.dropped_error or not warning
            return
        file, line, column = self.origins.locate(path)
        # Name the key as it is written in that file, not by its place in the merged ruleset.
        original = self.origins.resolve(path)[1] if path else path
        self.problems.append(
            Problem(
                file=file,
                line=line,
                column=column,
                key=original or path or None,
                message=message,
                hint=hint,
                severity=severity,
            )
        )

    def table(self, raw: object, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.problem(path, f"expected a table, got {_kind(raw)}")
            return {}
        known = _key_set(allowed) if len(allowed) <= _KEPT_KEYS else frozenset(allowed)
        if known.issuperset(raw):
            return dict(raw)  # the common case: every key allowed
        unknown = [key for key in raw if key not in known]
        for key in unknown[:MAX_UNKNOWN_KEYS]:  # did-you-mean only for those reported
            close = close_matches(key, allowed) if self.count < MAX_PROBLEMS else []
            hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
            self.problem(_key(path, key), f"unknown key {key!r}", hint)
        if len(unknown) > MAX_UNKNOWN_KEYS:
            more = len(unknown) - MAX_UNKNOWN_KEYS
            self.problem(path, f"and {more:,} more unknown keys", f"allowed: {', '.join(allowed)}")
        return {key: value for key, value in raw.items() if key in known}

    def string(self, raw: object, path: str) -> str | None:
        if isinstance(raw, str) and not isinstance(raw, OutOfRange):
            return raw
        self.problem(path, f"expected a string, got {_kind(raw)}")
        return None

    def choice(self, raw: object, path: str, kind: type[E]) -> E | None:
        text = self.string(raw, path)
        if text is None:
            return None
        try:
            return kind(text)
        except ValueError:
            names = [member.value for member in kind]
            close = close_matches(text, names, cutoff=0.4)
            hint = f"did you mean {close[0]!r}?" if close else f"one of: {', '.join(names)}"
            what = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
            self.problem(path, f"{text!r} is not a valid {what}", hint)
            return None

    def quantity(self, raw: object, path: str, unit: str) -> Decimal | None:
        """A number in `unit`: a TOML number, or text with an optional unit (`26 weeks`)."""
        if isinstance(raw, OutOfRange):  # a TOML number too large to read or print
            self.problem(path, f"{raw[:20]} is out of range (at most 10^{MAX_EXPONENT})")
            return None
        if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
            try:
                return to_decimal(raw)
            except NumberError as exc:
                self.problem(path, str(exc))
                return None
        if not isinstance(raw, str):
            self.problem(path, f"expected a number, got {_kind(raw)}", 'e.g. 30 or "26 weeks"')
            return None
        try:
            parts = split_value(raw)
        except NumberError as exc:
            self.problem(path, str(exc))
            return None
        if parts is None or parts[2]:
            self.problem(path, f"{raw!r} is not a number", 'write e.g. "72%", "26 weeks" or 30')
            return None
        number, written, _ = parts
        if not written:
            return number
        try:
            return convert(number, canonical_unit(written), unit)
        except UnitError as exc:
            if any(character.isdigit() for character in written):  # `10-20`, `10 to 20`
                self.problem(
                    path,
                    f"{raw!r} is not one number",
                    'write one amount, e.g. 30 or "26 weeks"; a target range is '
                    '{ lower = 10, upper = 20 } with polarity = "in-range"',
                )
                return None
            self.problem(
                path,
                f"{raw!r} cannot be expressed in the indicator's unit {label(unit) or unit!r}",
                str(exc),
            )
            return None

    def period(self, raw: object, path: str) -> Period | None:
        text = self.string(raw, path)
        if text is None:
            return None
        try:
            return parse_period(text, self.calendar)
        except PeriodError as exc:
            self.problem(path, str(exc))
            return None

    def statuses(self, raw: object, path: str, known: list[str]) -> tuple[str, ...]:
        """A list of scale statuses; unrated reasons such as `neutral` are never selectable."""
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self.problem(
                path, f"expected a list of statuses, got {_kind(raw)}", 'e.g. ["red", "amber"]'
            )
            return ()
        for index, status in enumerate(raw):
            if status in known:
                continue
            if status in {reason.value for reason in Unrated}:
                hint = (
                    "only statuses of a scale can be listed; neutral indicators are never "
                    "rated, and caveats have their own section"
                )
            else:
                close = close_matches(status, known)
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"statuses: {', '.join(dict.fromkeys(known))}"
                )
            self.problem(
                f"{path}[{index}]", f"{status!r} is not a status of the ruleset's scales", hint
            )
        return tuple(status for status in raw if status in known)

    def blank_group(self, body: dict[str, object], path: str) -> bool:
        """Whether a table's `group` is written blank (`group = ""`), which would silently
        mean every area, as no `group` at all does: a problem at its key if so."""
        given = body.get("group")
        if isinstance(given, str) and not given.strip():
            self.problem(
                f"{path}.group",
                "the group is empty",
                "name a [groups] entry, or leave group out to take every area",
            )
            return True
        return False

    def needs(self, path: str, message: str, hint: str) -> None:
        """A setting the scale needs is missing: an error, except in a catalogue.

        A catalogue defines indicators for councils to extend; the council sets the margins.
        """
        if not self.catalogue:
            self.problem(path, message, hint)


def _names(raw: object) -> list[str]:
    """The keys of a table, or none when it is not one (the table getter reports that)."""
    return list(raw) if isinstance(raw, dict) else []


def _kind(raw: object) -> str:
    if isinstance(raw, OutOfRange):
        return f"the number {raw[:20]}..., out of range"
    if isinstance(raw, bool):
        return "a boolean"
    if isinstance(raw, (int, Decimal)):
        return f"the number {raw}"
    if isinstance(raw, str):
        return f"the string {raw!r}"
    if isinstance(raw, list):
        return "an array"
    if isinstance(raw, dict):
        return "a table"
    return type(raw).__name__


def _key(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _shown(text: str, unit: str) -> str:
    try:
        parts = split_value(text)
    except NumberError:
        return text
    if parts is not None and not parts[1]:
        label_text = label(unit)
        return f"{text}{label_text}" if label_text == "%" else f"{text} {label_text}".strip()
    return text
