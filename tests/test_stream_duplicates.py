"""A stream rejects a second row for a series and period as a report does: the first row
stays the history and the benchmark, in every stream engine (the general path, the compiled
plan, `--jobs`, the columnar engine), byte for byte. An earlier column is no row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

import ragrules
from ragrules.cli import main
from ragrules.data import iter_csv
from ragrules.reports.compiled import CsvStream, rate_csv_stream
from ragrules.stream import write_stream

NATIONAL = Path(__file__).resolve().parent.parent / "rulesets" / "examples" / "national"
EXPORT = NATIONAL / "fingertips_campylobacter_countyua_2015-2017.csv"

PLAIN = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "d"\n'
    '[travel.comparisons]\nshort = { against = "previous-period" }\n'
    '[[indicator]]\nid = "up"\nunit = "percent"\ntarget = "70%"\n'
    'tolerance = { relative = "10%" }\n'
)


def _national(tmp_path: Path, duplicate: dict[str, str], after: str) -> Path:
    """The 2017 rows of the export, with a copy of `after`'s row (area code) edited by
    `duplicate` (column -> text) right after it."""
    with EXPORT.open(encoding="utf-8-sig", newline="") as data:
        header, *rows = list(csv.reader(data))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for cells in rows:
        if cells[header.index("Time period")] != "2017":
            continue
        writer.writerow(cells)
        if cells[header.index("Area Code")] == after and duplicate:
            copy = list(cells)
            for column, value in duplicate.items():
                copy[header.index(column)] = value
            writer.writerow(copy)
            duplicate = {}  # the first of the area's rows only
    path = tmp_path / "data.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _streamed(ruleset: ragrules.Ruleset, path: Path) -> list[dict[str, Any]]:
    out = io.StringIO()
    rate_csv_stream(ruleset, path, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_second_england_row_is_rejected_and_the_first_stays_the_benchmark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = ragrules.load(NATIONAL / "campylobacter-vs-england.toml")
    edited = {
        "Value": "130",
        "Lower CI 95.0 limit": "129",
        "Upper CI 95.0 limit": "131",
    }
    path = _national(tmp_path, edited, "E92000001")
    streamed = _streamed(rules, path)
    rejected = [line for line in streamed if line.get("rejected")]
    # The export's indicator name holds a line break: a row is two lines of the file.
    assert rejected == [
        {
            "row": 4,
            "indicator": "93356",
            "period": "2017",
            "reason": "duplicate of row 2 for 2017 in area E92000001",
            "area": "E92000001",
            "rejected": True,
        }
    ]
    report = rules.rate(ragrules.read_observations(path))
    assert [(r.row, r.reason) for r in report.rejected] == [(4, rejected[0]["reason"])]
    whole = {(r.area, r.row): r.status for r in report.results if r.row is not None}
    assert {
        (line["area"], line["row"]): line["status"] for line in streamed if "status" in line
    } == whole
    assert all("england's 96.61" in line["reason"] for line in streamed if line.get("rated"))
    args = ["rate", str(NATIONAL / "campylobacter-vs-england.toml"), str(path), "--stream"]
    assert main([*args, "--strict", "-o", str(tmp_path / "out.jsonl")]) == 1
    assert "1 rows rejected" in capsys.readouterr().err


def test_a_second_region_row_is_rejected(tmp_path: Path) -> None:
    rules = ragrules.load(NATIONAL / "campylobacter-vs-region.toml")
    path = _national(tmp_path, {"Value": "200"}, "E12000001")
    streamed = _streamed(rules, path)
    report = rules.rate(ragrules.read_observations(path))
    assert [line["reason"] for line in streamed if line.get("rejected")] == [
        r.reason for r in report.rejected
    ]
    assert len(report.rejected) == 1
    whole = {(r.area, r.row): r.status for r in report.results if r.row is not None}
    rated = {(line["area"], line["row"]): line["status"] for line in streamed if "status" in line}
    assert {key: whole[key] for key in rated} == rated


def _every_engine(ruleset: ragrules.Ruleset, path: Path) -> str:
    """What each stream engine writes for a file: the same bytes, returned once."""
    general, compiled = io.StringIO(), io.StringIO()
    write_stream(ruleset.iter_rate(iter_csv(path)), ruleset, general)
    rate_csv_stream(ruleset, path, compiled)
    assert compiled.getvalue() == general.getvalue()
    stream = CsvStream(ruleset, path)
    parts = io.StringIO()
    stream.write(parts, jobs=2)
    assert parts.getvalue() == general.getvalue()
    try:
        from ragrules.columnar import rate_csv_columnar
    except ImportError:  # the polars extra
        return general.getvalue()
    columns = io.StringIO()
    rate_csv_columnar(ruleset, path, columns)
    assert columns.getvalue() == general.getvalue()
    return general.getvalue()


def _lines(path: Path, rows: list[str], header: str = "indicator,area,period,value") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_second_plain_row_is_rejected_in_every_engine(tmp_path: Path) -> None:
    rows = [f"up,E{n},2022/23 Q{q},{60 + n + q}%" for q in (1, 2) for n in range(40)]
    rows.insert(50, "up,E3,2022/23 Q1,99%")  # a second 2022/23 Q1 row for E3
    written = _every_engine(PLAIN, _lines(tmp_path / "d.csv", rows))
    records = [json.loads(line) for line in written.splitlines()]
    assert [r for r in records if r.get("rejected")] == [
        {
            "row": 52,
            "indicator": "up",
            "period": "2022/23 Q1",
            "reason": "duplicate of row 5 for 2022/23 Q1 in area E3",
            "area": "E3",
            "rejected": True,
        }
    ]
    # E3's 2022/23 Q2 travels from the first row, not the duplicate.
    (later,) = [r for r in records if r.get("area") == "E3" and r["period"] == "2022/23 Q2"]
    assert later["travel"][0]["earlier_text"] == "64%"


def test_duplicates_in_a_later_block_go_to_the_row_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The columnar engine hands a block holding a row an earlier block gave to the row
    engine, which rejects it: the same bytes."""
    pytest.importorskip("polars")
    from ragrules.reports.columnar import _table

    rows = [f"up,E{n},2022/23 Q1,{60 + n % 20}%" for n in range(300)]
    rows += ["up,E7,2022/23 Q1,10%"]
    path = _lines(tmp_path / "d.csv", rows)
    monkeypatch.setattr(_table, "BLOCK_BYTES", 1000)
    written = _every_engine(PLAIN, path)
    assert written.count('"rejected": true') == 1
    assert '"reason": "duplicate of row 9 for 2022/23 Q1 in area E7"' in written


def test_an_earlier_column_never_makes_a_row_a_duplicate(tmp_path: Path) -> None:
    """A line's previous value is no row: a later row for that period is rated, in every
    engine (a report rejects one of the two: the whole file holds both as rows)."""
    header = "indicator,area,period,value,previous"
    rows = [
        "up,E1,2022/23 Q2,71%,65%",  # its previous quarter, 2022/23 Q1, from its column
        "up,E1,2022/23 Q1,66%,",  # a row for that quarter: rated, not a duplicate
        "up,E1,2022/23 Q1,67%,",  # a second row for it: a duplicate of the one before
    ]
    written = _every_engine(PLAIN, _lines(tmp_path / "d.csv", rows, header))
    records = [json.loads(line) for line in written.splitlines()]
    assert [r.get("status", r.get("reason")) for r in records] == [
        "green",
        "amber",
        "duplicate of row 3 for 2022/23 Q1 in area E1",
    ]


def test_a_row_given_more_than_the_look_back_before_is_no_duplicate(tmp_path: Path) -> None:
    """A stream keeps the last 4,096 values: a row whose first was read before them is rated
    (as the docs say), alike in every engine."""
    rows = ["up,E0,2022/23 Q1,61%"]
    rows += [f"up,E{n},2022/23 Q2,{60 + n % 20}%" for n in range(1, 4200)]
    rows += ["up,E0,2022/23 Q1,62%"]
    written = _every_engine(PLAIN, _lines(tmp_path / "d.csv", rows))
    assert '"rejected": true' not in written


def test_a_second_line_of_an_areas_series_without_periods_is_a_duplicate() -> None:
    """Rows without a period are for the one period a stream does not know: a second row
    of an area's series among them is rejected, as in a report of those rows."""
    rows = [
        {"indicator": "up", "area": "E1", "value": "70%"},
        {"indicator": "up", "area": "E1", "value": "71%"},
    ]
    items = list(PLAIN.iter_rate(rows))
    reason = (
        "duplicate of row 1 in area E1 (neither has a period: add a period column, or map "
        "one with --columns)"
    )
    assert [getattr(item, "reason", "") for item in items][1] == reason
    assert [r.reason for r in PLAIN.rate(rows).rejected] == [reason]


def test_lines_without_an_area_are_each_a_report_of_their_own(tmp_path: Path) -> None:
    """Data without areas (a national file whose authority column is only passed through)
    is read a line at a time: every line is rated, in every engine, as before."""
    rows = [f"E{n},up,2022/23 Q1,{60 + n}%" for n in range(30)]
    written = _every_engine(
        PLAIN, _lines(tmp_path / "d.csv", rows, "authority,indicator,period,value")
    )
    assert written.count('"rated": true') == 30
    assert '"rejected": true' not in written
