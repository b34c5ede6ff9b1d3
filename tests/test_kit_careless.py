"""The testing kit and `ragrules verify` with careless callers (bug hunt fz15, findings 5-9):
a hostile decimal context, dated settings, rate and minimum indicators, awkward ranges, and
plausible arguments of the wrong type."""

from __future__ import annotations

import contextlib
import decimal
import io
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import ragrules
from ragrules import testing
from ragrules.cli import main
from ragrules.model.numbers import MAX_DIGITS, parse_decimal
from ragrules.tools import check_invariants, verify_file
from tests.adversarial.test_decimal_context import SIGNALS
from tests.conftest import EXAMPLES

HAVERING_PATH = EXAMPLES / "havering-2020-21-q2.toml"
HAVERING = ragrules.load(HAVERING_PATH)
EARLY = HAVERING.indicator("early-help-conversion")  # target 30%, tolerance 5% of it
KENT = ragrules.load(EXAMPLES / "dated" / "kent-in-year-changes.toml")
PROFILED = ragrules.load(EXAMPLES / "targets" / "profiled-targets.toml")
RATES = ragrules.load(EXAMPLES / "rates" / "rates-and-small-numbers.toml")
QUARTERS = ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4"]
LARGEST = Decimal("9" * MAX_DIGITS)

# Contexts a careless caller (or a strict conftest) may have set: tiny precision and
# exponent range, any rounding, any signal trapped.
hostile_contexts = st.builds(
    decimal.Context,
    prec=st.integers(1, 12),
    rounding=st.sampled_from([decimal.ROUND_FLOOR, decimal.ROUND_UP, decimal.ROUND_05UP]),
    Emin=st.integers(-12, 0),
    Emax=st.integers(1, 12),
    traps=st.lists(st.sampled_from(SIGNALS), unique=True),
    clamp=st.integers(0, 1),
)


def _raised(context: decimal.Context) -> list[str]:
    return sorted(signal.__name__ for signal, raised in context.flags.items() if raised)


def _verify(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(argv)
    return code, out.getvalue()


# Finding 5: verify and the kit run in the library's decimal context.


def test_verify_under_a_context_trapping_every_signal_says_what_it_says_by_default() -> None:
    """A caller trapping every signal at `prec=5` gets the default context's verdict, not a
    bare `decimal.Inexact`."""
    argv = ["verify", str(HAVERING_PATH), "--examples", "10"]
    expected = _verify(argv)
    with decimal.localcontext(decimal.Context(prec=5, Emin=-5, Emax=5, traps=SIGNALS)):
        assert _verify(argv) == expected == (0, f"{HAVERING_PATH}: 0 errors, 0 warnings\n")
        assert verify_file(HAVERING_PATH, examples=10) == []
        assert check_invariants(KENT, examples=10) == []


def test_verify_leaves_the_callers_flags_as_they_were() -> None:
    """Verify raises no flag in the caller's context (it used to set Inexact and Rounded)."""
    with decimal.localcontext() as caller:
        caller.clear_flags()
        _verify(["verify", str(HAVERING_PATH), "--examples", "10"])
        verify_file(EXAMPLES / "dated" / "kent-in-year-changes.toml", examples=10)
        assert _raised(caller) == []


@settings(max_examples=50)  # each example draws from nine strategies
@given(st.data(), hostile_contexts)
def test_the_kit_builds_draws_and_checks_alike_in_any_decimal_context(
    data: st.DataObject, context: decimal.Context
) -> None:
    """The kit's strategies and checks give what they give in the library's context (no
    trap fires, statuses agree with the reference) and leave the caller's flags alone."""
    with decimal.localcontext(context) as caller:
        caller.clear_flags()
        rows = data.draw(testing.observations(HAVERING, "2020/21 Q2", strays=True))
        testing.check_totality(HAVERING, rows)
        low, high = data.draw(testing.values(EARLY)), data.draw(testing.values(EARLY))
        testing.check_monotonic(HAVERING, EARLY.id, low, high)
        boundary = data.draw(testing.boundary_values(EARLY))
        testing.check_boundary(HAVERING, EARLY.id, boundary)
        status = testing.reference_status(EARLY, boundary.text)
        wide = data.draw(testing.decimals_text(min_value=LARGEST.copy_negate(), max_value=LARGEST))
        spelt = data.draw(testing.spellings(LARGEST, max_extra_zeros=2))
        margin = data.draw(testing.margins(max_percent="12.5", max_absolute=2.5))
        generated = data.draw(testing.rulesets(max_indicators=2, rounding=True))
        raised = _raised(caller)
    assert raised == []
    assert status == boundary.expected
    parse_decimal(wide)
    assert parse_decimal(spelt) == LARGEST
    assert margin.amount <= Decimal("2.5")
    assert generated.indicators


# Finding 6: the settings in force for the period asked (dated thresholds, polarity, scale).


@pytest.mark.parametrize("period", QUARTERS)
def test_the_kit_rates_kents_in_year_changes_as_the_library_does(period: str) -> None:
    """`reference_status` uses the floor and polarity in force for the quarter asked."""
    for indicator in KENT.indicators:
        for value in ("64.9", "65", "69.9", "70", "80", "24999", "25000", "30000"):
            library = KENT.rate_value(indicator.id, value, period=period).status
            assert testing.reference_status(indicator, value, period=period) == library


@pytest.mark.parametrize("period", QUARTERS)
@given(data=st.data())
def test_kents_boundaries_are_those_in_force(period: str, data: st.DataObject) -> None:
    """Boundaries are those of the quarter's floor; a neutral quarter has none, and says so."""
    for indicator in KENT.indicators:
        if KENT.rate_value(indicator.id, "1", period=period).status == "neutral":
            with pytest.raises(ValueError, match=f"is neutral in {period}: shown, never judged"):
                testing.boundary_values(indicator, period=period)
            continue
        boundary = data.draw(testing.boundary_values(indicator, period=period))
        testing.check_boundary(KENT, indicator.id, boundary, period=period)


PERIODS = ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4", "2025/26 Q1"]


@given(
    data=st.data(),
    floors=st.tuples(st.decimals(1, 74, places=1), st.decimals(1, 74, places=1)),
    changes=st.tuples(*[st.sampled_from(PERIODS[1:])] * 3),
    neutral=st.booleans(),
    rag=st.booleans(),
    period=st.sampled_from(PERIODS),
    value=st.decimals(0, 100, places=1),
)
def test_the_reference_and_the_boundaries_follow_every_dated_setting(
    data: st.DataObject,
    floors: tuple[Decimal, Decimal],
    changes: tuple[str, str, str],
    neutral: bool,
    rag: bool,
    period: str,
    value: Decimal,
) -> None:
    """For the version of an indicator in force in any period (its dated thresholds,
    polarity and scale), `reference_status` gives the library's status, and the boundaries
    drawn are those the library rates by; a neutral version has none."""
    first, later = floors
    assume(first != later)
    text = (
        '[ruleset]\nformat = 1\nid = "d"\n[scales.floor]\nbands = [{ status = "green", '
        'from = "target" }, { status = "amber", from = { threshold = "floor" } }, '
        '{ status = "red" }]\n[[indicator]]\nid = "a"\nunit = "percent"\ntarget = 80\n'
        'tolerance = { relative = "5%" }\n'
        f'thresholds = [{{ floor = {first} }}, {{ from = "{changes[0]}", floor = {later} }}]\n'
    )
    if neutral:
        text += f'polarity = [{{ value = "higher-is-better" }}, {{ from = "{changes[1]}", '
        text += 'value = "neutral" }]\n'
    if rag:
        text += f'scale = [{{ value = "floor" }}, {{ from = "{changes[2]}", value = "rag" }}]\n'
    else:
        text += 'scale = "floor"\n'
    ruleset = ragrules.loads(text)
    (indicator,) = ruleset.indicators
    library = ruleset.rate_value("a", str(value), period=period).status
    assert testing.reference_status(indicator, value, period=period) == library
    if library == "neutral":
        with pytest.raises(ValueError, match="is neutral in"):
            testing.values(indicator, period=period)
        return
    boundary = data.draw(testing.boundary_values(indicator, period=period))
    testing.check_boundary(ruleset, "a", boundary, period=period)


# Finding 7: a value alone is not a row of a rate indicator, or of one with a minimum.


@pytest.mark.parametrize(
    ("indicator_id", "reason"),
    [
        ("under-18-conceptions", "is rated from its counts"),
        ("smoking-quitters", "is rated from its counts"),
        ("falls-admissions", "is suppressed below a minimum, which needs its row"),
    ],
)
def test_indicators_a_value_alone_does_not_test_are_refused_up_front(
    indicator_id: str, reason: str
) -> None:
    """Each is refused up front in verify's words, not failed later as a wrong rating."""
    indicator = RATES.indicator(indicator_id)
    boundary = testing.BoundaryValue(
        text="15", value=Decimal(15), boundary=Decimal(15), step=0, band="green",
        inclusive=True, expected="green",
    )  # fmt: skip
    attempts: list[tuple[str, Any]] = [
        ("boundary_values", lambda: testing.boundary_values(indicator)),
        ("values", lambda: testing.values(indicator)),
        ("check_boundary", lambda: testing.check_boundary(RATES, indicator_id, boundary)),
        ("check_monotonic", lambda: testing.check_monotonic(RATES, indicator_id, "1", "2")),
    ]
    for name, attempt in attempts:
        with pytest.raises(ValueError, match=f"^{name}: indicator '{indicator_id}' {reason}"):
            attempt()


@given(testing.observations(RATES, "2024/25 Q1", strays=True))
def test_rows_of_rate_and_minimum_indicators_are_still_drawn(rows: list[dict[str, object]]) -> None:
    """`observations` still draws rows for them (values not aimed at bands): none is lost."""
    testing.check_totality(RATES, rows)


# Finding 8: decimals_text for any range that has a number with the places allowed.


@given(
    data=st.data(),
    low=st.decimals(-1000, 1000, places=3),
    width=st.decimals(0, 5, places=3),
    max_places=st.integers(0, 4),
)
def test_decimals_text_draws_from_any_range_with_a_number_of_its_places(
    data: st.DataObject, low: Decimal, width: Decimal, max_places: int
) -> None:
    """Every range with a number of at most `max_places` places gives one; any other is
    refused when the strategy is built."""
    high = low + width
    scale = Decimal(1).scaleb(-max_places)
    if low.quantize(scale, rounding=decimal.ROUND_CEILING) > high:
        with pytest.raises(ValueError, match="holds no number with at most"):
            testing.decimals_text(min_value=low, max_value=high, max_places=max_places)
        return
    drawn = parse_decimal(
        data.draw(testing.decimals_text(min_value=low, max_value=high, max_places=max_places))
    )
    assert low <= drawn <= high
    assert drawn == drawn.quantize(scale)


@given(testing.decimals_text(min_value="0.1", max_value="0.9"))
def test_a_share_between_ten_and_ninety_per_cent(text: str) -> None:
    """The documented use that crashed: a range with no whole number in it."""
    assert Decimal("0.1") <= parse_decimal(text) <= Decimal("0.9")


@given(testing.decimals_text(min_value=0.1, max_value=0.1, max_places=1))
def test_float_bounds_are_read_through_their_repr(text: str) -> None:
    """`0.1` is 0.1, not 0.1000000000000000055...: a one-place number lies in [0.1, 0.1]."""
    assert parse_decimal(text) == Decimal("0.1")


# Finding 9: plausible arguments are read as the library reads them, or refused by name.


@pytest.mark.parametrize(
    ("value", "error", "words"),
    [
        (True, TypeError, "value True is a boolean, not a number: the library rates it invalid"),
        (Decimal("NaN"), ValueError, "is no value: the library rates such a row no-data"),
        (None, ValueError, "value None is no value"),
        (float("inf"), ValueError, "value inf is not a number the library rates"),
        ([28.5], TypeError, "value must be a number"),
        ("high", ValueError, "value 'high' is not a number"),
    ],
)
def test_values_the_library_does_not_rate_are_refused_by_the_reference(
    value: object, error: type[Exception], words: str
) -> None:
    """A bool, None, NaN or unreadable text gets no status from the reference, but an error
    saying what the library makes of it (a bool used to be red, as 1)."""
    with pytest.raises(error, match=words.replace("(", r"\(")):
        testing.reference_status(EARLY, value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["28.5", "28.5%", 28.5, Decimal("28.5"), "28.50"])
@pytest.mark.parametrize("target", [None, 30, 30.0, "30", "30%", Decimal(30)])
def test_numbers_are_read_as_the_library_reads_them(value: object, target: object) -> None:
    """Values and targets as text (in the unit), ints, floats and Decimals rate alike."""
    expected = HAVERING.rate_value(EARLY.id, value, target=target).status
    assert testing.reference_status(EARLY, value, target) == expected == "amber"  # type: ignore[arg-type]


@given(
    data=st.data(),
    target=st.sampled_from(
        [30, 30.0, "30", "30%", Decimal(30), ragrules.Target.point(Decimal(30))]
    ),
)
def test_values_take_a_target_as_any_number(data: st.DataObject, target: Any) -> None:
    """`target=` is a Target or any number: the boundaries are the same."""
    boundary = data.draw(testing.boundary_values(EARLY, target))
    assert boundary.boundary in (Decimal("28.5"), Decimal(30))
    assert data.draw(testing.values(EARLY, target))


def test_margins_and_spellings_take_any_number() -> None:
    """Ints, floats (through repr), text (with or without `%`) and Decimals are one margin."""
    five = testing.relative_margin(Decimal(5))
    assert testing.relative_margin("5%") == testing.relative_margin(5) == five
    assert testing.relative_margin(5.0) == testing.relative_margin(" 5 ") == five
    assert (five.amount, five.text) == (Decimal("0.05"), "5%")
    assert testing.absolute_margin(2.5).amount == Decimal("2.5")
    assert testing.absolute_margin("2.5") == testing.absolute_margin(Decimal("2.5"))

    @given(testing.spellings(23.4))
    def spelt(text: str) -> None:
        assert parse_decimal(text) == Decimal("23.4")

    spelt()


# Arguments of the wrong type, as a careless caller (untyped) passes them.
WRONG: list[tuple[str, Any, type[Exception], str]] = [
    ("relative_margin", ("five",), ValueError, "percent 'five' is not a number"),
    ("absolute_margin", (None,), TypeError, "amount must be a number"),
    ("spellings", (True,), TypeError, "number must be a number"),
    ("decimals_text", {"min_value": None}, TypeError, "min_value must be a number"),
    ("decimals_text", {"max_value": "1e3x"}, ValueError, "max_value '1e3x' is not a number"),
    ("values", (EARLY, True), TypeError, "target must be a Target or a number"),
    ("values", (EARLY, None, 2024), TypeError, "period must be a Period or text"),
    ("values", (EARLY, None, "Q5"), ValueError, "period: 'Q5' is not a period"),
    ("indicators", {"scale": "five"}, ValueError, "scale must be 'rag', 'brag' or None"),
    ("observations", (HAVERING, 2020), TypeError, "period must be a Period or text"),
]


@pytest.mark.parametrize(("name", "arguments", "error", "words"), WRONG)
def test_wrong_arguments_are_refused_naming_the_argument(
    name: str, arguments: Any, error: type[Exception], words: str
) -> None:
    """A wrong type or an unreadable number is refused when the strategy is built, naming the
    argument and what to pass."""
    function = getattr(testing, name)
    if isinstance(arguments, dict):
        keywords, arguments = arguments, ()
    elif name == "values" and len(arguments) == 3:
        keywords, arguments = {"period": arguments[2]}, arguments[:2]
    else:
        keywords = {}
    with pytest.raises(error, match=words):
        function(*arguments, **keywords)


# Built when first drawn: before the fix, building it raised at import.
REPORT_PERIOD = ragrules.parse_period("2020/21 Q2")
BY_PERIOD = st.deferred(lambda: testing.observations(HAVERING, REPORT_PERIOD, strays=True))


@given(BY_PERIOD)
def test_observations_take_the_period_as_a_period(rows: list[dict[str, object]]) -> None:
    """A `Period` gives the rows its text gives (dated with the report period, or blank)."""
    written = {"2020/21 Q2", "", "2020/21 Q1", "2019/20 Q2", "2019/20 Q4", "Q5 2020", None}
    assert {row.get("period") for row in rows} <= written
    testing.check_totality(HAVERING, rows, period=REPORT_PERIOD)


@pytest.mark.parametrize(
    "indicator_id", ["homes-completed", "leisure-visits", "planning-fee-income"]
)
@given(data=st.data())
def test_a_profiled_target_is_the_periods_share(indicator_id: str, data: st.DataObject) -> None:
    """`period=` resolves a profiled target to the period's share, as the library does."""
    indicator = PROFILED.indicator(indicator_id)
    for text in ("2024/25 Q2", "2024/25"):
        period = ragrules.parse_period(text)
        boundary = data.draw(testing.boundary_values(indicator, period=period))
        testing.check_boundary(PROFILED, indicator.id, boundary, period=period)
        low, high = data.draw(testing.values(indicator, period=text)), "1"
        testing.check_monotonic(PROFILED, indicator.id, low, high, period=period)
    with pytest.raises(ValueError, match="profiled target, which depends on the period; pass"):
        testing.values(indicator)
