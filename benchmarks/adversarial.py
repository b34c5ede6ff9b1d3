"""The adversarial section: what hostile input costs per byte, against ordinary input.

Each case builds a pathological input and an ordinary one of about the same size, times
ragrules on both, and prints the cost per byte of each and their ratio, at two sizes. The
cost must stay linear: the per-byte cost of the pathological input may not grow with size
(growth = per-byte cost at the larger size / at the smaller, about 1 when linear; a
quadratic cost doubles it with each doubling of size).

    python benchmarks/bench.py --adversarial    # this section alone
"""

from __future__ import annotations

import contextlib
import csv
import io
import time
from collections.abc import Callable
from pathlib import Path

import ragrules
from ragrules.formats.data import parse_csv, parse_rows
from ragrules.model import observations, periods

Target = tuple[str, str, bool]  # what, result, met
Case = Callable[[int, Path], tuple[Callable[[], object], Callable[[], object], int]]

RULESET = """
[ruleset]
format = 1
id = "adversarial"
"""


def _indicators(count: int) -> str:
    return "".join(
        f'[[indicator]]\nid = "indicator-{n}"\nunit = "percent"\npolarity = "higher-is-better"\n'
        f'target = "50%"\ntolerance = {{ absolute = "5%" }}\n'
        for n in range(count)
    )


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def pathological_values(
    size: int, _: Path
) -> tuple[Callable[[], object], Callable[[], object], int]:
    """Cells built to make a backtracking value pattern blow up, against plain values."""
    ruleset = ragrules.loads(RULESET + _indicators(1))
    cell = "1" + " " * 996 + "a\nb"
    rows = size // (len(cell) + 30)
    hostile = _csv(
        [["indicator", "period", "value"]]
        + [
            ["indicator-0", f"{1000 + n // 4}/{(1 + n // 4) % 100:02d} Q{1 + n % 4}", cell]
            for n in range(rows)
        ]
    )
    plain = _csv(
        [["indicator", "period", "value", "commentary"]]
        + [
            [
                "indicator-0",
                f"{1000 + n // 4}/{(1 + n // 4) % 100:02d} Q{1 + n % 4}",
                "51.5",
                "x" * 990,
            ]
            for n in range(rows)
        ]
    )
    return (
        lambda: ruleset.rate(parse_csv(hostile)),
        lambda: ruleset.rate(parse_csv(plain)),
        len(hostile),
    )


def fan_out(size: int, folder: Path) -> tuple[Callable[[], object], Callable[[], object], int]:
    """Eight bases, each extending the next ten times over, against one flat file of as many
    bytes. Without each base read and merged once, the cost is 10^8 merges, whatever the size.
    """
    depth = 8
    case = folder / f"fan-{size}"
    case.mkdir(exist_ok=True)
    each = max(1, size // (depth * 150))  # indicators per file, so the bytes follow `size`
    for level in range(depth):
        body = f'[ruleset]\nformat = 1\nid = "fan-{level}"\ncatalogue = true\n'
        if level + 1 < depth:
            body += "extends = [" + ", ".join([f'"fan-{level + 1}.toml"'] * 10) + "]\n"
        indicators = _indicators(each).replace('id = "indicator-', f'id = "level-{level}-')
        (case / f"fan-{level}.toml").write_text(body + indicators)
    top = case / "fan-0.toml"
    total = sum(path.stat().st_size for path in case.glob("*.toml"))
    flat = case.parent / f"flat-{size}.toml"
    flat.write_text(RULESET + _indicators(depth * each))
    return (lambda: ragrules.load(top), lambda: ragrules.load(flat), total)


def wide_header(size: int, _: Path) -> tuple[Callable[[], object], Callable[[], object], int]:
    """One row with a column per month, against a long table of the same bytes."""
    columns = size // 12
    months = [f"{1000 + n // 12}-{1 + n % 12:02d}" for n in range(columns)]
    wide = [(1, ["indicator", *months]), (2, ["indicator-0", *["5"] * columns])]
    long = [(1, ["indicator", "period", "value"])] + [
        (n + 2, ["indicator-0", month, "5"]) for n, month in enumerate(months)
    ]
    return (lambda: parse_rows(wide), lambda: parse_rows(long), size)


def unknown_ids(size: int, _: Path) -> tuple[Callable[[], object], Callable[[], object], int]:
    """Rows naming indicators a 5,000-indicator ruleset lacks, against rows it knows."""
    ruleset = ragrules.loads(RULESET + _indicators(5_000))
    rows = size // 40
    unknown = [
        {"indicator": f"indicatr-{n}", "period": "2020/21", "value": "5"} for n in range(rows)
    ]
    known = [
        {
            "indicator": f"indicator-{n % 5000}",
            "period": f"{2000 + n // 5000}/{(1 + n // 5000) % 100:02d}",
            "value": "5",
        }
        for n in range(rows)
    ]
    return (lambda: ruleset.rate(unknown), lambda: ruleset.rate(known), rows * 40)


CASES: dict[str, Case] = {
    "pathological values (CSV, rated)": pathological_values,
    "extends fan-out (10 per level)": fan_out,
    "wide header (a column per month)": wide_header,
    "unknown indicator ids (5,000 known)": unknown_ids,
}


def _best(function: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        # Cold caches: a remembered period or reading would favour the run that repeats.
        periods._parse_period.cache_clear()
        observations._remembered_value.cache_clear()
        start = time.perf_counter()
        with contextlib.suppress(ragrules.RagrulesError):
            function()  # a refused input costs what it cost to refuse it
        best = min(best, time.perf_counter() - start)
    return best


def adversarial(folder: Path, sizes: tuple[int, int] = (50_000, 200_000)) -> list[Target]:
    """Print the section's table; the target is linear cost for every case."""
    print("\n7. Adversarial input: cost per byte, pathological against ordinary input")
    lines = []
    targets = []
    for name, case in CASES.items():
        per_byte = []
        for size in sizes:
            hostile, ordinary, length = case(size, folder)
            t_hostile, t_ordinary = _best(hostile), _best(ordinary)
            per_byte.append(t_hostile / length)
            lines.append(
                (
                    name,
                    f"{length:,}",
                    f"{t_hostile / length * 1e9:.0f}",
                    f"{t_ordinary / length * 1e9:.0f}",
                    f"{t_hostile / t_ordinary:.1f}",
                )
            )
        growth = per_byte[1] / per_byte[0]
        targets.append(
            (
                f"adversarial: {name}, linear (growth {sizes[0]:,} -> {sizes[1]:,} bytes)",
                f"{growth:.2f}",
                growth < 1.5,
            )
        )
    header = ("case", "bytes", "ns/byte hostile", "ns/byte ordinary", "ratio")
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    for row in [header, *lines]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        print("   " + "  ".join(cells))
    return targets
