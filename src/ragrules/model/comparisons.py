"""Comparing areas with each other: benchmarks (another area's row), comparator groups, and
the scales that use them (significance against a benchmark, quantiles of a group)."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from ragrules.model.periods import Period


@attrs.frozen(kw_only=True)
class Significance:
    """Compare the area's confidence interval with a benchmark (Fingertips' methods): the
    benchmark's value inside the interval, limits included, is `similar` (or, comparing
    `intervals`, the benchmark's own interval overlapping it); an interval wholly above or
    below is better or worse, as the polarity says, or higher or lower for an indicator with
    no judgement (neutral). With a `strict_level`, a second, wider interval splits better and
    worse into two tiers ("better 99.8%", "better 95%"), so there are five statuses."""

    benchmark: str  # the name of a [benchmarks] entry, or of a column in each row
    level: str  # the confidence level, as written: "95", "99.8"
    lower: str  # the columns (column keys) of the interval's limits
    upper: str
    strict_level: str = ""  # a second, wider level for two tiers: "99.8"
    strict_lower: str = ""
    strict_upper: str = ""
    intervals: bool = False  # compare with the benchmark's interval, not its value
    # Compare the value with control limits around the benchmark, from the row's denominator
    # (a funnel plot's limits), by `method` ("wilson" or "byar"), not with an interval.
    control_limits: bool = False
    # How the interval is had: read from the limit columns ("columns"), or computed from a
    # count and a denominator ("wilson" for a proportion, "byar" for a count or rate), then
    # scaled by `multiplier` (100 for a percentage, 100000 for a rate per 100,000).
    method: str = "columns"
    count: str = "count"
    denominator: str = "denominator"
    multiplier: Decimal = Decimal(1)
    judged: tuple[str, ...] = ("better", "similar", "worse")
    unjudged: tuple[str, ...] = ("higher", "similar", "lower")

    def labels(self, judged: bool) -> tuple[str, ...]:
        """The statuses, best first, for an indicator with a polarity (judged), or a neutral
        one: three, or five with two tiers."""
        return self.judged if judged else self.unjudged


class QuantileMethod(enum.Enum):
    """How a group's values are cut into quantiles."""

    # Equal counts by position, as SQL's NTILE (FingertipsNext): sorted, the first n % count
    # quantiles get one value more; tied values share the quantile of the first of them.
    NTILE = "ntile"
    # Cut-points by linear interpolation between order statistics, as Excel's QUARTILE.INC and
    # PERCENTILE.INC (R's type 7); a value on a cut-point belongs to the lower quantile.
    INCLUSIVE = "inclusive"


@attrs.frozen(kw_only=True)
class Quantiles:
    """Bands by position in a group: quartiles, quintiles, deciles of the group's values for
    the same indicator, breakdown and period. Statuses are best first: the first is the best
    quarter whichever way is better (lowest values first for a neutral indicator)."""

    group: str  # a [groups] name; "" for every area with a value
    count: int
    method: QuantileMethod
    statuses: tuple[str, ...]


@attrs.frozen(kw_only=True)
class NeighbourSet:
    """Each area's neighbours, in force from `start` (None: from the beginning)."""

    start: Period | None = None
    of: tuple[tuple[str, frozenset[str]], ...] = ()  # (area, its neighbours)


@attrs.frozen(kw_only=True)
class Group:
    """A comparator group: the areas whose rows match `where` (every column equal, ignoring
    case and spaces at either end), or whose code is listed in `areas`. Or, with `neighbours`,
    a group of its own for each area: its statistical neighbours, as the set in force for the
    period says (sets are revised, so each has a start)."""

    name: str
    where: tuple[tuple[str, str], ...] = ()  # (column key, value)
    areas: frozenset[str] = frozenset()
    neighbours: tuple[NeighbourSet, ...] = ()  # by start, earliest first

    def around(self, area: str, period: Period | None, *, with_self: bool) -> frozenset[str]:
        """The area's neighbours in force for the period (with the area itself, or not)."""
        found: frozenset[str] = frozenset()
        for neighbour_set in self.neighbours:
            if neighbour_set.start is None or (
                period is not None and neighbour_set.start.start <= period.start
            ):
                found = dict(neighbour_set.of).get(area, frozenset())
        return found | {area} if with_self and found else found - {area}


class Statistic(enum.Enum):
    """A benchmark computed from a group's values for the same indicator, breakdown and period."""

    MEAN = "mean"
    MEDIAN = "median"
    # The mean of the values weighted by a column (a denominator): sum(value * w) / sum(w).
    WEIGHTED_MEAN = "weighted-mean"


@attrs.frozen(kw_only=True)
class Benchmark:
    """A named benchmark for the same indicator, breakdown and period: one area's row (fixed,
    England's, or named by a column of each row, its region), or a statistic of a group's
    values (the mean of the statistical neighbours)."""

    name: str
    area: str = ""
    area_column: str = ""  # a column key; its text in each row is the benchmark area's code
    statistic: Statistic | None = None
    group: str = ""  # for a statistic: a [groups] name; "" for every area with a value
    weights: str = ""  # for a weighted mean: the column (key) of the weights
