"""Quantile bands over a comparator group: the two methods (NTILE positions and interpolated
cut-points, checked against independent statements), polarity, ties, ranks, groups, and what
is said when a value cannot be placed."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules

TEXT = """
[ruleset]
format = 1
id = "quartiles"
scale = "quartiles"

[groups.councils]
where = { "area type" = "council" }

[scales.quartiles]
quantiles = { group = "councils", count = 4, method = "ntile", statuses = ["A", "B", "C", "D"] }

[[indicator]]
id = "up"
polarity = "higher-is-better"

[[indicator]]
id = "down"
polarity = "lower-is-better"
"""
RULES = ragrules.loads(TEXT)


def _rows(indicator: str, values: list[int], kind: str = "council") -> list[dict[str, str]]:
    return [
        {
            "indicator": indicator,
            "area": f"{indicator}{n:02d}",
            "area type": kind,
            "period": "2024",
            "value": str(v),
        }
        for n, v in enumerate(values)
    ]


def test_quartiles_follow_the_polarity() -> None:
    rows = _rows("up", [10, 20, 30, 40, 50, 60, 70, 80]) + _rows("down", [10, 20, 30, 40])
    report = RULES.rate(rows)
    up = {r.area: r.status for r in report.results if r.indicator.id == "up" and r.row}
    down = {r.area: r.status for r in report.results if r.indicator.id == "down" and r.row}
    assert [up[f"up{n:02d}"] for n in range(8)] == ["D", "D", "C", "C", "B", "B", "A", "A"]
    assert [down[f"down{n:02d}"] for n in range(4)] == ["A", "B", "C", "D"]
    best = report.result("up", area="up07")
    assert best.rank is not None
    assert (best.rank.rank, best.rank.size, best.rank.group) == (1, 8, "councils")
    # Best first (80, 70 | 60, 50 | 40, 30 | 20, 10): the last value of each better quarter,
    # lowest first.
    assert best.rank.cuts == (Decimal(30), Decimal(50), Decimal(70))
    assert best.reason == "A: quantile 1 of 4 (ntile), rank 1 of 8 in councils"


def test_ties_share_a_quantile_and_a_rank() -> None:
    # Best first, 9, 5, 5, 5, 5: the first quarter holds the extra value (9 and the first 5),
    # and every 5 takes the quarter of the first of them, as -9, -5, -5, -5, -5 do when lower
    # is better.
    report = RULES.rate(_rows("up", [5, 5, 5, 5, 9]) + _rows("down", [-5, -5, -5, -5, -9]))
    for indicator in ("up", "down"):
        statuses = {
            r.area[-2:]: (r.status, r.rank.rank if r.rank else None)
            for r in report.results
            if r.row and r.indicator.id == indicator
        }
        assert statuses == {
            "00": ("A", 2),
            "01": ("A", 2),
            "02": ("A", 2),
            "03": ("A", 2),
            "04": ("A", 1),
        }


def test_areas_outside_the_group_are_not_placed_and_do_not_count() -> None:
    rows = _rows("up", [10, 20, 30, 40]) + _rows("up", [1000], kind="region")
    rows[-1]["area"] = "R1"
    report = RULES.rate(rows)
    region = report.result("up", area="R1")
    assert (region.status, region.reason) == (
        "not-compared",
        "not compared: the area is not in councils",
    )
    top = report.result("up", area="up03")
    assert top.rank is not None
    assert (top.status, top.rank.rank, top.rank.size) == ("A", 1, 4)  # the region is not counted


def test_a_stream_cannot_place_a_value_in_its_group() -> None:
    (result,) = list(RULES.iter_rate(_rows("up", [10])))
    assert isinstance(result, ragrules.Result)
    assert result.reason == (
        "not compared: quantiles need every area: rate the whole file, not a stream"
    )


def test_the_key_explain_and_canonical_form_say_it() -> None:
    report = RULES.rate(_rows("up", [10, 20, 30, 40]))
    key = str(report.key)
    assert "A: The 1st quarter of councils from the best (equal counts)." in key
    text = str(report.explain("up", area="up03"))
    assert "Quantile 1 of 4 (ntile), rank 1 of 4 in councils; cut-points 20, 30, 40." in text
    assert ragrules.loads(RULES.canonical_toml) == RULES


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("count = 4", None),
        ("count = 1", "expected a whole number of quantiles from 2 to 100"),
        ('statuses = ["A", "B", "C", "D"]', None),
        ('statuses = ["A", "B", "C"]', "expected 4 different statuses, best first"),
        ('method = "ntile"', None),
        ('method = "median"', "method"),
    ],
)
def test_the_format_refuses_what_it_cannot_use(change: str, message: str | None) -> None:
    key = change.split(" =")[0]
    original = {
        "count": "count = 4",
        "statuses": 'statuses = ["A", "B", "C", "D"]',
        "method": 'method = "ntile"',
    }[key]
    text = TEXT.replace(original, change)
    if message is None:
        ragrules.loads(text)
        return
    with pytest.raises(ragrules.RulesetError, match=message):
        ragrules.loads(text)


def _ntile(values: list[Fraction], value: Fraction, count: int) -> int:
    """SQL's NTILE on sorted values, the first of tied values deciding: 1 = lowest (negate
    higher-is-better values to put them best first)."""
    ordered = sorted(values)
    first = ordered.index(value)
    size, larger = divmod(len(ordered), count)
    end = 0
    for quantile in range(1, count + 1):
        end += size + (quantile <= larger)
        if first < end:
            return quantile
    raise AssertionError("unreachable")


def _inclusive(values: list[Fraction], value: Fraction, count: int) -> int:
    """Excel's QUARTILE.INC cut-points; on a cut-point, the lower quantile: 1 = lowest (negate
    higher-is-better values to put them best first)."""
    ordered = sorted(values)
    quantile = 1
    for k in range(1, count):
        h = (len(ordered) - 1) * Fraction(k, count)
        low = int(h)
        high = min(low + 1, len(ordered) - 1)
        cut = ordered[low] + (h - low) * (ordered[high] - ordered[low])
        quantile += value > cut
    return quantile


@given(
    values=st.lists(st.integers(min_value=-50, max_value=50), min_size=1, max_size=30),
    count=st.sampled_from([2, 3, 4, 5, 10]),
    method=st.sampled_from(["ntile", "inclusive"]),
    higher=st.booleans(),
)
def test_every_value_gets_the_quantile_an_independent_statement_gives(
    values: list[int], count: int, method: str, higher: bool
) -> None:
    statuses = [f"q{n}" for n in range(1, count + 1)]
    text = (
        '[ruleset]\nformat = 1\nid = "p"\nscale = "q"\n'
        f'[scales.q]\nquantiles = {{ count = {count}, method = "{method}", '
        f"statuses = {statuses!r} }}\n".replace("'", '"')
        + '[[indicator]]\nid = "x"\n'
        + f'polarity = "{"higher" if higher else "lower"}-is-better"\n'
    )
    rules = ragrules.loads(text)
    report = rules.rate(_rows("x", values))
    sign = -1 if higher else 1  # best first: the highest values first when higher is better
    exact = [sign * Fraction(v) for v in values]
    reference = _ntile if method == "ntile" else _inclusive
    for n, value in enumerate(values):
        result = report.result("x", area=f"x{n:02d}")
        position = reference(exact, sign * Fraction(value), count)
        assert result.status == statuses[position - 1], (value, sorted(values))
    # The bands partition the group: every value has exactly one, in order of value.
    order = sorted(range(len(values)), key=lambda n: values[n])
    ranks = [report.result("x", area=f"x{n:02d}").rank for n in order]
    assert all(rank is not None and rank.size == len(values) for rank in ranks)


GROUP_TEXT = """
[ruleset]
format = 1
id = "neighbours"

[groups.neighbours]
areas = ["A", "B", "C", "D"]

[benchmarks.neighbours-mean]
statistic = "mean"
group = "neighbours"

[benchmarks.neighbours-median]
statistic = "median"
group = "neighbours"

[benchmarks.weighted]
statistic = "weighted-mean"
group = "neighbours"
weights = "denominator"

[[indicator]]
id = "near-median"
polarity = "higher-is-better"
target = { benchmark = "neighbours-median" }
tolerance = { relative = "10%" }

[[indicator]]
id = "above-mean"
polarity = "higher-is-better"
target = { benchmark = "neighbours-mean" }
tolerance = { absolute = 0 }

[[indicator]]
id = "weighted"
polarity = "higher-is-better"
target = { benchmark = "weighted" }
tolerance = { absolute = 0 }
"""


def _group_rows(indicator: str, values: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"indicator": indicator, "area": area, "period": "2024", "value": value, "denominator": "1"}
        for area, value in values.items()
    ]


def test_a_benchmark_can_be_a_statistic_of_a_group() -> None:
    rules = ragrules.loads(GROUP_TEXT)
    values = {"A": "10", "B": "20", "C": "30", "D": "41", "Z": "1000"}  # Z is no neighbour
    report = rules.rate(_group_rows("near-median", values) + _group_rows("above-mean", values))
    # Median of 10, 20, 30, 41 is 25: within 10% (22.5) is amber, above it green.
    near = {r.area: r.status for r in report.results if r.indicator.id == "near-median" and r.row}
    assert near == {"A": "red", "B": "red", "C": "green", "D": "green", "Z": "green"}
    mean = report.result("above-mean", area="A")
    assert (mean.target, mean.target_source) == (
        ragrules.Target.point(Decimal("25.25")),
        "benchmark neighbours-mean",
    )


def test_a_mean_that_is_no_terminating_decimal_still_decides_exactly() -> None:
    rules = ragrules.loads(GROUP_TEXT)
    # The mean of 1, 1, 2 (and D missing) is 4/3: 1.333... to 120 digits; 1.34 is above it.
    values = {"A": "1", "B": "1", "C": "2", "Z": "1.34"}
    report = rules.rate(_group_rows("above-mean", values))
    assert report.result("above-mean", area="Z").status == "green"
    assert report.result("above-mean", area="C").status == "green"
    assert report.result("above-mean", area="A").status == "red"


def test_a_weighted_mean_weighs_each_value_by_its_column() -> None:
    rules = ragrules.loads(GROUP_TEXT)
    rows = _group_rows("weighted", {"A": "10", "B": "20"})
    rows[1]["denominator"] = "3"  # (10 * 1 + 20 * 3) / 4 = 17.5
    report = rules.rate(rows)
    assert report.result("weighted", area="A").target == ragrules.Target.point(Decimal("17.5"))


@pytest.mark.parametrize(
    ("weight", "reason"),
    [
        ("abc", "the denominator weight of B cannot be read ('abc')"),
        ("-1", "the denominator weight of B is below zero (-1)"),
    ],
)
def test_a_weight_that_cannot_be_used_leaves_no_weighted_mean(weight: str, reason: str) -> None:
    """A mean without one member's weight, or with a weight below zero (a "mean" below every
    value), is not the mean asked for: no target, and the reason names the member."""
    rules = ragrules.loads(GROUP_TEXT)
    rows = _group_rows("weighted", {"A": "10", "B": "20", "C": "30"})
    rows[1]["denominator"] = weight
    result = rules.rate(rows).result("weighted", area="A")
    assert (result.status, result.reason) == ("no-target", f"no target: {reason}")


def test_a_member_publishing_no_weight_is_left_out_of_the_weighted_mean() -> None:
    rules = ragrules.loads(GROUP_TEXT)
    rows = _group_rows("weighted", {"A": "10", "B": "20", "C": "30"})
    rows[1]["denominator"] = ""  # B publishes no weight: (10 + 30) / 2
    target = rules.rate(rows).result("weighted", area="A").target
    assert target == ragrules.Target.point(Decimal(20))


def test_a_group_statistic_needs_the_whole_file() -> None:
    rules = ragrules.loads(GROUP_TEXT)
    (result,) = list(rules.iter_rate(_group_rows("above-mean", {"A": "1"})))
    assert isinstance(result, ragrules.Result)
    assert result.reason == (
        "no target: the neighbours_mean benchmark needs every area: rate the whole file"
    )


@given(st.lists(st.integers(min_value=-1000, max_value=1000), min_size=1, max_size=12))
def test_the_mean_and_median_are_the_exact_ones(values: list[int]) -> None:
    rules = ragrules.loads(
        GROUP_TEXT.replace('areas = ["A", "B", "C", "D"]', 'where = { kind = "x" }')
    )
    rows = [
        {"indicator": "above-mean", "area": f"N{n}", "kind": "x", "period": "2024", "value": str(v)}
        for n, v in enumerate(values)
    ]
    report = rules.rate(rows)
    mean = Fraction(sum(values), len(values))
    for n, v in enumerate(values):
        status = report.result("above-mean", area=f"N{n}").status
        assert status == ("green" if v >= mean else "red"), (v, mean)


@given(
    inside=st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=12),
    outside=st.lists(st.integers(min_value=-1000, max_value=1000), max_size=6),
)
def test_areas_outside_the_group_change_no_band_inside_it(
    inside: list[int], outside: list[int]
) -> None:
    rows = _rows("up", inside)
    extra = _rows("up", outside, kind="region")
    for n, row in enumerate(extra):
        row["area"] = f"R{n:02d}"
    before = {r.area: r.status for r in RULES.rate(rows).results if r.row}
    after = {r.area: r.status for r in RULES.rate([*rows, *extra]).results if r.row}
    assert {area: s for area, s in after.items() if not area.startswith("R")} == before
    assert all(s == "not-compared" for area, s in after.items() if area.startswith("R"))


NEIGHBOURS = """
[ruleset]
format = 1
id = "neighbours"
calendar = "calendar"
scale = "thirds"

[groups.neighbours]
neighbours = [
  { of = { A = ["B", "C"], B = ["A", "C"], C = ["A", "B", "D"] } },
  { from = "2024", of = { A = ["C", "D"] } },
]

[benchmarks.neighbour-mean]
statistic = "mean"
group = "neighbours"

[scales.thirds]
quantiles = { group = "neighbours", count = 3, statuses = ["top", "middle", "bottom"] }

[[indicator]]
id = "rank"
polarity = "higher-is-better"

[[indicator]]
id = "vs-mean"
polarity = "higher-is-better"
scale = "rag"
target = { benchmark = "neighbour-mean" }
tolerance = { absolute = 0 }
"""


def _years(indicator: str, values: dict[str, str], year: str) -> list[dict[str, str]]:
    return [
        {"indicator": indicator, "area": area, "period": year, "value": value}
        for area, value in values.items()
    ]


def test_statistical_neighbours_are_a_group_of_each_areas_own_revised_over_time() -> None:
    rules = ragrules.loads(NEIGHBOURS)
    assert ragrules.loads(rules.canonical_toml) == rules
    values = {"A": "10", "B": "20", "C": "30", "D": "40"}
    rows = _years("rank", values, "2023") + _years("vs-mean", values, "2023")
    report = rules.rate(rows)
    # 2023: A's neighbours are B and C: A is the lowest of 10, 20, 30; its neighbours' mean
    # (without A) is 25.
    a = report.result("rank", area="A")
    assert (a.status, a.rank.rank if a.rank else None) == ("bottom", 3)
    assert report.result("vs-mean", area="A").target == ragrules.Target.point(Decimal(25))
    assert report.result("rank", area="D").reason == "not compared: the area is not in neighbours"
    later = rules.rate(_years("rank", values, "2024") + _years("vs-mean", values, "2024"))
    # 2024: A's set was revised to C and D: the mean of 30 and 40.
    assert later.result("vs-mean", area="A").target == ragrules.Target.point(Decimal(35))
    # A revised set is the whole list: B, which it does not name, has no neighbours then.
    assert later.result("rank", area="B").reason == "not compared: the area is not in neighbours"


def test_neighbour_sets_after_the_first_need_their_start() -> None:
    with pytest.raises(ragrules.RulesetError, match="needs the period it is in force from"):
        ragrules.loads(NEIGHBOURS.replace('{ from = "2024", of', "{ of"))
