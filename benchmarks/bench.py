"""Benchmarks: ragrules against hand-written baselines doing the same work, in one run.

    python benchmarks/bench.py            # the full run (200,000 ratings)
    python benchmarks/bench.py --quick    # a CI smoke check: agreement only, not speed

Every workload is generated with a fixed seed; ragrules and the baselines run in the same
process, their statuses are checked to agree exactly, and the table reports time per rating,
throughput and the ratio to the Decimal baseline (issue 8's targets are printed beside them).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import ragrules
from ragrules import rating
from ragrules.model import Basis, Indicator, Margin, Polarity, Schedule, Target

SEED = 20201125
T = TypeVar("T")


def workload(count: int) -> tuple[list[Indicator], list[tuple[int, str]]]:
    """20 indicators (both polarities, relative tolerances) and `count` values near them."""
    rng = random.Random(SEED)
    indicators = []
    for n in range(20):
        target = Decimal(rng.randint(10, 90))
        indicators.append(
            Indicator(
                id=f"pi-{n}",
                unit="percent",
                polarity=Polarity.HIGHER if n % 2 == 0 else Polarity.LOWER,
                target=Schedule.always(Target.point(target)),
                tolerance=Schedule.always(
                    Margin(basis=Basis.RELATIVE, amount=Decimal(rng.choice([5, 10])) / 100)
                ),
            )
        )
    values = []
    for _ in range(count):
        index = rng.randrange(len(indicators))
        target = indicators[index].target.in_force(None).value  # type: ignore[union-attr]
        values.append((index, str(target + Decimal(rng.randint(-2000, 2000)) / 100)))
    return indicators, values


def baseline_decimal(indicators: list[Indicator]) -> Callable[[int, Decimal], str]:
    """The hand-written minimum: Decimal comparisons against precomputed thresholds."""
    table = []
    for indicator in indicators:
        target = indicator.target.in_force(None).value  # type: ignore[union-attr]
        margin = indicator.tolerance.in_force(None).amount * abs(target)  # type: ignore[union-attr]
        higher = indicator.polarity is Polarity.HIGHER
        table.append((higher, target, target - margin if higher else target + margin))

    def rate(index: int, value: Decimal) -> str:
        higher, target, floor = table[index]
        if higher:
            return "green" if value >= target else "amber" if value >= floor else "red"
        return "green" if value <= target else "amber" if value <= floor else "red"

    return rate


def baseline_float(indicators: list[Indicator]) -> Callable[[int, float], str]:
    """The spreadsheet way: binary floats, target * (1 - tolerance)."""
    table = []
    for indicator in indicators:
        target = float(indicator.target.in_force(None).value)  # type: ignore[union-attr]
        tol = float(indicator.tolerance.in_force(None).amount)  # type: ignore[union-attr]
        higher = indicator.polarity is Polarity.HIGHER
        table.append((higher, target, target * (1 - tol) if higher else target * (1 + tol)))

    def rate(index: int, value: float) -> str:
        higher, target, floor = table[index]
        if higher:
            return "green" if value >= target else "amber" if value >= floor else "red"
        return "green" if value <= target else "amber" if value <= floor else "red"

    return rate


def timed(function: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Best wall time of `repeat` runs, and the last result."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def import_time() -> float:
    """Milliseconds `import ragrules` adds to a bare interpreter (best of 5)."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare = min(run("pass") for _ in range(5))
    loaded = min(run("import ragrules") for _ in range(5))
    return (loaded - bare) * 1000


def big_ruleset(indicators: int) -> str:
    """A ruleset of `indicators` indicators with units, each with its own target and tolerance."""
    rng = random.Random(SEED)
    lines = ['[ruleset]\nformat = 1\nid = "big"\n']
    for n in range(indicators):
        if n % 3 == 0:  # some targets written in days: converted to weeks, through pint
            days = rng.randint(4, 52) * 7
            unit, target = "weeks", f'"{days} days"' if n % 2 else f'"{days // 7} weeks"'
        else:
            unit, target = "percent", f'"{rng.randint(100, 9900) / 100}%"'
        polarity = "lower-is-better" if n % 2 else "higher-is-better"
        tolerance = (
            f'{{ relative = "{rng.choice([5, 10, 15])}%" }}'
            if n % 4
            else f'{{ absolute = "{rng.randint(1, 3)} {"weeks" if n % 3 == 0 else "%"}" }}'
        )
        lines.append(
            f'[[indicator]]\nid = "pi-{n}"\ntitle = "Indicator {n}"\nunit = "{unit}"\n'
            f'polarity = "{polarity}"\ntarget = {target}\ntolerance = {tolerance}\n'
        )
    return "".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke check for CI")
    parser.add_argument("--count", type=int, default=200_000)
    args = parser.parse_args()
    count = 5_000 if args.quick else args.count
    repeat = 1 if args.quick else 3

    indicators, values = workload(count)
    decimals = [(index, Decimal(text)) for index, text in values]
    floats = [(index, float(text)) for index, text in values]
    decimal_rate = baseline_decimal(indicators)
    float_rate = baseline_float(indicators)
    cuts = [
        rating.compile_cuts(
            rating.RuleInputs(
                indicator=indicator,
                target=indicator.target.in_force(None),  # type: ignore[union-attr,arg-type]
                tolerance=indicator.tolerance.in_force(None) if indicator.tolerance else None,
                stretch=None,
            )
        )
        for indicator in indicators
    ]

    def core() -> list[str]:
        return [cuts[i][rating.band_for(cuts[i], v)].status for i, v in decimals]

    t_decimal, expected = timed(lambda: [decimal_rate(i, v) for i, v in decimals], repeat)
    t_float, floated = timed(lambda: [float_rate(i, v) for i, v in floats], repeat)
    t_core, statuses = timed(core, repeat)
    assert statuses == expected, "the rating core disagrees with the exact baseline"
    wrong = sum(a != b for a, b in zip(floated, expected, strict=True))

    ruleset = ragrules.Ruleset(id="bench", indicators=tuple(indicators))
    rows = [{"indicator": f"pi-{i}", "value": text} for i, text in values[: min(count, 50_000)]]
    # One row per indicator and period in a report: rate the rows in batches of 20.
    batches = [rows[k : k + 20] for k in range(0, len(rows) - 19, 20)]
    batches = [[dict(r, indicator=f"pi-{n}") for n, r in enumerate(batch)] for batch in batches]
    t_full, _ = timed(lambda: [ruleset.rate(batch) for batch in batches], 1)
    full_ratings = sum(len(batch) for batch in batches)

    print(f"ragrules benchmark: {count:,} ratings, seed {SEED}, Python {sys.version.split()[0]}")
    print(f"{'path':<44}{'us/rating':>10}{'ratings/s':>14}{'x Decimal':>11}")
    for name, seconds, n in (
        ("hand-written Decimal baseline", t_decimal, count),
        ("hand-written float baseline", t_float, count),
        ("ragrules core (compiled cuts, band_for)", t_core, count),
        ("ragrules Ruleset.rate (text in, Results out)", t_full, full_ratings),
    ):
        per = seconds / n * 1e6
        print(
            f"{name:<44}{per:>10.3f}{n / seconds:>14,.0f}{per / (t_decimal / count * 1e6):>11.1f}"
        )
    print(
        f"float baseline ratings that differ from the exact ones: {wrong} of {count:,}"
        f" ({wrong / count:.2%})"
    )
    if args.quick:
        print("quick: the core agrees with the exact baseline")
        return 0

    load_text = big_ruleset(1000)
    t_load, _ = timed(lambda: ragrules.loads(load_text), 3)
    print(f"import ragrules: {import_time():.0f} ms above a bare interpreter (target < 40)")
    print(
        f"load a 1,000-indicator ruleset with units, pint already imported: "
        f"{t_load * 1000:.0f} ms (target < 60)"
    )
    ratio = (t_core / count) / (t_decimal / count)
    print(
        f"core rating: {ratio:.1f}x the Decimal baseline (target <= 3x); "
        f"Ruleset.rate: {(t_full / full_ratings) / (t_decimal / count):.0f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
