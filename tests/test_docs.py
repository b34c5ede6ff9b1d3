"""The examples in the documentation: every TOML ruleset loads and every Python block runs.

Fenced blocks are found by their info string:

- `toml`: a complete ruleset; it must load. Marked `<!-- fragment -->` on the line above the
  fence: part of a ruleset, skipped. Marked `<!-- refused -->`: a complete ruleset that must
  be refused; when the next block is `text`, it holds the exact error lines, with the ruleset
  named `ruleset.toml`. (Markers are HTML comments so the site renders the blocks as TOML.)
- `python`: run with `exec` in a fresh namespace, from the repository root.
- `sh`: each line is a `ragrules` command, run from the repository root (a file named by
  `-o` is written to a scratch folder).

A `text` block directly after a `python` or `sh` block (only a blank line between) is its
output, and must be exactly what it prints. A block that cannot run here (it installs
packages, or needs the reader's own files) says so on the line above its fence:
`<!-- not run: REASON -->`.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import NamedTuple

import pytest

import ragrules
from ragrules.cli import main
from tests.conftest import EXAMPLES, ROOT

DOCUMENTS = (
    *sorted((ROOT / "docs").rglob("*.md")),
    ROOT / "README.md",
    ROOT / "CONTRIBUTING.md",
)

# Fewer blocks than this means the extraction broke, not that the docs shrank on purpose.
MIN_TOML = 18
MIN_TOML_ERRORS = 4
MIN_PYTHON = 6


class Block(NamedTuple):
    """One fenced code block: where it is, its info string and its text."""

    document: str
    number: int
    line: int
    info: str
    text: str
    end: int = 0  # the line of the closing fence
    marker: str = ""  # an HTML comment on the line above the fence: `fragment`, `refused`, ...

    @property
    def not_run(self) -> str:
        """The reason given by a `<!-- not run: REASON -->` marker, or ''."""
        return self.marker.removeprefix("not run: ") if self.marker.startswith("not run:") else ""


def _name(path: Path) -> str:
    """A document's name: its path under docs/ (`cookbook/index.md`), or README.md."""
    docs = ROOT / "docs"
    return path.relative_to(docs).as_posix() if path.is_relative_to(docs) else path.name


def _blocks(path: Path) -> list[Block]:
    """Every fenced block in a Markdown file, numbered from 1 in the order they appear."""
    blocks: list[Block] = []
    info: str | None = None
    start = 0
    body: list[str] = []
    previous = note = ""
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if info is None:
            if stripped.startswith("```"):
                info, start, body = stripped[3:].strip(), line_number, []
                marker = re.fullmatch(r"<!-- (.+) -->", previous)
                note = marker[1] if marker else ""
        elif stripped == "```":
            text = "\n".join(body) + "\n"
            blocks.append(Block(_name(path), len(blocks) + 1, start, info, text, line_number, note))
            info = None
        else:
            body.append(line)
        previous = stripped
    assert info is None, f"{_name(path)}:{start}: the block opened here is never closed"
    return blocks


ALL_BLOCKS = [block for path in DOCUMENTS for block in _blocks(path)]
TOML = [block for block in ALL_BLOCKS if block.info == "toml" and not block.marker]
TOML_ERRORS = [block for block in ALL_BLOCKS if block.info == "toml" and block.marker == "refused"]
PYTHON = [block for block in ALL_BLOCKS if block.info == "python" and not block.not_run]


def _id(block: Block) -> str:
    """A test id naming the document, the block's number and its line."""
    return f"{block.document}-block{block.number}-line{block.line}"


def _following(block: Block) -> Block | None:
    """The block right after `block` (only a blank line between), if any: its output."""
    for candidate in ALL_BLOCKS:
        if (
            candidate.document == block.document
            and candidate.number == block.number + 1
            and candidate.line <= block.end + 2
        ):
            return candidate
    return None


def test_blocks_were_found() -> None:
    """The extraction finds the examples the documents are known to hold."""
    assert len(TOML) >= MIN_TOML
    assert len(TOML_ERRORS) >= MIN_TOML_ERRORS
    assert len(PYTHON) >= MIN_PYTHON
    assert any(block.document == "README.md" for block in PYTHON)


def test_every_toml_block_is_labelled() -> None:
    """A TOML block is a ruleset, a fragment or a refused ruleset; nothing else."""
    for block in ALL_BLOCKS:
        if block.info.startswith("toml"):
            assert block.info == "toml", f"{_id(block)}: mark fragments with <!-- fragment -->"
            assert block.marker in ("", "fragment", "refused"), _id(block)


@pytest.mark.parametrize("block", TOML, ids=_id)
def test_toml_block_loads(block: Block) -> None:
    """A complete ruleset in the docs loads."""
    # Examples are written as if they were files in rulesets/examples/ (for `extends`).
    ruleset = ragrules.loads(
        block.text, source=f"{block.document}:{block.line}", directory=EXAMPLES
    )
    assert ruleset.indicators


@pytest.mark.parametrize("block", TOML_ERRORS, ids=_id)
def test_toml_error_block_is_refused(block: Block) -> None:
    """A ruleset shown as an error is refused, with the errors the docs print."""
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(block.text, source="ruleset.toml", directory=EXAMPLES)
    shown = _following(block)
    if shown is not None and shown.info == "text":
        assert str(caught.value) + "\n" == shown.text


@pytest.mark.parametrize("block", PYTHON, ids=_id)
def test_python_block_runs(block: Block, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Python example in the docs runs from the repository root."""
    monkeypatch.chdir(ROOT)
    code = compile(block.text, f"{block.document}:{block.line}", "exec")
    exec(code, {"__name__": "__docs__"})


PYTHON_WITH_OUTPUT = [
    block for block in PYTHON if (shown := _following(block)) is not None and shown.info == "text"
]


def test_the_readme_shows_its_output() -> None:
    assert any(block.document == "README.md" for block in PYTHON_WITH_OUTPUT)


@pytest.mark.parametrize("block", PYTHON_WITH_OUTPUT, ids=_id)
def test_python_example_prints_what_the_docs_show(
    block: Block, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Python example followed by a `text` block prints exactly that text."""
    shown = _following(block)
    assert shown is not None
    monkeypatch.chdir(ROOT)
    exec(compile(block.text, f"{block.document}:{block.line}", "exec"), {"__name__": "__docs__"})
    assert capsys.readouterr().out == shown.text


RUNNABLE_INFO = ("python", "sh", "bash", "console", "shell", "pycon")


def test_every_command_and_python_block_runs_or_says_why_not() -> None:
    """Commands and Python are run by the tests, or marked `<!-- not run: REASON -->`."""
    for block in ALL_BLOCKS:
        if block.info in RUNNABLE_INFO and not block.not_run:
            assert block.info in ("python", "sh"), f"{_id(block)}: use python or sh"
            if block.info == "sh":
                lines = block.text.strip().splitlines()
                assert all(line.startswith("ragrules ") for line in lines), (
                    f"{_id(block)}: a sh block holds ragrules commands, one per line; "
                    "mark anything else <!-- not run: REASON -->"
                )


SHELL = [block for block in ALL_BLOCKS if block.info == "sh" and not block.not_run]


@pytest.mark.parametrize("block", SHELL, ids=_id)
def test_shell_block_runs(
    block: Block,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every command in a sh block runs (exit 0, or 1 for findings) from the repository root."""
    monkeypatch.chdir(ROOT)
    for line in block.text.strip().splitlines():
        argv = shlex.split(line)[1:]
        for flag in ("-o", "--output"):
            if flag in argv:
                at = argv.index(flag) + 1
                argv[at] = str(tmp_path / Path(argv[at]).name)
        assert main(argv) in (0, 1), line
        capsys.readouterr()


SHELL_WITH_OUTPUT = [
    block
    for block in ALL_BLOCKS
    if block.info == "sh"
    and block.text.startswith("ragrules ")
    and block.text.count("\n") == 1
    and (shown := _following(block)) is not None
    and shown.info == "text"
]


def test_shell_examples_were_found() -> None:
    """At least the README-style Havering example is checked."""
    assert SHELL_WITH_OUTPUT


@pytest.mark.parametrize("block", SHELL_WITH_OUTPUT, ids=_id)
def test_shell_example_prints_what_the_docs_show(
    block: Block, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A one-line `ragrules` command in the docs prints the output shown after it."""
    monkeypatch.chdir(ROOT)
    shown = _following(block)
    assert shown is not None
    assert main(shlex.split(block.text)[1:]) in (0, 1)  # diff and check exit 1 on findings
    assert capsys.readouterr().out == shown.text


@pytest.mark.parametrize("name", ["council.toml", "q2-performance.csv"])
def test_the_tutorial_shows_its_files_as_they_are(name: str) -> None:
    """Readers without a checkout copy the files from the page: the copies must not drift."""
    text = (ROOT / "docs" / "tutorial" / name).read_text(encoding="utf-8")
    shown = [block.text for block in ALL_BLOCKS if block.document == "tutorial.md"]
    assert text in shown, f"docs/tutorial.md no longer shows docs/tutorial/{name} as it is"
