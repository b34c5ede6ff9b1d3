"""Hostile and careless data: nothing lost, nothing silent, bounded cost, only library errors."""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.cli import main
from ragrules.formats import data
from ragrules.tools.audit import audit
from ragrules.tools.verify import verify_file

ROOT = Path(__file__).resolve().parents[2]
HAVERING = ROOT / "rulesets" / "examples" / "havering-2020-21-q2.toml"
HAVERING_DATA = ROOT / "rulesets" / "examples" / "havering-2020-21-q2.csv"

RULESET = """
[ruleset]
format = 1
id = "careless"

[[indicator]]
id = "share"
title = "Share of contacts"
unit = "percent"
polarity = "higher-is-better"
target = "85%"
tolerance = { absolute = "5%" }

[[indicator]]
id = "waste"
title = "Waste collected"
unit = "count"
polarity = "lower-is-better"
target = "15000"
tolerance = { relative = "5%" }
"""


def _ruleset() -> ragrules.Ruleset:
    return ragrules.loads(RULESET)


def _notices(report: ragrules.Report) -> list[str]:
    return [problem.message for problem in report.notices]


# 5: devices and endless lines are located errors, not MemoryError.


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("name", ["read", "stream"])
def test_dev_zero_as_data_is_a_located_error(name: str) -> None:
    def read() -> object:
        if name == "read":
            return data.read_observations("/dev/zero", max_bytes=1 << 20)
        return list(data.iter_csv("/dev/zero", encoding="utf-8"))

    with pytest.raises(ragrules.DataError) as caught:
        read()
    assert caught.value.problems[0].file == "/dev/zero"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_stream_from_a_pipe_is_refused_not_hung(tmp_path: Path) -> None:
    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)
    with pytest.raises(ragrules.DataError, match="regular file"):
        data.sniff_encoding(fifo)
    with pytest.raises(ragrules.DataError, match="regular file"):
        list(data.iter_csv(fifo))


def test_an_endless_line_in_a_stream_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("indicator,period,value\n" + "x" * (data.MAX_LINE + 10) + "\n")
    with pytest.raises(ragrules.DataError, match="line 2 is over"):
        list(data.iter_csv(path))


# 6: unknown ids and wide headers cost time linear in the input. Timed in this process's CPU
# time, not the wall's: a blow-up shows in either, a busy machine only in the wall's.


def test_unknown_ids_cost_no_did_you_mean_search_per_row() -> None:
    ids = "\n".join(
        f'[[indicator]]\nid = "indicator-{i}"\nunit = "count"\npolarity = "neutral"\n'
        for i in range(3000)
    )
    ruleset = ragrules.loads(f'[ruleset]\nformat = 1\nid = "many"\n{ids}')
    rows = [{"indicator": f"indicatr-{i}", "period": "2020/21", "value": "1"} for i in range(400)]
    start = time.process_time()
    report = ruleset.rate(rows)
    elapsed = time.process_time() - start
    assert len(report.rejected) == 400  # every row accounted for
    assert "did you mean" in report.rejected[0].reason
    assert elapsed < 5  # a search per row took ~0.1 s each


def test_a_wide_header_is_read_in_linear_time() -> None:
    months = [f"{1000 + i // 12}-{1 + i % 12:02d}" for i in range(20_000)]
    header = ["indicator", *months]
    start = time.process_time()
    rows = data.parse_rows([(1, header), (2, ["share", *["1"] * len(months)])])
    assert time.process_time() - start < 3  # quadratic: ~10 s
    assert len(rows) == len(months)


# 12: a wide row with every period blank is not lost.


def test_a_wide_row_with_blank_periods_is_accounted_for() -> None:
    text = "indicator,2019/20,2020/21\nshare,80%,90%\nwaste,,\n"
    rows = data.parse_csv(text)
    report = _ruleset().rate(rows)
    waste = next(r for r in report.results if r.indicator.id == "waste")
    assert waste.row == 3
    assert waste.status == "no-data"


# 13: one stray monthly row moving the report period is said.


def test_a_stray_month_that_moves_the_report_period_is_a_notice() -> None:
    rows = [
        {"indicator": "share", "period": "2020/21 Q1", "value": "80%"},
        {"indicator": "share", "period": "2020/21 Q2", "value": "86%"},
        {"indicator": "waste", "period": "2020/21 Q1", "value": "14000"},
        {"indicator": "waste", "period": "2020/21 Q2", "value": "14100"},
        {"indicator": "waste", "period": "Sep 2020", "value": "4700"},
    ]
    report = _ruleset().rate(rows)
    assert str(report.period) == "2020-09"
    assert any("2020/21 Q2" in n and "history" in n for n in _notices(report))
    assert not _notices(_ruleset().rate(rows, period="2020/21 Q2"))


# 14: empty results say what happened, and --strict fails on them.


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([], "no rows"),
        ([{"indicator": "nope", "period": "2020/21", "value": "1"}], "every row was rejected"),
    ],
)
def test_an_empty_result_is_a_notice(rows: list[dict[str, str]], words: str) -> None:
    assert any(words in n for n in _notices(_ruleset().rate(rows)))


def test_no_row_for_the_report_period_is_a_notice() -> None:
    rows = [{"indicator": "share", "period": "2019/20", "value": "80%"}]
    report = _ruleset().rate(rows, period="2020/21")
    assert any("no row is for the report period 2020/21" in n for n in _notices(report))


@pytest.mark.parametrize("stream", [[], ["--stream"]], ids=["report", "stream"])
def test_a_header_only_csv_fails_under_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stream: list[str]
) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("indicator,period,value\n")
    assert main(["rate", str(HAVERING), str(path), "--strict", *stream]) == 1
    assert "no rows" in capsys.readouterr().err


def test_one_json_record_is_not_an_array(tmp_path: Path) -> None:
    with pytest.raises(ragrules.DataError, match="one record"):
        data.parse_json('{"indicator": "share", "period": "2020/21", "value": "80"}')


def test_a_columns_mapping_naming_no_header_is_an_error() -> None:
    with pytest.raises(ragrules.DataError) as caught:
        data.parse_csv(
            "Indicator,Period,Q2 Performance\nshare,2020/21,80\n", columns={"Q2 Perf": "value"}
        )
    problem = caught.value.problems[0]
    assert "no column 'Q2 Perf'" in problem.message
    assert problem.hint is not None and "Q2 Performance" in problem.hint


@pytest.mark.parametrize("number", ["9", "9" * 5000, "\u0969"])
def test_a_columns_number_past_the_header_is_an_error(number: str) -> None:
    with pytest.raises(ragrules.DataError, match="3 columns"):
        data.parse_csv(
            "indicator,period,value\nshare,2020/21,80\n", columns={f"#{number}": "value"}
        )


def test_an_unknown_columns_field_is_an_error_with_did_you_mean() -> None:
    with pytest.raises(ragrules.DataError) as caught:
        data.parse_columns("Q2=valeu")
    assert caught.value.problems[0].hint is not None
    assert "did you mean 'value'" in caught.value.problems[0].hint
    assert data.parse_columns("Q2=value,Nat=england_average") == {
        "Q2": "value",
        "Nat": "england_average",
    }


# 15: NaN, NA, NaT and None are blank everywhere; a frame or one dict is a TypeError.


def test_pandas_missing_cells_are_blank_in_records() -> None:
    pandas = pytest.importorskip("pandas")
    rows = [
        {"indicator": "share", "period": "2020/21", "value": math.nan, "commentary": math.nan},
        {"indicator": "waste", "period": "2020/21", "value": pandas.NA, "commentary": pandas.NaT},
    ]
    report = _ruleset().rate(rows)
    assert [r.status for r in report.results] == ["no-data", "no-data"]
    assert all(r.commentary == "" for r in report.results)


def test_missing_commentary_on_red_is_still_found() -> None:
    pandas = pytest.importorskip("pandas")
    ruleset = ragrules.loads(RULESET + '\n[exceptions]\ncommentary-required = ["red"]\n')
    frame = pandas.DataFrame(
        [
            {"indicator": "share", "period": "2020/21", "value": 50.0, "commentary": math.nan},
            {"indicator": "waste", "period": "2020/21", "value": 1.0, "commentary": "fine"},
        ]
    )
    report = ruleset.rate(frame.to_dict("records"))
    assert report.results[0].status == "red"
    assert report.findings


@pytest.mark.parametrize(
    "given_rows",
    ["indicator,period,value", {"indicator": "share", "value": "80"}, b"share"],
    ids=["string", "one dict", "bytes"],
)
def test_rows_that_are_not_rows_are_a_type_error(given_rows: object) -> None:
    with pytest.raises(TypeError, match="iterable of rows"):
        _ruleset().rate(given_rows)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="iterable of rows"):
        _ruleset().iter_rate(given_rows)  # type: ignore[arg-type]  # at the call, not later


def test_a_dataframe_is_a_type_error() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame([{"indicator": "share", "period": "2020/21", "value": "80"}])
    with pytest.raises(TypeError, match="rate_frame"):
        _ruleset().rate(frame)
    with pytest.raises(TypeError, match="rate_frame"):
        audit(_ruleset(), frame)


def test_numpy_missing_values_of_every_width_are_blank() -> None:
    numpy = pytest.importorskip("numpy")
    for missing in (
        numpy.float16("nan"),
        numpy.float32("nan"),
        numpy.longdouble("nan"),
        numpy.datetime64("NaT"),
        numpy.timedelta64("NaT"),
    ):
        observation = ragrules.Observation(indicator="share", value=missing)
        assert observation.value == "", repr(missing)


# 16: a fraction on a percent indicator is a notice.


@pytest.mark.parametrize("value", ["0.54", 0.85])
def test_a_fraction_on_a_percent_indicator_is_a_notice(value: object) -> None:
    report = _ruleset().rate([{"indicator": "share", "period": "2020/21", "value": value}])
    assert any("looks like a fraction" in n for n in _notices(report))


def test_a_small_percentage_written_with_a_percent_sign_is_no_notice() -> None:
    report = _ruleset().rate([{"indicator": "share", "period": "2020/21", "value": "0.5%"}])
    assert not _notices(report)


# 17: an unreadable earlier value is reported as an unreadable current one is.


def test_an_unreadable_earlier_value_is_a_notice() -> None:
    rows = [
        {"indicator": "waste", "period": "2019/20", "value": "14,528 tonnes"},
        {"indicator": "waste", "period": "2020/21", "value": "14100"},
    ]
    ruleset = ragrules.loads(
        RULESET + '\n[travel.comparisons]\nshort = { against = "previous-period" }\n'
    )
    report = ruleset.rate(rows)
    assert any("14,528 tonnes" in n for n in _notices(report))


# 18: mixed encodings are refused with the line of the first bad byte.


def test_a_file_mixing_encodings_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        b"indicator,period,value,commentary\n"
        + "share,2020/21,80,café ok\n".encode()
        + b"waste,2020/21,14000,caf\xe9 bad\n"
    )
    for read in (data.read_observations, lambda p: list(data.iter_csv(p))):
        with pytest.raises(ragrules.DataError) as caught:
            read(path)
        problem = caught.value.problems[0]
        assert problem.line == 3
        assert "mixes text encodings" in problem.message


def test_a_windows_1252_file_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "cp.csv"
    path.write_bytes(b"indicator,period,value,commentary\nshare,2020/21,80,\xa35 a head\n")
    rows = data.read_observations(path)
    assert isinstance(rows[0], ragrules.Observation)
    assert rows[0].commentary == "£5 a head"


def test_a_mixed_file_is_not_also_said_to_be_windows_1252(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("indicator,period,value\nshare,2020/21,8\u00e9\n".encode() + b"a,\xa3,1\n")
    assert main(["rate", str(HAVERING), str(path)]) == 2
    err = capsys.readouterr().err
    assert "mixes text encodings" in err
    assert "Windows-1252" not in err


def test_the_caller_may_name_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"indicator,period,value\nshare,2020/21,80\n" + b"waste,\xe9,1\n")
    rows = data.read_observations(path, encoding="latin-1")
    assert len(rows) == 2
    with pytest.raises(ragrules.DataError, match="unknown encoding"):
        data.read_observations(path, encoding="klingon")


# 19 is in test_values.py. 20: a key given twice in a JSON record is a located problem.


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"share": {"period": "2020/21", "value": "40%", "value": "90%"}}', "share.value"),
        ('{"share": [{"value": "1"}], "share": [{"value": "2"}]}', "share"),
        ('{"share": [{"period": "2020/21", "value": "1", "value": "2"}]}', "share[0].value"),
    ],
)
def test_a_repeated_key_in_keyed_records_is_a_located_problem(text: str, key: str) -> None:
    with pytest.raises(ragrules.DataError) as caught:
        data.parse_json(text, source="d.json")
    assert caught.value.problems[0].key == key


def test_two_spellings_of_one_field_reject_the_record() -> None:
    rows = data.parse_json('[{"indicator": "share", "value": "1", "Value ": "2"}]')
    report = _ruleset().rate(rows)
    assert report.rejected[0].row == 1
    assert "both give 'value'" in report.rejected[0].reason


def test_a_repeated_json_key_is_a_located_problem() -> None:
    text = json.dumps([{"indicator": "share"}])[:-2] + ', "value": "1", "value": "2"}]'
    with pytest.raises(ragrules.DataError) as caught:
        data.parse_json(text, source="d.json")
    problem = caught.value.problems[0]
    assert problem.key == "[0].value"
    assert problem.row == 1


# 10: -o never overwrites an input.


def test_output_over_the_data_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "data.csv"
    copy.write_bytes(HAVERING_DATA.read_bytes())
    before = copy.read_bytes()
    code = main(["rate", str(HAVERING), str(copy), "-o", str(copy)])
    assert code == 2
    assert copy.read_bytes() == before


def test_output_over_a_base_that_gives_only_scales_is_refused(tmp_path: Path) -> None:
    base = tmp_path / "scales.toml"
    base.write_text(
        '[ruleset]\nformat = 1\nid = "scales"\ncatalogue = true\n\n[scales.mine]\n'
        'bands = [{ status = "green", from = "target" }, { status = "red" }]\n'
    )
    top = tmp_path / "r.toml"
    top.write_text(
        '[ruleset]\nformat = 1\nid = "r"\nextends = "scales.toml"\nscale = "mine"\n\n'
        '[[indicator]]\nid = "a"\nunit = "count"\npolarity = "higher-is-better"\ntarget = 5\n'
    )
    rows = tmp_path / "d.csv"
    rows.write_text("indicator,period,value\na,2020/21,6\n")
    before = base.read_bytes()
    assert main(["rate", str(top), str(rows), "-o", str(base)]) == 2
    assert base.read_bytes() == before


def test_output_over_the_ruleset_is_refused(tmp_path: Path) -> None:
    before = HAVERING.read_bytes()
    code = main(["rate", str(HAVERING), str(HAVERING_DATA), "-o", str(HAVERING)])
    assert code == 2
    assert HAVERING.read_bytes() == before


# 23: other workbooks are refused by name; a decimal comma and swapped arguments get a hint.


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_other_workbooks_are_refused_by_name(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"book{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + os.urandom(64))
    with pytest.raises(ragrules.DataError, match=f"{suffix} workbooks cannot be read"):
        data.read_observations(path)


@pytest.mark.parametrize("value", ["21,9", "21,9%", "21,95 %"])
def test_a_decimal_comma_gets_a_hint(value: str) -> None:
    report = _ruleset().rate([{"indicator": "share", "period": "2020/21", "value": value}])
    assert report.results[0].status == "invalid"
    assert "decimal comma" in report.results[0].reason


def test_swapped_arguments_get_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rate", str(HAVERING_DATA), str(HAVERING)]) == 2
    assert "did you swap RULESET and DATA" in capsys.readouterr().err


# Lasting property: every row of a CSV of any text is accounted for.


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["share", "waste", "nope", ""]),
            st.sampled_from(["2020/21", "2019/20", "Sep 2020", "bad", ""]),
            st.text(max_size=12),
        ),
        max_size=12,
    )
)
def test_every_row_is_accounted_for(rows: list[tuple[str, str, str]]) -> None:
    records = [{"indicator": i, "period": p, "value": v} for i, p, v in rows]
    report = _ruleset().rate(records)
    seen: set[int | None] = {r.row for r in report.results if r.row is not None}
    seen |= set(report.history)
    seen |= {r.row for r in report.rejected}
    assert seen == set(range(1, len(rows) + 1))


# 9: text from rulesets and data reaches the terminal escaped in every command.


def test_explain_and_audit_print_no_raw_escape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ruleset = tmp_path / "r.toml"
    ruleset.write_text(RULESET.replace("Share of contacts", "Share \\u001b[2J\\u202e"))
    rows = tmp_path / "d.csv"
    rows.write_text("indicator,period,value,published_status\nshare,2020/21,50,Red\x1b[31m\n")
    main(["explain", str(ruleset), str(rows), "--indicator", "share"])
    main(["audit", str(ruleset), str(rows)])
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err
    assert "\u202e" not in captured.out + captured.err
    assert "\\x1b" in captured.out


def test_a_stream_counts_unreadable_earlier_values_under_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ruleset = tmp_path / "r.toml"
    ruleset.write_text(
        RULESET + '\n[travel.comparisons]\nshort = { against = "previous-period" }\n'
    )
    rows = tmp_path / "d.csv"
    rows.write_text('indicator,period,value,previous\nwaste,2020/21,14100,"14,528 tonnes"\n')
    args = ["rate", str(ruleset), str(rows), "--stream", "--columns", "previous=previous"]
    assert main([*args, "--period", "2020/21", "--strict"]) == 1
    assert "1 notices" in capsys.readouterr().err


def test_a_fractional_percent_target_is_a_warning_in_check_and_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ruleset = tmp_path / "r.toml"
    ruleset.write_text(RULESET.replace('target = "85%"', "target = 0.85"))
    main(["check", str(ruleset)])
    assert "looks like a fraction (85%?)" in capsys.readouterr().err
    findings = verify_file(ruleset, examples=5)
    fraction = [p for p in findings if "looks like a fraction" in p.message]
    assert fraction
    assert fraction[0].line == 11
    assert not ragrules.loads(RULESET).warnings  # "85%" is no fraction
    ranged = RULESET.replace('target = "85%"', "target = { lower = 0.8, upper = 0.9 }")
    ranged = ranged.replace('polarity = "higher-is-better"', 'polarity = "in-range"', 1)
    warnings = ragrules.loads(ranged).warnings
    assert {w.key for w in warnings} == {"indicator[0].target.lower", "indicator[0].target.upper"}
