"""Every band variant of CONVENTIONS.md "Bands", as a shipped example ruleset rated at its edges.

Each test loads one ruleset from rulesets/examples/bands/ and rates values exactly on every
boundary and just either side of it, through the public API only. A value written exactly on
a boundary belongs to the better band unless the scale says `boundary = "worse"`.
"""

from __future__ import annotations

import functools

import pytest

import ragrules
from tests.conftest import EXAMPLES

BANDS = EXAMPLES / "bands"


@functools.cache
def _load(name: str) -> ragrules.Ruleset:
    return ragrules.load(BANDS / name)


def _status(name: str, indicator: str, value: object, period: str = "2020/21") -> str:
    """The status the named example ruleset gives one value of one indicator in one period."""
    report = _load(name).rate([{"indicator": indicator, "period": period, "value": value}])
    index = [result.indicator.id for result in report.results].index(indicator)
    return report.results[index].status


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("resident-satisfaction", "80.01", "green"),
        ("resident-satisfaction", "80", "green"),
        ("resident-satisfaction", "79.99", "amber"),
        ("resident-satisfaction", "76", "amber"),
        ("resident-satisfaction", "75.99", "red"),
        ("benefit-claim-days", "19.99", "green"),
        ("benefit-claim-days", "20", "green"),
        ("benefit-claim-days", "20.01", "amber"),
        ("benefit-claim-days", "22", "amber"),
        ("benefit-claim-days", "22.01", "red"),
        ("foster-placements-found", "27", "green"),
        ("foster-placements-found", "26", "green"),
        ("foster-placements-found", "25.99", "amber"),
        ("foster-placements-found", "23.4", "amber"),
        ("foster-placements-found", "23.39", "red"),
    ],
)
def test_tolerance_relative_to_target(indicator: str, value: str, expected: str) -> None:
    """Relative tolerance: green at/beyond target, amber within a fraction of it, red beyond."""
    assert _status("tolerance-relative-reigate-banstead.toml", indicator, value) == expected


def test_tolerance_relative_float_value_on_boundary() -> None:
    """A Python float 23.4 on the exact amber floor 26 x 90% is amber, never red."""
    assert _status("tolerance-relative-reigate-banstead.toml", "foster-placements-found", 23.4) == (
        "amber"
    )


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("ehc-plans-20-weeks", "72.01", "green"),
        ("ehc-plans-20-weeks", "72", "green"),
        ("ehc-plans-20-weeks", "71.99", "amber"),
        ("ehc-plans-20-weeks", "67", "amber"),
        ("ehc-plans-20-weeks", "66.99", "red"),
        ("adoption-wait-weeks", "25.99", "green"),
        ("adoption-wait-weeks", "26", "green"),
        ("adoption-wait-weeks", "182 days", "green"),
        ("adoption-wait-weeks", "26.01", "amber"),
        ("adoption-wait-weeks", "28", "amber"),
        ("adoption-wait-weeks", "196 days", "amber"),
        ("adoption-wait-weeks", "28.01", "red"),
        ("adoption-wait-weeks", "197 days", "red"),
    ],
)
def test_tolerance_in_absolute_units(indicator: str, value: str, expected: str) -> None:
    """Absolute tolerance: amber within 5 percentage points or 14 days (2 weeks) of target."""
    assert _status("tolerance-absolute-points-scientrix.toml", indicator, value) == expected


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("ehc-plans-20-weeks", "68", "amber"),
        ("ehc-plans-20-weeks-relative", "68", "red"),
        ("ehc-plans-20-weeks-relative", "68.4", "amber"),
        ("ehc-plans-20-weeks-relative", "68.39", "red"),
    ],
)
def test_tolerance_points_versus_relative(indicator: str, value: str, expected: str) -> None:
    """'5%' as points (floor 67) and as 5% of a 72% target (floor 68.4) rate 68 differently."""
    assert _status("tolerance-absolute-points-scientrix.toml", indicator, value) == expected


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("household-waste-recycled", "44.01", "star"),
        ("household-waste-recycled", "44", "green"),
        ("household-waste-recycled", "43.99", "green"),
        ("household-waste-recycled", "40", "green"),
        ("household-waste-recycled", "36.01", "green"),
        ("household-waste-recycled", "36", "green"),
        ("household-waste-recycled", "35.99", "red"),
        ("days-to-relet", "21.99", "star"),
        ("days-to-relet", "22", "green"),
        ("days-to-relet", "22.01", "green"),
        ("days-to-relet", "25", "green"),
        ("days-to-relet", "27.99", "green"),
        ("days-to-relet", "28", "green"),
        ("days-to-relet", "28.01", "red"),
    ],
)
def test_green_within_tolerance_either_side(indicator: str, value: str, expected: str) -> None:
    """On or within tolerance either side of target is green; beyond it on the good side, star."""
    assert _status("green-either-side-havering-2013-15.toml", indicator, value) == expected


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("care-assessments-in-time", "90.01", "green"),
        ("care-assessments-in-time", "90", "green"),
        ("care-assessments-in-time", "89.99", "amber"),
        ("care-assessments-in-time", "80", "amber"),
        ("care-assessments-in-time", "79.99", "red"),
        ("agency-social-workers", "14.99", "green"),
        ("agency-social-workers", "15", "green"),
        ("agency-social-workers", "15.01", "amber"),
        ("agency-social-workers", "25", "amber"),
        ("agency-social-workers", "25.01", "red"),
    ],
)
def test_target_plus_floor_standard(indicator: str, value: str, expected: str) -> None:
    """Kent: green meets the target, amber meets only the floor standard, red misses the floor."""
    assert _status("kent-floor-standard.toml", indicator, value) == expected


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("affordable-homes-delivered", "89", "super-green"),
        ("affordable-homes-delivered", "88", "super-green"),
        ("affordable-homes-delivered", "87", "green"),
        ("affordable-homes-delivered", "80", "green"),
        ("affordable-homes-delivered", "79", "amber"),
        ("affordable-homes-delivered", "72", "amber"),
        ("affordable-homes-delivered", "71", "red"),
    ],
)
def test_ratio_to_target_higher_is_better(indicator: str, value: str, expected: str) -> None:
    """Actual / target >= 110% is super green, >= 100% green, >= 90% amber, else red."""
    assert _status("ratio-camms-metronome.toml", indicator, value) == expected


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("missed-bin-collections", "89.9", "super-green"),
        ("missed-bin-collections", "90", "super-green"),
        ("missed-bin-collections", "90.1", "green"),
        ("missed-bin-collections", "99", "green"),
        ("missed-bin-collections", "99.1", "amber"),
        ("missed-bin-collections", "110", "amber"),
        ("missed-bin-collections", "110.1", "red"),
        ("days-lost-to-sickness", "18.18", "super-green"),
        ("days-lost-to-sickness", "18.19", "green"),
        ("days-lost-to-sickness", "20", "green"),
        ("days-lost-to-sickness", "20.01", "amber"),
        ("days-lost-to-sickness", "22.22", "amber"),
        ("days-lost-to-sickness", "22.23", "red"),
    ],
)
def test_ratio_to_target_lower_is_better(indicator: str, value: str, expected: str) -> None:
    """Target / actual >= 110% is super green (actual <= 90 for 99), even when 20/1.1 recurs."""
    assert _status("ratio-camms-metronome.toml", indicator, value) == expected


def test_thresholds_only_ruleset_loads_without_targets() -> None:
    """The loader accepts threshold-only indicators with no target, without a warning."""
    ruleset = _load("thresholds-only-spider-impact.toml")
    assert not ruleset.warnings
    assert all(indicator.target is None for indicator in ruleset.indicators)


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("calls-answered-in-time", "75.01", "green"),
        ("calls-answered-in-time", "75", "green"),
        ("calls-answered-in-time", "74.99", "amber"),
        ("calls-answered-in-time", "50", "amber"),
        ("calls-answered-in-time", "49.99", "red"),
        ("complaints-escalated", "4", "green"),
        ("complaints-escalated", "5", "green"),
        ("complaints-escalated", "6", "amber"),
        ("complaints-escalated", "10", "amber"),
        ("complaints-escalated", "11", "red"),
    ],
)
def test_absolute_cut_points_without_target(indicator: str, value: str, expected: str) -> None:
    """Spider Impact: fixed goal and warning cut-points rate a value that has no target."""
    assert _status("thresholds-only-spider-impact.toml", indicator, value) == expected


def test_thresholds_in_the_wrong_order_are_caught_without_a_target() -> None:
    """Reachability is checked for threshold-only scales too: fair above good is an error."""
    text = (EXAMPLES / "bands" / "thresholds-only-spider-impact.toml").read_text(encoding="utf-8")
    swapped = text.replace('goal = "75%", warning = "50%"', 'goal = "50%", warning = "75%"')
    assert swapped != text
    with pytest.raises(ragrules.RulesetError, match="can never be assigned"):
        ragrules.loads(swapped)


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("visits-to-libraries", "220.01", "blue"),
        ("visits-to-libraries", "220", "blue"),
        ("visits-to-libraries", "219.99", "dark-green"),
        ("visits-to-libraries", "200", "dark-green"),
        ("visits-to-libraries", "199.99", "green"),
        ("visits-to-libraries", "190", "green"),
        ("visits-to-libraries", "189.99", "amber"),
        ("visits-to-libraries", "170", "amber"),
        ("visits-to-libraries", "169.99", "red"),
        ("days-to-pay-invoices", "44.99", "blue"),
        ("days-to-pay-invoices", "45", "blue"),
        ("days-to-pay-invoices", "45.01", "dark-green"),
        ("days-to-pay-invoices", "50", "dark-green"),
        ("days-to-pay-invoices", "50.01", "green"),
        ("days-to-pay-invoices", "52.5", "green"),
        ("days-to-pay-invoices", "52.51", "amber"),
        ("days-to-pay-invoices", "60", "amber"),
        ("days-to-pay-invoices", "60.01", "red"),
    ],
)
def test_five_named_levels(indicator: str, value: str, expected: str) -> None:
    """Blue beats the stretch, dark green meets target, green is within 5%, then amber, red."""
    assert _status("five-levels-escendency.toml", indicator, value) == expected


def test_five_named_levels_in_summary_order() -> None:
    """The summary counts the ruleset's own five statuses, best first."""
    report = _load("five-levels-escendency.toml").rate(
        [
            {"indicator": "visits-to-libraries", "period": "2020/21", "value": "195"},
            {"indicator": "days-to-pay-invoices", "period": "2020/21", "value": "55"},
        ]
    )
    assert [status for status, _ in report.summary.counts] == [
        "blue",
        "dark-green",
        "green",
        "amber",
        "red",
    ]
    assert dict(report.summary.counts) == {
        "blue": 0,
        "dark-green": 0,
        "green": 1,
        "amber": 1,
        "red": 0,
    }


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("invoices-paid-in-30-days", "90.01", "green"),
        ("invoices-paid-in-30-days", "90", "amber"),
        ("invoices-paid-in-30-days", "89.99", "amber"),
        ("invoices-paid-in-30-days", "85.01", "amber"),
        ("invoices-paid-in-30-days", "85", "red"),
        ("invoices-paid-in-30-days", "84.99", "red"),
        ("staff-turnover", "9.99", "green"),
        ("staff-turnover", "10", "amber"),
        ("staff-turnover", "10.01", "amber"),
        ("staff-turnover", "11.99", "amber"),
        ("staff-turnover", "12", "red"),
        ("staff-turnover", "12.01", "red"),
        ("invoices-paid-in-30-days-mixed", "90.01", "green"),
        ("invoices-paid-in-30-days-mixed", "90", "amber"),
        ("invoices-paid-in-30-days-mixed", "85", "amber"),
        ("invoices-paid-in-30-days-mixed", "84.99", "red"),
    ],
)
def test_boundary_value_goes_to_worse_band(indicator: str, value: str, expected: str) -> None:
    """Corporater: a value exactly on a band's start falls to the worse band."""
    assert _status("boundary-worse-corporater.toml", indicator, value) == expected


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("social-worker-caseload", "12.99", "red"),
        ("social-worker-caseload", "13", "amber"),
        ("social-worker-caseload", "14.99", "amber"),
        ("social-worker-caseload", "15", "green"),
        ("social-worker-caseload", "17.5", "green"),
        ("social-worker-caseload", "20", "green"),
        ("social-worker-caseload", "20.01", "amber"),
        ("social-worker-caseload", "22", "amber"),
        ("social-worker-caseload", "22.01", "red"),
        ("repeat-referrals", "19.79", "red"),
        ("repeat-referrals", "19.8", "amber"),
        ("repeat-referrals", "21.99", "amber"),
        ("repeat-referrals", "22", "green"),
        ("repeat-referrals", "22.01", "amber"),
        ("repeat-referrals", "24.2", "amber"),
        ("repeat-referrals", "24.21", "red"),
    ],
)
def test_target_range_with_tolerance_outside(indicator: str, value: str, expected: str) -> None:
    """In range: green inside the range (or on the point target), amber within tolerance outside."""
    assert _status("goldilocks-kent-t.toml", indicator, value) == expected


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("permanent-exclusions-rate", "0", "green"),
        ("permanent-exclusions-rate", "0.01", "amber"),
        ("permanent-exclusions-rate", "0.5", "amber"),
        ("permanent-exclusions-rate", "0.51", "red"),
        ("net-change-foster-carers", "1", "green"),
        ("net-change-foster-carers", "0", "green"),
        ("net-change-foster-carers", "-1", "amber"),
        ("net-change-foster-carers", "-2", "amber"),
        ("net-change-foster-carers", "-3", "red"),
    ],
)
def test_zero_target_with_absolute_tolerance(indicator: str, value: str, expected: str) -> None:
    """A zero target with an absolute tolerance keeps a real amber band on the worse side."""
    ruleset_name = "zero-target-absolute-tolerance.toml"
    assert not _load(ruleset_name).warnings
    assert _status(ruleset_name, indicator, value) == expected


def test_zero_target_with_relative_tolerance_warns() -> None:
    """A relative tolerance on a zero target is warned about, and a near miss is red, not green."""
    text = (BANDS / "zero-target-absolute-tolerance.toml").read_text(encoding="utf-8")
    relative = text.replace('absolute = "0.5"', 'relative = "10%"')
    ruleset = ragrules.loads(relative)
    zero_warnings = [w for w in ruleset.warnings if "zero target" in w.message]
    assert [w.key for w in zero_warnings] == ["indicator[0].tolerance"]
    assert all(w.severity is ragrules.Severity.WARNING for w in ruleset.warnings)
    report = ruleset.rate(
        [{"indicator": "permanent-exclusions-rate", "period": "2020/21", "value": "0.01"}]
    )
    assert report.results[0].status == "red"


@pytest.mark.parametrize(
    ("indicator", "period", "value", "expected"),
    [
        ("early-help-conversion", "2020/21", "30", "green"),
        ("early-help-conversion", "2021/22", "30", "amber"),
        ("early-help-conversion", "2020/21", "29.99", "amber"),
        ("early-help-conversion", "2020/21", "27", "amber"),
        ("early-help-conversion", "2020/21", "26.99", "red"),
        ("early-help-conversion", "2021/22", "32", "green"),
        ("early-help-conversion", "2021/22", "31.99", "amber"),
        ("early-help-conversion", "2021/22", "28.8", "amber"),
        ("early-help-conversion", "2021/22", "28.79", "red"),
        ("early-help-conversion", "2021/22 Q3", "30", "amber"),
        ("early-help-conversion", "2020/21 Q4", "30", "green"),
        ("early-help-conversion", "2019/20", "30", "no-target"),
        ("lac-pathway-plan", "2020/21", "65", "amber"),
        ("lac-pathway-plan", "2021/22", "65", "red"),
        ("lac-pathway-plan", "2020/21", "63", "amber"),
        ("lac-pathway-plan", "2020/21", "62.99", "red"),
        ("lac-pathway-plan", "2021/22", "68", "amber"),
        ("lac-pathway-plan", "2021/22", "67.99", "red"),
    ],
)
def test_effective_dates(indicator: str, period: str, value: str, expected: str) -> None:
    """Each period is rated against the target and tolerance in force for it."""
    assert _status("effective-dates-havering.toml", indicator, value, period) == expected


def _with_last_year(indicator: str, value: str, last_year: str) -> str:
    """The status of a value rated with last year's value as a comparator."""
    ruleset = _load("travel-dependent-havering-2013-14.toml")
    report = ruleset.rate(
        [
            {"indicator": indicator, "period": "2014/15 Q2", "value": value},
            {"indicator": indicator, "period": "2013/14 Q2", "value": last_year},
        ]
    )
    index = [result.indicator.id for result in report.results].index(indicator)
    return report.results[index].status


@pytest.mark.parametrize(
    ("indicator", "value", "last_year", "expected"),
    [
        ("school-attendance", "5", "9", "green"),
        ("school-attendance", "5.5", "4", "amber"),
        ("school-attendance", "5.51", "6", "amber"),
        ("school-attendance", "5.51", "5.51", "amber"),
        ("school-attendance", "5.51", "5.5", "red"),
        ("libraries-visits", "3800", "3000", "amber"),
        ("libraries-visits", "3799", "3799", "amber"),
        ("libraries-visits", "3799", "3800", "red"),
    ],
)
def test_travel_dependent_band(indicator: str, value: str, last_year: str, expected: str) -> None:
    """Havering 2013/14: beyond tolerance is amber if it improved or held on last year."""
    assert _with_last_year(indicator, value, last_year) == expected


def test_travel_dependent_band_without_last_year_is_red() -> None:
    """With no value last year there is no judgement, so beyond tolerance is red."""
    report = _load("travel-dependent-havering-2013-14.toml").rate(
        [{"indicator": "school-attendance", "period": "2014/15 Q2", "value": "7"}]
    )
    assert report.results[0].status == "red"


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        # 85-92% is green; amber from 80% below (5 points) but only to 94% above (2 points).
        ("foster-placement-occupancy", "85%", "green"),
        ("foster-placement-occupancy", "92%", "green"),
        ("foster-placement-occupancy", "80%", "amber"),
        ("foster-placement-occupancy", "79.99%", "red"),
        ("foster-placement-occupancy", "94%", "amber"),
        ("foster-placement-occupancy", "94.01%", "red"),
        ("foster-placement-occupancy", "97%", "red"),  # 5 points above: red, unlike below
        # The expected range 800-1300 is amber outside the 900-1100 target range.
        ("referrals-to-early-help", "1000", "green"),
        ("referrals-to-early-help", "800", "amber"),
        ("referrals-to-early-help", "799", "red"),
        ("referrals-to-early-help", "1300", "amber"),
        ("referrals-to-early-help", "1301", "red"),
        # Relative sides: 10% of 10 is 1 below; 5% of 20 is 1 above.
        ("agency-spend-share", "9%", "amber"),
        ("agency-spend-share", "8.99%", "red"),
        ("agency-spend-share", "21%", "amber"),
        ("agency-spend-share", "21.01%", "red"),
    ],
)
def test_two_sided_tolerance_and_expected_range(indicator: str, value: str, expected: str) -> None:
    """A range's tolerance can differ below and above it, and a threshold can be a range."""
    assert _status("two-sided-range-kent-activity.toml", indicator, value) == expected


def test_two_sided_margins_are_stated_in_every_output() -> None:
    ruleset = _load("two-sided-range-kent-activity.toml")
    report = ruleset.rate([{"indicator": "foster-placement-occupancy", "value": "93%"}])
    result = report.result("foster-placement-occupancy")
    assert result.to_dict()["tolerance"] == "below 5%, above 2%"
    key = str(report.key)
    assert "5 percentage points below the range and 2 percentage points above it" in key
    assert "10% of the lower end below the range and 5% of the upper end above it" in key
    assert "Within the expected threshold." in key
    explained = str(report.explain("foster-placement-occupancy"))
    assert (
        "5 percentage points below the lower end and 2 percentage points above the upper end"
        in (explained)
    )
    assert ragrules.loads(ruleset.canonical_toml) == ruleset


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # A two-sided margin on a higher-is-better indicator.
        (
            ('polarity = "in-range"', 'polarity = "higher-is-better"'),
            "only an in-range indicator's margin can differ below and above",
        ),
        # A single-number threshold on an in-range indicator.
        (
            ("expected = { lower = 800, upper = 1300 }", "expected = 800"),
            "an in-range indicator's threshold is a range",
        ),
        # One side missing.
        (
            (
                'tolerance = { below = { absolute = "5" }, above = { absolute = "2" } }',
                'tolerance = { below = { absolute = "5" } }',
            ),
            "a two-sided margin needs both below and above",
        ),
    ],
)
def test_two_sided_and_range_thresholds_are_checked(change: tuple[str, str], message: str) -> None:
    text = (BANDS / "two-sided-range-kent-activity.toml").read_text(encoding="utf-8")
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text.replace(*change, 1))
    assert any(message in p.message for p in caught.value.problems), caught.value.problems
    assert all(p.line is not None for p in caught.value.problems)


@pytest.mark.parametrize("status", ['""', '" "'])
def test_a_band_with_a_blank_status_is_refused_where_it_is_written(status: str) -> None:
    """A status nothing can name (an override, a published status) is a load error, never
    a crash when a row is rated or audited."""
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(
            '[ruleset]\nformat = 1\nid = "t"\n[scales.s]\n'
            f'bands = [{{ status = {status}, from = "target" }}, {{ status = "red" }}]\n'
            '[[indicator]]\nid = "a"\nscale = "s"\ntarget = 3\n'
        )
    (problem,) = caught.value.problems
    assert (problem.key, problem.line) == ("scales.s.bands[0].status", 5)
    assert "blank" in problem.message
