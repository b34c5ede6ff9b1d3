"""TOML text -> `Ruleset`: typed getters with key paths, every problem collected at once.

This is the edge: it reads files (never more than a limit, `_reading`), parses TOML (tomli,
decimals from their text, via `_parsing`), converts units (pint, lazily, via `units`) and
checks a ruleset before anything is rated. The model it builds holds no TOML spelling and no
pint objects.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from ragrules.engine.ruleset import Ruleset
from ragrules.formats._reading import TooLarge, read_text_capped
from ragrules.formats.loading._document import Builder
from ragrules.formats.loading._extends import Reads, resolve
from ragrules.formats.loading._keys import (  # the format's keys and limits, re-exported
    _COMPARISON_KEYS as _COMPARISON_KEYS,
)
from ragrules.formats.loading._keys import (
    _DATA_KEYS as _DATA_KEYS,
)
from ragrules.formats.loading._keys import (
    _DEFAULT_KEYS as _DEFAULT_KEYS,
)
from ragrules.formats.loading._keys import (
    _EXCEPTION_KEYS as _EXCEPTION_KEYS,
)
from ragrules.formats.loading._keys import (
    _INDICATOR_KEYS as _INDICATOR_KEYS,
)
from ragrules.formats.loading._keys import (
    _KEPT_PROBLEMS as _KEPT_PROBLEMS,
)
from ragrules.formats.loading._keys import (
    _MARGIN_KEYS as _MARGIN_KEYS,
)
from ragrules.formats.loading._keys import (
    _RULE_KEYS as _RULE_KEYS,
)
from ragrules.formats.loading._keys import (
    _RULESET_KEYS as _RULESET_KEYS,
)
from ragrules.formats.loading._keys import (
    _TOP_KEYS as _TOP_KEYS,
)
from ragrules.formats.loading._keys import (
    _TRAVEL_KEYS as _TRAVEL_KEYS,
)
from ragrules.formats.loading._keys import (
    MAX_INDICATORS as MAX_INDICATORS,
)
from ragrules.formats.loading._keys import (
    MAX_LOOKBACK as MAX_LOOKBACK,
)
from ragrules.formats.loading._keys import (
    MAX_PROBLEMS as MAX_PROBLEMS,
)
from ragrules.formats.loading._keys import (
    MAX_ROUNDING_PLACES as MAX_ROUNDING_PLACES,
)
from ragrules.formats.loading._keys import (
    MAX_RULESET_CHARACTERS as MAX_RULESET_CHARACTERS,
)
from ragrules.formats.loading._keys import (
    MAX_UNKNOWN_KEYS as MAX_UNKNOWN_KEYS,
)
from ragrules.formats.loading._keys import (
    SCHEMA_FILE as SCHEMA_FILE,
)
from ragrules.formats.loading._neighbour_files import read_neighbour_files
from ragrules.formats.loading._origins import Origins, Source
from ragrules.formats.loading._parsing import Unparsable, parse
from ragrules.formats.loading._roots import Finder
from ragrules.model.errors import Problem, RulesetError, Severity
from ragrules.model.numbers import (
    in_exact_context,
)


@in_exact_context
def load(
    source: str | os.PathLike[str],
    *,
    search_path: Folders = (),
    allowed: Folders = (),
) -> Ruleset:
    """Load a ruleset from a file path, or from TOML text (any string holding a newline).

    A ruleset may `extend` bases named by a path relative to it or by an id found as
    `ID.toml` in a `search_path` folder. Bases must lie inside the ruleset's own folder (or
    a folder under it), the `catalogue` folder beside it, the search path or the `allowed`
    folders; never the current folder as such. A load reads at most 64 files and
    MAX_RULESET_CHARACTERS characters in all.
    """
    if isinstance(source, str) and "\n" in source:
        return loads(source, search_path=search_path, allowed=allowed)
    path = Path(source)
    return build(*_merged(_read(path), str(path), path.parent, search_path, allowed, path))


# Folders a caller gives: one folder, or a list of them (see `_folders`).
Folders = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


def _read(path: Path) -> str:
    """A ruleset file's text, read no further than MAX_RULESET_CHARACTERS (see _reading)."""
    try:
        return read_text_capped(path, MAX_RULESET_CHARACTERS)
    except TooLarge:
        raise _too_large(str(path)) from None
    except OSError as exc:
        raise RulesetError(
            problems=(
                Problem(
                    file=str(path),
                    message=f"cannot read the ruleset: {exc.strerror or exc}",
                    hint="check the path",
                ),
            )
        ) from None
    except UnicodeDecodeError as exc:
        raise RulesetError(
            problems=(Problem(file=str(path), message=f"not UTF-8 text: {exc.reason}"),)
        ) from None


def _too_large(source: str | None) -> RulesetError:
    return RulesetError(
        problems=(
            Problem(
                file=source,
                message=f"the ruleset is over {MAX_RULESET_CHARACTERS:,} characters",
                hint="split it into a base and rulesets that extend it",
            ),
        )
    )


def schema_text() -> str:
    """The JSON Schema of the ruleset format, as shipped in the package."""
    from importlib import resources

    return resources.files("ragrules").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def resolve_file(
    path: str | os.PathLike[str],
    search_path: Folders = (),
    allowed: Folders = (),
) -> tuple[dict[str, Any], Origins]:
    """A ruleset file merged with its bases, and where each setting came from (for `show`)."""
    file = Path(path)
    text = _read(file)
    merged, origins, source = _merged(text, str(file), file.parent, search_path, allowed, file)
    if origins.deferred:  # an indicator left out of the merge: no resolved document
        _raise_as_load(merged, origins, source)
    return merged, origins


@in_exact_context
def _raise_as_load(document: dict[str, Any], origins: Origins, source: str | None) -> NoReturn:
    """Raise what loading the document raises, so `show` reports what `check` does: the
    indicators left out of the merge with the builder's problems, each once."""
    build(document, origins, source)
    raise RulesetError(problems=tuple(origins.deferred))  # not reached: deferred are errors


@in_exact_context
def loads(
    text: str,
    *,
    source: str | os.PathLike[str] | None = None,
    directory: str | os.PathLike[str] | None = None,
    search_path: Folders = (),
    allowed: Folders = (),
) -> Ruleset:
    """Load a ruleset from TOML text; `source` names it in error messages.

    Relative `extends` paths are found from `directory` (default: the current folder). Text
    has no folder of its own: only when `directory` is given may bases be read from it (and
    from the `catalogue` folder beside it) without naming it in `allowed`. A byte order mark
    at the start (text read as `utf-8`, not `utf-8-sig`) is dropped, as `load` drops it.
    """
    if source is not None:  # a path names the text too; anything else is no name
        if not isinstance(source, (str, os.PathLike)):
            raise TypeError(f"source must be a file name (a str or a path), not {source!r}")
        source = os.fspath(source)
    if not isinstance(text, str):
        raise TypeError(
            f"loads takes a ruleset's TOML text (a str), not {type(text).__name__}; "
            "load(path) reads a file"
        )
    text = text.removeprefix("\ufeff")
    return build(*_merged(text, source, directory, search_path, allowed))


def _parsed(text: str, source: str | None) -> dict[str, Any]:
    """The TOML document in `text`; anything else is a located RulesetError."""
    if len(text) > MAX_RULESET_CHARACTERS:
        raise _too_large(source)
    try:
        return parse(text)
    except Unparsable as exc:
        raise RulesetError(
            problems=(
                Problem(
                    file=source,
                    line=exc.line,
                    column=exc.column,
                    message=f"not valid TOML: {exc.reason}",
                    hint=exc.hint,
                ),
            )
        ) from None


def _merged(
    text: str,
    source: str | None,
    directory: str | os.PathLike[str] | None,
    search_path: Folders,
    allowed: Folders,
    file: Path | None = None,
) -> tuple[dict[str, Any], Origins, str | None]:
    """The text's document (read from `file`, if it was) merged with its bases, and where
    every setting came from."""
    document = _parsed(text, source)
    folder = Path(directory) if directory is not None else None
    finder = Finder.for_load(
        _folders(search_path, "search_path"), _folders(allowed, "allowed"), folder
    )
    reads = Reads(limit=MAX_RULESET_CHARACTERS, used=len(text))
    here = folder if folder is not None else Path.cwd()
    merged, origins = resolve(document, Source(source, text), here, finder, reads, file)
    return read_neighbour_files(merged, origins, finder, here, reads), origins, source


def _folders(given: object, name: str) -> list[Path]:
    """A list of folders as a caller gives it: one folder given alone (`allowed="shared"`) is
    that folder, never its characters (a `/` among them would allow every file)."""
    if isinstance(given, (str, os.PathLike)):
        given = [given]
    if isinstance(given, bytes) or not isinstance(given, Iterable):
        raise TypeError(f"{name} must be a folder or a list of folders, not {given!r}")
    folders = list(given)
    for folder in folders:
        if not isinstance(folder, (str, os.PathLike)) or isinstance(folder, bytes):
            raise TypeError(f"{name} must be a folder or a list of folders, not {folder!r}")
        if not os.fspath(folder).strip():
            # An empty name is the current folder to `Path`: never allowed without naming it.
            raise RulesetError(
                problems=(
                    Problem(
                        key=name,
                        message="a folder's name is empty",
                        hint="name the folder (`.` for the current one)",
                    ),
                )
            )
    return [Path(folder) for folder in folders]


def build(document: dict[str, Any], origins: Origins, source: str | None) -> Ruleset:
    """Build a ruleset from a merged document; every problem is raised together.

    At most MAX_PROBLEMS are raised, then a count of the rest: a hostile file cannot make
    the report (or the work of locating each problem) as large as itself.
    """
    builder = Builder(source, origins)
    ruleset = builder.ruleset(document)
    # dict.fromkeys drops repeats, e.g. one bad [defaults] key inherited by many indicators.
    found = dict.fromkeys([*origins.deferred, *builder.problems])
    problems = sorted(found, key=lambda p: (p.line or 0, p.column or 0))
    errors = builder.dropped_error or any(p.severity is Severity.ERROR for p in problems)
    if ruleset is None or errors:
        raise RulesetError(problems=(*problems[:MAX_PROBLEMS], *_more(problems, builder)))
    return ruleset


def _more(problems: list[Problem], builder: Builder) -> tuple[Problem, ...]:
    """One problem counting those not shown: an error if any of them is."""
    rest = problems[MAX_PROBLEMS:]
    if not rest and not builder.dropped:
        return ()
    error = builder.dropped_error or any(p.severity is Severity.ERROR for p in rest)
    return (
        Problem(
            file=builder.source,
            message=f"and {len(rest) + len(builder.dropped):,} more problems",
            hint="fix these first",
            severity=Severity.ERROR if error else Severity.WARNING,
        ),
    )
