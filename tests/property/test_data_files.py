"""Data files read back what was written: workbook text through Excel's escapes, numbers a
format prints with a percent sign, and one table as CSV or as JSON under one column mapping."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ragrules import DataError, Observation
from ragrules.data import excel_rows, parse_csv, parse_json
from ragrules.formats.data._xlsx_values import WINDOWS_EPOCH, cell_text, number_kind, number_text

# Characters XML 1.0 cannot hold, and the carriage return, which an XML reader reads as a line
# feed: ECMA-376 stores each as `_xHHHH_` in cell text.
UNSAFE = "[\x00-\x08\x0b-\x1f\ufffe\uffff]"
# An underscore the reader would take for the start of an escape, once the text is stored.
STARTS_ESCAPE = re.compile(f"_x[0-9A-Fa-f]{{4}}(?=_|{UNSAFE})")
PIECES = st.sampled_from(
    ["_x0041_", "_x000D_", "_x005F_", "_x005f_", "_xD83D_", "_x", "_", "x", "0041", "\r", "\n"]
)
TEXTS = st.lists(st.one_of(PIECES, st.characters(exclude_categories=["Cs"])), max_size=24).map(
    "".join
)


def stored(text: str) -> str:
    """`text` as ECMA-376 (ST_Xstring) stores it: each unsafe character as `_xHHHH_`, and
    each `_` that would read as the start of an escape as `_x005F_`."""
    out = []
    for index, char in enumerate(text):
        if re.fullmatch(UNSAFE, char):
            out.append(f"_x{ord(char):04X}_")
        elif char == "_" and STARTS_ESCAPE.match(text, index):
            out.append("_x005F_")
        else:
            out.append(char)
    return "".join(out)


@given(TEXTS)
def test_stored_text_reads_back_as_written(text: str) -> None:
    """ECMA-376 Part 1, 22.9.2.19 ST_Xstring: "_xHHHH_" is the character HHHH, and "_x005F_"
    escapes the underscore of text that would otherwise read as an escape. Read cell text is
    the text stored, less the whitespace round it."""
    assert cell_text(stored(text)) == text.strip()


@given(TEXTS, st.booleans())
def test_text_written_by_xlsxwriter_reads_back_as_written(text: str, inline: bool) -> None:
    """Any text XlsxWriter writes, to the shared strings or inline (`constant_memory`), is the
    cell's text when read, less the whitespace round it."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    # XlsxWriter escapes `_xHHHH_` only where the text holds it, not where one of its own
    # escapes completes it (`_x0041` then a carriage return) or where two share an underscore
    # (`_x0041_x0042_`): it stores those so that no reader decoding left to right, as the
    # standard says, reads them back as written.
    assume(not re.search(f"_x[0-9A-Fa-f]{{4}}(?:_x[0-9A-Fa-f]{{4}}_|{UNSAFE})", text))
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": inline})
    sheet = book.add_worksheet()
    sheet.write_string(0, 0, "indicator")
    sheet.write_string(1, 0, "a")
    if text:
        sheet.write_string(1, 1, text)
    book.close()
    rows = dict(excel_rows(buffer.getvalue(), "book.xlsx"))
    assert [*rows[2], ""][1] == text.strip()


NUMBERS = st.decimals(min_value=-(10**9), max_value=10**9, places=6)


PRINTED_SIGNS = ['0.0"%"', "0.0\\%", '#,##0" %"', '0.00" %";-0.00" %"', "0*%"]


@given(NUMBERS, st.sampled_from(PRINTED_SIGNS))
def test_a_printed_percent_sign_never_scales_the_number(number: Decimal, code: str) -> None:
    """A `%` a format prints (quoted, after `\\`, or as a fill) is a sign after the number,
    which is read unscaled; the format `0.0%` reads the same cell as 100 times it."""
    written = str(number)
    plain = number_text(written, "", WINDOWS_EPOCH)
    assert number_text(written, number_kind(164, code), WINDOWS_EPOCH) == f"{plain}%"
    percentage = number_text(written, number_kind(164, "0.0%"), WINDOWS_EPOCH)
    assert Decimal(percentage.removesuffix("%")) == Decimal(plain).scaleb(2)


HEADER = ["PI", "When", "Outturn", "Prior", "England"]
COLUMNS = {"PI": "indicator", "When": "period", "Outturn": "value", "Prior": "previous"}
CELLS = st.text(st.one_of(st.characters(exclude_categories=["Cs", "Cc"]), st.sampled_from(',"\n ')))
ROWS = st.lists(
    st.tuples(
        CELLS.filter(str.strip),
        st.sampled_from(["", "2020/21 Q2", "2020/21 Q1", "Q3 2019/20", "soon"]),
        CELLS,
        st.one_of(st.just(""), CELLS),
        CELLS,
        st.booleans(),
    ),
    max_size=6,
)


@given(ROWS)
def test_a_table_as_csv_or_json_reads_alike_under_one_mapping(
    rows: list[tuple[str, str, str, str, str, bool]],
) -> None:
    """A column mapping reads a JSON file's records as it reads a CSV file's rows: each
    record's keys are its header, a null is a blank cell, and `previous` is placed by the
    period. Only the row numbers differ: a record's number, a line's."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([HEADER, *(cells[:5] for cells in rows)])
    records = [
        {
            key: (None if nulls and not cell.strip() else cell)
            for key, cell in zip(HEADER, cells, strict=True)
        }
        for *cells, nulls in rows
    ]
    from_csv = parse_csv(out.getvalue(), columns=COLUMNS, delimiter=",", period="2020/21 Q2")
    from_json = parse_json(json.dumps(records), columns=COLUMNS, period="2020/21 Q2")
    unnumbered = [attrs.evolve(row, row=None) for row in observations(from_json)]
    assert unnumbered == [attrs.evolve(row, row=None) for row in observations(from_csv)]


def observations(rows: list[object]) -> list[Observation]:
    """The rows, every one of which is an observation."""
    assert all(isinstance(row, Observation) for row in rows), rows
    return [row for row in rows if isinstance(row, Observation)]


NAMES = ["PI", "pi", "When", "Outturn", "Prior", "indicator", "value", "2020/21"]
KEYS = st.sampled_from(NAMES)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=12,
)


@given(
    st.lists(st.dictionaries(KEYS, JSON_VALUES, max_size=5) | JSON_VALUES, max_size=5),
    st.dictionaries(
        st.sampled_from([*NAMES, "#1"]), st.sampled_from([*COLUMNS.values(), "bench"]), min_size=1
    ),
    st.sampled_from([None, "2020/21 Q2", "soon"]),
)
def test_mapped_json_raises_only_data_errors(
    records: list[object], columns: dict[str, str], period: str | None
) -> None:
    """Whatever the records and the mapping, reading them gives observations or a
    DataError, and every record is accounted for at its own number."""
    try:
        rows = parse_json(json.dumps(records), columns=columns, period=period)
    except DataError:
        return
    assert {row.row for row in observations(rows)} == set(range(1, len(records) + 1))
