"""Significance against a benchmark: the ruleset format, the decision (checked against an
independent statement of it), benchmarks from an area's row or from a column, and what is said
when no comparison can be made."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.engine.result import Interval
from ragrules.engine.significance import decide
from ragrules.model.comparisons import Significance
from ragrules.model.rules import Polarity

TEXT = """
[ruleset]
format = 1
id = "vs-england"
scale = "vs-england"

[benchmarks.england]
area = "E92000001"

[scales.vs-england]
significance = { benchmark = "england" }

[[indicator]]
id = "low"
polarity = "lower-is-better"

[[indicator]]
id = "spread"
polarity = "neutral"
"""
RULES = ragrules.loads(TEXT)
TEST = Significance(benchmark="england", level="95", lower="l", upper="u")


def _row(indicator: str, area: str, value: str, lower: str = "", upper: str = "") -> dict[str, str]:
    return {
        "indicator": indicator,
        "area": area,
        "period": "2024",
        "value": value,
        "Lower CI 95.0 limit": lower,
        "Upper CI 95.0 limit": upper,
    }


ROWS = [
    _row("low", "E92000001", "100", "99", "101"),
    _row("low", "A", "90", "85", "95"),  # wholly below England: better
    _row("low", "B", "98", "90", "100"),  # includes 100 (a limit): similar
    _row("low", "C", "120", "110", "130"),  # wholly above: worse
    _row("low", "D", "120"),  # no interval: not compared
    _row("spread", "E92000001", "50", "49", "51"),
    _row("spread", "A", "60", "55", "65"),  # higher, no judgement
]


def test_an_interval_against_the_england_row() -> None:
    report = RULES.rate(ROWS)
    statuses = {(r.indicator.id, r.area): r.status for r in report.results}
    assert statuses == {
        ("low", "A"): "better",
        ("low", "B"): "similar",
        ("low", "C"): "worse",
        ("low", "D"): "not-compared",
        ("low", "E92000001"): "not-compared",
        ("spread", "A"): "higher",
        ("spread", "B"): "no-data",
        ("spread", "C"): "no-data",
        ("spread", "D"): "no-data",
        ("spread", "E92000001"): "not-compared",
    }
    a = report.result("low", area="A")
    assert (a.target, a.target_source, a.interval) == (
        ragrules.Target.point(Decimal(100)),
        "benchmark england",
        Interval(level="95", lower=Decimal(85), upper=Decimal(95)),
    )
    assert a.reason == "better: the interval 85 to 95 (95%) lies below england's 100"
    assert a.to_dict()["interval"] == {"level": "95", "lower": "85", "upper": "95"}
    assert report.result("low", area="D").reason == (
        "not compared: no 95% confidence interval in the data"
    )


def test_without_the_benchmark_row_nothing_is_compared() -> None:
    report = RULES.rate(ROWS[1:2])
    assert report.result("low", area="A").reason == (
        "not compared: no england row (E92000001) for 2024"
    )


def test_a_benchmark_can_be_a_column_of_the_row() -> None:
    rules = ragrules.loads(
        TEXT.replace('[benchmarks.england]\narea = "E92000001"\n', "").replace(
            'significance = { benchmark = "england" }',
            'significance = { benchmark = "england value", lower = "lo", upper = "hi" }',
        )
    )
    row = {"indicator": "low", "value": "90", "lo": "80", "hi": "99.9", "England value": "100"}
    assert rules.rate([row]).result("low").status == "better"
    assert rules.rate([{**row, "England value": ""}]).result("low").reason == (
        "not compared: the data has no england_value value"
    )


def test_the_key_and_the_canonical_form_say_it() -> None:
    key = str(RULES.rate(ROWS).key)
    assert "Better: The 95% confidence interval lies wholly below the england value." in key
    assert "Not compared: No comparison with the benchmark could be made" in key
    assert ragrules.loads(RULES.canonical_toml) == RULES


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('{ benchmark = "england" }', None),
        ('{ level = "95" }', "a significance test needs a benchmark"),
        ('{ benchmark = "england", level = "90" }', "no interval columns are known for level"),
        ('{ benchmark = "england", statuses = ["a", "b"] }', "expected three statuses"),
    ],
)
def test_the_format_refuses_what_it_cannot_use(change: str, message: str | None) -> None:
    text = TEXT.replace('{ benchmark = "england" }', change)
    if message is None:
        ragrules.loads(text)
        return
    with pytest.raises(ragrules.RulesetError, match=message):
        ragrules.loads(text)


def test_bands_and_a_significance_test_do_not_mix() -> None:
    text = TEXT.replace(
        'significance = { benchmark = "england" }',
        'significance = { benchmark = "england" }\nbands = [{ status = "x" }]',
    )
    with pytest.raises(ragrules.RulesetError, match="one of bands, significance or quantiles"):
        ragrules.loads(text)


def _reference(polarity: Polarity, benchmark: Fraction, lower: Fraction, upper: Fraction) -> str:
    """The rule as Fingertips' documentation states it, on exact fractions."""
    if lower <= benchmark <= upper:
        return "similar"
    above = lower > benchmark
    if polarity is Polarity.NEUTRAL:
        return "higher" if above else "lower"
    good = above if polarity is Polarity.HIGHER else not above
    return "better" if good else "worse"


_decimals = st.decimals(min_value=-1000, max_value=1000, places=6, allow_nan=False)


@given(
    polarity=st.sampled_from([Polarity.HIGHER, Polarity.LOWER, Polarity.NEUTRAL]),
    benchmark=_decimals,
    limits=st.lists(_decimals, min_size=2, max_size=2).map(sorted),
)
def test_the_decision_is_the_published_rule(
    polarity: Polarity, benchmark: Decimal, limits: list[Decimal]
) -> None:
    lower, upper = limits
    status, _ = decide(TEST, polarity, benchmark, Interval(level="95", lower=lower, upper=upper))
    assert status == _reference(polarity, Fraction(benchmark), Fraction(lower), Fraction(upper))


@given(st.lists(st.integers(min_value=50, max_value=150), max_size=6))
def test_adding_areas_changes_no_status_of_the_others(values: list[int]) -> None:
    extra = [_row("low", f"X{n}", str(v), str(v - 5), str(v + 5)) for n, v in enumerate(values)]
    before = {(r.indicator.id, r.area): r.status for r in RULES.rate(ROWS).results}
    after = {(r.indicator.id, r.area): r.status for r in RULES.rate([*ROWS, *extra]).results}
    assert {key: status for key, status in after.items() if not key[1].startswith("X")} == before


def test_verify_says_which_indicators_are_rated_against_other_areas() -> None:
    from ragrules.tools import check_invariants

    (finding,) = check_invariants(RULES, examples=5)
    assert finding.message == (
        "2 of 2 indicators are rated against other areas (significance or quantiles): low, spread"
    )
    assert finding.severity is ragrules.Severity.WARNING
