"""Polarity, scale and thresholds with effective dates: each row rated with its period's."""

from __future__ import annotations

import io

import pytest

import ragrules
from ragrules.data import iter_csv
from ragrules.engine.canonical import canonical_toml
from ragrules.reports.compiled import rate_csv_stream
from ragrules.stream import write_stream
from ragrules.tools.compare import rule_differences
from tests.conftest import EXAMPLES

RULES = EXAMPLES / "dated" / "kent-in-year-changes.toml"
DATA = EXAMPLES / "dated" / "kent-in-year-changes-2024-25.csv"


def _rate(indicator: str, period: str, value: str) -> ragrules.Result:
    ruleset = ragrules.load(RULES)
    return ruleset.rate([{"indicator": indicator, "period": period, "value": value}]).result(
        indicator
    )


@pytest.mark.parametrize(
    ("indicator", "period", "status", "polarity"),
    [
        # 67% meets the 65% floor in Q2, and misses the 70% floor from Q3.
        ("care-leavers-in-education", "2024/25 Q2", "amber", "higher-is-better"),
        ("care-leavers-in-education", "2024/25 Q3", "red", "higher-is-better"),
        # Rated until Q3, for information from then.
        ("library-visits", "2024/25 Q2", "amber", "higher-is-better"),
        ("library-visits", "2024/25 Q3", "neutral", "neutral"),
        ("library-visits", "2025/26 Q1", "neutral", "neutral"),
    ],
)
def test_each_period_gets_its_settings(
    indicator: str, period: str, status: str, polarity: str
) -> None:
    value = {"care-leavers-in-education": "67%", "library-visits": "26000"}[indicator]
    result = _rate(indicator, period, value)
    assert (result.status, result.indicator.polarity.value) == (status, polarity)
    assert result.to_dict()["polarity"] == polarity


def test_the_key_describes_the_report_periods_settings() -> None:
    ruleset = ragrules.load(RULES)
    rows = [r for r in ragrules.read_observations(DATA) if isinstance(r, ragrules.Observation)]
    q2 = [r for r in rows if r.period.endswith("Q2")]
    assert len(ruleset.rate(q2).key.statuses) == 3
    q3 = ruleset.rate(rows)  # the latest period, Q3: library visits are neutral
    assert str(q3.period) == "2024/25 Q3"
    assert q3.summary.to_dict()["unrated"] == {"neutral": 1}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_compiled_stream_rates_with_each_periods_settings(fmt: str) -> None:
    ruleset = ragrules.load(RULES)
    fast, slow = io.StringIO(), io.StringIO()
    rate_csv_stream(ruleset, DATA, fast, fmt)
    write_stream(ruleset.iter_rate(iter_csv(DATA)), ruleset, slow, fmt)
    assert fast.getvalue() == slow.getvalue()


def test_canonical_toml_and_compare_keep_dated_settings() -> None:
    ruleset = ragrules.load(RULES)
    again = ragrules.loads(canonical_toml(ruleset))
    assert again.indicators == ruleset.indicators
    changed = RULES.read_text(encoding="utf-8").replace('floor = "70%"', 'floor = "72%"')
    found = [(d.indicator, d.setting) for d in rule_differences(ruleset, ragrules.loads(changed))]
    assert found == [("care-leavers-in-education", "thresholds")]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('scale = [{ from = "2024/25", value = "flor" }]', "unknown scale 'flor'"),
        ('polarity = [{ from = "2024/25", valeu = "neutral" }]', "unknown key 'valeu'"),
        ('polarity = [{ from = "2024/25", value = "sideways" }]', "'sideways' is not a valid"),
    ],
)
def test_dated_settings_are_checked_where_they_are(setting: str, message: str) -> None:
    text = (
        '[ruleset]\nformat = 1\nid = "x"\n[scales.floor]\nbands = [{ status = "g", '
        'from = "target" }, { status = "r" }]\n[[indicator]]\nid = "a"\ntarget = 1\n'
        f"tolerance = {{ absolute = 1 }}\n{setting}\n"
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    assert any(message in p.message for p in caught.value.problems), caught.value.problems
    assert all(p.line == 10 for p in caught.value.problems)


def test_every_periods_combination_is_checked_at_load() -> None:
    """A floor above the target from Q3 leaves amber empty then: refused, like any other."""
    text = RULES.read_text(encoding="utf-8").replace('floor = "70%"', 'floor = "85%"')
    with pytest.raises(ragrules.RulesetError, match="band 'amber' of scale 'floor' can never"):
        ragrules.loads(text)


def test_a_dated_setting_that_changes_nothing_makes_one_version() -> None:
    """A scale dated from a period on, with nothing before it, is the indicator's only
    scale: one version (whose checks run once), not an undated copy beside it."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "v"\n'
        '[[indicator]]\nid = "a"\ntarget = 10\ntolerance = { absolute = 1 }\n'
        'scale = [{ from = "2022/23 Q1", value = "rag" }]\n'
    )
    (indicator,) = ruleset.indicators
    assert len(indicator.versions) == 1


@pytest.mark.parametrize("in_range", [False, True])
@pytest.mark.parametrize("order", ["dated first", "undated first"])
def test_a_dated_entry_without_a_threshold_is_named_where_it_is(in_range: bool, order: str) -> None:
    """The entry in force from Q3 lacks the threshold the scale needs: the problem is at that
    entry's line, not the indicator's (which entry, however the array is ordered)."""
    wide = "{ lower = 1, upper = 9 }" if in_range else "5"
    entries = [f'  {{ from = "2024/25 Q3", narrow = {wide} }},\n', f"  {{ wide = {wide} }},\n"]
    if order == "undated first":
        entries.reverse()
    target = "target = { lower = 2, upper = 8 }" if in_range else "target = 10"
    text = (
        '[ruleset]\nformat = 1\nid = "x"\n[scales.banded]\nbands = [{ status = "green", '
        'from = "target" }, { status = "amber", from = { threshold = "wide" } }, '
        '{ status = "red" }]\n[[indicator]]\nid = "a"\n'
        f'polarity = "{"in-range" if in_range else "higher-is-better"}"\nscale = "banded"\n'
        f"{target}\nthresholds = [\n{''.join(entries)}]\n"
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text, source="r.toml")
    (problem,) = caught.value.problems
    index = 0 if order == "dated first" else 1
    assert (problem.key, problem.line) == (f"indicator[0].thresholds[{index}]", 12 + index)
    assert "needs the threshold 'wide'" in problem.message


def test_the_entry_named_is_the_one_in_force_where_the_threshold_is_needed() -> None:
    """Two entries with the same thresholds: the one in force when the scale that needs
    `wide` applies (from Q1) is named, not the first written (in force under a plain scale)."""
    text = (
        '[ruleset]\nformat = 1\nid = "x"\n[scales.banded]\nbands = [{ status = "green", '
        'from = "target" }, { status = "amber", from = { threshold = "wide" } }, '
        '{ status = "red" }]\n[scales.plain]\nbands = [{ status = "green", from = "target" }, '
        '{ status = "red" }]\n[[indicator]]\nid = "a"\n'
        'scale = [{ value = "plain" }, { from = "2024/25 Q1", value = "banded" }]\n'
        "target = 10\nthresholds = [\n  { narrow = 3 },\n"
        '  { from = "2024/25 Q1", narrow = 3 },\n]\n'
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text, source="r.toml")
    (problem,) = caught.value.problems
    assert (problem.key, problem.line) == ("indicator[0].thresholds[1]", 14)


@pytest.mark.parametrize(
    ("first", "second"), [("2021/22", "Apr 2021"), ("2021/22", "2021/22 Q1"), ("2021", "2021 Q1")]
)
def test_two_entries_starting_in_one_month_are_refused(first: str, second: str) -> None:
    """Written either way round they would be in force in the order written: refused."""
    head = '[ruleset]\nformat = 1\nid = "t"\n[[indicator]]\nid = "a"\nunit = "percent"\n'
    head += 'tolerance = { relative = "5%" }\n'
    for a, b in ((first, second), (second, first)):
        with pytest.raises(ragrules.RulesetError, match="two entries start in the same month"):
            ragrules.loads(
                head
                + f'target = [{{ from = "{a}", value = 70 }}, {{ from = "{b}", value = 80 }}]\n'
            )


def test_an_unreadable_from_is_one_problem_not_also_an_undated_entry() -> None:
    head = '[ruleset]\nformat = 1\nid = "t"\n[[indicator]]\nid = "a"\nunit = "percent"\n'
    head += 'tolerance = { relative = "5%" }\n'
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(head + 'target = [{ value = 60 }, { from = "2020/21 Q5", value = 80 }]\n')
    (problem,) = caught.value.problems
    assert problem.key == "indicator[0].target[1].from"


@pytest.mark.parametrize("key", ["target", "tolerance", "stretch"])
def test_an_empty_list_of_entries_is_refused_where_it_is(key: str) -> None:
    """`target = []` put no target in force for any period: every row `no-target`, unsaid."""
    settings = {"target": "1", "tolerance": "{ absolute = 1 }", key: "[]"}
    body = "".join(f"{name} = {value}\n" for name, value in settings.items())
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(f'[ruleset]\nformat = 1\nid = "x"\n[[indicator]]\nid = "a"\n{body}')
    (problem,) = caught.value.problems
    assert problem.key == f"indicator[0].{key}"
    assert problem.message == "an empty list of dated entries"
