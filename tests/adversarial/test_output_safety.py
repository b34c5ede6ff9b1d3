"""Hostile text in rulesets and data cannot act through the outputs (issue 13, items 7-9).

Every id, title, label, value and piece of commentary is someone else's text. Written to CSV
it must not run as a spreadsheet formula; written to Markdown it must not add HTML or break
a table; printed to a terminal it must not send control or bidi characters.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.cli import main
from ragrules.engine.report import Rejection, Report, Result
from ragrules.model._text import display_width, terminal_safe
from ragrules.model.errors import Problem
from ragrules.reports._cells import CSV_TRIGGERS, csv_safe, csv_unsafe
from ragrules.reports.markdown import to_markdown
from ragrules.reports.output import render, to_csv, to_table
from ragrules.stream import write_stream
from tests.markdown_table import markdown_cells

PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?%?|-")
# C0, DEL, C1, and the bidi marks, embeddings, overrides and isolates.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HTML_TAG = re.compile(r"<[A-Za-z/!?]")

FORMULAS = ("=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")')


def _toml(text: str) -> str:
    """A TOML basic string holding `text` (DEL must be escaped too; JSON leaves it raw)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _report(
    *,
    indicator: str = "a",
    title: str = "A title",
    label: str = "Short term",
    value: str = "40",
    commentary: str = "",
    flag: str = "",
    column: str = "code",
    cell: str = "E09",
) -> Report:
    """One indicator rated red against 50 (so an exception), with any text in any field."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "adversarial"\n'
        f"title = {_toml(title)}\n"
        f'[travel.comparisons]\nshort = {{ against = "previous-period", label = {_toml(label)} }}\n'
        '[exceptions]\nstatuses = ["red"]\ncommentary-required = ["red"]\nflagged = true\n'
        f"[[indicator]]\nid = {_toml(indicator)}\ntitle = {_toml(title)}\n"
        "target = 50\ntolerance = { absolute = 5 }\n"
    )
    rows = [
        {"indicator": indicator, "period": "2020/21 Q1", "value": "45"},
        {
            "indicator": indicator,
            "period": "2020/21 Q2",
            "value": value,
            "commentary": commentary,
            "flag": flag,
            column: cell,
        },
        {"indicator": "not " + indicator, "period": "2020/21 Q2", "value": value},
    ]
    return ruleset.rate(rows, period="2020/21 Q2")


def _assert_csv_cells_safe(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    assert len({len(row) for row in rows}) == 1, rows
    for row in rows:
        for cell in row:
            assert cell[:1] not in CSV_TRIGGERS or PLAIN_NUMBER.fullmatch(cell), cell
    return rows


def _assert_markdown_safe(text: str) -> None:
    assert HTML_TAG.search(text) is None, text
    for table in re.findall(r"(?:^\|.*\n)+", text, flags=re.M):
        counts = {markdown_cells(line) for line in table.splitlines()}
        assert len(counts) == 1, table


# Text from anywhere: every plane but surrogates (which no file can hold), weighted towards
# the characters that matter here.
HOSTILE = st.text(
    st.one_of(
        st.sampled_from("=+-@'\t\r\n|\\`*_[]<>&#~\x1b\x9b\u202e\u2066\x00\x08"),
        st.characters(exclude_categories=["Cs"]),
    ),
    max_size=30,
)
# An indicator id must be non-blank after the data reader strips it (the row must match).
IDS = HOSTILE.map(lambda text: "i" + text.strip() if text.strip() != text or not text else text)


# -- the cell functions ------------------------------------------------------------------


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_gets_a_quote_and_back(formula: str) -> None:
    assert csv_safe(formula) == "'" + formula
    assert csv_unsafe(csv_safe(formula)) == formula


@pytest.mark.parametrize("number", ["-5", "-0.4", "+3", "-1e3", "-2.5E-4", "-12%", "-", "0"])
def test_plain_numbers_and_a_lone_dash_are_left_alone(number: str) -> None:
    assert csv_safe(number) == number
    assert csv_unsafe(number) == number


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("'=1", "''=1"),
        ("''=1", "'''=1"),
        ("'abc", "'abc"),
        ("'-5", "'-5"),
        ("-5 weeks", "'-5 weeks"),
    ],
)
def test_existing_quotes_keep_the_reversal_exact(text: str, written: str) -> None:
    assert csv_safe(text) == written
    assert csv_unsafe(written) == text


@given(HOSTILE)
def test_csv_safe_is_safe_and_reversible(text: str) -> None:
    safe = csv_safe(text)
    assert csv_unsafe(safe) == text
    assert safe[:1] not in CSV_TRIGGERS or PLAIN_NUMBER.fullmatch(safe)


def test_terminal_safe_shows_controls_as_escapes() -> None:
    shown = terminal_safe("a\x1b[31mred\x1b[0m\r\b\x9b\u202eevil\u2066 C:\\data")
    assert shown == "a\\x1b[31mred\\x1b[0m\\x0d\\x08\\x9b\\u202eevil\\u2066 C:\\data"


# -- CSV ---------------------------------------------------------------------------------


def test_report_csv_neutralises_formulas_in_every_field() -> None:
    report = _report(
        indicator="=cmd|' /C calc'!A0",
        title="@SUM(1+1)",
        value="-2+3",
        commentary='=HYPERLINK("http://x")',
        flag="+1",
    )
    rows = _assert_csv_cells_safe(to_csv(report))
    assert rows[1][:2] == ["'=cmd|' /C calc'!A0", "'@SUM(1+1)"]
    assert "'-2+3" in rows[1]
    assert '\'=HYPERLINK("http://x")' in rows[1]


def test_a_carriage_return_inside_a_cell_is_quoted() -> None:
    """A lone CR is a line break to every reader: unquoted, it split the row in two."""
    report = _report(indicator="a\rb", title="x\ry", commentary="c\r\nd")
    for text in (to_csv(report), to_csv(report, safe=False), _stream(report)):
        rows = _assert_csv_cells_safe(text)
        assert "a\rb" in rows[1]
        assert "\r\n" not in text.replace("c\r\nd", "")  # lines still end in LF
    assert next(csv.DictReader(io.StringIO(to_csv(report))))["commentary"] == "c\r\nd"


def test_report_csv_keeps_negative_numbers_but_not_formulas_after_a_minus() -> None:
    text = to_csv(_report(value="-5", commentary="-1+1"))
    _assert_csv_cells_safe(text)
    row = next(csv.DictReader(io.StringIO(text)))
    assert (row["value"], row["value_text"]) == ("-5", "-5")
    assert row["commentary"] == "'-1+1"


def test_report_csv_opt_out_writes_cells_as_they_are() -> None:
    report = _report(title="=1+1")
    assert to_csv(report, safe=False).splitlines()[1].split(",")[1] == "=1+1"
    assert render(report, "csv", safe_csv=False) == to_csv(report, safe=False)
    assert render(report, "csv") == to_csv(report)


def test_json_keeps_the_text_that_csv_neutralises() -> None:
    report = _report(title="=1+1", value="-2+3")
    data = json.loads(render(report, "json"))
    assert (data["results"][0]["title"], data["results"][0]["value_text"]) == ("=1+1", "-2+3")
    assert to_csv(report).splitlines()[1].startswith("a,'=1+1,")


def _stream(report: Report, *, safe_csv: bool = True) -> str:
    out = io.StringIO()
    items: list[Result | Rejection] = [*report.results, *report.rejected]
    write_stream(items, report.ruleset, out, "csv", safe_csv=safe_csv)
    return out.getvalue()


def test_stream_csv_neutralises_formulas_in_data_and_header() -> None:
    report = _report(indicator="@x", value="=1+1", column="=header()", cell="-1+1")
    text = _stream(report)
    rows = _assert_csv_cells_safe(text)
    assert rows[0][-1] == "'=header()"
    indicator = rows[0].index("indicator")
    assert rows[1][indicator] == "'@x"
    assert rows[1][-1] == "'-1+1"
    assert rows[2][indicator] == "not @x"  # the rejected row
    unsafe = list(csv.reader(io.StringIO(_stream(report, safe_csv=False))))
    assert unsafe[0][-1] == "=header()"
    assert unsafe[1][-1] == "-1+1"


def test_the_command_line_neutralises_csv_unless_told_not_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ruleset = tmp_path / "r.toml"
    ruleset.write_text(
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\ntitle = "=1+1"\ntarget = 1\n'
        "tolerance = { absolute = 1 }\n",
        encoding="utf-8",
    )
    data = tmp_path / "d.csv"
    data.write_text("indicator,value,code\na,1,@SUM(A1)\n", encoding="utf-8")
    assert main(["rate", str(ruleset), str(data), "--format", "csv"]) == 0
    assert "'=1+1" in capsys.readouterr().out
    assert main(["rate", str(ruleset), str(data), "--format", "csv", "--unsafe-csv"]) == 0
    assert "'=1+1" not in capsys.readouterr().out
    for flags in ([], ["--unsafe-csv"]):
        assert main(["rate", str(ruleset), str(data), "--stream", "--format", "csv", *flags]) == 0
        last = capsys.readouterr().out.splitlines()[-1]
        assert last.endswith(",@SUM(A1)" if flags else ",'@SUM(A1)")


@given(
    indicator=IDS,
    title=HOSTILE,
    label=HOSTILE,
    value=HOSTILE,
    commentary=HOSTILE,
    cell=HOSTILE,
)
def test_any_text_in_any_field_gives_safe_reversible_csv(
    indicator: str, title: str, label: str, value: str, commentary: str, cell: str
) -> None:
    report = _report(
        indicator=indicator, title=title, label=label, value=value, commentary=commentary, cell=cell
    )
    safe = _assert_csv_cells_safe(to_csv(report))
    unsafe = list(csv.reader(io.StringIO(to_csv(report, safe=False))))
    assert [[csv_unsafe(c) for c in row] for row in safe] == unsafe
    streamed = _assert_csv_cells_safe(_stream(report))
    raw = list(csv.reader(io.StringIO(_stream(report, safe_csv=False))))
    assert [[csv_unsafe(c) for c in row] for row in streamed] == raw


# -- Markdown ----------------------------------------------------------------------------


def test_markdown_escapes_html_from_data_and_rulesets() -> None:
    report = _report(
        title="<script>alert(1)</script>",
        commentary="[click](javascript:alert(1)) <img src=x onerror=alert(1)>",
        flag="<b>flag</b>",
    )
    text = to_markdown(report)
    _assert_markdown_safe(text)
    assert "&lt;script>alert(1)&lt;/script>" in text
    assert "\\[click\\](javascript:alert(1))" in text


def test_a_pipe_in_a_title_stays_in_its_cell() -> None:
    report = _report(title="Contacts | green", label="Short | green")
    text = to_markdown(report)
    _assert_markdown_safe(text)
    assert "| Indicator | Value | Target | Status | Short \\| green |" in text
    (row,) = [line for line in text.splitlines() if line.startswith("| a: ")]
    assert row == "| a: Contacts \\| green | 40 | 50 | red | ↓ | 45 → 40 | amber needs 45, 5 more |"


def test_markdown_block_markers_at_the_start_of_a_line_stay_text() -> None:
    text = to_markdown(_report(commentary="# Not a heading", title="- x #"))
    assert "\n\\# Not a heading\n" in text
    assert "### a: - x \\#\n" in text
    assert "\n1\\. one\n" in to_markdown(_report(commentary="1. one"))
    assert "\n\\> quoted\n" in to_markdown(_report(commentary="> quoted"))


def test_markdown_keeps_ordinary_text_as_it_was() -> None:
    report = _report(title="% of Contacts progressing to Early Help (O&S)", value="28.15%")
    assert "| a: % of Contacts progressing to Early Help (O&S) | 28.15% |" in to_markdown(report)
    assert "&amp;lt;" in to_markdown(_report(title="&lt;"))  # shows as written, not as `<`


@given(indicator=IDS, title=HOSTILE, label=HOSTILE, value=HOSTILE, commentary=HOSTILE)
def test_any_text_in_any_field_keeps_markdown_tables_whole(
    indicator: str, title: str, label: str, value: str, commentary: str
) -> None:
    report = _report(
        indicator=indicator, title=title, label=label, value=value, commentary=commentary
    )
    _assert_markdown_safe(to_markdown(report))


# -- the terminal ------------------------------------------------------------------------


def test_the_table_shows_escape_sequences_instead_of_sending_them() -> None:
    report = _report(
        indicator="a\x1b[2J",
        title="\u202eevil",
        label="\x1b]0;title\x07",
        value="4\b0",
    )
    text = to_table(report)
    assert CONTROLS.search(text.replace("\n", "")) is None
    assert "a\\x1b[2J" in text
    assert "4\\x080" in text


@given(indicator=IDS, title=HOSTILE, label=HOSTILE, value=HOSTILE)
def test_any_text_in_any_field_gives_a_table_without_controls(
    indicator: str, title: str, label: str, value: str
) -> None:
    report = _report(indicator=indicator, title=title, label=label, value=value)
    text = to_table(report)
    assert CONTROLS.search(text.replace("\n", "")) is None
    # No line broken or added: the heading, the table, the summary.
    summary = report.summary
    table = 1 + len(report.results)
    rest = 1 + bool(summary.unrated) + len(summary.travel) + bool(report.rejected)
    assert len(text.splitlines()) == 4 + table + 1 + rest


def test_the_tables_columns_line_up_on_a_terminal_whatever_the_script() -> None:
    """Wide characters take two columns and combining marks none: the cells after them
    start in the same column on every line, as a terminal shows them."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "w"\n'
        '[[indicator]]\nid = "up"\nunit = "number"\ntarget = 70\n'
        "tolerance = { absolute = 5 }\n"
    )
    areas = ["東京都", "Cafe\u0301", "E06000001", "\uff26\uff55\uff4c\uff4c"]
    rows = [{"indicator": "up", "area": a, "period": "2022/23 Q1", "value": "60"} for a in areas]
    lines = to_table(ruleset.rate(rows)).splitlines()
    table = [line for line in lines if line.startswith(("Area", *areas))]
    assert len(table) == 1 + len(areas)
    starts = set()
    for line in table:
        cell = "Indicator" if line.startswith("Area") else "up"
        starts.add(display_width(line[: line.index("  " + cell) + 2]))
    assert len(starts) == 1, table


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("\u6771\u4eac\u90fd", 6),  # wide
        ("\U0001f600", 2),  # an emoji
        ("\U0001f44d\U0001f3fd", 2),  # in a skin tone
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", 2),  # joined: one family
        ("\u2764\ufe0f", 2),  # a narrow symbol shown as an emoji
        ("1\ufe0f\u20e3", 2),  # a keycap
        ("\U0001f1ec\U0001f1e7", 2),  # a flag
        ("co\u00adoperate", 10),  # a soft hyphen is shown
        ("\u1112\u1161\u11ab", 2),  # a Hangul syllable written in its letters
        ("e\u0301", 1),  # a decomposed accent
        ("\u0600123", 4),  # an Arabic number sign is shown
        ("a\u200bb", 2),  # a zero-width space
    ],
)
def test_a_cells_width_is_the_columns_a_terminal_gives_it(text: str, columns: int) -> None:
    """The widths terminals give (wcwidth's): the table's columns line up after any script."""
    assert display_width(text) == columns


def test_problems_print_without_control_characters() -> None:
    problem = Problem(
        message="unknown indicator 'x\x1b[31m\u202e'", file="d\x1b.csv", row=3, hint="\r\x08"
    )
    assert str(problem) == "d\\x1b.csv:row 3: unknown indicator 'x\\x1b[31m\\u202e' (\\x0d\\x08)"


def test_the_command_line_prints_problems_without_controls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A data file's name is printed with each of its problems: it is escaped too."""
    ruleset = tmp_path / "r.toml"
    ruleset.write_text(
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\ntarget = 1\n'
        "tolerance = { absolute = 1 }\n",
        encoding="utf-8",
    )
    data = tmp_path / "d\x1b[2J\u202e.json"
    data.write_text(json.dumps([{"indicator": "b\x1b[2J", "value": "1"}]), encoding="utf-8")
    assert main(["rate", str(ruleset), str(data)]) == 0
    captured = capsys.readouterr()
    assert "d\\x1b[2J\\u202e.json:row 1: warning: unknown indicator" in captured.err
    assert CONTROLS.search((captured.err + captured.out).replace("\n", "")) is None


def test_markdown_shows_control_and_bidi_characters_as_the_table_does() -> None:
    """A Markdown page printed to a terminal (no `-o`) runs no escape sequence."""
    hostile = "x\x1b[31mred\x07\u202eevil\x9b"
    text = to_markdown(_report(title=hostile, commentary=hostile, label=hostile))
    assert not CONTROLS.search(text.replace("\n", ""))
    # Shown as the table shows it, each backslash escaped for Markdown: `\x1b[31mred`.
    assert "# x\\\\x1b\\[31mred\\\\x07\\\\u202eevil\\\\x9b\n" in text
