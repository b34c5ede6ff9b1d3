"""Indicators merged by id: the bases' indicators, then the extending file's entries, each of
which replaces keys of an inherited indicator, reuses one under a local id (`extends`),
leaves one out (`omit = true`) or defines a new one.

An entry that cannot be merged is left out with its problem kept in `Origins.deferred`, and
the merge goes on, so the builder reports the file's other problems in the same error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ragrules.formats.loading._keys import MAX_UNKNOWN_KEYS
from ragrules.formats.loading._origins import Origins
from ragrules.model.errors import RulesetError

# A base's layer: its merged document, origins, and whether it is a catalogue.
Layer = tuple[dict[str, Any], Origins, bool]
# Every base indicator by id: its table, its base's origins and its path there.
_Pool = dict[str, tuple[dict[str, Any], Origins, str]]
# A merged entry's sources: (origins, path there, the keys it gave).
_Sources = list[tuple[Origins, str, tuple[str, ...]]]

# What an omitted indicator takes: any other key would be dropped unsaid.
_OMIT_KEYS = ("id", "omit")
_OMIT_HINT = "remove {}, or remove omit = true to keep the indicator"


def merge_indicators(
    child: dict[str, Any],
    child_origins: Origins,
    bases: Sequence[Layer],
    origins: Origins,
    chain: tuple[str, ...],
    complete: bool = True,
) -> list[Any] | None:
    """The merged [[indicator]] list (None when there is none to write).

    `complete` is False when a base could not be read: an entry is then not faulted for an
    id no base defines, since the unread base may define it.
    """
    pool, included = _pool(bases, child_origins, chain)
    entries: dict[str, tuple[Any, _Sources]] = {
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
    omitted: dict[str, str] = {}  # id -> path of the entry that omitted it
    for index, entry in enumerate(raw):
        path = f"indicator[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            keys = tuple(entry) if isinstance(entry, dict) else ()
            entries[f"\0{index}"] = (entry, [(child_origins, path, keys)])
            continue
        if entry.get("omit") is True:
            problems = _omit_problems(entry, entries, omitted, child_origins, complete)
        else:
            problems = _entry_problems(entry, pool, complete)
        origins.deferred += [
            child_origins.problem(f"{path}{key}", message, chain, hint)
            for key, message, hint in problems
        ]
        if entry.get("omit") is True:
            if entries.pop(entry["id"], None) is not None:
                omitted[entry["id"]] = path
            continue
        if problems:
            continue
        # A second child indicator with the same id stays separate: the builder reports it.
        slot = entry["id"] if entry["id"] not in seen else f"\0{index}"
        seen.add(entry["id"])
        entries[slot] = _merged_entry(entry, path, pool, child_origins, origins)
    return _placed(entries, origins)


def _pool(
    bases: Sequence[Layer], child_origins: Origins, chain: tuple[str, ...]
) -> tuple[_Pool, list[str]]:
    """Every base indicator by id, and the ids included without being named (a plain base's
    indicators; a catalogue's are included only when named)."""
    pool: _Pool = {}
    included: list[str] = []
    for doc, org, catalogue in bases:
        listed = doc.get("indicator", [])
        for index, entry in enumerate(listed if isinstance(listed, list) else []):
            path = f"indicator[{index}]"
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                # Never dropped unsaid: the base's own entry, under its own key in the base.
                key = org.resolve(path)[1]
                problem = org.problem(
                    path, "a base's indicator needs an id", chain, 'add id = "..."', key
                )
                raise RulesetError(problems=(problem,))
            if entry["id"] in pool:
                first = pool[entry["id"]][1].locate(pool[entry["id"]][2])
                if org.locate(path) == first and entry == pool[entry["id"]][0]:
                    continue  # one base's definition, reached through two bases (a diamond)
                name, line, _ = org.locate(path)
                message = (
                    f"indicator {entry['id']!r} is defined in two bases: "
                    f"{first[0]}:{first[1]} and {name}:{line}"
                )
                problem = child_origins.problem("ruleset.extends", message, chain)
                raise RulesetError(problems=(problem,))
            pool[entry["id"]] = (entry, org, path)
            if not catalogue:
                included.append(entry["id"])
    return pool, included


_Found = list[tuple[str, str, str | None]]  # (".key" under the entry, message, hint)


def _omit_problems(
    entry: dict[str, Any],
    entries: dict[str, Any],
    omitted: dict[str, str],
    origins: Origins,
    complete: bool,
) -> _Found:
    """An `omit = true` entry's problems: keys it does not take, and an id it cannot omit
    (`entries` are the indicators merged so far, `omitted` the ids left out, by entry)."""
    stray = [key for key in entry if key not in _OMIT_KEYS]
    found: _Found = []
    if stray:  # one problem per entry, not per key: a file of many makes as many problems
        message = f"an omitted indicator takes only id and omit, not {_listed(stray)}"
        found.append(
            (f".{stray[0]}", message, _OMIT_HINT.format("it" if len(stray) == 1 else "them"))
        )
    if entry["id"] in entries:
        return found
    if entry["id"] in omitted:
        line = origins.locate(f"{omitted[entry['id']]}.omit")[1]
        message = f"indicator {entry['id']!r} is already omitted at line {line}"
        found.append((".omit", message, "remove this entry"))
    elif complete:
        found.append((".omit", f"no inherited indicator {entry['id']!r} to omit", None))
    return found


def _listed(keys: list[str]) -> str:
    """`'a', 'b' and 'c'`: at most MAX_UNKNOWN_KEYS names, then a count of the rest."""
    names = [repr(key) for key in keys[:MAX_UNKNOWN_KEYS]]
    if len(keys) > MAX_UNKNOWN_KEYS:
        names.append(f"{len(keys) - MAX_UNKNOWN_KEYS:,} more")
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _entry_problems(entry: dict[str, Any], pool: _Pool, complete: bool) -> _Found:
    """A kept entry's problem, if it cannot be merged: at most one, the first found."""
    like = entry.get("extends", entry["id"])
    if "omit" in entry and not isinstance(entry["omit"], bool):
        return [(".omit", "expected true or false", None)]
    if not isinstance(like, str):
        return [(".extends", "expected the id of a base indicator", None)]
    if like not in pool and "extends" in entry and complete:
        return [(".extends", f"no base defines an indicator {like!r}", None)]
    return []


def _merged_entry(
    entry: dict[str, Any], path: str, pool: _Pool, child_origins: Origins, origins: Origins
) -> tuple[dict[str, Any], _Sources]:
    """An entry on top of the base indicator it names (its id, or its `extends`), with the
    base settings it replaces recorded for `ragrules verify`."""
    own = {k: v for k, v in entry.items() if k not in ("extends", "omit")}
    like = entry.get("extends", entry["id"])
    inherited: dict[str, Any] = {}
    sources: _Sources = []
    if like in pool:
        base_entry, base_origins, base_path = pool[like]
        inherited = {k: v for k, v in base_entry.items() if k != "id"}
        sources.append((base_origins, base_path, tuple(inherited)))
        for key in own.keys() & inherited.keys():
            name, line, _ = base_origins.locate(f"{base_path}.{key}")
            origins.overrides.setdefault(entry["id"], []).append(
                (key, inherited[key], f"{name}:{line}")
            )
    sources.append((child_origins, path, tuple(own)))
    return {"id": entry["id"], **inherited, **own}, sources


def _placed(entries: dict[str, tuple[Any, _Sources]], origins: Origins) -> list[Any]:
    """The merged list, each entry's keys mapped to where they were written."""
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
