"""`ragrules explain`: the derivation of one indicator's rating, step by step."""

from __future__ import annotations

import argparse
import json
import sys

from ragrules.cli._common import OK, USAGE, load_ruleset, rate_data, say
from ragrules.model.observations import column_key


def run_explain(args: argparse.Namespace) -> int:
    ruleset = load_ruleset(args, args.ruleset)
    report = rate_data(ruleset, args.data, args.period, args)
    if report is None:
        return USAGE
    wrong = [part for part in args.breakdown if "=" not in part]
    if wrong:
        say(
            f"ragrules explain: --breakdown {wrong[0]!r} is not COLUMN=VALUE (e.g. sex=Male)",
            file=sys.stderr,
        )
        return USAGE
    breakdown = dict(part.partition("=")[::2] for part in args.breakdown)
    try:
        explanation = report.explain(
            args.indicator,
            area=args.area,
            breakdown={column_key(k): v for k, v in breakdown.items()} if breakdown else None,
        )
    except LookupError as exc:
        say(f"ragrules explain: {exc.args[0]}", file=sys.stderr)
        return USAGE
    if args.format == "json":
        sys.stdout.write(json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        say(f"{explanation}")
    return OK
