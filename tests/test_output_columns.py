"""The output's columns: the passed-through columns keep the file's order in every engine,
every output column name is unique, and the JSON keys are the ones docs/data-format.md lists
("JSON output", "CSV output")."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ragrules
from ragrules.cli import main
from ragrules.output import to_csv, to_json
from ragrules.reports._columns import JUDGEMENT_COLUMNS, header, passed_names
from ragrules.stream import rate_csv_stream, write_stream
from tests.conftest import EXAMPLES, ROOT

pandas = pytest.importorskip("pandas")
from ragrules.pandas import rate_frame  # noqa: E402  (after the skip)

RULESET = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "r"\n'
    '[travel.comparisons]\nshort = { against = "previous-period" }\n'
    '[[indicator]]\nid = "a"\ntarget = 50\ntolerance = { relative = "5%" }\n'
)
ENGINES = ("batch", "stream", "compiled", "columnar", "pandas")


def _passed(ruleset: ragrules.Ruleset, path: Path, engine: str) -> list[tuple[str, str]]:
    """The passed-through columns of the first result, as one engine writes them: JSON
    `columns` (name, value) pairs in order, or the CSV header's trailing cells."""
    out = io.StringIO()
    if engine == "batch":
        record = json.loads(to_json(ruleset.rate(ragrules.read_observations(path))))
        return list(record["results"][0]["columns"].items())
    if engine == "stream":
        write_stream(ruleset.iter_rate(ragrules.read_observations(path)), ruleset, out, "json")
    elif engine == "compiled":
        rate_csv_stream(ruleset, path, out, "json")
    elif engine == "columnar":
        from ragrules.columnar import rate_csv_columnar

        rate_csv_columnar(ruleset, path, out)
    else:
        frame = rate_frame(ruleset, pandas.read_csv(path, dtype=str, keep_default_na=False))
        record = frame.iloc[0].to_dict()
        comparisons = [comparison.name for comparison in ruleset.travel.comparisons]
        names = list(frame.columns)[len(header(comparisons)) :]
        return [(name, record[name]) for name in names]
    first = next(json.loads(line) for line in out.getvalue().splitlines())
    return list(first["columns"].items())


def _csv_header(*args: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert main(["rate", *args, "--format", "csv"]) == 0
    return next(csv.reader(io.StringIO(capsys.readouterr().out)))


# -- the file's order ----------------------------------------------------------------------


def test_passed_through_columns_keep_the_files_order_in_every_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rs.toml"
    rules.write_text(
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\ntarget = 50\n'
        'tolerance = { relative = "5%" }\n',
        encoding="utf-8",
    )
    data = tmp_path / "names.csv"
    data.write_text("indicator,period,value,Authority Code,ONS-Ref\na,2021,40,E1,x\n")
    for stream in ([], ["--stream"]):
        names = _csv_header(str(rules), str(data), *stream, capsys=capsys)
        assert names[-2:] == ["authority_code", "ons_ref"]
    for engine in ENGINES:
        got = _passed(ragrules.load(rules), data, engine)
        assert got == [("authority_code", "E1"), ("ons_ref", "x")], engine


def test_of_two_columns_with_one_key_the_first_is_kept_in_its_place(tmp_path: Path) -> None:
    data = tmp_path / "twice.csv"
    data.write_text("indicator,Code,period,value,ons,code\na,first,2021,40,o,second\n")
    for engine in ENGINES[:-1]:  # pandas refuses a frame with two columns of one key
        assert _passed(RULESET, data, engine) == [("code", "first"), ("ons", "o")], engine


# Header cells that are not fields, some with one column key (`ons-ref` and `ONS ref`).
OTHER_NAMES = st.lists(
    st.sampled_from(["Authority Code", "ons-ref", "ONS ref", "zeta", "Alpha", "m_2", "b"]),
    min_size=1,
    max_size=6,
)


@settings(deadline=None, max_examples=30)
@given(names=OTHER_NAMES, data=st.data())
def test_every_engine_passes_columns_through_in_the_files_order(
    tmp_path_factory: pytest.TempPathFactory, names: list[str], data: st.DataObject
) -> None:
    """Whatever the other columns and wherever they stand, each engine writes them in the
    file's order, the first of a repeated key kept, and the engines write the same bytes."""
    header_cells = ["indicator", "value"]
    for name in names:
        header_cells.insert(data.draw(st.integers(0, len(header_cells))), name)
    fields = {"indicator": "a", "value": "41"}
    rows = [[fields.get(c, f"{i}:{c}") for i, c in enumerate(header_cells)]]
    path = tmp_path_factory.mktemp("order") / "data.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header_cells, *rows])
    keys: dict[str, str] = {}
    for i, cell in enumerate(header_cells):
        key = "_".join(cell.lower().replace("-", " ").replace("_", " ").split())
        if key not in ("indicator", "value"):
            keys.setdefault(key, f"{i}:{cell}")
    expected = list(keys.items())
    for engine in ENGINES[:-1]:
        assert _passed(RULESET, path, engine) == expected, engine
    if len(keys) == len(names):  # pandas refuses two columns of one key
        assert _passed(RULESET, path, "pandas") == expected
    streams = []
    for write in (
        lambda out: write_stream(RULESET.iter_rate(ragrules.read_observations(path)), RULESET, out),
        lambda out: rate_csv_stream(RULESET, path, out),
        lambda out: __import__("ragrules.columnar").columnar.rate_csv_columnar(RULESET, path, out),
    ):
        out = io.StringIO()
        write(out)
        streams.append(out.getvalue())
    assert streams[0] == streams[1] == streams[2]
    out = io.StringIO()
    rate_csv_stream(RULESET, path, out, "csv")
    general = io.StringIO()
    write_stream(RULESET.iter_rate(ragrules.read_observations(path)), RULESET, general, "csv")
    assert out.getvalue() == general.getvalue()


# -- unique names --------------------------------------------------------------------------


def test_a_data_column_named_like_ours_never_takes_the_name_of_another(
    tmp_path: Path,
) -> None:
    frame = pandas.DataFrame(
        {"indicator": ["a"], "value": ["1"], "status": ["Red"], "data_status": ["checked"]}
    )
    rated = rate_frame(RULESET, frame)
    assert list(rated.columns)[-2:] == ["data_status (2)", "data_status"]
    assert rated["data_status"].tolist() == ["checked"]
    assert rated["data_status (2)"].tolist() == ["Red"]
    report = RULESET.rate(frame.to_dict("records"))
    assert to_csv(report).splitlines()[0].split(",")[-2:] == ["data_status (2)", "data_status"]
    data = tmp_path / "dup.csv"
    data.write_text("indicator,value,status,data_status,row,Data Row\na,1,Red,checked,7,8\n")
    out = io.StringIO()
    rate_csv_stream(RULESET, data, out, "csv")
    names = next(csv.reader(io.StringIO(out.getvalue())))
    assert names[-4:] == ["data_status (2)", "data_status", "data_row (2)", "data_row"]
    assert len(set(names)) == len(names)


NAMES = st.lists(
    st.one_of(
        st.sampled_from(
            ["status", "data_status", "data_data_status", "data_status (2)", "row", "data_row"]
        ),
        st.sampled_from([*JUDGEMENT_COLUMNS, "short_arrow", "exception_reasons", "rejected"]),
        st.text(max_size=12),
    ),
    max_size=12,
)


@given(
    passed=NAMES,
    judged=st.booleans(),
    comparisons=st.lists(st.sampled_from(["short", "long", "forecast", "override"]), unique=True),
    extra=st.sampled_from([(), ("exception_reasons", "rejected")]),
)
def test_output_column_names_are_unique(
    passed: list[str], judged: bool, comparisons: list[str], extra: tuple[str, ...]
) -> None:
    """For any data column names: no two output columns have one name, ours keep theirs,
    a data name unlike ours keeps its own, and a clash is `data_NAME`, perhaps numbered."""
    names = header(comparisons, passed, extra, judged=judged)
    ours = header(comparisons, (), extra, judged=judged)
    assert len(set(names)) == len(names)
    assert names[: len(ours)] == ours
    shown = names[len(ours) :]
    assert len(shown) == len(passed)
    seen: set[str] = set()
    for name, out in zip(passed, shown, strict=True):
        if name in ours or name in seen:
            assert re.fullmatch(rf"data_{re.escape(name)}( \([2-9]\d*\))?", out)
        else:
            assert out == name
        seen.add(name)
    assert passed_names(ours, passed) == shown


# -- the documented JSON keys --------------------------------------------------------------


def _documented_keys(after: str) -> list[str]:
    """The first-column names of the table after a line of docs/data-format.md."""
    text = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    start = text.index(after)
    table = text[start:].split("| --- | --- |\n", 1)[1].split("\n\n", 1)[0]
    return [
        name for line in table.splitlines() for name in re.findall(r"`([^`]+)`", line.split("|")[1])
    ]


def _json_report(*args: str, capsys: pytest.CaptureFixture[str]) -> Any:
    capsys.readouterr()
    assert main(["rate", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_json_report_has_exactly_the_documented_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = _json_report(
        str(EXAMPLES / "havering-2020-21-q2.toml"),
        str(EXAMPLES / "havering-2020-21-q2.csv"),
        capsys=capsys,
    )
    assert list(report) == _documented_keys("#### JSON output")
    always = _documented_keys("Each result has these keys")
    assert "number" not in always
    for result in report["results"]:
        assert list(result) == always


def test_a_judged_result_has_the_documented_keys_and_the_optional_ones_in_place(
    capsys: pytest.CaptureFixture[str],
) -> None:
    always = _documented_keys("Each result has these keys")
    optional = _documented_keys("Some results also have these")
    report = _json_report(
        str(EXAMPLES / "judgement" / "officer-judgement.toml"),
        str(EXAMPLES / "judgement" / "officer-judgement-2024-25-q2.csv"),
        capsys=capsys,
    )
    seen: set[str] = set()
    for result in report["results"]:
        keys = list(result)
        assert [key for key in keys if key not in optional] == always
        extra = [key for key in keys if key in optional]
        seen.update(extra)
        at = always.index("flag") + 1
        assert keys[at : at + len(extra)] == extra  # after `flag`, before `columns`
    assert {"reported_status", "override", "forecast"} <= seen
