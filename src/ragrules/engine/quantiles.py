"""Quantile bands over a comparator group: where an area's value falls among its group's values
for the same indicator, breakdown and period (quartiles, quintiles, deciles), and its rank.

Every decision is exact: positions among the published decimals, and cut-points compared as
fractions, never floats. The group's values are gathered once per indicator, breakdown and
period (`GroupValues`), so rating a national file costs time linear in its rows.
"""

from __future__ import annotations

import bisect
import decimal
import functools
from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ragrules.engine._placing import Placed, Series
from ragrules.engine._rates import reading_of
from ragrules.engine._targets import rounded
from ragrules.engine.result import Rank, Result
from ragrules.model.comparisons import Group, QuantileMethod, Quantiles
from ragrules.model.numbers import format_decimal
from ragrules.model.observations import Observation
from ragrules.model.periods import Period
from ragrules.model.rules import (
    Indicator,
    Polarity,
    RulesetData,
    Tokens,
    Unrated,
)

_Key = tuple[str, tuple[str, ...], Period | None]


class GroupValues:
    """The sorted values of each group, by indicator, breakdown and period, built on first use."""

    def __init__(self, ruleset: RulesetData, placed: Placed) -> None:
        self.ruleset = ruleset
        self.placed = placed
        self.sorted: dict[tuple[_Key, str, str, bool], list[Decimal]] = {}

    @functools.cached_property
    def _rows(self) -> dict[tuple[str, tuple[str, ...], object], list[Observation]]:
        """The placed rows by indicator, breakdown and months: indexed on first use, so a
        ruleset without group rules pays nothing for them."""
        written: dict[_Key, list[Observation]] = {}
        for ((indicator_id, _, breakdown), when), observation in self.placed.items():
            written.setdefault((indicator_id, breakdown, when), []).append(observation)
        found: dict[tuple[str, tuple[str, ...], object], list[Observation]] = {}
        merged = []
        for (indicator_id, breakdown, when), rows in written.items():
            key = (indicator_id, breakdown, _months(when))
            if key in found:
                merged.append(key)
                found[key] = found[key] + rows
            else:
                found[key] = rows
        if merged:  # one period's months written two ways: the rows in the file's order
            order = {id(row): n for n, row in enumerate(self.placed.values())}
            for key in merged:
                found[key] = _first_per_area(sorted(found[key], key=lambda r: order[id(r)]))
        return found

    def rows(self, key: _Key) -> list[Observation]:
        """The rows of an indicator and breakdown in a period: as a report reads a period,
        those of its months written another way too (`2020 Q3` with `2020/21 Q2`), so one
        report period is one group."""
        return self._rows.get((key[0], key[1], _months(key[2])), [])

    def values(
        self,
        indicator: Indicator,
        group: Group | None,
        key: _Key,
        around: str = "",
        *,
        with_self: bool = True,
    ) -> list[Decimal]:
        """The group's values, sorted; for a group of neighbours, those of the neighbours in
        force for the period of the area `around` (and of that area, `with_self`)."""
        relative = bool(group and group.neighbours)
        slot = (key, group.name if group else "", around if relative else "", with_self)
        cached = self.sorted.get(slot)
        if cached is None:
            members = (
                row
                for row in self.rows(key)
                if in_group(row, group, around, key[2], with_self=with_self)
            )
            tokens = self.ruleset.tokens.at(key[2])
            cached = sorted(n for n in numbers(indicator, members, tokens) if n is not None)
            self.sorted[slot] = cached
        return cached


def _months(period: Period | None) -> object:
    """What a group's rows share: a period's months (its span); a year-to-date or rolling
    period covers other months than it stands at, so it is its own, as written."""
    if period is None or period.ytd or period.rolling:
        return period
    return period.span


def _first_per_area(rows: list[Observation]) -> list[Observation]:
    """Each area's first row: an area whose months are written twice is read once, by its
    first row, as a benchmark reads it (`ByMonths`)."""
    seen: set[str] = set()
    kept = []
    for row in rows:
        if row.area not in seen:
            seen.add(row.area)
            kept.append(row)
    return kept


def in_group(
    observation: Observation,
    group: Group | None,
    around: str = "",
    period: Period | None = None,
    *,
    with_self: bool = True,
) -> bool:
    """Whether the row's area belongs to the group (every area, when there is no group); for a
    group of neighbours, to the neighbours of the area `around` (and that area itself)."""
    if group is None:
        return True
    if group.neighbours:
        return observation.area in group.around(around, period, with_self=with_self)
    if observation.area in group.areas:
        return True
    return bool(group.where) and all(
        observation.column(column).strip().casefold() == value.casefold()
        for column, value in group.where
    )


def numbers(
    indicator: Indicator, rows: Iterable[Observation], tokens: Tokens, keep_all: bool = False
) -> Iterable[Decimal | None]:
    """The rows' values as each row's own is rated: read as the indicator reads it (its value
    column, or a rate from its numerator and denominator), then rounded as it says. Rows with
    no number to rate (caveated, unreadable, no data, suppressed, or below the indicator's
    `minimum`) are skipped, or given as None with `keep_all`: a value not rated is no one's
    comparator."""
    for row in rows:
        number = None if row.caveat else reading_of(indicator, row, tokens).number
        if number is not None:
            yield rounded(indicator, number)
        elif keep_all:
            yield None


def rate(
    common: dict[str, Any],
    indicator: Indicator,
    observation: Observation,
    value: Decimal,
    groups: GroupValues | None,
    series: Series,
    period: Period | None,
) -> Result:
    """The quantile band of the value among its group's, best first, with its rank."""
    bands = indicator.scale.quantiles
    assert bands is not None
    if indicator.polarity is Polarity.IN_RANGE:
        return _not_compared(
            common,
            "an in-range indicator has no better end to rank from: make it neutral (ranked "
            "lowest first) or rate it on a banded scale",
        )
    if groups is None:
        return _not_compared(common, "quantiles need every area: rate the whole file, not a stream")
    group = groups.ruleset.group(bands.group) if bands.group else None
    name = bands.group or "every area"
    if bands.group and group is None:
        return _not_compared(common, f"the ruleset has no group {bands.group!r}")
    if not in_group(observation, group, observation.area, period):
        return _not_compared(common, f"the area is not in {name}")
    values = groups.values(indicator, group, (series[0], series[2], period), observation.area)
    if not _holds(values, value):
        # The group is built from the rows' values as this row's is read, so it holds this
        # value; a row it does not hold (or an empty group) cannot be placed in it.
        return _not_compared(
            common,
            f"{format_decimal(value)} is not among the {len(values)} values of {name} for "
            f"{period}, so it cannot be placed in them",
        )
    position, cuts = quantile_of(value, values, bands, indicator.polarity)
    status = bands.statuses[position - 1]
    rank = Rank(
        group=name,
        rank=rank_of(value, values, indicator.polarity),
        size=len(values),
        cuts=tuple(_shown(cut) for cut in cuts),
    )
    return Result(
        status=status,
        rank=rank,
        reason=f"{status}: quantile {position} of {bands.count} ({bands.method.value}), {rank}",
        **common,
    )


def _holds(values: list[Decimal], value: Decimal) -> bool:
    """Whether the sorted `values` hold `value`."""
    at = bisect.bisect_left(values, value)
    return at < len(values) and values[at] == value


def quantile_of(
    value: Decimal, values: list[Decimal], bands: Quantiles, polarity: Polarity
) -> tuple[int, list[Fraction]]:
    """The quantile (1 = best) the value is in, and the cut-points between the quantiles,
    lowest first; `values` (sorted ascending) must hold the value.

    Both methods work on the group's values best first (highest first when higher is
    better, else lowest first), so a value's quantile depends on how good it is, never on
    which way is better: a higher-is-better group rates as its mirror (every value negated)
    does as lower-is-better. Ties and NTILE's larger quantiles favour the better end, and a
    value on an interpolated cut-point belongs to the better quantile."""
    count = len(values)
    higher = polarity is Polarity.HIGHER

    def best(index: int) -> Decimal:  # the value in place `index` (0 = best) of the group
        return values[count - 1 - index] if higher else values[index]

    if bands.method is QuantileMethod.INCLUSIVE:
        cuts = [
            _percentile_inc(best, count, Fraction(k, bands.count)) for k in range(1, bands.count)
        ]
        exact = Fraction(value)
        worse = sum(1 for cut in cuts if (exact < cut if higher else exact > cut))
        return 1 + worse, sorted(cuts)
    # NTILE: the first `count % n` quantiles (the best) hold one value more; tied values
    # go with the first (best-placed) of them.
    size, larger = divmod(count, bands.count)
    ends, end = [], 0
    for k in range(bands.count):
        end += size + (1 if k < larger else 0)
        ends.append(end)
    first = (
        count - bisect.bisect_right(values, value) if higher else bisect.bisect_left(values, value)
    )
    position = next(k for k, end in enumerate(ends) if first < end) + 1
    cuts = [Fraction(best(end - 1)) for end in ends[:-1] if end > 0]
    return position, sorted(cuts)


def _percentile_inc(best: Callable[[int], Decimal], count: int, p: Fraction) -> Fraction:
    """Excel's PERCENTILE.INC (R's type 7) over the `count` values in the order `best` gives
    them: linear interpolation between the order statistics around position (n - 1) p, exact."""
    h = (count - 1) * p
    low = int(h)
    if low + 1 >= count:
        return Fraction(best(low))
    return Fraction(best(low)) + (h - low) * (Fraction(best(low + 1)) - Fraction(best(low)))


def rank_of(value: Decimal, values: list[Decimal], polarity: Polarity) -> int:
    """1 for the best value of the group; tied values share the better rank."""
    if polarity is Polarity.HIGHER:
        return 1 + len(values) - bisect.bisect_right(values, value)
    return 1 + bisect.bisect_left(values, value)


def _shown(cut: Fraction) -> Decimal:
    """A cut-point to show: exact when it is a decimal, else to 20 significant digits."""
    with decimal.localcontext(decimal.Context(prec=20)):
        return Decimal(cut.numerator) / Decimal(cut.denominator)


def _not_compared(common: dict[str, Any], why: str) -> Result:
    return Result(
        status=Unrated.NOT_COMPARED.value,
        unrated=Unrated.NOT_COMPARED,
        reason=f"not compared: {why}",
        **common,
    )
