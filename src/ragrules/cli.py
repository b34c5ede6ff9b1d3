"""The `ragrules` command: rate observations and check rulesets from the shell.

Exit codes: 0 success, 1 findings (check found problems), 2 usage or input errors. Problems
go to stderr, one line each: `file:line:col: key.path: message (hint)`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs

from ragrules import __version__
from ragrules.data import read_observations
from ragrules.errors import DataError, Problem, RagrulesError, Severity
from ragrules.loading import load
from ragrules.model import Ruleset
from ragrules.output import FORMATS, render
from ragrules.report import Report

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
    rate.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    rate.set_defaults(run=_rate)

    check = commands.add_parser("check", help="validate rulesets and report every problem")
    check.add_argument("rulesets", nargs="+", metavar="RULESET", help="ruleset .toml files")
    check.add_argument(
        "--data",
        metavar="DATA",
        help="also rate this data file and report its findings (missing commentary, "
        "rejected rows, unreadable values)",
    )
    check.add_argument("--period", help="the period to check the data for (default: latest)")
    check.set_defaults(run=_check)
    return parser


def _rate(args: argparse.Namespace) -> int:
    ruleset = load(args.ruleset)
    _print_problems(ruleset.warnings)
    report = _rated(ruleset, args.data, args.period)
    if report is None:
        return USAGE
    sys.stdout.write(render(report, args.format))
    return OK


def _rated(ruleset: Ruleset, data: str, period: str | None) -> Report | None:
    """Rate a data file, printing its problems; None when --period is not a period."""
    observations = read_observations(data)
    try:
        report = ruleset.rate(observations, period=period)
    except DataError as exc:
        for problem in exc.problems:
            print(f"ragrules: --period: {problem.message}", file=sys.stderr)
        return None
    _print_problems(tuple(attrs.evolve(p, file=data) for p in report.problems))
    return report


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
        if args.data is not None:
            report = _rated(ruleset, args.data, args.period)
            if report is None:
                return USAGE
            found = len(report.problems)
            print(f"{args.data}: {found} finding{'s' if found != 1 else ''} with {path}")
            code = max(code, FINDINGS if found else OK)
    return code


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    if errors > 1:
        print(f"{errors} errors", file=sys.stderr)
