"""The project's own text holds no raw control, escape or bidi character: one in a docstring
or a doc page would reorder or rewrite what a reader's editor or terminal shows beside it, the
attack the reports guard against. Tests and docs write them as escapes (`\\u202e`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ragrules.model._text import terminal_lines

ROOT = Path(__file__).resolve().parents[1]
TEXT = [
    path
    for folder in ("src", "tests", "docs", "benchmarks", "rulesets")
    for path in (ROOT / folder).rglob("*")
    if path.suffix in (".py", ".md", ".toml", ".csv", ".json", ".txt")
]
TEXT += [ROOT / "README.md", ROOT / "CHANGELOG.md"]


def test_there_is_text_to_read() -> None:
    assert len(TEXT) > 300


@pytest.mark.parametrize("path", TEXT, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_raw_control_or_bidi_character(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    for number, line in enumerate(text.split("\n"), start=1):
        assert terminal_lines(line) == line, f"{number}: {terminal_lines(line)}"
