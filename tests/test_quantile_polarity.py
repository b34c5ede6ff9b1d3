"""Quantile bands are decided best first: ties, NTILE's larger quantiles and values on an
interpolated cut-point favour the better end whichever way is better, so a higher-is-better
group is banded as its mirror (every value negated) is when lower is better (fuzz rounds 12,
F1, and 13, F9)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import ragrules

TEXT = """
[ruleset]
format = 1
id = "quantile-polarity"

[scales.quartiles-ntile]
quantiles = { count = 4, method = "ntile", statuses = ["A", "B", "C", "D"] }

[scales.quartiles-inclusive]
quantiles = { count = 4, method = "inclusive", statuses = ["A", "B", "C", "D"] }

[scales.quintiles]
quantiles = { count = 5, statuses = ["Q1", "Q2", "Q3", "Q4", "Q5"] }

[[indicator]]
id = "hib-ntile"
scale = "quartiles-ntile"

[[indicator]]
id = "lib-ntile"
polarity = "lower-is-better"
scale = "quartiles-ntile"

[[indicator]]
id = "hib-inclusive"
scale = "quartiles-inclusive"

[[indicator]]
id = "lib-inclusive"
polarity = "lower-is-better"
scale = "quartiles-inclusive"

[[indicator]]
id = "hib-quintiles"
scale = "quintiles"

[[indicator]]
id = "lib-quintiles"
polarity = "lower-is-better"
scale = "quintiles"

[[indicator]]
id = "neutral-quintiles"
polarity = "neutral"
scale = "quintiles"
"""
RULES = ragrules.loads(TEXT)


def _rows(indicator: str, values: list[str], period: str = "2024") -> list[dict[str, str]]:
    return [
        {"indicator": indicator, "area": f"E{n}", "period": period, "value": value}
        for n, value in enumerate(values, 1)
    ]


def _bands(report: ragrules.Report, indicator: str) -> dict[str, tuple[str, int | None]]:
    return {
        r.area: (r.status, r.rank.rank if r.rank else None)
        for r in report.results
        if r.row and r.indicator.id == indicator
    }


def test_tied_best_values_take_the_best_quartile_whichever_way_is_better() -> None:
    # Higher-is-better 5, 5, 1, 0 and its mirror -5, -5, -1, 0: both 5s are rank 1 of 4,
    # so both are A (they were B, "quantile 2 of 4, rank 1 of 4", and no area was A).
    report = RULES.rate(
        _rows("hib-ntile", ["5", "5", "1", "0"]) + _rows("lib-ntile", ["-5", "-5", "-1", "0"])
    )
    expected = {"E1": ("A", 1), "E2": ("A", 1), "E3": ("C", 3), "E4": ("D", 4)}
    assert _bands(report, "hib-ntile") == expected
    assert _bands(report, "lib-ntile") == expected
    top = report.result("hib-ntile", area="E1")
    assert top.reason == "A: quantile 1 of 4 (ntile), rank 1 of 4 in every area"
    mirror = report.result("lib-ntile", area="E1")
    assert top.rank is not None and mirror.rank is not None
    assert top.rank.cuts == tuple(sorted(-cut for cut in mirror.rank.cuts))


def test_a_value_on_an_inclusive_cut_point_takes_the_better_quartile() -> None:
    # 1..9 cut at 3, 5 and 7 (and -7, -5, -3 mirrored): the value on a cut-point belongs to
    # the better quartile either way (3, 5, 7 were D, C, B when higher was better).
    values = [str(n) for n in range(1, 10)]
    report = RULES.rate(
        _rows("hib-inclusive", values) + _rows("lib-inclusive", [f"-{v}" for v in values])
    )
    hib = _bands(report, "hib-inclusive")
    assert hib == _bands(report, "lib-inclusive")
    assert [hib[f"E{n}"][0] for n in range(1, 10)] == list("DDCCBBAAA")
    on_cut = report.result("hib-inclusive", area="E3")
    assert on_cut.reason == "C: quantile 3 of 4 (inclusive), rank 7 of 9 in every area"
    assert on_cut.rank is not None
    assert on_cut.rank.cuts == (Decimal(3), Decimal(5), Decimal(7))
    mirror = report.result("lib-inclusive", area="E3").rank
    assert mirror is not None and mirror.cuts == (Decimal(-7), Decimal(-5), Decimal(-3))


@pytest.mark.parametrize("indicator", ["hib-quintiles", "lib-quintiles", "neutral-quintiles"])
def test_a_group_of_one_or_of_ties_is_rank_one_in_the_first_quintile(indicator: str) -> None:
    # A group of one, and six tied values: rank 1 and the first quintile, as the rank says
    # (higher-is-better gave them the worst, Q5).
    one = RULES.rate(_rows(indicator, ["42"]))
    assert _bands(one, indicator) == {"E1": ("Q1", 1)}
    tied = RULES.rate(_rows(indicator, ["3.50"] * 6))
    assert set(_bands(tied, indicator).values()) == {("Q1", 1)}


def test_lower_is_better_and_neutral_are_banded_lowest_first_as_before() -> None:
    # Fingertips' NTILE(5) OVER (ORDER BY Value): 7 values, the first two quintiles hold two.
    values = ["10", "20", "20.0", "30", "40", "50", "60"]
    for indicator in ("lib-quintiles", "neutral-quintiles"):
        report = RULES.rate(_rows(indicator, values))
        assert [s for s, _ in _bands(report, indicator).values()] == [
            "Q1",
            "Q1",
            "Q1",
            "Q2",
            "Q3",
            "Q4",
            "Q5",
        ]
        first = report.result(indicator, area="E1").rank
        assert first is not None and first.cuts == (
            Decimal(20),
            Decimal(30),
            Decimal(40),
            Decimal(50),
        )
    # Higher is better: 60, 50 | 40, 30 | 20 | 20.0 | 10: the extra values go to the best
    # quintiles, and the tied 20.0 to the quintile of the first 20.
    report = RULES.rate(_rows("hib-quintiles", values))
    assert [s for s, _ in _bands(report, "hib-quintiles").values()] == [
        "Q5",
        "Q3",
        "Q3",
        "Q2",
        "Q2",
        "Q1",
        "Q1",
    ]
