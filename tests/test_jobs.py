"""`rate --stream --jobs N`: a file rated in parts by several processes writes the same bytes
as one process, in input order, with the same tally."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings

import ragrules
from ragrules.cli import main
from ragrules.reports._jobs import part_lines
from ragrules.reports.compiled import CsvStream
from tests.conftest import assert_same_outcome
from tests.property.test_plan import data_files, rulesets

RULES = """
[ruleset]
format = 1
id = "jobs"

[travel.comparisons]
short = { against = "previous-period" }

[exceptions]
rules = [{ statuses = ["amber"], travel = { comparison = "short", judgement = ["worsening"] } }]

[[indicator]]
id = "a"
target = 10
tolerance = { absolute = 1 }

[[indicator]]
id = "b"
polarity = "lower-is-better"
target = 5
tolerance = { absolute = 1 }
"""


def _file(path: Path, rows: int) -> Path:
    """Series whose earlier quarters lie in other parts of the file, some rows rejected."""
    lines = ["indicator,area,period,value,caveat"]
    for n in range(rows):
        indicator = "ab"[n % 2] if n % 37 else "c"
        quarter = (n // 20) % 4 + 1
        caveat = "late" if n % 53 == 0 else ""
        lines.append(f"{indicator},E{n % 10},2022/23 Q{quarter},{n % 13},{caveat}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stopped_file(path: Path, bad: str, areas: int = 10) -> Path:
    """400 plain rows (with a previous value) of `areas` areas, the 350th (line 351) `bad`."""
    lines = ["indicator,area,period,value,previous"]
    lines += [
        f"{'ab'[n % 2]},E{n % areas},2022/23 Q{n % 4 + 1},{n % 13},{n % 7}" for n in range(400)
    ]
    lines[350] = bad
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _streamed(
    ruleset: ragrules.Ruleset, path: Path, jobs: int, fmt: str = "json"
) -> tuple[str, object]:
    stream = CsvStream(ruleset, path)
    out = io.StringIO()
    tally = stream.write(out, fmt, passed=stream.passed, jobs=jobs)
    return out.getvalue(), tally


@pytest.mark.parametrize("jobs", [2, 3, 5])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_parts_write_what_one_process_writes(tmp_path: Path, jobs: int, fmt: str) -> None:
    ruleset = ragrules.loads(RULES)
    path = _file(tmp_path / "data.csv", 400)
    one, tally = _streamed(ruleset, path, 1, fmt)
    many, tallied = _streamed(ruleset, path, jobs, fmt)
    assert len(part_lines(path, jobs) or []) == jobs - 1  # it was cut
    assert many == one
    assert tallied == tally
    assert '"worsening"' in one or "worsening" in one  # travel across the parts was found


@settings(max_examples=20, deadline=None)
@given(text=rulesets(), data=data_files())
def test_any_file_in_parts_is_the_same(
    tmp_path_factory: pytest.TempPathFactory, text: str, data: str
) -> None:
    ruleset = ragrules.loads(text)
    path = tmp_path_factory.mktemp("jobs") / "data.csv"
    path.write_text(data, encoding="utf-8")
    assert_same_outcome(lambda: _streamed(ruleset, path, 1), lambda: _streamed(ruleset, path, 3))


def test_a_quoted_cell_spanning_lines_is_rated_by_one_process(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text('indicator,period,value,commentary\na,2024,10,"two\nlines"\n' * 3, "utf-8")
    assert part_lines(path, 2) is None


def test_jobs_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    path = _file(tmp_path / "data.csv", 200)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"{jobs}.jsonl"
        argv = ["rate", str(rules), str(path), "--stream", "--jobs", jobs, "-o", str(out)]
        assert main(argv) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    with pytest.raises(SystemExit):
        main(["rate", str(rules), str(path), "--stream", "--jobs", "0"])
    assert "from 1 to 64" in capsys.readouterr().err


def test_jobs_on_the_shipped_example(tmp_path: Path) -> None:
    """The README's example, rated in two processes: the loaded ruleset (defaults, origins,
    words) reaches the second process whole."""
    examples = Path(__file__).parents[1] / "rulesets" / "examples"
    rules, data = examples / "havering-2020-21-q2.toml", examples / "havering-2020-21-q2.csv"
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"{jobs}.jsonl"
        argv = ["rate", str(rules), str(data), "--stream", "--jobs", jobs, "-o", str(out)]
        assert main(argv) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") == 18


@pytest.mark.parametrize("chunk", [1, 3, 7, 64])
def test_a_file_is_cut_alike_whatever_the_chunk_it_is_read_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    from ragrules.reports import _jobs

    path = tmp_path / "data.csv"
    rows = [f'a,2024,{n},"note, {n}"' for n in range(40)]
    path.write_text("indicator,period,value,commentary\n" + "\n".join(rows) + "\n", "utf-8")
    whole = part_lines(path, 4)
    assert whole is not None and len(whole) == 3
    monkeypatch.setattr(_jobs, "_CHUNK", chunk)
    assert part_lines(path, 4) == whole
    path.write_text(path.read_text("utf-8").replace('"note, 7"', '"note,\n7"'), "utf-8")
    assert part_lines(path, 4) is None


@pytest.mark.parametrize("jobs", [2, 3])
def test_a_file_stopped_midway_writes_what_one_process_writes_before_it_stops(
    tmp_path: Path, jobs: int
) -> None:
    """A line that stops the stream (a row with an earlier column and no period, in a file
    given none) in a later part: the lines before it are written, by one process or
    several, then the error."""
    ruleset = ragrules.loads(RULES)
    path = stopped_file(tmp_path / "data.csv", "a,E1,,12,11")
    assert len(part_lines(path, jobs) or []) == jobs - 1
    written = []
    for parts in (1, jobs):
        out = io.StringIO()
        with pytest.raises(ragrules.DataError, match="row 351"):
            CsvStream(ruleset, path).write(out, jobs=parts)
        written.append(out.getvalue())
    assert written[0].count("\n") == 349  # every line before the one that stopped it
    assert written[1] == written[0]
