"""CSV files the csv module would misread without a word: cells beyond the header (a
thousands comma left unquoted), a quote never closed, a quoted header cell holding another
delimiter, an encoding that is no text encoding. Each is refused where it goes wrong, by every
engine, or read as written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import ragrules
from ragrules import DataError, Observation
from ragrules.cli import main
from ragrules.data import parse_csv
from ragrules.formats.data._csv import _lines

RULES = """
[ruleset]
format = 1
id = "shapes"

[[indicator]]
id = "a"
unit = "percent"
target = 50
tolerance = { absolute = 5 }
"""

ENGINES = (["--format", "json"], ["--stream"], ["--stream", "--engine", "columnar"])


def _read(text: str) -> list[Observation]:
    rows = parse_csv(text)
    assert all(isinstance(row, Observation) for row in rows)
    return rows  # type: ignore[return-value]


def _refusal(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """What each engine says of the file: its one error line each, or its output."""
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_bytes(text.encode("utf-8"))
    said = []
    for engine in ENGINES:
        code = main(["rate", str(rules), str(data), *engine])
        captured = capsys.readouterr()
        said.append(captured.err.strip() if code == 2 else f"rated: {captured.out[:60]}")
    return said


def test_a_thousands_comma_left_unquoted_is_refused_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said = _refusal(tmp_path, "indicator,period,value\na,2020,40\na,2021,1,234\n", capsys)
    for message in said:
        assert "line 3: 4 cells under a header of 3 columns ('234' beyond the last)" in message
        assert '"1,234"' in message  # the hint


def test_blank_cells_beyond_the_header_are_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said = _refusal(tmp_path, "indicator,period,value\na,2021,60,,,\na,2022,40, ,\n", capsys)
    assert all(message.startswith("rated:") for message in said), said


def test_a_quote_never_closed_is_refused_at_the_line_it_opens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = 'indicator,period,value,commentary\na,2020,40,"one\ntwo"\na,2020,41,"open\na,2021,60,y\n'
    for message in _refusal(tmp_path, text, capsys):
        assert "line 4: a quoted cell opened on this line is never closed" in message
    # Named by the line the quote opens on, after a cell closed across lines before it.
    text = 'indicator,period,value,commentary\na,2021,"6\n0","open\nmore\n'
    assert all("line 3: a quoted cell" in message for message in _refusal(tmp_path, text, capsys))
    text = 'indicator,period,value,commentary,x\na,2021,"6""\n0", y"z,"open\nmore\n'
    assert all("line 3: a quoted cell" in message for message in _refusal(tmp_path, text, capsys))
    # The last line of a file with no line end, too.
    assert "line 2: a quoted cell" in "".join(
        _refusal(tmp_path, 'indicator,period,value,commentary\na,2021,60,"no end', capsys)
    )


@pytest.mark.parametrize(
    "last",
    [
        'a,2021,60,"closed\non a later line"\n',
        'a,2021,60,"a ""quoted"" word\nand more"',
        'a,2021,60,plain "quote" inside',
        'a,2021,60,a plain "quote',
        'a,2021,60,"closed" then "more',
        'a,2021,60,"closed"',
    ],
)
def test_a_last_row_whose_quotes_close_is_read(last: str) -> None:
    rows = _read(f"indicator,period,value,commentary\n{last}")
    assert [(row.indicator, row.period, row.value) for row in rows] == [("a", "2021", "60")]


_CELLS = st.text(alphabet='a",\n\r ', max_size=12)


@example(body='a,b"c\nd')
@example(body='"a""b')
@given(body=st.lists(_CELLS, max_size=8).map(",".join))
def test_an_open_quote_is_found_exactly_where_the_csv_module_finds_one(body: str) -> None:
    """The scan agrees with the csv module in strict mode, which alone says when a file ends
    inside a quoted cell ("unexpected end of data")."""
    header = ",".join(f"c{n}" for n in range(40))
    text = f"{header}\n{body}"
    try:
        list(csv.reader(io.StringIO(text, newline=""), strict=True))
        open_at_end = False
    except csv.Error as exc:
        open_at_end = "unexpected end of data" in str(exc)
        if not open_at_end:  # strict mode stops first at a quote the lax reader keeps
            text = ""
    if not text:
        return
    try:
        list(_lines(io.StringIO(text, newline=""), ",", None))
        refused = False
    except DataError as exc:
        refused = "never closed" in str(exc)
    assert refused == open_at_end


def test_a_quoted_header_cell_does_not_choose_the_delimiter() -> None:
    text = 'indicator,period,value,"Notes; actions; owner; due; status"\na,2021,60,x\n'
    rows = _read(text)
    assert [(row.indicator, row.value) for row in rows] == [("a", "60")]


@pytest.mark.parametrize(
    ("header", "hint"),
    [
        ("indicator;period;value", "--delimiter ';'"),
        ("i\0n\0d\0i\0c\0a\0t\0o\0r\0,\0v\0a\0l\0u\0e\0", "--encoding utf-16-le"),
        ("name,period,value", "map them with --columns"),
    ],
)
def test_a_header_without_an_indicator_says_what_to_do(header: str, hint: str) -> None:
    with pytest.raises(DataError) as caught:
        parse_csv(f"{header}\na,2021,60\n", delimiter=",")
    assert hint in str(caught.value)


@pytest.mark.parametrize("encoding", ["rot13", "base64"])
def test_a_codec_that_is_no_text_encoding_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_bytes(b"indicator,period,value\na,2021,60\n")
    for engine in ([], ["--stream"]):
        assert main(["rate", str(rules), str(data), "--encoding", encoding, *engine]) == 2
        assert f"{encoding!r} is not a text encoding" in capsys.readouterr().err
    with pytest.raises(DataError, match="is not a text encoding"):
        ragrules.data.read_observations(data, encoding=encoding)


def test_utf16_named_for_a_file_without_its_mark_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Read whole or as a stream, the codec refuses them at once (never guessed
    little-endian): one error, naming the byte orders to try."""
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_bytes(b"\xef\xbb\xbfindicator,period,value\na,2021,60\n")
    said = []
    for engine in ([], ["--stream"]):
        assert main(["rate", str(rules), str(data), "--encoding", "utf-16", *engine]) == 2
        said.append(capsys.readouterr().err)
    for err in said:
        assert "cannot be read as utf-16: UTF-16 stream does not start with BOM" in err
        assert "--encoding utf-16-le" in err
