"""Careless calls get a clear error, or what the caller meant: limits, delimiters, cells
given as bytes, glyph names and CSV cells that are not text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ragrules import Observation
from ragrules.data import parse_csv, read_observations
from ragrules.model.travel import Travel
from ragrules.output import csv_safe, csv_unsafe

_CSV = "indicator,period,value\npi-1,2020/21 Q1,5\npi-1,2020/21 Q2,6\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.csv"
    path.write_text(_CSV, encoding="utf-8")
    return path


def test_no_limit_is_none(data: Path) -> None:
    assert len(read_observations(data, max_rows=None, max_bytes=None)) == 2
    assert len(read_observations(data, max_bytes=float("inf"))) == 2  # type: ignore[arg-type]


def test_a_whole_number_written_as_a_float_is_a_limit(data: Path) -> None:
    assert len(read_observations(data, max_bytes=1e6, max_rows=10.0)) == 2  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["max_rows", "max_bytes"])
@pytest.mark.parametrize("given", ["10", 2.5, True, float("nan")])
def test_a_limit_that_is_not_a_whole_number_is_a_type_error(
    data: Path, name: str, given: object
) -> None:
    with pytest.raises(TypeError, match=f"{name} is a whole number"):
        read_observations(data, **{name: given})  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["max_rows", "max_bytes"])
def test_a_limit_below_zero_is_a_value_error(data: Path, name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} cannot be below 0"):
        read_observations(data, **{name: -1})  # type: ignore[arg-type]


def test_limits_still_hold(data: Path) -> None:
    from ragrules import DataError

    with pytest.raises(DataError, match="more than 1 rows"):
        read_observations(data, max_rows=1)
    with pytest.raises(DataError, match="over 10 bytes"):
        read_observations(data, max_bytes=10)


def test_a_delimiter_that_is_not_text_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="delimiter is one character as text"):
        parse_csv(_CSV, delimiter=44)  # type: ignore[arg-type]
    assert len(parse_csv(_CSV.replace(",", ";"), delimiter=";")) == 2


def test_cells_given_as_bytes_are_read_as_utf8_text() -> None:
    row = {"indicator": b"pi-1", "period": bytearray(b"2020/21 Q1"), "value": b"5\xc2\xa0"}
    observation = Observation.from_mapping(row, row=2)
    assert (observation.indicator, observation.period, observation.value) == (
        "pi-1",
        "2020/21 Q1",
        "5",  # a no-break space stripped, as from text
    )
    assert Observation(value=memoryview(b"7")).value == "7"


def test_bytes_that_are_not_utf8_are_read_as_windows_1252() -> None:
    """As a file holding no UTF-8 is read: one such cell never rejects its row."""
    assert Observation(value=b"\xa35", commentary=b"caf\xe9").commentary == "caf\u00e9"
    assert Observation(value=b"\xa35").value == "\u00a35"


def test_a_glyph_for_no_direction_or_judgement_is_a_value_error() -> None:
    travel = Travel()
    assert travel.glyph("improving") == "\u2191"
    with pytest.raises(ValueError, match=r"no glyph for 'sideways'.*improving"):
        travel.glyph("sideways")


def test_the_last_glyph_given_for_a_name_wins() -> None:
    travel = Travel(glyphs=(("up", "A"), ("up", "B")))
    assert travel.glyph("up") == "B"
    assert travel.glyph("down") == "\u2193"  # not given: the default


@pytest.mark.parametrize("function", [csv_safe, csv_unsafe])
def test_csv_cells_must_be_text(function: object) -> None:
    with pytest.raises(TypeError, match="takes a cell's text"):
        function(None)  # type: ignore[operator]
    assert function("=1") in ("'=1", "=1")  # type: ignore[operator]


def test_a_hand_built_margin_reads_its_basis_and_amount() -> None:
    from decimal import Decimal

    from ragrules.model.rules import Basis, Margin

    margin = Margin(basis="relative", amount=0.05)
    assert margin.basis is Basis.RELATIVE and margin.amount == Decimal("0.05")
    assert margin.resolve(Decimal(80)) == Decimal("4.00")  # relative: not read as 0.05 points
    with pytest.raises(ValueError, match="'percent' is not a Basis: one of 'relative'"):
        Margin(basis="percent", amount=1)
    with pytest.raises(ValueError, match="a margin cannot be negative"):
        Margin(basis=Basis.ABSOLUTE, amount=-1)
    with pytest.raises(ValueError, match="a margin is a finite number"):
        Margin(basis=Basis.ABSOLUTE, amount=float("nan"))
    with pytest.raises(TypeError, match="a margin is a number"):
        Margin(basis=Basis.ABSOLUTE, amount=None)


def test_a_hand_built_rounding_reads_its_places_and_mode() -> None:
    from ragrules.model.numbers import RoundingMode
    from ragrules.model.rules import Rounding

    rounding = Rounding(places=1, mode="half-even")
    assert rounding.mode is RoundingMode.HALF_EVEN
    with pytest.raises(TypeError, match="a whole number, not '1'"):
        Rounding(places="1")
    with pytest.raises(TypeError, match="a whole number, not True"):
        Rounding(places=True)
    with pytest.raises(ValueError, match="places must be from 0 to 12, not -1"):
        Rounding(places=-1)
    with pytest.raises(ValueError, match="places must be from 0 to 12, not 1000000"):
        Rounding(places=10**6)
    with pytest.raises(ValueError, match="'nearest' is not a RoundingMode"):
        Rounding(places=1, mode="nearest")
