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

from ragrules.engine._history import movement_with_history
from ragrules.engine._line_plan import LinePlan, Moved, Numbered, Planned, Rated
from ragrules.engine._placing import (
    LOOKBACK_ROWS,
    KnownRows,
    Recent,
    Series,
    as_observation,
    benchmark_areas,
    report_period,
)
from ragrules.engine.batch import _Batch
from ragrules.engine.result import Rejection, Result
from ragrules.engine.travel import Movement
from ragrules.model.numbers import in_exact_context
from ragrules.model.observations import Observation
from ragrules.model.periods import Period, PeriodError, parse_period
from ragrules.model.rules import (
    Against,
    BenchmarkTarget,
    Indicator,
    RulesetData,
)

__all__ = ["LinePlan", "Moved", "Planned", "Planner", "Rated", "RowStream"]

_UNSEEN = object()  # a plan not compiled yet (None is a plan that covers nothing)

# Plans kept at once: one per indicator and period, so a ruleset of many indicators over many
# periods keeps the most recently used (a least-recently-used cache, sized to the ruleset; a
# use is recorded once it is full, so the first drops are of the first compiled). Which plans
# are kept changes only how often one is compiled again, never a result.
_PLANS_PER_INDICATOR = 64


class Planner:
    """The plans of one ruleset, and whether its streams can use them at all."""

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        ruleset = batch.ruleset
        policy = ruleset.exceptions
        self.usable = (
            policy.lookback == 1
            and policy.memory == 1
            # Arrows, words or tokens by period: the general path resolves them per row.
            and not ruleset.travel.is_dated
            and not ruleset.tokens.is_dated
            and all(
                c.against in (Against.PREVIOUS_PERIOD, Against.SAME_PERIOD_LAST_YEAR)
                and not c.has_words  # graded words: the general path writes them
                and not c.same_target  # the earlier period's target: the general path's
                for c in ruleset.travel.comparisons
            )
        )
        self.plans: OrderedDict[tuple[str, str], LinePlan | None] = OrderedDict()
        self.size = _PLANS_PER_INDICATOR * max(len(ruleset.indicators), 1)
        self.spare = True  # fewer plans kept than `size`
        self.readings: dict[str, dict[str, Decimal | None]] = {}
        # Plans' bands, numbered (see `LinePlan.bands`), each with its indicator version and
        # the numbers they rate.
        self.alike: dict[object, tuple[int, Indicator, dict[str, Numbered]]] = {}

    def plan(self, indicator: str, period: str) -> LinePlan | None:
        """The plan for an indicator id and period text; None for rows it does not cover."""
        key = (indicator, period)
        plans = self.plans
        found = plans.get(key, _UNSEEN)
        if found is not _UNSEEN:
            if len(plans) >= self.size:  # the order matters only once one must be dropped
                plans.move_to_end(key)
            return found  # type: ignore[return-value]
        found = self._compile(indicator, period)
        plans[key] = found
        if len(plans) > self.size:
            plans.popitem(last=False)
        self.spare = len(plans) < self.size
        return found

    def _compile(self, indicator_id: str, text: str) -> LinePlan | None:
        batch = self.batch
        indicator = batch.indicators.get(indicator_id)
        if indicator is None or not text:
            return None  # a title, an unknown id, no period: the general path says
        try:
            period = parse_period(text, batch.ruleset.calendar)
        except PeriodError:
            return None
        indicator = indicator.at(period)
        scale = indicator.scale
        if (
            scale.significance is not None
            or scale.quantiles is not None
            or indicator.judged
            or indicator.rate is not None
            or indicator.minimum is not None
        ):
            return None  # compared with other rows, or read from the row's other columns

        if indicator.target is not None and isinstance(
            indicator.target.in_force(period), BenchmarkTarget
        ):
            return None  # read from the row's own benchmark column
        readings = self.readings.setdefault(indicator.id, {})
        plan = LinePlan(batch, indicator, period, text, readings, self.alike)
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
        self.history = Recent(benchmark_areas(ruleset))
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
        """A plain line's result; None when the line needs the general path (nothing kept):
        one the plan does not cover, or an area's row an earlier line's row gave (the general
        path rejects it as a duplicate).

        `earlier` holds the line's earlier values, one per role in `earlier_roles`. Call it
        in the library's decimal context (`in_exact_context`), entered once for a stream.
        """
        planner = self.planner
        # The plan's look-up inlined while the plans kept are fewer than the bound (their
        # order matters only once one must be dropped).
        plan = planner.plans.get((indicator, period)) if planner.spare else None
        if plan is None:  # not compiled yet, or one that covers nothing
            plan = planner.plan(indicator, period)
            if plan is None:
                return None
        rated = plan.rated(value)
        if rated is None:
            return None
        layout = plan.layout or plan.lay_out(self.earlier_roles)
        if layout.by_period:
            return self._plain_placed(
                plan, rated, row, indicator, area, value, earlier, columns, commentary
            )
        breakdown: tuple[tuple[str, str], ...] = ()
        series: Series = (indicator, area, ())
        if self.breakdowns:
            breakdown, series = self._series(indicator, area, columns)
        history = self.history
        own = plan.period
        if area and (series, own) in history.rows:
            return None
        number = rated.value
        if number is None:
            moves: list[Moved | Movement] = list(rated.result().travel)
        else:
            moves = []
            for index, when, column in layout.comparisons:
                found: Observation | str | None = None
                if column >= 0:  # not a comparison that restarts (the general path says why)
                    found = earlier[column] if column < len(earlier) else ""
                    if not found:
                        found = history.get((series, when))
                moved = plan.compare(index, number, found) if type(found) is str else None
                moves.append(moved or self._worded(plan, index, number, series, found))
        self._remember(series, own, value, row, layout.columns, earlier)
        return Planned(plan, rated, row, area, breakdown, moves, commentary, columns)

    def _plain_placed(
        self,
        plan: LinePlan,
        rated: Rated,
        row: int,
        indicator: str,
        area: str,
        value: str,
        earlier: Sequence[str],
        columns: tuple[tuple[str, str], ...],
        commentary: str,
    ) -> Planned | None:
        """`plain` for a plan whose earlier columns may give one period twice: the line's
        values placed by period first."""
        placed = self._placed(plan, indicator, area, value, earlier, columns)
        if placed is None:
            return None
        breakdown, series, line = placed
        if area and (series, plan.period) in self.history.rows:
            return None
        number = rated.value
        if number is None:
            moves: list[Moved | Movement] = list(rated.result().travel)
        else:
            moves = [
                self._move(plan, index, number, series, line) for index in range(len(plan.earlier))
            ]
        self._remember_placed(series, line, row)
        return Planned(plan, rated, row, area, breakdown, moves, commentary, columns)

    def replay(
        self,
        row: int,
        indicator: str,
        area: str,
        period: str,
        value: str,
        earlier: Sequence[str],
        columns: tuple[tuple[str, str], ...],
    ) -> bool:
        """Keep what `plain` keeps of a plain line, without rating it (a stream picked up
        part way through replays the lines before its part); False for a line that is not
        plain, which `replay_general` keeps."""
        plan = self.planner.plan(indicator, period)
        if plan is None:
            return False
        placed = self._placed(plan, indicator, area, value, earlier, columns)
        if placed is None:
            return False
        _, series, line = placed
        if area and (series, plan.period) in self.history.rows:
            return False  # a duplicate: kept (not at all) as the general path keeps it
        self._remember_placed(series, line, row)
        return True

    def replay_general(self, observations: list[Observation]) -> None:
        """Keep what `general` keeps of a line, without rating it."""
        self.batch.remember_line(observations, self.default, self.history)

    def _placed(
        self,
        plan: LinePlan,
        indicator: str,
        area: str,
        value: str,
        earlier: Sequence[str],
        columns: tuple[tuple[str, str], ...],
    ) -> tuple[tuple[tuple[str, str], ...], Series, dict[Period, str]] | None:
        """A plain line's breakdown, series and rows by period (None: not plain after all)."""
        breakdown: tuple[tuple[str, str], ...] = ()
        series: Series = (indicator, area, ())
        if self.breakdowns:
            breakdown, series = self._series(indicator, area, columns)
        line = {plan.period: value}
        if earlier:
            if plan.columns is None:
                return None
            for role, text in zip(self.earlier_roles, earlier, strict=True):
                if text:
                    at = plan.columns[role]
                    if at in line:
                        # Two values for one period (a year's previous period is its same
                        # period last year): the general path keeps one, rejects the other.
                        return None
                    line[at] = text
        return breakdown, series, line

    def _series(
        self, indicator: str, area: str, columns: tuple[tuple[str, str], ...]
    ) -> tuple[tuple[tuple[str, str], ...], Series]:
        """A line's breakdown, from its columns, and its series."""
        known = dict(columns)
        breakdown = tuple((name, known.get(name, "")) for name in self.breakdowns)
        return breakdown, (indicator, area, tuple(text for _, text in breakdown))

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
        found: Observation | str | None = None
        if not plan.restarts[index]:  # else nothing is read: the general path says why
            found = line.get(when)
            if found is None:
                found = self.history.get((series, when))
        moved = plan.compare(index, value, found) if type(found) is str else None
        return moved or self._worded(plan, index, value, series, found)

    def _worded(
        self,
        plan: LinePlan,
        index: int,
        value: Decimal,
        series: Series,
        found: Observation | str | None,
    ) -> Movement:
        """Comparison `index` when the earlier row found (None: none) gives no number to
        compare, as the general path words it. No row, or a text that is not a number, is
        worded alike for every value and series (`unread`), so once per plan; an earlier
        row the general path read (caveated, say) each time."""
        shared = (index, found) if found is None or isinstance(found, str) else None
        if shared is not None:
            kept = plan.worded.get(shared)
            if kept is not None:
                return kept
        when = plan.earlier[index]
        indicator = plan.indicator
        key = (series, when)
        move = movement_with_history(
            self.batch.ruleset,
            plan.comparisons[index],
            indicator,
            Observation(indicator=indicator.id, period=str(plan.period)),
            value,
            plan.target,
            plan.period,
            # What the stream knows, as the general path's rows: it words what it lacks so.
            KnownRows({} if found is None else {key: as_observation(key, found)}, self.history),
            series,
        )
        if shared is not None:
            plan.keep_worded(shared, move)
        return move

    def unread(self, plan: LinePlan, index: int, text: str | None) -> Movement:
        """Comparison `index` when its earlier row is missing (None) or its text is not a
        number, worded as the general path words it (neither the current value nor the
        series changes what it says)."""
        line = {} if text is None else {plan.earlier[index]: text}
        move = self._move(plan, index, Decimal(0), ("", "", ()), line)
        assert isinstance(move, Movement), "a number is compared, not worded"
        return move

    def _remember(
        self,
        series: Series,
        own: Period,
        value: str,
        row: int,
        periods: Sequence[Period],
        texts: Sequence[str],
    ) -> None:
        """A plain line's values, its own and its earlier columns' (blank ones are none), as
        the latest of their keys; its own row's number kept."""
        history = self.history
        key = (series, own)
        history[key] = value
        history.move_to_end(key)  # a key kept before is now the latest (a new one is)
        if series[1]:  # an area's row (see `_placing.rated_rows`)
            history.rows[key] = row
        for when, text in zip(periods, texts, strict=True):
            if text:
                key = (series, when)
                history[key] = text
                history.move_to_end(key)
        if len(history) > LOOKBACK_ROWS:
            history.trim()

    def _remember_placed(self, series: Series, line: dict[Period, str], row: int) -> None:
        """`_remember` for a line's values placed by period (`_placed`)."""
        own, *given = line  # the line's own period first, then its earlier columns'
        self._remember(series, own, line[own], row, given, [line[when] for when in given])

    def general(self, observations: list[Observation]) -> list[Result | Rejection]:
        """A line's results and rejections by the general path, with the shared history."""
        return self._general(observations)

    def _rate_general(self, observations: list[Observation]) -> list[Result | Rejection]:
        return self.batch.rate_line(observations, self.default, self.history)
