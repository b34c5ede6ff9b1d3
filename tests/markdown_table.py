"""How many cells a Markdown table row has, as a renderer counts them: shared by the output
safety tests and the Markdown fuzz target (fuzz/atheris_fuzz.py)."""

from __future__ import annotations


def markdown_cells(line: str) -> int:
    """The number of cells in a Markdown table row: its unescaped pipes, less one."""
    pipes, escaped = 0, False
    for character in line:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == "|":
            pipes += 1
    return pipes - 1
