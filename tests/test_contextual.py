"""Contextual scales (decision 71): statuses that say where a value sits (Kent's activity
indicators against an expected range), rated as on any scale and selected by exception rules,
but counted apart from the rated statuses in every summary, report and tally."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.cli import main
from ragrules.output import render
from ragrules.reports.stream import write_stream
from tests.conftest import EXAMPLES, assert_refused_at

KENT = EXAMPLES / "contextual" / "kent-activity.toml"
KENT_DATA = EXAMPLES / "contextual" / "kent-activity-2024-25-q2.csv"

HEAD = '[ruleset]\nformat = 1\nid = "context"\n'
SCALE = """
[scales.range]
contextual = true
bands = [{ status = "within", from = "target" }, { status = "outside" }]
"""
KPIS = "".join(
    f'\n[[indicator]]\nid = "{name}"\ntarget = 50\ntolerance = {{ relative = "10%" }}\n'
    for name in "abcd"
)
ACTIVITY = "".join(
    f'\n[[indicator]]\nid = "{name}"\npolarity = "in-range"\nscale = "range"\n'
    "target = { lower = 10, upper = 20 }\n"
    for name in "wxy"
)
ALL = '\n[summary]\npercentages = ["rated", "all"]\n'
# a green, b amber, c red, d no data; w and y within their range, x outside it.
VALUES = {"a": "51", "b": "46", "c": "40", "d": "N/A", "w": "15", "x": "25", "y": "12"}
ROWS = [{"indicator": name, "period": "2024", "value": value} for name, value in VALUES.items()]


def _rules(*parts: str, scale: str = SCALE) -> ragrules.Ruleset:
    return ragrules.loads(HEAD + scale + "".join(parts) + KPIS + ACTIVITY)


def _report(*parts: str) -> ragrules.Report:
    return _rules(*parts).rate(ROWS)


# -- rating and selection ---------------------------------------------------------------------


def test_results_on_a_contextual_scale_are_rated_as_on_any_scale() -> None:
    """Statuses, reasons, bounds, edges and travel are those of the same scale not marked."""
    contextual = _report().results
    plain = _rules(scale=SCALE.replace("contextual = true\n", "")).rate(ROWS).results
    assert [r.to_dict() for r in contextual] == [r.to_dict() for r in plain]
    assert {r.indicator.id: r.status for r in contextual if r.indicator.id in "wxy"} == {
        "w": "within",
        "x": "outside",
        "y": "within",
    }


def test_exception_rules_select_a_contextual_status() -> None:
    """`statuses = ["outside"]` lists activity outside its range, with the KPIs that missed."""
    report = _report('\n[exceptions]\nstatuses = ["red", "outside"]\n')
    assert [(s.result.indicator.id, s.reasons) for s in report.exceptions] == [
        ("c", ("status red or outside",)),
        ("x", ("status red or outside",)),
    ]
    named = _report('\n[[exceptions.rules]]\nname = "Outside its range"\nstatuses = ["outside"]\n')
    assert [(s.result.indicator.id, s.reasons) for s in named.exceptions] == [
        ("x", ("Outside its range",))
    ]
    required = _report('\n[exceptions]\ncommentary-required = ["outside"]\n')
    assert [finding.indicator for finding in required.findings] == ["x"]


def test_the_shipped_kent_example_lists_activity_outside_its_range() -> None:
    report = ragrules.load(KENT).rate(ragrules.read_observations(KENT_DATA))
    assert [(s.result.indicator.id, s.result.status) for s in report.exceptions] == [
        ("SEND10", "red"),
        ("REF-A", "outside"),
    ]
    assert report.summary.rated == 4
    assert report.summary.context == (("within", 3), ("outside", 1))
    assert report.findings == ()


# -- the summary ------------------------------------------------------------------------------


def test_the_summary_counts_contextual_statuses_apart_from_the_rated() -> None:
    summary = _report().summary
    assert summary.rated == 3
    assert summary.counts == (("green", 1), ("amber", 1), ("red", 1))
    assert summary.percentages == (("green", 34), ("amber", 33), ("red", 33))
    assert summary.context == (("within", 2), ("outside", 1))
    assert summary.unrated == (("no-data", 1),)
    assert summary.reported == 7
    assert summary.of_all is None and summary.context_of_all is None


def test_every_contextual_status_is_listed_even_with_no_indicator() -> None:
    rows = [row for row in ROWS if row["indicator"] != "x"]
    summary = _rules().rate(rows).summary
    assert summary.context == (("within", 2), ("outside", 0))
    assert summary.unrated == (("no-data", 2),)  # x has no row


def test_shares_of_all_take_in_the_contextual_statuses() -> None:
    """Rated, contextual and unrated share 100 together; the shares of the rated do not move."""
    summary = _report(ALL).summary
    assert summary.percentages == (("green", 34), ("amber", 33), ("red", 33))
    # 1, 1, 1, 2, 1 and 1 of 7, by largest remainder: within's remainder is the largest.
    assert summary.of_all == (("green", 15), ("amber", 14), ("red", 14))
    assert summary.context_of_all == (("within", 29), ("outside", 14))
    assert summary.unrated_of_all == (("no-data", 14),)
    shares = [*summary.of_all, *summary.context_of_all, *summary.unrated_of_all]
    assert sum(share for _, share in shares) == 100


def test_json_gives_the_context_after_the_rated_statuses() -> None:
    data = _report(ALL).summary.to_dict()
    assert list(data) == [
        "rated",
        "statuses",
        "context",
        "context_percent_of_all",
        "unrated",
        "unrated_percent_of_all",
        "travel",
    ]
    assert data["context"] == {"within": 2, "outside": 1}
    assert data["context_percent_of_all"] == {"within": 29, "outside": 14}
    assert set(data["statuses"]) == {"green", "amber", "red"}
    assert json.loads(render(_report(), "json"))["summary"]["context"] == {
        "within": 2,
        "outside": 1,
    }


def test_a_scale_that_changes_in_year_is_counted_where_it_is_in_force() -> None:
    """An activity indicator rated from Q3 counts as context in Q2 and as rated in Q3."""
    dated = (
        '\n[[indicator]]\nid = "z"\ntarget = 50\ntolerance = { relative = "10%" }\n'
        'scale = [{ value = "range" }, { from = "2024/25 Q3", value = "rag" }]\n'
    )
    rules = ragrules.loads(HEAD + SCALE + dated)
    q2 = rules.rate([{"indicator": "z", "period": "2024/25 Q2", "value": "52"}]).summary
    assert (q2.rated, q2.context) == (0, (("within", 1), ("outside", 0)))
    q3 = rules.rate([{"indicator": "z", "period": "2024/25 Q3", "value": "52"}]).summary
    assert (q3.rated, q3.context) == (1, ())
    assert q3.to_dict()["context"] == {}  # the ruleset has context, this period has none


def test_overrides_are_counted_among_the_rated_only() -> None:
    allowed = KPIS.replace("target = 50\n", "target = 50\noverrides = true\n")
    activity = ACTIVITY.replace('scale = "range"\n', 'scale = "range"\noverrides = true\n')
    rules = ragrules.loads(HEAD + SCALE + allowed + activity)
    rows = [dict(row) for row in ROWS]
    for row in rows:
        if row["indicator"] in ("c", "x"):
            row.update(override={"c": "amber", "x": "within"}[row["indicator"]])
            row.update(override_reason="known cause")
    summary = rules.rate(rows).summary
    assert summary.counts == (("green", 1), ("amber", 2), ("red", 0))
    assert summary.context == (("within", 3), ("outside", 0))
    assert summary.overridden == 1


# -- loading ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [('"yes"', "got the string 'yes'"), ("1", "got"), ("[true]", "got")],
)
def test_contextual_must_be_true_or_false(value: str, words: str) -> None:
    text = HEAD + SCALE.replace("contextual = true", f"contextual = {value}") + ACTIVITY
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text, source="r.toml")
    (problem,) = caught.value.problems
    assert (problem.key, problem.line, problem.column) == ("scales.range.contextual", 6, 1)
    assert problem.message.startswith("expected true or false, ") and words in problem.message
    assert problem.hint == "contextual = true, or leave it out for a scale that rates"
    assert str(problem).startswith("r.toml:6:1: scales.range.contextual: expected true or false")


def test_a_misspelt_key_gets_a_did_you_mean() -> None:
    assert_refused_at(
        HEAD + SCALE.replace("contextual =", "contextul =") + ACTIVITY,
        "scales.range.contextul",
        "unknown key",
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(HEAD + SCALE.replace("contextual =", "contextul =") + ACTIVITY)
    assert "did you mean 'contextual'?" in str(caught.value)


def test_a_status_of_both_a_contextual_and_a_rating_scale_is_refused() -> None:
    clash = SCALE.replace('"outside"', '"red"')
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(HEAD + clash + KPIS + ACTIVITY, source="r.toml")
    (problem,) = caught.value.problems
    assert (problem.key, problem.line) == ("scales.range.contextual", 6)
    assert problem.message == (
        "'red' is a status of this contextual scale and of scale 'rag', which rates indicator 'a'"
    )
    assert problem.hint is not None and "count" in problem.hint


def test_the_clash_is_found_through_a_scale_in_force_in_another_period() -> None:
    dated = (
        '\n[[indicator]]\nid = "z"\ntarget = 50\ntolerance = { relative = "10%" }\n'
        'scale = [{ value = "range" }, { from = "2024/25 Q3", value = "mine" }]\n'
        '\n[scales.mine]\nbands = [{ status = "within", from = "target" }, { status = "low" }]\n'
    )
    assert_refused_at(HEAD + SCALE + dated, "scales.range.contextual", "'within' is a status")


def test_only_the_scales_the_indicators_use_can_clash() -> None:
    """A rating scale no indicator uses is checked only for its form; two contextual scales
    may share a status (both are counted apart)."""
    unused = (
        '\n[scales.unused]\nbands = [{ status = "within", from = "target" }, { status = "x" }]\n'
    )
    assert _rules(unused).indicators
    other = SCALE.replace("scales.range", "scales.other")
    both = ACTIVITY + '\n[[indicator]]\nid = "v"\nscale = "other"\ntarget = 1\n'
    rules = ragrules.loads(HEAD + SCALE + other + both)
    report = rules.rate([{"indicator": "v", "value": "0"}, {"indicator": "w", "value": "12"}])
    assert report.summary.context == (("within", 1), ("outside", 1))


def test_significance_and_quantile_scales_may_be_contextual() -> None:
    text = """
[ruleset]
format = 1
id = "quartiles-for-context"
scale = "quartiles"

[scales.quartiles]
contextual = true
quantiles = { count = 4, statuses = ["A", "B", "C", "D"] }

[scales.england]
contextual = true
significance = { benchmark = "England" }

[[indicator]]
id = "up"

[[indicator]]
id = "compared"
scale = "england"
"""
    rules = ragrules.loads(text)
    assert rules.indicator("up").scale.contextual and rules.indicator("compared").scale.contextual
    again = ragrules.loads(rules.canonical_toml)
    assert again == rules and again.fingerprint == rules.fingerprint
    rows = [
        {"indicator": "up", "area": f"E{n}", "period": "2024", "value": str(n)} for n in range(8)
    ]
    summary = rules.rate(rows).summary
    assert (summary.rated, summary.counts, summary.percentages) == (0, (), ())
    assert dict(summary.context or ()) == {
        "A": 2,
        "B": 2,
        "C": 2,
        "D": 2,
        "better": 0,
        "similar": 0,
        "worse": 0,
    }


# -- the canonical form, show, diff and fmt ---------------------------------------------------


def test_the_canonical_form_writes_contextual_only_when_true() -> None:
    rules = _rules()
    assert "contextual = true" in rules.canonical_toml
    again = ragrules.loads(rules.canonical_toml)
    assert again == rules and again.fingerprint == rules.fingerprint
    plain = _rules(scale=SCALE.replace("contextual = true\n", ""))
    written_false = _rules(scale=SCALE.replace("contextual = true", "contextual = false"))
    assert "contextual" not in plain.canonical_toml
    assert written_false.canonical_toml == plain.canonical_toml
    assert written_false.fingerprint == plain.fingerprint != rules.fingerprint


def test_show_diff_and_fmt_know_the_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marked = tmp_path / "marked.toml"
    plain = tmp_path / "plain.toml"
    marked.write_text(HEAD + SCALE + ACTIVITY, encoding="utf-8")
    plain.write_text(HEAD + SCALE.replace("contextual = true\n", "") + ACTIVITY, encoding="utf-8")
    assert main(["show", str(marked)]) == 0
    assert "contextual = true" in capsys.readouterr().out
    assert main(["show", "--toml", str(marked)]) == 0
    assert "contextual = true" in capsys.readouterr().out
    main(["diff", str(plain), str(marked)])
    assert "scales" in capsys.readouterr().out
    assert main(["fmt", "--check", str(KENT)]) == 0


# -- the reports ------------------------------------------------------------------------------


def test_the_table_prints_the_context_after_the_rated_statuses() -> None:
    lines = render(_report(), "table").splitlines()
    at = lines.index("Rated: 3: green 1 (34%), amber 1 (33%), red 1 (33%)")
    assert lines[at + 1 : at + 3] == [
        "Context (not rated): within 2, outside 1",
        "Not rated: no-data 1",
    ]
    shares = render(_report(ALL), "table")
    assert "Rated: 3 of 7: green 1 (34% of rated, 15% of all)" in shares
    assert "Context (not rated): within 2 (29% of all), outside 1 (14% of all)" in shares


def test_markdown_has_a_row_per_contextual_status() -> None:
    markdown = render(_report(ALL), "markdown")
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    start = rows.index("| **rated** | **3** | | |")
    assert rows[start + 1 : start + 4] == [
        "| context (not rated): within | 2 | | 29% |",
        "| context (not rated): outside | 1 | | 14% |",
        "| not rated: no-data | 1 | | 14% |",
    ]
    assert "| green | 1 | 34% | 15% |" in rows


def test_the_html_summary_labels_each_contextual_row() -> None:
    page = render(_report(), "html")
    summary = page[page.index("<h2>Summary</h2>") : page.index("<h2>Key</h2>")]
    text = re.sub(r"<[^>]+>", " ", summary)
    words = " ".join(text.split())
    assert "Rated 3 Context (not rated): within 2 Context (not rated): outside 1" in words
    assert "Not rated: no-data 1" in words
    assert re.search(r'Context \(not rated\): <span class="status"[^>]*>within</span>', summary)
    # No share of the rated for a contextual row.
    assert re.search(r">outside</span></th><td class=\"num\">1</td><td></td></tr>", summary)


def test_the_html_status_chart_stacks_the_rated_statuses_only() -> None:
    """Kent's page: the bars of each quarter count its four KPIs, never its activity."""
    report = ragrules.load(KENT).rate(ragrules.read_observations(KENT_DATA))
    page = render(report, "html")
    title = re.search(r'<svg class="bars".*?<title[^>]*>(.*?)</title>', page, re.S)
    assert title is not None
    assert "expected range" not in title.group(1)
    bars = title.group(1).removeprefix("Rated statuses by period: ").rstrip(".")
    for period in bars.split("; "):
        counts = re.findall(r"(?:green|amber|red) (\d+)", period)
        assert sum(map(int, counts)) == 4, period


def test_the_workbook_summary_sheet_has_the_context_rows() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("xlsxwriter")
    from ragrules.reports.xlsx import to_xlsx

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(_report(ALL))))
    rows = [[cell.value for cell in row] for row in book["Summary"].iter_rows(max_col=4)]
    assert rows[:9] == [
        ["Status", "Indicators", "% of rated", "% of all"],
        ["green", 1, 0.34, 0.15],
        ["amber", 1, 0.33, 0.14],
        ["red", 1, 0.33, 0.14],
        ["Rated", 3, None, None],
        ["Context (not rated): within", 2, None, 0.29],
        ["Context (not rated): outside", 1, None, 0.14],
        ["Not rated: no-data", 1, None, 0.14],
        [None, None, None, None],
    ]


def test_the_matrix_lists_contextual_statuses_before_the_reasons_not_rated() -> None:
    from ragrules.reports.matrix import matrix

    assert matrix(_report()).order == ("green", "amber", "red", "within", "outside", "no-data")


# -- the stream's tally -----------------------------------------------------------------------


def test_the_stream_tally_lists_the_context_apart() -> None:
    rules = _rules()
    tally = write_stream(rules.iter_rate(ROWS), rules, io.StringIO())
    assert tally.counts_text(rules) == (
        "green 1, amber 1, red 1; context (not rated): within 2, outside 1; not rated: no-data 1"
    )
    no_context = [row for row in ROWS if row["indicator"] in "abcd"]
    tally = write_stream(rules.iter_rate(no_context), rules, io.StringIO())
    assert tally.counts_text(rules) == "green 1, amber 1, red 1, no-data 1"


def test_rate_stream_says_the_context_apart(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rate", str(KENT), str(KENT_DATA), "--stream"]) == 0
    err = capsys.readouterr().err
    assert (
        "16 results (green 3, amber 3, red 2; context (not rated): within 7, outside 1), "
        "3 exceptions" in err
    )


# -- nothing changes without a contextual scale -----------------------------------------------


def _outputs(rules: ragrules.Ruleset) -> dict[str, Any]:
    """Every output of the ruleset for ROWS: each format, the workbook, the stream and its
    tally."""
    report = rules.rate(ROWS)
    found: dict[str, Any] = {
        fmt: render(report, fmt) for fmt in ("table", "json", "csv", "markdown", "html")
    }
    try:
        from ragrules.reports.xlsx import to_xlsx

        found["xlsx"] = to_xlsx(report)
    except ImportError:
        pass
    stream = io.StringIO()
    tally = write_stream(rules.iter_rate(ROWS), rules, stream)
    found["stream"] = (stream.getvalue(), tally.counts_text(rules))
    return found


@pytest.mark.parametrize("summary", ["", ALL])
def test_a_ruleset_without_a_contextual_scale_is_unchanged(summary: str) -> None:
    """Written `false` or left out, every output is byte for byte the same, and none names a
    context; the example reports' pinned outputs (docs, CLI tests) hold the rest."""
    plain = SCALE.replace("contextual = true\n", "")
    written = plain.replace("[scales.range]\n", "[scales.range]\ncontextual = false\n")
    assert _outputs(_rules(summary, scale=written)) == _outputs(_rules(summary, scale=plain))
    left_out = _rules(summary, scale=plain).rate(ROWS)
    assert left_out.summary.context is None and left_out.summary.context_of_all is None
    data = left_out.summary.to_dict()
    assert "context" not in data and "context_percent_of_all" not in data
    assert "(not rated)" not in render(left_out, "table") + render(left_out, "markdown")
    assert left_out.summary.rated == 6  # within and outside are rated statuses here


# sha256 of Havering's Q2 report as rendered before contextual scales existed: a change here
# that is not about contextual scales updates them, with a word in the changelog.
HAVERING_BEFORE = {
    "json": "25416124073b08788296489515acf3144721a4a4184757e169555228d53881ef",
    "csv": "7f96910f4688d6796cf7ab3a67968cd32962629e8c2393d3ab88a9334bf51822",
    "table": "59ef9b0170450d055c2ee2812f1be15a7aef72428fbf6b15b5ce1e084957c1eb",
    "markdown": "6841226a40f5354da203889fd2cb9ebb968074396075643711f28e89711e1dab",
}


def test_the_havering_report_is_byte_for_byte_as_before() -> None:
    havering = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    report = havering.rate(ragrules.read_observations(EXAMPLES / "havering-2020-21-q2.csv"))
    assert list(report.summary.to_dict()) == ["rated", "statuses", "unrated", "travel"]
    assert "contextual" not in havering.canonical_toml
    rendered = {
        fmt: hashlib.sha256(render(report, fmt).encode()).hexdigest() for fmt in HAVERING_BEFORE
    }
    assert rendered == HAVERING_BEFORE


# -- the law, for any data --------------------------------------------------------------------

PROPERTY_RULES = _rules(ALL)
VALUE_TEXTS = ["60", "50", "46", "44", "30", "15", "10", "25", "9", "N/A", "c", "about 5"]


@given(
    st.dictionaries(
        st.sampled_from(sorted(VALUES)), st.sampled_from(VALUE_TEXTS), min_size=0, max_size=7
    )
)
def test_rated_shares_never_take_in_a_contextual_status(values: dict[str, str]) -> None:
    """The shares of the rated add up to 100 (0 with nothing rated) over rated statuses only;
    rated, contextual and unrated add up to every indicator reported, and their shares of all
    to 100."""
    rows = [{"indicator": name, "period": "2024", "value": v} for name, v in values.items()]
    report = PROPERTY_RULES.rate(rows)
    summary = report.summary
    assert sum(share for _, share in summary.percentages) == (100 if summary.rated else 0)
    assert {status for status, _ in summary.counts}.isdisjoint({"within", "outside"})
    context = dict(summary.context or ())
    assert set(context) == {"within", "outside"}
    contextual = [r for r in report.results if r.rated and r.indicator.scale.contextual]
    assert sum(context.values()) == len(contextual)
    assert summary.rated == sum(1 for r in report.results if r.rated) - len(contextual)
    unrated = sum(n for _, n in summary.unrated)
    assert summary.rated + sum(context.values()) + unrated == summary.reported == 7
    of_all = (*(summary.of_all or ()), *(summary.context_of_all or ()))
    assert sum(share for _, share in (*of_all, *(summary.unrated_of_all or ()))) == 100


def test_a_quarter_and_the_same_quarter_year_to_date_are_one_bar() -> None:
    """Some indicators cumulative (`Q2 YTD`), others not: one report period, one bar each
    quarter, named as the quarter, as the report is."""
    from ragrules.engine.trends import trends
    from ragrules.reports.charts import status_bars

    ruleset = _rules()
    rows = [
        {"indicator": name, "period": f"2024/25 Q{q}{' YTD' if name in 'ab' else ''}", "value": v}
        for q in (1, 2)
        for name, v in (("a", "51"), ("b", "46"), ("c", "40"))
    ]
    report = ruleset.rate(rows)
    chart = status_bars(trends(report), ruleset, 4)
    title = re.search(r"<title[^>]*>(.*?)</title>", chart)
    assert title is not None
    assert title.group(1) == (
        "Rated statuses by period: 2024/25 Q1: green 1, amber 1, red 1; "
        "2024/25 Q2: green 1, amber 1, red 1."
    )
