"""Auditor tools: explain one rating, audit a published report, verify a ruleset."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import ragrules
from ragrules.cli import main
from ragrules.model.errors import Severity
from ragrules.tools.audit import audit
from ragrules.tools.verify import verify_file
from tests.conftest import EXAMPLES, ROOT

HAVERING = str(EXAMPLES / "havering-2020-21-q2.toml")
POINTS = str(EXAMPLES / "neighbour-points-2020-21.toml")
DATA = str(EXAMPLES / "havering-2020-21-q2.csv")


def test_havering_audit_reproduces_the_publication(capsys: pytest.CaptureFixture[str]) -> None:
    """The Havering data's published statuses and arrows are all reproduced: exit 0."""
    assert main(["audit", HAVERING, DATA]) == 0
    out = capsys.readouterr().out
    assert "18 published values checked for 2020/21 Q2, 0 mismatches" in out


def test_points_reading_reports_early_help_and_names_the_relative_reading(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Read as points, early help is amber; the relative reading reproduces the red."""
    assert main(["audit", POINTS, DATA]) == 1
    out = capsys.readouterr().out
    assert (
        "early-help-conversion: published status 'Red', computed 'amber'; reproduced by: "
        "tolerance read as a percentage of the target (relative)"
    ) in out
    assert "under tolerance read as a percentage of the target (relative):" in out
    assert out.count("published status") == 1


def test_audit_json() -> None:
    """audit --format json lists each mismatch with the readings that reproduce it."""
    found = audit(ragrules.load(POINTS), ragrules.read_observations(DATA))
    (mismatch,) = found.mismatches
    assert mismatch.to_dict() == {
        "indicator": "early-help-conversion",
        "row": 4,
        "field": "status",
        "published": "Red",
        "computed": "amber",
        "readings": ["tolerance read as a percentage of the target (relative)"],
    }


@pytest.mark.parametrize(
    ("published", "readings"),
    [
        ("\u2191", ("arrows drawing judgement instead of direction",)),
        ("up", ("arrows drawing judgement instead of direction",)),
        ("\u2192", ()),
    ],
)
def test_arrow_mismatches_name_the_judgement_reading(
    published: str, readings: tuple[str, ...]
) -> None:
    """A fall in a lower-is-better indicator drawn as an up arrow is a judgement arrow."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "a"\n[travel.comparisons]\n'
        'short = { against = "previous-period" }\n[[indicator]]\nid = "x"\n'
        'polarity = "lower-is-better"\ntarget = 10\ntolerance = { absolute = 1 }\n'
    )
    rows = [
        {"indicator": "x", "period": "2020/21 Q1", "value": "12"},
        {"indicator": "x", "period": "2020/21 Q2", "value": "9", "published_short": published},
    ]
    (mismatch,) = audit(ruleset, rows).mismatches
    assert (mismatch.field, mismatch.computed, mismatch.readings) == ("short", "down", readings)


def test_published_status_initials() -> None:
    """A report printing R, A, G is read in the scale's words."""
    ruleset = ragrules.load(HAVERING)
    rows = [
        {
            "indicator": "lac-supervision",
            "period": "2020/21 Q2",
            "value": "96.1",
            "published_status": "G",
        },
    ]
    found = audit(ruleset, rows)
    assert (found.checked, found.mismatches) == (1, ())


def test_explain_command(capsys: pytest.CaptureFixture[str]) -> None:
    """explain prints the derivation, the exception decision and where each rule came from."""
    assert main(["explain", HAVERING, DATA, "--indicator", "early-help-conversion"]) == 0
    out = capsys.readouterr().out
    assert "amber from 1.5 below the target (5% of 30): value >= 28.5; 28.15 not reached." in out
    assert "In the exception report: status red." in out
    assert "Rules: target from " in out
    assert "havering-2020-21-q2.toml:" in out
    assert "unit from rulesets/catalogue/england-childrens-services.toml:" not in out
    assert (
        main(["explain", HAVERING, DATA, "--indicator", "lac-supervision", "--format", "json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "green"
    assert data["steps"][-2]["text"] == "Not an exception: it meets none of the rules (status red)."
    assert main(["explain", HAVERING, DATA, "--indicator", "nope"]) == 2
    assert "no indicator 'nope'" in capsys.readouterr().err


def test_explain_names_catalogue_settings() -> None:
    """Settings inherited from the catalogue are traced to the catalogue's file and line."""
    ruleset = ragrules.load(EXAMPLES / "dudley-2021-22-q3.toml")
    report = ruleset.rate(ragrules.read_observations(EXAMPLES / "dudley-2021-22-q3.csv"))
    text = str(report.explain("PI.426"))
    assert "polarity from rulesets/catalogue/england-childrens-services.toml:" in text


def _write(folder: Path, body: str) -> str:
    path = folder / "r.toml"
    path.write_text('[ruleset]\nformat = 1\nid = "v"\n' + body, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            '[scales.gap]\nbands = [{ status = "green", from = "target" }]\n'
            '[[indicator]]\nid = "a"\nscale = "gap"\ntarget = 10\n',
            "get no status",
        ),
        (
            '[scales.overlap]\nbands = [{ status = "amber", from = "tolerance" }, '
            '{ status = "green", from = "target" }, { status = "red" }]\n'
            '[[indicator]]\nid = "a"\nscale = "overlap"\ntarget = 10\n'
            "tolerance = { absolute = 1 }\n",
            "can never be assigned",
        ),
        (
            '[scales.s]\nbands = [{ status = "green", from = "target" }, '
            '{ status = "amber", from = { threshold = "floor" } }, { status = "red" }]\n'
            '[[indicator]]\nid = "a"\nscale = "s"\ntarget = 60\nthresholds = { floor = 70 }\n',
            "can never be assigned",
        ),
    ],
)
def test_verify_finds_planted_band_errors(tmp_path: Path, body: str, words: str) -> None:
    """Gaps, overlaps and unreachable bands are errors."""
    findings = verify_file(_write(tmp_path, body), examples=5)
    assert any(f.severity is Severity.ERROR and words in f.message for f in findings), findings


def test_verify_warnings(tmp_path: Path) -> None:
    """Targets outside a unit's range, neutral targets and empty amber bands are warnings."""
    body = (
        '[[indicator]]\nid = "p"\nunit = "percent"\ntarget = "120%"\ntolerance = { absolute = 5 }\n'
        '[[indicator]]\nid = "n"\npolarity = "neutral"\ntarget = 3\n'
        '[[indicator]]\nid = "z"\ntarget = 0\ntolerance = { relative = "5%" }\n'
    )
    findings = verify_file(_write(tmp_path, body), examples=5)
    messages = [f.message for f in findings]
    assert all(f.severity is Severity.WARNING for f in findings)
    assert any(
        "target 120 is outside the unit's meaningful range (0 to 100)" in m for m in messages
    )
    assert any("neutral indicator has a target" in m for m in messages)
    assert any("band 'amber' is empty" in m for m in messages)


def test_verify_does_not_fail_a_band_start_no_value_can_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A range of 1E+59 to 1E+60 with a 1E-60 margin: the amber band starts 120 digits long,
    which no value (60 digits at most) can be written on. verify used to test a value there,
    read it as invalid, and report the rule broken."""
    path = tmp_path / "extreme.toml"
    path.write_text(
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\nunit = "GBP"\n'
        'polarity = "in-range"\ntarget = { lower = "£1e59", upper = "£1e60" }\n'
        'tolerance = { absolute = "£1e-60" }\n',
        encoding="utf-8",
    )
    assert main(["verify", str(path)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


def test_verify_passes_the_shipped_rulesets(capsys: pytest.CaptureFixture[str]) -> None:
    """Every shipped ruleset verifies with no errors (Dudley has two deliberate warnings)."""
    paths = sorted(str(p) for p in (ROOT / "rulesets").rglob("*.toml"))
    assert paths
    assert main(["verify", "--examples", "10", *paths]) == 0
    out = capsys.readouterr().out
    assert out.count(": 0 errors,") == len(paths)
    assert "PI.432: polarity lower-is-better contradicts neutral" in out


def test_audit_reads_hyphenated_comparisons_custom_glyphs_and_dashes() -> None:
    """published_last-year matches comparison last-year; the ruleset's own glyphs are arrows."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "a"\n[travel]\nglyphs = { up = "\u25b2", down = "\u25bc" }\n'
        '[travel.comparisons]\nlast-year = { against = "same-period-last-year" }\n'
        '[[indicator]]\nid = "x"\ntarget = 10\ntolerance = { absolute = 1 }\n'
        '[[indicator]]\nid = "n"\npolarity = "neutral"\n'
    )
    rows = [
        {"indicator": "x", "period": "2019/20 Q2", "value": "12"},
        {"indicator": "x", "period": "2020/21 Q2", "value": "9", "published_last-year": "\u25bc"},
        {"indicator": "n", "period": "2020/21 Q2", "value": "3", "published_status": "-"},
    ]
    found = audit(ruleset, rows)
    assert (found.checked, found.mismatches) == (2, ())


def test_audit_with_nothing_to_check_fails(capsys: pytest.CaptureFixture[str]) -> None:
    """Data without published columns is not a clean audit: exit 1 with a reason."""
    dudley = str(EXAMPLES / "dudley-2021-22-q3.toml")
    assert main(["audit", dudley, str(EXAMPLES / "dudley-2021-22-q3.csv")]) == 1
    assert "no published values to check" in capsys.readouterr().err


def test_audit_json_with_nothing_to_check_still_prints_its_document(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A pipe reading `--format json` gets a document saying nothing was checked (and exit 1),
    not an empty output."""
    dudley = str(EXAMPLES / "dudley-2021-22-q3.toml")
    data = str(EXAMPLES / "dudley-2021-22-q3.csv")
    assert main(["audit", dudley, data, "--format", "json"]) == 1
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert (document["checked"], document["mismatches"]) == (0, [])
    assert document["period"] == "2021/22 Q3"
    assert "no published values to check" in captured.err


def test_a_published_status_in_any_mapping_is_checked() -> None:
    """Rows given as any mapping (not only a dict) have their published statuses checked."""
    import types

    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    row = {
        "indicator": "early-help-conversion",
        "period": "2020/21 Q2",
        "value": "28.15",
        "published_status": "Green",
    }
    for given in (row, types.MappingProxyType(row)):
        found = audit(ruleset, [given])
        assert found.checked == 1 and len(found.mismatches) == 1


def test_each_published_status_is_checked_against_its_own_row_whatever_its_number() -> None:
    """Rows numbered by their caller (two files' rows both from 2, an Observation beside a
    dict at the same position) still have their own published status checked, not another
    row's that shares its number."""
    ruleset = ragrules.load(HAVERING)
    green = ragrules.Observation(
        indicator="lac-supervision",
        period="2020/21 Q2",
        value="96.1",
        row=2,
        extra=(("published_status", "Green"),),
    )
    red = {
        "indicator": "early-help-conversion",
        "period": "2020/21 Q2",
        "value": "28.15",
        "published_status": "Red",
    }
    wrong = {**red, "indicator": "lac-placement-stability", "value": "90"}  # green
    twice = ragrules.Observation.from_mapping(wrong, row=2)  # another file's row 2
    found = audit(ruleset, [green, red, twice])
    assert sorted(r.row for r in found.report.results if r.row is not None) == [2, 2, 2]
    assert found.checked == 3
    assert [(m.result.indicator.id, m.published) for m in found.mismatches] == [
        ("lac-placement-stability", "Red")
    ]


TRAVEL_EXAMPLE = EXAMPLES / "travel" / "quarterly-travel.toml"


def _travel_rows(**published: str) -> list[dict[str, str]]:
    path = EXAMPLES / "travel" / "quarterly-travel-2020-21-q3.csv"
    found = []
    for row in csv.DictReader(path.read_text(encoding="utf-8").splitlines()):
        if row["indicator"] == "early-help-conversion" and row["period"] == "2020/21 Q3":
            row |= {f"published_{name}": text for name, text in published.items()}
        found.append(row)
    return found


def test_a_published_column_naming_no_comparison_is_said_not_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`published_shrot` (a typo for `short`) would otherwise go unchecked without a word."""
    rules = ragrules.load(TRAVEL_EXAMPLE)
    found = audit(rules, _travel_rows(shrot="↓", long="-"))
    (problem,) = found.problems
    assert problem.severity is Severity.WARNING
    assert problem.message.startswith("column published_shrot names no comparison")
    assert problem.hint == (
        "name one of published_status, published_short, published_long, published_outturn"
    )
    assert found.checked == 1 and not found.mismatches  # the long arrow: checked, agrees


def test_a_not_comparable_arrow_is_named_as_reports_print_it() -> None:
    rules = ragrules.load(TRAVEL_EXAMPLE)
    (mismatch,) = audit(rules, _travel_rows(long="↑")).mismatches
    assert mismatch.computed == (
        "- (not comparable: the series breaks at 2020/21 Q2: 2019/20 Q3 is from before the break)"
    )
