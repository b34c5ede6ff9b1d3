"""One indicator's rating (`Result`) and one row that could not be placed (`Rejection`),
with their plain-data form: the names every output uses (docs/api.md, "One vocabulary")."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from ragrules.engine import readings
from ragrules.engine.edges import Edge, Judged, band_edges
from ragrules.engine.judgement import Forecast, Override
from ragrules.engine.rating import Cut
from ragrules.engine.travel import Movement, allowed_change
from ragrules.model.numbers import format_decimal
from ragrules.model.periods import Period
from ragrules.model.rules import Indicator, Margin, Polarity, Target, Unrated


@attrs.frozen(kw_only=True)
class Interval:
    """The confidence interval a significance scale compared with its benchmark."""

    level: str  # as the ruleset wrote it: "95", "99.8"
    lower: Decimal
    upper: Decimal

    def __str__(self) -> str:
        return f"{format_decimal(self.lower)} to {format_decimal(self.upper)} ({self.level}%)"

    def to_dict(self) -> dict[str, str]:
        return {
            "level": self.level,
            "lower": format_decimal(self.lower),
            "upper": format_decimal(self.upper),
        }


@attrs.frozen(kw_only=True)
class Rank:
    """Where a value stands in its comparator group for a quantile scale."""

    group: str
    rank: int  # 1 for the best value; tied values share the better rank
    size: int  # how many values the group has
    cuts: tuple[Decimal, ...] = ()  # the cut-points between the quantiles, lowest first

    def __str__(self) -> str:
        return f"rank {self.rank} of {self.size} in {self.group}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "rank": self.rank,
            "size": self.size,
            "cuts": [format_decimal(cut) for cut in self.cuts],
        }


@attrs.frozen(kw_only=True)
class Result:
    """The rating of one indicator for the report's period, with everything that decided it."""

    indicator: Indicator
    period: Period | None
    status: str
    # The area and breakdown of the series rated: blank and empty for a single council's data.
    area: str = ""
    breakdown: tuple[tuple[str, str], ...] = ()  # (column key, value) per breakdown column
    unrated: Unrated | None = None
    reason: str = ""
    value_text: str = ""
    # `provisional`, `revised`: the data marks the value so; it is rated as it stands.
    marks: tuple[str, ...] = ()
    unrounded: Decimal | None = None
    value: Decimal | None = None
    target: Target | None = None
    target_source: str = ""  # "ruleset", "data", or "benchmark NAME"
    tolerance: Margin | None = None
    stretch: Margin | None = None
    bounds: tuple[Cut, ...] = ()  # each band's bounds for this value, best first
    band: int | None = None  # the index in `bounds` of the band the value reached
    # For a significance scale: the interval compared with the benchmark (the `target`).
    interval: Interval | None = None
    # For a quantile scale: the value's rank in its group, and the group's cut-points.
    rank: Rank | None = None
    commentary: str = ""
    caveat: str = ""  # why the data cannot be reported this period, as the data says
    flag: str = ""  # the hand flag's text, when the row was flagged "of particular note"
    row: int | None = None
    travel: tuple[Movement, ...] = ()
    # The row's other columns as read (an authority code, a benchmark), by column key.
    columns: tuple[tuple[str, str], ...] = ()
    # Officer judgement (engine.judgement): a status given in place of `status`, which it
    # never changes, and the forecast year-end value rated.
    override: Override | None = None
    forecast: Forecast | None = None
    # Where exception rules read earlier statuses: the series' reported statuses in the
    # periods before this one, latest first (None for a period with no rated row), as far
    # back as the rules read and the series has rows. None where no rule reads them.
    earlier_statuses: tuple[str | None, ...] | None = None

    @property
    def reported_status(self) -> str:
        """The status a report shows: an applied override's, else the computed `status`."""
        override = self.override
        return override.status if override is not None and override.applied else self.status

    @property
    def overridden(self) -> bool:
        """True when an override replaces the computed status in reports."""
        return self.override is not None and self.override.applied

    @property
    def rated(self) -> bool:
        """True when the status comes from the scale."""
        return self.unrated is None

    @property
    def edges(self) -> tuple[Edge, ...]:
        """How far the value is from changing status: the nearest edge of its band up and
        down, and the status beyond each (none for a value its bounds did not rate)."""
        if self.band is None or self.value is None or not self.bounds:
            return ()
        indicator = self.indicator
        judgements = {move.comparison.name: move.judgement for move in self.travel}
        statuses = indicator.scale.statuses_for(indicator.polarity)
        judged = _judged(self) if any(cut.travel for cut in self.bounds) else None
        return band_edges(self.bounds, self.value, self.band, statuses, judgements, judged)

    @property
    def fragile(self) -> tuple[str, ...]:
        """The readings of the rules that published reports are known to use (a relative
        tolerance read as absolute, a boundary to the worse band, rounding before rating)
        under which the value would get another status; empty when none would."""
        if self.band is None or self.unrounded is None or not self.bounds:
            return ()
        return readings.fragile(
            self.indicator, self.unrounded, self.target, self.period, self.status, self.travel
        )

    @property
    def cuts(self) -> tuple[Cut, ...]:
        """Deprecated (0.2): the name of `bounds` in 0.1; goes in 1.0."""
        import warnings

        warnings.warn("Result.cuts is now Result.bounds", DeprecationWarning, stacklevel=2)
        return self.bounds

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data, under the attributes' names (docs/api.md, "One vocabulary").

        A value JSON cannot hold is written as its text (`str()`): a `Decimal`, a period, a
        target (`72.5`, or `10-20` for a range), a margin as written (`5%`); an enumeration as
        its value; the indicator as its id, with its title, unit and polarity beside it.
        """
        indicator = self.indicator
        record: dict[str, Any] = {
            "indicator": indicator.id,
            "title": indicator.title,
            "unit": indicator.unit,
            "polarity": indicator.polarity.value,
            "area": self.area or None,
            "breakdown": dict(self.breakdown),
            "period": None if self.period is None else str(self.period),
            "row": self.row,
            "status": self.status,
            "rated": self.unrated is None,
            "unrated": None if self.unrated is None else self.unrated.value,
            "reason": self.reason,
            "value": _text(self.value),
            "value_text": self.value_text,
            "unrounded": _text(self.unrounded),
            "target": None if self.target is None else str(self.target),
            "target_source": self.target_source or None,
            "tolerance": None if self.tolerance is None else str(self.tolerance),
            "stretch": None if self.stretch is None else str(self.stretch),
            "bounds": [_bound_dict(cut) for cut in self.bounds],
            "band": self.band,
            "edges": [edge.to_dict() for edge in self.edges],
            "fragile": list(self.fragile),
            "interval": None if self.interval is None else self.interval.to_dict(),
            "rank": None if self.rank is None else self.rank.to_dict(),
            "travel": [movement_dict(move) for move in self.travel],
            "commentary": self.commentary,
            "caveat": self.caveat,
            "flag": self.flag,
        }
        if indicator.judged or self.override is not None:
            # Only where judgement can be: other records keep the fields of 0.1.
            record["reported_status"] = self.reported_status
            record["override"] = None if self.override is None else self.override.to_dict()
            record["forecast"] = None if self.forecast is None else self.forecast.to_dict()
        if self.marks:  # only for a marked value
            record["marks"] = list(self.marks)
        if self.earlier_statuses is not None:  # only where exception rules read them
            record["earlier_statuses"] = list(self.earlier_statuses)
        record["columns"] = dict(self.columns)
        return record


@attrs.frozen(kw_only=True)
class Rejection:
    """An input row that could not be placed in the report, and why."""

    row: int | None
    indicator: str
    period: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def _text(number: Decimal | None) -> str | None:
    return None if number is None else format_decimal(number)


def _bound_dict(cut: Cut) -> dict[str, Any]:
    return {
        "status": cut.status,
        "lower": _text(cut.lower),
        "upper": _text(cut.upper),
        "inclusive": cut.inclusive,
        "multiplier": _text(cut.multiplier),
        "condition": cut.condition(),
    }


def movement_dict(move: Movement) -> dict[str, Any]:
    """A `Movement` as plain data, under its attributes' names (the comparison by its name)."""
    return {
        "comparison": move.comparison.name,
        "against": move.comparison.against.value,
        "period": None if move.period is None else str(move.period),
        "earlier": _text(move.earlier),
        "earlier_text": move.earlier_text,
        "direction": move.direction.value,
        "judgement": None if move.judgement is None else move.judgement.value,
        "arrow": move.arrow,
        "reason": move.reason,
        "earlier_judgements": [None if j is None else j.value for j in move.earlier_judgements],
        # Only for a comparison with graded words: other records keep the fields of 0.1.
        **({"word": move.word} if move.comparison.has_words else {}),
    }


def _judged(result: Result) -> dict[str, Judged]:
    """The comparisons of the result's travel conditions whose judgement would move with the
    value: against a number, where higher or lower is better (an in-range judgement reads
    the target too, and is held as it is)."""
    polarity = result.indicator.polarity
    if polarity not in (Polarity.HIGHER, Polarity.LOWER):
        return {}
    read = {cut.travel.comparison for cut in result.bounds if cut.travel is not None}
    margin = result.indicator.unchanged_within
    found = {}
    for move in result.travel:
        # A trend's test has no one earlier number (`earlier` is None): held as it is.
        if move.comparison.name not in read or move.earlier is None or not move.comparable:
            continue
        found[move.comparison.name] = Judged(
            earlier=Fraction(move.earlier),
            allowed=Fraction(allowed_change(move.earlier, margin)),
            higher=polarity is Polarity.HIGHER,
        )
    return found
