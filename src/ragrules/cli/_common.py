"""What the commands share: exit codes, loading, reading data, writing output, printing.

Problems go to stderr, one line each: `file:line:col: key.path: message (hint)`, and every
text from a ruleset or data is printed with its control characters shown, never sent raw.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO, cast

import attrs

from ragrules.cli._whole_file import STDOUT, replacing, unwritable, writing
from ragrules.engine.report import Report
from ragrules.engine.ruleset import Ruleset
from ragrules.formats.data import (
    DATA_SUFFIXES,
    parse_columns,
    read_observations,
    sniff_encoding,
)
from ragrules.formats.loading import load, resolve_file
from ragrules.model._text import terminal_lines, terminal_safe
from ragrules.model.errors import DataError, Problem, RagrulesError, RulesetError, Severity
from ragrules.model.periods import PeriodError, parse_period

OK, FINDINGS, USAGE = 0, 1, 2


def load_ruleset(args: argparse.Namespace, path: str) -> Ruleset:
    if Path(path).suffix.lower() in DATA_SUFFIXES:
        data = getattr(args, "data", None)
        swapped = " (did you swap RULESET and DATA?)" if data and data.endswith(".toml") else ""
        raise RulesetError(
            problems=(
                Problem(
                    file=path,
                    message=f"this is a data file, not a ruleset{swapped}",
                    hint="the ruleset (.toml) comes first, then the data",
                ),
            )
        )
    return load(path, search_path=args.search_path, allowed=args.allow)


def refuse_overwriting(args: argparse.Namespace) -> None:
    """--output must not name an input: the data, a published paper, a ruleset or a base
    one extends."""
    if not args.output or not Path(args.output).exists():
        return
    rulesets = [
        *getattr(args, "rulesets", []),
        *(getattr(args, name, None) for name in ("ruleset", "ruleset_a", "ruleset_b")),
    ]
    inputs = [
        ("data", getattr(args, "data", None)),
        ("published paper", getattr(args, "published", None)),
        *(("ruleset", r) for r in rulesets),
    ]
    for ruleset in filter(None, rulesets):
        try:
            _, origins = resolve_file(ruleset, args.search_path, args.allow)
        except RagrulesError:
            continue  # the command itself reports what is wrong with the ruleset
        inputs += [("base ruleset", str(base)) for base in origins.bases]
    target = Path(args.output)
    for what, name in inputs:
        if name and Path(name).exists() and target.samefile(name):
            raise DataError(
                problems=(
                    Problem(
                        file=args.output,
                        message=f"--output would overwrite the {what} ({name})",
                        hint="write the output to another file",
                    ),
                )
            )


def write_bytes(path: str, data: bytes) -> None:
    """Bytes (a workbook) to the file `path`, whole or not at all; DataError, saying where,
    if it cannot be written."""
    with replacing(Path(path)) as out:
        out.write(data)


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[TextIO]:
    """The file named by --output (UTF-8), or stdout. The file is written whole or not at
    all (`_whole_file`): a command stopped by an error leaves the previous file as it was.
    A write that fails (a full disk, a closed stdout) is a DataError naming the file or
    standard output."""
    if path is not None:
        with replacing(Path(path)) as raw, io.TextIOWrapper(raw, "utf-8", newline="") as out:
            yield out
        return
    stdout = sys.stdout
    try:
        descriptor = None if stdout is None else stdout.fileno()
    except (OSError, ValueError):  # not a file (a test's capture, a StringIO): as it is
        yield stdout
        return
    try:
        if stdout is not None:
            stdout.flush()  # what it holds comes first
    except OSError as exc:
        raise unwritable(STDOUT, exc) from None
    with writing(descriptor, STDOUT, close=False) as raw:
        out = io.TextIOWrapper(
            raw,
            getattr(stdout, "encoding", None) or "utf-8",
            getattr(stdout, "errors", None),
            line_buffering=getattr(stdout, "line_buffering", False),
        )
        on_terminal = descriptor is not None and os.isatty(descriptor)
        shown = cast(TextIO, _OnTerminal(out)) if on_terminal else out
        try:
            yield shown
        except BaseException:
            with contextlib.suppress(OSError):
                out.flush()
            raise
        out.flush()


class _OnTerminal(io.TextIOBase):
    r"""Standard output that is a terminal: whatever the format (CSV and HTML print cells as
    they are), control, escape and bidi characters from the ruleset or data are shown as
    `\x1b`, `\u202e`, line ends and tabs kept, so a cell cannot rewrite the terminal. Sent to
    a file or a pipe, the output is as it is."""

    def __init__(self, out: TextIO) -> None:
        super().__init__()
        self._out = out

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._out.write(terminal_lines(text))
        return len(text)

    def flush(self) -> None:
        self._out.flush()


def read_data(args: argparse.Namespace, data: str) -> list[object]:
    columns = parse_columns(args.columns) if args.columns else None
    encoding = getattr(args, "encoding", None)
    if Path(data).suffix.lower() in (".xlsx", ".xlsm"):
        # A workbook has no delimiter or text encoding: options given for it are said to do
        # nothing, not dropped without a word.
        unused = [
            name
            for name, given in (("--delimiter", args.delimiter), ("--encoding", encoding))
            if given is not None
        ]
        if unused:
            print(
                f"{data}: warning: {' and '.join(unused)} do nothing for a workbook",
                file=sys.stderr,
            )
    text = Path(data).suffix.lower() in (".csv", ".tsv", ".txt", ".json")
    # Decided as the reader decides: a file mixing encodings is refused, never "read as".
    if text and encoding is None and Path(data).is_file() and sniff_encoding(data) == "cp1252":
        print(f"{data}: warning: not UTF-8; read as Windows-1252", file=sys.stderr)
    return read_observations(
        data, columns=columns, delimiter=args.delimiter, period=args.period, encoding=encoding
    )


def rate_data(
    ruleset: Ruleset, data: str, period: str | None, args: argparse.Namespace
) -> Report | None:
    """Rate a data file, printing its problems; None when --period is not a period."""
    observations = read_data(args, data)
    try:
        report = ruleset.rate(observations, period=period)
    except DataError as exc:
        for problem in exc.problems:
            print(f"ragrules: --period: {problem.message}", file=sys.stderr)
        return None
    print_problems(tuple(attrs.evolve(p, file=data) for p in report.problems))
    return report


def valid_period(text: str) -> bool:
    try:
        parse_period(text)
    except PeriodError as exc:
        say(f"ragrules: --period: {exc}", file=sys.stderr)
        return False
    return True


def is_missing(path: str) -> bool:
    """True (and said on stderr) when a ruleset file named on the command line is not there."""
    if Path(path).is_file():
        return False
    say(f"{path}: no such ruleset file (check the path)", file=sys.stderr)
    return True


def first_few(items: Sequence[str], count: int = 5) -> str:
    """The first `count` items joined, `, ...` when there are more: what an option's message
    lists of what the data has."""
    return ", ".join(items[:count]) + (", ..." if len(items) > count else "")


def say(*parts: object, file: TextIO | None = None) -> None:
    """print, for text made from rulesets and data: control and escape characters shown."""
    shown = ("\n".join(map(terminal_safe, str(part).split("\n"))) for part in parts)
    print(*shown, file=file or sys.stdout)


def print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    if errors > 1:
        print(f"{errors} errors", file=sys.stderr)
