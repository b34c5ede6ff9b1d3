"""`ragrules audit` on the national cases: Fingertips' own published column is reproduced
(`Similar` read as the judged `Similar`, not the neutral `similar`, and `Not compared` agreeing
with an unrated row), and a paper ragrules wrote of every council verifies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ragrules
from ragrules.cli import main
from ragrules.model.words import StatusWords
from ragrules.reports.html import to_html
from ragrules.reports.xlsx import to_xlsx
from ragrules.tools._published_words import published_status, says_unrated
from ragrules.tools.audit import audit
from ragrules.tools.published import check_paper, read_paper
from tests.conftest import EXAMPLES

NATIONAL = EXAMPLES / "national"
DATA = NATIONAL / "fingertips_campylobacter_countyua_2015-2017.csv"
CASES = [
    ("campylobacter-vs-england.toml", "Compared to England value or percentiles"),
    ("campylobacter-vs-region.toml", "Compared to Region value or percentiles"),
]


@pytest.mark.parametrize("year", ["2015", "2016", "2017"])
@pytest.mark.parametrize(("ruleset", "column"), CASES)
def test_the_published_column_is_reproduced_every_year(
    ruleset: str, column: str, year: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every status Fingertips published, `Not compared` for a row with no value included,
    is what the rules give: exit 0, no mismatch."""
    command = ["audit", str(NATIONAL / ruleset), str(DATA), "--period", year]
    command += ["--columns", f"{column}=published_status", "--format", "json"]
    assert main(command) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["mismatches"] == []
    assert found["checked"] > 150


def test_not_compared_for_a_row_with_no_value_agrees() -> None:
    """2015's rows with no value (no-data) are published `Not compared`: they agree."""
    rules = ragrules.load(NATIONAL / "campylobacter-vs-england.toml")
    rows = ragrules.read_observations(
        DATA, columns={"Compared to England value or percentiles": "published_status"}
    )
    found = audit(rules, rows, period="2015")
    blank = [
        r
        for r in found.report.results
        if r.unrated is ragrules.Unrated.NO_DATA
        and dict(r.columns).get("published_status") == "Not compared"
    ]
    assert blank and not found.mismatches


@pytest.mark.parametrize("year", ["2015", "2017"])
@pytest.mark.parametrize("form", ["html", "xlsx"])
def test_a_paper_of_every_council_ragrules_wrote_is_verified(
    form: str, year: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The paper `rate` writes (Similar on every page) verifies: exit 0."""
    rules = NATIONAL / "campylobacter-vs-england.toml"
    paper = tmp_path / f"paper.{form}"
    command = ["rate", str(rules), str(DATA), "--period", year, "--format", form]
    assert main([*command, "-o", str(paper)]) in (0, 1)
    capsys.readouterr()
    assert main(["audit", str(rules), str(DATA), "--period", year, "--published", str(paper)]) == 0
    out = capsys.readouterr().out
    assert "0 not as the rules give them" in out, out


def test_a_paper_of_the_regions_is_verified(tmp_path: Path) -> None:
    rules = ragrules.load(NATIONAL / "campylobacter-vs-region.toml")
    rows = list(ragrules.read_observations(DATA))
    report = rules.rate(rows, period="2017")
    page, book = tmp_path / "paper.html", tmp_path / "paper.xlsx"
    page.write_text(to_html(report), encoding="utf-8")
    book.write_bytes(to_xlsx(report))
    for paper in (page, book):
        found = check_paper(rules, rows, read_paper(paper), period="2017")
        assert found.verified and found.checked == len(report.results), found.edited[:3]


# A significance scale whose judged statuses (`Better`, `Similar`, `Worse`) and neutral ones
# (the default `higher`, `similar`, `lower`) differ only in case, with one indicator of each.
BOTH = """
[ruleset]
format = 1
id = "both"

[benchmarks.england]
area = "E92000001"

[scales.vs-england]
significance = { benchmark = "england", level = "95", statuses = ["Better", "Similar", "Worse"] }

[[indicator]]
id = "judged"
scale = "vs-england"
polarity = "lower-is-better"

[[indicator]]
id = "neutral"
scale = "vs-england"
polarity = "neutral"
"""


def _row(indicator: str, area: str, value: str, low: str, high: str, **more: str) -> dict[str, str]:
    return {
        "indicator": indicator,
        "area": area,
        "period": "2017",
        "value": value,
        "lower ci 95.0 limit": low,
        "upper ci 95.0 limit": high,
        **more,
    }


def _rows(**statuses: str) -> list[dict[str, str]]:
    """England at 10, and an area's interval of 8 to 12 (similar) for each indicator, with
    the status published for it, if any."""
    rows = []
    for indicator in ("judged", "neutral"):
        rows.append(_row(indicator, "E92000001", "10", "9", "11"))
        published = {"published_status": statuses[indicator]} if indicator in statuses else {}
        rows.append(_row(indicator, "E06000001", "10", "8", "12", **published))
    return rows


@pytest.mark.parametrize(
    ("judged", "neutral"),
    [("Similar", "similar"), ("similar", "Similar"), ("SIMILAR", "Similar."), ("S", "s")],
)
def test_similar_is_read_among_the_statuses_of_the_polarity(judged: str, neutral: str) -> None:
    """Whatever the case, a judged indicator's Similar is `Similar` and a neutral one's
    `similar`: each row is read among its own polarity's statuses."""
    ruleset = ragrules.loads(BOTH)
    found = audit(ruleset, _rows(judged=judged, neutral=neutral))
    statuses = {r.indicator.id: r.status for r in found.report.results if r.area == "E06000001"}
    assert statuses == {"judged": "Similar", "neutral": "similar"}
    assert (found.checked, found.mismatches) == (2, ())


def test_a_status_of_the_other_polarity_is_not_a_status_of_the_indicator() -> None:
    """`Worse` for a neutral indicator and `higher` for a judged one are named as not of the
    scale, the note listing only the statuses of the indicator's polarity."""
    ruleset = ragrules.loads(BOTH)
    found = audit(ruleset, _rows(judged="higher", neutral="Worse"))
    notes = {m.result.indicator.id: m.note for m in found.mismatches}
    assert notes == {
        "judged": "'higher' is not a status of the scale (Better, Similar, Worse)",
        "neutral": "'Worse' is not a status of the scale (higher, similar, lower)",
    }


@pytest.mark.parametrize("form", ["html", "xlsx"])
def test_a_paper_with_judged_and_neutral_statuses_verifies(form: str, tmp_path: Path) -> None:
    """A paper showing `Similar` for the judged indicator and `similar` for the neutral one
    verifies (both were read as the neutral `similar`), and the neutral `higher` put on the
    judged row is found."""
    ruleset = ragrules.loads(BOTH)
    rows = _rows()
    report = ruleset.rate(rows)
    paper = tmp_path / f"paper.{form}"
    if form == "html":
        paper.write_text(to_html(report), encoding="utf-8")
    else:
        paper.write_bytes(to_xlsx(report))
    found = check_paper(ruleset, rows, read_paper(paper))
    assert found.verified and found.checked == 4, found.edited
    if form == "html":
        html = paper.read_text(encoding="utf-8")
        row = html.index('data-indicator="judged" data-area="E06000001"')
        at = html.index(">Similar</span>", row)
        paper.write_text(html[:at] + ">higher</span>" + html[at + 15 :], encoding="utf-8")
        (edited,) = check_paper(ruleset, rows, read_paper(paper)).edited
        assert (edited.published, edited.computed) == ("higher", "Similar")


@pytest.mark.parametrize(
    "published", ["Not compared", "not compared.", "Not rated", "N/A", "-", "No data", "*"]
)
def test_an_unrated_row_agrees_with_the_publishers_unrated_words(published: str) -> None:
    """A row with no interval is not-compared; a row with no value no-data: either agrees
    with any word publishers print for a row they did not rate."""
    ruleset = ragrules.loads(BOTH)
    rows = [
        _row("judged", "E92000001", "10", "9", "11"),
        _row("judged", "E06000001", "12", "", "", published_status=published),
        _row("judged", "E06000002", "", "", "", published_status=published),
    ]
    found = audit(ruleset, rows)
    unrated = sorted(
        r.status
        for r in found.report.results
        if r.indicator.id == "judged" and r.area != "E92000001"
    )
    assert unrated == ["no-data", "not-compared"]
    assert (found.checked, found.mismatches) == (2, ())


@pytest.mark.parametrize("published", ["Not compared", "N/A", "-", "no data"])
def test_a_rated_row_does_not_agree_with_an_unrated_word(published: str) -> None:
    ruleset = ragrules.loads(BOTH)
    (mismatch,) = audit(ruleset, _rows(judged=published)).mismatches
    assert (mismatch.published, mismatch.computed, mismatch.readings) == (
        published,
        "Similar",
        (),
    )
    assert (
        mismatch.note == f"{published!r} is a word for an unrated row, and the rules rate this one"
    )
    assert str(mismatch).endswith("; check the published column and the row's value")


def test_an_unrated_row_still_disagrees_with_a_status() -> None:
    """`Similar` published for a row the rules cannot compare is a mismatch."""
    ruleset = ragrules.loads(BOTH)
    rows = [
        _row("judged", "E92000001", "10", "9", "11"),
        _row("judged", "E06000001", "12", "", "", published_status="Similar"),
    ]
    (mismatch,) = audit(ruleset, rows).mismatches
    assert (mismatch.published, mismatch.computed, mismatch.note) == (
        "Similar",
        "not-compared",
        "",
    )


# A significance scale's every name, judged and neutral: the tuple `status_named` was given.
MERGED = ("Better", "Similar", "Worse", "higher", "similar", "lower")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Similar", "Similar"),
        ("similar", "similar"),
        ("Similar.", "Similar"),
        (" Similar ", "Similar"),
        ("similar;", "similar"),
        ("better", "Better"),
        ("WORSE", "Worse"),
        ("S", "Similar"),
        ("s", "similar"),
        ("w", "Worse"),
        ("H", "higher"),
        ("purple", "purple"),
    ],
)
def test_an_exact_name_is_read_before_a_case_blind_one(text: str, status: str) -> None:
    assert published_status(text, MERGED) == status


def test_a_case_blind_name_is_read_among_the_statuses_given() -> None:
    assert published_status("SIMILAR", ("Better", "Similar", "Worse")) == "Similar"
    assert published_status("Similar", ("higher", "similar", "lower")) == "similar"
    assert published_status("S", ("Better", "Similar", "Worse")) == "Similar"
    # Two statuses of one initial in either case, none in the same case: no initial reads.
    assert published_status("B", ("best", "better", "worse")) == "b"


def test_a_ruleset_word_is_read_for_the_status_it_names() -> None:
    words = (StatusWords(status="similar", label="Similar to England"),)
    assert published_status("similar to england", ("higher", "similar", "lower"), words) == (
        "similar"
    )


@pytest.mark.parametrize(
    ("text", "unrated"),
    [
        ("Not compared", True),
        ("not-compared", True),
        ("Not comparable", True),
        ("Not rated", True),
        ("No data", True),
        ("no target.", True),
        ("N/A", True),
        ("-", True),
        ("*", True),
        ("Data only", True),  # the ruleset's word for no-target
        ("Similar", False),
        ("Red", False),
        ("compared", False),
    ],
)
def test_the_words_publishers_print_for_an_unrated_row(text: str, unrated: bool) -> None:
    words = (StatusWords(status="no-target", label="Data only"),)
    assert says_unrated(text, words) is unrated
