"""`ragrules audit`: compare a published report's statuses and arrows with the ruleset's."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import attrs

from ragrules.cli._common import (
    FINDINGS,
    OK,
    USAGE,
    first_few,
    load_ruleset,
    print_problems,
    read_data,
    say,
    valid_period,
)
from ragrules.engine.explain import explain
from ragrules.engine.result import Result
from ragrules.engine.ruleset import Ruleset
from ragrules.tools.audit import audit
from ragrules.tools.published import check_paper, read_paper, series_text


def run_audit(args: argparse.Namespace) -> int:
    ruleset = load_ruleset(args, args.ruleset)
    if args.period is not None and not valid_period(args.period):
        return USAGE
    if args.published is not None:
        return _check_paper(ruleset, args)
    found = audit(ruleset, read_data(args, args.data), args.period)
    problems = (*found.report.problems, *found.problems)
    print_problems(tuple(attrs.evolve(p, file=args.data) for p in problems))
    if not found.checked:
        say(
            f"{args.data}: no published values to check (add published_status or "
            "published_NAME columns for the ruleset's comparisons)",
            file=sys.stderr,
        )
    if args.format == "json":  # the document even when nothing was checked: a pipe reads it
        data = {
            "ruleset": found.report.to_dict()["ruleset"],
            "period": None if found.report.period is None else str(found.report.period),
            "checked": found.checked,
            "mismatches": [mismatch.to_dict() for mismatch in found.mismatches],
            **({"overrides": [_override(r) for r in found.overrides]} if found.overrides else {}),
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return FINDINGS if found.mismatches or not found.checked else OK
    if not found.checked:
        return FINDINGS
    period = found.report.period or "no period"
    count = len(found.mismatches)
    say(
        f"{args.data}: {found.checked} published values checked for {period}, "
        f"{count} mismatch{'es' if count != 1 else ''} ({found.report.fingerprint})"
    )
    for mismatch in found.mismatches:
        say(f"  {mismatch}")
        say("    computed:")
        result = mismatch.result
        explained = found.report.explain(
            result.indicator.id, area=result.area, breakdown=dict(result.breakdown)
        )
        for line in str(explained).splitlines():
            say(f"      {line}")
        if mismatch.alternative is not None:
            say(f"    under {mismatch.readings[0]}:")
            for line in str(explain(mismatch.alternative)).splitlines():
                say(f"      {line}")
    if found.overrides:
        count = len(found.overrides)
        say(
            "1 published status is an officer's override, not a rule mismatch:"
            if count == 1
            else f"{count} published statuses are officers' overrides, not rule mismatches:"
        )
        for result in found.overrides:
            say(f"  {_override_text(result)}")
    areas = [area for area in found.report.areas if area]
    if len(areas) > 1:
        departing = list(dict.fromkeys(m.result.area for m in found.mismatches))
        shown = first_few(departing, 20)
        say(
            f"{len(departing)} of {len(areas)} areas published statuses or arrows the shared "
            f"rules do not give{': ' + shown if departing else ''}"
        )
    return FINDINGS if found.mismatches else OK


def _override(result: Result) -> dict[str, Any]:
    assert result.override is not None
    return {
        "indicator": result.indicator.id,
        "row": result.row,
        "computed": result.status,
        **result.override.to_dict(),
    }


def _override_text(result: Result) -> str:
    override = result.override
    assert override is not None
    by = f" by {override.by}" if override.by else ""
    return (
        f"{result.indicator.id}: published {override.status!r}, computed {result.status!r}; "
        f"overridden{by}: {override.reason}"
    )


def _check_paper(ruleset: Ruleset, args: argparse.Namespace) -> int:
    """`audit --published PAPER`: the paper against the ruleset and the data."""
    found = check_paper(
        ruleset, read_data(args, args.data), read_paper(Path(args.published)), args.period
    )
    paper = found.paper
    if args.format == "json":
        data = {
            "paper": args.published,
            "verified": found.verified,
            "same_rules": found.same_rules,
            "same_data": found.same_data,
            "checked": found.checked,
            "edited": [attrs.asdict(edit) for edit in found.edited],
            "missing": [list(series) for series in found.missing],
            "extra": [list(series) for series in found.extra],
            "doubts": list(paper.doubts),
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return OK if found.verified else FINDINGS
    rules = "the same" if found.same_rules else f"other ({paper.fingerprint or 'none given'})"
    data_words = "the same" if found.same_data else f"other ({paper.data_digest or 'none given'})"
    say(
        f"{args.published}: rules {rules}, data {data_words}; {found.checked} statuses checked, "
        f"{len(found.edited)} not as the rules give them"
    )
    for edit in found.edited:
        say(f"  {edit}")
    for series in found.missing:
        say(f"  {series_text(series)}: not in the paper")
    for series in found.extra:
        say(f"  {series_text(series)}: in the paper, but no result of these rules and data")
    for doubt in paper.doubts:
        say(f"  the paper is not one paper: {doubt}")
    if not found.checked:
        say("  no status of the paper was read: nothing is verified")
    return OK if found.verified else FINDINGS
