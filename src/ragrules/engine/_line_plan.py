"""A plan for one indicator and period: the bands in force, the earlier periods its
comparisons read, and each value text's rating, remembered (see `ragrules.engine.plan`)."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ragrules.engine import rating, travel
from ragrules.engine._history import break_between
from ragrules.engine._placing import Series
from ragrules.engine._reasons import why
from ragrules.engine._targets import rounded, target_for
from ragrules.engine.batch import _Batch
from ragrules.engine.notices import looks_like_fraction, result_notices
from ragrules.engine.rating import CannotRate, Cut, RuleInputs
from ragrules.engine.result import Result
from ragrules.engine.travel import Movement
from ragrules.model.observations import Observation, read_value
from ragrules.model.periods import Period, PeriodError, parse_period, starts_year, written_as
from ragrules.model.rules import (
    Against,
    Direction,
    Indicator,
    Judgement,
    Polarity,
    Unrated,
)

# Value texts remembered per plan: published values repeat (one decimal place, a few hundred
# texts an indicator); a file of unique values stops remembering past this, and stays right.
_TEXTS_PER_PLAN = 4096
_UNREAD = object()  # an earlier text not read yet (None is a text that is not a number)


class Rated:
    """What one value text comes to for a plan's indicator and period.

    A number the plan's bands take is rated here (`fast`); anything else (unreadable text,
    a neutral indicator, no target) is the general path's result. Compared by identity: a
    writer keys its rendering of a text on it.
    """

    __slots__ = (
        "_result",
        "fast",
        "notices",
        "plan",
        "rated",
        "status",
        "text",
        "unrated",
        "value",
    )

    def __init__(self, plan: LinePlan, text: str) -> None:
        self.plan, self.text = plan, text
        self._result: Result | None = None
        self.fast = False
        self.value: Decimal | None = None  # rounded, as travel compares it
        self.rated: tuple[Decimal, int, str] | None = None  # (unrounded, band, reason)
        self.status = ""
        self.unrated: Unrated | None = None
        self.notices = 0

    def result(self) -> Result:
        """The general path's result for the text alone (no row, area or columns)."""
        if self._result is None:
            plan = self.plan
            observation = Observation(
                indicator=plan.indicator.id, period=str(plan.period), value=self.text
            )
            blanks = ("",) * len(plan.batch.breakdowns)
            series: Series = (plan.indicator.id, "", blanks)
            self._result = plan.batch.result(plan.indicator, observation, plan.period, {}, series)
        return self._result


# A number a plan's bands rate: (rounded value, (unrounded, band, reason), status, notices).
Numbered = tuple[Decimal, tuple[Decimal, int, str], str, int]

# A comparison the plan made itself: (comparison index, earlier value, earlier text, outcome),
# the outcome an index into the plan's `outcomes` (direction, judgement); anything else is the
# general path's `Movement`.
Moved = tuple[int, Decimal, str, int]


class Planned:
    """A plain line's result, in the parts its output is assembled from."""

    __slots__ = ("area", "breakdown", "columns", "commentary", "moves", "plan", "rated", "row")

    def __init__(
        self,
        plan: LinePlan,
        rated: Rated,
        row: int,
        area: str,
        breakdown: tuple[tuple[str, str], ...],
        moves: list[Moved | Movement],
        commentary: str,
        columns: tuple[tuple[str, str], ...],
    ) -> None:
        self.plan, self.rated, self.row, self.area = plan, rated, row, area
        self.breakdown, self.moves = breakdown, moves
        self.commentary, self.columns = commentary, columns

    @property
    def travel(self) -> tuple[Movement, ...]:
        """The movements, as `travel.compare` makes them."""
        return tuple(
            move if isinstance(move, Movement) else self.plan.movement(move) for move in self.moves
        )

    def result(self) -> Result:
        """The general path's `Result` for this line (for callers that want objects)."""
        return attrs.evolve(
            self.rated.result(),
            area=self.area,
            breakdown=self.breakdown,
            row=self.row,
            travel=self.travel,
            commentary=self.commentary,
            columns=self.columns,
        )


class Layout:
    """Where a plan's lines give their earlier values, for one stream's earlier columns."""

    __slots__ = ("by_period", "columns", "comparisons")

    def __init__(
        self,
        columns: tuple[Period, ...],
        comparisons: tuple[tuple[int, Period, int], ...],
        by_period: bool,
    ) -> None:
        # The earlier columns' periods, in the stream's order of roles.
        self.columns = columns
        # Per comparison: (index, earlier period, the column giving it: len(columns) when
        # none does, -1 when the comparison restarts and reads nothing).
        self.comparisons = comparisons
        # Whether the line's values are placed by period first (two may be one period).
        self.by_period = by_period


class LinePlan:
    """One indicator and period: its earlier periods, and each value text's rating."""

    def __init__(
        self,
        batch: _Batch,
        indicator: Indicator,
        period: Period,
        text: str,
        readings: dict[str, Decimal | None],
        alike: dict[object, tuple[int, Indicator, dict[str, Numbered]]],
    ) -> None:
        self.batch = batch
        self.indicator = indicator
        self.id = indicator.id
        self.period = period
        self.readings = readings  # the indicator's earlier value texts, read and rounded
        ruleset = batch.ruleset
        self.comparisons = ruleset.travel.comparisons
        # The row each comparison reads: (series, earlier period) in the line or the history.
        self.earlier = tuple(
            period.previous()
            if comparison.against is Against.PREVIOUS_PERIOD
            else period.same_period_last_year()
            for comparison in ruleset.travel.comparisons
        )
        # Comparisons with no earlier value to read: the previous period of a year-to-date
        # period that starts its year, or one across a series break (the general path says
        # why).
        self.restarts = tuple(
            (
                comparison.against is Against.PREVIOUS_PERIOD
                and starts_year(period, ruleset.calendar)
            )
            or break_between(indicator, earlier, period, ruleset.calendar) is not None
            for comparison, earlier in zip(ruleset.travel.comparisons, self.earlier, strict=True)
        )
        # The periods a wide row's earlier columns are placed at, as the general reader places
        # them (from the row's period text); None when it cannot (the general path says why).
        self.columns: dict[str, Period] | None = None
        try:
            shown = parse_period(text)
            self.columns = {
                "previous": parse_period(written_as(shown.previous(), text), ruleset.calendar),
                "last_year": parse_period(
                    written_as(shown.same_period_last_year(), text), ruleset.calendar
                ),
            }
        except PeriodError:
            pass
        # A year's previous period is its same period last year: a line giving both gives
        # one period twice (the general path keeps one and rejects the other).
        self.one_period_twice = (
            self.columns is not None and self.columns["previous"] == self.columns["last_year"]
        )
        self._rated: dict[str, Rated] = {}
        # Where a line's earlier values are, for the stream that uses the plan (each stream
        # has a planner of its own): set by `RowStream.plain` on its first line.
        self.layout: Layout | None = None
        # Comparisons with no number to compare, by (index, earlier text or None for no row):
        # worded alike for every value and series (`RowStream.unread`).
        self.worded: dict[tuple[int, str | None], Movement] = {}
        # Movement outcomes: with no margin and a better direction, (unchanged, up, down).
        margin = indicator.unchanged_within
        self.plain_travel = margin.amount == 0 and indicator.polarity in (
            Polarity.HIGHER,
            Polarity.LOWER,
        )
        up, down = (
            (Judgement.IMPROVING, Judgement.WORSENING)
            if indicator.polarity is Polarity.HIGHER
            else (Judgement.WORSENING, Judgement.IMPROVING)
        )
        self.outcomes: list[tuple[Direction, Judgement | None]] = (
            [
                (Direction.UNCHANGED, Judgement.UNCHANGED),
                (Direction.UP, up),
                (Direction.DOWN, down),
            ]
            if self.plain_travel
            else []
        )
        self._outcome: dict[tuple[Direction, Judgement | None], int] = {}
        # Each outcome's judgement as its text (None: no judgement): what exception rules read.
        self.judged_as: list[str | None] = [
            None if judgement is None else judgement.value for _, judgement in self.outcomes
        ]
        # The target and margins in force, and the bands they make, when a number can be
        # rated here: a target from the ruleset, bands that do not read travel.
        self.cuts: tuple[Cut, ...] | None = None
        ruleset = batch.ruleset
        target, source, problem = target_for(indicator, Observation(), period, ruleset.tokens)
        tolerance = indicator.tolerance.in_force(period) if indicator.tolerance else None
        stretch = indicator.stretch.in_force(period) if indicator.stretch else None
        self.target = target
        if indicator.polarity is not Polarity.NEUTRAL and source == "ruleset" and not problem:
            try:
                cuts = rating.compile_cuts(
                    RuleInputs(
                        indicator=indicator, target=target, tolerance=tolerance, stretch=stretch
                    )
                )
            except CannotRate:
                cuts = None
            if cuts is not None and all(cut.travel is None for cut in cuts):
                self.cuts = cuts
        # What a number's rating reads and shows: plans alike in it rate and write a number
        # alike, whatever their periods (a writer renders it once for them). The indicator's
        # version is held by identity (`Indicator.at` makes one per combination of dated
        # settings in force); a margin by its value and its text as written ("5%", "5.0%").
        written = (str(tolerance), str(stretch))
        self.bands = (id(indicator), target, tolerance, stretch, self.cuts, written)
        # The bands' number; the version is kept with it, so that its id is not reused.
        # Plans alike share the ratings of the numbers the bands rate, by text: (rounded
        # value, (unrounded, band, reason), status, notices).
        self.alike, _, self.numbers = alike.setdefault(self.bands, (len(alike), indicator, {}))
        # A band that reads travel: the general path rates the indicator.
        self.travelled = any(band.travel is not None for band in indicator.scale.bands)

    def lay_out(self, roles: tuple[str, ...]) -> Layout:
        """Where the plan's lines give their earlier values, for a stream whose earlier
        columns hold `roles` (kept with the plan as its `layout`)."""
        at = () if self.columns is None else tuple(self.columns[role] for role in roles)
        given = (self.period, *at)
        comparisons = tuple(
            (index, when, -1 if restarts else at.index(when) if when in at else len(at))
            for index, (when, restarts) in enumerate(zip(self.earlier, self.restarts, strict=True))
        )
        by_period = (self.columns is None and bool(roles)) or len(set(given)) < len(given)
        self.layout = Layout(at, comparisons, by_period)
        return self.layout

    def reading(self, text: str) -> Decimal | None:
        """An earlier value text as travel compares it (None: not a number)."""
        found = self.readings.get(text, _UNREAD)
        if found is not _UNREAD:
            return found  # type: ignore[return-value]
        number = read_value(text, self.indicator.unit, self.batch.ruleset.tokens).number
        found = None if number is None else rounded(self.indicator, number)
        if len(self.readings) < _TEXTS_PER_PLAN:
            self.readings[text] = found
        return found

    def compare(self, index: int, value: Decimal, text: str) -> Moved | None:
        """Comparison `index` of `value` with an earlier value text, made here when the text
        is a number (None: the general path words it)."""
        found = self.readings.get(text, _UNREAD)  # `reading`, its look-up inlined
        earlier: Decimal | None = self.reading(text) if found is _UNREAD else found  # type: ignore[assignment]
        if earlier is None:
            return None
        if self.plain_travel:  # no margin: unchanged, up or down (see `outcome`)
            code = 0 if value == earlier else 1 if value > earlier else 2
        else:
            code = self.outcome(value, earlier)
        return (index, earlier, text, code)

    def outcome(self, value: Decimal, earlier: Decimal) -> int:
        """The direction and judgement of a movement from `earlier` to `value`, as
        `travel.direction` and `travel.judge` find them: an index into `outcomes`."""
        if self.plain_travel:  # no margin, better one way: the three outcomes are fixed
            return 0 if value == earlier else 1 if value > earlier else 2
        indicator = self.indicator
        margin = indicator.unchanged_within
        moved = travel.direction(value, earlier, margin)
        judgement = travel.judge(moved, indicator.polarity, value, earlier, margin, self.target)
        found = self._outcome.get((moved, judgement))
        if found is None:
            found = self._outcome[(moved, judgement)] = len(self.outcomes)
            self.outcomes.append((moved, judgement))
            self.judged_as.append(None if judgement is None else judgement.value)
        return found

    def movement(self, move: Moved) -> Movement:
        """A comparison the plan made, as `travel.compare` makes it."""
        index, earlier, text, code = move
        moved, judgement = self.outcomes[code]
        return Movement(
            comparison=self.comparisons[index],
            direction=moved,
            judgement=judgement,
            earlier=earlier,
            earlier_text=text,
            period=self.earlier[index],
            arrow=travel.arrow(self.batch.ruleset.travel, moved, judgement),
        )

    def keep_worded(self, key: tuple[int, str | None], move: Movement) -> None:
        """Remember a comparison's wording for an earlier text that is not a number, by
        (comparison index, text; None: no row), within the plan's bound on texts."""
        if len(self.worded) < _TEXTS_PER_PLAN:
            self.worded[key] = move

    def rated(self, text: str) -> Rated | None:
        """The rating of a value text (None: the general path rates the indicator)."""
        found = self._rated.get(text)
        if found is None:
            if self.travelled:
                return None
            found = self._rate(text)
            if len(self._rated) < _TEXTS_PER_PLAN:
                self._rated[text] = found
        return found

    def _rate(self, text: str) -> Rated:
        indicator = self.indicator
        found = Rated(self, text)
        known = self.numbers.get(text)
        if known is not None:  # rated by a plan alike in bands
            found.value, found.rated, found.status, found.notices = known
            found.fast = True
            return found
        reading = read_value(text, indicator.unit, self.batch.ruleset.tokens)
        number = reading.number
        if number is not None:
            found.value = value = rounded(indicator, number)
            cuts = self.cuts
            if cuts is not None:
                try:
                    band = rating.band_for(cuts, value)
                except CannotRate:
                    pass
                else:
                    found.fast = True
                    status = found.status = cuts[band].status
                    found.rated = (number, band, f"{status}: {why(cuts, band, value)}")
                    fraction = looks_like_fraction(indicator.unit, text, number, self.target)
                    found.notices = int(fraction)
                    if len(self.numbers) < _TEXTS_PER_PLAN:
                        self.numbers[text] = (value, found.rated, status, found.notices)
                    return found
        result = found.result()
        found.status, found.unrated = result.status, result.unrated
        found.notices = len(result_notices(result))
        return found
