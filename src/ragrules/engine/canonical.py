"""The canonical form of a resolved ruleset: stable TOML text, and its fingerprint.

Every setting is written out in full for each indicator (no `[defaults]`, no `extends`), in
a fixed key order, with numbers as exact text in the indicator's unit (or, where that would
take more digits than a ruleset may write, in another unit: see `quantity_text`). Loading the
canonical text gives an equal ruleset, and its sha256 is the fingerprint every report
prints, so an auditor can tell exactly which rules produced a report.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

import attrs

from ragrules.engine._canonical_numbers import number_text, quantity_text
from ragrules.engine._toml_writer import dumps
from ragrules.model.comparisons import Benchmark, Group
from ragrules.model.numbers import EXACT
from ragrules.model.periods import Calendar, Period, text_in
from ragrules.model.rollups import Rollup, RollupRule
from ragrules.model.rules import (
    BUILTIN_SCALES,
    DEFAULT_GLYPHS,
    FORMAT_VERSION,
    NO_CHANGE,
    Against,
    Arrows,
    Band,
    Basis,
    BenchmarkTarget,
    Boundary,
    Comparison,
    ExceptionRule,
    Indicator,
    Margin,
    Point,
    PointKind,
    ProfiledTarget,
    RulesetData,
    Scale,
    Schedule,
    TargetSpec,
    Tokens,
    TravelCondition,
    TravelWord,
)


def canonical_toml(ruleset: RulesetData) -> str:
    """The ruleset as canonical TOML text (what `ragrules fmt` prints)."""
    return dumps(to_document(ruleset))


def fingerprint(ruleset: RulesetData) -> str:
    """`sha256:` and the hex digest of the canonical TOML text."""
    digest = hashlib.sha256(canonical_toml(ruleset).encode("utf-8")).hexdigest()
    return f"sha256:{digest}"


def to_document(ruleset: RulesetData) -> dict[str, Any]:
    """The ruleset as plain TOML data in canonical order."""
    calendar = _CALENDAR.set(ruleset.calendar)  # what an unnamed split year reads as
    try:
        return _document(ruleset)
    finally:
        _CALENDAR.reset(calendar)


# The calendar of the ruleset being written: a `from` period names its year's calendar
# where the ruleset's would read it otherwise (`AY 2021/22` in a financial ruleset).
_CALENDAR: ContextVar[Calendar] = ContextVar("calendar", default=Calendar.FINANCIAL)


def _from(start: Period) -> dict[str, str]:
    return {"from": text_in(start, _CALENDAR.get())}


def _document(ruleset: RulesetData) -> dict[str, Any]:
    head: dict[str, Any] = {"format": FORMAT_VERSION, "id": ruleset.id}
    if ruleset.title:
        head["title"] = ruleset.title
    if ruleset.version:
        head["version"] = ruleset.version
    if ruleset.calendar is not Calendar.FINANCIAL:
        head["calendar"] = ruleset.calendar.value
    if ruleset.catalogue:
        head["catalogue"] = True
    document: dict[str, Any] = {"ruleset": head}

    used = [
        scale
        for indicator in ruleset.indicators
        for scale in (
            indicator.scale,
            *([indicator.forecast.scale] if indicator.forecast else []),
            *(indicator.dated_scale.values() if indicator.dated_scale else []),
        )
    ]
    scales = {scale.name: scale for scale in used if BUILTIN_SCALES.get(scale.name) != scale}
    if scales:
        document["scales"] = {  # `contextual` only when set: other digests do not change
            name: {**({"contextual": True} if scale.contextual else {}), **_scale(scale)}
            for name, scale in scales.items()
        }
    travel = _travel(ruleset)
    if travel:
        document["travel"] = travel
    exceptions = _exceptions(ruleset)
    if exceptions:
        document["exceptions"] = exceptions
    data = _data(ruleset.tokens)
    if data:
        document["data"] = data
    if ruleset.benchmarks:
        document["benchmarks"] = {b.name: _benchmark(b) for b in ruleset.benchmarks}
    if ruleset.groups:
        document["groups"] = {group.name: _group(group) for group in ruleset.groups}
    if ruleset.statuses:
        document["statuses"] = {
            words.status: {
                key: value
                for key, value in (
                    ("label", words.label),
                    ("synonyms", list(words.synonyms)),
                    ("colour", words.colour),
                    ("order", words.order),
                )
                if value not in ("", [], None)
            }
            for words in ruleset.statuses
        }
    if ruleset.percentages != ("rated",):
        document["summary"] = {"percentages": list(ruleset.percentages)}
    document["indicator"] = [_indicator(indicator) for indicator in ruleset.indicators]
    if ruleset.rollups:
        document["rollup"] = [_rollup(rollup) for rollup in ruleset.rollups]
    return document


def _rollup(rollup: Rollup) -> dict[str, Any]:
    found: dict[str, Any] = {"id": rollup.id}
    if rollup.title:
        found["title"] = rollup.title
    found["members"] = list(rollup.members)
    found["rule"] = rollup.rule.value
    if rollup.weights:
        found["weights"] = {m: number_text(w) for m, w in rollup.weights}
    if rollup.counted:
        found["counting"] = list(rollup.counted)
    if rollup.points:
        found["points"] = {s: number_text(p) for s, p in rollup.points}
    share = rollup.rule is RollupRule.SHARE
    if rollup.bands:
        found["bands"] = [
            {"status": band.status}
            if band.at_least is None
            else {
                "status": band.status,
                "at-least": f"{number_text(band.at_least)}%"
                if share
                else number_text(band.at_least),
            }
            for band in rollup.bands
        ]
    return found


def _benchmark(benchmark: Benchmark) -> dict[str, Any]:
    if benchmark.statistic is not None:
        found: dict[str, Any] = {"statistic": benchmark.statistic.value}
        if benchmark.group:
            found["group"] = benchmark.group
        if benchmark.weights:
            found["weights"] = benchmark.weights
        return found
    if benchmark.area:
        return {"area": benchmark.area}
    return {"area-column": benchmark.area_column}


def _group(group: Group) -> dict[str, Any]:
    if group.neighbours:
        return {
            "neighbours": [
                {
                    **(_from(s.start) if s.start is not None else {}),
                    "of": {area: sorted(codes) for area, codes in s.of},
                }
                for s in group.neighbours
            ]
        }
    found: dict[str, Any] = {}
    if group.where:
        found["where"] = dict(group.where)
    if group.areas:
        found["areas"] = sorted(group.areas)
    return found


def _scale(scale: Scale) -> dict[str, Any]:
    test = scale.significance
    if scale.quantiles is not None:
        bands = scale.quantiles
        counted = {
            "count": bands.count,
            "method": bands.method.value,
            "statuses": list(bands.statuses),
        }
        return {"quantiles": {**({"group": bands.group} if bands.group else {}), **counted}}
    if test is None:
        return {"bands": [_band(band) for band in scale.bands]}
    body: dict[str, Any] = {
        "benchmark": test.benchmark,
        "level": test.level,
        "lower": test.lower,
        "upper": test.upper,
    }
    if test.strict_level:
        body.update(
            {
                "strict-level": test.strict_level,
                "strict-lower": test.strict_lower,
                "strict-upper": test.strict_upper,
            }
        )
    body["compare"] = (
        "intervals" if test.intervals else "control-limits" if test.control_limits else "value"
    )
    if test.method != "columns":
        body.update(
            {
                "method": test.method,
                "count": test.count,
                "denominator": test.denominator,
                "multiplier": test.multiplier,
            }
        )
    return {
        "significance": {**body, "statuses": list(test.judged), "unjudged": list(test.unjudged)}
    }


def _band(band: Band) -> dict[str, Any]:
    data: dict[str, Any] = {"status": band.status}
    if band.start is not None:
        data["from"] = point_data(band.start)
    if band.boundary is Boundary.WORSE:
        data["boundary"] = band.boundary.value
    if band.travel is not None:
        data["travel"] = _condition(band.travel)
    return data


def point_data(point: Point) -> object:
    """A band start as the ruleset format writes it."""
    if point.kind is PointKind.TARGET:
        return "target"
    if point.kind is PointKind.THRESHOLD:
        return {"threshold": point.threshold}
    if point.kind is PointKind.RATIO:
        assert point.ratio is not None
        return {"ratio": _percent(point.ratio)}
    margin = point.margin
    reference = margin if isinstance(margin, str) else {"relative": _percent(_amount(margin))}
    return {point.kind.value: reference}


def _amount(margin: object) -> Decimal:
    assert isinstance(margin, Margin)
    return margin.amount


def _condition(condition: TravelCondition) -> dict[str, Any]:
    order = ["improving", "unchanged", "worsening"]
    return {
        "comparison": condition.comparison,
        "judgement": sorted((j.value for j in condition.judgements), key=order.index),
    }


def _data(tokens: Tokens) -> dict[str, Any]:
    """`[data]`: tokens (dated ones as their entries) and breakdowns."""
    data: dict[str, Any] = {}
    for key, values, dated in (
        ("no-data", tokens.no_data, tokens.dated_no_data),
        ("suppressed", tokens.suppressed, tokens.dated_suppressed),
    ):
        if dated is not None:
            data[key] = _dated_values(dated, sorted)
        elif values:
            data[key] = sorted(values)
    if tokens.breakdowns:
        data["breakdowns"] = list(tokens.breakdowns)
    return data


def _travel(ruleset: RulesetData) -> dict[str, Any]:
    travel = ruleset.travel
    data: dict[str, Any] = {}
    if travel.dated_arrows is not None:
        data["arrows"] = _dated_values(travel.dated_arrows, lambda arrows: arrows.value)
    elif travel.arrows is not Arrows.DIRECTION:
        data["arrows"] = travel.arrows.value
    if travel.dated_glyphs is not None:
        data["glyphs"] = _dated_values(travel.dated_glyphs, dict)
    elif travel.glyphs != DEFAULT_GLYPHS:
        data["glyphs"] = dict(travel.glyphs)
    if travel.comparisons:
        data["comparisons"] = {
            comparison.name: {
                "against": comparison.against.value,
                **({"benchmark": comparison.benchmark} if comparison.benchmark else {}),
                **({"label": comparison.label} if comparison.label else {}),
                **(
                    {"points": comparison.points, "test": comparison.test}
                    if comparison.against is Against.RECENT_TREND
                    else {"points": comparison.points}
                    if comparison.against is Against.PREVIOUS_AVERAGE
                    else {}
                ),
                **({"words": _words(comparison)} if comparison.has_words else {}),
                **({"same-target": True} if comparison.same_target else {}),
            }
            for comparison in travel.comparisons
        }
    return data


def _words(comparison: Comparison) -> list[Any]:
    """A comparison's words, or its dated lists of words."""
    if comparison.dated_words is not None:
        return _dated_values(
            comparison.dated_words, lambda words: [_travel_word(word) for word in words]
        )
    return [_travel_word(word) for word in comparison.words]


def _travel_word(word: TravelWord) -> dict[str, str]:
    found = {"word": word.word}
    if word.direction is not None:
        found["direction"] = word.direction.value
    if word.at_least is not None:
        found["at-least"] = _percent(word.at_least)
    return found


def _exceptions(ruleset: RulesetData) -> dict[str, Any]:
    policy = ruleset.exceptions
    data: dict[str, Any] = {}
    if policy.rules:
        data["rules"] = [_rule(rule) for rule in policy.rules]
    if not policy.flagged:
        data["flagged"] = False
    if policy.commentary_required:
        data["commentary-required"] = sorted(policy.commentary_required)
    return data


def _rule(rule: ExceptionRule) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if rule.name:
        data["name"] = rule.name
    if rule.statuses:
        data["statuses"] = list(rule.statuses)
    if rule.status_periods > 1:
        data["periods"] = rule.status_periods
    if rule.until:
        data["until"] = list(rule.until)
    if rule.travel is not None:
        data["travel"] = {**_condition(rule.travel), "periods": rule.periods}
    return data


def _indicator(indicator: Indicator) -> dict[str, Any]:
    data: dict[str, Any] = {"id": indicator.id}
    if indicator.title:
        data["title"] = indicator.title
    data["unit"] = indicator.unit
    data["polarity"] = (
        _dated_values(indicator.dated_polarity, lambda p: p.value)
        if indicator.dated_polarity
        else indicator.polarity.value
    )
    data["scale"] = (
        _dated_values(indicator.dated_scale, lambda s: s.name)
        if indicator.dated_scale
        else indicator.scale.name
    )
    if indicator.target is not None:
        data["target"] = _schedule(indicator.target, lambda t: target_data(t, indicator.unit))
        if indicator.target.within_year is not None:
            data["target-carries"] = False
    for key in ("tolerance", "stretch"):
        schedule = getattr(indicator, key)
        if schedule is not None:
            data[key] = _schedule(schedule, lambda m: _margin(m, indicator.unit))
    if indicator.dated_thresholds is not None:
        data["thresholds"] = [
            {
                **(_from(entry.start) if entry.start else {}),
                **{name: quantity_text(value, indicator.unit) for name, value in entry.value},
            }
            for entry in indicator.dated_thresholds.entries
        ]
    elif indicator.dated_threshold_ranges is not None:
        data["thresholds"] = [
            {
                **(_from(entry.start) if entry.start else {}),
                **{name: target_data(span, indicator.unit) for name, span in entry.value},
            }
            for entry in indicator.dated_threshold_ranges.entries
        ]
    elif indicator.thresholds or indicator.threshold_ranges:
        data["thresholds"] = {
            **{name: quantity_text(value, indicator.unit) for name, value in indicator.thresholds},
            **{
                name: target_data(span, indicator.unit) for name, span in indicator.threshold_ranges
            },
        }
    if indicator.rounding is not None:
        data["rounding"] = {
            "places": indicator.rounding.places,
            "mode": indicator.rounding.mode.value,
        }
    if indicator.unchanged_within != NO_CHANGE:
        data["unchanged-within"] = _margin(indicator.unchanged_within, indicator.unit)
    if indicator.series_breaks:
        data["series-breaks"] = [text_in(p, _CALENDAR.get()) for p in indicator.series_breaks]
    if indicator.rate is not None:
        data["rate"] = {"per": number_text(indicator.rate.per)}
    if indicator.minimum is not None:
        least = indicator.minimum
        data["minimum"] = {
            key: number_text(value)
            for key, value in (
                ("numerator", least.numerator),
                ("denominator", least.denominator),
                ("value", least.value),
            )
            if value is not None
        }
    if indicator.overrides:
        data["overrides"] = True
    if indicator.forecast is not None:
        data["forecast"] = {"scale": indicator.forecast.scale.name}
    return data


def _dated_values(schedule: Schedule[Any], write: Any) -> list[dict[str, Any]]:
    """A dated setting: `[{ value = ... }, { from = PERIOD, value = ... }]`."""
    return [
        {**(_from(entry.start) if entry.start else {}), "value": write(entry.value)}
        for entry in schedule.entries
    ]


def _schedule(schedule: Schedule[Any], write: Any) -> object:
    if not schedule.is_dated and len(schedule.entries) == 1:
        return write(schedule.entries[0].value)
    entries = []
    for entry in schedule.entries:
        written = write(entry.value)
        body = written if isinstance(written, dict) else {"value": written}
        entries.append({**(_from(entry.start) if entry.start else {}), **body})
    return entries


def target_data(target: TargetSpec, unit: str | None = None) -> object:
    """A target as the ruleset format writes it: numbers as text in the indicator's unit, or
    with the indicator's `unit` given, as the canonical form writes them (see `quantity_text`)."""
    number: Callable[[Decimal], str] = (
        number_text if unit is None else functools.partial(quantity_text, unit=unit)
    )
    if isinstance(target, BenchmarkTarget):
        return {"benchmark": target.benchmark}
    if isinstance(target, ProfiledTarget):  # a named profile is written out, resolved
        profile = [_percent(share) for share in target.shares] if target.shares else "pro-rata"
        return {"annual": number(target.annual), "profile": profile}
    if target.is_point:
        return number(target.value)
    return {"lower": number(target.lower), "upper": number(target.upper)}


def _margin(margin: Margin, unit: str) -> dict[str, Any]:
    if margin.above is not None:
        below = _margin(attrs.evolve(margin, above=None), unit)
        return {"below": below, "above": _margin(margin.above, unit)}
    if margin.basis is Basis.RELATIVE:
        return {"relative": _percent(margin.amount)}
    return {"absolute": quantity_text(margin.amount, unit)}


def _percent(fraction: Decimal) -> str:
    return f"{number_text(fraction.scaleb(2, EXACT))}%"
