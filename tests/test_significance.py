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
        ('{ benchmark = "england", statuses = ["a", "b"] }', "expected 3 statuses"),
        (
            '{ benchmark = "england", level = "99.8", strict-level = "95" }',
            r"the strict level \(95\) must be wider than level \(99.8\)",
        ),
        ('{ benchmark = "england", level = "95", strict-level = "99.8" }', None),
        (
            '{ benchmark = "england", level = "99.8%", lower = "l", upper = "u", '
            'strict-level = "95%", strict-lower = "sl", strict-upper = "su" }',
            "must be wider than level",
        ),
        (
            '{ benchmark = "region", compare = "intervals" }',
            "comparing intervals needs the benchmark's own row and interval: 'region' "
            "is no .benchmarks. entry, so it is a column of the data",
        ),
        (
            '{ benchmark = "mean", compare = "intervals" }\n[benchmarks.mean]\nstatistic = "mean"',
            "comparing intervals needs the benchmark's own row and interval: 'mean' is a "
            "mean of a group",
        ),
        ('{ benchmark = "england", compare = "intervals" }', None),
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
    status, _, _ = decide(TEST, polarity, benchmark, Interval(level="95", lower=lower, upper=upper))
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


TWO_TIERS = Significance(
    benchmark="england",
    level="95",
    lower="l",
    upper="u",
    strict_level="99.8",
    strict_lower="sl",
    strict_upper="su",
    judged=("better 99.8%", "better 95%", "similar", "worse 95%", "worse 99.8%"),
    unjudged=("higher 99.8%", "higher 95%", "similar", "lower 95%", "lower 99.8%"),
)


def _reference_tiers(
    polarity: Polarity,
    benchmark: Fraction,
    inner: tuple[Fraction, Fraction],
    outer: tuple[Fraction, Fraction],
) -> str:
    """Fingertips' two levels: the wider (99.8%) interval clear of the benchmark first."""
    plain = _reference(polarity, benchmark, *inner)
    if plain == "similar":
        return "similar"
    strict = _reference(polarity, benchmark, *outer)
    return f"{plain} {'99.8' if strict == plain else '95'}%"


@given(
    polarity=st.sampled_from([Polarity.HIGHER, Polarity.LOWER, Polarity.NEUTRAL]),
    benchmark=_decimals,
    limits=st.lists(_decimals, min_size=4, max_size=4).map(sorted),
)
def test_two_tiers_are_the_published_rule(
    polarity: Polarity, benchmark: Decimal, limits: list[Decimal]
) -> None:
    outer_low, inner_low, inner_high, outer_high = limits  # the 99.8% interval holds the 95%
    inner = Interval(level="95", lower=inner_low, upper=inner_high)
    outer = Interval(level="99.8", lower=outer_low, upper=outer_high)
    status, _, deciding = decide(TWO_TIERS, polarity, benchmark, inner, outer)
    exact = [Fraction(x) for x in limits]
    assert status == _reference_tiers(
        polarity, Fraction(benchmark), (exact[1], exact[2]), (exact[0], exact[3])
    )
    assert deciding is (outer if status.endswith("99.8%") else inner)


def test_two_tiers_from_the_data() -> None:
    rules = ragrules.loads(
        TEXT.replace(
            'significance = { benchmark = "england" }',
            'significance = { benchmark = "england", strict-level = "99.8", '
            'statuses = ["better 99.8%", "better 95%", "similar", "worse 95%", "worse 99.8%"] }',
        )
    )

    def row(
        area: str, value: str, limits95: tuple[str, str], limits998: tuple[str, str]
    ) -> dict[str, str]:
        return {
            **_row("low", area, value, *limits95),
            "Lower CI 99.8 limit": limits998[0],
            "Upper CI 99.8 limit": limits998[1],
        }

    report = rules.rate(
        [
            row("E92000001", "100", ("99", "101"), ("98", "102")),
            row("A", "80", ("75", "85"), ("70", "90")),  # both clear: better 99.8%
            row("B", "92", ("88", "96"), ("85", "101")),  # the 99.8% one includes 100
            row("C", "130", ("120", "140"), ("", "")),  # no 99.8% interval: not compared
        ]
    )
    statuses = {r.area: r.status for r in report.results if r.indicator.id == "low"}
    assert statuses == {
        "A": "better 99.8%",
        "B": "better 95%",
        "C": "not-compared",
        "E92000001": "not-compared",
    }
    assert report.result("low", area="C").reason == (
        "not compared: no 99.8% confidence interval in the data"
    )


def test_intervals_compared_with_the_benchmarks_own_interval() -> None:
    rules = ragrules.loads(
        TEXT.replace(
            'significance = { benchmark = "england" }',
            'significance = { benchmark = "england", compare = "intervals" }',
        )
    )
    report = rules.rate(
        [
            _row("low", "E92000001", "100", "95", "105"),
            _row("low", "A", "90", "85", "94.9"),  # clear of 95-105: better
            _row("low", "B", "90", "85", "95"),  # touches 95: similar (overlap, limits included)
        ]
    )
    assert report.result("low", area="A").status == "better"
    b = report.result("low", area="B")
    assert b.status == "similar"
    assert (
        b.reason
        == "similar: the interval 85 to 95 (95%) overlaps england's interval 95 to 105 (95%)"
    )


def test_an_interval_that_cannot_be_used_says_why() -> None:
    """Limits given the wrong way round are not "no interval": the reason says what is
    wrong with the row's own numbers."""
    report = RULES.rate([ROWS[0], _row("low", "A", "90", "95", "85")])
    assert report.result("low", area="A").reason == (
        "not compared: the 95% confidence interval is inverted: its lower limit 95 is above "
        "its upper 85"
    )


@pytest.mark.parametrize(
    ("value", "lower", "upper"),
    [
        ("75.6", "0.74", "0.77"),  # limits as proportions for a value in percent
        ("90", "91", "99"),  # another row's limits
        ("100", "85", "99.9"),
    ],
)
def test_a_value_outside_its_own_interval_is_not_compared(
    value: str, lower: str, upper: str
) -> None:
    """Published limits always hold their value: limits that do not are another unit's or
    another row's, and comparing them with the benchmark would give a confident, wrong
    better or worse."""
    report = RULES.rate([ROWS[0], _row("low", "A", value, lower, upper)])
    result = report.result("low", area="A")
    assert result.status == "not-compared"
    assert result.reason == (
        f"not compared: {value} is outside its own interval {lower} to {upper} (95%): the "
        "limits must be the value's own, in its unit"
    )


@pytest.mark.parametrize(
    ("value", "lower", "upper"), [("85", "85", "94.9"), ("94.9", "85", "94.9")]
)
def test_a_value_on_its_own_limit_is_compared(value: str, lower: str, upper: str) -> None:
    """Limits included: a value equal to a limit (rounded alike) is inside its interval."""
    report = RULES.rate([ROWS[0], _row("low", "A", value, lower, upper)])
    assert report.result("low", area="A").status == "better"


@given(limits=st.lists(_decimals, min_size=3, max_size=3))
def test_a_row_is_compared_exactly_when_its_value_is_within_its_limits(
    limits: list[Decimal],
) -> None:
    """Rated end to end: a row whose value lies within its own limits (included) gets the
    published rule's status; any other row is not compared, and says so."""
    value, lower, upper = limits
    if lower > upper:
        lower, upper = upper, lower
    report = RULES.rate([ROWS[0], _row("low", "A", str(value), str(lower), str(upper))])
    result = report.result("low", area="A")
    if lower <= value <= upper:
        expected = _reference(Polarity.LOWER, Fraction(100), Fraction(lower), Fraction(upper))
        assert result.status == expected
    else:
        assert result.status == "not-compared"
        assert "is outside its own interval" in result.reason


COUNTS = """
[ruleset]
format = 1
id = "counts"
scale = "vs-england"

[benchmarks.england]
area = "E"

[scales.vs-england]
significance = { benchmark = "england", method = "METHOD", multiplier = 100000 }

[[indicator]]
id = "rate"
unit = "per_100000"
polarity = "lower-is-better"
"""


def _counted(area: str, value: str, count: str, denominator: str) -> dict[str, str]:
    return {
        "indicator": "rate",
        "area": area,
        "period": "2017",
        "value": value,
        "count": count,
        "denominator": denominator,
    }


ENGLAND_COUNTS = _counted("E", "96.6", "53395", "55268067")


@pytest.mark.parametrize(
    ("count", "denominator", "reason"),
    [
        ("", "92817", "its count (count) is not published"),
        ("c", "92817", "its count (count) is suppressed: published as 'c'"),
        ("118", "", "its denominator (denominator) is not published"),
        ("118", "c", "its denominator (denominator) is suppressed: published as 'c'"),
        (
            "",
            "",
            "its count (count) is not published and its denominator (denominator) is not published",
        ),
    ],
)
@pytest.mark.parametrize("method", ["byar", "wilson"])
def test_a_computed_interval_names_the_count_or_denominator_it_lacks(
    method: str, count: str, denominator: str, reason: str
) -> None:
    rules = ragrules.loads(COUNTS.replace("METHOD", method))
    result = rules.rate([ENGLAND_COUNTS, _counted("A", "127", count, denominator)]).result(
        "rate", area="A"
    )
    assert (result.status, result.reason) == (
        "not-compared",
        f"not compared: no 95% confidence interval in the data: {reason}",
    )


@pytest.mark.parametrize(
    ("denominator", "status", "reason"),
    [
        ("", "not-compared", "no control limits: its denominator (denominator) is not published"),
        ("c", "not-compared", "no control limits: its denominator (denominator) is suppressed"),
        ("0", "not-compared", "no control limits: its denominator (denominator) is 0"),
        ("-92817", "not-compared", "no control limits: its denominator (denominator) is -92817,"),
        ("abc", "invalid", "the control limits' denominator (denominator) cannot be read: "),
    ],
)
def test_control_limits_say_what_is_wrong_with_the_denominator(
    denominator: str, status: str, reason: str
) -> None:
    rules = ragrules.loads(
        COUNTS.replace('method = "METHOD"', 'compare = "control-limits", method = "byar"')
    )
    result = rules.rate([ENGLAND_COUNTS, _counted("A", "127", "", denominator)]).result(
        "rate", area="A"
    )
    assert result.status == status
    shown = reason if status == "invalid" else f"not compared: {reason}"
    assert result.reason.startswith(shown), result.reason


@pytest.mark.parametrize(
    ("method", "multiplier", "value", "england", "denominator"),
    [
        ("byar", "100000", "127", "96.6", "3"),  # an expected count of 0.0029
        ("byar", "100000", "0", "96.6", "3"),
        ("wilson", "100", "0", "0", "10"),  # Wilson's interval around 0 of 10
    ],
)
def test_a_lower_control_limit_is_never_below_zero(
    method: str, multiplier: str, value: str, england: str, denominator: str
) -> None:
    # Byar's approximation for a tiny expected count is far below 0 (-11697563.50 for 3
    # people): a rate or proportion cannot be, and the exact Poisson limit is 0.
    rules = ragrules.loads(
        COUNTS.replace(
            'method = "METHOD", multiplier = 100000',
            f'compare = "control-limits", method = "{method}", multiplier = {multiplier}',
        )
    )
    rows = [
        _counted("E", england, "1", "1000"),
        _counted("A", value, "", denominator),
    ]
    result = rules.rate(rows).result("rate", area="A")
    assert result.interval is not None
    assert result.interval.lower == 0
    assert result.interval.upper > Decimal(england)
    assert result.status == "similar"  # 0 is on the lower limit: limits included
    assert " is within the 95% control limits 0 to " in result.reason
