"""The Excel and pandas extras: the printed Havering table from a workbook, and a DataFrame."""

from __future__ import annotations

from pathlib import Path

import pytest

import ragrules
from ragrules.data import parse_columns, read_observations
from tests.conftest import EXAMPLES, ROOT

openpyxl = pytest.importorskip("openpyxl")

PRINTED = EXAMPLES / "havering-2020-21-q2-printed.tsv"
MAPPING = "#1=indicator,#6=value,#7=published_short,#8=previous,#9=published_long,#10=last_year"


def _workbook(path: Path) -> Path:
    """An .xlsx made from the printed table: percentages as numbers formatted as %."""
    book = openpyxl.Workbook()
    sheet = book.active
    for line in PRINTED.read_text(encoding="utf-8").splitlines():
        row: list[object] = []
        for cell in line.split("\t"):
            if cell.endswith("%") and cell[:-1].replace(".", "", 1).isdigit():
                row.append(float(cell[:-1]) / 100)
            else:
                row.append(cell)
        sheet.append(row)
    for cells in sheet.iter_rows():
        for box in cells:
            if isinstance(box.value, float):
                box.number_format = "0.0%"
    book.save(path)
    return path


def test_the_printed_table_from_an_xlsx_rates_as_published(tmp_path: Path) -> None:
    """The same table, saved as a workbook with % formats, gives the same report."""
    workbook = _workbook(tmp_path / "havering.xlsx")
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    from_xlsx = ruleset.rate(
        read_observations(workbook, columns=parse_columns(MAPPING), period="2020/21 Q2")
    )
    from_tsv = ruleset.rate(
        read_observations(PRINTED, columns=parse_columns(MAPPING), period="2020/21 Q2")
    )
    assert [r.status for r in from_xlsx.results] == ["red", "red", "amber", "green", "green", "red"]
    assert [r.status for r in from_xlsx.results] == [r.status for r in from_tsv.results]
    assert [m.arrow for r in from_xlsx.results for m in r.travel] == [
        m.arrow for r in from_tsv.results for m in r.travel
    ]


def test_a_damaged_workbook_is_a_data_error(tmp_path: Path) -> None:
    """A file named .xlsx that is not a workbook is a DataError, not a traceback."""
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(ragrules.DataError, match=r"not a readable \.xlsx workbook"):
        read_observations(path)


def test_rate_frame() -> None:
    """A DataFrame in, a DataFrame of results out, with NaN read as no data."""
    pandas = pytest.importorskip("pandas")
    from ragrules.pandas import rate_frame

    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    frame = pandas.DataFrame(
        {
            "indicator": ["early-help-conversion", "early-help-conversion", "lac-supervision"],
            "period": ["2020/21 Q1", "2020/21 Q2", "2020/21 Q2"],
            "value": [30.4, 28.15, float("nan")],
        }
    )
    result = rate_frame(ruleset, frame)
    assert list(result["indicator"])[:2] == ["early-help-conversion", "lac-placement-stability"]
    first = result.iloc[0]
    assert (first["status"], first["value"], first["short_arrow"]) == ("red", "28.15", "\u2193")
    supervision = result[result["indicator"] == "lac-supervision"].iloc[0]
    assert supervision["status"] == "no-data"


def test_rate_frame_carries_its_report() -> None:
    pandas = pytest.importorskip("pandas")
    from ragrules.pandas import rate_frame

    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    frame = pandas.read_csv(EXAMPLES / "havering-2020-21-q2.csv", dtype=str, keep_default_na=False)
    rated = rate_frame(ruleset, frame)
    report = rated.attrs["report"]
    assert list(rated["status"]) == [r.status for r in report.results]
    assert report.summary == ruleset.rate(frame.to_dict("records")).summary


@pytest.mark.parametrize(("dtype", "value"), [("float32", 75.6), ("float16", 74.9)])
def test_a_narrow_float_column_is_read_through_its_own_shortest_form(
    dtype: str, value: float
) -> None:
    """float32 75.6 is 75.6, as `Ruleset.rate` reads the same numpy value, never the float64
    widening 75.5999984741211 (which would rate red against an amber band from 75.6)."""
    pandas = pytest.importorskip("pandas")
    numpy = pytest.importorskip("numpy")
    from ragrules.pandas import rate_frame

    ruleset = ragrules.load(ROOT / "docs" / "tutorial" / "council.toml")
    cells = numpy.array([value, numpy.nan], dtype=dtype)
    frame = pandas.DataFrame(
        {"indicator": ["ASC02", "ASC02"], "period": ["2024/25 Q2", "2024/25 Q1"], "value": cells}
    )
    rated = rate_frame(ruleset, frame)
    (row,) = rated[rated.indicator == "ASC02"].to_dict("records")
    direct = ruleset.rate([{"indicator": "ASC02", "period": "2024/25 Q2", "value": cells[0]}])
    assert row["value"] == str(value)
    assert row["status"] == direct.result("ASC02").status


def test_two_columns_of_one_name_are_refused() -> None:
    pandas = pytest.importorskip("pandas")
    from ragrules.pandas import rate_frame

    frame = pandas.DataFrame(
        [["ASC01", "2024/25 Q2", "74.9%", "99"]], columns=["indicator", "period", "value", "value"]
    )
    ruleset = ragrules.load(ROOT / "docs" / "tutorial" / "council.toml")
    with pytest.raises(ragrules.DataError, match="two columns named 'value'"):
        rate_frame(ruleset, frame)


@pytest.mark.parametrize(
    ("columns", "shown"),
    [
        ([0, 1, 2], "0, 1, 2"),
        (["Indicatr", "period", "value"], "'Indicatr', 'period', 'value'"),
        ([("x", "indicator"), ("x", "period"), ("x", "value")], "('x', 'indicator')"),
    ],
)
def test_a_frame_without_an_indicator_column_is_refused_once(
    columns: list[object], shown: str
) -> None:
    """Not every row rejected alike with "the row has no indicator id": the frame is
    refused, naming its columns, as a CSV file without the column is."""
    pandas = pytest.importorskip("pandas")
    from ragrules.pandas import rate_frame

    frame = pandas.DataFrame([["ASC01", "2024/25 Q2", "74.9%"]])
    frame.columns = (
        pandas.MultiIndex.from_tuples(columns) if isinstance(columns[0], tuple) else columns
    )
    ruleset = ragrules.load(ROOT / "docs" / "tutorial" / "council.toml")
    with pytest.raises(ragrules.DataError) as caught:
        rate_frame(ruleset, frame)
    (problem,) = caught.value.problems
    assert problem.message.startswith("the frame has no indicator column (its columns: ")
    assert shown in problem.message
    # Blind to case and spacing, and a national export's `Indicator ID`, as for a CSV file.
    for name in (" Indicator ", "Indicator ID"):
        frame.columns = pandas.Index([name, "period", "value"])
        assert rate_frame(ruleset, frame).attrs["report"].result("ASC01").status == "amber"
    # A frame of no rows has nothing to reject: every indicator is reported without data.
    assert set(rate_frame(ruleset, frame.iloc[:0, :0])["status"]) == {"no-data"}
