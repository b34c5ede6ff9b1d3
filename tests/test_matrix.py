"""Every area at once: the matrix of areas by series, as data, CSV, JSON and an HTML page
checked as a browser reads it (headless Chromium, when installed)."""

from __future__ import annotations

import csv
import io
import json
import shlex
from html.parser import HTMLParser
from pathlib import Path

import pytest

import ragrules
from ragrules.cli import main
from ragrules.reports.matrix import matrix, matrix_csv, matrix_html, matrix_json
from tests.conftest import as_a_browser_reads, in_a_browser

RULES = ragrules.loads(
    """
[ruleset]
format = 1
id = "matrix"
title = "Two indicators, three areas"

[data]
breakdowns = ["sex"]

[[indicator]]
id = "a"
polarity = "higher-is-better"
target = 50
tolerance = { absolute = 5 }

[[indicator]]
id = "b"
polarity = "lower-is-better"
target = 10
tolerance = { absolute = 1 }
"""
)
ROWS = [
    {"indicator": "a", "area": "E1", "area name": "One", "sex": "All", "value": "55"},
    {"indicator": "a", "area": "E2", "area name": "Two", "sex": "All", "value": "46"},
    {"indicator": "b", "area": "E2", "area name": "Two", "sex": "All", "value": "=1+1"},
    {"indicator": "a", "area": "E3", "area name": "<b>Three</b>", "sex": "All", "value": "20"},
]
REPORT = RULES.rate(ROWS)


def test_the_matrix_has_a_row_per_area_and_a_column_per_series() -> None:
    grid = matrix(REPORT)
    assert grid.columns == ("a (All)", "b (All)")
    assert grid.areas == ("E1", "E2", "E3")
    assert grid.names == ("One", "Two", "<b>Three</b>")
    assert grid.statuses == (
        ("green", "no-data"),
        ("amber", "invalid"),
        ("red", "no-data"),
    )
    assert grid.order == ("green", "amber", "red", "no-data", "invalid")
    assert dict(grid.series_counts(0)) == {"green": 1, "amber": 1, "red": 1}


def test_csv_and_json_say_the_same() -> None:
    rows = list(csv.DictReader(io.StringIO(matrix_csv(REPORT))))
    data = json.loads(matrix_json(REPORT))
    assert [row["area"] for row in rows] == [area["area"] for area in data["areas"]]
    for row, area in zip(rows, data["areas"], strict=True):
        assert {k: row[k] for k in area["statuses"]} == area["statuses"]
        assert all(row[status] == str(n) for status, n in area["counts"].items())
    assert data["series"]["a (All)"] == {"green": 1, "amber": 1, "red": 1}


class _Table(HTMLParser):
    """The cells of the first table, as a browser built them."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tables = 0
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables += 1
        if self.tables == 1 and tag == "tr":
            self.rows.append([])
        if self.tables == 1 and tag in ("td", "th"):
            self.rows[-1].append("")
            self.inside = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside and self.tables == 1 and self.rows:
            self.rows[-1][-1] += data


def test_the_page_reads_as_a_table_in_a_browser(tmp_path: Path) -> None:
    page = tmp_path / "matrix.html"
    page.write_text(matrix_html(REPORT), encoding="utf-8")
    table = _Table()
    table.feed(as_a_browser_reads(page))
    header, *rows = table.rows
    assert header == [
        "Area",
        "Trend",
        "a (All)",
        "b (All)",
        "green",
        "amber",
        "red",
        "no-data",
        "invalid",
    ]
    assert rows == [  # one period: no trend to draw
        ["One (E1)", "", "green", "no-data", "1", "0", "0", "1", "0"],
        ["Two (E2)", "", "amber", "invalid", "0", "1", "0", "0", "1"],
        ["<b>Three</b> (E3)", "", "red", "no-data", "0", "0", "1", "1", "0"],  # escaped, as text
    ]


def _files(folder: Path, data_text: str) -> tuple[Path, Path]:
    """A one-indicator ruleset and a data file of areas, in the folder."""
    rules = folder / "rules.toml"
    rules.write_text(
        '[ruleset]\nformat = 1\nid = "m"\n[[indicator]]\nid = "a"\ntarget = 50\n'
        "tolerance = { absolute = 5 }\n",
        encoding="utf-8",
    )
    data = folder / "data.csv"
    data.write_text(data_text, encoding="utf-8")
    return rules, data


def test_the_cookbook_command_writes_every_area_on_one_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command docs/cookbook/every-council.md shows (not run there: it writes a file)."""
    page = Path(__file__).resolve().parent.parent / "docs" / "cookbook" / "every-council.md"
    command = next(
        line
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith("ragrules rate") and "--matrix" in line
    )
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    argv = shlex.split(command)[1:]
    argv[argv.index("-o") + 1] = str(tmp_path / "every-area.html")
    assert main(argv) == 0
    table = _Table()
    dom, console = in_a_browser(tmp_path / "every-area.html")
    assert console == []  # the page logs nothing: no errors
    table.feed(dom)
    assert len(table.rows) == 1 + 162  # a header, then every area of the export
    area, trend, *statuses = table.rows[1][:4]
    assert (area, statuses) == ("Hartlepool (E06000001)", ["no-data", "Worse"])
    assert (
        trend == "Rated statuses by period: 2015: Worse 2; 2016: Similar 1, Worse 1; 2017: Worse 1."
    )


def test_the_command_line_writes_the_matrix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules, data = _files(tmp_path, "indicator,area,value\na,E1,55\na,E2,=1+1\n")
    assert main(["rate", str(rules), str(data), "--matrix", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "area,area_name,a,green,amber,red,invalid",
        "E1,,green,1,0,0,0",
        "E2,,invalid,0,0,0,1",
    ]
    assert main(["rate", str(rules), str(data), "--matrix"]) == 2  # the table: no matrix form
    assert "--matrix writes csv, json, html" in capsys.readouterr().err


def test_a_report_per_area_into_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules, data = _files(tmp_path, "indicator,area,value\na,E1,55\na,../E2,40\n")
    folder = tmp_path / "areas"
    assert main(["rate", str(rules), str(data), "--per-area", str(folder), "--format", "csv"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["E1.csv", "___E2.csv"]  # no escape
    rows = list(csv.DictReader(io.StringIO((folder / "E1.csv").read_text(encoding="utf-8"))))
    assert [(row["area"], row["status"]) for row in rows] == [("E1", "green")]
    assert "2 area reports written to" in capsys.readouterr().err


def test_an_area_report_names_its_area_and_each_series_in_a_browser(tmp_path: Path) -> None:
    """Rows of one indicator for two breakdowns are told apart; compared statuses have colour."""
    from ragrules.output import render

    rules = ragrules.loads(
        """
[ruleset]
format = 1
id = "area-report"
scale = "vs-england"

[data]
breakdowns = ["sex"]

[benchmarks.england]
area = "E92000001"

[scales.vs-england]
significance = { benchmark = "england", statuses = ["Better", "Similar", "Worse"] }

[[indicator]]
id = "a"
polarity = "lower-is-better"
"""
    )
    limits = {"lower ci 95.0 limit": "40", "upper ci 95.0 limit": "45"}
    rows = [
        {"indicator": "a", "area": "E92000001", "sex": sex, "value": "50", **limits}
        for sex in ("Male", "Female")
    ] + [
        {"indicator": "a", "area": "E1", "area name": "One", "sex": sex, "value": "42", **limits}
        for sex in ("Male", "Female")
    ]
    report = rules.rate(rows).for_area("E1")
    page = tmp_path / "area.html"
    page.write_text(render(report, "html"), encoding="utf-8")
    dom = as_a_browser_reads(page)
    assert "Area: One E1. Period: not given." in dom
    assert "a (One E1; Female)</th>" in dom and "a (One E1; Male)</th>" in dom
    assert 'style="background:#00703c;color:#ffffff">Better</span>' in dom
    markdown = render(report, "markdown")
    assert "Area: One E1. Period: not given." in markdown
    assert "| a (One E1; Female) |" in markdown


def test_area_codes_making_one_file_name_are_numbered_and_long_ones_cut(tmp_path: Path) -> None:
    """`A`, `a` and `A-2` (a file name the numbering would give) each get a file; a code too
    long for a file name is cut, so every area's report is written."""
    long_code = "E" * 300
    for codes in (["A", "A-2", "a"], [long_code, "b"]):
        lines = "".join(f"a,{code},55\n" for code in codes)
        rules, data = _files(tmp_path, f"indicator,area,value\n{lines}")
        folder = tmp_path / "areas" / codes[-1]
        argv = ["rate", str(rules), str(data), "--per-area", str(folder), "--format", "csv"]
        assert main(argv) == 0
        names = [path.name for path in folder.iterdir()]
        assert len({name.lower() for name in names}) == len(codes)
        areas = {
            row["area"]
            for path in folder.iterdir()
            for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
        }
        assert areas == set(codes)
    assert f"{'E' * 100}.csv" in names


def test_series_whose_labels_would_match_each_keep_their_own_column() -> None:
    """Breakdowns `("Persons", "")` and `("", "Persons")`, or `("x, y", "")` and `("x", "y")`,
    read alike as values: each series is a column of its own, named with its breakdown."""
    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "m"\n[data]\nbreakdowns = ["sex", "age"]\n'
        '[[indicator]]\nid = "i"\ntarget = 10\ntolerance = { absolute = 1 }\n'
    )
    rows = [
        {"indicator": "i", "area": "A", "sex": "Persons", "age": "", "value": "5"},
        {"indicator": "i", "area": "A", "sex": "", "age": "Persons", "value": "12"},
        {"indicator": "i", "area": "B", "sex": "x, y", "age": "", "value": "12"},
        {"indicator": "i", "area": "B", "sex": "x", "age": "y", "value": "5"},
    ]
    grid = matrix(rules.rate(rows))
    assert grid.areas == ("A", "B")
    cells = [dict(zip(grid.columns, statuses, strict=True)) for statuses in grid.statuses]
    assert {label: status for row in cells for label, status in row.items() if status} == {
        'i (sex="Persons", age="")': "red",
        'i (sex="", age="Persons")': "green",
        'i (sex="x, y", age="")': "green",
        'i (sex="x", age="y")': "red",
    }


def test_no_file_is_named_by_another_areas_code(tmp_path: Path) -> None:
    """Areas `b`, `B`, `b-2`, `x/y`, `x_y`, `no-area` and a blank one: each code that is a
    file name as it is names its own file; the others are numbered past them."""
    codes = ["B", "b", "b-2", "x/y", "x_y", "", "no-area"]
    lines = "".join(f"a,{code},55\n" for code in codes)
    rules, data = _files(tmp_path, f"indicator,area,value\n{lines}")
    folder = tmp_path / "areas"
    argv = ["rate", str(rules), str(data), "--per-area", str(folder), "--format", "csv"]
    assert main(argv) == 0
    held = {
        path.stem: {
            row["area"] for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
        }
        for path in folder.iterdir()
    }
    assert held == {
        "B": {"B"},
        "b-3": {"b"},
        "b-2": {"b-2"},
        "x_y-2": {"x/y"},
        "x_y": {"x_y"},
        "no-area-2": {""},
        "no-area": {"no-area"},
    }


def test_the_csv_header_names_each_column_once(tmp_path: Path) -> None:
    """Indicators named `area`, `area_name` and `green` (a status): the matrix CSV keeps
    one name per column, numbering a name met again, so a reader keyed by header loses
    nothing."""
    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "r"\n'
        + "".join(
            f'[[indicator]]\nid = "{name}"\ntarget = 50\ntolerance = {{ absolute = 5 }}\n'
            for name in ("green", "area", "area_name", "red")
        )
    )
    rows = [
        {"indicator": name, "area": area, "value": value}
        for area in ("E1", "E2")
        for name, value in (("green", "60"), ("area", "40"), ("area_name", "48"), ("red", "10"))
    ]
    text = matrix_csv(rules.rate(rows))
    header = next(csv.reader(io.StringIO(text)))
    assert header == [
        "area",
        "area_name",
        "green",
        "area (2)",
        "area_name (2)",
        "red",
        "green (2)",
        "amber",
        "red (2)",
    ]
    first = next(csv.DictReader(io.StringIO(text)))
    assert (first["area"], first["area (2)"], first["green (2)"], first["red (2)"]) == (
        "E1",
        "red",
        "1",
        "2",
    )


def test_an_area_not_in_the_data_lists_the_codes_quoted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A blank code shows as '' among the others, not as nothing between two commas."""
    rules, data = _files(tmp_path, "indicator,area,value\na,,55\na,B,40\na,b,40\n")
    assert main(["rate", str(rules), str(data), "--area", " b "]) == 2
    assert "(the data has '', 'B', 'b')" in capsys.readouterr().err
    rules, data = _files(tmp_path, "indicator,value\na,55\n")
    assert main(["rate", str(rules), str(data), "--area", "E1"]) == 2
    assert "the data has no area column, or no area in it" in capsys.readouterr().err
