"""`rate -o FILE` with no --format writes what the file's suffix names: a report.xlsx is a
workbook and a report.html a page, never the text table under their names."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from ragrules.cli import main

RULESET = "rulesets/examples/havering-2020-21-q2.toml"
DATA = "rulesets/examples/havering-2020-21-q2.csv"


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("report.html", "<!DOCTYPE html>"),
        ("report.HTM", "<!DOCTYPE html>"),
        ("report.md", "#"),
        ("report.txt", "Havering"),
        ("report.out", "Havering"),  # a suffix that names no format: the table
    ],
)
def test_a_text_report_takes_its_suffix_format(tmp_path: Path, name: str, starts: str) -> None:
    out = tmp_path / name
    assert main(["rate", RULESET, DATA, "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").lstrip().startswith(starts)


def test_json_and_csv_by_suffix(tmp_path: Path) -> None:
    assert main(["rate", RULESET, DATA, "-o", str(tmp_path / "r.json")]) == 0
    assert "results" in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert main(["rate", RULESET, DATA, "-o", str(tmp_path / "r.csv")]) == 0
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").startswith("indicator,")


def test_a_workbook_by_suffix(tmp_path: Path) -> None:
    pytest.importorskip("xlsxwriter")
    out = tmp_path / "report.xlsx"
    assert main(["rate", RULESET, DATA, "-o", str(out)]) == 0
    assert zipfile.is_zipfile(out)


def test_a_stream_by_suffix(tmp_path: Path) -> None:
    lines = tmp_path / "results.jsonl"
    assert main(["rate", RULESET, DATA, "--stream", "-o", str(lines)]) == 0
    first = lines.read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(first)["indicator"]
    rows = tmp_path / "results.csv"
    assert main(["rate", RULESET, DATA, "--stream", "-o", str(rows)]) == 0
    assert rows.read_text(encoding="utf-8").startswith("indicator,")


def test_format_given_wins_over_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert main(["rate", RULESET, DATA, "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))


def test_a_stream_to_a_page_says_the_suffix_chose_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rate", RULESET, DATA, "--stream", "-o", str(tmp_path / "r.html")]) == 2
    assert "(-o FILE.html reads as --format html): give --format json" in capsys.readouterr().err
