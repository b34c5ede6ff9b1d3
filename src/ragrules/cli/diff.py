"""`ragrules diff`: how two rulesets differ in their rules, and in ratings of data."""

from __future__ import annotations

import argparse

from ragrules.cli._common import FINDINGS, OK, USAGE, load_ruleset, rate_data, say
from ragrules.engine.canonical import fingerprint
from ragrules.tools.compare import rating_differences, rule_differences


def run_diff(args: argparse.Namespace) -> int:
    a, b = load_ruleset(args, args.ruleset_a), load_ruleset(args, args.ruleset_b)
    say(f"A: {args.ruleset_a} ({fingerprint(a)})")
    say(f"B: {args.ruleset_b} ({fingerprint(b)})")
    rules = rule_differences(a, b)
    say("\nRules:" if rules else "\nRules: the same.")
    for difference in rules:
        say(f"  {difference}")
    ratings = []
    if args.data is not None:
        report_a = rate_data(a, args.data, args.period, args)
        report_b = rate_data(b, args.data, args.period, args)
        if report_a is None or report_b is None:
            return USAGE
        ratings = rating_differences(report_a, report_b)
        period = report_a.period or "no period"
        say(f"\nRatings of {args.data} for {period}:" if ratings else "\nRatings: the same.")
        for rated in ratings:
            say(f"  {rated}")
            for side, report in (("A", report_a), ("B", report_b)):
                say(f"    {side}:")
                result = rated.a
                explained = report.explain(
                    result.indicator.id, area=result.area, breakdown=dict(result.breakdown)
                )
                for line in str(explained).splitlines():
                    say(f"      {line}")
    return FINDINGS if rules or ratings else OK
