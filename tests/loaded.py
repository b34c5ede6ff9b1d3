"""A load as the property tests of the loader's shortcuts compare two of them: the ruleset
in canonical TOML, each indicator as built and where each setting was written (None when
refused), and every problem, where and what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import ragrules
from ragrules.engine.canonical import canonical_toml


def loaded(text: str) -> tuple[object, list[tuple[Any, ...]]]:
    try:
        ruleset = ragrules.loads(text, source="r.toml")
    except ragrules.RulesetError as exc:
        return None, [
            (p.line, p.column, p.key, p.message, p.hint, p.severity) for p in exc.problems
        ]
    problems = [(p.line, p.column, p.key, p.message, p.hint, p.severity) for p in ruleset.warnings]
    built = [(repr(i), list(i.origins)) for i in ruleset.indicators]
    return (canonical_toml(ruleset), built), problems


def loaded_with(
    text: str, patch: Callable[[pytest.MonkeyPatch], None]
) -> tuple[object, list[tuple[Any, ...]]]:
    """`loaded(text)` with the loader patched (a shortcut turned off)."""
    with pytest.MonkeyPatch.context() as patched:
        patch(patched)
        return loaded(text)
