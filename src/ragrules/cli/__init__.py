"""The `ragrules` command: rate observations and check rulesets from the shell.

Exit codes: 0 success, 1 findings (check found problems), 2 usage or input errors. Problems
go to stderr, one line each: `file:line:col: key.path: message (hint)`.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence

from ragrules.cli._common import (
    OK,
    USAGE,
    open_output,
    print_problems,
    refuse_overwriting,
    say,
)
from ragrules.cli._parser import build_parser
from ragrules.model.errors import RagrulesError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "output", None) == "-":  # `-o -` is stdout, as for most tools
        args.output = None
    try:
        code: int = _run(args)
    except RagrulesError as exc:
        print_problems(exc.problems)
        return USAGE
    except BrokenPipeError:  # e.g. piped into `head`
        return OK
    except UnicodeEncodeError as exc:  # stdout in an encoding that cannot write the text
        say(
            f"ragrules: cannot write {exc.object[exc.start : exc.end]!r} to stdout in "
            f"{exc.encoding} (use -o FILE, which is UTF-8, or set PYTHONIOENCODING=utf-8)",
            file=sys.stderr,
        )
        return USAGE
    return code


def _run(args: argparse.Namespace) -> int:
    """Run the command; what it prints goes to -o FILE or stdout through `open_output`, so a
    write that fails is an error naming where (rate opens its own)."""
    if args.command == "rate":
        result: int = args.run(args)
        return result
    output = getattr(args, "output", None)
    if output:
        refuse_overwriting(args)
    with open_output(output) as out, contextlib.redirect_stdout(out):
        code: int = args.run(args)
    return code
