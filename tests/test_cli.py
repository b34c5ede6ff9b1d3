"""The command line: rate and check, exit codes, one line per problem on stderr."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ragrules.cli import main
from ragrules.reports._columns import MOVEMENT_COLUMNS
from tests.conftest import EXAMPLES

RULESET = str(EXAMPLES / "havering-2020-21-q2.toml")
DATA = str(EXAMPLES / "havering-2020-21-q2.csv")


def test_rate_table_shows_published_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's main job prints the Havering table with the published statuses."""
    assert main(["rate", RULESET, DATA]) == 0
    out = capsys.readouterr().out
    statuses = [line.split()[3] for line in out.splitlines()[5:11]]
    assert statuses == ["red", "red", "amber", "green", "green", "red"]
    assert "Rated: 6: green 2 (33%), amber 1 (17%), red 3 (50%)" in out


def test_rate_json_is_byte_identical(capsys: pytest.CaptureFixture[str]) -> None:
    """Two runs on the same files give the same bytes."""
    main(["rate", RULESET, DATA, "--format", "json"])
    first = capsys.readouterr().out
    main(["rate", RULESET, DATA, "--format", "json"])
    assert capsys.readouterr().out == first
    assert json.loads(first)["period"] == "2020/21 Q2"


def test_rate_earlier_period(capsys: pytest.CaptureFixture[str]) -> None:
    """--period picks the report period; other rows are history."""
    assert main(["rate", RULESET, DATA, "--period", "2020/21 Q1", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("early-help-conversion,")
    row = next(csv.DictReader(io.StringIO("\n".join(lines))))
    assert (row["period"], row["status"]) == ("2020/21 Q1", "green")


def test_bad_period_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An unreadable --period exits 2 with a message."""
    assert main(["rate", RULESET, DATA, "--period", "soon"]) == 2
    assert "--period" in capsys.readouterr().err


def test_check_reports_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check exits 1 and prints each problem as file:line:col: key: message (hint)."""
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[ruleset]\nformat = 1\nid = "x"\n[[indicator]]\nid = "a"\nunit = "weeeks"\n'
        'targt = 1\n[[indicator]]\nid = "b"\ntarget = "x"\ntolerance = { absolute = 1 }\n',
        encoding="utf-8",
    )
    assert main(["check", str(bad), RULESET]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"{bad}:6:1: indicator[0].unit: unknown unit 'weeeks' (did you mean 'weeks'?)",
        f"{bad}:7:1: indicator[0].targt: unknown key 'targt' (did you mean 'target'?)",
        f"{bad}:10:1: indicator[1].target: 'x' is not a number "
        '(write e.g. "72%", "26 weeks" or 30)',
        "3 errors",
    ]
    assert f"{RULESET}: ok (6 indicators)" in captured.out


def test_missing_files_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing ruleset or data file is an input error, never a traceback."""
    assert main(["rate", str(tmp_path / "none.toml"), DATA]) == 2
    assert "cannot read the ruleset" in capsys.readouterr().err
    assert main(["rate", RULESET, str(tmp_path / "none.csv")]) == 2
    assert "cannot read the data" in capsys.readouterr().err


def test_rejected_rows_are_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Rows that cannot be placed are listed on stderr with their row number."""
    data = tmp_path / "d.csv"
    data.write_text(
        "indicator,period,value\nearly-help-conversion,2020/21 Q2,28\nearly-help,2020/21 Q2,1\n",
        encoding="utf-8",
    )
    assert main(["rate", RULESET, str(data)]) == 0
    err = capsys.readouterr().err
    assert f"{data}:row 3: warning: unknown indicator 'early-help'" in err


def test_check_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ruleset file that does not exist is an input error, not a finding."""
    assert main(["check", str(tmp_path / "none.toml")]) == 2
    assert "no such ruleset file" in capsys.readouterr().err


def test_python_dash_m() -> None:
    """`python -m ragrules` runs the same command line."""
    done = subprocess.run(
        [sys.executable, "-m", "ragrules", "check", RULESET],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "ok (6 indicators)" in done.stdout


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse usage errors exit 2."""
    with pytest.raises(SystemExit) as exited:
        main(["rate"])
    assert exited.value.code == 2


def test_shuffled_rows_give_identical_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A data file with its rows in another order gives byte-identical table and CSV output."""
    lines = (EXAMPLES / "havering-2020-21-q2.csv").read_text(encoding="utf-8").splitlines()
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")
    for fmt in ("table", "csv", "json"):
        main(["rate", RULESET, DATA, "--format", fmt])
        original = capsys.readouterr().out
        main(["rate", RULESET, str(shuffled), "--format", fmt])
        again = capsys.readouterr().out
        if fmt == "json":  # JSON and CSV keep each result's row number in the input file
            first, second = json.loads(original), json.loads(again)
            for data in (first, second):
                data.pop("rows")
                for result in data["results"]:
                    result.pop("row")
            assert first == second
        elif fmt == "csv":
            first_rows, second_rows = (
                [
                    {k: v for k, v in row.items() if k != "row"}
                    for row in csv.DictReader(io.StringIO(text))
                ]
                for text in (original, again)
            )
            assert first_rows == second_rows
            assert original.count("\n") == again.count("\n")
        else:
            assert again == original


def test_table_shows_arrows_and_travel_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """The Dudley table has a travel column and the published travel summary."""
    dudley = str(EXAMPLES / "dudley-2021-22-q3.toml")
    assert main(["rate", dudley, str(EXAMPLES / "dudley-2021-22-q3.csv")]) == 0
    out = capsys.readouterr().out
    assert "Since last quarter" in out.splitlines()[4]
    assert "Since last quarter: improving 3, worsening 1, unchanged 1, neutral 1" in out
    csv_out = main(["rate", dudley, str(EXAMPLES / "dudley-2021-22-q3.csv"), "--format", "csv"])
    assert csv_out == 0
    header, first = capsys.readouterr().out.splitlines()[:2]
    columns = header.split(",")
    short = [f"short_{field}" for field in MOVEMENT_COLUMNS]
    assert [column for column in columns if column.startswith("short_")] == short
    row = dict(zip(columns, next(csv.reader([first])), strict=True))
    assert [row[column] for column in short] == [
        "previous-period",
        "2021/22 Q2",
        "12.01",
        "12.01",
        "down",
        "improving",
        "\u2191",
        "",
    ]


@pytest.mark.parametrize(
    ("fmt", "start"), [("markdown", "# Havering"), ("html", "<!DOCTYPE html>")]
)
def test_rendered_report_formats(fmt: str, start: str, capsys: pytest.CaptureFixture[str]) -> None:
    """rate --format markdown|html prints a committee-ready report."""
    assert main(["rate", RULESET, DATA, "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert out.startswith(start)
    assert "Exception report" in out


def test_check_with_data_reports_missing_commentary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """check --data rates the data and exits 1 when a red lacks its corrective action."""
    assert main(["check", RULESET, "--data", DATA]) == 0
    assert f"{DATA}: 0 findings" in capsys.readouterr().out
    data = tmp_path / "no-commentary.csv"
    data.write_text(
        "indicator,period,value\nearly-help-conversion,2020/21 Q2,20\n", encoding="utf-8"
    )
    assert main(["check", RULESET, "--data", str(data)]) == 1
    captured = capsys.readouterr()
    assert (
        f"{data}:row 2: warning: indicator 'early-help-conversion': a red rating needs "
        "commentary, and none was given"
    ) in captured.err
    assert f"{data}: 1 finding with {RULESET}" in captured.out


def test_every_option_is_described_and_every_command_has_an_example() -> None:
    import argparse

    from ragrules.cli._parser import build_parser

    parser = build_parser()
    (commands,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():
        undescribed = [
            action.option_strings or action.dest
            for action in command._actions
            if not action.help and not isinstance(action, argparse._HelpAction)
        ]
        assert not undescribed, (name, undescribed)
        assert command.epilog is not None
        assert f"example: ragrules {name} " in command.epilog
        assert "exit codes" in command.epilog


@pytest.mark.parametrize("command", ["show", "explain", "audit", "schema", "diff"])
def test_every_command_that_prints_can_write_to_a_file(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ruleset = str(EXAMPLES / "havering-2020-21-q2.toml")
    data = str(EXAMPLES / "havering-2020-21-q2.csv")
    arguments = {
        "show": [ruleset, "--toml"],
        "explain": [ruleset, data, "--indicator", "early-help-conversion"],
        "audit": [ruleset, data],
        "schema": [],
        "diff": [ruleset, ruleset],
    }[command]
    main([command, *arguments])
    printed = capsys.readouterr().out
    out = tmp_path / "out.txt"
    main([command, *arguments, "-o", str(out)])
    assert capsys.readouterr().out == ""
    assert out.read_text(encoding="utf-8") == printed


def test_output_never_overwrites_a_ruleset_of_any_command(tmp_path: Path) -> None:
    copy = tmp_path / "r.toml"
    copy.write_bytes((EXAMPLES / "havering-2020-21-q2.toml").read_bytes())
    before = copy.read_bytes()
    assert main(["show", str(copy), "--toml", "-o", str(copy)]) == 2
    assert copy.read_bytes() == before


def test_output_stdout_cannot_encode_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A terminal whose encoding cannot write the data's text (`PYTHONIOENCODING=ascii`):
    said in one line with what to do, exit 2, no traceback."""
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\ntarget = 10\n'
        "tolerance = { absolute = 1 }\n",
        encoding="utf-8",
    )
    data = tmp_path / "data.csv"
    data.write_text("indicator,period,value,commentary\na,2022/23 Q1,12,café\n", "utf-8")
    for engine in ("row", "columnar"):
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
        argv = ["rate", str(rules), str(data), "--stream", "--engine", engine]
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "cannot write 'é' to stdout in ascii" in err and "-o FILE" in err


@pytest.mark.parametrize("extra", [[], ["--stream"], ["--format", "csv"]])
def test_output_dash_is_stdout(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
) -> None:
    """`-o -` writes to stdout, as most tools read it; no file named `-` is made."""
    monkeypatch.chdir(tmp_path)
    args = ["rate", str(EXAMPLES / "havering-2020-21-q2.toml")]
    args += [str(EXAMPLES / "havering-2020-21-q2.csv"), *extra]
    assert main([*args, "-o", "-"]) == 0
    printed = capsys.readouterr().out
    assert main(args) == 0
    assert printed == capsys.readouterr().out and "early-help-conversion" in printed
    assert not (tmp_path / "-").exists()
