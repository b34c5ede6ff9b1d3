"""Shared test set-up: Hypothesis profiles and paths to the shipped rulesets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import ragrules

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "rulesets" / "examples"
CASES = ROOT.parent / "shared" / "cases"
VENDORED_CASES = Path(__file__).parent / "cases"


def load_case(name: str) -> dict[str, Any]:
    """A published-report case, from the copy under tests/cases."""
    data: dict[str, Any] = json.loads((VENDORED_CASES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def assert_refused_at(text: str, key: str, words: str) -> None:
    """The ruleset text is refused with a problem at `key` whose message contains `words`."""
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    assert any(p.key == key and words in p.message for p in caught.value.problems), (
        caught.value.problems
    )


# `ci`: a fixed budget, derandomised, so CI runs are repeatable and bounded in time.
settings.register_profile(
    "ci",
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
# `fuzz`: a long offline run of the fuzz tests (see docs/reliability.md).
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("RAGRULES_FUZZ_EXAMPLES", "200000")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def assert_same_outcome(first: Callable[[], object], second: Callable[[], object]) -> None:
    """`second()` returns what `first()` returns, or raises the `DataError` it raises, word
    for word (two ways of rating a file must refuse the same files alike)."""
    refused: list[str] = []
    try:
        expected = first()
    except ragrules.DataError as exc:
        refused.append(str(exc))
    if refused:
        with pytest.raises(ragrules.DataError) as caught:
            second()
        assert [str(caught.value)] == refused
        return
    assert second() == expected


def as_a_browser_reads(path: Path) -> str:
    """The page's DOM as headless Chromium builds it (skipped where Chromium is missing)."""
    return in_a_browser(path)[0]


def in_a_browser(path: Path) -> tuple[str, list[str]]:
    """The page's DOM as headless Chromium builds it, and what the page logged to the
    browser's console (errors included); skipped where Chromium is missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("headless Chromium is not installed")
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--enable-logging=stderr",
        "--v=0",
        "--dump-dom",
        path.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console
