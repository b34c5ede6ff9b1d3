"""The invariant checks: plain functions that raise AssertionError naming what went wrong."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from ragrules.engine.report import Rejection, Report, Result
from ragrules.engine.ruleset import Ruleset
from ragrules.model.numbers import format_decimal, in_exact_context
from ragrules.model.observations import Observation, read_mapping
from ragrules.model.periods import Period, PeriodError, given_text, parse_period
from ragrules.model.rules import Indicator, Polarity
from ragrules.reports.output import to_json
from ragrules.tools.testing._boundaries import BoundaryValue
from ragrules.tools.testing._common import period_text, refuse_unless_rated_alone


def _positions(rows: Sequence[object]) -> list[int]:
    """The row number the library gives each input: its own, or its 1-based position."""
    return [
        item.row if isinstance(item, Observation) and item.row is not None else position
        for position, item in enumerate(rows, start=1)
    ]


def _read_positions(rows: Sequence[object], period: str | Period | None) -> list[int]:
    """The row number the library gives each input (its own, or its 1-based position), once
    for each observation it reads from it: a mapping with earlier values (`previous`) is a
    row and its earlier rows, as a CSV line is."""
    default = given_text(period)
    found = []
    for position, item in enumerate(rows, start=1):
        if isinstance(item, Observation):
            found.append(item.row if item.row is not None else position)
            continue
        count = 1
        if isinstance(item, Mapping):
            try:
                count = len(read_mapping(item, row=position, period=default))
            except ValueError:  # the library rejects the row: once
                count = 1
        found += [position] * count
    return found


@in_exact_context
def check_totality(
    ruleset: Ruleset, observations: Iterable[object], *, period: str | Period | None = None
) -> Report:
    """Every observation gets exactly one status, and nothing is dropped.

    Asserts that the report has one result per indicator, in ruleset order; that each result
    has exactly one status (a status of its scale, from the band that admitted the value, or
    the value of its `Unrated` reason); and that every input row is accounted for exactly
    once, as the row of a result, as history (another period) or as a rejection. Returns the
    report.
    """
    rows = list(observations)
    report = ruleset.rate(rows, period=period)
    ids = [indicator.id for indicator in ruleset.indicators]
    got = [result.indicator.id for result in report.results]
    assert got == ids, f"totality: results are for {got}, the ruleset's indicators are {ids}"
    for result in report.results:
        where = f"totality: indicator {result.indicator.id!r} (row {result.row})"
        statuses = result.indicator.scale.statuses
        if result.unrated is None:
            assert result.status in statuses, (
                f"{where} is rated {result.status!r}, not a status of scale "
                f"{result.indicator.scale.name!r} {statuses}"
            )
            assert result.band is not None and result.bounds[result.band].status == result.status, (
                f"{where}: status {result.status!r} does not come from the band that admitted it"
            )
        else:
            assert result.status == result.unrated.value, (
                f"{where} has status {result.status!r} but is unrated {result.unrated.value!r}"
            )
            assert result.band is None, f"{where} is unrated but records band {result.band}"
    accounted: Counter[int | None] = Counter(
        [result.row for result in report.results if result.row is not None]
        + list(report.history)
        + [rejection.row for rejection in report.rejected]
    )
    expected: Counter[int | None] = Counter(_read_positions(rows, period))
    missing = sorted((expected - accounted).elements(), key=str)
    extra = sorted((accounted - expected).elements(), key=str)
    assert not missing, f"totality: input rows {missing} are in no result, history or rejection"
    assert not extra, f"totality: rows {extra} are accounted for more than once (or not input)"
    return report


@in_exact_context
def check_monotonic(
    ruleset: Ruleset,
    indicator_id: str,
    low: Decimal | float | str,
    high: Decimal | float | str,
    *,
    period: str | Period | None = None,
) -> None:
    """A better value never gets a worse status than a worse value.

    `low` and `high` are values as published (text, or Python numbers), each rated alone;
    they are swapped if `low` reads as the larger number. For higher-is-better the status of
    the larger value must be at least as good (earlier in the scale's statuses) as that of
    the smaller; for lower-is-better the reverse. Raises ValueError for indicators that are
    neither, and for values the indicator does not rate (blank, `<5`, wrong unit), and
    for an indicator rated from its counts or with a minimum (a value alone is not its row).
    """
    indicator = _in_force(ruleset, indicator_id, period, "check_monotonic")
    if indicator.polarity not in (Polarity.HIGHER, Polarity.LOWER):
        raise ValueError(
            f"monotonicity holds for higher- and lower-is-better, not {indicator.polarity.value}"
        )
    results = [_rate_alone(ruleset, indicator_id, value, period) for value in (low, high)]
    for result in results:
        if not result.rated:
            raise ValueError(
                f"check_monotonic needs values indicator {indicator_id!r} rates; "
                f"{result.value_text!r} is {result.status}: {result.reason}"
            )
    smaller, larger = sorted(results, key=lambda result: result.unrounded or Decimal(0))
    higher = indicator.polarity is Polarity.HIGHER
    better, worse = (larger, smaller) if higher else (smaller, larger)
    order = indicator.scale.statuses
    assert order.index(better.status) <= order.index(worse.status), (
        f"monotonicity: indicator {indicator_id!r} ({indicator.polarity.value}) rates "
        f"{worse.value_text!r} {worse.status!r} but the better value {better.value_text!r} "
        f"{better.status!r}, which is worse (statuses best first: {order})"
    )


def _in_force(
    ruleset: Ruleset, indicator_id: str, period: str | Period | None, what: str
) -> Indicator:
    """The indicator as in force for `period` (its dated polarity, scale and thresholds);
    ValueError for one a value alone does not test (rated from counts, a minimum)."""
    indicator = ruleset.indicator(indicator_id)
    refuse_unless_rated_alone(indicator, what)
    if isinstance(period, Period):
        return indicator.at(period)
    text = period_text(ruleset.calendar, period)
    return indicator.at(parse_period(text, ruleset.calendar) if text else None)


def _rate_alone(
    ruleset: Ruleset, indicator_id: str, value: object, period: str | Period | None
) -> Result:
    text = period_text(ruleset.calendar, period)
    row = {"indicator": indicator_id, "period": text or "", "value": value}
    report = ruleset.rate([row], period=period)
    return next(result for result in report.results if result.indicator.id == indicator_id)


@in_exact_context
def check_boundary(
    ruleset: Ruleset,
    indicator_id: str,
    boundary: BoundaryValue,
    *,
    period: str | Period | None = None,
) -> None:
    """A value at or next to a band start gets the status `reference_status` gives it, and a
    value written exactly on the start of a band that takes its start gets that band's
    status (with no rounding in the way). Raises ValueError for an indicator rated from its
    counts or with a minimum (a value alone is not its row)."""
    if not isinstance(boundary, BoundaryValue):
        raise TypeError(
            f"boundary is a BoundaryValue (drawn from the boundary_values strategy), "
            f"not {boundary!r}"
        )
    indicator = _in_force(ruleset, indicator_id, period, "check_boundary")
    result = _rate_alone(ruleset, indicator_id, boundary.text, period)
    assert result.status == boundary.expected, (
        f"boundary: indicator {indicator_id!r} rates {boundary.text!r} {result.status!r}; "
        f"the rule gives {boundary.expected!r} (band start {format_decimal(boundary.boundary)}, "
        f"{result.reason})"
    )
    if boundary.step == 0 and boundary.inclusive and indicator.rounding is None:
        assert result.status == boundary.band, (
            f"boundary: {boundary.text!r} is exactly on the start of band {boundary.band!r} of "
            f"indicator {indicator_id!r} but is rated {result.status!r}"
        )


def _without_row(result: Result) -> Result:
    return attrs.evolve(result, row=None)


def _rejection_key(rejection: Rejection) -> tuple[str, str, str]:
    return (rejection.indicator, rejection.period, rejection.reason)


def _observation(item: object) -> Observation | None:
    if isinstance(item, Observation):
        return item
    if isinstance(item, Mapping):
        try:
            return Observation.from_mapping(item)
        except ValueError:
            return None
    return None


def _slot(
    item: object, ruleset: Ruleset, chosen: Period | None
) -> tuple[str, Period | None] | None:
    """(indicator, period) a row fills, a blank period meaning the report's; None if the row
    cannot be placed (not a row, unknown indicator, unreadable period)."""
    observation = _observation(item)
    if observation is None or observation.indicator not in {i.id for i in ruleset.indicators}:
        return None
    try:
        when = parse_period(observation.period, ruleset.calendar) if observation.period else None
    except PeriodError:
        return None
    return observation.indicator, when or chosen


@in_exact_context
def check_batch_independence(
    ruleset: Ruleset,
    observations: Iterable[object],
    *,
    period: str | Period | None = None,
    order: Sequence[int] | None = None,
) -> None:
    """Rating is a pure function of (ruleset, observation): batch, alone and order agree.

    Asserts that (1) rating the batch equals rating each observation alone for the batch's
    period: each row gets the same result, history entry or rejection, up to its row number
    (when the ruleset compares with earlier periods, a row is rated together with its
    indicator's rows for other periods, which its direction of travel reads); (2) rating the
    rows in another `order` (a permutation of their 0-based positions; default reversed)
    chooses the same period and gives the same results, history and rejections, with row
    numbers following the rows; (3) rating twice gives byte-identical JSON. Raises
    ValueError if two rows are for the same indicator and period: the library keeps the first
    and rejects the later one, so their order matters by design.
    """
    rows = list(observations)
    batch = ruleset.rate(rows, period=period)
    chosen = batch.period
    slots = [_slot(item, ruleset, chosen) for item in rows]
    repeated = sorted(
        {
            f"{name} ({when or 'no period'})"
            for (name, when), n in Counter(filter(None, slots)).items()
            if n > 1
        }
    )
    if repeated:
        raise ValueError(f"several rows are for the same indicator and period: {repeated}")
    positions = _positions(rows)
    by_row = {result.row: result for result in batch.results if result.row is not None}
    history = Counter(batch.history)
    rejected = Counter((r.row, *_rejection_key(r)) for r in batch.rejected)

    # (1) Each observation alone (with its indicator's other periods, if travel reads them).
    touched: set[str] = set()
    for index, (position, item) in enumerate(zip(positions, rows, strict=True)):
        slot = slots[index]
        context = [
            other
            for other, other_slot in zip(rows, slots, strict=True)
            if ruleset.travel.comparisons
            and slot is not None
            and other_slot is not None
            and other_slot[0] == slot[0]
            and other_slot != slot
        ]
        alone_rows = [item, *context]
        focal = _positions(alone_rows)[0]
        alone = ruleset.rate(alone_rows, period=chosen)
        for result in alone.results:
            if result.row != focal:
                continue
            touched.add(result.indicator.id)
            in_batch = by_row.get(position)
            assert in_batch is not None and _without_row(in_batch) == _without_row(result), (
                f"batch independence: row {position} alone rates indicator "
                f"{result.indicator.id!r} {result.status!r} ({result.reason}), but in the batch "
                f"{'it gives no result' if in_batch is None else repr(in_batch.status)}"
                f"{'' if in_batch is None else f' ({in_batch.reason})'}"
            )
        if focal in alone.history:
            assert history[position] == 1, (
                f"batch independence: row {position} alone is history, but not in the batch"
            )
        for rejection in alone.rejected:
            key = (position, *_rejection_key(rejection))
            assert rejection.row != focal or rejected[key] == 1, (
                f"batch independence: row {position} alone is rejected ({rejection.reason}), "
                "but not so in the batch"
            )
    empty = {result.indicator.id: result for result in ruleset.rate([], period=chosen).results}
    for result in batch.results:
        if result.indicator.id not in touched:
            assert result == empty[result.indicator.id], (
                f"batch independence: indicator {result.indicator.id!r} has no row of its own "
                f"but is rated {result.status!r} ({result.reason}) in the batch"
            )

    # (2) Another order.
    permutation = list(order) if order is not None else list(range(len(rows)))[::-1]
    if sorted(permutation) != list(range(len(rows))):  # the caller's mistake, not a finding
        raise ValueError(
            f"order must be a permutation of the rows' 0-based positions 0..{len(rows) - 1}, "
            f"each once: {permutation}"
        )
    shuffled = [rows[index] for index in permutation]
    moved = ruleset.rate(shuffled, period=period)
    # Row numbers in the shuffled run are positions there; map them back to the batch's.
    back = dict(zip(_positions(shuffled), (positions[index] for index in permutation), strict=True))
    assert moved.period == batch.period, (
        f"order independence: the report period is {batch.period} in one order and "
        f"{moved.period} in another"
    )
    for before, after in zip(batch.results, moved.results, strict=True):
        assert _without_row(before) == _without_row(after) and before.row == (
            None if after.row is None else back[after.row]
        ), (
            f"order independence: indicator {before.indicator.id!r} is {before.status!r} "
            f"({before.reason}) in one order and {after.status!r} ({after.reason}) in another"
        )
    assert Counter(back[row] for row in moved.history) == history, (
        "order independence: history rows differ between orders"
    )
    moved_rejected = Counter(
        (None if r.row is None else back[r.row], *_rejection_key(r)) for r in moved.rejected
    )
    assert moved_rejected == rejected, (
        f"order independence: rejections differ between orders: {dict(rejected)} vs "
        f"{dict(moved_rejected)}"
    )

    # (3) Determinism.
    first = to_json(batch).encode()
    second = to_json(ruleset.rate(list(rows), period=period)).encode()
    assert first == second, "determinism: rating the same data twice gave different JSON"
