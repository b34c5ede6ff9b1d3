"""Recent trend: Fingertips' test for a significant trend in a series' last values, exact,
checked by example, against an independent float statement, and on the published export."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.engine.trend import THRESHOLD, Point, trend
from ragrules.model.rules import Direction

EXAMPLES = Path(__file__).resolve().parent.parent / "rulesets" / "examples" / "national"


def _limited(values: list[int], half: int = 2) -> list[Point]:
    return [
        Point(value=Fraction(v), lower=Fraction(v - half), upper=Fraction(v + half)) for v in values
    ]


def test_a_steady_rise_is_increasing_and_noise_is_no_significant_change() -> None:
    assert trend(_limited([10, 12, 14, 16, 18]), "regression")[0] is Direction.UP
    assert trend(_limited([18, 16, 14, 12, 10]), "regression")[0] is Direction.DOWN
    moved, why = trend(_limited([10, 11, 10, 11, 10], half=5), "regression")
    assert moved is Direction.UNCHANGED
    assert why.startswith("no significant change (chi-squared")


def test_a_trend_that_one_point_makes_is_no_trend() -> None:
    # Flat but for a jump at the end: significant, but leaving the last point out turns the
    # slope down (the first four fall a little), so it is no significant change.
    moved, why = trend(_limited([20, 19, 19, 18, 60], half=1), "regression")
    assert moved is Direction.UNCHANGED
    assert "changes sign without point 5" in why


def test_points_without_what_the_test_needs_cannot_be_calculated() -> None:
    points = [Point(value=Fraction(v)) for v in (1, 2, 3, 4, 5)]
    assert trend(points, "regression") == (
        Direction.NOT_COMPARABLE,
        "cannot be calculated: a point has no 95% limits",
    )
    assert trend(points, "chi-squared")[0] is Direction.NOT_COMPARABLE


def _cochran_armitage(counts: list[int], sizes: list[int]) -> float:
    """The chi-squared test for trend, stated independently, in floats."""
    n, total = sum(sizes), sum(counts)
    p = total / n
    t = list(range(1, len(counts) + 1))
    score = sum(ti * (o - ni * p) for ti, o, ni in zip(t, counts, sizes, strict=True))
    s1 = sum(ni * ti for ti, ni in zip(t, sizes, strict=True))
    s2 = sum(ni * ti * ti for ti, ni in zip(t, sizes, strict=True))
    return score**2 / (p * (1 - p) * (s2 - s1 * s1 / n))


@given(st.lists(st.tuples(st.integers(1, 500), st.integers(501, 5000)), min_size=5, max_size=5))
def test_chi_squared_for_trend_agrees_with_an_independent_statement(
    pairs: list[tuple[int, int]],
) -> None:
    counts, sizes = [c for c, _ in pairs], [n for _, n in pairs]
    points = [
        Point(value=Fraction(c, n), count=Fraction(c), denominator=Fraction(n)) for c, n in pairs
    ]
    moved, why = trend(points, "chi-squared")
    statistic = _cochran_armitage(counts, sizes)
    if not math.isclose(statistic, float(THRESHOLD), rel_tol=1e-9):
        assert (moved is Direction.UNCHANGED) == (
            statistic <= float(THRESHOLD) or "changes sign" in why
        )


@given(st.lists(st.integers(-100, 100), min_size=5, max_size=5))
def test_reversing_time_reverses_the_trend(values: list[int]) -> None:
    forward = trend(_limited(values), "regression")[0]
    backward = trend(_limited(values[::-1]), "regression")[0]
    flip = {Direction.UP: Direction.DOWN, Direction.DOWN: Direction.UP}
    assert backward is flip.get(forward, forward)


def test_with_three_years_fingertips_trend_cannot_be_calculated() -> None:
    """The export has three years; Fingertips needs five points: every 2017 row it gave a
    trend says "Cannot be calculated", and so does ragrules."""
    text = (EXAMPLES / "campylobacter-vs-england.toml").read_text(encoding="utf-8")
    rules = ragrules.loads(
        text.replace(
            'label = "Since last year" }',
            'label = "Since last year" }\ntrend = { against = "recent-trend", points = 5 }',
        )
    )
    rows = ragrules.read_observations(EXAMPLES / "fingertips_campylobacter_countyua_2015-2017.csv")
    report = rules.rate(rows, period="2017")
    published = [r for r in report.results if dict(r.columns).get("recent_trend")]
    assert len(published) == 182
    for result in published:
        assert dict(result.columns)["recent_trend"] == "Cannot be calculated"
        move = result.travel[1]
        assert not move.comparable
        assert move.reason.startswith("cannot be calculated") or move.reason == (
            "there is no current value"
        )
    assert ragrules.loads(rules.canonical_toml) == rules
