"""Where bases may be read from: the ruleset's own folder, the `catalogue` beside it, the
search path and what the caller allows; never the current folder as such (decision 31).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import attrs

# The folder of shared definitions beside a ruleset's own folder (`../catalogue`), as in the
# layout ragrules ships (rulesets/catalogue beside rulesets/examples) and docs/sharing.md shows.
CATALOGUE_FOLDER = "catalogue"


@attrs.frozen(kw_only=True)
class Finder:
    """Where bases may be found, and the roots (resolved folders) they must lie inside."""

    search_path: tuple[Path, ...] = ()
    allowed: tuple[Path, ...] = ()

    @classmethod
    def for_load(
        cls, search_path: Sequence[Path], allowed: Sequence[Path], folder: Path | None
    ) -> Finder:
        """The roots of one load: the search path, the folders the caller allows, and, when
        the ruleset has a folder, that folder (with its subfolders) and the `catalogue`
        folder beside it.

        The current folder is not a root: a shared ruleset run from `/` must not reach
        `/proc/self/environ` or a neighbour's files.
        """
        own = () if folder is None else (folder, folder.parent / CATALOGUE_FOLDER)
        roots = (real_path(root) for root in (*search_path, *allowed, *own))
        return cls(
            search_path=tuple(search_path),
            allowed=tuple(dict.fromkeys(r for r in roots if r is not None and os.path.isdir(r))),
        )

    def find(self, reference: str, directory: Path) -> Path:
        """The real path of the base `reference` names; raises Refused.

        A base outside the roots is refused before it is looked at, with the message a
        missing one gets: the answer says nothing about files this load may not read.
        """
        if "://" in reference:
            raise Refused("a base is named by a relative path or an id, never a URL")
        if reference.endswith(".toml") or "/" in reference or "\\" in reference:
            candidates = [directory / reference]
            where = "among the allowed folders"
        else:
            candidates = [root / f"{reference}.toml" for root in self.search_path]
            where = "on the search path"
        for candidate in candidates:
            path = real_path(candidate)
            if path is not None and self.permits(path) and os.path.isfile(path):
                return path
        folders = ", ".join(str(root) for root in self.allowed) or "none"
        raise Refused(
            f"no base ruleset {reference!r} {where}",
            f"a base outside the folders this load may read is never opened; they are: "
            f"{folders}; allow another with --allow DIR or allowed=[...]",
        )

    def permits(self, path: Path) -> bool:
        return any(path.is_relative_to(root) for root in self.allowed)


class Refused(LookupError):
    """A base that cannot be used, with a message and a hint for the extends key."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def real_path(path: Path) -> Path | None:
    """The path with symlinks and `..` resolved, or None when it cannot be (a name too long
    for the system, a NUL byte, a symlink loop): no file of that name can be read."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None
