"""Placing rows: each observation to its indicator and period, or rejected with the reason.

The report period is chosen here (the latest in the data, unless given), and the rows of
that period are split from the earlier ones that travel compares with.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping

import attrs

from ragrules.engine._forgotten import Forgotten
from ragrules.engine.report import Rejection
from ragrules.model.errors import DataError, Problem, close_matches
from ragrules.model.observations import Observation, read_mapping
from ragrules.model.periods import Period, PeriodError, Span, parse_period
from ragrules.model.rules import RulesetData

# One series: an indicator for one area (blank for a single council's data) and one breakdown
# (the values of the ruleset's breakdown columns, such as sex and age). Periods, travel and
# duplicates are per series.
Series = tuple[str, str, tuple[str, ...]]
Key = tuple[Series, Period | None]
# Did-you-mean for unknown indicator ids: candidates compared in one batch at most, the
# longest id searched (a longer one is no typo), and reasons remembered.
_SEARCH_BUDGET = 30_000
_SUGGESTED_LENGTH = 100
_REMEMBERED = 4096
Placed = Mapping[Key, Observation]


def coerce(
    item: object, position: int, rejected: list[Rejection], period: str | None = None
) -> list[Observation]:
    """An item's observations: an `Observation`, or a mapping read as a CSV row is read
    (`read_mapping`: its earlier values and a wide row's periods too); none if it is
    rejected."""
    if isinstance(item, Observation):
        return [item if item.row is not None else attrs.evolve(item, row=position)]
    if isinstance(item, Mapping):
        try:
            return read_mapping(item, row=position, period=period, require_indicator=False)
        except ValueError as exc:
            rejected.append(Rejection(row=position, indicator="", period="", reason=str(exc)))
            return []
    rejected.append(
        Rejection(
            row=position,
            indicator="",
            period="",
            reason=f"an observation must be a mapping or Observation, not {type(item).__name__}",
        )
    )
    return []


def once_per_line(rejected: list[Rejection]) -> list[Rejection]:
    """A line's rejections, each reason once: an unknown indicator rejects the row and the
    earlier values it carries (`previous`, `last_year`) alike, and is one problem."""
    seen: set[tuple[int | None, str, str]] = set()
    kept = []
    for rejection in rejected:
        said = (rejection.row, rejection.indicator, rejection.reason)
        if said not in seen:
            seen.add(said)
            kept.append(rejection)
    return kept


def _row(observation: Observation) -> int:
    assert observation.row is not None
    return observation.row


def reject(observation: Observation, reason: str) -> Rejection:
    return Rejection(
        row=observation.row,
        indicator=observation.indicator,
        period=observation.period,
        reason=reason,
    )


def duplicate(observation: Observation, first: int | None, when: Period | None) -> Rejection:
    """The rejection of a second row for a series and period (`first` the first's row)."""
    where = f" for {when}" if when else ""
    where += f" in area {observation.area}" if observation.area else ""
    if when is None and not observation.period:  # two rows with no period: which is which?
        where += " (neither has a period: add a period column, or map one with --columns)"
    return reject(observation, f"duplicate of row {first}{where}")


@attrs.frozen(kw_only=True)
class LineRejection(Rejection):
    """A stream line's rejection, with the area of its row: a stream's lines are read on their
    own, so each says where it was from, as a result does."""

    area: str


def with_area(rejection: Rejection, area: str) -> Rejection:
    """A stream line's rejection with its row's area (none when the row has none)."""
    if not area:
        return rejection
    return LineRejection(
        row=rejection.row,
        indicator=rejection.indicator,
        period=rejection.period,
        reason=rejection.reason,
        area=area,
    )


def title_key(text: str) -> str:
    """A title compared case- and space-blind, without footnote marks (`*`, `†`)."""
    return " ".join(text.lower().replace("*", " ").replace("\u2020", " ").split())


def titles(ruleset: RulesetData) -> dict[str, str]:
    """Indicator ids by title, for titles that only one indicator has."""
    counts: dict[str, list[str]] = {}
    for indicator in ruleset.indicators:
        if indicator.title:
            counts.setdefault(title_key(indicator.title), []).append(indicator.id)
    return {title: ids[0] for title, ids in counts.items() if len(ids) == 1}


class UnknownIds:
    """Why a row's indicator is unknown, with a did-you-mean for the first few ids.

    A did-you-mean search costs time in the number of indicators; searching for every row
    of a file of unknown ids would cost rows x indicators. Each id is searched once, and
    searches stop when they have compared `_SEARCH_BUDGET` candidates, so the cost of a
    batch stays linear in its rows whatever the number of indicators.
    """

    def __init__(self, known: Iterable[str]) -> None:
        self.known = sorted(known)
        self.reasons: dict[str, str] = {}
        self.budget = _SEARCH_BUDGET

    def reason(self, indicator_id: str) -> str:
        if not indicator_id:
            return "the row has no indicator id"
        reason = self.reasons.get(indicator_id)
        if reason is None:
            reason = f"unknown indicator {indicator_id!r}: the ruleset does not define it"
            if self.budget >= len(self.known) and len(indicator_id) <= _SUGGESTED_LENGTH:
                self.budget -= len(self.known)
                close = close_matches(indicator_id, self.known)
                reason += f" (did you mean {close[0]!r}?)" if close else ""
            if len(self.reasons) < _REMEMBERED:
                self.reasons[indicator_id] = reason
        return reason


def report_period(
    period: str | Period | None, ruleset: RulesetData, placed: Mapping[Key, Observation]
) -> Period | None:
    if isinstance(period, Period):
        return period
    if period is not None and not isinstance(period, str):
        raise DataError(
            problems=(
                Problem(
                    key="period",
                    message=f"the report period must be text such as '2020/21 Q2', "
                    f"not {type(period).__name__}",
                ),
            )
        )
    if period is not None:
        try:
            return parse_period(period, ruleset.calendar)
        except PeriodError as exc:
            raise DataError(
                problems=(Problem(key="period", message=str(exc), hint="the report period"),)
            ) from None
    periods = [when for (_, when) in placed if when is not None]
    if not periods:
        return None
    # Among periods starting together, the shorter one is the more recent report, and of the
    # same months the one not year to date (a report of `2020/21 Q2` rows and cumulative
    # `2020/21 Q2 YTD` ones is Q2's); the text breaks any remaining tie, so the choice
    # never depends on the order of the rows.
    return max(periods, key=_recency)


def _recency(period: Period) -> tuple[tuple[int, int], int, bool, str]:
    return (period.start, -period.months, not period.ytd, str(period))


def same_span(a: Period, b: Period) -> bool:
    """The same months, however written (YTD or not, calendar or financial quarter, a year or
    the rolling twelve months to its last month or quarter)."""
    return a is b or a.span == b.span


def series_of(observation: Observation, breakdowns: tuple[str, ...]) -> Series:
    """The series a (placed) row belongs to."""
    return (
        observation.indicator,
        observation.area,
        tuple(observation.column(name) for name in breakdowns),
    )


def split_current(
    placed: dict[Key, Observation], chosen: Period | None, rejected: list[Rejection]
) -> tuple[dict[Series, tuple[Observation, Period | None]], list[int]]:
    """The report period's row for each series, and the row numbers of the earlier ones.

    The report period's rows include year-to-date values and the same months written as a
    calendar quarter: a Q2 report mixes them. A second row for the same series is rejected,
    and taken out of `placed`, so that nothing reads it after (a benchmark, a group).
    """
    current: dict[Series, tuple[Observation, Period | None]] = {}
    history: list[int] = []
    again: list[Key] = []
    for (series, when), observation in placed.items():
        if when is None or chosen is None or same_span(when, chosen):
            if series in current:
                first = current[series][0]
                rejected.append(duplicate(observation, first.row, chosen or when))
                again.append((series, when))
            else:
                current[series] = (observation, when or chosen)
        else:
            history.append(_row(observation))
    for key in again:
        del placed[key]
    return current, history


# The values a stream keeps as history, of any series: the most recent ones. A file whose rows
# of one series come within this many values of each other (sorted by area, by series, or by
# area then period with the breakdowns in between) gets every row's travel in a stream.
LOOKBACK_ROWS = 4096
# Rows of the general path dropped from a stream's history, remembered (the most recent) so
# that a benchmark row read too far back is told from one not read at all.
_DROPPED = 1 << 16
# Rows of a benchmark's area (England's) kept after they leave the look-back, the most
# recent: a national file lists England's rows first, and every later area compares with
# them (a few thousand: one per indicator, breakdown and period).
_PINNED = 1 << 15


class Recent(OrderedDict[Key, "Observation | str"]):
    """A stream's recent rows, oldest first: an observation, or (from a line the compiled
    engine rated) the value text alone, which is all a plain line's row holds
    (`ragrules.engine.plan`).

    `rows` holds the row number of each key a line gave as its own value (not an earlier
    column), for as long as the key is kept: a later line giving it again is a duplicate.
    `dropped` holds the keys of the general path's rows that fell out of the look-back;
    `pinned` the rows of the `benchmark_areas` (`benchmark_areas(ruleset)`) that did, for
    benchmarks alone to find (travel reads the look-back only, as the compiled engine does)."""

    def __init__(self, pinned_areas: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.rows: dict[Key, int] = {}
        self.dropped = Forgotten(_DROPPED)
        self.pinned_areas = pinned_areas
        self.pinned: OrderedDict[Key, Observation | str] = OrderedDict()

    def trim(self) -> None:
        """The oldest entries dropped until `LOOKBACK_ROWS` are left: O(1) each."""
        rows, pinned, pinned_areas = self.rows, self.pinned, self.pinned_areas
        while len(self) > LOOKBACK_ROWS:
            key, found = self.popitem(last=False)
            rows.pop(key, None)
            # A benchmark area's row is kept whichever engine read it (a plain line keeps
            # its value text), so both keep, and forget, the same keys.
            if key[0][1] in pinned_areas:
                pinned[key] = found
                pinned.move_to_end(key)
                if len(pinned) <= _PINNED:
                    continue
                key, found = pinned.popitem(last=False)  # the oldest kept is forgotten
            if type(found) is not str:  # a row the general path read: a benchmark's, maybe
                self.dropped.add(key)


def benchmark_areas(ruleset: RulesetData) -> frozenset[str]:
    """The areas whose rows are some benchmark (`area = "E92000001"`), which a stream keeps."""
    return frozenset(benchmark.area for benchmark in ruleset.benchmarks if benchmark.area)


class KnownRows(Mapping[Key, Observation]):
    """A line's rows, then the stream's recent rows: the history a line's travel reads."""

    def __init__(self, line: Placed, recent: Recent) -> None:
        self.line, self.recent = line, recent

    def __getitem__(self, key: Key) -> Observation:
        found = self.line.get(key)
        return as_observation(key, self.recent[key]) if found is None else found

    def __iter__(self) -> Iterator[Key]:
        return iter({**self.recent, **self.line})

    def __len__(self) -> int:
        return len({**self.recent, **self.line})


class ByMonths(Mapping[Key, Observation]):
    """A report's rows, each found by its period as written or by its months written another
    way (`2020 Q3` for `2020/21 Q2`), the first row of those months; indexed by months on the
    first look-up that needs it. A year-to-date or rolling row covers other months than it
    stands at, so it is found only as written."""

    def __init__(self, placed: Placed) -> None:
        self.placed = placed
        self.months: dict[tuple[Series, Span], Observation] | None = None

    def __getitem__(self, key: Key) -> Observation:
        found = self.placed.get(key)
        series, period = key
        if found is None and period is not None and not (period.ytd or period.rolling):
            found = self._by_months().get((series, period.span))
        if found is None:
            raise KeyError(key)
        return found

    def _by_months(self) -> dict[tuple[Series, Span], Observation]:
        if self.months is None:
            self.months = {}
            for (series, when), row in self.placed.items():
                if when is not None and not when.ytd and not when.rolling:
                    self.months.setdefault((series, when.span), row)
        return self.months

    def __iter__(self) -> Iterator[Key]:
        return iter(self.placed)

    def __len__(self) -> int:
        return len(self.placed)


def as_observation(key: Key, found: Observation | str) -> Observation:
    """A recent row as an observation (a plain line's row holds only its value text)."""
    if isinstance(found, Observation):
        return found
    (indicator, area, _), when = key
    return Observation(indicator=indicator, area=area, period=str(when), value=found)


def line_current(
    placed: dict[Key, Observation],
    ruleset: RulesetData,
    default: Period | None,
    rejected: list[Rejection],
) -> dict[Series, tuple[Observation, Period | None]]:
    """The row each series of a stream's line rates: the series' latest period's, or the one
    asked for (`default`) when the line holds it for the series. A line is one series as a
    rule (its value and the earlier values it carries); a caller's observations sharing a
    row number may be several, and each is rated, none taken for another's earlier value."""
    series = list(dict.fromkeys(key[0] for key in placed))
    if len(series) == 1:
        return _series_current(placed, ruleset, default, rejected)
    current: dict[Series, tuple[Observation, Period | None]] = {}
    for one in series:
        rows = {key: row for key, row in placed.items() if key[0] == one}
        current.update(_series_current(rows, ruleset, default, rejected))
        for key in [key for key in placed if key[0] == one and key not in rows]:
            del placed[key]  # a second row for the series' period: rejected, as in a report
    return current


def _series_current(
    placed: dict[Key, Observation],
    ruleset: RulesetData,
    default: Period | None,
    rejected: list[Rejection],
) -> dict[Series, tuple[Observation, Period | None]]:
    """The rows of a line's one series (or of a line of one series) that it rates."""
    chosen = report_period(None, ruleset, placed)
    if default is not None and any(
        when is not None and same_span(when, default) for _, when in placed
    ):
        chosen = default  # the line holds the period asked for: rate that one
    current, _ = split_current(placed, chosen, rejected)
    return current


def rated_rows(
    placed: Mapping[Key, Observation], current: Mapping[Series, tuple[Observation, Period | None]]
) -> Iterator[tuple[Key, Observation]]:
    """A line's own rows (those it rates), not the earlier values it carries, of an area:
    data without areas is read a line at a time, each line a report of its own (a national
    file whose authority column is only passed through gives a row per authority)."""
    for key, observation in placed.items():
        found = current.get(key[0])
        if found is not None and found[0] is observation and key[0][1]:
            yield key, observation


def given_before(
    history: Recent,
    placed: Mapping[Key, Observation],
    current: Mapping[Series, tuple[Observation, Period | None]],
) -> Rejection | None:
    """The rejection of a line whose own row an earlier line's row gave (still kept), as a
    report rejects a second row for a series and period; None for any other line. An
    earlier column is no row: it never makes a later row a duplicate."""
    for key, observation in rated_rows(placed, current):
        first = history.rows.get(key)
        if first is not None:
            return duplicate(observation, first, key[1])
    return None


def remember(
    history: Recent,
    placed: Mapping[Key, Observation],
    current: Mapping[Series, tuple[Observation, Period | None]],
) -> None:
    """A line's placed rows as the latest of their series and periods, the oldest dropped;
    its own rows' numbers kept, for the duplicates of later lines."""
    for key, observation in placed.items():
        history.pop(key, None)  # the latest row of a series and period, last in line
        history[key] = observation
    for key, observation in rated_rows(placed, current):
        history.rows[key] = observation.row or 0
    if len(history) > LOOKBACK_ROWS:
        history.trim()  # the oldest: O(1), where a dict's first key is not
