"""Inheritance: a ruleset that `extends` bases is merged with them before it is built.

Merging works on the parsed TOML documents, key by key, and remembers where every merged
setting came from (file and key path), so errors point at the right file and line and
`ragrules show` can say which file each setting came from. Bases are named by relative path
or by id on a search path, never by URL, and must lie inside the roots the caller allows;
chains that loop or run deeper than MAX_DEPTH are errors naming the chain of files.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from pathlib import Path
from typing import Any, overload

import attrs
import tomli

from ragrules._positions import index_positions, locate
from ragrules.errors import Problem, RulesetError
from ragrules.numbers import toml_number

MAX_DEPTH = 8

# Settings merged key by key (a child's key replaces the base's); others are replaced whole.
_KEYED = ("defaults", "scales", "exceptions", "data")


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
    """An indicator's settings as (setting, "file:line") pairs, located on first use."""

    def __init__(self, origins: Origins, wheres: tuple[tuple[str, str], ...]) -> None:
        self._origins = origins
        self._wheres = wheres  # (setting, merged key path)
        self._pairs: tuple[tuple[str, str], ...] | None = None

    def _located(self) -> tuple[tuple[str, str], ...]:
        if self._pairs is None:
            found = []
            for key, where in self._wheres:
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


@attrs.frozen(kw_only=True)
class Finder:
    """Where bases may be found, and the roots they must lie inside."""

    search_path: tuple[Path, ...] = ()
    allowed: tuple[Path, ...] = ()

    def find(self, reference: str, directory: Path) -> Path:
        if "://" in reference:
            raise LookupError("a base is named by a relative path or an id, never a URL")
        if reference.endswith(".toml") or "/" in reference or "\\" in reference:
            candidates = [directory / reference]
        else:
            candidates = [root / f"{reference}.toml" for root in self.search_path]
        for candidate in candidates:
            if candidate.is_file():
                path = candidate.resolve()
                if not any(path.is_relative_to(root.resolve()) for root in self.allowed):
                    raise LookupError(
                        f"{path} is outside the folders this load may read "
                        "(pass it as an allowed folder or on the search path)"
                    )
                return path
        where = "on the search path" if not reference.endswith(".toml") else f"in {directory}"
        raise LookupError(f"no base ruleset {reference!r} {where}")


def resolve(
    document: dict[str, Any],
    source: Source,
    directory: Path,
    finder: Finder,
    chain: tuple[str, ...] = (),
) -> tuple[dict[str, Any], Origins]:
    """Merge `document` with the bases it extends (recursively)."""
    chain = (*chain, source.name or "<text>")
    origins = Origins(source)
    head = document.get("ruleset")
    raw = head.get("extends", []) if isinstance(head, dict) else []
    references = [raw] if isinstance(raw, str) else raw
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        _fail(origins, "ruleset.extends", "expected a path or id, or a list of them", chain)
    bases = []
    for index, reference in enumerate(references):
        where = f"ruleset.extends[{index}]" if isinstance(raw, list) else "ruleset.extends"
        bases.append(_base(reference, where, origins, directory, finder, chain))
    return _merge(document, origins, bases, chain)


def _base(
    reference: str,
    where: str,
    origins: Origins,
    directory: Path,
    finder: Finder,
    chain: tuple[str, ...],
) -> tuple[dict[str, Any], Origins, bool]:
    try:
        path = finder.find(reference, directory)
    except LookupError as exc:
        problem = str(exc)
    else:
        problem = ""
    if problem:
        _fail(origins, where, problem, chain)
    if _shown(path) in chain:
        _fail(origins, where, f"extends loops back to {path}", (*chain, str(path)))
    if len(chain) > MAX_DEPTH:
        _fail(origins, where, f"extends is nested more than {MAX_DEPTH} deep", chain)
    try:
        text = path.read_text(encoding="utf-8-sig")
        document = tomli.loads(text, parse_float=toml_number)
    except (OSError, UnicodeDecodeError, RecursionError) as exc:
        raise RulesetError(
            problems=(Problem(file=str(path), message=f"cannot read this base: {exc}"),)
        ) from None
    except tomli.TOMLDecodeError as exc:
        raise RulesetError(
            problems=(
                Problem(
                    file=str(path),
                    line=exc.lineno,
                    column=exc.colno,
                    message=f"not valid TOML: {exc.msg}",
                    hint=f"extended by {' -> '.join(chain)}",
                ),
            )
        ) from None
    source = Source(_shown(path), text)
    _check_head(document, source, chain)
    merged, base_origins = resolve(document, source, path.parent, finder, chain)
    head = document.get("ruleset", {})
    catalogue = isinstance(head, dict) and head.get("catalogue") is True
    return merged, base_origins, catalogue


def _check_head(document: dict[str, Any], source: Source, chain: tuple[str, ...]) -> None:
    """A base's own [ruleset] is checked here: only the extending file's reaches the builder."""
    from ragrules.loading import _RULESET_KEYS  # the loader imports this module

    head = document.get("ruleset")
    problems = []
    origins = Origins(source)
    if not isinstance(head, dict):
        problems.append(("ruleset", "a base needs a [ruleset] table with format = 1"))
        head = {}
    version = head.get("format")
    if version != 1 or type(version) is not int:
        problems.append(
            ("ruleset.format", f"this base is in format {version!r}; ragrules reads format = 1")
        )
    problems += [
        (f"ruleset.{key}", f"unknown key {key!r} in a base's [ruleset]")
        for key in head
        if key not in _RULESET_KEYS
    ]
    if problems:
        raise RulesetError(
            problems=tuple(
                Problem(
                    file=source.name,
                    line=origins.locate(key)[1],
                    column=origins.locate(key)[2],
                    key=key,
                    message=message,
                    hint=f"extended by {' -> '.join(chain)}",
                )
                for key, message in problems
            )
        )


def _shown(path: Path) -> str:
    """A base's name in messages: relative to the current folder when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _fail(origins: Origins, path: str, message: str, chain: Sequence[str]) -> Any:
    name, line, column = origins.locate(path)
    hint = f"extends chain: {' -> '.join(chain)}" if len(chain) > 1 else None
    raise RulesetError(
        problems=(
            Problem(file=name, line=line, column=column, key=path, message=message, hint=hint),
        )
    )


def _merge(
    child: dict[str, Any],
    child_origins: Origins,
    bases: list[tuple[dict[str, Any], Origins, bool]],
    chain: tuple[str, ...],
) -> tuple[dict[str, Any], Origins]:
    if not bases and not _inherits(child):
        # Nothing to merge: the document is its own result, each path its own origin.
        return child, child_origins
    merged: dict[str, Any] = {}
    origins = Origins(child_origins.map[""][0])
    layers = [(doc, org) for doc, org, _ in bases] + [(child, child_origins)]

    # [ruleset]: the child's own identity; calendar and scale may be inherited.
    head: dict[str, Any] = {}
    for doc, org in layers:
        own = doc.get("ruleset")
        if not isinstance(own, dict):
            continue
        is_child = doc is child
        for key, value in own.items():
            # The child keeps its own identity; only calendar and scale are inherited.
            if key == "extends" or (not is_child and key not in ("calendar", "scale")):
                continue
            head[key] = value
            origins.take(org, f"ruleset.{key}", f"ruleset.{key}")
    if head or "ruleset" in child:
        merged["ruleset"] = head

    for section in (*_KEYED, "travel"):
        table: dict[str, Any] = {}
        for doc, org in layers:
            own = doc.get(section)
            if not isinstance(own, dict):
                if own is not None and doc is child:
                    table = own  # let the builder report the wrong type
                continue
            for key, value in own.items():
                if (
                    section == "travel"
                    and key in ("comparisons", "glyphs")
                    and isinstance(value, dict)
                ):
                    inner = table.setdefault(key, {})
                    for name, item in value.items():
                        inner[name] = item
                        origins.take(org, f"{section}.{key}.{name}", f"{section}.{key}.{name}")
                    continue
                table[key] = value
                origins.take(org, f"{section}.{key}", f"{section}.{key}")
        if table or section in child:
            merged[section] = table

    merged_indicators = _indicators(child, child_origins, bases, origins, chain)
    if merged_indicators is not None:
        merged["indicator"] = merged_indicators
    for key, value in child.items():
        if key not in merged and key not in ("ruleset", *_KEYED, "travel", "indicator"):
            merged[key] = value  # unknown top-level keys: the builder reports them
    return merged, origins


def _inherits(document: dict[str, Any]) -> bool:
    """True when the document uses inheritance keys that only a merge checks and removes."""
    head = document.get("ruleset")
    if isinstance(head, dict) and "extends" in head:
        return True
    listed = document.get("indicator")
    return isinstance(listed, list) and any(
        isinstance(entry, dict) and ("extends" in entry or "omit" in entry) for entry in listed
    )


def _indicators(
    child: dict[str, Any],
    child_origins: Origins,
    bases: list[tuple[dict[str, Any], Origins, bool]],
    origins: Origins,
    chain: tuple[str, ...],
) -> list[Any] | None:
    # Every base indicator by id: its table, where it came from, and whether it is included.
    pool: dict[str, tuple[dict[str, Any], Origins, str]] = {}
    included: list[str] = []
    for doc, org, catalogue in bases:
        listed = doc.get("indicator", [])
        for index, entry in enumerate(listed if isinstance(listed, list) else []):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            path = f"indicator[{index}]"
            if entry["id"] in pool:
                first = pool[entry["id"]][1].locate(pool[entry["id"]][2])
                name, line, _ = org.locate(path)
                _fail(
                    child_origins,
                    "ruleset.extends",
                    f"indicator {entry['id']!r} is defined in two bases: "
                    f"{first[0]}:{first[1]} and {name}:{line}",
                    chain,
                )
            pool[entry["id"]] = (entry, org, path)
            if not catalogue:
                included.append(entry["id"])

    entries: dict[str, tuple[dict[str, Any], list[tuple[Origins, str, tuple[str, ...]]]]] = {
        key: (dict(pool[key][0]), [(pool[key][1], pool[key][2], tuple(pool[key][0]))])
        for key in included
    }
    raw = child.get("indicator")
    if raw is None:
        if not bases:
            return None
        raw = []
    if not isinstance(raw, list):
        return raw  # type: ignore[no-any-return]  # the builder reports the wrong type
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        path = f"indicator[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            entries[f"\0{index}"] = (
                entry,
                [(child_origins, path, tuple(entry) if isinstance(entry, dict) else ())],
            )
            continue
        own = {k: v for k, v in entry.items() if k not in ("extends", "omit")}
        if "omit" in entry and not isinstance(entry["omit"], bool):
            _fail(child_origins, f"{path}.omit", "expected true or false", chain)
        if entry.get("omit") is True:
            if entry["id"] not in entries:
                _fail(
                    child_origins,
                    f"{path}.omit",
                    f"no inherited indicator {entry['id']!r} to omit",
                    chain,
                )
            del entries[entry["id"]]
            continue
        like = entry.get("extends", entry["id"])
        if not isinstance(like, str):
            _fail(child_origins, f"{path}.extends", "expected the id of a base indicator", chain)
        if like in pool:
            base_entry, base_origins, base_path = pool[like]
            inherited = {k: v for k, v in base_entry.items() if k != "id"}
            sources = [(base_origins, base_path, tuple(inherited))]
            for key in own.keys() & inherited.keys():
                name, line, _ = base_origins.locate(f"{base_path}.{key}")
                origins.overrides.setdefault(entry["id"], []).append(
                    (key, inherited[key], f"{name}:{line}")
                )
        elif "extends" in entry:
            _fail(child_origins, f"{path}.extends", f"no base defines an indicator {like!r}", chain)
        else:
            inherited, sources = {}, []
        sources.append((child_origins, path, tuple(own)))
        # A second child indicator with the same id stays separate: the builder reports it.
        slot = entry["id"] if entry["id"] not in seen else f"\0{index}"
        seen.add(entry["id"])
        entries[slot] = ({"id": entry["id"], **inherited, **own}, sources)

    result = []
    for position, (entry, sources) in enumerate(entries.values()):
        path = f"indicator[{position}]"
        for org, their_path, keys in sources:
            if org is sources[-1][0] and their_path == sources[-1][1]:
                origins.take(org, their_path, path)
            for key in keys:
                origins.take(org, f"{their_path}.{key}", f"{path}.{key}")
        result.append(entry)
    return result
