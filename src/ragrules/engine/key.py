"""The key: a plain-English legend generated from the ruleset, so a report says what it means.

Every status band and every comparison gets a sentence: "Amber: below target by no more than
10% of the target"; "Short term arrow: compared with the previous quarter; shows whether the
value went up or down" (what Wokingham's members asked a key to say).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ragrules.engine._key_bands import band_text
from ragrules.engine._key_bands import margin_text as margin_text  # reports quote margins
from ragrules.engine.rollups import rule_words
from ragrules.model._text import first_upper
from ragrules.model.comparisons import Quantiles, Significance
from ragrules.model.numbers import EXACT, format_decimal
from ragrules.model.periods import Period, PeriodKind
from ragrules.model.rules import (
    Against,
    Arrows,
    Basis,
    Comparison,
    Indicator,
    Margin,
    Polarity,
    RulesetData,
    Travel,
    Unrated,
)
from ragrules.model.units import amount_text


def _sentence(text: str) -> str:
    """Keys read as sentences: a capital first letter."""
    return text[:1].upper() + text[1:]


@attrs.frozen(kw_only=True)
class KeyEntry:
    """One line of the key: what a colour, an arrow or an unrated status means."""

    label: str
    text: str = attrs.field(converter=_sentence)

    def __str__(self) -> str:
        return f"{self.label}: {self.text}"


@attrs.frozen(kw_only=True)
class Key:
    """The legend of a report: statuses (best first), arrows, and reasons not to rate."""

    statuses: tuple[KeyEntry, ...]
    arrows: tuple[KeyEntry, ...]
    unrated: tuple[KeyEntry, ...]
    # What an override and a forecast mean, for a ruleset that allows them.
    judgement: tuple[KeyEntry, ...] = ()
    # How each roll-up is rated.
    rollups: tuple[KeyEntry, ...] = ()

    @property
    def entries(self) -> tuple[KeyEntry, ...]:
        """Every line of the key, in the order a report prints them."""
        return (*self.statuses, *self.arrows, *self.judgement, *self.rollups, *self.unrated)

    def __str__(self) -> str:
        return "\n".join(str(entry) for entry in self.entries)

    def to_dict(self) -> dict[str, Any]:
        # The parts of 0.1, then those a ruleset has only when it uses them.
        parts = ["statuses", "arrows", "unrated"]
        parts += [part for part in ("judgement", "rollups") if getattr(self, part)]
        return {part: [attrs.asdict(entry) for entry in getattr(self, part)] for part in parts}


_UNRATED_TEXT = {
    Unrated.NEUTRAL: "shown for information; the direction of a change is not judged.",
    Unrated.NO_TARGET: "no target is set, so the value is not rated.",
    Unrated.NO_DATA: "no value was published for the period.",
    Unrated.CAVEAT: "the data cannot be reported reliably this period; see the caveats.",
    Unrated.SUPPRESSED: "the value is withheld because the numbers are small.",
    Unrated.INVALID: "the published value could not be read; see the warnings.",
    Unrated.NOT_COMPARED: "no comparison with the benchmark could be made: no confidence "
    "interval, no benchmark value, or the row is the benchmark's own.",
}

_PERIOD_NOUN = {PeriodKind.QUARTER: "quarter", PeriodKind.MONTH: "month", PeriodKind.YEAR: "year"}


def build_key(ruleset: RulesetData, period: Period | None, unrated: Iterable[Unrated]) -> Key:
    """The key for a report of `ruleset` for `period`, listing the unrated reasons it uses."""
    scales: dict[str, list[Indicator]] = {}
    in_force = [indicator.at(period) for indicator in ruleset.indicators]
    for indicator in in_force:
        if indicator.polarity is not Polarity.NEUTRAL:
            scales.setdefault(indicator.scale.name, []).append(indicator)
    # A scale only forecasts are rated on has its statuses in the key too.
    rated_on = set(scales)
    for indicator in in_force:
        rule = indicator.forecast
        if rule is not None and rule.scale.name not in rated_on:
            forecasting = attrs.evolve(indicator, scale=rule.scale)
            scales.setdefault(rule.scale.name, []).append(forecasting)
    named = len(scales) > 1
    statuses = []
    for indicators in scales.values():
        scale = indicators[0].scale
        if scale.significance is not None:
            statuses += _significance_entries(scale.significance, indicators, named, scale.name)
            continue
        if scale.quantiles is not None:
            statuses += _quantile_entries(scale.quantiles, named, scale.name)
            continue
        for index, band in enumerate(scale.bands):
            label = _label(ruleset, band.status)
            if named:
                of = "forecasts, " if scale.name not in rated_on else ""
                label += f" ({of}{scale.name} scale)"
            text = band_text(band, scale.bands[:index], indicators)
            statuses.append(KeyEntry(label=label, text=text))
    noun = "period" if period is None else _PERIOD_NOUN[period.kind]
    travel = ruleset.travel.at(period)  # the arrows drawn for the report's period
    arrows = tuple(
        KeyEntry(
            label=f"{comparison.label or comparison.name} arrow",
            text=_comparison_text(comparison, ruleset, noun, travel),
        )
        for comparison in travel.comparisons
    )
    present = set(unrated)
    return Key(
        statuses=_merge_repeats(statuses),
        arrows=arrows,
        judgement=_judgement_entries(ruleset),
        rollups=tuple(
            KeyEntry(label=f"{r.title or r.id} (roll-up)", text=rule_words(r))
            for r in ruleset.rollups
        ),
        unrated=tuple(
            KeyEntry(
                label=_label(ruleset, reason.value, first_upper(reason.value.replace("-", " "))),
                text=_UNRATED_TEXT[reason],
            )
            for reason in Unrated
            if reason in present
        ),
    )


def _label(ruleset: RulesetData, status: str, default: str = "") -> str:
    """A status as the key heads it: the ruleset's label, else the status, capitalised."""
    found = ruleset.words(status)
    return found.label if found is not None and found.label else default or first_upper(status)


def _judgement_entries(ruleset: RulesetData) -> tuple[KeyEntry, ...]:
    """What an override and a forecast mean, naming the indicators that have them."""
    entries = []
    overridable = [i.id for i in ruleset.indicators if i.overrides]
    if overridable:
        entries.append(
            KeyEntry(
                label="Override",
                text="an officer's judgement, with its reason, replaces the computed status; "
                "the computed status is shown beside it. Allowed for: " + ", ".join(overridable),
            )
        )
    forecast = [i for i in ruleset.indicators if i.forecast is not None]
    if forecast:
        entries.append(
            KeyEntry(
                label="Forecast",
                text="the expected year-end value, rated against the target in force at the end "
                "of the year"
                + "".join(
                    f"; {i.id} on the {i.forecast.scale.name} scale"
                    for i in forecast
                    if i.forecast is not None and i.forecast.scale is not i.scale
                ),
            )
        )
    return tuple(entries)


def _significance_entries(
    test: Significance, indicators: Sequence[Indicator], named: bool, scale: str
) -> list[KeyEntry]:
    """Better, similar, worse (two tiers each way with a strict level): where the area's
    interval lies against the benchmark."""
    interval = f"the {test.level}% confidence interval"
    against = f"the {test.benchmark} {'interval' if test.intervals else 'value'}"
    meets = "overlaps" if test.intervals else "includes"
    polarities = {indicator.polarity for indicator in indicators}
    labels = test.labels(judged=Polarity.NEUTRAL not in polarities)
    if polarities == {Polarity.LOWER}:
        better, worse = "below", "above"
    elif polarities == {Polarity.HIGHER}:
        better, worse = "above", "below"
    else:
        better, worse = "on the better side of", "on the worse side of"
    suffix = f" ({scale} scale)" if named else ""
    strict = f"the {test.strict_level}% confidence interval"
    texts = [
        f"{interval} lies wholly {better} {against}.",
        f"{interval} {meets} {against}.",
        f"{interval} lies wholly {worse} {against}.",
    ]
    if len(labels) == 5:
        texts = [
            f"{strict} lies wholly {better} {against}.",
            f"{interval} lies wholly {better} {against}, but not {strict}.",
            texts[1],
            f"{interval} lies wholly {worse} {against}, but not {strict}.",
            f"{strict} lies wholly {worse} {against}.",
        ]
    return [
        KeyEntry(label=first_upper(label) + suffix, text=text)
        for label, text in zip(labels, texts, strict=True)
    ]


def _quantile_entries(bands: Quantiles, named: bool, scale: str) -> list[KeyEntry]:
    """One line per quantile, best first: "A: the 1st quarter of upper tier from the best"."""
    group = bands.group.replace("_", " ") or "every area"
    part = _PARTS.get(bands.count, f"1/{bands.count} part")
    suffix = f" ({scale} scale)" if named else ""
    method = "equal counts" if bands.method.value == "ntile" else "cut-points interpolated"
    return [
        KeyEntry(
            label=first_upper(status) + suffix,
            text=f"the {_ordinal(n)} {part} of {group} from the best ({method}).",
        )
        for n, status in enumerate(bands.statuses, start=1)
    ]


_PARTS = {2: "half", 3: "third", 4: "quarter", 5: "fifth", 10: "tenth"}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _merge_repeats(entries: Sequence[KeyEntry]) -> tuple[KeyEntry, ...]:
    """A status given by two bands (amber, then amber if improving) gets one line."""
    merged: dict[str, list[str]] = {}
    for entry in entries:
        merged.setdefault(entry.label, []).append(entry.text.rstrip("."))
    return tuple(
        KeyEntry(label=label, text="; or ".join(_joined(texts)) + ".")
        for label, texts in merged.items()
    )


def _joined(texts: list[str]) -> list[str]:
    """Sentences to join as one (`...; or any value, if ...`): each after the first starts in
    lower case, unless it starts with a name (a status or threshold written as such)."""
    return [texts[0], *(t[:1].lower() + t[1:] if t[1:2].islower() else t for t in texts[1:])]


def _comparison_text(
    comparison: Comparison, ruleset: RulesetData, noun: str, travel: Travel
) -> str:
    benchmark = comparison.against is Against.BENCHMARK
    if comparison.against is Against.RECENT_TREND:
        test = (
            "the chi-squared test for trend on counts and denominators"
            if comparison.test == "chi-squared"
            else "a regression weighted by the 95% confidence limits"
        )
        return (
            f"the trend of the last {comparison.points} values by {test}: "
            f"{travel.glyph('up')} increasing or {travel.glyph('down')} decreasing when "
            f"significant (chi-squared above 9.5495 and the same direction without any one "
            f"point), {travel.glyph('unchanged')} no significant change."
        )
    if comparison.against is Against.PREVIOUS_PERIOD:
        what = f"the previous {noun}"
    elif comparison.against is Against.SAME_PERIOD_LAST_YEAR:
        what = "the year before" if noun == "year" else f"the same {noun} last year"
    elif comparison.against is Against.PREVIOUS_AVERAGE:
        what = f"the average of the {comparison.points} {noun}s before"
    elif comparison.against is Against.PREVIOUS_OUTTURN:
        what = "the whole year before (the previous outturn)"
    else:
        what = f"the {comparison.benchmark} benchmark"
    if comparison.same_target:
        what += " where its target was the same"
    up, down = travel.glyph("up"), travel.glyph("down")
    better, worse = travel.glyph("improving"), travel.glyph("worsening")
    if travel.arrows is Arrows.JUDGEMENT:
        shows = (
            f"shows whether performance is better ({better}) or worse ({worse}) than the benchmark"
            if benchmark
            else f"shows whether performance improved ({better}) or worsened ({worse})"
        )
        if any(i.polarity is Polarity.NEUTRAL for i in ruleset.indicators):
            shows += "; for neutral indicators, " + (
                "whether the value is above or below it"
                if benchmark
                else "whether it went up or down"
            )
    elif benchmark:
        shows = (
            f"shows whether the value is above ({up}) or below ({down}) it, whatever the polarity"
        )
    else:
        shows = f"shows whether the value went up ({up}) or down ({down}), whatever the polarity"
    same = _unchanged_words(ruleset.indicators, travel.arrows is Arrows.JUDGEMENT)
    return (
        f"compared with {what}; {shows}; {travel.glyph('unchanged')} means {same}; "
        f"{travel.glyph('not-comparable')} means no comparable value."
    )


def _unchanged_words(indicators: Sequence[Indicator], judged: bool) -> str:
    """What the unchanged arrow means: the same value, or one within the indicator's margin;
    a judgement arrow also means an in-range indicator is no nearer to or further from its
    range (inside it is no distance at all), whatever the value did."""
    margins = {
        _unchanged_text(i.unchanged_within, i.unit) for i in indicators if i.unchanged_within.amount
    }
    exact = any(not i.unchanged_within.amount for i in indicators)
    within = f"a difference of no more than {' or '.join(sorted(margins))}"
    if not margins:
        same = "the same value"
    elif exact:  # only some indicators have a margin: the others need the same value
        same = f"the same value, or, where the indicator has a margin, {within}"
    else:
        same = within
    if not judged:
        return same
    ranged = [
        bool(i.unchanged_within.amount) for i in indicators if i.polarity is Polarity.IN_RANGE
    ]
    if ranged:
        distance = "the same distance outside the range, inside it counting as none"
        if any(ranged):
            distance += ", to within the margin" + ("" if all(ranged) else " where it has one")
        same += f"; for in-range indicators, also {distance}"
    return f"no better or worse ({same})"


def _unchanged_text(margin: Margin, unit: str) -> str:
    """An unchanged-within margin: relative ones are a share of the earlier value."""
    if margin.basis is Basis.RELATIVE:
        return f"{format_decimal(margin.amount.scaleb(2, EXACT))}% of the value compared with"
    return amount_text(format_decimal(margin.amount), unit)
