"""Real data in: council tables with their own columns, delimiters, encodings and titles."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import ragrules
from ragrules import Observation
from ragrules.cli import main
from ragrules.data import iter_csv, parse_columns, parse_csv, parse_json, read_observations
from ragrules.tools.audit import audit
from tests.conftest import EXAMPLES, load_case

PRINTED = EXAMPLES / "havering-2020-21-q2-printed.tsv"
MAPPING = "#1=indicator,#6=value,#7=published_short,#8=previous,#9=published_long,#10=last_year"
CASE = load_case("havering-2020-21-q2")


def test_the_printed_havering_table_rates_as_published() -> None:
    """The table as printed (tabs, titles, %, N/A, arrows) gives the published statuses."""
    rows = read_observations(PRINTED, columns=parse_columns(MAPPING), period="2020/21 Q2")
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    report = ruleset.rate(rows, period="2020/21 Q2")
    expected = {item["id"]: item["expected"] for item in CASE["indicators"]}
    for result in report.results:
        wanted = expected[result.indicator.id]
        short, long = result.travel
        assert result.status == wanted["status"], result.indicator.id
        assert (short.direction.value, long.direction.value) == (
            wanted["dot_short"],
            wanted["dot_long"],
        ), result.indicator.id
    found = audit(ruleset, rows, "2020/21 Q2")
    assert (found.checked, found.mismatches) == (11, ())
    # The repeated header line and the footnote are rejected with their row, not lost.
    assert {r.row for r in report.rejected} == {7, 8}


def test_printed_table_through_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    """rate --columns --period reads the printed table; --strict fails on its stray lines."""
    ruleset = str(EXAMPLES / "havering-2020-21-q2.toml")
    args = ["rate", ruleset, str(PRINTED), "--period", "2020/21 Q2", "--columns", MAPPING]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Rated: 6: green 2 (33%), amber 1 (17%), red 3 (50%)" in out
    assert main([*args, "--strict"]) == 1


def test_mapping_by_header_and_explicit_fields_win() -> None:
    """A header mapped to value beats another column whose header is literally Value."""
    text = "Name,Value,Q2 Performance\na,Higher is better,28\n"
    (row,) = parse_csv(text, columns={"Name": "indicator", "Q2 Performance": "value"})
    assert isinstance(row, ragrules.Observation)
    assert (row.indicator, row.value) == ("a", "28")


@pytest.mark.parametrize(("delimiter", "text"), [("\t", "a\tb"), (";", "a;b"), ("|", "a|b")])
def test_delimiters_are_sniffed(delimiter: str, text: str) -> None:
    """Tab, semicolon and bar separated files are read without options."""
    header = f"indicator{delimiter}value\n"
    (row,) = parse_csv(header + text + "\n")
    assert isinstance(row, ragrules.Observation)
    assert (row.indicator, row.value) == ("a", "b")


def test_windows_1252_files_are_read(tmp_path: Path) -> None:
    """A spreadsheet saved as Windows-1252 CSV (a pound sign) is read, not refused."""
    path = tmp_path / "d.csv"
    path.write_bytes('indicator,value\nspend,"\u00a31,200"\n'.encode("cp1252"))
    (row,) = read_observations(path)
    assert isinstance(row, ragrules.Observation)
    assert row.value == "\u00a31,200"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_unicode_text_after_its_byte_order_mark_is_read_whole_and_streamed(
    tmp_path: Path, encoding: str
) -> None:
    """Excel's "Unicode Text" export is UTF-16 after its byte order mark (tab-separated): it
    is read as such, whole and streamed, not as Windows-1252 mojibake."""
    path = tmp_path / "d.txt"
    text = "indicator\tperiod\tvalue\r\nspend\t2020/21 Q2\t\u00a31,200\r\n"
    mark = {"utf-16": "", "utf-16-be": "\ufeff", "utf-32": ""}[encoding]
    path.write_bytes((mark + text).encode(encoding))
    (row,) = read_observations(path)
    assert isinstance(row, ragrules.Observation)
    assert (row.indicator, row.period, row.value) == ("spend", "2020/21 Q2", "\u00a31,200")
    assert list(iter_csv(path)) == [row]


@pytest.mark.parametrize("mapping", ["value", "=value", "#2="])
def test_bad_column_mappings(mapping: str) -> None:
    """A mapping that is not COLUMN=FIELD is a DataError with an example."""
    with pytest.raises(ragrules.DataError, match="is not COLUMN=FIELD"):
        parse_columns(mapping)


def test_earlier_columns_need_a_period() -> None:
    """previous and last_year columns cannot be placed without the row's period."""
    with pytest.raises(ragrules.DataError, match="need the row's period"):
        parse_csv("indicator,value,prev\na,1,2\n", columns={"prev": "previous"})
    with pytest.raises(ragrules.DataError, match="--period"):
        parse_csv("indicator,value,prev\na,1,2\n", columns={"prev": "previous"}, period="soon")


def test_indicators_are_matched_by_title() -> None:
    """A row naming an indicator by its title (any case, footnote marks) is that indicator."""
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    report = ruleset.rate(
        [{"indicator": "% LAC WITH AN UP TO DATE PATHWAY PLAN IN PLACE*", "value": "72.7"}]
    )
    pathway = next(r for r in report.results if r.indicator.id == "lac-pathway-plan")
    assert pathway.status == "green"


def test_wide_tables_with_a_column_per_period() -> None:
    """A table with one column per period gives a row per period, and travel reads them."""
    rows = parse_csv(
        "Indicator,Title,2019/20 Q2,2020/21 Q1,2020/21 Q2\n"
        "early-help-conversion,Early help,37,30.4,28.15\n"
        "lac-supervision,Supervision,N/A,92.7,96.1\n"
    )
    report = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml").rate(rows)
    assert str(report.period) == "2020/21 Q2"
    results = {r.indicator.id: r for r in report.results}
    help_, supervision = results["early-help-conversion"], results["lac-supervision"]
    assert (help_.status, [m.arrow for m in help_.travel]) == ("red", ["\u2193", "\u2193"])
    assert (supervision.status, [m.arrow for m in supervision.travel]) == ("green", ["\u2191", "-"])


def test_json_keyed_by_indicator() -> None:
    """JSON may key records by indicator, as a list of periods or a single record."""
    rows = parse_json(
        '{"early-help-conversion": [{"period": "2020/21 Q1", "value": 30.4},'
        ' {"period": "2020/21 Q2", "value": 28.15}], "lac-supervision": {"period": "2020/21 Q2",'
        ' "value": "96.1"}}'
    )
    report = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml").rate(rows)
    statuses = {r.indicator.id: r.status for r in report.results}
    assert (statuses["early-help-conversion"], statuses["lac-supervision"]) == ("red", "green")


def test_a_rulesets_own_tokens() -> None:
    """[data] adds a council's own no-data and suppressed tokens, and they round-trip."""
    from ragrules.engine.canonical import canonical_toml

    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "t"\n[data]\nno-data = ["Awaited"]\nsuppressed = ["< 10"]\n'
        '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { absolute = 1 }\n'
        '[[indicator]]\nid = "b"\ntarget = 1\ntolerance = { absolute = 1 }\n'
    )
    report = ruleset.rate(
        [{"indicator": "a", "value": "awaited"}, {"indicator": "b", "value": "< 10"}]
    )
    assert [r.status for r in report.results] == ["no-data", "suppressed"]
    assert ragrules.loads(canonical_toml(ruleset)) == ruleset
    with pytest.raises(ragrules.RulesetError, match="list of non-empty strings"):
        ragrules.loads(
            '[ruleset]\nformat = 1\nid = "t"\n[data]\nno-data = "x"\n'
            '[[indicator]]\nid = "a"\npolarity = "neutral"\n'
        )


def test_row_limit_and_encoding_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Too many rows is a DataError; a Windows-1252 file is read with a warning."""
    path = tmp_path / "d.csv"
    path.write_bytes("indicator,value\nearly-help-conversion,\u00a328\nb,2\n".encode("cp1252"))
    with pytest.raises(ragrules.DataError, match="more than 1 rows"):
        read_observations(path, max_rows=1)
    ruleset = str(EXAMPLES / "havering-2020-21-q2.toml")
    assert main(["rate", ruleset, str(path), "--period", "2020/21 Q2"]) == 0
    assert "not UTF-8; read as Windows-1252" in capsys.readouterr().err


def test_json_records_read_national_headers_as_csv_headers_are_read() -> None:
    """`Indicator ID`, `Area Code` and `Time period` are the indicator, area and period in a
    JSON record as in a CSV header, where the record has no field of that name itself."""
    (row,) = parse_json(
        '[{"Indicator ID": "93356", "Area Code": "E92000001", "Time period": "2017",'
        ' "Value": "100.5", "Sex": "Persons"}]'
    )
    assert isinstance(row, ragrules.Observation)
    assert (row.indicator, row.area, row.period, row.value) == (
        "93356",
        "E92000001",
        "2017",
        "100.5",
    )
    assert dict(row.extra) == {"sex": "Persons"}
    (own,) = parse_json('[{"indicator": "a", "Indicator ID": "93356", "value": "1"}]')
    assert isinstance(own, ragrules.Observation)
    assert own.indicator == "a" and dict(own.extra) == {"indicator_id": "93356"}


JSON_COLUMNS = "PI Ref=indicator,Quarter=period,Outturn=value,Last Quarter=previous,Note=commentary"
TABLE = [
    ["PI Ref", "Quarter", "Outturn", "Last Quarter", "Note", "England"],
    ["early-help-conversion", "2020/21 Q2", "28.15", "30.4", "Fell", "31"],
    ["lac-supervision", "", "96.1%", "92.7", "", ""],
    ["ehc-assessments-20-weeks", "2020/21 Q2", "48", "", "Delayed", "50"],
]


def _as_csv(table: list[list[str]]) -> str:
    return "".join(",".join(cells) + "\n" for cells in table)


def _observations(rows: list[object]) -> list[Observation]:
    assert all(isinstance(row, Observation) for row in rows), rows
    return [row for row in rows if isinstance(row, Observation)]


def _as_json(table: list[list[str]]) -> str:
    header, *rows = table
    return json.dumps([dict(zip(header, cells, strict=True)) for cells in rows])


def test_json_records_are_read_by_a_column_mapping_as_csv_rows_are(tmp_path: Path) -> None:
    """The same table as CSV and as JSON, with the same --columns and --period, gives the same
    observations (earlier values placed by the period, the other keys kept) and the same
    report; a JSON row is its record's number, a CSV row its line's."""
    csv_path, json_path = tmp_path / "q2.csv", tmp_path / "q2.json"
    csv_path.write_text(_as_csv(TABLE), encoding="utf-8")
    json_path.write_text(_as_json(TABLE), encoding="utf-8")
    columns = parse_columns(JSON_COLUMNS)
    from_csv = read_observations(csv_path, columns=columns, period="2020/21 Q2")
    from_json = read_observations(json_path, columns=columns, period="2020/21 Q2")
    assert len(from_json) == 5  # three rows, two of them with last quarter's value
    assert [attrs.evolve(o, row=(o.row or 0) + 1) for o in _observations(from_json)] == from_csv
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    csv_report, json_report = ruleset.rate(from_csv), ruleset.rate(from_json)
    assert [(r.status, [m.arrow for m in r.travel]) for r in json_report.results] == [
        (r.status, [m.arrow for m in r.travel]) for r in csv_report.results
    ]
    assert {r.indicator.id: r.status for r in json_report.results}["lac-supervision"] == "green"


def test_the_command_line_maps_json_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """rate, check --data and explain read a JSON file through --columns, as a CSV file, and
    a mapped key no record has stops them with a did-you-mean."""
    path = tmp_path / "q2.json"
    path.write_text(_as_json(TABLE), encoding="utf-8")
    ruleset = str(EXAMPLES / "havering-2020-21-q2.toml")
    mapped = [str(path), "--period", "2020/21 Q2", "--columns", JSON_COLUMNS]
    assert main(["rate", ruleset, *mapped]) == 0
    out = capsys.readouterr().out
    assert "Rated: 3: green 1 (33%), amber 0 (0%), red 2 (67%)" in out
    assert main(["check", ruleset, "--data", *mapped]) == 0
    assert "0 findings" in capsys.readouterr().out
    assert main(["explain", ruleset, *mapped, "--indicator", "lac-supervision"]) == 0
    assert "96.1" in capsys.readouterr().out
    assert main(["rate", ruleset, str(path), "--columns", "PI Rfe=indicator"]) == 2
    assert "no column 'PI Rfe' in the header (did you mean 'PI Ref'?)" in capsys.readouterr().err


def test_a_json_mapping_naming_no_key_is_a_located_error_with_did_you_mean() -> None:
    """A typo in --columns must not empty the report of a JSON file either."""
    with pytest.raises(ragrules.DataError) as caught:
        parse_json(
            '[{"PI Ref": "a", "Outturn": "1"}, {"PI Ref": "b"}]',
            source="q2.json",
            columns=parse_columns("PI Rfe=indicator,Outturn=value"),
        )
    (problem,) = caught.value.problems
    assert (problem.file, problem.message) == (
        "q2.json",
        "--columns: no column 'PI Rfe' in the header",
    )
    assert problem.hint == "did you mean 'PI Ref'?"


def test_a_json_mapping_cannot_number_keys() -> None:
    """`#N` names no key: a JSON object's keys are unordered, and writers reorder them."""
    with pytest.raises(ragrules.DataError, match="#1=indicator: the keys of a JSON record"):
        parse_json('[{"PI Ref": "a"}]', columns={"#1": "indicator"})


def test_mapped_json_records_keep_their_own_keys_and_rows() -> None:
    """A record lacking a mapped key has it blank (JSON writers leave out nulls); a record
    that is not an object, or holds nothing, is rejected at its own row number, after a
    record that gave two rows."""
    rows = parse_json(
        '[{"PI": "a", "Outturn": "1", "Last": "2", "Sex": "F"}, 3, {}, {"PI": "b", "Outturn": 4}]',
        columns={"PI": "indicator", "Outturn": "value", "Last": "previous"},
        period="2020/21 Q2",
    )
    shown = [
        (o.row, o.indicator, o.period, o.value, o.extra) for o in rows if isinstance(o, Observation)
    ]
    assert shown == [
        (1, "a", "2020/21 Q2", "1", (("sex", "F"),)),
        (1, "a", "2020/21 Q1", "2", (("sex", "F"),)),
        (2, "", "", "", ()),
        (3, "", "", "", ()),
        (4, "b", "2020/21 Q2", "4", ()),
    ]
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\npolarity = "neutral"\n'
        '[[indicator]]\nid = "b"\npolarity = "neutral"\n'
    )
    rejected = ruleset.rate(rows).rejected
    assert [(r.row, r.reason) for r in rejected] == [
        (2, "the row has no indicator id"),
        (3, "the row has no indicator id"),
    ]


@pytest.mark.parametrize(
    ("mapping", "said"),
    [
        ("id=indicator,Q1=value,Q2=value", "'Q1' and 'Q2' are both mapped to value"),
        ("id=indicator,Q2=value,Q2=target", "'Q2' is mapped twice"),
        ("id=indicator,id=area,Q2=value", "'id' is mapped twice"),
        ("id=indicator,Q2=value, q2 =target", "is mapped twice"),
    ],
)
def test_a_column_mapped_twice_or_a_field_given_two_columns_is_refused(
    mapping: str, said: str
) -> None:
    """Either would silently drop one of the two (and rate the file's own value column)."""
    with pytest.raises(ragrules.DataError, match=said):
        parse_columns(mapping)


def test_a_mapping_from_python_naming_one_column_twice_is_refused() -> None:
    text = "id,Q1,Q2,value\na,29.5,28.15,31\n"
    with pytest.raises(ragrules.DataError, match="both mapped to value"):
        parse_csv(text, columns={"id": "indicator", "Q1": "value", "Q2": "value"})
    with pytest.raises(ragrules.DataError, match="'#3' and 'Q2' name one column"):
        parse_csv(text, columns={"id": "indicator", "#3": "value", "Q2": "target"})


def test_utf16_named_for_a_file_without_its_byte_order_mark_is_refused(tmp_path: Path) -> None:
    """Read whole or streamed alike: never guessed little-endian (garbage from UTF-8)."""
    for text in ("indicator,value\na,1\n", "indicator,value\na,12\n"):  # even and odd lengths
        path = tmp_path / "data.csv"
        path.write_bytes(text.encode("utf-8"))
        with pytest.raises(ragrules.DataError, match="utf-16-le"):
            read_observations(path, encoding="utf-16")
        path.write_bytes(text.encode("utf-16-le"))
        with pytest.raises(ragrules.DataError, match="no byte order mark"):
            read_observations(path, encoding="utf-16")
        assert len(read_observations(path, encoding="utf-16-le")) == 1
