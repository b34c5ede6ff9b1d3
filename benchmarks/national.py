"""The national section: every council at once, against a hand-written baseline doing the
same work, in one run.

A generated national file (fixed seed): 300 authorities and England, three indicators (one
compared with England by its 95% interval, one in quintiles of the authorities, one on a RAG
scale against a target), each by sex and age group, over a run of years, so that a report
year holds one row per authority, indicator, sex and age, and the rest is history for each
series' direction of travel. ragrules rates it with `Ruleset.rate`; the baseline is plain
Python with exact decimals written for exactly this ruleset. Their statuses and directions are
checked to agree for every series before any time is printed.

    python benchmarks/bench.py --national    # this section alone
"""

from __future__ import annotations

import bisect
import csv
import random
import subprocess
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import ragrules

Target = tuple[str, str, bool]  # what, result, met

ENGLAND = "E92000001"
RULESET = """
[ruleset]
format = 1
id = "national-benchmark"
calendar = "calendar"

[data]
breakdowns = ["sex", "age"]

[benchmarks.england]
area = "E92000001"

[groups.authorities]
where = { "area type" = "LA" }

[scales.vs-england]
significance = { benchmark = "england", statuses = ["better", "similar", "worse"] }

[scales.quintiles]
quantiles = { group = "authorities", count = 5, statuses = ["q1", "q2", "q3", "q4", "q5"] }

[travel.comparisons]
short = { against = "previous-period" }

[[indicator]]
id = "significance"
unit = "per_100000"
polarity = "lower-is-better"
scale = "vs-england"

[[indicator]]
id = "quintile"
unit = "percent"
polarity = "higher-is-better"
scale = "quintiles"

[[indicator]]
id = "rag"
unit = "percent"
polarity = "higher-is-better"
target = 100
tolerance = { relative = "10%" }
"""
SEXES = ("Persons", "Male", "Female")


def generate(areas: int, ages: int, years: int, seed: int = 15) -> list[dict[str, str]]:
    """One row per area (and England), indicator, sex, age and year; values with 1 decimal."""
    rng = random.Random(seed)
    codes = [ENGLAND] + [f"E{6000000 + n:08d}" for n in range(areas)]
    rows = []
    for year in range(2024 - years + 1, 2025):
        for sex in SEXES:
            for age in range(ages):
                for code in codes:
                    kind = "Country" if code == ENGLAND else "LA"
                    for indicator in ("significance", "quintile", "rag"):
                        value = Decimal(rng.randint(600, 1400)) / 10
                        row = {
                            "indicator": indicator,
                            "area": code,
                            "area type": kind,
                            "sex": sex,
                            "age": f"age {age}",
                            "period": str(year),
                            "value": str(value),
                        }
                        if indicator == "significance" and rng.random() > 0.05:
                            spread = Decimal(rng.randint(1, 150)) / 10
                            row["lower ci 95.0 limit"] = str(value - spread)
                            row["upper ci 95.0 limit"] = str(value + spread)
                        rows.append(row)
    return rows


def baseline(
    rows: list[dict[str, str]], year: str
) -> dict[tuple[str, str, str, str], tuple[str, str]]:
    """(indicator, area, sex, age) -> (status, direction): the same rules, written by hand."""
    values: dict[tuple[str, str, str, str, str], dict[str, str]] = {}
    for row in rows:
        values[(row["indicator"], row["area"], row["sex"], row["age"], row["period"])] = row
    previous = str(int(year) - 1)
    groups: dict[tuple[str, str, str], list[Decimal]] = defaultdict(list)
    for (indicator, _, sex, age, when), row in values.items():
        if indicator == "quintile" and when == year and row["area type"] == "LA":
            groups[(indicator, sex, age)].append(Decimal(row["value"]))
    for group in groups.values():
        group.sort()
    found = {}
    for (indicator, area, sex, age, when), row in values.items():
        if when != year:
            continue
        value = Decimal(row["value"])
        if indicator == "significance":
            status = _significance(row, values, area, sex, age, year, value)
        elif indicator == "quintile":
            status = (
                _quintile(groups[(indicator, sex, age)], value)
                if area != ENGLAND
                else "not-compared"
            )
        else:
            status = "green" if value >= 100 else "amber" if value >= 90 else "red"
        before = values.get((indicator, area, sex, age, previous))
        direction = "not-comparable"
        if before is not None:
            earlier = Decimal(before["value"])
            direction = "up" if value > earlier else "down" if value < earlier else "unchanged"
        found[(indicator, area, sex, age)] = (status, direction)
    return found


def _significance(
    row: dict[str, str],
    values: dict[tuple[str, str, str, str, str], dict[str, str]],
    area: str,
    sex: str,
    age: str,
    year: str,
    value: Decimal,
) -> str:
    if area == ENGLAND or "lower ci 95.0 limit" not in row:
        return "not-compared"
    england = Decimal(values[("significance", ENGLAND, sex, age, year)]["value"])
    lower, upper = Decimal(row["lower ci 95.0 limit"]), Decimal(row["upper ci 95.0 limit"])
    if lower <= england <= upper:
        return "similar"
    return "better" if upper < england else "worse"  # lower is better


def _quintile(group: list[Decimal], value: Decimal) -> str:
    """NTILE(5) over the values best first (highest, as higher is better): the first
    `n % 5` fifths hold one more, and a tie takes the fifth of its best placed value."""
    size, larger = divmod(len(group), 5)
    first = len(group) - bisect.bisect_right(group, value)  # how many values are better
    end = 0
    for position in range(1, 6):
        end += size + (position <= larger)
        if first < end:
            return f"q{position}"
    raise AssertionError("unreachable")


def national(areas: int = 300, ages: int = 12, years: int = 31) -> list[Target]:
    rows = generate(areas, ages, years)
    rules = ragrules.loads(RULESET)
    print(
        f"\n8. Every council at once: {len(rows):,} rows, {areas} authorities and England, "
        f"3 indicators x {len(SEXES)} sexes x {ages} ages x {years} years"
    )
    print("   (significance against England's row, quintiles of the authorities, RAG; travel)")
    start = time.perf_counter()
    report = rules.rate(rows)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    expected = baseline(rows, "2024")
    theirs = time.perf_counter() - start
    got = {
        (r.indicator.id, r.area, dict(r.breakdown)["sex"], dict(r.breakdown)["age"]): (
            r.status,
            r.travel[0].direction.value,
        )
        for r in report.results
        if r.row is not None
    }
    assert got == expected, "ragrules and the baseline disagree"
    print(f"   {len(got):,} series rated for 2024; every status and direction agrees")
    ratio = ours / theirs
    print(
        f"   ragrules {ours:.2f} s ({len(rows) / ours:,.0f} rows/s), "
        f"baseline {theirs:.2f} s: {ratio:.1f}x"
    )
    return [
        (
            f"national: {len(rows):,} rows rated with travel, significance and quintiles",
            f"{ratio:.1f}x the hand-written baseline, {len(rows) / ours:,.0f} rows/s",
            ratio <= 10,
        )
    ]


_PEAK = """
import sys
from ragrules.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status", encoding="ascii") as status:
    print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")))
sys.exit(code)
"""


def national_stream(folder: Path, sizes: tuple[int, int] = (30, 300)) -> list[Target]:
    """Peak memory of `rate --stream` on national files sorted by area: flat in their length,
    with every row's travel read from the lines before it."""
    ruleset = folder / "national-benchmark.toml"
    ruleset.write_text(RULESET, encoding="utf-8")
    print("\n9. Every council, streamed: a file sorted by area, `ragrules rate --stream`")
    peaks = []
    for areas in sizes:
        rows = sorted(generate(areas, 2, 10), key=lambda r: (r["area"], r["indicator"]))
        data = folder / f"national-sorted-{areas}.csv"
        with data.open("w", encoding="utf-8", newline="") as out:
            columns = list(dict.fromkeys(key for row in rows for key in row))
            writer = csv.DictWriter(out, fieldnames=columns, restval="")
            writer.writeheader()
            writer.writerows(rows)
        stream = folder / "national.jsonl"
        argv = ["rate", str(ruleset), str(data), "--stream", "-o", str(stream)]
        done = subprocess.run(
            [sys.executable, "-c", _PEAK, *argv], capture_output=True, text=True, check=True
        )
        text = stream.read_text(encoding="utf-8")
        compared = text.count('"direction": "up"') + text.count('"direction": "down"')
        peaks.append((len(rows), int(done.stdout.split()[-1]) / 1024, compared))
    for count, peak, compared in peaks:
        print(
            f"   {count:,} rows: peak {peak:.0f} MB; {compared:,} rows with a direction of travel"
        )
    (small, small_peak, _), (large, large_peak, compared) = peaks
    growth = large_peak / small_peak
    return [
        (
            f"national stream sorted by area: peak memory flat ({small:,} -> {large:,} rows)",
            f"{small_peak:.0f} -> {large_peak:.0f} MB ({growth:.2f}x), {compared:,} with travel",
            growth < 1.5 and compared > 0,
        )
    ]
