"""`ragrules diff`: how two rulesets differ in their rules, and in ratings of data: the
indicators' and the roll-ups'."""

from __future__ import annotations

import argparse
import sys

import attrs

from ragrules.cli._common import FINDINGS, OK, USAGE, load_ruleset, print_problems, read_data, say
from ragrules.engine.canonical import fingerprint
from ragrules.engine.report import Report, Result
from ragrules.engine.rollups import RollupResult
from ragrules.engine.ruleset import Ruleset
from ragrules.model.errors import DataError, Problem
from ragrules.tools.compare import (
    RatingDifference,
    RollupDifference,
    rating_differences,
    rollup_differences,
    rule_differences,
)


def run_diff(args: argparse.Namespace) -> int:
    a, b = load_ruleset(args, args.ruleset_a), load_ruleset(args, args.ruleset_b)
    say(f"A: {args.ruleset_a} ({fingerprint(a)})")
    say(f"B: {args.ruleset_b} ({fingerprint(b)})")
    rules = rule_differences(a, b)
    say("\nRules:" if rules else "\nRules: the same.")
    for difference in rules:
        say(f"  {difference}")
    ratings: list[RatingDifference | RollupDifference] = []
    if args.data is not None:
        reports = _rate_both(a, b, args)
        if reports is None:
            return USAGE
        report_a, report_b = reports
        # The indicators' ratings, then the roll-ups' built from them.
        ratings = [
            *rating_differences(report_a, report_b),
            *rollup_differences(report_a, report_b),
        ]
        period = _period(report_a, report_b)
        say(f"\nRatings of {args.data} for {period}:" if ratings else "\nRatings: the same.")
        for rated in ratings:
            say(f"  {rated}")
            sides = (
                ("A", report_a, rated.a, rated.missing_a),
                ("B", report_b, rated.b, rated.missing_b),
            )
            for side, report, result, missing in sides:
                say(f"    {side}:")
                for line in _derivation(report, result, missing):
                    say(f"      {line}")
    return FINDINGS if rules or ratings else OK


def _rate_both(a: Ruleset, b: Ruleset, args: argparse.Namespace) -> tuple[Report, Report] | None:
    """The data, read once, rated by A and by B; their problems printed once each, those of
    one ruleset alone saying which; None when --period is not a period."""
    observations = read_data(args, args.data)
    try:
        report_a = a.rate(observations, period=args.period)
        report_b = b.rate(observations, period=args.period)
    except DataError as exc:
        for problem in exc.problems:
            say(f"ragrules: --period: {problem.message}", file=sys.stderr)
        return None
    in_a, in_b = set(report_a.problems), set(report_b.problems)
    problems = [p if p in in_b else _from(p, "A") for p in report_a.problems]
    problems += [_from(p, "B") for p in report_b.problems if p not in in_a]
    print_problems(tuple(attrs.evolve(p, file=args.data) for p in problems))
    return report_a, report_b


def _from(problem: Problem, side: str) -> Problem:
    return attrs.evolve(problem, message=f"ruleset {side}: {problem.message}")


def _period(a: Report, b: Report) -> str:
    if a.period is None or b.period is None or a.period == b.period:
        return str(a.period or b.period or "no period")
    return f"{a.period} (A), {b.period} (B)"


def _derivation(report: Report, result: Result | RollupResult | None, missing: str) -> list[str]:
    """One side's derivation of a series or a roll-up, or why that side did not rate it."""
    if result is None:
        return [f"Not rated: {missing}."]
    key = result.rollup.id if isinstance(result, RollupResult) else result.indicator.id
    explained = report.explain(key, area=result.area, breakdown=dict(result.breakdown))
    return str(explained).splitlines()
