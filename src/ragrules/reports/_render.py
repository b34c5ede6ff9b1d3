"""Wording shared by the rendered reports (the table, Markdown and HTML)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ragrules.engine.key import margin_text
from ragrules.engine.report import Report, Result
from ragrules.engine.rollups import RollupResult
from ragrules.engine.travel import BESIDE_BENCHMARK
from ragrules.model.rules import Against, Comparison, RulesetData, Unrated
from ragrules.model.units import with_unit


def indicator_name(result: Result) -> str:
    """`id: title`, as a report lists an indicator; for data with areas or breakdowns, whose
    series it is too: `93356: Campylobacter ... (Hartlepool E06000001; Persons, All ages)`."""
    indicator = result.indicator
    name = f"{indicator.id}: {indicator.title}" if indicator.title else indicator.id
    breakdown = ", ".join(value for _, value in result.breakdown if value)
    series = "; ".join(part for part in (area_name(result), breakdown) if part)
    return f"{name} ({series})" if series else name


def area_name(result: Result) -> str:
    """The result's area as a reader knows it: its name and code, or its code alone."""
    name = dict(result.columns).get("area_name", "")
    return f"{name} {result.area}" if name and result.area else result.area


def areas_text(report: Report) -> str:
    """`Area: Hartlepool E06000001.` for a report of one area, to lead its period line."""
    areas = [area for area in report.areas if area]
    if len(areas) != 1:
        return ""
    shown = max((area_name(r) for r in report.results if r.area == areas[0]), key=len)
    return f"Area: {shown}."


def areas_json(report: Report) -> str:
    """The areas a paper reports, as a JSON list for `ragrules audit --published`: every
    result of them is expected in the paper (one area for `--per-area`)."""
    return json.dumps(list(report.areas), ensure_ascii=False, separators=(",", ":"))


def target_text(result: Result) -> str:
    """The target used, with its unit; blank when there was none."""
    if result.target is None:
        return ""
    return with_unit(str(result.target), result.indicator.unit)


def caveat_text(result: Result) -> str:
    """A caveat as a report prints it: the caveat, then any commentary."""
    return " ".join(text for text in (result.caveat, result.commentary) if text)


def no_flags_text(report: Report) -> str:
    """What the of-particular-note section says when it is empty."""
    if report.ruleset.exceptions.flagged:
        return "No indicator was flagged."
    return "This report does not use hand flags."


def status_text(result: Result, ruleset: RulesetData | None = None) -> str:
    """The reported status in the ruleset's words, marked when it is an officer's override:
    `amber (override)`, `Achieved`."""
    shown = ruleset.label(result.reported_status) if ruleset else result.reported_status
    return f"{shown} (override)" if result.overridden else shown


def edges_text(result: Result, ruleset: RulesetData | None = None) -> str:
    """How far the value is from another status, in the ruleset's words: `Achieved needs
    75, 3.2 more; falls to red below 71.25 (0.55 lower)`, and whether the rating is fragile;
    "" for an unrated result."""
    words = [
        edge.words(ruleset.label(edge.status) if ruleset is not None else "")
        for edge in result.edges
    ]
    if result.fragile:  # a reading published reports use would give another status
        words.append("fragile: another status if " + ", or ".join(result.fragile))
    if words and result.overridden:  # the edges are the computed status's
        label = ruleset.label(result.status) if ruleset is not None else result.status
        return f"computed {label}: " + "; ".join(words)
    return "; ".join(words)


def listed_margins(report: Report) -> tuple[str, ...]:
    """The margins (`tolerance`, `stretch`) that differ between the rated indicators: the
    key cannot state one, so the reports list each indicator's."""
    listed = []
    key = " ".join(entry.text for entry in report.key.entries)
    for name in ("tolerance", "stretch"):
        texts = {margin_column(result, name) for result in report.results if result.rated}
        if len(texts - {""}) > 1 or f"the indicator's {name} (as listed)" in key:
            listed.append(name)
    return tuple(listed)


def margin_column(result: Result, name: str) -> str:
    """A result's margin in force (`tolerance` or `stretch`) in words; "" when none. A
    relative margin on a range target is a share of the range's nearer end, as the key says."""
    margin = result.tolerance if name == "tolerance" else result.stretch
    if margin is None:
        return ""
    ranged = result.target is not None and not result.target.is_point
    return margin_text(margin, result.indicator.unit, of_range=ranged)


def judgement_text(result: Result) -> str:
    """What an override and a forecast add to a result's reasons; blank without either.

    `Override by J Smith: new units open in Q4; computed red.`
    `Forecast 185 for 2020/21 Q4: amber against 180.`
    """
    parts = []
    override = result.override
    if override is not None:
        by = f" by {override.by}" if override.by else ""
        if override.applied:
            parts.append(f"Override{by}: {override.reason}; computed {result.status}.")
        else:
            parts.append(f"Override {override.status!r} not applied: {override.note}.")
    forecast = result.forecast
    if forecast is not None and forecast.unrated is not Unrated.NO_DATA:
        when = f" for {forecast.period}" if forecast.period else ""
        if forecast.rated:
            assert forecast.target is not None
            target = with_unit(str(forecast.target), result.indicator.unit)
            parts.append(
                f"Forecast {forecast.value_text.strip()}{when}: {forecast.status} against {target}."
            )
        else:
            parts.append(f"Forecast {forecast.value_text.strip()}{when}: {forecast.reason}.")
    return " ".join(parts)


def rollup_name(rollup: RollupResult) -> str:
    """`housing: Housing`, and whose series it is for data with areas or breakdowns."""
    name = f"{rollup.rollup.id}: {rollup.rollup.title}" if rollup.rollup.title else rollup.rollup.id
    series = ", ".join([rollup.area] * bool(rollup.area) + [v for _, v in rollup.breakdown if v])
    return f"{name} ({series})" if series else name


def members_text(rollup: RollupResult, ruleset: RulesetData | None = None) -> str:
    """The members and their statuses in the ruleset's words:
    `temporary-accommodation amber, homelessness-prevented green`."""
    return ", ".join(
        f"{member} {ruleset.label(status) if ruleset else status}"
        for member, status in rollup.members
    )


def value_shown(result: Result) -> str:
    """The value as published, with the data's marks: `17 / 1001 (provisional)`."""
    text = result.value_text or "-"
    return f"{text} ({', '.join(result.marks)})" if result.marks else text


Shares = tuple[int | None, ...]


def summary_rows(
    report: Report,
) -> tuple[list[str], list[tuple[str, int, Shares]], list[tuple[str, int, Shares]]]:
    """The summary's share columns (`% of rated`, `% of all`, as the ruleset's `[summary]`
    lists them), then each status's and each unrated reason's count with its shares in
    those columns (None where a share has no meaning: an unrated reason's of the rated)."""
    summary, kinds = report.summary, report.ruleset.percentages
    rated, of_all = dict(summary.percentages), dict(summary.of_all or ())
    unrated_of_all = dict(summary.unrated_of_all or ())
    statuses: list[tuple[str, int, Shares]] = [
        (status, count, tuple(rated[status] if k == "rated" else of_all[status] for k in kinds))
        for status, count in summary.counts
    ]
    reasons = [
        (reason, count, tuple(None if k == "rated" else unrated_of_all[reason] for k in kinds))
        for reason, count in summary.unrated
    ]
    return [f"% of {kind}" for kind in kinds], statuses, reasons


# How every report names the counts of contextual scales, apart from the rated statuses.
CONTEXT_LABEL = "Context (not rated)"


def context_rows(report: Report) -> list[tuple[str, int, Shares]]:
    """Each status of a contextual scale with its count and its shares in the summary's
    columns: None of the rated (it is not rated), its share of all where asked for. Empty
    when no indicator uses a contextual scale."""
    summary, kinds = report.summary, report.ruleset.percentages
    of_all = dict(summary.context_of_all or ())
    return [
        (status, count, tuple(None if k == "rated" else of_all[status] for k in kinds))
        for status, count in summary.context or ()
    ]


def shares_text(report: Report, shares: Shares) -> str:
    """A count's shares in words: `33%` when the summary gives one kind (of the rated), else
    each named: `33% of rated, 29% of all`."""
    kinds = report.ruleset.percentages
    if kinds == ("rated",):
        return f"{shares[0]}%"
    return ", ".join(
        f"{share}% of {kind}"
        for kind, share in zip(kinds, shares, strict=True)
        if share is not None
    )


def travel_counts(comparison: Comparison, counts: Sequence[tuple[str, int]]) -> str:
    """A comparison's line of the summary: `improving 2, not-comparable 1`; against a
    benchmark, `better 2, worse 1`."""
    beside = comparison.against is Against.BENCHMARK
    return ", ".join(
        f"{BESIDE_BENCHMARK.get(outcome, outcome) if beside else outcome} {n}"
        for outcome, n in counts
        if n
    )
