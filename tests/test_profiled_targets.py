"""Profiled and cumulative targets, rolling twelve months, and targets that do not carry over."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

import ragrules
from ragrules.engine._placing import same_span
from ragrules.engine.canonical import canonical_toml
from ragrules.model.periods import Calendar, PeriodError, parse_period
from ragrules.tools.compare import rule_differences
from tests.conftest import EXAMPLES

RULES = EXAMPLES / "targets" / "profiled-targets.toml"


def _target(indicator: str, period: str, ruleset: ragrules.Ruleset | None = None) -> str | None:
    ruleset = ruleset or ragrules.load(RULES)
    result = ruleset.rate([{"indicator": indicator, "period": period, "value": "1"}])
    found = result.result(indicator)
    return None if found.target is None else str(found.target)


@pytest.mark.parametrize(
    ("indicator", "period", "target"),
    [
        ("homes-completed", "2024/25 Q1", "100"),  # pro rata: a quarter of 400
        ("homes-completed", "2024/25 Q3 YTD", "300"),  # three quarters so far
        ("homes-completed", "2024/25", "400"),
        ("homes-completed", "R12M Nov 2024", "400"),  # a rolling year: the annual target
        ("homes-completed", "Dec 2024 YTD", "300"),  # April to December: 9 of 12 months
        ("leisure-visits", "2024/25 Q1", "20000"),  # 20% of 100,000
        ("leisure-visits", "2024/25 Q4", "30000"),
        ("leisure-visits", "2024/25 Q2 YTD", "45000"),  # 20% + 25%
        ("planning-fee-income", "May 2024", "25000"),  # monthly profile: May's 5% of 500,000
        ("planning-fee-income", "2024/25 Q1", "100000"),  # Apr + May + Jun: 20%
        ("planning-fee-income", "2024/25 Q4 YTD", "500000"),
    ],
)
def test_a_period_gets_its_share_of_the_annual_target(
    indicator: str, period: str, target: str
) -> None:
    assert _target(indicator, period) == target


def test_pro_rata_that_is_not_exact_is_no_target_with_the_reason() -> None:
    ruleset = ragrules.load(RULES)
    result = ruleset.rate([{"indicator": "homes-completed", "period": "Nov 2024", "value": "34"}])
    found = result.result("homes-completed")
    assert found.unrated is ragrules.Unrated.NO_TARGET
    assert "400 does not divide exactly into 12 equal parts" in found.reason


def test_a_quarterly_profile_cannot_serve_months() -> None:
    ruleset = ragrules.load(RULES)
    rows = [{"indicator": "leisure-visits", "period": "Nov 2024", "value": "8000"}]
    found = ruleset.rate(rows).result("leisure-visits")
    assert "the profile gives quarters" in found.reason


def test_a_target_that_does_not_carry_over() -> None:
    assert _target("fixed-penalty-notices", "2023/24 Q4") == "50"
    ruleset = ragrules.load(RULES)
    rows = [{"indicator": "fixed-penalty-notices", "period": "2024/25 Q1", "value": "55"}]
    found = ruleset.rate(rows).result("fixed-penalty-notices")
    assert found.status == "no-target"
    assert "the target from 2023/24 does not carry into 2024/25 Q1's year" in found.reason
    assert _target("fixed-penalty-notices", "2025/26 Q2") == "60"
    # Carried, as before, without target-carries = false.
    text = RULES.read_text(encoding="utf-8").replace("target-carries = false\n", "")
    assert _target("fixed-penalty-notices", "2024/25 Q1", ragrules.loads(text)) == "50"


def test_explain_says_how_a_profiled_target_was_found() -> None:
    ruleset = ragrules.load(RULES)
    rows = [{"indicator": "leisure-visits", "period": "2024/25 Q2 YTD", "value": "44000"}]
    text = str(ruleset.rate(rows).explain("leisure-visits"))
    assert "its share of 100000 a year, seasonal, for 2024/25 Q2 YTD" in text


def test_canonical_toml_and_compare_keep_profiles_and_carrying() -> None:
    ruleset = ragrules.load(RULES)
    again = ragrules.loads(canonical_toml(ruleset))
    assert again.indicators == ruleset.indicators
    text = RULES.read_text(encoding="utf-8").replace("target-carries = false\n", "")
    found = {(d.indicator, d.setting) for d in rule_differences(ruleset, ragrules.loads(text))}
    assert found == {("fixed-penalty-notices", "target-carries")}


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ('["25%", "25%", "25%"]', "a profile is 4 quarters' or 12 months' shares"),
        ('["25%", "25%", "25%", "24%"]', "the shares add up to 99%, not 100%"),
        ('["25%", "25%", "25%", "0.25"]', "is not a percentage"),
        ('"seasnal"', "unknown profile 'seasnal'"),
    ],
)
def test_bad_profiles_are_refused_where_they_are(profile: str, message: str) -> None:
    text = (
        '[ruleset]\nformat = 1\nid = "x"\n[profiles]\nseasonal = ["20%", "25%", "25%", "30%"]\n'
        '[[indicator]]\nid = "a"\nunit = "count"\ntolerance = { relative = "10%" }\n'
        f"target = {{ annual = 400, profile = {profile} }}\n"
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    assert any(message in p.message for p in caught.value.problems), caught.value.problems
    assert all(p.line == 10 for p in caught.value.problems)


def test_a_profiled_range_is_refused() -> None:
    text = (
        '[ruleset]\nformat = 1\nid = "x"\n[[indicator]]\nid = "a"\npolarity = "in-range"\n'
        'target = { annual = 400, profile = "pro-rata" }\ntolerance = { absolute = 1 }\n'
    )
    with pytest.raises(ragrules.RulesetError, match="an in-range target is a range"):
        ragrules.loads(text)


@pytest.mark.parametrize(
    ("text", "shown", "previous", "last_year"),
    [
        ("R12M Nov 2024", "R12M 2024-11", "R12M 2024-10", "R12M 2023-11"),
        ("Rolling 12 months to Nov 2024", "R12M 2024-11", "R12M 2024-10", "R12M 2023-11"),
        ("12 months to 2024/25 Q2", "R12M 2024/25 Q2", "R12M 2024/25 Q1", "R12M 2023/24 Q2"),
    ],
)
def test_rolling_twelve_months(text: str, shown: str, previous: str, last_year: str) -> None:
    period = parse_period(text)
    assert period.rolling and not period.ytd
    assert str(period) == shown
    assert parse_period(shown) == period
    assert str(period.previous()) == previous
    assert str(period.same_period_last_year()) == last_year
    # Not the month or quarter it ends with: a series of its own.
    assert period != attrs.evolve(period, rolling=False)
    assert same_span(period, attrs.evolve(period, rolling=False)) is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("R12M 2024/25", "a year is twelve months already"),
        ("R12M Nov 2024 YTD", "both rolling and year to date"),
    ],
)
def test_rolling_periods_refused(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period(text, Calendar.FINANCIAL)


def test_rolling_values_are_compared_with_rolling_values() -> None:
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "r"\n[travel.comparisons]\n'
        'short = { against = "previous-period" }\n[[indicator]]\nid = "a"\ntarget = 10\n'
        "tolerance = { absolute = 1 }\n"
    )
    rows = [
        {"indicator": "a", "period": "R12M Oct 2024", "value": "8"},
        {"indicator": "a", "period": "Oct 2024", "value": "20"},
        {"indicator": "a", "period": "R12M Nov 2024", "value": "9"},
    ]
    move = ruleset.rate(rows, period="R12M Nov 2024").result("a").travel[0]
    assert (move.earlier, move.direction.value) == (Decimal(8), "up")


@pytest.mark.parametrize(
    "target",
    [
        '{ annual = 100, profile = ["0%", "30%", "30%", "40%"] }',
        '{ annual = -100, profile = "pro-rata" }',
        '[{ value = 5 }, { from = "2025/26", annual = 0, profile = "pro-rata" }]',
    ],
)
def test_a_ratio_band_refuses_a_profile_that_gives_no_target_above_zero(target: str) -> None:
    """As a fixed target of zero is refused for a ratio band, so is a profile that puts one
    in force for some period (a 0% quarter, an annual target of zero or less)."""
    text = (
        '[ruleset]\nformat = 1\nid = "r"\n[scales.ratio]\nbands = [{ status = "green", '
        'from = { ratio = "100%" } }, { status = "red" }]\n'
        f'[[indicator]]\nid = "a"\nunit = "count"\nscale = "ratio"\ntarget = {target}\n'
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    (problem,) = caught.value.problems
    assert problem.key == "indicator[0].target"
    assert "gives some period a target of zero or less" in problem.message
    fine = text.replace('"0%", "30%"', '"10%", "20%"').replace("-100", "100")
    fine = fine.replace("annual = 0,", "annual = 8,")
    assert ragrules.loads(fine).indicators[0].id == "a"
