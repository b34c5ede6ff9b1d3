"""Two leftovers of the workbooks: the report's Summary shows no `[""]` for a single
council's data, and an error about a data workbook's header names the sheet it read."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

import ragrules
from ragrules import DataError
from ragrules.data import read_observations
from ragrules.reports._render import areas_json
from ragrules.reports.html import to_html
from ragrules.reports.markdown import to_markdown
from ragrules.reports.xlsx import to_xlsx
from ragrules.tools.published import check_paper, read_paper
from tests.conftest import EXAMPLES

openpyxl = pytest.importorskip("openpyxl")

HAVERING = EXAMPLES / "havering-2020-21-q2.toml"
HAVERING_DATA = EXAMPLES / "havering-2020-21-q2.csv"
AREAS_RULES = EXAMPLES / "rates" / "rates-and-small-numbers.toml"
AREAS_DATA = EXAMPLES / "rates" / "rates-and-small-numbers-2024-25.csv"


def _shown_summary(report: ragrules.Report) -> list[list[Any]]:
    """The Summary sheet's rows as a reader sees them: hidden rows left out."""
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))["Summary"]
    return [
        [cell.value for cell in row]
        for row in sheet.iter_rows()
        if not sheet.row_dimensions[row[0].row].hidden
    ]


def _labelled(rows: list[list[Any]], label: str) -> list[list[Any]]:
    return [row for row in rows if row and row[0] == label]


@pytest.fixture(scope="module")
def havering() -> ragrules.Report:
    return ragrules.load(HAVERING).rate(ragrules.read_observations(HAVERING_DATA))


@pytest.fixture(scope="module")
def national() -> ragrules.Report:
    return ragrules.load(AREAS_RULES).rate(ragrules.read_observations(AREAS_DATA))


def test_a_single_councils_summary_shows_no_areas_row(havering: ragrules.Report) -> None:
    """Data with no area column: the Summary shows no `Areas` row, as the HTML and Markdown
    reports show no area line for it."""
    assert havering.areas == ("",)
    shown = _shown_summary(havering)
    assert not _labelled(shown, "Areas")
    assert not any('[""]' in str(cell) for row in shown for cell in row)
    assert ["Fingerprint", havering.fingerprint, None] in shown  # the rest stays
    assert "Area:" not in to_html(havering) and "Area:" not in to_markdown(havering)


def test_a_multi_area_summary_still_lists_its_areas(national: ragrules.Report) -> None:
    assert len(national.areas) > 1
    (row,) = _labelled(_shown_summary(national), "Areas")
    assert row[1] == areas_json(national) == '["E1","E2","E3"]'


def test_the_areas_json_and_the_pages_are_unchanged(havering: ragrules.Report) -> None:
    """Only the workbook's presentation changes: the JSON list and the page's meta tag
    still say `[""]`."""
    assert areas_json(havering) == '[""]'
    assert '<meta name="ragrules-areas" content="[&quot;&quot;]">' in to_html(havering)


def test_audit_still_reads_a_single_councils_workbook(
    havering: ragrules.Report, tmp_path: Path
) -> None:
    paper = tmp_path / "paper.xlsx"
    paper.write_bytes(to_xlsx(havering))
    read = read_paper(paper)
    assert read.areas == ("",)
    rules = ragrules.load(HAVERING)
    found = check_paper(rules, ragrules.read_observations(HAVERING_DATA), read)
    assert found.verified and not found.missing


def test_audit_of_the_blank_areas_paper_of_mixed_data(tmp_path: Path) -> None:
    """`--per-area`'s paper of the rows with no area, from data that has areas too, still
    says which area it reports: the other areas' results are not missing from it."""
    data = tmp_path / "mixed.csv"
    text = AREAS_DATA.read_text(encoding="utf-8")
    header, *lines = text.splitlines()
    blank = [line.replace(",E1,", ",,", 1) for line in lines if ",E1," in line]
    data.write_text("\n".join([header, *lines, *blank]) + "\n", encoding="utf-8")
    rules = ragrules.load(AREAS_RULES)
    report = rules.rate(ragrules.read_observations(data))
    assert "" in report.areas and len(report.areas) > 1
    paper = tmp_path / "no-area.xlsx"
    paper.write_bytes(to_xlsx(report.for_area("")))
    found = check_paper(rules, ragrules.read_observations(data), read_paper(paper))
    assert found.verified and not found.missing


def _workbook(path: Path, *rows: list[Any], title: str = "Q2") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.create_sheet("Notes").append(["not read"])
    book.save(path)
    return path


def _problem(path: Path, **columns: str) -> ragrules.Problem:
    with pytest.raises(DataError) as caught:
        read_observations(path, columns=columns or None)
    (problem,) = caught.value.problems
    return problem


def test_two_columns_for_one_field_name_the_sheet(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "data.xlsx",
        ["indicator", "period", "value", "Value"],
        ["a", "2020/21 Q2", "5", "6"],
    )
    problem = _problem(path)
    assert (problem.file, problem.row) == (str(path), 1)
    assert str(problem).startswith(
        f"{path}:row 1: sheet 'Q2': header: columns 3 ('value') and 4 ('Value') are both "
        "read as 'value'"
    )


def test_a_missing_indicator_column_names_the_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "data.xlsx", ["period", "value"], ["2020/21 Q2", "5"])
    problem = _problem(path)
    assert (problem.file, problem.row) == (str(path), 1)
    assert str(problem).startswith(
        f"{path}:row 1: sheet 'Q2': no 'indicator' column (found: 'period', 'value')"
    )


def test_a_column_mapping_with_no_such_column_names_the_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "data.xlsx", ["PI", "Outturn"], ["a", "5"])
    problem = _problem(path, PI="indicator", Outtrun="value")
    assert str(problem).startswith(
        f"{path}:row 1: sheet 'Q2': --columns: no column 'Outtrun' in the header"
    )


def test_a_blank_first_row_is_named_as_the_header_row(tmp_path: Path) -> None:
    """Data that starts below row 1: the header read is row 1 of that sheet, which is
    where to look."""
    path = _workbook(tmp_path / "data.xlsx", [], ["indicator", "value"], ["a", "5"])
    assert str(_problem(path)).startswith(
        f"{path}:row 1: sheet 'Q2': no 'indicator' column (found: '', '')"
    )


def test_an_empty_sheet_is_named(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "data.xlsx", title="Cover")
    problem = _problem(path)
    assert str(problem).startswith(f"{path}: sheet 'Cover': the data file is empty")


def test_other_errors_and_csv_headers_are_as_before(tmp_path: Path) -> None:
    """A CSV header has no sheet; a workbook's rows are rated at their rows as before."""
    csv = tmp_path / "data.csv"
    csv.write_text("indicator,period,value,Value\na,2020/21 Q2,5,6\n", encoding="utf-8")
    assert str(_problem(csv)).startswith(f"{csv}: header: columns 3 ('value') and 4")
    path = _workbook(
        tmp_path / "data.xlsx", ["indicator", "period", "value"], ["a", "2020/21 Q2", "5"]
    )
    (row,) = read_observations(path)
    assert isinstance(row, ragrules.Observation) and row.row == 2 and row.value == "5"


def test_the_exceptions_and_caveats_sheets_say_whose_row_each_is(tmp_path: Path) -> None:
    """Two areas' red rows of one indicator: each names its area, as Markdown and HTML do."""
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("xlsxwriter")
    from ragrules.reports.xlsx import to_xlsx

    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "x"\n[exceptions]\nstatuses = ["red"]\n'
        '[[indicator]]\nid = "a"\ntitle = "Alpha"\ntarget = 70\ntolerance = { relative = "5%" }\n'
    )
    rows = [
        {"indicator": "a", "area": area, "period": "2020/21", "value": "50", "caveat": caveat}
        for area, caveat in (("E1", ""), ("E2", ""), ("E3", "data not yet verified"))
    ]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(ruleset.rate(rows))))
    named = [row[0] for row in book["Exceptions"].iter_rows(min_row=2, values_only=True)]
    assert named == ["a: Alpha (E1)", "a: Alpha (E2)"]
    caveats = [row[0] for row in book["Caveats"].iter_rows(min_row=2, values_only=True)]
    assert caveats == ["a: Alpha (E3)"]


def test_the_summary_sheet_gives_the_travel_lines_and_a_ruleset_without_a_version() -> None:
    """As the other reports: "Short term: improving 2, not-comparable 1"; and a ruleset with
    no version is named alone, not "t1 version"."""
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("xlsxwriter")
    from ragrules.reports.xlsx import to_xlsx

    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "t1"\n'
        '[travel.comparisons]\nshort = { against = "previous-period", label = "Short term" }\n'
        '[[indicator]]\nid = "a"\ntarget = 70\ntolerance = { relative = "5%" }\n'
        '[[indicator]]\nid = "b"\ntarget = 70\ntolerance = { relative = "5%" }\n'
    )
    rows = [
        {"indicator": "a", "period": "2020/21 Q1", "value": "60"},
        {"indicator": "a", "period": "2020/21 Q2", "value": "65"},
        {"indicator": "b", "period": "2020/21 Q2", "value": "65"},
    ]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(ruleset.rate(rows))))
    cells = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert cells["Short term"] == "improving 1, not-comparable 1"
    assert cells["Ruleset"] == "t1"
