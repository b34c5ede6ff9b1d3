"""One exception hierarchy; every error carries where it happened.

A `Problem` is one finding (error or warning) with its location. Exceptions are raised
carrying every problem found, so a user fixes a whole file in one pass.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from ragrules.model._text import terminal_safe


class Severity(enum.Enum):
    """How bad a finding is: errors stop loading, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen(kw_only=True)
class Problem:
    """One finding in a ruleset or data file, with where it is and what to do."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None
    row: int | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        # Printed to terminals: control, escape and bidi characters from a file name, a key
        # or data quoted in the message are shown as `\x1b`, `\u202e`, never sent raw.
        # No file and no place in one (an argument of a call): no `<text>:` before it.
        placed = self.row is not None or self.line is not None
        where = self.file or ("<text>" if placed else "")
        if self.row is not None:
            where += f":row {self.row}"
        elif self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: " if where else ""
        if self.key:
            text += f"{self.key}: "
        if self.severity is Severity.WARNING:
            text += "warning: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return terminal_safe(text)


class RagrulesError(Exception):
    """Base of every error ragrules raises on purpose."""

    def __init__(self, *, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        super().__init__(problems)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only constructors need help to pickle.
        return (_rebuild, (type(self), self.problems))


def _rebuild(cls: type[RagrulesError], problems: tuple[Problem, ...]) -> RagrulesError:
    return cls(problems=problems)


class RulesetError(RagrulesError, ValueError):
    """A ruleset cannot be loaded: bad TOML, unknown keys, wrong types, broken bands."""


class DataError(RagrulesError, ValueError):
    """Observations cannot be read: unreadable file, missing columns."""


def close_matches(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> list[str]:
    """The closest candidate to a mistyped word, for "did you mean" hints.

    difflib is imported here, when a problem is being reported, not with ragrules.
    """
    import difflib

    return difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff)
