"""Officer judgement: overrides beside the computed status, and forecasts rated for the year end.

The shipped example (rulesets/examples/judgement) is the case: a published rule of the kind
"amber: off target but assessed as capable of reaching target within the year" and "the RAG
status considered anticipated delivery by the end of the year".
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import ragrules
from ragrules import testing
from ragrules.cli import main
from ragrules.engine.canonical import canonical_toml
from ragrules.formats.data import iter_csv, read_observations
from ragrules.model.periods import Calendar, parse_period
from ragrules.reports.compiled import rate_csv_stream
from ragrules.reports.html import to_html
from ragrules.reports.markdown import to_markdown
from ragrules.reports.output import to_csv, to_json, to_table
from ragrules.reports.stream import write_stream
from ragrules.tools.audit import audit
from ragrules.tools.compare import rule_differences
from tests.conftest import EXAMPLES

JUDGEMENT = EXAMPLES / "judgement"
RULES = JUDGEMENT / "officer-judgement.toml"
DATA = JUDGEMENT / "officer-judgement-2024-25-q2.csv"


@pytest.fixture(scope="module")
def report() -> ragrules.Report:
    return ragrules.load(RULES).rate(read_observations(DATA))


def _result(report: ragrules.Report, indicator: str) -> ragrules.Result:
    return next(r for r in report.results if r.indicator.id == indicator)


def test_example_override_replaces_the_reported_status_and_keeps_the_computed(
    report: ragrules.Report,
) -> None:
    housing = _result(report, "temporary-accommodation")
    assert housing.status == "red"  # 236 against 200, 10% tolerance: beyond 220
    assert housing.reported_status == "amber"
    assert housing.overridden
    assert housing.override is not None
    assert housing.override.by == "Head of Housing"
    assert housing.override.reason.startswith("Off target, but 40 new units")


def test_example_forecast_is_rated_against_the_year_end_target(report: ragrules.Report) -> None:
    housing = _result(report, "temporary-accommodation").forecast
    assert housing is not None
    # 185 against Q4's 180 (not Q2's 200), lower is better, 10% tolerance: at-risk.
    assert (housing.status, str(housing.target), str(housing.period)) == (
        "at-risk",
        "180",
        "2024/25 Q4",
    )
    bins = _result(report, "missed-bins").forecast
    assert bins is not None and (bins.status, str(bins.target)) == ("amber", "60")


def test_example_override_not_allowed_is_shown_not_applied(report: ragrules.Report) -> None:
    planning = _result(report, "planning-major-13-weeks")
    assert (planning.status, planning.reported_status) == ("red", "red")
    assert planning.override is not None and not planning.override.applied
    assert "does not allow overrides" in planning.override.note
    assert any("override 'green' not applied" in p.message for p in report.problems)


def test_summary_counts_reported_statuses_and_overrides(report: ragrules.Report) -> None:
    summary = report.summary
    assert dict(summary.counts) == {"green": 1, "amber": 2, "red": 1}
    assert summary.overridden == 1
    assert summary.to_dict()["overridden"] == 1


def test_a_ruleset_without_judgement_keeps_the_fields_of_0_1() -> None:
    plain = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    record = plain.rate(read_observations(EXAMPLES / "havering-2020-21-q2.csv")).to_dict()
    assert "overridden" not in record["summary"]
    assert all("override" not in r and "reported_status" not in r for r in record["results"])
    assert "judgement" not in record["key"]


def test_json_carries_the_override_and_forecast_for_judged_indicators(
    report: ragrules.Report,
) -> None:
    records = {r["indicator"]: r for r in json.loads(to_json(report))["results"]}
    housing = records["temporary-accommodation"]
    assert housing["status"] == "red"
    assert housing["reported_status"] == "amber"
    assert housing["override"]["applied"] is True
    assert housing["forecast"]["status"] == "at-risk"
    assert records["missed-bins"]["override"] is None
    # Not judged, but the row gave an override: it is shown, not applied.
    assert records["planning-major-13-weeks"]["override"]["applied"] is False


def test_csv_has_the_judgement_columns(report: ragrules.Report) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    housing = next(r for r in rows if r["indicator"] == "temporary-accommodation")
    assert housing["status"] == "red"
    assert housing["reported_status"] == "amber"
    assert housing["override_status"] == "amber"
    assert housing["override_by"] == "Head of Housing"
    assert housing["forecast_status"] == "at-risk"
    assert housing["forecast_target"] == "180"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_stream_writes_what_the_batch_path_writes(fmt: str) -> None:
    """The compiled stream hands judged rows to the general path: the same bytes."""
    ruleset = ragrules.load(RULES)
    fast, slow = io.StringIO(), io.StringIO()
    tally = rate_csv_stream(ruleset, DATA, fast, fmt)
    write_stream(ruleset.iter_rate(iter_csv(DATA)), ruleset, slow, fmt)
    assert fast.getvalue() == slow.getvalue()
    assert tally.overridden == 1
    assert tally.statuses["amber"] == 2


def test_rendered_reports_show_the_override_beside_the_computed_status(
    report: ragrules.Report,
) -> None:
    table = to_table(report)
    assert "amber (override)" in table and "computed red" in table
    assert "1 by override" in table
    markdown = to_markdown(report)
    assert "| amber (override) |" in markdown
    assert "## Officer judgement and forecasts" in markdown
    assert "Forecast 185 for 2024/25 Q4: at-risk against 180." in markdown
    html = to_html(report)
    assert 'class="override">override; computed' in html
    assert "Of which by override" in html
    assert "**Override**" in markdown and "Allowed for: temporary-accommodation" in markdown
    # The forecasts' own scale is in the key, named as theirs.
    assert "**On-track (forecasts, delivery scale)**: At or below the target." in markdown


def test_explain_adds_the_override_and_forecast(report: ragrules.Report) -> None:
    text = str(report.explain("temporary-accommodation"))
    assert "So red." in text
    assert "Reported amber, computed red." in text
    assert "Forecast 185 for 2024/25 Q4, against that year end's target 180: at-risk" in text


def test_audit_lists_overrides_apart_from_mismatches() -> None:
    found = audit(ragrules.load(RULES), read_observations(DATA))
    assert [r.indicator.id for r in found.overrides] == ["temporary-accommodation"]
    # Planning published red (the override was not allowed): no mismatch either.
    assert found.mismatches == ()


def test_audit_cli_prints_overrides(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(RULES), str(DATA), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overrides"][0]["indicator"] == "temporary-accommodation"
    assert data["overrides"][0]["computed"] == "red"


@pytest.mark.parametrize(
    ("override", "reason", "note"),
    [
        ("purple", "why", "'purple' is not a status of the scale"),
        ("amber", "", "an override needs a reason"),
    ],
)
def test_an_override_that_cannot_apply_says_why(override: str, reason: str, note: str) -> None:
    ruleset = ragrules.load(RULES)
    row = {
        "indicator": "council-tax-collected",
        "period": "2024/25 Q2",
        "value": "50%",
        "override": override,
        "override_reason": reason,
    }
    result = ruleset.rate([row]).results[1]
    assert result.override is not None and not result.override.applied
    assert note in result.override.note
    assert result.reported_status == result.status == "red"


def test_no_computed_status_means_nothing_to_override() -> None:
    ruleset = ragrules.load(RULES)
    row = {
        "indicator": "council-tax-collected",
        "period": "2024/25 Q2",
        "value": "N/A",
        "override": "green",
        "override_reason": "collected, not yet reconciled",
    }
    result = ruleset.rate([row]).results[1]
    assert result.unrated is not None
    assert result.override is not None and "no computed status" in result.override.note


def test_forecast_not_readable_is_unrated_with_a_notice() -> None:
    ruleset = ragrules.load(RULES)
    row = {"indicator": "missed-bins", "period": "2024/25 Q2", "value": "50", "forecast": "soon"}
    report = ruleset.rate([row])
    forecast = _result(report, "missed-bins").forecast
    assert forecast is not None and not forecast.rated
    assert any("forecast" in p.message for p in report.problems)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("overrides = 1", "expected true or false"),
        ('forecast = { scale = "dleivery" }', "unknown scale 'dleivery'"),
        ('forecast = "yes"', "expected a table"),
        ("forecast = { colour = 1 }", "unknown key 'colour'"),
    ],
)
def test_loading_refuses_bad_judgement_settings(setting: str, message: str) -> None:
    text = (
        '[ruleset]\nformat = 1\nid = "x"\n[scales.delivery]\nbands = [{ status = "ok", '
        'from = "target" }, { status = "not-ok" }]\n[[indicator]]\nid = "a"\ntarget = 1\n'
        f"{setting}\n"
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    assert any(message in p.message for p in caught.value.problems)
    assert all(p.line == 9 for p in caught.value.problems)


def test_a_neutral_indicator_cannot_be_judged() -> None:
    text = '[ruleset]\nformat = 1\nid = "x"\n[[indicator]]\nid = "a"\npolarity = "neutral"\n'
    with pytest.raises(ragrules.RulesetError, match="neutral indicator cannot have overrides"):
        ragrules.loads(text + "overrides = true\n")
    # From [defaults], a neutral indicator simply takes no judgement.
    loaded = ragrules.loads(
        text.replace("[[indicator]]", "[defaults]\noverrides = true\n[[indicator]]")
    )
    assert not loaded.indicators[0].overrides


def test_forecast_scale_bands_are_checked_at_load() -> None:
    text = (
        '[ruleset]\nformat = 1\nid = "x"\n[scales.backwards]\nbands = [{ status = "low", '
        'from = "tolerance" }, { status = "high", from = "target" }, { status = "rest" }]\n'
        '[[indicator]]\nid = "a"\ntarget = 10\ntolerance = { absolute = 1 }\n'
        'forecast = { scale = "backwards" }\n'
    )
    with pytest.raises(ragrules.RulesetError, match="band 'high' of scale 'backwards' can never"):
        ragrules.loads(text)


def test_canonical_form_keeps_judgement_settings() -> None:
    ruleset = ragrules.load(RULES)
    again = ragrules.loads(canonical_toml(ruleset))
    assert [(i.overrides, i.forecast) for i in again.indicators] == [
        (i.overrides, i.forecast) for i in ruleset.indicators
    ]


def test_compare_names_judgement_differences() -> None:
    ruleset = ragrules.load(RULES)
    text = RULES.read_text(encoding="utf-8").replace("overrides = true\n", "", 1)
    found = {(d.indicator, d.setting) for d in rule_differences(ruleset, ragrules.loads(text))}
    assert ("temporary-accommodation", "overrides") in found


@pytest.mark.parametrize(
    ("text", "calendar", "end"),
    [
        ("2024/25 Q2", Calendar.FINANCIAL, "2024/25 Q4"),
        ("2024/25", Calendar.FINANCIAL, "2024/25"),
        ("Nov 2024", Calendar.FINANCIAL, "Mar 2025"),
        ("Mar 2025", Calendar.FINANCIAL, "Mar 2025"),
        ("Apr 2025", Calendar.FINANCIAL, "Mar 2026"),
        ("Nov 2024", Calendar.CALENDAR, "Dec 2024"),
        ("Aug 2024", Calendar.ACADEMIC, "Aug 2024"),
        ("Sep 2024", Calendar.ACADEMIC, "Aug 2025"),
    ],
)
def test_year_end(text: str, calendar: Calendar, end: str) -> None:
    assert parse_period(text, calendar).year_end(calendar) == parse_period(end, calendar)


def test_verify_tests_the_judgement_invariants(tmp_path: Path) -> None:
    from ragrules.tools.verify import verify_file

    text = RULES.read_text(encoding="utf-8")
    path = tmp_path / "judged.toml"
    path.write_text(text.replace("#:schema ../../../", "#:schema "), encoding="utf-8")
    findings = verify_file(path, examples=10)
    assert not [f for f in findings if f.severity.value == "error"]


def test_check_override_fails_when_an_override_changes_the_computed_status(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The kit's check is not vacuous: an engine that wrote the override into `status` fails."""
    import attrs

    from ragrules.engine import batch

    original = batch._Batch.result

    def leaky(self: batch._Batch, *args: object) -> ragrules.Result:
        found = original(self, *args)  # type: ignore[arg-type]
        return attrs.evolve(found, status=found.reported_status)

    monkeypatch.setattr(batch._Batch, "result", leaky)
    ruleset = ragrules.load(RULES)
    with pytest.raises(AssertionError, match="changed the computed status"):
        testing.check_override(
            ruleset, "council-tax-collected", "40%", "green", period="2024/25 Q2"
        )


def test_the_html_report_reads_in_a_browser(tmp_path: Path, report: ragrules.Report) -> None:
    """Headless Chromium renders the page: the override beside the computed status, and the
    judgement section, as a reader sees them."""
    from tests.conftest import as_a_browser_reads

    page = tmp_path / "report.html"
    page.write_text(to_html(report), encoding="utf-8")
    dom = as_a_browser_reads(page)
    assert 'amber</span> <span class="override">override; computed <span' in dom
    assert "<h2>Officer judgement and forecasts</h2>" in dom
    assert "Forecast 185 for 2024/25 Q4: at-risk against 180." in dom
