"""Issue 13, items 21-23: what explanations, reasons, findings and verify say.

Each test fails on the wording before the fix: a travel condition dropped from explain and
from the reason, "a amber rating", a published status outside the scale reported as a
mismatch no reading reproduces, and `verify` passing when Hypothesis is missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import ragrules
from ragrules.cli import main
from ragrules.model._text import with_article
from ragrules.model.errors import Severity
from ragrules.tools.audit import audit
from ragrules.tools.verify import check_invariants
from tests.conftest import EXAMPLES

TRAVEL = EXAMPLES / "bands" / "travel-dependent-havering-2013-14.toml"
HAVERING = EXAMPLES / "havering-2020-21-q2.toml"
MISSING = "not comparable, so the travel condition could not be met"


def _travel_report(rows: list[dict[str, str]]) -> ragrules.Report:
    return ragrules.load(TRAVEL).rate(rows)


def _rows(indicator: str, value: str, last_year: str | None) -> list[dict[str, str]]:
    rows = [{"indicator": indicator, "period": "2014/15 Q2", "value": value}]
    if last_year is not None:
        rows.append({"indicator": indicator, "period": "2013/14 Q2", "value": last_year})
    return rows


def _write_csv(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "data.csv"
    lines = ["indicator,period,value", *(",".join(row.values()) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- item 22: travel conditions in explain and in the reason ------------------------------


def test_explain_states_the_travel_condition_when_it_is_met() -> None:
    """Amber beyond tolerance because it improved: explain says so, not 'every value'."""
    report = _travel_report(_rows("school-attendance", "5.51", "6"))
    text = str(report.explain("school-attendance"))
    assert "every value not in a better band" not in text.split("\nred")[0]
    assert (
        "amber: any value, if improving or unchanged on the same period last year; "
        "5.51 reached (improving)." in text
    )
    assert text.splitlines()[-4] == "So amber."


def test_explain_states_the_travel_condition_when_it_is_not_met() -> None:
    report = _travel_report(_rows("libraries-visits", "3799", "3800"))
    text = str(report.explain("libraries-visits"))
    assert (
        "amber: any value, if improving or unchanged on the same period last year; "
        "3799 not reached (worsening)." in text
    )
    assert "So red." in text


def test_explain_says_when_the_comparison_is_missing() -> None:
    """No value last year: the travel band cannot be met, and explain says why."""
    report = _travel_report(_rows("school-attendance", "7", None))
    (result,) = [r for r in report.results if r.indicator.id == "school-attendance"]
    assert result.status == "red"
    text = str(report.explain("school-attendance"))
    assert f"{MISSING}: no row for 2013/14 Q2; 7 not reached." in text


def test_reason_names_the_travel_condition_that_was_met() -> None:
    report = _travel_report(_rows("school-attendance", "5.51", "6"))
    result = report.results[0]
    assert result.reason == (
        "amber: 5.51 does not meet value <= 5.5 but is improving on the same period last year"
    )


def test_reason_names_the_travel_condition_that_was_not_met() -> None:
    report = _travel_report(_rows("libraries-visits", "3799", "3800"))
    (result,) = [r for r in report.results if r.indicator.id == "libraries-visits"]
    assert result.reason == (
        "red: 3799 does not reach amber (improving or unchanged on the same period last year): "
        "it is worsening"
    )


def test_reason_in_json_says_when_the_comparison_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write_csv(tmp_path, _rows("school-attendance", "7", None))
    assert main(["rate", str(TRAVEL), str(data), "--format", "json"]) == 0
    (result,) = [
        r
        for r in json.loads(capsys.readouterr().out)["results"]
        if r["indicator"] == "school-attendance"
    ]
    assert result["status"] == "red"
    assert result["reason"] == (
        "red: 7 does not reach amber (improving or unchanged on the same period last year); "
        f"{MISSING}: no row for 2013/14 Q2"
    )


def test_a_band_with_bounds_and_travel_explains_both() -> None:
    """A band that starts from the tolerance and needs improvement names both conditions."""
    text = TRAVEL.read_text(encoding="utf-8").replace(
        '{ status = "amber", from = "tolerance" },\n'
        '  { status = "amber", travel = { comparison = "long", judgement = ["improving", '
        '"unchanged"] } },',
        '{ status = "amber", from = "tolerance", travel = { comparison = "long", '
        'judgement = ["improving"] } },',
    )
    assert 'judgement = ["improving"] } },' in text
    ruleset = ragrules.loads(text, directory=TRAVEL.parent)
    met = ruleset.rate(_rows("school-attendance", "5.4", "6"))
    assert met.results[0].status == "amber"
    assert met.results[0].reason == (
        "amber: 5.4 meets value <= 5.5 and is improving on the same period last year"
    )
    assert (
        "value <= 5.5, if improving on the same period last year; 5.4 reached (improving)."
        in str(met.explain("school-attendance"))
    )
    missing = ruleset.rate(_rows("school-attendance", "5.4", None))
    assert missing.results[0].status == "red"
    assert missing.results[0].reason == (
        "red: 5.4 does not reach amber (value <= 5.5 and improving on the same period last "
        f"year); {MISSING}: no row for 2013/14 Q2"
    )


# -- item 23: articles, and published statuses outside the scale --------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [("amber", "an amber"), ("red", "a red"), ("green", "a green"), ("Amber", "an Amber")],
)
def test_with_article(word: str, expected: str) -> None:
    assert with_article(word) == expected


def test_commentary_finding_for_amber_uses_an() -> None:
    text = HAVERING.read_text(encoding="utf-8").replace(
        'commentary-required = ["red"]', 'commentary-required = ["red", "amber"]'
    )
    assert '"amber"]' in text
    ruleset = ragrules.loads(text, directory=HAVERING.parent)
    report = ruleset.rate(
        [
            {"indicator": "early-help-conversion", "period": "2020/21 Q2", "value": "29"},
            {"indicator": "lac-pathway-plan", "period": "2020/21 Q2", "value": "10"},
        ]
    )
    messages = {finding.indicator: finding.message for finding in report.findings}
    assert messages["early-help-conversion"] == (
        "an amber rating needs commentary, and none was given"
    )
    assert messages["lac-pathway-plan"] == "a red rating needs commentary, and none was given"


@pytest.mark.parametrize("published", ["Blue", "A/G"])
def test_audit_says_a_published_status_is_not_of_the_scale(published: str) -> None:
    row = {
        "indicator": "early-help-conversion",
        "period": "2020/21 Q2",
        "value": "28.15",
        "published_status": published,
    }
    (mismatch,) = audit(ragrules.load(HAVERING), [row]).mismatches
    text = str(mismatch)
    assert "no alternative reading reproduces it" not in text
    assert text == (
        f"early-help-conversion: published status {published!r}, computed 'red'; "
        f"{published!r} is not a status of the scale (green, amber, red); "
        "check the published column or map it to one of them"
    )
    assert mismatch.to_dict()["note"] == (
        f"{published!r} is not a status of the scale (green, amber, red)"
    )


def test_audit_of_a_known_status_still_says_no_reading_reproduces_it() -> None:
    row = {
        "indicator": "early-help-conversion",
        "period": "2020/21 Q2",
        "value": "10",
        "published_status": "Green",
    }
    (mismatch,) = audit(ragrules.load(HAVERING), [row]).mismatches
    assert str(mismatch).endswith("; no alternative reading reproduces it")
    assert "note" not in mismatch.to_dict()


# -- item 21: verify without Hypothesis ----------------------------------------------------


def test_verify_without_hypothesis_exits_non_zero(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    assert main(["verify", "--examples", "5", str(HAVERING)]) == 2  # the machine's, not findings
    out = capsys.readouterr()
    assert 'pip install "ragrules[testing]"' in out.err
    assert "Hypothesis, which is not installed" in out.err


def test_check_invariants_without_hypothesis_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    (problem,) = check_invariants(ragrules.load(HAVERING), examples=5)
    assert problem.severity is Severity.ERROR
    assert problem.hint is not None
    assert 'pip install "ragrules[testing]"' in problem.hint
