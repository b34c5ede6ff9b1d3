"""`ragrules verify` and the testing kit against hostile rulesets: several failures at once,
travel-conditioned bands, partly testable and huge-valued indicators, extending files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ragrules
from ragrules import Ruleset, Severity, testing
from ragrules.model.errors import Problem
from ragrules.model.numbers import MAX_DIGITS, MAX_EXPONENT, parse_decimal
from ragrules.model.observations import read_value
from ragrules.tools.verify import check_invariants, verify_file

HEAD = '[ruleset]\nformat = 1\nid = "{id}"\n'

# Green again below amber: not monotone. With a numeric no-data token, a Hypothesis run
# used to find two distinct failures and raise them as an ExceptionGroup.
BROKEN_SCALE = """
[scales.oops]
bands = [
  { status = "green", from = "target" },
  { status = "amber", from = "tolerance" },
  { status = "green", from = { threshold = "floor" } },
  { status = "red" },
]
"""

TOKEN_MASK = (
    HEAD.format(id="token-mask")
    + 'scale = "oops"\n\n[data]\nno-data = ["0"]\n'
    + BROKEN_SCALE
    + '\n[[indicator]]\nid = "x"\ntarget = 100\ntolerance = { relative = "5%" }\n'
    "thresholds = { floor = 90 }\n"
)

TRAVEL_FLOOR = HEAD.format(id="travel-floor") + (
    'scale = "kind"\n\n'
    "[travel.comparisons]\n"
    'long = { against = "same-period-last-year" }\n\n'
    "[scales.kind]\n"
    "bands = [\n"
    '  { status = "green", from = "target" },\n'
    '  { status = "amber", from = "tolerance" },\n'
    '  { status = "amber", from = { threshold = "floor" }, '
    'travel = { comparison = "long", judgement = ["improving"] } },\n'
    '  { status = "red" },\n'
    "]\n\n"
    '[[indicator]]\nid = "x"\ntarget = 80\ntolerance = { absolute = 5 }\n'
    "thresholds = { floor = 70 }\n"
)

TRAVEL_FROM = HEAD.format(id="travel-from") + (
    'scale = "kind"\n\n'
    "[travel.comparisons]\n"
    'long = { against = "same-period-last-year" }\n\n'
    "[scales.kind]\n"
    "bands = [\n"
    '  { status = "green", from = "target", '
    'travel = { comparison = "long", judgement = ["improving"] } },\n'
    '  { status = "amber", from = "target" },\n'
    '  { status = "red" },\n'
    "]\n\n"
    '[[indicator]]\nid = "x"\ntarget = 30\n'
)

DATED_MASK = (
    HEAD.format(id="dated-mask") + 'scale = "oops"\n' + BROKEN_SCALE + '\n[[indicator]]\nid = "x"\n'
    'target = [{ value = 100 }, { from = "2021/22", benchmark = "england" }]\n'
    'tolerance = { relative = "5%" }\nthresholds = { floor = 90 }\n'
)

TOKEN_SOUND = (
    HEAD.format(id="token-sound")
    + '\n[data]\nno-data = ["0"]\n\n[[indicator]]\nid = "x"\ntarget = 100\n'
    'tolerance = { relative = "5%" }\n'
)

BIG = (
    HEAD.format(id="big")
    + '\n[[indicator]]\nid = "big"\nunit = "£"\ntarget = "1e57"\ntolerance = { relative = "5%" }\n'
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _errors(findings: list[Problem]) -> list[Problem]:
    return [f for f in findings if f.severity is Severity.ERROR]


# 1. Several failures in one Hypothesis run are findings, never a traceback.


def test_two_distinct_failures_are_findings_not_an_exception_group(tmp_path: Path) -> None:
    findings = verify_file(_write(tmp_path, "token-mask.toml", TOKEN_MASK), examples=50)
    (error,) = _errors(findings)
    assert "x: invariant monotonic fails: monotonicity" in error.message
    assert not [f for f in findings if "not tested" in f.message]  # `0` is not drawn: tested


def test_every_failure_of_an_exception_group_is_a_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whatever a check raises inside Hypothesis (an assertion, a ValueError refusing a value,
    an error in the library), each distinct failure becomes one error, and nothing escapes."""
    from ragrules.tools.testing import _checks

    calls = {"n": 0}

    def fails_two_ways(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] % 2:
            raise AssertionError("first way")
        raise KeyError("second way")

    monkeypatch.setattr(_checks, "check_boundary", fails_two_ways)
    monkeypatch.setattr(testing, "check_boundary", fails_two_ways)
    from ragrules.tools import testing as kit

    monkeypatch.setattr(kit, "check_boundary", fails_two_ways)
    ruleset = ragrules.loads(TOKEN_SOUND)
    found = check_invariants(ruleset, examples=10)
    messages = sorted(p.message for p in _errors(found))
    assert messages == [
        "x: invariant boundary fails: KeyError: 'second way'",
        "x: invariant boundary fails: first way",
    ], found


# 2. A band with `from` and `travel` is passed over for a value alone, by the kit too.


@pytest.mark.parametrize("text", [TRAVEL_FLOOR, TRAVEL_FROM], ids=["floor", "from"])
def test_a_travel_band_is_no_false_boundary_failure(tmp_path: Path, text: str) -> None:
    assert verify_file(_write(tmp_path, "travel.toml", text), examples=50) == []


@pytest.mark.parametrize("text", [TRAVEL_FLOOR, TRAVEL_FROM], ids=["floor", "from"])
def test_boundary_values_agree_with_themselves_on_travel_bands(text: str) -> None:
    ruleset = ragrules.loads(text)
    indicator = ruleset.indicator("x")

    @settings(max_examples=60, derandomize=True, database=None)
    @given(testing.boundary_values(indicator))
    def boundaries_are_exact(boundary: testing.BoundaryValue) -> None:
        if boundary.step == 0 and boundary.inclusive:
            assert boundary.band == boundary.expected, boundary
        testing.check_boundary(ruleset, "x", boundary)

    boundaries_are_exact()
    # A value alone on the travel band's start gets what the library gives it.
    start = Decimal(70) if "floor" in text else Decimal(30)
    alone = ruleset.rate([{"indicator": "x", "value": str(start)}]).results[0].status
    assert testing.reference_status(indicator, start) == alone


# 3. Each version tested; failures kept; untested versions with the true reason;
#    no value drawn that the library cannot read.


def test_a_benchmark_version_does_not_hide_a_broken_fixed_version(tmp_path: Path) -> None:
    findings = verify_file(_write(tmp_path, "dated-mask.toml", DATED_MASK), examples=50)
    (error,) = _errors(findings)
    assert "x: invariant monotonic fails (in 2020/21)" in error.message
    (warning,) = [f for f in findings if f.severity is Severity.WARNING]
    assert warning.message == (
        "invariants not tested for 1 of 1 indicators: "
        "x (in 2021/22: target from the 'england' column of the data)"
    )


def test_a_numeric_no_data_token_leaves_the_indicator_tested(tmp_path: Path) -> None:
    assert verify_file(_write(tmp_path, "token-sound.toml", TOKEN_SOUND), examples=50) == []


def test_untested_indicators_name_their_own_reasons() -> None:
    text = HEAD.format(id="reasons") + (
        '\n[[indicator]]\nid = "n"\npolarity = "neutral"\n'
        '\n[[indicator]]\nid = "b"\ntarget = { benchmark = "england" }\n'
        'tolerance = { relative = "5%" }\n'
        '\n[[indicator]]\nid = "ok"\ntarget = 10\ntolerance = { absolute = 1 }\n'
    )
    (warning,) = check_invariants(ragrules.loads(text), examples=5)
    assert warning.message == (
        "invariants not tested for 2 of 3 indicators: n (neutral); "
        "b (target from the 'england' column of the data)"
    )


@pytest.mark.parametrize("examples", [5, 50, 300])
def test_a_huge_target_gets_the_same_verdict_whatever_the_examples(
    tmp_path: Path, examples: int
) -> None:
    assert verify_file(_write(tmp_path, "big.toml", BIG), examples=examples) == []


def _reads(text: str, unit: str) -> bool:
    return read_value(text, unit).number is not None


@st.composite
def _huge_indicators(draw: st.DrawFn) -> Ruleset:
    """Indicators whose target needs up to MAX_DIGITS digits, in the £ unit or none."""
    digits = draw(st.integers(min_value=1, max_value=MAX_DIGITS))
    places = draw(st.integers(min_value=0, max_value=digits - 1))
    number = draw(st.integers(min_value=10 ** (digits - 1), max_value=10**digits - 1))
    target = format(Decimal(f"{number}e-{places}"), "f")
    margin = draw(
        st.sampled_from(['{ relative = "5%" }', "{ absolute = 1 }", '{ relative = "0%" }'])
    )
    unit = draw(st.sampled_from(["£", "number", "percent"]))
    polarity = draw(st.sampled_from(["higher-is-better", "lower-is-better"]))
    return ragrules.loads(
        HEAD.format(id="huge")
        + f'\n[[indicator]]\nid = "h"\nunit = "{unit}"\npolarity = "{polarity}"\n'
        f'target = "{target}"\ntolerance = {margin}\n'
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data(), _huge_indicators())
def test_every_value_the_kit_draws_is_one_the_library_reads(
    data: st.DataObject, ruleset: Ruleset
) -> None:
    (indicator,) = ruleset.indicators
    for _ in range(5):
        text = data.draw(testing.values(indicator))
        assert _reads(text, indicator.unit), text
        boundary = data.draw(testing.boundary_values(indicator))
        assert _reads(boundary.text, indicator.unit), boundary


@given(
    st.data(),
    st.integers(min_value=-(10**62), max_value=10**62),
    st.integers(min_value=0, max_value=10**62),
    st.integers(min_value=0, max_value=70),
    st.integers(min_value=0, max_value=70),
)
def test_decimals_text_draws_only_readable_numbers(
    data: st.DataObject, low: int, width: int, places: int, zeros: int
) -> None:
    high = low + width
    if max(abs(low), abs(high)) >= 10 ** (MAX_EXPONENT + 1):  # a bound no Decimal here holds
        with pytest.raises(ValueError, match="is out of range"):
            testing.decimals_text(min_value=low, max_value=high)
        return
    if high < -(10**MAX_DIGITS) + 1 or low > 10**MAX_DIGITS - 1:
        with pytest.raises(ValueError, match="holds no value ragrules reads"):
            testing.decimals_text(min_value=low, max_value=high)
        return
    text = data.draw(
        testing.decimals_text(
            min_value=low, max_value=high, max_places=places, max_extra_zeros=zeros
        )
    )
    parse_decimal(text)  # raises for over 60 significant digits or out of range


@given(
    st.integers(min_value=-(10**MAX_DIGITS) + 1, max_value=10**MAX_DIGITS - 1),
    st.integers(min_value=0, max_value=MAX_DIGITS),
    st.data(),
)
def test_spellings_stay_within_the_digits_a_value_may_have(
    whole: int, places: int, data: st.DataObject
) -> None:
    number = Decimal(f"{whole}e-{places}")
    if len(number.as_tuple().digits) > MAX_DIGITS:
        with pytest.raises(ValueError, match="not a value ragrules reads"):
            testing.spellings(number)
        return
    assert parse_decimal(data.draw(testing.spellings(number, max_extra_zeros=10))) == number


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(testing.rulesets(max_indicators=3, rounding=True))
def test_verify_never_raises_and_passes_generated_rulesets(ruleset: Ruleset) -> None:
    """The kit's own rulesets follow the design: verify finds nothing wrong with them."""
    assert _errors(check_invariants(ruleset, examples=5)) == []


# 7. Findings in an extending ruleset are located in the file that wrote the indicator.

BASE = HEAD.format(id="plain1") + (
    '\n[[indicator]]\nid = "x"\ntarget = 10\ntolerance = { absolute = 1 }\n'
    '\n[[indicator]]\nid = "shared"\ntarget = 1\ntolerance = { absolute = 1 }\n'
)

CHILD = (
    HEAD.format(id="vchild")
    + 'extends = "plain1.toml"\n'
    + BROKEN_SCALE
    + "\n[[indicator]]\n"  # line 14
    'id = "bad"\ntarget = 100\ntolerance = { relative = "5%" }\nthresholds = { floor = 90 }\n'
    'scale = "oops"\nunit = "percent"\npolarity = "higher-is-better"\n'
    "\n[[indicator]]\n"  # line 23
    'id = "x"\ntarget = "150%"\nunit = "percent"\n'
)


def test_findings_in_an_extending_file_name_its_own_keys_and_lines(tmp_path: Path) -> None:
    _write(tmp_path, "plain1.toml", BASE)
    child = _write(tmp_path, "vchild.toml", CHILD)
    findings = verify_file(child, examples=20)
    placed = [(f.file, f.line, f.key, f.severity, f.message.split(":")[0]) for f in findings]
    assert placed == [
        (str(child), 23, "indicator[1]", Severity.WARNING, "x"),
        (str(child), 14, "indicator[0]", Severity.ERROR, "bad"),
    ]


def test_invariant_failures_carry_their_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "dated-mask.toml", DATED_MASK)
    (error,) = _errors(verify_file(path, examples=20))
    assert (error.file, error.line, error.column, error.key) == (str(path), 14, 1, "indicator[0]")


def test_big_target_values_and_spellings_of_sixty_digits_are_readable() -> None:
    """The report's case: a 1e57 target's values (trailing zeros took them over 60 digits),
    and the spellings of a number with 60 digits already."""
    (indicator,) = ragrules.loads(BIG).indicators
    drawn: list[str] = []

    @settings(max_examples=300, derandomize=True, database=None, deadline=None)
    @given(testing.values(indicator), testing.spellings(Decimal("9" * MAX_DIGITS)))
    def collect(value: str, spelling: str) -> None:
        drawn.extend((value, spelling))

    collect()
    assert [text for text in drawn if not _reads(text, indicator.unit)] == []
