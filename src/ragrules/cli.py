"""The `ragrules` command: rate observations and check rulesets from the shell.

Exit codes: 0 success, 1 findings (check found problems), 2 usage or input errors. Problems
go to stderr, one line each: `file:line:col: key.path: message (hint)`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ragrules import __version__
from ragrules.data import read_observations
from ragrules.errors import Problem, RagrulesError, Severity
from ragrules.loading import load
from ragrules.output import FORMATS, render
from ragrules.periods import PeriodError, parse_period

OK, FINDINGS, USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except RagrulesError as exc:
        _print_problems(exc.problems)
        return USAGE
    except BrokenPipeError:  # e.g. piped into `head`
        return OK
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ragrules",
        description="Rate performance indicators with a declarative TOML ruleset.",
    )
    parser.add_argument("--version", action="version", version=f"ragrules {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rate = commands.add_parser("rate", help="rate the observations in DATA with RULESET")
    rate.add_argument("ruleset", metavar="RULESET", help="path to a ruleset .toml file")
    rate.add_argument("data", metavar="DATA", help="path to a .csv or .json file of observations")
    rate.add_argument("--period", help="the period to report, e.g. '2020/21 Q2' (default: latest)")
    rate.add_argument("--format", choices=FORMATS, default="table", help="output format")
    rate.set_defaults(run=_rate)

    check = commands.add_parser("check", help="validate rulesets and report every problem")
    check.add_argument("rulesets", nargs="+", metavar="RULESET", help="ruleset .toml files")
    check.set_defaults(run=_check)
    return parser


def _rate(args: argparse.Namespace) -> int:
    ruleset = load(args.ruleset)
    observations = read_observations(args.data)
    period = None
    if args.period is not None:
        try:
            period = parse_period(args.period)
        except PeriodError as exc:
            print(f"ragrules rate: --period: {exc}", file=sys.stderr)
            return USAGE
    report = ruleset.rate(observations, period=None if period is None else str(period))
    _print_problems(ruleset.warnings)
    _print_problems(
        tuple(
            Problem(
                file=args.data,
                row=p.row,
                message=p.message,
                hint=p.hint,
                severity=p.severity,
            )
            for p in report.problems
        )
    )
    sys.stdout.write(render(report, args.format))
    return OK


def _check(args: argparse.Namespace) -> int:
    code = OK
    for path in args.rulesets:
        if not Path(path).is_file():
            print(f"{path}: no such ruleset file (check the path)", file=sys.stderr)
            code = USAGE
            continue
        try:
            ruleset = load(path)
        except RagrulesError as exc:
            _print_problems(exc.problems)
            code = max(code, FINDINGS)
            continue
        _print_problems(ruleset.warnings)
        count = len(ruleset.indicators)
        print(f"{path}: ok ({count} indicator{'s' if count != 1 else ''})")
    return code


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    if errors > 1:
        print(f"{errors} errors", file=sys.stderr)
