"""`[summary] percentages`: the summary's shares of the rated indicators, of every indicator
reported (Bromsgrove gives both), or both, in every report and in JSON."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.output import render

HEAD = '[ruleset]\nformat = 1\nid = "shares"\n'
INDICATORS = "".join(
    f'[[indicator]]\nid = "{name}"\ntarget = 50\ntolerance = {{ relative = "10%" }}\n'
    for name in "abcdefg"
)
SUMMARY = '[summary]\npercentages = ["rated", "all"]\n'
ROWS = [
    {"indicator": name, "period": "2020", "value": value}
    for name, value in zip("abcdefg", ["51", "50", "46", "40", "N/A", "", "c"], strict=True)
]


def _rules(summary: str = SUMMARY) -> ragrules.Ruleset:
    return ragrules.loads(HEAD + summary + INDICATORS)


def test_both_kinds_of_share_are_given_and_each_adds_up_to_100() -> None:
    summary = _rules().rate(ROWS).summary
    assert summary.percentages == (("green", 50), ("amber", 25), ("red", 25))
    # 2, 1 and 1 rated of 7, and 3 not rated (no-data 2, suppressed 1): largest remainder.
    assert summary.of_all == (("green", 29), ("amber", 14), ("red", 14))
    assert summary.unrated_of_all == (("no-data", 29), ("suppressed", 14))
    assert summary.reported == 7
    shares = summary.to_dict()
    assert shares["statuses"]["green"] == {"count": 2, "percent": 50, "percent_of_all": 29}
    assert shares["unrated_percent_of_all"] == {"no-data": 29, "suppressed": 14}


def test_without_a_summary_table_nothing_changes() -> None:
    plain = _rules("").rate(ROWS)
    assert plain.ruleset.percentages == ("rated",)
    assert plain.summary.of_all is None and plain.summary.unrated_of_all is None
    assert "percent_of_all" not in render(plain, "json")
    assert "[summary]" not in _rules("").canonical_toml
    # The shares of the rated are the same whatever else is asked for.
    assert _rules().rate(ROWS).summary.percentages == plain.summary.percentages


def test_the_reports_show_the_columns_in_the_order_given() -> None:
    report = _rules('[summary]\npercentages = ["all", "rated"]\n').rate(ROWS)
    table = render(report, "table")
    assert "Rated: 4 of 7: green 2 (29% of all, 50% of rated)" in table
    assert "Not rated: no-data 2 (29% of all), suppressed 1 (14% of all)" in table
    markdown = render(report, "markdown")
    assert "| Status | Indicators | % of all | % of rated |" in markdown
    assert "| not rated: suppressed | 1 | 14% | |" in markdown
    html = render(report, "html")
    assert '<th scope="col">% of all</th><th scope="col">% of rated</th>' in html
    assert re.search(r"Not rated: no-data</th><td[^>]*>2</td><td[^>]*>29%</td><td></td>", html)


def test_all_alone_replaces_the_shares_of_the_rated() -> None:
    report = _rules('[summary]\npercentages = ["all"]\n').rate(ROWS)
    assert "green 2 (29% of all)" in render(report, "table")
    assert "| Status | Indicators | % of all |\n" in render(report, "markdown")


def test_the_workbook_summary_has_a_column_per_kind() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("xlsxwriter")
    from ragrules.reports.xlsx import to_xlsx

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(_rules().rate(ROWS))))
    rows = [[cell.value for cell in row] for row in book["Summary"].iter_rows(max_col=4)]
    assert rows[0] == ["Status", "Indicators", "% of rated", "% of all"]
    assert rows[1] == ["green", 2, 0.5, 0.29]
    assert ["Not rated: no-data", 2, None, 0.29] in rows


@pytest.mark.parametrize(
    ("summary", "key", "words"),
    [
        ('percentages = ["rated", "al"]', "summary.percentages[1]", "'al' is not a kind"),
        ('percentages = ["all", "all"]', "summary.percentages[1]", "listed twice"),
        ("percentages = []", "summary.percentages", "expected a list"),
        ('percentages = "all"', "summary.percentages", "expected a list"),
        ('percent = ["all"]', "summary.percent", "unknown key"),
    ],
)
def test_a_wrong_summary_is_refused_where_it_is_written(summary: str, key: str, words: str) -> None:
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(HEAD + "[summary]\n" + summary + "\n" + INDICATORS)
    (problem,) = caught.value.problems
    assert (problem.key, problem.line) == (key, 5)
    assert words in problem.message
    assert problem.hint


def test_the_setting_survives_the_canonical_form_and_is_inherited(tmp_path: Path) -> None:
    rules = _rules()
    assert '[summary]\npercentages = ["rated", "all"]' in rules.canonical_toml
    again = ragrules.loads(rules.canonical_toml)
    assert again.percentages == ("rated", "all")
    assert again.fingerprint == rules.fingerprint != _rules("").fingerprint
    (tmp_path / "base.toml").write_text(HEAD + SUMMARY + INDICATORS, encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('[ruleset]\nformat = 1\nid = "child"\nextends = "base.toml"\n')
    assert ragrules.load(child).percentages == ("rated", "all")


@given(
    st.lists(
        st.sampled_from(["56", "50", "47", "44", "30", "N/A", "", "c", "x1"]),
        min_size=1,
        max_size=7,
    )
)
def test_shares_of_all_add_up_to_100_and_never_move_the_shares_of_the_rated(
    values: list[str],
) -> None:
    rows = [
        {"indicator": name, "period": "2020", "value": value}
        for name, value in zip("abcdefg", values, strict=False)
    ]
    summary = _rules().rate(rows).summary
    of_all = [share for _, share in (*(summary.of_all or ()), *(summary.unrated_of_all or ()))]
    assert sum(of_all) == 100  # every indicator is reported, rated or not
    assert summary.reported == 7  # indicators without a row are reported as no-data
    assert summary.percentages == _rules("").rate(rows).summary.percentages
    counted = dict(summary.counts) | dict(summary.unrated)
    shares = dict(summary.of_all or ()) | dict(summary.unrated_of_all or ())
    for name, count in counted.items():  # each share is its count's, rounded one way
        assert abs(shares[name] * summary.reported - count * 100) < summary.reported
    json.dumps(summary.to_dict())  # plain JSON
