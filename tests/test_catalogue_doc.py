"""docs/catalogue.md lists the shipped catalogue, generated from its files so it cannot drift.

Run with RAGRULES_UPDATE_DOCS=1 to rewrite the generated part after changing a catalogue.
"""

from __future__ import annotations

import os
from pathlib import Path

import tomli

import ragrules
from ragrules.model.units import label
from tests.conftest import ROOT

DOC = ROOT / "docs" / "catalogue.md"
BEGIN = "<!-- generated from rulesets/catalogue: begin -->"
END = "<!-- generated from rulesets/catalogue: end -->"


def _generated() -> str:
    """A section per catalogue file: a table of its indicators and their source notes."""
    parts = []
    for path in sorted((ROOT / "rulesets" / "catalogue").glob("*.toml")):
        ruleset = ragrules.load(path)
        notes = _source_notes(path)
        rows = [
            "| id | title | unit | polarity | source |",
            "| --- | --- | --- | --- | --- |",
        ]
        for indicator in ruleset.indicators:
            unit = label(indicator.unit) or indicator.unit
            rows.append(
                f"| `{indicator.id}` | {indicator.title} | {unit} | "
                f"{indicator.polarity.value} | {notes.get(indicator.id, '')} |"
            )
        parts += [
            f"## {ruleset.title or ruleset.id}",
            "",
            f"`{path.relative_to(ROOT).as_posix()}`: id `{ruleset.id}`, version "
            f"{ruleset.version}, {len(ruleset.indicators)} indicators.",
            "",
            *rows,
            "",
        ]
    return "\n".join(parts)


def _source_notes(path: Path) -> dict[str, str]:
    """Each indicator's `source` note (for people; the model does not keep it)."""
    document = tomli.loads(path.read_text(encoding="utf-8"))
    return {entry["id"]: entry.get("source", "") for entry in document.get("indicator", [])}


def test_catalogue_doc_is_up_to_date() -> None:
    """The generated list in docs/catalogue.md matches the catalogue files."""
    text = DOC.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    expected = f"{head}{BEGIN}\n{_generated()}{END}{tail}"
    if os.environ.get("RAGRULES_UPDATE_DOCS"):
        DOC.write_text(expected, encoding="utf-8")
    assert text == expected, "run RAGRULES_UPDATE_DOCS=1 pytest tests/test_catalogue_doc.py"
