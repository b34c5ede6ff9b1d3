"""A careless caller of the Python API: observations sharing a row number, a `source` that is
a path, numpy floats given to the testing kit, a calendar named by its value, text holding a
lone surrogate, read limits, delimiters, cells given as bytes, glyph names, CSV cells that are
not text, hand-built margins and roundings. Each is read as meant, or refused with an error
that says so; none is lost."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules import Observation, testing
from ragrules.data import parse_csv, read_observations
from ragrules.model.travel import Travel
from ragrules.output import csv_safe, csv_unsafe, render

np = pytest.importorskip("numpy")

RULES = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "ex"\n[[indicator]]\nid = "a"\ntarget = 90\n'
    'tolerance = { absolute = 5 }\n[[indicator]]\nid = "b"\ntarget = 90\n'
    "tolerance = { absolute = 5 }\n"
)
PERIODS = ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3"]


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(PERIODS), st.integers(0, 120)),
        min_size=1,
        max_size=6,
        unique_by=lambda t: t[0],
    )
)
def test_observations_sharing_a_row_number_are_each_rated_by_iter_rate(
    rows: list[tuple[str, str, int]],
) -> None:
    """A spreadsheet line holding several indicators, given one row number: each is its own
    series, and each gets its result, whatever periods they are for."""
    line = [Observation(indicator=i, period=p, value=str(v), row=7) for i, p, v in rows]
    found = [item for item in RULES.iter_rate(line) if isinstance(item, ragrules.Result)]
    assert len(found) == len(rows)  # and no rejection
    assert sorted((r.indicator.id, str(r.period)) for r in found) == sorted(
        (i, p) for i, p, _ in rows
    )


def test_a_source_that_is_a_path_names_the_text_in_errors() -> None:
    with pytest.raises(ragrules.RulesetError) as raised:
        ragrules.loads(
            '[ruleset]\nformat = 1\nid = "x"\n[[indicator]]\nid = "a"\ntarget = 1\n',
            source=Path("council.toml"),
        )
    assert str(raised.value).startswith("council.toml:4:1: indicator[0]: scale 'rag' needs")
    text = RULES.canonical_toml
    assert ragrules.loads(text, source=Path("c.toml")).source == "c.toml"
    with pytest.raises(TypeError, match="source must be a file name"):
        ragrules.loads(text, source=5)  # type: ignore[arg-type]


@given(st.floats(min_value=0, max_value=200, allow_nan=False).map(lambda f: round(f, 2)))
def test_the_testing_kit_reads_a_numpy_float_as_the_float_it_is(value: float) -> None:
    indicator = RULES.indicator("a")
    assert testing.reference_status(indicator, np.float64(value)) == testing.reference_status(
        indicator, value
    )


@pytest.mark.parametrize("call", [testing.relative_margin, testing.absolute_margin])
def test_a_number_beyond_the_librarys_range_is_a_value_error(call: object) -> None:
    with pytest.raises(ValueError, match="out of range"):
        call(Decimal("1E+999999"))  # type: ignore[operator]


def test_a_calendar_may_be_named_by_its_value_and_nothing_else() -> None:
    academic = ragrules.parse_period("2020/21 Q1", "academic")  # type: ignore[arg-type]
    assert academic == ragrules.parse_period("2020/21 Q1", ragrules.Calendar.ACADEMIC)
    with pytest.raises(ValueError, match="calendar must be a Calendar or one of"):
        ragrules.parse_period("2020/21 Q1", "acad")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a period is text"):
        ragrules.parse_period(None)  # type: ignore[arg-type]


def test_a_lone_surrogate_in_a_python_row_is_read_as_the_json_reader_reads_it() -> None:
    rows = json.loads(
        '[{"indicator": "a", "period": "2024/25 Q1", "value": "91", "commentary": "x \\ud800"}]'
    )
    report = RULES.rate(rows)
    assert report.results[0].commentary == "x \ufffd"
    for fmt in ("json", "csv", "html", "markdown"):
        render(report, fmt).encode("utf-8")  # every output can be written


def test_totality_counts_a_rows_earlier_values_as_the_library_reads_them() -> None:
    row = {"indicator": "a", "period": "2024/25 Q1", "value": "91", "previous": "80"}
    report = testing.check_totality(RULES, [row, {**row, "indicator": "b", "previous": ""}])
    assert report.history == (1,)


def test_an_unknown_format_names_the_formats() -> None:
    report = RULES.rate([{"indicator": "a", "period": "2024/25 Q1", "value": "91"}])
    with pytest.raises(ValueError, match="format must be one of table, json, csv"):
        render(report, "JSON")


def test_a_breakdown_that_is_no_mapping_is_a_type_error() -> None:
    report = RULES.rate([{"indicator": "a", "period": "2024/25 Q1", "value": "91"}])
    with pytest.raises(TypeError, match="breakdown is a mapping"):
        report.result("a", breakdown="sex")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"or \(name, value\) pairs"):
        report.result("a", breakdown=[("sex",)])  # type: ignore[list-item]


def test_a_results_own_breakdown_finds_it_again() -> None:
    """`Result.breakdown` is (name, value) pairs: given back to `result`, it finds the same
    series, as the mapping does."""
    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "b"\n[data]\nbreakdowns = ["sex"]\n'
        '[[indicator]]\nid = "a"\nunit = "number"\ntarget = 90\n'
        "tolerance = { absolute = 5 }\n"
    )
    rows = [
        {"indicator": "a", "period": "2024/25 Q1", "value": v, "sex": sex}
        for v, sex in (("91", "Male"), ("80", "Female"))
    ]
    report = rules.rate(rows)
    for result in report.results:
        assert report.result("a", breakdown=result.breakdown) is result
        assert report.result("a", breakdown=dict(result.breakdown)) is result


@pytest.mark.parametrize("calendar", list(ragrules.Calendar))
def test_a_period_object_places_earlier_values_as_its_text_does(
    tmp_path: Path, calendar: ragrules.Calendar
) -> None:
    """`rate_frame` and `read_observations` take the report period as a `Period` too, as
    `rate` does: earlier values are placed from it, whatever the ruleset's calendar."""
    pandas = pytest.importorskip("pandas")
    from ragrules.pandas import rate_frame

    period = ragrules.parse_period("2024/25 Q2", calendar)
    frame = pandas.DataFrame([{"indicator": "a", "value": "91", "previous": "80"}])
    given = rate_frame(RULES, frame, period=period)
    assert list(given["status"]) == ["green", "no-data"]  # a row per indicator
    assert given.attrs["report"].history == (1,)
    path = tmp_path / "d.csv"
    path.write_text("indicator,value,previous\na,91,80\n", encoding="utf-8")
    read = [
        o for o in ragrules.read_observations(path, period=period) if isinstance(o, Observation)
    ]
    assert [ragrules.parse_period(o.period, calendar) for o in read] == [period, period.previous()]
    with pytest.raises(TypeError, match="period is text"):
        ragrules.read_observations(path, period=2024)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "index"), [("QUARTER", 0), ("QUARTER", 5), ("MONTH", 13), ("YEAR", 2)]
)
def test_a_period_made_by_hand_is_checked(kind: str, index: int) -> None:
    with pytest.raises(ValueError, match="index is 1 to"):
        ragrules.Period(kind=ragrules.PeriodKind[kind], year=2024, index=index)


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
