"""A header with two columns that read as one field is refused by every reader of headers:
which one holds the values would be a guess, and the other's values would be lost."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import ragrules
from ragrules import DataError
from ragrules.data import parse_csv, parse_json, read_observations
from ragrules.reports.compiled import rate_csv_stream, rate_lines

RULESET = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "r"\n'
    '[[indicator]]\nid = "a"\ntarget = 5\ntolerance = { relative = "10%" }\n'
)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("indicator,period,value,value", "columns 3 ('value') and 4 ('value') are both read"),
        ("indicator,period,Value,value ", "columns 3 ('Value') and 4 ('value ') are both read"),
        ("indicator,Indicator,period,value", "columns 1 ('indicator') and 2 ('Indicator')"),
        ("indicator,period,value,previous,Previous", "columns 4 ('previous') and 5 ('Previous')"),
    ],
)
def test_parse_csv_refuses_two_columns_of_one_field(header: str, message: str) -> None:
    cells = ",".join(["a", "2020/21 Q1", "5", "6", "4"][: header.count(",") + 1])
    with pytest.raises(DataError) as caught:
        parse_csv(f"{header}\n{cells}\n", source="data.csv")
    (problem,) = caught.value.problems
    assert problem.file == "data.csv"
    assert message in problem.message
    assert problem.hint is not None and "--columns '#" in problem.hint


def test_naming_one_column_reads_it(tmp_path: Path) -> None:
    """The hint's remedy works: the column named is read, the other left out."""
    path = tmp_path / "data.csv"
    path.write_text("indicator,period,value,value\na,2020/21 Q1,5,6\n", encoding="utf-8")
    (row,) = read_observations(path, columns={"#4": "value"})
    assert isinstance(row, ragrules.Observation)
    assert row.value == "6"


def test_other_columns_of_one_name_are_still_kept_first() -> None:
    """Two extra columns of one key are not a field: the first is kept, as documented."""
    (row,) = parse_csv("indicator,period,value,Note,note\na,2020/21 Q1,5,x,y\n")
    assert isinstance(row, ragrules.Observation)
    assert row.extra == (("note", "x"),)


def test_workbooks_refuse_it(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["indicator", "period", "value", "Value"])
    book.active.append(["a", "2020/21 Q1", "5", "6"])
    path = tmp_path / "data.xlsx"
    book.save(path)
    with pytest.raises(DataError, match="columns 3 \\('value'\\) and 4 \\('Value'\\)"):
        read_observations(path)


def test_every_stream_refuses_it(tmp_path: Path) -> None:
    """The compiled stream, the columnar engine and Spark's rows agree with the report."""
    path = tmp_path / "data.csv"
    path.write_text("indicator,period,value,value\na,2020/21 Q1,5,6\n", encoding="utf-8")
    with pytest.raises(DataError, match="are both read as 'value'"):
        rate_csv_stream(RULESET, path, io.StringIO())
    with pytest.raises(DataError, match="are both read as 'value'"):
        rate_lines(RULESET, ["indicator", "period", "value", "value"], [], io.StringIO())
    columnar = pytest.importorskip("ragrules.columnar")
    with pytest.raises(DataError, match="are both read as 'value'"):
        columnar.rate_csv_columnar(RULESET, path, io.StringIO())


def test_json_records_are_rejected_one_by_one() -> None:
    """A JSON record's keys are checked per record, as before: that record is rejected at
    its row, and the file's other records are rated."""
    records = parse_json(
        '[{"indicator": "a", "period": "2020/21 Q1", "value": "5", "Value ": "6"},'
        ' {"indicator": "a", "period": "2020/21 Q2", "value": "5"}]'
    )
    report = RULESET.rate(records)
    assert [(row.row, row.reason) for row in report.rejected] == [
        (1, "keys 'value' and 'Value ' both give 'value'")
    ]
    assert [result.status for result in report.results] == ["green"]
