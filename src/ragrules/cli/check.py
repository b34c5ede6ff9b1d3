"""`ragrules check`: validate rulesets, and optionally the findings of a data file."""

from __future__ import annotations

import argparse

from ragrules.cli._common import (
    FINDINGS,
    OK,
    USAGE,
    is_missing,
    load_ruleset,
    print_problems,
    rate_data,
    say,
    valid_period,
)
from ragrules.model.errors import RagrulesError


def run_check(args: argparse.Namespace) -> int:
    if args.period is not None and not valid_period(args.period):
        return USAGE
    code = OK
    for path in args.rulesets:
        if is_missing(path):
            code = USAGE
            continue
        try:
            ruleset = load_ruleset(args, path)
        except RagrulesError as exc:
            print_problems(exc.problems)
            code = max(code, FINDINGS)
            continue
        print_problems(ruleset.warnings)
        count = len(ruleset.indicators)
        say(f"{path}: ok ({count} indicator{'s' if count != 1 else ''})")
        if args.data is not None:
            report = rate_data(ruleset, args.data, args.period, args)
            if report is None:
                return USAGE
            found = len(report.problems)
            say(f"{args.data}: {found} finding{'s' if found != 1 else ''} with {path}")
            code = max(code, FINDINGS if found else OK)
    return code
