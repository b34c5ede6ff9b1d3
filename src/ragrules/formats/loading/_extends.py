"""Inheritance: a ruleset that `extends` bases is merged with them before it is built.

Merging works on the parsed TOML documents, key by key, and remembers where every merged
setting came from (file and key path), so errors point at the right file and line and
`ragrules show` can say which file each setting came from. Bases are named by relative path
or by id on a search path, never by URL, and must lie inside the load's roots (see
`Finder.for_load`); chains that loop or run deeper than MAX_DEPTH are errors naming the chain
of files. A load reads and merges each base once, however often it is extended, and reads at
most MAX_FILES files and the loader's character limit in all, so a shared ruleset cannot make
a load slow or large. A base that cannot be used does not hide the other files' problems:
every base is tried, and all their problems are raised together (see `_fail_together`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import attrs

from ragrules.formats._reading import TooLarge, read_text_capped
from ragrules.formats.loading._inherited import Layer, merge_indicators
from ragrules.formats.loading._keys import _RULESET_KEYS, MAX_PROBLEMS, MAX_UNKNOWN_KEYS
from ragrules.formats.loading._origins import Origins, Source
from ragrules.formats.loading._parsing import Unparsable, parse
from ragrules.formats.loading._roots import Finder, Refused, real_path
from ragrules.model.errors import Problem, RulesetError
from ragrules.model.periods import Calendar

MAX_DEPTH = 8


# Files one load reads: the ruleset and its distinct bases. Each is read once however many
# times it is extended, so a chain that names the same base ten times per level stays linear.
MAX_FILES = 64


# Settings merged key by key (a child's key replaces the base's); others are replaced whole.
# A base's comparator groups and benchmarks are shared with the rulesets that extend it.
_KEYED = ("defaults", "scales", "exceptions", "data", "groups", "benchmarks", "summary")


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
        self.failed: dict[Path, tuple[Problem, ...]] = {}  # reported once, never re-read


class _OverBudget(RulesetError):
    """A load past its limits on files or characters: it stops, whatever is left to read."""


def resolve(
    document: dict[str, Any],
    source: Source,
    directory: Path,
    finder: Finder,
    reads: Reads,
    file: Path | None = None,
) -> tuple[dict[str, Any], Origins]:
    """Merge `document` (read from `file`, if it was) with the bases it extends, recursively.

    A file is named in the chain as its bases are, resolved, so a base that extends it back
    is a loop however the file was first spelled (`a/../a/x.toml`).
    """
    real = real_path(file) if file is not None else None
    name = _shown(real) if real is not None else source.name or "<text>"
    try:
        merged, origins, _ = _resolve(document, source, directory, finder, (name,), reads)
    except _OverBudget as exc:  # the caller sees the error every problem comes in
        raise RulesetError(problems=exc.problems) from None
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
    """The merged document, its origins, and how many levels of bases lie below it.

    `chain` names the files from the ruleset down to this one. Every base is tried: one that
    cannot be used is reported with the problems the others show (see `_fail_together`).
    """
    origins = Origins(source)
    head = document.get("ruleset")
    raw = head.get("extends", []) if isinstance(head, dict) else []
    references = [raw] if isinstance(raw, str) else raw
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        _fail(origins, "ruleset.extends", "expected a path or id, or a list of them", chain)
    bases: list[_Resolved] = []
    failed: list[Problem] = []
    unread = 0
    for index, reference in enumerate(references):
        where = f"ruleset.extends[{index}]" if isinstance(raw, list) else "ruleset.extends"
        try:
            bases.append(_base(reference, where, origins, directory, finder, chain, reads))
        except _OverBudget:
            raise
        except RulesetError as exc:
            failed += exc.problems
            if len(failed) >= MAX_PROBLEMS:  # as many as a load reports: look no further
                unread = len(references) - index - 1
                break
    layers = [(base.document, base.origins, base.catalogue) for base in bases]
    if failed:
        _fail_together(failed, unread, document, origins, layers, chain)
    merged, merged_origins = _merge(document, origins, layers, chain)
    return merged, merged_origins, max((base.height + 1 for base in bases), default=0)


def _fail_together(
    failed: list[Problem],
    unread: int,
    document: dict[str, Any],
    origins: Origins,
    layers: list[Layer],
    chain: tuple[str, ...],
) -> NoReturn:
    """Raise the problems of the bases that could not be used with those a merge without
    them finds: the other bases' own, and this file's entries' that do not depend on what
    an unread base defines. The builder's problems wait until every base can be read: an
    unread base may set what they are about. `unread` bases were not tried."""
    try:
        found = [*failed, *_merge(document, origins, layers, chain, complete=False)[1].deferred]
    except RulesetError as exc:  # two bases define one id: said with the others
        found = [*failed, *exc.problems]
    problems = list(dict.fromkeys(found))
    # As a load reports them: the first MAX_PROBLEMS, and a count of the rest.
    rest = [f"{len(problems) - MAX_PROBLEMS:,} more problems"] if problems[MAX_PROBLEMS:] else []
    rest += [f"{unread:,} more bases not read"] if unread else []
    if rest:
        message = f"and {', and '.join(rest)}"
        more = Problem(file=origins.map[""][0].name, message=message, hint="fix these first")
        problems[MAX_PROBLEMS:] = [more]
    raise RulesetError(problems=tuple(problems))


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
    if _shown(path) in chain:  # chain names are resolved paths, so the files are compared
        _fail(origins, where, f"extends loops back to {_shown(path)}", (*chain, _shown(path)))
    done = reads.done.get(path)
    # A base already merged is reused; its own bases still count towards the depth.
    if len(chain) + (done.height if done else 0) > MAX_DEPTH:
        _fail(origins, where, f"extends is nested more than {MAX_DEPTH} deep", chain)
    if done is None:
        if path in reads.failed:  # reported where first reached, not read again
            raise RulesetError(problems=reads.failed[path])
        try:
            done = reads.done[path] = _first_read(path, where, origins, finder, chain, reads)
        except _OverBudget:
            raise
        except RulesetError as exc:
            reads.failed[path] = exc.problems
            raise
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
        message = f"extends reads more than {MAX_FILES} files in one load"
        raise _OverBudget(problems=(origins.problem(where, message, chain),))
    try:
        text = read_text_capped(path, max(reads.characters, 0))
    except TooLarge:
        message = f"{_shown(path)} takes the ruleset and its bases over {reads.limit:,} characters"
        hint = "bases are for shared definitions; keep them small"
        raise _OverBudget(problems=(origins.problem(where, message, chain, hint),)) from None
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
    below = (*chain, _shown(path))
    merged, base_origins, height = _resolve(document, source, path.parent, finder, below, reads)
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
        where = origins.locate("ruleset")[1:]
        _refuse(
            Path(source.name or ""),
            "is not a ruleset (a base needs a [ruleset] table with format = 1)",
            chain,
            where if where[0] is not None else (1, 1),  # no such key: the file as a whole
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
    raise RulesetError(problems=(origins.problem(path, message, chain, hint, key),))


def _merge(
    child: dict[str, Any],
    child_origins: Origins,
    bases: list[Layer],
    chain: tuple[str, ...],
    complete: bool = True,
) -> tuple[dict[str, Any], Origins]:
    """`child` on top of its merged `bases`; `complete` is False when some could not be read."""
    if not bases and not _inherits(child):
        # Nothing to merge: the document is its own result, each path its own origin.
        return child, child_origins
    merged: dict[str, Any] = {}
    origins = Origins(child_origins.map[""][0])
    # A base reached through two bases (a diamond) brings its problems twice: kept once.
    origins.deferred = list(dict.fromkeys(p for _, org, _ in bases for p in org.deferred))
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
    _same_calendar(head, child, bases, origins, chain)

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

    merged_indicators = merge_indicators(child, child_origins, bases, origins, chain, complete)
    if merged_indicators is not None:
        merged["indicator"] = merged_indicators
    for key, value in child.items():
        if key not in merged and key not in ("ruleset", *_KEYED, "travel", "indicator"):
            # The child's own roll-ups (a report's services are its own, not a base's), and
            # unknown top-level keys, which the builder reports.
            merged[key] = value
            origins.take(child_origins, key, key)
    return merged, origins


_DEFAULT_CALENDAR = Calendar.FINANCIAL.value  # a ruleset's calendar when it sets none


def _same_calendar(
    head: dict[str, Any],
    child: dict[str, Any],
    bases: list[Layer],
    origins: Origins,
    chain: tuple[str, ...],
) -> None:
    """Refuse a base written in another calendar than the ruleset's, when the calendar
    means something to it (it names one, or writes periods or profiles): the merged ruleset
    reads every period and profile in its own, so a base's academic `2021/22` (September)
    would move to April without a word."""
    calendar = head.get("calendar", _DEFAULT_CALENDAR)
    for document, base_origins, _ in bases:
        own = document.get("ruleset")
        named = isinstance(own, dict) and "calendar" in own
        theirs = (
            own.get("calendar", _DEFAULT_CALENDAR) if isinstance(own, dict) else _DEFAULT_CALENDAR
        )
        if theirs == calendar or not isinstance(theirs, str) or not isinstance(calendar, str):
            continue
        if not named and not _dated(document):
            continue  # nothing in it is read by the calendar
        own_head = child.get("ruleset")
        path = (
            "ruleset.calendar"
            if isinstance(own_head, dict) and "calendar" in own_head
            else "ruleset.extends"
        )
        _fail(
            origins,
            path,
            f"the base {base_origins.map[''][0].name} is written in the {theirs} calendar and "
            f"this ruleset reads it in the {calendar} one: its periods and profiles would "
            "move (a split year such as 2021/22 starts in another month)",
            chain,
            f'set calendar = "{theirs}" here, or extend a base written in the {calendar} calendar',
        )


# Keys whose values a calendar reads: a period an entry starts from, series breaks, and a
# profile of a year's shares.
_DATED_KEYS = frozenset({"from", "series-breaks", "profiles", "profile"})


def _dated(value: object) -> bool:
    """Whether a document (or a part of one) holds anything a calendar reads."""
    if isinstance(value, dict):
        return any(key in _DATED_KEYS or _dated(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_dated(item) for item in value)
    return False


def _inherits(document: dict[str, Any]) -> bool:
    """True when the document uses inheritance keys that only a merge checks and removes."""
    head = document.get("ruleset")
    if isinstance(head, dict) and "extends" in head:
        return True
    listed = document.get("indicator")
    return isinstance(listed, list) and any(
        isinstance(entry, dict) and ("extends" in entry or "omit" in entry) for entry in listed
    )
