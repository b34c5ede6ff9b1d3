"""Frames and rows a fuzzer found mishandled: float32 cells stored as categories or sparse,
columns of one name under the documented matching, 0/1 flag columns stored as floats, the
wrong kind of frame, and the caller's decimal context (its `capitals`) leaking into the text
of a value read from a Decimal or a float.
"""

from __future__ import annotations

import decimal
import importlib.util
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.data import read_observations
from ragrules.model.observations import Observation
from ragrules.output import to_json
from ragrules.stream import write_stream

pandas = pytest.importorskip("pandas")
numpy = pytest.importorskip("numpy")

from ragrules.pandas import rate_frame  # noqa: E402  (needs pandas)

RULES = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "r"\n'
    + "".join(
        f'[[indicator]]\nid = "{name}"\ntarget = "{target}"\n'
        f'tolerance = {{ absolute = "{margin}" }}\n'
        for name, target, margin in (
            ("a", "69.825", "1"),
            ("b", "10", "1"),
            ("c", "10", "1"),
            ("tiny", "1e-7", "1e-8"),
            ("huge", "1e22", "1e20"),
        )
    )
)


def _rated(column: Any, indicator: str = "a") -> Any:
    """The result for `indicator` of a one-row frame whose value column is `column`."""
    frame = pandas.DataFrame({"indicator": [indicator] * len(column), "value": column})
    return rate_frame(RULES, frame).attrs["report"].result(indicator)


def _shapes(plain: Any) -> dict[str, Any]:
    """One float column stored the ways pandas can store it: plain, as a category, sparse."""
    shapes = {
        "plain": plain,
        "sparse": pandas.Series(pandas.arrays.SparseArray(plain.to_numpy())),
        "sparse, zero fill": pandas.Series(
            pandas.arrays.SparseArray(plain.to_numpy(), fill_value=0)
        ),
    }
    if plain.dtype != numpy.float16:  # pandas has no float16 index, so no float16 category
        shapes["category"] = plain.astype("category")
    return shapes


# 1 and 3: a float32 category or a sparse float column, read through its own type.


@pytest.mark.parametrize("width", ["float32", "float16", "float64"])
def test_a_float_category_or_sparse_column_reads_as_the_plain_column(width: str) -> None:
    plain = pandas.Series([69.825], dtype=width)
    expected = _rated(plain)
    assert expected.value_text == str(plain.to_numpy()[0])  # the type's own shortest form
    for shape, column in _shapes(plain).items():
        got = _rated(column)
        assert (shape, got.status, got.value_text) == (shape, expected.status, expected.value_text)
    assert _rated(pandas.Series([69.825], dtype="float32").astype("category")).status == "green"


@pytest.mark.parametrize(
    "column",
    [
        pandas.Series([69.825, None], dtype="Float32").astype("category"),
        pandas.Series([69.825, None], dtype="float32").astype("category"),
        pandas.Series(pandas.arrays.SparseArray(numpy.array([69.825, numpy.nan], "float32"))),
        pandas.Series([69.825, None], dtype="Float32"),
    ],
    ids=["Float32 category", "float32 category", "sparse float32", "Float32"],
)
def test_a_missing_cell_of_a_wrapped_float32_is_blank(column: Any) -> None:
    frame = pandas.DataFrame({"indicator": ["a", "b"], "value": column})
    report = rate_frame(RULES, frame).attrs["report"]
    assert (report.result("a").status, report.result("a").value_text) == ("green", "69.825")
    assert report.result("b").status == "no-data"


def test_a_sparse_column_of_integers_or_text_is_read() -> None:
    ints = pandas.Series(pandas.arrays.SparseArray(numpy.array([10, 0])))
    frame = pandas.DataFrame({"indicator": ["b", "c"], "value": ints})
    report = rate_frame(RULES, frame).attrs["report"]
    assert [report.result(i).value_text for i in "bc"] == ["10", "0"]


@given(st.floats(width=32, allow_nan=False, allow_infinity=False))
def test_any_float32_rates_as_its_shortest_text_however_stored(number: float) -> None:
    plain = pandas.Series([number], dtype="float32")
    text = str(plain.to_numpy()[0])  # numpy's shortest form of the float32
    expected = RULES.rate_value("a", text)
    for shape, column in _shapes(plain).items():
        got = _rated(column)
        assert (shape, got.status, got.value) == (shape, expected.status, expected.value)
        if not (shape == "sparse, zero fill" and number == 0):  # -0.0 is stored as the fill 0
            assert (shape, got.value_text) == (shape, expected.value_text)


@given(st.floats(width=16, allow_nan=False, allow_infinity=False))
def test_any_float16_rates_as_its_shortest_text_however_stored(number: float) -> None:
    plain = pandas.Series([number], dtype="float16")
    expected = RULES.rate_value("a", str(plain.to_numpy()[0]))
    for shape, column in _shapes(plain).items():
        got = _rated(column)
        assert (shape, got.status, got.value) == (shape, expected.status, expected.value)


# 2: two columns of one name under the documented matching are refused up front.


@pytest.mark.parametrize(
    ("first", "second", "name"),
    [
        ("value", "Value", "value"),
        ("Indicator", "indicator", "indicator"),
        ("value", "value ", "value"),
        ("period", "PERIOD", "period"),
        ("my-benchmark", "My Benchmark", "my_benchmark"),
        ("Area Code", "area_code", "area"),
    ],
)
def test_two_columns_of_one_name_as_matched_are_refused(first: str, second: str, name: str) -> None:
    frame = pandas.DataFrame([["a", "2024/25 Q1", "10", "9"]], columns=["x", "y", first, second])
    frame = frame.rename(columns={"x": "indicator" if name != "indicator" else "ind"})
    frame = frame.rename(columns={"y": "period" if name != "period" else "when"})
    with pytest.raises(ragrules.DataError) as caught:
        rate_frame(RULES, frame)
    (problem,) = caught.value.problems
    assert problem.message.startswith(f"the frame has two columns named {name!r}: ")
    assert repr(first) in problem.message and repr(second) in problem.message
    assert "which one holds the rows' values is unknown" in str(caught.value)


def test_an_exact_duplicate_is_refused_as_before() -> None:
    frame = pandas.DataFrame([["a", "10", "9"]], columns=["indicator", "value", "value"])
    with pytest.raises(ragrules.DataError, match="two columns named 'value' \\(rename"):
        rate_frame(RULES, frame)


# 5: a flag that is a number equal to zero does not flag the row, from any input.


def _noted(rows: list[Any]) -> list[str]:
    return [s.result.indicator.id for s in RULES.rate(rows).of_particular_note]


def test_a_float_flag_column_flags_only_its_ones() -> None:
    frame = pandas.DataFrame({"indicator": ["a", "b", "c"], "value": [69.825, 10, 10]})
    frame["flag"] = [0, 1, None]  # one blank: pandas stores the column as float64
    assert frame["flag"].dtype == numpy.float64
    report = rate_frame(RULES, frame).attrs["report"]
    assert [(s.result.indicator.id, s.reasons) for s in report.of_particular_note] == [
        ("b", ("flagged: 1.0",))
    ]


@pytest.mark.parametrize(
    "flag", [0, 0.0, -0.0, Decimal("0.0"), Decimal("-0E+3"), "0.0", "0.00", "-0", " +0.0 ", "0e5"]
)
def test_a_zero_flag_does_not_flag(flag: object) -> None:
    assert _noted([{"indicator": "b", "value": "10", "flag": flag}]) == []
    assert _noted([{"indicator": "b", "value": "10", "flag": "1.0"}]) == ["b"]


def test_a_zero_flag_in_a_csv_file_does_not_flag(tmp_path: Path) -> None:
    path = tmp_path / "flags.csv"
    path.write_text("indicator,value,flag\nb,10,0.0\nc,10,1.0\na,69.825,-0\n", encoding="utf-8")
    assert _noted(list(read_observations(path))) == ["c"]


ZERO_TEXT = st.builds(
    lambda sign, whole, point, fraction, exponent: f"{sign}{whole}{point}{fraction}{exponent}",
    st.sampled_from(["", "-", "+"]),
    st.from_regex(r"0{1,4}", fullmatch=True),
    st.sampled_from(["", "."]),
    st.from_regex(r"0{0,4}", fullmatch=True),
    st.sampled_from(["", "e0", "E+3", "e-2"]),
)


@given(ZERO_TEXT, st.sampled_from(["", " ", "\t"]))
def test_any_zero_number_text_does_not_flag(text: str, space: str) -> None:
    assert not Observation(indicator="a", flag=f"{space}{text}{space}").flagged


@given(st.decimals(allow_nan=False, allow_infinity=False).filter(bool))
def test_any_nonzero_number_flags(number: Decimal) -> None:
    assert Observation(indicator="a", flag=str(number)).flagged
    assert Observation(indicator="a", flag=number).flagged


# 7: the wrong kind of frame is a TypeError that says what to pass.


@pytest.mark.parametrize(
    ("given_frame", "words"),
    [
        ([{"indicator": "a", "value": "1"}], "not a list: for rows (a list of dicts) use"),
        ({"indicator": ["a"], "value": ["1"]}, "not a dict"),
        (pandas.Series(["a"], name="indicator"), "series.to_frame()"),
        ("indicator,value\na,1", "not a str"),
    ],
    ids=["list", "dict", "Series", "str"],
)
def test_what_is_not_a_pandas_frame_is_a_type_error(given_frame: object, words: str) -> None:
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame") as caught:
        rate_frame(RULES, given_frame)
    assert words in str(caught.value)


def test_a_polars_frame_is_a_type_error_saying_what_to_pass() -> None:
    polars = pytest.importorskip("polars")
    frame = polars.DataFrame({"indicator": ["a"], "value": ["69.825"]})
    with pytest.raises(TypeError, match=r"not a polars\.DataFrame") as caught:
        rate_frame(RULES, frame)
    assert "frame.to_pandas()" in str(caught.value)
    with pytest.raises(TypeError, match=r"frame\.to_dicts\(\)"):
        RULES.rate(frame)
    # What the messages say works (polars' `to_pandas` needs pyarrow, which the `dev` extra
    # does not install; `to_dicts` needs nothing).
    assert RULES.rate(frame.to_dicts()).result("a").status == "green"
    if importlib.util.find_spec("pyarrow") is not None:
        assert rate_frame(RULES, frame.to_pandas()).attrs["report"].result("a").status == "green"


# 8: the caller's decimal context changes no result and no byte.

ROWS: list[dict[str, object]] = [
    {"indicator": "tiny", "period": "2024/25 Q1", "value": 1e-7},
    {"indicator": "huge", "period": "2024/25 Q1", "value": 1e22},
    {"indicator": "a", "period": "2024/25 Q1", "value": Decimal("69.8250")},
    {"indicator": "b", "period": "2024/25 Q1", "value": Decimal("1E+1"), "target": 1e1},
    {"indicator": "c", "period": "2024/25 Q1", "value": Decimal("1E+400"), "note": 1e-9},
    {"indicator": "tiny", "period": "2024/25 Q2", "value": Decimal("1.0E-7"), "flag": 0.0},
    {"indicator": "a", "period": "2024/25 Q2", "value": 2**70},
]
CONTEXTS = {
    "capitals=0": decimal.Context(capitals=0),
    "prec=3, floor": decimal.Context(prec=3, rounding=decimal.ROUND_FLOOR),
    "prec=1, up, capitals=0": decimal.Context(prec=1, rounding=decimal.ROUND_UP, capitals=0),
    "every trap": decimal.Context(
        prec=5,
        traps=[
            decimal.Inexact,
            decimal.Rounded,
            decimal.FloatOperation,
            decimal.InvalidOperation,
            decimal.DivisionByZero,
            decimal.Overflow,
            decimal.Underflow,
            decimal.Subnormal,
            decimal.Clamped,
        ],
    ),
    "no traps, small exponents": decimal.Context(traps=[], Emax=5, Emin=-5, capitals=0),
}


def _every_entry_point() -> dict[str, object]:
    """What each entry point gives for ROWS, written out as the caller would."""
    out = io.StringIO()
    write_stream(RULES.iter_rate(ROWS), RULES, out)
    frame = pandas.DataFrame(ROWS)
    return {
        "rate": to_json(RULES.rate(ROWS)),
        "rate results": RULES.rate(ROWS).results,
        "iter_rate": list(RULES.iter_rate(ROWS)),
        "iter_rate stream": out.getvalue(),
        "rate_frame": rate_frame(RULES, frame).values.tolist(),
        "rate_value": RULES.rate_value("tiny", Decimal("1E-7")),
    }


@pytest.mark.parametrize("context", CONTEXTS.values(), ids=CONTEXTS.keys())
def test_the_callers_decimal_context_changes_no_result(context: decimal.Context) -> None:
    expected = _every_entry_point()
    assert "1E-7" in str(expected["iter_rate stream"])
    with decimal.localcontext(context):
        got = _every_entry_point()
        flags = {flag for flag, raised in decimal.getcontext().flags.items() if raised}
    for name, value in expected.items():
        assert (name, got[name]) == (name, value)
    assert flags == set()  # nor is the caller's context touched


@given(
    st.one_of(
        st.floats(allow_nan=False, allow_infinity=False),
        st.decimals(allow_nan=False, allow_infinity=False),
    ),
    st.sampled_from(list(CONTEXTS.values())),
)
def test_a_numbers_text_is_the_same_in_any_context(
    number: float | Decimal, context: decimal.Context
) -> None:
    rows = [{"indicator": "tiny", "period": "2024/25 Q1", "value": number, "x": number}]

    def read() -> list[object]:
        return list(RULES.iter_rate(rows))

    expected = read()
    with decimal.localcontext(context):
        assert read() == expected
