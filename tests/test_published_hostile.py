"""`audit --published` against papers edited by a hostile or careless hand: what a browser
does not show is not read, rows removed are missing, a paper saying a thing two ways is
not verified, and the paper itself is never overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ragrules
from ragrules.cli import main
from ragrules.reports.html import to_html
from ragrules.reports.xlsx import to_xlsx
from ragrules.tools._paper_page import background, hiding_classes
from ragrules.tools.published import check_paper, read_paper
from tests.conftest import EXAMPLES

openpyxl = pytest.importorskip("openpyxl")

RULES = EXAMPLES / "havering-2020-21-q2.toml"
DATA = EXAMPLES / "havering-2020-21-q2.csv"
AREAS_RULES = EXAMPLES / "rates" / "rates-and-small-numbers.toml"
AREAS_DATA = EXAMPLES / "rates" / "rates-and-small-numbers-2024-25.csv"
RED = '<span class="status" style="background:#b10e1e;color:#ffffff">red</span>'
GREEN = '<span class="status" style="background:#00703c;color:#ffffff">green</span>'
# The first indicator's row, red as the rules give it.
FIRST = 'data-indicator="early-help-conversion"'


@pytest.fixture(scope="module")
def page() -> str:
    text = to_html(ragrules.load(RULES).rate(ragrules.read_observations(DATA)))
    assert RED in text[text.index(FIRST) :]
    return text


def _check(text: str, tmp_path: Path, rules: Path = RULES, data: Path = DATA) -> object:
    paper = tmp_path / "paper.html"
    paper.write_text(text, encoding="utf-8")
    rows = ragrules.read_observations(data)
    return check_paper(ragrules.load(rules), rows, read_paper(paper))


def _in_first_row(page: str, old: str, new: str) -> str:
    at = page.index(old, page.index(FIRST))
    return page[:at] + new + page[at + len(old) :]


def test_the_paper_as_written_is_verified(page: str, tmp_path: Path) -> None:
    found = _check(page, tmp_path)
    assert found.verified and found.checked == 6  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "hiding",
    [
        pytest.param(f"<span hidden/>{RED}</td><td>{GREEN}", id="slash-on-a-hidden-span"),
        pytest.param(f'<div style="display:none"/>{RED}</td><td>{GREEN}', id="slash-on-div"),
        pytest.param(f"<template>{RED}</template>{GREEN}", id="template"),
        pytest.param(f"<details><summary>why</summary>{RED}</details>{GREEN}", id="details"),
        pytest.param(f"<dialog>{RED}</dialog>{GREEN}", id="dialog"),
        pytest.param(f"<noscript>{RED}</noscript>{GREEN}", id="noscript"),
        pytest.param(f"<svg><title>{RED}</title></svg>{GREEN}", id="svg-title"),
        pytest.param(
            RED.replace('class="status"', 'class="status" style="display:/**/none"') + GREEN,
            id="css-comment",
        ),
        pytest.param(
            RED.replace('class="status"', 'class="status" style="content-visibility:hidden"')
            + GREEN,
            id="content-visibility",
        ),
        pytest.param(
            RED.replace('class="status"', 'class="status" style="opacity: 0"') + GREEN,
            id="opacity",
        ),
        pytest.param(
            RED.replace('class="status"', 'class="status visually-hidden"') + GREEN,
            id="the-page's-own-visually-hidden-class",
        ),
    ],
)
def test_a_badge_the_browser_hides_is_not_the_status_read(
    page: str, tmp_path: Path, hiding: str
) -> None:
    """The rules' red badge kept where a browser hides it, a green one shown after it: the
    paper shows green, which the rules do not give."""
    found = _check(_in_first_row(page, RED, hiding), tmp_path)
    assert not found.verified  # type: ignore[attr-defined]
    (edit,) = found.edited  # type: ignore[attr-defined]
    assert (edit.series[0], edit.computed) == ("early-help-conversion", "red")
    assert edit.published == "green (coloured #00703c)"  # the green badge, shown


def test_a_stylesheet_class_that_hides_is_applied() -> None:
    sheet = ".a, .b { display: none } .c { color: red } span.d { display: none }"
    sheet += " .sr { position: absolute; clip: rect(0 0 0 0) } /* .e { display: none } */"
    assert hiding_classes(sheet) == {"a", "b", "sr"}


@pytest.mark.parametrize(
    ("style", "colour"),
    [
        ("background:#00703c", "#00703c"),
        ("background-color:#00703C", "#00703c"),
        ("background:#0f0", "#00ff00"),
        ("background:#b10e1e;background:#00703c", "#00703c"),
        ("background:#00703c !important;background:#b10e1e", "#00703c"),
        ("background:green", "green"),
        ("/* background:#b10e1e */ color:#fff", ""),
    ],
)
def test_the_background_a_browser_shows(style: str, colour: str) -> None:
    """The last declaration (an important one first), in any spelling of a hex colour; a
    name is returned as written, which no expected fill equals."""
    assert background(style) == colour


@pytest.mark.parametrize(
    "style",
    [
        "background-color:#00703c",
        "background:green",
        "background:#0f0",
        "background:#b10e1e;background:#00703c",
    ],
)
def test_a_recoloured_badge_is_found_however_written(page: str, tmp_path: Path, style: str) -> None:
    found = _check(_in_first_row(page, "background:#b10e1e", style), tmp_path)
    (edit,) = found.edited  # type: ignore[attr-defined]
    assert edit.published.startswith("red (coloured ")


@pytest.mark.parametrize("after", ["", f"<tr><td>{GREEN}</td>"])
def test_a_row_left_open_does_not_take_a_later_badge(page: str, tmp_path: Path, after: str) -> None:
    """A row's `</tr>` left off (HTML allows it) and its badge replaced by a word: a badge
    further down the page (the exception report's, or a row of no indicator's) is not read
    as that row's."""
    start = page.index('data-indicator="ehc-assessments-20-weeks"')
    end = page.index("</tr>", start)
    row = page[start:end].replace(RED, "withdrawn")
    text = page[:start] + row + after + page[end + len("</tr>") :]
    found = _check(text, tmp_path)
    assert ("ehc-assessments-20-weeks", "", "") in found.missing  # type: ignore[attr-defined]
    assert not found.verified  # type: ignore[attr-defined]


def test_removed_rows_are_missing_even_a_whole_area(tmp_path: Path) -> None:
    """The page says which areas it reports; an area's rows all removed are missing, not
    read as a paper of the other areas."""
    report = ragrules.load(AREAS_RULES).rate(ragrules.read_observations(AREAS_DATA))
    text = to_html(report)
    assert json.dumps(list(report.areas), separators=(",", ":")).replace('"', "&quot;") in text
    rows = [line for line in text.split("<tr ") if 'data-area="E3"' in line]
    assert rows
    for row in rows:
        text = text.replace("<tr " + row, "")
    found = _check(text, tmp_path, AREAS_RULES, AREAS_DATA)
    assert {series[1] for series in found.missing} == {"E3"}  # type: ignore[attr-defined]
    assert not found.verified  # type: ignore[attr-defined]
    # A page that does not say (its meta removed): every result is expected.
    unsaid = text.replace('<meta name="ragrules-areas"', '<meta name="x"')
    found = _check(unsaid, tmp_path, AREAS_RULES, AREAS_DATA)
    assert {series[1] for series in found.missing} == {"E3"}  # type: ignore[attr-defined]
    # A paper of one area (`--per-area`) says so, and the other areas are not missing.
    one = _check(to_html(report.for_area("E3")), tmp_path, AREAS_RULES, AREAS_DATA)
    assert one.verified and not one.missing  # type: ignore[attr-defined]


def test_a_paper_with_no_status_read_is_not_verified(
    page: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = page.replace("<table", "<table hidden")
    paper = tmp_path / "paper.html"
    paper.write_text(text, encoding="utf-8")
    assert main(["audit", str(RULES), str(DATA), "--published", str(paper)]) == 1
    out = capsys.readouterr().out
    assert "0 statuses checked" in out and "no status of the paper was read" in out


def test_a_paper_of_no_areas_and_no_rows_is_not_verified(page: str, tmp_path: Path) -> None:
    """Its areas edited to none and every row removed: nothing is missing, and nothing was
    checked, which verifies nothing."""
    start, end = (
        page.index("<tbody>", page.index(FIRST) - 2000),
        page.index("</tbody>", page.index(FIRST)),
    )
    text = page[:start] + page[end:]
    text = text.replace(
        '<meta name="ragrules-areas" content="[&quot;&quot;]">',
        '<meta name="ragrules-areas" content="[]">',
    )
    found = _check(text, tmp_path)
    assert found.paper.areas == () and not found.missing  # type: ignore[attr-defined]
    assert found.checked == 0 and not found.verified  # type: ignore[attr-defined]


def test_two_fingerprints_are_a_doubt(page: str, tmp_path: Path) -> None:
    """A page naming two fingerprints (a bogus one before the real one) is not verified,
    whichever of them matches."""
    meta = '<meta name="ragrules-fingerprint" content="sha256:0">'
    text = page.replace(
        '<meta name="ragrules-fingerprint"', meta + '<meta name="ragrules-fingerprint"', 1
    )
    for paper_text in (text, text.replace('content="sha256:0"', 'content="sha256:1"')):
        found = _check(paper_text, tmp_path)
        assert not found.verified  # type: ignore[attr-defined]
        (doubt,) = found.paper.doubts  # type: ignore[attr-defined]
        assert doubt.startswith("its meta tags give ragrules-fingerprint 2 ways")


def _book(tmp_path: Path, edit: object) -> Path:
    report = ragrules.load(RULES).rate(ragrules.read_observations(DATA))
    path = tmp_path / "paper.xlsx"
    path.write_bytes(to_xlsx(report))
    book = openpyxl.load_workbook(path)
    edit(book)  # type: ignore[operator]
    book.save(path)
    return path


def _header(book: object, name: str) -> object:
    sheet = book["Indicators"]  # type: ignore[index]
    return next(cell for cell in sheet[1] if cell.value == name)


def test_a_workbook_whose_status_column_is_renamed_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def lower(book: object) -> None:
        _header(book, "Status").value = "status"  # type: ignore[attr-defined]

    path = _book(tmp_path, lower)
    assert main(["audit", str(RULES), str(DATA), "--published", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: cannot read the paper: its Indicators sheet has no 'Status' column" in err
    assert "Traceback" not in err


def test_a_workbook_with_two_status_columns_is_refused(tmp_path: Path) -> None:
    def second(book: object) -> None:
        sheet = book["Indicators"]  # type: ignore[index]
        column = sheet.max_column + 1
        sheet.cell(1, column).value = "Status"
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row, column).value = "green"

    with pytest.raises(ragrules.DataError, match="has 2 'Status' columns"):
        read_paper(_book(tmp_path, second))


def test_a_workbook_naming_two_fingerprints_is_not_verified(tmp_path: Path) -> None:
    def twice(book: object) -> None:
        sheet = book["Summary"]  # type: ignore[index]
        sheet.append(["Fingerprint", "sha256:0"])

    found = check_paper(
        ragrules.load(RULES), ragrules.read_observations(DATA), read_paper(_book(tmp_path, twice))
    )
    assert not found.verified
    assert found.paper.doubts[0].startswith("its Summary rows give Fingerprint 2 ways")


def test_output_never_overwrites_the_published_paper(
    page: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = tmp_path / "paper.html"
    paper.write_text(page, encoding="utf-8")
    argv = ["audit", str(RULES), str(DATA), "--published", str(paper), "-o", str(paper)]
    assert main(argv) == 2
    assert "--output would overwrite the published paper" in capsys.readouterr().err
    assert paper.read_text(encoding="utf-8") == page


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_workbook_whose_indicators_sheet_is_hidden_is_refused(tmp_path: Path, state: str) -> None:
    """The Indicators sheet hidden and an edited copy shown under a name that reads alike
    (`Indicators` and a zero-width space): the reader is shown the copy, so the paper is
    not read as the hidden sheet."""

    def swap(book: object) -> None:
        original = book["Indicators"]  # type: ignore[index]
        copy = book.copy_worksheet(original)  # type: ignore[attr-defined]
        copy.title = "Indicators\u200b"
        original.sheet_state = state
        book.active = book.worksheets.index(copy)  # type: ignore[attr-defined]

    with pytest.raises(ragrules.DataError, match="its 'Indicators' sheet is hidden"):
        read_paper(_book(tmp_path, swap))


def test_a_workbook_without_a_summary_sheet_says_which_sheet_it_lacks(tmp_path: Path) -> None:
    def drop(book: object) -> None:
        book.remove(book["Summary"])  # type: ignore[attr-defined,index]

    with pytest.raises(ragrules.DataError, match="it has no 'Summary' sheet"):
        read_paper(_book(tmp_path, drop))


@pytest.mark.parametrize(
    ("code", "shown"),
    [(';;;"green"', "green"), ('"Status: "@', "Status: red"), (";;;", "red"), ("@", "red")],
)
def test_a_status_cell_is_read_as_its_format_shows_its_text(
    tmp_path: Path, code: str, shown: str
) -> None:
    """A text section that prints a label (`;;;"green"` shows `green` whatever the cell
    holds) is what a reader sees; one that prints nothing else, or nothing (`;;;`, which
    is how a column is hidden), leaves the text as it is."""

    def formatted(book: object) -> None:
        sheet = book["Indicators"]  # type: ignore[index]
        column = _header(book, "Status").column  # type: ignore[attr-defined]
        sheet.cell(2, column).number_format = code

    paper = read_paper(_book(tmp_path, formatted))
    assert paper.statuses[0] == (("early-help-conversion", "", ""), shown)


@pytest.mark.parametrize("constant_memory", [False, True])
def test_a_text_section_shows_shared_and_inline_strings_alike(
    tmp_path: Path, constant_memory: bool
) -> None:
    """XlsxWriter keeps text as shared strings, or inline in constant-memory mode: both are
    read through the cell's text section."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    from ragrules.formats.data import read_rows

    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    sheet = book.add_worksheet()
    sheet.write_string(0, 0, "red", book.add_format({"num_format": ';;;"green"'}))
    sheet.write_string(0, 1, "red", book.add_format({"num_format": "@"}))
    book.close()
    ((_, cells),) = read_rows(path.read_bytes(), str(path))
    assert cells == ["green", "red"]
