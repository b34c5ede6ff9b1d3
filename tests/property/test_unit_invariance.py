"""DESIGN section 6, invariant 4: unit invariance, on rulesets written as TOML."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules import Basis, Indicator, Margin, Polarity, Target, testing
from ragrules.model.observations import read_value
from ragrules.model.rules import BRAG

# (canonical unit the indicator is drawn in, how the TOML writes it, another compatible unit
# as written, how many of the other unit make one of the first)
FAMILIES = [
    pytest.param("week", "weeks", "days", Decimal(7), id="weeks-days"),
    pytest.param("per_10000", "per 10,000", "per 1,000", Decimal("0.1"), id="per10000-per1000"),
    pytest.param("day", "days", "hours", Decimal(24), id="days-hours"),
]
# How one quantity is written: in the first unit, in the other one, or as a bare number
# (which means the indicator's own unit).
WRITINGS = ("first", "other", "bare")


def _plain(number: Decimal) -> str:
    return format(number, "f")


def _toml(
    indicator: Indicator,
    *,
    unit: str,
    target: str,
    tolerance: str,
    stretch: str | None,
) -> str:
    lines = [
        "[ruleset]",
        "format = 1",
        'id = "units"',
        f'scale = "{indicator.scale.name}"',
        "",
        "[[indicator]]",
        'id = "pi"',
        f'unit = "{unit}"',
        f'polarity = "{indicator.polarity.value}"',
        f'target = "{target}"',
        f"tolerance = {tolerance}",
    ]
    if stretch is not None:
        lines.append(f"stretch = {stretch}")
    return "\n".join(lines) + "\n"


class _Writer:
    """Writes quantities given in the first unit, in the unit a draw asks for."""

    def __init__(self, first: str, other: str, factor: Decimal, indicator_unit: str) -> None:
        self.first, self.other, self.factor = first, other, factor
        self.indicator_unit = indicator_unit

    def quantity(self, number: Decimal, writing: str) -> str:
        if writing == "bare":
            writing = self.indicator_unit
        if writing == "first":
            return f"{_plain(number)} {self.first}"
        return f"{_plain(number * self.factor)} {self.other}"

    def margin(self, margin: Margin, writing: str) -> str:
        if margin.basis is Basis.RELATIVE:
            return f'{{ relative = "{margin.text}" }}'
        return f'{{ absolute = "{self.quantity(margin.amount, writing)}" }}'


def _status(toml: str, value: str) -> str:
    ruleset = ragrules.loads(toml)
    result = ruleset.rate([{"indicator": "pi", "period": "2020/21 Q2", "value": value}])
    assert result.results[0].rated, result.results[0].reason
    return result.results[0].status


@pytest.mark.parametrize(("canonical", "first", "other", "factor"), FAMILIES)
@given(data=st.data())
def test_status_does_not_depend_on_the_unit_quantities_are_written_in(
    canonical: str, first: str, other: str, factor: Decimal, data: st.DataObject
) -> None:
    """ "Unit invariance: expressing value, target and absolute tolerance in another
    compatible unit (days/weeks, percent/fraction where declared) never changes the status."

    An indicator is drawn in the first unit (rag or brag, higher or lower, relative or
    absolute tolerance, a value on or beside a band start), then written as TOML with the
    indicator's unit, the target, the absolute tolerance, the stretch and the value each in
    the first unit, the other one (x7 for weeks as days, /10 for per 10,000 as per 1,000,
    x24 for days as hours) or as a bare number: `target = "26 weeks"` against
    `target = "182 days"`. Every writing rates like the all-first-unit ruleset.
    """
    indicator = data.draw(testing.indicators(scale=None, unit=canonical))
    assert indicator.target is not None and indicator.tolerance is not None
    target = indicator.target.in_force(None)
    tolerance = indicator.tolerance.in_force(None)
    stretch = indicator.stretch.in_force(None) if indicator.stretch else None
    assert isinstance(target, Target) and tolerance is not None
    reading = read_value(data.draw(testing.values(indicator)), canonical)
    assert reading.number is not None
    value = reading.number

    def status(unit: str, writings: dict[str, str]) -> str:
        writer = _Writer(first, other, factor, "first" if unit == first else "other")
        toml = _toml(
            indicator,
            unit=unit,
            target=writer.quantity(target.value, writings["target"]),
            tolerance=writer.margin(tolerance, writings["tolerance"]),
            stretch=None if stretch is None else writer.margin(stretch, writings["stretch"]),
        )
        return _status(toml, writer.quantity(value, writings["value"]))

    quantities = ("target", "tolerance", "stretch", "value")
    baseline = status(first, dict.fromkeys(quantities, "first"))
    assert baseline == testing.reference_status(indicator, value), "the TOML misstates the rule"
    assert status(other, dict.fromkeys(quantities, "other")) == baseline, "all in the other unit"
    unit = data.draw(st.sampled_from((first, other)), label="indicator unit")
    writings = {
        name: data.draw(st.sampled_from(WRITINGS), label=f"{name} written in")
        for name in quantities
    }
    assert status(unit, writings) == baseline


@pytest.mark.parametrize(
    ("unit", "target", "value", "expected"),
    [
        ("weeks", "26 weeks", "182 days", "green"),
        ("days", "182 days", "26 weeks", "green"),
        ("weeks", "182 days", "181 days", "amber"),
        ("weeks", "26 weeks", "23.4", "amber"),
        ("days", "26 weeks", "163.8", "amber"),
        ("days", "26 weeks", "163.79", "red"),
        ("per 1,000", "8.49 per 1,000", "84.9 per 10,000", "green"),
        ("per 10,000", "8.49 per 1,000", "76.41", "amber"),
        ("per 10,000", "84.9", "7.64 per 1,000", "red"),
    ],
)
def test_worked_examples(unit: str, target: str, value: str, expected: str) -> None:
    """ "Unit invariance: expressing value, target and absolute tolerance in another
    compatible unit (days/weeks, percent/fraction where declared) never changes the status."

    Worked cases, relative tolerance 10% higher-is-better: 26 weeks is 182 days, so a value
    of 182 days meets it and the amber floor is exactly 23.4 weeks = 163.8 days.
    """
    toml = _toml(
        Indicator(id="pi", polarity=Polarity.HIGHER),
        unit=unit,
        target=target,
        tolerance='{ relative = "10%" }',
        stretch=None,
    )
    assert _status(toml, value) == expected


@pytest.mark.parametrize(
    ("target", "stretch"),
    [("0", '{ relative = "10%" }'), ("26", '{ absolute = "0 weeks" }')],
)
def test_zero_width_stretch_loads_with_a_warning(target: str, stretch: str) -> None:
    """ "Unit invariance: expressing value, target and absolute tolerance in another
    compatible unit (days/weeks, percent/fraction where declared) never changes the status."

    The property above needs every generated ruleset to load. A brag indicator whose stretch
    is zero wide loads with a warning, as a zero-width tolerance does (green is unreachable
    only because the stretch margin is zero), and rates a value on the target blue. (This
    used to be a load error; the property found it.)
    """
    toml = _toml(
        Indicator(id="pi", polarity=Polarity.HIGHER, scale=BRAG),
        unit="weeks",
        target=f"{target} weeks",
        tolerance='{ absolute = "2 weeks" }',
        stretch=stretch,
    )
    ruleset = ragrules.loads(toml)
    assert ruleset.warnings
    assert _status(toml, f"{target} weeks") == "blue"
