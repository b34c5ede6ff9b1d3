"""Audit a published report: recompute its statuses and arrows, and explain every mismatch.

The data may carry what a report published (`published_status`, `published_short`,
`published_long`, or `published_NAME` for any comparison). Each mismatch lists both
derivations and which plausible alternative reading of the rules would reproduce the
published value: relative vs absolute tolerance, boundaries going to the worse band,
rounding before rating, arrows drawing judgement instead of direction. This is how an auditor
finds an inconsistent workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from ragrules.engine.readings import READINGS
from ragrules.engine.report import Report, Result
from ragrules.engine.ruleset import Ruleset
from ragrules.engine.travel import Movement
from ragrules.model.arguments import check_rows
from ragrules.model.errors import Problem, Severity
from ragrules.model.numbers import in_exact_context
from ragrules.model.observations import column_key
from ragrules.model.rules import (
    Arrows,
    Direction,
    Indicator,
    Judgement,
    Travel,
)
from ragrules.tools._published_words import published_status, says_unrated, statuses_of

_SHAPES = {
    "up": ("up", "\u2191", "u", "+", "é", "increase", "increasing", "higher", "rising"),
    "down": ("down", "\u2193", "d", "ê", "decrease", "decreasing", "lower", "falling"),
    "flat": ("\u2192", "\u2194", "unchanged", "same", "no change", "steady", "è", "=", "flat"),
    "none": ("-", "", "n/a", "na", "not comparable", "not-comparable", "none"),
    "improving": ("improving", "improved", "better"),
    "worsening": ("worsening", "worsened", "worse"),
}


@attrs.frozen(kw_only=True)
class Mismatch:
    """A published status or arrow that the rules do not reproduce."""

    result: Result
    field: str  # "status" or a comparison name
    published: str
    computed: str
    readings: tuple[str, ...]  # alternative readings that reproduce the published value
    alternative: Result | None = None  # the result under the first of those readings
    # Why no reading was tried: e.g. the published status is not a status of the scale.
    note: str = ""
    # What the auditor should do about the note.
    advice: str = "check the published column or map it to one of them"

    def __str__(self) -> str:
        what = "status" if self.field == "status" else f"{self.field} arrow"
        series = ", ".join(
            [self.result.area] * bool(self.result.area) + [v for _, v in self.result.breakdown if v]
        )
        text = (
            f"{self.result.indicator.id}{f' ({series})' if series else ''}: published {what} "
            f"{self.published!r}, computed {self.computed!r}"
        )
        if self.readings:
            text += "; reproduced by: " + "; ".join(self.readings)
        elif self.note:
            text += f"; {self.note}; {self.advice}"
        else:
            text += "; no alternative reading reproduces it"
        return text

    def to_dict(self) -> dict[str, Any]:
        found = {
            "indicator": self.result.indicator.id,
            "row": self.result.row,
            "field": self.field,
            "published": self.published,
            "computed": self.computed,
            "readings": list(self.readings),
        }
        return {**found, "note": self.note} if self.note else found


@attrs.frozen(kw_only=True)
class Audit:
    """The recomputed report, how many published values were checked, the mismatches, and
    the published statuses an officer's override explains (listed apart: not rule errors)."""

    report: Report
    checked: int
    mismatches: tuple[Mismatch, ...]
    overrides: tuple[Result, ...] = ()
    # What the audit could not check: a `published_NAME` column naming no comparison.
    problems: tuple[Problem, ...] = ()


@in_exact_context
def audit(ruleset: Ruleset, observations: Iterable[object], period: str | None = None) -> Audit:
    """Compare the published statuses and arrows in the data with computed ones."""
    if not isinstance(ruleset, Ruleset):
        raise TypeError(f"audit takes a ruleset (as load gives it) first, not {ruleset!r}")
    check_rows(observations)
    rows = list(observations)
    report = ruleset.rate(rows, period=period)
    # Every reading rates the same rows into the same series, in the same order: the results
    # of one series are at the same position in every variant.
    variants = {name: make(ruleset).rate(rows, period=period).results for name, make in _READINGS}
    checked = 0
    mismatches = []
    overridden = []
    for position, result in enumerate(report.results):
        values = _published(result.columns)  # the row's own, whatever its number
        if "status" in values:
            checked += 1
            published = values["status"]
            statuses = statuses_of(result.indicator)  # its polarity's, not the scale's every name
            wanted = published_status(published, statuses, ruleset.statuses)
            if result.overridden and wanted == result.reported_status:
                overridden.append(result)  # the officer's judgement, as the data records it
            elif wanted != result.status:
                mismatch = _status_mismatch(result, published, wanted, ruleset, variants, position)
                if mismatch is not None:
                    mismatches.append(mismatch)
        for move in result.travel:
            name = column_key(move.comparison.name)
            if name not in values:
                continue
            checked += 1
            mismatch = _arrow_mismatch(result, move, values[name], ruleset.travel.at(result.period))
            if mismatch is not None:
                mismatches.append(mismatch)
    return Audit(
        report=report,
        checked=checked,
        mismatches=tuple(mismatches),
        overrides=tuple(overridden),
        problems=_unchecked(report, ruleset),
    )


def _unchecked(report: Report, ruleset: Ruleset) -> tuple[Problem, ...]:
    """A warning for each `published_NAME` column that names no comparison of the ruleset
    (`published_shrot`): its values are not checked, and an audit must not look as if they
    were."""
    names = [column_key(comparison.name) for comparison in ruleset.travel.comparisons]
    found = {name for result in report.results for name in _published(result.columns)}
    return tuple(
        Problem(
            message=f"column published_{name} names no comparison of the ruleset, so its "
            "values were not checked",
            hint="name one of " + ", ".join(f"published_{n}" for n in ["status", *names]),
            severity=Severity.WARNING,
        )
        for name in sorted(found - {"status", *names})
    )


def _status_mismatch(
    result: Result,
    published: str,
    wanted: str,
    ruleset: Ruleset,
    variants: dict[str, tuple[Result, ...]],
    position: int,
) -> Mismatch | None:
    """The mismatch of a published status read as `wanted` (not the computed status), with
    the readings that reproduce it; None when it is a word for an unrated row and the rules
    leave the row unrated too."""
    statuses = statuses_of(result.indicator)
    tokens = ruleset.tokens.at(result.period)
    unrated_word = wanted not in statuses and says_unrated(published, ruleset.statuses, tokens)
    # A dash, N/A, Fingertips' "Not compared" or the ruleset's word for any reason not to
    # rate agrees with an unrated result, whatever ragrules' reason: publishers do not split
    # them as ragrules does.
    if unrated_word and result.unrated is not None:
        return None
    # No reading of the rules gives a status the scale does not have.
    matching = [
        (name, other[position])
        for name, other in variants.items()
        if wanted in statuses and other[position].status == wanted
    ]
    found = Mismatch(
        result=result,
        field="status",
        published=published,
        computed=result.status,
        readings=tuple(name for name, _ in matching),
        alternative=matching[0][1] if matching else None,
    )
    if unrated_word:
        return attrs.evolve(
            found,
            note=f"{published!r} is a word for an unrated row, and the rules rate this one",
            advice="check the published column and the row's value",
        )
    if wanted not in statuses:
        return attrs.evolve(
            found, note=f"{published!r} is not a status of the scale ({', '.join(statuses)})"
        )
    return found


def _published(columns: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """`published_status` -> status, `published_NAME` -> NAME (a comparison), from a
    result's columns: the row's other columns as read."""
    found = {}
    for column, text in columns:
        if column.startswith("published_") and text.strip():
            found[column[len("published_") :]] = text.strip()
    return found


def _shape(text: str, travel: Travel) -> str:
    # The ruleset's own glyphs first: a report drawn with them uses them.
    for shape, keys in (("up", ("up", "improving")), ("down", ("down", "worsening"))):
        if text.strip() in {travel.glyph(key) for key in keys}:
            return shape
    if text.strip() == travel.glyph("unchanged"):
        return "flat"
    token = " ".join(text.strip().lower().split())
    for shape, spellings in _SHAPES.items():
        if token in spellings:
            return shape
    return token


def _drawn(move: Movement, arrows: Arrows) -> str:
    """The arrow a report draws for a movement, as a shape."""
    if not move.comparable:
        return "none"
    if arrows is Arrows.JUDGEMENT and move.judgement is not None:
        return {
            Judgement.IMPROVING: "up",
            Judgement.WORSENING: "down",
            Judgement.UNCHANGED: "flat",
        }[move.judgement]
    return {Direction.UP: "up", Direction.DOWN: "down", Direction.UNCHANGED: "flat"}[move.direction]


def _arrow_mismatch(result: Result, move: Movement, text: str, travel: Travel) -> Mismatch | None:
    arrows = travel.arrows
    shape = _shape(text, travel)
    if shape in ("improving", "worsening"):
        computed = move.judgement.value if move.judgement is not None else move.direction.value
        if shape == computed:
            return None
        return Mismatch(
            result=result,
            field=move.comparison.name,
            published=text,
            computed=computed,
            readings=(),
        )
    drawn = _drawn(move, arrows)
    if shape == drawn:
        return None
    other = Arrows.DIRECTION if arrows is Arrows.JUDGEMENT else Arrows.JUDGEMENT
    readings = (
        (f"arrows drawing {other.value} instead of {arrows.value}",)
        if _drawn(move, other) == shape
        else ()
    )
    if drawn == "none":  # as a report prints it, and why
        why = f": {move.reason}" if move.reason else ""
        drawn = f"{travel.glyph('not-comparable')} (not comparable{why})"
    return Mismatch(
        result=result, field=move.comparison.name, published=text, computed=drawn, readings=readings
    )


# -- alternative readings -----------------------------------------------------------------


def _each_indicator(change: Callable[[Indicator], Indicator]) -> Callable[[Ruleset], Ruleset]:
    def apply(ruleset: Ruleset) -> Ruleset:
        return attrs.evolve(ruleset, indicators=tuple(change(i) for i in ruleset.indicators))

    return apply


_READINGS: tuple[tuple[str, Callable[[Ruleset], Ruleset]], ...] = tuple(
    (reading.name, _each_indicator(reading.change)) for reading in READINGS
)
