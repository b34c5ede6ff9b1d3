"""Confidence intervals computed from a count and a denominator, in decimal: Wilson's score
interval for a proportion, and Byar's approximation to the exact Poisson interval for a count
(and so for a rate).

Square roots and the normal quantile are computed in a decimal context of `DIGITS`
significant digits. The quantile is found by Newton's method on the normal distribution
function (seeded by the standard library's float quantile), itself summed from its Taylor
series in that context; it is exact to within
10^-(DIGITS - 10), far below the last digit of any published value, so a published value is
never on the wrong side of a limit computed here because of the arithmetic.
"""

from __future__ import annotations

import decimal
import functools
from decimal import Decimal
from statistics import NormalDist

DIGITS = 50
_CONTEXT = decimal.Context(prec=DIGITS + 10)


def normal_quantile(level: Decimal) -> Decimal:
    """z such that a normal variable lies within +-z with probability `level` (0.95 -> 1.96)."""
    if not 0 < level < 1:
        raise ValueError(f"a confidence level is between 0 and 1, not {level}")
    with decimal.localcontext(_CONTEXT):
        target = (1 + level) / 2  # the distribution function at z
        # Seeded by the standard library's float quantile; Newton's method then doubles the
        # correct digits with each step, in decimal.
        z = Decimal(repr(NormalDist().inv_cdf(float(target))))
        for _ in range(100):
            step = (_distribution(z) - target) / _density(z)
            z -= step
            if abs(step) < Decimal(10) ** -(DIGITS + 2):
                return +z
    raise ArithmeticError(f"the normal quantile for {level} did not converge")


def _density(x: Decimal) -> Decimal:
    return (-(x * x) / 2).exp() / _root_two_pi()


@functools.cache
def _root_two_pi() -> Decimal:
    with decimal.localcontext(_CONTEXT):
        return (2 * _pi()).sqrt()


def _distribution(x: Decimal) -> Decimal:
    """Phi(x) = 1/2 + density(x) * (x + x^3/3 + x^5/(3*5) + ...), which converges for every x."""
    term = total = x
    n = 1
    while abs(term) > Decimal(10) ** -(DIGITS + 5):
        n += 2
        term = term * x * x / n
        total += term
    return Decimal("0.5") + _density(x) * total


def _pi() -> Decimal:
    """Pi to the context's precision (Machin's formula)."""
    return 4 * (4 * _arctan_inverse(5) - _arctan_inverse(239))


def _arctan_inverse(n: int) -> Decimal:
    x = Decimal(1) / n
    total = term = x
    k = 1
    while abs(term) > Decimal(10) ** -(DIGITS + 5):
        term *= -x * x
        k += 2
        total += term / k
    return total


def wilson(count: Decimal, denominator: Decimal, z: Decimal) -> tuple[Decimal, Decimal]:
    """Wilson's score interval for the proportion count / denominator.

    A count of 0 has a lower limit of exactly 0, and a count of the whole denominator an
    upper limit of exactly 1, as the formula gives them in exact arithmetic: computed, the
    square root of z squared is not z to the last digit, and a benchmark of 100% would lie
    outside the interval of an area at 100%."""
    if denominator <= 0 or not 0 <= count <= denominator:
        raise ValueError("a proportion needs 0 <= count <= denominator and a denominator above 0")
    with decimal.localcontext(_CONTEXT):
        z2 = z * z
        centre = 2 * count + z2
        spread = z * (z2 + 4 * count * (1 - count / denominator)).sqrt()
        scale = 2 * (denominator + z2)
        lower = Decimal(0) if count == 0 else +((centre - spread) / scale)
        upper = Decimal(1) if count == denominator else +((centre + spread) / scale)
        return lower, upper


def byar(count: Decimal, z: Decimal) -> tuple[Decimal, Decimal]:
    """Byar's approximation to the exact Poisson interval for an observed count."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    with decimal.localcontext(_CONTEXT):
        lower = Decimal(0)
        if count > 0:
            lower = count * (1 - 1 / (9 * count) - z / (3 * count.sqrt())) ** 3
        above = count + 1
        upper = above * (1 - 1 / (9 * above) + z / (3 * above.sqrt())) ** 3
        return +lower, +upper
