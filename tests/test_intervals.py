"""Intervals computed in decimal from a count and a denominator (Wilson, Byar), and the normal
quantile they need, against published constants and an independent float implementation."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ragrules.model.intervals import byar, normal_quantile, wilson

# The normal quantiles as references print them: 1.959963984540054235524594430520551527955...
# is the classic constant to 30 digits; the others as tables give them, to 16.
KNOWN = {
    "0.95": ("1.95996398454005423552459443052", "1e-29"),
    "0.998": ("3.090232306167813", "1e-15"),
    "0.99": ("2.575829303548901", "1e-15"),
    "0.9": ("1.644853626951473", "1e-15"),
}


@pytest.mark.parametrize(("level", "known"), sorted(KNOWN.items()))
def test_the_normal_quantile_as_references_print_it(level: str, known: tuple[str, str]) -> None:
    z, within = known
    assert abs(normal_quantile(Decimal(level)) - Decimal(z)) < Decimal(within)


@given(st.decimals(min_value="0.5", max_value="0.9999", places=4))
def test_the_normal_quantile_agrees_with_the_standard_library(level: Decimal) -> None:
    expected = NormalDist().inv_cdf((1 + float(level)) / 2)
    assert math.isclose(float(normal_quantile(level)), expected, rel_tol=1e-12)


def _wilson_float(count: int, n: int, z: float) -> tuple[float, float]:
    p = count / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    scale = 1 + z * z / n
    return (centre - spread) / scale, (centre + spread) / scale


def _byar_float(count: int, z: float) -> tuple[float, float]:
    lower = 0.0 if count == 0 else count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return lower, upper


Z95 = normal_quantile(Decimal("0.95"))


@given(st.integers(min_value=1, max_value=10**7), st.data())
def test_wilson_agrees_with_a_float_statement_of_it(n: int, data: st.DataObject) -> None:
    count = data.draw(st.integers(min_value=0, max_value=n))
    low, high = wilson(Decimal(count), Decimal(n), Z95)
    expected = _wilson_float(count, n, float(Z95))
    assert math.isclose(float(low), expected[0], rel_tol=1e-9, abs_tol=1e-15)
    assert math.isclose(float(high), expected[1], rel_tol=1e-9, abs_tol=1e-15)
    # 1 and 0 themselves are limits only to the context's precision (10^-40 here).
    slack, share = Fraction(1, 10**40), Fraction(count, n)
    assert -slack <= Fraction(low) <= share + slack
    assert share - slack <= Fraction(high) <= 1 + slack


LEVELS = st.sampled_from(["0.8", "0.9", "0.95", "0.975", "0.99", "0.998", "0.999"])


@given(st.integers(min_value=1, max_value=10**9), LEVELS)
def test_wilson_limits_of_none_and_all_are_exactly_0_and_1(n: int, level: str) -> None:
    """In exact arithmetic a count of 0 has a lower limit of 0 and a count of all an upper
    limit of 1: computed limits a digit off put a benchmark of 100% outside an area's 100%."""
    z = normal_quantile(Decimal(level))
    assert wilson(Decimal(0), Decimal(n), z)[0] == 0
    assert wilson(Decimal(n), Decimal(n), z)[1] == 1


def _wilson_ruleset(compare: str) -> str:
    return (
        '[ruleset]\nformat = 1\nid = "w"\nscale = "s"\n[benchmarks.england]\n'
        'area = "E92000001"\n[scales.s]\nsignificance = { benchmark = "england", '
        f'method = "wilson", multiplier = 100, compare = "{compare}" }}\n'
        '[[indicator]]\nid = "screened"\nunit = "percent"\npolarity = "higher-is-better"\n'
    )


@pytest.mark.parametrize("compare", ["value", "control-limits"])
@pytest.mark.parametrize("n", [49, 50, 96])
def test_an_area_at_100_percent_is_similar_to_a_benchmark_at_100(compare: str, n: int) -> None:
    import ragrules

    rows = [
        {"indicator": "screened", "area": area, "value": "100", "count": c, "denominator": c}
        for area, c in (("E92000001", "5000"), ("E06000001", str(n)))
    ]
    result = ragrules.loads(_wilson_ruleset(compare)).rate(rows).result("screened", "E06000001")
    assert result.status == "similar", result.reason
    assert result.interval is not None and result.interval.upper == 100


@given(st.integers(min_value=0, max_value=10**7))
def test_byar_agrees_with_a_float_statement_of_it(count: int) -> None:
    low, high = byar(Decimal(count), Z95)
    expected = _byar_float(count, float(Z95))
    assert math.isclose(float(low), expected[0], rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(float(high), expected[1], rel_tol=1e-9)
    assert low <= count <= high


def test_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="0 <= count <= denominator"):
        wilson(Decimal(5), Decimal(4), Z95)
    with pytest.raises(ValueError, match="cannot be negative"):
        byar(Decimal(-1), Z95)
    with pytest.raises(ValueError, match="between 0 and 1"):
        normal_quantile(Decimal(95))


def test_control_limits_around_the_benchmark_for_each_denominator() -> None:
    """A funnel plot: the same value is similar for a small area and worse for a large one."""
    import ragrules

    rules = ragrules.loads(
        """
[ruleset]
format = 1
id = "funnel"
scale = "funnel"

[benchmarks.england]
area = "E92000001"

[scales.funnel.significance]
benchmark = "england"
compare = "control-limits"
method = "byar"
multiplier = 100000

[[indicator]]
id = "rate"
polarity = "lower-is-better"
"""
    )
    rows = [
        {"indicator": "rate", "area": "E92000001", "value": "50", "denominator": "50000000"},
        {"indicator": "rate", "area": "SMALL", "value": "60", "denominator": "20000"},
        {"indicator": "rate", "area": "LARGE", "value": "60", "denominator": "2000000"},
    ]
    report = rules.rate(rows)
    small, large = report.result("rate", area="SMALL"), report.result("rate", area="LARGE")
    assert (small.status, large.status) == ("similar", "worse")
    assert large.reason.startswith("worse: 60 is above the 95% control limits")
    # The limits are Byar's for the expected count (50 per 100,000 of 2,000,000 = 1,000).
    expected = _byar_float(1000, float(Z95))
    assert large.interval is not None
    assert math.isclose(float(large.interval.lower), expected[0] / 20, rel_tol=1e-12)
    assert ragrules.loads(rules.canonical_toml) == rules


def test_byar_limits_around_a_benchmark_below_zero_are_not_had() -> None:
    """No count is below zero: a benchmark there is not compared, never an error."""
    import ragrules

    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "f"\nscale = "f"\n[benchmarks.england]\n'
        'area = "E92000001"\n[scales.f.significance]\nbenchmark = "england"\n'
        'compare = "control-limits"\nmethod = "byar"\nmultiplier = 1000\n'
        '[[indicator]]\nid = "rate"\npolarity = "lower-is-better"\n'
    )
    rows = [
        {"indicator": "rate", "area": "E92000001", "value": "-5", "denominator": "1000"},
        {"indicator": "rate", "area": "A", "value": "3", "denominator": "1000"},
    ]
    result = rules.rate(rows).result("rate", area="A")
    assert (result.status, result.reason) == (
        "not-compared",
        "not compared: the benchmark is below zero, which no count or rate is",
    )


@pytest.mark.parametrize(
    ("count", "denominator", "reason"),
    [
        ("120", "100", "a count of 120 is above its denominator 100"),
        ("5", "0", "a count of 5 in a denominator of 0"),
        ("", "100", "no 95% confidence interval in the data"),
    ],
)
def test_a_wilson_interval_that_cannot_be_had_says_why(
    count: str, denominator: str, reason: str
) -> None:
    import ragrules

    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "w"\nscale = "w"\n[benchmarks.england]\narea = "E"\n'
        '[scales.w.significance]\nbenchmark = "england"\nmethod = "wilson"\nmultiplier = 100\n'
        '[[indicator]]\nid = "p"\nunit = "percent"\n'
    )
    rows = [
        {"indicator": "p", "area": "E", "value": "50", "count": "50", "denominator": "100"},
        {"indicator": "p", "area": "A", "value": "60", "count": count, "denominator": denominator},
    ]
    result = rules.rate(rows).result("p", area="A")
    assert result.status == "not-compared" and reason in result.reason
