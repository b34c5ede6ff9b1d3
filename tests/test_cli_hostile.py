"""The command line when its output cannot be written (a full disk, `/dev/full`, a closed
stdout), a `--per-area` combination that would drop `-o`, and an xlsx formula with no value
Excel saved: each is a clear result or a one-line error, never a traceback or silence."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ragrules.cli import _whole_file, main
from ragrules.formats.data import excel_rows, read_observations
from ragrules.formats.data._xlsx_values import NOT_CALCULATED
from tests.adversarial.test_xlsx import HEADER as XLSX_HEADER
from tests.adversarial.test_xlsx import workbook

RULES = (
    '[ruleset]\nformat = 1\nid = "h"\n[[indicator]]\nid = "a"\nunit = "percent"\n'
    'polarity = "higher-is-better"\ntarget = 50\ntolerance = { absolute = 5 }\n'
)
ROWS = "indicator,period,value\n" + "".join(f"a,{2000 + n},{n % 90}\n" for n in range(300))
FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="/dev/full is a Linux device")
# Every command that writes an output, as arguments after the ruleset and data.
RATES = [
    ["--format", "csv"],
    ["--format", "json"],
    ["--format", "markdown"],
    ["--stream", "--format", "csv"],
    ["--stream", "--format", "json"],
    ["--matrix", "--format", "csv"],
]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    rules, data = tmp_path / "rules.toml", tmp_path / "data.csv"
    rules.write_text(RULES, encoding="utf-8")
    data.write_text(ROWS, encoding="utf-8")
    return rules, data


def _ragrules(*argv: str, shell: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m ragrules ARGV`, its stdout redirected by `shell` (`>/dev/full`, `>&-`)."""
    command = [sys.executable, "-m", "ragrules", *argv]
    if shell:
        command = ["sh", "-c", f'exec "$@" {shell}', "sh", *command]
    stdout = None if shell else subprocess.DEVNULL
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True, check=False)


def _one_line_error(stderr: str, target: str) -> None:
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if "cannot write" in line]
    assert len(errors) == 1, stderr
    assert errors[0].startswith(f"{target}: cannot write the output: "), stderr


@needs_dev_full
@pytest.mark.parametrize("options", [*RATES, ["--format", "xlsx"]])
def test_an_output_file_on_a_full_disk_is_an_error_naming_it(
    files: tuple[Path, Path], options: list[str]
) -> None:
    rules, data = files
    done = _ragrules("rate", str(rules), str(data), *options, "-o", str(FULL))
    assert done.returncode == 2, done.stderr
    _one_line_error(done.stderr, str(FULL))
    assert "No space left on device" in done.stderr


@needs_dev_full
@pytest.mark.parametrize(
    "argv",
    [["rate", "{rules}", "{data}", *options] for options in RATES]
    + [["show", "{rules}"], ["schema"], ["check", "{rules}", "{data}"]],
)
@pytest.mark.parametrize("shell", [">/dev/full", ">&-"])
def test_a_full_or_closed_stdout_is_an_error_naming_it(
    files: tuple[Path, Path], argv: list[str], shell: str
) -> None:
    rules, data = files
    done = _ragrules(*(a.format(rules=rules, data=data) for a in argv), shell=shell)
    assert done.returncode == 2, done.stderr
    _one_line_error(done.stderr, "standard output")
    assert ("it is closed" if shell == ">&-" else "No space left on device") in done.stderr
    assert "Exception ignored" not in done.stderr


@contextlib.contextmanager
def _failing(after: int) -> Iterator[None]:
    """A `_write` that writes `after` bytes in all, then fails as a full disk does."""
    left = [after]

    def write(descriptor: int, data: bytes) -> int:
        if left[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written = os.write(descriptor, bytes(data)[: left[0]])
        left[0] -= written
        return written

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_whole_file, "_write", write)
        yield


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    options=st.sampled_from([*RATES, ["--format", "xlsx"], ["--per-area", "{folder}"]]),
    after=st.integers(0, 20_000),
)
def test_a_write_that_fails_keeps_the_previous_file(
    files: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    after: int,
) -> None:
    """Whatever write fails, and wherever: exit 2, one line naming the file, the file there
    before as it was (a new one not made), and no part-written file beside it."""
    rules, data = files
    folder = tmp_path / "areas"
    per_area = "--per-area" in options
    output = folder / "no-area.txt" if per_area else tmp_path / "out.txt"
    output.parent.mkdir(exist_ok=True)
    output.unlink(missing_ok=True)
    if not per_area:
        output.write_bytes(b"the previous output\n")
    before = sorted(output.parent.iterdir())
    argv = ["rate", str(rules), str(data), *(o.format(folder=folder) for o in options)]
    argv += [] if per_area else ["-o", str(output)]
    capsys.readouterr()
    with _failing(after):
        code = main(argv)
    stderr = capsys.readouterr().err
    if code == 0:  # the output was shorter than `after`: written whole
        assert after > 0 and output.exists()
        return
    assert code == 2, stderr
    _one_line_error(stderr, str(output))
    assert "No space left on device" in stderr
    assert sorted(output.parent.iterdir()) == before
    if not per_area:
        assert output.read_bytes() == b"the previous output\n"


def test_a_failed_write_to_stdout_names_standard_output(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """stdout a real file (as a shell redirect makes it): a write that fails is exit 2."""
    rules, data = files
    with (
        (tmp_path / "stdout").open("w") as stdout,
        _failing(100),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(sys, "stdout", stdout)
        assert main(["rate", str(rules), str(data), "--format", "json"]) == 2
        assert main(["show", str(rules)]) == 2
    _one_line_error(capsys.readouterr().err.split("\n", 1)[0], "standard output")


def test_a_broken_pipe_is_still_a_quiet_stop(files: tuple[Path, Path]) -> None:
    """Piped into `head`: the reader gone is no error (exit 0, nothing on stderr)."""
    rules, data = files
    command = f'"{sys.executable}" -m ragrules rate "{rules}" "{data}" --stream | head -c 10'
    done = subprocess.run(
        ["sh", "-c", f"set -o pipefail 2>/dev/null; {command}"], capture_output=True, text=True
    )
    assert "Traceback" not in done.stderr and "cannot write" not in done.stderr, done.stderr


@pytest.mark.parametrize("extra", [["-o", "{output}"], ["--matrix", "--format", "csv"]])
def test_per_area_with_o_or_matrix_is_a_usage_error(
    files: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
) -> None:
    """`--per-area DIR -o FILE` would write no FILE (and `--matrix` no folder): refused, as
    `--stream` with `--per-area` is, before anything is written."""
    rules, data = files
    folder, output = tmp_path / "areas", tmp_path / "x.json"
    argv = ["rate", str(rules), str(data), "--per-area", str(folder)]
    assert main(argv + [e.format(output=output) for e in extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ragrules rate: --per-area writes a report per area into its folder")
    assert not folder.exists() and not output.exists()


def _recalculated(data: bytes) -> bytes:
    """The workbook `data` with `fullCalcOnLoad`, as openpyxl and XlsxWriter write it."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w") as out:
        for name in source.namelist():
            part = source.read(name)
            if name == "xl/workbook.xml":
                part = part.replace(b"</workbook>", b'<calcPr fullCalcOnLoad="1"/></workbook>')
            out.writestr(name, part)
    return buffer.getvalue()


def _formula_rows(*cells: str) -> str:
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>a</t></is></c>{cell}</row>'
        for n, cell in enumerate(cells, start=2)
    )
    return XLSX_HEADER + rows


def test_a_formula_with_no_saved_value_is_never_a_blank() -> None:
    """openpyxl writes a formula with an empty `<v/>`, or none: no value Excel saved. A
    formula Excel saved keeps its value, and an empty text result stays empty."""
    data = workbook(
        _formula_rows(
            '<c r="B2"><f>40+20</f><v/></c>',
            '<c r="B3"><f>40+20</f></c>',
            '<c r="B4" t="str"><f>40+20</f><v></v></c>',
            '<c r="B5"><f>40+20</f><v>60</v></c>',
            '<c r="B6"><f t="shared" si="0"/><v>61</v></c>',
            '<c r="B7"><v>62</v></c>',
        )
    )
    values = [cells[1] if len(cells) > 1 else "" for _, cells in excel_rows(data, "b.xlsx")]
    assert values[1:] == [NOT_CALCULATED, NOT_CALCULATED, "", "60", "61", "62"]
    # A workbook that asks Excel to calculate it on opening: no formula's value is Excel's.
    recalculated = [c[1] for _, c in excel_rows(_recalculated(data), "b.xlsx")][1:]
    assert recalculated == [NOT_CALCULATED] * 5 + ["62"]


@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter"])
def test_a_formula_a_library_wrote_is_rated_invalid_saying_so(
    writer: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`=40+20` written by openpyxl (no value) or XlsxWriter (a 0): `invalid`, the reason
    saying to open and save the workbook in Excel; every row there, --strict fails."""
    library = pytest.importorskip(writer)
    path, rules = tmp_path / "q.xlsx", tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    rows = [["indicator", "period", "value"], ["a", "2021", "=40+20"]]
    if writer == "openpyxl":
        book = library.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    else:
        book = library.Workbook(str(path))
        sheet = book.add_worksheet()
        for n, row in enumerate(rows):
            sheet.write_row(n, 0, row)
        book.close()
    assert len(read_observations(path)) == 1
    assert main(["rate", str(rules), str(path), "--format", "json", "--strict"]) == 1
    (result,) = json.loads(capsys.readouterr().out)["results"]
    assert result["status"] == "invalid"
    assert "a formula with no saved value; open and save the workbook in Excel" in result["reason"]


def test_options_a_workbook_or_a_whole_file_stream_ignores_are_said_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--delimiter and --encoding mean nothing for a workbook, and --jobs nothing for a JSON
    stream: each is a warning, not dropped without a word."""
    rules = tmp_path / "r.toml"
    rules.write_text(RULES)
    book = tmp_path / "d.xlsx"
    book.write_bytes(workbook(_formula_rows('<c r="B2"><v>60</v></c>')))
    assert main(["rate", str(rules), str(book), "--delimiter", ";", "--encoding", "utf-16"]) == 0
    assert "--delimiter and --encoding do nothing for a workbook" in capsys.readouterr().err
    data = tmp_path / "d.json"
    data.write_text('[{"indicator": "a", "period": "2024", "value": 60}]')
    assert main(["rate", str(rules), str(data), "--stream", "--jobs", "2"]) == 0
    assert "--jobs is for CSV files" in capsys.readouterr().err


@pytest.mark.parametrize(
    "mapping", ["indicator=indicator,v=value,w=value", "indicator=indicator,v=value,v=target"]
)
def test_a_column_mapping_that_would_drop_a_column_is_a_usage_error(
    tmp_path: Path, mapping: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "r.toml"
    rules.write_text(RULES)
    data = tmp_path / "d.csv"
    data.write_text("indicator,period,v,w,value\na,2024,40,60,70\n")
    for stream in ([], ["--stream"]):
        assert main(["rate", str(rules), str(data), "--columns", mapping, *stream]) == 2
        err = capsys.readouterr().err
        assert "--columns:" in err and ("mapped twice" in err or "both mapped" in err)
