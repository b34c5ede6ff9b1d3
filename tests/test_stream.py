"""Streaming: large files rated a line at a time, in constant memory, with nothing lost."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
import ragrules.engine.batch
from ragrules.cli import main
from ragrules.data import iter_csv, parse_columns, parse_csv, read_observations
from tests.conftest import EXAMPLES, load_case

PRINTED = EXAMPLES / "havering-2020-21-q2-printed.tsv"
MAPPING = "#1=indicator,#6=value,#7=published_short,#8=previous,#9=published_long,#10=last_year"
HAVERING = EXAMPLES / "havering-2020-21-q2.toml"
CASE = load_case("havering-2020-21-q2")
RULESET = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "s"\n'
    '[travel.comparisons]\nshort = { against = "previous-period" }\n'
    'long = { against = "same-period-last-year" }\n'
    '[exceptions]\nrules = [{ statuses = ["red"] }]\n'
    '[[indicator]]\nid = "up"\nunit = "percent"\ntarget = "72%"\n'
    'tolerance = { relative = "5%" }\n'
    '[[indicator]]\nid = "down"\npolarity = "lower-is-better"\nunit = "weeks"\n'
    'target = "26 weeks"\ntolerance = { absolute = "2 weeks" }\n'
)


def test_the_printed_havering_table_streams_as_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each printed line carries its earlier values: streamed, it rates as published."""
    out = tmp_path / "out.jsonl"
    args = ["rate", str(HAVERING), str(PRINTED), "--period", "2020/21 Q2", "--columns", MAPPING]
    assert main([*args, "--stream", "--output", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = {item["id"]: item["expected"] for item in CASE["indicators"]}
    rated = {r["indicator"]: r for r in records if "status" in r}
    assert set(rated) == set(expected)
    for indicator, wanted in expected.items():
        travel = rated[indicator]["travel"]
        assert rated[indicator]["status"] == wanted["status"], indicator
        directions = {move["comparison"]: move["direction"] for move in travel}
        assert (directions["short"], directions["long"]) == (
            wanted["dot_short"],
            wanted["dot_long"],
        ), indicator
    # The repeated header line and the footnote are rejected with their row, not lost.
    assert {r["row"] for r in records if "rejected" in r} == {7, 8}
    assert "0 exceptions" not in capsys.readouterr().err
    assert main([*args, "--stream", "--output", str(out), "--strict"]) == 1


def test_stream_csv_output_passes_columns_through(capsys: pytest.CaptureFixture[str]) -> None:
    """CSV out: one row per result with its arrows, exception reasons and passed-through columns."""
    args = ["rate", str(HAVERING), str(PRINTED), "--period", "2020/21 Q2", "--columns", MAPPING]
    assert main([*args, "--stream", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    red = next(row for row in rows if row["indicator"] == "early-help-conversion")
    assert (red["status"], red["short_arrow"], red["exception_reasons"]) == (
        "red",
        "↓",
        "status red",
    )
    assert red["published_short"] == "↓"
    assert {row["rejected"] for row in rows} == {"True", "False"}


def test_stream_csv_of_json_records_keeps_every_records_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON records need not share their keys: a key only a later record has is a column of
    the CSV too, blank for the records without it; none is dropped. (A rejected row's own
    columns are blank, as a CSV file's are.)"""
    rules, data = tmp_path / "rules.toml", tmp_path / "data.json"
    rules.write_text(RULESET.canonical_toml, encoding="utf-8")
    records = [
        {"indicator": "up", "period": "2022/23 Q1", "value": "73%", "note": "a"},
        {"indicator": "up", "period": "2022/23 Q2", "value": "70%", "source": "b"},
        {"indicator": "zz", "period": "2022/23 Q2", "value": "1", "owner": "c"},
    ]
    data.write_text(json.dumps(records), encoding="utf-8")
    assert main(["rate", str(rules), str(data), "--stream", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["note"], r["source"], r["owner"]) for r in rows] == [
        ("a", "", ""),
        ("", "b", ""),
        ("", "", ""),
    ]
    assert [r["rejected"] for r in rows] == ["False", "False", "True"]


def test_stream_refuses_report_formats(capsys: pytest.CaptureFixture[str]) -> None:
    """Markdown and HTML are reports of one period; a stream is JSON lines or CSV."""
    data = str(EXAMPLES / "havering-2020-21-q2.csv")
    assert main(["rate", str(HAVERING), data, "--stream", "--format", "html"]) == 2
    assert "--stream writes json" in capsys.readouterr().err


def test_output_file_for_reports(tmp_path: Path) -> None:
    """--output writes the ordinary report to a file as well."""
    out = tmp_path / "report.md"
    data = str(EXAMPLES / "havering-2020-21-q2.csv")
    assert main(["rate", str(HAVERING), data, "--format", "markdown", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("#")


def test_unwritable_output_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(EXAMPLES / "havering-2020-21-q2.csv")
    target = tmp_path / "missing" / "out.json"
    assert main(["rate", str(HAVERING), data, "-o", str(target)]) == 2
    assert f"{target}: cannot write the output" in capsys.readouterr().err


def test_iter_rate_is_lazy() -> None:
    """iter_rate yields as it reads: an endless stream gives its first results at once."""

    def endless() -> Iterator[dict[str, str]]:
        for n in itertools.count():
            yield {"indicator": "up", "period": "2020/21 Q2", "value": f"{70 + n % 5}%"}

    first = list(itertools.islice(RULESET.iter_rate(endless()), 5))
    assert [item.row for item in first] == [1, 2, 3, 4, 5]
    assert [getattr(item, "status", None) for item in first] == [
        "amber",
        "amber",
        "green",
        "green",
        "green",
    ]


def test_iter_csv_reads_as_read_observations(tmp_path: Path) -> None:
    """The streaming reader gives the same observations as the whole-file reader."""
    columns = parse_columns(MAPPING)
    whole = read_observations(PRINTED, columns=columns, period="2020/21 Q2")
    seen: list[tuple[int, int]] = []
    streamed = list(
        iter_csv(
            PRINTED,
            columns=columns,
            period="2020/21 Q2",
            progress=lambda done, size: seen.append((done, size)),
        )
    )
    assert streamed == whole
    assert seen and seen[-1][0] == seen[-1][1] == PRINTED.stat().st_size


_CELL = st.text(st.sampled_from('ab ,"\r\n%1'), max_size=6)


@given(
    cells=st.lists(st.tuples(_CELL, st.integers(0, 100)), min_size=1, max_size=4),
    ends=st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=5, max_size=5),
)
def test_a_file_is_read_alike_whole_and_streamed_whatever_its_line_ends(
    tmp_path_factory: pytest.TempPathFactory, cells: list[tuple[str, int]], ends: list[str]
) -> None:
    """LF, CRLF and a bare CR (old Mac Excel's "CSV (Macintosh)") end a line in both
    readers, and a quoted cell may hold any of them: the same rows, numbered alike."""
    lines = ["indicator,period,value,commentary"]
    for commentary, value in cells:
        quoted = '"' + commentary.replace('"', '""') + '"'
        lines.append(f"up,2020/21 Q2,{value}%,{quoted}")
    text = "".join(line + end for line, end in zip(lines, ends, strict=False))
    path = tmp_path_factory.mktemp("ends") / "d.csv"
    path.write_bytes(text.encode("utf-8"))
    assert list(iter_csv(path)) == read_observations(path) == parse_csv(text, source=str(path))


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_file_with_bare_cr_line_ends_is_read_whole(tmp_path: Path, delimiter: str) -> None:
    """The delimiter is sniffed from the header line alone, whatever ends it: the commas
    of a tab-separated file's commentary never outvote its header's tabs."""
    lines = [
        ["indicator", "period", "value", "commentary"],
        ["up", "2020/21 Q2", "45%", "a, b, c, d, e, f, g"],
        ["down", "2020/21 Q2", "20", "h, i, j, k, l, m, n"],
    ]
    path = tmp_path / "mac.csv"
    text = "".join(delimiter.join(line) + "\r" for line in lines)
    if delimiter == ",":
        for commentary in (lines[1][3], lines[2][3]):
            text = text.replace(commentary, f'"{commentary}"')
    path.write_bytes(text.encode("utf-8"))
    rows = read_observations(path)
    assert [(row.indicator, row.value, row.row) for row in rows] == [  # type: ignore[attr-defined]
        ("up", "45%", 2),
        ("down", "20", 3),
    ]


def test_iter_csv_missing_file_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(ragrules.DataError) as caught:
        list(iter_csv(tmp_path / "none.csv"))
    assert "cannot read the data" in str(caught.value)


VALUES = st.sampled_from(
    ["68%", "72%", "71.99%", "68.4", "N/A", "", "<5", "c", "25 weeks", "27.5 weeks", "x1", "-"]
)
LINES = st.fixed_dictionaries(
    {
        "indicator": st.sampled_from(["up", "down", "nope", ""]),
        "period": st.sampled_from(["2020/21 Q2", "2021 Q3", "2020-11", ""]),
        "value": VALUES,
        "previous": VALUES,
        "last_year": VALUES,
        "authority": st.sampled_from(["E09000016", "E08000027"]),
    }
)


def _csv(lines: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(LINES_FIELDS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(lines)
    return buffer.getvalue()


LINES_FIELDS = ("indicator", "period", "value", "previous", "last_year", "authority")


@given(st.lists(LINES, max_size=12))
def test_every_line_is_accounted_for_and_rated_as_a_report_of_its_own(
    lines: list[dict[str, str]],
) -> None:
    """Each line yields a result or a rejection, equal to rating that line as a report with
    the lines before it as its history (the latest row of each series and period first)."""
    observations = parse_csv(_csv(lines), period="2020/21 Q2")
    streamed = list(RULESET.iter_rate(observations))
    lines_in = {o.row for o in observations if isinstance(o, ragrules.Observation)}
    assert {item.row for item in streamed} == lines_in
    rows = [o for o in observations if isinstance(o, ragrules.Observation)]
    for row in sorted(n for n in lines_in if n is not None):
        alone = [o for o in rows if o.row == row]
        before = [o for o in reversed(rows) if (o.row or 0) < row]
        got = [i for i in streamed if i.row == row and isinstance(i, ragrules.Result)]
        period = next((str(r.period) for r in got if r.period is not None), None)
        report = RULESET.rate(alone, period=period)
        with_history = RULESET.rate([*alone, *before], period=period)
        expected = [r for r in with_history.results if r.row == row]
        assert [(r.indicator.id, r.status, r.reason) for r in got] == [
            (r.indicator.id, r.status, r.reason) for r in expected
        ]
        assert [[m.arrow for m in r.travel] for r in got] == [
            [m.arrow for m in r.travel] for r in expected
        ]
        rejected = [i for i in streamed if i.row == row and isinstance(i, ragrules.Rejection)]
        # A line's rejected earlier values share its reason: the stream says it once.
        assert [r.reason for r in rejected] == list(
            dict.fromkeys(r.reason for r in report.rejected)
        )


def test_a_numeric_token_of_the_ruleset_is_a_token_not_a_number() -> None:
    """`no-data = ["-1"]` makes -1 mean no data, on the fast path for plain numbers too."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "t"\n[data]\nno-data = ["-1"]\nsuppressed = ["999"]\n'
        '[[indicator]]\nid = "up"\nunit = "percent"\ntarget = "72%"\n'
        'tolerance = { relative = "5%" }\n'
    )
    rows = [{"indicator": "up", "period": "2020/21", "value": "-1"}]
    assert ruleset.rate(rows).results[0].status == "no-data"
    assert [r.status for r in ruleset.iter_rate(rows)] == ["no-data"]  # type: ignore[union-attr]
    rows = [{"indicator": "up", "period": "2020/21", "value": "999"}]
    assert ruleset.rate(rows).results[0].status == "suppressed"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_csv_header_passes_columns_through_even_when_the_first_row_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = _write(tmp_path / "r.toml", RULES_TEXT)
    data = _write(
        tmp_path / "d.csv",
        "authority,indicator,period,value\nE1,bogus,2020/21 Q2,1\nE2,up,2020/21 Q2,80%\n",
    )
    assert main(["rate", str(rules), str(data), "--stream", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["authority"], row["status"]) for row in rows] == [("", ""), ("E2", "green")]


def test_a_rejected_row_fills_its_own_columns_in_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rejected row's indicator, period, row and reason are under their own headings, as
    the JSON line has them (the CSV once put the period under `area` and the row number
    under `period`)."""
    rules = _write(tmp_path / "r.toml", RULES_TEXT)
    data = _write(tmp_path / "d.csv", "indicator,period,value\nnope,2020/21 Q2,5\n")
    for fmt in ("csv", "json"):
        assert main(["rate", str(rules), str(data), "--stream", "--format", fmt]) == 0
        out = capsys.readouterr().out
        rows = list(csv.DictReader(io.StringIO(out))) if fmt == "csv" else [json.loads(out)]
        (row,) = rows
        assert (row["indicator"], row.get("area") or None, row["period"]) == (
            "nope",
            None,
            "2020/21 Q2",
        )
        assert str(row["row"]) == "2" and row["reason"].startswith("unknown indicator 'nope'")
        assert row["rejected"] in (True, "True")


def test_stream_never_empties_the_data_or_an_existing_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = _write(tmp_path / "r.toml", RULES_TEXT)
    data = _write(tmp_path / "d.csv", "indicator,period,value\nup,2020/21 Q2,80%\n")
    assert main(["rate", str(rules), str(data), "--stream", "-o", str(data)]) == 2
    assert data.read_text(encoding="utf-8").startswith("indicator")
    kept = _write(tmp_path / "out.jsonl", "earlier results\n")
    missing = tmp_path / "missing.csv"
    assert main(["rate", str(rules), str(missing), "--stream", "-o", str(kept)]) == 2
    assert kept.read_text(encoding="utf-8") == "earlier results\n"
    assert "would overwrite the data" in capsys.readouterr().err


def test_strict_stream_fails_on_unreadable_values_and_missing_commentary(tmp_path: Path) -> None:
    """--strict means the same with --stream as without: rejections, unreadable values, findings."""
    rules = _write(
        tmp_path / "r.toml",
        RULES_TEXT + '[exceptions]\ncommentary-required = ["red"]\n',
    )
    unreadable = _write(tmp_path / "u.csv", "indicator,period,value\nup,2020/21 Q2,abc\n")
    red = _write(tmp_path / "red.csv", "indicator,period,value\nup,2020/21 Q2,10%\n")
    fine = _write(tmp_path / "ok.csv", "indicator,period,value\nup,2020/21 Q2,80%\n")
    for path, code in ((unreadable, 1), (red, 1), (fine, 0)):
        argv = ["rate", str(rules), str(path), "--strict"]
        assert main([*argv, "--stream", "-o", str(tmp_path / "o.jsonl")]) == code, path.name
        assert main([*argv, "-o", str(tmp_path / "o.txt")]) == code, path.name


def test_compiled_rules_stay_bounded_with_targets_from_the_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every row may bring its own target; the cache of compiled rules does not grow with them."""
    monkeypatch.setattr(ragrules.engine.batch, "_MAX_COMPILED", 3)
    seen: list[ragrules.engine.batch._Batch] = []
    original = ragrules.engine.batch._Batch.__init__

    def spy(self: ragrules.engine.batch._Batch, ruleset: ragrules.Ruleset) -> None:
        original(self, ruleset)
        seen.append(self)

    monkeypatch.setattr(ragrules.engine.batch._Batch, "__init__", spy)
    rows = [
        {"indicator": "up", "period": "2020/21 Q2", "value": "70%", "target": f"{60 + n % 20}%"}
        for n in range(60)
    ]
    streamed = [item.status for item in RULESET.iter_rate(rows)]  # type: ignore[union-attr]
    assert streamed == [RULESET.rate([row]).results[0].status for row in rows]
    # 20 targets, fewer kept: the floor (3 here) or four per indicator, whichever is more.
    assert len(seen[0].cuts) <= seen[0].compiled_size < 20


def test_a_line_with_the_period_asked_for_rates_that_period(tmp_path: Path) -> None:
    """With --period, a wide line rates that period's column, as a report would."""
    rows = [
        {"indicator": "up", "period": "2019/20", "value": "70%", "row": 2},
        {"indicator": "up", "period": "2020/21", "value": "75%", "row": 2},
        {"indicator": "up", "period": "2021/22", "value": "60%", "row": 2},
    ]
    observations = [ragrules.Observation(**row) for row in rows]
    (result,) = RULESET.iter_rate(observations, period="2020/21")
    assert isinstance(result, ragrules.Result)
    assert (str(result.period), result.status) == ("2020/21", "green")
    (latest,) = RULESET.iter_rate(observations)
    assert str(latest.period) == "2021/22"


def test_rejections_come_out_in_input_order() -> None:
    rows: list[object] = [
        {"indicator": "up", "period": "2020/21 Q2", "value": "80%"},
        "not a row",
        {"indicator": "up", "period": "2020/21 Q1", "value": "80%"},
    ]
    assert [item.row for item in RULESET.iter_rate(rows)] == [1, 2, 3]


RULES_TEXT = (
    '[ruleset]\nformat = 1\nid = "s"\n'
    '[[indicator]]\nid = "up"\nunit = "percent"\ntarget = "72%"\n'
    'tolerance = { relative = "5%" }\n'
)


def test_a_data_column_named_like_an_output_column_is_kept_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = _write(tmp_path / "r.toml", RULES_TEXT)
    data = _write(tmp_path / "d.csv", "indicator,period,value,status\nup,2020/21 Q2,80%,Red\n")
    assert main(["rate", str(rules), str(data), "--stream", "--format", "csv"]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert (row["status"], row["data_status"]) == ("green", "Red")


def test_compiled_rules_are_kept_for_every_indicator_of_a_large_ruleset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A ruleset with more indicators than the cache's floor compiles each rule once, not on
    every row (the cache is a least-recently-used one sized to the ruleset)."""
    monkeypatch.setattr(ragrules.engine.batch, "_MAX_COMPILED", 3)
    text = '[ruleset]\nformat = 1\nid = "many"\n' + "".join(
        f'[[indicator]]\nid = "i{n}"\ntarget = 10\ntolerance = {{ absolute = 1 }}\n'
        for n in range(8)
    )
    ruleset = ragrules.loads(text)
    compiled: list[object] = []
    original = ragrules.engine.rating.compile_cuts

    def counting(inputs: ragrules.engine.rating.RuleInputs) -> object:
        compiled.append(inputs)
        return original(inputs)

    monkeypatch.setattr(ragrules.engine.rating, "compile_cuts", counting)
    rows = [{"indicator": f"i{n % 8}", "period": "2024", "value": "10"} for n in range(80)]
    assert all(r.status == "green" for r in ruleset.iter_rate(rows))  # type: ignore[union-attr]
    assert len(compiled) == 8
