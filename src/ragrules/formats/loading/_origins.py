"""Where every merged setting came from: the file, and the key path in it.

Merging remembers origins so that errors point at the right file and line, and `ragrules show`
can say which file each setting came from; key positions are found only on first use.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import overload

from ragrules.formats.loading._positions import index_positions, locate
from ragrules.model.errors import Problem


class Source:
    """A file (or text) a merged setting came from, with the positions of its keys.

    The positions are found on first use: a ruleset that loads cleanly and is never asked
    to explain itself does not pay for scanning its text.
    """

    def __init__(self, name: str | None, text: str) -> None:
        self.name = name
        self.text = text
        self._positions: dict[str, tuple[int, int]] | None = None

    @property
    def positions(self) -> dict[str, tuple[int, int]]:
        if self._positions is None:
            self._positions = index_positions(self.text)
        return self._positions


class Origins:
    """Merged key path -> (source, key path in that source)."""

    def __init__(self, source: Source) -> None:
        self.map: dict[str, tuple[Source, str]] = {"": (source, "")}
        self._sorted: list[str] | None = None
        # Indicator id -> the base settings its extending file replaced: (key, base value,
        # "file:line" in the base). `ragrules verify` reads it.
        self.overrides: dict[str, list[tuple[str, object, str]]] = {}
        # Every base file the load read (resolved), whether or not a setting came from it.
        self.bases: tuple[Path, ...] = ()
        # Problems of the extending files' own indicators (an `extends` naming no base
        # indicator, a key an omitted indicator does not take): the indicator is left out
        # (or omitted) and the merge goes on, so that the builder reports the file's other
        # problems with them. Each problem once, however many bases reach its file.
        self.deferred: list[Problem] = []

    def resolve(self, path: str) -> tuple[Source, str]:
        """The source and original path of a merged path (through its nearest known prefix)."""
        if len(self.map) == 1:  # a file that extends nothing: every path is its own
            return self.map[""][0], path
        prefix = path
        while prefix not in self.map:
            cut = max(prefix.rfind("."), prefix.rfind("["))
            prefix = prefix[: max(cut, 0)]
        source, original = self.map[prefix]
        rest = path[len(prefix) :]
        if not original:
            rest = rest.lstrip(".")
        return source, original + rest

    def locate(self, path: str) -> tuple[str | None, int | None, int | None]:
        """(file, line, column) of a merged key path."""
        source, original = self.resolve(path)
        where = locate(source.positions, original)
        return source.name, where[0] if where else None, where[1] if where else None

    def problem(
        self,
        path: str,
        message: str,
        chain: Sequence[str],
        hint: str | None = None,
        key: str | None = None,
    ) -> Problem:
        """A problem at merged `path`, located, naming the chain of files that led to it;
        `key` is the path as its own file writes it, when that differs."""
        name, line, column = self.locate(path)
        hints = [hint] if hint else []
        if len(chain) > 1:
            hints.append(f"extends chain: {' -> '.join(chain)}")
        return Problem(
            file=name,
            line=line,
            column=column,
            key=key or path,
            message=message,
            hint="; ".join(hints) or None,
        )

    def take(self, other: Origins, their_path: str, our_path: str) -> None:
        """Record that `our_path` (and everything under it) came from `their_path` in `other`."""
        self.map[our_path] = other.resolve(their_path)
        # The keys under `their_path` are contiguous in sorted order: find them by bisection,
        # so merging a large base costs n log n, not n squared.
        keys = other.sorted_keys()
        for prefix in (f"{their_path}.", f"{their_path}["):
            index = bisect.bisect_left(keys, prefix)
            while index < len(keys) and keys[index].startswith(prefix):
                key = keys[index]
                self.map[our_path + key[len(their_path) :]] = other.map[key]
                index += 1

    def sorted_keys(self) -> list[str]:
        """The mapped paths in sorted order (recomputed when paths have been added)."""
        if self._sorted is None or len(self._sorted) != len(self.map):
            self._sorted = sorted(self.map)
        return self._sorted


class SettingOrigins(Sequence[tuple[str, str]]):
    """An indicator's settings as (setting, "file:line") pairs, located on first use.

    Where each is written (the indicator's own key or `[defaults]`) is worked out then too:
    a ruleset that is never asked to explain itself does not pay for it at load."""

    def __init__(
        self,
        origins: Origins,
        path: str,
        written: frozenset[str],
        defaults: Mapping[str, object],
        keys: Sequence[str],
    ) -> None:
        self._origins = origins
        self._path = path  # the indicator's merged key path, `indicator[3]`
        self._written = written  # the keys the indicator's own table has
        self._defaults = defaults  # `[defaults]` (a dict, not a view: a ruleset is pickled)
        self._keys = keys  # the settings to name, in order
        self._pairs: tuple[tuple[str, str], ...] | None = None

    def _located(self) -> tuple[tuple[str, str], ...]:
        if self._pairs is None:
            found = []
            for key in self._keys:
                if key in self._written:
                    where = f"{self._path}.{key}"
                elif key in self._defaults:
                    where = f"defaults.{key}"
                else:
                    continue
                file, line, _ = self._origins.locate(where)
                if file is not None and line is not None:
                    found.append((key, f"{file}:{line}"))
            self._pairs = tuple(found)
        return self._pairs

    @overload
    def __getitem__(self, index: int) -> tuple[str, str]: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[tuple[str, str], ...]: ...
    def __getitem__(self, index: int | slice) -> tuple[str, str] | tuple[tuple[str, str], ...]:
        return self._located()[index]

    def __len__(self) -> int:
        return len(self._located())

    def __repr__(self) -> str:
        return repr(self._located())
