"""Frozen value objects for rulesets: what a ruleset says, with no TOML spelling and no pint.

Direction of travel (`model.travel`) and the exception report (`model.exceptions`) have
modules of their own; their names are re-exported here.

Objects here are built once by `loading` (or by hand) and trusted everywhere downstream.
Numbers are `Decimal`; units are canonical names from `units`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ragrules.model._given import margin_amount, member, rounding_mode, rounding_places
from ragrules.model._text import column_key
from ragrules.model.comparisons import Benchmark, Group, Quantiles, Significance
from ragrules.model.errors import Problem
from ragrules.model.exceptions import MAX_LOOKBACK as MAX_LOOKBACK
from ragrules.model.exceptions import ExceptionPolicy as ExceptionPolicy
from ragrules.model.exceptions import ExceptionRule as ExceptionRule
from ragrules.model.numbers import EXACT, RoundingMode, format_decimal
from ragrules.model.periods import Calendar, Period
from ragrules.model.rates import Minimum, RateRule
from ragrules.model.rollups import Rollup
from ragrules.model.schedules import Dated as Dated
from ragrules.model.schedules import Schedule as Schedule
from ragrules.model.targets import ProfiledTarget as ProfiledTarget
from ragrules.model.targets import Target as Target
from ragrules.model.travel import DEFAULT_GLYPHS as DEFAULT_GLYPHS
from ragrules.model.travel import Against as Against
from ragrules.model.travel import Arrows as Arrows
from ragrules.model.travel import Comparison as Comparison
from ragrules.model.travel import Direction as Direction
from ragrules.model.travel import Judgement as Judgement
from ragrules.model.travel import Travel as Travel
from ragrules.model.travel import TravelCondition as TravelCondition
from ragrules.model.travel import TravelWord as TravelWord
from ragrules.model.words import StatusWords, in_order, merged

# The version of the ruleset format this library reads and writes (`[ruleset] format`).
FORMAT_VERSION = 1


class Polarity(enum.Enum):
    """Which way is good for an indicator."""

    HIGHER = "higher-is-better"
    LOWER = "lower-is-better"
    NEUTRAL = "neutral"
    IN_RANGE = "in-range"


class Unrated(enum.Enum):
    """Reasons an observation gets no status from the scale; it still stays in the report."""

    NEUTRAL = "neutral"
    NO_TARGET = "no-target"
    NO_DATA = "no-data"
    CAVEAT = "caveat"
    SUPPRESSED = "suppressed"
    INVALID = "invalid"
    # A comparison with a benchmark could not be made: no interval, no benchmark value, or
    # the area is the benchmark itself (Fingertips' "Not compared").
    NOT_COMPARED = "not-compared"


class Basis(enum.Enum):
    """How a margin is measured: as a fraction of the target, or in the indicator's unit."""

    RELATIVE = "relative"
    ABSOLUTE = "absolute"


class Boundary(enum.Enum):
    """Which band a value exactly on a band's starting point belongs to."""

    BETTER = "better"
    WORSE = "worse"


class PointKind(enum.Enum):
    """What a band's starting point is measured from."""

    TARGET = "target"
    WORSE_BY = "worse-by"
    BETTER_BY = "better-by"
    THRESHOLD = "threshold"
    RATIO = "ratio"


# The per-indicator margins a scale may refer to by name.
MARGIN_REFERENCES = ("tolerance", "stretch")


def _basis(raw: object) -> Basis:
    return member(Basis, raw)


@attrs.frozen(kw_only=True, cache_hash=True)
class Margin:
    """A non-negative distance from a target: a fraction of it, or an amount in its unit."""

    basis: Basis = attrs.field(converter=_basis)
    amount: Decimal = attrs.field(converter=margin_amount)
    text: str = attrs.field(default="", eq=False)  # as written; does not change the margin
    # Two-sided, for an in-range indicator: this margin applies below the range, `above`
    # above it (`{ below = ..., above = ... }`). None: this margin on both sides.
    above: Margin | None = None

    @property
    def upper_side(self) -> Margin:
        """The margin above a range: `above` when two-sided, else this one."""
        return self.above or self

    def resolve(self, magnitude: Decimal) -> Decimal:
        """The margin in the indicator's unit for a target of the given magnitude (below a
        range, for a two-sided margin)."""
        if self.basis is Basis.RELATIVE:
            return EXACT.multiply(self.amount, EXACT.abs(magnitude))
        return self.amount

    def __str__(self) -> str:
        """The margin as written (`5%`, `2 weeks`), or its amount; two-sided margins name
        each side (`below 2, above 5`)."""
        own = self.text or format_decimal(self.amount)
        return own if self.above is None else f"below {own}, above {self.above}"

    def describe(self) -> str:
        """The margin as a key states it: `5% of the target` or `2 weeks`."""
        if self.above is not None:
            below = attrs.evolve(self, above=None).describe()
            return f"{below} below the range and {self.above.describe()} above it"
        if self.basis is Basis.RELATIVE:
            return f"{self.text or self.amount} of the target"
        return self.text or str(self.amount)


@attrs.frozen(kw_only=True)
class Rounding:
    """Round values to `places` decimals before rating, so ratings agree with print."""

    places: int = attrs.field(converter=rounding_places)
    mode: RoundingMode = attrs.field(default=RoundingMode.HALF_UP, converter=rounding_mode)


@attrs.frozen(kw_only=True)
class Point:
    """Where a band starts: values at least as good as this point belong to it.

    `target`; the target moved to the worse or better side by a margin (`worse-by`,
    `better-by`: a per-indicator margin named in `MARGIN_REFERENCES`, or a fixed `Margin`);
    a named per-indicator `threshold` (floor standard, cut-point); or a `ratio` of the target.
    """

    kind: PointKind
    margin: str | Margin | None = None
    threshold: str | None = None
    ratio: Decimal | None = None


@attrs.frozen(kw_only=True)
class BenchmarkTarget:
    """A target taken from a benchmark column of the data (e.g. statistical neighbours)."""

    benchmark: str


# What an indicator's target schedule holds: a value or range, a benchmark column, or an
# annual target profiled over the year.
TargetSpec = Target | BenchmarkTarget | ProfiledTarget


@attrs.frozen(kw_only=True)
class Band:
    """A status, where it starts, and optionally a travel condition.

    A band with no start and no travel condition catches every remaining value.
    """

    status: str
    start: Point | None = None
    boundary: Boundary = Boundary.BETTER
    travel: TravelCondition | None = None


@attrs.frozen(kw_only=True)
class Scale:
    """Ordered bands, tried best first; the first that a value reaches gives its status. Or,
    for a scale of `significance`, a comparison of the area's interval with a benchmark."""

    name: str
    bands: tuple[Band, ...] = ()
    significance: Significance | None = None
    quantiles: Quantiles | None = None
    # Its statuses say where a value sits (Kent's activity indicators against an expected
    # range), not how well it performs: summaries count them apart from the rated ones.
    contextual: bool = False

    @property
    def statuses(self) -> tuple[str, ...]:
        """Statuses from best to worst, each once (a significance scale's, judged or not)."""
        if self.significance is not None:
            return tuple(dict.fromkeys((*self.significance.judged, *self.significance.unjudged)))
        if self.quantiles is not None:
            return self.quantiles.statuses
        return tuple(dict.fromkeys(band.status for band in self.bands))

    def statuses_for(self, polarity: Polarity) -> tuple[str, ...]:
        """The statuses an indicator of this polarity can get, best first."""
        if self.significance is not None:
            return self.significance.labels(judged=polarity is not Polarity.NEUTRAL)
        return self.statuses

    @property
    def needs_target(self) -> bool:
        """False when every band starts from a threshold: absolute cut-points need no target,
        and a significance scale takes its benchmark, not a target."""
        return any(
            band.start is not None and band.start.kind is not PointKind.THRESHOLD
            for band in self.bands
        )


def _tolerance_band(status: str) -> Band:
    return Band(status=status, start=Point(kind=PointKind.WORSE_BY, margin="tolerance"))


RAG = Scale(
    name="rag",
    bands=(
        Band(status="green", start=Point(kind=PointKind.TARGET)),
        _tolerance_band("amber"),
        Band(status="red"),
    ),
)
BRAG = Scale(
    name="brag",
    bands=(
        Band(status="blue", start=Point(kind=PointKind.BETTER_BY, margin="stretch")),
        Band(status="green", start=Point(kind=PointKind.TARGET)),
        _tolerance_band("amber"),
        Band(status="red"),
    ),
)
BUILTIN_SCALES: Mapping[str, Scale] = {"rag": RAG, "brag": BRAG}


NO_CHANGE = Margin(basis=Basis.ABSOLUTE, amount=Decimal(0), text="0")


@attrs.frozen(kw_only=True)
class ForecastRule:
    """How an indicator's forecast (its expected year-end value, from the data's `forecast`
    column) is rated: against the target in force at the end of the year, on `scale`."""

    scale: Scale


def _started(
    schedules: Sequence[Schedule[Any] | None], period: Period | None
) -> tuple[int | None, ...]:
    """Which entry of each schedule is in force for `period` (None: none, or no schedule):
    the key of a cache of versions, one per combination of entries."""
    return tuple(None if s is None else s.started_index(period) for s in schedules)


# The settings `Indicator.at` resolves, in the order of `Indicator._schedules`.
_DATED_SETTINGS = ("polarity", "scale", "thresholds", "threshold_ranges")


@attrs.frozen(kw_only=True)
class Indicator:
    """One performance indicator and everything needed to rate it."""

    id: str
    title: str = ""
    unit: str = "number"
    polarity: Polarity = Polarity.HIGHER
    target: Schedule[TargetSpec] | None = None
    tolerance: Schedule[Margin] | None = None
    stretch: Schedule[Margin] | None = None
    thresholds: tuple[tuple[str, Decimal], ...] = ()
    # An in-range indicator's named ranges a band may start from (`{ lower, upper }`).
    threshold_ranges: tuple[tuple[str, Target], ...] = ()
    rounding: Rounding | None = None
    scale: Scale = RAG
    unchanged_within: Margin = NO_CHANGE
    # Officer judgement: whether a status from the data's `override` column may replace the
    # computed one (which is kept), and how a forecast year-end value is rated.
    overrides: bool = False
    forecast: ForecastRule | None = None
    # A rate from the data's numerator and denominator, and the counts below which a row is
    # suppressed rather than rated.
    rate: RateRule | None = None
    minimum: Minimum | None = None
    # Periods from which the series starts again (a changed definition): no comparison
    # reaches back across one. Earliest first.
    series_breaks: tuple[Period, ...] = ()
    # Settings that change within the years a ruleset covers (Kent revises floor standards
    # in-year; an indicator becomes "for information"): the entry in force for a period
    # replaces `polarity`, `scale` or `thresholds` (which hold the earliest entry's).
    dated_polarity: Schedule[Polarity] | None = None
    dated_scale: Schedule[Scale] | None = None
    dated_thresholds: Schedule[tuple[tuple[str, Decimal], ...]] | None = None
    dated_threshold_ranges: Schedule[tuple[tuple[str, Target], ...]] | None = None
    _versions: dict[tuple[int | None, ...], Indicator] = attrs.field(
        init=False, factory=dict, eq=False, repr=False
    )
    # Where each setting was written, as (setting, "file:line"); for explanations only.
    origins: Sequence[tuple[str, str]] = attrs.field(default=(), eq=False)

    def at(self, period: Period | None) -> Indicator:
        """The indicator as in force for `period`, its dated settings resolved (itself when
        nothing is dated). One object per combination of entries in force, so that callers
        may cache by identity: a version is the same object whichever period asks for it."""
        schedules = self._schedules
        if schedules == (None, None, None, None):
            return self
        key = _started(schedules, period)
        found = self._versions.get(key)
        if found is None:
            changes: dict[str, Any] = {
                name: schedule.entries[index].value
                for name, schedule, index in zip(_DATED_SETTINGS, schedules, key, strict=True)
                if schedule is not None and index is not None
            }
            found = attrs.evolve(self, **changes) if changes else self
            self._versions[key] = found  # at most one per combination of entries
        return found

    @property
    def changes(self) -> tuple[Period, ...]:
        """The periods from which a dated setting changes, earliest first."""
        starts = {
            entry.start
            for schedule in self._schedules
            if schedule is not None
            for entry in schedule.entries
            if entry.start is not None
        }
        return tuple(sorted(starts, key=lambda period: period.start))

    @property
    def versions(self) -> tuple[Indicator, ...]:
        """Every version of the indicator its dated settings make, earliest first."""
        if self._schedules == (None, None, None, None):
            return (self,)
        # Versions differ only in their dated settings; two combinations of entries may
        # still give the same settings (an undated start and its first entry). Compared, not
        # hashed: hashing would hash every band, and the same objects compare at once.
        found: list[Indicator] = []
        for version in (self.at(None), *map(self.at, self.changes)):
            settings = [getattr(version, name) for name in _DATED_SETTINGS]
            if all([getattr(kept, name) for name in _DATED_SETTINGS] != settings for kept in found):
                found.append(version)
        return tuple(found)

    @property
    def _schedules(self) -> tuple[Schedule[Any] | None, ...]:
        return (
            self.dated_polarity,
            self.dated_scale,
            self.dated_thresholds,
            self.dated_threshold_ranges,
        )

    @property
    def judged(self) -> bool:
        """Whether results of this indicator carry judgement: overrides allowed or a forecast."""
        return self.overrides or self.forecast is not None

    def threshold(self, name: str) -> Decimal | None:
        for key, value in self.thresholds:
            if key == name:
                return value
        return None

    def threshold_range(self, name: str) -> Target | None:
        """The named threshold range of an in-range indicator, or None."""
        return next((value for key, value in self.threshold_ranges if key == name), None)


@attrs.frozen(kw_only=True, cache_hash=True)
class Tokens:
    """How a ruleset reads its data (`[data]`): its own published tokens, added to the built-in
    ones (`N/A`, `<5`, `c`, ...), and the columns that split an area's series (`breakdowns`)."""

    no_data: frozenset[str] = frozenset()
    suppressed: frozenset[str] = frozenset()
    # Columns (by column key) that, with the indicator and the area, name one series: a row
    # for males and one for females are two series, not a duplicate.
    breakdowns: tuple[str, ...] = ()
    # Tokens with effective dates (DfE's `x` meant suppressed until 2020, then "not
    # available"): `no_data` and `suppressed` hold the earliest entry's, `at` the period's.
    dated_no_data: Schedule[frozenset[str]] | None = None
    dated_suppressed: Schedule[frozenset[str]] | None = None
    _versions: dict[tuple[int | None, ...], Tokens] = attrs.field(
        init=False, factory=dict, eq=False, repr=False
    )

    @property
    def is_dated(self) -> bool:
        return self.dated_no_data is not None or self.dated_suppressed is not None

    def at(self, period: Period | None) -> Tokens:
        """The tokens in force for a row of `period` (itself when nothing is dated)."""
        if not self.is_dated:
            return self
        schedules = (self.dated_no_data, self.dated_suppressed)
        key = _started(schedules, period)
        found = self._versions.get(key)
        if found is None:
            no_data, suppressed = (
                None if index is None or schedule is None else schedule.entries[index].value
                for schedule, index in zip(schedules, key, strict=True)
            )
            found = Tokens(
                no_data=self.no_data if no_data is None else no_data,
                suppressed=self.suppressed if suppressed is None else suppressed,
                breakdowns=self.breakdowns,
            )
            self._versions[key] = found
        return found


@attrs.frozen(kw_only=True)
class RulesetData:
    """What a loaded ruleset says: its indicators in report order, its travel, exceptions and
    tokens, and what loading warned about. `ruleset.Ruleset` adds rating to it; the engine's
    functions read these fields only, so they take a `RulesetData`."""

    id: str
    title: str = ""
    version: str = ""
    calendar: Calendar = Calendar.FINANCIAL
    catalogue: bool = False  # definitions for others to extend, not a report of its own
    indicators: tuple[Indicator, ...] = ()
    travel: Travel = attrs.field(factory=Travel)
    exceptions: ExceptionPolicy = attrs.field(factory=ExceptionPolicy)
    tokens: Tokens = attrs.field(factory=Tokens)
    benchmarks: tuple[Benchmark, ...] = ()
    groups: tuple[Group, ...] = ()
    # Indicators grouped into services or themes, each rated by its rule; a roll-up's
    # members that are roll-ups come before it.
    rollups: tuple[Rollup, ...] = ()
    # The ruleset's own words for statuses: labels, synonyms and colours.
    statuses: tuple[StatusWords, ...] = ()
    # What the summary's percentages are of, in the order reports show them: the rated
    # indicators ("rated"), every indicator reported ("all"), or both (`[summary]`).
    percentages: tuple[str, ...] = ("rated",)
    # Where the ruleset was read from and what loading warned about; not part of its rules.
    source: str | None = attrs.field(default=None, eq=False)
    warnings: tuple[Problem, ...] = attrs.field(default=(), eq=False)

    def group(self, name: str) -> Group | None:
        """The named comparator group, or None (names compared as column names are)."""
        key = column_key(name)
        return next((g for g in self.groups if g.name == key), None)

    def words(self, status: str) -> StatusWords | None:
        """The ruleset's words for a status, or None."""
        return next((w for w in self.statuses if w.status == status), None)

    def in_order(self, statuses: Iterable[str]) -> tuple[str, ...]:
        """Statuses as reports list them, in the ruleset's `order` where it gives one."""
        return in_order(statuses, self.statuses)

    def listed_statuses(self, indicators: Iterable[Indicator]) -> tuple[str, ...]:
        """The statuses these indicators (versions in force) can get, as reports list them:
        every scale's best first, merged, in the ruleset's `order` where it gives one."""
        rankings = [i.scale.statuses_for(i.polarity) for i in indicators]
        return self.in_order(merged(rankings))

    def label(self, status: str) -> str:
        """A status as reports write it: the ruleset's label, else the status itself."""
        found = self.words(status)
        return found.label if found is not None and found.label else status

    def rollup(self, rollup_id: str) -> Rollup | None:
        """The roll-up with this id, or None."""
        return next((r for r in self.rollups if r.id == rollup_id), None)

    def benchmark(self, name: str) -> Benchmark | None:
        """The named benchmark, or None when the name is a column of the data."""
        key = column_key(name)
        return next((b for b in self.benchmarks if b.name == key), None)

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id; LookupError if the ruleset has none."""
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise LookupError(f"ruleset {self.id!r} has no indicator {indicator_id!r}")
