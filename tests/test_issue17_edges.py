"""Edges where the issue-17 features meet each other: dated scales in roll-ups, version
identity, forecasts and the row's own target, calendar quarters in a financial ruleset,
rolling periods beside monthly ones, wide rows, empty dated lists, diff, and status words."""

from __future__ import annotations

import pytest

import ragrules
from ragrules.data import parse_csv
from ragrules.tools.compare import rule_differences

HEAD = '[ruleset]\nformat = 1\nid = "e"\n'


def test_a_rollup_member_whose_scale_changes_can_be_any_of_its_statuses() -> None:
    ruleset = ragrules.loads(
        HEAD + '[[indicator]]\nid = "a"\ntarget = 100\ntolerance = { absolute = 5 }\n'
        'stretch = { absolute = 50 }\nscale = [{ value = "rag" }, { from = "2024/25 Q3", '
        'value = "brag" }]\n[[rollup]]\nid = "s"\nmembers = ["a"]\nrule = "score"\n'
        "points = { blue = 4, green = 3, amber = 2, red = 1 }\n"
        'bands = [{ status = "good", at-least = 3 }, { status = "poor" }]\n'
    )
    report = ruleset.rate([{"indicator": "a", "period": "2024/25 Q3", "value": "200"}])
    assert report.result("a").status == "blue"
    assert report.rollup("s").status == "good"


def test_a_version_is_one_object_per_combination_of_entries() -> None:
    ruleset = ragrules.loads(
        HEAD + '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { absolute = 1 }\n'
        'stretch = { absolute = 1 }\nscale = [{ value = "rag" }, '
        '{ from = "2020-01", value = "brag" }]\n'
    )
    indicator = ruleset.indicators[0]
    months = [
        ragrules.parse_period(f"{year}-{month:02d}")
        for year in range(1990, 2031)
        for month in range(1, 13)
    ]
    versions = {id(indicator.at(month)) for month in months}
    assert len(versions) == 2  # whatever the number of periods: ids stay valid cache keys
    assert indicator.at(months[-1]).scale.name == "brag"


def test_a_forecast_takes_the_year_ends_target_and_settings_not_the_rows() -> None:
    ruleset = ragrules.loads(
        HEAD + '[scales.floor]\nbands = [{ status = "green", from = "target" }, { status = '
        '"amber", from = { threshold = "floor" } }, { status = "red" }]\n[[indicator]]\n'
        'id = "a"\nscale = "floor"\n'
        'target = [{ value = 50 }, { from = "2024/25 Q4", value = 100 }]\n'
        'thresholds = [{ floor = 40 }, { from = "2024/25 Q4", floor = 45 }]\nforecast = {}\n'
    )

    def forecast(value: str) -> tuple[str, str]:
        row = {"indicator": "a", "period": "2024/25 Q2", "value": "60", "target": "50"}
        found = ruleset.rate([{**row, "forecast": value}]).result("a").forecast
        assert found is not None
        return str(found.target), found.status

    assert forecast("60") == ("100", "amber")  # the year end's 100, not the row's own 50
    assert forecast("42") == ("100", "red")  # below the year end's floor of 45 (Q2's is 40)


def test_calendar_quarters_in_a_financial_ruleset() -> None:
    ruleset = ragrules.loads(
        HEAD + '[[indicator]]\nid = "a"\nunit = "count"\ntolerance = { relative = "10%" }\n'
        'target = { annual = 1000, profile = ["10%", "20%", "30%", "40%"] }\n'
    )
    # 2025 Q1 (January to March 2025) is the financial year's fourth quarter.
    result = ruleset.rate([{"indicator": "a", "period": "2025 Q1", "value": "400"}]).result("a")
    assert str(result.target) == "400"
    assert str(ragrules.parse_period("2024 Q2").year_end(ragrules.Calendar.FINANCIAL)) == "2025 Q1"


def test_a_rolling_year_and_its_last_month_are_two_series() -> None:
    ruleset = ragrules.loads(
        HEAD + '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { absolute = 1 }\n'
    )
    rows = [
        {"indicator": "a", "period": "Nov 2024", "value": "100"},
        {"indicator": "a", "period": "R12M Nov 2024", "value": "1200"},
    ]
    report = ruleset.rate(rows, period="R12M Nov 2024")
    assert report.rejected == ()
    assert report.result("a").value_text == "1200"


def test_an_earlier_value_on_a_wide_row_does_not_take_the_rows_override_or_counts() -> None:
    rows = parse_csv(
        "indicator,period,value,previous,override,numerator\na,2024/25 Q2,95,150,Red,20\n"
    )
    earlier = [o for o in rows if isinstance(o, ragrules.Observation) and o.period != "2024/25 Q2"]
    assert earlier and all(
        o.column("override") == "" and o.column("numerator") == "" for o in earlier
    )


@pytest.mark.parametrize("setting", ["scale = []", "polarity = []", "thresholds = []"])
def test_an_empty_list_of_dated_entries_is_refused(setting: str) -> None:
    text = (
        HEAD + f'[[indicator]]\nid = "a"\ntarget = 1\ntolerance = {{ absolute = 1 }}\n{setting}\n'
    )
    with pytest.raises(ragrules.RulesetError, match="an empty list of dated entries"):
        ragrules.loads(text)


def test_diff_sees_a_changed_scale() -> None:
    text = (
        HEAD + '[scales.floor]\nbands = [{ status = "green", from = "target" }, { status = '
        '"amber", from = { threshold = "floor" } }, { status = "red" }]\n[[indicator]]\nid = "a"\n'
        "target = 10\nthresholds = { floor = 5 }\n"
        'scale = [{ value = "rag" }, { from = "2024/25", value = "floor" }]\n'
        "tolerance = { absolute = 1 }\n"
    )
    changed = text.replace(
        '{ status = "amber", from = { threshold = "floor" } }',
        '{ status = "amber", from = "tolerance" }',
    )
    found = [d.setting for d in rule_differences(ragrules.loads(text), ragrules.loads(changed))]
    assert "scales" in found


def test_words_for_a_forecasts_scale_and_a_rollups_bands() -> None:
    ruleset = ragrules.loads(
        HEAD + '[scales.delivery]\nbands = [{ status = "on-track", from = "target" }, { status = '
        '"off-track" }]\n[statuses.on-track]\nlabel = "On track"\n[statuses.good]\nlabel = "Good"\n'
        '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { absolute = 1 }\n'
        'forecast = { scale = "delivery" }\n[[rollup]]\nid = "r"\nmembers = ["a"]\nrule = "share"\n'
        'counting = ["green"]\n'
        'bands = [{ status = "good", at-least = "50%" }, { status = "poor" }]\n'
    )
    assert ruleset.label("on-track") == "On track" and ruleset.label("good") == "Good"


def test_a_word_cannot_be_another_statuss_name() -> None:
    text = (
        HEAD + '[statuses.green]\nlabel = "Amber"\n[[indicator]]\nid = "a"\ntarget = 1\n'
        "tolerance = { absolute = 1 }\n"
    )
    with pytest.raises(ragrules.RulesetError, match="'Amber' is the name of the status 'amber'"):
        ragrules.loads(text)
