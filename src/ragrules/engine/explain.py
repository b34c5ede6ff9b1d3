"""Explanations: how a result was derived, as sentences and as data, from the result alone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from ragrules.engine.rating import Cut, margin_for
from ragrules.engine.result import Result
from ragrules.engine.travel import (
    BESIDE_BENCHMARK,
    Movement,
    travel_condition,
    travel_judgement,
    travel_missing,
)
from ragrules.model._text import first_upper
from ragrules.model.numbers import EXACT, format_decimal, in_exact_context
from ragrules.model.rules import (
    Against,
    Basis,
    Direction,
    Judgement,
    Margin,
    Point,
    PointKind,
    Polarity,
    ProfiledTarget,
)
from ragrules.model.units import amount_text, with_unit


@attrs.frozen(kw_only=True)
class Step:
    """One step of a derivation: a sentence, and the facts behind it."""

    text: str
    data: tuple[tuple[str, str], ...] = ()


@attrs.frozen(kw_only=True)
class Explanation:
    """The derivation of one result; `str()` gives it as text."""

    indicator: str
    status: str
    steps: tuple[Step, ...]

    def __str__(self) -> str:
        return "\n".join(step.text for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "status": self.status,
            "steps": [{"text": step.text, **dict(step.data)} for step in self.steps],
        }


@in_exact_context
def explain(result: Result) -> Explanation:
    """Re-derive a result's status in words from the numbers it carries, then say what an
    override and a forecast add (the explanation's status stays the computed one)."""
    explained = _computed(result)
    extra = _judgement_steps(result)
    return attrs.evolve(explained, steps=explained.steps + extra) if extra else explained


def _judgement_steps(result: Result) -> tuple[Step, ...]:
    steps = []
    override = result.override
    if override is not None:
        by = f" by {override.by}" if override.by else ""
        if override.applied:
            text = (
                f"Overridden{by}: {override.reason}. Reported {override.status}, "
                f"computed {result.status}."
            )
        else:
            text = f"Override {override.status!r} not applied: {override.note}."
        data = (("reported_status", result.reported_status), ("override", override.status))
        steps.append(Step(text=text, data=data))
    forecast = result.forecast
    if forecast is not None:
        if forecast.rated and forecast.band is not None and forecast.value is not None:
            cut = forecast.bounds[forecast.band]
            text = (
                f"Forecast {format_decimal(forecast.value)} for {forecast.period}, against "
                f"that year end's target {forecast.target}: {forecast.status} ({cut.condition()})."
            )
        else:
            text = f"Forecast not rated: {forecast.reason}."
        steps.append(Step(text=text, data=(("forecast_status", forecast.status),)))
    return tuple(steps)


def _computed(result: Result) -> Explanation:
    indicator = result.indicator
    unit = indicator.unit
    steps = [
        Step(
            text=f"{indicator.id}: {indicator.title}" if indicator.title else indicator.id,
            data=(("period", str(result.period or "")),),
        )
    ]
    if result.value_text or result.row is not None:
        steps.append(
            Step(
                text=f"Published value {result.value_text!r} (row {result.row})"
                + (f", marked {' and '.join(result.marks)}." if result.marks else "."),
                data=(("value", result.value_text),),
            )
        )
    if result.unrounded is not None and result.value is not None:
        steps.append(
            Step(
                text=(
                    f"Rate {result.value_text} x {format_decimal(indicator.rate.per)} = "
                    f"{with_unit(_long(format_decimal(result.unrounded)), unit)}."
                    if indicator.rate is not None
                    else f"Read as {with_unit(format_decimal(result.unrounded), unit)}."
                ),
                data=(("number", format_decimal(result.unrounded)), ("unit", unit)),
            )
        )
        if indicator.rounding is not None:
            rounding = indicator.rounding
            steps.append(
                Step(
                    text=(
                        f"Rounded to {rounding.places} decimal "
                        f"place{'' if rounding.places == 1 else 's'} ({rounding.mode.value}): "
                        f"{format_decimal(result.value)}."
                    ),
                    data=(("rounded", format_decimal(result.value)),),
                )
            )
    if result.target is not None:
        source = result.target_source
        source = (
            f"the {source[len('benchmark ') :]} benchmark" if " " in source else f"the {source}"
        )
        target = result.target
        upper = with_unit(format_decimal(target.upper), unit)
        shown = upper if target.is_point else f"{format_decimal(target.lower)} to {upper}"
        noun = "Benchmark" if result.interval is not None else "Target"
        spec = (
            indicator.target.in_force(result.period)
            if indicator.target is not None and result.target_source == "ruleset"
            else None
        )
        if isinstance(spec, ProfiledTarget):  # say how the period's share was found
            annual = with_unit(format_decimal(spec.annual), unit)
            how = (spec.name or "profiled") if spec.shares else "pro rata"
            source += f" (its share of {annual} a year, {how}, for {result.period})"
        steps.append(
            Step(
                text=f"{noun} {shown} from {source}; {_polarity_words(indicator.polarity)}.",
                data=(("target", shown), ("target_source", source)),
            )
        )
    steps += [_travel_step(move, indicator.polarity, result.value) for move in result.travel]
    if result.unrated is not None:
        steps.append(Step(text=f"Not rated: {result.reason}.", data=(("status", result.status),)))
        return Explanation(indicator=indicator.id, status=result.status, steps=tuple(steps))
    assert result.value is not None
    if result.rank is not None:
        rank = result.rank
        cuts = ", ".join(format_decimal(cut) for cut in rank.cuts)
        steps.append(
            Step(
                text=f"{first_upper(result.reason.split(': ', 1)[-1])}; cut-points {cuts}.",
                data=(("rank", str(rank.rank)), ("size", str(rank.size)), ("cuts", cuts)),
            )
        )
        steps.append(Step(text=f"So {result.status}.", data=(("status", result.status),)))
        return Explanation(indicator=indicator.id, status=result.status, steps=tuple(steps))
    if result.interval is not None:
        text = result.reason.split(": ", 1)[-1]
        steps.append(
            Step(
                text=f"{text[:1].upper()}{text[1:]}.",
                data=(
                    ("interval", str(result.interval)),
                    ("target", "" if result.target is None else str(result.target)),
                ),
            )
        )
        steps.append(Step(text=f"So {result.status}.", data=(("status", result.status),)))
        return Explanation(indicator=indicator.id, status=result.status, steps=tuple(steps))
    assert result.band is not None
    for index, cut in enumerate(result.bounds[: result.band + 1]):
        reached = index == result.band
        steps.append(_band_step(cut, result, reached))
    steps.append(Step(text=f"So {result.status}.", data=(("status", result.status),)))
    if result.edges:
        words = "; ".join(edge.words() for edge in result.edges)
        steps.append(Step(text=f"How far from another status: {words}.", data=(("edges", words),)))
    return Explanation(indicator=indicator.id, status=result.status, steps=tuple(steps))


def _travel_step(move: Movement, polarity: Polarity, current: Decimal | None) -> Step:
    comparison = move.comparison
    against = comparison.benchmark or comparison.against.value.replace("-", " ")
    name = comparison.label or comparison.name
    heading = f"{name} (against {against}" + (f", {move.period})" if move.period else ")")
    data = (
        ("comparison", comparison.name),
        ("period", "" if move.period is None else str(move.period)),
        ("earlier", "" if move.earlier is None else format_decimal(move.earlier)),
        ("direction", move.direction.value),
        ("judgement", "" if move.judgement is None else move.judgement.value),
        ("arrow", move.arrow),
        ("reason", move.reason),
    )
    if not move.comparable:
        return Step(text=f"{heading}: not comparable, {move.reason}.", data=data)
    if move.earlier is None:  # a recent trend: the test says what it found
        return Step(text=f"{heading}: {move.reason}; arrow {move.arrow}.", data=data)
    assert current is not None
    if comparison.against is Against.BENCHMARK:  # side by side, not one after the other
        text = (
            f"{heading}: {format_decimal(current)} against the benchmark's "
            f"{format_decimal(move.earlier)}, {_BESIDE[move.direction]}"
        )
        if move.judgement is None:
            text += " (a neutral indicator is never judged)"
        elif move.judgement is not Judgement.UNCHANGED:
            better = BESIDE_BENCHMARK[move.judgement.value]
            text += f"; {_polarity_words(polarity)}, so {better}"
        return Step(text=f"{text}; arrow {move.arrow}.", data=data)
    text = (
        f"{heading}: {format_decimal(move.earlier)} then {format_decimal(current)}, "
        f"{move.direction.value}"
    )
    if move.judgement is None:
        text += " (a neutral indicator is never judged)"
    elif move.judgement.value != move.direction.value:
        text += f"; {_polarity_words(polarity)}, so {move.judgement.value}"
    return Step(text=f"{text}; arrow {move.arrow}.", data=data)


_BESIDE = {Direction.UP: "above", Direction.DOWN: "below", Direction.UNCHANGED: "the same"}


def _polarity_words(polarity: Polarity) -> str:
    return {
        Polarity.HIGHER: "higher is better",
        Polarity.LOWER: "lower is better",
        Polarity.IN_RANGE: "good within the range",
        Polarity.NEUTRAL: "neutral",
    }[polarity]


def _band_step(cut: Cut, result: Result, reached: bool) -> Step:
    value = result.value
    assert value is not None
    start, condition = cut.band.start, cut.travel
    if start is None and condition is None:
        return Step(
            text=f"{cut.status}: every value not in a better band.",
            data=(("band", cut.status),),
        )
    verdict = f"{format_decimal(value)} {'reached' if reached else 'not reached'}"
    data = [("band", cut.status)]
    if start is None:
        head, bounds = cut.status, "any value"
    else:
        head, bounds = f"{cut.status} from {_describe_start(start, result)}", cut.condition()
        data += [
            ("lower", "" if cut.lower is None else format_decimal(cut.lower)),
            ("upper", "" if cut.upper is None else format_decimal(cut.upper)),
            ("inclusive", str(cut.inclusive).lower()),
        ]
    if condition is not None:
        # The band also needs a judgement: say which, and what the comparison found.
        wanted = travel_condition(condition, result.travel)
        found = travel_judgement(condition, result.travel)
        missing = travel_missing(condition, result.travel)
        bounds += f", if {wanted}"
        verdict = f"{missing}; {verdict}" if missing else f"{verdict} ({found})"
        data += [("travel_condition", wanted), ("travel_judgement", found)]
    data.append(("reached", str(reached).lower()))
    return Step(text=f"{head}: {bounds}; {verdict}.", data=tuple(data))


def _describe_start(start: Point, result: Result) -> str:
    if start.kind is PointKind.TARGET:
        return "the target"
    if start.kind is PointKind.THRESHOLD:
        return f"the {start.threshold} threshold"
    if start.kind is PointKind.RATIO:
        assert start.ratio is not None
        share = f"{format_decimal(start.ratio.scaleb(2, EXACT))}%"
        if result.indicator.polarity is Polarity.LOWER:  # the band starts at target / ratio
            return f"where the target is {share} of the value"
        return f"{share} of the target"
    margin = margin_for(start, result.tolerance, result.stretch)
    assert margin is not None
    assert result.target is not None
    target = result.target
    if result.indicator.polarity is Polarity.IN_RANGE and not target.is_point:
        # Each end of a range moves by its own margin (a relative one differs per end).
        unit = result.indicator.unit
        lower = _moved(margin, target.lower, "below the lower end", unit)
        upper = _moved(margin.upper_side, target.upper, "above the upper end", unit)
        return f"{lower} and {upper}"
    side = "below" if start.kind is PointKind.WORSE_BY else "above"
    if result.indicator.polarity is Polarity.LOWER:
        side = "above" if side == "below" else "below"
    if result.indicator.polarity is Polarity.IN_RANGE:
        side = "either side of"
    return _moved(margin, target.value, f"{side} the target", result.indicator.unit)


def _moved(margin: Margin, magnitude: Decimal, where: str, unit: str) -> str:
    """`1.5 below the target (5% of 30)`, or `2 weeks above the target`."""
    amount = format_decimal(margin.resolve(magnitude))
    if margin.basis is Basis.RELATIVE:
        pct = format_decimal(margin.amount.scaleb(2, EXACT))
        return f"{amount} {where} ({pct}% of {format_decimal(abs(magnitude))})"
    return f"{amount_text(amount, unit)} {where}"


# -- travel conditions of bands, in words (the report's reasons use these too) ------------


def _long(text: str) -> str:
    """A quotient that does not end, cut for reading: `16.98301698301698301698...`."""
    return text if len(text) <= 24 else f"{text[:24]}..."
