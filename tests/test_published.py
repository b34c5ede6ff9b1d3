"""A verifiable committee paper (issue 18, item 6): the HTML page and the workbook carry the
ruleset's fingerprint and a digest of the data, and `ragrules audit --published` finds a
status edited by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.engine.digest import data_digest
from ragrules.reports._colours import paper_fills
from ragrules.reports.html import to_html
from ragrules.reports.xlsx import to_xlsx
from ragrules.tools.published import check_paper, read_paper
from tests.conftest import EXAMPLES

openpyxl = pytest.importorskip("openpyxl")

RULES = EXAMPLES / "havering-2020-21-q2.toml"
DATA = EXAMPLES / "havering-2020-21-q2.csv"


@pytest.fixture(scope="module")
def rows() -> list[object]:
    return list(ragrules.read_observations(DATA))


@pytest.fixture(scope="module")
def report(rows: list[object]) -> ragrules.Report:
    return ragrules.load(RULES).rate(rows)


def _papers(report: ragrules.Report, folder: Path) -> tuple[Path, Path]:
    page, book = folder / "paper.html", folder / "paper.xlsx"
    page.write_text(to_html(report), encoding="utf-8")
    book.write_bytes(to_xlsx(report))
    return page, book


def _edit_row(page: Path, indicator: str, old: str, new: str) -> None:
    """The page with `old` replaced by `new` in the indicator's row, as a hand would."""
    html = page.read_text(encoding="utf-8")
    at = html.index(old, html.index(f'data-indicator="{indicator}"'))
    page.write_text(html[:at] + new + html[at + len(old) :], encoding="utf-8")


def test_a_paper_as_written_is_verified(
    report: ragrules.Report, rows: list[object], tmp_path: Path
) -> None:
    assert report.data_digest.startswith("sha256:")
    for paper in _papers(report, tmp_path):
        found = check_paper(ragrules.load(RULES), rows, read_paper(paper))
        assert found.verified and found.checked == len(report.results), paper


def test_a_status_edited_by_hand_is_found(
    report: ragrules.Report, rows: list[object], tmp_path: Path
) -> None:
    page, book = _papers(report, tmp_path)
    _edit_row(page, "early-help-conversion", ">red</span>", ">green</span>")
    workbook = openpyxl.load_workbook(book)
    workbook["Indicators"].cell(row=2, column=9).value = "Green"  # early-help-conversion
    workbook.save(book)
    for paper in (page, book):
        found = check_paper(ragrules.load(RULES), rows, read_paper(paper))
        assert [(e.series[0], e.published, e.computed) for e in found.edited] == [
            ("early-help-conversion", found.edited[0].published, "red")
        ]
        assert found.edited[0].published.lower() == "green" and not found.verified


def test_other_rules_or_data_are_named(
    report: ragrules.Report, rows: list[object], tmp_path: Path
) -> None:
    page, _ = _papers(report, tmp_path)
    more = {"indicator": "lac-supervision", "period": "2020/21 Q3", "value": "96"}
    found = check_paper(ragrules.load(RULES), [*rows, more], read_paper(page))
    assert found.same_rules and not found.same_data and not found.verified
    other = attrs.evolve(ragrules.load(RULES), version="2020.3")
    assert not check_paper(other, rows, read_paper(page)).same_rules


def test_the_digest_is_made_when_asked_for_once(rows: list[object]) -> None:
    """Rating does not digest the data (only a paper needs it, and it is a fifth of the
    cost of rating a national file); the first use does, once, as the rows were read."""
    made: list[object] = []

    def counted(*args: Any) -> str:
        made.append(args)
        return data_digest(*args)

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr("ragrules.engine.report.data_digest", counted)
        report = ragrules.load(RULES).rate(rows)
        assert made == []
        assert report.data_digest == report.data_digest == data_digest(rows)  # type: ignore[arg-type]
        assert report.for_area("").data_digest == report.data_digest
    assert len(made) == 1
    assert ragrules.load(RULES).rate([]).data_digest == data_digest([])


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b"]), st.integers(0, 99).map(str), st.text(max_size=3)),
        min_size=1,
        max_size=6,
    ),
    st.data(),
)
def test_the_digest_changes_with_any_value_and_only_then(
    rows: list[tuple[str, str, str]], data: st.DataObject
) -> None:
    def observations(spec: list[tuple[str, str, str]]) -> list[ragrules.Observation]:
        return [
            ragrules.Observation(indicator=i, value=v, commentary=c, row=n)
            for n, (i, v, c) in enumerate(spec, start=1)
        ]

    assert data_digest(observations(rows)) == data_digest(observations(list(rows)))
    at = data.draw(st.integers(0, len(rows) - 1))
    indicator, value, commentary = rows[at]
    changed = [*rows]
    changed[at] = (indicator, value, commentary + "!")
    assert data_digest(observations(changed)) != data_digest(observations(rows))


def test_the_command_line_checks_a_paper(report: ragrules.Report, tmp_path: Path) -> None:
    page, _ = _papers(report, tmp_path)
    command = [sys.executable, "-m", "ragrules", "audit", str(RULES), str(DATA)]
    done = subprocess.run([*command, "--published", str(page)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "rules the same, data the same; 6 statuses checked, 0 not as" in done.stdout
    page.write_text(page.read_text(encoding="utf-8").replace("ragrules-data-digest", "x"))
    again = subprocess.run([*command, "--published", str(page)], capture_output=True, text=True)
    assert again.returncode == 1 and "data other (none given)" in again.stdout


@pytest.fixture(scope="module")
def national() -> tuple[ragrules.Ruleset, list[object], ragrules.Report]:
    """The mortality example: every council, statuses of words, no colours of its own."""
    rules = ragrules.load(EXAMPLES / "national" / "u75-preventable-mortality.toml")
    rows = list(
        ragrules.read_observations(
            EXAMPLES / "national" / "trafford_u75_preventable_mortality_ltla_2014-2024.csv"
        )
    )
    return rules, rows, rules.rate(rows)


def test_a_national_paper_of_every_council_is_verified(
    national: tuple[ragrules.Ruleset, list[object], ragrules.Report], tmp_path: Path
) -> None:
    """Statuses of words (`above England`), breakdowns and every area: both papers verify,
    and an edited Persons row is found."""
    rules, rows, report = national
    page, book = _papers(report, tmp_path)
    for paper in (page, book):
        found = check_paper(rules, rows, read_paper(paper))
        assert found.verified and found.checked == len(report.results), paper
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Indicators"]
    assert (sheet.cell(row=2, column=4).value, sheet.cell(row=2, column=9).value) == (
        "unit=Female",
        "above England",
    )
    sheet.cell(row=2, column=9).value = "below England"
    workbook.save(book)
    (edited,) = check_paper(rules, rows, read_paper(book)).edited
    assert edited.series == ("u75-preventable", "E06000001", "unit=Female")


def test_a_badge_recoloured_by_hand_is_found(
    report: ragrules.Report, rows: list[object], tmp_path: Path
) -> None:
    page, _ = _papers(report, tmp_path)
    # Red's tile painted green, its word left alone.
    _edit_row(page, "early-help-conversion", "background:#b10e1e", "background:#00703c")
    (edited,) = check_paper(ragrules.load(RULES), rows, read_paper(page)).edited
    assert edited.published == "red (coloured #00703c)" and edited.computed == "red"


def test_a_shaded_status_verifies_in_its_shade_or_the_grey_papers_showed_before(
    national: tuple[ragrules.Ruleset, list[object], ragrules.Report], tmp_path: Path
) -> None:
    """Statuses with no colour are shades of grey now; a paper written before showed them
    the pale grey of unrated tiles, and still verifies. Any other colour is an edit."""
    rules, rows, report = national
    page, _ = _papers(report, tmp_path)
    shaded = "background:#b1b4b6;color:#0b0c0c"  # above England, the worst: palest
    html = page.read_text(encoding="utf-8")
    assert shaded in html
    page.write_text(html.replace(shaded, "background:#f3f2f1;color:#0b0c0c"), encoding="utf-8")
    assert check_paper(rules, rows, read_paper(page)).verified
    page.write_text(html, encoding="utf-8")
    _edit_row(page, "u75-preventable", shaded, "background:#b10e1e;color:#ffffff")
    (edited,) = check_paper(rules, rows, read_paper(page)).edited
    assert edited.published == "above England (coloured #b10e1e)"


def test_a_status_cell_recoloured_by_hand_in_the_workbook_is_found(
    report: ragrules.Report, rows: list[object], tmp_path: Path
) -> None:
    """As on the page: a red cell given a green fill in Excel, its word left alone, is an
    edit; a fill Excel writes as a theme colour is not read, and not called an edit."""
    _, book = _papers(report, tmp_path)
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Indicators"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Status") + 1
    found = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, column).value == "red"]
    green = openpyxl.styles.PatternFill(fill_type="solid", fgColor="FF00703C")
    sheet.cell(found[0], column).fill = green
    themed = openpyxl.styles.PatternFill(
        fill_type="solid", fgColor=openpyxl.styles.colors.Color(theme=5)
    )
    sheet.cell(found[1], column).fill = themed
    workbook.save(book)
    (edited,) = check_paper(ragrules.load(RULES), rows, read_paper(book)).edited
    assert edited.published == "red (coloured #00703c)" and edited.computed == "red"


def test_a_strict_tier_shown_grey_by_an_earlier_paper_still_verifies() -> None:
    """The strict tier of significance had no colour before: grey then, its own colour now.
    A colour the ruleset gives is the only one accepted."""
    plain = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "s"\n[[indicator]]\nid = "a"\ntarget = 1\n'
        "tolerance = { absolute = 1 }\n"
    )
    assert paper_fills("better (strict)", plain) == {"#005a30", "#f3f2f1"}
    assert paper_fills("red", plain) == {"#b10e1e"}
    coloured = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "s"\nscale = "sig"\n[scales.sig]\nsignificance = '
        '{ benchmark = "england", level = "95", strict-level = "99.8" }\n'
        '[statuses."better (strict)"]\ncolour = "#123456"\n[[indicator]]\nid = "a"\n'
    )
    assert paper_fills("better (strict)", coloured) == {"#123456"}


def test_a_row_copied_or_made_up_on_the_paper_is_found(
    report: ragrules.Report, rows: list[object], tmp_path: Path
) -> None:
    """A copy of a row put before the original with another status, and a row for an
    indicator the rules do not have: never verified, each named."""
    page, _ = _papers(report, tmp_path)
    html = page.read_text(encoding="utf-8")
    start = html.index('<tr data-indicator="early-help-conversion"')
    row = html[start : html.index("</tr>", start) + len("</tr>")]
    copied = row.replace(">red</span>", ">green</span>")
    made_up = row.replace("early-help-conversion", "made-up-indicator")
    page.write_text(html[:start] + copied + html[start:], encoding="utf-8")
    found = check_paper(ragrules.load(RULES), rows, read_paper(page))
    assert not found.verified
    assert [(e.series[0], e.computed) for e in found.edited] == [("early-help-conversion", "red")]
    assert "2 rows" in found.edited[0].published
    page.write_text(html[:start] + made_up + html[start:], encoding="utf-8")
    found = check_paper(ragrules.load(RULES), rows, read_paper(page))
    assert not found.verified and not found.edited
    assert [series[0] for series in found.extra] == ["made-up-indicator"]


def test_the_command_line_names_a_made_up_row(
    report: ragrules.Report, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ragrules.cli import main

    page, _ = _papers(report, tmp_path)
    html = page.read_text(encoding="utf-8")
    start = html.index('<tr data-indicator="early-help-conversion"')
    row = html[start : html.index("</tr>", start) + len("</tr>")]
    page.write_text(html[:start] + row.replace("early-help", "made-up") + html[start:], "utf-8")
    assert main(["audit", str(RULES), str(DATA), "--published", str(page)]) == 1
    out = capsys.readouterr().out
    assert "  made-up-conversion: in the paper, but no result of these rules and data" in out


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(
            ">red</span>",
            '>red</span><span class="status" style="background:#00703c">green</span>',
            id="a-second-badge",
        ),
        pytest.param(">red</span>", "><span hidden>red</span>green</span>", id="hidden-word"),
        pytest.param(
            ">red</span>",
            '><span style="color: red; DISPLAY : none">red</span>green</span>',
            id="display-none-word",
        ),
    ],
)
def test_a_status_a_reader_cannot_see_is_not_what_the_paper_shows(
    report: ragrules.Report, rows: list[object], tmp_path: Path, old: str, new: str
) -> None:
    """The computed status hidden (by the `hidden` attribute or an inline style) and another
    shown: the paper shows what its reader sees, and that was edited."""
    page, _ = _papers(report, tmp_path)
    _edit_row(page, "early-help-conversion", old, new)
    html = page.read_text(encoding="utf-8")
    start = html.index('<span class="status"', html.index('data-indicator="early-help-conv'))
    if 'class="status"' in new:  # the reported badge itself hidden, the new one shown
        html = html[:start] + '<span style="display:none"' + html[start + len("<span") :]
        page.write_text(html, encoding="utf-8")
    (edited,) = check_paper(ragrules.load(RULES), rows, read_paper(page)).edited
    shown = edited.published.removesuffix(" (coloured #00703c)")  # the new badge's green
    assert (edited.series[0], shown, edited.computed) == ("early-help-conversion", "green", "red")


def test_a_hidden_row_is_no_row_the_paper_shows(
    report: ragrules.Report, rows: list[object], tmp_path: Path
) -> None:
    """The row with the computed status hidden, a copy with another status shown: the
    paper shows the copy alone, edited."""
    page, _ = _papers(report, tmp_path)
    html = page.read_text(encoding="utf-8")
    start = html.index('<tr data-indicator="early-help-conversion"')
    row = html[start : html.index("</tr>", start) + len("</tr>")]
    hidden = row.replace("<tr ", '<tr style="display: none" ', 1)
    shown = row.replace(">red</span>", ">green</span>")
    page.write_text(html[:start] + hidden + shown + html[start + len(row) :], encoding="utf-8")
    (edited,) = check_paper(ragrules.load(RULES), rows, read_paper(page)).edited
    assert (edited.published, edited.computed) == ("green", "red")
