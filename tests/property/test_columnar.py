"""The columnar engine writes what the compiled row engine writes, byte for byte.

Plain files (every line one the plans take) are rated column-wise; the generated values sit
on every boundary of the generated bands, at several scales, with earlier values equal to,
just above and just below them, so every direction is decided exactly. Other files (from the
row engine's own property test) must come out the same whichever way they are rated.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ragrules
from ragrules.data import iter_csv
from ragrules.formats.data import MAX_LINE
from ragrules.reports.compiled import rate_csv_stream, rate_lines
from ragrules.reports.stream import Tally
from ragrules.stream import write_stream
from tests.conftest import assert_same_outcome
from tests.property.test_plan import data_files, rulesets

pl = pytest.importorskip("polars")

from ragrules.columnar import rate_csv_columnar  # noqa: E402  (after the skip)
from ragrules.reports import columnar  # noqa: E402
from ragrules.reports.columnar import _known, _table, rate_rows_columnar  # noqa: E402
from ragrules.reports.columnar._table import CsvBlocks, Table  # noqa: E402

PLAIN_RULESET = """
[ruleset]
format = 1
id = "plain"

[data]
breakdowns = ["sex"]

[travel.comparisons]
short = { against = "previous-period" }
long = { against = "same-period-last-year" }

[exceptions]
rules = [
  { statuses = ["red"] },
  { statuses = ["amber"], travel = { comparison = "short", judgement = ["worsening"] } },
]

[[indicator]]
id = "up"
unit = "percent"
target = "12.5%"
tolerance = { relative = "10%" }

[[indicator]]
id = "down"
polarity = "lower-is-better"
# From Q2 a new target: Q1 and Q2 rate a number differently, the quarters around them alike.
target = [{ value = 20 }, { from = "2022/23 Q2", value = "22.5" }]
tolerance = [{ absolute = 2.5 }, { from = "2022/23 Q3", absolute = 1 }]
unchanged-within = { absolute = "0.05" }

[[indicator]]
id = "whole"
target = 7
tolerance = { absolute = 1 }
rounding = { places = 0 }
"""
RULES = ragrules.loads(PLAIN_RULESET)
# Every boundary of the bands above (12.5, 11.25; 20, 22.5, 25, 23.5; 7, 6) at several
# scales, and values either side of them.
BOUNDARIES = [
    Decimal(t) for t in ("12.5", "11.25", "20", "22.5", "25", "23.5", "7", "6", "6.5", "0")
]


@st.composite
def boundary_texts(draw: st.DrawFn) -> str:
    base = draw(st.sampled_from(BOUNDARIES))
    step = draw(st.sampled_from([Decimal(0), Decimal("0.01"), Decimal("-0.01"), Decimal("0.001")]))
    value = base + step
    places = draw(st.integers(0, 4))
    text = f"{value:.{max(places, -value.as_tuple().exponent)}f}"  # type: ignore[operator]
    return text + draw(st.sampled_from(["", "", "%"]))


@st.composite
def plain_files(draw: st.DrawFn) -> str:
    columns = ["indicator", "area", "sex", "period", "value"]
    earlier = [c for c in ("previous", "last_year") if draw(st.booleans())]
    columns += [*earlier, "authority"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    periods = ["2021/22 Q4", "2022/23 Q1", "2022/23 Q2", "2022/23 Q3", "2021/22", "2022/23"]
    for _ in range(draw(st.integers(1, 40))):
        row = {
            # Now and then an indicator the ruleset does not define, or none: rejected.
            "indicator": draw(st.sampled_from(["up", "down", "whole"] * 4 + ["upp", ""])),
            "area": draw(st.sampled_from(["E1", "E2", ""])),
            "sex": draw(st.sampled_from(["Male", "Female"])),
            "period": draw(st.sampled_from(periods)),
            "value": draw(st.one_of(boundary_texts(), st.sampled_from(["N/A", "x", "-", "c"]))),
            "previous": draw(st.one_of(boundary_texts(), st.sampled_from(["", "N/A", "?"]))),
            "last_year": draw(st.one_of(boundary_texts(), st.just(""))),
            "authority": draw(st.sampled_from(["A", "B, Ltd", 'say "hi"'])),
        }
        if " Q" not in row["period"] and row["previous"]:
            row["last_year"] = ""  # a year's two earlier columns name one period: not plain
        writer.writerow([row[c] for c in columns])
    return out.getvalue()


def _written(rate: Any, ruleset: ragrules.Ruleset, path: Path) -> tuple[str, object]:
    """What a way of rating writes for a file, and its tally."""
    out = io.StringIO()
    tally = rate(ruleset, path, out)
    return out.getvalue(), tally


def _both(ruleset: ragrules.Ruleset, path: Path) -> tuple[str, str, object, object]:
    row, col = io.StringIO(), io.StringIO()
    expected = rate_csv_stream(ruleset, path, row)
    tally = rate_csv_columnar(ruleset, path, col)
    return row.getvalue(), col.getvalue(), expected, tally


@given(data=plain_files(), crlf=st.booleans(), bom=st.booleans())
@settings(max_examples=75)  # a polars read and both engines per file: CI's budget
def test_plain_files_are_rated_column_wise_to_the_same_bytes(
    tmp_path_factory: pytest.TempPathFactory, data: str, crlf: bool, bom: bool
) -> None:
    """Lines ending in LF or CRLF (Python's csv module and Excel write CRLF), with or without
    the byte order mark Excel's "CSV UTF-8" starts with: the columnar path, the same bytes."""
    path = tmp_path_factory.mktemp("columnar") / "data.csv"
    path.write_text(data.replace("\n", "\r\n") if crlf else data, encoding="utf-8")
    if bom:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    blocks = CsvBlocks.open(RULES, path, None, None)
    assert blocks is not None
    assert list(blocks)
    assert blocks.left is None  # the columnar path itself, not the row engine
    row, col, expected, tally = _both(RULES, path)
    assert col == row
    assert tally == expected


@given(data=plain_files())
@settings(max_examples=75)  # a polars read and both engines per file: CI's budget
def test_a_file_on_disk_gets_the_same_bytes(
    tmp_path_factory: pytest.TempPathFactory, data: str
) -> None:
    """Written to a file, the columnar engine hands polars the bytes beneath the text file:
    the file holds what the row engine writes to one."""
    folder = tmp_path_factory.mktemp("columnar")
    path = folder / "data.csv"
    path.write_text(data, encoding="utf-8")
    files = {}
    for name, rate in (("row", rate_csv_stream), ("col", rate_csv_columnar)):
        with (folder / name).open("w", encoding="utf-8") as out:
            out.write("before\n")  # what the caller wrote first stays first
            rate(RULES, path, out)
            out.write("after\n")
        files[name] = (folder / name).read_bytes()
    assert files["col"] == files["row"]


@given(
    data=plain_files(),
    blanks=st.lists(
        st.tuples(st.integers(1, 60), st.sampled_from(["", ",,,,,,,", " , ,,, ,,", ",,,,"])),
        max_size=6,
    ),
    crlf=st.booleans(),
    size=st.sampled_from([1, 60, 1 << 21]),
)
@settings(max_examples=20)  # two engines a file each: a second an example on this machine
def test_blank_lines_are_no_rows_in_either_engine(
    tmp_path_factory: pytest.TempPathFactory,
    data: str,
    blanks: list[tuple[int, str]],
    crlf: bool,
    size: int,
) -> None:
    """Empty lines and lines of blank cells (Excel leaves `,,,,` rows after a table) are no
    rows, wherever they are, and the lines after them keep their numbers: the columnar path
    keeps the file, the same bytes as the row engine."""
    lines = data.split("\n")[:-1]
    for at, blank in blanks:
        lines.insert(min(at, len(lines)), blank)
    path = tmp_path_factory.mktemp("columnar") / "data.csv"
    ending = "\r\n" if crlf else "\n"
    path.write_bytes("".join(line + ending for line in lines).encode("utf-8"))
    with _blocks_of(size):
        row, col, expected, tally = _both(RULES, path)
        blocks = CsvBlocks.open(RULES, path, None, None)
        assert blocks is not None
        list(blocks)
    assert col == row and tally == expected
    commas = lines[0].count(",")
    if all(blank == "" or blank.count(",") == commas for _, blank in blanks):  # not ragged
        assert blocks.left is None  # the columnar path throughout


@pytest.mark.parametrize("at", ["start", "middle", "end", "only"])
def test_an_empty_line_anywhere_in_a_block_is_no_row(tmp_path: Path, at: str) -> None:
    """An empty line first in a block (polars reads none of such a block's columns), in it,
    last, or alone: no row, and the lines after keep their numbers, in the columnar path."""
    lines = ["up,E1,Male,2022/23 Q1,12%", "up,E1,Male,2022/23 Q2,13%"]
    spot = {"start": 0, "middle": 1, "end": 2, "only": 0}[at]
    lines.insert(spot, "")
    if at == "only":
        lines = [""]
    path = tmp_path / "data.csv"
    path.write_text("indicator,area,sex,period,value\n" + "\n".join(lines) + "\n\n")
    row, col, expected, tally = _both(RULES, path)
    blocks = CsvBlocks.open(RULES, path, None, None)
    assert blocks is not None
    list(blocks)
    assert blocks.left is None and col == row and tally == expected


@contextlib.contextmanager
def _blocks_of(size: int, known: int | None = None) -> Iterator[None]:
    """The columnar engine reading `size` bytes at a time (a block is at least one line),
    and keeping at most `known` rendered texts of each kind across blocks."""
    kept = _table.BLOCK_BYTES, _known.KNOWN
    _table.BLOCK_BYTES = size
    _known.KNOWN = kept[1] if known is None else known
    try:
        yield
    finally:
        _table.BLOCK_BYTES, _known.KNOWN = kept


@given(data=plain_files(), size=st.integers(1, 400), known=st.sampled_from([None, 1, 3, 20]))
@settings(max_examples=40)  # blocks of a few lines: a polars read per block, both engines
def test_a_file_read_in_blocks_gets_the_same_bytes(
    tmp_path_factory: pytest.TempPathFactory, data: str, size: int, known: int | None
) -> None:
    """Blocks of a few lines: a series' earlier rows are carried from block to block, and
    what was rendered for one block is reused by the next (or rendered again, when more
    distinct texts came than are kept)."""
    path = tmp_path_factory.mktemp("columnar") / "data.csv"
    path.write_text(data, encoding="utf-8")
    with _blocks_of(size, known):
        blocks = CsvBlocks.open(RULES, path, None, None)
        assert blocks is not None
        assert list(blocks)
        assert blocks.left is None  # the columnar path throughout, not the row engine
        row, col, expected, tally = _both(RULES, path)
    assert col == row
    assert tally == expected


def test_a_block_of_few_series_carries_each_ones_latest_value(tmp_path: Path) -> None:
    """A block whose lines all hold their earlier values, of one series: what it carries is
    each key's latest text (the last line's previous quarter), which the next block reads."""
    lines = ["indicator,area,sex,period,value,previous,last_year\n"]
    # No area: each line a report of its own (an area's second row would be a duplicate).
    lines += [f"up,,Male,2022/23 Q1,12%,{n % 9 + 10}.5%,10%\n" for n in range(400)]
    lines += ["up,,Male,2022/23 Q1,13%,,9%\n"]  # its previous quarter from history
    path = tmp_path / "data.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with _blocks_of(len("".join(lines[1:-1]).encode())):  # the 400 lines, then the last
        row, col, expected, tally = _both(RULES, path)
    assert col == row
    assert tally == expected
    assert '"earlier": "13.5", "earlier_text": "13.5%"' in row.splitlines()[-1]  # n = 399


def test_earlier_blocks_carry_what_a_stream_keeps(tmp_path: Path) -> None:
    """3,000 areas' first quarters, each line with its previous quarter, then the last
    1,000 areas' second quarters without one: each second quarter reads its first from
    history, within a stream's reach (4,096 keys). The first block (about 2,000 lines, 6,000
    keys, every earlier value on its line) needs no history, so what it carries comes from
    its last lines alone; the second quarters read it from the next block."""
    lines = ["indicator,area,sex,period,value,previous,last_year\n"]
    lines += [f"up,E{n},Male,2022/23 Q1,{n % 40}.5%,11%,10%\n" for n in range(3000)]
    lines += [f"up,E{n},Male,2022/23 Q2,{n % 30}%,,9%\n" for n in range(2000, 3000)]
    path = tmp_path / "data.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with _blocks_of(80_000):
        row, col, expected, tally = _both(RULES, path)
    assert col == row
    assert tally == expected
    second = [line for line in row.splitlines() if "Q2" in line]
    assert len(second) == 1000
    assert all('"period": "2022/23 Q1", "earlier": "' in line for line in second)


@pytest.mark.parametrize("unknown", [False, True])
def test_a_row_reading_what_a_stream_dropped_is_the_row_engines(
    tmp_path: Path, unknown: bool
) -> None:
    """A file sorted by period: 2,000 areas' first quarters, three values a line (6,000
    keys), then their second quarters without earlier columns. A stream keeps 4,096 keys, so
    by the time it reaches them it has dropped the first areas' first quarters ("no row for
    2022/23 Q1") but still holds the last ones'; the columnar engine, which has the whole
    block, must not find what the stream cannot (it hands the block to the row engine, from
    its first row: one of an unknown indicator, set aside, too)."""
    lines = ["indicator,area,sex,period,value,previous,last_year\n"]
    lines += ["zz,E0,Male,2022/23 Q1,1%,,\n"] * unknown
    lines += [f"up,E{n},Male,2022/23 Q1,{n % 40}.5%,11%,10%\n" for n in range(2000)]
    lines += [f"up,E{n},Male,2022/23 Q2,{n % 30}%,,\n" for n in range(2000)]
    path = tmp_path / "data.csv"
    path.write_text("".join(lines), encoding="utf-8")
    row, col, expected, tally = _both(RULES, path)
    assert col == row
    assert tally == expected
    second = [json.loads(line) for line in row.splitlines() if "Q2" in line]
    short = [result["travel"][0] for result in second]
    assert short[0]["reason"] == (  # dropped by the stream
        "no row for 2022/23 Q1 among the last 4,096 values read before this one"
    )
    assert short[-1]["earlier_text"] == "39.5%"  # E1999's, still kept
    assert isinstance(tally, Tally)
    assert ('"rejected": true' in row.splitlines()[0]) is unknown and tally.rejected == unknown


# Lines the plans do not take, as changes to a plain line: a row with no value (the general
# path says why), a quoted cell spanning lines, a byte that is not UTF-8, more
# cells than the header, a period nobody writes, white space Python strips and polars does not.
_NOT_PLAIN = [
    {"value": ""},
    {"area": "\x1fE1"},
    {"area": "E1\x85"},
    {"value": '"12\n%"'},
    {"area": "\udca3"},
    {"extra": "more"},
    {"period": "a period nobody writes"},
]


@given(data=plain_files(), size=st.integers(1, 200), change=st.sampled_from(_NOT_PLAIN))
@settings(max_examples=30)  # blocks of a few lines: a polars read per block, both engines
def test_a_later_block_the_plans_do_not_take_is_the_row_engines(
    tmp_path_factory: pytest.TempPathFactory, data: str, size: int, change: dict[str, str]
) -> None:
    """The columnar engine writes the blocks before it; the row engine rates the rest, the
    lines before replayed: the same bytes and tally as the row engine alone (or the same
    refusal)."""
    header, *lines = data.splitlines(keepends=True)
    cells = {"indicator": "up", "area": "E1", "sex": "Male", "period": "2022/23 Q2"}
    cells |= {"value": "13%"} | change
    later = change.get("line") or ",".join(cells.get(c, "") for c in header.strip().split(","))
    if "extra" in change:
        later += ",more"
    text = header + "".join(lines) + later.rstrip("\n") + "\n" + "".join(lines)
    path = tmp_path_factory.mktemp("columnar") / "data.csv"
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    with _blocks_of(size):
        assert_same_outcome(
            lambda: _written(rate_csv_stream, RULES, path),
            lambda: _written(rate_csv_columnar, RULES, path),
        )


@given(text=rulesets(), data=data_files())
def test_any_file_comes_out_the_same_either_way(
    tmp_path_factory: pytest.TempPathFactory, text: str, data: str
) -> None:
    ruleset = ragrules.loads(text)
    path = tmp_path_factory.mktemp("columnar") / "data.csv"
    path.write_text(data, encoding="utf-8")
    assert_same_outcome(
        lambda: _written(rate_csv_stream, ruleset, path),
        lambda: _written(rate_csv_columnar, ruleset, path),
    )


@given(data=plain_files())
@settings(max_examples=75)  # a polars read and both engines per file: CI's budget
def test_rows_in_memory_are_rated_column_wise_as_the_row_engine_rates_them(data: str) -> None:
    """Spark's groups: rows already split into cells, with their own line numbers."""
    header, *cells = list(csv.reader(io.StringIO(data)))
    rows = [(number * 3, row) for number, row in enumerate(cells, start=1)]
    assert Table.from_rows(RULES, header, rows) is not None  # not the row engine
    row, col = io.StringIO(), io.StringIO()
    expected = rate_lines(RULES, header, rows, row)
    assert rate_rows_columnar(RULES, header, rows, col) == expected
    assert col.getvalue() == row.getvalue()


def _stream_argv(tmp_path: Path, data: str, engine: str = "columnar") -> list[str]:
    """`ragrules rate --stream` of the plain ruleset over `data`, written to files."""
    rules, path = tmp_path / "rules.toml", tmp_path / "data.csv"
    rules.write_text(PLAIN_RULESET, encoding="utf-8")
    path.write_text(data, encoding="utf-8")
    return ["rate", str(rules), str(path), "--stream", "--engine", engine]


def test_the_columnar_engine_from_the_command_line(tmp_path: Path) -> None:
    data = (
        "indicator,area,sex,period,value,previous\n"
        "up,E1,Male,2022/23 Q1,13%,12.5%\nup,E2,Male,2022/23 Q1,11%,12%\n"
    )
    outputs = []
    for engine in ("row", "columnar"):
        out = tmp_path / f"{engine}.jsonl"
        argv = [*_stream_argv(tmp_path, data, engine), "-o", str(out)]
        assert ragrules.cli.main(argv) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") == 2


@pytest.mark.parametrize("encoding", [None, "utf-8", "utf-8-sig", "UTF8"])
def test_the_command_line_rates_a_utf8_file_column_wise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str | None
) -> None:
    """A UTF-8 file given to `--engine columnar` is rated by the columnar engine, whatever
    the command line sniffs its encoding as (`utf-8-sig` for a file without a byte order
    mark): the row engine is never reached, so its stream is made to fail here."""
    argv = _stream_argv(tmp_path, "indicator,period,value\nup,2022/23 Q1,13%\n")

    def row_engine(*args: object, **kwargs: object) -> None:
        raise AssertionError("the row engine rated a file the columnar engine takes")

    monkeypatch.setattr(columnar, "rate_csv_stream", row_engine)
    monkeypatch.setattr(columnar, "CsvStream", row_engine)
    out = tmp_path / "out.jsonl"
    argv += ["-o", str(out), *(["--encoding", encoding] if encoding else [])]
    assert ragrules.cli.main(argv) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["status"] == "green"


@pytest.mark.parametrize("marked", ["", " Yes ", "y", "TRUE"])
def test_a_line_marked_revised_is_rated_as_the_row_engine_rates_it(
    tmp_path: Path, marked: str
) -> None:
    """A `revised` (or `provisional`) column, mostly blank: a block with no line marked yes
    is the columnar engine's, one with a marked line the row engine's, the same bytes."""
    path = tmp_path / "data.csv"
    marks = ["", "no", "N/A", "-", "0"]
    rows = [f"up,E{n // 4},Male,2022/23 Q{n % 4 + 1},{10 + n}%,{marks[n % 5]}" for n in range(12)]
    rows[7] = rows[7].rsplit(",", 1)[0] + f",{marked}"
    path.write_text("indicator,area,sex,period,value,Revised\n" + "\n".join(rows) + "\n")
    blocks = CsvBlocks.open(RULES, path, None, None)
    assert blocks is not None
    assert (list(blocks) != []) is (marked == "")
    row, col, expected, tally = _both(RULES, path)
    assert col == row and tally == expected
    assert ('"marks": ["revised"]' in row) is (marked != "")


def test_rows_of_indicators_the_ruleset_lacks_are_rejected_column_wise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A national file holds indicators the ruleset does not define: each such row is
    rejected (with a did-you-mean) in its place, and the rest rated, by the columnar
    engine itself; the row engine writes the same bytes and tally."""
    lines = ["indicator,area,sex,period,value,previous\n"]
    for n in range(300):
        indicator = ["up", "Up", "upp", "", "whole", "zz"][n % 6] if n % 7 else "down"
        lines.append(f"{indicator},E{n},Male,2022/23 Q{n % 4 + 1},{n % 30}%,{n % 25}%\n")
    path = tmp_path / "data.csv"
    path.write_text("".join(lines), encoding="utf-8")
    row, expected = _written(rate_csv_stream, RULES, path)

    def row_engine(*args: object, **kwargs: object) -> None:
        raise AssertionError("the row engine rated a file the columnar engine takes")

    monkeypatch.setattr(columnar, "rate_csv_stream", row_engine)
    monkeypatch.setattr(columnar, "CsvStream", row_engine)
    with _blocks_of(1000):  # several blocks, each with rejected rows among rated ones
        col, tally = _written(rate_csv_columnar, RULES, path)
    assert col == row and tally == expected
    rejected = [json.loads(line) for line in row.splitlines() if '"rejected": true' in line]
    assert isinstance(expected, Tally)
    lacking = sum(1 for n in range(300) if n % 7 and n % 6 not in (0, 4))  # ids are exact
    assert len(rejected) == expected.rejected == lacking
    assert {r["reason"] for r in rejected if r["indicator"] == "upp"} == {
        "unknown indicator 'upp': the ruleset does not define it (did you mean 'up'?)"
    }
    assert {r["reason"] for r in rejected if r["indicator"] == ""} == {
        "the row has no indicator id"
    }


def test_a_row_that_refuses_the_file_is_refused_after_the_same_lines(tmp_path: Path) -> None:
    """An unknown indicator's row with no period, in a file with earlier columns, refuses
    the file (its earlier values have no period): both engines write the lines before it,
    then raise the same error."""
    lines = ["indicator,area,sex,period,value,previous\n"]
    lines += [f"up,E{n},Male,2022/23 Q1,{n}%,12%\n" for n in range(5)]
    lines += ["zz,E1,Male,,13%,12%\n", "up,E9,Male,2022/23 Q1,1%,12%\n"]
    path = tmp_path / "data.csv"
    path.write_text("".join(lines), encoding="utf-8")
    written = []
    for rate in (rate_csv_stream, rate_csv_columnar):
        out = io.StringIO()
        with pytest.raises(ragrules.DataError, match="need the row's period"):
            rate(RULES, path, out)
        written.append(out.getvalue())
    assert written[0].count("\n") == 5
    assert written[1] == written[0]


@pytest.mark.parametrize("indicator", ["up", "zz", ""])
def test_a_block_starting_with_a_byte_order_mark_is_read_as_python_reads_it(
    tmp_path: Path, indicator: str
) -> None:
    """U+FEFF at the start of a later line is part of its first cell for the row engine
    (`'\\ufeffup'` is no indicator); polars drops it at the start of a block: such a
    block is the row engine's, the same bytes."""
    path = tmp_path / "data.csv"
    lines = ["indicator,area,sex,period,value\n", "up,E1,Male,2022/23 Q1,12%\n"]
    lines += [f"\ufeff{indicator},E1,Male,2022/23 Q2,13%\n", "up,E1,Male,2022/23 Q3,14%\n"]
    path.write_text("".join(lines), encoding="utf-8")
    for size in (1, 1 << 21):  # the line starting a block, or inside the only one
        with _blocks_of(size):
            row, col, expected, tally = _both(RULES, path)
        assert col == row and tally == expected
        assert isinstance(expected, Tally) and expected.rejected == 1


def test_jobs_with_the_columnar_engine_is_said_not_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _stream_argv(tmp_path, "indicator,period,value\nup,2022/23 Q1,13%\n")
    assert ragrules.cli.main([*argv, "--jobs", "2"]) == 0
    printed = capsys.readouterr()
    assert "--jobs is for the row engine" in printed.err
    assert json.loads(printed.out)["status"] == "green"
    assert ragrules.cli.main(argv) == 0
    assert "--jobs" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "said"),
    [(["--format", "csv"], "CSV output"), (["--period", "2022/23 Q1"], "--period")],
)
def test_what_the_columnar_engine_does_not_write_is_said_not_silent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: list[str], said: str
) -> None:
    """CSV output and `--period` are the row engine's: the same results, and stderr says
    why the engine asked for did not run."""
    argv = _stream_argv(tmp_path, "indicator,period,value\nup,2022/23 Q1,13%\n")
    assert ragrules.cli.main([*argv, *option]) == 0
    columnar = capsys.readouterr()
    assert f"with {said} the row engine rates the file" in columnar.err
    row = _stream_argv(tmp_path, "indicator,period,value\nup,2022/23 Q1,13%\n", "row")
    assert ragrules.cli.main([*row, *option]) == 0
    rowed = capsys.readouterr()
    assert columnar.out == rowed.out and "row engine rates" not in rowed.err


def test_a_line_longer_than_a_stream_reads_is_refused_alike(tmp_path: Path) -> None:
    """A later line over the stream's line limit: the row engine says so, after the same
    lines, whichever engine the file was given to."""
    path = tmp_path / "data.csv"
    head = "indicator,area,sex,period,value\n" + "up,E1,Male,2022/23 Q1,12%\n" * 50
    path.write_text(head + "up,E2,Male,2022/23 Q1," + "9" * (MAX_LINE + 10) + "\n")
    for size in (1000, 4 * MAX_LINE):  # read on to its end, or held whole in one block
        with _blocks_of(size):
            assert_same_outcome(
                lambda: _written(rate_csv_stream, RULES, path),
                lambda: _written(rate_csv_columnar, RULES, path),
            )


@pytest.mark.parametrize("extra", [0, 1])
def test_a_field_longer_than_pythons_csv_reads_is_refused_alike(tmp_path: Path, extra: int) -> None:
    """A later field over Python's csv field limit (128 KiB), on a line well within the
    stream's: the row engine refuses the file after the same lines, whichever engine the file
    was given to; a field at the limit is read by both."""
    path = tmp_path / "data.csv"
    head = "indicator,area,sex,period,value,note\n" + "up,E1,Male,2022/23 Q1,12%,\n" * 50
    long = "x" * (csv.field_size_limit() + extra)
    path.write_text(head + f'up,E2,Male,2022/23 Q1,13%,"{long}"\nup,E3,Male,2022/23 Q1,1%,\n')
    for size in (1000, 4 * MAX_LINE):  # read on to its end, or held whole in one block
        written, refused = [], []
        for rate in (rate_csv_stream, rate_csv_columnar):
            out = io.StringIO()
            try:
                with _blocks_of(size):
                    rate(RULES, path, out)
                refused.append("")
            except ragrules.DataError as exc:
                refused.append(str(exc))
            written.append(out.getvalue())
        assert written[1] == written[0]
        assert written[0].count("\n") == 50 + 2 * (not extra)
        assert refused[1] == refused[0]


def test_a_device_is_never_read_whole(tmp_path: Path) -> None:
    """/dev/zero is no file to hold in memory: the row engine refuses it, as a stream does."""
    with pytest.raises(ragrules.DataError, match="a stream reads a regular file"):
        rate_csv_columnar(RULES, Path("/dev/zero"), io.StringIO())


def test_a_margin_is_shown_as_each_period_writes_it(tmp_path: Path) -> None:
    """Margins equal in value but written differently ("5%", "5.0%") are each period's own
    text: the plans' shared rendering tells them apart (the columnar engine's too)."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "w"\n'
        '[[indicator]]\nid = "a"\nunit = "percent"\ntarget = "50%"\n'
        'tolerance = [{ relative = "5%" }, { from = "2022/23 Q3", relative = "5.0%" }]\n'
    )
    path = tmp_path / "data.csv"
    path.write_text("indicator,period,value\na,2022/23 Q1,48%\na,2022/23 Q3,48%\n", "utf-8")
    general, compiled, columns = io.StringIO(), io.StringIO(), io.StringIO()
    write_stream(ruleset.iter_rate(iter_csv(path)), ruleset, general)
    rate_csv_stream(ruleset, path, compiled)
    rate_csv_columnar(ruleset, path, columns)
    assert compiled.getvalue() == general.getvalue() == columns.getvalue()
    shown = [json.loads(line)["tolerance"] for line in general.getvalue().splitlines()]
    assert shown == ["5%", "5.0%"]


def test_a_years_two_earlier_columns_are_the_row_engines(tmp_path: Path) -> None:
    """A year's previous and last-year columns name one period: a block with a row giving
    both is the row engine's (the general path keeps one and rejects the other)."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "y"\n[travel.comparisons]\n'
        'short = { against = "previous-period" }\n'
        '[[indicator]]\nid = "a"\ntarget = 50\ntolerance = { absolute = 5 }\n'
    )
    path = tmp_path / "years.csv"
    path.write_text(
        "indicator,period,value,previous,last_year\na,2020/21,60,70,40\na,2021/22,60,,40\n",
        encoding="utf-8",
    )
    row, col, expected, tally = _both(ruleset, path)
    assert col == row and tally == expected
    assert '"rejected": true' in col and '"earlier": "70"' in col


@given(st.lists(st.text(st.sampled_from('a1,"  '), max_size=8), min_size=1, max_size=3))
def test_a_block_polars_takes_reads_as_pythons_csv_reads_it(lines: list[str]) -> None:
    """Lines whose quotes are all around whole cells are read alike by polars and by the
    csv module (the row engine's reader); any other line is left to the row engine."""
    text = "\n".join(lines) + "\n"
    if not _table._well_quoted(text, ","):
        return
    rows = list(csv.reader(io.StringIO(text)))
    width = max(len(row) for row in rows)
    if any(len(row) != width for row in rows) or ["" for _ in range(width)] in rows:
        return  # ragged or blank lines: refused before polars is asked
    names = [f"c{n}" for n in range(width)]
    frame = pl.read_csv(
        text.encode(), has_header=False, schema=dict.fromkeys(names, pl.String)
    ).fill_null("")
    assert [list(row) for row in frame.iter_rows()] == rows


@pytest.mark.parametrize(
    "data",
    [
        "indicator,period,value\r\nup,2022/23 Q1,12%\rup,2022/23 Q2,13%\r\n",  # a bare CR
        "indicator,period,value\r\nup,2022/23 Q1,12%\r\r\nup,2022/23 Q2,13%\r\n",
        "indicator,period,value\r\nup,2022/23 Q1,12%\r\n\r\nup,2022/23 Q2,13%\r\n",  # blank
        'indicator,period,value,commentary\r\nup,2022/23 Q1,12%,"a\r\nb"\r\n',  # two lines
        "indicator,period,value\r\nup,2022/23 Q1,12%\r",  # a CR at the end
        "\ufeffindicator,period,value\nup,2022/23 Q1,12%\n",
    ],
)
@pytest.mark.parametrize("encoding", [None, "utf-8", "utf-8-sig"])
def test_line_ends_the_readers_disagree_on_are_the_row_engines(
    tmp_path: Path, data: str, encoding: str | None
) -> None:
    """A CR that is not part of a CRLF ends a line for the row engine (not for polars), a
    cell may span a CRLF, and a byte order mark is dropped by `utf-8-sig` only: each file
    comes out as the row engine writes it, whichever engine it is given to."""
    path = tmp_path / "data.csv"
    path.write_bytes(data.encode("utf-8"))
    assert_same_outcome(
        lambda: _written(functools.partial(rate_csv_stream, encoding=encoding), RULES, path),
        lambda: _written(functools.partial(rate_csv_columnar, encoding=encoding), RULES, path),
    )


@pytest.mark.parametrize(
    "line",
    [
        'up,E1,Male,2022/23 Q1,"1"2""',  # text after a closing quote
        'up,E1,Male,2022/23 Q1,12%,"Target "stretch" agreed"',
        'up,E1,Male,2022/23 Q1,12%,"on track" ',
        'up,E1,Male,2022/23 Q1,12%,a "quoted" word',
    ],
)
def test_a_quote_the_readers_disagree_on_is_the_row_engines(tmp_path: Path, line: str) -> None:
    path = tmp_path / "data.csv"
    path.write_text(f"indicator,area,sex,period,value,commentary\n{line}\n", encoding="utf-8")
    row, col, expected, tally = _both(RULES, path)
    assert col == row and tally == expected


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("indicator,period,value,commentary\nup,2022/23 Q1,12%,café\n", {"encoding": "latin-1"}),
        ("indicator,period,value,commentary\nup,2022/23 Q1,12%,café\n", {"encoding": "UTF8"}),
        ("indicatoréperiodévalue\nupé2022/23 Q1é12%\n", {"delimiter": "é"}),
    ],
)
def test_an_encoding_or_delimiter_polars_cannot_read_is_the_row_engines(
    tmp_path: Path, text: str, options: dict[str, Any]
) -> None:
    """A file read in another encoding than UTF-8, or split at a character of more than one
    byte, is rated by the row engine: the same lines as it writes."""
    path = tmp_path / "data.csv"
    path.write_text(text, "utf-8")
    assert_same_outcome(
        lambda: _written(functools.partial(rate_csv_stream, **options), RULES, path),
        lambda: _written(functools.partial(rate_csv_columnar, **options), RULES, path),
    )


def test_a_file_that_cannot_be_read_leaves_the_output_alone(tmp_path: Path) -> None:
    """As with the row engine: the header and first line are read before the output opens."""
    out = tmp_path / "out.jsonl"
    for engine in ("row", "columnar"):
        out.write_text("KEEP", encoding="utf-8")
        argv = _stream_argv(tmp_path, "indicator,period,value,previous\nup,,12,11\n", engine)
        assert ragrules.cli.main([*argv, "-o", str(out)]) == 2
        assert out.read_text(encoding="utf-8") == "KEEP"
