"""The key: a plain-English legend generated from the ruleset, so a report says what it means.

Every status band and every comparison gets a sentence: "Amber: below target by no more than
10% of the target"; "Short term arrow: compared with the previous quarter; shows whether the
value went up or down" (what Wokingham's members asked a key to say).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ragrules.engine.rollups import rule_words
from ragrules.model._text import first_upper
from ragrules.model.comparisons import Quantiles, Significance
from ragrules.model.numbers import EXACT, format_decimal
from ragrules.model.periods import Period, PeriodKind
from ragrules.model.rules import (
    Against,
    Arrows,
    Band,
    Basis,
    Boundary,
    Comparison,
    Indicator,
    Margin,
    PointKind,
    Polarity,
    RulesetData,
    Scale,
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
        for band in scale.bands:
            label = _label(ruleset, band.status)
            if named:
                of = "forecasts, " if scale.name not in rated_on else ""
                label += f" ({of}{scale.name} scale)"
            statuses.append(KeyEntry(label=label, text=_band_text(band, scale, indicators)))
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
        KeyEntry(label=label, text="; or ".join(texts) + ".") for label, texts in merged.items()
    )


def _band_text(band: Band, scale: Scale, indicators: Sequence[Indicator]) -> str:
    words = _Words.for_polarities({indicator.polarity for indicator in indicators})
    strict = band.boundary is Boundary.WORSE
    start = band.start
    if start is None:
        text = "any other value" if band.travel is None else "any value"
    elif start.kind is PointKind.TARGET:
        text = f"{words.beyond if strict else words.at_least} the target"
    elif start.kind is PointKind.THRESHOLD:
        text = f"{words.beyond if strict else words.at_least} the {start.threshold} threshold"
    elif start.kind is PointKind.RATIO:
        assert start.ratio is not None
        share = f"{format_decimal(start.ratio.scaleb(2, EXACT))}%"
        text = f"{'more than' if strict else 'at least'} {share} of the target"
        if words.worse == "above":
            text = f"the target is {text.replace(' of the target', '')} of the value"
    else:
        margin = _margins(start.margin, indicators)
        if start.kind is PointKind.WORSE_BY:
            limit = "less than" if strict else "no more than"
            text = f"{words.worse} the target by {limit} {margin}"
        else:
            limit = "more than" if strict else "at least"
            text = f"{words.better} the target by {limit} {margin}"
    if band.travel is not None:
        judged = " or ".join(j.value for j in sorted(band.travel.judgements, key=_order))
        text += f", if {judged} on the {band.travel.comparison} comparison"
    return text[0].upper() + text[1:] + "."


def _order(judgement: Any) -> int:
    return ["improving", "unchanged", "worsening"].index(judgement.value)


def _margins(reference: object, indicators: Sequence[Indicator]) -> str:
    """The margin in words: one value when all indicators share it, else the set of them."""
    if isinstance(reference, Margin):
        return margin_text(reference, None)
    relative: set[Decimal] = set()
    absolute: set[str] = set()
    for indicator in indicators:
        schedule = indicator.tolerance if reference == "tolerance" else indicator.stretch
        for margin in schedule.values() if schedule else ():
            if margin.above is not None:  # two-sided: each side in words
                below = _side_text(margin, "lower", indicator.unit)
                above = _side_text(margin.above, "upper", indicator.unit)
                absolute.add(f"{below} below the range and {above} above it")
            elif margin.basis is Basis.RELATIVE:
                relative.add(margin.amount)
            else:
                absolute.add(margin_text(margin, indicator.unit))
    texts = sorted(absolute)
    if relative:
        percents = " or ".join(f"{format_decimal(r.scaleb(2, EXACT))}%" for r in sorted(relative))
        texts.insert(0, f"{percents} of the target")
    if len(texts) == 1 and len(relative) <= 1:
        return texts[0]
    shown = " or ".join(texts) if len(relative) + len(absolute) <= 4 else "as listed"
    return f"the indicator's {reference} ({shown})"


def _side_text(margin: Margin, end: str, unit: str) -> str:
    """One side of a two-sided margin: `5% of the lower end`, or `2 percentage points`."""
    if margin.basis is Basis.RELATIVE:
        return f"{format_decimal(margin.amount.scaleb(2, EXACT))}% of the {end} end"
    return amount_text(format_decimal(margin.amount), unit)


def margin_text(margin: Margin, unit: str | None) -> str:
    """A margin in words: `5% of the target`, `2 percentage points`; a two-sided one as
    each side's (`5% of the lower end below the range and 2 ... above it`)."""
    if margin.above is not None and unit is not None:
        below = _side_text(margin, "lower", unit)
        return f"{below} below the range and {_side_text(margin.above, 'upper', unit)} above it"
    if margin.basis is Basis.RELATIVE:
        return f"{format_decimal(margin.amount.scaleb(2, EXACT))}% of the target"
    amount = format_decimal(margin.amount)
    return amount if unit is None else amount_text(amount, unit)


@attrs.frozen
class _Words:
    at_least: str
    beyond: str
    worse: str
    better: str

    @classmethod
    def for_polarities(cls, polarities: set[Polarity]) -> _Words:
        if polarities == {Polarity.HIGHER}:
            return cls("at or above", "above", "below", "above")
        if polarities == {Polarity.LOWER}:
            return cls("at or below", "below", "above", "below")
        if polarities == {Polarity.IN_RANGE}:
            return cls("within", "strictly within", "outside", "inside")  # "the target" range
        return cls("at least as good as", "better than", "worse than", "better than")


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
        what = f"the same {noun} last year"
    else:
        what = f"the {comparison.benchmark} benchmark"
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
    margins = {
        _unchanged_text(i.unchanged_within, i.unit)
        for i in ruleset.indicators
        if i.unchanged_within.amount
    }
    same = (
        "the same value"
        if not margins
        else f"a difference of no more than {' or '.join(sorted(margins))}"
    )
    return (
        f"compared with {what}; {shows}; {travel.glyph('unchanged')} means {same}; "
        f"{travel.glyph('not-comparable')} means no comparable value."
    )


def _unchanged_text(margin: Margin, unit: str) -> str:
    """An unchanged-within margin: relative ones are a share of the earlier value."""
    if margin.basis is Basis.RELATIVE:
        return f"{format_decimal(margin.amount.scaleb(2, EXACT))}% of the value compared with"
    return amount_text(format_decimal(margin.amount), unit)
