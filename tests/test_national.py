"""The national cases (../shared/national/): every area rated against England and against its
region exactly as Fingertips published it."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

import ragrules

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "rulesets" / "examples" / "national"
# The export, copied unchanged from ../shared/national beside the rulesets that rate it.
CAMPYLOBACTER = EXAMPLES / "fingertips_campylobacter_countyua_2015-2017.csv"
SHARED = ROOT.parent / "shared" / "national" / CAMPYLOBACTER.name


def test_the_copy_is_the_shared_export_unchanged() -> None:
    if not SHARED.exists():
        pytest.skip("../shared/national is not beside this checkout")
    assert CAMPYLOBACTER.read_bytes() == SHARED.read_bytes()


# The published column, and the ruleset that must reproduce it.
CASES = [
    ("Compared to England value or percentiles", "campylobacter-vs-england.toml"),
    ("Compared to Region value or percentiles", "campylobacter-vs-region.toml"),
]


def _computed_and_published(column: str, ruleset: str) -> list[tuple[str, str, str]]:
    """(published, computed, limits) for every row, each year rated as the report period."""
    rules = ragrules.load(EXAMPLES / ruleset)
    rows = ragrules.read_observations(CAMPYLOBACTER)
    found = []
    for year in ("2015", "2016", "2017"):
        report = rules.rate(rows, period=year)
        by_row = {r.row: r for r in report.results if r.row is not None}
        for row in rows:
            assert isinstance(row, ragrules.Observation)
            if row.period != year:
                continue
            assert row.row is not None
            result = by_row[row.row]
            computed = "Not compared" if result.unrated else result.status
            found.append((row.column(column), computed, row.column("Lower CI 95.0 limit")))
    return found


@pytest.mark.parametrize(("column", "ruleset"), CASES)
def test_every_row_with_confidence_limits_is_classified_as_published(
    column: str, ruleset: str
) -> None:
    found = _computed_and_published(column, ruleset)
    assert len(found) == 852  # every row of the file, each rated in its own year
    with_limits = [(published, computed) for published, computed, limits in found if limits]
    wrong = [pair for pair in with_limits if pair[0] != pair[1]]
    assert not wrong, Counter(wrong)
    assert len(with_limits) == 755  # 750 compared with England; England's own 5 are not


def test_the_published_totals_against_england() -> None:
    found = _computed_and_published(*CASES[0])
    assert Counter(computed for _, computed, _ in found) == {
        "Better": 283,
        "Similar": 220,
        "Worse": 247,
        "Not compared": 102,
    }


def test_rows_without_a_comparison_say_why() -> None:
    rules = ragrules.load(EXAMPLES / "campylobacter-vs-england.toml")
    report = rules.rate(ragrules.read_observations(CAMPYLOBACTER), period="2017")
    england = report.result(
        "93356",
        area="E92000001",
        breakdown={"sex": "Persons", "age": "All ages", "category_type": "", "category": ""},
    )
    assert england.reason == "not compared: this is the england row"
    reasons = Counter(r.reason for r in report.results if r.status == "not-compared")
    assert reasons["not compared: no 95% confidence interval in the data"] > 0


def test_explain_names_the_benchmark_and_the_interval() -> None:
    rules = ragrules.load(EXAMPLES / "campylobacter-vs-england.toml")
    report = rules.rate(ragrules.read_observations(CAMPYLOBACTER), period="2017")
    better = next(r for r in report.results if r.status == "Better")
    text = str(report.explain("93356", area=better.area, breakdown=dict(better.breakdown)))
    assert "from the england benchmark; lower is better." in text
    assert "(95%) lies below england's" in text
    assert "So Better." in text


MORTALITY = EXAMPLES / "trafford_u75_preventable_mortality_ltla_2014-2024.csv"


def test_the_mortality_copy_is_the_shared_extract_unchanged() -> None:
    shared = ROOT.parent / "shared" / "national" / MORTALITY.name
    if not shared.exists():
        pytest.skip("../shared/national is not beside this checkout")
    assert MORTALITY.read_bytes() == shared.read_bytes()


def test_every_decidable_comparison_with_england_is_as_published() -> None:
    """Without confidence limits "Similar" cannot be decided; the side of England can, and
    every area published Better is below England and every one published Worse above it."""
    rules = ragrules.load(EXAMPLES / "u75-preventable-mortality.toml")
    rows = ragrules.read_observations(MORTALITY)
    decided: Counter[tuple[str, str]] = Counter()
    for year in range(2014, 2025):
        report = rules.rate(rows, period=str(year))
        assert not report.rejected
        for result in report.results:
            published = dict(result.columns).get("compared_to_england")
            if published in ("Better", "Worse"):
                decided[(published, result.status)] += 1
    assert decided == {("Better", "below England"): 3009, ("Worse", "above England"): 2249}


def test_direction_of_travel_follows_each_authority_and_sex() -> None:
    rules = ragrules.load(EXAMPLES / "u75-preventable-mortality.toml")
    rows = ragrules.read_observations(MORTALITY)
    published = {}
    for row in rows:
        assert isinstance(row, ragrules.Observation)
        if row.value not in ("", "NA"):
            published[(row.area, row.column("unit"), int(row.period))] = Fraction(row.value)
    compared = 0
    for year in (2015, 2020, 2024):
        for result in rules.rate(rows, period=str(year)).results:
            if result.row is None:
                continue
            sex = dict(result.breakdown)["unit"]
            now = published.get((result.area, sex, year))
            before = published.get((result.area, sex, year - 1))
            (move,) = result.travel
            if now is None or before is None:
                assert not move.comparable
                continue
            expected = "up" if now > before else "down" if now < before else "unchanged"
            assert move.direction.value == expected, (result.area, sex, year)
            compared += 1
    assert compared > 2500


def test_a_stream_follows_each_series_in_a_file_sorted_by_area() -> None:
    """The extract is sorted by area, then year, with the sexes in between: every row's
    travel in a stream is what the whole file's report gives, in constant memory."""
    rules = ragrules.load(EXAMPLES / "u75-preventable-mortality.toml")
    rows = ragrules.read_observations(MORTALITY)
    streamed = {
        (item.area, dict(item.breakdown)["unit"], str(item.period)): item.travel[0].direction
        for item in rules.iter_rate(rows)
        if isinstance(item, ragrules.Result)
    }
    assert len(streamed) == len(rows)
    for year in ("2016", "2024"):
        for result in rules.rate(rows, period=year).results:
            if result.row is not None:
                key = (result.area, dict(result.breakdown)["unit"], year)
                assert streamed[key] is result.travel[0].direction, key


def test_byar_intervals_from_counts_classify_as_the_published_limits_do() -> None:
    """Computing each interval from Count and Denominator (Byar's method, in decimal) gives
    every row with limits the classification Fingertips published."""
    text = (EXAMPLES / "campylobacter-vs-england.toml").read_text(encoding="utf-8")
    rules = ragrules.loads(
        text.replace('level = "95",', 'level = "95", method = "byar", multiplier = 100000,')
    )
    assert rules.indicators[0].scale.significance is not None
    assert rules.indicators[0].scale.significance.method == "byar"
    rows = ragrules.read_observations(CAMPYLOBACTER)
    wrong, checked = [], 0
    for year in ("2015", "2016", "2017"):
        for result in rules.rate(rows, period=year).results:
            published = dict(result.columns).get("compared_to_england_value_or_percentiles")
            if result.row is None or not dict(result.columns).get("lower_ci_95.0_limit"):
                continue
            checked += 1
            computed = "Not compared" if result.unrated else result.status
            if computed != published:
                wrong.append((result.area, year, published, computed))
    assert checked == 755
    assert not wrong
