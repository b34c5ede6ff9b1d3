"""Inheritance: a ruleset that `extends` bases is merged with them before it is built.

Merging works on the parsed TOML documents, key by key, and remembers where every merged
setting came from (file and key path), so errors point at the right file and line and
`ragrules show` can say which file each setting came from. Bases are named by relative path
or by id on a search path, never by URL, and must lie inside the load's roots (see
`Finder.for_load`); chains that loop or run deeper than MAX_DEPTH are errors naming the chain
of files. A load reads and merges each base once, however often it is extended, and reads at
most MAX_FILES files and the loader's character limit in all, so a shared ruleset cannot make
a load slow or large.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import attrs

from ragrules.formats._reading import TooLarge, read_text_capped
from ragrules.formats.loading._keys import _RULESET_KEYS, MAX_UNKNOWN_KEYS
from ragrules.formats.loading._origins import Origins, Source
from ragrules.formats.loading._parsing import Unparsable, parse
from ragrules.formats.loading._roots import Finder, Refused
from ragrules.model.errors import Problem, RulesetError

MAX_DEPTH = 8


# Files one load reads: the ruleset and its distinct bases. Each is read once however many
# times it is extended, so a chain that names the same base ten times per level stays linear.
MAX_FILES = 64


# Settings merged key by key (a child's key replaces the base's); others are replaced whole.
# A base's comparator groups and benchmarks are shared with the rulesets that extend it.
_KEYED = ("defaults", "scales", "exceptions", "data", "groups", "benchmarks")


@attrs.frozen
class _Resolved:
    """A base merged with its own bases, kept so a load reads and merges each file once."""

    document: dict[str, Any]
    origins: Origins
    catalogue: bool
    height: int  # levels of bases below it (0: it extends nothing)


class Reads:
    """What one load has read: each base once, at most MAX_FILES files and `limit` characters
    in all (the ruleset's own `used` included)."""

    def __init__(self, limit: int, used: int) -> None:
        self.limit = limit
        self.characters = limit - used  # left for bases
        self.files = 1
        self.done: dict[Path, _Resolved] = {}


def resolve(
    document: dict[str, Any],
    source: Source,
    directory: Path,
    finder: Finder,
    reads: Reads,
) -> tuple[dict[str, Any], Origins]:
    """Merge `document` with the bases it extends (recursively)."""
    merged, origins, _ = _resolve(document, source, directory, finder, (), reads)
    origins.bases = tuple(reads.done)
    return merged, origins


def _resolve(
    document: dict[str, Any],
    source: Source,
    directory: Path,
    finder: Finder,
    chain: tuple[str, ...],
    reads: Reads,
) -> tuple[dict[str, Any], Origins, int]:
    """The merged document, its origins, and how many levels of bases lie below it."""
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
        bases.append(_base(reference, where, origins, directory, finder, chain, reads))
    layers = [(base.document, base.origins, base.catalogue) for base in bases]
    merged, merged_origins = _merge(document, origins, layers, chain)
    return merged, merged_origins, max((base.height + 1 for base in bases), default=0)


def _base(
    reference: str,
    where: str,
    origins: Origins,
    directory: Path,
    finder: Finder,
    chain: tuple[str, ...],
    reads: Reads,
) -> _Resolved:
    """The base `reference` names, merged with its own bases: read once per load."""
    try:
        path = finder.find(reference, directory)
    except Refused as exc:
        _fail(origins, where, exc.message, chain, exc.hint)
    if _shown(path) in chain:
        _fail(origins, where, f"extends loops back to {path}", (*chain, str(path)))
    done = reads.done.get(path)
    # A base already merged is reused; its own bases still count towards the depth.
    if len(chain) + (done.height if done else 0) > MAX_DEPTH:
        _fail(origins, where, f"extends is nested more than {MAX_DEPTH} deep", chain)
    if done is None:
        done = reads.done[path] = _first_read(path, where, origins, finder, chain, reads)
    return done


def _first_read(
    path: Path,
    where: str,
    origins: Origins,
    finder: Finder,
    chain: tuple[str, ...],
    reads: Reads,
) -> _Resolved:
    """Read, check and resolve a base this load has not read before, within the budget."""
    reads.files += 1
    if reads.files > MAX_FILES:
        _fail(origins, where, f"extends reads more than {MAX_FILES} files in one load", chain)
    try:
        text = read_text_capped(path, max(reads.characters, 0))
    except TooLarge:
        _fail(
            origins,
            where,
            f"{_shown(path)} takes the ruleset and its bases over {reads.limit:,} characters",
            chain,
            "bases are for shared definitions; keep them small",
        )
    except OSError as exc:
        _refuse(path, f"cannot read this base: {exc.strerror or exc}", chain)
    except UnicodeDecodeError:
        _refuse(path, "is not a ruleset (not UTF-8 text)", chain)
    reads.characters -= len(text)
    try:
        document = parse(text)
    except Unparsable as exc:
        _refuse(path, "is not a ruleset (not valid TOML)", chain, (exc.line, exc.column))
    source = Source(_shown(path), text)
    _check_head(document, source, chain)
    merged, base_origins, height = _resolve(document, source, path.parent, finder, chain, reads)
    head = document.get("ruleset", {})
    catalogue = isinstance(head, dict) and head.get("catalogue") is True
    return _Resolved(merged, base_origins, catalogue, height)


def _refuse(
    path: Path,
    message: str,
    chain: Sequence[str],
    where: tuple[int | None, int | None] = (None, None),
) -> NoReturn:
    """A base that is not a ruleset: named, located, and never quoted."""
    raise RulesetError(
        problems=(
            Problem(
                file=_shown(path),
                line=where[0],
                column=where[1],
                message=message,
                hint=f"extended by {' -> '.join(chain)}",
            ),
        )
    )


def _check_head(document: dict[str, Any], source: Source, chain: tuple[str, ...]) -> None:
    """A base's own [ruleset] is checked here: only the extending file's reaches the builder.

    A file without a [ruleset] table is not a ruleset: it may be any TOML file in an allowed
    folder, so nothing of it is echoed. In a [ruleset] table, a wrong format is reported
    without its value, and unknown keys by name (at most MAX_UNKNOWN_KEYS of them).
    """

    origins = Origins(source)
    head = document.get("ruleset")
    if not isinstance(head, dict):
        _refuse(
            Path(source.name or ""),
            "is not a ruleset (a base needs a [ruleset] table with format = 1)",
            chain,
            origins.locate("ruleset")[1:],
        )
    problems = []
    version = head.get("format")
    if version != 1 or type(version) is not int:
        problems.append(("ruleset.format", "this base is not in format 1, which ragrules reads"))
    unknown = [key for key in head if key not in _RULESET_KEYS]
    problems += [
        (f"ruleset.{key}", f"unknown key {key!r} in a base's [ruleset]") for key in unknown
    ]
    if len(unknown) > MAX_UNKNOWN_KEYS:
        problems[len(problems) - len(unknown) + MAX_UNKNOWN_KEYS :] = [
            ("ruleset", f"and {len(unknown) - MAX_UNKNOWN_KEYS:,} more unknown keys")
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


def _fail(
    origins: Origins,
    path: str,
    message: str,
    chain: Sequence[str],
    hint: str | None = None,
    key: str | None = None,
) -> NoReturn:
    """Raise a problem at `path` of the extending file (or of a base: `key` is then the
    path as its own file writes it), naming the chain of files."""
    raise RulesetError(problems=(_problem(origins, path, message, chain, hint, key),))


def _problem(
    origins: Origins,
    path: str,
    message: str,
    chain: Sequence[str],
    hint: str | None = None,
    key: str | None = None,
) -> Problem:
    """A problem at `path` (see `_fail`), located, with the chain of files in its hint."""
    name, line, column = origins.locate(path)
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
    origins.deferred = [problem for _, org, _ in bases for problem in org.deferred]
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
            # The child's own roll-ups (a report's services are its own, not a base's), and
            # unknown top-level keys, which the builder reports.
            merged[key] = value
            origins.take(child_origins, key, key)
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
            path = f"indicator[{index}]"
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                # Never dropped unsaid: the base's own entry, under its own key in the base.
                _fail(
                    org,
                    path,
                    "a base's indicator needs an id",
                    chain,
                    'add id = "..."',
                    key=org.resolve(path)[1],
                )
            if entry["id"] in pool:
                first = pool[entry["id"]][1].locate(pool[entry["id"]][2])
                if org.locate(path) == first and entry == pool[entry["id"]][0]:
                    continue  # one base's definition, reached through two bases (a diamond)
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
        # An indicator of this file that cannot be merged is left out, its problem kept:
        # the file's other problems are reported with it, not one load at a time.
        wrong = None
        if "omit" in entry and not isinstance(entry["omit"], bool):
            wrong = ("omit", "expected true or false")
        elif entry.get("omit") is True and entry["id"] not in entries:
            wrong = ("omit", f"no inherited indicator {entry['id']!r} to omit")
        elif not isinstance(like := entry.get("extends", entry["id"]), str):
            wrong = ("extends", "expected the id of a base indicator")
        elif like not in pool and "extends" in entry:
            wrong = ("extends", f"no base defines an indicator {like!r}")
        if wrong is not None:
            key, message = wrong
            origins.deferred.append(_problem(child_origins, f"{path}.{key}", message, chain))
            continue
        if entry.get("omit") is True:
            del entries[entry["id"]]
            continue
        if like in pool:
            base_entry, base_origins, base_path = pool[like]
            inherited = {k: v for k, v in base_entry.items() if k != "id"}
            sources = [(base_origins, base_path, tuple(inherited))]
            for key in own.keys() & inherited.keys():
                name, line, _ = base_origins.locate(f"{base_path}.{key}")
                origins.overrides.setdefault(entry["id"], []).append(
                    (key, inherited[key], f"{name}:{line}")
                )
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
