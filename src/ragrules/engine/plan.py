"""The compiled row engine: a stream's plain lines rated by a plan compiled once per indicator
and period, every other line by the general path, with one history between them.

A plan holds what is the same for every row of an indicator and period: the target and
margins in force, the bands they make, the earlier periods each comparison reads, and each
value text's rating, remembered. A number is rated with the general path's own functions
(`band_for`, `why`, `direction`, `judge`); any other text (unreadable, a neutral indicator,
no target) by the general path itself, once. Per row the plan looks up the value's rating
and compares the earlier values, so a stream keeps no per-row objects but its output.

A line is plain when it is one row of a known indicator id with a readable period and no
target, caveat or flag of its own; a ruleset is planned when its comparisons are against
earlier periods and its exception rules look back one period (`Planner.usable`). Anything
else goes to `_Batch.rate_line`, which the plan's results match field for field
(tests/property/test_plan.py).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from ragrules.engine import rating, travel
from ragrules.engine._history import movement_with_history
from ragrules.engine._placing import Series, report_period
from ragrules.engine._reasons import why
from ragrules.engine._targets import rounded, target_for
from ragrules.engine.batch import LOOKBACK_ROWS, Recent, _Batch, as_observation
from ragrules.engine.notices import looks_like_fraction, result_notices
from ragrules.engine.rating import CannotRate, Cut, RuleInputs
from ragrules.engine.result import Rejection, Result
from ragrules.engine.travel import Movement
from ragrules.model.numbers import in_exact_context
from ragrules.model.observations import Observation, read_value
from ragrules.model.periods import Period, PeriodError, parse_period
from ragrules.model.rules import (
    Against,
    BenchmarkTarget,
    Direction,
    Indicator,
    Judgement,
    Polarity,
    RulesetData,
    Unrated,
)

# Plans kept at once: one per indicator and period, so a ruleset of many indicators over many
# periods keeps the most recently used (a least-recently-used cache, sized to the ruleset).
_PLANS_PER_INDICATOR = 64
# Value texts remembered per plan: published values repeat (one decimal place, a few hundred
# texts an indicator); a file of unique values stops remembering past this, and stays right.
_TEXTS_PER_PLAN = 4096


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


class LinePlan:
    """One indicator and period: its earlier periods, and each value text's rating."""

    def __init__(
        self,
        batch: _Batch,
        indicator: Indicator,
        period: Period,
        text: str,
        readings: dict[str, Decimal | None],
    ) -> None:
        self.batch = batch
        self.indicator = indicator
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
        # The periods a wide row's earlier columns are placed at, as the general reader places
        # them (from the row's period text); None when it cannot (the general path says why).
        self.columns: dict[str, Period] | None = None
        try:
            shown = parse_period(text)
            self.columns = {
                "previous": parse_period(str(shown.previous()), ruleset.calendar),
                "last_year": parse_period(str(shown.same_period_last_year()), ruleset.calendar),
            }
        except PeriodError:
            pass
        self._rated: dict[str, Rated] = {}
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
        # A band that reads travel: the general path rates the indicator.
        self.travelled = any(band.travel is not None for band in indicator.scale.bands)

    def reading(self, text: str) -> Decimal | None:
        """An earlier value text as travel compares it (None: not a number)."""
        if text in self.readings:
            return self.readings[text]
        number = read_value(text, self.indicator.unit, self.batch.ruleset.tokens).number
        found = None if number is None else rounded(self.indicator, number)
        if len(self.readings) < _TEXTS_PER_PLAN:
            self.readings[text] = found
        return found

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
                    return found
        result = found.result()
        found.status, found.unrated = result.status, result.unrated
        found.notices = len(result_notices(result))
        return found


class Planner:
    """The plans of one ruleset, and whether its streams can use them at all."""

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        ruleset = batch.ruleset
        self.usable = ruleset.exceptions.lookback == 1 and all(
            c.against in (Against.PREVIOUS_PERIOD, Against.SAME_PERIOD_LAST_YEAR)
            for c in ruleset.travel.comparisons
        )
        self.plans: OrderedDict[tuple[str, str], LinePlan | None] = OrderedDict()
        self.size = _PLANS_PER_INDICATOR * max(len(ruleset.indicators), 1)
        self.readings: dict[str, dict[str, Decimal | None]] = {}

    def plan(self, indicator: str, period: str) -> LinePlan | None:
        """The plan for an indicator id and period text; None for rows it does not cover."""
        key = (indicator, period)
        plans = self.plans
        if key in plans:
            plans.move_to_end(key)
            return plans[key]
        found = self._compile(indicator, period)
        plans[key] = found
        if len(plans) > self.size:
            plans.popitem(last=False)
        return found

    def _compile(self, indicator_id: str, text: str) -> LinePlan | None:
        batch = self.batch
        indicator = batch.indicators.get(indicator_id)
        if indicator is None or not text:
            return None  # a title, an unknown id, no period: the general path says
        scale = indicator.scale
        if scale.significance is not None or scale.quantiles is not None:
            return None
        try:
            period = parse_period(text, batch.ruleset.calendar)
        except PeriodError:
            return None
        if indicator.target is not None and isinstance(
            indicator.target.in_force(period), BenchmarkTarget
        ):
            return None  # read from the row's own benchmark column
        readings = self.readings.setdefault(indicator.id, {})
        plan = LinePlan(batch, indicator, period, text, readings)
        return None if plan.travelled else plan


class RowStream:
    """A stream's lines rated in order, plain ones by plan, with one history of recent rows.

    The history holds, per (series, period), the row's value text (a plain line's) or its
    `Observation` (a general line's); the general path sees both as observations.
    """

    def __init__(
        self,
        ruleset: RulesetData,
        period: str | Period | None = None,
        earlier: tuple[str, ...] = (),
    ) -> None:
        self.earlier_roles = earlier  # the earlier columns' roles (previous, last_year)
        self.batch = _Batch(ruleset)
        self.planner = Planner(self.batch)
        self.default = report_period(period, ruleset, {})
        self.history: Recent = {}
        self.breakdowns = ruleset.tokens.breakdowns
        self.comparisons = ruleset.travel.comparisons
        self.settings = ruleset.travel
        self.tokens = ruleset.tokens
        self._general = in_exact_context(self._rate_general)

    @property
    def usable(self) -> bool:
        """Whether plain lines can be planned (no --period, a ruleset the plans cover)."""
        return self.planner.usable and self.default is None

    def plain(
        self,
        row: int,
        indicator: str,
        area: str,
        period: str,
        value: str,
        earlier: Sequence[str],
        columns: tuple[tuple[str, str], ...],
        commentary: str = "",
    ) -> Planned | None:
        """A plain line's result; None when the line needs the general path (nothing kept).

        `earlier` holds the line's earlier values, one per role in `earlier_roles`. Call it
        in the library's decimal context (`in_exact_context`), entered once for a stream.
        """
        plan = self.planner.plan(indicator, period)
        if plan is None:
            return None
        rated = plan.rated(value)
        if rated is None:
            return None
        breakdown: tuple[tuple[str, str], ...] = ()
        series: Series = (indicator, area, ())
        if self.breakdowns:
            known = dict(columns)
            breakdown = tuple((name, known.get(name, "")) for name in self.breakdowns)
            series = (indicator, area, tuple(text for _, text in breakdown))
        line = {plan.period: value}
        if earlier:
            if plan.columns is None:
                return None
            for role, text in zip(self.earlier_roles, earlier, strict=True):
                if text:
                    line[plan.columns[role]] = text
        number = rated.value
        if number is None:
            moves: list[Moved | Movement] = list(rated.result().travel)
        else:
            moves = [
                self._move(plan, index, number, series, line) for index in range(len(plan.earlier))
            ]
        self._remember(series, line)
        return Planned(plan, rated, row, area, breakdown, moves, commentary, columns)

    def _move(
        self,
        plan: LinePlan,
        index: int,
        value: Decimal,
        series: Series,
        line: Mapping[Period, str],
    ) -> Moved | Movement:
        """One comparison: an earlier number compared here, as `travel.compare` compares;
        anything else (no row, an unreadable or caveated one) as the general path says it."""
        when = plan.earlier[index]
        found: Observation | str | None = line.get(when)
        if found is None:
            found = self.history.get((series, when))
        if type(found) is str:
            earlier = plan.reading(found)
            if earlier is not None:
                return (index, earlier, found, plan.outcome(value, earlier))
        indicator = plan.indicator
        key = (series, when)
        return movement_with_history(
            self.batch.ruleset,
            plan.comparisons[index],
            indicator,
            Observation(indicator=indicator.id, period=str(plan.period)),
            value,
            plan.target,
            plan.period,
            {} if found is None else {key: as_observation(key, found)},
            series,
        )

    def _remember(self, series: Series, line: Mapping[Period, str]) -> None:
        history = self.history
        for when, text in line.items():
            key = (series, when)
            history.pop(key, None)
            history[key] = text
        while len(history) > LOOKBACK_ROWS:
            del history[next(iter(history))]

    def general(self, observations: list[Observation]) -> list[Result | Rejection]:
        """A line's results and rejections by the general path, with the shared history."""
        return self._general(observations)

    def _rate_general(self, observations: list[Observation]) -> list[Result | Rejection]:
        return self.batch.rate_line(observations, self.default, self.history)
