"""Recent trend: is there a significant trend in a series' last few values (Fingertips' method)?

The last `points` values of the series, one per period back from the current one, are tested:
on counts and denominators with the chi-squared test for trend (a proportion), or by a
regression of the values on time weighted by 1 / SE^2, where SE = (upper 95% - lower 95%) /
3.92. The trend is significant when the statistic exceeds 9.5495 (chi-squared, one degree of
freedom, 99.8%) and the slope keeps its sign when each point is left out in turn. Both
statistics are rational functions of the published decimals, so they are computed exactly, as
fractions: no rounding decides a trend. Fewer points than asked: it cannot be calculated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

import attrs

from ragrules.model.rules import Direction

# chi-squared with one degree of freedom at 99.8%: 3.090232306^2, as Fingertips states it.
THRESHOLD = Fraction("9.5495")
SE_DIVISOR = Fraction("3.92")


@attrs.frozen(kw_only=True)
class Point:
    """One period's value, with what the test needs: counts, or the 95% limits."""

    value: Fraction
    count: Fraction | None = None
    denominator: Fraction | None = None
    lower: Fraction | None = None
    upper: Fraction | None = None


def trend(points: Sequence[Point], test: str) -> tuple[Direction, str]:
    """UP, DOWN or UNCHANGED (no significant change) with the statistic in words; oldest
    point first. NOT_COMPARABLE, with why, when the test cannot be made."""
    slope = _chi_squared_slope if test == "chi-squared" else _regression_slope
    whole = slope(points)
    if whole is None:
        needs = "counts and denominators" if test == "chi-squared" else "95% limits"
        return Direction.NOT_COMPARABLE, f"cannot be calculated: a point has no {needs}"
    statistic, sign = whole
    shown = f"{float(statistic):.4g}"
    if statistic <= THRESHOLD:
        return Direction.UNCHANGED, f"no significant change (chi-squared {shown} <= 9.5495)"
    for left_out in range(len(points)):
        fewer = slope([p for i, p in enumerate(points) if i != left_out])
        if fewer is None or fewer[1] != sign:
            return Direction.UNCHANGED, (
                f"no significant change (chi-squared {shown}, but the slope changes sign "
                f"without point {left_out + 1})"
            )
    moved = Direction.UP if sign > 0 else Direction.DOWN
    return moved, f"{'increasing' if sign > 0 else 'decreasing'} (chi-squared {shown} > 9.5495)"


def _total(terms: Iterable[Fraction]) -> Fraction:
    return sum(terms, Fraction(0))


def _sign(x: Fraction) -> int:
    return (x > 0) - (x < 0)


def _chi_squared_slope(points: Sequence[Point]) -> tuple[Fraction, int] | None:
    """The chi-squared test for trend in proportions (Cochran-Armitage), times 1..n."""
    if any(p.count is None or not p.denominator for p in points):
        return None
    counts = [p.count or Fraction(0) for p in points]
    sizes = [p.denominator or Fraction(1) for p in points]
    total, size = _total(counts), _total(sizes)
    share = total / size
    times = range(1, len(points) + 1)
    score = _total(t * (o - n * share) for t, o, n in zip(times, counts, sizes, strict=True))
    spread = (
        _total(n * t * t for t, n in zip(times, sizes, strict=True))
        - _total(n * t for t, n in zip(times, sizes, strict=True)) ** 2 / size
    )
    variance = share * (1 - share) * spread
    if variance <= 0:
        return Fraction(0), 0
    return score * score / variance, _sign(score)


def _regression_slope(points: Sequence[Point]) -> tuple[Fraction, int] | None:
    """The weighted least-squares slope of value on time, and (slope / its SE)^2."""
    if any(p.lower is None or p.upper is None or p.upper <= p.lower for p in points):
        return None
    ratios = [SE_DIVISOR / ((p.upper or Fraction(0)) - (p.lower or Fraction(0))) for p in points]
    weights = [ratio * ratio for ratio in ratios]  # 1 / SE^2
    times = [Fraction(t) for t in range(1, len(points) + 1)]
    total = _total(weights)
    mean_t = _total(w * t for w, t in zip(weights, times, strict=True)) / total
    mean_y = _total(w * p.value for w, p in zip(weights, points, strict=True)) / total
    sxx = _total(w * (t - mean_t) * (t - mean_t) for w, t in zip(weights, times, strict=True))
    sxy = _total(
        w * (t - mean_t) * (p.value - mean_y)
        for w, t, p in zip(weights, times, points, strict=True)
    )
    if sxx == 0:
        return None
    slope = sxy / sxx
    return slope * slope * sxx, _sign(slope)
