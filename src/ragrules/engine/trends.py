"""Each series over its last periods, for the charts reports draw: each earlier period rated
as a report of that period would rate it (its settings then in force, its benchmarks and
comparator groups from the other areas' rows of that period)."""

from __future__ import annotations

from ragrules.engine._placing import same_span
from ragrules.engine.batch import rate
from ragrules.engine.report import Report, Result
from ragrules.model.periods import Period, PeriodError, parse_period

# Periods a trend shows: the report's and up to seven before it (two years of quarters).
TREND_PERIODS = 8

_Series = tuple[str, str, tuple[tuple[str, str], ...]]


def trends(report: Report, periods: int = TREND_PERIODS) -> tuple[tuple[Result, ...], ...]:
    """Per result of the report, in its order: the series over its last `periods` periods,
    oldest first, ending with the result (a period without a row is left out; a result
    without a period is its own trend)."""
    chosen = report.period
    if chosen is None or periods < 2 or not report.earlier_rows:
        return tuple((result,) for result in report.results)
    seen = {_period(row.period, report) for row in report.earlier_rows}
    earlier: dict[_Series, list[Result]] = {}
    for steps in range(periods - 1, 0, -1):
        then = chosen.shifted(-steps)
        if not any(when is not None and same_span(when, then) for when in seen):
            continue  # no row for it, however written (YTD, a calendar quarter)
        # One report of that period: every series of it, rated as its own report rated it.
        for result in rate(report.ruleset, report.earlier_rows, period=then).results:
            if result.row is not None:  # the period had a row for the series
                earlier.setdefault(_series(result), []).append(result)
    return tuple((*earlier.get(_series(r), ()), r) for r in report.results)


def _series(result: Result) -> _Series:
    return (result.indicator.id, result.area, result.breakdown)


def _period(text: str, report: Report) -> Period | None:
    try:
        return parse_period(text, report.ruleset.calendar) if text else None
    except PeriodError:
        return None
