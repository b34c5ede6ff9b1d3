"""`ragrules explain`: the derivation of one indicator's rating, step by step."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping

from ragrules.cli._common import OK, USAGE, first_few, load_ruleset, rate_data, say
from ragrules.engine.report import NotInReport, Report
from ragrules.model.errors import close_matches
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
    breakdown = {column_key(k): v for k, v in (part.partition("=")[::2] for part in args.breakdown)}
    try:
        explanation = report.explain(args.indicator, area=args.area, breakdown=breakdown or None)
    except LookupError as exc:
        wrong_option = _what_is_there(report, args.indicator, args.area, breakdown)
        if wrong_option is None:
            say(f"ragrules explain: {exc.args[0]}", file=sys.stderr)
        else:
            option, there = wrong_option
            # Its own suggestion is in `there`: the report's is left out.
            bare = exc.message if isinstance(exc, NotInReport) else exc.args[0]
            say(f"ragrules explain: {option}: {bare} ({there})", file=sys.stderr)
        return USAGE
    if args.format == "json":
        sys.stdout.write(json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        say(f"{explanation}")
    return OK


Series = tuple[str, str, tuple[tuple[str, str], ...]]  # indicator or roll-up, area, breakdown


def _what_is_there(
    report: Report, indicator: str, area: str | None, breakdown: Mapping[str, str]
) -> tuple[str, str] | None:
    """The option that asks for what the report has not, and what it has instead (`did you
    mean 'a'? it has a, b`); None when each asks for something there (the combination is not)."""
    found: list[Series] = [(r.indicator.id, r.area, r.breakdown) for r in report.results]
    if report.ruleset.rollups:
        found += [(r.rollup.id, r.area, r.breakdown) for r in report.rollups]
    ids = list(dict.fromkeys(series[0] for series in found))
    if indicator not in ids:
        return "--indicator", f"{_mean(indicator, ids)}it has {first_few(ids)}"
    found = [series for series in found if series[0] == indicator]
    where = f"indicator {indicator!r}"
    if area is not None:
        areas = list(dict.fromkeys(series[1] for series in found))
        if areas == [""]:
            return "--area", "the data has no area column"
        if area not in areas:
            return "--area", f"{_mean(area, areas)}{where} has {first_few(areas)}"
        found = [series for series in found if series[1] == area]
    for key, value in breakdown.items():
        columns = list(dict.fromkeys(column for series in found for column, _ in series[2]))
        if not columns:
            return "--breakdown", f"{where} has no breakdown columns: leave --breakdown out"
        if key not in columns:
            return "--breakdown", (
                f"no breakdown column {key!r}: {_mean(key, columns)}"
                f"the breakdown columns are {', '.join(columns)}"
            )
        values = list(dict.fromkeys(dict(series[2]).get(key, "") for series in found))
        if value not in values:
            shown = [v or "(blank)" for v in values]
            return "--breakdown", f"{_mean(value, values)}{key} holds {first_few(shown)}"
        found = [series for series in found if dict(series[2]).get(key, "") == value]
    return None


def _mean(word: str, there: Iterable[str]) -> str:
    """`did you mean 'a'? ` for a word there in another case or close to one; else nothing."""
    candidates = [candidate for candidate in there if candidate]
    same = [candidate for candidate in candidates if candidate.casefold() == word.casefold()]
    close = same or close_matches(word, candidates)
    return f"did you mean {close[0]!r}? " if close else ""
