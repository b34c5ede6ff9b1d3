"""One vocabulary: a result's names are the same as attributes, in `to_dict()`, in the JSON
report, in the JSON-lines and CSV streams, in the CSV report and in `rate_frame`'s columns
(docs/api.md, "One vocabulary")."""

from __future__ import annotations

import csv
import io
import json

import attrs
import pytest

import ragrules
from ragrules.engine.result import Rejection, Result, movement_dict
from ragrules.engine.travel import Movement
from ragrules.output import to_csv, to_json
from ragrules.reports._columns import MOVEMENT_COLUMNS, RESULT_COLUMNS
from ragrules.stream import write_stream
from tests.conftest import EXAMPLES

RULES = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
ROWS = [
    *ragrules.read_observations(EXAMPLES / "havering-2020-21-q2.csv"),
    {"indicator": "lac-supervision", "period": "2020/21 Q2", "value": "96.1", "authority": "E1"},
    {"indicator": "not-an-indicator", "period": "2020/21 Q2", "value": "1"},
]
REPORT = RULES.rate(ROWS, period="2020/21 Q2")
# Names in to_dict() that are not attributes: the indicator's own, beside its id, and `rated`
# (a property of the result).
DERIVED = {"title", "unit", "polarity", "rated", "edges", "fragile"}
# Lists and objects in JSON: bounds and edges are one cell each in CSV, the rest flattened.
ONE_CELL = ("bounds", "edges", "fragile")
FLAT = ("breakdown", "travel", "columns")


def _fields(cls: type) -> list[str]:
    return [field.name for field in attrs.fields(cls)]


# Officer judgement's names, only where an indicator can be judged (0.1's records otherwise),
# with the reported status (a property) beside them; and the earlier statuses, only where
# exception rules read them; and the marks of a value marked provisional or revised.
JUDGEMENT = {"override", "forecast", "earlier_statuses", "marks"}


def test_a_result_dict_has_the_attributes_names() -> None:
    for result in REPORT.results:
        assert set(result.to_dict()) == set(_fields(Result)) - JUDGEMENT | DERIVED


def test_a_judged_result_dict_has_the_attributes_names() -> None:
    rules = ragrules.load(EXAMPLES / "judgement" / "officer-judgement.toml")
    data = ragrules.read_observations(EXAMPLES / "judgement" / "officer-judgement-2024-25-q2.csv")
    results = rules.rate(data).results
    assert all(result.indicator.judged or result.override for result in results)
    for result in results:
        optional = {"earlier_statuses", "marks"}
        expected = set(_fields(Result)) - optional | DERIVED | {"reported_status"}
        assert set(result.to_dict()) == expected


def test_a_movement_dict_has_the_attributes_names() -> None:
    moves = [move for result in REPORT.results for move in result.travel]
    assert moves
    for move in moves:
        # `against` is the comparison's, beside its name, as an indicator's title is.
        # `word` only for a comparison with graded words (tests/test_travel_words.py).
        assert set(movement_dict(move)) == set(_fields(Movement)) - {"word"} | {"against"}


def test_a_rejection_dict_has_the_attributes_names() -> None:
    assert REPORT.rejected
    for rejection in REPORT.rejected:
        assert list(rejection.to_dict()) == _fields(Rejection)


def test_the_json_report_holds_each_results_dict() -> None:
    data = json.loads(to_json(REPORT))
    assert data["results"] == [json.loads(json.dumps(r.to_dict())) for r in REPORT.results]


def test_the_csv_columns_are_the_dicts_names_in_its_order() -> None:
    keys = list(REPORT.results[0].to_dict())
    assert list(RESULT_COLUMNS) == [key for key in keys if key not in FLAT]
    assert list(MOVEMENT_COLUMNS) == [
        key
        for key in movement_dict(REPORT.results[0].travel[0])
        if key not in ("comparison", "earlier_judgements")
    ]
    header = next(csv.reader(io.StringIO(to_csv(REPORT))))
    comparisons = [c.name for c in RULES.travel.comparisons]
    travel = [f"{name}_{field}" for name in comparisons for field in MOVEMENT_COLUMNS]
    passed = list(dict.fromkeys(key for r in REPORT.results for key, _ in r.columns))
    assert passed  # the published columns, passed through
    assert header == [*RESULT_COLUMNS, *travel, *passed]


def test_csv_cells_are_the_dicts_values_as_text() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(REPORT, safe=False))))
    for result, row in zip(REPORT.results, rows, strict=True):
        data = result.to_dict()
        for key in RESULT_COLUMNS:
            if key not in ONE_CELL:
                expected = data[key]
                assert row[key] == ("" if expected is None else str(expected)), key
        assert row["bounds"] == "; ".join(bound["condition"] for bound in data["bounds"])
        assert row["edges"] == "; ".join(edge["words"] for edge in data["edges"])
        assert row["fragile"] == "; ".join(data["fragile"])
        for move in data["travel"]:
            for field in MOVEMENT_COLUMNS:
                cell = move[field]
                assert row[f"{move['comparison']}_{field}"] == ("" if cell is None else cell)


def _stream(fmt: str) -> str:
    out = io.StringIO()
    write_stream(RULES.iter_rate(ROWS, period="2020/21 Q2"), RULES, out, fmt, safe_csv=False)
    return out.getvalue()


def test_stream_lines_are_the_dicts_with_the_streams_own_keys() -> None:
    lines = [json.loads(line) for line in _stream("json").splitlines()]
    results = [line for line in lines if "rejected" not in line]
    rejected = [line for line in lines if "rejected" in line]
    assert results and rejected
    for line in results:
        assert set(line) == set(_fields(Result)) - JUDGEMENT | DERIVED | {"exception_reasons"}
    for line in rejected:
        assert set(line) == set(_fields(Rejection)) | {"rejected"}


def test_the_stream_csv_has_the_report_csv_columns_then_its_own() -> None:
    comparisons = [c.name for c in RULES.travel.comparisons]
    stream_header = next(csv.reader(io.StringIO(_stream("csv"))))
    fixed = [*RESULT_COLUMNS, *(f"{n}_{f}" for n in comparisons for f in MOVEMENT_COLUMNS)]
    assert stream_header[: len(fixed)] == fixed
    assert stream_header[len(fixed) : len(fixed) + 2] == ["exception_reasons", "rejected"]


def test_pandas_columns_are_the_csv_columns() -> None:
    pandas = pytest.importorskip("pandas")
    from ragrules.pandas import rate_frame

    frame = pandas.read_csv(EXAMPLES / "havering-2020-21-q2.csv", dtype=str, keep_default_na=False)
    rated = rate_frame(RULES, frame, period="2020/21 Q2")
    expected = next(csv.reader(io.StringIO(to_csv(rated.attrs["report"]))))
    assert list(rated.columns) == expected
