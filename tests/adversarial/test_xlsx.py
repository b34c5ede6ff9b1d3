"""Hostile workbooks: zip and XML bombs, damaged parts and numbers no Decimal holds.

Each workbook is made here with `zipfile`, small and in memory. Whatever it holds, reading it
gives the right cells or a DataError naming the file, saying what is wrong and what to do;
never a hang, a traceback or gigabytes of memory.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ragrules
from ragrules.formats.data import _xlsx, _xlsx_cells, excel_rows, read_observations

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET = "xl/worksheets/sheet1.xml"
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>indicator</t></is></c>'
HEADER += '<c r="B1" t="inlineStr"><is><t>value</t></is></c></row>'
STYLES = (
    f'<styleSheet {MAIN}><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/>'
    '</numFmts><fonts count="1"><font/></fonts><fills count="1">'
    '<fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/>'
    '</cellStyleXfs><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="9"/>'
    '<xf numFmtId="164"/></cellXfs><cellStyles count="1">'
    '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
RULESET = '[ruleset]\nformat = 1\nid = "x"\n[[indicator]]\nid = "a"\ntarget = 1\n'
RULESET += "tolerance = { absolute = 1 }\n"


def workbook(
    rows: str = HEADER,
    *,
    dimension: str = "",
    strings: bytes | None = None,
    styles: str | None = None,
    sheet: bytes | None = None,
) -> bytes:
    """A minimal .xlsx (that openpyxl also opens) whose first sheet holds `rows`."""
    parts = {SHEET: sheet or _sheet(rows, dimension)}
    links = [(SHEET[3:], "worksheet")]
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
        links.append(("sharedStrings.xml", "sharedStrings"))
    if styles is not None:
        parts["xl/styles.xml"] = styles.encode()
        links.append(("styles.xml", "styles"))
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-officedocument'
        f'.spreadsheetml.{kind}+xml"/>'
        for name, kind in [
            ("xl/workbook.xml", "sheet.main"),
            (SHEET, "worksheet"),
            ("xl/sharedStrings.xml", "sharedStrings"),
            ("xl/styles.xml", "styles"),
        ]
        if name in parts or name == "xl/workbook.xml"
    )
    relationships = "".join(
        f'<Relationship Id="rId{n}" Type="{DOC}/{kind}" Target="{target}"/>'
        for n, (target, kind) in enumerate(links, start=1)
    )
    files = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f"{overrides}</Types>"
        ).encode(),
        "_rels/.rels": (
            f'<Relationships {RELS}><Relationship Id="rId1" Type="{DOC}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook {MAIN} xmlns:r="{DOC}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f"<Relationships {RELS}>{relationships}</Relationships>"
        ).encode(),
        **parts,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _sheet(rows: str, dimension: str = "") -> bytes:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"<worksheet {MAIN}>{declared}<sheetData>{rows}</sheetData></worksheet>".encode()


def _refused(data: bytes, *words: str, tmp_path: Path) -> ragrules.DataError:
    """Reading `data` as a workbook file is a DataError naming it, with these words and a hint."""
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    with pytest.raises(ragrules.DataError) as caught:
        read_observations(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert problem.hint
    for word in words:
        assert word in problem.message, problem.message
    return caught.value


def _rows(data: bytes) -> list[tuple[int, list[str]]]:
    return list(excel_rows(data, "book.xlsx"))


def _declared_size(data: bytes, part: str, size: int, crc: int | None = None) -> bytes:
    """The workbook with `part`'s uncompressed size (and CRC), in both zip headers, replaced."""
    name = part.encode()
    out = bytearray(data)
    for signature, at, size_at, crc_at in (
        (b"PK\x03\x04", 30, 22, 14),
        (b"PK\x01\x02", 46, 24, 16),
    ):
        header = out.index(signature)
        while out[header + at : header + at + len(name)] != name:
            header = out.index(signature, header + 4)
        out[header + size_at : header + size_at + 4] = struct.pack("<I", size)
        if crc is not None:
            out[header + crc_at : header + crc_at + 4] = struct.pack("<I", crc)
    return bytes(out)


def test_a_huge_declared_dimension_reads_only_the_cells_there() -> None:
    """1.5 KB declaring A1:XFD1048576, with a cell in the last row: only the cells there,
    with their row numbers (no 17 billion blanks filled in), numbers as printed."""
    rows = (
        HEADER + '<row r="4"><c r="A4" t="inlineStr"><is><t>a</t></is></c>'
        '<c r="B4" s="1"><v>0.48</v></c></row>'
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>end</t></is></c></row>'
    )
    data = workbook(rows, dimension="A1:XFD1048576", styles=STYLES)
    assert len(data) < 2000
    read = _rows(data)
    assert [number for number, _ in read] == [1, 4, 1_048_576]
    header = read[0][1]
    assert header[:2] == ["indicator", "value"]
    assert len(header) == _xlsx_cells.MAX_XLSX_COLUMNS and not any(header[2:])
    assert read[1:] == [(4, ["a", "48%"]), (1_048_576, ["end"])]


def test_one_huge_shared_string_is_refused_while_reading(tmp_path: Path) -> None:
    """A shared string past Excel's 32,767 characters stops the reading at that string."""
    text = b"x" * 2_000_000
    strings = f'<sst {MAIN} count="1" uniqueCount="1"><si><t>'.encode() + text
    strings += b"</t></si></sst>"
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    data = workbook(rows, strings=strings)
    assert len(data) < 10_000
    _refused(data, "shared string 0", "more than 32,767 characters", tmp_path=tmp_path)


def test_a_huge_inline_string_is_refused_while_reading(tmp_path: Path) -> None:
    """The same limit on a cell's own text, located at its row and cell."""
    rows = HEADER + '<row r="2"><c r="B2" t="inlineStr"><is><t>' + "9" * 40_000 + "</t></is></c>"
    caught = _refused(workbook(rows + "</row>"), "B2", "32,767", tmp_path=tmp_path)
    assert caught.problems[0].row == 2


def test_a_part_declaring_more_than_the_limit_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    """A zip entry saying it unpacks to 4 GB is refused from its header."""
    data = _declared_size(workbook(), SHEET, 0xFFFF_FFF0)
    _refused(data, "too large", SHEET, "bytes", tmp_path=tmp_path)


def test_a_part_inflating_past_its_declared_size_is_damaged(tmp_path: Path) -> None:
    """A zip entry declaring 400 bytes (with the CRC of those 400) but inflating to megabytes
    is read only to 400 bytes, where its XML stops short: damaged."""
    rows = HEADER + "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>a</t></is></c></row>'
        for n in range(2, 50_000)
    )
    data = workbook(rows, dimension="A1:A50000")
    sheet = zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    assert len(sheet) > 2_000_000
    data = _declared_size(data, SHEET, 400, crc=zlib.crc32(sheet[:400]))
    _refused(data, "not a readable .xlsx workbook", SHEET, tmp_path=tmp_path)


def test_the_bytes_read_from_all_parts_are_counted_while_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each part under its own limit, together over the workbook's: refused mid-stream."""
    monkeypatch.setattr(_xlsx, "MAX_XLSX_BYTES", 300_000)
    strings = f"<sst {MAIN}>".encode() + b"<si><t>ab</t></si>" * 10_000 + b"</sst>"
    rows = HEADER + "".join(
        f'<row r="{n}"><c r="B{n}"><v>{n}</v></c></row>' for n in range(2, 9000)
    )
    _refused(workbook(rows, strings=strings), "more than 300,000 bytes", tmp_path=tmp_path)


def test_a_part_past_the_part_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheet's own limit, with the message naming the part."""
    monkeypatch.setattr(_xlsx, "MAX_XLSX_PART_BYTES", 10_000)
    rows = HEADER + "".join(f'<row r="{n}"><c r="B{n}"><v>{n}</v></c></row>' for n in range(2, 900))
    _refused(workbook(rows), SHEET, "more than 10,000 bytes", tmp_path=tmp_path)


def test_a_row_past_excels_last_row_is_refused(tmp_path: Path) -> None:
    """Row 1,048,577 is not from a workbook Excel wrote."""
    rows = HEADER + '<row r="1048577"><c r="A1048577"><v>1</v></c></row>'
    caught = _refused(workbook(rows), "row 1,048,577", "last row", tmp_path=tmp_path)
    assert caught.problems[0].row == 1_048_577


def test_rows_out_of_order_are_refused(tmp_path: Path) -> None:
    """A row numbered before the row above it: damaged, not silently dropped."""
    rows = HEADER + '<row r="5"><c r="A5"><v>1</v></c></row><row r="3"><c r="A3"><v>2</v></c></row>'
    _refused(workbook(rows), "row 3 comes after row 5", tmp_path=tmp_path)


def test_a_column_past_excels_last_column_is_refused(tmp_path: Path) -> None:
    """Column XFE (16,385) is not from a workbook Excel wrote."""
    rows = HEADER + '<row r="2"><c r="XFE2"><v>1</v></c></row>'
    caught = _refused(workbook(rows), "XFE2", "last column", tmp_path=tmp_path)
    assert caught.problems[0].row == 2


def test_too_many_cells_counting_the_blanks_filled_in(tmp_path: Path) -> None:
    """A value in column XFD on each row is 16,384 cells a row: refused at 20 million."""
    rows = HEADER + "".join(
        f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(2, 1300)
    )
    data = workbook(rows)
    assert len(data) < 20_000
    caught = _refused(data, "more than 20,000,000 cells", tmp_path=tmp_path)
    assert caught.problems[0].row == 1222


def test_too_many_cells_in_the_xml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cells without values count too: the limit is checked as each cell starts."""
    monkeypatch.setattr(_xlsx, "MAX_XLSX_CELLS", 1_000)
    rows = HEADER + '<row r="2">' + "<c/>" * 5_000 + "</row>"
    caught = _refused(workbook(rows), "more than 1,000 cells", tmp_path=tmp_path)
    assert caught.problems[0].row == 2


def test_number_cells_are_read_as_printed_and_1e400_as_written() -> None:
    """Shortest repr, percentages as printed (built-in and own formats); 1E400 kept as text."""
    rows = HEADER + (
        '<row r="2"><c r="A2"><v>0.28149999999999997</v></c><c r="B2" s="1"><v>0.48</v></c>'
        '<c r="C2" s="2"><v>0.28149999999999997</v></c><c r="D2"><v>1E400</v></c>'
        '<c r="E2" s="1"><v>-1e400</v></c><c r="F2"><v>1E100</v></c><c r="G2"><v>nan</v></c>'
        '<c r="H2" t="b"><v>1</v></c><c r="I2" t="str"><v> text </v></c></row>'
    )
    assert _rows(workbook(rows, styles=STYLES))[1] == (
        2,
        ["0.2815", "48%", "28.15%", "1E400", "-1e400", "1E100", "nan", "True", "text"],
    )


def test_a_1e400_value_is_rated_invalid_with_a_reason(tmp_path: Path) -> None:
    """Never a traceback: the value is kept as written and the rating says why it is invalid."""
    rows = HEADER + (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="B2"><v>1E400</v></c></row>'
    )
    path = tmp_path / "q2.xlsx"
    path.write_bytes(workbook(rows))
    (result,) = ragrules.loads(RULESET).rate(read_observations(path, period="2024/25")).results
    assert result.status == "invalid"
    assert "1E400" in result.reason


def test_skipped_rows_keep_their_numbers_past_a_wrong_dimension() -> None:
    """Rows the file leaves out are skipped, the rest keep Excel's numbers, and a dimension
    that is too small loses none of them."""
    rows = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>indicator</t></is></c></row>'
        '<row r="5"><c r="B5"><v>7</v></c></row><row><c><v>8</v></c><c><v>9</v></c></row>'
    )
    assert _rows(workbook(rows, dimension="A1:A2")) == [
        (1, [""]),
        (2, ["indicator"]),
        (5, ["", "7"]),
        (6, ["8", "9"]),
    ]


def test_no_openpyxl_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain install reads .xlsx: the reader is ragrules' own."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    assert _rows(workbook()) == [(1, ["indicator", "value"])]


@pytest.mark.parametrize(
    ("part", "text", "words"),
    [
        pytest.param(
            SHEET,
            f'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;'
            f'&c;&c;">]><worksheet {MAIN}><sheetData><row><c t="inlineStr"><is><t>&d;&d;&d;'
            "</t></is></c></row></sheetData></worksheet>",
            "DOCTYPE",
            id="billion-laughs",
        ),
        pytest.param(
            SHEET,
            f'<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet {MAIN}>'
            '<dimension ref="A1"/><sheetData><row><c t="inlineStr"><is><t>&e;</t></is></c></row>'
            "</sheetData>"
            "</worksheet>",
            "DOCTYPE",
            id="external-entity",
        ),
        pytest.param(
            SHEET,
            f'<worksheet {MAIN}><dimension ref="A1"/><sheetData><row><c><v>1</v></row>'
            "</sheetData></worksheet>",
            "mismatched tag",
            id="broken-xml",
        ),
        pytest.param(
            SHEET,
            f'<worksheet {MAIN}><sheetData><row><c t="s"><v>3</v></c></row></sheetData>'
            "</worksheet>",
            "shared string '3'",
            id="missing-shared-string",
        ),
        pytest.param(
            SHEET,
            f'<worksheet {MAIN}><sheetData><row><c r="1A"><v>3</v></c></row></sheetData>'
            "</worksheet>",
            "'1A' is not a cell",
            id="bad-reference",
        ),
        pytest.param(
            SHEET,
            f'<worksheet {MAIN}><sheetData><row><c t="s"><v>\u00b2</v></c></row></sheetData>'
            "</worksheet>",
            "shared string '\u00b2'",
            id="superscript-index",
        ),
    ],
)
def test_damaged_or_hostile_xml_is_refused(
    part: str, text: str, words: str, tmp_path: Path
) -> None:
    """A DTD, broken XML or a reference to nothing: a DataError, never a traceback."""
    data = workbook(sheet=text.encode())
    caught = _refused(data, "not a readable .xlsx workbook", part, words, tmp_path=tmp_path)
    assert caught.problems[0].hint == "save it again as .xlsx"


def test_excel_text_escapes_are_decoded_before_stripping() -> None:
    """`_xHHHH_` in shared, inline and formula text is the character (ECMA-376 ST_Xstring):
    Excel stores a carriage return as `_x000D_`, and the text `_x0041_` as `_x005F_x0041_`."""
    texts = ["45%_x000D_", "Line one_x000d_\nLine two", "_x005F_x0041_", "tab_x0009_"]
    strings = f"<sst {MAIN}>" + "".join(f"<si><t>{text}</t></si>" for text in texts) + "</sst>"
    rows = HEADER + (
        '<row r="2">'
        + "".join(f'<c r="{column}2" t="s"><v>{n}</v></c>' for n, column in enumerate("ABCD"))
        + '<c r="E2" t="inlineStr"><is><t>a_x000D_b_x005F__x0007_</t></is></c>'
        '<c r="F2" t="str"><f>A1</f><v>_x000D_c_x000A_</v></c>'
        '<c r="G2" t="inlineStr"><is><t>_xD83D__xDE00_ _xD800_ _x00_ _x005f_</t></is></c>'
        "</row>"
    )
    assert _rows(workbook(rows, strings=strings.encode()))[1] == (
        2,
        [
            "45%",
            "Line one\r\nLine two",
            "_x0041_",
            "tab",
            "a\rb_\x07",
            "c",
            "\U0001f600 \ufffd _x00_ _",
        ],
    )


def test_a_carriage_return_written_by_xlsxwriter_is_rated_as_typed(tmp_path: Path) -> None:
    """A value typed with a trailing carriage return rates as the value; commentary keeps its
    CRLF line breaks."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "q2.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["indicator", "period", "value", "commentary"])
    sheet.write_row(1, 0, ["pct", "2020/21 Q2", "45%\r", "Line one\r\nLine two"])
    book.close()
    (row,) = read_observations(path)
    assert isinstance(row, ragrules.Observation)
    assert (row.value, row.commentary) == ("45%", "Line one\r\nLine two")
    (result,) = ragrules.loads(PERCENT_RULESET).rate([row]).results
    assert result.status == "red"


PERCENT_RULESET = (
    '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "pct"\nunit = "percent"\n'
    'target = 70\ntolerance = { relative = "10%" }\n'
)


@pytest.mark.parametrize(
    ("code", "printed"),
    [
        pytest.param('0.0"%"', "45%", id="quoted"),
        pytest.param("0.0\\%", "45%", id="backslash"),
        pytest.param('0.0" %";-0.0" %"', "45%", id="quoted-in-sections"),
        pytest.param("[Red]0.0_%", "45", id="a-space-as-wide-as-%"),
        pytest.param("0.0%", "4500%", id="a-real-percentage"),
        pytest.param('0.0%"%"', "4500%", id="real-and-quoted"),
        pytest.param("0.0\\\\%", "4500%", id="an-escaped-backslash-then-%"),
        pytest.param('"\\"0.0%', "4500%", id="a-quoted-backslash-then-%"),
    ],
)
def test_a_percent_sign_the_format_only_prints_is_no_percentage(code: str, printed: str) -> None:
    """45 in `0.0"%"` or `0.0\\%` shows as 45.0%, and is read as 45%, not 4500%; a real
    percentage format still multiplies by 100."""
    styles = STYLES.replace('formatCode="0.0%"', f"formatCode={quoteattr(code)}")
    rows = HEADER + '<row r="2"><c r="A2" s="2"><v>45</v></c></row>'
    assert _rows(workbook(rows, styles=styles))[1] == (2, [printed])


def test_a_quoted_percent_sign_written_by_xlsxwriter_rates_as_shown(tmp_path: Path) -> None:
    """The repro: 45.0 with the custom format `0.0"%"` (shown 45.0%) is 45%, red against 70."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "q2.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["indicator", "period", "value"])
    for row, code in enumerate(['0.0"%"', "0.0\\%"], start=1):
        sheet.write_row(row, 0, ["pct", f"2020/21 Q{row}"])
        sheet.write_number(row, 2, 45.0, book.add_format({"num_format": code}))
    sheet.write_row(3, 0, ["pct", "2020/21 Q3"])
    sheet.write_number(3, 2, 0.45, book.add_format({"num_format": "0.0%"}))
    book.close()
    rows = read_observations(path)
    assert [row.value for row in rows if isinstance(row, ragrules.Observation)] == ["45%"] * 3
    report = ragrules.loads(PERCENT_RULESET).rate(rows, period="2020/21 Q2")
    assert [r.status for r in report.results] == ["red"]


def test_a_number_format_past_excels_limit_is_refused(tmp_path: Path) -> None:
    """A format code of 300 characters (Excel allows 255) is damaged, not pattern-matched."""
    styles = STYLES.replace('formatCode="0.0%"', f'formatCode="{"[" * 300}"')
    _refused(
        workbook(styles=styles), "xl/styles.xml", "longer than 255 characters", tmp_path=tmp_path
    )


def test_a_doctype_in_utf16_is_refused(tmp_path: Path) -> None:
    """Another encoding does not dodge the check on the bytes."""
    text = f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w><worksheet {MAIN}/>'
    _refused(workbook(sheet=text.encode("utf-16")), SHEET, tmp_path=tmp_path)


def test_a_corrupt_compressed_part_is_damaged(tmp_path: Path) -> None:
    """Bytes zeroed far into the deflated sheet, found only while streaming it: a DataError."""
    rows = HEADER + "".join(
        f'<row r="{n}"><c r="B{n}"><v>{n * 7919 % 10007}</v></c></row>' for n in range(2, 20_000)
    )
    data = bytearray(workbook(rows, dimension="A1:B20000"))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET)
    start = info.header_offset + 30 + len(SHEET) + info.compress_size * 3 // 4
    data[start : start + 64] = bytes(64)
    caught = _refused(bytes(data), "not a readable .xlsx workbook", SHEET, tmp_path=tmp_path)
    assert caught.problems[0].hint == "save it again as .xlsx"


SEED = workbook(
    HEADER
    + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" s="1"><v>0.48</v></c></row>'
    + '<row r="4"><c r="A4" t="inlineStr"><is><t>b</t></is></c><c r="B4"><v>1E400</v></c></row>',
    strings=f"<sst {MAIN}><si><t>a</t></si><si><r><t>b</t></r></si></sst>".encode(),
    styles=STYLES,
)
# The same workbook stored (not deflated): mutated bytes then reach the XML parser.
STORED_PARTS = {
    info.filename: zipfile.ZipFile(io.BytesIO(SEED)).read(info)
    for info in zipfile.ZipFile(io.BytesIO(SEED)).infolist()
}


def _stored(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _read_or_refuse(data: bytes) -> None:
    try:
        rows = list(excel_rows(data, "fuzz.xlsx"))
    except ragrules.DataError as exc:
        problems = exc.problems
    else:
        assert all(isinstance(cell, str) for _, cells in rows for cell in cells)
        return
    assert problems and problems[0].file == "fuzz.xlsx" and problems[0].hint


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(SEED) - 1), st.integers(0, 255)), max_size=8))
def test_fuzz_mutated_zip_bytes_raise_only_data_errors(edits: list[tuple[int, int]]) -> None:
    """Any bytes of a workbook changed: the cells or a DataError."""
    data = bytearray(SEED)
    for index, byte in edits:
        data[index] = byte
    _read_or_refuse(bytes(data))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(STORED_PARTS)),
    st.integers(0, 2000),
    st.integers(0, 40),
    st.binary(max_size=24)
    | st.sampled_from(
        [b"<", b">", b"&", b"<!DOCTYPE x>", b'r="XFD9"', b't="s"', b"<v>9</v>", b"\xff", b"</c>"]
    ),
)
def test_fuzz_mutated_parts_raise_only_data_errors(
    part: str, at: int, cut: int, insert: bytes
) -> None:
    """Any part's XML spliced: the cells or a DataError."""
    text = STORED_PARTS[part]
    at = min(at, len(text))
    _read_or_refuse(_stored({**STORED_PARTS, part: text[:at] + insert + text[at + cut :]}))


def test_the_seed_reads() -> None:
    """The fuzz tests start from a workbook that reads, so mutations reach deep."""
    assert _rows(SEED) == [
        (1, ["indicator", "value"]),
        (2, ["a", "48%"]),
        (4, ["b", "1E400"]),
    ]
    assert _rows(_stored(STORED_PARTS)) == _rows(SEED)


def test_cells_sharing_a_padded_string_share_one_copy() -> None:
    """A shared string with spaces round it is stripped once, not copied for every cell."""
    text = " " + "x" * 32_000 + " "
    strings = (
        f'<sst {MAIN} count="1" uniqueCount="1"><si><t xml:space="preserve">{text}</t></si></sst>'
    )
    cells = "".join(f'<c r="{column}1" t="s"><v>0</v></c>' for column in "ABCDEFGH")
    rows = _rows(workbook(f'<row r="1">{cells}</row>', strings=strings.encode()))
    ((_, first),) = rows
    assert first[0] == text.strip()
    assert len({id(cell) for cell in first}) == 1
