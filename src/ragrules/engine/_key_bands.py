"""The key's line for one band of a scale, and margins in words.

A band admits the values that reach its start and no earlier band. A line names the start
("At or above the target") and, for a band that starts a margin on the worse side of the
target, what the earlier bands leave it: below the target only when they take every value
on or beyond it; on the target too when they take only the values beyond it (a strict
boundary); and the values above the target too when the band before is a better-by one
("green within the tolerance either side").
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from ragrules.model.numbers import EXACT, format_decimal
from ragrules.model.rules import (
    Band,
    Basis,
    Boundary,
    Indicator,
    Margin,
    PointKind,
    Polarity,
)
from ragrules.model.targets import Target
from ragrules.model.units import amount_text

_ONE = Decimal(1)

# What the earlier bands of a scale surely take, in words of the target T:
_AT = "at"  # every value at least as good as T
_BETTER = "better"  # every value better than T (T itself is left)
_BEYOND = "beyond"  # the values better than T by a better-by band's margin
_UNKNOWN = ""  # nothing known (thresholds, travel conditions)


def band_text(band: Band, before: Sequence[Band], indicators: Sequence[Indicator]) -> str:
    """The key's sentence for `band`, after the scale's bands `before` it, for the
    indicators rated on the scale."""
    polarities = {indicator.polarity for indicator in indicators}
    words = _Words.for_polarities(polarities)
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
        text = _ratio_text(start.ratio, strict, polarities)
    elif start.kind is PointKind.WORSE_BY:
        text = _worse_by_text(band, before, indicators, words)
    else:
        margin = _margins(start.margin, indicators)
        limit = "more than" if strict else "at least"
        text = f"{words.better} the target by {limit} {margin}"
    if band.travel is not None:
        judged = " or ".join(j.value for j in sorted(band.travel.judgements, key=_order))
        text += f", if {judged} on the {band.travel.comparison} comparison"
    return text[0].upper() + text[1:] + "."


def _order(judgement: Any) -> int:
    return ["improving", "unchanged", "worsening"].index(judgement.value)


def _ratio_text(ratio: Decimal, strict: bool, polarities: set[Polarity]) -> str:
    """A ratio band: of the target where higher is better; where lower is better, the
    target's ratio to the value (the band starts at the target divided by the ratio)."""
    share = f"{format_decimal(ratio.scaleb(2, EXACT))}%"
    limit = "more than" if strict else "at least"
    higher = f"{limit} {share} of the target"
    lower = f"the target is {limit} {share} of the value"
    if Polarity.LOWER not in polarities:
        return higher
    if polarities == {Polarity.LOWER}:
        return lower
    return f"{higher} if higher is better, or {lower} if lower is better"


def _worse_by_text(
    band: Band, before: Sequence[Band], indicators: Sequence[Indicator], words: _Words
) -> str:
    assert band.start is not None
    strict = band.boundary is Boundary.WORSE
    limit = "less than" if strict else "no more than"
    worse = f"{words.worse} the target by {limit} {_margins(band.start.margin, indicators)}"
    taken, beyond = _taken_before(before)
    if taken == _AT:  # the earlier bands take the target and better: only the worse side
        return worse
    worse = worse.replace(" the target ", " it ", 1)
    if taken == _BETTER:
        return f"{words.on}, or {worse}"
    if taken == _BEYOND:
        assert beyond is not None and beyond.start is not None
        # A strict better-by band leaves its own start to this one.
        upper = "no more than" if beyond.boundary is Boundary.WORSE else "less than"
        better = f"{words.better} it by {upper} {_margins(beyond.start.margin, indicators)}"
        if better.split(" it ", 1)[1] == worse.split(" it ", 1)[1]:
            either = f"{words.better} or {worse}".replace(" than or ", " or ", 1)
            return f"{words.on}, or {either}"
        return f"{words.on}, {better}, or {worse}"
    return f"{words.at_least} the target, or {worse}"


def _taken_before(bands: Sequence[Band]) -> tuple[str, Band | None]:
    """What the bands before one surely take, whatever the indicator's numbers (so a
    band with a travel condition, which takes values only sometimes, takes none)."""
    taken, beyond = _UNKNOWN, []
    for band in bands:
        start = band.start
        if start is None or band.travel is not None:
            continue
        strict = band.boundary is Boundary.WORSE
        kind = start.kind
        if kind in (PointKind.TARGET, PointKind.WORSE_BY) or (
            kind is PointKind.RATIO and start.ratio is not None and start.ratio <= _ONE
        ):
            # A strict start on the target leaves it; one on the worse side takes it, but
            # a margin may be zero, so only a ratio below 100% surely does.
            surely = not strict or (kind is PointKind.RATIO and start.ratio != _ONE)
            found = _AT if surely else _BETTER
            taken = _AT if _AT in (taken, found) else found
        elif kind is PointKind.BETTER_BY:
            beyond.append(band)
    if taken:
        return taken, None
    if len(beyond) == 1:
        return _BEYOND, beyond[0]
    return _UNKNOWN, None


def _margins(reference: object, indicators: Sequence[Indicator]) -> str:
    """The margin in words: one value when all indicators share it, else the set of them.

    A relative margin of an in-range indicator with a range target is a share of each end
    of the range: of the lower end below it, of the upper end above it."""
    if isinstance(reference, Margin):
        if reference.basis is Basis.RELATIVE and reference.above is None:
            return _relative_text({reference.amount}, _ends(indicators))
        return margin_text(reference, None)
    relative: dict[bool, set[Decimal]] = {False: set(), True: set()}
    absolute: set[str] = set()
    for indicator in indicators:
        schedule = indicator.tolerance if reference == "tolerance" else indicator.stretch
        ranged = _ends([indicator]) == "ends"
        for margin in schedule.values() if schedule else ():
            if margin.above is not None:  # two-sided: each side in words
                below = _side_text(margin, "lower", indicator.unit)
                above = _side_text(margin.above, "upper", indicator.unit)
                absolute.add(f"{below} below the range and {above} above it")
            elif margin.basis is Basis.RELATIVE:
                relative[ranged].add(margin.amount)
            else:
                absolute.add(margin_text(margin, indicator.unit))
    texts = sorted(absolute)
    for ranged in (True, False):
        if relative[ranged]:
            texts.insert(0, _relative_text(relative[ranged], "ends" if ranged else "target"))
    count = len(relative[False]) + len(relative[True])
    if len(texts) == 1 and count <= 1:
        return texts[0]
    shown = " or ".join(texts) if count + len(absolute) <= 4 else "as listed"
    return f"the indicator's {reference} ({shown})"


def _relative_text(amounts: set[Decimal], of: str) -> str:
    percents = " or ".join(f"{format_decimal(r.scaleb(2, EXACT))}%" for r in sorted(amounts))
    noun = {
        "target": "the target",
        "ends": "the nearer end of the range",
        "both": "the target (for a range, its nearer end)",
    }[of]
    return f"{percents} of {noun}"


def _ends(indicators: Sequence[Indicator]) -> str:
    """Whether a relative margin is of the target ("target"), of the nearer end of a range
    target ("ends"), or, across these indicators, of either ("both")."""
    ranged = [
        indicator.polarity is Polarity.IN_RANGE
        and indicator.target is not None
        and any(isinstance(t, Target) and not t.is_point for t in indicator.target.values())
        for indicator in indicators
    ]
    if all(ranged) and ranged:
        return "ends"
    return "both" if any(ranged) else "target"


def _side_text(margin: Margin, end: str, unit: str) -> str:
    """One side of a two-sided margin: `5% of the lower end`, or `2 percentage points`."""
    if margin.basis is Basis.RELATIVE:
        return f"{format_decimal(margin.amount.scaleb(2, EXACT))}% of the {end} end"
    return amount_text(format_decimal(margin.amount), unit)


def margin_text(margin: Margin, unit: str | None, *, of_range: bool = False) -> str:
    """A margin in words: `5% of the target` (`of_range`: of the nearer end of the range),
    `2 percentage points`; a two-sided one as each side's (`5% of the lower end below the
    range and 2 ... above it`)."""
    if margin.above is not None and unit is not None:
        below = _side_text(margin, "lower", unit)
        return f"{below} below the range and {_side_text(margin.above, 'upper', unit)} above it"
    if margin.basis is Basis.RELATIVE:
        return _relative_text({margin.amount}, "ends" if of_range else "target")
    amount = format_decimal(margin.amount)
    return amount if unit is None else amount_text(amount, unit)


@attrs.frozen
class _Words:
    at_least: str
    beyond: str
    worse: str
    better: str
    on: str

    @classmethod
    def for_polarities(cls, polarities: set[Polarity]) -> _Words:
        if polarities == {Polarity.HIGHER}:
            return cls("at or above", "above", "below", "above", "on the target")
        if polarities == {Polarity.LOWER}:
            return cls("at or below", "below", "above", "below", "on the target")
        if polarities == {Polarity.IN_RANGE}:  # "the target" is the range
            return cls("within", "strictly within", "outside", "inside", "on an end of the target")
        return cls(
            "at least as good as",
            "better than",
            "worse than",
            "better than",
            "on the target" + (" (or an end of it)" if Polarity.IN_RANGE in polarities else ""),
        )
